/**
 * XMPP Connection Requests (TR-069 Annex K; schema `cwmp-xmppConnReq-1-0.xsd`).
 *
 * The ACS (through its XMPP server) sends the CPE an `iq` stanza of type `set` carrying
 *
 * ```xml
 * <connectionRequest xmlns="urn:broadband-forum-org:cwmp:xmppConnReq-1-0">
 *   <username>…</username>
 *   <password>…</password>
 * </connectionRequest>
 * ```
 *
 * (`elementFormDefault="qualified"`: `username` and `password` are in the same namespace). The CPE
 * checks the sender against `ManagementServer.ConnReqAllowedJabberIDs` (a full JID must match
 * exactly, a bare JID matches any resource, an empty list allows everyone: TR-181), then the
 * credentials, and replies with an `iq` of type `result`, or of type `error` with
 * `service-unavailable` (refused, e.g. rate-limited) or `not-authorized` (bad credentials).
 *
 * This module handles only the CWMP payload; the XMPP stream itself is the caller's transport.
 * Stanzas are parsed with the library's XML reader (`src/xml`): no DTD is processed and a DOCTYPE is
 * rejected, only the five predefined entities and character references are understood. Everything emitted is escaped.
 *
 * @module
 */

import { AuthError, DecodeError } from '../errors.js'
import { DEFAULT_LIMITS, type DecodeLimits } from '../xml/events.js'
import { readXml, type XmlElement } from '../xml/reader.js'
import { constantTimeEqualString } from '../auth/hash.js'
import type { ConnectionRequestAcceptance, ConnectionRequestContext, ConnectionRequestPolicy } from './policy.js'

/**
 * Namespace of the `connectionRequest` element.
 *
 * @category Connection requests
 */
export const XMPP_CONNREQ_NAMESPACE = 'urn:broadband-forum-org:cwmp:xmppConnReq-1-0'

/**
 * Namespace of XMPP stanza error conditions (RFC 6120 §8.3.3).
 *
 * @category Connection requests
 */
export const XMPP_STANZAS_NAMESPACE = 'urn:ietf:params:xml:ns:xmpp-stanzas'

/**
 * A parsed XMPP Connection Request stanza.
 *
 * @category Connection requests
 */
export interface XmppConnectionRequest {
  /** The `iq` `id` attribute (echoed in the reply), if any. */
  readonly id?: string
  /** The sender (`from`), if any. */
  readonly from?: string
  /** The addressee (`to`), if any. */
  readonly to?: string
  /** The `iq` `type` attribute (a valid request has `set`). */
  readonly type: string
  /** The `username` content. */
  readonly username: string
  /** The `password` content. */
  readonly password: string
}

/**
 * What {@link buildXmppConnectionRequest} needs.
 *
 * @category Connection requests
 */
export interface XmppConnectionRequestInit {
  /** Stanza id. */
  readonly id: string
  /** The ACS's JID. */
  readonly from?: string
  /** The CPE's JID (`ManagementServer.ConnReqJabberID`). */
  readonly to: string
  /** The CPE's ConnectionRequestUsername. */
  readonly username: string
  /** The CPE's ConnectionRequestPassword. */
  readonly password: string
}

// XML 1.0 Char, minus the characters that cannot be written even escaped.
const XML_FORBIDDEN = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u

function escapeXml(value: string, what: string): string {
  if (XML_FORBIDDEN.test(value)) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', `${what} contains a character XML cannot carry`)
  }
  return value.replace(/[&<>"'\r\n\t]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;'
      case '<':
        return '&lt;'
      case '>':
        return '&gt;'
      case '"':
        return '&quot;'
      case "'":
        return '&apos;'
      default:
        return `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`
    }
  })
}

function attrs(list: ReadonlyArray<readonly [string, string | undefined]>): string {
  return list
    .filter((e): e is readonly [string, string] => e[1] !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(v, k)}"`)
    .join('')
}

/**
 * Build the `iq` `set` stanza of an XMPP Connection Request (ACS side).
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_INVALID_ARGUMENT` for characters XML cannot carry
 *
 * @category Connection requests
 */
