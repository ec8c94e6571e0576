/**
 * HTTP Basic authentication (RFC 7617) and the TR-069 user name convention.
 *
 * TR-069 §3.4.4: a CPE authenticating with HTTP authentication uses a user name that is globally
 * unique among all CPE manufacturers, in one of two forms:
 *
 * ```text
 * <OUI> "-" <ProductClass> "-" <SerialNumber>
 * <OUI> "-" <SerialNumber>
 * ```
 *
 * with percent-encoding performed by converting each character to UTF-8 and percent-encoding each
 * octet (so `é` becomes `%C3%A9`). The text we could read does not list which characters must be
 * encoded; see {@link formatCpeUsername} for the choice made here.
 *
 * @module
 */

import { AuthError, ConfigError } from '../errors.js'
import { constantTimeEqualString } from './hash.js'
import { type AuthHeaderParseOptions, parseAuthorization, quoteHeaderValue } from './header.js'

/**
 * A user name and password pair.
 *
 * @category Authentication
 */
export interface BasicCredentials {
  /** User name (must not contain `:`). */
  readonly username: string
  /** Password. */
  readonly password: string
}

/**
 * Build an `Authorization: Basic …` value (UTF-8, RFC 7617 §2.1).
 *
 * @throws {@link ConfigError} naming `credentials`, `credentials.username` or `credentials.password` when
 * one is missing or not a string
 * @throws {@link AuthError} `ERR_CWMP_AUTH_INVALID_ARGUMENT` when the user name contains `:` or
 * either part contains control characters
 *
 * @category Authentication
 */
export function createBasicAuthorization(credentials: BasicCredentials): string {
  if (typeof credentials !== 'object' || credentials === null) throw new ConfigError('credentials', 'an object', credentials)
  if (typeof credentials.username !== 'string') throw new ConfigError('credentials.username', 'a string', credentials.username)
  if (typeof credentials.password !== 'string') throw new ConfigError('credentials.password', 'a string', credentials.password, { secret: true })
  if (credentials.username.includes(':')) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'a Basic user name cannot contain ":"')
  }
  // RFC 7617 §2: user-id and password MUST NOT contain control characters.
  if (/[\u0000-\u001f\u007f]/.test(credentials.username + credentials.password)) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'Basic credentials cannot contain control characters')
  }
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}`
}

/**
 * Parse an `Authorization: Basic …` value.
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_MALFORMED` (not Basic, bad base64, no `:`, not UTF-8)
 *
 * @category Authentication
 */
export function parseBasicAuthorization(header: string, options: AuthHeaderParseOptions = {}): BasicCredentials {
  const parsed = parseAuthorization(header, options)
  if (parsed.scheme.toLowerCase() !== 'basic') {
    throw new AuthError('ERR_CWMP_AUTH_MALFORMED', `not Basic credentials: ${parsed.scheme}`)
  }
  const token = parsed.token68
  if (token === undefined || !/^[A-Za-z0-9+/]*={0,2}$/.test(token) || token.length % 4 !== 0) {
    throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'Basic credentials are not base64')
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(token, 'base64'))
  } catch {
    throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'Basic credentials are not UTF-8')
  }
  const colon = text.indexOf(':')
  if (colon < 0) throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'Basic credentials without ":"')
  return { username: text.slice(0, colon), password: text.slice(colon + 1) }
}

/**
 * Build a `WWW-Authenticate: Basic …` challenge (with `charset="UTF-8"`, RFC 7617 §2.1).
 *
 * @throws {@link ConfigError} naming `realm` when it is not a string
 *
 * @category Authentication
 */
export function createBasicChallenge(realm: string): string {
  if (typeof realm !== 'string') throw new ConfigError('realm', 'a string', realm)
  return `Basic realm=${quoteHeaderValue(realm)}, charset="UTF-8"`
}

/**
 * Check an `Authorization: Basic …` header against the expected credentials, in constant time.
 * Never throws: a missing or malformed header is simply false.
 *
 * @category Authentication
 */
export function checkBasicAuthorization(header: string | undefined, expected: BasicCredentials): boolean {
  if (header === undefined) return false
  let got: BasicCredentials
  try {
    got = parseBasicAuthorization(header)
  } catch (err) {
    if (err instanceof AuthError) return false
    throw err
  }
  // Evaluate both comparisons so timing does not say which part was wrong.
  const userOk = constantTimeEqualString(got.username, expected.username)
  const passOk = constantTimeEqualString(got.password, expected.password)
  return userOk && passOk
}

