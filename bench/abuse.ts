/**
 * Abuse benchmark (issue 9): honest CPEs with short periodic sessions against the ACS simulator
 * while attackers run, compared with the same honest load and no attackers, in the same run.
 *
 * The ACS runs in a child process (this file, forked with CWMP_ABUSE_ACS=1; a fresh one per
 * scenario) with per-device Digest credentials, so its RSS is its own. The honest CPEs run in this
 * process, the attackers in another child (CWMP_ABUSE_ATTACKER=1), as other machines would, so that
 * their JavaScript does not delay the honest CPEs' event loop (they still share the two cores):
 * - honest: N CPEs (default 50), each a session every 2 s (Inform, empty POST, the queued
 *   SetParameterValues that carries its own device key, a 10-parameter GetParameterValues, 204);
 * - slowloris: sockets dripping a request head a byte at a time, reopened when closed;
 * - oversized: unauthenticated POSTs declaring 31 MiB, written as fast as the socket takes them;
 * - garbage: random bytes, unauthenticated and authenticated (the attacker's own credentials);
 * - wrong passwords: Digest answers with a wrong password;
 * - replays: an Authorization that was accepted once, sent again;
 * - impersonation: the attacker's own valid credentials, an Inform naming an honest device;
 * - concurrent Informs: pairs of simultaneous Informs of the attacker's own device;
 * - cookie tampering: requests with a cookie one character off a real one.
 *
 * Each attacker runs from its own address (127.0.0.2, .3, …; the honest CPEs are 127.0.0.1), as
 * other machines would, so that the simulator's per-source limits (D441) hold each one for what it
 * did; a third scenario runs the same attack with `sourceLimits: { refusals: 0 }`, to show what
 * the attacks cost when nothing holds them. Each CPE's first session (cold code) is left out of the
 * timings.
 *
 * Printed: honest sessions ok / failed, honest p50 / p99 with and without attackers, ACS peak RSS
 * with and without, data of one device delivered to another (must be 0), attack requests by status.
 * Run: `npm run bench -- abuse` (about a minute). `CWMP_ABUSE_CPES`, `CWMP_ABUSE_SECONDS` change N
 * and the length of each scenario; `CWMP_ABUSE_ONLY=slowloris,oversized,garbage,wrong,replays,impersonation,concurrent,cookies`
 * runs only the attackers named.
 */
import { fork, type ChildProcess } from 'node:child_process'
import * as net from 'node:net'
import * as os from 'node:os'
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import * as v8 from 'node:v8'
import * as vm from 'node:vm'
import { driveCpeSession, periodicInform } from './cpe-session.js'
import {
  composeTransport,
  createAcsSimulator,
  createCpeRpcHandler,
  createCpeSession,
  createDigestAuthorization,
  createHttpTransport,
  createSampleDeviceModel,
  defaultDeviceKey,
  encodeEnvelope,
  selectDigestChallenge,
  withAuth,
  withCookies,
  type AcsSimulator,
  type HttpRequest,
  type Inform,
  type SetParameterValues,
  type Transport,
} from '../src/index.js'

const PARAMETERS = [
  'Device.DeviceInfo.Manufacturer',
  'Device.DeviceInfo.ManufacturerOUI',
  'Device.DeviceInfo.ModelName',
  'Device.DeviceInfo.ProductClass',
  'Device.DeviceInfo.SerialNumber',
  'Device.DeviceInfo.HardwareVersion',
  'Device.DeviceInfo.SoftwareVersion',
  'Device.DeviceInfo.UpTime',
  'Device.ManagementServer.URL',
  'Device.ManagementServer.PeriodicInformInterval',
]
/** Where each device's marker goes: the SetParameterValues queued for a device carries its key. */
const MARKER = 'Device.DeviceInfo.ProvisioningCode'
const passwordOf = (user: string): string => `pw-${user}`
const ATTACKER_SERIAL = 'ATTACKER'

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc')
  ;(vm.runInNewContext('gc') as () => void)()
}

// ------------------------------------------------------------------------------------------------
// The ACS process.

