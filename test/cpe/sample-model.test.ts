/**
 * The sample model (D380): its facts against the committed TR-181 2.17 table, its faults from its
 * definitions (9005, 9008, 9006, 9007 with the reason, 9009), and, by fast-check, the same answers
 * as a memory model over the same definition for random request sequences (the behaviour kept).
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createMemoryDataModel,
  createSampleDeviceModel,
  isDataModelFault,
  sampleDeviceDefinition,
  type DataModelFault,
  type MemoryDataModel,
  type SetParameterAttributesStruct,
} from '../../src/index.js'
import { tr181 } from '../../src/datamodel/tr181.js'
import type { ParameterDefinition, TableDefinition } from '../../src/datamodel/types.js'
import { SAMPLE_FACTS, SAMPLE_TABLES, sampleDefinitions } from '../../src/cpe/sample-definitions.js'

function faultOf(f: () => unknown): DataModelFault {
  try {
    f()
  } catch (e) {
    if (isDataModelFault(e)) return e
    throw e
  }
  throw new Error('no fault')
}

/** Where the sample deliberately differs from TR-181, by path (anything else must be equal). */
const RESTRICTED_SIZE = new Set(['Device.ManagementServer.URL', 'Device.ManagementServer.ConnectionRequestURL'])
/** Facets memory definitions cannot carry (patterns, minLength): only on read-only parameters. */
const NOT_CARRIED = new Set(['Device.RootDataModelVersion', 'Device.DeviceInfo.ManufacturerOUI', 'Device.Ethernet.Interface.{i}.MACAddress'])

describe('the sample facts against TR-181 2.17', () => {
  it('report the RootDataModelVersion of the definitions they are checked against', async () => {
    const model = createSampleDeviceModel()
    const [value] = await model.getParameterValues(['Device.RootDataModelVersion'])
    expect(`Device:${value?.value}`).toBe(tr181.model)
  })
  it.each(Object.keys(SAMPLE_FACTS))('%s', (path) => {
    const fact = SAMPLE_FACTS[path]!
    const def = tr181.lookup(path)
    expect(def?.kind).toBe('parameter')
    const p = def as ParameterDefinition
    expect(fact.type).toBe(p.xsdType)
    expect(fact.writable === true).toBe(p.writable)
    expect(fact.hidden === true).toBe(p.hidden)
    expect(fact.activeNotify ?? 'normal').toBe(p.activeNotify)
    expect(fact.forcedInform === true).toBe(p.forcedInform)
    const syntax = p.syntax as unknown as { sizes?: readonly { minLength?: number; maxLength?: number }[]; ranges?: readonly { minInclusive?: number; maxInclusive?: number }[]; enumeration?: readonly string[]; patterns?: readonly string[] }
    const max = syntax.sizes?.[0]?.maxLength
    if (RESTRICTED_SIZE.has(path)) expect(fact.maxLength).toBeLessThan(max as number)
    else expect(fact.maxLength).toBe(max)
    expect(syntax.sizes?.length ?? 0).toBeLessThanOrEqual(1)
    expect(fact.minimum).toBe(syntax.ranges?.[0]?.minInclusive)
    expect(fact.maximum).toBe(syntax.ranges?.[0]?.maxInclusive)
    expect(fact.enumeration).toEqual(syntax.enumeration)
    const uncarried = (syntax.patterns?.length ?? 0) > 0 || syntax.sizes?.[0]?.minLength !== undefined
    expect(uncarried).toBe(NOT_CARRIED.has(path))
    if (uncarried) expect(p.writable).toBe(false)
  })

  it('the tables: TR-181 multi-instance objects, with the same counter; fixed or bounded only by this device', () => {
    for (const [path, t] of Object.entries(SAMPLE_TABLES)) {
      const def = tr181.lookup(path) as TableDefinition
      expect(def.kind, path).toBe('table')
      expect(t.numEntriesParameter).toBe(def.instance.numEntriesParameter)
      if (t.writable) expect(def.writable).toBe(true)
      if (def.instance.maxEntries !== undefined) expect(t.maxEntries).toBeLessThanOrEqual(def.instance.maxEntries)
    }
    expect(SAMPLE_TABLES['Device.WiFi.SSID.']?.writable).toBe(false)
    expect(tr181.lookup('Device.WiFi.SSID.')?.writable).toBe(true)
  })

  it('sampleDeviceDefinition uses every fact, and every parameter has one', () => {
    const used = new Set(Object.keys(sampleDeviceDefinition().parameters).map((p) => p.replace(/\.[1-9][0-9]*\./g, '.{i}.')))
    expect([...used].sort()).toEqual(Object.keys(SAMPLE_FACTS).sort())
  })

  it('the forced Inform facts are in the Inform', () => {
    const inform = createSampleDeviceModel().informParameters().map((p) => p.name)
    for (const [path, f] of Object.entries(SAMPLE_FACTS)) if (f.forcedInform === true) expect(inform, path).toContain(path)
  })
})

