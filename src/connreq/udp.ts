/**
 * UDP Connection Requests (TR-069 Annex G.2.2.3 and G.2.1.4; SESSION-RULES §7d).
 *
 * The message is one UDP datagram holding an HTTP/1.1 GET with no body, whose Request-URI is an
 * absolute `http` URI with an empty path and this form-urlencoded query:
 *
 * ```text
 * GET http://10.1.1.1:8080?ts=1120673700&id=1234&un=CPE57689&cn=XTGRWIPC6D3IPXS3&sig=3545F7B5820D76A3DF45A3A509DA8D8C38F13512 HTTP/1.1
 * Host: 10.1.1.1:8080
 *
 * sig = hex(HMAC-SHA1(key = ConnectionRequestPassword, text = ts ‖ id ‖ un ‖ cn))   (no separators)
 * ```
 *
 * The CPE accepts a message only when it is a valid GET, `ts` is strictly greater than the `ts` of
 * the last message that was received, validated *and* authenticated, `id` differs from that
 * message's `id`, `un` is its ConnectionRequestUsername and `sig` matches. Anything else is
 * silently ignored ({@link verifyUdpConnectionRequest} returns `action: 'ignore'`, never throws).
 *
 * Parsing is lenient where implementations differ (CWMP-NOTES §4.4): upper- or lower-case hex,
 * with or without `/` before `?`, `\n` or `\r\n` line ends, the origin form `/?…`, and a `ts` in
 * milliseconds (FreeACS) still compares correctly against earlier ones from the same sender.
 *
 * @module
 */

import { AuthError } from '../errors.js'
import { constantTimeEqual, hmacHex } from '../auth/hash.js'

/**
 * The fields of a UDP Connection Request.
 *
 * @category Connection requests
 */
export interface UdpConnectionRequestFields {
  /** `ts`: Unix time in seconds when the message was made. */
  readonly ts: number
  /** `id`: an unsigned integer, the same in retransmitted copies, new for each request. */
  readonly id: string
  /** `un`: the CPE's ConnectionRequestUsername. */
  readonly username: string
  /** `cn`: a random cnonce. */
  readonly cnonce: string
}

/**
 * What {@link buildUdpConnectionRequest} needs.
 *
 * @category Connection requests
 */
export interface UdpConnectionRequestInit extends UdpConnectionRequestFields {
  /** The CPE's UDPConnectionRequestAddress, `host:port` (or just `host` for port 80). */
  readonly address: string
  /** The CPE's ConnectionRequestPassword (the HMAC key). */
  readonly password: string
}

/**
 * A parsed UDP Connection Request.
 *
 * @category Connection requests
 */
export interface UdpConnectionRequest extends UdpConnectionRequestFields {
  /** The request method (must be GET to be valid). */
  readonly method: string
  /** The Request-URI as received. */
  readonly uri: string
  /** `ts` exactly as received (the signature covers this text). */
  readonly tsText: string
  /** `sig` as received. */
  readonly signature: string
  /** The `Host` header, if any. */
  readonly host?: string
}

/**
 * Options of {@link parseUdpConnectionRequest}.
 *
 * @category Connection requests
 */
export interface UdpParseOptions {
  /** Largest message accepted in bytes/characters. Default 2048 (a real one is about 200). */
  readonly maxBytes?: number
}

function formEncode(value: string): string {
  return encodeURIComponent(value).replace(/%20/g, '+')
}

function checkInit(init: UdpConnectionRequestInit): void {
  if (!Number.isSafeInteger(init.ts) || init.ts < 0) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'ts must be a non-negative integer')
  }
  if (!/^[0-9]+$/.test(init.id)) throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'id must be an unsigned integer')
  if (!/^[A-Za-z0-9.\-:[\]]+$/.test(init.address)) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'address must be host[:port]')
  }
}

/**
 * The UDP Connection Request signature: hex HMAC-SHA1 keyed by the password over
 * `ts ‖ id ‖ un ‖ cn` (G.2.2.3). Upper-case, as in the specification's example.
 *
 * @category Connection requests
 */
export function signUdpConnectionRequest(
  password: string,
  fields: { readonly ts: number | string; readonly id: string; readonly username: string; readonly cnonce: string },
): string {
  return hmacHex('sha1', password, `${fields.ts}${fields.id}${fields.username}${fields.cnonce}`).toUpperCase()
}

/**
 * Build the text of a UDP Connection Request datagram (send it as UTF-8 bytes, from the STUN
 * server's address and port, several times: G.2.2.3).
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_INVALID_ARGUMENT` for a bad ts, id or address
 *
 * @example
 * ```ts
 * buildUdpConnectionRequest({ address: '10.1.1.1:8080', ts: 1120673700, id: '1234',
 *   username: 'CPE57689', cnonce: 'XTGRWIPC6D3IPXS3', password: 'pw' })
 * // 'GET http://10.1.1.1:8080?ts=1120673700&id=1234&un=CPE57689&cn=XTGRWIPC6D3IPXS3&sig=… HTTP/1.1\r\nHost: 10.1.1.1:8080\r\n\r\n'
 * ```
 *
 * @category Connection requests
 */
