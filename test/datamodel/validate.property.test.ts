// fast-check: for parameters of both shipped models, values generated inside a parameter's facets
// pass `validate` (and `checkValue`), and values just outside them (range ± 1, length + 1 or − 1, a
// string not in the enumeration, one item too many) get the 9007 reason they deserve.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { checkValue } from '../../src/datamodel/check.js'
import { tr098 } from '../../src/datamodel/tr098.js'
import { tr181 } from '../../src/datamodel/tr181.js'
import type { LengthRange, ParameterDefinition, ScalarSyntax, ValueRange } from '../../src/datamodel/types.js'
import { INTEGER_RANGES } from '../../src/values/lexical.js'

const RUNS = 300
const ALL: readonly ParameterDefinition[] = [...tr181.parameters(), ...tr098.parameters()]
const definitionsOf = (p: ParameterDefinition) => (p.path.startsWith('Device.') ? tr181 : tr098)

const scalar = (p: ParameterDefinition): ScalarSyntax | undefined => (p.syntax.type === 'list' ? undefined : p.syntax)
const INTEGER = new Set(['int', 'unsignedInt', 'long', 'unsignedLong'])

function pick<T>(label: string, items: readonly T[]): fc.Arbitrary<T> {
  if (items.length === 0) throw new Error(`no parameters for ${label}`)
  return fc.constantFrom(...items)
}

/** A value of an integer type inside one of its ranges (on the step). */
function inRange(type: string, ranges: readonly ValueRange[] | undefined): fc.Arbitrary<bigint> {
  const [typeMin, typeMax] = INTEGER_RANGES[type] as readonly [bigint, bigint]
  const list = ranges ?? [{}]
  return fc.constantFrom(...list).chain((r) => {
    const min = r.minInclusive === undefined ? typeMin : BigInt(r.minInclusive)
    const max = r.maxInclusive === undefined ? typeMax : BigInt(r.maxInclusive)
    const step = BigInt(r.step ?? 1)
    return fc.bigInt({ min: 0n, max: (max - min) / step }).map((k) => min + k * step)
  })
}

function covered(type: string, ranges: readonly ValueRange[] | undefined, v: bigint): boolean {
  const [typeMin, typeMax] = INTEGER_RANGES[type] as readonly [bigint, bigint]
  return (ranges ?? [{}]).some((r) => {
    const min = r.minInclusive === undefined ? typeMin : BigInt(r.minInclusive)
    const max = r.maxInclusive === undefined ? typeMax : BigInt(r.maxInclusive)
    return v >= min && v <= max && (v - min) % BigInt(r.step ?? 1) === 0n
  })
}

/** The values just outside every range (range ± 1, step ± 1), that no range covers. */
function justOutside(type: string, ranges: readonly ValueRange[] | undefined): bigint[] {
  const [typeMin, typeMax] = INTEGER_RANGES[type] as readonly [bigint, bigint]
  const out: bigint[] = []
  for (const r of ranges ?? [{}]) {
    const min = r.minInclusive === undefined ? typeMin : BigInt(r.minInclusive)
    const max = r.maxInclusive === undefined ? typeMax : BigInt(r.maxInclusive)
    out.push(min - 1n, max + 1n)
    if (r.step !== undefined && max > min) out.push(min + 1n)
  }
  return out.filter((v) => !covered(type, ranges, v))
}

const single = (sizes: readonly LengthRange[] | undefined): LengthRange | undefined => (sizes?.length === 1 ? sizes[0] : undefined)

/** A string of exactly `n` code points, some outside the BMP (XSD lengths count characters). */
function stringOf(n: number): fc.Arbitrary<string> {
  return fc.string({ unit: 'binary', minLength: n, maxLength: n }).filter((s) => !s.includes(','))
}

function accepts(p: ParameterDefinition, value: string): void {
  const problem = checkValue(p.syntax, value, { setting: true })
  expect(problem, `${p.path} = ${JSON.stringify(value)}`).toBeUndefined()
  if (p.writable) expect(definitionsOf(p).validate(p.path.replaceAll('{i}', '7'), value)).toMatchObject({ ok: true })
}

function refuses(p: ParameterDefinition, value: string, reason: string): void {
  expect(checkValue(p.syntax, value, { setting: true }), `${p.path} = ${JSON.stringify(value).slice(0, 60)}`).toMatchObject({ reason })
  if (p.writable) {
    expect(definitionsOf(p).validate(p.path.replaceAll('{i}', '7'), value)).toMatchObject({ ok: false, faultCode: 9007, reason })
  }
}

