/**
 * HTTP Connection Requests (TR-069 §3.2.2).
 *
 * CPE side: {@link createConnectionRequestHandler}, a sans-I/O handler. Give it each incoming
 * request on the Connection Request port, the current time and whether a session is running; it
 * returns the response to send and whether to start a session with `6 CONNECTION REQUEST`.
 *
 * ACS side: {@link createConnectionRequestClient} builds the GET and answers the CPE's Digest
 * challenge (Basic only when the CPE offers nothing else).
 *
 * Facts used (TR-069 Amendment 6 Corrigendum 1, §3.2.2, as summarised in SESSION-RULES §7):
 * - the request is an HTTP GET to the ConnectionRequestURL; any body is ignored;
 * - the CPE MUST authenticate the ACS with Digest and MUST NOT start a session otherwise;
 * - success is 200 or 204 with an empty body, sent before the session starts;
 * - a refused request (rate limit, or during a session with the `reject` policy) gets 503 without
 *   `Retry-After`;
 * - further authenticated requests after the success but before the session starts also get
 *   success, and start no extra session.
 *
 * @module
 */

import { createDigestClient, type DigestClient } from '../auth/digest-client.js'
import type { DigestAlgorithm, DigestQop } from '../auth/digest.js'
import {
  createDigestServer,
  type DigestServer,
  type DigestVerifyResult,
} from '../auth/digest-server.js'
import { constantTimeEqualString, randomBytes as defaultRandomBytes } from '../auth/hash.js'
import { createBasicAuthorization } from '../auth/basic.js'
import { parseWwwAuthenticate } from '../auth/header.js'
import type { DigestNonceStore } from '../auth/nonce-store.js'
import { AuthError, ConfigError } from '../errors.js'
import {
  type ConnectionRequestAcceptance,
  type ConnectionRequestContext,
  type ConnectionRequestPolicy,
  type ConnectionRequestPolicyOptions,
  type ConnectionRequestPolicyState,
  type SessionEndResult,
  createConnectionRequestPolicy,
} from './policy.js'

/**
 * Header values as Node's `IncomingMessage.headers` gives them.
 *
 * @category Connection requests
 */
export type HttpHeaderValues = Readonly<Record<string, string | readonly string[] | undefined>>

/**
 * An incoming HTTP request on the Connection Request port.
 *
 * @category Connection requests
 */
export interface IncomingConnectionRequest {
  /** HTTP method. */
  readonly method: string
  /** The request-target, e.g. `/cr/8f2a?x=1`. */
  readonly url: string
  /** Request headers (names in any case). */
  readonly headers: HttpHeaderValues
}

/**
 * The response to send. The body is always empty.
 *
 * @category Connection requests
 */
export interface ConnectionRequestResponse {
  /** HTTP status. */
  readonly status: 200 | 204 | 401 | 404 | 405 | 503
  /** Response headers; an array value is a header sent several times. */
  readonly headers: Readonly<Record<string, string | string[]>>
  /** Always `''`. */
  readonly body: ''
}

/**
 * Everything {@link ConnectionRequestHandler.handle} decided.
 *
 * @category Connection requests
 */
export interface ConnectionRequestDecision {
  /** The response to send now. */
  readonly response: ConnectionRequestResponse
  /** The outcome: an acceptance decision, or why the request never got that far. */
  readonly outcome: ConnectionRequestAcceptance | 'unauthorized' | 'not-found' | 'method-not-allowed'
  /** Start a session with `6 CONNECTION REQUEST` now (within 30 s of the response). */
  readonly startSession: boolean
  /** A session with `6 CONNECTION REQUEST` must follow the current one. */
  readonly sessionAfterCurrent: boolean
  /** The Digest verification result, when authentication was attempted (for logs). */
  readonly auth?: DigestVerifyResult
}

/**
 * Options of {@link createConnectionRequestHandler}.
 *
 * @category Connection requests
 */
