/**
 * {@link AcsSimulator.waitFor}: predicates evaluated now and again after every recorded exchange and
 * session change, each with its own timeout.
 *
 * @module
 */

/**
 * Waiters on the simulator's state.
 *
 * @internal
 */
export interface ChangeWaiters {
  /** Something changed: evaluate every waiting predicate. */
  notify(): void
  /**
   * Wait until `predicate` returns a value other than `undefined`, `null` or `false`.
   *
   * @param predicate - evaluated now and at each {@link ChangeWaiters.notify}
   * @param timeoutMs - rejects after this long
   */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs: number): Promise<T>
}

/**
 * A set of waiters, each removed once it settles.
 *
 * @internal
 */
export function createChangeWaiters(): ChangeWaiters {
  const waiters = new Set<() => void>()
  return {
    notify() {
      for (const w of [...waiters]) w()
    },
    waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs: number): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = (): boolean => {
          let value: T | undefined | null | false
          try {
            value = predicate()
          } catch (err) {
            waiters.delete(check)
            clearTimeout(timer)
            reject(err instanceof Error ? err : new Error(String(err)))
            return true
          }
          if (value === undefined || value === null || value === false) return false
          waiters.delete(check)
          clearTimeout(timer)
          resolve(value)
          return true
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`waitFor: condition not met within ${timeoutMs} ms`))
        }, timeoutMs)
        if (!check()) waiters.add(check)
      })
    },
  }
}
