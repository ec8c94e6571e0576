/**
 * Authentication of CPEs by the simulator (TR-069 §3.4.4): Digest (stateless nonces, so that any
 * instance sharing the secret verifies them) or Basic, against one shared password, one user, or a
 * per-user lookup. It answers "who is this" or "401 with this challenge"; which session the request
 * belongs to is decided elsewhere. Only the Inform that opens a session is authenticated (D400).
 *
 * @module
 */

import { randomBytes } from 'node:crypto'
import { checkBasicAuthorization, createBasicChallenge, parseBasicAuthorization } from '../auth/basic.js'
import type { DigestAlgorithm } from '../auth/digest.js'
import { createDigestServer, type DigestServer } from '../auth/digest-server.js'
import type { DigestNonceStore } from '../auth/nonce-store.js'
import { headerValues, type HttpHeaders, type HttpRequest, type HttpResponse } from '../types/http.js'

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
  /** Digest algorithms offered, strongest first. Default `['MD5']` (TR-069 requires MD5). */
  readonly algorithms?: readonly DigestAlgorithm[]
  /**
   * Key of the stateless Digest nonces (at least 16 bytes). Give every instance behind a load
   * balancer the same secret. Default: 32 random bytes per simulator.
   */
  readonly secret?: string | Uint8Array
  /** Digest replay store (see {@link createDigestServer}). Default: in memory, per instance. */
  readonly nonceStore?: DigestNonceStore | null
  /**
   * Send `Connection: close` with every 401, so the CPE must authenticate on a new TCP connection
   * (what FritzBox CPEs do anyway, USER-NEEDS item 2). Default false.
   */
  readonly closeOnChallenge?: boolean
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
    }

/**
 * Authenticates CPE requests.
 *
 * @internal
 */
export interface CpeAuthenticator {
  /**
   * Check a request's credentials.
   *
   * @param request - the whole request (Digest `auth-int` hashes the body)
   */
  authenticate(request: HttpRequest): CpeAuthResult
}

/**
 * Options of {@link createCpeAuthenticator} besides the configuration itself.
 *
 * @internal
 */
export interface CpeAuthenticatorOptions {
  /** Clock for the Digest nonces. */
  readonly now: () => number
}

/**
 * The authenticator for a configuration; with none, every request is accepted as an anonymous user.
 *
 * @param auth - the simulator's `auth` option
 * @param options - clock
 * @throws TypeError when `auth` has neither a password nor a credentials lookup
 * @internal
 */
export function createCpeAuthenticator(auth: AcsSimulatorAuth | undefined, options: CpeAuthenticatorOptions): CpeAuthenticator {
  if (auth === undefined) return { authenticate: () => ({ ok: true, username: undefined }) }
  if (auth.credentials === undefined && auth.password === undefined) {
    throw new TypeError('auth needs a password or a credentials lookup')
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
      ...(auth.nonceStore === undefined ? {} : { nonceStore: auth.nonceStore }),
      now: options.now,
      lookup: ({ username, userhash }) => {
        if (userhash) return undefined
        const password = passwordOf(username)
        return password === undefined ? undefined : { password }
      },
    })
    return {
      authenticate(req) {
        const authorization = headerValues(req.headers, 'authorization')
        const result = digest.verify({
          method: req.method,
          uri: req.url,
          authorization: authorization.length === 0 ? undefined : authorization,
          body: req.body,
        })
        if (result.ok) return { ok: true, username: result.username }
        return { ok: false, reply: { status: 401, headers: challengeHeaders(result.challenge), body: '' }, why: `Digest: ${result.reason}` }
      },
    }
  }

  return {
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
      }
    },
  }
}
