/**
 * Cookies for a CWMP session (TR-069 §3.4.2, RFC 6265), client and server helpers.
 *
 * TR-069: the CPE MUST return the ACS's cookies in each later HTTP POST of the session, MUST support
 * several cookies and at least 512 bytes of them, need not keep them beyond the session, and after
 * a redirect MUST send all cookies of the session to the new ACS "without performing domain
 * validation" (SESSION-RULES §10).
 *
 * @module
 */

import { ConfigError } from '../errors.js'
import { type Transport, type TransportMiddleware } from './types.js'
import { headerValues, type HttpHeaders } from '../types/http.js'

/**
 * A cookie held by a {@link CookieJar}.
 *
 * @category Transports
 */
export interface StoredCookie {
  /** Cookie name. */
  readonly name: string
  /** Cookie value, exactly as the server sent it (quotes included). */
  readonly value: string
  /** Domain (lower case, no leading dot): the request host for a host-only cookie. */
  readonly domain: string
  /** True when the server sent no `Domain` attribute: only this exact host matches. */
  readonly hostOnly: boolean
  /** Path. */
  readonly path: string
  /** Expiry time (ms since the epoch), or undefined for a session cookie. */
  readonly expires: number | undefined
  /** Only sent over HTTPS. */
  readonly secure: boolean
  /** The `HttpOnly` attribute (kept for completeness; it means nothing outside browsers). */
  readonly httpOnly: boolean
  /** When the cookie was first stored (ms since the epoch); orders cookies of equal path length. */
  readonly created: number
}

/**
 * Options of {@link CookieJar}.
 *
 * @category Transports
 */
export interface CookieJarOptions {
  /** Clock (ms since the epoch) for `Expires` and `Max-Age`. Default `Date.now`. */
  readonly now?: () => number
  /**
   * Most cookies kept; the oldest are dropped beyond it. Default 50 (RFC 6265 §6.1 asks for at
   * least 50 per domain).
   */
  readonly maxCookies?: number
  /**
   * Largest cookie kept, name plus value plus attributes, in bytes. Default 4096 (RFC 6265 §6.1
   * asks for at least 4096; TR-069 only for 512 in all).
   */
  readonly maxCookieBytes?: number
}

/**
 * Which cookies {@link CookieJar.cookieHeader} sends to a URL.
 *
 * @category Transports
 */
export interface CookieMatchOptions {
  /**
   * Check that the URL's host domain-matches the cookie (RFC 6265 §5.4). Default true. TR-069
   * §3.4.2 wants it off after a redirect.
   */
  readonly matchDomain?: boolean
  /** Check that the URL's path path-matches the cookie. Default true. */
  readonly matchPath?: boolean
}

const DEFAULT_MAX_COOKIES = 50
const DEFAULT_MAX_COOKIE_BYTES = 4096
// Dates beyond this are clamped (RFC 6265 §5.2.1 lets a user agent cap expiry).
const MAX_DATE = 8.64e15

/**
 * The cookies of one CWMP session: what the ACS set, to be sent back on every later request.
 *
 * @example
 * ```ts
 * const jar = new CookieJar()
 * jar.setFromResponse('http://acs.example/cwmp', { 'set-cookie': ['sid=42; Path=/'] })
 * jar.cookieHeader('http://acs.example/cwmp') // 'sid=42'
 * jar.clear() // at the end of the session
 * ```
 *
 * @category Transports
 */
export class CookieJar {
  readonly #now: () => number
  readonly #maxCookies: number
  readonly #maxCookieBytes: number
  // Key: name, domain and path joined by NUL (RFC 6265 §5.3 step 11: these identify a cookie).
  readonly #cookies = new Map<string, StoredCookie>()

  /** @param options - clock and limits */
  constructor(options: CookieJarOptions = {}) {
    this.#now = options.now ?? Date.now
    this.#maxCookies = Math.max(1, options.maxCookies ?? DEFAULT_MAX_COOKIES)
    this.#maxCookieBytes = Math.max(512, options.maxCookieBytes ?? DEFAULT_MAX_COOKIE_BYTES)
  }

  /** Number of cookies held (expired ones included until the next read). */
  get size(): number {
    return this.#cookies.size
  }

  /**
   * Store the cookies of a response: every `Set-Cookie` field (and `Set-Cookie2`, RFC 2965), each
   * possibly holding several comma-separated cookies (old servers fold them). `Max-Age` ≤ 0 or an
   * `Expires` in the past deletes the cookie. RFC 2109 quoting (`Path="/"`) and attributes
   * (`Version`, `Comment`, `Discard`, `Port`, `$`-prefixed names) are tolerated. A cookie whose
   * `Domain` does not match the URL's host is ignored (RFC 6265 §5.3 step 6). Never throws on bad
   * header text: what cannot be read is skipped.
   *
   * @param url - the absolute URL the response came from
   * @param headers - the response header fields
   */
  setFromResponse(url: string, headers: HttpHeaders): void {
    const target = parseUrl(url)
    if (target === undefined) return
    for (const name of ['set-cookie', 'set-cookie2']) {
      for (const field of headerValues(headers, name)) {
        for (const text of splitSetCookie(field)) this.#store(target, text)
      }
    }
  }

