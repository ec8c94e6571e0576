/**
 * examples/acs-cluster.ts, the documented way to use all the cores of one machine: node:cluster
 * workers sharing one port and one real redis-server. CPEs on new connections are spread over the
 * workers; a worker killed with SIGKILL is replaced and, once the primary has seen the crash, no CPE
 * session fails meanwhile.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { cleanup, createTestCpe } from '../acs/helpers.js'
import { findRedisServer, freePort, startRedisServer, type RedisServer } from './redis-server.js'

const binary = findRedisServer()
const reason = binary === undefined ? ' (skipped: redis-server not found on PATH; .ci/run installs it)' : ''
const EXAMPLE = fileURLToPath(new URL('../../examples/acs-cluster.ts', import.meta.url))

let redis: RedisServer | undefined
let primary: ChildProcess | undefined
let output = ''
const waiters: (() => void)[] = []

beforeAll(async () => {
  if (binary !== undefined) redis = await startRedisServer(binary)
}, 60_000)
afterAll(async () => {
  if (primary !== undefined && primary.exitCode === null) {
    const exited = new Promise((r) => primary?.once('exit', r))
    primary.kill('SIGTERM')
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
  }
  await cleanup([])
  await redis?.stop()
}, 60_000)

/** Wait (bounded) until the cluster's output satisfies `test`. */
function until(test: (out: string) => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} not within 30 s; output:\n${output}`)), 30_000)
    const check = (): void => {
      if (test(output)) {
        clearTimeout(timer)
        resolve()
      } else waiters.push(check)
    }
    check()
  })
}

const listening = (out: string): string[] => [...out.matchAll(/worker (\d+) listening/g)].map((m) => m[1] as string)

describe.skipIf(binary === undefined)(`examples/acs-cluster.ts: node:cluster workers over Redis${reason}`, () => {
  it('two workers share the port and the sessions; a worker killed with SIGKILL is replaced and no session fails', async () => {
    const port = await freePort()
    primary = spawn(process.execPath, ['--import', 'tsx', EXAMPLE], {
      env: { ...process.env, REDIS_URL: (redis as RedisServer).url, CWMP_WORKERS: '2', PORT: String(port), CWMP_PREFIX: 'cluster:', CWMP_PASSWORD: 'fleet-pw' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    primary.stdout?.on('data', (c: Buffer) => {
      output += c.toString()
      for (const w of waiters.splice(0)) w()
    })
    await until((o) => listening(o).length >= 2, 'two workers listening')
    const url = `http://127.0.0.1:${port}/`
    const session = (i: number) =>
      createTestCpe({ url, serialNumber: `CL${i}`, username: `AABBCC-SampleGateway-CL${i}`, password: 'fleet-pw' }).run(['2 PERIODIC'])

    const first = await Promise.all(Array.from({ length: 40 }, (_, i) => session(i)))
    expect(first.filter((r) => r.outcome !== 'end')).toEqual([])
    await until((o) => (o.match(/ended a session/g) ?? []).length >= 40, '40 sessions ended')
    const byWorker = new Map<string, number>()
    for (const m of output.matchAll(/worker (\d+) ended a session/g)) byWorker.set(m[1] as string, (byWorker.get(m[1] as string) ?? 0) + 1)
    expect(byWorker.size).toBe(2)

    // A crash: once the primary has seen it, the other worker serves meanwhile and the primary forks
    // a replacement. (A connection node:cluster hands to the victim in the instant it dies, before the
    // primary sees the exit, is lost by node:cluster itself and the CPE times out: docs/acs-scaling.md.)
    const [victim] = listening(output)
    process.kill(Number(victim), 'SIGKILL')
    await until((o) => o.includes(`worker ${victim} died`), 'the primary seeing the crash')
    const during = await Promise.all(Array.from({ length: 20 }, (_, i) => session(100 + i)))
    expect(during.filter((r) => r.outcome !== 'end')).toEqual([])
    await until((o) => listening(o).length >= 3, 'a replacement worker listening')
    const after = await Promise.all(Array.from({ length: 20 }, (_, i) => session(200 + i)))
    expect(after.filter((r) => r.outcome !== 'end')).toEqual([])
  })
})
