/**
 * HTTP Digest access authentication (RFC 7616, compatible with RFC 2617 and RFC 2069): the
 * algorithm table, the response computation, and parsing and formatting of the Digest challenge
 * and credentials. The client ({@link createDigestClient}) and server ({@link createDigestServer})
 * are built on these pure functions.
 *
 * ```text
 * A1       = username ":" realm ":" password                      (algorithm without -sess)
 * A1       = H(username ":" realm ":" password) ":" nonce ":" cnonce   (…-sess)
 * A2       = method ":" uri                                        (qop auth or absent)
 * A2       = method ":" uri ":" H(entity-body)                     (qop auth-int)
 * response = H(H(A1) ":" nonce ":" nc ":" cnonce ":" qop ":" H(A2))   (qop present)
 * response = H(H(A1) ":" nonce ":" H(A2))                          (RFC 2069, no qop)
 * userhash = H(username ":" realm)                                 (RFC 7616 §3.4.4)
 * ```
 *
 * All text is hashed as UTF-8 (RFC 7616 `charset=UTF-8`).
 *
 * @module
 */

import { AuthError } from '../errors.js'
import { type HashInput, type HashName, hashHex } from './hash.js'
import {
  type AuthChallenge,
  type AuthHeaderParseOptions,
  parseAuthorization,
  parseWwwAuthenticate,
  quoteHeaderValue,
} from './header.js'

/**
 * The Digest algorithms this library implements (RFC 7616 §3.2 and §6.1), weakest first.
 *
 * @category Authentication
 */
export const DIGEST_ALGORITHMS = [
  'MD5',
  'MD5-sess',
  'SHA-256',
  'SHA-256-sess',
  'SHA-512-256',
  'SHA-512-256-sess',
] as const

/**
 * One of {@link DIGEST_ALGORITHMS}.
 *
 * @category Authentication
 */
export type DigestAlgorithm = (typeof DIGEST_ALGORITHMS)[number]

/**
 * The quality-of-protection values of RFC 7616 §3.3.
 *
 * @category Authentication
 */
export const DIGEST_QOPS = ['auth', 'auth-int'] as const

/**
 * One of {@link DIGEST_QOPS}.
 *
 * @category Authentication
 */
export type DigestQop = (typeof DIGEST_QOPS)[number]

const ALGORITHM_INFO: { readonly [A in DigestAlgorithm]: { readonly hash: HashName; readonly sess: boolean; readonly strength: number } } = {
  MD5: { hash: 'md5', sess: false, strength: 1 },
  'MD5-sess': { hash: 'md5', sess: true, strength: 1 },
  'SHA-256': { hash: 'sha256', sess: false, strength: 2 },
  'SHA-256-sess': { hash: 'sha256', sess: true, strength: 2 },
  'SHA-512-256': { hash: 'sha512-256', sess: false, strength: 3 },
  'SHA-512-256-sess': { hash: 'sha512-256', sess: true, strength: 3 },
}

const ALGORITHM_BY_LOWER = new Map<string, DigestAlgorithm>(DIGEST_ALGORITHMS.map((a) => [a.toLowerCase(), a]))

/**
 * The canonical spelling of an algorithm token (case-insensitive), or undefined when unknown.
 *
 * @param token - the `algorithm` parameter as received
 *
 * @category Authentication
 */
export function toDigestAlgorithm(token: string): DigestAlgorithm | undefined {
  return ALGORITHM_BY_LOWER.get(token.toLowerCase())
}

/**
 * Relative strength of an algorithm's hash: MD5 1, SHA-256 2, SHA-512-256 3.
 *
 * @category Authentication
 */
export function digestAlgorithmStrength(algorithm: DigestAlgorithm): number {
  return ALGORITHM_INFO[algorithm].strength
}

function hashOf(algorithm: DigestAlgorithm): HashName {
  return ALGORITHM_INFO[algorithm].hash
}

