/**
 * The ACS simulator under bad input and awkward timing: garbage from a client (400, and the others
 * are still served), requests outside a session, interleaved CPEs, an Inform in the middle of a
 * session, session timeouts (injected clock), failing hooks and stores.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createAcsSimulator,
  createHttpTransport,
  createMemorySessionStore,
  encodeEnvelope,
  type AcsSimulator,
  type AcsSimulatorOptions,
  type HttpTransport,
  type StoredAcsSession,
} from '../../src/index.js'
import { soapPost } from '../../src/session/http.js'
import { cleanup, createTestCpe, rawHttp, rawPost, statusOf } from './helpers.js'

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

/** Deterministic pseudo-random bytes (xorshift32). */
function noise(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length)
  let x = seed >>> 0 || 1
  for (let i = 0; i < length; i++) {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    out[i] = x & 0xff
  }
  return out
}

const INFORM_XML = (() => {
  const cpe = createTestCpe({ url: 'http://unused.test/' })
  const xml = encodeEnvelope({ version: '1.2', header: { id: 'x1' }, body: cpe.inform(['1 BOOT']) })
  cpe.close()
  return xml
})()

const SOAP12 =
  '<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">' +
  '<env:Body>' +
  INFORM_XML.slice(INFORM_XML.indexOf('<cwmp:Inform>'), INFORM_XML.indexOf('</soap-env:Body>')) +
  '</env:Body></env:Envelope>'

describe('ACS simulator: garbage gets 400 and the other CPEs are still served', () => {
  const cases: readonly (readonly [string, Buffer | string, Readonly<Record<string, string>>, number])[] = [
    ['random bytes', noise(300, 7), { 'Content-Type': 'text/xml' }, 400],
    ['truncated XML', INFORM_XML.slice(0, Math.floor(INFORM_XML.length / 2)), { 'Content-Type': 'text/xml' }, 400],
    ['JSON with Content-Type application/json', '{"method":"Inform"}', { 'Content-Type': 'application/json' }, 400],
    ['an Inform in an unknown charset', INFORM_XML, { 'Content-Type': 'text/xml; charset=x-no-such-charset' }, 400],
    ['a SOAP 1.2 envelope', SOAP12, { 'Content-Type': 'application/soap+xml' }, 400],
    ['a DOCTYPE (entity expansion attempt)', `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>${INFORM_XML.replace(/^<\?xml[^>]*>/, '')}`, { 'Content-Type': 'text/xml' }, 400],
    ['XML that is not SOAP', '<a><b/></a>', { 'Content-Type': 'text/xml' }, 400],
    ['a response without a session', INFORM_XML.replace(/<cwmp:Inform>[\s\S]*<\/cwmp:Inform>/, '<cwmp:RebootResponse/>'), { 'Content-Type': 'text/xml' }, 400],
    ['an empty POST without a session', '', {}, 204],
  ]

  it('answers each with the right status, keeps no session, and serves a CPE in between', async () => {
    const sim = await start()
    const cpe = createTestCpe({ url: sim.url })
    sim.queue(cpe.deviceKey, { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] })
    const driver = cpe.driver()
    const statuses: [string, number][] = []
    for (const [name, body, headers] of cases) {
      statuses.push([name, statusOf(await rawHttp(sim.port, rawPost(body, headers)))])
      await driver.step()
    }
    while (await driver.step());
    expect(statuses).toEqual(cases.map(([name, , , status]) => [name, status]))
    expect(driver.result().outcome).toBe('end')
    expect(driver.result().requests.map((r) => r.method)).toEqual(['GetParameterValues'])
    expect(sim.sessions().map((s) => [s.deviceKey, s.outcome])).toEqual([[cpe.deviceKey, 'done']])
    // Every refusal is recorded with its reason.
    const refused = sim.messages.filter((m) => m.direction === 'in' && m.error !== undefined)
    expect(refused.map((m) => m.error?.split(':')[0])).toEqual([
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'malformed',
      'out-of-turn',
    ])
    // A GET is not CWMP.
    expect(statusOf(await rawHttp(sim.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'))).toBe(405)
  })

  it('random bytes and prefixes of a valid Inform always get 400 (property, real HTTP)', async () => {
    const sim = await start()
    const http = createHttpTransport()
    transports.push(http)
    const bodies = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 400 }).filter((b) => Buffer.from(b).toString('latin1').trim() !== ''),
      fc.integer({ min: 1, max: INFORM_XML.length - 1 }).map((n) => Buffer.from(INFORM_XML.slice(0, n))),
    )
    await fc.assert(
      fc.asyncProperty(bodies, async (body) => {
        const res = await http.send({ method: 'POST', url: sim.url, headers: { 'content-type': 'text/xml' }, body })
        expect(res.status).toBe(400)
      }),
      { numRuns: 60 },
    )
    expect(sim.sessions()).toEqual([])
    expect((await createTestCpe({ url: sim.url }).run()).outcome).toBe('end')
  })

  it('garbage in the middle of a session fails that session (400), the CPE gets 400 next, and the unsent requests wait for the next session', async () => {
    const sim = await start()
    const cpe = createTestCpe({ url: sim.url })
    sim.queue(cpe.deviceKey, { method: 'GetRPCMethods' }, { method: 'Reboot', commandKey: 'r1' })
    const driver = cpe.driver()
    await driver.step() // Inform → InformResponse (the queue moves into the session)
    await driver.step() // empty POST → GetRPCMethods
    const cookie = cpe.cookies.jar.cookieHeader(sim.url) as string
    expect(cookie).toMatch(/^cwmpsid=/)
    const res = await rawHttp(sim.port, rawPost(noise(64, 3), { 'Content-Type': 'text/xml', Cookie: cookie }))
    expect(statusOf(res)).toBe(400)
    expect(sim.sessions()[0]).toMatchObject({ outcome: 'failed' })
    expect(sim.sessions()[0]?.reason).toMatch(/^malformed/)
    while (await driver.step());
    expect(driver.result().failure).toMatchObject({ reason: 'http-status', message: 'HTTP 400 from the ACS' })
    expect((await sim.queued(cpe.deviceKey)).map((r) => r.method)).toEqual(['Reboot'])
    const next = await cpe.run(['1 BOOT'])
    expect(next.requests.map((r) => r.method)).toEqual(['Reboot'])
  })
})

