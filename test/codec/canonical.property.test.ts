/**
 * Properties of the one-pass value check the data models use (`canonicalLexical` in
 * src/values/lexical.ts, `checkValue` in src/values/syntax.ts): it accepts exactly what the codec's
 * lexical checks accept, its canonical form is a fixed point, and the facets bound what they say.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalLexical, INTEGER_RANGES, integerOf, isIntegerOf, VALUE_TYPE_CHECKS } from '../../src/values/lexical.js'
import { checkValue, defaultValue, normaliseValueType } from '../../src/values/syntax.js'
import { VALUE_TYPES, type GeneratedValueType } from './arbitraries.js'

const TYPES = Object.keys(VALUE_TYPES) as GeneratedValueType[]

/** A value of the type, or any short string (mostly invalid for the non-string types). */
const typedOrNot = fc
  .constantFrom(...TYPES)
  .chain((type) => fc.tuple(fc.constant(type), fc.oneof(VALUE_TYPES[type], fc.string({ maxLength: 12 }), fc.constantFrom(' 1 ', '+0', '-0', '00', 'TRUE', ''))))

describe('canonicalLexical', () => {
  it('accepts exactly what VALUE_TYPE_CHECKS accepts, for every type', () => {
    fc.assert(
      fc.property(typedOrNot, ([type, s]) => {
        const check = VALUE_TYPE_CHECKS.get(type) as (s: string) => boolean
        expect(canonicalLexical(type, s) !== undefined).toBe(check(s))
      }),
      { numRuns: 3000 },
    )
  })

  it('gives a valid canonical form that is its own canonical form, in both boolean forms', () => {
    fc.assert(
      fc.property(typedOrNot, fc.constantFrom('numeric' as const, 'word' as const), ([type, s], form) => {
        const c = canonicalLexical(type, s, form)
        if (c === undefined) return
        expect((VALUE_TYPE_CHECKS.get(type) as (s: string) => boolean)(c)).toBe(true)
        expect(canonicalLexical(type, c, form)).toBe(c)
      }),
      { numRuns: 3000 },
    )
  })

  it('known canonical forms', () => {
    expect(canonicalLexical('xsd:boolean', ' true ')).toBe('1')
    expect(canonicalLexical('xsd:boolean', '0', 'word')).toBe('false')
    expect(canonicalLexical('xsd:unsignedInt', ' 0042\n')).toBe('42')
    expect(canonicalLexical('xsd:int', '-0')).toBe('0')
    expect(canonicalLexical('xsd:unsignedInt', '+1')).toBeUndefined()
    expect(canonicalLexical('xsd:hexBinary', 'beef')).toBe('BEEF')
    expect(canonicalLexical('xsd:base64Binary', 'AA A=')).toBe('AAA=')
    expect(canonicalLexical('xsd:string', ' a  b ')).toBe(' a  b ')
    expect(canonicalLexical('xsd:dateTime', ' 2024-01-02T03:04:05Z ')).toBe('2024-01-02T03:04:05Z')
    expect(canonicalLexical('xsd:nosuchtype', 'x')).toBeUndefined()
  })
})

describe('integerOf', () => {
  it('is defined exactly where isIntegerOf is true, with the value of the text', () => {
    const integerText = fc.oneof(
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }).map(String),
      fc.tuple(fc.constantFrom('+', '-', '0', '00'), fc.bigInt({ min: 0n, max: 2n ** 66n })).map(([p, v]) => `${p}${v}`),
      fc.string({ maxLength: 6 }),
    )
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(INTEGER_RANGES)), integerText, (type, s) => {
        const v = integerOf(type, s)
        expect(v !== undefined).toBe(isIntegerOf(type, s))
        if (v !== undefined) expect(v).toBe(BigInt(s))
      }),
      { numRuns: 3000 },
    )
  })
})

