/**
 * The fleet engine (src/fleet/) in process: name patterns, the one-timer scheduler and the latency
 * histogram as properties; a fleet against the ACS simulator: every failure attributed to its
 * device (Inform faults, refused credentials, a closed port), Connection Requests routed by path and
 * Digest-checked per device, copy-on-write models, bad options as ConfigErrors naming the field.
 */
import fc from 'fast-check'
import { createServer } from 'node:net'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAcsSimulator, formatCpeUsername, sampleDeviceDefinition, type AcsSimulator, type GetParameterValuesResponse, makeFault } from '../../src/index.js'
import { ConfigError } from '../../src/errors.js'
import { createFleet, type Fleet, type FleetOptions, type FleetSummary } from '../../src/fleet/fleet.js'
import { compilePattern } from '../../src/fleet/pattern.js'
import { createScheduler } from '../../src/fleet/scheduler.js'
import { LatencyHistogram } from '../../src/fleet/stats.js'

let cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
  vi.useRealTimers()
})

const keyOf = (serial: string): string => formatCpeUsername({ oui: 'AABBCC', productClass: 'SampleGateway', serialNumber: serial })

async function simulator(options: Parameters<typeof createAcsSimulator>[0] = {}): Promise<AcsSimulator> {
  const sim = await createAcsSimulator({ maxMessages: 1000, ...options })
  cleanup.push(() => sim.close())
  return sim
}

async function fleetOf(options: Partial<FleetOptions> & Pick<FleetOptions, 'acsUrl'>): Promise<Fleet> {
  const fleet = createFleet({ cpes: 10, model: sampleDeviceDefinition(), rate: Infinity, ...options })
  cleanup.push(() => fleet.stop(1000))
  await fleet.start()
  return fleet
}

