/**
 * createSimulatedModel / simulatedModelDefinition: a whole TR-181 or TR-098 model as an in-memory
 * model. Every value passes the definitions' own checks, writability and NumberOfEntries follow the
 * definitions, the DeviceId is the DeviceInfo identity, the result is deterministic for a seed, and a
 * CPE client on it answers a GetParameterValues of a whole subtree with the definitions' xsi types
 * over loopback.
 */
import { describe, expect, it } from 'vitest'
import {
  createMemoryDataModel,
  createSimulatedModel,
  encodeEnvelope,
  formatCpeUsername,
  simulatedModelDefinition,
  type MemoryDataModel,
  type ParameterValueStruct,
} from '../../src/index.js'
import { tr181 } from '../../src/datamodel/tr181.js'
import { tr098 } from '../../src/datamodel/tr098.js'
import type { DataModelDefinitions } from '../../src/datamodel/types.js'
import { client, simulator, within } from './loopback.js'

/** Lists whose item pattern holds commas: no value can pass (D371); the test fails if the set changes. */
const NO_VALID_VALUE = new Set([
  'Device.Bridging.Bridge.{i}.Port.{i}.PriorityCodePoint.PCPEncoding',
  'Device.Bridging.Bridge.{i}.Port.{i}.PriorityCodePoint.PCPDecoding',
])

const built = new Map<DataModelDefinitions, MemoryDataModel>()
function modelOf(defs: DataModelDefinitions): MemoryDataModel {
  let m = built.get(defs)
  if (m === undefined) built.set(defs, (m = createSimulatedModel(defs, { seed: 7 })))
  return m
}

/** The template form of a concrete path (instance numbers as `{i}`). */
const template = (path: string): string => path.replace(/\.[1-9][0-9]*(?=\.|$)/g, '.{i}')

