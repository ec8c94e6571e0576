/*
 * decodeEnvelope: SOAP 1.1 envelope → { version, header, body, warnings }.
 *
 * Theory of operation
 * ===================
 * 1. Bytes become text (xml/charset.ts), the text becomes a namespace-resolved element tree with
 *    every limit enforced (envelope/tree.ts, built from the events of the scanner, xml/scanner.ts;
 *    the streaming decoder feeds the same tree from xml/saxes-events.ts). In lenient
 *    mode the items of the method's SOAP arrays are decoded as each one closes and dropped from the
 *    tree (`eagerArrays`); the decoder keeps them, and their warnings, in `DecodeContext.early`
 *    until it reaches the array. The items of a ParameterList in the usual form, which need no
 *    warning, are read straight from the text and never become elements (raw-items.ts, D29). The
 *    tree is local to this call and dropped when it returns.
 * 2. The envelope is checked by namespace URI and local name, never by prefix: Thomson binds `soap`
 *    to the SOAP *encoding* namespace.
 * 3. The protocol version comes from the cwmp namespace of the body element (or of the fault detail,
 *    or of a header entry), then is raised by the header (Tables 6 and 9 of TR-069).
 * 4. The single body child is handed to its codec; the codec reports each leniency through the
 *    context, which records a warning or, in strict mode, throws.
 */
import { DecodeError } from '../errors.js'
import type { Envelope, EnvelopeHeader, UnknownHeaderEntry } from '../types/envelope.js'
import type { CwmpMessage, VendorMessage } from '../types/messages.js'
import { NS, compareVersions, versionOfNamespace, type CwmpVersion } from '../types/version.js'
import { DecodeContext, keepLexical, type DecodeWarning } from '../rpc/context.js'
import { codecFor, type CodecRegistry } from '../rpc/registry.js'
import { bool, str, unsignedInt } from '../rpc/scalars.js'
import { trimXml } from '../values/lexical.js'
import { checkAttrs, definedIn, type MethodCodec } from '../rpc/schema.js'
import type { Scalar } from '../rpc/scalars.js'
import { bytesToText } from '../xml/charset.js'
import { DEFAULT_LIMITS, type DecodeLimits } from '../xml/events.js'
import type { XmlElement } from '../xml/reader.js'
import { scanXmlEvents } from '../xml/scanner.js'
import { EnvelopeTree } from './tree.js'

/**
 * Options of {@link decodeEnvelope}.
 *
 * @category Codec
 */
export interface DecodeOptions {
  /**
   * Reject every deviation from the schemas that lenient mode would accept with a warning
   * (error code `ERR_CWMP_STRICT`, or `ERR_CWMP_MUST_UNDERSTAND` for a header not understood).
   * Default `false`.
   */
  readonly strict?: boolean
  /** Charset of byte input from the HTTP `Content-Type` header; it overrides the XML declaration. */
  readonly charset?: string
  /** Limits on untrusted input; unset ones take {@link DEFAULT_DECODE_LIMITS}. */
  readonly limits?: Partial<DecodeLimits>
  /** Codecs of vendor methods, from {@link createCodecRegistry}. */
  readonly codecs?: CodecRegistry
}

export type { DecodeLimits } from '../xml/events.js'

/**
 * The default {@link DecodeLimits}.
 *
 * @category Codec
 */
export const DEFAULT_DECODE_LIMITS: DecodeLimits = DEFAULT_LIMITS

/**
 * What {@link decodeEnvelope} returns: the envelope and the leniencies applied to read it.
 *
 * @category Codec
 */
export interface DecodedEnvelope<B = CwmpMessage | VendorMessage> extends Envelope<B> {
  /** Every leniency used, in document order; empty for schema-valid input. */
  readonly warnings: readonly DecodeWarning[]
}

const SOAP12_ENV = 'http://www.w3.org/2003/05/soap-envelope'
const XML_WS = /[^ \t\r\n]/

const idType = str('ID')
const versionListType = str('SupportedCWMPVersions')
const versionType = str('UseCWMPVersion')

