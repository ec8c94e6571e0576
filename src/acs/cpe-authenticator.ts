/**
 * Authentication of CPEs by the simulator (TR-069 §3.4.4): Digest (stateless nonces, so that any
 * instance sharing the secret verifies them) or Basic, against one shared password, one user, or a
 * per-user lookup. It answers "who is this" or "401 with this challenge"; which session the request
 * belongs to is decided elsewhere. Only the Inform that opens a session is authenticated (D400).
 *
 * @module
 */

import { randomBytes } from 'node:crypto'
import { checkBasicAuthorization, createBasicChallenge, parseBasicAuthorization, parseCpeUsername } from '../auth/basic.js'
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from '../auth/digest.js'
import { createDigestServer, type DigestServer } from '../auth/digest-server.js'
import type { DigestNonceCheck, DigestNonceCounter, DigestNonceStore } from '../auth/nonce-store.js'
import { ConfigError } from '../errors.js'
import type { HttpRequestHead } from '../transport/http-server.js'
import { headerValue, headerValues, type HttpHeaders, type HttpResponse } from '../types/http.js'
import type { DeviceIdStruct } from '../types/structs.js'

/**
 * Decides whether an authenticated user may be the device an Inform names: true to go on, false for
 * a 403 that changes nothing.
 *
 * @param username - the authenticated user name
 * @param deviceId - the Inform's DeviceId
 * @param deviceKey - its device key
 * @category ACS simulator
 */
export type AcsDeviceAuthorizer = (username: string, deviceId: DeviceIdStruct, deviceKey: string) => boolean | Promise<boolean>

/**
 * Authentication of CPEs by the simulator.
 *
 * @category ACS simulator
 */
export interface AcsSimulatorAuth {
  /** The one accepted user name; absent: any user name with {@link AcsSimulatorAuth.password}. */
  readonly username?: string
  /** The password (of {@link AcsSimulatorAuth.username}, or of every user). */
  readonly password?: string
  /**
   * Per-device passwords: the password of a user name (TR-069: `OUI-ProductClass-SerialNumber`),
   * or undefined for an unknown user. Takes precedence over `username`/`password`.
   */
  readonly credentials?: (username: string) => string | undefined
  /** HTTP scheme. Default `digest`; `basic` only makes sense over TLS (TR-069 §3.4.4). */
  readonly scheme?: 'digest' | 'basic'
  /** Realm. Default `cwmp-acs`. */
  readonly realm?: string
  /**
   * Which devices an authenticated user may Inform as (TR-069 §3.4.4 wants each CPE to have its own
   * credentials; an Inform for a device its user may not be gets 403 and changes nothing: no
   * session, no queued request delivered, no ConnectionRequestURL learnt, no session ended):
   * - `'cpe-username'`: only the device whose §3.4.4 user name (`OUI-ProductClass-SerialNumber`,
   *   read with {@link parseCpeUsername}) is the user name;
   * - `'any'`: any device. With one shared password this is what a shared credential means: every
   *   holder of it can Inform as every device, receive its queued requests and change its
   *   ConnectionRequestURL;
   * - a function of the user name, the DeviceId and the device key (see {@link AcsDeviceAuthorizer}).
   *
   * Default: `'cpe-username'` with {@link AcsSimulatorAuth.credentials} (per-device credentials),
   * `'any'` with a shared `password`.
   */
  readonly authorize?: 'cpe-username' | 'any' | AcsDeviceAuthorizer
  /**
   * Digest algorithms offered, strongest first. Default `['MD5']` (TR-069 requires MD5). A client
   * picks any algorithm offered, so offering MD5 beside SHA-256 lets a client (or a man in the middle
   * who rewrites the challenge) use MD5: give `['SHA-256']` to offer SHA-256 only.
   */
  readonly algorithms?: readonly DigestAlgorithm[]
  /**
   * Key of the stateless Digest nonces (at least 16 bytes). Give every instance behind a load
   * balancer the same secret. Default: 32 random bytes per simulator.
   */
  readonly secret?: string | Uint8Array
  /**
   * Digest replay store (see {@link createDigestServer}). Default: in memory, per instance; a
   * shared, asynchronous one comes with the simulator's `stores.nonces` (`cwmp/redis`).
   */
  readonly nonceStore?: DigestNonceStore | null
  /**
   * Send `Connection: close` with every 401, so the CPE must authenticate on a new TCP connection
   * (what FritzBox CPEs do anyway, USER-NEEDS item 2). Default false.
   */
  readonly closeOnChallenge?: boolean
  /**
   * How long the 401 to credentials that were presented and refused waits before it is sent (a wrong
   * password, an unknown user, a replayed or forged Authorization; not a request without credentials
   * and not a stale nonce, which honest CPEs send), in ms. A client guessing passwords or replaying
   * a captured header one request at a time is slowed to one try per this delay per connection, and
   * the CPU it took from honest sessions goes back to them (D440). Default 250; 0 answers at once.
   */
  readonly failureDelayMs?: number
}

