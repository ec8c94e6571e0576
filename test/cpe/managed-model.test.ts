/**
 * The ManagementServer object the client serves, merged with a user's own model, without sockets:
 * GPN, GPV, SPV, GPA and SPA for both roots, passwords read as empty, all-or-nothing across the two
 * sides, ParameterKey, and what an ACS SetParameterValues on it stages for the end of the session.
 */
import { describe, expect, it } from 'vitest'
import { createManagedModel } from '../../src/cpe/managed-model.js'
import { ManagementServer } from '../../src/cpe/management-server.js'
import { changeSettings } from '../../src/cpe/settings.js'
import { createSampleDeviceModel, type CpeSettings, type DataModel } from '../../src/index.js'
import { ENV, settings } from './core-driver.js'
import { createOwnModel } from './own-model.js'

const CR_URL = 'http://192.0.2.7:7547/cr'

function managed(root: 'Device.' | 'InternetGatewayDevice.' = 'Device.', model: DataModel = createOwnModel(root), hasObject = false) {
  let current: CpeSettings = settings({
    acsUsername: 'cpe',
    acsPassword: 'acs-secret',
    periodicInformEnable: true,
    periodicInformInterval: 3000,
    connectionRequest: { username: 'acs', password: 'cr-secret', port: 7547 },
  })
  const ms = new ManagementServer(root)
  const m = createManagedModel({
    model,
    managementServer: ms,
    modelHasManagementServer: hasObject,
    settings: () => current,
    connectionRequestUrl: () => CR_URL,
    env: ENV,
  })
  return {
    m,
    ms,
    get settings() {
      return current
    },
    /** The session ended: apply what the ACS set, as the client does. */
    endSession() {
      const staged = ms.takeStaged()
      if (staged !== undefined) current = changeSettings(current, staged, ENV)
      return staged
    },
  }
}

const fault = async (p: unknown): Promise<unknown> => {
  try {
    await p
  } catch (error) {
    return error
  }
  throw new Error('expected a fault')
}

