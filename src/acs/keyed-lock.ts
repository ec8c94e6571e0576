/**
 * Serialises work per key: the requests of one session are handled one after the other (a CPE
 * sends one at a time, but a retry can overtake a slow answer), and the idle sweep waits its turn.
 * In-process only; several processes sharing a store need the store's own lock.
 *
 * @module
 */

/**
 * Runs work for one key at a time, in call order.
 *
 * @internal
 */
export interface KeyedLock {
  /**
   * Run `fn` once every earlier `run` for `key` has settled.
   *
   * @param key - e.g. a session id
   * @param fn - the work
   * @returns what `fn` returns (a failure of an earlier run does not affect it)
   */
  run<T>(key: string, fn: () => Promise<T>): Promise<T>
}

/**
 * A {@link KeyedLock} that keeps one promise per busy key and forgets the key once it is idle.
 *
 * @internal
 */
export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>()
  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve()
      const run = previous.then(fn, fn)
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
