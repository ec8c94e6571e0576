/**
 * Load benchmark (issue #4): N simulated CPEs against the ACS simulator over loopback HTTP, all
 * starting together, each with its own kept-alive transport, each doing one whole session:
 * Inform (+ the Digest 401 round trip when auth is on), empty POST, a 10-parameter
 * GetParameterValues, 204.
 *
 * The ACS runs in a child process (this file, forked with CWMP_LOAD_ACS=1), so that its memory and
 * CPU are measured apart from the CPEs'. Memory is sampled every 50 ms in each process; peaks are
 * reported. Sessions per second = N / (time from the first Inform to the last 204).
 *
 * Run: `npm run bench -- load` (about 30 s). Each process needs a file descriptor per CPE
 * connection: raise `ulimit -n` above 2000 if it is lower (EMFILE shows up in the `failed` column).
 * `CWMP_LOAD_PROF=1` writes a CPU profile of the ACS process to /tmp/prof; `CWMP_LOAD_BACKLOG=n` sets
 * the ACS listen backlog (default 4096).
 */
import { fork, type ChildProcess } from 'node:child_process'
import * as os from 'node:os'
import { fileURLToPath } from 'node:url'
import * as v8 from 'node:v8'
import * as vm from 'node:vm'
import {
  composeTransport,
  createAcsSimulator,
  createCpeRpcHandler,
  createCpeSession,
  createHttpTransport,
  createSampleDeviceModel,
  defaultDeviceKey,
  formatDateTime,
  withAuth,
  withCookies,
  type AcsSimulator,
  type HttpRequest,
  type SessionStore,
  type StoredAcsSession,
  type Transport,
} from '../src/index.js'

/** The 10 parameters each session reads. */
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
const PASSWORD = 'load-test-password'

/** A full garbage collection, so that baselines do not include the previous scenario's garbage. */
function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc')
  ;(vm.runInNewContext('gc') as () => void)()
}

interface Peak {
  rss: number
  heap: number
}

/** Samples memory every 50 ms and keeps the peaks. */
function sampler(): { readonly peak: Peak; stop(): Peak } {
  const peak: Peak = { rss: 0, heap: 0 }
  const sample = (): void => {
    const m = process.memoryUsage()
    if (m.rss > peak.rss) peak.rss = m.rss
    if (m.heapUsed > peak.heap) peak.heap = m.heapUsed
  }
  sample()
  const timer = setInterval(sample, 50)
  return {
    peak,
    stop() {
      clearInterval(timer)
      sample()
      return peak
    },
  }
}

// ------------------------------------------------------------------------------------------------
// The ACS process.

type ToAcs =
  | { readonly cmd: 'start'; readonly auth: boolean; readonly json: boolean; readonly record: boolean }
  | { readonly cmd: 'stop' }
type FromAcs =
  | { readonly type: 'started'; readonly url: string; readonly rss: number; readonly heap: number }
  | {
      readonly type: 'stopped'
      readonly peak: Peak
      readonly cpuMs: number
      readonly done: number
      readonly failed: number
      readonly messages: number
      readonly recordBytes: number
    }

