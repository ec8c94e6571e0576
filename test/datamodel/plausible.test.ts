import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import * as tr181api from '../../src/datamodel/tr181.js'
import * as tr098api from '../../src/datamodel/tr098.js'
import { checkValue } from '../../src/datamodel/check.js'
import { plausibleValueOf } from '../../src/datamodel/plausible.js'
// Unsatisfied, with the reason: these list parameters have an item pattern whose values themselves contain
// commas ("([0-7],){15}[0-7]"), so any value matching the item pattern is split into several list items
// by the list syntax (TR-106 comma-separated lists); no lexical value can pass checkValue. Listed so the
// test fails if one becomes satisfiable or another appears. Both are writable, so validate refuses them
// too (9007): the same two are expected from the validate check.
const UNSATISFIED: Record<string, string[]> = {
  tr181: [
    'Device.Bridging.Bridge.{i}.Port.{i}.PriorityCodePoint.PCPEncoding',
    'Device.Bridging.Bridge.{i}.Port.{i}.PriorityCodePoint.PCPDecoding',
  ],
  tr098: [],
}

// Each run iterates every parameter of the table (several thousand for tr181), so the run count is
// small and bounded to keep the file around 2 s; the seeds and instance numbers are random per run.
const RUNS = 6

describe('plausibleValue (property, every parameter)', () => {
  for (const [name, api] of [['tr181', tr181api], ['tr098', tr098api]] as const) {
    const defs = name === 'tr181' ? tr181api.tr181 : tr098api.tr098
    it(`every ${name} parameter: deterministic, inside its facets, and writable ones pass validate`, () => {
      fc.assert(
        fc.property(fc.integer(), fc.integer({ min: 1, max: 4096 }), (seed, instance) => {
          const bad = new Set<string>()
          for (const p of defs.parameters()) {
            const v = api.plausibleValue(p, seed)
            expect(api.plausibleValue(p, seed)).toBe(v)
            expect(plausibleValueOf(p, seed)).toBe(v)
            if (checkValue(p.syntax, v) !== undefined) bad.add(p.path)
            if (!p.writable) continue
            // Through the public subpath API, with a concrete path: same value by path as by definition.
            const concrete = p.path.replaceAll('{i}', String(instance))
            const byPath = api.plausibleValue(concrete, seed)
            expect(byPath).toBe(v)
            const result = api.validate(concrete, byPath)
            if (!result.ok) {
              if (!UNSATISFIED[name]!.includes(p.path)) throw new Error(`${concrete} ${JSON.stringify(byPath)}: ${result.message}`)
              expect(result.faultCode).toBe(9007)
            }
          }
          expect([...bad]).toEqual(UNSATISFIED[name])
        }),
        { numRuns: RUNS },
      )
    })
  }
})

describe('plausibleValue (subpath export)', () => {
  it('accepts a path, is validated by the model, and refuses a non-parameter with a ConfigError', () => {
    const { plausibleValue, validate } = tr181api
    const mac = plausibleValue('Device.Ethernet.Interface.1.MACAddress', 3)
    expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/)
    expect(validate('Device.DeviceInfo.ProvisioningCode', plausibleValue('Device.DeviceInfo.ProvisioningCode', 9)).ok).toBe(true)
    expect(() => plausibleValue('Device.Nope', 1)).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID' }))
    expect(() => tr098api.plausibleValue('Device.DeviceInfo.ProvisioningCode', 1)).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID' }))
  })
})