/**
 * Decode a CWMP SOAP envelope.
 *
 * Lenient by default: real devices rarely send schema-valid XML, so every deviation that can be
 * read without guessing is accepted and reported in `warnings`. Bad input throws a
 * {@link DecodeError} with a stable code and, where known, the line, column and element path.
 * A received SOAP Fault is data: `body.method === 'Fault'`.
 *
 * @param xml - the HTTP body, as text or bytes (bytes honour a BOM, `options.charset` and the XML declaration)
 * @param options - strictness, charset, limits and vendor codecs
 * @throws {@link DecodeError}
 *
 * @example
 * ```ts
 * const { version, header, body, warnings } = decodeEnvelope(httpBody)
 * if (body.method === 'Inform') console.log(body.deviceId.serialNumber, header.id)
 * ```
 *
 * @category Codec
 */
export function decodeEnvelope(xml: string | Uint8Array, options: DecodeOptions = {}): DecodedEnvelope {
  const limits: DecodeLimits = options.limits === undefined ? DEFAULT_LIMITS : { ...DEFAULT_LIMITS, ...options.limits }
  const ctx = new DecodeContext(options.strict === true, '1.0')
  let text: string
  if (typeof xml === 'string') {
    text = xml
  } else {
    if (!(xml instanceof Uint8Array)) {
      throw new DecodeError('ERR_CWMP_NOT_ENVELOPE', 'input must be a string or a Uint8Array')
    }
    if (xml.length > limits.maxBytes) {
      throw new DecodeError('ERR_CWMP_LIMIT_EXCEEDED', `input of ${xml.length} bytes exceeds maxBytes ${limits.maxBytes}`)
    }
    const decoded = bytesToText(xml, options.charset)
    text = decoded.text
    if (decoded.fallback !== undefined) {
      ctx.warn('CHARSET_FALLBACK', `bytes are not valid ${decoded.fallback}; read as ISO-8859-1`)
    }
  }
  if (typeof text !== 'string') throw new DecodeError('ERR_CWMP_NOT_ENVELOPE', 'input must be a string or a Uint8Array')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  if (/^[ \t\r\n]+<\?xml[ \t\r\n]/.test(text)) {
    ctx.warn('LEADING_WHITESPACE', 'whitespace before the XML declaration removed')
    text = text.trimStart()
  }
  if (text.trim() === '') throw new DecodeError('ERR_CWMP_NOT_ENVELOPE', 'empty input is not a SOAP envelope')

  const tree = new EnvelopeTree(ctx, (el) => bodyCodec(el, options.codecs))
  try {
    scanXmlEvents(text, limits, tree)
  } catch (err) {
    throw withRequest(err, tree)
  }
  return decodeTree(tree.root as XmlElement, ctx, options.codecs)
}

/**
 * An error thrown while reading, by an array item decoded on the way or by the XML: say which
 * method and which request it was, once the method element has been seen.
 *
 * @internal
 */
export function withRequest(err: unknown, tree: EnvelopeTree): unknown {
  if (err instanceof DecodeError && tree.method !== undefined) nameRequest(err, tree.method.local, requestIdOf(tree.root))
  return err
}

/**
 * Say on `err` which method and request it is about, so that a CPE can answer it with a fault that
 * echoes the request's ID.
 *
 * @internal
 */
export function nameRequest(err: DecodeError, method: string, requestId: string | undefined): DecodeError {
  const e = err as { -readonly [K in 'requestId' | 'method']?: string }
  e.method = method
  if (requestId !== undefined) e.requestId = requestId
  return err
}

function requestIdOf(root: XmlElement | undefined): string | undefined {
  const header = root?.children.find((c) => c.ns === NS.soapEnv && c.local === 'Header')
  const id = header?.children.find((c) => c.local === 'ID' && versionOfNamespace(c.ns) !== undefined)
  return id?.text.trim()
}

/**
 * The codec of the Body's element: `soap-env:Fault`, or a method in a cwmp namespace (unqualified
 * too, with a warning). `cwmp:Fault` is the fault detail, not a method.
 */
export function bodyCodec(el: XmlElement, registry: CodecRegistry | undefined): MethodCodec | undefined {
  if (el.ns === NS.soapEnv) return el.local === 'Fault' ? codecFor('Fault', registry) : undefined
  if (el.local === 'Fault' || (el.ns !== '' && versionOfNamespace(el.ns) === undefined)) return undefined
  return codecFor(el.local, registry)
}