describe('the sample model: faults from its definitions', () => {
  it('SetParameterValues: 9005, 9008, 9006, 9007 with the reason, as validate says; nothing applied', () => {
    const m = createSampleDeviceModel()
    const { instanceNumber } = m.addObject('Device.NAT.PortMapping.', 'k0')
    const port = `Device.NAT.PortMapping.${instanceNumber}.ExternalPort`
    const list = [
      { name: port, value: '70000', type: 'xsd:unsignedInt' },
      { name: 'Device.ManagementServer.PeriodicInformInterval', value: '0', type: 'xsd:unsignedInt' },
      { name: 'Device.WiFi.SSID.1.SSID', value: 'x'.repeat(33), type: 'xsd:string' },
      { name: `Device.NAT.PortMapping.${instanceNumber}.Protocol`, value: 'ICMP', type: 'xsd:string' },
      { name: 'Device.DeviceInfo.UpTime', value: '1', type: 'xsd:unsignedInt' },
      { name: 'Device.WiFi.SSID.1.Enable', value: '1', type: 'xsd:string' },
      { name: 'Device.No.Such', value: 'x', type: 'xsd:string' },
      { name: 'Device.NAT.PortMapping.9.Enable', value: 'maybe', type: 'xsd:boolean' },
      { name: 'Device.WiFi.SSID.2.SSID', value: 'fine', type: 'xsd:string' },
    ]
    const f = faultOf(() => m.setParameterValues(list, 'never'))
    expect(f.faultCode).toBe(9003)
    expect(f.parameterFaults?.map((e) => [e.parameterName, e.faultCode])).toEqual([
      [port, 9007],
      ['Device.ManagementServer.PeriodicInformInterval', 9007],
      ['Device.WiFi.SSID.1.SSID', 9007],
      [`Device.NAT.PortMapping.${instanceNumber}.Protocol`, 9007],
      ['Device.DeviceInfo.UpTime', 9008],
      ['Device.WiFi.SSID.1.Enable', 9006],
      ['Device.No.Such', 9005],
      ['Device.NAT.PortMapping.9.Enable', 9005],
    ])
    const defs = sampleDefinitions()
    const strings = new Map(f.parameterFaults?.map((e) => [e.parameterName, e.faultString]))
    for (const { name, value } of list.slice(0, 5)) {
      const r = defs.validate(name, value)
      expect(r.ok).toBe(false)
      expect(strings.get(name)).toBe((r as { message: string }).message)
    }
    expect(strings.get(port)).toBe('Invalid parameter value: above the maximum 65535')
    expect(strings.get('Device.ManagementServer.PeriodicInformInterval')).toBe('Invalid parameter value: below the minimum 1')
    expect(strings.get('Device.WiFi.SSID.1.SSID')).toBe('Invalid parameter value: longer than 32')
    expect(m.get('Device.WiFi.SSID.2.SSID')).toBe('SampleGateway-5G')
    expect(m.parameterKey).toBe('k0')
    // lenient: an xsd:string value for a boolean is taken when its text is valid.
    const lenient = createSampleDeviceModel({ model: { typeCheck: 'lenient' } })
    expect(lenient.setParameterValues([{ name: 'Device.WiFi.SSID.1.Enable', value: 'false', type: 'xsd:string' }], 'k1')).toBe(0)
    expect(lenient.get('Device.WiFi.SSID.1.Enable')).toBe('0')
    expect(lenient.parameterKey).toBe('k1')
  })

  it('SetParameterAttributes: forceEnabled, forceDefaultEnabled and canDeny as TR-181 says', () => {
    const m = createSampleDeviceModel()
    const spa = (name: string, notification: 0 | 1 | 2 | 5): SetParameterAttributesStruct => ({ name, notificationChange: true, notification, accessListChange: false, accessList: [] })
    const notif = (name: string) => m.getParameterAttributes([name])[0]?.notification
    expect(['Device.DeviceInfo.SoftwareVersion', 'Device.DeviceInfo.ProvisioningCode', 'Device.ManagementServer.ConnectionRequestURL'].map(notif)).toEqual([2, 2, 2])
    expect(faultOf(() => m.setParameterAttributes([spa('Device.DeviceInfo.SoftwareVersion', 0)])).faultCode).toBe(9009)
    expect(faultOf(() => m.setParameterAttributes([spa('Device.DeviceInfo.ProvisioningCode', 1)])).faultCode).toBe(9009)
    expect(faultOf(() => m.setParameterAttributes([spa('Device.ManagementServer.ParameterKey', 2)])).faultCode).toBe(9009)
    expect(faultOf(() => m.setParameterAttributes([spa('Device.DeviceInfo.UpTime', 5)])).faultCode).toBe(9009)
    const { instanceNumber } = m.addObject('Device.NAT.PortMapping.', '')
    expect(faultOf(() => m.setParameterAttributes([spa(`Device.NAT.PortMapping.${instanceNumber}.LeaseDuration`, 2)])).faultCode).toBe(9009)
    // Nothing of a refused request is applied.
    expect(faultOf(() => m.setParameterAttributes([spa('Device.WiFi.SSID.1.SSID', 2), spa('Device.DeviceInfo.UpTime', 2)])).faultCode).toBe(9009)
    expect(notif('Device.WiFi.SSID.1.SSID')).toBe(0)
    // forceDefaultEnabled: changeable.
    m.setParameterAttributes([spa('Device.ManagementServer.ConnectionRequestURL', 0)])
    expect(notif('Device.ManagementServer.ConnectionRequestURL')).toBe(0)
    // A partial path skips the refused ones.
    m.setParameterAttributes([spa('Device.', 2)])
    expect(notif('Device.DeviceInfo.UpTime')).toBe(0)
    expect(notif(`Device.NAT.PortMapping.${instanceNumber}.LeaseDuration`)).toBe(0)
    expect(notif('Device.WiFi.SSID.1.SSID')).toBe(2)
    m.setParameterAttributes([spa('Device.DeviceInfo.', 0)])
    expect([notif('Device.DeviceInfo.SoftwareVersion'), notif('Device.DeviceInfo.Manufacturer')]).toEqual([2, 0])
    // The store holds the attributes: an active parameter's device-side change is reported.
    m.takeValueChanges()
    m.set('Device.WiFi.SSID.1.SSID', 'changed')
    expect(m.takeValueChanges()).toEqual([{ parameter: { name: 'Device.WiFi.SSID.1.SSID', value: 'changed', type: 'xsd:string' }, notification: 2, active: true }])
  })

  it('AddObject beyond maxEntries is 9004; DeleteObject of a fixed instance is 9005; a name twice is 9003', () => {
    const m = createSampleDeviceModel({ model: { status: 1 } })
    for (let i = 0; i < 32; i++) expect(m.addObject('Device.NAT.PortMapping.', `a${i}`).status).toBe(1)
    expect(faultOf(() => m.addObject('Device.NAT.PortMapping.', 'x')).faultCode).toBe(9004)
    expect(m.get('Device.NAT.PortMappingNumberOfEntries')).toBe('32')
    expect(m.deleteObject('Device.NAT.PortMapping.3.', 'd')).toBe(1)
    expect(m.parameterKey).toBe('d')
    expect(faultOf(() => m.deleteObject('Device.WiFi.SSID.1.', 'x')).faultCode).toBe(9005)
    const twice = faultOf(() =>
      m.setParameterValues(
        [
          { name: 'Device.WiFi.SSID.1.SSID', value: 'a', type: 'xsd:string' },
          { name: 'Device.WiFi.SSID.1.SSID', value: 'b', type: 'xsd:string' },
        ],
        'x',
      ),
    )
    expect([twice.faultCode, twice.parameterFaults]).toEqual([9003, undefined])
  })
})

