/**
 * The CPE client over real loopback HTTP against a small ACS: BOOTSTRAP session with parameter RPCs,
 * digest authentication, Connection Request, Reboot with M Reboot, retries after a dropped connection
 * and after a timeout with the right RetryCount and retained events.
 */
import * as net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createConnectionRequestClient,
  type CpeClientActivity,
  type CpeSessionResult,
  createCpeClient,
  createSampleDeviceModel,
  type CpeClient,
  type DataModel,
  type Inform,
  type MemoryDataModel,
} from '../../src/index.js'
import { startTestAcs, type TestAcs } from './test-acs.js'
import { createHttpTransport } from '../../src/transport/http-client.js'

/** The ACS side of a Connection Request over real HTTP: GET, answer the digest challenge. */
async function sendConnectionRequest(url: string, username: string, password: string): Promise<number> {
  const crc = createConnectionRequestClient({ url, username, password })
  const http = createHttpTransport({ timeoutMs: 5000 })
  try {
    for (;;) {
      const req = crc.request()
      const res = await http.send({ ...req, body: '' })
      const step = crc.handleResponse(res)
      if (step.done) return step.status
    }
  } finally {
    http.close()
  }
}

const codes = (i: Inform | undefined): string[] => (i === undefined ? [] : i.event.map((e) => e.eventCode))
const names = (i: Inform | undefined): string[] => (i === undefined ? [] : i.parameterList.map((p) => p.name))

/** Fails instead of hanging when a promise does not settle in time. */
function within<T>(p: Promise<T>, ms = 3000): Promise<T> {
  return Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms))])
}

const notify = (name: string, notification: 1 | 2) => ({
  name,
  notificationChange: true,
  notification,
  accessListChange: false,
  accessList: [],
})
let cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

async function start(acs: TestAcs, extra: Partial<Parameters<typeof createCpeClient>[0]> = {}): Promise<CpeClient> {
  const client = createCpeClient({
    acsUrl: acs.url,
    model: createSampleDeviceModel({ serialNumber: 'SN-CLIENT-1' }),
    connectionRequest: { username: 'acs', password: 'cr-pass', host: '127.0.0.1' },
    random: () => 0,
    retry: { minimumWaitInterval: 1 },
    ...extra,
  })
  cleanup.push(() => client.stop())
  return client
}

/** The documented way a model reports the device's own changes: every change to `valueChanged`. */
function wire(model: MemoryDataModel, client: CpeClient): CpeClient {
  const off = model.onValueChange((c) => void client.valueChanged([c.parameter.name]))
  cleanup.push(async () => off())
  return client
}

