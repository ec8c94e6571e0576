/**
 * The in-memory device registry: what an Inform, a GetParameterValuesResponse and an accepted
 * SetParameterValues teach the ACS about a device, and what they leave alone.
 */
import { describe, expect, it } from 'vitest'
import { connectionRequestCredentialsIn, connectionRequestUrlIn, createMemoryDeviceRegistry } from '../../src/acs/device-registry.js'
import type { AcsRequest, Inform, ParameterValueStruct } from '../../src/index.js'

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
      lastInform: first,
      lastInformAt: 10,
      connectionRequestUrl: 'http://cpe/1',
      connectionRequestCredentials: {},
    })
    const second = inform('S1', [])
    devices.informed('d', second, 20)
    expect(devices.get('d')).toMatchObject({ lastInform: second, lastInformAt: 20, connectionRequestUrl: 'http://cpe/1' })
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

  it('ignores answers of a device it has no record of, lists devices in first-seen order, hands out copies', () => {
    const devices = createMemoryDeviceRegistry()
    devices.answered('ghost', { method: 'GetParameterValues', parameterNames: [] }, { method: 'GetParameterValuesResponse', parameterList: [p(CR, 'x')] })
    expect(devices.get('ghost')).toBeUndefined()
    devices.informed('b', inform('B', []), 1)
    devices.informed('a', inform('A', []), 2)
    devices.informed('b', inform('B', []), 3)
    expect(devices.list().map((d) => [d.deviceKey, d.lastInformAt])).toEqual([
      ['b', 3],
      ['a', 2],
    ])
    expect(devices.get('a')).not.toBe(devices.get('a'))
  })

  it('reads the last ConnectionRequestURL and the credentials out of parameter lists', () => {
    expect(connectionRequestUrlIn([p(CR, 'one'), p('Device.X', 'y'), p(CR, 'two')])).toBe('two')
    expect(connectionRequestUrlIn([p('Device.ManagementServer.ConnectionRequestURLx', 'no')])).toBeUndefined()
    expect(connectionRequestCredentialsIn([p('Device.ManagementServer.ConnectionRequestUsername', 'u')])).toEqual({ username: 'u' })
    expect(connectionRequestCredentialsIn([])).toEqual({})
  })
})
