/**
 * Load benchmark (issues 4 and 12): N simulated CPEs at once against ACS processes over loopback
 * HTTP, each CPE doing one whole session with Digest: Inform, 401, authenticated Inform, empty
 * POST, a GetParameterValues of P parameters, 204. Same CPE code, same run, for:
 *
 * - **bare node:http**: a server that sends the same session bytes from template strings and
 *   checks nothing (the floor: what node:http and the sockets cost);
 * - **memory / 1 process**: the simulator with its in-memory stores, recording off (and on);
 * - **Redis / 1 process**, **Redis / 2 processes**: the simulator over `cwmp/redis` on a real
 *   redis-server (skipped when none is found), two processes behind a balancer that sends every
 *   request to the next one.
 *
 * The ACS runs in child processes (test/redis/acs-process.ts), so their CPU (`process.cpuUsage`)
 * and memory are their own; the CPEs run here. ACS CPU per session is the number to compare; the
 * redis-server's CPU is shown apart. Rows alternate bare / simulator so that both see the same
 * machine load. Run: `npm run bench -- load`. `CWMP_LOAD_CPES` (default 1000) and
 * `CWMP_LOAD_ROUNDS` (default 2) change the size; raise `ulimit -n` above 2 × CPEs.
 */
import { readFileSync } from 'node:fs'
import * as os from 'node:os'
import * as v8 from 'node:v8'
import * as vm from 'node:vm'
import { composeTransport, createHttpTransport, withAuth, withCookies, type Transport } from '../src/index.js'
import { balancer, LB, startAcsProcess, type AcsProcess } from '../test/redis/processes.js'
import { loadDevice, runCpeSession } from './cpe-session.js'
import { findRedisServer, startRedisServer, type RedisServer } from '../test/redis/redis-server.js'
import { median } from './stats.js'

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc')
  ;(vm.runInNewContext('gc') as () => void)()
}

/** CPU ms used so far by a process (utime + stime from /proc), or NaN. */
function procCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    const ticks = Number(fields[11]) + Number(fields[12])
    return (ticks * 1000) / 100
  } catch {
    return Number.NaN
  }
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number
}

interface Row {
  readonly label: string
  readonly params: number
  readonly n: number
  readonly perSecond: number
  readonly p50: number
  readonly p99: number
  readonly failed: number
  readonly acsCpuMs: number
  /** The part of acsCpuMs spent in the kernel (sockets). */
  readonly acsSystemCpuMs: number
  readonly redisCpuMs: number
  readonly acsPeakRssMb: number
}

interface Setup {
  readonly label: string
  readonly env: Record<string, string>
  readonly processes: number
  readonly redis: boolean
}

