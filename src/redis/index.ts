/**
 * `cwmp/redis`: the ACS simulator's shared state in Redis, so that several simulator processes (on
 * one machine or many) act as one ACS: any instance continues any session, queues a request, sends a
 * device's Connection Request and lists devices and sessions, and an instance that dies loses nothing.
 *
 * Built on a client you pass in (`ioredis`, an optional peer dependency of `cwmp`); nothing here
 * opens a connection. Keys, under `prefix` (default `cwmp:`):
 *
 * | key | type | holds |
 * |---|---|---|
 * | `s:<sessionId>` | hash `v` (version), `r` (record JSON) | a session record, `PEXPIRE`d by each write; written only by a Lua compare-and-set on `v` |
 * | `sessions` | sorted set (time of the first write) | session ids, for `allSessions()`; ids whose record expired are dropped when listed |
 * | `d:<deviceKey>` | hash | a device: DeviceId, last Inform time and events, ConnectionRequestURL and credentials, `open` (its open session; cleared by a Lua compare-and-delete) |
 * | `devices` | sorted set (last Inform time) | device keys, for `devices()` |
 * | `q:<deviceKey>` | list | queued requests (JSON); taken all at once by a Lua `LRANGE` + `DEL` |
 * | `l:<key>` | string | a lock: a random token, `SET NX PX` (a lease), released by a Lua compare-and-delete |
 * | `n:<nonce>` | string | the highest Digest nonce count seen, raised by a Lua compare-and-increase, expiring with the nonce |
 *
 * Every key of one script is either one key or a key and its index, so a single Redis (or a
 * primary with replicas) is what this is for, not Redis Cluster.
 *
 * @module
 */

import { createHash, randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { TimeoutError } from '../errors.js'
import type { DigestNonceCounter, DigestNonceUse } from '../auth/nonce-store.js'
import type { AcsDeviceRecord, DeviceStore } from '../acs/device-registry.js'
import { createMemoryLocks, type AcsLocks } from '../acs/keyed-lock.js'
import type { RequestQueueStore } from '../acs/request-queues.js'
import type { SessionStore, StoredAcsSession, VersionedSession } from '../acs/session-store.js'
import type { AcsStores } from '../acs/stores.js'
import type { AcsRequest } from '../types/messages.js'
import type { DeviceIdStruct } from '../types/structs.js'
import { ConfigError } from '../errors.js'

/**
 * Options of {@link createRedisAcsStores}.
 *
 * @category ACS simulator
 */
export interface RedisAcsStoresOptions {
  /** Prefix of every key. Default `cwmp:`. Give each simulator fleet (or test) its own. */
  readonly prefix?: string
  /**
   * How long a lock is held at most (its lease, ms): the lock of a process that died mid-request
   * is free again after this. Default 10 s.
   */
  readonly lockLeaseMs?: number
  /** How long to wait for a lock before giving up (the request then gets 500). Default 15 s. */
  readonly lockWaitMs?: number
  /** Forget a device not heard from for this long (ms). Default: never. */
  readonly deviceTtlMs?: number
  /** Clock, ms since the epoch (nonce count expiry). Default `Date.now`. */
  readonly now?: () => number
}

/**
 * The stores {@link createRedisAcsStores} returns: all of {@link AcsStores}, nonce counts included.
 *
 * @category ACS simulator
 */
export interface RedisAcsStores extends AcsStores {
  /** Digest nonce counts shared by every instance: a replayed Authorization is refused on all of them. */
  readonly nonces: DigestNonceCounter
}

/** A Lua script run by EVALSHA, loaded with EVAL when Redis does not know it yet. */
interface Script {
  readonly text: string
  readonly sha: string
}

function script(text: string): Script {
  return { text, sha: createHash('sha1').update(text).digest('hex') }
}

const CAS = script(`
local v = redis.call('HGET', KEYS[1], 'v')
if (v or '') ~= ARGV[1] then return false end
local nv = (tonumber(v) or 0) + 1
redis.call('HSET', KEYS[1], 'v', nv, 'r', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
if not v then
  redis.call('ZADD', KEYS[2], ARGV[4], ARGV[5])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[6])
end
return nv
`)

const LEARNT = script(`
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
for i = 1, #ARGV, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
return 1
`)

const CLOSE_SESSION = script(`
if redis.call('HGET', KEYS[1], 'open') == ARGV[1] then redis.call('HDEL', KEYS[1], 'open') return 1 end
return 0
`)

const TAKE_ALL = script(`
local items = redis.call('LRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return items
`)

const RELEASE = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

const RAISE_NC = script(`
local seen = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) <= seen then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`)

/** How far back the session index keeps ids whose records may still exist (a day). */
const SESSION_INDEX_MS = 24 * 60 * 60 * 1000
/** Nonce counts are kept this long past the nonce's expiry, for clocks of instances that differ. */
const NONCE_SKEW_MS = 60_000

/** The client methods the stores call. */
const REDIS_METHODS = ['evalsha', 'eval', 'hmget', 'hgetall', 'lrange', 'zrange', 'set', 'multi', 'pipeline'] as const

function positive(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < 1) throw new ConfigError(field, 'an integer ≥ 1', value)
  return value
}

