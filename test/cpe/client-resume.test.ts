/**
 * Resume after a reboot, as firmware does it: the settings saved from onSettingsChange and the
 * state from client.state, given back to a new client. It says `1 BOOT` (not `0 BOOTSTRAP`), keeps
 * what the ACS set (interval, retry values, ParameterKey, attributes) and its Connection Request URL;
 * a Reboot the ACS asked for is reported with `M Reboot` after the device came back.
 */
import { describe, expect, it } from 'vitest'
import {
  createCpeClient,
  createSampleDeviceModel,
  type CpeClient,
  type CpeClientState,
  type CpeSettings,
  type GetParameterAttributesResponse,
} from '../../src/index.js'
import { after, freePort, informValue, informs, sampleKey, simulator, within } from './loopback.js'

const notify = (name: string, notification: 0 | 1 | 2) => ({ name, notificationChange: true, notification, accessListChange: false, accessList: [] })

function device(options: Parameters<typeof createCpeClient>[0]): CpeClient {
  const c = createCpeClient({ random: () => 0, ...options })
  after(() => c.stop())
  return c
}

describe('resume after a reboot from the saved settings and state', () => {
  it('1 BOOT, not 0 BOOTSTRAP; the values the ACS set, the ParameterKey, the attributes and the URL are kept', async () => {
    const sim = await simulator()
    const key = sampleKey('SNRESUME')
    sim.queue(
      key,
      {
        method: 'SetParameterValues',
        parameterList: [
          { name: 'Device.ManagementServer.PeriodicInformInterval', value: '900', type: 'xsd:unsignedInt' },
          { name: 'Device.ManagementServer.CWMPRetryMinimumWaitInterval', value: '9', type: 'xsd:unsignedInt' },
          { name: 'Device.ManagementServer.UpgradesManaged', value: '1', type: 'xsd:boolean' },
        ],
        parameterKey: 'pk-resume',
      },
      { method: 'SetParameterAttributes', parameterList: [notify('Device.ManagementServer.PeriodicInformInterval', 1)] },
    )
    const port = await freePort()
    let saved: CpeSettings | undefined
    const first = device({
      acsUrl: sim.url,
      periodicInformEnable: true,
      periodicInformInterval: 3000,
      connectionRequest: { username: 'acs', password: 'cr-pass', host: '127.0.0.1', port },
      model: createSampleDeviceModel({ serialNumber: 'SNRESUME' }),
      onSettingsChange: (settings) => {
        saved = settings
      },
    })
    const bootstrap = first.nextSession()
    await first.start()
    expect(await within(bootstrap)).toMatchObject({ ok: true, events: ['0 BOOTSTRAP', '1 BOOT'] })
    expect(saved).toMatchObject({ periodicInformInterval: 900, retry: { minimumWaitInterval: 9, intervalMultiplier: 2000 } })
    // What firmware writes to flash: plain JSON.
    const flash = JSON.stringify({ settings: saved, state: first.state })
    const url = first.connectionRequestUrl
    await first.stop()

    const stored = JSON.parse(flash) as { settings: CpeSettings; state: CpeClientState }
    sim.queue(key, { method: 'GetParameterAttributes', parameterNames: ['Device.ManagementServer.PeriodicInformInterval'] })
    const second = device({ ...stored.settings, model: createSampleDeviceModel({ serialNumber: 'SNRESUME' }), state: stored.state })
    const boot = second.nextSession()
    await second.start()
    expect(await within(boot)).toMatchObject({ ok: true, events: ['1 BOOT'], requests: ['GetParameterAttributes'] })
    expect(second.settings).toEqual(saved)
    expect(second.connectionRequestUrl).toBe(url)
    expect(informValue(informs(sim)[1], 'Device.ManagementServer.ParameterKey')).toBe('pk-resume')
    expect(informValue(informs(sim)[1], 'Device.ManagementServer.ConnectionRequestURL')).toBe(url)
    const gpa = sim.messages.find((m) => m.direction === 'in' && m.message?.method === 'GetParameterAttributesResponse')
      ?.message as GetParameterAttributesResponse
    expect(gpa.parameterList[0]?.notification).toBe(1)
    expect(second.state.managementServer.values).toEqual({ UpgradesManaged: '1' })
  })

  it('a Reboot: onReboot saves the state and the device goes down; the device that comes back reports 1 BOOT and M Reboot', async () => {
    const sim = await simulator()
    const key = sampleKey('SNREBOOT')
    sim.queue(key, { method: 'Reboot', commandKey: 'rb-9' })
    let flash: string | undefined
    let goingDown: () => void = () => undefined
    const down = new Promise<void>((resolve) => {
      goingDown = resolve
    })
    const before: CpeClient = device({
      acsUrl: sim.url,
      model: createSampleDeviceModel({ serialNumber: 'SNREBOOT' }),
      onReboot: () => {
        flash = JSON.stringify(before.state)
        goingDown()
        // The device is going down: this never returns.
        return new Promise<void>(() => undefined)
      },
    })
    const first = before.nextSession()
    await before.start()
    expect(await within(first)).toMatchObject({ ok: true, requests: ['Reboot'] })
    await within(down)
    await within(before.stop(), 5000)

    const after = device({ acsUrl: sim.url, model: createSampleDeviceModel({ serialNumber: 'SNREBOOT' }), state: JSON.parse(flash as string) as CpeClientState })
    const boot = after.nextSession()
    await after.start()
    expect(await within(boot)).toMatchObject({ ok: true, events: ['1 BOOT', 'M Reboot'] })
    expect(informs(sim)[1]?.event).toEqual([
      { eventCode: '1 BOOT', commandKey: '' },
      { eventCode: 'M Reboot', commandKey: 'rb-9' },
    ])
  })

  it('an agent state alone (as saved before CpeClientState) is accepted', async () => {
    const sim = await simulator()
    const first = device({ acsUrl: sim.url, model: createSampleDeviceModel({ serialNumber: 'SNOLD' }) })
    const bootstrap = first.nextSession()
    await first.start()
    await within(bootstrap)
    const agentState = first.agent.toJSON()
    await first.stop()
    const second = device({ acsUrl: sim.url, model: createSampleDeviceModel({ serialNumber: 'SNOLD' }), state: agentState })
    const boot = second.nextSession()
    await second.start()
    expect(await within(boot)).toMatchObject({ ok: true, events: ['1 BOOT'] })
  })
})
