/**
 * HTTP authentication middleware (Digest and Basic) over the pure helpers of `src/auth`.
 *
 * @module
 */

import { createBasicAuthorization } from '../auth/basic.js'
import { ConfigError } from '../errors.js'
import { createDigestClient, type DigestClient, type DigestClientOptions } from '../auth/digest-client.js'
import { parseDigestChallenges } from '../auth/digest.js'
import { parseWwwAuthenticate } from '../auth/header.js'
import { type Transport, type TransportMiddleware } from './types.js'
import { headerValue, headerValues, type HttpRequest } from '../types/http.js'

/**
 * When {@link withAuth} uses HTTP Basic:
 * - `challenge` (default): only when a 401 offers Basic and no usable Digest; afterwards every
 *   request to that origin carries it at once;
 * - `preemptive`: on every request from the first one (saves a round trip; use with TLS only);
 * - `never`: a Basic-only challenge is returned unanswered.
 *
 * @category Transports
 */
export type BasicAuthMode = 'challenge' | 'preemptive' | 'never'

/**
 * Options of {@link withAuth}.
 *
 * @category Transports
 */
export interface WithAuthOptions {
  /** User name (for a CPE usually `OUI-ProductClass-SerialNumber`, see `formatCpeUsername`). */
  readonly username: string
  /** Password. */
  readonly password: string
  /** When to use Basic. Default `challenge`. */
  readonly basic?: BasicAuthMode
  /**
   * Answer a Basic challenge over plain `http:` (default false: only over `https:`). Without TLS an
   * ACS MUST use Digest (TR-069 §3.4.4), so a Basic challenge there comes from a broken ACS or from
   * someone on the path asking for the password in clear; enable this only for an ACS that needs it.
   * `basic: 'preemptive'` is an explicit choice and is not affected.
   */
  readonly basicOverHttp?: boolean
  /** Send Digest credentials before being asked, once a challenge of the origin is known. Default true. */
  readonly preemptiveDigest?: boolean
  /** Digest client settings: accepted algorithms, qop, cnonce source (inject for tests), limits. */
  readonly digest?: DigestClientOptions
}

/**
 * The middleware returned by {@link withAuth}, with its state.
 *
 * @category Transports
 */
export interface AuthMiddleware extends TransportMiddleware {
  /** The Digest client state (challenge, nonce count). */
  readonly digest: DigestClient
  /** Forget every challenge and counter (at the end of a session). */
  reset(): void
}

/**
 * Middleware that authenticates requests with HTTP Digest (RFC 7616 / 2617) or Basic.
 *
 * On a 401 it reads `WWW-Authenticate`, picks Digest over Basic and the strongest Digest algorithm
 * offered, and sends the request **once** more with `Authorization`; that second response is
 * returned as it is, even a 401 (the session machine fails the session on a second 401). A 401
 * it cannot answer (no or unreadable challenge, no usable scheme) is returned unchanged.
 *
 * The Digest state (nonce, nonce count, cnonce) is kept across requests: once an origin has
 * challenged, later requests to it carry credentials at once with the next `nc` (as curl does), and
 * only a 401 (stale nonce, or a server that forgot it after a new TCP connection) starts a new
 * challenge round. A `nextnonce` in `Authentication-Info` is adopted. A request that already has
 * an `Authorization` field is passed through untouched.
 *
 * @param options - credentials and policy
 * @returns the middleware, with `reset()` for the end of a session
 *
 * @throws {@link ConfigError} naming `options`, `username`, `password` or `digest` when one is missing or
 * of the wrong type
 *
 * @example
 * ```ts
 * const auth = withAuth({ username: formatCpeUsername({ oui, productClass, serialNumber }), password })
 * const transport = composeTransport(createHttpTransport(), auth, withCookies())
 * ```
 *
 * @category Transports
 */