  /**
   * Store one `Set-Cookie` value (one cookie).
   *
   * @param url - the absolute URL the response came from
   * @param setCookie - the field value
   */
  setCookie(url: string, setCookie: string): void {
    const target = parseUrl(url)
    if (target !== undefined) this.#store(target, setCookie)
  }

  /**
   * The `Cookie` field value for a request to `url`: `name=value` pairs joined by `; `, longest
   * path first, then oldest first (RFC 6265 §5.4); undefined when no cookie applies. Secure cookies
   * go to `https:` URLs only; expired cookies are dropped.
   *
   * @param url - the absolute request URL
   * @param options - relax domain or path matching
   */
  cookieHeader(url: string, options: CookieMatchOptions = {}): string | undefined {
    const target = parseUrl(url)
    if (target === undefined) return undefined
    const matching = this.cookies().filter(
      (c) =>
        (!c.secure || target.secure) &&
        (options.matchDomain === false || (c.hostOnly ? c.domain === target.host : domainMatch(target.host, c.domain))) &&
        (options.matchPath === false || pathMatch(target.path, c.path)),
    )
    if (matching.length === 0) return undefined
    matching.sort((a, b) => b.path.length - a.path.length || a.created - b.created)
    return matching.map((c) => `${c.name}=${c.value}`).join('; ')
  }

