/**
 * Lexical checks for XML Schema datatypes, as the Broadband Forum schemas apply them.
 *
 * XSD regular expressions differ from JavaScript's: `\d` is any Unicode decimal digit, `\s` is
 * only space, tab, CR and LF, and `.` is anything but CR and LF. The translations below keep that.
 *
 * @module
 */

import { ConfigError } from '../errors.js'

/**
 * Number of Unicode code points: XSD length facets count characters, not UTF-16 units.
 *
 * @internal
 */
export function codePointLength(s: string): number {
  let n = s.length
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--
        i++
      }
    }
  }
  return n
}

/**
 * True when `s` has at most `max` characters.
 *
 * @internal
 */
export function withinLength(s: string, max: number): boolean {
  return s.length <= max || codePointLength(s) <= max
}

/**
 * Remove XML whitespace (space, tab, CR, LF) at both ends; other Unicode spaces are kept.
 *
 * @internal
 */
export function trimXml(s: string): string {
  // Most values have no white space at either end: two charCodeAt instead of a replace (D24).
  const first = s.charCodeAt(0)
  const last = s.charCodeAt(s.length - 1)
  if (s.length === 0 || (first > 0x20 && last > 0x20)) return s
  return s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
}

/**
 * XSD whitespace collapse, as applied to every non-string datatype before checking it.
 *
 * @internal
 */
export function collapse(s: string): string {
  // Fast path: no whitespace at the edges and no inner runs.
  if (!/^[ \t\r\n]|[ \t\r\n]$|[\t\r\n]| {2}/.test(s)) return s
  return s.replace(/[ \t\r\n]+/g, ' ').replace(/^ | $/g, '')
}

