/**
 * createDefinedModel over the TR-181 definitions and a firmware's own Map of values, behind
 * createCpeClient, over loopback HTTP against the ACS simulator: SPV refused as a whole with the
 * right per-parameter faults, GPN NextLevel true/false, SPA 9009, Add/DeleteObject with
 * NumberOfEntries following; and a fast-check property that SPV batches are all or nothing.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createDefinedModel, formatCpeUsername, isDataModelFault, type DataModel, type DataModelFault } from '../../src/index.js'
import { tr181 } from '../../src/datamodel/tr181.js'
import { tr098 } from '../../src/datamodel/tr098.js'
import { encodeEnvelope } from '../../src/index.js'
import { createSyncDefinedModel } from '../../src/cpe/defined-model.js'
import { client, simulator, within } from './loopback.js'

const KEY = formatCpeUsername({ oui: '00D09E', productClass: 'DM-1', serialNumber: 'DM-0001' })

function device(): { model: DataModel; values: Map<string, string>; tables: Map<string, number[]> } {
  const values = new Map<string, string>([
    ['Device.DeviceInfo.Manufacturer', 'Defined Routers'],
    ['Device.DeviceInfo.ManufacturerOUI', '00D09E'],
    ['Device.DeviceInfo.ProductClass', 'DM-1'],
    ['Device.DeviceInfo.SerialNumber', 'DM-0001'],
    ['Device.DeviceInfo.HardwareVersion', '1'],
    ['Device.DeviceInfo.SoftwareVersion', '1.0.0'],
    ['Device.DeviceInfo.ProvisioningCode', ''],
    ['Device.DeviceInfo.UpTime', '42'],
    ['Device.Time.NTPServer1', 'pool.ntp.org'],
    ['Device.NAT.PortMapping.1.Enable', '0'],
    ['Device.NAT.PortMapping.1.ExternalPort', '8080'],
  ])
  const tables = new Map<string, number[]>([['Device.NAT.PortMapping.', [1]]])
  let next = 2
  const model = createDefinedModel({
    definitions: tr181,
    get: (name) => values.get(name),
    set: (list) => {
      for (const { name, value } of list) values.set(name, value)
    },
    instances: (table) => tables.get(table) ?? [],
    add: (table) => {
      const n = next++
      tables.set(table, [...(tables.get(table) ?? []), n])
      values.set(`${table}${n}.Enable`, '0')
      values.set(`${table}${n}.ExternalPort`, '0')
      return n
    },
    delete: (path) => {
      const m = /^(.*\.)(\d+)\.$/.exec(path) as RegExpExecArray
      tables.set(m[1] as string, (tables.get(m[1] as string) ?? []).filter((n) => n !== Number(m[2])))
      for (const k of [...values.keys()]) if (k.startsWith(path)) values.delete(k)
    },
  })
  return { model, values, tables }
}

describe('createDefinedModel', () => {
  it('over loopback: SPV refused as a whole, GPN NextLevel, GPV types, SPA 9009, Add/DeleteObject', async () => {
    const sim = await simulator()
    const { model, values, tables } = device()
    sim.queue(
      KEY,
      {
        method: 'SetParameterValues',
        parameterKey: 'never',
        parameterList: [
          { name: 'Device.Time.NTPServer1', value: 'ok.example', type: 'xsd:string' },
          { name: 'Device.NAT.PortMapping.1.ExternalPort', value: '70000', type: 'xsd:unsignedInt' },
          { name: 'Device.DeviceInfo.UpTime', value: '1', type: 'xsd:unsignedInt' },
          { name: 'Device.No.Such', value: 'x', type: 'xsd:string' },
        ],
      },
      { method: 'GetParameterNames', parameterPath: 'Device.NAT.PortMapping.', nextLevel: true },
      { method: 'GetParameterNames', parameterPath: 'Device.NAT.', nextLevel: false },
      { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime', 'Device.NAT.PortMappingNumberOfEntries'] },
      { method: 'SetParameterAttributes', parameterList: [{ name: 'Device.DeviceInfo.SoftwareVersion', notificationChange: true, notification: 0, accessListChange: false, accessList: [] }] },
      { method: 'SetParameterAttributes', parameterList: [{ name: 'Device.DeviceInfo.UpTime', notificationChange: true, notification: 2, accessListChange: false, accessList: [] }] },
      { method: 'AddObject', objectName: 'Device.NAT.PortMapping.', parameterKey: 'k1' },
      { method: 'DeleteObject', objectName: 'Device.NAT.PortMapping.1.', parameterKey: 'k2' },
      { method: 'GetParameterValues', parameterNames: ['Device.NAT.PortMappingNumberOfEntries'] },
    )
    const c = client({ acsUrl: sim.url, model })
    const first = c.nextSession()
    await c.start()
    expect(await within(first)).toMatchObject({ ok: true })
    const answers = sim.messages.filter((m) => m.direction === 'in').map((m) => m.message as unknown as Record<string, unknown>).filter((m) => m != null && m.method !== 'Inform')
    const [spv, gpnTrue, gpnFalse, gpv, spaForced, spaDeny, add, del, gpv2] = answers
    expect(spv).toMatchObject({ faultCode: 9003 })
    const entries = (spv as { setParameterValuesFault: { parameterName: string; faultCode: number }[] }).setParameterValuesFault
    expect(entries.map((e) => [e.parameterName, e.faultCode])).toEqual([
      ['Device.NAT.PortMapping.1.ExternalPort', 9007],
      ['Device.DeviceInfo.UpTime', 9008],
      ['Device.No.Such', 9005],
    ])
    expect(values.get('Device.Time.NTPServer1')).toBe('pool.ntp.org')
    expect((gpnTrue as { parameterList: { name: string }[] }).parameterList.map((p) => p.name)).toEqual(['Device.NAT.PortMapping.1.'])
    const names = (gpnFalse as { parameterList: { name: string; writable: boolean }[] }).parameterList
    expect(names.map((p) => p.name)).toEqual(expect.arrayContaining(['Device.NAT.', 'Device.NAT.PortMapping.', 'Device.NAT.PortMapping.1.', 'Device.NAT.PortMapping.1.ExternalPort', 'Device.NAT.PortMappingNumberOfEntries']))
    expect(names.find((p) => p.name === 'Device.NAT.PortMappingNumberOfEntries')?.writable).toBe(false)
    expect(names.find((p) => p.name === 'Device.NAT.PortMapping.1.ExternalPort')?.writable).toBe(true)
    expect((gpv as { parameterList: unknown[] }).parameterList).toEqual([
      { name: 'Device.DeviceInfo.UpTime', value: '42', type: 'xsd:unsignedInt' },
      { name: 'Device.NAT.PortMappingNumberOfEntries', value: '1', type: 'xsd:unsignedInt' },
    ])
    expect(spaForced).toMatchObject({ faultCode: 9009 })
    expect(spaDeny).toMatchObject({ faultCode: 9009 })
    expect(add).toMatchObject({ method: 'AddObjectResponse', instanceNumber: 2 })
    expect(del).toMatchObject({ method: 'DeleteObjectResponse' })
    expect(tables.get('Device.NAT.PortMapping.')).toEqual([2])
    expect((gpv2 as { parameterList: { value: string }[] }).parameterList[0]?.value).toBe('1')
  })

  it('SetParameterValues batches are all or nothing (fast-check)', async () => {
    const entry = fc.oneof(
      fc.record({ name: fc.constant('Device.Time.NTPServer1'), value: fc.string({ maxLength: 8 }), type: fc.constant('xsd:string') }),
      fc.record({ name: fc.constant('Device.NAT.PortMapping.1.ExternalPort'), value: fc.integer({ min: -5, max: 70_000 }).map(String), type: fc.constant('xsd:unsignedInt') }),
      fc.record({ name: fc.constant('Device.NAT.PortMapping.1.Enable'), value: fc.constantFrom('0', '1', 'true', 'maybe'), type: fc.constant('xsd:boolean') }),
      fc.record({ name: fc.constantFrom('Device.DeviceInfo.UpTime', 'Device.Nope', 'Device.NAT.PortMapping.9.Enable'), value: fc.constant('1'), type: fc.constant('xsd:string') }),
    )
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(entry, { minLength: 1, maxLength: 4, selector: (e) => e.name }), async (batch) => {
        const { model, values } = device()
        const before = new Map(values)
        try {
          await model.setParameterValues(batch, 'k')
        } catch (e) {
          expect(isDataModelFault(e)).toBe(true)
          expect(values).toEqual(before)
          return
        }
        for (const { name, value } of batch) expect(values.get(name)).toBe(value)
      }),
      { numRuns: 100 },
    )
  })
})

describe('createDefinedModel: request rules (D380)', () => {
  const spa = (name: string, notification: number) => ({ name, notificationChange: true, notification: notification as 0, accessListChange: false, accessList: [] })
  async function faultOf(p: unknown): Promise<DataModelFault> {
    try {
      await p
    } catch (e) {
      if (isDataModelFault(e)) return e
      throw e
    }
    throw new Error('no fault')
  }

  it('answers with promises also when the accessors are synchronous', () => {
    const { model } = device()
    const r = model.getParameterValues(['Device.DeviceInfo.UpTime'])
    expect(r).toBeInstanceOf(Promise)
    return expect(r).resolves.toEqual([{ name: 'Device.DeviceInfo.UpTime', value: '42', type: 'xsd:unsignedInt' }])
  })

  it('SetParameterValues: an absent instance is 9005 whatever its value; a name twice is 9003 without entries; no 9006', async () => {
    const { model, values } = device()
    const before = new Map(values)
    const absent = await faultOf(model.setParameterValues([{ name: 'Device.NAT.PortMapping.7.ExternalPort', value: '70000', type: 'xsd:unsignedInt' }], 'k'))
    expect(absent.parameterFaults?.map((f) => f.faultCode)).toEqual([9005])
    const twice = await faultOf(
      model.setParameterValues(
        [
          { name: 'Device.Time.NTPServer1', value: 'a', type: 'xsd:string' },
          { name: 'Device.Time.NTPServer1', value: 'b', type: 'xsd:string' },
        ],
        'k',
      ),
    )
    expect([twice.faultCode, twice.parameterFaults]).toEqual([9003, undefined])
    expect(values).toEqual(before)
    // D352: the xsi:type is not judged (many ACSes send xsd:string for everything).
    expect(await model.setParameterValues([{ name: 'Device.NAT.PortMapping.1.ExternalPort', value: '81', type: 'xsd:string' }], 'k')).toBe(0)
    expect(values.get('Device.NAT.PortMapping.1.ExternalPort')).toBe('81')
  })

  it('a table path stands for its instances; a template path names nothing', async () => {
    const { model } = device()
    expect((await model.getParameterValues(['Device.NAT.PortMapping.'])).map((p) => p.name)).toEqual(['Device.NAT.PortMapping.1.Enable', 'Device.NAT.PortMapping.1.ExternalPort'])
    expect((await model.getParameterNames('Device.NAT.PortMapping.', false)).map((p) => p.name)).toEqual([
      'Device.NAT.PortMapping.',
      'Device.NAT.PortMapping.1.',
      'Device.NAT.PortMapping.1.Enable',
      'Device.NAT.PortMapping.1.ExternalPort',
    ])
    expect((await faultOf(model.getParameterNames('Device.NAT.PortMapping.{i}.', false))).faultCode).toBe(9005)
    expect((await faultOf(model.getParameterValues(['Device.NAT.PortMapping.{i}.Enable']))).faultCode).toBe(9005)
  })

  it('SetParameterAttributes: forced parameters start active; canDeny refuses 2, 5 and 6; a partial path skips refusals; 0–6 only', async () => {
    const { model } = device()
    const notif = async (name: string) => (await model.getParameterAttributes([name]))[0]?.notification
    expect(await notif('Device.DeviceInfo.SoftwareVersion')).toBe(2)
    for (const n of [2, 5, 6]) expect((await faultOf(model.setParameterAttributes([spa('Device.DeviceInfo.UpTime', n)]))).faultCode).toBe(9009)
    await model.setParameterAttributes([spa('Device.DeviceInfo.UpTime', 4)])
    expect(await notif('Device.DeviceInfo.UpTime')).toBe(4)
    await model.setParameterAttributes([spa('Device.DeviceInfo.', 0)])
    expect([await notif('Device.DeviceInfo.SoftwareVersion'), await notif('Device.DeviceInfo.UpTime'), await notif('Device.DeviceInfo.Manufacturer')]).toEqual([2, 0, 0])
    await model.setParameterAttributes([spa('Device.DeviceInfo.', 2)])
    expect([await notif('Device.DeviceInfo.UpTime'), await notif('Device.DeviceInfo.Manufacturer')]).toEqual([0, 2])
    expect((await faultOf(model.setParameterAttributes([spa('Device.DeviceInfo.Manufacturer', 7)]))).faultCode).toBe(9003)
    // In order: the later entry wins.
    await model.setParameterAttributes([spa('Device.Time.NTPServer1', 1), spa('Device.Time.NTPServer1', 0)])
    expect(await notif('Device.Time.NTPServer1')).toBe(0)
  })
})

describe('createDefinedModel: hidden values', () => {
  it('a hidden parameter reads as empty, or as its null value where empty is not of its type (so GPV encodes)', async () => {
    const pin = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.WPS.DevicePassword'
    const psk = 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.KeyPassphrase'
    const values = new Map([[pin, '12345670'], [psk, 'secret-passphrase']])
    const model = createDefinedModel({
      definitions: tr098,
      get: (name) => values.get(name),
      set: () => undefined,
      instances: (table) => (table.endsWith('LANDevice.') || table.endsWith('WLANConfiguration.') ? [1] : []),
    })
    const got = await model.getParameterValues([pin, psk])
    expect(got).toEqual([
      { name: pin, value: '0', type: 'xsd:unsignedInt' },
      { name: psk, value: '', type: 'xsd:string' },
    ])
    // An empty xsd:unsignedInt would not encode: the answer must.
    expect(() => encodeEnvelope({ version: '1.2', header: { id: '1' }, body: { method: 'GetParameterValuesResponse', parameterList: got } })).not.toThrow()
  })
})

describe('createDefinedModel configuration and bounds', () => {
  it('a missing field is a ConfigError naming it', () => {
    const get = () => undefined
    const set = () => undefined
    expect(() => createDefinedModel({ definitions: {} as never, get, set })).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'definitions' }))
    expect(() => createDefinedModel({ definitions: tr181, get: 1 as never, set })).toThrow(expect.objectContaining({ field: 'get' }))
    expect(() => createDefinedModel({ definitions: tr181, get, set, timeoutMs: 0 })).toThrow(expect.objectContaining({ field: 'timeoutMs' }))
  })

  it('the synchronous entry answers synchronously, and a promise from an accessor is 9002, not awaited', () => {
    const values = new Map([['Device.DeviceInfo.UpTime', '42']])
    const access = {
      get: (name: string) => values.get(name),
      set: () => undefined,
      attributes: () => ({ notification: 0 as const, accessList: [] }),
      setAttributes: () => undefined,
      typeCheck: 'none' as const,
    }
    expect(createSyncDefinedModel(tr181, access).getParameterValues(['Device.DeviceInfo.UpTime'])).toEqual([{ name: 'Device.DeviceInfo.UpTime', value: '42', type: 'xsd:unsignedInt' }])
    const async = createSyncDefinedModel(tr181, { ...access, get: async () => '1' })
    expect(() => async.getParameterValues(['Device.DeviceInfo.UpTime'])).toThrow(expect.objectContaining({ faultCode: 9002 }))
  })

  it('a get that never settles is a TimeoutError, not a hang', async () => {
    const model = createDefinedModel({ definitions: tr181, get: () => new Promise<string>(() => {}), set: () => undefined, timeoutMs: 20 })
    await expect(model.getParameterValues(['Device.DeviceInfo.UpTime'])).rejects.toMatchObject({ code: 'ERR_CWMP_TIMEOUT' })
  })
})