async function scenario(setup: Setup, n: number, params: number, redis: RedisServer | undefined, prefix: string, profile?: (p: unknown) => void): Promise<Row> {
  const env = { CWMP_SCRIPT: 'gpv', CWMP_PARAMS: String(params), CWMP_REDIS_PREFIX: prefix, ...(redis === undefined ? {} : { CWMP_REDIS_PORT: String(redis.port) }), ...setup.env }
  const procs = await Promise.all(Array.from({ length: setup.processes }, () => startAcsProcess(env)))
  try {
    const transportFor = (): { t: Transport; url: string; close(): void } => {
      if (procs.length === 1) {
        const http = createHttpTransport({ timeoutMs: 120_000 })
        return { t: http, url: (procs[0] as AcsProcess).url, close: () => http.close() }
      }
      const lb = balancer(procs)
      return { t: lb, url: LB, close: () => lb.close() }
    }
    const runAll = async (count: number, offset: number): Promise<{ ms: number; ok: boolean }[]> => {
      const cpes = Array.from({ length: count }, (_, i) => {
        const base = transportFor()
        const { username, password } = loadDevice(offset + i)
        return { base, t: composeTransport(base.t, withAuth({ username, password }), withCookies()) }
      })
      const results = await Promise.all(cpes.map((c, i) => runCpeSession(c.t, c.base.url, offset + i, params)))
      for (const c of cpes) c.base.close()
      return results
    }
    // Warm-up (JIT, connections), not counted: CWMP_LOAD_WARMUP sessions (default 50).
    await runAll(Number(process.env['CWMP_LOAD_WARMUP'] ?? 50), 900_000)
    await Promise.all(procs.map((p) => p.call({ cmd: 'memory' })))
    await Promise.all(procs.map((p) => p.call({ cmd: 'cpu' })))
    const redis0 = redis === undefined ? 0 : procCpuMs(redis.pid)
    collectGarbage()
    if (profile !== undefined) await (procs[0] as AcsProcess).call({ cmd: 'profile', action: 'start' })
    const t0 = performance.now()
    const results = await runAll(n, 0)
    const wall = performance.now() - t0
    if (profile !== undefined) profile(await (procs[0] as AcsProcess).call({ cmd: 'profile', action: 'stop' }))
    const used = await Promise.all(procs.map((p) => p.call<{ userMs: number; systemMs: number }>({ cmd: 'cpu' })))
    const cpu = used.reduce((a, u) => a + u.userMs + u.systemMs, 0)
    const systemCpu = used.reduce((a, u) => a + u.systemMs, 0)
    const redisCpu = redis === undefined ? Number.NaN : procCpuMs(redis.pid) - redis0
    const memory = await Promise.all(procs.map((p) => p.call<{ peakRss: number }>({ cmd: 'memory' })))
    const times = results.map((r) => r.ms).sort((a, b) => a - b)
    return {
      label: setup.label,
      params,
      n,
      perSecond: (n * 1000) / wall,
      p50: percentile(times, 50),
      p99: percentile(times, 99),
      failed: results.filter((r) => !r.ok).length,
      acsCpuMs: cpu / n,
      acsSystemCpuMs: systemCpu / n,
      redisCpuMs: redisCpu / n,
      acsPeakRssMb: Math.max(...memory.map((m) => m.peakRss)) / 1024 / 1024,
    }
  } finally {
    await Promise.all(procs.map((p) => p.stop()))
  }
}


/**
 * One scenario by name, for bench/profile-acs.ts: `bare`, `floor` (bare plus Digest, decode and encode),
 * `memory` (recording off) or `redis`.
 *
 * @param kind - which ACS
 * @param n - CPEs
 * @param params - parameters per GetParameterValues
 * @param profile - given the ACS process's CPU profile of the measured run (not the warm-up)
 */
export async function runOneScenario(kind: string, n: number, params: number, profile?: (p: unknown) => void): Promise<Row> {
  const binary = kind === 'redis' ? findRedisServer() : undefined
  const redis = binary === undefined ? undefined : await startRedisServer(binary)
  const env: Record<string, string> = kind === 'bare' ? { CWMP_BARE: '1' } : kind === 'floor' ? { CWMP_BARE: 'work' } : kind === 'memory' ? { CWMP_STORE: 'memory', CWMP_RECORD: 'off' } : { CWMP_RECORD: 'off' }
  try {
    return await scenario({ label: kind, env, processes: 1, redis: redis !== undefined }, n, params, redis, 'prof:', profile)
  } finally {
    await redis?.stop()
  }
}