describe.each([
  ['tr181', tr181],
  ['tr098', tr098],
] as const)('the simulated %s model', (_name, defs) => {
  it('holds every current parameter, each value passing checkValue (and validate when writable), with the xsi type of its definition', () => {
    const model = modelOf(defs)
    const values = model.getParameterValues([defs.root])
    const bad: string[] = []
    const seen = new Set<string>()
    for (const p of values) {
      const def = defs.parameter(p.name)
      if (def === undefined) {
        bad.push(`${p.name}: not in the definitions`)
        continue
      }
      seen.add(def.path)
      if (def.status !== 'current') bad.push(`${p.name}: ${def.status}`)
      if (p.type !== def.xsdType) bad.push(`${p.name}: ${p.type}, not ${def.xsdType}`)
      // The stored value: a hidden one (a password) reads back empty.
      const stored = model.get(p.name) as string
      // Hidden: read as the empty string, or the null value of a type without one (0, false).
      const nothing = p.type === 'xsd:boolean' || /int|long/i.test(p.type) ? '0' : ''
      if (def.hidden && p.value !== nothing) bad.push(`${p.name}: hidden but read as ${p.value}`)
      const problem = defs.checkValue(p.name, stored)
      if (NO_VALID_VALUE.has(def.path)) {
        // Listed because no value passes: the list must change if one does.
        if (problem === undefined) bad.push(`${p.name}: listed as having no valid value, but ${JSON.stringify(stored)} passes`)
        continue
      }
      if (problem !== undefined) bad.push(`${p.name} = ${JSON.stringify(stored)}: ${problem.message}`)
      if (def.writable) {
        const r = defs.validate(p.name, stored)
        if (!r.ok) bad.push(`${p.name} = ${JSON.stringify(stored)}: ${r.message}`)
      }
    }
    expect(bad).toEqual([])
    // What a read gives encodes (a hidden unsignedInt reads as 0, not as the empty string).
    expect(() => encodeEnvelope({ version: '1.0', header: { id: '1' }, body: { method: 'GetParameterValuesResponse', parameterList: values } })).not.toThrow()
    // Every current parameter below current objects is there; deprecated and obsoleted ones are not.
    const current = (path: string): boolean => {
      for (let o = defs.lookup(path); o !== undefined; ) {
        if (o.kind !== 'table' && o.status !== 'current') return false
        const up: string | undefined = o.kind === 'parameter' ? o.object : o.parent
        o = up === undefined ? undefined : defs.lookup(up)
      }
      return true
    }
    const missing = defs.parameters().filter((p) => current(p.path) && !seen.has(p.path))
    expect(missing.map((p) => p.path)).toEqual([])
    expect(defs.parameters().some((p) => p.status !== 'current')).toBe(true)
    for (const p of defs.parameters()) if (!current(p.path)) expect(seen.has(p.path)).toBe(false)
    // The two without a valid value are present (with a value of the right shape otherwise).
    if (defs === tr181) for (const t of NO_VALID_VALUE) expect(seen.has(t)).toBe(true)
  })

  it('GetParameterNames from the root with NextLevel true lists what the definitions list, with their writability', () => {
    const model = modelOf(defs)
    const got = model.getParameterNames(defs.root, true).map((p) => [p.name, p.writable])
    const want = defs
      .children(defs.root)
      .filter((d) => (d.kind === 'table' ? d.instance.status : d.status) === 'current')
      .map((d) => [defs.root + d.path.slice(defs.root.length), d.writable])
    expect(got.length).toBeGreaterThan(10)
    expect(new Map(got as [string, boolean][])).toEqual(new Map(want as [string, boolean][]))
  })

  it('writability of every parameter and table is the definitions', () => {
    const model = modelOf(defs)
    const wrong: string[] = []
    for (const p of model.getParameterNames(defs.root, false)) {
      const d = defs.lookup(p.name)
      if (d === undefined) wrong.push(`${p.name}: unknown`)
      else if (d.writable !== p.writable) wrong.push(`${p.name}: ${p.writable}`)
    }
    expect(wrong).toEqual([])
  })

  it('every NumberOfEntries counts the instances of its table', () => {
    const model = modelOf(defs)
    const names = model.getParameterNames(defs.root, false).map((p) => p.name)
    const instances = new Map<string, number>() // concrete table path → instances
    for (const n of names) {
      const m = /^(.*\.)[1-9][0-9]*\.$/.exec(n)
      if (m !== null) instances.set(m[1] as string, (instances.get(m[1] as string) ?? 0) + 1)
    }
    const counterOf = new Map<string, string>() // table template path → its counter's name
    for (const o of defs.objects()) if (o.multiInstance && o.numEntriesParameter !== undefined) counterOf.set(o.path.slice(0, -'{i}.'.length), o.numEntriesParameter)
    let checked = 0
    for (const n of names) {
      const counter = counterOf.get(template(n))
      if (counter === undefined || !n.endsWith('.')) continue
      const name = n.slice(0, n.lastIndexOf('.', n.length - 2) + 1) + counter.slice(counter.lastIndexOf('.') + 1)
      expect([name, model.get(name)]).toEqual([name, String(instances.get(n) ?? 0)])
      checked++
    }
    expect(checked).toBeGreaterThan(50)
  })

  it('the DeviceId is the DeviceInfo identity; options override it, checked against the definitions', () => {
    const model = modelOf(defs)
    const info = `${defs.root}DeviceInfo.`
    expect(model.deviceId()).toEqual({
      manufacturer: model.get(`${info}Manufacturer`),
      oui: model.get(`${info}ManufacturerOUI`),
      productClass: model.get(`${info}ProductClass`),
      serialNumber: model.get(`${info}SerialNumber`),
    })
    expect(model.deviceId().serialNumber).toMatch(/^SN[0-9A-F]{10}$/)
    const own = createSimulatedModel(defs, { seed: 7, manufacturer: 'Acme', oui: '00D09E', productClass: 'Box', serialNumber: 'S1', acsUrl: 'http://127.0.0.1:1/', periodicInformInterval: 60 })
    expect(own.deviceId()).toEqual({ manufacturer: 'Acme', oui: '00D09E', productClass: 'Box', serialNumber: 'S1' })
    expect(own.get(`${defs.root}ManagementServer.URL`)).toBe('http://127.0.0.1:1/')
    expect(own.get(`${defs.root}ManagementServer.PeriodicInformInterval`)).toBe('60')
  })
})