describe('CPE client over loopback HTTP', () => {
  it('runs a BOOTSTRAP session with digest auth, cookies and parameter RPCs, then ends', async () => {
    const acs = await startTestAcs({
      username: 'cpe',
      password: 'acs-pass',
      script: () => [
        { method: 'GetParameterNames', parameterPath: 'Device.DeviceInfo.', nextLevel: true },
        { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SerialNumber'] },
        {
          method: 'SetParameterValues',
          parameterList: [{ name: 'Device.ManagementServer.PeriodicInformInterval', type: 'xsd:unsignedInt', value: '600' }],
          parameterKey: 'pk-1',
        },
        { method: 'AddObject', objectName: 'Device.NAT.PortMapping.', parameterKey: 'pk-2' },
      ],
    })
    cleanup.push(() => acs.close())
    const client = await start(acs, { acsUsername: 'cpe', acsPassword: 'acs-pass' })
    const done = client.nextSession()
    await client.start()
    const result = await done
    expect(result).toMatchObject({ ok: true, events: ['0 BOOTSTRAP', '1 BOOT'] })
    expect(result.requests).toEqual(['GetParameterNames', 'GetParameterValues', 'SetParameterValues', 'AddObject'])
    expect(acs.statuses[0]).toBe(401)
    expect(acs.statuses.at(-1)).toBe(204)
    // Every POST after the InformResponse carried the session cookie.
    expect(acs.cookiesSeen.slice(1).every((c) => c?.includes('sid='))).toBe(true)
    const responses = acs.events.filter((e) => e.type === 'response')
    expect(responses.map((e) => e.type === 'response' && e.response.method)).toEqual([
      'GetParameterNamesResponse',
      'GetParameterValuesResponse',
      'SetParameterValuesResponse',
      'AddObjectResponse',
    ])
    // The Inform reported the Connection Request URL the client listens on.
    const crUrl = acs.informs[0]?.parameterList.find((p) => p.name === 'Device.ManagementServer.ConnectionRequestURL')
    expect(crUrl?.value).toBe(client.connectionRequestUrl)
  })

  it('answers a Connection Request with a 6 CONNECTION REQUEST session, then reboots with M Reboot', async () => {
    const acs = await startTestAcs({ script: (n) => (n === 1 ? [{ method: 'Reboot', commandKey: 'rb-7' }] : []) })
    cleanup.push(() => acs.close())
    const client = await start(acs)
    const first = client.nextSession()
    await client.start()
    expect((await first).ok).toBe(true)
    const second = client.nextSession()
    expect(await sendConnectionRequest(client.connectionRequestUrl as string, 'acs', 'cr-pass')).toBe(200)
    expect(await second).toMatchObject({ ok: true, events: ['6 CONNECTION REQUEST'], requests: ['Reboot'] })
    const third = await client.nextSession()
    expect(third).toMatchObject({ ok: true, events: ['1 BOOT', 'M Reboot'] })
    expect(acs.informs[2]?.event).toEqual([
      { eventCode: '1 BOOT', commandKey: '' },
      { eventCode: 'M Reboot', commandKey: 'rb-7' },
    ])
  })

  it('retries after the ACS drops the connection mid-session, with RetryCount 1 and no delivered events', async () => {
    const acs = await startTestAcs({
      script: (n) => (n === 0 ? [{ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.'] }] : []),
      // Drop the connection when the CPE's GetParameterValuesResponse arrives in the first session.
      drop: (_post, event) => event?.type === 'response' && acs.informs.length === 1,
    })
    cleanup.push(() => acs.close())
    const client = await start(acs)
    const first = client.nextSession()
    await client.start()
    const r1 = await first
    expect(r1, JSON.stringify(r1)).toMatchObject({ ok: false, reason: 'transport' })
    expect(await client.nextSession()).toMatchObject({ ok: true })
    // The InformResponse of the failed session delivered BOOTSTRAP and BOOT: the retry carries none
    // (A.3.3.1: "this array MUST NOT contain events that have already been delivered").
    expect(acs.informs[1]?.retryCount).toBe(1)
    expect(codes(acs.informs[1])).toEqual([])
    expect(client.agent.retryCount).toBe(0)
  })

  it('retries an Inform that got no answer with the same events and RetryCount 1', async () => {
    const acs = await startTestAcs({ drop: (post) => post === 0 })
    cleanup.push(() => acs.close())
    const client = await start(acs)
    const first = client.nextSession()
    await client.start()
    expect(await first).toMatchObject({ ok: false, reason: 'transport', events: ['0 BOOTSTRAP', '1 BOOT'] })
    expect(await client.nextSession()).toMatchObject({ ok: true, events: ['0 BOOTSTRAP', '1 BOOT'] })
    expect(acs.events.flatMap((e) => (e.type === 'inform' ? [e.inform.retryCount] : []))).toEqual([0, 1])
  })

  it('fails a session whose response never comes (timeout) and retries', async () => {
    const acs = await startTestAcs({ hang: (post) => post === 0 })
    cleanup.push(() => acs.close())
    const client = await start(acs, { timeoutMs: 300 })
    const first = client.nextSession()
    await client.start()
    expect(await first).toMatchObject({ ok: false, reason: 'transport' })
    expect(await client.nextSession()).toMatchObject({ ok: true })
    expect(acs.informs[0]?.retryCount).toBe(1)
  })

  it('sends 4 VALUE CHANGE with the parameter when an active-notification parameter changes', async () => {
    const model = createSampleDeviceModel({ serialNumber: 'SN-VC' })
    const acs = await startTestAcs({
      script: (n) =>
        n === 0
          ? [
              {
                method: 'SetParameterAttributes',
                parameterList: [
                  {
                    name: 'Device.WiFi.SSID.1.SSID',
                    notificationChange: true,
                    notification: 2,
                    accessListChange: false,
                    accessList: [],
                  },
                ],
              },
            ]
          : [],
    })
    cleanup.push(() => acs.close())
    const client = wire(model, await start(acs, { model }))
    const first = client.nextSession()
    await client.start()
    const r = await first
    expect(r.ok).toBe(true)
    const second = client.nextSession()
    model.set('Device.WiFi.SSID.1.SSID', 'renamed-by-user')
    expect(await second).toMatchObject({ ok: true, events: ['4 VALUE CHANGE'] })
    expect(acs.informs[1]?.parameterList.find((p) => p.name === 'Device.WiFi.SSID.1.SSID')?.value).toBe('renamed-by-user')
  })

  it('reports a pending passive change together with an active one (4 VALUE CHANGE lists both)', async () => {
    const model = createSampleDeviceModel({ serialNumber: 'SN-VC2' })
    model.setParameterAttributes([notify('Device.WiFi.SSID.1.SSID', 1), notify('Device.WiFi.SSID.2.SSID', 2)])
    const acs = await startTestAcs()
    cleanup.push(() => acs.close())
    const client = wire(model, await start(acs, { model }))
    const first = client.nextSession()
    await client.start()
    expect((await first).ok).toBe(true)
    const second = client.nextSession()
    model.set('Device.WiFi.SSID.1.SSID', 'passive-change')
    model.set('Device.WiFi.SSID.2.SSID', 'active-change')
    expect(await within(second)).toMatchObject({ ok: true, events: ['4 VALUE CHANGE'] })
    expect(names(acs.informs[1])).toEqual(expect.arrayContaining(['Device.WiFi.SSID.1.SSID', 'Device.WiFi.SSID.2.SSID']))
  })

  it('keeps a changed parameter for the next Inform when a HEARTBEAT session carried the event-less Inform', async () => {
    const model = createSampleDeviceModel({ serialNumber: 'SN-VC3' })
    model.setParameterAttributes([notify('Device.WiFi.SSID.1.SSID', 1)])
    const acs = await startTestAcs()
    cleanup.push(() => acs.close())
    const client = wire(model, await start(acs, { model }))
    const first = client.nextSession()
    await client.start()
    expect((await first).ok).toBe(true)
    model.set('Device.WiFi.SSID.1.SSID', 'passive-change')
    const heartbeat = client.nextSession()
    client.addEvent('14 HEARTBEAT')
    expect(await within(heartbeat)).toMatchObject({ ok: true, events: ['14 HEARTBEAT'] })
    expect(names(acs.informs[1])).not.toContain('Device.WiFi.SSID.1.SSID')
    const third = await within(client.nextSession())
    expect(third).toMatchObject({ ok: true, events: ['4 VALUE CHANGE'] })
    expect(names(acs.informs[2])).toContain('Device.WiFi.SSID.1.SSID')
  })

  it('reports an active change made during a session in a session of its own, with the parameter', async () => {
    const model = createSampleDeviceModel({ serialNumber: 'SN-VC4' })
    model.setParameterAttributes([notify('Device.WiFi.SSID.2.SSID', 2)])
    const acs = await startTestAcs()
    cleanup.push(() => acs.close())
    let changed = false
    let client: CpeClient | undefined
    client = await start(acs, {
      model,
      onActivity: (e: CpeClientActivity) => {
        // After the InformResponse of the first session: the Inform already went out.
        if (!changed && e.type === 'session-step' && e.step.type === 'informed') {
          changed = true
          model.set('Device.WiFi.SSID.2.SSID', 'changed-in-session')
        }
      },
    })
    wire(model, client)
    const first = client.nextSession()
    await client.start()
    expect((await first).ok).toBe(true)
    expect(await within(client.nextSession())).toMatchObject({ ok: true, events: ['4 VALUE CHANGE'] })
    expect(acs.informs[1]?.parameterList.find((p) => p.name === 'Device.WiFi.SSID.2.SSID')?.value).toBe('changed-in-session')
  })

  it('nextSession() settles when the client is stopped, or at once when it is disabled', async () => {
    const acs = await startTestAcs()
    cleanup.push(() => acs.close())
    const client = await start(acs)
    const first = client.nextSession()
    await client.start()
    expect((await first).ok).toBe(true)
    const pending = client.nextSession()
    await client.stop()
    const aborted: CpeSessionResult = { ok: false, reason: 'aborted', message: 'the client was stopped', events: [], requests: [] }
    expect(await within(pending)).toEqual(aborted)
    // After stop() a new waiter waits for the next start(), or settles at the next stop().
    const afterStop = client.nextSession()
    await client.stop()
    expect(await within(afterStop)).toEqual(aborted)
    const disabled = await start(acs, { enabled: false })
    await disabled.start()
    expect(await within(disabled.nextSession())).toMatchObject({ ok: false, reason: 'aborted' })
  })

  it('a start() that fails (port taken) leaves the client stopped, so a later start() tries again', async () => {
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    cleanup.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())))
    const port = (blocker.address() as net.AddressInfo).port
    const acs = await startTestAcs()
    cleanup.push(() => acs.close())
    const client = await start(acs, { connectionRequest: { username: 'acs', password: 'cr-pass', host: '127.0.0.1', port } })
    await expect(client.start()).rejects.toMatchObject({ code: 'ERR_CWMP_TRANSPORT' })
    await expect(client.start()).rejects.toMatchObject({ code: 'ERR_CWMP_TRANSPORT' })
    expect(acs.informs).toHaveLength(0)
  })

  it('a model that cannot say who the device is: start() rejects with a coded error naming deviceId, nothing runs', async () => {
    const acs = await startTestAcs()
    cleanup.push(() => acs.close())
    const sample = createSampleDeviceModel({ serialNumber: 'SN-NO-ID' })
    // Only the DataModel interface, without DeviceInfo: nothing tells the client the DeviceId.
    const model: DataModel = {
      getParameterValues: () => [],
      setParameterValues: () => 0,
      getParameterNames: () => [],
      getParameterAttributes: () => [],
      setParameterAttributes: () => undefined,
      addObject: (name, key) => sample.addObject(name, key),
      deleteObject: () => 0,
    }
    const client = await start(acs, { model })
    await expect(client.start()).rejects.toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'deviceId' })
    expect(client.connectionRequestUrl).toBeUndefined()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(acs.informs).toHaveLength(0)
  })

  it('stop() during start() closes the Connection Request listener and runs no session', async () => {
    const acs = await startTestAcs()
    cleanup.push(() => acs.close())
    const client = await start(acs)
    const starting = client.start()
    await client.stop()
    await starting
    expect(client.connectionRequestUrl).toBeUndefined()
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(acs.informs).toHaveLength(0)
  })

  it('a throwing model call or transport close() is reported, and the client goes on', async () => {
    const model = createSampleDeviceModel({ serialNumber: 'SN-THROW' })
    const gpn = model.getParameterNames.bind(model)
    let throws = 1
    model.getParameterNames = (path, nextLevel) => {
      if (throws-- > 0) throw new Error('model bug')
      return gpn(path, nextLevel)
    }
    const acs = await startTestAcs()
    cleanup.push(() => acs.close())
    const errors: unknown[] = []
    let closes = 0
    const client = await start(acs, {
      model,
      onActivity: (e: CpeClientActivity) => {
        if (e.type === 'error') errors.push(e.error)
      },
      middleware: [
        (next) => ({
          send: (req) => next.send(req),
          close: async () => {
            await next.close?.()
            if (closes++ === 0) throw new Error('close bug')
          },
        }),
      ],
    })
    const first = client.nextSession()
    await client.start()
    const r1 = await within(first)
    const results = r1.ok ? [r1] : [r1, await within(client.nextSession())]
    expect(results.at(-1)).toMatchObject({ ok: true, events: ['0 BOOTSTRAP', '1 BOOT'] })
    expect(errors.map((e) => (e as Error).message)).toEqual(expect.arrayContaining(['model bug', 'close bug']))
  })

  it('a CPE without CWMP 1.0 does not fall back to 1.0 after an HTTP error on the Inform, and gets its session', async () => {
    const acs = await startTestAcs({ status: (post) => (post === 0 ? 503 : undefined) })
    cleanup.push(() => acs.close())
    const client = await start(acs, { versions: ['1.2', '1.3', '1.4'] })
    const first = client.nextSession()
    await client.start()
    expect(await first).toMatchObject({ ok: false, reason: 'http-status' })
    expect(await within(client.nextSession())).toMatchObject({ ok: true, events: ['0 BOOTSTRAP', '1 BOOT'] })
  })

  it('a Connection Request accepted while the device reboots is not lost: the boot session carries 6 CONNECTION REQUEST', async () => {
    const acs = await startTestAcs({ script: (n) => (n === 0 ? [{ method: 'Reboot', commandKey: 'rb-cr' }] : []) })
    cleanup.push(() => acs.close())
    let crStatus: number | undefined
    const seen: [number, boolean][] = []
    const client: CpeClient = await start(acs, {
      onReboot: async () => {
        crStatus = await sendConnectionRequest(client.connectionRequestUrl as string, 'acs', 'cr-pass')
        // A second one before the session starts: 200 too, and no session of its own (§3.2.2).
        await sendConnectionRequest(client.connectionRequestUrl as string, 'acs', 'cr-pass')
      },
      onActivity: (e: CpeClientActivity) => {
        if (e.type === 'connection-request') seen.push([e.status, e.accepted])
      },
    })
    const first = client.nextSession()
    await client.start()
    expect(await first).toMatchObject({ ok: true, requests: ['Reboot'] })
    const boot = await within(client.nextSession())
    expect(crStatus).toBe(200)
    expect(boot).toMatchObject({ ok: true, events: ['1 BOOT', 'M Reboot', '6 CONNECTION REQUEST'] })
    expect(seen).toEqual([
      [401, false],
      [200, true],
      [401, false],
      [200, true],
    ])
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(acs.informs).toHaveLength(2)
  })

  it('Connection Requests during a session: each answered 200, exactly one 6 CONNECTION REQUEST session after it', async () => {
    const acs = await startTestAcs({
      script: (n) => (n === 0 ? [{ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] }] : []),
    })
    cleanup.push(() => acs.close())
    const model = createSampleDeviceModel({ serialNumber: 'SN-CR-DURING' })
    const gpv = model.getParameterValues.bind(model)
    let crs: number[] | undefined
    let client: CpeClient | undefined
    // The CPE answers the ACS's GetParameterValues only once both Connection Requests were answered:
    // they certainly arrive during the session.
    ;(model as { getParameterValues: unknown }).getParameterValues = async (names: readonly string[]) => {
      if (crs === undefined && names.includes('Device.DeviceInfo.UpTime')) {
        const url = client?.connectionRequestUrl as string
        crs = await Promise.all([sendConnectionRequest(url, 'acs', 'cr-pass'), sendConnectionRequest(url, 'acs', 'cr-pass')])
      }
      return gpv(names)
    }
    client = await start(acs, { model })
    const first = client.nextSession()
    await client.start()
    expect(await first).toMatchObject({ ok: true, events: ['0 BOOTSTRAP', '1 BOOT'], requests: ['GetParameterValues'] })
    expect(crs).toEqual([200, 200])
    expect(await within(client.nextSession())).toMatchObject({ ok: true, events: ['6 CONNECTION REQUEST'] })
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(acs.informs.map((i) => codes(i))).toEqual([['0 BOOTSTRAP', '1 BOOT'], ['6 CONNECTION REQUEST']])
  })

  it('stop() then start() again is a reboot, not a new first contact: 1 BOOT without 0 BOOTSTRAP', async () => {
    const acs = await startTestAcs()
    cleanup.push(() => acs.close())
    const client = await start(acs)
    const first = client.nextSession()
    await client.start()
    expect(await first).toMatchObject({ ok: true, events: ['0 BOOTSTRAP', '1 BOOT'] })
    await client.stop()
    const again = client.nextSession()
    await client.start()
    expect(await within(again)).toMatchObject({ ok: true, events: ['1 BOOT'] })
  })
})