export function buildXmppConnectionRequest(init: XmppConnectionRequestInit): string {
  return (
    `<iq${attrs([
      ['from', init.from],
      ['to', init.to],
      ['id', init.id],
      ['type', 'set'],
    ])}>` +
    `<connectionRequest xmlns="${XMPP_CONNREQ_NAMESPACE}">` +
    `<username>${escapeXml(init.username, 'username')}</username>` +
    `<password>${escapeXml(init.password, 'password')}</password>` +
    '</connectionRequest></iq>'
  )
}

/**
 * Options of {@link parseXmppConnectionRequest}.
 *
 * @category Connection requests
 */
export interface XmppParseOptions {
  /** Largest stanza accepted, in characters. Default 8192. */
  readonly maxLength?: number
}

function malformed(message: string, cause?: unknown): AuthError {
  return new AuthError('ERR_CWMP_AUTH_MALFORMED', message, cause === undefined ? undefined : { cause })
}

const IQ_NAMESPACES = new Set(['', 'jabber:client', 'jabber:server'])

/** A stanza is small: at most a few elements, three levels deep. */
const XMPP_LIMITS: DecodeLimits = { ...DEFAULT_LIMITS, maxDepth: 8, maxElements: 64 }

/**
 * Parse an XMPP Connection Request stanza (CPE side).
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_MALFORMED` (not well-formed, DOCTYPE, not an `iq` with
 * exactly one `connectionRequest` holding `username` then `password`) or
 * `ERR_CWMP_AUTH_LIMIT_EXCEEDED`
 *
 * @category Connection requests
 */
export function parseXmppConnectionRequest(xml: string, options: XmppParseOptions = {}): XmppConnectionRequest {
  if (typeof xml !== 'string') throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'the stanza must be a string')
  const max = options.maxLength ?? 8192
  if (xml.length > max) throw new AuthError('ERR_CWMP_AUTH_LIMIT_EXCEEDED', `stanza longer than ${max}`)

  let iq: XmlElement
  try {
    iq = readXml(xml, XMPP_LIMITS)
  } catch (err) {
    if (err instanceof DecodeError && err.code === 'ERR_CWMP_DOCTYPE') throw malformed('DOCTYPE is not allowed', err)
    throw malformed(`not well-formed: ${err instanceof Error ? err.message : String(err)}`, err)
  }
  if (iq.local !== 'iq' || !IQ_NAMESPACES.has(iq.ns)) throw malformed('the root element is not iq')
  if (iq.text.trim() !== '') throw malformed('unexpected text')
  if (iq.children.length === 0) throw malformed('no connectionRequest element')
  if (iq.children.length > 1) throw malformed('more than one connectionRequest')
  const payload = iq.children[0] as XmlElement
  if (payload.ns !== XMPP_CONNREQ_NAMESPACE || payload.local !== 'connectionRequest') {
    throw malformed(`unexpected element ${payload.local} in iq`)
  }
  if (payload.text.trim() !== '') throw malformed('unexpected text')
  const values: { username?: string; password?: string } = {}
  const order: string[] = []
  for (const el of payload.children) {
    if (el.ns !== XMPP_CONNREQ_NAMESPACE || (el.local !== 'username' && el.local !== 'password')) {
      throw malformed(`unexpected element ${el.local} in connectionRequest`)
    }
    if (values[el.local] !== undefined) throw malformed(`repeated ${el.local}`)
    if (el.children.length !== 0) throw malformed(`unexpected element ${(el.children[0] as XmlElement).local} in ${el.local}`)
    values[el.local] = el.text
    order.push(el.local)
  }
  if (values.username === undefined || values.password === undefined || order[0] !== 'username') {
    throw malformed('connectionRequest must hold username then password')
  }
  const attr = (name: string): string | undefined => iq.attrs?.find((a) => a.ns === '' && a.local === name)?.value
  const type = attr('type')
  if (type === undefined) throw malformed('iq without type')
  const id = attr('id')
  const from = attr('from')
  const to = attr('to')
  return {
    type,
    username: values.username,
    password: values.password,
    ...(id === undefined ? {} : { id }),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  }
}

