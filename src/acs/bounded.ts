/**
 * Bounded waits on user code in the simulator (issue 9 item 4): the hooks, `auth.authorize`, and
 * every store given in the options (a database or Redis that stops answering). A wait past its bound
 * is given up with a {@link TimeoutError} (`ERR_CWMP_TIMEOUT`), which the request handling treats
 * like any failure of that code: a hook's fails the session (400, `onError` told), a store's is a
 * 500 (`onError` told). What the code does later is ignored.
 *
 * A value returned synchronously is passed through untouched, so the in-memory stores (which
 * answer with plain values) cost nothing here; only the stores given in the options are wrapped.
 *
 * @module
 */

import { TimeoutError } from '../errors.js'
import type { AcsLocks } from './keyed-lock.js'
import type { AcsStores } from './stores.js'

/**
 * Bound a wait: a plain value is returned as it is; a promise must settle within `ms`, else the
 * result rejects with a {@link TimeoutError} naming `operation`.
 *
 * @param operation - what is waited for, e.g. `stores.sessions.get`
 * @param value - what the user code returned
 * @param ms - the bound
 * @internal
 */
export function boundWait<T>(operation: string, value: T | PromiseLike<T>, ms: number): T | Promise<T> {
  if (typeof (value as PromiseLike<T> | undefined)?.then !== 'function') return value as T
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new TimeoutError(operation, ms)), ms)
    ;(value as PromiseLike<T>).then(
      (v) => {
        clearTimeout(timer)
        resolve(v)
      },
      (err: unknown) => {
        clearTimeout(timer)
        reject(err)
      },
    )
  })
}

/** Every method of an object (own and inherited, but not Object's). */
function methodNames(target: object): string[] {
  const names = new Set<string>()
  for (let o: object | null = target; o !== null && o !== Object.prototype; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) {
      if (name !== 'constructor' && typeof (target as Record<string, unknown>)[name] === 'function') names.add(name)
    }
  }
  return [...names]
}

/**
 * The same object with each method's result bounded by {@link boundWait}; other properties copied.
 *
 * @param target - a store
 * @param prefix - its name in errors, e.g. `stores.sessions`
 * @param ms - the bound
 * @internal
 */
export function boundMethods<T extends object>(target: T, prefix: string, ms: number): T {
  const out: Record<string, unknown> = { ...(target as Record<string, unknown>) }
  for (const name of methodNames(target)) {
    const method = (target as Record<string, (...args: unknown[]) => unknown>)[name] as (...args: unknown[]) => unknown
    out[name] = (...args: unknown[]) => boundWait(`${prefix}.${name}`, method.apply(target, args), ms)
  }
  return out as T
}

/**
 * Locks bounded in their own waits only: taking the lock (until `fn` is called) and releasing it
 * (from `fn` settling until `run` does), each within `ms`; the work under the lock bounds its own
 * waits. Work whose lock came too late is not run.
 *
 * @param locks - the locks given in the options
 * @param ms - the bound
 * @internal
 */
export function boundLocks(locks: AcsLocks, ms: number): AcsLocks {
  return {
    run<T>(key: string, fn: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        let phase: 'taking' | 'working' | 'releasing' | 'over' = 'taking'
        const giveUp = (what: string): void => {
          phase = 'over'
          reject(new TimeoutError(what, ms))
        }
        let timer = setTimeout(() => giveUp('stores.locks.run (taking the lock)'), ms)
        let outcome: { ok: true; value: T } | { ok: false; error: unknown } | undefined
        locks
          .run(key, async () => {
            if (phase !== 'taking') throw new TimeoutError('stores.locks.run (taking the lock)', ms)
            clearTimeout(timer)
            phase = 'working'
            try {
              const value = await fn()
              outcome = { ok: true, value }
              return value
            } catch (error) {
              outcome = { ok: false, error }
              throw error
            } finally {
              if (phase === 'working') {
                phase = 'releasing'
                timer = setTimeout(() => giveUp('stores.locks.run (releasing the lock)'), ms)
              }
            }
          })
          .then(
            (value) => {
              clearTimeout(timer)
              if (phase !== 'over') resolve(value)
              phase = 'over'
            },
            (error: unknown) => {
              clearTimeout(timer)
              // A lock that fails after the work ran: the work's own outcome stands.
              if (phase !== 'over') {
                if (outcome?.ok === true) resolve(outcome.value)
                else reject(outcome === undefined ? error : outcome.error)
              }
              phase = 'over'
            },
          )
      })
    },
  }
}

/**
 * The stores given in the options, each bounded (missing ones stay missing).
 *
 * @param stores - `options.stores`
 * @param ms - the bound
 * @internal
 */
export function boundStores(stores: Partial<AcsStores> | undefined, ms: number): Partial<AcsStores> {
  if (stores === undefined) return {}
  const out: { -readonly [K in keyof AcsStores]?: AcsStores[K] } = {}
  for (const key of ['sessions', 'devices', 'queues', 'nonces'] as const) {
    const store = stores[key]
    if (store !== undefined) (out as Record<string, object>)[key] = boundMethods(store, `stores.${key}`, ms)
  }
  if (stores.locks !== undefined) out.locks = boundLocks(stores.locks, ms)
  return out
}
