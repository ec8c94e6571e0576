/**
 * HTTP Digest, server side: an ACS checking its CPEs, a CPE checking Connection Requests.
 *
 * **Stateless nonces.** A nonce is `base64url(issuedAt ‖ sequence ‖ salt ‖ mac)`: the issue time
 * in milliseconds (8 bytes, big-endian), a per-server counter (4 bytes), 4 random bytes, and the
 * first 16 bytes of HMAC-SHA-256(secret, label ‖ realm ‖ issuedAt ‖ sequence ‖ salt). Any process holding the secret can check
 * a nonce, whatever TCP connection or worker the answer arrives on: the FritzBox case of USER-NEEDS
 * item 2 (a CPE that opens a new connection after the 401) needs no shared state.
 *
 * **Replay.** The nonce count of each nonce must increase; a {@link DigestNonceStore} remembers the
 * highest seen (bounded in-memory LRU by default).
 *
 * **Expiry.** A correct response with a nonce older than `nonceLifetimeMs` gets a new challenge
 * with `stale=true` (RFC 7616 §3.3), so the client retries without asking for the password.
 *
 * Verification never throws on bad input: every failure is a {@link DigestVerifyResult} with a
 * reason and the challenge(s) to send back with the 401.
 *
 * @module
 */

import { AuthError, ConfigError } from '../errors.js'
import {
  DIGEST_ALGORITHMS,
  type DigestAlgorithm,
  type DigestCredentials,
  type DigestQop,
  computeDigestResponse,
  computeDigestUserhash,
  digestAlgorithmStrength,
  formatDigestChallenge,
  toDigestCredentials,
} from './digest.js'
import { type HashInput, constantTimeEqual, hmacBytes, randomBytes as defaultRandomBytes } from './hash.js'
import { type AuthHeaderParseOptions, parseAuthorization } from './header.js'
import { type DigestNonceStore, createMemoryNonceStore } from './nonce-store.js'

/**
 * What {@link DigestServerOptions.lookup} is asked.
 *
 * @category Authentication
 */
export interface DigestUserQuery {
  /** The user name as sent: the real name, or the userhash when {@link userhash} is true. */
  readonly username: string
  /** True when `username` is H(username:realm); the lookup must then find the user by hash. */
  readonly userhash: boolean
  /** The realm (always the server's). */
  readonly realm: string
  /** The algorithm of the response (the userhash uses its hash function). */
  readonly algorithm: DigestAlgorithm
}

/**
 * A user's secret: the password, or the stored H(username:realm:password) for the algorithm's hash
 * (the htdigest form, see {@link computeDigestHa1}). `username` is the real user name; it is
 * required when the query was by userhash.
 *
 * @category Authentication
 */
export type DigestUserSecret =
  | {
      /** The password. */
      readonly password: string
      /** The real user name (required when the query was by userhash). */
      readonly username?: string
    }
  | {
      /** H(username:realm:password), lower-case hex. */
      readonly ha1: string
      /** The real user name (required when the query was by userhash). */
      readonly username?: string
    }

/**
 * Options of {@link createDigestServer}.
 *
 * @category Authentication
 */
