/**
 * `npm run bench -- fleet` (issue 13): `cwmp fleet` with 1,000 and 10,000 CPEs, each in a process
 * of its own, against the ACS simulator in another process (bench/fleet-acs.ts), both on this
 * machine. Each row: sessions per second, session p50 / p99, the fleet's RSS and CPU seconds, the
 * simulator's CPU seconds, and the fleet's CPU per session against the simulator's (the ratio says
 * which side the load test is bounded by). The shared keep-alive pool (`--connection shared`) and a
 * connection per session (`--connection session`) are run in the same run, interleaved.
 * `CWMP_FLEET_SIZES` (default `1000,10000`) changes the sizes; raise `ulimit -n` above 2 × CPEs.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const BIN = fileURLToPath(new URL('../src/cli/bin.ts', import.meta.url))
const ACS = fileURLToPath(new URL('./fleet-acs.ts', import.meta.url))

interface Summary {
  readonly sessions: { readonly ok: number; readonly failed: number; readonly perSecond: number }
  readonly latencyMs: { readonly p50: number; readonly p99: number }
  readonly httpRequests: number
  readonly rssBytes: number
  readonly cpuSeconds: number
  readonly failures: { readonly byKind: Record<string, number> }
}

async function startAcs(): Promise<{ url: string; stop: () => Promise<{ cpuSeconds: number; rssBytes: number }> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', ACS], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (b: Buffer) => (out += b.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulator did not start')), 30_000)
    child.stdout.on('data', () => {
      const line = out.split('\n')[0]
      if (out.includes('\n') && line !== undefined) {
        clearTimeout(timer)
        resolve(line)
      }
    })
  })
  return {
    url,
    stop: () =>
      new Promise((resolve) => {
        child.on('exit', () => resolve(JSON.parse(out.split('\n')[1] ?? '{}') as { cpuSeconds: number; rssBytes: number }))
        child.stdin.end()
      }),
  }
}

function fleet(args: readonly string[]): Promise<Summary> {
  const child = spawn(process.execPath, ['--import', 'tsx', BIN, 'fleet', ...args, '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
  let out = ''
  child.stdout.on('data', (b: Buffer) => (out += b.toString()))
  return new Promise((resolve, reject) =>
    child.on('exit', (code) => {
      try {
        resolve(JSON.parse(out) as Summary)
      } catch {
        reject(new Error(`cwmp fleet exited ${String(code)} without a summary: ${out}`))
      }
    }),
  )
}

export async function runFleetBench(log: (line: string) => void): Promise<void> {
  const sizes = (process.env['CWMP_FLEET_SIZES'] ?? '1000,10000').split(',').map(Number)
  log('fleet: cwmp fleet (its own process) against the ACS simulator (another process), Digest, loopback')
  log('  CPEs    mode      sessions  failed  sessions/s  p50 ms   p99 ms    fleet RSS  fleet CPU s  ACS CPU s  fleet/ACS CPU')
  for (const n of sizes) {
    // Ramp-up in 2 to 10 s, then periodic Informs every n/500 s, at least 5 s (offered: 200 sessions/s for 1,000
    // CPEs, 500/s for 10,000, above what the simulator sustains), 40 s in all.
    const rate = Math.max(500, n / 10)
    const interval = Math.max(5, n / 500)
    for (const mode of ['shared', 'session'] as const) {
      const acs = await startAcs()
      const s = await fleet([
        '--acs', acs.url, '--cpes', String(n), '--password', 'bench-pw', '--rate', String(rate),
        '--interval', String(interval), '--jitter', String(interval / 10), '--duration', '40', '--connection', mode,
      ])
      const a = await acs.stop()
      const sessions = s.sessions.ok + s.sessions.failed
      log(
        `  ${String(n).padStart(6)}  ${mode.padEnd(8)}  ${String(sessions).padStart(8)}  ${String(s.sessions.failed).padStart(6)}  ` +
          `${s.sessions.perSecond.toFixed(1).padStart(10)}  ${s.latencyMs.p50.toFixed(1).padStart(7)}  ${s.latencyMs.p99.toFixed(1).padStart(7)}  ` +
          `${`${Math.round(s.rssBytes / 1048576)} MiB`.padStart(9)}  ${s.cpuSeconds.toFixed(1).padStart(11)}  ${a.cpuSeconds.toFixed(1).padStart(9)}  ` +
          `${(s.cpuSeconds / a.cpuSeconds).toFixed(2).padStart(13)}`,
      )
      if (s.sessions.failed > 0) log(`          failures: ${JSON.stringify(s.failures.byKind)}`)
    }
  }
}