export interface ConnectionRequestHandlerOptions extends ConnectionRequestPolicyOptions {
  /** The path of the ConnectionRequestURL (TR-069: random and unique per CPE), e.g. `/cr/8f2a`. */
  readonly path: string
  /** `ManagementServer.ConnectionRequestUsername`. */
  readonly username: string
  /** `ManagementServer.ConnectionRequestPassword`. */
  readonly password: string
  /**
   * Authenticate the ACS with Digest (default true, as TR-069 §3.2.2 requires). `false` accepts a
   * GET on {@link ConnectionRequestHandlerOptions.path} without credentials: still GET only, still
   * only on the path, still rate limited, but anyone who can reach the port and knows the path can
   * make the CPE open a session with its ACS. Use it only where the path is secret enough or the
   * port is reachable from the ACS alone.
   */
  readonly authentication?: boolean
  /** Digest realm. Default `cwmp`. */
  readonly realm?: string
  /** Nonce HMAC key (≥ 16 bytes). Default: 32 random bytes per handler. */
  readonly secret?: string | Uint8Array
  /** Digest algorithms offered. Default `['MD5']`: TR-069 requires MD5 and ACSs may know nothing else. */
  readonly algorithms?: readonly DigestAlgorithm[]
  /** qop offered. Default `['auth']`. */
  readonly qop?: readonly DigestQop[]
  /** Nonce lifetime in ms. Default 60000: an ACS answers a 401 at once. */
  readonly nonceLifetimeMs?: number
  /** Status of a successful response: 200 (default) or 204. */
  readonly successStatus?: 200 | 204
  /** Replay store for the Digest server (default: bounded in memory). */
  readonly nonceStore?: DigestNonceStore | null
  /** Randomness for nonces and the default secret. Default `node:crypto`. */
  readonly randomBytes?: (size: number) => Uint8Array
}

/**
 * The CPE's Connection Request handler.
 *
 * @category Connection requests
 */
export interface ConnectionRequestHandler {
  /** Handle one HTTP request. */
  handle(request: IncomingConnectionRequest, context: ConnectionRequestContext): ConnectionRequestDecision
  /** The shared acceptance rules (use `accept` for UDP and XMPP requests after verifying them). */
  readonly policy: ConnectionRequestPolicy
  /** The Digest server (its challenge and verify functions). */
  readonly digest: DigestServer
  /**
   * Change the path, the credentials or the authentication switch; the next request is checked
   * against the new values. Policy state (pending, queued, rate window) is kept.
   *
   * @throws {@link AuthError} `ERR_CWMP_AUTH_INVALID_ARGUMENT` for a path that does not start with `/`
   */
  update(changes: ConnectionRequestHandlerUpdate): void
  /** Shortcut for `policy.sessionStarted()`. */
  sessionStarted(): void
  /** Shortcut for `policy.sessionEnded()`. */
  sessionEnded(): SessionEndResult
  /** Shortcut for `policy.state`. */
  readonly state: ConnectionRequestPolicyState
}

/**
 * What {@link ConnectionRequestHandler.update} may change.
 *
 * @category Connection requests
 */
export interface ConnectionRequestHandlerUpdate {
  /** The new path. */
  readonly path?: string
  /** The new `ConnectionRequestUsername`. */
  readonly username?: string
  /** The new `ConnectionRequestPassword`. */
  readonly password?: string
  /** The new authentication switch (see {@link ConnectionRequestHandlerOptions.authentication}). */
  readonly authentication?: boolean
}

function headerValue(headers: HttpHeaderValues, name: string): string | readonly string[] | undefined {
  const lower = name.toLowerCase()
  for (const key of Object.keys(headers)) {
    if (key.toLowerCase() === lower) return headers[key]
  }
  return undefined
}

function pathOf(target: string): string {
  if (/^https?:\/\//i.test(target)) {
    try {
      return new URL(target).pathname
    } catch {
      return ''
    }
  }
  const q = target.indexOf('?')
  return q < 0 ? target : target.slice(0, q)
}

const EMPTY = { 'Content-Length': '0' } as const

/**
 * Create the CPE-side handler of HTTP Connection Requests.
 *
 * @throws {@link ConfigError} naming `options`, `path`, `username` or `password` when one is missing or of
 * the wrong type
 * @throws {@link AuthError} `ERR_CWMP_AUTH_INVALID_ARGUMENT` for bad options
 *
 * @example
 * ```ts
 * const cr = createConnectionRequestHandler({ path: '/cr/8f2a', username: 'acs', password: 'pw' })
 * http.createServer((req, res) => {
 *   const d = cr.handle({ method: req.method!, url: req.url!, headers: req.headers },
 *                       { now: Date.now(), inSession: session.active })
 *   res.writeHead(d.response.status, d.response.headers).end()
 *   if (d.startSession) session.start(['6 CONNECTION REQUEST'])
 * })
 * ```
 *
 * @category Connection requests
 */
