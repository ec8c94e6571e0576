/** The keyed lock: work for one key runs one at a time in call order; other keys do not wait. */
import { describe, expect, it } from 'vitest'
import { createMemoryLocks as createKeyedLock } from '../../src/acs/keyed-lock.js'

/** A promise with its resolve function. */
function gate(): { readonly promise: Promise<void>; readonly open: () => void } {
  let open = (): void => {}
  const promise = new Promise<void>((resolve) => {
    open = resolve
  })
  return { promise, open }
}

describe('keyed lock', () => {
  it('runs the work of one key in call order, one at a time; another key does not wait', async () => {
    const lock = createKeyedLock()
    const log: string[] = []
    const first = gate()
    const a1 = lock.run('a', async () => {
      log.push('a1 start')
      await first.promise
      log.push('a1 end')
      return 1
    })
    const a2 = lock.run('a', async () => {
      log.push('a2')
      return 2
    })
    const b = lock.run('b', async () => {
      log.push('b')
      return 3
    })
    expect(await b).toBe(3)
    expect(log).toEqual(['a1 start', 'b'])
    first.open()
    expect(await Promise.all([a1, a2])).toEqual([1, 2])
    expect(log).toEqual(['a1 start', 'b', 'a1 end', 'a2'])
  })

  it('a failure is the caller’s alone: the next run of the key still runs', async () => {
    const lock = createKeyedLock()
    const failed = lock.run('k', async () => {
      throw new Error('boom')
    })
    const next = lock.run('k', async () => 'ran')
    await expect(failed).rejects.toThrow('boom')
    expect(await next).toBe('ran')
  })
})
