/**
 * A real redis-server for the tests: started on 127.0.0.1 on a free port with its own temporary
 * directory (no persistence), stopped by its PID. `findRedisServer()` says where the binary is, or
 * undefined (the tests then skip and say why; `.ci/run` installs Debian's redis-server).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs'
import * as net from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { Redis } from 'ioredis'

export function findRedisServer(): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/bin', '/usr/local/bin', '/usr/sbin']
  for (const dir of dirs) {
    if (dir === '') continue
    const candidate = join(dir, 'redis-server')
    try {
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      // not here
    }
  }
  return undefined
}

/** A free TCP port on 127.0.0.1 (free when asked: bound and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port
      server.close(() => resolve(port))
    })
  })
}

export interface RedisServer {
  readonly port: number
  readonly url: string
  readonly pid: number
  /** A new client (closed by stop()). */
  client(): Redis
  stop(): Promise<void>
}

export async function startRedisServer(binary: string): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cwmp-redis-'))
  const port = await freePort()
  const child: ChildProcess = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const clients: Redis[] = []
  const client = (): Redis => {
    const c = new Redis({ host: '127.0.0.1', port, lazyConnect: false, maxRetriesPerRequest: 3, enableOfflineQueue: true })
    c.on('error', () => undefined)
    clients.push(c)
    return c
  }
  // Ready once it answers PING (bounded: 100 tries, 50 ms apart).
  const probe = client()
  let ready = false
  for (let i = 0; i < 100 && !ready; i++) {
    try {
      ready = (await probe.ping()) === 'PONG'
    } catch {
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  if (!ready) {
    child.kill('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
    throw new Error(`redis-server did not answer on port ${port}: ${stderr}`)
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid as number,
    client,
    async stop() {
      await Promise.all(clients.splice(0).map((c) => c.quit().catch(() => c.disconnect())))
      if (child.exitCode === null) process.kill(child.pid as number, 'SIGTERM')
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))])
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid as number, 'SIGKILL')
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
