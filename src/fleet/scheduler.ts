/**
 * The one timer of a fleet: a binary min-heap of (due time, device index) over two typed arrays and
 * a single `setTimeout` for the earliest entry. Each device has at most one live entry: a device
 * rescheduled leaves its old entry in the heap, and an entry whose time is not the device's current
 * one is skipped when it comes out (lazy deletion), so rescheduling is O(log n) and nothing is
 * searched. Ten thousand devices cost ten thousand heap slots, not ten thousand timers.
 *
 * @module
 */

/** Node caps timers at 2^31 - 1 ms; a later wake is re-armed then. */
const MAX_DELAY = 2 ** 31 - 1

/**
 * Options of {@link createScheduler}.
 *
 * @internal
 */
export interface SchedulerOptions {
  /** Number of devices (indexes 0 … size - 1). */
  readonly size: number
  /** Clock, ms. */
  readonly now: () => number
  /** Called with each device whose time has come, in time order. */
  readonly fire: (index: number, now: number) => void
}

/**
 * The scheduler.
 *
 * @internal
 */
export interface Scheduler {
  /**
   * Wake a device at `at` (ms), replacing its previous wake.
   *
   * @param index - the device
   * @param at - when; `undefined` cancels
   */
  wake(index: number, at: number | undefined): void
  /** The device's pending wake, if any. */
  wakeOf(index: number): number | undefined
  /** Entries in the heap (live and stale). */
  readonly size: number
  /** Stop: no more calls to `fire`. */
  stop(): void
}

/**
 * Create the scheduler.
 *
 * @param options - size, clock and callback
 * @internal
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { now, fire } = options
  // Per device: its live wake time (NaN: none).
  const due = new Float64Array(options.size).fill(Number.NaN)
  let times = new Float64Array(Math.max(16, options.size))
  let items = new Uint32Array(Math.max(16, options.size))
  let n = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let armedAt = Number.POSITIVE_INFINITY
  let stopped = false

  const push = (t: number, i: number): void => {
    if (n === times.length) {
      const t2 = new Float64Array(n * 2)
      t2.set(times)
      times = t2
      const i2 = new Uint32Array(n * 2)
      i2.set(items)
      items = i2
    }
    let k = n++
    while (k > 0) {
      const p = (k - 1) >> 1
      if ((times[p] as number) <= t) break
      times[k] = times[p] as number
      items[k] = items[p] as number
      k = p
    }
    times[k] = t
    items[k] = i
  }

  const pop = (): void => {
    n--
    if (n === 0) return
    const t = times[n] as number
    const i = items[n] as number
    let k = 0
    for (;;) {
      let c = 2 * k + 1
      if (c >= n) break
      if (c + 1 < n && (times[c + 1] as number) < (times[c] as number)) c++
      if ((times[c] as number) >= t) break
      times[k] = times[c] as number
      items[k] = items[c] as number
      k = c
    }
    times[k] = t
    items[k] = i
  }

  const arm = (): void => {
    if (stopped) return
    // Drop stale entries at the top, so the timer is armed for a live one.
    while (n > 0 && (times[0] as number) !== due[items[0] as number]) pop()
    if (n === 0) {
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
      armedAt = Number.POSITIVE_INFINITY
      return
    }
    const next = times[0] as number
    if (timer !== undefined && armedAt <= next) return
    if (timer !== undefined) clearTimeout(timer)
    armedAt = next
    timer = setTimeout(run, Math.min(MAX_DELAY, Math.max(0, next - now())))
  }

  const run = (): void => {
    timer = undefined
    armedAt = Number.POSITIVE_INFINITY
    const t = now()
    while (!stopped && n > 0 && (times[0] as number) <= t) {
      const at = times[0] as number
      const i = items[0] as number
      pop()
      if (due[i] !== at) continue
      due[i] = Number.NaN
      fire(i, t)
    }
    arm()
  }

  return {
    wake(index, at) {
      if (stopped) return
      if (at === undefined || Number.isNaN(at)) {
        due[index] = Number.NaN
        return
      }
      due[index] = at
      push(at, index)
      if (at < armedAt) arm()
    },
    wakeOf(index) {
      const t = due[index] as number
      return Number.isNaN(t) ? undefined : t
    },
    get size() {
      return n
    },
    stop() {
      stopped = true
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    },
  }
}
