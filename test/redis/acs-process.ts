/**
 * One ACS simulator process over Redis, for the multi-process tests and the load benchmark: forked
 * with `--import tsx`, configured by environment (CWMP_REDIS_PORT, CWMP_REDIS_PREFIX, CWMP_SECRET,
 * CWMP_AUTH=digest|none, CWMP_SCRIPT=gpv|none with CWMP_PARAMS names (default 10), CWMP_RECORD=off,
 * CWMP_CR_USER/CWMP_CR_PASSWORD, CWMP_STORE=memory for the in-memory stores, CWMP_BARE=1 for a bare
 * node:http server sending the same session bytes from template strings, CWMP_BARE=work for that server doing
 * Digest, decode and encode too), driven over IPC. Answers `ready` with its URL,
 * then one reply per command (`queue`, `connectionRequest`, `allSessions`, `devices`, `cpu` (user and system ms
 * since the last `cpu`), `memory`, `profile`).
 */
import * as http from 'node:http'
import { Session } from 'node:inspector'
import type { AddressInfo } from 'node:net'
import * as v8 from 'node:v8'
import * as vm from 'node:vm'
import { Redis } from 'ioredis'
import { createAcsSimulator, createDigestServer, decodeEnvelope, encodeEnvelope, type AcsRequest, type AcsSimulatorOptions } from '../../src/index.js'
import { createRedisAcsStores } from '../../src/redis/index.js'

export type ToAcsProcess =
  | { readonly id: number; readonly cmd: 'queue'; readonly deviceKey: string; readonly requests: readonly AcsRequest[] }
  | { readonly id: number; readonly cmd: 'connectionRequest'; readonly deviceKey: string }
  | { readonly id: number; readonly cmd: 'allSessions' }
  | { readonly id: number; readonly cmd: 'devices' }
  | { readonly id: number; readonly cmd: 'cpu' }
  | { readonly id: number; readonly cmd: 'memory' }
  | { readonly id: number; readonly cmd: 'profile'; readonly action: 'start' | 'stop' }
export type FromAcsProcess =
  | { readonly type: 'ready'; readonly url: string; readonly pid: number }
  | { readonly type: 'reply'; readonly id: number; readonly value: unknown }
  | { readonly type: 'error'; readonly id: number; readonly message: string }

/** The names the script asks for: `Device.Bench.P<i>`, CWMP_PARAMS of them. */
export function benchParameters(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `Device.Bench.P${i}`)
}
const PARAMETERS = benchParameters(Number(process.env['CWMP_PARAMS'] ?? 10))

function collectGarbage(): void {
  v8.setFlagsFromString('--expose-gc')
  ;(vm.runInNewContext('gc') as () => void)()
}

/**
 * The bare baseline: a node:http server that sends the bytes of the simulator's session from
 * template strings (401 Digest challenge, InformResponse with the Inform's ID, GetParameterValues,
 * 204) and checks nothing. With `work` (CWMP_BARE=work) it also does the work no ACS can skip, and
 * nothing else: a real Digest challenge and verification (`createDigestServer`), `decodeEnvelope` of
 * each body, `encodeEnvelope` of each answer: the floor under the simulator's CPU per session.
 */