/** A JID split into its parts (RFC 7622: `[localpart "@"] domainpart ["/" resourcepart]`). */
interface JidParts {
  readonly local: string
  readonly domain: string
  readonly resource: string | undefined
}

function splitJid(jid: string): JidParts | undefined {
  const slash = jid.indexOf('/')
  const bare = slash < 0 ? jid : jid.slice(0, slash)
  const resource = slash < 0 ? undefined : jid.slice(slash + 1)
  const at = bare.indexOf('@')
  const local = at < 0 ? '' : bare.slice(0, at)
  const domain = at < 0 ? bare : bare.slice(at + 1)
  if (domain === '' || domain.includes('@') || resource === '') return undefined
  return { local, domain, resource }
}

/**
 * Is `from` allowed by `ManagementServer.ConnReqAllowedJabberIDs`? An empty list allows every
 * JID; an entry with a resource (full JID) must match exactly; an entry without (bare JID) matches
 * any resource. Local and domain parts compare ASCII-case-insensitively (XMPP address
 * preparation folds case there); the resource compares exactly.
 *
 * @category Connection requests
 */
export function isJabberIdAllowed(from: string | undefined, allowed: readonly string[]): boolean {
  const list = allowed.map((a) => a.trim()).filter((a) => a !== '')
  if (list.length === 0) return true
  if (from === undefined) return false
  const f = splitJid(from)
  if (f === undefined) return false
  return list.some((entry) => {
    const e = splitJid(entry)
    if (e === undefined) return false
    if (e.local.toLowerCase() !== f.local.toLowerCase() || e.domain.toLowerCase() !== f.domain.toLowerCase()) return false
    return e.resource === undefined || e.resource === f.resource
  })
}

/**
 * Options of {@link verifyXmppConnectionRequest}.
 *
 * @category Connection requests
 */
export interface XmppVerifyOptions {
  /** ConnectionRequestUsername. */
  readonly username: string
  /** ConnectionRequestPassword. */
  readonly password: string
  /** `ManagementServer.ConnReqAllowedJabberIDs` as a list (empty: everyone). */
  readonly allowedJabberIds: readonly string[]
}

/**
 * Result of {@link verifyXmppConnectionRequest}.
 *
 * @category Connection requests
 */
export type XmppVerifyResult =
  | {
      /** Verified. */
      readonly ok: true
    }
  | {
      /** Refused. */
      readonly ok: false
      /** Why. */
      readonly reason: 'not-set' | 'jid-not-allowed' | 'bad-credentials'
      /** The error condition to reply with. */
      readonly condition: XmppErrorCondition
    }

/**
 * Check a parsed request: type `set`, an allowed sender, and the credentials (compared in
 * constant time). A sender outside the allowed list gets `service-unavailable`, which reveals
 * nothing about the service (our choice: the allowed-list reply is not named in what we could read).
 *
 * @category Connection requests
 */
export function verifyXmppConnectionRequest(request: XmppConnectionRequest, options: XmppVerifyOptions): XmppVerifyResult {
  if (request.type !== 'set') return { ok: false, reason: 'not-set', condition: 'bad-request' }
  if (!isJabberIdAllowed(request.from, options.allowedJabberIds)) {
    return { ok: false, reason: 'jid-not-allowed', condition: 'service-unavailable' }
  }
  const userOk = constantTimeEqualString(request.username, options.username)
  const passOk = constantTimeEqualString(request.password, options.password)
  if (!(userOk && passOk)) return { ok: false, reason: 'bad-credentials', condition: 'not-authorized' }
  return { ok: true }
}

/**
 * Addressing of a reply: `to` is the request's `from`, and the `id` is echoed.
 *
 * @category Connection requests
 */
export interface XmppReplyInit {
  /** The request's `id`. */
  readonly id?: string
  /** Our JID (the request's `to`). */
  readonly from?: string
  /** The requester (the request's `from`). */
  readonly to?: string
}

