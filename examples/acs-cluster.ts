/**
 * All the cores of one machine: N ACS simulator processes sharing one port (node:cluster) and one
 * Redis (`cwmp/redis`). The primary forks the workers and forks a new one when one dies; every
 * worker is a whole simulator, and since sessions, devices, queues, locks and Digest nonce counts
 * are in Redis, a CPE's requests may land on any worker (node:cluster hands each new connection to
 * the next worker) and a worker that dies loses nothing.
 *
 *   REDIS_URL=redis://127.0.0.1:6379 CWMP_WORKERS=2 PORT=7547 npx tsx examples/acs-cluster.ts
 *
 * Environment: REDIS_URL (default redis://127.0.0.1:6379), CWMP_WORKERS (default: the number of
 * cores), HOST (default 127.0.0.1), PORT (default 7547), CWMP_PREFIX (Redis key prefix, default
 * `cwmp:`), CWMP_PASSWORD (CPE password; the user name must be the CPE's TR-069 user name
 * OUI-ProductClass-SerialNumber; default: no authentication), CWMP_SECRET (Digest nonce secret,
 * shared by the workers; default: random, made by the primary). Each worker prints
 * `worker <pid> listening on <url>`, and `worker <pid> ended a session` for each session it ends.
 * SIGTERM or SIGINT to the primary stops everything.
 */
import cluster from 'node:cluster'
import { randomBytes } from 'node:crypto'
import * as os from 'node:os'
import { Redis } from 'ioredis'
import { createAcsSimulator, type AcsSimulator } from '../src/index.js'
import { createRedisAcsStores } from '../src/redis/index.js'

const env = process.env

if (cluster.isPrimary) {
  const workers = Number(env['CWMP_WORKERS'] ?? os.availableParallelism())
  // One nonce secret for all the workers, so that each verifies the nonces of the others.
  const secret = env['CWMP_SECRET'] ?? randomBytes(32).toString('base64url')
  let stopping = false
  const fork = (): void => {
    cluster.fork({ CWMP_SECRET: secret })
  }
  for (let i = 0; i < workers; i++) fork()
  cluster.on('exit', (worker, code, signal) => {
    if (stopping) return
    console.log(`worker ${worker.process.pid ?? '?'} died (${signal ?? code}); forking another`)
    fork()
  })
  const stop = (): void => {
    stopping = true
    const alive = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined && !w.isDead())
    if (alive.length === 0) process.exit(0)
    let left = alive.length
    for (const w of alive) {
      w?.once('exit', () => {
        if (--left === 0) process.exit(0)
      })
      w?.process.kill('SIGTERM')
    }
    setTimeout(() => process.exit(0), 5000).unref()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
} else {
  const redis = new Redis(env['REDIS_URL'] ?? 'redis://127.0.0.1:6379')
  redis.on('error', (err) => console.error(`worker ${process.pid}: redis: ${err.message}`))
  const password = env['CWMP_PASSWORD']
  let acs: AcsSimulator | undefined
  const stop = (): void => {
    void (async () => {
      await acs?.close()
      await redis.quit().catch(() => redis.disconnect())
      process.exit(0)
    })()
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', () => undefined) // the primary decides
  acs = await createAcsSimulator({
    host: env['HOST'] ?? '127.0.0.1',
    port: Number(env['PORT'] ?? 7547),
    stores: createRedisAcsStores(redis, { prefix: env['CWMP_PREFIX'] ?? 'cwmp:' }),
    ...(password === undefined ? {} : { auth: { password, authorize: 'cpe-username' as const, secret: env['CWMP_SECRET'] as string } }),
    // Keep nothing in memory; tell when this worker ends a session (its 204).
    maxMessages: 0,
    log: (m) => {
      if (m.direction === 'out' && m.status === 204 && m.sessionId !== undefined) console.log(`worker ${process.pid} ended a session`)
    },
  })
  console.log(`worker ${process.pid} listening on ${acs.url}`)
}