describe('integers: inside the ranges accepted, range ± 1 refused', () => {
  const params = ALL.filter((p) => INTEGER.has(scalar(p)?.type ?? '') && scalar(p)?.enumeration === undefined)

  it(`over ${params.length} integer parameters`, () => {
    fc.assert(
      fc.property(
        pick('integers', params).chain((p) => {
          const s = scalar(p) as ScalarSyntax
          return fc.tuple(fc.constant(p), inRange(s.type, s.ranges), fc.constantFrom(...justOutside(s.type, s.ranges)))
        }),
        ([p, inside, outside]) => {
          accepts(p, inside.toString())
          refuses(p, outside.toString(), 'out-of-range')
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('every ranged writable integer of TR-181 is covered by the arbitrary', () => {
    // Guards against a filter that leaves the property with nothing interesting to test.
    expect(params.filter((p) => scalar(p)?.ranges !== undefined && p.writable).length).toBeGreaterThan(100)
    expect(params.some((p) => scalar(p)?.ranges?.some((r) => r.step !== undefined))).toBe(true)
  })
})

describe('strings: lengths inside the size accepted, length + 1 and − 1 refused', () => {
  const params = ALL.filter((p) => {
    const s = scalar(p)
    return s?.type === 'string' && single(s.sizes) !== undefined && s.patterns === undefined && s.enumeration === undefined
  })

  it(`over ${params.length} sized string parameters`, () => {
    fc.assert(
      fc.property(
        pick('strings', params).chain((p) => {
          const size = single(scalar(p)?.sizes) as LengthRange
          const min = size.minLength ?? 0
          const max = Math.min(size.maxLength ?? 300, 300)
          return fc.tuple(fc.constant(p), fc.integer({ min, max }).chain(stringOf))
        }),
        ([p, inside]) => accepts(p, inside),
      ),
      { numRuns: RUNS },
    )
  })

  it('one character too many is too-long; one too few is too-short', () => {
    fc.assert(
      fc.property(pick('strings', params.filter((p) => single(scalar(p)?.sizes)?.maxLength !== undefined)), fc.nat(), (p, seed) => {
        const size = single(scalar(p)?.sizes) as LengthRange
        const max = size.maxLength as number
        refuses(p, 'x'.repeat(max + 1), 'too-long')
        refuses(p, `${'😀'.repeat(max)}${String(seed % 10)}`, 'too-long')
        if ((size.minLength ?? 0) > 0) refuses(p, 'x'.repeat((size.minLength as number) - 1), 'too-short')
      }),
      { numRuns: RUNS },
    )
  })
})

describe('enumerations: each settable value accepted, anything else refused', () => {
  const params = ALL.filter((p) => scalar(p)?.enumeration !== undefined && p.syntax.type !== 'list')

  it(`over ${params.length} enumerated parameters`, () => {
    fc.assert(
      fc.property(
        pick('enumerations', params).chain((p) => {
          const s = scalar(p) as ScalarSyntax
          const settable = (s.enumeration ?? []).filter((v) => !(s.readOnlyValues ?? []).includes(v))
          return fc.tuple(
            fc.constant(p),
            fc.constantFrom(...(settable.length > 0 ? settable : (s.enumeration ?? []))),
            fc.string({ maxLength: 12 }).filter((x) => !(s.enumeration ?? []).includes(x)),
          )
        }),
        ([p, inside, outside]) => {
          const s = scalar(p) as ScalarSyntax
          if (!(s.readOnlyValues ?? []).includes(inside)) accepts(p, inside)
          refuses(p, outside, 'not-in-enumeration')
          // A near miss: the value with its case changed.
          const swapped = inside === inside.toUpperCase() ? inside.toLowerCase() : inside.toUpperCase()
          if (!(s.enumeration ?? []).includes(swapped)) refuses(p, swapped, 'not-in-enumeration')
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('read-only values of an enumeration are refused when set', () => {
    const withReadOnly = params.filter((p) => (scalar(p)?.readOnlyValues ?? []).length > 0 && p.writable)
    expect(withReadOnly.length).toBeGreaterThan(10)
    fc.assert(
      fc.property(pick('read-only values', withReadOnly).chain((p) => fc.tuple(fc.constant(p), fc.constantFrom(...(scalar(p)?.readOnlyValues ?? [])))), ([p, v]) => {
        refuses(p, v, 'read-only-value')
        expect(checkValue(p.syntax, v)).toBeUndefined()
      }),
      { numRuns: RUNS },
    )
  })
})

describe('booleans, dateTimes and binaries', () => {
  const of = (type: string) => ALL.filter((p) => scalar(p)?.type === type && scalar(p)?.sizes === undefined)

  it('booleans: the four lexical forms accepted, other words refused', () => {
    fc.assert(
      fc.property(
        pick('booleans', of('boolean')),
        fc.constantFrom('0', '1', 'true', 'false', ' true\n'),
        fc.string({ maxLength: 6 }).filter((s) => !['0', '1', 'true', 'false'].includes(s.trim())),
        (p, inside, outside) => {
          accepts(p, inside)
          refuses(p, outside, 'wrong-type')
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('dateTimes: any instant accepted, an impossible date refused', () => {
    fc.assert(
      fc.property(
        pick('dateTimes', of('dateTime')),
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
        fc.integer({ min: 1, max: 12 }),
        (p, d, month) => {
          accepts(p, d.toISOString())
          refuses(p, `2025-${String(month).padStart(2, '0')}-32T00:00:00Z`, 'wrong-type')
        },
      ),
      { numRuns: RUNS },
    )
  })

  it('sized hexBinary and base64: byte counts inside accepted, one byte more refused', () => {
    const params = ALL.filter((p) => {
      const s = scalar(p)
      return (s?.type === 'hexBinary' || s?.type === 'base64') && single(s.sizes)?.maxLength !== undefined
    })
    expect(params.length).toBeGreaterThan(5)
    fc.assert(
      fc.property(
        pick('binaries', params).chain((p) => {
          const size = single(scalar(p)?.sizes) as LengthRange
          const max = Math.min(size.maxLength as number, 64)
          return fc.tuple(fc.constant(p), fc.uint8Array({ minLength: size.minLength ?? 0, maxLength: max }))
        }),
        ([p, bytes]) => {
          const s = scalar(p) as ScalarSyntax
          const size = single(s.sizes) as LengthRange
          const encode = (b: Uint8Array) => (s.type === 'hexBinary' ? Buffer.from(b).toString('hex') : Buffer.from(b).toString('base64'))
          accepts(p, encode(bytes))
          refuses(p, encode(new Uint8Array((size.maxLength as number) + 1)), 'too-long')
        },
      ),
      { numRuns: RUNS },
    )
  })
})

describe('lists: item counts inside accepted, one item too many refused', () => {
  const params = ALL.filter((p) => p.syntax.type === 'list' && p.syntax.maxItems !== undefined && p.syntax.nestedBrackets === undefined)

  it(`over ${params.length} lists with maxItems`, () => {
    fc.assert(
      fc.property(pick('lists', params), (p) => {
        if (p.syntax.type !== 'list') return
        const item = p.syntax.item
        const sample = item.type === 'list' ? undefined : (item.enumeration?.[0] ?? (INTEGER.has(item.type) ? String(item.ranges?.[0]?.minInclusive ?? 0) : undefined))
        if (sample === undefined && (item.type !== 'string' || (item as ScalarSyntax).patterns !== undefined)) return
        const one = sample ?? 'a'
        const max = p.syntax.maxItems as number
        const within = Array.from({ length: Math.min(max, 8) }, () => one).join(',')
        if (p.syntax.sizes === undefined || within.length <= (p.syntax.sizes[0]?.maxLength ?? Infinity)) accepts(p, within)
        const over = Array.from({ length: max + 1 }, () => one).join(',')
        if (p.syntax.sizes === undefined) refuses(p, over, 'too-many-items')
      }),
      { numRuns: RUNS },
    )
  })

  it('an invalid item makes the list invalid, at that item', () => {
    const ints = ALL.filter((p) => p.syntax.type === 'list' && p.syntax.item.type === 'unsignedInt' && p.syntax.maxItems === undefined && p.syntax.sizes === undefined)
    expect(ints.length).toBeGreaterThan(3)
    fc.assert(
      fc.property(pick('integer lists', ints), fc.nat({ max: 5 }), (p, count) => {
        const item = p.syntax.type === 'list' ? (p.syntax.item as ScalarSyntax) : undefined
        const good = String(item?.ranges?.[0]?.minInclusive ?? 0)
        const before = Array.from({ length: count }, () => good)
        const bad = [...before, '-1'].join(', ')
        expect(checkValue(p.syntax, bad)).toMatchObject({ reason: 'list-item-invalid', item: before.length })
      }),
      { numRuns: RUNS },
    )
  })
})