type ToAcs = { readonly cmd: 'start'; readonly sourceLimits: boolean } | { readonly cmd: 'queue'; readonly deviceKey: string } | { readonly cmd: 'stop' }
type FromAcs =
  | { readonly type: 'started'; readonly url: string; readonly port: number }
  | {
      readonly type: 'stopped'
      readonly peakRss: number
      /** Peak V8 heap (heapTotal) and peak external + ArrayBuffer memory, bytes. */
      readonly peakHeap: number
      readonly peakExternal: number
      readonly idleRss: number
      readonly liveByAttacker: number
      readonly maxLivePerDevice: number
      /** CPU the ACS used over the scenario, ms. */
      readonly cpuMs: number
      /** The ACS's event-loop delay over the scenario: p99 and max, ms. */
      readonly loopP99Ms: number
      readonly loopMaxMs: number
    }

async function acsProcess(): Promise<void> {
  let sim: AcsSimulator | undefined
  let peakRss = 0
  let peakHeap = 0
  let peakExternal = 0
  let idleRss = 0
  let timer: ReturnType<typeof setInterval> | undefined
  let maxLivePerDevice = 0
  let cpu = process.cpuUsage()
  let loop: IntervalHistogram | undefined
  const send = (m: FromAcs): void => {
    process.send?.(m)
  }
  process.on('message', (raw) => {
    const msg = raw as ToAcs
    void (async () => {
      if (msg.cmd === 'start') {
        sim = await createAcsSimulator({
          backlog: 4096,
          // The default per-source limits, or none (what each attack costs when nothing holds it).
          ...(msg.sourceLimits ? {} : { sourceLimits: { refusals: 0 } }),
          ...(process.env['CWMP_ABUSE_MAX_MESSAGES'] === undefined ? {} : { maxMessages: Number(process.env['CWMP_ABUSE_MAX_MESSAGES']) }),
          auth: { credentials: passwordOf },
          // The queued SetParameterValues first, then the 10-parameter read.
          script: (turn) =>
            (turn.last.type === 'empty' && turn.queue.length === 0) ||
            (turn.last.type === 'response' && turn.last.request.method === 'SetParameterValues')
              ? { method: 'GetParameterValues', parameterNames: PARAMETERS }
              : undefined,
        })
        collectGarbage()
        idleRss = process.memoryUsage().rss
        peakRss = idleRss
        timer = setInterval(() => {
          const m = process.memoryUsage()
          peakRss = Math.max(peakRss, m.rss)
          peakHeap = Math.max(peakHeap, m.heapTotal)
          peakExternal = Math.max(peakExternal, m.external + m.arrayBuffers)
          const live = new Map<string, number>()
          for (const s of sim?.sessions() ?? []) if (s.outcome === 'active') live.set(s.deviceKey, (live.get(s.deviceKey) ?? 0) + 1)
          for (const n of live.values()) maxLivePerDevice = Math.max(maxLivePerDevice, n)
        }, 1000)
        cpu = process.cpuUsage()
        loop = monitorEventLoopDelay({ resolution: 5 })
        loop.enable()
        send({ type: 'started', url: sim.url, port: sim.port })
      } else if (msg.cmd === 'queue') {
        const request: SetParameterValues = {
          method: 'SetParameterValues',
          parameterList: [{ name: MARKER, value: msg.deviceKey, type: 'xsd:string' }],
          parameterKey: msg.deviceKey,
        }
        sim?.queue(msg.deviceKey, request)
      } else {
        if (timer !== undefined) clearInterval(timer)
        const used = process.cpuUsage(cpu)
        loop?.disable()
        const loopP99Ms = (loop?.percentile(99) ?? 0) / 1e6
        const loopMaxMs = (loop?.max ?? 0) / 1e6
        const attackerKey = `AABBCC-SampleGateway-${ATTACKER_SERIAL}`
        const liveByAttacker = (sim?.sessions() ?? []).filter((s) => s.deviceKey === attackerKey && s.outcome === 'active').length
        await sim?.close()
        send({ type: 'stopped', peakRss, peakHeap, peakExternal, idleRss, liveByAttacker, maxLivePerDevice, cpuMs: (used.user + used.system) / 1000, loopP99Ms, loopMaxMs })
      }
    })()
  })
  process.on('disconnect', () => process.exit(0))
}

