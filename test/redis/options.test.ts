// Bad arguments of createRedisAcsStores (cwmp/redis): a ConfigError naming the argument or option,
// at the call, never a TypeError later. No redis-server is needed: nothing is sent.
import { describe, expect, it } from 'vitest'
import { createRedisAcsStores } from '../../src/redis/index.js'

/** Enough of a client for the checks (the methods exist; none is called). */
const client = (): Record<string, () => never> =>
  Object.fromEntries(
    ['evalsha', 'eval', 'hmget', 'hgetall', 'lrange', 'zrange', 'set', 'multi', 'pipeline'].map((m) => [
      m,
      () => {
        throw new Error('not called')
      },
    ]),
  )

const bad: [field: string, args: unknown[]][] = [
  ['redis', []],
  ['redis', [undefined]],
  ['redis', [null]],
  ['redis', [42]],
  ['redis', [{}]],
  ['redis', [{ ...client(), multi: 1 }]],
  ['options', [client(), null]],
  ['options', [client(), 42]],
  ['prefix', [client(), { prefix: 42 }]],
  ['lockLeaseMs', [client(), { lockLeaseMs: 0 }]],
  ['lockWaitMs', [client(), { lockWaitMs: 1.5 }]],
  ['deviceTtlMs', [client(), { deviceTtlMs: -1 }]],
  ['now', [client(), { now: 5 }]],
]

describe('createRedisAcsStores with bad arguments', () => {
  it.each(bad)('%s: a ConfigError naming it', (field, args) => {
    let thrown: unknown
    try {
      ;(createRedisAcsStores as (...a: unknown[]) => unknown)(...args)
    } catch (err) {
      thrown = err
    }
    expect(thrown).toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID', field })
  })

  it('a client with the methods and no options is accepted (nothing is sent yet)', () => {
    const stores = (createRedisAcsStores as (...a: unknown[]) => { sessions: unknown })(client())
    expect(typeof stores.sessions).toBe('object')
  })
})
