/**
 * Known answers for the typed-value helpers (public API) and the XSD lexical checks they rest on.
 */
import { describe, expect, it } from 'vitest'
import {
  UNKNOWN_TIME,
  formatDateTime,
  isCwmpError,
  parseBoolean,
  parseDateTime,
  parseInt32,
  parseLong,
  parseParameterValue,
  parseUnsignedInt,
  parseUnsignedLong,
  toParameterValue,
} from '../../src/index.js'
// Internal module: the lexical rules behind decoding, encoding and the helpers above.
import { codePointLength, collapse, isAnyUri, isBase64, isDateTime, isHexBinary, isIntegerOf, trimXml, xsdPattern } from '../../src/values/lexical.js'

function code(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    if (isCwmpError(e)) return e.code
    throw e
  }
  return 'no error'
}

describe('parseBoolean', () => {
  it.each([
    ['1', true],
    ['0', false],
    ['true', true],
    ['false', false],
    [' true\n', true],
    ['\t0 ', false],
  ])('%j is %s', (lexical, value) => {
    expect(parseBoolean(lexical)).toBe(value)
  })
  it.each(['TRUE', 'True', 'yes', '', '01', '2', 't'])('%j is refused', (lexical) => {
    expect(code(() => parseBoolean(lexical))).toBe('ERR_CWMP_ARGUMENT_INVALID')
  })
})

describe('int and unsignedInt', () => {
  it('accept their bounds, leading zeros, a sign where allowed and surrounding whitespace', () => {
    expect(parseInt32('-2147483648')).toBe(-2147483648)
    expect(parseInt32('2147483647')).toBe(2147483647)
    expect(parseInt32('+0042')).toBe(42)
    expect(parseInt32(' -7 ')).toBe(-7)
    expect(parseUnsignedInt('0')).toBe(0)
    expect(parseUnsignedInt('4294967295')).toBe(4294967295)
    expect(parseUnsignedInt('000000000000000000000001')).toBe(1)
  })
  it.each([
    ['int', '-2147483649'],
    ['int', '2147483648'],
    ['int', '1.0'],
    ['int', '1e3'],
    ['int', ''],
    ['int', '0x10'],
    ['unsignedInt', '-1'],
    ['unsignedInt', '4294967296'],
    ['unsignedInt', 'five'],
  ])('%s %j is refused', (type, lexical) => {
    expect(code(() => (type === 'int' ? parseInt32(lexical) : parseUnsignedInt(lexical)))).toBe('ERR_CWMP_ARGUMENT_INVALID')
  })
})

describe('long and unsignedLong keep 64-bit precision as bigint', () => {
  it('at the edges', () => {
    expect(parseLong('-9223372036854775808')).toBe(-(2n ** 63n))
    expect(parseLong('9223372036854775807')).toBe(2n ** 63n - 1n)
    expect(parseUnsignedLong('18446744073709551615')).toBe(2n ** 64n - 1n)
    expect(parseUnsignedLong('0')).toBe(0n)
    // Not representable as a double: 2^53 + 1.
    expect(parseLong('9007199254740993')).toBe(9007199254740993n)
    expect(parseUnsignedLong('00018446744073709551615')).toBe(2n ** 64n - 1n)
  })
  it.each([
    ['long', '-9223372036854775809'],
    ['long', '9223372036854775808'],
    ['unsignedLong', '18446744073709551616'],
    ['unsignedLong', '-1'],
    ['long', '12.5'],
  ])('%s %j is refused', (type, lexical) => {
    expect(code(() => (type === 'long' ? parseLong(lexical) : parseUnsignedLong(lexical)))).toBe('ERR_CWMP_ARGUMENT_INVALID')
  })
})

