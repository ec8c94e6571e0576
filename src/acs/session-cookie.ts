/**
 * The session cookie: the simulator sets it on the answer to the authenticated Inform and finds the
 * session by it afterwards (its value, 128 random bits, is the session's credential, D400).
 *
 * @module
 */

import { ConfigError } from '../errors.js'
import { parseCookieHeader } from '../transport/cookies.js'
import { headerValue, type HttpHeaders } from '../types/http.js'

/**
 * Default name of the session cookie.
 *
 * @category ACS simulator
 */
export const DEFAULT_SESSION_COOKIE = 'cwmpsid'

/**
 * Reads and writes the session cookie.
 *
 * @internal
 */
export interface SessionCookie {
  /**
   * The session id a request names, if it carries the cookie.
   *
   * @param headers - the request's header fields
   */
  read(headers: HttpHeaders): string | undefined
  /**
   * The `Set-Cookie` value for a session.
   *
   * @param sessionId - the session id
   */
  setCookie(sessionId: string): string
}

/**
 * The session cookie of a given name.
 *
 * @param name - an HTTP token
 * @throws {@link ConfigError} (field `cookieName`) when `name` is not an HTTP token
 * @internal
 */
export function createSessionCookie(name: string = DEFAULT_SESSION_COOKIE): SessionCookie {
  if (typeof name !== 'string' || !/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) throw new ConfigError('cookieName', 'an HTTP token (RFC 9110 §5.6.2)', name)
  return {
    read: (headers) => parseCookieHeader(headerValue(headers, 'cookie')).get(name),
    setCookie: (sessionId) => `${name}=${sessionId}; Path=/; HttpOnly`,
  }
}