/**
 * Stanza error conditions used by XMPP Connection Requests.
 *
 * @category Connection requests
 */
export type XmppErrorCondition = 'service-unavailable' | 'not-authorized' | 'bad-request'

// RFC 6120 §8.3.3: the error type that goes with each condition.
const ERROR_TYPE: { readonly [C in XmppErrorCondition]: string } = {
  'service-unavailable': 'cancel',
  'not-authorized': 'auth',
  'bad-request': 'modify',
}

/**
 * Build the `iq` `result` reply.
 *
 * @category Connection requests
 */
export function buildXmppConnectionRequestResult(init: XmppReplyInit): string {
  return `<iq${attrs([
    ['from', init.from],
    ['to', init.to],
    ['id', init.id],
    ['type', 'result'],
  ])}/>`
}

/**
 * Build an `iq` `error` reply with a stanza error condition (RFC 6120 §8.3). The original payload
 * is not echoed: it holds the password.
 *
 * @category Connection requests
 */
export function buildXmppConnectionRequestError(init: XmppReplyInit & { readonly condition: XmppErrorCondition }): string {
  return (
    `<iq${attrs([
      ['from', init.from],
      ['to', init.to],
      ['id', init.id],
      ['type', 'error'],
    ])}>` +
    `<error type="${ERROR_TYPE[init.condition]}"><${init.condition} xmlns="${XMPP_STANZAS_NAMESPACE}"/></error></iq>`
  )
}

/**
 * Options of {@link handleXmppConnectionRequest}.
 *
 * @category Connection requests
 */
export interface XmppHandleOptions extends XmppVerifyOptions, XmppParseOptions {
  /** The shared acceptance rules (see {@link createConnectionRequestPolicy}). */
  readonly policy: ConnectionRequestPolicy
  /** Time and session state. */
  readonly context: ConnectionRequestContext
}

/**
 * Result of {@link handleXmppConnectionRequest}.
 *
 * @category Connection requests
 */
export interface XmppHandleResult {
  /** The stanza to send back, or undefined when the input was not a parsable request. */
  readonly reply: string | undefined
  /** The acceptance decision, when the request was verified. */
  readonly acceptance?: ConnectionRequestAcceptance
  /** Why it failed, when it did. */
  readonly failure?: 'malformed' | 'not-set' | 'jid-not-allowed' | 'bad-credentials'
  /** Start a session with `6 CONNECTION REQUEST` now. */
  readonly startSession: boolean
  /** A session must follow the current one. */
  readonly sessionAfterCurrent: boolean
}

/**
 * Parse, verify and decide an XMPP Connection Request, and build the reply. Never throws for bad
 * input: an unparsable stanza gives `reply: undefined` and `failure: 'malformed'`.
 *
 * @category Connection requests
 */
export function handleXmppConnectionRequest(xml: string, options: XmppHandleOptions): XmppHandleResult {
  let request: XmppConnectionRequest
  try {
    request = parseXmppConnectionRequest(xml, options)
  } catch (err) {
    if (err instanceof AuthError) return { reply: undefined, failure: 'malformed', startSession: false, sessionAfterCurrent: false }
    throw err
  }
  const address: XmppReplyInit = {
    ...(request.id === undefined ? {} : { id: request.id }),
    ...(request.to === undefined ? {} : { from: request.to }),
    ...(request.from === undefined ? {} : { to: request.from }),
  }
  const verdict = verifyXmppConnectionRequest(request, options)
  if (!verdict.ok) {
    return {
      reply: buildXmppConnectionRequestError({ ...address, condition: verdict.condition }),
      failure: verdict.reason,
      startSession: false,
      sessionAfterCurrent: false,
    }
  }
  const decision = options.policy.accept(options.context)
  return {
    reply: decision.accepted
      ? buildXmppConnectionRequestResult(address)
      : buildXmppConnectionRequestError({ ...address, condition: 'service-unavailable' }),
    acceptance: decision.acceptance,
    startSession: decision.startSession,
    sessionAfterCurrent: decision.sessionAfterCurrent,
  }
}