export interface DigestServerOptions extends AuthHeaderParseOptions {
  /** The realm (TR-069 leaves its value to the implementation). */
  readonly realm: string
  /** Key of the nonce HMAC: at least 16 bytes. Share it between processes that must accept each other's nonces. */
  readonly secret: string | Uint8Array
  /** Find a user's secret; undefined for an unknown user. */
  readonly lookup: (query: DigestUserQuery) => DigestUserSecret | undefined
  /** Algorithms offered, one challenge each, strongest first. Default `['MD5']` (TR-069 requires MD5). */
  readonly algorithms?: readonly DigestAlgorithm[]
  /** qop values offered. Default `['auth']` (TR-069 §3.4.5 requires `auth`). */
  readonly qop?: readonly DigestQop[]
  /** Accept responses without qop (RFC 2069); each nonce is then single-use. Default false. */
  readonly allowRfc2069?: boolean
  /** Nonce lifetime in ms. Default 300000 (5 minutes). */
  readonly nonceLifetimeMs?: number
  /** Clock, ms since the epoch. Default `Date.now`. Each call may also pass `now`. */
  readonly now?: () => number
  /** Randomness for nonce salts. Default: `node:crypto`. */
  readonly randomBytes?: (size: number) => Uint8Array
  /** Replay store; `null` disables replay checks. Default: {@link createMemoryNonceStore}. */
  readonly nonceStore?: DigestNonceStore | null
  /** Opaque value sent with each challenge and required back. */
  readonly opaque?: string
  /** Offer `userhash=true` (the lookup must then resolve hashed names). Default false. */
  readonly userhash?: boolean
  /** Add `charset=UTF-8` to the challenges. Default false. */
  readonly charset?: boolean
  /** Require the `uri` parameter to match the request-target. Default true. */
  readonly checkUri?: boolean
}

/**
 * The request to verify.
 *
 * @category Authentication
 */
export interface DigestVerifyRequest {
  /** HTTP method. */
  readonly method: string
  /** The request-target from the request line. */
  readonly uri: string
  /**
   * The `Host` header. Needed only to accept a `uri` parameter in absolute form
   * (`http://host/path`), whose authority must name this host (RFC 7616 §3.4.6); without it such a
   * `uri` is refused.
   */
  readonly host?: string
  /** The `Authorization` header, if any. */
  readonly authorization: string | readonly string[] | undefined
  /** The body, needed for qop `auth-int` (empty when absent). */
  readonly body?: HashInput
  /** The current time (ms), overriding the server clock for this call. */
  readonly now?: number
}

/**
 * Why a verification failed.
 *
 * @category Authentication
 */
export type DigestFailureReason =
  /** No `Authorization` header (or not a Digest one): the normal first request. */
  | 'missing'
  /** The header could not be parsed; `error` holds the {@link AuthError}. */
  | 'malformed'
  /** An algorithm, qop or scheme this server does not offer. */
  | 'unsupported'
  /** The realm differs from ours. */
  | 'realm-mismatch'
  /** The `uri` parameter does not match the request-target. */
  | 'uri-mismatch'
  /** The opaque value differs from ours. */
  | 'opaque-mismatch'
  /** The nonce was not issued by us (bad MAC, bad encoding or from the future). */
  | 'bad-nonce'
  /** No such user. */
  | 'unknown-user'
  /** Wrong response: wrong password, or a tampered request. */
  | 'bad-response'
  /** A correct response to an expired nonce: the challenge says `stale=true`. */
  | 'stale'
  /** The nonce count was already used for this nonce. */
  | 'replay'

/**
 * Result of {@link DigestServer.verify}.
 *
 * @category Authentication
 */
export type DigestVerifyResult =
  | {
      /** Authenticated. */
      readonly ok: true
      /** The authenticated (real) user name. */
      readonly username: string
      /** The algorithm used. */
      readonly algorithm: DigestAlgorithm
      /** The qop used (undefined for RFC 2069). */
      readonly qop: DigestQop | undefined
      /** The nonce count (1 for RFC 2069). */
      readonly nc: number
      /** The nonce answered. */
      readonly nonce: string
      /** When that nonce was issued (ms). */
      readonly nonceIssuedAt: number
      /** The nonce's issue order within its millisecond (see {@link DigestNonceUse.sequence}). */
      readonly nonceSequence: number
      /** When the nonce expires (ms): its issue time plus the nonce lifetime. */
      readonly nonceExpiresAt: number
    }
  | {
      /** Not authenticated: answer 401 with `challenge`. */
      readonly ok: false
      /** Why. */
      readonly reason: DigestFailureReason
      /**
       * The `WWW-Authenticate` values to send with the 401 (one per algorithm, strongest first). A
       * fresh mutable array, so it can be passed straight to Node's `res.writeHead`.
       */
      readonly challenge: string[]
      /** For `malformed` and `unsupported`: the error. */
      readonly error?: AuthError
      /** The user name claimed, when the header could be parsed. */
      readonly username?: string
    }