describe('ACS simulator: concurrency and session identity', () => {
  it('two CPEs interleaved round trip by round trip: separate sessions, each with its own queue', async () => {
    const sim = await start({ auth: { credentials: (u) => (u.startsWith('AABBCC-') ? 'pw' : undefined) } })
    const a = createTestCpe({ url: sim.url, serialNumber: 'A1', username: 'AABBCC-SampleGateway-A1', password: 'pw' })
    const b = createTestCpe({ url: sim.url, serialNumber: 'B2', username: 'AABBCC-SampleGateway-B2', password: 'pw' })
    sim.queue(a.deviceKey, { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SerialNumber'] }, { method: 'GetRPCMethods' })
    sim.queue(b.deviceKey, { method: 'AddObject', objectName: 'Device.NAT.PortMapping.', parameterKey: 'b' })
    const da = a.driver(['2 PERIODIC'])
    const db = b.driver(['6 CONNECTION REQUEST'])
    let moreA = true
    let moreB = true
    while (moreA || moreB) {
      if (moreA) moreA = await da.step()
      if (moreB) moreB = await db.step()
    }
    expect(da.result().outcome).toBe('end')
    expect(db.result().outcome).toBe('end')
    expect(da.result().requests.map((r) => r.method)).toEqual(['GetParameterValues', 'GetRPCMethods'])
    expect(db.result().requests.map((r) => r.method)).toEqual(['AddObject'])
    const [sa, sb] = sim.sessions()
    expect(sa).toMatchObject({ deviceKey: a.deviceKey, events: ['2 PERIODIC'], outcome: 'done' })
    expect(sb).toMatchObject({ deviceKey: b.deviceKey, events: ['6 CONNECTION REQUEST'], outcome: 'done' })
    // The exchanges really alternated, and every message is filed under the right session.
    const sessionOf = new Map(sim.sessions().map((s) => [s.sessionId, s.deviceKey]))
    const inbound = sim.messages.filter((m) => m.direction === 'in' && m.sessionId !== undefined)
    expect(inbound.every((m) => m.deviceKey === sessionOf.get(m.sessionId as string))).toBe(true)
    expect(new Set(inbound.slice(0, 4).map((m) => m.deviceKey)).size).toBe(2)
    expect(b.model.getParameterValues(['Device.NAT.PortMappingNumberOfEntries'])[0]?.value).toBe('1')
  })

  it('an Inform in the middle of a session begins a new one; the old one is replaced and its unsent requests carry over', async () => {
    const sim = await start()
    const cpe = createTestCpe({ url: sim.url })
    sim.queue(cpe.deviceKey, { method: 'GetRPCMethods' }, { method: 'Reboot', commandKey: 'r' })
    const first = cpe.driver(['2 PERIODIC'])
    await first.step() // Inform → InformResponse
    await first.step() // empty → GetRPCMethods
    // Same CPE, same cookie jar: it gives up and sends a new Inform with the old cookie.
    const second = await cpe.run(['1 BOOT'])
    expect(second.outcome).toBe('end')
    expect(second.requests.map((r) => r.method)).toEqual(['Reboot'])
    const sessions = sim.sessions()
    expect(sessions.map((s) => [s.events, s.outcome])).toEqual([
      [['2 PERIODIC'], 'replaced'],
      [['1 BOOT'], 'done'],
    ])
    expect(sessions[0]?.reason).toBe('a new Inform in the session')
    const informIn = sim.messages.filter((m) => m.direction === 'in' && m.message?.method === 'Inform')
    expect(informIn[1]?.headers['cookie']).toBe(`cwmpsid=${sessions[0]?.sessionId}`)
    expect(informIn[1]?.sessionId).toBe(sessions[1]?.sessionId)

    // Without the cookie (another connection, no jar): the device's open session is replaced too.
    const third = cpe.driver(['2 PERIODIC'])
    await third.step()
    const other = createTestCpe({ url: sim.url })
    expect((await other.run(['1 BOOT'])).outcome).toBe('end')
    expect(sim.sessions().map((s) => s.outcome)).toEqual(['replaced', 'done', 'replaced', 'done'])
    expect(sim.sessions()[2]?.reason).toBe('the device began a new session')
  })
})

describe('ACS simulator: session timeout (injected clock)', () => {
  it('a session idle for more than 30 s is over: the next request gets 400 and the unsent requests wait', async () => {
    let now = 1_000_000
    const sim = await start({ now: () => now })
    const cpe = createTestCpe({ url: sim.url })
    sim.queue(cpe.deviceKey, { method: 'GetRPCMethods' })
    const driver = cpe.driver()
    await driver.step() // Inform
    now += 30_000
    await driver.step() // still in time (not more than 30 s): empty → GetRPCMethods
    expect(driver.result().requests).toHaveLength(1)
    sim.queue(cpe.deviceKey, { method: 'Reboot', commandKey: 'late' })
    now += 30_001
    while (await driver.step());
    expect(driver.result().failure?.message).toBe('HTTP 400 from the ACS')
    expect(sim.sessions()[0]).toMatchObject({ outcome: 'timeout', reason: 'no request within the session timeout' })
    expect((await sim.queued(cpe.deviceKey)).map((r) => r.method)).toEqual(['Reboot'])
  })

  it('the CPE SessionTimeout header lengthens the timeout of its session', async () => {
    let now = 1_000_000
    const sim = await start({ now: () => now })
    const cpe = createTestCpe({ url: sim.url, sessionTimeout: 120 })
    const driver = cpe.driver()
    await driver.step()
    now += 119_000
    while (await driver.step());
    expect(driver.result().outcome).toBe('end')

    const late = cpe.driver()
    await late.step()
    now += 120_001
    while (await late.step());
    expect(late.result().outcome).toBe('failed')
    expect(sim.sessions().map((s) => s.outcome)).toEqual(['done', 'timeout'])
  })

  it('an idle session is marked timed out by a later request of anyone (sweep)', async () => {
    let now = 1_000_000
    const sim = await start({ now: () => now })
    const cpe = createTestCpe({ url: sim.url })
    await cpe.driver().step()
    expect(sim.sessions()[0]?.outcome).toBe('active')
    now += 60_000
    expect(statusOf(await rawHttp(sim.port, rawPost('')))).toBe(204)
    const timedOut = await sim.waitFor(() => sim.sessions().find((s) => s.outcome === 'timeout'))
    expect(timedOut.endedAt).toBe(now)
  })

  it('the memory store forgets a record ttlMs after its last write', () => {
    let now = 0
    const store = createMemorySessionStore({ now: () => now })
    const record = { deviceKey: 'd' } as unknown as StoredAcsSession
    expect(store.compareAndSet('a', undefined, record, 100)).toBe(1)
    expect(store.compareAndSet('b', undefined, record, 5000)).toBe(1)
    now = 99
    expect(store.get('a')).toEqual({ record, version: 1, expiresAt: 100 })
    now = 100
    expect(store.get('a')).toBeUndefined()
    expect(store.size).toBe(1)
    // An expired record is no record: a new one may be written in its place.
    expect(store.compareAndSet('a', 1, record, 100)).toBeUndefined()
    expect(store.compareAndSet('a', undefined, record, 100)).toBe(1)
    now = 6000
    store.compareAndSet('c', undefined, record, 100) // sweeps a and b
    expect(store.size).toBe(1)
    expect([...store.list()].map(([id]) => id)).toEqual(['c'])
    store.delete('c')
    expect(store.size).toBe(0)
  })

  it('the memory store writes only over the version read (compare-and-set)', () => {
    const store = createMemorySessionStore()
    const one = { deviceKey: 'one' } as unknown as StoredAcsSession
    const two = { deviceKey: 'two' } as unknown as StoredAcsSession
    expect(store.compareAndSet('s', undefined, one, 1000)).toBe(1)
    expect(store.compareAndSet('s', undefined, two, 1000)).toBeUndefined()
    expect(store.compareAndSet('s', 1, two, 1000)).toBe(2)
    // A writer that read version 1 lost the race: nothing written.
    expect(store.compareAndSet('s', 1, one, 1000)).toBeUndefined()
    expect(store.get('s')?.record).toBe(two)
    expect(store.get('s')?.version).toBe(2)
  })
})

describe('ACS simulator: failures of hooks and stores', () => {
  it('a throwing script aborts its session with 400, is reported, and the simulator goes on', async () => {
    const errors: unknown[] = []
    let explode = true
    const sim = await start({
      onError: (e) => errors.push(e),
      script: () => {
        if (explode) throw new Error('script bug')
        return undefined
      },
    })
    const cpe = createTestCpe({ url: sim.url })
    const run = await cpe.run()
    expect(run.failure?.message).toBe('HTTP 400 from the ACS')
    expect(sim.sessions()[0]).toMatchObject({ outcome: 'failed', reason: 'hook error: script bug' })
    expect(errors).toEqual([new Error('script bug')])
    explode = false
    expect((await cpe.run()).outcome).toBe('end')
  })

  it('a failing store gives 500 without details, is reported, and the simulator goes on', async () => {
    const errors: unknown[] = []
    const memory = createMemorySessionStore()
    let broken = false
    const sim = await start({
      onError: (e) => errors.push(e),
      store: {
        get: (id) => memory.get(id),
        compareAndSet: async (id, expected, r, ttl) => {
          if (broken) throw new Error('store down')
          return memory.compareAndSet(id, expected, r, ttl)
        },
        delete: (id) => memory.delete(id),
      },
    })
    broken = true
    const cpe = createTestCpe({ url: sim.url })
    const run = await cpe.run()
    expect(run.failure?.message).toBe('HTTP 500 from the ACS')
    expect(sim.messages.at(-1)).toMatchObject({ status: 500, raw: '', error: 'internal error: store down' })
    expect(errors).toEqual([new Error('store down')])
    broken = false
    expect((await cpe.run()).outcome).toBe('end')
  })

  it('after close() nothing listens', async () => {
    const sim = await createAcsSimulator()
    await sim.close()
    const run = await createTestCpe({ url: sim.url }).run()
    expect(run.failure?.reason).toBe('transport')
  })
})
