/**
 * Every setting of the router's "TR-069 Client" page, at creation and through configure() while
 * the client runs, over real loopback HTTP against the ACS simulator (127.0.0.2 and 127.0.0.3 play
 * two WAN interfaces: Linux routes 127.0.0.0/8 to lo).
 */
import { describe, expect, it } from 'vitest'
import { createCpeClient, createSampleDeviceModel, type CpeClientActivity, type CpeSettings, type CpeSettingsSource } from '../../src/index.js'
import {
  bareGet,
  client,
  idleSocket,
  informValue,
  informs,
  sampleKey,
  sendConnectionRequest,
  simulator,
  within,
} from './loopback.js'

const CR = { username: 'acs', password: 'cr-pass', host: '127.0.0.1' }
const CR_URL_NAME = 'Device.ManagementServer.ConnectionRequestURL'

describe('ACS URL', () => {
  it('changed while running: the next session goes to the new ACS at once, with 0 BOOTSTRAP and none of the old cookies', async () => {
    const one = await simulator()
    const two = await simulator()
    const changes: [CpeSettingsSource, string][] = []
    const c = client({ acsUrl: one.url, connectionRequest: CR, onSettingsChange: (s, source) => void changes.push([source, s.acsUrl]) })
    const first = c.nextSession()
    await c.start()
    expect(await within(first)).toMatchObject({ ok: true, events: ['0 BOOTSTRAP', '1 BOOT'] })
    const second = c.nextSession()
    expect((await c.configure({ acsUrl: two.url })).acsUrl).toBe(two.url)
    expect(await within(second)).toMatchObject({ ok: true, events: ['0 BOOTSTRAP'] })
    expect(two.sessions().map((s) => s.events)).toEqual([['0 BOOTSTRAP']])
    const firstPost = two.messages.find((m) => m.direction === 'in')
    expect(firstPost?.headers.cookie).toBeUndefined()
    expect(informValue(informs(two)[0], 'Device.ManagementServer.URL')).toBeUndefined()
    expect(changes).toEqual([['local', two.url]])
    expect(one.sessions()).toHaveLength(1)
  })

  it('set by the ACS with SetParameterValues: takes effect when its session ends, exactly as configure()', async () => {
    const two = await simulator()
    const one = await simulator()
    one.queue(sampleKey('SNLOOP'), {
      method: 'SetParameterValues',
      parameterList: [{ name: 'Device.ManagementServer.URL', value: two.url, type: 'xsd:string' }],
      parameterKey: 'move',
    })
    const changes: [CpeSettingsSource, string][] = []
    const c = client({ acsUrl: one.url, connectionRequest: CR, onSettingsChange: (s, source) => void changes.push([source, s.acsUrl]) })
    const first = c.nextSession()
    await c.start()
    expect(await within(first)).toMatchObject({ ok: true, requests: ['SetParameterValues'] })
    expect(await within(c.nextSession())).toMatchObject({ ok: true, events: ['0 BOOTSTRAP'] })
    expect(two.sessions()).toHaveLength(1)
    expect(changes).toEqual([['acs', two.url]])
    expect(c.settings.acsUrl).toBe(two.url)
  })
})