async function bare(work = false): Promise<{ url: string; close(): Promise<void> }> {
  const challenge = 'Digest realm="cwmp-acs", qop="auth", algorithm=MD5, nonce="AAABmPgBQ8sAAAABxqFh0m0Dp7c1s7fWZc4sJQnXh1Y"'
  const informResponse = encodeEnvelope({ version: '1.2', header: { id: '@ID@' }, body: { method: 'InformResponse', maxEnvelopes: 1 } }).split('@ID@')
  const gpv = encodeEnvelope({ version: '1.2', header: { id: '1' }, body: { method: 'GetParameterValues', parameterNames: PARAMETERS } })
  const digest = createDigestServer({ realm: 'cwmp-acs', secret: process.env['CWMP_SECRET'] ?? 'a shared nonce secret of 32 bytes', lookup: ({ username }) => ({ password: `pw-${username}` }) })
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      if (req.headers.cookie === undefined && req.headers.authorization === undefined && process.env['CWMP_AUTH'] !== 'none') {
        const header = work ? (digest.verify({ method: 'POST', uri: req.url ?? '/', authorization: undefined }) as { challenge?: string[] }).challenge?.[0] ?? challenge : challenge
        res.writeHead(401, { 'www-authenticate': header, 'content-length': '0' })
        res.end()
      } else if (body.includes('<cwmp:Inform>')) {
        let id = /<cwmp:ID[^>]*>([^<]*)</.exec(body)?.[1] ?? ''
        if (work) {
          const verdict = digest.verify({ method: 'POST', uri: req.url ?? '/', authorization: req.headers.authorization ?? '' })
          if (!verdict.ok) {
            res.writeHead(401, { 'content-length': '0' })
            res.end()
            return
          }
          id = decodeEnvelope(body).header.id ?? ''
          const text = encodeEnvelope({ version: '1.2', header: { id }, body: { method: 'InformResponse', maxEnvelopes: 1 } })
          res.writeHead(200, { 'content-type': 'text/xml; charset="utf-8"', 'content-length': Buffer.byteLength(text), 'set-cookie': 'cwmpsid=bare; Path=/; HttpOnly' })
          res.end(text)
          return
        }
        const text = `${informResponse[0]}${id}${informResponse[1]}`
        res.writeHead(200, { 'content-type': 'text/xml; charset="utf-8"', 'content-length': Buffer.byteLength(text), 'set-cookie': 'cwmpsid=bare; Path=/; HttpOnly' })
        res.end(text)
      } else if (body.length === 0) {
        const text = work ? encodeEnvelope({ version: '1.2', header: { id: '1' }, body: { method: 'GetParameterValues', parameterNames: PARAMETERS } }) : gpv
        res.writeHead(200, { 'content-type': 'text/xml; charset="utf-8"', 'content-length': Buffer.byteLength(text) })
        res.end(text)
      } else {
        if (work) decodeEnvelope(body)
        res.writeHead(204)
        res.end()
      }
    })
  })
  server.maxConnections = 8192
  await new Promise<void>((resolve) => server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => resolve()))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function main(): Promise<void> {
  if (process.env['CWMP_BARE'] === '1' || process.env['CWMP_BARE'] === 'work') {
    const server = await bare(process.env['CWMP_BARE'] === 'work')
    serve({ url: server.url, close: () => server.close(), queue: async () => undefined, connectionRequest: async () => ({}), allSessions: async () => [], devices: async () => [] })
    return
  }
  const memory = process.env['CWMP_STORE'] === 'memory'
  const redis = memory ? undefined : new Redis({ host: '127.0.0.1', port: Number(process.env['CWMP_REDIS_PORT']) })
  redis?.on('error', () => undefined)
  const options: AcsSimulatorOptions = {
    backlog: 4096,
    ...(redis === undefined ? {} : { stores: createRedisAcsStores(redis, { prefix: process.env['CWMP_REDIS_PREFIX'] ?? 'cwmp:' }) }),
    ...(process.env['CWMP_AUTH'] === 'none' ? {} : { auth: { credentials: (user: string) => `pw-${user}`, secret: process.env['CWMP_SECRET'] ?? 'a shared nonce secret of 32 bytes' } }),
    ...(process.env['CWMP_RECORD'] === 'off' ? { maxMessages: 0 } : {}),
    ...(process.env['CWMP_SCRIPT'] === 'gpv'
      ? { script: (turn) => (turn.last.type === 'empty' ? { method: 'GetParameterValues', parameterNames: PARAMETERS } : undefined) }
      : {}),
    limits: { maxConnections: 8192 },
    ...(process.env['CWMP_CR_PASSWORD'] === undefined
      ? {}
      : { connectionRequest: { username: process.env['CWMP_CR_USER'] ?? 'acs', password: process.env['CWMP_CR_PASSWORD'] } }),
  }
  const sim = await createAcsSimulator(options)
  serve({
    url: sim.url,
    close: async () => {
      await sim.close()
      redis?.disconnect()
    },
    queue: (deviceKey, requests) => sim.queue(deviceKey, ...requests),
    connectionRequest: async (deviceKey) => {
      const outcome = await sim.connectionRequest(deviceKey)
      return { result: outcome.result, status: outcome.status }
    },
    allSessions: () => sim.allSessions(),
    devices: () => sim.devices(),
  })
}

interface Served {
  readonly url: string
  close(): Promise<void>
  queue(deviceKey: string, requests: readonly AcsRequest[]): Promise<unknown>
  connectionRequest(deviceKey: string): Promise<unknown>
  allSessions(): Promise<unknown>
  devices(): Promise<unknown>
}

let inspector: Session | undefined
/** A CPU profile of this process between `start` and `stop` (bench/profile-acs.ts): `stop` answers the profile. */
function profile(action: 'start' | 'stop'): Promise<unknown> {
  inspector ??= new Session()
  const session = inspector
  if (action === 'start') session.connect()
  const post = (method: string, params?: object): Promise<unknown> =>
    new Promise((resolve, reject) => session.post(method, params, (err, result) => (err === null ? resolve(result) : reject(err))))
  if (action === 'start') return post('Profiler.enable').then(() => post('Profiler.setSamplingInterval', { interval: 200 })).then(() => post('Profiler.start'))
  return post('Profiler.stop').then((r) => {
    session.disconnect()
    return (r as { profile: unknown }).profile
  })
}

function serve(s: Served): void {
  const send = (m: FromAcsProcess): void => {
    process.send?.(m)
  }
  let cpu = process.cpuUsage()
  let peakRss = 0
  setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage.rss())
  }, 50).unref()
  process.on('message', (raw) => {
    const msg = raw as ToAcsProcess
    void (async () => {
      try {
        let value: unknown
        if (msg.cmd === 'queue') value = await s.queue(msg.deviceKey, msg.requests)
        else if (msg.cmd === 'connectionRequest') value = await s.connectionRequest(msg.deviceKey)
        else if (msg.cmd === 'allSessions') value = await s.allSessions()
        else if (msg.cmd === 'devices') value = await s.devices()
        else if (msg.cmd === 'profile') value = await profile(msg.action)
        else if (msg.cmd === 'memory') {
          collectGarbage()
          value = { heapUsed: process.memoryUsage().heapUsed, peakRss }
          peakRss = 0
        } else {
          const used = process.cpuUsage(cpu)
          cpu = process.cpuUsage()
          value = { userMs: used.user / 1000, systemMs: used.system / 1000 }
        }
        send({ type: 'reply', id: msg.id, value })
      } catch (err) {
        send({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) })
      }
    })()
  })
  process.on('disconnect', () => {
    void s.close().finally(() => process.exit(0))
  })
  send({ type: 'ready', url: s.url, pid: process.pid })
}

// Started by processes.ts (fork sets CWMP_ACS_PROCESS=1); importing this file runs nothing.
if (process.env['CWMP_ACS_PROCESS'] === '1') void main()