describe.each(['Device.', 'InternetGatewayDevice.'] as const)('ManagementServer served by the client, root %s', (root) => {
  const ms = `${root}ManagementServer.`

  it('GetParameterValues: the settings page, passwords empty, for exact names and partial paths', async () => {
    const { m } = managed(root)
    const values = await m.getParameterValues([`${ms}URL`, `${ms}Username`, `${ms}Password`, `${ms}PeriodicInformInterval`, `${ms}ConnectionRequestURL`, `${ms}ConnectionRequestPassword`])
    expect(values).toEqual([
      { name: `${ms}URL`, value: 'http://acs.test/cwmp', type: 'xsd:string' },
      { name: `${ms}Username`, value: 'cpe', type: 'xsd:string' },
      { name: `${ms}Password`, value: '', type: 'xsd:string' },
      { name: `${ms}PeriodicInformInterval`, value: '3000', type: 'xsd:unsignedInt' },
      { name: `${ms}ConnectionRequestURL`, value: CR_URL, type: 'xsd:string' },
      { name: `${ms}ConnectionRequestPassword`, value: '', type: 'xsd:string' },
    ])
    const object = await m.getParameterValues([ms])
    expect(object.map((p) => p.name)).toContain(`${ms}CWMPRetryIntervalMultiplier`)
    expect(object.find((p) => p.name === `${ms}PeriodicInformEnable`)?.value).toBe('1')
    // The whole tree: the model's parameters and the client's, in one answer.
    const all = await m.getParameterValues([root])
    expect(all.map((p) => p.name)).toEqual(expect.arrayContaining([`${root}DeviceInfo.SerialNumber`, `${root}WiFi.SSID`, `${ms}URL`, `${ms}ParameterKey`]))
    expect((await m.getParameterValues([''])).length).toBe(all.length)
    // Mixed order is kept; an unknown name is the model's 9005.
    expect((await m.getParameterValues([`${root}WiFi.SSID`, `${ms}URL`, `${root}WiFi.Enable`])).map((p) => p.name)).toEqual([`${root}WiFi.SSID`, `${ms}URL`, `${root}WiFi.Enable`])
    expect(await fault(m.getParameterValues([`${ms}NoSuchThing`]))).toMatchObject({ faultCode: 9005 })
  })

  it('GetParameterNames: the object appears below the root, with its parameters and their writability', async () => {
    const { m } = managed(root)
    expect(await m.getParameterNames(root, true)).toEqual(expect.arrayContaining([{ name: ms, writable: false }, { name: `${root}DeviceInfo.`, writable: false }]))
    const next = await m.getParameterNames(ms, true)
    expect(next).toEqual(expect.arrayContaining([{ name: `${ms}URL`, writable: true }, { name: `${ms}ParameterKey`, writable: false }, { name: `${ms}ConnectionRequestURL`, writable: false }]))
    expect(next.some((p) => p.name === `${ms}SupportedConnReqMethods`)).toBe(root === 'Device.')
    const whole = await m.getParameterNames(ms, false)
    expect(whole[0]).toEqual({ name: ms, writable: false })
    expect(whole.slice(1)).toEqual(next)
    const tree = await m.getParameterNames('', false)
    expect(tree.filter((p) => p.name === ms)).toHaveLength(1)
    expect(tree.map((p) => p.name)).toEqual(expect.arrayContaining([`${root}WiFi.SSID`, `${ms}PeriodicInformTime`]))
    expect(await m.getParameterNames(`${ms}URL`, false)).toEqual([{ name: `${ms}URL`, writable: true }])
    expect(await fault(m.getParameterNames(`${ms}URL`, true))).toMatchObject({ faultCode: 9003 })
    expect(await m.getParameterNames('', true)).toEqual([{ name: root, writable: false }])
  })

  it('SetParameterValues: checked like any parameter, staged for the end of the session, read back at once', async () => {
    const t = managed(root)
    const status = await t.m.setParameterValues(
      [
        { name: `${ms}PeriodicInformInterval`, value: '900', type: 'xsd:unsignedInt' },
        { name: `${ms}ConnectionRequestUsername`, value: 'acs-2', type: 'xsd:string' },
        { name: `${ms}ConnectionRequestPassword`, value: 'cr-2', type: 'xsd:string' },
        { name: `${root}WiFi.SSID`, value: 'renamed', type: 'xsd:string' },
      ],
      'pk-1',
    )
    expect(status).toBe(0)
    // The session sees what it set; the running client's settings change when it ends.
    expect((await t.m.getParameterValues([`${ms}PeriodicInformInterval`, `${ms}ParameterKey`])).map((p) => p.value)).toEqual(['900', 'pk-1'])
    expect(t.settings.periodicInformInterval).toBe(3000)
    expect(t.endSession()).toEqual({ periodicInformInterval: 900, connectionRequest: { username: 'acs-2', password: 'cr-2' } })
    expect(t.settings).toMatchObject({ periodicInformInterval: 900, connectionRequest: { username: 'acs-2', password: 'cr-2' } })
    expect(t.endSession()).toBeUndefined()
  })

  it('SetParameterValues faults: 9008, 9006, 9007 (a value or a settings rule), and nothing is applied on either side', async () => {
    const own = createOwnModel(root)
    const t = managed(root, own)
    const e = (await fault(
      t.m.setParameterValues(
        [
          { name: `${ms}ParameterKey`, value: 'x', type: 'xsd:string' },
          { name: `${ms}PeriodicInformInterval`, value: '0', type: 'xsd:unsignedInt' },
          { name: `${ms}PeriodicInformEnable`, value: 'yes', type: 'xsd:boolean' },
          { name: `${ms}CWMPRetryMinimumWaitInterval`, value: '5', type: 'xsd:dateTime' },
          { name: `${root}WiFi.SSID`, value: 'not-applied', type: 'xsd:string' },
        ],
        'pk-bad',
      ),
    )) as { faultCode: number; parameterFaults: { parameterName: string; faultCode: number }[] }
    expect(e.faultCode).toBe(9003)
    expect(e.parameterFaults.map((f) => [f.parameterName.slice(ms.length), f.faultCode])).toEqual([
      ['ParameterKey', 9008],
      ['PeriodicInformInterval', 9007],
      ['PeriodicInformEnable', 9007],
      ['CWMPRetryMinimumWaitInterval', 9006],
    ])
    expect(own.value(`${root}WiFi.SSID`)).toBe('own-wifi')
    expect(own.calls).not.toContain('setParameterValues')
    // A rule of the settings, not of the type: the URL must be http(s) with a host.
    const url = (await fault(t.m.setParameterValues([{ name: `${ms}URL`, value: 'ftp://acs/', type: 'xsd:string' }], 'pk-2'))) as { parameterFaults: { parameterName: string; faultCode: number; faultString: string }[] }
    expect(url.parameterFaults).toEqual([expect.objectContaining({ parameterName: `${ms}URL`, faultCode: 9007 })])
    expect(url.parameterFaults[0]?.faultString).toContain('http')
    // The model's part fails: the client's part is not applied either, ParameterKey unchanged.
    const mixed = await fault(
      t.m.setParameterValues(
        [
          { name: `${ms}PeriodicInformInterval`, value: '60', type: 'xsd:unsignedInt' },
          { name: `${root}DeviceInfo.SerialNumber`, value: 'x', type: 'xsd:string' },
        ],
        'pk-3',
      ),
    )
    expect(mixed).toMatchObject({ faultCode: 9003 })
    expect((await t.m.getParameterValues([`${ms}PeriodicInformInterval`, `${ms}ParameterKey`])).map((p) => p.value)).toEqual(['3000', ''])
    expect(t.endSession()).toBeUndefined()
    // xsd:string for a number is accepted when the text is valid (ACSs do send it).
    await t.m.setParameterValues([{ name: `${ms}CWMPRetryIntervalMultiplier`, value: '3000', type: 'xsd:string' }], 'pk-4')
    expect(t.endSession()).toEqual({ retry: { intervalMultiplier: 3000 } })
  })

  it('Get/SetParameterAttributes: ConnectionRequestURL is active by default, ParameterKey refuses active notification', async () => {
    const t = managed(root)
    expect(await t.m.getParameterAttributes([`${ms}ConnectionRequestURL`, `${ms}URL`])).toEqual([
      { name: `${ms}ConnectionRequestURL`, notification: 2, accessList: [] },
      { name: `${ms}URL`, notification: 0, accessList: [] },
    ])
    const set = (name: string, notification: 0 | 1 | 2) => ({ name, notificationChange: true, notification, accessListChange: false, accessList: [] })
    expect(await fault(t.m.setParameterAttributes([set(`${ms}ParameterKey`, 2)]))).toMatchObject({ faultCode: 9009 })
    await t.m.setParameterAttributes([set(`${ms}PeriodicInformInterval`, 1), set(`${root}WiFi.SSID`, 2)])
    expect((await t.m.getParameterAttributes([`${ms}PeriodicInformInterval`, `${root}WiFi.SSID`])).map((a) => a.notification)).toEqual([1, 2])
    // A partial path skips the refused one and sets the rest, on both sides.
    await t.m.setParameterAttributes([set(root, 2)])
    const after = await t.m.getParameterAttributes([`${ms}ParameterKey`, `${ms}URL`, `${root}WiFi.Enable`])
    expect(after.map((a) => a.notification)).toEqual([0, 2, 2])
    // Kept as state (to save across reboots), defaults left out.
    expect(t.ms.state.notifications).toMatchObject({ URL: 2, PeriodicInformInterval: 2 })
    expect(t.ms.state.notifications).not.toHaveProperty('ConnectionRequestURL')
    expect(t.ms.state.notifications).not.toHaveProperty('ParameterKey')
    await t.m.setParameterAttributes([set(`${ms}ConnectionRequestURL`, 0)])
    expect(t.ms.state.notifications).toMatchObject({ ConnectionRequestURL: 0 })
  })

  it('AddObject and DeleteObject go to the model; success sets ParameterKey', async () => {
    const sample = createSampleDeviceModel()
    const t = managed('Device.', sample, true)
    if (root !== 'Device.') return
    expect(await t.m.addObject('Device.NAT.PortMapping.', 'pk-add')).toEqual({ instanceNumber: 1, status: 0 })
    expect(t.ms.parameterKey).toBe('pk-add')
    expect(await fault(t.m.deleteObject('Device.ManagementServer.', 'pk-del'))).toMatchObject({ faultCode: 9005 })
    expect(t.ms.parameterKey).toBe('pk-add')
  })
})

describe('a model that has ManagementServer parameters of its own', () => {
  it('its copies of the served parameters are hidden, the others (not served by the client) answered by it', async () => {
    const sample = createSampleDeviceModel({ periodicInformInterval: 42, acsUrl: 'http://stale.test/' })
    const t = managed('Device.', sample, true)
    const values = await t.m.getParameterValues(['Device.ManagementServer.'])
    expect(values.filter((p) => p.name === 'Device.ManagementServer.URL')).toEqual([{ name: 'Device.ManagementServer.URL', value: 'http://acs.test/cwmp', type: 'xsd:string' }])
    expect(values.find((p) => p.name === 'Device.ManagementServer.PeriodicInformInterval')?.value).toBe('3000')
    const names = (await t.m.getParameterNames('Device.ManagementServer.', false)).map((p) => p.name)
    expect(names.filter((n) => n === 'Device.ManagementServer.URL')).toHaveLength(1)
    expect(names[0]).toBe('Device.ManagementServer.')
    expect(new Set(names).size).toBe(names.length)
  })
})