export function withAuth(options: WithAuthOptions): AuthMiddleware {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  if (typeof options.username !== 'string') throw new ConfigError('username', 'a string', options.username)
  if (typeof options.password !== 'string') throw new ConfigError('password', 'a string', options.password, { secret: true })
  if (options.digest !== undefined && (typeof options.digest !== 'object' || options.digest === null)) {
    throw new ConfigError('digest', 'an object', options.digest)
  }
  const digestOptions = options.digest ?? {}
  const digest = createDigestClient({ username: options.username, password: options.password }, digestOptions)
  const basicMode = options.basic ?? 'challenge'
  const preemptiveDigest = options.preemptiveDigest !== false
  let digestOrigin: string | undefined
  let basicOrigin: string | undefined
  let basicHeader: string | undefined
  const basic = (): string => (basicHeader ??= createBasicAuthorization(options))

  const middleware = (next: Transport): Transport => ({
    async send(request, sendOptions) {
      if (headerValue(request.headers, 'authorization') !== undefined) return next.send(request, sendOptions)
      const target = targetOf(request.url)
      if (target === undefined) return next.send(request, sendOptions)
      const digestRequest = { method: request.method, uri: target.uri, body: request.body }

      // 1. Pre-emptive credentials, when we know what this origin wants.
      let preemptive: string | undefined
      let usedDigest = false
      if (digest.challenge !== undefined && digestOrigin === target.origin) {
        if (preemptiveDigest) {
          preemptive = digest.authorization(digestRequest)
          usedDigest = preemptive !== undefined
        }
      } else if (basicMode === 'preemptive' || (basicMode !== 'never' && basicOrigin === target.origin)) {
        preemptive = basic()
      }
      const first = await next.send(withAuthorization(request, preemptive), sendOptions)
      if (first.status !== 401) {
        if (usedDigest) observe(digest, first.status, first.headers)
        return first
      }

      // 2. A 401: answer it once.
      const www = headerValues(first.headers, 'www-authenticate')
      if (www.length === 0) return first
      let authorization: string
      try {
        const usable = parseDigestChallenges(www, digestOptions)
        if (usable.length > 0) {
          // Adopts the strongest challenge (a new nonce resets nc); its retry verdict is ours to make.
          digest.handleResponse({ status: 401, wwwAuthenticate: www })
          const header = digest.authorization(digestRequest)
          if (header === undefined) return first
          authorization = header
          digestOrigin = target.origin
          basicOrigin = undefined
          usedDigest = true
        } else if (
          basicMode !== 'never' &&
          (target.origin.startsWith('https:') || options.basicOverHttp === true) &&
          parseWwwAuthenticate(www, digestOptions).some(isBasic)
        ) {
          authorization = basic()
          basicOrigin = target.origin
          usedDigest = false
        } else {
          return first
        }
      } catch (err) {
        // An unreadable challenge: the session sees the 401. Credentials we cannot encode (a ':' in
        // a Basic user name) are a configuration error and are thrown.
        if (isAuthParseError(err)) return first
        throw err
      }
      const second = await next.send(withAuthorization(request, authorization), sendOptions)
      if (usedDigest) observe(digest, second.status, second.headers)
      return second
    },
    ...(next.close === undefined ? {} : { close: () => next.close?.() }),
  })

  return Object.assign(middleware, {
    digest,
    reset() {
      digest.reset()
      digestOrigin = undefined
      basicOrigin = undefined
    },
  })
}

/** Feed a response to the Digest client for its bookkeeping (nextnonce, counters). */
function observe(digest: DigestClient, status: number, headers: HttpRequest['headers']): void {
  try {
    digest.handleResponse({
      status,
      wwwAuthenticate: headerValues(headers, 'www-authenticate'),
      authenticationInfo: headerValue(headers, 'authentication-info'),
    })
  } catch {
    // A malformed challenge or Authentication-Info on a response we return anyway: nothing to adopt.
  }
}

function withAuthorization(request: HttpRequest, authorization: string | undefined): HttpRequest {
  if (authorization === undefined) return request
  return { ...request, headers: { ...request.headers, authorization } }
}

function targetOf(url: string): { readonly origin: string; readonly uri: string } | undefined {
  try {
    const u = new URL(url)
    return { origin: u.origin, uri: `${u.pathname}${u.search}` }
  } catch {
    return undefined
  }
}

function isBasic(challenge: { readonly scheme: string }): boolean {
  return challenge.scheme.toLowerCase() === 'basic'
}

function isAuthParseError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return code === 'ERR_CWMP_AUTH_MALFORMED' || code === 'ERR_CWMP_AUTH_UNSUPPORTED' || code === 'ERR_CWMP_AUTH_LIMIT_EXCEEDED'
}
