/**
 * Parsing and formatting of the HTTP authentication headers (RFC 7235 §2.1 and §4):
 *
 * ```text
 * WWW-Authenticate = 1#challenge
 * Authorization    = credentials
 * challenge        = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 * auth-param       = token BWS "=" BWS ( token / quoted-string )
 * token68          = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
 * ```
 *
 * One header may carry several challenges separated by commas (`Digest …, Basic …`); a comma
 * followed by `name=` continues the current challenge, a comma followed by a bare token starts a
 * new one. Parameter names are case-insensitive and returned in lower case. A parameter that occurs
 * twice in one challenge is an error (RFC 7235 §2.1: "Each parameter name MUST only occur once per
 * challenge").
 *
 * Leniency, for real devices: unquoted values may contain any visible character except `"` and
 * `,` (so `uri=/a/b` and `nonce=abc==` from non-conforming peers parse), and empty list elements
 * (`, ,`) are skipped. Everything else that does not match the grammar is an {@link AuthError}
 * `ERR_CWMP_AUTH_MALFORMED`; input longer than the limit is `ERR_CWMP_AUTH_LIMIT_EXCEEDED`.
 *
 * @module
 */

import { AuthError } from '../errors.js'

/**
 * One parsed challenge (from `WWW-Authenticate`) or credentials (from `Authorization`).
 *
 * @category Authentication
 */
export interface AuthChallenge {
  /** The auth-scheme as written, e.g. `Digest`. Compare it case-insensitively. */
  readonly scheme: string
  /** Parameters by lower-case name, values unquoted and unescaped. A null-prototype object. */
  readonly params: Readonly<Record<string, string>>
  /** The token68 form (`Basic dXNlcjpwYXNz`), when the scheme used it instead of parameters. */
  readonly token68?: string
}

/**
 * Options of the header parsers.
 *
 * @category Authentication
 */
export interface AuthHeaderParseOptions {
  /**
   * Largest header accepted, in characters (after joining repeated headers with `, `).
   * Default 16384: far above any real challenge (lighttpd's SHA-256 challenge is about 170).
   */
  readonly maxLength?: number
}

/**
 * Default of {@link AuthHeaderParseOptions.maxLength}.
 *
 * @category Authentication
 */
export const DEFAULT_AUTH_HEADER_MAX_LENGTH = 16384

const TCHAR = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]$/
const TOKEN68_CHAR = /^[A-Za-z0-9\-._~+/]$/

function isTchar(c: string | undefined): boolean {
  return c !== undefined && TCHAR.test(c)
}

function isWs(c: string | undefined): boolean {
  return c === ' ' || c === '\t'
}

function malformed(message: string): AuthError {
  return new AuthError('ERR_CWMP_AUTH_MALFORMED', message)
}

/** Join a header given once or several times (Node gives repeated headers as an array). */
function joinHeader(header: string | readonly string[], maxLength: number): string {
  if (typeof header !== 'string' && !Array.isArray(header)) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'header must be a string or an array of strings')
  }
  const parts: readonly unknown[] = typeof header === 'string' ? [header] : header
  let total = 0
  for (const p of parts) {
    if (typeof p !== 'string') {
      throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'header must be a string or an array of strings')
    }
    total += p.length + 2
    if (total > maxLength + 2) {
      throw new AuthError('ERR_CWMP_AUTH_LIMIT_EXCEEDED', `authentication header longer than ${maxLength} characters`)
    }
  }
  return (parts as readonly string[]).join(', ')
}

class Cursor {
  pos = 0
  readonly s: string
  constructor(s: string) {
    this.s = s
  }
  get done(): boolean {
    return this.pos >= this.s.length
  }
  peek(offset = 0): string | undefined {
    return this.s[this.pos + offset]
  }
  skipWs(): void {
    while (isWs(this.peek())) this.pos++
  }
  token(): string {
    const start = this.pos
    while (isTchar(this.peek())) this.pos++
    return this.s.slice(start, this.pos)
  }
}

function readQuoted(c: Cursor): string {
  // c.peek() === '"'
  c.pos++
  let out = ''
  for (;;) {
    const ch = c.peek()
    if (ch === undefined) throw malformed('unterminated quoted-string')
    c.pos++
    if (ch === '"') return out
    if (ch === '\\') {
      const next = c.peek()
      if (next === undefined) throw malformed('unterminated quoted-string')
      if (isControl(next) && next !== '\t') throw malformed('control character in quoted-string')
      out += next
      c.pos++
      continue
    }
    if (isControl(ch) && ch !== '\t') throw malformed('control character in quoted-string')
    out += ch
  }
}

function isControl(ch: string): boolean {
  const code = ch.charCodeAt(0)
  return code < 0x20 || code === 0x7f
}

function readBareValue(c: Cursor): string {
  const start = c.pos
  for (;;) {
    const ch = c.peek()
    if (ch === undefined || ch === ',' || ch === '"' || isWs(ch) || isControl(ch)) break
    c.pos++
  }
  return c.s.slice(start, c.pos)
}

