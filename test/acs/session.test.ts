/**
 * The ACS simulator over real loopback HTTP: whole sessions, cookies, authentication, scripting,
 * CPE requests, Inform faults and version negotiation.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  createAcsSimulator,
  makeFault,
  parseCookieHeader,
  type AcsRecordedMessage,
  type AcsSimulator,
  type AcsSimulatorOptions,
  type GetParameterNamesResponse,
} from '../../src/index.js'
import { cleanup, createTestCpe } from './helpers.js'

const simulators: AcsSimulator[] = []
afterEach(() => cleanup(simulators))

async function start(options: AcsSimulatorOptions = {}): Promise<AcsSimulator> {
  const sim = await createAcsSimulator(options)
  simulators.push(sim)
  return sim
}

const PASSWORD = 'cpe-secret'
const USER = 'AABBCC-SampleGateway-CWMP000001'

/** Body methods of one direction, leaving out the 401 exchanges. */
function methods(messages: readonly AcsRecordedMessage[], direction: 'in' | 'out'): string[] {
  const challenged = new Set(messages.filter((m) => m.status === 401).map((m) => m.seq))
  return messages
    .filter((m) => m.direction === direction && !challenged.has(m.seq))
    .map((m) => m.message?.method ?? (m.raw === '' ? 'empty' : `error:${m.error ?? ''}`))
}

describe('ACS simulator: a full session over HTTP', () => {
  it('Inform, queued GetParameterValues / SetParameterValues / AddObject / DeleteObject, 204; digest auth; cookie on every request', async () => {
    const sim = await start({ auth: { username: USER, password: PASSWORD } })
    const cpe = createTestCpe({ url: sim.url, username: USER, password: PASSWORD })
    expect(cpe.deviceKey).toBe(USER)
    sim.queue(
      cpe.deviceKey,
      { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SerialNumber', 'Device.WiFi.SSID.1.SSID'] },
      {
        method: 'SetParameterValues',
        parameterList: [{ name: 'Device.WiFi.SSID.1.SSID', type: 'xsd:string', value: 'simulated' }],
        parameterKey: 'k1',
      },
      { method: 'AddObject', objectName: 'Device.NAT.PortMapping.', parameterKey: 'k2' },
      { method: 'DeleteObject', objectName: 'Device.NAT.PortMapping.1.', parameterKey: 'k3' },
    )
    const run = await cpe.run(['0 BOOTSTRAP', '1 BOOT'])
    expect(run.outcome).toBe('end')
    expect(run.requests.map((r) => r.method)).toEqual(['GetParameterValues', 'SetParameterValues', 'AddObject', 'DeleteObject'])
    // The CPE's model saw the changes.
    expect(cpe.model.getParameterValues(['Device.WiFi.SSID.1.SSID'])[0]?.value).toBe('simulated')
    expect(cpe.model.getParameterValues(['Device.NAT.PortMappingNumberOfEntries'])[0]?.value).toBe('0')
    expect(cpe.model.parameterKey).toBe('k3')

    // What the simulator recorded, both directions.
    expect(methods(sim.messages, 'in')).toEqual([
      'Inform',
      'empty',
      'GetParameterValuesResponse',
      'SetParameterValuesResponse',
      'AddObjectResponse',
      'DeleteObjectResponse',
    ])
    expect(methods(sim.messages, 'out')).toEqual([
      'InformResponse',
      'GetParameterValues',
      'SetParameterValues',
      'AddObject',
      'DeleteObject',
      'empty',
    ])
    const statuses = sim.messages.filter((m) => m.direction === 'out').map((m) => m.status)
    expect(statuses).toEqual([401, 200, 200, 200, 200, 200, 204])

    // Cookies: set once, on the InformResponse; returned on every later request of the session.
    const out = sim.messages.filter((m) => m.direction === 'out')
    const setCookies = out.filter((m) => m.headers['set-cookie'] !== undefined)
    expect(setCookies).toHaveLength(1)
    expect(setCookies[0]?.message?.method).toBe('InformResponse')
    expect(setCookies[0]?.headers['set-cookie']).toMatch(/^cwmpsid=[A-Za-z0-9_-]{22}; Path=\/; HttpOnly$/)
    const sid = setCookies[0]?.sessionId
    const inbound = sim.messages.filter((m) => m.direction === 'in')
    const withCookie = inbound.filter((m) => parseCookieHeader(m.headers['cookie']).get('cwmpsid') === sid)
    expect(withCookie).toHaveLength(5) // every request after the Inform
    // The 401 exchange belongs to no session; every other one to this session.
    expect(inbound.map((m) => m.sessionId)).toEqual([undefined, sid, sid, sid, sid, sid, sid])

    const [session] = sim.sessions()
    expect(session).toMatchObject({
      sessionId: sid,
      deviceKey: USER,
      events: ['0 BOOTSTRAP', '1 BOOT'],
      username: USER,
      outcome: 'done',
      version: '1.4',
    })
    expect(session?.requests.map((r) => r.method)).toEqual(['GetParameterValues', 'SetParameterValues', 'AddObject', 'DeleteObject'])
    expect(sim.queued(cpe.deviceKey)).toEqual([])
  })

  it('the script reads GetParameterNames, then GetParameterValues of what it returned', async () => {
    const sim = await start({
      script: (turn) => {
        if (turn.last.type === 'empty') return { method: 'GetParameterNames', parameterPath: 'Device.DeviceInfo.', nextLevel: true }
        if (turn.last.type === 'response' && turn.last.response.method === 'GetParameterNamesResponse') {
          const names = (turn.last.response as GetParameterNamesResponse).parameterList
            .map((p) => p.name)
            .filter((n) => !n.endsWith('.'))
          return { method: 'GetParameterValues', parameterNames: names }
        }
        return undefined
      },
    })
    const cpe = createTestCpe({ url: sim.url })
    const run = await cpe.run()
    expect(run.outcome).toBe('end')
    expect(run.requests.map((r) => r.method)).toEqual(['GetParameterNames', 'GetParameterValues'])
    const gpn = cpe.model.getParameterNames('Device.DeviceInfo.', true).map((p) => p.name).filter((n) => !n.endsWith('.'))
    expect(gpn.length).toBeGreaterThan(5)
    const gpv = run.requests[1]
    expect(gpv?.method === 'GetParameterValues' && gpv.parameterNames).toEqual(gpn)
    const lastIn = sim.messages.filter((m) => m.direction === 'in').at(-1)
    expect(lastIn?.message?.method).toBe('GetParameterValuesResponse')
  })

  it('the script comes before the queue, and sees what is queued', async () => {
    const seen: string[][] = []
    const sim = await start({
      script: (turn) => {
        seen.push(turn.queue.map((r) => r.method))
        return turn.last.type === 'empty' ? { method: 'GetRPCMethods' } : undefined
      },
    })
    const cpe = createTestCpe({ url: sim.url })
    sim.queue(cpe.deviceKey, { method: 'Reboot', commandKey: 'r1' })
    const run = await cpe.run()
    expect(run.requests.map((r) => r.method)).toEqual(['GetRPCMethods', 'Reboot'])
    expect(seen).toEqual([['Reboot'], ['Reboot'], []])
  })
})
