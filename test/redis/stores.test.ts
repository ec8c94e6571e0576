/**
 * The simulator's store contracts, run against the in-memory stores and against `cwmp/redis` on a
 * real redis-server: compare-and-set with versions, TTL, atomic queue takes (against a model,
 * fast-check), the device → open session compare-and-delete, nonce counts raised atomically, locks
 * that exclude across clients and free themselves when their holder dies.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createMemoryNonceStore } from '../../src/auth/nonce-store.js'
import { createMemoryAcsStores, type AcsRequest, type AcsStores, type DigestNonceCounter, type StoredAcsSession } from '../../src/index.js'
import { createRedisAcsStores } from '../../src/redis/index.js'
import { findRedisServer, startRedisServer, type RedisServer } from './redis-server.js'

const binary = findRedisServer()
if (binary === undefined) console.warn('test/redis: redis-server not found on PATH: the Redis store tests are skipped (.ci/run installs it)')

let server: RedisServer | undefined
beforeAll(async () => {
  if (binary !== undefined) server = await startRedisServer(binary)
})
afterAll(async () => {
  await server?.stop()
})

let prefixes = 0
interface Impl {
  readonly name: string
  readonly available: boolean
  make(): AcsStores & { readonly nonces: DigestNonceCounter }
}
const memoryNonces = (): DigestNonceCounter => {
  const store = createMemoryNonceStore()
  return { check: (use) => store.check(use) }
}
const impls: Impl[] = [
  { name: 'memory', available: true, make: () => ({ ...createMemoryAcsStores(), nonces: memoryNonces() }) },
  {
    name: binary === undefined ? 'redis (skipped: redis-server not found)' : 'redis',
    available: binary !== undefined,
    make: () => createRedisAcsStores((server as RedisServer).client(), { prefix: `t${++prefixes}:`, lockLeaseMs: 300, lockWaitMs: 5000 }),
  },
]

const record = (deviceKey: string, startedAt = 1): StoredAcsSession =>
  ({ deviceKey, startedAt, lastActivity: startedAt, timeoutMs: 30_000, session: { queue: [] }, inform: { deviceId: {}, event: [] } }) as unknown as StoredAcsSession
const reboot = (commandKey: string): AcsRequest => ({ method: 'Reboot', commandKey })
const keysOf = (list: readonly AcsRequest[]): string[] => list.map((r) => (r.method === 'Reboot' ? r.commandKey : '?'))

for (const impl of impls) {
  describe.skipIf(!impl.available)(`ACS stores: ${impl.name}`, () => {
    it('sessions: a version per record, compare-and-set, list', async () => {
      const { sessions } = impl.make()
      expect(await sessions.get('s')).toBeUndefined()
      expect(await sessions.compareAndSet('s', undefined, record('a'), 10_000)).toBe(1)
      expect(await sessions.compareAndSet('s', undefined, record('b'), 10_000)).toBeUndefined()
      expect(await sessions.compareAndSet('s', 1, record('b'), 10_000)).toBe(2)
      expect(await sessions.compareAndSet('s', 1, record('c'), 10_000)).toBeUndefined()
      expect(await sessions.get('s')).toMatchObject({ version: 2, record: { deviceKey: 'b' } })
      await sessions.compareAndSet('t', undefined, record('t', 0), 10_000)
      expect([...(await sessions.list?.() ?? [])].map(([id]) => id).sort()).toEqual(['s', 't'])
      await sessions.delete('s')
      expect(await sessions.get('s')).toBeUndefined()
    })

    it('sessions: of 20 writers racing on one version, exactly one wins', async () => {
      const { sessions } = impl.make()
      await sessions.compareAndSet('race', undefined, record('v1'), 10_000)
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => sessions.compareAndSet('race', 1, record(`w${i}`), 10_000)))
      expect(results.filter((r) => r !== undefined)).toEqual([2])
    })

    it('sessions: a record is gone after its TTL', async () => {
      const { sessions } = impl.make()
      await sessions.compareAndSet('short', undefined, record('x'), 30)
      let gone = false
      for (let i = 0; i < 100 && !gone; i++) {
        await new Promise((r) => setTimeout(r, 20))
        gone = (await sessions.get('short')) === undefined
      }
      expect(gone).toBe(true)
      expect(await sessions.compareAndSet('short', undefined, record('y'), 10_000)).toBe(1)
    })

    it('queues: one list per device, takeAll atomic (property against a model)', async () => {
      const op = fc.oneof(
        fc.record({ kind: fc.constant('push' as const), device: fc.constantFrom('a', 'b'), keys: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }) }),
        fc.record({ kind: fc.constant('putBack' as const), device: fc.constantFrom('a', 'b'), keys: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }) }),
        fc.record({ kind: fc.constant('takeAll' as const), device: fc.constantFrom('a', 'b') }),
      )
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 15 }), async (ops) => {
          const { queues } = impl.make()
          const model = new Map<string, string[]>([
            ['a', []],
            ['b', []],
          ])
          for (const o of ops) {
            const m = model.get(o.device) as string[]
            if (o.kind === 'push') {
              await queues.push(o.device, o.keys.map(reboot))
              model.set(o.device, [...m, ...o.keys])
            } else if (o.kind === 'putBack') {
              await queues.putBack(o.device, o.keys.map(reboot))
              model.set(o.device, [...o.keys, ...m])
            } else {
              expect(keysOf(await queues.takeAll(o.device))).toEqual(m)
              model.set(o.device, [])
            }
          }
          for (const d of ['a', 'b']) expect(keysOf(await queues.peek(d))).toEqual(model.get(d))
        }),
        { numRuns: 30 },
      )
    })

    it('queues: 10 takers racing over 100 requests: each request taken once', async () => {
      const { queues } = impl.make()
      await queues.push('d', Array.from({ length: 100 }, (_, i) => reboot(String(i))))
      const taken = (await Promise.all(Array.from({ length: 10 }, () => queues.takeAll('d')))).flatMap((l) => keysOf(l))
      expect(taken.sort((x, y) => Number(x) - Number(y))).toEqual(Array.from({ length: 100 }, (_, i) => String(i)))
    })

    it('devices: informed, learnt, the open session closed only by itself', async () => {
      const { devices } = impl.make()
      const deviceId = { manufacturer: 'Acme', oui: 'AABBCC', productClass: 'GW', serialNumber: 'S1' }
      await devices.learnt('d', { connectionRequestUrl: 'http://ghost' })
      expect(await devices.get('d')).toBeUndefined()
      await devices.informed('d', { deviceId, events: ['1 BOOT'], connectionRequestUrl: 'http://cpe/1' }, 10)
      await devices.learnt('d', { username: 'u', password: 'p' })
      await devices.informed('d', { deviceId, events: ['2 PERIODIC'] }, 20)
      await devices.openSession('d', 's1')
      await devices.closeSession('d', 'other')
      expect(await devices.get('d')).toEqual({
        deviceKey: 'd',
        deviceId,
        lastInformAt: 20,
        lastEvents: ['2 PERIODIC'],
        connectionRequestUrl: 'http://cpe/1',
        connectionRequestCredentials: { username: 'u', password: 'p' },
        openSession: 's1',
      })
      await devices.closeSession('d', 's1')
      expect((await devices.get('d'))?.openSession).toBeUndefined()
      expect([...(await devices.list())].map((d) => d.deviceKey)).toEqual(['d'])
    })

    it('nonces: of 30 concurrent uses of one nonce count, exactly one is fresh; a higher count is fresh again', async () => {
      const { nonces } = impl.make()
      const now = Date.now()
      const use = (nc: number) => ({ nonce: `nonce-${impl.name}-${now}`, nc, issuedAt: now, sequence: 1, expiresAt: now + 300_000, now })
      const results = await Promise.all(Array.from({ length: 30 }, () => nonces.check(use(1))))
      expect(results.filter((r) => r === 'fresh')).toHaveLength(1)
      expect(await nonces.check(use(1))).toBe('replay')
      expect(await nonces.check(use(2))).toBe('fresh')
    })

    it('locks: work under one key never overlaps, across two clients of the store', async () => {
      const a = impl.make()
      // The same prefix for the second client: a second "process" sharing the Redis.
      const b = impl.name === 'memory' ? a : { locks: a.locks }
      let inside = 0
      let most = 0
      const work = async (): Promise<void> => {
        inside++
        most = Math.max(most, inside)
        await new Promise((r) => setTimeout(r, 2))
        inside--
      }
      await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).locks.run('k', work)))
      expect(most).toBe(1)
    })
  })
}

describe.skipIf(binary === undefined)('cwmp/redis locks between two clients (two processes)', () => {
  it('exclude each other, and a lock whose holder died is free after its lease', async () => {
    const s = server as RedisServer
    const one = createRedisAcsStores(s.client(), { prefix: 'locks:', lockLeaseMs: 200, lockWaitMs: 5000 })
    const two = createRedisAcsStores(s.client(), { prefix: 'locks:', lockLeaseMs: 200, lockWaitMs: 5000 })
    let inside = 0
    let most = 0
    const work = async (): Promise<void> => {
      inside++
      most = Math.max(most, inside)
      await new Promise((r) => setTimeout(r, 3))
      inside--
    }
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? one : two).locks.run('shared', work)))
    expect(most).toBe(1)
    // A holder that never releases (as if killed): the lock key is left behind with its lease.
    const raw = s.client()
    expect(await raw.set('locks:l:dead', 'token-of-a-dead-process', 'PX', 200, 'NX')).toBe('OK')
    await expect(one.locks.run('dead', async () => 'got it after the lease')).resolves.toBe('got it after the lease')
  })
})