/**
 * The verdict on one request: the user it authenticated as (undefined without authentication), or
 * the 401 to send and why, for the recording.
 *
 * @internal
 */
export type CpeAuthResult =
  | {
      /** Authenticated (or no authentication configured). */
      readonly ok: true
      /** The user name; undefined when authentication is off. */
      readonly username: string | undefined
    }
  | {
      /** Refused. */
      readonly ok: false
      /** The 401 with its challenge. */
      readonly reply: HttpResponse
      /** Why, e.g. `Digest: bad-nonce`. */
      readonly why: string
      /** How long to wait before sending `reply` (presented credentials refused), ms. */
      readonly delayMs: number
      /**
       * Credentials were presented and refused (not a request without any, not a stale nonce): a
       * refusal an honest CPE does not provoke (the simulator's `sourceLimits`).
       */
      readonly presented: boolean
    }

/**
 * Authenticates CPE requests.
 *
 * @internal
 */
export interface CpeAuthenticator {
  /** False when authentication is off (every request is the anonymous user). */
  readonly enabled: boolean
  /**
   * Check a request's credentials from its head alone: the body is never needed (Digest is
   * offered with qop `auth` only, never `auth-int`), so a refused request's body need not be read.
   *
   * @param request - the request line and header fields
   */
  authenticate(request: HttpRequestHead): CpeAuthResult | Promise<CpeAuthResult>
  /**
   * May this user be this device (the `authorize` option)? Always true without authentication.
   *
   * @param username - the authenticated user name (undefined without authentication)
   * @param deviceId - the Inform's DeviceId
   * @param deviceKey - its device key
   */
  mayBe(username: string | undefined, deviceId: DeviceIdStruct, deviceKey: string): boolean | Promise<boolean>
}

/**
 * True when `username` is the TR-069 §3.4.4 user name of `deviceId` (OUI compared without case).
 *
 * @param username - the authenticated user name
 * @param deviceId - the Inform's DeviceId
 * @internal
 */
export function isCpeUsernameOf(username: string, deviceId: DeviceIdStruct): boolean {
  let who: ReturnType<typeof parseCpeUsername>
  try {
    who = parseCpeUsername(username)
  } catch {
    return false
  }
  return (
    who.oui === deviceId.oui.toUpperCase() &&
    (who.productClass ?? '') === deviceId.productClass &&
    who.serialNumber === deviceId.serialNumber
  )
}

/**
 * Options of {@link createCpeAuthenticator} besides the configuration itself.
 *
 * @internal
 */
export interface CpeAuthenticatorOptions {
  /** Clock for the Digest nonces. */
  readonly now: () => number
  /** A shared replay store: nonce counts are checked there (after {@link DigestServer.check}). */
  readonly nonces?: DigestNonceCounter | undefined
}

/**
 * The authenticator for a configuration; with none, every request is accepted as an anonymous user.
 *
 * @param auth - the simulator's `auth` option
 * @param options - clock
 * @throws {@link ConfigError} naming the field of `auth` out of its rule (none of a password and a credentials lookup, a short secret, …)
 * @internal
 */