/**
 * H(username ":" realm ":" password), the value an htdigest file stores (for the algorithm's
 * hash; the -sess variants store the same value as their base algorithm).
 *
 * @category Authentication
 */
export function computeDigestHa1(algorithm: DigestAlgorithm, username: string, realm: string, password: string): string {
  return hashHex(hashOf(algorithm), `${username}:${realm}:${password}`)
}

/**
 * The hashed username of RFC 7616 §3.4.4: H(username ":" realm).
 *
 * @category Authentication
 */
export function computeDigestUserhash(algorithm: DigestAlgorithm, username: string, realm: string): string {
  return hashHex(hashOf(algorithm), `${username}:${realm}`)
}

/**
 * Everything the response computation needs. Give `password`, or `ha1` when only the hash is stored.
 *
 * @category Authentication
 */
export interface DigestResponseInput {
  /** Digest algorithm. */
  readonly algorithm: DigestAlgorithm
  /** The real user name (not the userhash). Needed with `password`. */
  readonly username: string
  /** The realm of the challenge. */
  readonly realm: string
  /** The password. */
  readonly password?: string
  /** H(username:realm:password) in lower-case hex, instead of `password`. */
  readonly ha1?: string
  /** The server nonce. */
  readonly nonce: string
  /** The HTTP method, e.g. `GET`. */
  readonly method: string
  /** The `uri` parameter (request-target). */
  readonly uri: string
  /** Quality of protection, or undefined for RFC 2069 (no qop). */
  readonly qop?: DigestQop
  /** The nonce count as sent: 8 hex digits. Required with qop. */
  readonly nc?: string
  /** The client nonce. Required with qop and with -sess algorithms. */
  readonly cnonce?: string
  /** The request body, hashed for qop `auth-int` (empty when absent). */
  readonly body?: HashInput
}

/**
 * Compute the Digest `response` value (lower-case hex).
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_INVALID_ARGUMENT` when neither password nor ha1 is
 * given, or when qop/-sess is used without nc/cnonce
 *
 * @example
 * ```ts
 * // RFC 2617 §3.5
 * computeDigestResponse({
 *   algorithm: 'MD5', username: 'Mufasa', realm: 'testrealm@host.com', password: 'Circle Of Life',
 *   nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093', method: 'GET', uri: '/dir/index.html',
 *   qop: 'auth', nc: '00000001', cnonce: '0a4f113b',
 * }) // → '6629fae49393a05397450978507c4ef1'
 * ```
 *
 * @category Authentication
 */
export function computeDigestResponse(input: DigestResponseInput): string {
  const h = hashOf(input.algorithm)
  let ha1: string
  if (input.ha1 !== undefined) ha1 = input.ha1.toLowerCase()
  else if (input.password !== undefined) ha1 = hashHex(h, `${input.username}:${input.realm}:${input.password}`)
  else throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'a password or an ha1 is required')
  if (ALGORITHM_INFO[input.algorithm].sess) {
    if (input.cnonce === undefined) {
      throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', `${input.algorithm} needs a cnonce`)
    }
    ha1 = hashHex(h, `${ha1}:${input.nonce}:${input.cnonce}`)
  }
  let a2 = `${input.method}:${input.uri}`
  if (input.qop === 'auth-int') a2 += `:${hashHex(h, input.body ?? '')}`
  const ha2 = hashHex(h, a2)
  if (input.qop === undefined) return hashHex(h, `${ha1}:${input.nonce}:${ha2}`)
  if (input.nc === undefined || input.cnonce === undefined) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'qop needs nc and cnonce')
  }
  return hashHex(h, `${ha1}:${input.nonce}:${input.nc}:${input.cnonce}:${input.qop}:${ha2}`)
}

/**
 * Format a nonce count as the 8 lower-case hex digits of RFC 7616 §3.4.
 *
 * @category Authentication
 */
export function formatNonceCount(nc: number): string {
  if (!Number.isInteger(nc) || nc < 1 || nc > 0xffffffff) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'nonce count must be an integer from 1 to 0xffffffff')
  }
  return nc.toString(16).padStart(8, '0')
}