/** Wait (bounded) until the summary satisfies `ok`. */
async function until(fleet: Fleet, ok: (s: FleetSummary) => boolean, ms = 15_000): Promise<FleetSummary> {
  const end = Date.now() + ms
  for (;;) {
    const s = fleet.summary()
    if (ok(s)) return s
    if (Date.now() > end) throw new Error(`not reached within ${ms} ms: ${JSON.stringify(s)}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('fleet: name patterns', () => {
  it('{n:0W} pads, {i} counts from 0, {cpe} is the TR-069 user name, {{ }} are braces', () => {
    const p = compilePattern('SIM{n:06}-{i}{{x}}', 'serial', false)
    expect(p.format({ n: 7, i: 6, oui: 'AABBCC', productClass: 'G' })).toBe('SIM000007-6{x}')
    expect(p.format({ n: 1234567, i: 0, oui: 'AABBCC', productClass: 'G' })).toBe('SIM1234567-0{x}')
    expect(compilePattern('{cpe}', 'username').format({ n: 1, i: 0, oui: 'AABBCC', productClass: 'G', serial: 'S/1' })).toBe('AABBCC-G-S%2F1')
    expect(compilePattern('{oui}:{productClass}:{serial}', 'u').format({ n: 1, i: 0, oui: 'O', productClass: 'P', serial: 'S' })).toBe('O:P:S')
  })

  it('distinct numbers give distinct names (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 5 }).filter((s) => !/[{}]/.test(s)), fc.integer({ min: 0, max: 9 }), fc.uniqueArray(fc.nat(10 ** 7), { minLength: 2, maxLength: 20 }), (prefix, width, ns) => {
        const p = compilePattern(`${prefix}{n:0${width}}`, 'serial', false)
        const names = ns.map((n) => p.format({ n, i: 0, oui: '', productClass: '' }))
        expect(new Set(names).size).toBe(ns.length)
        for (const [k, n] of ns.entries()) expect(Number((names[k] as string).slice(prefix.length))).toBe(n)
      }),
    )
  })

  it('bad patterns are ConfigErrors naming the option', () => {
    for (const [source, allowSerial] of [['SIM{n', false], ['SIM}', false], ['{x}', true], ['{serial}', false], ['{serial:04}', true]] as const) {
      const error = (() => {
        try {
          compilePattern(source, 'serial', allowSerial)
        } catch (e) {
          return e
        }
        return undefined
      })()
      expect(error, source).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).field).toBe('serial')
    }
  })
})

describe('fleet: the scheduler', () => {
  it('fires every live wake once, in time order, at its latest time only (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(19), fc.option(fc.nat(10_000), { nil: undefined })), { maxLength: 200 }), (wakes) => {
        vi.useFakeTimers({ now: 0 })
        const fired: [number, number][] = []
        const s = createScheduler({ size: 20, now: () => Date.now(), fire: (i, t) => fired.push([i, t]) })
        const latest = new Map<number, number | undefined>()
        for (const [i, at] of wakes) {
          s.wake(i, at)
          latest.set(i, at)
        }
        vi.advanceTimersByTime(20_000)
        const expected = [...latest].filter(([, at]) => at !== undefined).map(([i, at]) => [i, at as number] as const)
        expect(fired.map(([i]) => i).sort((a, b) => a - b)).toEqual(expected.map(([i]) => i).sort((a, b) => a - b))
        for (const [i, t] of fired) expect(t).toBeGreaterThanOrEqual(latest.get(i) as number)
        const times = fired.map(([i]) => latest.get(i) as number)
        expect(times).toEqual([...times].sort((a, b) => a - b))
        s.stop()
        vi.useRealTimers()
      }),
      { numRuns: 50 },
    )
  })
})

describe('fleet: the latency histogram', () => {
  it('quantiles are within 2 % of the exact ones (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.1, max: 100_000, noNaN: true }), { minLength: 1, maxLength: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), (xs, q) => {
        const h = new LatencyHistogram()
        for (const x of xs) h.add(x)
        const sorted = [...xs].sort((a, b) => a - b)
        const exact = sorted[Math.max(0, Math.ceil(q * xs.length) - 1)] as number
        const got = h.quantile(q)
        expect(got).toBeGreaterThanOrEqual(exact * 0.9999)
        expect(got).toBeLessThanOrEqual(exact * 1.0201)
      }),
    )
  })
})

describe('fleet: against the ACS simulator', () => {
  it('every failure is attributed to its device: Inform faults, refused credentials; the others end well', async () => {
    const faulty = new Set(['SIM000002', 'SIM000005'])
    const refused = new Set([keyOf('SIM000007')])
    const sim = await simulator({
      auth: { credentials: (user) => (refused.has(user) ? undefined : `pw-${user.slice(-2)}`) },
      informFault: (inform) => (faulty.has(inform.deviceId.serialNumber) ? makeFault('acs', 'InternalError') : undefined),
    })
    const fleet = await fleetOf({ acsUrl: sim.url, password: 'pw-{n:02}', periodicInterval: 0 })
    const s = await until(fleet, (x) => x.sessions.ok + x.sessions.failed >= 10)
    expect(s.sessions).toMatchObject({ ok: 7, failed: 3 })
    const byDevice = Object.fromEntries(s.failures.list.map((f) => [f.device, f]))
    expect(Object.keys(byDevice).sort()).toEqual(['SIM000002', 'SIM000005', 'SIM000007'])
    expect(byDevice['SIM000002']).toMatchObject({ kind: 'inform-fault', status: 200, fault: { code: 8002 } })
    expect(byDevice['SIM000005']).toMatchObject({ kind: 'inform-fault', fault: { code: 8002 } })
    expect(byDevice['SIM000007']).toMatchObject({ kind: 'unauthorized', status: 401 })
    expect(s.failures.byKind).toEqual({ 'inform-fault': 2, unauthorized: 1 })
    // The simulator saw the seven others, each with its own serial number, bootstrapping.
    const done = sim.sessions().filter((x) => x.outcome === 'done')
    expect(new Set(done.map((x) => x.deviceId.serialNumber)).size).toBe(7)
    expect(done.every((x) => x.events.includes('0 BOOTSTRAP') && x.events.includes('1 BOOT'))).toBe(true)
  })

  it('a closed ACS port: transport failures attributed to each device, no status', async () => {
    const sim = await simulator()
    const url = sim.url
    await sim.close()
    const fleet = await fleetOf({ acsUrl: url, cpes: 3 })
    const s = await until(fleet, (x) => x.sessions.failed >= 3)
    expect(s.failures.list.map((f) => f.device).sort()).toEqual(['SIM000001', 'SIM000002', 'SIM000003'])
    for (const f of s.failures.list) {
      expect(f.kind).toBe('transport')
      expect(f.status).toBeUndefined()
    }
  })

  it('Connection Requests: routed by path, Digest-checked per device, answered with a session; wrong credentials refused', async () => {
    const sim = await simulator({ connectionRequest: (key) => ({ username: key.slice(-9), password: `cr-${key.slice(-9)}` }) })
    const fleet = await fleetOf({ acsUrl: sim.url, cpes: 5, periodicInterval: 0 })
    await until(fleet, (x) => x.sessions.ok >= 5)
    const key = keyOf('SIM000004')
    expect((await sim.device(key))?.connectionRequestUrl).toBe(fleet.connectionRequestUrl(3))
    expect((await sim.connectionRequest(key)).result).toBe('accepted')
    await sim.waitFor(() => sim.sessions().find((x) => x.deviceId.serialNumber === 'SIM000004' && x.events.includes('6 CONNECTION REQUEST') && x.outcome === 'done'))
    // Another device's credentials on this device's path: refused.
    const wrong = await sim.connectionRequest(key, { credentials: { username: 'SIM000003', password: 'cr-SIM000003' } })
    expect(wrong.result).not.toBe('accepted')
    expect(wrong.status).toBe(401)
    const s = fleet.summary()
    expect(s.connectionRequests.answered).toBe(1)
    expect(s.connectionRequests.refused).toBeGreaterThanOrEqual(1)
    expect(s.sessions.failed).toBe(0)
  })

  it('copy-on-write models: reads show the device own values; a write gives that device alone a model of its own', async () => {
    const sim = await simulator({ connectionRequest: (key) => ({ username: key.slice(-6), password: `cr-${key.slice(-6)}` }) })
    const fleet = await fleetOf({ acsUrl: sim.url, cpes: 4, periodicInterval: 0, serial: 'LAB{n:03}' })
    await until(fleet, (x) => x.sessions.ok >= 4)
    const key = keyOf('LAB002')
    await sim.queue(
      key,
      { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SerialNumber', 'Device.ManagementServer.ConnectionRequestURL'] },
      { method: 'SetParameterValues', parameterList: [{ name: 'Device.WiFi.SSID.1.SSID', value: 'mine', type: 'xsd:string' }], parameterKey: 'k1' },
      { method: 'GetParameterValues', parameterNames: ['Device.WiFi.SSID.1.SSID'] },
    )
    await sim.connectionRequest(key)
    const answers = await sim.waitFor(() => {
      const a = sim.messages.filter((m) => m.direction === 'in' && m.message?.method === 'GetParameterValuesResponse')
      return a.length >= 2 ? a : undefined
    })
    const first = (answers[0]?.message as GetParameterValuesResponse).parameterList
    expect(first.map((p) => p.value)).toEqual(['LAB002', fleet.connectionRequestUrl(1)])
    expect((answers[1]?.message as GetParameterValuesResponse).parameterList[0]?.value).toBe('mine')
    await until(fleet, (x) => x.sessions.ok >= 5)
    expect(fleet.ownModels()).toBe(1)
    expect(fleet.ownModel(1)?.get('Device.WiFi.SSID.1.SSID')).toBe('mine')
    expect(fleet.ownModel(1)?.get('Device.DeviceInfo.SerialNumber')).toBe('LAB002')
    expect(fleet.ownModel(1)?.parameterKey).toBe('k1')
    expect(fleet.ownModel(0)).toBeUndefined()
  })

  it('Basic to the ACS (--auth basic), and one Connection Request port per device (crPortRange)', async () => {
    const sim = await simulator({
      auth: { scheme: 'basic', password: 'bpw' },
      connectionRequest: (key) => ({ username: key.slice(-9), password: `cr-${key.slice(-9)}` }),
    })
    const base = await freePortRange(3)
    const fleet = await fleetOf({ acsUrl: sim.url, cpes: 3, password: 'bpw', auth: 'basic', crPort: base, crPortRange: true, periodicInterval: 0 })
    const s = await until(fleet, (x) => x.sessions.ok >= 3)
    expect(s.sessions.failed).toBe(0)
    // Basic is sent with the first request: no 401 round, two requests per session.
    expect(s.httpRequests).toBe(6)
    for (let i = 0; i < 3; i++) {
      expect(fleet.connectionRequestUrl(i)).toBe(`http://127.0.0.1:${base + i}/cr/SIM00000${i + 1}`)
      expect((await sim.connectionRequest(keyOf(`SIM00000${i + 1}`))).result).toBe('accepted')
    }
    await until(fleet, (x) => x.sessions.ok >= 6)
    expect(fleet.summary().connectionRequests.answered).toBe(3)
  })

  it('bad options are ConfigErrors naming the option', () => {
    const base: FleetOptions = { acsUrl: 'http://127.0.0.1:1/', cpes: 2, model: sampleDeviceDefinition() }
    const cases: [Partial<FleetOptions>, string][] = [
      [{ acsUrl: 'ftp://x/' }, 'acsUrl'],
      [{ cpes: 0 }, 'cpes'],
      [{ cpes: 1.5 }, 'cpes'],
      [{ serial: 'SAME' }, 'serial'],
      [{ rate: 0 }, 'rate'],
      [{ jitter: -1 }, 'jitter'],
      [{ maxSessions: 0 }, 'maxSessions'],
      [{ crPort: 70_000 }, 'crPort'],
      [{ auth: 'ntlm' as 'digest' }, 'auth'],
      [{ connection: 'pooled' as 'shared' }, 'connection'],
      [{ model: { parameters: { 'not a path': 1 } } }, 'model'],
    ]
    for (const [patch, field] of cases) {
      let error: unknown
      try {
        createFleet({ ...base, ...patch })
      } catch (e) {
        error = e
      }
      expect(error, field).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).field, JSON.stringify(patch)).toBe(field)
    }
  })
})

/** `n` consecutive ports that are free now, below Linux's ephemeral range (32768 up), so no outgoing socket takes them meanwhile. */
async function freePortRange(n: number): Promise<number> {
  const listen = (port: number): Promise<ReturnType<typeof createServer> | undefined> =>
    new Promise((done) => {
      const server = createServer()
      server.once('error', () => done(undefined))
      server.listen(port, '127.0.0.1', () => done(server))
    })
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 12_000)
    const held: ReturnType<typeof createServer>[] = []
    for (let i = 0; i < n; i++) {
      const server = await listen(base + i)
      if (server === undefined) break
      held.push(server)
    }
    await Promise.all(held.map((server) => new Promise((done) => server.close(done))))
    if (held.length === n) return base
  }
  throw new Error(`no ${n} consecutive free ports found`)
}
