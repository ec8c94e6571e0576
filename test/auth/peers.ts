// Helpers for the tests that talk to real peers (curl, lighttpd) on 127.0.0.1.
import { execFile, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import http from 'node:http'
import net from 'node:net'

/** Absolute path of a tool on PATH (or in the sbin directories Debian uses for daemons), or undefined. */
export function findTool(name: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' })
  const found = r.status === 0 ? r.stdout.trim() : ''
  if (found !== '') return found
  for (const dir of ['/usr/sbin', '/sbin', '/usr/local/sbin']) {
    if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`
  }
  return undefined
}

/** First line of `tool <flag>` output. */
export function toolVersionLine(tool: string, flag: string): string {
  const r = spawnSync(tool, [flag], { encoding: 'utf8' })
  return `${r.stdout}${r.stderr}`.split('\n')[0]?.trim() ?? ''
}

/** Parse "x.y.z" out of a version line into a comparable triple. */
export function versionOf(line: string): [number, number, number] {
  const m = /(\d+)\.(\d+)\.(\d+)/.exec(line)
  return m === null ? [0, 0, 0] : [Number(m[1]), Number(m[2]), Number(m[3])]
}

/** a >= b for version triples. */
export function atLeast(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0)
  }
  return true
}

/** Run a command asynchronously (the test's own HTTP server must keep serving meanwhile). */
export function run(cmd: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'utf8', timeout: 30_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1
      resolve({ code, stdout, stderr })
    })
  })
}

/** Listen on 127.0.0.1 and a free port. */
export function listen(server: http.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address()
      if (addr === null || typeof addr === 'string') reject(new Error('no port'))
      else resolve(addr.port)
    })
  })
}

/** A free TCP port on 127.0.0.1 (for a child process to bind). */
export async function freePort(): Promise<number> {
  const s = net.createServer()
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  const addr = s.address()
  await new Promise<void>((resolve) => s.close(() => resolve()))
  if (addr === null || typeof addr === 'string') throw new Error('no port')
  return addr.port
}

/** Wait until something accepts TCP connections on the port (readiness, not a timed assertion). */
export async function waitForPort(port: number, isAlive: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (!isAlive()) throw new Error('the server process exited')
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1')
      sock.once('connect', () => {
        sock.destroy()
        resolve(true)
      })
      sock.once('error', () => resolve(false))
    })
    if (ok) return
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`nothing listens on port ${port}`)
}

/** One HTTP request with Node's client (a fresh connection each time). */
export function request(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => {
          body += c
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', reject)
    req.end(options.body)
  })
}
