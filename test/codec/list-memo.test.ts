import { describe, expect, it } from 'vitest'
import { encodeEnvelope, type Envelope, type ParameterValueStruct } from '../../src/index.js'
import { clearListMemo } from '../../src/rpc/list-memo.js'

const list = (n: number): ParameterValueStruct[] =>
  Array.from({ length: n }, (_, i) => ({ name: `Device.X.${i}`, value: String(i), type: 'xsd:unsignedInt' }))
const spv = (l: ParameterValueStruct[]): Envelope => ({ version: '1.2', header: {}, body: { method: 'SetParameterValues', parameterList: l, parameterKey: 'k' } })
const fresh = (env: Envelope): string => {
  clearListMemo()
  return encodeEnvelope(structuredClone(env))
}

describe('list memo (D40)', () => {
  it('a list changed in place is encoded afresh', () => {
    const l = list(20)
    const env = spv(l)
    const first = encodeEnvelope(env)
    expect(encodeEnvelope(env)).toBe(first)
    ;(l[13] as { value: string }).value = '77'
    const second = encodeEnvelope(env)
    expect(second).not.toBe(first)
    expect(second).toBe(fresh(env))
  })
  it('a strict encode still fails after a non-strict encode of the same bad list', () => {
    const l = list(20)
    ;(l[5] as { value: string }).value = 'not a number'
    const env = spv(l)
    expect(() => encodeEnvelope(env, { strict: false })).not.toThrow()
    expect(() => encodeEnvelope(env)).toThrow(/not a valid xsd:unsignedInt/)
  })
  it('an equal list of other objects gives the same bytes; a name list too', () => {
    const a = encodeEnvelope(spv(list(30)))
    expect(encodeEnvelope(spv(list(30)))).toBe(a)
    const names = Array.from({ length: 30 }, (_, i) => `Device.A&B.${i}`)
    const gpv: Envelope = { version: '1.2', header: {}, body: { method: 'GetParameterValues', parameterNames: names } }
    const x = encodeEnvelope(gpv)
    expect(x).toContain('Device.A&amp;B.0')
    names[29] = 'Device.Other.'
    expect(encodeEnvelope(gpv)).toBe(fresh(gpv))
  })
})
