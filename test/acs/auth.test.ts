/**
 * Authentication of CPEs by the ACS simulator, over real loopback HTTP.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  createAcsSimulator,
  createHttpTransport,
  type AcsSimulator,
  type AcsSimulatorOptions,
  type HttpTransport,
  type Transport,
} from '../../src/index.js'
import { cleanup, createTestCpe } from './helpers.js'

const simulators: AcsSimulator[] = []
const transports: HttpTransport[] = []
afterEach(async () => {
  for (const t of transports.splice(0)) t.close()
  await cleanup(simulators)
})

async function start(options: AcsSimulatorOptions = {}): Promise<AcsSimulator> {
  const sim = await createAcsSimulator(options)
  simulators.push(sim)
  return sim
}

const USER = 'AABBCC-SampleGateway-CWMP000001'

describe('ACS simulator: authentication', () => {
  it('401 with Connection: close, then the CPE authenticates on a NEW TCP connection (stateless nonce)', async () => {
    const sim = await start({ auth: { password: 'pw', closeOnChallenge: true } })
    const cpe = createTestCpe({ url: sim.url, username: USER, password: 'pw' })
    const run = await cpe.run()
    expect(run.outcome).toBe('end')
    const [challengeIn, challengeOut, informIn] = sim.messages
    expect(challengeOut?.status).toBe(401)
    expect(challengeOut?.headers['connection']).toBe('close')
    expect(challengeOut?.headers['www-authenticate']).toEqual([expect.stringMatching(/^Digest realm="cwmp-acs", .*algorithm=MD5/)])
    expect(informIn?.message?.method).toBe('Inform')
    expect(informIn?.headers['authorization']).toMatch(/^Digest /)
    expect(informIn?.remotePort).not.toBe(challengeIn?.remotePort)
    expect(sim.sessions()[0]).toMatchObject({ outcome: 'done', username: USER })
  })

  it('without closeOnChallenge the authenticated Inform comes on the same connection', async () => {
    const sim = await start({ auth: { password: 'pw' } })
    const cpe = createTestCpe({ url: sim.url, username: USER, password: 'pw' })
    expect((await cpe.run()).outcome).toBe('end')
    const [challengeIn, challengeOut, informIn] = sim.messages
    expect(challengeOut?.status).toBe(401)
    expect(challengeOut?.headers['connection']).toBeUndefined()
    expect(informIn?.remotePort).toBe(challengeIn?.remotePort)
  })

  it('a wrong password gets 401 again: the CPE fails the session, and no session begins', async () => {
    const sim = await start({ auth: { username: USER, password: 'pw' } })
    const cpe = createTestCpe({ url: sim.url, username: USER, password: 'wrong' })
    const run = await cpe.run()
    expect(run.outcome).toBe('failed')
    expect(run.failure?.reason).toBe('unauthorized')
    expect(sim.messages.filter((m) => m.direction === 'out').map((m) => m.status)).toEqual([401, 401])
    expect(sim.messages[2]?.error).toBe('not authenticated (Digest: bad-response)')
    expect(sim.sessions()).toEqual([])
    // An unknown user name, too.
    const stranger = createTestCpe({ url: sim.url, serialNumber: 'OTHER', username: 'AABBCC-SampleGateway-OTHER', password: 'pw' })
    expect((await stranger.run()).failure?.reason).toBe('unauthorized')
    expect(sim.messages.at(-2)?.error).toBe('not authenticated (Digest: unknown-user)')
  })

  it('per-device passwords from a credentials lookup', async () => {
    const passwords: Record<string, string> = { 'AABBCC-SampleGateway-SN1': 'one', 'AABBCC-SampleGateway-SN2': 'two' }
    const sim = await start({ auth: { credentials: (u) => passwords[u], algorithms: ['SHA-256', 'MD5'] } })
    const a = createTestCpe({ url: sim.url, serialNumber: 'SN1', username: 'AABBCC-SampleGateway-SN1', password: 'one' })
    const b = createTestCpe({ url: sim.url, serialNumber: 'SN2', username: 'AABBCC-SampleGateway-SN2', password: 'two' })
    const c = createTestCpe({ url: sim.url, serialNumber: 'SN3', username: 'AABBCC-SampleGateway-SN2', password: 'one' })
    expect((await a.run()).outcome).toBe('end')
    expect((await b.run()).outcome).toBe('end')
    expect((await c.run()).failure?.reason).toBe('unauthorized')
    expect(sim.sessions().map((s) => [s.deviceKey, s.username, s.outcome])).toEqual([
      ['AABBCC-SampleGateway-SN1', 'AABBCC-SampleGateway-SN1', 'done'],
      ['AABBCC-SampleGateway-SN2', 'AABBCC-SampleGateway-SN2', 'done'],
    ])
    // Two challenges, strongest first; the CPE picked SHA-256.
    const challenge = sim.messages.find((m) => m.status === 401)?.headers['www-authenticate']
    expect(challenge).toHaveLength(2)
    expect(sim.messages.find((m) => m.message?.method === 'Inform')?.headers['authorization']).toMatch(/algorithm=SHA-256/)
  })

  it('authenticates the session once: later requests carry only the cookie', async () => {
    const sim = await start({ auth: { password: 'pw' } })
    const http = createHttpTransport()
    transports.push(http)
    // Under withAuth: once a request was accepted with credentials, strip them from the next ones.
    let authenticated = false
    const base: Transport = {
      async send(req) {
        const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !authenticated || k !== 'authorization'))
        const res = await http.send({ ...req, headers })
        if (headers['authorization'] !== undefined && res.status === 200) authenticated = true
        return res
      },
    }
    const cpe = createTestCpe({ url: sim.url, username: USER, password: 'pw', base })
    sim.queue(cpe.deviceKey, { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] })
    const run = await cpe.run()
    expect(run.outcome).toBe('end')
    const inbound = sim.messages.filter((m) => m.direction === 'in')
    expect(inbound.map((m) => m.headers['authorization'] !== undefined)).toEqual([false, true, false, false])
    expect(sim.messages.filter((m) => m.direction === 'out').map((m) => m.status)).toEqual([401, 200, 200, 204])
  })

  it('Basic authentication when configured', async () => {
    const sim = await start({ auth: { scheme: 'basic', username: USER, password: 'pw' } })
    const good = await createTestCpe({ url: sim.url, username: USER, password: 'pw' }).run()
    expect(good.outcome).toBe('end')
    expect(sim.messages[1]?.headers['www-authenticate']).toBe('Basic realm="cwmp-acs", charset="UTF-8"')
    expect(sim.messages[2]?.headers['authorization']).toMatch(/^Basic /)
    const bad = await createTestCpe({ url: sim.url, username: USER, password: 'nope' }).run()
    expect(bad.failure?.reason).toBe('unauthorized')
    expect(sim.messages.at(-2)?.error).toBe('not authenticated (Basic: refused)')
  })

  it('refuses options without a password', async () => {
    await expect(createAcsSimulator({ auth: { username: 'x' } })).rejects.toThrow(/password/)
    await expect(createAcsSimulator({ sessionTimeoutMs: 29_999 })).rejects.toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'sessionTimeoutMs' })
  })
})