describe('simulatedModelDefinition', () => {
  it('is deterministic for a seed, and another seed gives other values', () => {
    const a = simulatedModelDefinition(tr098, { seed: 11 })
    expect(simulatedModelDefinition(tr098, { seed: 11 })).toEqual(a)
    const b = simulatedModelDefinition(tr098, { seed: 12 })
    const differ = Object.keys(a.parameters).filter((k) => JSON.stringify(a.parameters[k]) !== JSON.stringify(b.parameters[k]))
    expect(differ.length).toBeGreaterThan(100)
  })

  it('instances per table: at least minEntries, never above maxEntries, instances differ, NumberOfEntries follows', () => {
    // tr098 with one table bounded to 1 (a definitions object of the same shape).
    const bounded = 'InternetGatewayDevice.LANDevice.{i}.'
    const defs = {
      model: tr098.model,
      root: tr098.root,
      parameters: () => tr098.parameters(),
      objects: () => tr098.objects().map((o) => (o.path === bounded ? { ...o, maxEntries: 1 } : o)),
      checkValue: (path: string, value: string) => tr098.checkValue(path, value),
      plausibleValue: (path: string, seed: number) => tr098.plausibleValue(path, seed),
    }
    const model = createMemoryDataModel(simulatedModelDefinition(defs, { seed: 3, instances: 2 }))
    expect(model.get('InternetGatewayDevice.LANDeviceNumberOfEntries')).toBe('1')
    expect(model.has('InternetGatewayDevice.LANDevice.2.LANHostConfigManagement.DHCPServerEnable')).toBe(false)
    expect(model.get('InternetGatewayDevice.LANDevice.1.LANEthernetInterfaceNumberOfEntries')).toBe('2')
    const mac = (n: number): string | undefined => model.get(`InternetGatewayDevice.LANDevice.1.LANEthernetInterfaceConfig.${n}.MACAddress`)
    expect(mac(1)).toMatch(/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/)
    expect(mac(2)).not.toBe(mac(1))
    // WEPKey is 4..4 in TR-098: four instances whatever the count asked for.
    const wep = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.WEPKey.'
    expect(model.getParameterNames(wep, true).map((p) => p.name)).toEqual([1, 2, 3, 4].map((k) => `${wep}${k}.`))
    const none = createSimulatedModel(tr098, { instances: 0 })
    expect(none.get('InternetGatewayDevice.LANDeviceNumberOfEntries')).toBe('0')
    expect(none.getParameterNames('InternetGatewayDevice.LANDevice.', true)).toEqual([])
  })

  it('AddObject on a writable table makes an instance from the templates, with valid values, and counts it', () => {
    const model = createSimulatedModel(tr098, { seed: 3 })
    const table = 'InternetGatewayDevice.Layer3Forwarding.Forwarding.'
    expect(model.get('InternetGatewayDevice.Layer3Forwarding.ForwardNumberOfEntries')).toBe('1')
    expect(model.addObject(table, 'k').instanceNumber).toBe(2)
    expect(model.get('InternetGatewayDevice.Layer3Forwarding.ForwardNumberOfEntries')).toBe('2')
    const fresh = model.getParameterValues([`${table}2.`])
    expect(fresh.map((p) => p.name).sort()).toEqual(model.getParameterValues([`${table}1.`]).map((p) => p.name.replace('.1.', '.2.')).sort())
    expect(fresh.length).toBeGreaterThan(5)
    for (const p of fresh) expect([p.name, tr098.checkValue(p.name, p.value)]).toEqual([p.name, undefined])
    // A table the definitions make read-only refuses AddObject.
    const fixed = tr098.objects().find((o) => o.multiInstance && o.access === 'readOnly' && o.status === 'current' && !o.path.slice(0, -4).includes('{i}'))
    expect(fixed).toBeDefined()
    expect(() => model.addObject((fixed?.path as string).slice(0, -4), 'k')).toThrow(expect.objectContaining({ faultCode: 9005 }))
  })

  it('bad options are ConfigErrors naming the field; a model that would be too large is refused before it is built', () => {
    expect(() => simulatedModelDefinition({} as never)).toThrow(expect.objectContaining({ field: 'definitions' }))
    expect(() => simulatedModelDefinition(tr098, { oui: 'aabbcc' })).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'oui' }))
    expect(() => simulatedModelDefinition(tr098, { periodicInformInterval: 0 })).toThrow(expect.objectContaining({ field: 'periodicInformInterval' }))
    const ssid = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID'
    expect(() => simulatedModelDefinition(tr098, { values: { [ssid]: 'x'.repeat(33) } })).toThrow(expect.objectContaining({ field: `values.${ssid}` }))
    expect(simulatedModelDefinition(tr098, { values: { [ssid]: 'home' } }).parameters[ssid]).toMatchObject({ value: 'home', writable: true, maxLength: 32 })
    expect(() => simulatedModelDefinition(tr098, { values: { 'InternetGatewayDevice.No.Such': 'x' } })).toThrow(expect.objectContaining({ field: 'values.InternetGatewayDevice.No.Such' }))
    expect(() => simulatedModelDefinition(tr098, { seed: 1.5 })).toThrow(expect.objectContaining({ field: 'seed' }))
    expect(() => simulatedModelDefinition(tr098, { instances: -1 })).toThrow(expect.objectContaining({ field: 'instances' }))
    expect(() => simulatedModelDefinition(tr098, { instances: 65 })).toThrow(expect.objectContaining({ field: 'instances' }))
    expect(() => simulatedModelDefinition(tr181, { instances: 64 })).toThrow(expect.objectContaining({ field: 'instances' }))
  })
})