describe('the sample model answers as a memory model over the same definition (fast-check)', () => {
  const NAMES = [
    '',
    'Device.',
    'Device.DeviceInfo.',
    'Device.DeviceInfo.SoftwareVersion',
    'Device.DeviceInfo.UpTime',
    'Device.ManagementServer.',
    'Device.ManagementServer.Password',
    'Device.ManagementServer.ConnectionRequestURL',
    'Device.ManagementServer.ParameterKey',
    'Device.ManagementServer.PeriodicInformInterval',
    'Device.Ethernet.Interface.1.',
    'Device.Ethernet.Interface.1.Stats.BytesSent',
    'Device.WiFi.SSID.',
    'Device.WiFi.SSID.2.SSID',
    'Device.WiFi.SSID.3.',
    'Device.NAT.',
    'Device.NAT.PortMapping.',
    'Device.NAT.PortMapping.1.',
    'Device.NAT.PortMapping.1.ExternalPort',
    'Device.NAT.PortMapping.2.LeaseDuration',
    'Device.NAT.PortMapping.{i}.Enable',
    'Device.NAT.PortMapping.{i}.',
    'Device.NAT.PortMappingNumberOfEntries',
    'Device.Nope',
    'Device.WiFi.SSID.1',
  ]
  const name = fc.constantFrom(...NAMES)
  const value = fc.constantFrom('', '0', '1', 'true', 'x', '65535', '65536', '-1', '2026-01-01T00:00:00Z', 'TCP', 'x'.repeat(40))
  const type = fc.constantFrom('xsd:string', 'xsd:unsignedInt', 'xsd:boolean', 'xsd:dateTime')
  const notification = fc.constantFrom(0, 1, 2, 4, 5, 6)
  const op = fc.oneof(
    fc.record({ kind: fc.constant('gpv' as const), names: fc.array(name, { maxLength: 2 }) }),
    fc.record({ kind: fc.constant('gpn' as const), path: name, next: fc.boolean() }),
    fc.record({ kind: fc.constant('gpa' as const), names: fc.array(name, { maxLength: 2 }) }),
    fc.record({ kind: fc.constant('spv' as const), list: fc.array(fc.record({ name, value, type }), { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('spa' as const), list: fc.array(fc.record({ name, notification, access: fc.boolean() }), { minLength: 1, maxLength: 2 }) }),
    fc.record({ kind: fc.constant('add' as const), path: name }),
    fc.record({ kind: fc.constant('delete' as const), path: name }),
  )
  type Op = typeof op extends fc.Arbitrary<infer T> ? T : never

  /** What an operation answers, with faults as their codes only (the strings differ). */
  function run(m: MemoryDataModel, o: Op, key: string): unknown {
    try {
      switch (o.kind) {
        case 'gpv':
          return m.getParameterValues(o.names)
        case 'gpn':
          return m.getParameterNames(o.path, o.next)
        case 'gpa':
          return m.getParameterAttributes(o.names)
        case 'spv':
          return m.setParameterValues(o.list, key)
        case 'spa':
          return m.setParameterAttributes(
            o.list.map((s) => ({ name: s.name, notificationChange: true, notification: s.notification as 0, accessListChange: s.access, accessList: s.access ? ['Subscriber'] : [] })),
          )
        case 'add':
          return m.addObject(o.path, key)
        case 'delete':
          return m.deleteObject(o.path, key)
      }
    } catch (e) {
      if (!isDataModelFault(e)) throw e
      return { fault: e.faultCode, entries: e.parameterFaults?.map((f) => [f.parameterName, f.faultCode]) }
    }
  }

  it('GPV, GPN, GPA, SPV, SPA, AddObject, DeleteObject sequences give the same answers and leave the same state', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => {
        const sample = createSampleDeviceModel()
        const memory = createMemoryDataModel(sampleDeviceDefinition())
        ops.forEach((o, k) => {
          expect(run(sample, o, `k${k}`), JSON.stringify(o)).toEqual(run(memory, o, `k${k}`))
        })
        expect(sample.toDefinition()).toEqual(memory.toDefinition())
        expect(sample.parameterKey).toBe(memory.parameterKey)
      }),
      { numRuns: 150 },
    )
  })
})

describe('createMemoryDataModel: SetParameterAttributes entries in order', () => {
  it('a later entry for the same parameter wins', () => {
    const m = createMemoryDataModel({ parameters: { 'Device.A': { type: 'xsd:string', value: 'a', writable: true } } })
    const spa = (notification: 0 | 4): SetParameterAttributesStruct => ({ name: 'Device.A', notificationChange: true, notification, accessListChange: false, accessList: [] })
    m.setParameterAttributes([spa(4), spa(0)])
    expect(m.getParameterAttributes(['Device.A'])[0]?.notification).toBe(0)
  })
})