// ---------------------------------------------------------------------------------------------
// Challenges

/**
 * A Digest challenge from `WWW-Authenticate`, interpreted.
 *
 * @category Authentication
 */
export interface DigestChallenge {
  /** The realm. */
  readonly realm: string
  /** The server nonce. */
  readonly nonce: string
  /** The opaque value to echo back, if any. */
  readonly opaque?: string
  /** The algorithm (MD5 when the parameter is absent, RFC 7616 §3.3). */
  readonly algorithm: DigestAlgorithm
  /** The qop values offered that this library implements; empty means RFC 2069 (no qop). */
  readonly qop: readonly DigestQop[]
  /** `stale=true`: the previous request was refused only because its nonce had expired. */
  readonly stale: boolean
  /** `userhash=true`: the server accepts (RFC 7616: prefers) the hashed username. */
  readonly userhash: boolean
  /** The `charset` parameter (only `UTF-8` is defined), if present. */
  readonly charset?: string
  /** The `domain` parameter, if present (space-separated URIs). */
  readonly domain?: string
}

function malformed(message: string): AuthError {
  return new AuthError('ERR_CWMP_AUTH_MALFORMED', message)
}

function isDigestScheme(ch: AuthChallenge): boolean {
  return ch.scheme.toLowerCase() === 'digest'
}

/**
 * Interpret one parsed challenge as a Digest challenge.
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_MALFORMED` (not Digest, realm or nonce missing) or
 * `ERR_CWMP_AUTH_UNSUPPORTED` (unknown algorithm, or a qop list with no value we implement)
 *
 * @category Authentication
 */
export function toDigestChallenge(challenge: AuthChallenge): DigestChallenge {
  if (!isDigestScheme(challenge)) throw malformed(`not a Digest challenge: ${challenge.scheme}`)
  if (challenge.token68 !== undefined) throw malformed('Digest challenge must use parameters')
  const p = challenge.params
  const realm = p['realm']
  const nonce = p['nonce']
  if (realm === undefined) throw malformed('Digest challenge without realm')
  if (nonce === undefined || nonce === '') throw malformed('Digest challenge without nonce')
  const algToken = p['algorithm']
  const algorithm = algToken === undefined ? 'MD5' : toDigestAlgorithm(algToken)
  if (algorithm === undefined) {
    throw new AuthError('ERR_CWMP_AUTH_UNSUPPORTED', `unsupported Digest algorithm ${algToken ?? ''}`)
  }
  let qop: DigestQop[] = []
  const qopParam = p['qop']
  if (qopParam !== undefined) {
    const offered = qopParam.split(',').map((q) => q.trim().toLowerCase())
    qop = DIGEST_QOPS.filter((q) => offered.includes(q))
    if (qop.length === 0) throw new AuthError('ERR_CWMP_AUTH_UNSUPPORTED', `unsupported qop ${qopParam}`)
  }
  const out: {
    -readonly [K in keyof DigestChallenge]: DigestChallenge[K]
  } = {
    realm,
    nonce,
    algorithm,
    qop,
    stale: (p['stale'] ?? '').toLowerCase() === 'true',
    userhash: (p['userhash'] ?? '').toLowerCase() === 'true',
  }
  if (p['opaque'] !== undefined) out.opaque = p['opaque']
  if (p['charset'] !== undefined) out.charset = p['charset']
  if (p['domain'] !== undefined) out.domain = p['domain']
  return out
}

/**
 * Options for choosing among the challenges of a `WWW-Authenticate` header.
 *
 * @category Authentication
 */
export interface DigestChallengeSelectOptions extends AuthHeaderParseOptions {
  /** Algorithms the client is willing to use. Default: all of {@link DIGEST_ALGORITHMS}. */
  readonly algorithms?: readonly DigestAlgorithm[]
}