export function createCpeAuthenticator(auth: AcsSimulatorAuth | undefined, options: CpeAuthenticatorOptions): CpeAuthenticator {
  if (auth === undefined) return { enabled: false, authenticate: () => ({ ok: true, username: undefined }), mayBe: () => true }
  if (typeof auth !== 'object' || auth === null) throw new ConfigError('auth', 'an object', auth)
  if (auth.credentials === undefined && auth.password === undefined) {
    throw new ConfigError('auth', 'an object with a password or a credentials lookup')
  }
  if (auth.password !== undefined && typeof auth.password !== 'string') throw new ConfigError('auth.password', 'a string', undefined, { secret: true })
  if (auth.username !== undefined && typeof auth.username !== 'string') throw new ConfigError('auth.username', 'a string', auth.username)
  if (auth.credentials !== undefined && typeof auth.credentials !== 'function') throw new ConfigError('auth.credentials', 'a function of the user name', auth.credentials)
  if (auth.scheme !== undefined && auth.scheme !== 'digest' && auth.scheme !== 'basic') throw new ConfigError('auth.scheme', "'digest' or 'basic'", auth.scheme)
  if (auth.realm !== undefined && (typeof auth.realm !== 'string' || auth.realm === '' || /["\\\u0000-\u001f\u007f]/.test(auth.realm))) {
    throw new ConfigError('auth.realm', 'a non-empty string without quotes, backslashes or control characters', auth.realm)
  }
  if (auth.secret !== undefined) {
    const bytes = typeof auth.secret === 'string' ? Buffer.byteLength(auth.secret) : auth.secret instanceof Uint8Array ? auth.secret.length : -1
    if (bytes < 16) throw new ConfigError('auth.secret', 'a string or bytes of at least 16 bytes', undefined, { secret: true })
  }
  if (auth.closeOnChallenge !== undefined && typeof auth.closeOnChallenge !== 'boolean') throw new ConfigError('auth.closeOnChallenge', 'a boolean', auth.closeOnChallenge)
  const failureDelayMs = auth.failureDelayMs ?? 250
  if (!Number.isInteger(failureDelayMs) || failureDelayMs < 0 || failureDelayMs > 60_000) {
    throw new ConfigError('auth.failureDelayMs', 'an integer number of ms from 0 to 60000', auth.failureDelayMs)
  }
  const authorize = auth.authorize ?? (auth.credentials === undefined ? 'any' : 'cpe-username')
  if (authorize !== 'any' && authorize !== 'cpe-username' && typeof authorize !== 'function') {
    throw new ConfigError('auth.authorize', "'cpe-username', 'any' or a function", authorize)
  }
  if (
    auth.algorithms !== undefined &&
    (!Array.isArray(auth.algorithms) || auth.algorithms.length === 0 || auth.algorithms.some((a) => !DIGEST_ALGORITHMS.includes(a)))
  ) {
    throw new ConfigError('auth.algorithms', `a non-empty list of ${DIGEST_ALGORITHMS.join(', ')}`)
  }
  const mayBe = (username: string | undefined, deviceId: DeviceIdStruct, deviceKey: string): boolean | Promise<boolean> => {
    if (username === undefined) return false
    if (authorize === 'any') return true
    if (authorize === 'cpe-username') return isCpeUsernameOf(username, deviceId)
    return authorize(username, deviceId, deviceKey)
  }
  const passwordOf = (username: string): string | undefined => {
    if (auth.credentials !== undefined) return auth.credentials(username)
    if (auth.username !== undefined && auth.username !== username) return undefined
    return auth.password
  }
  const realm = auth.realm ?? 'cwmp-acs'
  const challengeHeaders = (challenge: string | string[]): HttpHeaders => ({
    'www-authenticate': challenge,
    'content-length': '0',
    ...(auth.closeOnChallenge === true ? { connection: 'close' } : {}),
  })

  if (auth.scheme !== 'basic') {
    const digest: DigestServer = createDigestServer({
      realm,
      secret: auth.secret ?? randomBytes(32),
      ...(auth.algorithms === undefined ? {} : { algorithms: auth.algorithms }),
      ...(options.nonces !== undefined ? { nonceStore: null } : auth.nonceStore === undefined ? {} : { nonceStore: auth.nonceStore }),
      now: options.now,
      lookup: ({ username, userhash }) => {
        if (userhash) return undefined
        const password = passwordOf(username)
        return password === undefined ? undefined : { password }
      },
    })
    const counter = options.nonces
    const refuse = (challenge: string[], reason: string): CpeAuthResult => ({
      ok: false,
      reply: { status: 401, headers: challengeHeaders(challenge), body: '' },
      why: `Digest: ${reason}`,
      // No credentials, or a nonce that aged: what honest CPEs send, answered at once.
      delayMs: reason === 'missing' || reason === 'stale' ? 0 : failureDelayMs,
      presented: reason !== 'missing' && reason !== 'stale',
    })
    return {
      enabled: true,
      mayBe,
      authenticate(req) {
        const authorization = headerValues(req.headers, 'authorization')
        const host = headerValue(req.headers, 'host')
        const request = {
          method: req.method,
          uri: req.url,
          ...(host === undefined ? {} : { host }),
          authorization: authorization.length === 0 ? undefined : authorization,
        }
        if (counter === undefined) {
          const result = digest.verify(request)
          return result.ok ? { ok: true, username: result.username } : refuse(result.challenge, result.reason)
        }
        const result = digest.check(request)
        if (!result.ok) return refuse(result.challenge, result.reason)
        const use = {
          nonce: result.nonce,
          nc: result.nc,
          issuedAt: result.nonceIssuedAt,
          sequence: result.nonceSequence,
          expiresAt: result.nonceExpiresAt,
          now: options.now(),
        }
        const judged = (seen: DigestNonceCheck): CpeAuthResult =>
          seen === 'fresh'
            ? { ok: true, username: result.username }
            : refuse(digest.challenge({ stale: seen === 'forgotten' }), seen === 'replay' ? 'replay' : 'stale')
        const seen = counter.check(use)
        return seen instanceof Promise ? seen.then(judged) : judged(seen)
      },
    }
  }

  return {
    enabled: true,
    mayBe,
    authenticate(req) {
      const header = headerValues(req.headers, 'authorization')[0]
      let username: string | undefined
      try {
        username = header === undefined ? undefined : parseBasicAuthorization(header).username
      } catch {
        username = undefined
      }
      const password = username === undefined ? undefined : passwordOf(username)
      if (username !== undefined && password !== undefined && checkBasicAuthorization(header, { username, password })) {
        return { ok: true, username }
      }
      return {
        ok: false,
        reply: { status: 401, headers: challengeHeaders(createBasicChallenge(realm)), body: '' },
        why: header === undefined ? 'Basic: missing' : 'Basic: refused',
        delayMs: header === undefined ? 0 : failureDelayMs,
        presented: header !== undefined,
      }
    },
  }
}