describe('Inform and Inform Interval', () => {
  /** A clock 10 times faster than real time: a 2 s interval passes in 200 ms. */
  const fastClock = () => {
    const t0 = Date.now()
    return () => t0 + (Date.now() - t0) * 10
  }

  it('interval 2 s through configure(): no session of its own, then Informs 2 s apart; disabled: none', async () => {
    const sim = await simulator()
    const now = fastClock()
    const starts: number[] = []
    const c = client({
      acsUrl: sim.url,
      now,
      onActivity: (e: CpeClientActivity) => {
        if (e.type === 'session-start') starts.push(now())
      },
    })
    const first = c.nextSession()
    await c.start()
    await within(first)
    expect(c.agent.toJSON().periodic).toBeUndefined()
    await c.configure({ periodicInformEnable: true, periodicInformInterval: 2 })
    expect(c.inSession).toBe(false)
    const reference = c.agent.toJSON().periodic?.reference as number
    const periodic: string[][] = []
    for (let i = 0; i < 3; i++) periodic.push([...(await within(c.nextSession())).events])
    expect(periodic).toEqual([['2 PERIODIC'], ['2 PERIODIC'], ['2 PERIODIC']])
    // Never early: the k-th comes at the earliest 2k s after the change (a late one may skip a beat).
    const periodicStarts = starts.slice(1)
    for (const [i, t] of periodicStarts.entries()) {
      expect(t - reference).toBeGreaterThanOrEqual((i + 1) * 2000 - 20)
      if (i > 0) expect(t).toBeGreaterThan(periodicStarts[i - 1] as number)
    }
    // And on the phase: the next one is due at the reference plus a whole number of 2 s.
    const next = c.agent.toJSON().periodic?.next as number
    expect((next - reference) % 2000).toBe(0)
    expect(next - reference).toBeGreaterThanOrEqual(8000)
    await c.configure({ periodicInformEnable: false })
    expect(c.agent.toJSON().periodic).toBeUndefined()
    // A 2 PERIODIC raised just before the change is still owed its session (D618): let it end.
    for (let i = 0; i < 100 && (c.inSession || c.agent.events.length > 0); i++) await new Promise((r) => setTimeout(r, 50))
    expect(c.agent.events).toEqual([])
    const sessions = sim.sessions().length
    // Three intervals of the fast clock: no Inform comes.
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(sim.sessions()).toHaveLength(sessions)
  })

  it('at creation: enabled with an interval, the sessions after the bootstrap are 2 PERIODIC', async () => {
    const sim = await simulator()
    const c = client({ acsUrl: sim.url, now: fastClock(), periodicInformEnable: true, periodicInformInterval: 2 })
    const first = c.nextSession()
    await c.start()
    expect(await within(first)).toMatchObject({ events: ['0 BOOTSTRAP', '1 BOOT'] })
    expect(await within(c.nextSession())).toMatchObject({ ok: true, events: ['2 PERIODIC'] })
    expect(informValue(informs(sim)[0], 'Device.ManagementServer.PeriodicInformInterval')).toBeUndefined()
  })
})

describe('Connection Request authentication, user name and password', () => {
  it('authentication off: a GET without credentials gets 200 and a 6 CONNECTION REQUEST session follows; on again: 401', async () => {
    const sim = await simulator()
    const c = client({ acsUrl: sim.url, connectionRequest: { ...CR, authentication: false } })
    const first = c.nextSession()
    await c.start()
    await within(first)
    const url = c.connectionRequestUrl as string
    const second = c.nextSession()
    expect(await bareGet(url)).toBe(200)
    expect(await within(second)).toMatchObject({ ok: true, events: ['6 CONNECTION REQUEST'] })
    // Still only on its path.
    expect(await bareGet(new URL('/elsewhere', url).href)).toBe(404)
    await c.configure({ connectionRequest: { authentication: true } })
    expect(await bareGet(url)).toBe(401)
    expect(await sendConnectionRequest(url, 'acs', 'cr-pass')).toBe(200)
  })

  it('credentials set by the ACS: the new ones get 200, the old ones 401, from the end of that session on', async () => {
    const sim = await simulator()
    sim.queue(sampleKey('SNLOOP'), {
      method: 'SetParameterValues',
      parameterList: [
        { name: 'Device.ManagementServer.ConnectionRequestUsername', value: 'acs-new', type: 'xsd:string' },
        { name: 'Device.ManagementServer.ConnectionRequestPassword', value: 'cr-new', type: 'xsd:string' },
      ],
      parameterKey: 'cr-1',
    })
    const saved: CpeSettings[] = []
    const c = client({ acsUrl: sim.url, connectionRequest: CR, onSettingsChange: (s) => void saved.push(s) })
    const first = c.nextSession()
    await c.start()
    expect(await within(first)).toMatchObject({ ok: true, requests: ['SetParameterValues'] })
    const key = sampleKey('SNLOOP')
    expect((await sim.connectionRequest(key, { credentials: { username: 'acs', password: 'cr-pass' } })).status).toBe(401)
    const next = c.nextSession()
    // The simulator uses what it set.
    expect(await sim.connectionRequest(key)).toMatchObject({ result: 'accepted', status: 200 })
    expect(await within(next)).toMatchObject({ ok: true, events: ['6 CONNECTION REQUEST'] })
    expect(c.settings.connectionRequest).toMatchObject({ username: 'acs-new', password: 'cr-new' })
    expect(saved.at(-1)?.connectionRequest).toMatchObject({ username: 'acs-new', password: 'cr-new' })
    // configure() too, checked from the next request on.
    await c.configure({ connectionRequest: { password: 'cr-local' } })
    expect(await sendConnectionRequest(c.connectionRequestUrl as string, 'acs-new', 'cr-new')).toBe(401)
    expect(await sendConnectionRequest(c.connectionRequestUrl as string, 'acs-new', 'cr-local')).toBe(200)
  })
})