describe('dateTime', () => {
  it('reads a value with a zone as an instant', () => {
    const v = parseDateTime('2024-06-01T12:00:00+02:00')
    expect(v).toMatchObject({ lexical: '2024-06-01T12:00:00+02:00', unknown: false, hasZone: true })
    expect(v.date?.toISOString()).toBe('2024-06-01T10:00:00.000Z')
    expect(parseDateTime('2024-06-01T12:00:00Z').date?.toISOString()).toBe('2024-06-01T12:00:00.000Z')
    expect(parseDateTime('1969-12-31T19:00:00.25-05:00').date?.toISOString()).toBe('1970-01-01T00:00:00.250Z')
  })
  it('24:00:00 is midnight at the end of the day', () => {
    expect(parseDateTime('2024-02-28T24:00:00Z').date?.toISOString()).toBe('2024-02-29T00:00:00.000Z')
  })
  it('keeps a value without a zone lexical, with no instant', () => {
    const v = parseDateTime('2015-01-19T23:08:24')
    expect(v).toEqual({ lexical: '2015-01-19T23:08:24', unknown: false, hasZone: false })
  })
  it('knows the Unknown Time', () => {
    expect(UNKNOWN_TIME).toBe('0001-01-01T00:00:00Z')
    expect(parseDateTime(UNKNOWN_TIME)).toEqual({ lexical: UNKNOWN_TIME, unknown: true, hasZone: true })
    expect(parseDateTime('0001-01-01T00:00:00+00:00').unknown).toBe(true)
    expect(parseDateTime('0001-01-01T00:00:01Z').unknown).toBe(false)
  })
  it('reads a zone-less value before year 1000 as time since boot (TR-069 A.2.1)', () => {
    expect(parseDateTime('0001-01-01T00:01:30')).toEqual({ lexical: '0001-01-01T00:01:30', unknown: false, hasZone: false, sinceBootSeconds: 90 })
    expect(parseDateTime('0001-01-02T00:00:00').sinceBootSeconds).toBe(86400)
  })
  it.each(['0000-00-00T00:00:00', '2019-03-05T11:54::14', '2023-02-29T00:00:00Z', '2024-06-01 12:00:00', '2024-06-01T25:00:00Z', ''])(
    '%j is refused',
    (lexical) => {
      expect(code(() => parseDateTime(lexical))).toBe('ERR_CWMP_ARGUMENT_INVALID')
    },
  )
  it('formats a Date in UTC, with milliseconds only when there are some', () => {
    expect(formatDateTime(new Date(Date.UTC(2024, 5, 1, 10, 0, 0)))).toBe('2024-06-01T10:00:00Z')
    expect(formatDateTime(new Date(Date.UTC(2024, 5, 1, 10, 0, 0, 5)))).toBe('2024-06-01T10:00:00.005Z')
  })
})

describe('parseParameterValue', () => {
  it('interprets each type', () => {
    expect(parseParameterValue({ type: 'xsd:string', value: ' x ' })).toEqual({ type: 'xsd:string', value: ' x ' })
    expect(parseParameterValue({ type: 'xsd:boolean', value: 'true' })).toEqual({ type: 'xsd:boolean', value: true })
    expect(parseParameterValue({ type: 'xsd:int', value: '-3' })).toEqual({ type: 'xsd:int', value: -3 })
    expect(parseParameterValue({ type: 'xsd:unsignedInt', value: '3' })).toEqual({ type: 'xsd:unsignedInt', value: 3 })
    expect(parseParameterValue({ type: 'xsd:long', value: '-9223372036854775808' })).toEqual({ type: 'xsd:long', value: -(2n ** 63n) })
    expect(parseParameterValue({ type: 'xsd:unsignedLong', value: '18446744073709551615' })).toEqual({ type: 'xsd:unsignedLong', value: 2n ** 64n - 1n })
    expect(parseParameterValue({ type: 'xsd:base64Binary', value: 'AAEC/w==' })).toEqual({ type: 'xsd:base64Binary', value: new Uint8Array([0, 1, 2, 255]) })
    expect(parseParameterValue({ type: 'soap-enc:base64', value: 'TWFu' })).toEqual({ type: 'soap-enc:base64', value: new Uint8Array([77, 97, 110]) })
    expect(parseParameterValue({ type: 'xsd:hexBinary', value: '00d09E' })).toEqual({ type: 'xsd:hexBinary', value: new Uint8Array([0, 0xd0, 0x9e]) })
    expect(parseParameterValue({ type: 'xsd:dateTime', value: UNKNOWN_TIME })).toMatchObject({ type: 'xsd:dateTime', value: { unknown: true } })
    expect(parseParameterValue({ type: 'xsd:decimal', value: '1.50' })).toEqual({ type: 'other', xsiType: 'xsd:decimal', value: '1.50' })
    expect(parseParameterValue({ type: '{urn:x}T', value: 'v' })).toEqual({ type: 'other', xsiType: '{urn:x}T', value: 'v' })
  })
  it.each([
    ['xsd:base64Binary', 'QUJ='],
    ['xsd:base64Binary', 'A'],
    ['xsd:hexBinary', 'ABC'],
    ['xsd:hexBinary', 'zz'],
    ['xsd:boolean', 'yes'],
    ['xsd:unsignedInt', '-1'],
  ])('%s %j is refused', (type, value) => {
    expect(code(() => parseParameterValue({ type, value }))).toBe('ERR_CWMP_ARGUMENT_INVALID')
  })
})

