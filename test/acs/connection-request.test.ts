/**
 * Connection Requests from the ACS simulator to a CPE's Connection Request listener
 * (startConnectionRequestListener + createConnectionRequestHandler), and the session that follows.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  createAcsSimulator,
  createConnectionRequestHandler,
  startConnectionRequestListener,
  type AcsSimulator,
  type AcsSimulatorOptions,
  type ConnectionRequestListener,
} from '../../src/index.js'
import { cleanup, createTestCpe, type TestCpe } from './helpers.js'

const simulators: AcsSimulator[] = []
const listeners: ConnectionRequestListener[] = []
afterEach(async () => {
  await Promise.all(listeners.splice(0).map((l) => l.close()))
  await cleanup(simulators)
})

async function start(options: AcsSimulatorOptions = {}): Promise<AcsSimulator> {
  const sim = await createAcsSimulator(options)
  simulators.push(sim)
  return sim
}

/** A CPE with a Connection Request port; `requested` resolves when a session must start. */
async function cpeWithListener(
  url: string,
  username: string,
  password: string,
): Promise<{ cpe: TestCpe; requested: () => Promise<void>; inSession: (v: boolean) => void }> {
  const cr = createConnectionRequestHandler({ path: '/cr/7f3b', username, password })
  let inSession = false
  let wake: (() => void) | undefined
  let pending = false
  const listener = await startConnectionRequestListener({
    host: '127.0.0.1',
    path: '/cr/7f3b',
    handler: (req, now) => cr.handle(req, { now, inSession }),
    onDecision: (d) => {
      if (!d.startSession) return
      pending = true
      wake?.()
    },
  })
  listeners.push(listener)
  const cpe = createTestCpe({ url, connectionRequestUrl: listener.url })
  return {
    cpe,
    requested: () =>
      new Promise<void>((resolve) => {
        if (pending) {
          pending = false
          resolve()
          return
        }
        wake = () => {
          pending = false
          resolve()
        }
      }),
    inSession: (v) => {
      inSession = v
      if (v) cr.sessionStarted()
      else cr.sessionEnded()
    },
  }
}

describe('ACS simulator: Connection Requests', () => {
  it('sends the Connection Request to the URL of the last Inform (Digest), and the CPE opens a 6 CONNECTION REQUEST session', async () => {
    const sim = await start({ connectionRequest: { username: 'acs', password: 'cr-secret' } })
    const { cpe, requested, inSession } = await cpeWithListener(sim.url, 'acs', 'cr-secret')
    expect((await cpe.run(['0 BOOTSTRAP', '1 BOOT'])).outcome).toBe('end')
    const crUrl = (await sim.devices())[0]?.connectionRequestUrl
    expect(crUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/cr\/7f3b$/)

    sim.queue(cpe.deviceKey, { method: 'Reboot', commandKey: 'cr-reboot' })
    const woken = requested()
    const outcome = await sim.connectionRequest(cpe.deviceKey)
    expect(outcome).toEqual({ result: 'accepted', status: 200, url: crUrl })
    await woken
    inSession(true)
    const run = await cpe.run(['6 CONNECTION REQUEST'])
    inSession(false)
    expect(run.outcome).toBe('end')
    expect(run.requests.map((r) => r.method)).toEqual(['Reboot'])
    const session = await sim.waitFor(() => sim.sessions().find((s) => s.events.includes('6 CONNECTION REQUEST') && s.outcome === 'done'))
    expect(session.requests).toEqual([{ method: 'Reboot', commandKey: 'cr-reboot' }])
  })

  it('uses the credentials the ACS itself set with SetParameterValues, and the URL from GetParameterValues', async () => {
    const sim = await start()
    const { cpe, requested } = await cpeWithListener(sim.url, 'chosen-by-acs', 'pw-by-acs')
    // Before the ACS set anything: no credentials, the CPE refuses.
    cpe.model.set('Device.ManagementServer.ConnectionRequestURL', 'http://127.0.0.1:9/none')
    expect((await cpe.run(['0 BOOTSTRAP'])).outcome).toBe('end')
    expect((await sim.devices())[0]?.connectionRequestUrl).toBe('http://127.0.0.1:9/none')
    const listenerUrl = listeners[0]?.url as string
    cpe.model.set('Device.ManagementServer.ConnectionRequestURL', listenerUrl)
    expect(await sim.connectionRequest(cpe.deviceKey, { url: listenerUrl })).toMatchObject({ result: 'unauthorized', status: 401 })

    sim.queue(
      cpe.deviceKey,
      {
        method: 'SetParameterValues',
        parameterList: [
          { name: 'Device.ManagementServer.ConnectionRequestUsername', type: 'xsd:string', value: 'chosen-by-acs' },
          { name: 'Device.ManagementServer.ConnectionRequestPassword', type: 'xsd:string', value: 'pw-by-acs' },
        ],
        parameterKey: 'cr',
      },
      { method: 'GetParameterValues', parameterNames: ['Device.ManagementServer.ConnectionRequestURL'] },
    )
    expect((await cpe.run(['2 PERIODIC'])).outcome).toBe('end')
    expect((await sim.devices())[0]).toMatchObject({
      connectionRequestUrl: listenerUrl,
      connectionRequestCredentials: { username: 'chosen-by-acs', password: 'pw-by-acs' },
    })
    const woken = requested()
    expect((await sim.connectionRequest(cpe.deviceKey)).result).toBe('accepted')
    await woken
  })

  it('reports wrong credentials, an unreachable CPE, and refuses a device without a URL', async () => {
    const sim = await start({ connectionRequest: () => ({ username: 'acs', password: 'wrong' }) })
    const { cpe } = await cpeWithListener(sim.url, 'acs', 'right')
    await expect(sim.connectionRequest(cpe.deviceKey)).rejects.toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'url', message: expect.stringMatching(/no ConnectionRequestURL/) })
    expect((await cpe.run()).outcome).toBe('end')
    expect(await sim.connectionRequest(cpe.deviceKey)).toMatchObject({ result: 'unauthorized', status: 401 })
    const closed = listeners[0] as ConnectionRequestListener
    await closed.close()
    const down = await sim.connectionRequest(cpe.deviceKey)
    expect(down.result).toBe('failed')
    expect(down.status).toBeUndefined()
    expect((down.error as { code?: string }).code).toBe('ERR_CWMP_TRANSPORT')
  })
})