// ------------------------------------------------------------------------------------------------
// Honest CPEs.

interface HonestResult {
  readonly times: number[]
  ok: number
  failed: number
  foreign: number
}

const inform = periodicInform

async function honestCpe(url: string, index: number, until: number, queue: (deviceKey: string) => void, out: HonestResult): Promise<void> {
  const model = createSampleDeviceModel({ serialNumber: `HONEST${String(index).padStart(4, '0')}` })
  const deviceKey = defaultDeviceKey(model.deviceId())
  const handler = createCpeRpcHandler({ model })
  // Spread the first sessions over the 2 s period.
  await new Promise((r) => setTimeout(r, (index * 2000) / 50))
  let first = true
  while (Date.now() < until) {
    queue(deviceKey)
    const http = createHttpTransport({ timeoutMs: 30_000 })
    const transport: Transport = composeTransport(http, withAuth({ username: deviceKey, password: passwordOf(deviceKey) }), withCookies())
    const result = await driveCpeSession(transport, url, inform(model.deviceId(), model.informParameters()), (request) => {
      if (request.method === 'SetParameterValues') {
        const marker = request.parameterList.find((p) => p.name === MARKER)?.value
        if (marker !== deviceKey) out.foreign++
      }
      return handler(request)
    })
    const ok = result.ended && result.values === PARAMETERS.length
    http.close()
    // Each CPE's first session runs on code not yet compiled (a fresh ACS process per scenario):
    // counted as ok or failed, left out of the timings, in every scenario alike.
    if (!first) out.times.push(result.ms)
    first = false
    if (ok) out.ok++
    else out.failed++
    await new Promise((r) => setTimeout(r, 2000))
  }
}

// ------------------------------------------------------------------------------------------------
// Attackers.

interface AttackTally {
  readonly byKind: Map<string, Map<string, number>>
  /** ACS requests an impersonating attacker received (data of another device): must stay 0. */
  crossDevice: number
}

function count(t: AttackTally, kind: string, what: string | number): void {
  const m = t.byKind.get(kind) ?? new Map<string, number>()
  m.set(String(what), (m.get(String(what)) ?? 0) + 1)
  t.byKind.set(kind, m)
}

const ATTACKER_MODEL = createSampleDeviceModel({ serialNumber: ATTACKER_SERIAL })
const ATTACKER_USER = defaultDeviceKey(ATTACKER_MODEL.deviceId())

function informXml(serialNumber: string): string {
  const model = createSampleDeviceModel({ serialNumber })
  return encodeEnvelope({ version: '1.2', header: { id: '1' }, body: inform(model.deviceId(), model.informParameters()) })
}

/** One raw request on a fresh connection; resolves with the status (0 when none came). */
function rawRequest(port: number, bytes: Buffer | string, from: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress: from })
    let reply = ''
    socket.setTimeout(15_000, () => socket.destroy())
    socket.on('data', (c: Buffer) => {
      reply += c.toString('latin1')
      if (reply.includes('\r\n\r\n')) socket.destroy()
    })
    socket.on('error', () => undefined)
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0)))
    socket.write(bytes)
  })
}