export function buildUdpConnectionRequest(init: UdpConnectionRequestInit): string {
  checkInit(init)
  const sig = signUdpConnectionRequest(init.password, init)
  const query = [
    `ts=${init.ts}`,
    `id=${init.id}`,
    `un=${formEncode(init.username)}`,
    `cn=${formEncode(init.cnonce)}`,
    `sig=${sig}`,
  ].join('&')
  return `GET http://${init.address}?${query} HTTP/1.1\r\nHost: ${init.address}\r\n\r\n`
}

function malformed(message: string): AuthError {
  return new AuthError('ERR_CWMP_AUTH_MALFORMED', message)
}

function formDecode(value: string): string {
  const plus = value.replace(/\+/g, ' ')
  if (!/^(?:[^%]|%[0-9A-Fa-f]{2})*$/.test(plus)) throw malformed('bad percent-encoding in the query')
  try {
    return decodeURIComponent(plus)
  } catch {
    throw malformed('percent-encoding in the query is not UTF-8')
  }
}

/**
 * Parse a UDP Connection Request datagram (bytes or text). Checks its shape only: the method, the
 * replay rules and the signature are for {@link verifyUdpConnectionRequest}.
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_MALFORMED` (not an HTTP request line, missing or
 * repeated ts/id/un/cn/sig, non-numeric ts or id) or `ERR_CWMP_AUTH_LIMIT_EXCEEDED`
 *
 * @category Connection requests
 */