/**
 * A Digest server. Holds only the secret, the options and the replay store.
 *
 * @category Authentication
 */
export interface DigestServer {
  /** The realm. */
  readonly realm: string
  /**
   * The `WWW-Authenticate` values for a 401: one challenge per configured algorithm, strongest
   * first (send them as repeated headers, or joined with `, `).
   */
  challenge(options?: { readonly stale?: boolean; readonly now?: number }): string[]
  /** Verify a request's `Authorization` header, including the replay check. */
  verify(request: DigestVerifyRequest): DigestVerifyResult
  /**
   * Like {@link verify} but without the replay check: for callers who keep nonce counts in their
   * own (for example asynchronous, shared) store, such as a {@link DigestNonceCounter}. A successful
   * result carries `nonce`, `nc`, `nonceIssuedAt`, `nonceSequence` and `nonceExpiresAt` for that check.
   */
  check(request: DigestVerifyRequest): DigestVerifyResult
}

const NONCE_LABEL = 'cwmp-digest-nonce-v1'
const NONCE_BYTES = 32
const FUTURE_SKEW_MS = 60_000

function toBytes(secret: string | Uint8Array): Uint8Array {
  return typeof secret === 'string' ? new TextEncoder().encode(secret) : secret
}

function base64url(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url')
}

function fromBase64url(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return undefined
  const bytes = new Uint8Array(Buffer.from(text, 'base64url'))
  return bytes.length === NONCE_BYTES ? bytes : undefined
}

/**
 * RFC 7616 §3.4.6: the `uri` parameter must designate the resource of the request line. Equal text
 * is the common case; a client may also send the absolute form, which is the same resource only when
 * its authority is the request's `Host` and its path and query are the request-target.
 */