/**
 * The parts of a TR-069 CPE user name (TR-069 §3.4.4).
 *
 * @category Authentication
 */
export interface CpeIdentity {
  /** Manufacturer OUI: 6 upper-case hex digits (DeviceIdStruct OUI). */
  readonly oui: string
  /** Product class; omit (or leave empty) for the `OUI-SerialNumber` form. */
  readonly productClass?: string
  /** Serial number. */
  readonly serialNumber: string
}

// Characters left as they are. Everything else, including "-" and "%", is percent-encoded, so the
// "-" separators stay unambiguous and parseCpeUsername can always split the name again.
const CPE_USERNAME_PLAIN = /[A-Za-z0-9._~]/

function encodeCpePart(part: string): string {
  let out = ''
  for (const byte of new TextEncoder().encode(part)) {
    const ch = String.fromCharCode(byte)
    out += byte < 0x80 && CPE_USERNAME_PLAIN.test(ch) ? ch : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }
  return out
}

function decodeCpePart(part: string): string {
  if (!/^(?:[^%]|%[0-9A-Fa-f]{2})*$/.test(part)) {
    throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'bad percent-encoding in a CPE user name')
  }
  try {
    return decodeURIComponent(part)
  } catch {
    throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'percent-encoding in a CPE user name is not UTF-8')
  }
}

/**
 * Format the TR-069 CPE user name `OUI-ProductClass-SerialNumber` (or `OUI-SerialNumber` without a
 * product class).
 *
 * Product class and serial number are percent-encoded octet by octet after UTF-8 encoding, as
 * TR-069 §3.4.4 describes. Which characters are encoded is our choice (the text we could read does
 * not list them): everything except ASCII letters, digits, `.`, `_` and `~`. In particular `-` is
 * encoded as `%2D`, so that the separators remain unambiguous. Typical values (`ABC123`, `IGD`,
 * `Router_1.0`) are unchanged by this.
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_INVALID_ARGUMENT` when the OUI is not 6 hex digits or
 * the serial number is empty
 *
 * @example
 * ```ts
 * formatCpeUsername({ oui: '00D09E', productClass: 'IGD', serialNumber: 'S/N-é' })
 * // → '00D09E-IGD-S%2FN%2D%C3%A9'
 * ```
 *
 * @category Authentication
 */
export function formatCpeUsername(identity: CpeIdentity): string {
  if (!/^[0-9A-Fa-f]{6}$/.test(identity.oui)) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'OUI must be 6 hexadecimal digits')
  }
  if (identity.serialNumber === '') throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'serial number is empty')
  const oui = identity.oui.toUpperCase()
  const serial = encodeCpePart(identity.serialNumber)
  return identity.productClass === undefined || identity.productClass === ''
    ? `${oui}-${serial}`
    : `${oui}-${encodeCpePart(identity.productClass)}-${serial}`
}

/**
 * Split a TR-069 CPE user name into OUI, product class and serial number, decoding the
 * percent-encoding. It accepts names written by other implementations that leave `-` unencoded
 * only when that leaves no ambiguity (two or three `-`-separated fields).
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_MALFORMED` when the name does not have that shape
 *
 * @category Authentication
 */
export function parseCpeUsername(username: string): CpeIdentity {
  const parts = username.split('-')
  const [oui, second, third] = parts
  if (oui === undefined || !/^[0-9A-Fa-f]{6}$/.test(oui) || parts.length < 2 || parts.length > 3) {
    throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'not an OUI-[ProductClass-]SerialNumber user name')
  }
  if (third === undefined) {
    const serialNumber = decodeCpePart(second ?? '')
    if (serialNumber === '') throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'empty serial number')
    return { oui: oui.toUpperCase(), serialNumber }
  }
  const serialNumber = decodeCpePart(third)
  const productClass = decodeCpePart(second ?? '')
  if (serialNumber === '' || productClass === '') {
    throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'empty product class or serial number')
  }
  return { oui: oui.toUpperCase(), productClass, serialNumber }
}
