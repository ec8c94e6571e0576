/**
 * Serialises work per key: the requests of one session are handled one after the other (a CPE
 * sends one at a time, but a retry can overtake a slow answer), the Informs of one device begin
 * their sessions one after the other, and the idle sweep waits its turn. {@link AcsLocks} is the
 * interface; the in-process one here, a shared one (`cwmp/redis`) for several processes.
 *
 * @module
 */

/**
 * Runs work for one key at a time. A shared implementation holds each lock for a bounded lease, so
 * that the lock of a process that died is free again after it.
 *
 * @category ACS simulator
 */
export interface AcsLocks {
  /**
   * Run `fn` once no other holder of `key` runs.
   *
   * @param key - e.g. a session id, or `device\0<deviceKey>`
   * @param fn - the work
   * @returns what `fn` returns (a failure of an earlier holder does not affect it)
   */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>
}

/**
 * The in-process {@link AcsLocks}: one promise per busy key, forgotten once the key is idle; work
 * runs in call order.
 *
 * @returns the locks
 * @category ACS simulator
 */
export function createMemoryLocks(): AcsLocks {
  const tails = new Map<string, Promise<unknown>>()
  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(key)
      const run = previous === undefined ? fn() : previous.then(fn, fn)
      const tail = run.then(
        () => undefined,
        () => undefined,
      )
      tails.set(key, tail)
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key)
      })
      return run
    },
  }
}
