/**
 * N simulator processes over one Redis (acs-process.ts), and a balancer in front of them that sends
 * every HTTP request to the next live process in turn, as a proxy without affinity would.
 */
import { fork, type ChildProcess } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createHttpTransport, type HttpTransport, type Transport } from '../../src/index.js'
import type { FromAcsProcess, ToAcsProcess } from './acs-process.js'

type Command = ToAcsProcess extends infer C ? (C extends { readonly id: number } ? Omit<C, 'id'> : never) : never

export interface AcsProcess {
  readonly url: string
  readonly pid: number
  readonly child: ChildProcess
  alive: boolean
  call<T>(command: Command): Promise<T>
  /** SIGKILL, no clean-up: what a crash does. */
  kill(): Promise<void>
  stop(): Promise<void>
}

const SCRIPT = fileURLToPath(new URL('./acs-process.ts', import.meta.url))

/**
 * The ACS process runs acs-process.ts through tsx, or, with CWMP_ACS_BUNDLE=1, a bundle of it built
 * once per run with esbuild (as a user's built code runs: no per-module transform, no `__name`
 * wrappers, real function names and lines in a CPU profile).
 */
let bundled: Promise<string> | undefined
async function acsScript(): Promise<{ readonly script: string; readonly loader: string[] }> {
  if (process.env['CWMP_ACS_BUNDLE'] !== '1') return { script: SCRIPT, loader: ['--import', 'tsx'] }
  bundled ??= (async () => {
    const { build } = await import('esbuild')
    // Inside the checkout, so that the bundle's `saxes` and `ioredis` resolve from its node_modules.
    const outfile = fileURLToPath(new URL(`../../node_modules/.cache/cwmp-bench/acs-process-${process.pid}.mjs`, import.meta.url))
    await build({ entryPoints: [SCRIPT], bundle: true, platform: 'node', format: 'esm', outfile, external: ['saxes', 'ioredis'], logLevel: 'error' })
    const { rmSync } = await import('node:fs')
    process.once('exit', () => rmSync(outfile, { force: true }))
    return outfile
  })()
  return { script: await bundled, loader: [] }
}

export async function startAcsProcess(env: Record<string, string>): Promise<AcsProcess> {
  const { script, loader } = await acsScript()
  const child = fork(script, [], { execArgv: [...loader, ...(process.env['CWMP_PROF_DIR'] === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${process.env['CWMP_PROF_DIR']}`])], env: { ...process.env, CWMP_ACS_PROCESS: '1', ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  let next = 0
  const ready = await new Promise<Extract<FromAcsProcess, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the ACS process did not start within 30 s')), 30_000)
    child.on('message', (raw) => {
      const m = raw as FromAcsProcess
      if (m.type === 'ready') {
        clearTimeout(timer)
        resolve(m)
      } else {
        const p = pending.get(m.id)
        pending.delete(m.id)
        if (m.type === 'reply') p?.resolve(m.value)
        else p?.reject(new Error(m.message))
      }
    })
    child.once('exit', (code) => reject(new Error(`the ACS process exited (${String(code)})`)))
  })
  const handle: AcsProcess = {
    url: ready.url,
    pid: ready.pid,
    child,
    alive: true,
    call<T>(command: Command): Promise<T> {
      const id = ++next
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: (v) => resolve(v as T), reject })
        child.send({ ...command, id })
      })
    },
    async kill() {
      handle.alive = false
      child.kill('SIGKILL')
      await exited
    },
    async stop() {
      if (!handle.alive) return
      handle.alive = false
      child.disconnect()
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
  return handle
}

/** The balancer's address, rewritten to a process's on every request. */
export const LB = 'http://acs.balancer.test/'

export interface Balancer extends Transport {
  /** Which process each request went to, in order. */
  readonly sentTo: number[]
  close(): void
}

/**
 * A transport for one CPE: each request to the next live process in turn (round robin, shared
 * counter so that consecutive requests of a session alternate), kept-alive connections per process.
 */
export function balancer(processes: readonly AcsProcess[], counter: { n: number } = { n: 0 }): Balancer {
  const http: HttpTransport[] = processes.map(() => createHttpTransport({ timeoutMs: 60_000 }))
  const sentTo: number[] = []
  return {
    sentTo,
    async send(req) {
      for (let tries = 0; tries < processes.length; tries++) {
        const i = counter.n++ % processes.length
        const target = processes[i] as AcsProcess
        if (!target.alive) continue
        sentTo.push(i)
        return (http[i] as HttpTransport).send({ ...req, url: req.url.replace(LB, target.url) })
      }
      throw new Error('no live ACS process')
    },
    close() {
      for (const h of http) h.close()
    },
  }
}