describe('CPE client settings and follow-ups', () => {
  it('applies CWMPRetryMinimumWaitInterval set by the ACS to the next retry wait', async () => {
    const acs = await startTestAcs({
      script: (n) =>
        n === 0
          ? [
              {
                method: 'SetParameterValues',
                parameterList: [{ name: 'Device.ManagementServer.CWMPRetryMinimumWaitInterval', type: 'xsd:unsignedInt', value: '7' }],
                parameterKey: 'r',
              },
            ]
          : [],
      // The second session's Inform gets no answer: the retry policy takes over.
      hang: (post) => post === 3,
    })
    cleanup.push(() => acs.close())
    const client = await start(acs, { timeoutMs: 200, retry: { minimumWaitInterval: 1 } })
    const first = client.nextSession()
    await client.start()
    expect(await first).toMatchObject({ ok: true, requests: ['SetParameterValues'] })
    const failed = client.nextSession()
    client.addEvent('4 VALUE CHANGE')
    expect(await failed).toMatchObject({ ok: false, reason: 'transport' })
    // random() is 0: the first retry waits exactly m = 7 s (Table 3), not the 1 s the client started with.
    const state = client.agent.toJSON()
    expect(state.retryAt !== undefined && state.retryAt - Date.now()).toBeGreaterThan(5000)
    await client.stop()
  })

  it('reboots only after a session that ended cleanly', async () => {
    const acs = await startTestAcs({
      script: (n) => (n === 0 ? [{ method: 'Reboot', commandKey: 'rk' }] : []),
      // Drop the connection when the RebootResponse arrives: the session fails after the CPE accepted.
      drop: (_post, event) => event?.type === 'response' && acs.informs.length === 1,
    })
    cleanup.push(() => acs.close())
    const events: string[] = []
    const client = await start(acs, { onActivity: (e) => e.type === 'reboot' && events.push('reboot') })
    const first = client.nextSession()
    await client.start()
    expect(await first).toMatchObject({ ok: false, requests: ['Reboot'] })
    expect(events).toEqual([])
    // The retried session succeeds; then the CPE reboots and reports M Reboot.
    expect(await client.nextSession()).toMatchObject({ ok: true })
    expect(await client.nextSession()).toMatchObject({ ok: true, events: ['1 BOOT', 'M Reboot'] })
    expect(events).toEqual(['reboot'])
  })
})
