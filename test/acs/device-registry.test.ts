/**
 * The in-memory device store: what an Inform, a GetParameterValuesResponse and an accepted
 * SetParameterValues teach the ACS about a device (through `learntFrom`, as the session flow
 * uses it), what they leave alone, and the device → open session index.
 */
import { describe, expect, it } from 'vitest'
import {
  connectionRequestCredentialsIn,
  connectionRequestUrlIn,
  createMemoryDeviceStore,
  learntFrom,
  type MemoryDeviceStoreOptions,
} from '../../src/acs/device-registry.js'
import type { AcsRequest, CpeResponse, Inform, ParameterValueStruct, VendorMessage } from '../../src/index.js'

/** The store driven as the session flow drives it. */
function createMemoryDeviceRegistry(options?: MemoryDeviceStoreOptions) {
  const store = createMemoryDeviceStore(options)
  return {
    ...store,
    get: store.get,
    list: store.list,
    informed(key: string, inform: Inform, at: number) {
      const url = connectionRequestUrlIn(inform.parameterList)
      store.informed(key, { deviceId: inform.deviceId, events: inform.event.map((e) => e.eventCode), ...(url === undefined ? {} : { connectionRequestUrl: url }) }, at)
    },
    answered(key: string, request: AcsRequest, response: CpeResponse | VendorMessage) {
      const learnt = learntFrom(request, response)
      if (learnt !== undefined) store.learnt(key, learnt)
    },
  }
}

const p = (name: string, value: string): ParameterValueStruct => ({ name, value, type: 'xsd:string' })

function inform(serialNumber: string, parameterList: readonly ParameterValueStruct[]): Inform {
  return {
    method: 'Inform',
    deviceId: { manufacturer: 'Acme', oui: 'AABBCC', productClass: 'GW', serialNumber },
    event: [{ eventCode: '2 PERIODIC', commandKey: '' }],
    maxEnvelopes: 1,
    currentTime: '2026-01-01T00:00:00Z',
    retryCount: 0,
    parameterList,
  }
}

const CR = 'Device.ManagementServer.ConnectionRequestURL'
const spv = (list: readonly ParameterValueStruct[]): AcsRequest => ({ method: 'SetParameterValues', parameterList: list, parameterKey: '' })