export function parseUdpConnectionRequest(
  message: string | Uint8Array,
  options: UdpParseOptions = {},
): UdpConnectionRequest {
  const max = options.maxBytes ?? 2048
  if (message.length > max) throw new AuthError('ERR_CWMP_AUTH_LIMIT_EXCEEDED', `message longer than ${max}`)
  let text: string
  if (typeof message === 'string') text = message
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(message)
    } catch {
      throw malformed('message is not UTF-8 text')
    }
  }
  const lines = text.split(/\r?\n/)
  const requestLine = lines[0] ?? ''
  const m = /^([A-Za-z]+) +(\S+) +HTTP\/(\d)\.(\d) *$/.exec(requestLine)
  if (m === null) throw malformed('not an HTTP request line')
  const method = m[1] ?? ''
  const uri = m[2] ?? ''
  if (m[3] !== '1' || m[4] !== '1') throw malformed('not HTTP/1.1')
  let host: string | undefined
  for (const line of lines.slice(1)) {
    if (line === '') break
    const colon = line.indexOf(':')
    const name = colon < 0 ? '' : line.slice(0, colon)
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) throw malformed('bad header line')
    if (name.toLowerCase() === 'host') {
      if (host !== undefined) throw malformed('repeated Host header')
      host = line.slice(colon + 1).trim()
    }
  }
  // http://authority[/]?query, or the origin form /?query.
  const u = /^(?:[Hh][Tt][Tt][Pp]:\/\/[^/?#\s]+)?\/?\?([^#\s]*)$/.exec(uri)
  if (u === null) throw malformed('the Request-URI is not http://host[:port][/]?query')
  const fields = new Map<string, string>()
  for (const pair of (u[1] ?? '').split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const name = formDecode(eq < 0 ? pair : pair.slice(0, eq))
    const value = formDecode(eq < 0 ? '' : pair.slice(eq + 1))
    if (['ts', 'id', 'un', 'cn', 'sig'].includes(name)) {
      if (fields.has(name)) throw malformed(`repeated query argument ${name}`)
      fields.set(name, value)
    }
  }
  const get = (name: string): string => {
    const v = fields.get(name)
    if (v === undefined) throw malformed(`missing query argument ${name}`)
    return v
  }
  const tsText = get('ts')
  const id = get('id')
  const username = get('un')
  const cnonce = get('cn')
  const signature = get('sig')
  if (!/^[0-9]{1,16}$/.test(tsText)) throw malformed('ts is not an unsigned integer')
  if (!/^[0-9]{1,40}$/.test(id)) throw malformed('id is not an unsigned integer')
  return {
    method,
    uri,
    ts: Number(tsText),
    tsText,
    id,
    username,
    cnonce,
    signature,
    ...(host === undefined ? {} : { host }),
  }
}

/**
 * The CPE's replay state: the last validated and authenticated message.
 *
 * @category Connection requests
 */
export interface UdpReplayState {
  /** Its `ts` (0 after a reboot when not persisted, G.2.1.4). */
  readonly lastTs: number
  /** Its `id` (canonical decimal), if any. */
  readonly lastId?: string
}

/**
 * The initial replay state (`ts` 0, no id).
 *
 * @category Connection requests
 */
export const INITIAL_UDP_REPLAY_STATE: UdpReplayState = { lastTs: 0 }

/**
 * Options of {@link verifyUdpConnectionRequest}.
 *
 * @category Connection requests
 */
export interface UdpVerifyOptions extends UdpParseOptions {
  /** ConnectionRequestUsername. */
  readonly username: string
  /** ConnectionRequestPassword. */
  readonly password: string
  /** The replay state (from the previous accepted message). */
  readonly state: UdpReplayState
  /** Optional time window (G.2.1.4: the CPE MAY add one): the current time in seconds… */
  readonly nowSeconds?: number
  /** …and the largest allowed |now − ts| in seconds. Both must be set to check. */
  readonly maxSkewSeconds?: number
}

/**
 * Why a UDP Connection Request is ignored.
 *
 * @category Connection requests
 */
export type UdpIgnoreReason =
  | 'malformed'
  | 'not-get'
  | 'old-timestamp'
  | 'repeated-id'
  | 'wrong-username'
  | 'bad-signature'
  | 'outside-time-window'
  /**
   * `ts` has a different number of digits than the last accepted one. The signed text joins ts and
   * id without a separator, so digits can be moved from `id` into `ts` without breaking the
   * signature: such a copy would pass the replay rules and then lock out the genuine messages.
   */
  | 'timestamp-shape'

/**
 * The result of {@link verifyUdpConnectionRequest}.
 *
 * @category Connection requests
 */
export type UdpVerifyResult =
  | {
      /** Valid and authenticated: handle like an HTTP Connection Request (rate limit, session rules). */
      readonly action: 'accept'
      /** The new replay state to keep. */
      readonly state: UdpReplayState
      /** The parsed message. */
      readonly request: UdpConnectionRequest
    }
  | {
      /** Invalid: drop it silently (UDP has no reply). */
      readonly action: 'ignore'
      /** Why (for logs). */
      readonly reason: UdpIgnoreReason
      /** The replay state, unchanged. */
      readonly state: UdpReplayState
      /** The parse error, for `malformed`. */
      readonly error?: AuthError
    }

function canonicalId(id: string): string {
  return BigInt(id).toString()
}

/**
 * Verify a UDP Connection Request (G.2.1.4). Pure: the replay state goes in and comes out; only a
 * validated and authenticated message changes it. Never throws for bad input.
 *
 * @example
 * ```ts
 * let state = INITIAL_UDP_REPLAY_STATE
 * socket.on('message', (bytes) => {
 *   const r = verifyUdpConnectionRequest(bytes, { username, password, state })
 *   state = r.state
 *   if (r.action === 'accept') handler.policy.accept({ now: Date.now(), inSession })
 * })
 * ```
 *
 * @category Connection requests
 */
export function verifyUdpConnectionRequest(message: string | Uint8Array, options: UdpVerifyOptions): UdpVerifyResult {
  const state = options.state
  let request: UdpConnectionRequest
  try {
    request = parseUdpConnectionRequest(message, options)
  } catch (err) {
    if (err instanceof AuthError) return { action: 'ignore', reason: 'malformed', state, error: err }
    throw err
  }
  const ignore = (reason: UdpIgnoreReason): UdpVerifyResult => ({ action: 'ignore', reason, state })
  if (request.method !== 'GET') return ignore('not-get')
  // Authenticate before the replay checks, so that forged messages cannot be told apart.
  const expected = signUdpConnectionRequest(options.password, {
    ts: request.tsText,
    id: request.id,
    username: request.username,
    cnonce: request.cnonce,
  })
  const given = request.signature.toUpperCase()
  const sigOk = /^[0-9A-F]{40}$/.test(given) && constantTimeEqual(Buffer.from(expected), Buffer.from(given))
  if (!sigOk) return ignore('bad-signature')
  if (request.username !== options.username) return ignore('wrong-username')
  if (!(request.ts > state.lastTs)) return ignore('old-timestamp')
  if (state.lastTs > 0 && String(request.ts).length !== String(state.lastTs).length) return ignore('timestamp-shape')
  const id = canonicalId(request.id)
  if (state.lastId !== undefined && id === state.lastId) return ignore('repeated-id')
  if (options.nowSeconds !== undefined && options.maxSkewSeconds !== undefined) {
    if (Math.abs(options.nowSeconds - request.ts) > options.maxSkewSeconds) return ignore('outside-time-window')
  }
  return { action: 'accept', state: { lastTs: request.ts, lastId: id }, request }
}
