/**
 * The fixture triad (fixtures/README.md): every `fixtures/envelopes/<Method>/<case>.xml` decodes to
 * its `<case>.json`; the canonical ones are exactly what the encoder writes for that JSON; and
 * decode(encode(decoded, { strict: false })) keeps the meaning. Then the table of invalid inputs.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  decodeEnvelope,
  encodeEnvelope,
  isCwmpError,
  type DecodedEnvelope,
  type WarningCode,
} from '../../src/index.js'
import { METHODS } from './arbitraries.js'
import { encodableHeader, impliedVersion, thrown } from './helpers.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures')
const ENVELOPES = join(FIXTURES, 'envelopes')
const INVALID = join(FIXTURES, 'invalid')

interface Fixture {
  readonly method: string
  readonly name: string
  readonly canonical: boolean
  readonly bytes: Uint8Array
  readonly expected: DecodedEnvelope
}

const fixtures: Fixture[] = readdirSync(ENVELOPES)
  .sort()
  .flatMap((method) =>
    readdirSync(join(ENVELOPES, method))
      .filter((f) => f.endsWith('.xml'))
      .sort()
      .map((f) => {
        const name = f.slice(0, -4)
        return {
          method,
          name,
          canonical: name.startsWith('canonical'),
          bytes: new Uint8Array(readFileSync(join(ENVELOPES, method, f))),
          expected: JSON.parse(readFileSync(join(ENVELOPES, method, `${name}.json`), 'utf8')) as DecodedEnvelope,
        }
      }),
  )

/** Every warning code, so that a new one without a fixture fails to compile here. */
const WARNING_CODES = {
  NAMESPACE_NONSTANDARD: true,
  ENCODING_STYLE: true,
  QUALIFIED_CHILD: true,
  METHOD_VERSION: true,
  ARRAY_TYPE_MISSING: true,
  ARRAY_TYPE_MISMATCH: true,
  ARRAY_ITEM_NAME: true,
  XSI_TYPE_UNEXPECTED: true,
  VALUE_TYPE_MISSING: true,
  VALUE_TYPE_UNKNOWN: true,
  VALUE_LEXICAL: true,
  WHITESPACE_TRIMMED: true,
  WHITESPACE_IN_EMPTY: true,
  TEXT_IGNORED: true,
  ELEMENT_MISSING: true,
  UNKNOWN_ELEMENT: true,
  DUPLICATE_ELEMENT: true,
  ELEMENT_ORDER: true,
  FACET: true,
  DATETIME_LEXICAL: true,
  HEADER_MUST_UNDERSTAND: true,
  HEADER_NOT_UNDERSTOOD: true,
  HEADER_DEPRECATED: true,
  HEADER_NAME_CASE: true,
  NOTIFICATION_EMPTY: true,
  CHARSET_FALLBACK: true,
  LEADING_WHITESPACE: true,
  OPERATIONS_NESTED: true,
  FAULT_SHAPE: true,
  SCALAR_INVALID: true,
  BOOLEAN_CASE: true,
} as const satisfies Record<WarningCode, true>

describe('fixture inventory', () => {
  it('has a canonical fixture for every one of the 55 body elements', () => {
    const canonical = new Set(fixtures.filter((f) => f.canonical).map((f) => f.method))
    expect(METHODS).toHaveLength(55)
    expect(METHODS.filter((m) => !canonical.has(m))).toEqual([])
  })
  it('files each fixture under the element it carries', () => {
    for (const f of fixtures) expect(f.expected.body.method, `${f.method}/${f.name}`).toBe(f.method)
  })
  it('exercises every warning code', () => {
    const seen = new Set(fixtures.flatMap((f) => f.expected.warnings.map((w) => w.code)))
    expect(Object.keys(WARNING_CODES).filter((c) => !seen.has(c as WarningCode))).toEqual([])
  })
  it('exercises every CWMP version on decode', () => {
    expect(new Set(fixtures.map((f) => f.expected.version))).toEqual(new Set(['1.0', '1.1', '1.2', '1.3', '1.4']))
  })
  it('has canonical fixtures without warnings and quirk fixtures with at least one leniency or odd form', () => {
    for (const f of fixtures) if (f.canonical) expect(f.expected.warnings, f.name).toEqual([])
    expect(fixtures.filter((f) => !f.canonical).length).toBeGreaterThanOrEqual(30)
  })
})