export function createConnectionRequestHandler(options: ConnectionRequestHandlerOptions): ConnectionRequestHandler {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  if (typeof options.path !== 'string') throw new ConfigError('path', 'a string', options.path)
  if (typeof options.username !== 'string') throw new ConfigError('username', 'a string', options.username)
  if (typeof options.password !== 'string') throw new ConfigError('password', 'a string', options.password, { secret: true })
  if (!options.path.startsWith('/')) throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'path must start with "/"')
  const successStatus = options.successStatus ?? 200
  if (successStatus !== 200 && successStatus !== 204) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'successStatus must be 200 or 204')
  }
  const random = options.randomBytes ?? defaultRandomBytes
  let username = options.username
  let password = options.password
  let authentication = options.authentication !== false
  const digest = createDigestServer({
    realm: options.realm ?? 'cwmp',
    secret: options.secret ?? random(32),
    algorithms: options.algorithms ?? ['MD5'],
    qop: options.qop ?? ['auth'],
    nonceLifetimeMs: options.nonceLifetimeMs ?? 60_000,
    randomBytes: random,
    ...(options.nonceStore === undefined ? {} : { nonceStore: options.nonceStore }),
    lookup: ({ username: given, userhash }) =>
      !userhash && constantTimeEqualString(given, username) ? { password } : undefined,
  })
  const policy = createConnectionRequestPolicy(options)
  let path = pathOf(options.path)

  const respond = (
    status: ConnectionRequestResponse['status'],
    outcome: ConnectionRequestDecision['outcome'],
    headers: Readonly<Record<string, string | string[]>> = EMPTY,
    extra: Partial<Pick<ConnectionRequestDecision, 'startSession' | 'sessionAfterCurrent' | 'auth'>> = {},
  ): ConnectionRequestDecision => ({
    response: { status, headers, body: '' },
    outcome,
    startSession: extra.startSession ?? false,
    sessionAfterCurrent: extra.sessionAfterCurrent ?? false,
    ...(extra.auth === undefined ? {} : { auth: extra.auth }),
  })

  return {
    policy,
    digest,
    handle(request, context) {
      if (pathOf(request.url) !== path) return respond(404, 'not-found')
      if (request.method !== 'GET') return respond(405, 'method-not-allowed', { ...EMPTY, Allow: 'GET' })
      let auth: DigestVerifyResult | undefined
      if (authentication) {
        const hostHeader = headerValue(request.headers, 'host')
        const host = typeof hostHeader === 'string' ? hostHeader : undefined
        const verified = digest.verify({
          method: request.method,
          uri: request.url,
          ...(host === undefined ? {} : { host }),
          authorization: headerValue(request.headers, 'authorization'),
          now: context.now,
        })
        if (!verified.ok) {
          return respond(401, 'unauthorized', { ...EMPTY, 'WWW-Authenticate': verified.challenge }, { auth: verified })
        }
        auth = verified
      }
      const extra = auth === undefined ? {} : { auth }
      const decision = policy.accept(context)
      if (!decision.accepted) return respond(503, decision.acceptance, EMPTY, extra)
      return respond(
        successStatus,
        decision.acceptance,
        successStatus === 204 ? {} : EMPTY,
        { ...extra, startSession: decision.startSession, sessionAfterCurrent: decision.sessionAfterCurrent },
      )
    },
    update(changes) {
      if (changes.path !== undefined) {
        if (!changes.path.startsWith('/')) throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'path must start with "/"')
        path = pathOf(changes.path)
      }
      if (changes.username !== undefined) username = changes.username
      if (changes.password !== undefined) password = changes.password
      if (changes.authentication !== undefined) authentication = changes.authentication
    },
    sessionStarted: () => policy.sessionStarted(),
    sessionEnded: () => policy.sessionEnded(),
    get state() {
      return policy.state
    },
  }
}

// ---------------------------------------------------------------------------------------------
// ACS side

/**
 * Where and how to reach a CPE's Connection Request URL.
 *
 * @category Connection requests
 */
export interface ConnectionRequestTarget {
  /** The CPE's `ManagementServer.ConnectionRequestURL`. */
  readonly url: string
  /** `ConnectionRequestUsername`. */
  readonly username: string
  /** `ConnectionRequestPassword`. */
  readonly password: string
}

/**
 * An HTTP request for the transport to send.
 *
 * @category Connection requests
 */
export interface OutgoingConnectionRequest {
  /** Always `GET`. */
  readonly method: 'GET'
  /** The absolute URL. */
  readonly url: string
  /** Headers to send (`Authorization` once a challenge is known). */
  readonly headers: Readonly<Record<string, string>>
}

/**
 * The final result of a Connection Request, from the ACS's point of view.
 *
 * @category Connection requests
 */
export type ConnectionRequestResult =
  /** 200 or 204: the CPE will open a session. */
  | 'accepted'
  /** The CPE refused our credentials. */
  | 'unauthorized'
  /** 503: rate-limited or busy; try later (TR-069: not before 30 s). */
  | 'busy'
  /** Any other status. */
  | 'failed'

/**
 * What to do after a response.
 *
 * @category Connection requests
 */
