/**
 * A firmware engineer's own DataModel (about ten parameters, written against the interface alone,
 * no ManagementServer of its own) behind createCpeClient, over loopback HTTP against the ACS
 * simulator: the client serves ManagementServer for GPN, GPV, SPV and SPA, the model's value
 * changes reach the ACS through client.valueChanged(), and every Inform carries the Connection
 * Request URL.
 */
import { describe, expect, it } from 'vitest'
import {
  formatCpeUsername,
  type GetParameterNamesResponse,
  type GetParameterValuesResponse,
} from '../../src/index.js'
import { client, informValue, informs, simulator, within } from './loopback.js'
import { createOwnModel } from './own-model.js'

const KEY = formatCpeUsername({ oui: '00A0C9', productClass: 'OR-1', serialNumber: 'OWN-0001' })
const notify = (name: string, notification: 0 | 1 | 2) => ({ name, notificationChange: true, notification, accessListChange: false, accessList: [] })

describe('an own DataModel behind the client', () => {
  it('gets ManagementServer GPN/GPV/SPV/SPA served, value-change notifications, and the Connection Request URL in its Informs', async () => {
    const sim = await simulator()
    const model = createOwnModel('Device.')
    sim.queue(
      KEY,
      { method: 'GetParameterNames', parameterPath: 'Device.ManagementServer.', nextLevel: true },
      {
        method: 'GetParameterValues',
        parameterNames: ['Device.ManagementServer.URL', 'Device.ManagementServer.Password', 'Device.ManagementServer.ConnectionRequestURL', 'Device.WiFi.SSID'],
      },
      {
        method: 'SetParameterValues',
        parameterList: [
          { name: 'Device.ManagementServer.PeriodicInformInterval', value: '900', type: 'xsd:unsignedInt' },
          { name: 'Device.WiFi.SSID', value: 'set-by-acs', type: 'xsd:string' },
        ],
        parameterKey: 'own-1',
      },
      { method: 'SetParameterAttributes', parameterList: [notify('Device.WiFi.SSID', 2), notify('Device.Time.NTPServer1', 1)] },
    )
    const c = client({ acsUrl: sim.url, model, connectionRequest: { username: 'acs', password: 'cr-pass', host: '127.0.0.1' } })
    // The documented way an own model reports the device's changes.
    model.onChange((name) => void c.valueChanged([name]))
    const first = c.nextSession()
    await c.start()
    expect(await within(first)).toMatchObject({
      ok: true,
      events: ['0 BOOTSTRAP', '1 BOOT'],
      requests: ['GetParameterNames', 'GetParameterValues', 'SetParameterValues', 'SetParameterAttributes'],
    })
    const session = sim.sessions()[0]
    expect(session?.deviceId).toEqual({ manufacturer: 'Own Routers', oui: '00A0C9', productClass: 'OR-1', serialNumber: 'OWN-0001' })
    const answers = sim.messages.filter((m) => m.direction === 'in').map((m) => m.message)
    const gpn = answers.find((m) => m?.method === 'GetParameterNamesResponse') as GetParameterNamesResponse
    expect(gpn.parameterList.map((p) => p.name)).toEqual(expect.arrayContaining(['Device.ManagementServer.URL', 'Device.ManagementServer.PeriodicInformInterval', 'Device.ManagementServer.ConnectionRequestURL']))
    const gpv = answers.find((m) => m?.method === 'GetParameterValuesResponse') as GetParameterValuesResponse
    expect(gpv.parameterList.map((p) => p.value)).toEqual([sim.url, '', c.connectionRequestUrl, 'own-wifi'])
    // The SetParameterValues: the model got its own parameter only; the client took the interval.
    expect(model.value('Device.WiFi.SSID')).toBe('set-by-acs')
    expect(c.settings.periodicInformInterval).toBe(900)
    expect(c.state.managementServer.parameterKey).toBe('own-1')
    // The Inform's forced parameters: the model's DeviceInfo, the client's URL and ParameterKey.
    const bootstrap = informs(sim)[0]
    expect(informValue(bootstrap, 'Device.ManagementServer.ConnectionRequestURL')).toBe(c.connectionRequestUrl)
    expect(informValue(bootstrap, 'Device.DeviceInfo.SoftwareVersion')).toBe('4.2.0')

    // Passive (NTPServer1) waits; active (SSID) opens a session now, with both.
    const second = c.nextSession()
    model.change('Device.Time.NTPServer1', 'ntp.example')
    model.change('Device.WiFi.SSID', 'renamed-on-device')
    expect(await within(second)).toMatchObject({ ok: true, events: ['4 VALUE CHANGE'] })
    const vc = informs(sim)[1]
    expect(informValue(vc, 'Device.WiFi.SSID')).toBe('renamed-on-device')
    expect(informValue(vc, 'Device.Time.NTPServer1')).toBe('ntp.example')
    expect(informValue(vc, 'Device.ManagementServer.ParameterKey')).toBe('own-1')
    expect(informValue(vc, 'Device.ManagementServer.ConnectionRequestURL')).toBe(c.connectionRequestUrl)
    // A parameter without notification is not reported; an unknown name is an error activity, not a throw.
    await c.valueChanged(['Device.LANDevice.IPAddress', 'Device.No.Such'])
    expect(c.inSession).toBe(false)
    expect(model.calls).not.toContain('addObject')
  })

  it('the same for an InternetGatewayDevice. model: the client serves InternetGatewayDevice.ManagementServer.', async () => {
    const sim = await simulator()
    const model = createOwnModel('InternetGatewayDevice.', 'IGD-0001')
    const key = formatCpeUsername({ oui: '00A0C9', productClass: 'OR-1', serialNumber: 'IGD-0001' })
    sim.queue(key, {
      method: 'GetParameterValues',
      parameterNames: ['InternetGatewayDevice.ManagementServer.PeriodicInformEnable', 'InternetGatewayDevice.ManagementServer.ConnectionRequestUsername'],
    })
    const c = client({ acsUrl: sim.url, model, connectionRequest: { username: 'acs-igd', password: 'cr', host: '127.0.0.1' } })
    const first = c.nextSession()
    await c.start()
    expect(await within(first)).toMatchObject({ ok: true, requests: ['GetParameterValues'] })
    const gpv = sim.messages.find((m) => m.direction === 'in' && m.message?.method === 'GetParameterValuesResponse')?.message as GetParameterValuesResponse
    expect(gpv.parameterList).toEqual([
      { name: 'InternetGatewayDevice.ManagementServer.PeriodicInformEnable', value: '0', type: 'xsd:boolean' },
      { name: 'InternetGatewayDevice.ManagementServer.ConnectionRequestUsername', value: 'acs-igd', type: 'xsd:string' },
    ])
    expect(informValue(informs(sim)[0], 'InternetGatewayDevice.ManagementServer.ConnectionRequestURL')).toBe(c.connectionRequestUrl)
  })
})