async function acsProcess(): Promise<void> {
  let sim: AcsSimulator | undefined
  let bytes = 0
  let writes = 0
  let memory: ReturnType<typeof sampler> | undefined
  let cpu = process.cpuUsage()
  const send = (m: FromAcs): void => {
    process.send?.(m)
  }
  process.on('message', (raw) => {
    const msg = raw as ToAcs
    void (async () => {
      if (msg.cmd === 'start') {
        bytes = 0
        writes = 0
        // A store that keeps JSON text, as an external store (Redis, SQL) would: the cost of
        // serialising the session on every request, without the network.
        const text = new Map<string, string>()
        const json: SessionStore = {
          get: (id) => {
            const t = text.get(id)
            return t === undefined ? undefined : (JSON.parse(t) as StoredAcsSession)
          },
          set: (id, record) => {
            const t = JSON.stringify(record)
            bytes += t.length
            writes += 1
            text.set(id, t)
          },
          delete: (id) => {
            text.delete(id)
          },
        }
        sim = await createAcsSimulator({
          backlog: Number(process.env['CWMP_LOAD_BACKLOG'] ?? 4096),
          ...(msg.json ? { store: json } : {}),
          ...(msg.record ? {} : { maxMessages: 0 }),
          ...(msg.auth ? { auth: { password: PASSWORD } } : {}),
          script: (turn) =>
            turn.last.type === 'empty' ? { method: 'GetParameterValues', parameterNames: PARAMETERS } : undefined,
        })
        collectGarbage()
        const m = process.memoryUsage()
        memory = sampler()
        cpu = process.cpuUsage()
        send({ type: 'started', url: sim.url, rss: m.rss, heap: m.heapUsed })
      } else {
        const peak = memory?.stop() ?? { rss: 0, heap: 0 }
        const used = process.cpuUsage(cpu)
        const sessions = sim?.sessions() ?? []
        const messages = sim?.messages.length ?? 0
        await sim?.close()
        sim = undefined
        send({
          type: 'stopped',
          peak,
          cpuMs: (used.user + used.system) / 1000,
          done: sessions.filter((s) => s.outcome === 'done').length,
          failed: sessions.filter((s) => s.outcome !== 'done').length,
          messages,
          recordBytes: writes === 0 ? 0 : bytes / writes,
        })
      }
    })()
  })
  process.on('disconnect', () => process.exit(0))
}

// ------------------------------------------------------------------------------------------------
// The CPE side (this process).

interface Cpe {
  readonly run: () => Promise<{ readonly ms: number; readonly ok: boolean }>
  readonly close: () => void
}