export type ConnectionRequestStep =
  | {
      /** Not finished: send {@link ConnectionRequestClient.request} again (now with credentials). */
      readonly done: false
    }
  | {
      /** Finished. */
      readonly done: true
      /** The outcome. */
      readonly result: ConnectionRequestResult
      /** The last HTTP status. */
      readonly status: number
    }

/**
 * Options of {@link createConnectionRequestClient}.
 *
 * @category Connection requests
 */
export interface ConnectionRequestClientOptions {
  /** cnonce source (inject for deterministic tests). */
  readonly cnonce?: () => string
  /** Digest algorithms accepted. Default: all. */
  readonly algorithms?: readonly DigestAlgorithm[]
  /**
   * Answer a Basic-only challenge with Basic. Default false: TR-069 §3.2.2 requires the CPE to use
   * Digest, and a Connection Request always travels over plain HTTP, so a Basic challenge would get
   * the ConnectionRequestPassword in clear. Enable only for a CPE known to need it.
   */
  readonly allowBasic?: boolean
}

/**
 * ACS-side Connection Request client: one GET, and one authenticated retry.
 *
 * @category Connection requests
 */
export interface ConnectionRequestClient {
  /** The request to send next. */
  request(): OutgoingConnectionRequest
  /** Feed the response; says whether to send {@link request} again. */
  handleResponse(response: {
    readonly status: number
    readonly headers: HttpHeaderValues
  }): ConnectionRequestStep
}

/**
 * Create the ACS side of one Connection Request.
 *
 * @throws {@link ConfigError} naming `target`, `target.url`, `target.username`, `target.password` or
 * `options` when one is missing or of the wrong type
 * @throws {@link AuthError} `ERR_CWMP_AUTH_INVALID_ARGUMENT` when the URL is not http(s)
 *
 * @example
 * ```ts
 * const cr = createConnectionRequestClient({ url, username, password })
 * for (;;) {
 *   const req = cr.request()
 *   const res = await fetch(req.url, { method: req.method, headers: req.headers })
 *   const step = cr.handleResponse({ status: res.status, headers: Object.fromEntries(res.headers) })
 *   if (step.done) { console.log(step.result); break }
 * }
 * ```
 *
 * @category Connection requests
 */
export function createConnectionRequestClient(
  target: ConnectionRequestTarget,
  options: ConnectionRequestClientOptions = {},
): ConnectionRequestClient {
  if (typeof target !== 'object' || target === null) throw new ConfigError('target', 'an object', target)
  if (typeof target.url !== 'string') throw new ConfigError('target.url', 'a string', target.url)
  if (typeof target.username !== 'string') throw new ConfigError('target.username', 'a string', target.username)
  if (typeof target.password !== 'string') throw new ConfigError('target.password', 'a string', target.password, { secret: true })
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  let url: URL
  try {
    url = new URL(target.url)
  } catch {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'the Connection Request URL is not a valid URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'the Connection Request URL must be http')
  }
  const uri = `${url.pathname}${url.search}`
  const digest: DigestClient = createDigestClient(
    { username: target.username, password: target.password },
    {
      ...(options.cnonce === undefined ? {} : { cnonce: options.cnonce }),
      ...(options.algorithms === undefined ? {} : { algorithms: options.algorithms }),
    },
  )
  let basic: string | undefined
  let sentAuth = false

  return {
    request() {
      const authorization = basic ?? digest.authorization({ method: 'GET', uri })
      sentAuth = authorization !== undefined
      return { method: 'GET', url: url.href, headers: authorization === undefined ? {} : { Authorization: authorization } }
    },
    handleResponse(response) {
      const { status } = response
      if (status === 200 || status === 204) return { done: true, result: 'accepted', status }
      if (status === 503) return { done: true, result: 'busy', status }
      if (status !== 401) return { done: true, result: 'failed', status }
      if (sentAuth) {
        // One authenticated attempt only, except a stale nonce.
        if (basic !== undefined) return { done: true, result: 'unauthorized', status }
      }
      const www = headerValue(response.headers, 'www-authenticate')
      if (www === undefined) return { done: true, result: 'failed', status }
      const challenges = parseWwwAuthenticate(www)
      const hasDigest = challenges.some((c) => c.scheme.toLowerCase() === 'digest')
      if (!hasDigest) {
        if (sentAuth || options.allowBasic !== true || !challenges.some((c) => c.scheme.toLowerCase() === 'basic')) {
          return { done: true, result: sentAuth ? 'unauthorized' : 'failed', status }
        }
        basic = createBasicAuthorization({ username: target.username, password: target.password })
        return { done: false }
      }
      const next = digest.handleResponse({ status, wwwAuthenticate: www })
      return next.retry ? { done: false } : { done: true, result: 'unauthorized', status }
    },
  }
}
