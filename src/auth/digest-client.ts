/**
 * HTTP Digest, client side: a CPE answering its ACS, an ACS answering a CPE's Connection Request
 * challenge, a CPE fetching a Download URL.
 *
 * {@link createDigestAuthorization} is the pure, deterministic core. {@link createDigestClient}
 * keeps the little state a client needs: the current challenge, the nonce count for its nonce,
 * the cnonce, and how many times in a row the server refused us.
 *
 * @module
 */

import { AuthError, ConfigError } from '../errors.js'
import {
  type DigestAlgorithm,
  type DigestChallenge,
  type DigestQop,
  computeDigestResponse,
  computeDigestUserhash,
  formatDigestAuthorization,
  formatNonceCount,
  parseDigestChallenges,
} from './digest.js'
import { type HashInput, randomHex } from './hash.js'
import type { AuthHeaderParseOptions } from './header.js'
import { parseAuthorization } from './header.js'

/**
 * User name and password.
 *
 * @category Authentication
 */
export interface DigestClientCredentials {
  /** The user name (for a CPE, usually `OUI-ProductClass-SerialNumber`). */
  readonly username: string
  /** The password. */
  readonly password: string
}

/**
 * The request being authorized.
 *
 * @category Authentication
 */
export interface DigestRequest {
  /** HTTP method, e.g. `POST`. */
  readonly method: string
  /** The request-target exactly as sent on the request line, e.g. `/acs?x=1`. */
  readonly uri: string
  /** The body (only hashed for qop `auth-int`). */
  readonly body?: HashInput
}

/**
 * Per-request values of {@link createDigestAuthorization}.
 *
 * @category Authentication
 */
export interface DigestAuthorizationParams {
  /** Nonce count for this request (1 for the first request with a nonce). */
  readonly nc: number
  /** Client nonce. */
  readonly cnonce: string
  /** qop to use; default: `auth` when offered, else `auth-int`; none when the challenge has no qop. */
  readonly qop?: DigestQop
  /** Send the hashed user name; default: when the challenge says `userhash=true`. */
  readonly userhash?: boolean
}

function chooseQop(challenge: DigestChallenge, preferred: DigestQop | undefined): DigestQop | undefined {
  if (challenge.qop.length === 0) return undefined
  if (preferred !== undefined && challenge.qop.includes(preferred)) return preferred
  return challenge.qop.includes('auth') ? 'auth' : challenge.qop[0]
}

/**
 * Build the `Authorization` header value answering a Digest challenge. Pure: the nonce count and
 * cnonce are parameters.
 *
 * @throws {@link ConfigError} naming the field (`challenge.realm`, `credentials.password`, `request.uri`,
 * `params.cnonce`, …) when an argument is not an object or a field is missing or of the wrong type
 * @throws {@link AuthError} `ERR_CWMP_AUTH_INVALID_ARGUMENT` for a bad nc or a value that cannot be
 * written in a header
 *
 * @example
 * ```ts
 * const challenge = selectDigestChallenge(res.headers['www-authenticate'])
 * const header = createDigestAuthorization(challenge, { username, password },
 *   { method: 'POST', uri: '/acs' }, { nc: 1, cnonce: '0a4f113b' })
 * ```
 *
 * @category Authentication
 */
export function createDigestAuthorization(
  challenge: DigestChallenge,
  credentials: DigestClientCredentials,
  request: DigestRequest,
  params: DigestAuthorizationParams,
): string {
  checkObject(challenge, 'challenge')
  for (const k of ['realm', 'nonce', 'algorithm'] as const) checkString(challenge[k], `challenge.${k}`)
  if (challenge.opaque !== undefined) checkString(challenge.opaque, 'challenge.opaque')
  if (!Array.isArray(challenge.qop)) throw new ConfigError('challenge.qop', 'an array', challenge.qop)
  checkCredentials(credentials)
  checkObject(request, 'request')
  checkString(request.method, 'request.method')
  checkString(request.uri, 'request.uri')
  checkObject(params, 'params')
  if (typeof params.nc !== 'number') throw new ConfigError('params.nc', 'a number', params.nc)
  checkString(params.cnonce, 'params.cnonce')
  const qop = chooseQop(challenge, params.qop)
  const nc = qop === undefined ? undefined : formatNonceCount(params.nc)
  const sess = challenge.algorithm.endsWith('-sess')
  const cnonce = qop !== undefined || sess ? params.cnonce : undefined
  const response = computeDigestResponse({
    algorithm: challenge.algorithm,
    username: credentials.username,
    realm: challenge.realm,
    password: credentials.password,
    nonce: challenge.nonce,
    method: request.method,
    uri: request.uri,
    ...(qop === undefined ? {} : { qop }),
    ...(nc === undefined ? {} : { nc }),
    ...(cnonce === undefined ? {} : { cnonce }),
    ...(request.body === undefined ? {} : { body: request.body }),
  })
  const userhash = params.userhash ?? challenge.userhash
  return formatDigestAuthorization({
    username: userhash
      ? computeDigestUserhash(challenge.algorithm, credentials.username, challenge.realm)
      : credentials.username,
    userhash,
    realm: challenge.realm,
    nonce: challenge.nonce,
    uri: request.uri,
    algorithm: challenge.algorithm,
    response,
    ...(qop === undefined ? {} : { qop }),
    ...(nc === undefined ? {} : { nc }),
    ...(cnonce === undefined ? {} : { cnonce }),
    ...(challenge.opaque === undefined ? {} : { opaque: challenge.opaque }),
  })
}