/** Does a token68 (and nothing else) start at the cursor? If so, return its end position. */
function token68End(c: Cursor): number | undefined {
  let p = c.pos
  while (c.s[p] !== undefined && TOKEN68_CHAR.test(c.s[p] as string)) p++
  if (p === c.pos) return undefined
  while (c.s[p] === '=') p++
  let q = p
  while (isWs(c.s[q])) q++
  if (q >= c.s.length || c.s[q] === ',') return p
  return undefined
}

/** After a comma: is the next list element a new challenge (a bare token not followed by `=`)? */
function startsNewChallenge(c: Cursor): boolean {
  let p = c.pos
  while (isTchar(c.s[p])) p++
  if (p === c.pos) return false
  while (isWs(c.s[p])) p++
  return c.s[p] !== '='
}

function skipListSeparators(c: Cursor): void {
  for (;;) {
    c.skipWs()
    if (c.peek() === ',') {
      c.pos++
      continue
    }
    return
  }
}

function parseChallenges(text: string): AuthChallenge[] {
  const c = new Cursor(text)
  const out: AuthChallenge[] = []
  skipListSeparators(c)
  if (c.done) throw malformed('empty authentication header')
  while (!c.done) {
    const scheme = c.token()
    if (scheme === '') throw malformed(`expected an auth-scheme at offset ${c.pos}`)
    const params: Record<string, string> = Object.create(null) as Record<string, string>
    if (c.done || c.peek() === ',') {
      out.push({ scheme, params })
      skipListSeparators(c)
      continue
    }
    if (!isWs(c.peek())) throw malformed(`unexpected character after auth-scheme at offset ${c.pos}`)
    c.skipWs()
    if (c.done || c.peek() === ',') {
      out.push({ scheme, params })
      skipListSeparators(c)
      continue
    }
    const t68 = token68End(c)
    if (t68 !== undefined) {
      const token68 = text.slice(c.pos, t68)
      c.pos = t68
      out.push({ scheme, params, token68 })
      skipListSeparators(c)
      continue
    }
    // #auth-param
    for (;;) {
      const name = c.token().toLowerCase()
      if (name === '') throw malformed(`expected a parameter name at offset ${c.pos}`)
      c.skipWs()
      if (c.peek() !== '=') throw malformed(`expected "=" after parameter ${name}`)
      c.pos++
      c.skipWs()
      const value = c.peek() === '"' ? readQuoted(c) : readBareValue(c)
      if (Object.hasOwn(params, name)) throw malformed(`duplicate parameter ${name}`)
      params[name] = value
      c.skipWs()
      if (c.done) break
      if (c.peek() !== ',') throw malformed(`unexpected character at offset ${c.pos}`)
      skipListSeparators(c)
      if (c.done || startsNewChallenge(c)) break
    }
    out.push({ scheme, params })
  }
  return out
}

/**
 * Parse a `WWW-Authenticate` header (RFC 7235 §4.1) into its challenges, in order.
 *
 * @param header - the header value, or the list of values when it was sent several times
 * @param options - size limit
 * @throws {@link AuthError} `ERR_CWMP_AUTH_MALFORMED` or `ERR_CWMP_AUTH_LIMIT_EXCEEDED`
 *
 * @example
 * ```ts
 * parseWwwAuthenticate('Digest realm="cwmp", nonce="abc", qop="auth", Basic realm="cwmp"')
 * // → [{ scheme: 'Digest', params: { realm: 'cwmp', nonce: 'abc', qop: 'auth' } },
 * //    { scheme: 'Basic', params: { realm: 'cwmp' } }]
 * ```
 *
 * @category Authentication
 */
export function parseWwwAuthenticate(
  header: string | readonly string[],
  options: AuthHeaderParseOptions = {},
): AuthChallenge[] {
  const text = joinHeader(header, options.maxLength ?? DEFAULT_AUTH_HEADER_MAX_LENGTH)
  return parseChallenges(text)
}

/**
 * Parse an `Authorization` header (RFC 7235 §4.2): exactly one set of credentials.
 *
 * @param header - the header value
 * @param options - size limit
 * @throws {@link AuthError} `ERR_CWMP_AUTH_MALFORMED` or `ERR_CWMP_AUTH_LIMIT_EXCEEDED`
 *
 * @category Authentication
 */
export function parseAuthorization(
  header: string | readonly string[],
  options: AuthHeaderParseOptions = {},
): AuthChallenge {
  const text = joinHeader(header, options.maxLength ?? DEFAULT_AUTH_HEADER_MAX_LENGTH)
  const all = parseChallenges(text)
  const first = all[0]
  if (all.length !== 1 || first === undefined) throw malformed('Authorization must hold exactly one set of credentials')
  return first
}

/**
 * Quote a value as an HTTP quoted-string (escaping `"` and `\`).
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_INVALID_ARGUMENT` for control characters (other than
 * tab), which cannot be sent in a header
 *
 * @category Authentication
 */
export function quoteHeaderValue(value: string): string {
  for (const ch of value) {
    if (isControl(ch) && ch !== '\t') {
      throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'header values cannot contain control characters')
    }
  }
  return `"${value.replace(/["\\]/g, (m) => `\\${m}`)}"`
}

/**
 * True when `value` can be written as a bare token (no quotes needed).
 *
 * @category Authentication
 */
export function isHeaderToken(value: string): boolean {
  if (value === '') return false
  for (const ch of value) if (!isTchar(ch)) return false
  return true
}