function post(body: string | Buffer, headers: Record<string, string> = {}): Buffer {
  const b = typeof body === 'string' ? Buffer.from(body) : body
  const head = ['POST / HTTP/1.1', 'Host: 127.0.0.1', `Content-Length: ${b.length}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), 'Connection: close', '', ''].join('\r\n')
  return Buffer.concat([Buffer.from(head), b])
}

/** A Digest login with the attacker's own (valid) credentials: the Authorization for `body`. */
async function login(url: string, from: string, password = passwordOf(ATTACKER_USER)): Promise<string> {
  const http = createHttpTransport({ timeoutMs: 10_000, localAddress: from })
  try {
    const first = await http.send({ method: 'POST', url, headers: {}, body: '' .padEnd(1, ' ') })
    const challenge = selectDigestChallenge(first.headers['www-authenticate'] as string | string[])
    return createDigestAuthorization(challenge, { username: ATTACKER_USER, password }, { method: 'POST', uri: '/' }, { nc: 1, cnonce: Math.random().toString(16).slice(2) })
  } finally {
    http.close()
  }
}

async function loop(until: number, body: () => Promise<void>): Promise<void> {
  while (Date.now() < until) {
    try {
      await body()
    } catch {
      // an attacker's own failure
    }
  }
}

function slowloris(port: number, from: string, until: number, t: AttackTally): Promise<void> {
  return loop(until, async () => {
    await new Promise<void>((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: from })
      const head = `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ${'a'.repeat(10_000)}`
      let i = 0
      const drip = setInterval(() => {
        if (Date.now() >= until) socket.destroy()
        else if (i < head.length && !socket.destroyed) socket.write(head[i++] as string)
      }, 200)
      socket.on('error', () => undefined)
      socket.on('close', () => {
        clearInterval(drip)
        count(t, 'slowloris', 'closed by the ACS')
        resolve()
      })
    })
  })
}

function oversized(port: number, from: string, until: number, t: AttackTally): Promise<void> {
  const data = Buffer.alloc(64 * 1024, 0x3c)
  const size = 31 * 1024 * 1024
  return loop(until, async () => {
    const status = await new Promise<number>((resolve) => {
      const socket = net.connect({ port, host: '127.0.0.1', localAddress: from })
      let reply = ''
      let written = 0
      socket.on('data', (c: Buffer) => (reply += c.toString('latin1')))
      socket.on('error', () => undefined)
      socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0)))
      socket.write(`POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${size}\r\n\r\n`)
      const pump = (): void => {
        while (written < size && !socket.destroyed) {
          written += data.length
          if (!socket.write(data)) {
            socket.once('drain', pump)
            return
          }
        }
        socket.end()
      }
      pump()
    })
    count(t, 'oversized', status)
  })
}

function garbage(port: number, url: string, from: string, until: number, t: AttackTally): Promise<void> {
  let seed = 7
  const noise = (n: number): Buffer => {
    const b = Buffer.alloc(n)
    for (let i = 0; i < n; i++) {
      seed = (seed * 1103515245 + 12345) >>> 0
      b[i] = seed >>> 24
    }
    return b
  }
  return loop(until, async () => {
    count(t, 'garbage (no auth)', await rawRequest(port, post(noise(2000)), from))
    count(t, 'garbage (own credentials)', await rawRequest(port, post(noise(2000), { Authorization: await login(url, from) }), from))
  })
}

function wrongPasswords(port: number, url: string, from: string, until: number, t: AttackTally): Promise<void> {
  const body = informXml(ATTACKER_SERIAL)
  return loop(until, async () => {
    count(t, 'wrong password', await rawRequest(port, post(body, { Authorization: await login(url, from, 'not-the-password') }), from))
  })
}

function replays(port: number, url: string, from: string, until: number, t: AttackTally): Promise<void> {
  const body = informXml(ATTACKER_SERIAL)
  return loop(until, async () => {
    const authorization = await login(url, from)
    const first = await rawRequest(port, post(body, { Authorization: authorization }), from)
    count(t, 'replay: the original', first)
    for (let i = 0; i < 5; i++) count(t, 'replay: again', await rawRequest(port, post(body, { Authorization: authorization }), from))
  })
}

function impersonation(url: string, from: string, honest: number, until: number, t: AttackTally): Promise<void> {
  let n = 0
  return loop(until, async () => {
    const victim = createSampleDeviceModel({ serialNumber: `HONEST${String(n++ % honest).padStart(4, '0')}` })
    const http = createHttpTransport({ timeoutMs: 10_000, localAddress: from })
    const transport = composeTransport(http, withAuth({ username: ATTACKER_USER, password: passwordOf(ATTACKER_USER) }), withCookies())
    try {
      const session = createCpeSession({ url, inform: inform(victim.deviceId(), victim.informParameters()) })
      let next: HttpRequest | undefined = session.start()
      while (next !== undefined) {
        const res = await transport.send(next)
        count(t, 'impersonation', res.status)
        const { step, send } = session.receive(res)
        if (step.type === 'request') {
          t.crossDevice++
          next = session.respond({ method: 'SetParameterValuesResponse', status: 0 })
        } else if (step.type === 'end' || step.type === 'failed') next = undefined
        else next = send
      }
    } finally {
      http.close()
    }
    await new Promise((r) => setTimeout(r, 20))
  })
}

function concurrentInforms(port: number, url: string, from: string, until: number, t: AttackTally): Promise<void> {
  const body = informXml(ATTACKER_SERIAL)
  return loop(until, async () => {
    const [a, b] = await Promise.all([login(url, from), login(url, from)])
    const statuses = await Promise.all([rawRequest(port, post(body, { Authorization: a }), from), rawRequest(port, post(body, { Authorization: b }), from)])
    for (const s of statuses) count(t, 'concurrent Informs', s)
    await new Promise((r) => setTimeout(r, 50))
  })
}

function cookieTampering(port: number, url: string, from: string, until: number, t: AttackTally): Promise<void> {
  const body = informXml(ATTACKER_SERIAL)
  return loop(until, async () => {
    const http = createHttpTransport({ timeoutMs: 10_000, localAddress: from })
    let cookie: string | undefined
    try {
      const res = await http.send({ method: 'POST', url, headers: { authorization: await login(url, from) }, body })
      cookie = String(res.headers['set-cookie'] ?? '').split(';')[0]
    } finally {
      http.close()
    }
    if (cookie === undefined || !cookie.includes('=')) return
    const [name, value = ''] = cookie.split('=') as [string, string]
    const flipped = `${value.slice(0, -1)}${value.endsWith('A') ? 'B' : 'A'}`
    count(t, 'tampered cookie, empty POST', await rawRequest(port, post('', { Cookie: `${name}=${flipped}` }), from))
    count(t, 'tampered cookie, response', await rawRequest(port, post(body.replace(/<cwmp:Inform>[\s\S]*<\/cwmp:Inform>/, '<cwmp:RebootResponse/>'), { Cookie: `${name}=${flipped}` }), from))
  })
}

// ------------------------------------------------------------------------------------------------

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number
}

function request(child: ChildProcess, msg: ToAcs, expect: FromAcs['type']): Promise<FromAcs> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: unknown): void => {
      const reply = m as FromAcs
      if (reply.type !== expect) return
      child.off('message', onMessage)
      child.off('exit', onExit)
      resolve(reply)
    }
    const onExit = (code: number | null): void => reject(new Error(`the ACS process exited (${String(code)})`))
    child.on('message', onMessage)
    child.once('exit', onExit)
    child.send(msg)
  })
}

type ToAttacker = { readonly cmd: 'attack'; readonly port: number; readonly url: string; readonly until: number; readonly honest: number }
type FromAttacker = { readonly type: 'tally'; readonly byKind: [string, [string, number][]][]; readonly crossDevice: number; readonly cpuMs: number }

async function attackerProcess(): Promise<void> {
  process.on('message', (raw) => {
    const { port, url, until, honest } = raw as ToAttacker
    void (async () => {
      const cpu0 = process.cpuUsage()
      const attacks: AttackTally = { byKind: new Map(), crossDevice: 0 }
      const work: Promise<void>[] = []
      // CWMP_ABUSE_ONLY=slowloris,oversized,…: only these attackers (for finding what each costs the ACS).
      const only = process.env['CWMP_ABUSE_ONLY']?.split(',')
      const on = (name: string): boolean => only === undefined || only.includes(name)
      // Each attacker from its own address (127.0.0.2, .3, …), so that the per-source limits of one
      // do not hold the others.
      let next = 2
      const from = (): string => `127.0.0.${next++}`
      if (on('slowloris')) {
        const address = from()
        for (let i = 0; i < 200; i++) work.push(slowloris(port, address, until, attacks))
      }
      if (on('oversized')) {
        const address = from()
        for (let i = 0; i < 4; i++) work.push(oversized(port, address, until, attacks))
      }
      if (on('garbage')) work.push(garbage(port, url, from(), until, attacks))
      if (on('wrong')) work.push(wrongPasswords(port, url, from(), until, attacks))
      if (on('replays')) work.push(replays(port, url, from(), until, attacks))
      if (on('impersonation')) work.push(impersonation(url, from(), honest, until, attacks))
      if (on('concurrent')) work.push(concurrentInforms(port, url, from(), until, attacks))
      if (on('cookies')) work.push(cookieTampering(port, url, from(), until, attacks))
      await Promise.all(work)
      const reply: FromAttacker = {
        type: 'tally',
        byKind: [...attacks.byKind].map(([k, m]) => [k, [...m]]),
        crossDevice: attacks.crossDevice,
        cpuMs: ((u) => (u.user + u.system) / 1000)(process.cpuUsage(cpu0)),
      }
      process.send?.(reply)
    })()
  })
  process.on('disconnect', () => process.exit(0))
}

interface Scenario {
  readonly honest: HonestResult
  readonly attacks: AttackTally
  readonly acs: Extract<FromAcs, { type: 'stopped' }>
  /** CPU of the honest CPEs' process and of the attackers' (ms), event-loop delay of the honest CPEs' process (ms). */
  readonly honestCpuMs: number
  readonly attackerCpuMs: number
  readonly honestLoopP99Ms: number
  readonly honestLoopMaxMs: number
}

async function scenario(n: number, seconds: number, attack: boolean, sourceLimits = true): Promise<Scenario> {
  // CWMP_ABUSE_PROF_DIR: a CPU profile of the ACS process of each scenario (for finding what the attackers cost it).
  const profDir = process.env['CWMP_ABUSE_PROF_DIR']
  const child = fork(fileURLToPath(import.meta.url), [], {
    execArgv: [...process.execArgv, ...(profDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profDir}/${attack ? 'attack' : 'quiet'}`])],
    env: { ...process.env, CWMP_ABUSE_ACS: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  try {
    const started = (await request(child, { cmd: 'start', sourceLimits }, 'started')) as Extract<FromAcs, { type: 'started' }>
    const until = Date.now() + seconds * 1000
    const honest: HonestResult = { times: [], ok: 0, failed: 0, foreign: 0 }
    const attacks: AttackTally = { byKind: new Map(), crossDevice: 0 }
    let attackerCpuMs = 0
    const honestCpu0 = process.cpuUsage()
    const honestLoop = monitorEventLoopDelay({ resolution: 5 })
    honestLoop.enable()
    const queue = (deviceKey: string): void => {
      child.send({ cmd: 'queue', deviceKey } satisfies ToAcs)
    }
    const work: Promise<void>[] = Array.from({ length: n }, (_, i) => honestCpe(started.url, i, until, queue, honest))
    if (attack) {
      const attacker = fork(fileURLToPath(import.meta.url), [], {
        env: { ...process.env, CWMP_ABUSE_ATTACKER: '1' },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      })
      work.push(
        new Promise<void>((resolve, reject) => {
          attacker.once('message', (m) => {
            const tally = m as FromAttacker
            for (const [kind, statuses] of tally.byKind) attacks.byKind.set(kind, new Map(statuses))
            attacks.crossDevice = tally.crossDevice
            attackerCpuMs = tally.cpuMs
            attacker.disconnect()
            resolve()
          })
          attacker.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`the attacker process exited (${String(code)})`))))
          attacker.send({ cmd: 'attack', port: started.port, url: started.url, until, honest: n } satisfies ToAttacker)
        }),
      )
    }
    await Promise.all(work)
    honestLoop.disable()
    const honestCpu = process.cpuUsage(honestCpu0)
    const acs = (await request(child, { cmd: 'stop' }, 'stopped')) as Extract<FromAcs, { type: 'stopped' }>
    return {
      honest,
      attacks,
      acs,
      honestCpuMs: (honestCpu.user + honestCpu.system) / 1000,
      attackerCpuMs,
      honestLoopP99Ms: honestLoop.percentile(99) / 1e6,
      honestLoopMaxMs: honestLoop.max / 1e6,
    }
  } finally {
    child.disconnect()
  }
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0)