function createCpe(url: string, index: number, auth: boolean): Cpe {
  const serialNumber = `LOAD${String(index).padStart(6, '0')}`
  const model = createSampleDeviceModel({ serialNumber })
  const http = createHttpTransport({ timeoutMs: 60_000 })
  const cookies = withCookies()
  const transport: Transport = auth
    ? composeTransport(http, withAuth({ username: defaultDeviceKey(model.deviceId()), password: PASSWORD }), cookies)
    : composeTransport(http, cookies)
  const handler = createCpeRpcHandler({ model })
  return {
    async run() {
      const started = performance.now()
      const session = createCpeSession({
        url,
        inform: {
          method: 'Inform',
          deviceId: model.deviceId(),
          event: [{ eventCode: '2 PERIODIC', commandKey: '' }],
          maxEnvelopes: 1,
          currentTime: formatDateTime(new Date()),
          retryCount: 0,
          parameterList: model.informParameters(),
        },
      })
      let next: HttpRequest | undefined = session.start()
      let values = 0
      let ok = false
      try {
        while (next !== undefined) {
          const { step: event, send } = session.receive(await transport.send(next))
          if (event.type === 'request') {
            const answer = await handler(event.request)
            if (answer.method === 'GetParameterValuesResponse') values = answer.parameterList.length
            next = session.respond(answer)
          } else if (event.type === 'end') {
            ok = values === PARAMETERS.length
            next = undefined
          } else if (event.type === 'failed') {
            next = undefined
          } else {
            next = send
          }
        }
      } catch {
        ok = false
      }
      http.close()
      return { ms: performance.now() - started, ok }
    },
    close: () => http.close(),
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[i] as number
}

interface Row {
  readonly auth: boolean
  readonly json: boolean
  readonly record: boolean
  readonly recordBytes: number
  readonly n: number
  readonly perSecond: number
  readonly p50: number
  readonly p99: number
  readonly max: number
  readonly failed: number
  readonly acs: Peak
  readonly acsBase: Peak
  readonly acsCpuMsPerSession: number
  readonly cpe: Peak
  readonly cpeCpuMsPerSession: number
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

async function scenario(child: ChildProcess, n: number, auth: boolean, json = false, record = true): Promise<Row> {
  const started = (await request(child, { cmd: 'start', auth, json, record }, 'started')) as Extract<FromAcs, { type: 'started' }>
  const cpes = Array.from({ length: n }, (_, i) => createCpe(started.url, i, auth))
  collectGarbage()
  const memory = sampler()
  const cpu = process.cpuUsage()
  const t0 = performance.now()
  const results = await Promise.all(cpes.map((c) => c.run()))
  const wall = performance.now() - t0
  const used = process.cpuUsage(cpu)
  const cpe = memory.stop()
  for (const c of cpes) c.close()
  const stopped = (await request(child, { cmd: 'stop' }, 'stopped')) as Extract<FromAcs, { type: 'stopped' }>
  const times = results.map((r) => r.ms).sort((a, b) => a - b)
  return {
    auth,
    json,
    record,
    recordBytes: stopped.recordBytes,
    n,
    perSecond: (n * 1000) / wall,
    p50: percentile(times, 50),
    p99: percentile(times, 99),
    max: times[times.length - 1] ?? Number.NaN,
    failed: results.filter((r) => !r.ok).length + stopped.failed,
    acs: stopped.peak,
    acsBase: { rss: started.rss, heap: started.heap },
    acsCpuMsPerSession: stopped.cpuMs / n,
    cpe,
    cpeCpuMsPerSession: (used.user + used.system) / 1000 / n,
  }
}

const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0)

/** Run the load benchmark and print a table. */
export async function runLoadBench(log: (line: string) => void): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), [], {
    env: { ...process.env, CWMP_LOAD_ACS: '1' },
    execArgv: [...process.execArgv, ...(process.env['CWMP_LOAD_PROF'] ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : [])],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  })
  try {
    const load0 = os.loadavg()[0]?.toFixed(1) ?? '?'
    // Warm-up (JIT, agents), not reported.
    await scenario(child, 50, true)
    await scenario(child, 50, false)
    const rows: Row[] = []
    for (const auth of [false, true]) {
      for (const n of [100, 1000]) rows.push(await scenario(child, n, auth))
    }
    const jsonRow = await scenario(child, 1000, true, true)
    rows.push(jsonRow)
    rows.push(await scenario(child, 1000, true, false, false))
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU'
    log(
      `ACS simulator load: Node ${process.version}, ${os.cpus().length} × ${cpu}; the ACS in its own process; ` +
        `load average before ${load0}, after ${os.loadavg()[0]?.toFixed(1) ?? '?'} (other work on the machine skews the numbers).`,
    )
    log('Each session: Inform, empty POST, GetParameterValues of 10 parameters, 204 (plus 401 + authenticated Inform with Digest).')
    log('')
    log('| CPE→ACS auth, session store, recording | concurrent CPEs | sessions/s | p50 ms | p99 ms | max ms | ACS CPU ms/session | ACS peak RSS MB (idle) | ACS peak heap MB (idle) | CPE side: CPU ms/session, peak RSS MB | failed |')
    log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
    for (const r of rows) {
      log(
        `| ${r.auth ? 'Digest MD5' : 'none'}, ${r.json ? 'JSON text' : 'memory'}, ${r.record ? 'on' : 'off'} | ${r.n} | ${r.perSecond.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.max.toFixed(1)} | ${r.acsCpuMsPerSession.toFixed(2)} | ${mb(r.acs.rss)} (${mb(r.acsBase.rss)}) | ${mb(r.acs.heap)} (${mb(r.acsBase.heap)}) | ${r.cpeCpuMsPerSession.toFixed(2)}, ${mb(r.cpe.rss)} | ${r.failed} |`,
      )
    }
    log('')
    log(`JSON text store: ${jsonRow.recordBytes.toFixed(0)} bytes per session record written on average (JSON.stringify on every request, JSON.parse on every read).`)
  } finally {
    child.disconnect()
  }
}

if (process.env['CWMP_LOAD_ACS'] === '1') void acsProcess()