/**
 * All usable Digest challenges of a `WWW-Authenticate` header, strongest hash first (the order of
 * the header breaks ties). Challenges with an unknown algorithm or qop are skipped.
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_MALFORMED` / `…_LIMIT_EXCEEDED` for a bad header
 *
 * @category Authentication
 */
export function parseDigestChallenges(
  header: string | readonly string[],
  options: DigestChallengeSelectOptions = {},
): DigestChallenge[] {
  const allowed = options.algorithms ?? DIGEST_ALGORITHMS
  const found: DigestChallenge[] = []
  for (const ch of parseWwwAuthenticate(header, options)) {
    if (!isDigestScheme(ch)) continue
    let d: DigestChallenge
    try {
      d = toDigestChallenge(ch)
    } catch (err) {
      if (err instanceof AuthError && err.code === 'ERR_CWMP_AUTH_UNSUPPORTED') continue
      throw err
    }
    if (allowed.includes(d.algorithm)) found.push(d)
  }
  // Array.prototype.sort is stable: equal strengths keep the server's order of preference.
  return found.sort((a, b) => digestAlgorithmStrength(b.algorithm) - digestAlgorithmStrength(a.algorithm))
}

/**
 * The strongest usable Digest challenge of a `WWW-Authenticate` header.
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_UNSUPPORTED` when the header offers no Digest challenge
 * this library (and `options.algorithms`) can answer; `ERR_CWMP_AUTH_MALFORMED` for a bad header
 *
 * @category Authentication
 */
export function selectDigestChallenge(
  header: string | readonly string[],
  options: DigestChallengeSelectOptions = {},
): DigestChallenge {
  const [best] = parseDigestChallenges(header, options)
  if (best === undefined) throw new AuthError('ERR_CWMP_AUTH_UNSUPPORTED', 'no usable Digest challenge offered')
  return best
}

/**
 * What {@link formatDigestChallenge} needs.
 *
 * @category Authentication
 */
export interface DigestChallengeInit {
  /** The realm. */
  readonly realm: string
  /** The nonce. */
  readonly nonce: string
  /** The algorithm; it is always written out, even for MD5. */
  readonly algorithm: DigestAlgorithm
  /** qop values to offer; empty for an RFC 2069 challenge. */
  readonly qop: readonly DigestQop[]
  /** Opaque value, if any. */
  readonly opaque?: string
  /** Add `stale=true`. */
  readonly stale?: boolean
  /** Add `userhash=true`. */
  readonly userhash?: boolean
  /** Add `charset=UTF-8`. */
  readonly charset?: boolean
}

/**
 * Format one Digest challenge (a `WWW-Authenticate` value).
 *
 * @category Authentication
 */
export function formatDigestChallenge(init: DigestChallengeInit): string {
  const parts = [`realm=${quoteHeaderValue(init.realm)}`]
  if (init.qop.length > 0) parts.push(`qop=${quoteHeaderValue(init.qop.join(','))}`)
  parts.push(`algorithm=${init.algorithm}`, `nonce=${quoteHeaderValue(init.nonce)}`)
  if (init.opaque !== undefined) parts.push(`opaque=${quoteHeaderValue(init.opaque)}`)
  if (init.charset === true) parts.push('charset=UTF-8')
  if (init.userhash === true) parts.push('userhash=true')
  if (init.stale === true) parts.push('stale=true')
  return `Digest ${parts.join(', ')}`
}

// ---------------------------------------------------------------------------------------------
// Credentials

/**
 * Digest credentials from an `Authorization` header, interpreted.
 *
 * @category Authentication
 */
export interface DigestCredentials {
  /**
   * The user name as sent: the real name, or H(username:realm) when {@link userhash} is true.
   * From `username*` (RFC 8187 ext-value) it is already decoded.
   */
  readonly username: string
  /** Whether `username` is a userhash. */
  readonly userhash: boolean
  /** The realm. */
  readonly realm: string
  /** The nonce being answered. */
  readonly nonce: string
  /** The `uri` parameter. */
  readonly uri: string
  /** The response hash (as sent). */
  readonly response: string
  /** The algorithm (MD5 when absent). */
  readonly algorithm: DigestAlgorithm
  /** The qop, or undefined for an RFC 2069 response. */
  readonly qop?: DigestQop
  /** The nonce count exactly as sent (8 hex digits), with qop. */
  readonly nc?: string
  /** The client nonce, with qop or -sess. */
  readonly cnonce?: string
  /** The opaque value echoed back. */
  readonly opaque?: string
}