describe('a CPE client on the simulated tr181 model, over loopback', () => {
  it('answers a GetParameterValues of a whole subtree with the definitions’ xsi types', async () => {
    const sim = await simulator()
    const model = createSimulatedModel(tr181, { seed: 5, serialNumber: 'SIMLOOP' })
    const key = formatCpeUsername(model.deviceId())
    sim.queue(key, { method: 'GetParameterValues', parameterNames: ['Device.WiFi.', 'Device.DeviceInfo.'] })
    const c = client({ acsUrl: sim.url, model, deviceId: model.deviceId(), informParameters: () => model.informParameters() })
    const first = c.nextSession()
    await c.start()
    expect(await within(first)).toMatchObject({ ok: true })
    const answer = sim.messages.find((m) => m.direction === 'in' && (m.message as { method?: string } | undefined)?.method === 'GetParameterValuesResponse')
    const list = (answer?.message as unknown as { parameterList: ParameterValueStruct[] }).parameterList
    expect(list.length).toBe(model.getParameterValues(['Device.WiFi.', 'Device.DeviceInfo.']).length)
    expect(list.length).toBeGreaterThan(200)
    const wrong = list.filter((p) => p.type !== tr181.xsdType(p.name)).map((p) => `${p.name} ${p.type}`)
    expect(wrong).toEqual([])
    expect(new Set(list.map((p) => p.type)).size).toBeGreaterThanOrEqual(5)
    expect(list.find((p) => p.name === 'Device.DeviceInfo.SerialNumber')?.value).toBe('SIMLOOP')
  })
})