describe('checkValue', () => {
  it('accepts an integer inside [minimum, maximum] and refuses one just outside', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 32n - 3n }), fc.bigInt({ min: 0n, max: 1000n }), (min, width) => {
        const max = min + width > 2n ** 32n - 2n ? 2n ** 32n - 2n : min + width
        const syntax = { type: 'xsd:unsignedInt', minimum: min, maximum: max }
        expect(checkValue(syntax, String(min), 'numeric')).toEqual({ ok: true, value: String(min) })
        expect(checkValue(syntax, String(max), 'numeric')).toEqual({ ok: true, value: String(max) })
        expect(checkValue(syntax, String(max + 1n), 'numeric')).toEqual({ ok: false, reason: `above the maximum ${max}` })
        if (min > 0n) expect(checkValue(syntax, String(min - 1n), 'numeric')).toEqual({ ok: false, reason: `below the minimum ${min}` })
      }),
    )
  })

  it('counts maxLength in bytes for base64 and hexBinary, in characters for strings', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        const n = bytes.length
        const b64 = Buffer.from(bytes).toString('base64')
        const hex = Buffer.from(bytes).toString('hex')
        expect(checkValue({ type: 'xsd:base64Binary', maxLength: n }, b64, 'numeric').ok).toBe(true)
        expect(checkValue({ type: 'xsd:hexBinary', maxLength: n }, hex, 'numeric').ok).toBe(true)
        if (n > 0) {
          expect(checkValue({ type: 'xsd:base64Binary', maxLength: n - 1 }, b64, 'numeric')).toEqual({ ok: false, reason: `longer than ${n - 1}` })
          expect(checkValue({ type: 'xsd:hexBinary', maxLength: n - 1 }, hex, 'numeric')).toEqual({ ok: false, reason: `longer than ${n - 1}` })
        }
      }),
    )
    expect(checkValue({ type: 'xsd:string', maxLength: 2 }, '😀😀', 'numeric').ok).toBe(true)
    expect(checkValue({ type: 'xsd:string', maxLength: 1 }, '😀😀', 'numeric').ok).toBe(false)
  })

  it('refuses characters XML 1.0 cannot carry, and values outside the enumeration', () => {
    expect(checkValue({ type: 'xsd:string' }, 'a\u0001', 'numeric')).toEqual({ ok: false, reason: 'contains a character XML 1.0 cannot carry' })
    expect(checkValue({ type: 'xsd:string' }, '\ud800', 'numeric').ok).toBe(false)
    expect(checkValue({ type: 'xsd:string', enumeration: ['TCP', 'UDP'] }, 'ICMP', 'numeric')).toEqual({ ok: false, reason: 'not one of the allowed values' })
    expect(checkValue({ type: 'xsd:unsignedInt' }, 'x', 'numeric')).toEqual({ ok: false, reason: 'not a valid xsd:unsignedInt value' })
  })

  it('defaults: the type default when the facets allow it, else the minimum, else the first allowed value', () => {
    expect(defaultValue({ type: 'xsd:unsignedInt' }, 'numeric')).toBe('0')
    expect(defaultValue({ type: 'xsd:unsignedInt', minimum: 5n }, 'numeric')).toBe('5')
    expect(defaultValue({ type: 'xsd:string', enumeration: ['Up', 'Down'] }, 'numeric')).toBe('Up')
    expect(defaultValue({ type: 'xsd:boolean' }, 'word')).toBe('false')
    expect(defaultValue({ type: 'xsd:dateTime' }, 'numeric')).toBe('0001-01-01T00:00:00Z')
  })

  it('normalises type names: no prefix, xs:, and the TR-106 name base64', () => {
    expect(normaliseValueType('unsignedInt')).toBe('xsd:unsignedInt')
    expect(normaliseValueType(' xs:boolean ')).toBe('xsd:boolean')
    expect(normaliseValueType('base64')).toBe('xsd:base64Binary')
    expect(normaliseValueType('soap-enc:base64')).toBe('soap-enc:base64')
    expect(normaliseValueType('xsd:nosuchtype')).toBeUndefined()
  })
})
