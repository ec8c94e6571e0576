import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createMemoryDataModel,
  isDataModelFault,
  type MemoryModelDefinition,
  type MemoryParameterDefinition,
  type ParameterValueStruct,
} from '../../src/index.js'
import { testModel } from './helpers.js'

/** A value to set and the canonical form GetParameterValues must give back. */
interface Case {
  readonly set: ParameterValueStruct
  readonly expected: string
}

const XML_SAFE = /^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]*$/

/** An integer written with optional whitespace, leading zeros and (for signed types) a plus sign. */
function integerLexical(value: bigint, signed: boolean): fc.Arbitrary<string> {
  return fc
    .record({ zeros: fc.integer({ min: 0, max: 3 }), plus: fc.boolean(), ws: fc.boolean() })
    .map(({ zeros, plus, ws }) => {
      const sign = value < 0n ? '-' : plus && signed ? '+' : ''
      const abs = (value < 0n ? -value : value).toString()
      const text = `${sign}${'0'.repeat(zeros)}${abs}`
      return ws ? ` ${text}\n` : text
    })
}

function intCase(name: string, type: string, min: bigint, max: bigint, signed: boolean): fc.Arbitrary<Case> {
  return fc
    .bigInt({ min, max })
    .chain((v) => integerLexical(v, signed).map((value) => ({ set: { name, type, value }, expected: v.toString() })))
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

/** One valid SetParameterValues entry for each writable parameter of the test model. */
const VALID: Readonly<Record<string, fc.Arbitrary<Case>>> = {
  'Device.Test.String': fc
    .string({ maxLength: 8, unit: 'binary' })
    .filter((s) => XML_SAFE.test(s))
    .map((value) => ({ set: { name: 'Device.Test.String', type: 'xsd:string', value }, expected: value })),
  'Device.Test.Enum': fc
    .constantFrom('A', 'B')
    .map((value) => ({ set: { name: 'Device.Test.Enum', type: 'xsd:string', value }, expected: value })),
  'Device.Test.Bool': fc.constantFrom('0', '1', 'true', 'false', ' true ', '\tfalse').map((value) => ({
    set: { name: 'Device.Test.Bool', type: 'xsd:boolean', value },
    expected: value.trim() === '1' || value.trim() === 'true' ? '1' : '0',
  })),
  'Device.Test.Int': intCase('Device.Test.Int', 'xsd:int', -(2n ** 31n), 2n ** 31n - 1n, true),
  'Device.Test.UInt': intCase('Device.Test.UInt', 'xsd:unsignedInt', 0n, 2n ** 32n - 1n, false),
  'Device.Test.Ranged': intCase('Device.Test.Ranged', 'xsd:unsignedInt', 1n, 100n, false),
  'Device.Test.Long': intCase('Device.Test.Long', 'xsd:long', -(2n ** 63n), 2n ** 63n - 1n, true),
  'Device.Test.ULong': intCase('Device.Test.ULong', 'xsd:unsignedLong', 0n, 2n ** 64n - 1n, false),
  'Device.Test.Time': fc
    .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
    .map((d) => {
      const value = d.toISOString()
      return { set: { name: 'Device.Test.Time', type: 'xsd:dateTime', value }, expected: value }
    }),
  'Device.Test.B64': fc.uint8Array({ maxLength: 4 }).map((b) => {
    const value = Buffer.from(b).toString('base64')
    return { set: { name: 'Device.Test.B64', type: 'xsd:base64Binary', value }, expected: value }
  }),
  'Device.Test.Hex': fc.uint8Array({ maxLength: 6 }).map((b) => ({
    set: { name: 'Device.Test.Hex', type: 'xsd:hexBinary', value: hex(b) },
    expected: hex(b).toUpperCase(),
  })),
  'Device.Test.Passive': fc
    .string({ maxLength: 5 })
    .map((value) => ({ set: { name: 'Device.Test.Passive', type: 'xsd:string', value }, expected: value })),
}

/** One invalid entry per writable parameter, and the per-parameter fault it must get. */
const INVALID: Readonly<Record<string, fc.Arbitrary<{ readonly set: ParameterValueStruct; readonly code: number }>>> = {
  'Device.Test.String': fc.constant({ set: { name: 'Device.Test.String', type: 'xsd:string', value: '123456789' }, code: 9007 }),
  'Device.Test.Enum': fc.constant({ set: { name: 'Device.Test.Enum', type: 'xsd:int', value: '1' }, code: 9006 }),
  'Device.Test.Bool': fc.constant({ set: { name: 'Device.Test.Bool', type: 'xsd:boolean', value: 'on' }, code: 9007 }),
  'Device.Test.Int': fc
    .bigInt({ min: 2n ** 31n, max: 2n ** 40n })
    .map((v) => ({ set: { name: 'Device.Test.Int', type: 'xsd:int', value: v.toString() }, code: 9007 })),
  'Device.Test.UInt': fc
    .bigInt({ min: -(2n ** 40n), max: -1n })
    .map((v) => ({ set: { name: 'Device.Test.UInt', type: 'xsd:unsignedInt', value: v.toString() }, code: 9007 })),
  'Device.Test.Ranged': fc
    .constantFrom('0', '101')
    .map((value) => ({ set: { name: 'Device.Test.Ranged', type: 'xsd:unsignedInt', value }, code: 9007 })),
  'Device.Test.Long': fc.constant({ set: { name: 'Device.Test.Long', type: 'xsd:unsignedLong', value: '1' }, code: 9006 }),
  'Device.Test.ULong': fc.constant({ set: { name: 'Device.Test.ULong', type: 'xsd:unsignedLong', value: '2e3' }, code: 9007 }),
  'Device.Test.Time': fc.constant({ set: { name: 'Device.Test.Time', type: 'xsd:dateTime', value: 'yesterday' }, code: 9007 }),
  'Device.Test.B64': fc.constant({ set: { name: 'Device.Test.B64', type: 'xsd:base64Binary', value: '***' }, code: 9007 }),
  'Device.Test.Hex': fc.constant({ set: { name: 'Device.Test.Hex', type: 'xsd:hexBinary', value: 'xyz1' }, code: 9007 }),
  'Device.Test.Passive': fc.constant({ set: { name: 'Device.Test.Passive', type: 'xsd:boolean', value: '1' }, code: 9006 }),
  'Device.Test.ReadOnly': fc.constant({ set: { name: 'Device.Test.ReadOnly', type: 'xsd:string', value: 'x' }, code: 9008 }),
  'Device.Test.Missing': fc.constant({ set: { name: 'Device.Test.Missing', type: 'xsd:string', value: 'x' }, code: 9005 }),
}

describe('memory model properties', () => {
  it('(a) SetParameterValues then GetParameterValues gives back the values in canonical form', () => {
    const cases = fc
      .shuffledSubarray(Object.values(VALID), { minLength: 1 })
      .chain((arbs) => fc.tuple(...arbs))
    fc.assert(
      fc.property(cases, fc.string({ maxLength: 32 }), (list, key) => {
        const m = testModel()
        expect(m.setParameterValues(list.map((c) => c.set), key)).toBe(0)
        expect(m.getParameterValues(list.map((c) => c.set.name)).map((p) => p.value)).toEqual(list.map((c) => c.expected))
        expect(m.parameterKey).toBe(key)
      }),
    )
  })

  it('(b) a SetParameterValues with any failing parameter changes nothing and names exactly the failures', () => {
    type Entry = { readonly set: ParameterValueStruct; readonly code?: number }
    const names = Object.keys(INVALID)
    const entries = fc
      .shuffledSubarray(names, { minLength: 1 })
      .chain((picked) =>
        fc.tuple(
          ...picked.map((n): fc.Arbitrary<Entry> => {
            const valid = VALID[n]
            const invalid = INVALID[n] as fc.Arbitrary<Entry>
            return valid === undefined ? invalid : fc.oneof(valid.map((c): Entry => ({ set: c.set })), invalid)
          }),
        ),
      )
      .filter((list) => list.some((e) => e.code !== undefined))
    fc.assert(
      fc.property(entries, (list) => {
        const m = testModel()
        const before = m.toDefinition()
        let thrown: unknown
        try {
          m.setParameterValues(list.map((e) => e.set), 'must-not-be-set')
        } catch (error) {
          thrown = error
        }
        expect(isDataModelFault(thrown)).toBe(true)
        if (!isDataModelFault(thrown)) return
        expect(thrown.faultCode).toBe(9003)
        const failing = list.filter((e) => e.code !== undefined)
        expect(thrown.parameterFaults?.map((f) => [f.parameterName, f.faultCode])).toEqual(
          failing.map((e) => [e.set.name, e.code]),
        )
        expect(m.toDefinition()).toEqual(before)
      }),
    )
  })

  it('(c) AddObject numbers are unique and increasing; a deleted instance is gone (9005)', () => {
    type Op = { readonly op: 'add' } | { readonly op: 'delete'; readonly pick: number }
    const ops = fc.array(
      fc.oneof(fc.constant<Op>({ op: 'add' }), fc.nat({ max: 40 }).map((pick): Op => ({ op: 'delete', pick }))),
      { maxLength: 40 },
    )
    fc.assert(
      fc.property(ops, (list) => {
        const m = createMemoryDataModel({
          parameters: {
            'Device.T.1.V': { type: 'xsd:unsignedInt', value: 1, writable: true },
            'Device.T.{i}.V': { type: 'xsd:unsignedInt', writable: true },
            'Device.TNumberOfEntries': { type: 'xsd:unsignedInt', value: 1 },
          },
        })
        const live = new Set<number>([1])
        let last = 1
        for (const step of list) {
          if (step.op === 'add') {
            const { instanceNumber } = m.addObject('Device.T.', 'k')
            expect(instanceNumber).toBeGreaterThan(last)
            last = instanceNumber
            live.add(instanceNumber)
          } else {
            const n = step.pick
            if (live.has(n)) {
              m.deleteObject(`Device.T.${n}.`, 'k')
              live.delete(n)
            } else {
              expect(() => m.deleteObject(`Device.T.${n}.`, 'k')).toThrow(expect.objectContaining({ faultCode: 9005 }))
            }
            expect(() => m.getParameterValues([`Device.T.${n}.`])).toThrow(expect.objectContaining({ faultCode: 9005 }))
            expect(() => m.getParameterValues([`Device.T.${n}.V`])).toThrow(expect.objectContaining({ faultCode: 9005 }))
          }
          expect(m.getParameterNames('Device.T.', true).map((p) => p.name)).toEqual(
            [...live].sort((a, b) => a - b).map((i) => `Device.T.${i}.`),
          )
          expect(m.get('Device.TNumberOfEntries')).toBe(String(live.size))
        }
      }),
    )
  })

  it('(d) GetParameterNames over the root with NextLevel false lists every parameter and object exactly once', () => {
    type Tree = { readonly kind: 'param'; readonly value: string } | { readonly kind: 'obj'; readonly children: Readonly<Record<string, Tree>> }
    const { node } = fc.letrec<{ node: Tree; obj: Tree; table: Tree }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.string({ maxLength: 3 }).map((value): Tree => ({ kind: 'param', value })),
        tie('obj'),
        tie('table'),
      ),
      obj: fc
        .dictionary(fc.constantFrom('A', 'B', 'Cc', 'D_1', 'X_0A1B2C_E'), tie('node'), { maxKeys: 4 })
        .map((children): Tree => ({ kind: 'obj', children })),
      table: fc
        .dictionary(fc.constantFrom('1', '2', '3', '10'), tie('obj'), { minKeys: 1, maxKeys: 3 })
        .map((children): Tree => ({ kind: 'obj', children })),
    }))
    const roots = fc.dictionary(fc.constantFrom('Device', 'InternetGatewayDevice'), node.filter((t) => t.kind === 'obj'), {
      minKeys: 1,
      maxKeys: 2,
    })
    fc.assert(
      fc.property(roots, (top) => {
        const parameters: Record<string, MemoryParameterDefinition> = {}
        const objects: Record<string, object> = {}
        const expected: string[] = []
        const walk = (t: Tree, path: string): void => {
          if (t.kind === 'param') {
            parameters[path] = { type: 'xsd:string', value: t.value }
            expected.push(path)
            return
          }
          objects[`${path}.`] = {}
          expected.push(`${path}.`)
          for (const [k, c] of Object.entries(t.children)) walk(c, `${path}.${k}`)
        }
        for (const [k, t] of Object.entries(top)) walk(t, k)
        const def: MemoryModelDefinition = { parameters, objects }
        const m = createMemoryDataModel(def)
        const listed = m.getParameterNames('', false).map((p) => p.name)
        expect(new Set(listed).size).toBe(listed.length)
        expect([...listed].sort()).toEqual([...expected].sort())
        // Walking NextLevel from the root reaches exactly the same names.
        const reached: string[] = []
        const visit = (path: string): void => {
          for (const { name } of m.getParameterNames(path, true)) {
            reached.push(name)
            if (name.endsWith('.')) visit(name)
          }
        }
        visit('')
        expect([...reached].sort()).toEqual([...expected].sort())
        // Every partial path of GetParameterValues yields exactly the parameters below it.
        expect(m.getParameterValues(['']).map((p) => p.name).sort()).toEqual(Object.keys(parameters).sort())
      }),
    )
  })
})