/** Run the abuse benchmark and print what it found. */
export async function runAbuseBench(log: (line: string) => void): Promise<void> {
  const n = Number(process.env['CWMP_ABUSE_CPES'] ?? 50)
  const seconds = Number(process.env['CWMP_ABUSE_SECONDS'] ?? 20)
  const load0 = os.loadavg()[0]?.toFixed(1) ?? '?'
  const share = (ms: number): string => `${((100 * ms) / (seconds * 1000)).toFixed(0)} %`
  const quiet = await scenario(n, seconds, false)
  const attacked = await scenario(n, seconds, true)
  const unlimited = await scenario(n, seconds, true, false)
  log(
    `ACS simulator abuse: Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}; ${n} honest CPEs, a session every 2 s each, ` +
      `${seconds} s per scenario; load average before ${load0}, after ${os.loadavg()[0]?.toFixed(1) ?? '?'}.`,
  )
  log('')
  log('| scenario | honest sessions ok | failed | p50 ms | p99 ms | data of another device | ACS peak RSS MB (idle) | ACS peak heap / external MB | CPU (share of one core): ACS / honest CPEs / attackers | event-loop delay p99 / max ms: ACS / honest CPEs | most live sessions of one device |')
  log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  for (const [name, s] of [
    ['no attack', quiet],
    ['under attack', attacked],
    ['under attack, sourceLimits off', unlimited],
  ] as const) {
    const times = [...s.honest.times].sort((a, b) => a - b)
    log(
      `| ${name} | ${s.honest.ok} | ${s.honest.failed} | ${percentile(times, 50).toFixed(1)} | ${percentile(times, 99).toFixed(1)} | ${s.honest.foreign + s.attacks.crossDevice} | ${mb(s.acs.peakRss)} (${mb(s.acs.idleRss)}) | ${mb(s.acs.peakHeap)} / ${mb(s.acs.peakExternal)} | ${share(s.acs.cpuMs)} / ${share(s.honestCpuMs)} / ${share(s.attackerCpuMs)} | ${s.acs.loopP99Ms.toFixed(0)} / ${s.acs.loopMaxMs.toFixed(0)}, ${s.honestLoopP99Ms.toFixed(0)} / ${s.honestLoopMaxMs.toFixed(0)} | ${s.acs.maxLivePerDevice} |`,
    )
  }
  const q = [...quiet.honest.times].sort((a, b) => a - b)
  const a = [...attacked.honest.times].sort((x, y) => x - y)
  const u = [...unlimited.honest.times].sort((x, y) => x - y)
  log('')
  log(
    `Ratios under attack / no attack: p99 ${(percentile(a, 99) / percentile(q, 99)).toFixed(2)}x, ACS peak RSS ${(attacked.acs.peakRss / quiet.acs.peakRss).toFixed(2)}x ` +
      `(targets: 0 honest failures, 0 data of another device, p99 ≤ 2x, RSS ≤ 2x); with sourceLimits off: ` +
      `p99 ${(percentile(u, 99) / percentile(q, 99)).toFixed(2)}x, RSS ${(unlimited.acs.peakRss / quiet.acs.peakRss).toFixed(2)}x.`,
  )
  log('')
  log('| attack | answers with the default sourceLimits (status: count; 0 = connection closed without an answer) | with sourceLimits off |')
  log('|---|---|---|')
  const kinds = new Set([...attacked.attacks.byKind.keys(), ...unlimited.attacks.byKind.keys()])
  const answers = (m: Map<string, number> | undefined): string => [...(m ?? [])].map(([s, c]) => `${s}: ${c}`).join(', ')
  for (const kind of kinds) log(`| ${kind} | ${answers(attacked.attacks.byKind.get(kind))} | ${answers(unlimited.attacks.byKind.get(kind))} |`)
}

if (process.env['CWMP_ABUSE_ACS'] === '1') void acsProcess()
if (process.env['CWMP_ABUSE_ATTACKER'] === '1') void attackerProcess()