function notEnvelope(message: string, el?: XmlElement, path?: string): never {
  throw new DecodeError(
    'ERR_CWMP_NOT_ENVELOPE',
    message,
    el === undefined ? (path === undefined ? {} : { path }) : { line: el.line, column: el.column, ...(path === undefined ? {} : { path }) },
  )
}

/**
 * Envelope and Header take attributes of other namespaces only (`anyAttribute ##other` in the SOAP
 * 1.1 schema); Body takes any attribute, so it is not checked.
 */
function checkEnvelopeAttrs(el: XmlElement, ctx: DecodeContext): void {
  if (el.attrs === undefined) return
  for (const a of el.attrs) {
    if (a.ns === NS.soapEnv && a.local === 'encodingStyle') {
      ctx.warn('ENCODING_STYLE', `soap-env:encodingStyle on ${el.local}`, el)
    } else if (a.ns === '' || a.ns === NS.soapEnv) {
      ctx.warn('UNKNOWN_ELEMENT', `attribute ${a.ns === '' ? '' : 'soap-env:'}${a.local} on ${el.local} ignored`, el)
    }
  }
}

export function decodeTree(root: XmlElement, ctx: DecodeContext, registry: CodecRegistry | undefined): DecodedEnvelope {
  if (root.local !== 'Envelope' || root.ns !== NS.soapEnv) {
    if (root.local === 'Envelope' && root.ns === SOAP12_ENV) notEnvelope('SOAP 1.2 envelopes are not CWMP', root)
    notEnvelope(`root element {${root.ns}}${root.local} is not a SOAP 1.1 Envelope`, root)
  }
  ctx.path.push('Envelope')
  checkEnvelopeAttrs(root, ctx)
  let headerEl: XmlElement | undefined
  let bodyEl: XmlElement | undefined
  for (const c of root.children) {
    if (c.ns === NS.soapEnv && c.local === 'Header' && headerEl === undefined && bodyEl === undefined) headerEl = c
    else if (c.ns === NS.soapEnv && c.local === 'Body' && bodyEl === undefined) bodyEl = c
    else if (c.ns === NS.soapEnv) notEnvelope(`unexpected soap-env:${c.local} in Envelope`, c, 'Envelope')
    // Elements of other namespaces after the Body are allowed by SOAP 1.1 and ignored.
  }
  if (bodyEl === undefined) notEnvelope('Envelope has no Body', root, 'Envelope')
  const body = bodyEl as XmlElement
  if (root.text.length !== 0 && XML_WS.test(root.text)) ctx.warn('TEXT_IGNORED', 'text inside Envelope ignored', root)

  const methodEls = body.children
  if (methodEls.length !== 1) {
    notEnvelope(`Body must hold exactly one element, found ${methodEls.length}`, body, 'Envelope/Body')
  }
  const methodEl = methodEls[0] as XmlElement

  // The version: body element namespace, else the fault detail's, else the header entries'.
  const nsVersion = findVersion(methodEl, headerEl)
  ctx.version = nsVersion ?? '1.0'
  const versionNs = nsVersion === '1.3' || nsVersion === '1.4' ? '1.2' : nsVersion
  if (nsVersion === '1.3' || nsVersion === '1.4') {
    ctx.warn('NAMESPACE_NONSTANDARD', `urn:dslforum-org:cwmp-${nsVersion.replace('.', '-')} is not a standard namespace`)
  }
  if (versionNs !== undefined) ctx.version = versionNs

  let header: EnvelopeHeader = {}
  if (headerEl !== undefined) {
    ctx.path.push('Header')
    checkEnvelopeAttrs(headerEl, ctx)
    header = decodeHeader(headerEl, ctx)
    ctx.path.pop()
  }

  const version = envelopeVersion(nsVersion, header)

  ctx.path.push('Body')
  if (body.text.length !== 0 && XML_WS.test(body.text)) ctx.warn('TEXT_IGNORED', 'text inside Body ignored', body)

  const codec = bodyCodec(methodEl, registry)
  if (codec !== undefined && methodEl.ns === '') {
    ctx.warn('QUALIFIED_CHILD', `method element <${methodEl.local}> is not in a cwmp namespace`, methodEl)
  }
  ctx.path.push(methodEl.local)
  try {
    if (codec === undefined) {
      throw new DecodeError('ERR_CWMP_METHOD_UNKNOWN', `unknown method {${methodEl.ns}}${methodEl.local}`, {
        line: methodEl.line,
        column: methodEl.column,
        path: ctx.pathString(),
      })
    }
    if (!definedIn(codec, ctx.version)) {
      ctx.warn('METHOD_VERSION', `${codec.method} is not defined in CWMP ${ctx.version} (since ${codec.since})`, methodEl)
    }
    // The method element (and soap-env:Fault) takes no attributes at all.
    if (methodEl.attrs !== undefined) checkAttrs(methodEl, 'none', ctx)
    const message = codec.decode(methodEl, ctx) as CwmpMessage | VendorMessage
    return { version, header, body: message, warnings: ctx.warnings }
  } catch (err) {
    // Let the caller answer with a fault that echoes the request's ID.
    if (err instanceof DecodeError) nameRequest(err, methodEl.local, header.id)
    throw err
  }
}