describe('ACS user name and password', () => {
  it('changed while running: the next request uses them', async () => {
    let password = 'acs-1'
    const sim = await simulator({ auth: { username: 'cpe', authorize: 'any', credentials: (user) => (user === 'cpe' ? password : undefined) } })
    const c = client({ acsUrl: sim.url, acsUsername: 'cpe', acsPassword: 'acs-1' })
    const first = c.nextSession()
    await c.start()
    expect(await within(first)).toMatchObject({ ok: true })
    password = 'acs-2'
    const refused = c.nextSession()
    c.addEvent('8 DIAGNOSTICS COMPLETE')
    expect(await within(refused)).toMatchObject({ ok: false })
    const next = c.nextSession()
    await c.configure({ acsPassword: 'acs-2' })
    // The retry (a new event cuts its wait short) authenticates with the new password.
    c.addEvent('8 DIAGNOSTICS COMPLETE')
    expect(await within(next)).toMatchObject({ ok: true, events: ['8 DIAGNOSTICS COMPLETE'] })
    expect(sim.sessions().filter((s) => s.outcome === 'done').map((s) => s.username)).toEqual(['cpe', 'cpe'])
  })
})

describe('WAN interface used by TR-069 Client', () => {
  it('127.0.0.2: requests come from it and the URL names it; changed to 127.0.0.3 while running: rebound, 4 VALUE CHANGE with the new URL, limits kept', async () => {
    const sim = await simulator()
    const urls: string[] = []
    const c = client({
      acsUrl: sim.url,
      wanInterface: '127.0.0.2',
      connectionRequest: { username: 'acs', password: 'cr-pass', limits: { maxConnections: 2 } },
      onActivity: (e: CpeClientActivity) => {
        if (e.type === 'connection-request-url') urls.push(e.url)
      },
    })
    const first = c.nextSession()
    await c.start()
    expect(await within(first)).toMatchObject({ ok: true })
    const oldUrl = c.connectionRequestUrl as string
    expect(new URL(oldUrl).hostname).toBe('127.0.0.2')
    expect(informValue(informs(sim)[0], CR_URL_NAME)).toBe(oldUrl)
    expect(new Set(sim.messages.filter((m) => m.direction === 'in').map((m) => m.remoteAddress))).toEqual(new Set(['127.0.0.2']))

    const second = c.nextSession()
    await c.configure({ wanInterface: '127.0.0.3' })
    const newUrl = c.connectionRequestUrl as string
    expect(new URL(newUrl).hostname).toBe('127.0.0.3')
    expect(await within(second)).toMatchObject({ ok: true, events: ['4 VALUE CHANGE'] })
    const inform = informs(sim)[1]
    expect(informValue(inform, CR_URL_NAME)).toBe(newUrl)
    expect(inform?.parameterList.filter((p) => p.name === CR_URL_NAME)).toHaveLength(1)
    expect(sim.messages.filter((m) => m.direction === 'in').at(-1)?.remoteAddress).toBe('127.0.0.3')
    expect(urls).toEqual([oldUrl, newUrl])
    // The old address no longer answers; the new one does.
    expect(await bareGet(oldUrl)).toBe('ECONNREFUSED')
    expect(await sendConnectionRequest(newUrl, 'acs', 'cr-pass')).toBe(200)
    // The rebound listener keeps the connection limits: a third idle socket evicts the oldest.
    const { port, hostname } = new URL(newUrl)
    const a = await idleSocket(Number(port), hostname)
    await idleSocket(Number(port), hostname)
    await idleSocket(Number(port), hostname)
    await within(a.closed, 5000)
  })

  it('an interface name (lo): requests from its address, the URL names it; an unknown interface is refused at creation and while running', async () => {
    const sim = await simulator()
    const c = client({ acsUrl: sim.url, wanInterface: 'lo', connectionRequest: { username: 'acs', password: 'cr-pass' } })
    const first = c.nextSession()
    await c.start()
    await within(first)
    expect(new URL(c.connectionRequestUrl as string).hostname).toBe('127.0.0.1')
    expect(sim.messages.find((m) => m.direction === 'in')?.remoteAddress).toBe('127.0.0.1')
    const before = c.settings
    await expect(c.configure({ wanInterface: 'eth-does-not-exist' })).rejects.toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'wanInterface' })
    expect(c.settings).toBe(before)
    expect(() => createCpeClient({ acsUrl: sim.url, model: createSampleDeviceModel(), wanInterface: 'eth-does-not-exist' })).toThrow(
      expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'wanInterface' }),
    )
  })

  it('any (the default): the URL names the local address of the route to the ACS (loopback here, as the ACS is)', async () => {
    const sim = await simulator({ host: '127.0.0.1' })
    const c = client({ acsUrl: sim.url, connectionRequest: { username: 'acs', password: 'cr-pass' } })
    const first = c.nextSession()
    await c.start()
    await within(first)
    expect(c.settings.wanInterface).toBe('any')
    expect(new URL(c.connectionRequestUrl as string).hostname).toBe('127.0.0.1')
    expect(await sendConnectionRequest(c.connectionRequestUrl as string, 'acs', 'cr-pass')).toBe(200)
  })
})