function sameRequestTarget(param: string, target: string, host: string | undefined): boolean {
  if (param === target) return true
  if (host === undefined || !/^https?:\/\//i.test(param)) return false
  try {
    const u = new URL(param)
    const requestHost = new URL(`${u.protocol}//${host}`).host
    return u.host === requestHost && u.username === '' && u.password === '' && `${u.pathname}${u.search}` === target
  } catch {
    return false
  }
}

/**
 * Create a Digest server.
 *
 * @throws {@link ConfigError} naming `options`, `realm`, `secret` or `lookup` when one is missing or
 * of the wrong type
 * @throws {@link AuthError} `ERR_CWMP_AUTH_INVALID_ARGUMENT` for a short secret, an empty list of
 * algorithms or qops, or a realm that cannot be written in a header
 *
 * @example
 * ```ts
 * const digest = createDigestServer({
 *   realm: 'acs', secret: process.env.NONCE_SECRET!, algorithms: ['SHA-256', 'MD5'],
 *   lookup: ({ username }) => (username === 'cpe' ? { password: 'secret' } : undefined),
 * })
 * const result = digest.verify({ method: req.method, uri: req.url, authorization: req.headers.authorization })
 * if (!result.ok) { res.writeHead(401, { 'WWW-Authenticate': result.challenge }); return res.end() }
 * ```
 *
 * @category Authentication
 */
export function createDigestServer(options: DigestServerOptions): DigestServer {
  // The shape first, so that a JavaScript caller gets the field named, not a TypeError from inside.
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  if (typeof options.realm !== 'string') throw new ConfigError('realm', 'a string', options.realm)
  if (typeof options.secret !== 'string' && !(options.secret instanceof Uint8Array)) {
    throw new ConfigError('secret', 'a string or a Uint8Array of at least 16 bytes', options.secret, { secret: true })
  }
  if (typeof options.lookup !== 'function') throw new ConfigError('lookup', 'a function', options.lookup)
  const secret = toBytes(options.secret)
  if (secret.length < 16) throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'the nonce secret must be at least 16 bytes')
  const algorithms = [...(options.algorithms ?? ['MD5'])].sort(
    (a, b) => digestAlgorithmStrength(b) - digestAlgorithmStrength(a),
  )
  if (algorithms.length === 0 || algorithms.some((a) => !DIGEST_ALGORITHMS.includes(a))) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'algorithms must be a non-empty list of Digest algorithms')
  }
  const qop = options.qop ?? ['auth']
  if (qop.length === 0 && options.allowRfc2069 !== true) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'offering no qop requires allowRfc2069')
  }
  const realm = options.realm
  // Validate that the realm and opaque can be written (throws AuthError otherwise).
  formatDigestChallenge({ realm, nonce: 'x', algorithm: 'MD5', qop, ...(options.opaque === undefined ? {} : { opaque: options.opaque }) })
  const lifetime = options.nonceLifetimeMs ?? 300_000
  if (!(lifetime > 0)) throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'nonceLifetimeMs must be positive')
  const clock = options.now ?? Date.now
  const random = options.randomBytes ?? defaultRandomBytes
  const store = options.nonceStore === undefined ? createMemoryNonceStore() : options.nonceStore
  const realmBytes = new TextEncoder().encode(`${NONCE_LABEL}\u0000${realm}\u0000`)
  /** The secret hashed for unknown users, so that they cost what a wrong password costs. */
  const decoy = base64url(random(16))

  const mac = (body: Uint8Array): Uint8Array => {
    const data = new Uint8Array(realmBytes.length + body.length)
    data.set(realmBytes, 0)
    data.set(body, realmBytes.length)
    return hmacBytes('sha256', secret, data).subarray(0, 16)
  }

  let sequence = 0
  const issueNonce = (now: number): string => {
    const bytes = new Uint8Array(NONCE_BYTES)
    const view = new DataView(bytes.buffer)
    view.setBigUint64(0, BigInt(Math.max(0, Math.floor(now))))
    sequence = (sequence + 1) >>> 0
    view.setUint32(8, sequence)
    const salt = random(4)
    if (salt.length !== 4) throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'randomBytes returned the wrong length')
    bytes.set(salt, 12)
    bytes.set(mac(bytes.subarray(0, 16)), 16)
    return base64url(bytes)
  }

  /** The issue time and sequence of a nonce we made, or undefined. */
  const openNonce = (nonce: string): { readonly issuedAt: number; readonly sequence: number } | undefined => {
    const bytes = fromBase64url(nonce)
    if (bytes === undefined) return undefined
    if (!constantTimeEqual(mac(bytes.subarray(0, 16)), bytes.subarray(16))) return undefined
    const view = new DataView(bytes.buffer, bytes.byteOffset)
    const issued = view.getBigUint64(0)
    if (issued > BigInt(Number.MAX_SAFE_INTEGER)) return undefined
    return { issuedAt: Number(issued), sequence: view.getUint32(8) }
  }

  const challenge = (opts: { readonly stale?: boolean; readonly now?: number } = {}): string[] => {
    const now = opts.now ?? clock()
    return algorithms.map((algorithm) =>
      formatDigestChallenge({
        realm,
        nonce: issueNonce(now),
        algorithm,
        qop,
        ...(options.opaque === undefined ? {} : { opaque: options.opaque }),
        stale: opts.stale === true,
        userhash: options.userhash === true,
        charset: options.charset === true,
      }),
    )
  }

  const run = (request: DigestVerifyRequest, useStore: boolean): DigestVerifyResult => {
    const now = request.now ?? clock()
    const fail = (
      reason: DigestFailureReason,
      extra: { readonly error?: AuthError; readonly username?: string; readonly stale?: boolean } = {},
    ): DigestVerifyResult => ({
      ok: false,
      reason,
      challenge: challenge({ now, stale: extra.stale === true }),
      ...(extra.error === undefined ? {} : { error: extra.error }),
      ...(extra.username === undefined ? {} : { username: extra.username }),
    })

    const header = request.authorization
    if (header === undefined || (typeof header !== 'string' && header.length === 0)) return fail('missing')
    let creds: DigestCredentials
    try {
      const parsed = parseAuthorization(header, options)
      if (parsed.scheme.toLowerCase() !== 'digest') return fail('missing')
      creds = toDigestCredentials(parsed)
    } catch (err) {
      if (err instanceof AuthError) {
        return fail(err.code === 'ERR_CWMP_AUTH_UNSUPPORTED' ? 'unsupported' : 'malformed', { error: err })
      }
      throw err
    }
    const who = { username: creds.username }
    if (!algorithms.includes(creds.algorithm)) return fail('unsupported', who)
    if (creds.qop === undefined ? options.allowRfc2069 !== true : !qop.includes(creds.qop)) return fail('unsupported', who)
    if (creds.userhash && options.userhash !== true) return fail('unsupported', who)
    if (creds.realm !== realm) return fail('realm-mismatch', who)
    if (options.checkUri !== false && !sameRequestTarget(creds.uri, request.uri, request.host)) return fail('uri-mismatch', who)
    if (options.opaque !== undefined && creds.opaque !== options.opaque) return fail('opaque-mismatch', who)
    const opened = openNonce(creds.nonce)
    if (opened === undefined || opened.issuedAt > now + FUTURE_SKEW_MS) return fail('bad-nonce', who)
    const { issuedAt } = opened

    const found = options.lookup({
      username: creds.username,
      userhash: creds.userhash,
      realm,
      algorithm: creds.algorithm,
    })
    // An unknown user costs the same hashing as a known one with a wrong password, so the time of the
    // answer does not tell which user names exist: the work below runs with a decoy secret.
    const foundName = found === undefined ? undefined : creds.userhash ? found.username : (found.username ?? creds.username)
    let known = found !== undefined && foundName !== undefined
    const secretOf: DigestUserSecret = known ? (found as DigestUserSecret) : { password: decoy }
    const realName = known ? (foundName as string) : creds.username
    if (creds.userhash) {
      const expectedHash = computeDigestUserhash(creds.algorithm, realName, realm)
      if (!constantTimeEqual(new TextEncoder().encode(expectedHash), new TextEncoder().encode(creds.username.toLowerCase()))) {
        known = false
      }
    }
    const expected = computeDigestResponse({
      algorithm: creds.algorithm,
      username: realName,
      realm,
      ...('password' in secretOf ? { password: secretOf.password } : { ha1: secretOf.ha1 }),
      nonce: creds.nonce,
      method: request.method,
      uri: creds.uri,
      ...(creds.qop === undefined ? {} : { qop: creds.qop }),
      ...(creds.nc === undefined ? {} : { nc: creds.nc }),
      ...(creds.cnonce === undefined ? {} : { cnonce: creds.cnonce }),
      ...(request.body === undefined ? {} : { body: request.body }),
    })
    const given = new TextEncoder().encode(creds.response.toLowerCase())
    const matches = constantTimeEqual(new TextEncoder().encode(expected), given)
    if (!known) return fail('unknown-user', who)
    if (!matches) return fail('bad-response', who)
    if (now - issuedAt > lifetime) return fail('stale', { ...who, stale: true })

    const nc = creds.nc === undefined ? 1 : Number.parseInt(creds.nc, 16)
    if (useStore && store !== null) {
      const seen = store.check({
        nonce: creds.nonce,
        nc,
        issuedAt,
        sequence: opened.sequence,
        expiresAt: issuedAt + lifetime,
        now,
      })
      if (seen === 'replay') return fail('replay', who)
      if (seen === 'forgotten') return fail('stale', { ...who, stale: true })
    }
    return {
      ok: true,
      username: realName,
      algorithm: creds.algorithm,
      qop: creds.qop,
      nc,
      nonce: creds.nonce,
      nonceIssuedAt: issuedAt,
      nonceSequence: opened.sequence,
      nonceExpiresAt: issuedAt + lifetime,
    }
  }

  return {
    realm,
    challenge,
    verify: (request) => run(request, true),
    check: (request) => run(request, false),
  }
}