  /** The live cookies (expired ones are removed first). */
  cookies(): StoredCookie[] {
    const now = this.#now()
    for (const [key, c] of this.#cookies) if (c.expires !== undefined && c.expires <= now) this.#cookies.delete(key)
    return [...this.#cookies.values()]
  }

  /** Forget every cookie (at the end of a session). */
  clear(): void {
    this.#cookies.clear()
  }

  #store(target: ParsedUrl, text: string): void {
    if (byteLength(text) > this.#maxCookieBytes) return
    const parsed = parseSetCookie(text, this.#now())
    if (parsed === undefined) return
    let domain = target.host
    let hostOnly = true
    if (parsed.domain !== undefined && parsed.domain !== '') {
      if (!domainMatch(target.host, parsed.domain)) return
      // An IP address only matches itself (RFC 6265 §5.1.3), so a Domain equal to it is host-only.
      domain = parsed.domain
      hostOnly = isIpAddress(target.host)
    }
    const path = parsed.path !== undefined && parsed.path.startsWith('/') ? parsed.path : defaultPath(target.path)
    const key = `${parsed.name}\u0000${domain}\u0000${path}`
    const old = this.#cookies.get(key)
    this.#cookies.delete(key)
    if (parsed.expires !== undefined && parsed.expires <= this.#now()) return // deletion
    this.#cookies.set(key, {
      name: parsed.name,
      value: parsed.value,
      domain,
      hostOnly,
      path,
      expires: parsed.expires,
      secure: parsed.secure,
      httpOnly: parsed.httpOnly,
      created: old?.created ?? this.#now(),
    })
    while (this.#cookies.size > this.#maxCookies) {
      const oldest = this.#cookies.keys().next()
      if (oldest.done === true) break
      this.#cookies.delete(oldest.value)
    }
  }
}

/**
 * Options of {@link withCookies}.
 *
 * @category Transports
 */
export interface WithCookiesOptions {
  /** Send a cookie only to hosts its Domain matches (RFC 6265). Default false (TR-069 §3.4.2). */
  readonly matchDomain?: boolean
  /** Send a cookie only to paths its Path matches (RFC 6265). Default false. */
  readonly matchPath?: boolean
}

/**
 * The middleware returned by {@link withCookies}, with its jar.
 *
 * @category Transports
 */
export interface CookieMiddleware extends TransportMiddleware {
  /** The jar the middleware reads and fills; `clear()` it when the session ends. */
  readonly jar: CookieJar
}

/**
 * Middleware that keeps the session's cookies: every `Set-Cookie` of every response (401s and
 * redirects included) goes into the jar, and every request carries the jar's cookies in one
 * `Cookie` field (appended to a `Cookie` field the request already has).
 *
 * Matching default for a CWMP session: **every live cookie is sent on every request, whatever its
 * Domain and Path** (Secure cookies still only over HTTPS). TR-069 §3.4.2 requires the cookies on
 * the redirected URL without domain validation, and a session posts to one URL, where a Path
 * mismatch only loses the session (GenieACS #79). Pass `matchDomain: true` / `matchPath: true` for
 * RFC 6265 matching.
 *
 * Put it after the auth middleware in {@link composeTransport} (closer to the wire) so the
 * authenticated resend also carries the cookies set by the 401.
 *
 * @param jar - the jar to use; default a new {@link CookieJar}
 * @param options - matching rules
 *
 * @throws {@link ConfigError} naming `jar` when it is not a CookieJar or `options` when it is not an object
 *
 * @example
 * ```ts
 * const cookies = withCookies()
 * const transport = composeTransport(createHttpTransport(), withAuth({ username, password }), cookies)
 * // … session …
 * cookies.jar.clear()
 * ```
 *
 * @category Transports
 */
export function withCookies(jar: CookieJar = new CookieJar(), options: WithCookiesOptions = {}): CookieMiddleware {
  if (!(jar instanceof CookieJar)) throw new ConfigError('jar', 'a CookieJar', jar)
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  const match: CookieMatchOptions = {
    matchDomain: options.matchDomain ?? false,
    matchPath: options.matchPath ?? false,
  }
  const middleware = (next: Transport): Transport => ({
    async send(request, sendOptions) {
      const cookie = jar.cookieHeader(request.url, match)
      let headers = request.headers
      if (cookie !== undefined) {
        const existing = headerValues(headers, 'cookie')
        const rest: Record<string, string | readonly string[]> = {}
        for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() !== 'cookie') rest[k] = v
        rest['cookie'] = [...existing, cookie].join('; ')
        headers = rest
      }
      const response = await next.send(headers === request.headers ? request : { ...request, headers }, sendOptions)
      jar.setFromResponse(request.url, response.headers)
      return response
    },
    ...(next.close === undefined ? {} : { close: () => next.close?.() }),
  })
  return Object.assign(middleware, { jar })
}

/**
 * Parse a `Cookie` request field into name → value, for servers (the ACS finding its session).
 * The first occurrence of a name wins (RFC 6265 §5.4 sends the most specific first). RFC 2109
 * attributes (`$Version`, `$Path`, `$Domain`) are skipped, one pair of surrounding double quotes
 * is removed from a value, and pairs without `=` are ignored. Several `Cookie` fields are joined.
 *
 * @param header - the `Cookie` field value(s)
 * @returns the cookies by name
 *
 * @example
 * ```ts
 * parseCookieHeader('$Version="0"; ID=abc;$Path=/').get('ID') // 'abc'
 * ```
 *
 * @category Transports
 */
export function parseCookieHeader(header: string | readonly string[] | undefined): Map<string, string> {
  const out = new Map<string, string>()
  if (header === undefined) return out
  const text = typeof header === 'string' ? header : header.join('; ')
  // RFC 2109 allowed `,` between cookies too; split on `;` and on `,` followed by `name=`.
  for (const part of text.split(/;|,(?=\s*[^\s=;,]+\s*=)/)) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    const name = part.slice(0, eq).trim()
    if (name === '' || name.startsWith('$') || out.has(name)) continue
    out.set(name, unquote(part.slice(eq + 1).trim()))
  }
  return out
}

// ---------------------------------------------------------------------------------------------

interface ParsedUrl {
  readonly host: string
  readonly path: string
  readonly secure: boolean
}

function parseUrl(url: string): ParsedUrl | undefined {
  let u: URL
  try {
    u = new URL(url)
  } catch {
    return undefined
  }
  const host = u.hostname.toLowerCase().replace(/^\[(.*)\]$/, '$1')
  return { host, path: u.pathname === '' ? '/' : u.pathname, secure: u.protocol === 'https:' }
}

interface ParsedSetCookie {
  readonly name: string
  readonly value: string
  readonly domain: string | undefined
  readonly path: string | undefined
  readonly expires: number | undefined
  readonly secure: boolean
  readonly httpOnly: boolean
}