describe('Display SOAP messages on serial console', () => {
  it('toggled while running: the output starts with the next message, and stops', async () => {
    const sim = await simulator()
    let out = ''
    const c = client({ acsUrl: sim.url, soapLog: { write: (t: string) => (out += t) } })
    const first = c.nextSession()
    await c.start()
    await within(first)
    expect(out).toBe('')
    await c.configure({ logSoap: true })
    const second = c.nextSession()
    c.addEvent('8 DIAGNOSTICS COMPLETE')
    await within(second)
    expect(out).toContain('<cwmp:Inform>')
    expect(out).toContain('8 DIAGNOSTICS COMPLETE')
    await c.configure({ logSoap: false })
    const length = out.length
    const third = c.nextSession()
    c.addEvent('8 DIAGNOSTICS COMPLETE')
    await within(third)
    expect(out.length).toBe(length)
  })

  it('at creation: a stream given as logSoap gets every message', async () => {
    const sim = await simulator()
    let out = ''
    const c = client({ acsUrl: sim.url, logSoap: { write: (t: string) => (out += t) } })
    const first = c.nextSession()
    await c.start()
    await within(first)
    expect(c.settings.logSoap).toBe(true)
    expect(out).toContain('0 BOOTSTRAP')
  })
})

describe('bad input', () => {
  it('each invalid value: the coded error naming the field, and nothing changed in the running client', async () => {
    const sim = await simulator()
    const c = client({ acsUrl: sim.url, connectionRequest: CR, periodicInformEnable: true, periodicInformInterval: 3000 })
    const first = c.nextSession()
    await c.start()
    await within(first)
    const settings = c.settings
    const url = c.connectionRequestUrl
    const schedule = JSON.stringify(c.agent.toJSON().periodic)
    const bad: [Record<string, unknown>, string][] = [
      [{ periodicInformInterval: 'abc' }, 'periodicInformInterval'],
      [{ periodicInformInterval: -5 }, 'periodicInformInterval'],
      [{ periodicInformInterval: 0 }, 'periodicInformInterval'],
      [{ periodicInformInterval: 1.5 }, 'periodicInformInterval'],
      [{ acsUrl: 'ftp://acs/' }, 'acsUrl'],
      [{ acsUsername: 'u'.repeat(257) }, 'acsUsername'],
      [{ connectionRequest: { port: 70000 } }, 'connectionRequest.port'],
      [{ wanInterface: 'nope0' }, 'wanInterface'],
      // One bad field refuses the whole change, the good ones included.
      [{ periodicInformInterval: 60, acsPassword: 7 }, 'acsPassword'],
    ]
    for (const [change, field] of bad) {
      await expect(c.configure(change as never)).rejects.toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID', field })
      expect(c.settings).toBe(settings)
      expect(c.connectionRequestUrl).toBe(url)
      expect(JSON.stringify(c.agent.toJSON().periodic)).toBe(schedule)
    }
    // At creation the same rules throw synchronously.
    expect(() => createCpeClient({ acsUrl: sim.url, model: createSampleDeviceModel(), periodicInformInterval: 'abc' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'periodicInformInterval' }),
    )
  })

  it('a Connection Request port that is taken: configure() rejects, the old listener and settings stay', async () => {
    const sim = await simulator()
    const blocker = client({ acsUrl: sim.url, connectionRequest: CR, model: createSampleDeviceModel({ serialNumber: 'SN-BLOCK' }) })
    await blocker.start()
    const taken = Number(new URL(blocker.connectionRequestUrl as string).port)
    const c = client({ acsUrl: sim.url, connectionRequest: CR })
    const first = c.nextSession()
    await c.start()
    await within(first)
    const url = c.connectionRequestUrl as string
    await expect(c.configure({ connectionRequest: { port: taken } })).rejects.toMatchObject({ code: 'ERR_CWMP_TRANSPORT' })
    expect(c.settings.connectionRequest).toMatchObject({ port: 0 })
    expect(c.connectionRequestUrl).toBe(url)
    expect(await sendConnectionRequest(url, 'acs', 'cr-pass')).toBe(200)
  })
})