function decodeExtValue(value: string): string {
  // RFC 8187: charset "'" [ language ] "'" value-chars
  const m = /^([A-Za-z0-9!#$%&+\-^_`{}~]+)'([A-Za-z0-9-]*)'(.*)$/s.exec(value)
  if (m === null) throw malformed('username* is not an RFC 8187 ext-value')
  const charset = (m[1] ?? '').toLowerCase()
  const encoded = m[3] ?? ''
  if (!/^(?:[A-Za-z0-9!#$&+\-.^_`|~]|%[0-9A-Fa-f]{2})*$/.test(encoded)) throw malformed('bad characters in username*')
  const bytes: number[] = []
  for (let i = 0; i < encoded.length; i++) {
    const ch = encoded[i] as string
    if (ch === '%') {
      bytes.push(Number.parseInt(encoded.slice(i + 1, i + 3), 16))
      i += 2
    } else bytes.push(ch.charCodeAt(0))
  }
  const u8 = Uint8Array.from(bytes)
  if (charset === 'utf-8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(u8)
    } catch {
      throw malformed('username* is not valid UTF-8')
    }
  }
  if (charset === 'iso-8859-1') {
    let s = ''
    for (const b of u8) s += String.fromCharCode(b) // not fromCharCode(...u8): any header length
    return s
  }
  throw new AuthError('ERR_CWMP_AUTH_UNSUPPORTED', `unsupported username* charset ${charset}`)
}

function encodeExtValue(value: string): string {
  let out = "UTF-8''"
  for (const byte of new TextEncoder().encode(value)) {
    const ch = String.fromCharCode(byte)
    out += byte < 0x80 && /[A-Za-z0-9!#$&+\-.^_`|~]/.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

/**
 * Interpret parsed credentials as Digest credentials.
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_MALFORMED` (missing fields, bad nc, both `username` and
 * `username*`) or `ERR_CWMP_AUTH_UNSUPPORTED` (unknown algorithm or qop)
 *
 * @category Authentication
 */
export function toDigestCredentials(credentials: AuthChallenge): DigestCredentials {
  if (!isDigestScheme(credentials)) throw malformed(`not Digest credentials: ${credentials.scheme}`)
  if (credentials.token68 !== undefined) throw malformed('Digest credentials must use parameters')
  const p = credentials.params
  const userhash = (p['userhash'] ?? '').toLowerCase() === 'true'
  let username: string
  const plain = p['username']
  const star = p['username*']
  if (plain !== undefined && star !== undefined) throw malformed('both username and username* given')
  if (plain !== undefined) username = plain
  else if (star !== undefined) {
    if (userhash) throw malformed('username* cannot be used with userhash=true')
    username = decodeExtValue(star)
  } else throw malformed('Digest credentials without username')
  const realm = p['realm']
  const nonce = p['nonce']
  const uri = p['uri']
  const response = p['response']
  if (realm === undefined) throw malformed('Digest credentials without realm')
  if (nonce === undefined) throw malformed('Digest credentials without nonce')
  if (uri === undefined) throw malformed('Digest credentials without uri')
  if (response === undefined || response === '') throw malformed('Digest credentials without response')
  const algToken = p['algorithm']
  const algorithm = algToken === undefined ? 'MD5' : toDigestAlgorithm(algToken)
  if (algorithm === undefined) {
    throw new AuthError('ERR_CWMP_AUTH_UNSUPPORTED', `unsupported Digest algorithm ${algToken ?? ''}`)
  }
  const out: { -readonly [K in keyof DigestCredentials]: DigestCredentials[K] } = {
    username,
    userhash,
    realm,
    nonce,
    uri,
    response,
    algorithm,
  }
  const qopToken = p['qop']
  if (qopToken !== undefined) {
    const qop = DIGEST_QOPS.find((q) => q === qopToken.toLowerCase())
    if (qop === undefined) throw new AuthError('ERR_CWMP_AUTH_UNSUPPORTED', `unsupported qop ${qopToken}`)
    out.qop = qop
    const nc = p['nc']
    if (nc === undefined || !/^[0-9a-fA-F]{8}$/.test(nc)) throw malformed('qop given without a valid 8-digit nc')
    out.nc = nc
    const cnonce = p['cnonce']
    if (cnonce === undefined || cnonce === '') throw malformed('qop given without cnonce')
    out.cnonce = cnonce
  } else if (p['cnonce'] !== undefined) {
    out.cnonce = p['cnonce']
  }
  if (ALGORITHM_INFO[algorithm].sess && out.cnonce === undefined) throw malformed(`${algorithm} without cnonce`)
  if (p['opaque'] !== undefined) out.opaque = p['opaque']
  return out
}

/**
 * Parse an `Authorization: Digest …` header.
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_MALFORMED`, `…_UNSUPPORTED` or `…_LIMIT_EXCEEDED`
 *
 * @category Authentication
 */
export function parseDigestAuthorization(header: string, options: AuthHeaderParseOptions = {}): DigestCredentials {
  return toDigestCredentials(parseAuthorization(header, options))
}

/**
 * What {@link formatDigestAuthorization} writes.
 *
 * @category Authentication
 */
export interface DigestAuthorizationInit {
  /** The user name to write (the userhash when `userhash` is true). */
  readonly username: string
  /** Whether `username` is a userhash. */
  readonly userhash?: boolean
  /** The realm. */
  readonly realm: string
  /** The nonce. */
  readonly nonce: string
  /** The request-target. */
  readonly uri: string
  /** The algorithm. */
  readonly algorithm: DigestAlgorithm
  /** The computed response. */
  readonly response: string
  /** qop, nc and cnonce, or undefined for RFC 2069. */
  readonly qop?: DigestQop
  /** Nonce count, 8 hex digits. */
  readonly nc?: string
  /** Client nonce. */
  readonly cnonce?: string
  /** Opaque value to echo. */
  readonly opaque?: string
}

/**
 * Format an `Authorization: Digest …` value. A user name that is not printable ASCII is sent as
 * `username*` (RFC 7616 §3.4 with RFC 8187 encoding).
 *
 * @category Authentication
 */
export function formatDigestAuthorization(init: DigestAuthorizationInit): string {
  const parts: string[] = []
  if (init.userhash !== true && !/^[\x20-\x7e]*$/.test(init.username)) {
    parts.push(`username*=${encodeExtValue(init.username)}`)
  } else {
    parts.push(`username=${quoteHeaderValue(init.username)}`)
  }
  parts.push(
    `realm=${quoteHeaderValue(init.realm)}`,
    `nonce=${quoteHeaderValue(init.nonce)}`,
    `uri=${quoteHeaderValue(init.uri)}`,
    `algorithm=${init.algorithm}`,
    `response=${quoteHeaderValue(init.response)}`,
  )
  if (init.qop !== undefined) {
    if (init.nc === undefined || init.cnonce === undefined) {
      throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'qop needs nc and cnonce')
    }
    parts.push(`qop=${init.qop}`, `nc=${init.nc}`, `cnonce=${quoteHeaderValue(init.cnonce)}`)
  } else if (init.cnonce !== undefined) {
    parts.push(`cnonce=${quoteHeaderValue(init.cnonce)}`)
  }
  if (init.opaque !== undefined) parts.push(`opaque=${quoteHeaderValue(init.opaque)}`)
  if (init.userhash === true) parts.push('userhash=true')
  return `Digest ${parts.join(', ')}`
}