describe.each(fixtures.map((f) => [`${f.method}/${f.name}`, f] as const))('%s', (_label, f) => {
  it('decodes to its JSON', () => {
    expect(decodeEnvelope(f.bytes)).toStrictEqual(f.expected)
  })

  if (f.canonical) {
    it('is exactly what the encoder writes for its JSON', () => {
      const xml = encodeEnvelope(f.expected)
      expect(Buffer.from(xml, 'utf8').equals(Buffer.from(f.bytes))).toBe(true)
      // Deterministic: a second run, and a deep copy of the input, give the same bytes.
      expect(encodeEnvelope(structuredClone(f.expected))).toBe(xml)
    })
    it('decodes the same from a string', () => {
      expect(decodeEnvelope(Buffer.from(f.bytes).toString('utf8'))).toStrictEqual(f.expected)
    })
  }

  it('keeps its meaning when re-encoded (strict: false) and decoded again', () => {
    const decoded = decodeEnvelope(f.bytes)
    const again = decodeEnvelope(encodeEnvelope(decoded, { strict: false }))
    expect(again.body).toStrictEqual(decoded.body)
    expect(again.header).toStrictEqual(encodableHeader(decoded.header))
    expect(again.version).toBe(impliedVersion(decoded.version, decoded.header))
    // Re-encoding repairs the envelope-level deviations; whatever is left was in the input.
    const before = new Set(decoded.warnings.map((w) => w.code))
    expect(again.warnings.filter((w) => !before.has(w.code))).toEqual([])
  })

  it('is accepted in strict mode exactly when it decodes without warnings', () => {
    const first = f.expected.warnings[0]
    const err = thrown(() => decodeEnvelope(f.bytes, { strict: true }))
    if (first === undefined) {
      expect(err).toBeUndefined()
      return
    }
    expect(isCwmpError(err)).toBe(true)
    if (!isCwmpError(err)) return
    if (first.code === 'HEADER_NOT_UNDERSTOOD') {
      expect(err.code).toBe('ERR_CWMP_MUST_UNDERSTAND')
    } else if (first.code === 'SCALAR_INVALID') {
      // A field its type cannot hold: strict mode refuses the message there (D26).
      expect(err).toMatchObject({ code: 'ERR_CWMP_ARGUMENT_INVALID', message: first.message, path: first.path })
    } else {
      expect(err.code).toBe('ERR_CWMP_STRICT')
      expect(err.message).toContain(`(${first.code})`)
      expect(err).toMatchObject({ path: first.path })
    }
  })
})

describe('invalid inputs (fixtures/invalid)', () => {
  /**
   * A code: both modes throw it. `{ strict, lenient }`: a field its type cannot hold, which strict mode
   * refuses and lenient mode reads as the type's fallback with that warning at the same place (D26).
   */
  type Expected = string | { readonly strict: string; readonly lenient: WarningCode }
  const expected = JSON.parse(readFileSync(join(INVALID, 'expected.json'), 'utf8')) as Record<string, Expected>
  const files = readdirSync(INVALID)
    .filter((f) => f.endsWith('.xml'))
    .sort()

  it('lists every case in expected.json, and only those', () => {
    expect(Object.keys(expected).sort()).toEqual(files)
  })

  it.each(files)('%s throws its error code', (file) => {
    const bytes = new Uint8Array(readFileSync(join(INVALID, file)))
    const want = expected[file] as Expected
    const strict = typeof want !== 'string'
    let result: unknown
    const err = thrown(() => {
      result = decodeEnvelope(bytes, { strict })
    })
    expect(result).toBeUndefined()
    expect(isCwmpError(err)).toBe(true)
    if (!isCwmpError(err)) return
    expect(err.code).toBe(strict ? want.strict : want)
    if (strict) {
      // Lenient mode reads the field and reports it where strict mode failed, with the text received.
      const { warnings } = decodeEnvelope(bytes)
      const e = err as { path?: string; line?: number; column?: number }
      expect(warnings[0]).toMatchObject({ code: want.lenient, message: err.message, path: e.path, line: e.line, column: e.column })
      expect(warnings[0]?.lexical).toEqual(expect.any(String))
    }
    if (err.code === 'ERR_CWMP_XML_MALFORMED' || err.code === 'ERR_CWMP_DOCTYPE') {
      // The position of the problem, 1-based, inside the input.
      const lines = Buffer.from(bytes).toString('latin1').split('\n')
      expect(err).toMatchObject({ line: expect.any(Number), column: expect.any(Number) })
      const { line, column } = err as { line: number; column: number }
      expect(line).toBeGreaterThanOrEqual(1)
      expect(line).toBeLessThanOrEqual(lines.length)
      expect(column).toBeGreaterThanOrEqual(1)
      expect(column).toBeLessThanOrEqual((lines[line - 1] as string).length + 1)
    }
  })

  it('reports where a malformed document breaks', () => {
    const at = (file: string): unknown => thrown(() => decodeEnvelope(new Uint8Array(readFileSync(join(INVALID, file)))))
    // The unclosed <cwmp:Reboot> is detected at the </soap-env:Body> on line 5.
    expect(at('malformed-unclosed-tag.xml')).toMatchObject({ code: 'ERR_CWMP_XML_MALFORMED', line: 5 })
    // The truncated document ends on line 5.
    expect(at('malformed-truncated.xml')).toMatchObject({ code: 'ERR_CWMP_XML_MALFORMED', line: 5 })
  })

  it('reports the element path of a bad argument', () => {
    const err = thrown(() => decodeEnvelope(new Uint8Array(readFileSync(join(INVALID, 'argument-invalid-boolean.xml'))), { strict: true }))
    expect(err).toMatchObject({ code: 'ERR_CWMP_ARGUMENT_INVALID', path: 'Envelope/Body/GetParameterNames/NextLevel', method: 'GetParameterNames' })
  })
})