describe('toParameterValue', () => {
  const P = 'Device.X'
  it('infers the type from the JavaScript value', () => {
    expect(toParameterValue(P, 'text')).toEqual({ name: P, type: 'xsd:string', value: 'text' })
    expect(toParameterValue(P, true)).toEqual({ name: P, type: 'xsd:boolean', value: '1' })
    expect(toParameterValue(P, false, { booleanForm: 'word' })).toEqual({ name: P, type: 'xsd:boolean', value: 'false' })
    expect(toParameterValue(P, 300)).toEqual({ name: P, type: 'xsd:unsignedInt', value: '300' })
    expect(toParameterValue(P, -5)).toEqual({ name: P, type: 'xsd:int', value: '-5' })
    expect(toParameterValue(P, 2n ** 64n - 1n)).toEqual({ name: P, type: 'xsd:unsignedLong', value: '18446744073709551615' })
    expect(toParameterValue(P, -(2n ** 63n))).toEqual({ name: P, type: 'xsd:long', value: '-9223372036854775808' })
    expect(toParameterValue(P, new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toEqual({ name: P, type: 'xsd:dateTime', value: '2024-01-02T03:04:05Z' })
    expect(toParameterValue(P, new Uint8Array([0, 1, 2, 255]))).toEqual({ name: P, type: 'xsd:base64Binary', value: 'AAEC/w==' })
  })
  it('honours an explicit type', () => {
    expect(toParameterValue(P, 7, { type: 'xsd:long' })).toEqual({ name: P, type: 'xsd:long', value: '7' })
    expect(toParameterValue(P, 7n, { type: 'xsd:int' })).toEqual({ name: P, type: 'xsd:int', value: '7' })
    expect(toParameterValue(P, new Uint8Array([0xd0, 0x9e]), { type: 'xsd:hexBinary' })).toEqual({ name: P, type: 'xsd:hexBinary', value: 'D09E' })
    expect(toParameterValue(P, UNKNOWN_TIME, { type: 'xsd:dateTime' })).toEqual({ name: P, type: 'xsd:dateTime', value: UNKNOWN_TIME })
    expect(toParameterValue(P, 1.5, { type: 'xsd:decimal' })).toEqual({ name: P, type: 'xsd:decimal', value: '1.5' })
  })
  it.each([
    ['an unsignedInt above 2^32-1', () => toParameterValue(P, 4294967296)],
    ['an int below -2^31', () => toParameterValue(P, -2147483649)],
    ['a fraction as an integer', () => toParameterValue(P, 1.5)],
    ['an unsafe integer number', () => toParameterValue(P, 2 ** 53, { type: 'xsd:long' })],
    ['an unsignedLong of 2^64', () => toParameterValue(P, 2n ** 64n)],
    ['a long below -2^63', () => toParameterValue(P, -(2n ** 63n) - 1n)],
    ['a negative unsignedLong', () => toParameterValue(P, -1n, { type: 'xsd:unsignedLong' })],
    ['an invalid Date', () => toParameterValue(P, new Date(Number.NaN))],
    ['an invalid lexical dateTime', () => toParameterValue(P, '0000-00-00T00:00:00', { type: 'xsd:dateTime' })],
    ['a string as a boolean', () => toParameterValue(P, 'true', { type: 'xsd:boolean' })],
    ['a string as base64', () => toParameterValue(P, 'AAEC', { type: 'xsd:base64Binary' })],
  ])('refuses %s', (_what, fn) => {
    expect(code(fn)).toBe('ERR_CWMP_ENCODE_INVALID')
  })
})

describe('lexical rules (src/rpc/lexical.ts)', () => {
  it('isDateTime: leap years', () => {
    expect(isDateTime('2024-02-29T00:00:00Z')).toBe(true)
    expect(isDateTime('2000-02-29T00:00:00Z')).toBe(true)
    expect(isDateTime('1900-02-29T00:00:00Z')).toBe(false)
    expect(isDateTime('2023-02-29T00:00:00Z')).toBe(false)
    expect(isDateTime('2023-04-31T00:00:00Z')).toBe(false)
  })
  it('isDateTime: 24:00:00 only exactly', () => {
    expect(isDateTime('2024-01-01T24:00:00')).toBe(true)
    expect(isDateTime('2024-01-01T24:00:00.000Z')).toBe(true)
    expect(isDateTime('2024-01-01T24:00:01')).toBe(false)
    expect(isDateTime('2024-01-01T24:00:00.5')).toBe(false)
    expect(isDateTime('2024-01-01T23:60:00')).toBe(false)
    expect(isDateTime('2024-01-01T23:59:60')).toBe(false)
  })
  it('isDateTime: zones up to ±14:00', () => {
    expect(isDateTime('2024-01-01T00:00:00Z')).toBe(true)
    expect(isDateTime('2024-01-01T00:00:00+14:00')).toBe(true)
    expect(isDateTime('2024-01-01T00:00:00-13:59')).toBe(true)
    expect(isDateTime('2024-01-01T00:00:00+14:01')).toBe(false)
    expect(isDateTime('2024-01-01T00:00:00+15:00')).toBe(false)
    expect(isDateTime('2024-01-01T00:00:00+01:60')).toBe(false)
    expect(isDateTime('2024-01-01T00:00:00+0100')).toBe(false)
    expect(isDateTime('2024-01-01T00:00:00z')).toBe(false)
  })
  it('isDateTime: years', () => {
    expect(isDateTime('0001-01-01T00:00:00Z')).toBe(true)
    expect(isDateTime('0000-01-01T00:00:00Z')).toBe(false)
    expect(isDateTime('-0001-01-01T00:00:00')).toBe(true)
    expect(isDateTime('10000-01-01T00:00:00')).toBe(true)
    expect(isDateTime('01000-01-01T00:00:00')).toBe(false)
    expect(isDateTime('999-01-01T00:00:00')).toBe(false)
    expect(isDateTime('2024-01-01T00:00:00.')).toBe(false)
  })
  it('isBase64 follows the XSD 1.0 grammar', () => {
    for (const ok of ['', 'TWFu', 'TWE=', 'TQ==', 'QUJD RA==', 'AAEC/w==']) expect(isBase64(ok), ok).toBe(true)
    for (const bad of ['QUJ=', 'TQ=', 'T', 'TWFu=', '====', 'TW Fu ', 'QU  JD', 'TWE==']) expect(isBase64(bad), bad).toBe(false)
  })
  it('isHexBinary', () => {
    for (const ok of ['', '00', 'aBcD', '0123456789abcdefABCDEF']) expect(isHexBinary(ok), ok).toBe(true)
    for (const bad of ['0', 'abc', 'gg', '0x00', ' 00']) expect(isHexBinary(bad), bad).toBe(false)
  })
  it('isIntegerOf: ranges, leading zeros, and no sign for the unsigned types', () => {
    expect(isIntegerOf('unsignedByte', '255')).toBe(true)
    expect(isIntegerOf('unsignedByte', '256')).toBe(false)
    expect(isIntegerOf('byte', '-128')).toBe(true)
    expect(isIntegerOf('short', '+032767')).toBe(true)
    expect(isIntegerOf('unsignedInt', '+1')).toBe(false)
    expect(isIntegerOf('unsignedLong', '-0')).toBe(false)
    expect(isIntegerOf('nonNegativeInteger', '-0')).toBe(true)
    expect(isIntegerOf('positiveInteger', '0')).toBe(false)
    expect(isIntegerOf('negativeInteger', '-1')).toBe(true)
    expect(isIntegerOf('integer', '123456789012345678901234567890')).toBe(true)
    expect(isIntegerOf('float', '1')).toBe(false)
  })
  it('isAnyUri checks an RFC 3986 reference after XLink escaping', () => {
    for (const ok of ['', 'http://h/p?q#f', 'urn:x:y', 'a b', 'http://[::1]:80/', '//h', '#[x]', 'é', ' http://h/ ']) expect(isAnyUri(ok), ok).toBe(true)
    for (const bad of ['a[b]', ':', '#a#b', '%4', 'http://h:x/', '1a:b']) expect(isAnyUri(bad), bad).toBe(false)
  })
  it('counts lengths in code points and trims only XML whitespace', () => {
    expect(codePointLength('😀😀')).toBe(2)
    expect(codePointLength('a\ud800b')).toBe(3)
    expect(trimXml(' \t\r\n\u00a0x\u3000\n')).toBe('\u00a0x\u3000')
    expect(collapse('  a \t\n b  ')).toBe('a b')
  })
  it('xsdPattern translates \\d, \\S and . as XSD means them', () => {
    const p = xsdPattern('\\d+( \\S+)+', 'X .+')
    expect(p.test('12 BOOT')).toBe(true)
    expect(p.test('٣ BOOT')).toBe(true) // \d is any Unicode decimal digit
    expect(p.test('1 😀')).toBe(true) // \S is any non-XML-whitespace character, astral ones too
    expect(p.test('1 \u00a0')).toBe(true) // NBSP is not XSD whitespace
    expect(p.test('1  BOOT')).toBe(false)
    expect(p.test('X a\tb')).toBe(true) // . is anything but CR and LF
    expect(p.test('X a\nb')).toBe(false)
    expect(p.test('x 1 BOOT')).toBe(false) // anchored
  })
  it('xsdPattern refuses a pattern JavaScript cannot compile with a ConfigError, not a SyntaxError', () => {
    expect(() => xsdPattern('[a-')).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'pattern' }))
  })
})