/** RFC 6265 §5.2, tolerant of RFC 2109 / 2965 and Netscape forms. */
function parseSetCookie(text: string, now: number): ParsedSetCookie | undefined {
  const parts = text.split(';')
  let index = 0
  // A server imitating the RFC 2109 Cookie header: `$Version="1"; ID=x; $Path="/"`.
  while (index < parts.length && /^\s*\$version\s*=/i.test(parts[index] ?? '')) index += 1
  const pair = parts[index] ?? ''
  const eq = pair.indexOf('=')
  if (eq < 0) return undefined
  const name = pair.slice(0, eq).trim()
  const value = pair.slice(eq + 1).trim()
  if (name === '' || /[\u0000-\u001f\u007f]/.test(name + value)) return undefined
  let domain: string | undefined
  let path: string | undefined
  let expires: number | undefined
  let maxAge: number | undefined
  let secure = false
  let httpOnly = false
  for (const attr of parts.slice(index + 1)) {
    const k = attr.indexOf('=')
    const key = (k < 0 ? attr : attr.slice(0, k)).trim().toLowerCase().replace(/^\$/, '')
    const raw = k < 0 ? '' : attr.slice(k + 1).trim()
    const val = unquote(raw)
    switch (key) {
      case 'expires': {
        const t = parseCookieDate(raw)
        if (t !== undefined) expires = t
        break
      }
      case 'max-age': {
        // RFC 6265 §5.2.2: an optional "-" then digits; anything else is ignored.
        if (/^-?\d+$/.test(val)) {
          const seconds = Number(val)
          maxAge = seconds <= 0 ? -Infinity : Math.min(now + seconds * 1000, MAX_DATE)
        }
        break
      }
      case 'domain':
        if (val !== '') domain = val.replace(/^\./, '').toLowerCase()
        break
      case 'path':
        path = val
        break
      case 'secure':
        secure = true
        break
      case 'httponly':
        httpOnly = true
        break
      default:
        // Version, Comment, CommentURL, Discard, Port, SameSite, …: nothing to do for a CPE.
        break
    }
  }
  // Max-Age wins over Expires (RFC 6265 §5.3 step 3).
  const expiry = maxAge ?? expires
  return {
    name,
    value,
    domain,
    path,
    expires: expiry === -Infinity ? now - 1 : expiry,
    secure,
    httpOnly,
  }
}

/**
 * Split a Set-Cookie field that may fold several cookies with `,` (Set-Cookie2, old servers). A
 * comma starts a new cookie only when `name=` follows it, so the comma of an `Expires` date
 * (`Wed, 09 Jun 2021 …`) does not.
 */
function splitSetCookie(field: string): string[] {
  return field
    .split(/,(?=\s*[!#$%&'*+\-.^_`|~0-9A-Za-z]+\s*=)/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

/**
 * The cookie date algorithm of RFC 6265 §5.1.1: reads `Wed, 09 Jun 2021 10:18:14 GMT`, Netscape's
 * `Wednesday, 09-Jun-21 10:18:14 GMT`, asctime and other variants. Undefined when unreadable.
 */
function parseCookieDate(text: string): number | undefined {
  let time: [number, number, number] | undefined
  let day: number | undefined
  let month: number | undefined
  let year: number | undefined
  for (const token of text.split(/[\u0009\u0020-\u002f\u003b-\u0040\u005b-\u0060\u007b-\u007e]+/)) {
    if (token === '') continue
    const t = time === undefined ? /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\D.*)?$/.exec(token) : null
    if (t !== null) {
      time = [Number(t[1]), Number(t[2]), Number(t[3])]
      continue
    }
    const d = day === undefined ? /^(\d{1,2})(?:\D.*)?$/.exec(token) : null
    if (d !== null) {
      day = Number(d[1])
      continue
    }
    if (month === undefined) {
      const m = MONTHS.indexOf(token.slice(0, 3).toLowerCase())
      if (m >= 0) {
        month = m
        continue
      }
    }
    const y = year === undefined ? /^(\d{2,4})(?:\D.*)?$/.exec(token) : null
    if (y !== null) year = Number(y[1])
  }
  if (time === undefined || day === undefined || month === undefined || year === undefined) return undefined
  if (year >= 70 && year <= 99) year += 1900
  else if (year >= 0 && year <= 69) year += 2000
  const [h, mi, s] = time
  if (day < 1 || day > 31 || year < 1601 || h > 23 || mi > 59 || s > 59) return undefined
  const ms = Date.UTC(year, month, day, h, mi, s)
  return Number.isNaN(ms) ? undefined : Math.min(ms, MAX_DATE)
}

/** RFC 6265 §5.1.3. */
function domainMatch(host: string, domain: string): boolean {
  if (host === domain) return true
  return !isIpAddress(host) && host.endsWith(`.${domain}`)
}

/** RFC 6265 §5.1.4. */
function pathMatch(requestPath: string, cookiePath: string): boolean {
  if (requestPath === cookiePath) return true
  if (!requestPath.startsWith(cookiePath)) return false
  return cookiePath.endsWith('/') || requestPath.charAt(cookiePath.length) === '/'
}

/** RFC 6265 §5.1.4 default-path. */
function defaultPath(path: string): string {
  if (!path.startsWith('/')) return '/'
  const last = path.lastIndexOf('/')
  return last <= 0 ? '/' : path.slice(0, last)
}

function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':')
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value
}

function byteLength(text: string): number {
  return Buffer.byteLength(text)
}