/**
 * The envelope's version: its namespace's, raised by the header entries only later versions define.
 *
 * @internal
 */
export function envelopeVersion(nsVersion: CwmpVersion | undefined, header: EnvelopeHeader): CwmpVersion {
  let version: CwmpVersion = nsVersion ?? '1.0'
  if (version === '1.2' || version === '1.3') {
    if (header.supportedCwmpVersions !== undefined || header.useCwmpVersion !== undefined) version = '1.4'
    else if (header.sessionTimeout !== undefined) version = '1.3'
  }
  return version
}

function findVersion(methodEl: XmlElement, headerEl: XmlElement | undefined): CwmpVersion | undefined {
  const own = versionOfNamespace(methodEl.ns)
  if (own !== undefined) return own
  if (methodEl.ns === NS.soapEnv) {
    for (const c of methodEl.children) {
      if (c.local !== 'detail') continue
      for (const d of c.children) {
        const v = versionOfNamespace(d.ns)
        if (v !== undefined) return v
      }
    }
  }
  if (headerEl !== undefined) {
    for (const c of headerEl.children) {
      const v = versionOfNamespace(c.ns)
      if (v !== undefined) return v
    }
  }
  return undefined
}

/** Header entries carry SOAP attributes (mustUnderstand, actor, encodingStyle): only the text matters. */
function headerValue<T>(type: Scalar<T>, el: XmlElement, ctx: DecodeContext): T {
  if (el.children.length !== 0) ctx.invalid(`<${el.local}> must hold text, not elements`, el)
  return type.decode(el.text, el, ctx)
}

/**
 * A boolean or integer header entry (D26): read in another case (`True`) it is that value, its text
 * kept on the header; unreadable (`maybe`) it is ignored, as if absent, with a SCALAR_INVALID warning.
 */
function headerScalar<T>(type: Scalar<T>, el: XmlElement, ctx: DecodeContext, h: object, key: string): T | undefined {
  const value = headerValue(type, el, ctx)
  const lexical = ctx.lexical
  if (lexical === undefined) return value
  ctx.lexical = undefined
  if (lexical.code === 'SCALAR_INVALID') return undefined
  keepLexical(h, key, lexical)
  return value
}

function mustUnderstandOf(el: XmlElement, ctx: DecodeContext): string | undefined {
  if (el.attrs === undefined) return undefined
  for (const a of el.attrs) {
    if (a.local !== 'mustUnderstand') continue
    if (a.ns === NS.soapEnv) return a.value.trim()
    if (a.ns === '') {
      ctx.warn('HEADER_MUST_UNDERSTAND', `unqualified mustUnderstand on ${el.local}`, el)
      return a.value.trim()
    }
  }
  return undefined
}

const TRUE_MU = new Set(['1', 'true'])

/** @internal */
/** The CWMP header entries, by name and by their name in lower case. */
const HEADER_NAMES: ReadonlySet<string> = new Set(['ID', 'HoldRequests', 'SessionTimeout', 'SupportedCWMPVersions', 'UseCWMPVersion', 'NoMoreRequests'])
const HEADER_NAMES_BY_LOWER_CASE: ReadonlyMap<string, string> = new Map([...HEADER_NAMES].map((n) => [n.toLowerCase(), n]))