/**
 * The simulator's stores over one Redis: pass the result as `stores` to `createAcsSimulator` in
 * every process, with the same `prefix`, and the same `auth.secret` for Digest nonces.
 *
 * @param redis - an `ioredis` client (not in subscriber mode); the caller opens and closes it
 * @param options - key prefix, lock lease and wait, device expiry
 * @returns the stores
 * @throws `ConfigError` (`ERR_CWMP_CONFIG_INVALID`, from `cwmp`) naming `redis` when it is not a
 *   client with the methods the stores call, or the option out of its rule
 * @category ACS simulator
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * import { createAcsSimulator } from 'cwmp'
 * import { createRedisAcsStores } from 'cwmp/redis'
 *
 * const redis = new Redis(process.env.REDIS_URL!)
 * const acs = await createAcsSimulator({
 *   port: 7547,
 *   stores: createRedisAcsStores(redis, { prefix: 'acs1:' }),
 *   auth: { credentials: lookupPassword, secret: process.env.NONCE_SECRET! },
 * })
 * ```
 */
export function createRedisAcsStores(redis: Redis, options: RedisAcsStoresOptions = {}): RedisAcsStores {
  // The shape first, so that a JavaScript caller gets the argument named, not a TypeError later.
  const client = redis as unknown as Record<string, unknown> | null
  if (typeof client !== 'object' || client === null || REDIS_METHODS.some((m) => typeof client[m] !== 'function')) {
    throw new ConfigError('redis', `an ioredis client (with ${REDIS_METHODS.join(', ')})`, typeof client === 'object' ? undefined : client)
  }
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  if (options.now !== undefined && typeof options.now !== 'function') throw new ConfigError('now', 'a function', options.now)
  const prefix = options.prefix ?? 'cwmp:'
  if (typeof prefix !== 'string') throw new ConfigError('prefix', 'a string', prefix)
  const leaseMs = positive(options.lockLeaseMs, 10_000, 'lockLeaseMs')
  const waitMs = positive(options.lockWaitMs, 15_000, 'lockWaitMs')
  const deviceTtlMs = options.deviceTtlMs === undefined ? undefined : positive(options.deviceTtlMs, 1, 'deviceTtlMs')
  const clock = options.now ?? Date.now
  const key = (kind: string, id: string): string => `${prefix}${kind}:${id}`
  const sessionIndex = `${prefix}sessions`
  const deviceIndex = `${prefix}devices`

  const run = async (s: Script, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> => {
    try {
      return await redis.evalsha(s.sha, keys.length, ...keys, ...args)
    } catch (err) {
      if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err
      return redis.eval(s.text, keys.length, ...keys, ...args)
    }
  }

  const sessions: SessionStore = {
    async get(sessionId) {
      const [v, r] = await redis.hmget(key('s', sessionId), 'v', 'r')
      if (v === null || v === undefined || r === null || r === undefined) return undefined
      return { record: JSON.parse(r) as StoredAcsSession, version: Number(v) } satisfies VersionedSession
    },
    async compareAndSet(sessionId, expected, record, ttlMs) {
      const now = clock()
      const result = await run(
        CAS,
        [key('s', sessionId), sessionIndex],
        [expected === undefined ? '' : String(expected), JSON.stringify(record), Math.max(1, Math.ceil(ttlMs)), now, sessionId, now - SESSION_INDEX_MS],
      )
      return result === null ? undefined : Number(result)
    },
    async delete(sessionId) {
      await redis.multi().del(key('s', sessionId)).zrem(sessionIndex, sessionId).exec()
    },
    async list() {
      const ids = await redis.zrange(sessionIndex, 0, -1)
      if (ids.length === 0) return []
      const pipeline = redis.pipeline()
      for (const id of ids) pipeline.hget(key('s', id), 'r')
      const replies = (await pipeline.exec()) ?? []
      const out: [string, StoredAcsSession][] = []
      const gone: string[] = []
      ids.forEach((id, i) => {
        const text = replies[i]?.[1]
        if (typeof text === 'string') out.push([id, JSON.parse(text) as StoredAcsSession])
        else gone.push(id)
      })
      if (gone.length > 0) await zremAll(sessionIndex, gone)
      return out
    },
  }

  const zremAll = async (index: string, members: readonly string[]): Promise<void> => {
    const p = redis.pipeline()
    for (const part of slices(members)) p.zrem(index, ...part)
    await p.exec()
  }

  const toDevice = (deviceKey: string, h: Record<string, string>): AcsDeviceRecord | undefined => {
    const id = h['id']
    if (id === undefined) return undefined
    return {
      deviceKey,
      deviceId: JSON.parse(id) as DeviceIdStruct,
      lastInformAt: Number(h['at']),
      lastEvents: JSON.parse(h['ev'] ?? '[]') as string[],
      connectionRequestUrl: h['url'],
      connectionRequestCredentials: {
        ...(h['u'] === undefined ? {} : { username: h['u'] }),
        ...(h['p'] === undefined ? {} : { password: h['p'] }),
      },
      openSession: h['open'],
    }
  }

  const devices: DeviceStore = {
    async informed(deviceKey, update, at) {
      const k = key('d', deviceKey)
      const fields: Record<string, string> = { id: JSON.stringify(update.deviceId), at: String(at), ev: JSON.stringify(update.events) }
      if (update.connectionRequestUrl !== undefined) fields['url'] = update.connectionRequestUrl
      const m = redis.multi().hset(k, fields).zadd(deviceIndex, at, deviceKey)
      if (deviceTtlMs !== undefined) m.pexpire(k, deviceTtlMs)
      await m.exec()
    },
    async learnt(deviceKey, learnt) {
      const args: string[] = []
      if (learnt.connectionRequestUrl !== undefined) args.push('url', learnt.connectionRequestUrl)
      if (learnt.username !== undefined) args.push('u', learnt.username)
      if (learnt.password !== undefined) args.push('p', learnt.password)
      if (args.length > 0) await run(LEARNT, [key('d', deviceKey)], args)
    },
    async get(deviceKey) {
      return toDevice(deviceKey, await redis.hgetall(key('d', deviceKey)))
    },
    async list() {
      const keys = await redis.zrange(deviceIndex, 0, -1)
      if (keys.length === 0) return []
      const pipeline = redis.pipeline()
      for (const k of keys) pipeline.hgetall(key('d', k))
      const replies = (await pipeline.exec()) ?? []
      const out: AcsDeviceRecord[] = []
      const gone: string[] = []
      keys.forEach((k, i) => {
        const device = toDevice(k, (replies[i]?.[1] ?? {}) as Record<string, string>)
        if (device === undefined) gone.push(k)
        else out.push(device)
      })
      if (gone.length > 0) await zremAll(deviceIndex, gone)
      return out
    },
    async openSession(deviceKey, sessionId) {
      await run(LEARNT, [key('d', deviceKey)], ['open', sessionId])
    },
    async closeSession(deviceKey, sessionId) {
      await run(CLOSE_SESSION, [key('d', deviceKey)], [sessionId])
    },
  }

  const queues: RequestQueueStore = {
    async push(deviceKey, requests) {
      if (requests.length === 0) return
      const m = redis.multi()
      for (const part of slices(requests.map((r) => JSON.stringify(r)))) m.rpush(key('q', deviceKey), ...part)
      await m.exec()
    },
    async takeAll(deviceKey) {
      const items = (await run(TAKE_ALL, [key('q', deviceKey)], [])) as string[]
      return items.map((t) => JSON.parse(t) as AcsRequest)
    },
    async putBack(deviceKey, requests) {
      // LPUSH puts its last argument first: push them in reverse to keep their order.
      if (requests.length === 0) return
      const m = redis.multi()
      for (const part of slices(requests.map((r) => JSON.stringify(r)).reverse())) m.lpush(key('q', deviceKey), ...part)
      await m.exec()
    },
    async peek(deviceKey) {
      return (await redis.lrange(key('q', deviceKey), 0, -1)).map((t) => JSON.parse(t) as AcsRequest)
    },
  }

  // Contenders in this process wait their turn in an in-process lock first, so that only one of them polls Redis.
  const local = createMemoryLocks()
  const acquire = async (lockKey: string): Promise<string> => {
    const token = randomBytes(12).toString('base64url')
    const deadline = Date.now() + waitMs
    for (let attempt = 0; ; attempt++) {
      if ((await redis.set(lockKey, token, 'PX', leaseMs, 'NX')) === 'OK') return token
      if (Date.now() >= deadline) throw new TimeoutError(`cwmp/redis lock ${lockKey}`, waitMs)
      await new Promise((r) => setTimeout(r, Math.min(2 ** attempt, 25)))
    }
  }
  const locks: AcsLocks = {
    run<T>(name: string, fn: () => Promise<T>): Promise<T> {
      const lockKey = key('l', name)
      return local.run(lockKey, async () => {
        const token = await acquire(lockKey)
        try {
          return await fn()
        } finally {
          await run(RELEASE, [lockKey], [token]).catch(() => undefined)
        }
      })
    },
  }

  const nonces: DigestNonceCounter = {
    async check(use: DigestNonceUse) {
      const ttl = Math.max(1000, Math.ceil(use.expiresAt - use.now + NONCE_SKEW_MS))
      return (await run(RAISE_NC, [key('n', use.nonce)], [use.nc, ttl])) === 1 ? 'fresh' : 'replay'
    },
  }

  return { sessions, devices, queues, locks, nonces }
}

/**
 * A list in slices of at most 4,096: a call's spread arguments live on the stack, and a queue or an
 * index can be longer than it holds.
 */
function* slices<T>(list: readonly T[]): Generator<T[]> {
  for (let i = 0; i < list.length; i += 4096) yield list.slice(i, i + 4096)
}