const DATETIME = /^(-?)(\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
    return leap ? 29 : 28
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

function digits(s: string, from: number, count: number): number {
  let v = 0
  for (let i = from; i < from + count; i++) {
    const c = s.charCodeAt(i) - 0x30
    if (c < 0 || c > 9) return -1
    v = v * 10 + c
  }
  return v
}

/** The answer for `YYYY-MM-DDThh:mm:ss[Z]`, or undefined when `s` is not of that exact shape. */
function quickDateTime(s: string): boolean | undefined {
  if (s.charCodeAt(4) !== 0x2d || s.charCodeAt(7) !== 0x2d || s.charCodeAt(10) !== 0x54) return undefined
  if (s.charCodeAt(13) !== 0x3a || s.charCodeAt(16) !== 0x3a) return undefined
  const year = digits(s, 0, 4)
  const month = digits(s, 5, 2)
  const day = digits(s, 8, 2)
  const hour = digits(s, 11, 2)
  const minute = digits(s, 14, 2)
  const second = digits(s, 17, 2)
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false
  if (minute > 59 || second > 59) return false
  return hour < 24 || (hour === 24 && minute === 0 && second === 0)
}

/**
 * True when `s` is a valid `xs:dateTime` lexical form (XSD 1.0: year 0000 is not allowed).
 *
 * @internal
 */
export function isDateTime(s: string): boolean {
  // Fast path for the common form YYYY-MM-DDThh:mm:ss with Z or no zone.
  if ((s.length === 20 && s.charCodeAt(19) === 0x5a) || s.length === 19) {
    const r = quickDateTime(s)
    if (r !== undefined) return r
  }
  const m = DATETIME.exec(s)
  if (m === null) return false
  const yearText = m[2] as string
  if (yearText.length > 4 && yearText.startsWith('0')) return false
  const year = Number(yearText)
  if (year === 0) return false
  const month = Number(m[3])
  const day = Number(m[4])
  const hour = Number(m[5])
  const minute = Number(m[6])
  const second = Number(m[7])
  if (month < 1 || month > 12) return false
  // Negative years count astronomically in XSD 1.0 leap-year rules only loosely; check the usual way.
  if (day < 1 || day > daysInMonth(m[1] === '-' ? 1 - year : year, month)) return false
  if (minute > 59 || second > 59) return false
  if (hour > 24) return false
  if (hour === 24 && (minute !== 0 || second !== 0 || (m[8] !== undefined && !/^\.0+$/.test(m[8])))) return false
  const tz = m[9]
  if (tz !== undefined && tz !== 'Z') {
    const th = Number(tz.slice(1, 3))
    const tm = Number(tz.slice(4, 6))
    if (tm > 59 || th > 14 || (th === 14 && tm !== 0)) return false
  }
  return true
}

/**
 * True when `s` is a valid `xs:boolean` lexical form: `true`, `false`, `1` or `0`.
 *
 * @internal
 */
export function isBoolean(s: string): boolean {
  return s === '1' || s === '0' || s === 'true' || s === 'false'
}

const INTEGER = /^[+-]?\d+$/
const SHORT_INTEGER = /^[+-]?\d{1,15}$/

/**
 * Parse an `xs:integer` lexical form to a bigint, or `undefined`. Leading zeros are allowed.
 *
 * @internal
 */
export function parseInteger(s: string): bigint | undefined {
  if (!INTEGER.test(s)) return undefined
  return BigInt(s)
}

/**
 * Inclusive ranges of the XSD integer types.
 *
 * @internal
 */
export const INTEGER_RANGES: Readonly<Record<string, readonly [bigint | undefined, bigint | undefined]>> = {
  integer: [undefined, undefined],
  long: [-(2n ** 63n), 2n ** 63n - 1n],
  int: [-(2n ** 31n), 2n ** 31n - 1n],
  short: [-32768n, 32767n],
  byte: [-128n, 127n],
  nonNegativeInteger: [0n, undefined],
  positiveInteger: [1n, undefined],
  nonPositiveInteger: [undefined, 0n],
  negativeInteger: [undefined, -1n],
  unsignedLong: [0n, 2n ** 64n - 1n],
  unsignedInt: [0n, 2n ** 32n - 1n],
  unsignedShort: [0n, 65535n],
  unsignedByte: [0n, 255n],
}

/** The integer ranges as numbers, for the short-integer fast path. */
const NUMBER_RANGES: Readonly<Record<string, readonly [number, number]>> = Object.fromEntries(
  Object.entries(INTEGER_RANGES).map(([k, [lo, hi]]) => [
    k,
    [lo === undefined ? -Infinity : Number(lo), hi === undefined ? Infinity : Number(hi)] as const,
  ]),
)

/**
 * The value of a lexical form of the named XSD integer type (`unsignedInt`, `long`, …), or
 * `undefined` when it is not one: malformed, out of the type's range, or signed for an unsigned type.
 *
 * @internal
 */
export function integerOf(type: string, s: string): bigint | undefined {
  if (signedUnsigned(type, s)) return undefined
  const v = parseInteger(s)
  return v !== undefined && inIntegerRange(type, v) ? v : undefined
}

/**
 * True when `v` is within the range of the named XSD integer type (false for a type that is not one).
 *
 * @internal
 */
export function inIntegerRange(type: string, v: bigint): boolean {
  const range = INTEGER_RANGES[type]
  if (range === undefined) return false
  const [min, max] = range
  return (min === undefined || v >= min) && (max === undefined || v <= max)
}

/** XSD 1.0 gives the unsigned types no sign at all: '+5' and '-0' are not unsignedInt. */
function signedUnsigned(type: string, s: string): boolean {
  return type.startsWith('unsigned') && (s.startsWith('+') || s.startsWith('-'))
}

/** True when `s` is a valid lexical form of the named XSD integer type. */
export function isIntegerOf(type: string, s: string): boolean {
  const range = NUMBER_RANGES[type]
  if (range === undefined || signedUnsigned(type, s)) return false
  if (SHORT_INTEGER.test(s)) {
    // Up to 15 digits a number is exact: no bigint needed on the hot path.
    const x = Number(s)
    return x >= range[0] && x <= range[1]
  }
  const v = parseInteger(s)
  return v !== undefined && inIntegerRange(type, v)
}

/**
 * True when `s` is a valid `xs:decimal` lexical form.
 *
 * @internal
 */
export function isDecimal(s: string): boolean {
  return /^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(s)
}

/**
 * True when `s` is a valid `xs:float` / `xs:double` lexical form.
 *
 * @internal
 */
export function isFloat(s: string): boolean {
  return /^(([+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?)|-?INF|NaN)$/.test(s)
}

/**
 * True when `s` is a valid `xs:hexBinary` lexical form.
 *
 * @internal
 */
export function isHexBinary(s: string): boolean {
  return s.length % 2 === 0 && /^[0-9a-fA-F]*$/.test(s)
}

/**
 * True when `s` is a valid `xs:base64Binary` lexical form (XSD 1.0 grammar: groups of four,
 * single spaces allowed between characters, canonical padding bits).
 *
 * @internal
 */
export function isBase64(s: string): boolean {
  const compact = s.replace(/ /g, '')
  if (/ {2}|^ | $/.test(s) && s.length > 0) return false
  if (compact.length % 4 !== 0) return false
  if (!/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact)) return false
  if (compact.endsWith('==')) return /[AQgw]==$/.test(compact)
  if (compact.endsWith('=')) return /[AEIMQUYcgkosw048]=$/.test(compact)
  return true
}

/**
 * True when `s` is a valid `xs:date` lexical form.
 *
 * @internal
 */
export function isDate(s: string): boolean {
  const m = /^(-?\d{4,}-\d{2}-\d{2})(Z|[+-]\d{2}:\d{2})?$/.exec(s)
  return m !== null && isDateTime(`${m[1]}T00:00:00${m[2] ?? ''}`)
}

/**
 * True when `s` is a valid `xs:time` lexical form.
 *
 * @internal
 */
export function isTime(s: string): boolean {
  return /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.test(s) && isDateTime(`2000-01-01T${s}`)
}

/**
 * The characters `xs:normalizedString` forbids.
 *
 * @internal
 */
export function isNormalizedString(s: string): boolean {
  return !/[\t\r\n]/.test(s)
}

/**
 * `xs:token`: normalized, no leading, trailing or double spaces.
 *
 * @internal
 */
export function isToken(s: string): boolean {
  return isNormalizedString(s) && !/^ | $| {2}/.test(s)
}

// RFC 3986 URI-reference, as libxml2 (the reference validator) checks xs:anyURI: characters a URI
// cannot hold are first escaped (XLink §5.4; any escape will do, so they become '_'), then the result
// must parse. Like libxml2, a port needs a digit and an IP literal or a fragment may hold '[' and ']'.
const URI_UNSAFE = /[\u0000-\u0020\u007f-\u{10ffff}<>"{}|\\^`']/gu
const PCT = '%[0-9A-Fa-f]{2}'
const UNRESERVED_SUB = "A-Za-z0-9\\-._~!$&'()*+,;="
const PCHAR = `(?:[${UNRESERVED_SUB}:@]|${PCT})`
const SEGMENT = `${PCHAR}*`
const SEGMENT_NZ = `${PCHAR}+`
const SEGMENT_NZ_NC = `(?:[${UNRESERVED_SUB}@]|${PCT})+`
const AUTHORITY = `(?:(?:[${UNRESERVED_SUB}:]|${PCT})*@)?(?:\\[[^\\]]*\\]|(?:[${UNRESERVED_SUB}]|${PCT})*)(?::[0-9]+)?`
const PATH_ABEMPTY = `(?:/${SEGMENT})*`
const PATH_ABSOLUTE = `/(?:${SEGMENT_NZ}(?:/${SEGMENT})*)?`
const URI_REFERENCE = new RegExp(
  `^(?:[A-Za-z][A-Za-z0-9+.-]*:(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${SEGMENT_NZ}(?:/${SEGMENT})*)?` +
    `|(?://${AUTHORITY}${PATH_ABEMPTY}|${PATH_ABSOLUTE}|${SEGMENT_NZ_NC}(?:/${SEGMENT})*)?)` +
    `(?:\\?(?:${PCHAR}|[/?])*)?(?:#(?:${PCHAR}|[/?[\\]])*)?$`,
)

/**
 * True when `s` is a valid `xs:anyURI`: after whitespace collapse and escaping, an RFC 3986 URI reference.
 *
 * @internal
 */
export function isAnyUri(s: string): boolean {
  return URI_REFERENCE.test(collapse(s).replace(URI_UNSAFE, '_'))
}

/**
 * Lexical validators of the simple types allowed as a `Value`'s `xsi:type` when encoding, keyed by
 * the normalised type name (`xsd:` / `soap-enc:` prefixes). A type outside this table cannot be
 * encoded: it would not resolve against the schemas.
 *
 * @internal
 */
export const VALUE_TYPE_CHECKS: ReadonlyMap<string, (s: string) => boolean> = new Map<
  string,
  (s: string) => boolean
>([
  ['xsd:string', () => true],
  // Their whiteSpace facets (replace, collapse) turn any string into a valid value before it is checked.
  ['xsd:normalizedString', () => true],
  ['xsd:token', () => true],
  ['xsd:anySimpleType', () => true],
  ['xsd:boolean', (s) => isBoolean(collapse(s))],
  ['xsd:decimal', (s) => isDecimal(collapse(s))],
  ['xsd:float', (s) => isFloat(collapse(s))],
  ['xsd:double', (s) => isFloat(collapse(s))],
  ['xsd:dateTime', (s) => isDateTime(collapse(s))],
  ['xsd:date', (s) => isDate(collapse(s))],
  ['xsd:time', (s) => isTime(collapse(s))],
  ['xsd:hexBinary', (s) => isHexBinary(collapse(s))],
  ['xsd:base64Binary', (s) => isBase64(collapse(s))],
  ['soap-enc:base64', (s) => isBase64(collapse(s))],
  ['xsd:anyURI', (s) => isAnyUri(collapse(s))],
  ...Object.keys(INTEGER_RANGES).map(
    (t) => [`xsd:${t}`, (s: string) => isIntegerOf(t, collapse(s))] as [string, (s: string) => boolean],
  ),
])

/** The string types: any text (an RFC 3986 reference for `xsd:anyURI`), kept exactly as sent. */
const AS_SENT_TYPES: ReadonlySet<string> = new Set(['xsd:string', 'xsd:normalizedString', 'xsd:token', 'xsd:anySimpleType', 'xsd:anyURI'])

/** The integer types by their prefixed name: `xsd:unsignedInt` → `unsignedInt`. */
const INTEGER_TYPE_NAMES: ReadonlyMap<string, string> = new Map(Object.keys(INTEGER_RANGES).map((t) => [`xsd:${t}`, t]))

/** True for the XSD integer types (`xsd:int`, `xsd:unsignedLong`, …), by their prefixed name. */
export function isIntegerType(type: string): boolean {
  return INTEGER_TYPE_NAMES.has(type)
}

/**
 * Check a value of a type of {@link VALUE_TYPE_CHECKS} and give its canonical lexical form, in one
 * pass: string types as sent; booleans `1`/`0` (`numeric`) or `true`/`false` (`word`); integers
 * without sign, leading zeros or spaces; hexBinary upper-case; base64 without spaces; the others
 * whitespace-collapsed.
 *
 * @returns the canonical form, or `undefined` when the value is not valid for the type or the type is unknown
 */
export function canonicalLexical(type: string, raw: string, booleanForm: 'numeric' | 'word' = 'numeric'): string | undefined {
  const check = VALUE_TYPE_CHECKS.get(type)
  if (check === undefined) return undefined
  if (AS_SENT_TYPES.has(type)) return check(raw) ? raw : undefined
  const s = collapse(raw)
  if (type === 'xsd:boolean') {
    const b = s === '1' || s === 'true'
    if (!b && s !== '0' && s !== 'false') return undefined
    return booleanForm === 'word' ? String(b) : b ? '1' : '0'
  }
  const integer = INTEGER_TYPE_NAMES.get(type)
  if (integer !== undefined) return integerOf(integer, s)?.toString()
  // The check collapses again, which costs one regular-expression test on collapsed text.
  if (!check(s)) return undefined
  if (type === 'xsd:hexBinary') return s.toUpperCase()
  if (type === 'xsd:base64Binary' || type === 'soap-enc:base64') return s.replace(/ /g, '')
  return s
}

// Characters XML 1.0 cannot carry (its Char production): controls but tab, LF and CR; U+FFFE, U+FFFF.
const NOT_XML_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/

/** True when every character of `s` is one XML 1.0 can carry (the lexical space of `xs:string`); no lone surrogates. */
export function isXmlText(s: string): boolean {
  return !NOT_XML_CHAR.test(s) && s.isWellFormed()
}

// XSD regular expression pieces translated to JavaScript (with the `u` flag).
const D = '\\p{Nd}'
const S_NOT = '[^ \\t\\n\\r]'
const DOT = '[^\\n\\r]'

/**
 * Compile XSD patterns (alternatives, each anchored) written with `\d`, `\S` and `.` as XSD means them.
 *
 * @throws {@link ConfigError} `pattern` when a pattern does not compile (a hand-written definition)
 *
 * @internal
 */
export function xsdPattern(...patterns: string[]): RegExp {
  const translated = patterns.map((p) =>
    p.replace(/\\d|\\S|\\\.|\./g, (m) => (m === '\\d' ? D : m === '\\S' ? S_NOT : m === '\\.' ? '\\.' : DOT)),
  )
  try {
    return new RegExp(`^(?:${translated.join('|')})$`, 'u')
  } catch (err) {
    throw new ConfigError('pattern', 'an XML Schema regular expression JavaScript can compile', patterns.join(' | '), { cause: err })
  }
}