/**
 * Options of {@link createDigestClient}.
 *
 * @category Authentication
 */
export interface DigestClientOptions extends AuthHeaderParseOptions {
  /** Source of client nonces. Default: 16 random bytes as hex. Inject for deterministic tests. */
  readonly cnonce?: () => string
  /** Algorithms the client accepts. Default: all six; the strongest one offered is used. */
  readonly algorithms?: readonly DigestAlgorithm[]
  /** Preferred qop when the server offers several. Default `auth`. */
  readonly qop?: DigestQop
  /** Send the userhash when the server offers `userhash=true`. Default true. */
  readonly userhash?: boolean
  /**
   * How many non-stale 401s in a row, in answer to credentials computed for the challenge of the
   * previous 401, are tolerated before {@link DigestClient.handleResponse} says "do not retry".
   * Default 1: the first refusal is final. (Credentials sent with a nonce that already worked, for
   * example at the start of the next session, are simply challenged again and retried.) Set 2 for
   * servers that forget a nonce they just issued when the TCP connection changes.
   */
  readonly maxRejections?: number
  /** How many `stale=true` challenges in a row are answered. Default 3. */
  readonly maxStaleRetries?: number
}

/**
 * A response as the client needs to see it.
 *
 * @category Authentication
 */
export interface DigestResponseInfo {
  /** HTTP status code. */
  readonly status: number
  /** The `WWW-Authenticate` header(s), for a 401. */
  readonly wwwAuthenticate?: string | readonly string[] | undefined
  /** The `Authentication-Info` header, if any (its `nextnonce` is adopted). */
  readonly authenticationInfo?: string | undefined
}

/**
 * What to do after a response.
 *
 * @category Authentication
 */
export type DigestResponseOutcome =
  | {
      /** Send the request again, with {@link DigestClient.authorization}. */
      readonly retry: true
      /** `challenged` (first 401), `stale` (nonce expired), `new-nonce` (retry allowed by `maxRejections`). */
      readonly reason: 'challenged' | 'stale' | 'new-nonce'
      /** The challenge adopted. */
      readonly challenge: DigestChallenge
    }
  | {
      /** Do not send the request again. */
      readonly retry: false
      /** `accepted` (not a 401), `rejected` (credentials refused), `stale-limit` (too many stale challenges). */
      readonly reason: 'accepted' | 'rejected' | 'stale-limit'
    }

/**
 * A Digest client's state. Not shared between connections to different servers.
 *
 * @category Authentication
 */
export interface DigestClient {
  /** The challenge being answered, once a 401 has been seen. */
  readonly challenge: DigestChallenge | undefined
  /** The last nonce count sent with the current nonce (0 before the first). */
  readonly nonceCount: number
  /**
   * The `Authorization` value for the next request, or undefined before any challenge. Each call
   * counts as one request: it increments the nonce count.
   */
  authorization(request: DigestRequest): string | undefined
  /**
   * Feed every response. For a 401 the challenge is parsed and the strongest usable one adopted.
   *
   * @throws {@link AuthError} `ERR_CWMP_AUTH_MALFORMED` for a 401 without a parsable
   * `WWW-Authenticate`, `ERR_CWMP_AUTH_UNSUPPORTED` when no offered challenge is usable
   */
  handleResponse(response: DigestResponseInfo): DigestResponseOutcome
  /** Forget the challenge and counters (for example, when the session ends). */
  reset(): void
}