export function decodeHeader(headerEl: XmlElement, ctx: DecodeContext): EnvelopeHeader {
  const h: { -readonly [K in keyof EnvelopeHeader]: EnvelopeHeader[K] } = {}
  let notUnderstood: UnknownHeaderEntry[] | undefined
  for (const el of headerEl.children) {
    const mu = mustUnderstandOf(el, ctx)
    const cwmp = versionOfNamespace(el.ns) !== undefined
    ctx.path.push(el.local)
    let local = el.local
    if (cwmp && !HEADER_NAMES.has(local)) {
      // Some ACSes and CPEs write CWMP header names in another case (`sessionTimeout`): read as the entry.
      const named = HEADER_NAMES_BY_LOWER_CASE.get(local.toLowerCase())
      if (named !== undefined) {
        ctx.warn('HEADER_NAME_CASE', `${el.local} is read as the CWMP header entry ${named}`, el)
        local = named
      }
    }
    const requireMu = (expected: '0' | '1', required: boolean): void => {
      // SOAP 1.1 §4.2.3 and its schema allow only "0" and "1" (not "true"/"false").
      if (mu === undefined ? required : mu !== expected) {
        ctx.warn(
          'HEADER_MUST_UNDERSTAND',
          mu === undefined ? `${el.local} needs mustUnderstand="${expected}"` : `${el.local} has mustUnderstand="${mu}", not "${expected}"`,
          el,
        )
      }
    }
    const once = (key: keyof EnvelopeHeader): boolean => {
      if (h[key] === undefined) return true
      ctx.warn('DUPLICATE_ELEMENT', `${el.local} occurs more than once; the first is used`, el)
      return false
    }
    const since = (v: CwmpVersion): void => {
      if (compareVersions(ctx.version, v) < 0) {
        ctx.warn('METHOD_VERSION', `${el.local} is not defined in CWMP ${ctx.version} (since ${v})`, el)
      }
    }
    if (cwmp && local === 'ID') {
      requireMu('1', true)
      if (once('id')) h.id = headerValue(idType, el, ctx)
    } else if (cwmp && local === 'HoldRequests') {
      requireMu('1', true)
      if (once('holdRequests')) {
        const v = headerScalar(bool, el, ctx, h, 'holdRequests')
        if (v !== undefined) h.holdRequests = v
      }
    } else if (cwmp && local === 'SessionTimeout') {
      requireMu('0', false)
      since('1.2')
      if (once('sessionTimeout')) {
        const v = headerScalar(unsignedInt, el, ctx, h, 'sessionTimeout')
        if (v !== undefined) h.sessionTimeout = v
      }
    } else if (cwmp && local === 'SupportedCWMPVersions') {
      requireMu('0', false)
      since('1.2')
      if (once('supportedCwmpVersions')) {
        h.supportedCwmpVersions = headerValue(versionListType, el, ctx)
          .split(',')
          .map(trimXml)
          .filter((v) => v !== '')
      }
    } else if (cwmp && local === 'UseCWMPVersion') {
      requireMu('1', true)
      since('1.2')
      if (once('useCwmpVersion')) h.useCwmpVersion = trimXml(headerValue(versionType, el, ctx))
    } else if (cwmp && local === 'NoMoreRequests') {
      ctx.warn('HEADER_DEPRECATED', 'NoMoreRequests is deprecated (TR-069 Issue 1)', el)
      if (once('noMoreRequests')) {
        const v = headerScalar(bool, el, ctx, h, 'noMoreRequests')
        if (v !== undefined) h.noMoreRequests = v
      }
    } else if (mu !== undefined && TRUE_MU.has(mu)) {
      if (ctx.strict) {
        throw new DecodeError('ERR_CWMP_MUST_UNDERSTAND', `header {${el.ns}}${el.local} must be understood`, {
          line: el.line,
          column: el.column,
          path: ctx.pathString(),
        })
      }
      ctx.warn('HEADER_NOT_UNDERSTOOD', `header {${el.ns}}${el.local} has mustUnderstand="1" and is not understood`, el)
      ;(notUnderstood ??= []).push({ namespace: el.ns, name: el.local })
    }
    // Other unknown header entries may be ignored (SOAP 1.1 §4.2.3).
    ctx.path.pop()
  }
  if (notUnderstood !== undefined) h.notUnderstood = notUnderstood
  return h
}