/** Run the load benchmark and print a table. */
export async function runLoadBench(log: (line: string) => void): Promise<void> {
  const n = Number(process.env['CWMP_LOAD_CPES'] ?? 1000)
  const rounds = Number(process.env['CWMP_LOAD_ROUNDS'] ?? 2)
  const binary = findRedisServer()
  const redis = binary === undefined ? undefined : await startRedisServer(binary)
  const load0 = os.loadavg()[0]?.toFixed(1) ?? '?'
  const bare: Setup = { label: 'bare node:http (template strings)', env: { CWMP_BARE: '1' }, processes: 1, redis: false }
  const floor: Setup = { label: 'bare node:http + Digest, decode, encode (the floor)', env: { CWMP_BARE: 'work' }, processes: 1, redis: false }
  const memoryOff: Setup = { label: 'simulator, memory, 1 process, recording off', env: { CWMP_STORE: 'memory', CWMP_RECORD: 'off' }, processes: 1, redis: false }
  const memoryOn: Setup = { label: 'simulator, memory, 1 process, recording on', env: { CWMP_STORE: 'memory' }, processes: 1, redis: false }
  const redis1: Setup = { label: 'simulator, Redis, 1 process, recording off', env: { CWMP_RECORD: 'off' }, processes: 1, redis: true }
  const redis2: Setup = { label: 'simulator, Redis, 2 processes, recording off', env: { CWMP_RECORD: 'off' }, processes: 2, redis: true }
  const plan: [Setup, number][] = []
  for (let r = 0; r < rounds; r++) {
    for (const params of [10, 1000]) {
      plan.push([bare, params], [floor, params], [memoryOff, params])
    }
    plan.push([memoryOn, 10])
    if (redis !== undefined) plan.push([bare, 10], [redis1, 10], [bare, 10], [redis2, 10])
  }
  const rows: Row[] = []
  try {
    let prefix = 0
    for (const [setup, params] of plan) rows.push(await scenario(setup, n, params, setup.redis ? redis : undefined, `load${++prefix}:`))
  } finally {
    await redis?.stop()
  }
  log(
    `ACS load: Node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown CPU'}; ${n} CPEs at once, Digest, ` +
      `${rounds} rounds interleaved; load average before ${load0}, after ${os.loadavg()[0]?.toFixed(1) ?? '?'} (other work on the machine skews the numbers).` +
      (redis === undefined ? ' redis-server not found: no Redis rows.' : ''),
  )
  log('Each session: Inform, 401, authenticated Inform, empty POST, GetParameterValues of P parameters, 204. Medians over the rounds.')
  log('')
  log('| ACS | P | sessions/s | p50 ms | p99 ms | ACS CPU ms/session | of which kernel | × bare | redis-server CPU ms/session | ACS peak RSS MB | failed |')
  log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|')
  const groups = new Map<string, Row[]>()
  for (const r of rows) groups.set(`${r.label}|${r.params}`, [...(groups.get(`${r.label}|${r.params}`) ?? []), r])
  const bareCpu = new Map<number, number>()
  for (const [key, rs] of groups) if (key.startsWith(bare.label)) bareCpu.set(rs[0]?.params ?? 0, median(rs.map((r) => r.acsCpuMs)))
  for (const rs of groups.values()) {
    const r = rs[0] as Row
    const cpu = median(rs.map((x) => x.acsCpuMs))
    const base = bareCpu.get(r.params) ?? Number.NaN
    const redisCpu = median(rs.map((x) => x.redisCpuMs))
    log(
      `| ${r.label} | ${r.params} | ${median(rs.map((x) => x.perSecond)).toFixed(0)} | ${median(rs.map((x) => x.p50)).toFixed(0)} | ${median(rs.map((x) => x.p99)).toFixed(0)} | ` +
        `${cpu.toFixed(2)} | ${median(rs.map((x) => x.acsSystemCpuMs)).toFixed(2)} | ${r.label === bare.label ? '1' : (cpu / base).toFixed(2)} | ${Number.isNaN(redisCpu) ? '–' : redisCpu.toFixed(2)} | ${median(rs.map((x) => x.acsPeakRssMb)).toFixed(0)} | ${rs.reduce((a, x) => a + x.failed, 0)} |`,
    )
  }
  const floorCpu = new Map<number, number>()
  for (const [key, rs] of groups) if (key.startsWith(floor.label)) floorCpu.set(rs[0]?.params ?? 0, median(rs.map((r) => r.acsCpuMs)))
  for (const params of floorCpu.keys()) {
    const sim = groups.get(`${memoryOff.label}|${params}`)
    if (sim === undefined) continue
    const f = floorCpu.get(params) as number
    const b = bareCpu.get(params) ?? Number.NaN
    log('')
    log(
      `P=${params}: the floor (node:http with the Digest, decode and encode an ACS cannot skip) is ${(f / b).toFixed(2)}× bare; ` +
        `the simulator (memory, recording off) is ${(median(sim.map((x) => x.acsCpuMs)) / f).toFixed(2)}× the floor.`,
    )
  }
  log('')
  log('Per round, ACS CPU ms/session in run order: ' + rows.map((r) => `${r.label.replace('simulator, ', '').replace(', recording off', '')} P=${r.params}: ${r.acsCpuMs.toFixed(2)}`).join('; '))
}