/**
 * Create a Digest client.
 *
 * @throws {@link ConfigError} naming `credentials`, `credentials.username`, `credentials.password` or
 * `options` when one is missing or of the wrong type
 *
 * @example
 * ```ts
 * const client = createDigestClient({ username: 'cpe', password: 'secret' })
 * let res = await send({ method: 'POST', uri: '/acs', headers: {} })
 * const next = client.handleResponse({ status: res.status, wwwAuthenticate: res.headers['www-authenticate'] })
 * if (next.retry) res = await send({ method: 'POST', uri: '/acs',
 *   headers: { authorization: client.authorization({ method: 'POST', uri: '/acs' }) } })
 * ```
 *
 * @category Authentication
 */
export function createDigestClient(credentials: DigestClientCredentials, options: DigestClientOptions = {}): DigestClient {
  checkCredentials(credentials)
  checkObject(options, 'options')
  const newCnonce = options.cnonce ?? (() => randomHex(16))
  const maxRejections = options.maxRejections ?? 1
  const maxStale = options.maxStaleRetries ?? 3
  let challenge: DigestChallenge | undefined
  let nc = 0
  let cnonce = ''
  let sentCredentials = false
  // True when the current challenge came from the latest 401, false once a request succeeded with it.
  let freshChallenge = false
  let rejections = 0
  let staleRetries = 0

  const adopt = (ch: DigestChallenge): void => {
    if (challenge === undefined || ch.nonce !== challenge.nonce) {
      nc = 0
      cnonce = newCnonce()
    }
    challenge = ch
  }

  return {
    get challenge() {
      return challenge
    },
    get nonceCount() {
      return nc
    },
    authorization(request) {
      if (challenge === undefined) return undefined
      nc += 1
      if (nc > 0xffffffff) {
        nc = 1
        cnonce = newCnonce()
      }
      sentCredentials = true
      return createDigestAuthorization(challenge, credentials, request, {
        nc,
        cnonce,
        ...(options.qop === undefined ? {} : { qop: options.qop }),
        userhash: challenge.userhash && options.userhash !== false,
      })
    },
    handleResponse(response) {
      const carried = sentCredentials
      sentCredentials = false
      if (response.status !== 401) {
        rejections = 0
        staleRetries = 0
        freshChallenge = false
        if (response.authenticationInfo !== undefined && challenge !== undefined) {
          const info = parseAuthorization(`Digest ${response.authenticationInfo}`, options)
          const next = info.params['nextnonce']
          if (next !== undefined && next !== '' && next !== challenge.nonce) {
            adopt({ ...challenge, nonce: next, stale: false })
          }
        }
        return { retry: false, reason: 'accepted' }
      }
      const header = response.wwwAuthenticate
      if (header === undefined || (typeof header !== 'string' && header.length === 0)) {
        throw new AuthError('ERR_CWMP_AUTH_MALFORMED', '401 response without WWW-Authenticate')
      }
      const [best] = parseDigestChallenges(header, options)
      if (best === undefined) throw new AuthError('ERR_CWMP_AUTH_UNSUPPORTED', 'no usable Digest challenge offered')
      const answeredFresh = freshChallenge
      adopt(best)
      freshChallenge = true
      // Credentials sent with a nonce that had worked before (a new session, a new connection):
      // this 401 is a new challenge, not a refusal of the password.
      if (!carried || !answeredFresh) return { retry: true, reason: 'challenged', challenge: best }
      if (best.stale) {
        staleRetries += 1
        if (staleRetries > maxStale) return { retry: false, reason: 'stale-limit' }
        return { retry: true, reason: 'stale', challenge: best }
      }
      rejections += 1
      if (rejections >= maxRejections) return { retry: false, reason: 'rejected' }
      return { retry: true, reason: 'new-nonce', challenge: best }
    },
    reset() {
      challenge = undefined
      nc = 0
      cnonce = ''
      sentCredentials = false
      freshChallenge = false
      rejections = 0
      staleRetries = 0
    },
  }
}

// The shape of the arguments, so that a JavaScript caller gets the field named, not a TypeError from inside.
function checkObject(value: unknown, field: string): void {
  if (typeof value !== 'object' || value === null) throw new ConfigError(field, 'an object', value)
}

function checkString(value: unknown, field: string, secret = false): void {
  if (typeof value !== 'string') throw new ConfigError(field, 'a string', value, { secret })
}

function checkCredentials(credentials: DigestClientCredentials): void {
  checkObject(credentials, 'credentials')
  checkString(credentials.username, 'credentials.username')
  checkString(credentials.password, 'credentials.password', true)
}