describe('device registry (in memory)', () => {
  it('an Inform sets the last Inform and the URL; a later Inform without a URL keeps the known one', () => {
    const devices = createMemoryDeviceRegistry()
    const first = inform('S1', [p(CR, 'http://cpe/1')])
    devices.informed('d', first, 10)
    expect(devices.get('d')).toEqual({
      deviceKey: 'd',
      deviceId: first.deviceId,
      lastInformAt: 10,
      lastEvents: ['2 PERIODIC'],
      connectionRequestUrl: 'http://cpe/1',
      connectionRequestCredentials: {},
      openSession: undefined,
    })
    const second = inform('S1', [])
    devices.informed('d', second, 20)
    expect(devices.get('d')).toMatchObject({ deviceId: second.deviceId, lastInformAt: 20, connectionRequestUrl: 'http://cpe/1' })
    devices.informed('d', inform('S1', [p('InternetGatewayDevice.ManagementServer.ConnectionRequestURL', 'http://cpe/igd')]), 30)
    expect(devices.get('d')?.connectionRequestUrl).toBe('http://cpe/igd')
  })

  it('learns the URL from GetParameterValuesResponse and the credentials from an accepted SetParameterValues only', () => {
    const devices = createMemoryDeviceRegistry()
    devices.informed('d', inform('S1', []), 0)
    const gpv: AcsRequest = { method: 'GetParameterValues', parameterNames: [CR] }
    devices.answered('d', gpv, { method: 'GetParameterValuesResponse', parameterList: [p(CR, 'http://cpe/2')] })
    expect(devices.get('d')?.connectionRequestUrl).toBe('http://cpe/2')

    const set = spv([p('Device.ManagementServer.ConnectionRequestUsername', 'u'), p('Device.ManagementServer.ConnectionRequestPassword', 'pw')])
    // Answered with something else than its response (a vendor message): nothing learnt.
    devices.answered('d', set, { method: 'X_ACME_Nope' })
    expect(devices.get('d')?.connectionRequestCredentials).toEqual({})
    devices.answered('d', set, { method: 'SetParameterValuesResponse', status: 0 })
    expect(devices.get('d')?.connectionRequestCredentials).toEqual({ username: 'u', password: 'pw' })
    // Setting one half keeps the other.
    devices.answered('d', spv([p('Device.ManagementServer.ConnectionRequestPassword', 'pw2')]), { method: 'SetParameterValuesResponse', status: 0 })
    expect(devices.get('d')?.connectionRequestCredentials).toEqual({ username: 'u', password: 'pw2' })
    // A new Inform keeps what the ACS set.
    devices.informed('d', inform('S1', []), 5)
    expect(devices.get('d')).toMatchObject({ connectionRequestUrl: 'http://cpe/2', connectionRequestCredentials: { username: 'u', password: 'pw2' } })
  })

  it('ignores answers of a device it has no record of, lists devices informed longest ago first, hands out copies', () => {
    const devices = createMemoryDeviceRegistry()
    devices.answered('ghost', { method: 'GetParameterValues', parameterNames: [] }, { method: 'GetParameterValuesResponse', parameterList: [p(CR, 'x')] })
    expect(devices.get('ghost')).toBeUndefined()
    devices.informed('b', inform('B', []), 1)
    devices.informed('a', inform('A', []), 2)
    devices.informed('b', inform('B', []), 3)
    expect(devices.list().map((d) => [d.deviceKey, d.lastInformAt])).toEqual([
      ['a', 2],
      ['b', 3],
    ])
    expect(devices.get('a')).not.toBe(devices.get('a'))
  })

  it('attack: a flood of device identities keeps at most maxDevices records, the least recently informed forgotten first', () => {
    const devices = createMemoryDeviceRegistry({ maxDevices: 100 })
    devices.informed('keep', inform('KEEP', []), 0)
    for (let i = 0; i < 10_000; i++) {
      devices.informed(`flood-${i}`, inform(`F${i}`, []), i + 1)
      // An honest device informing now and then stays.
      if (i % 50 === 0) devices.informed('keep', inform('KEEP', []), i + 1)
    }
    const list = devices.list()
    expect(list).toHaveLength(100)
    expect(devices.get('keep')).toBeDefined()
    expect(devices.get('flood-0')).toBeUndefined()
    expect(devices.get('flood-9999')?.lastInformAt).toBe(10_000)
  })

  it('the open session: set when a session begins, cleared only by the session that is open (compare-and-delete), kept by a new Inform', () => {
    const devices = createMemoryDeviceStore()
    devices.openSession('ghost', 's0')
    expect(devices.get('ghost')).toBeUndefined()
    devices.informed('d', { deviceId: inform('S1', []).deviceId, events: ['1 BOOT'] }, 1)
    devices.openSession('d', 's1')
    devices.openSession('d', 's2')
    devices.closeSession('d', 's1')
    expect(devices.get('d')?.openSession).toBe('s2')
    devices.informed('d', { deviceId: inform('S1', []).deviceId, events: ['2 PERIODIC'] }, 2)
    expect(devices.get('d')).toMatchObject({ openSession: 's2', lastEvents: ['2 PERIODIC'] })
    devices.closeSession('d', 's2')
    expect(devices.get('d')?.openSession).toBeUndefined()
  })

  it('reads the last ConnectionRequestURL and the credentials out of parameter lists', () => {
    expect(connectionRequestUrlIn([p(CR, 'one'), p('Device.X', 'y'), p(CR, 'two')])).toBe('two')
    expect(connectionRequestUrlIn([p('Device.ManagementServer.ConnectionRequestURLx', 'no')])).toBeUndefined()
    expect(connectionRequestCredentialsIn([p('Device.ManagementServer.ConnectionRequestUsername', 'u')])).toEqual({ username: 'u' })
    expect(connectionRequestCredentialsIn([])).toEqual({})
  })
})
