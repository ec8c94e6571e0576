/**
 * Timing rules of a CPE: the session retry wait (TR-069 §3.2.1.1, Table 3) and the phase of
 * periodic Informs (`PeriodicInformTime`, TR-181).
 *
 * @module
 */
import { parseDateTime } from '../values/convert.js'

/**
 * Retry parameters: `ManagementServer.CWMPRetryMinimumWaitInterval` and `CWMPRetryIntervalMultiplier`.
 *
 * @category Sessions
 */
export interface RetryParameters {
  /** m: seconds, 1–65535 (default 5). */
  readonly minimumWaitInterval?: number
  /** k: thousandths, 1000–65535 (default 2000, i.e. ×2). */
  readonly intervalMultiplier?: number
}

/**
 * The range of the wait before post-reboot retry number `n` (1-based), in seconds:
 * [m·(k/1000)^(n−1), m·(k/1000)^n], fixed from the tenth retry on (Table 3).
 *
 * @param n - retry number, 1 for the first retry
 * @param parameters - m and k
 *
 * @category Sessions
 */
export function retryWaitRange(n: number, parameters: RetryParameters = {}): readonly [number, number] {
  const m = parameters.minimumWaitInterval ?? 5
  const k = (parameters.intervalMultiplier ?? 2000) / 1000
  const i = Math.min(Math.max(1, Math.floor(n)), 10)
  return [m * k ** (i - 1), m * k ** i]
}

/**
 * A random wait before post-reboot retry number `n`, in seconds, uniform in {@link retryWaitRange}.
 *
 * @param n - retry number, 1 for the first retry
 * @param random - a source of uniform numbers in [0, 1)
 * @param parameters - m and k
 *
 * @category Sessions
 */
export function retryWait(n: number, random: () => number, parameters: RetryParameters = {}): number {
  const [lo, hi] = retryWaitRange(n, parameters)
  return lo + random() * (hi - lo)
}

/**
 * The reference time (ms since the epoch) of periodic Informs from `PeriodicInformTime`, or
 * `undefined` for the Unknown Time (or a value without a zone), when the CPE picks the phase.
 *
 * @param periodicInformTime - the lexical dateTime, or undefined
 *
 * @category Sessions
 */
export function periodicReference(periodicInformTime: string | undefined): number | undefined {
  if (periodicInformTime === undefined || periodicInformTime === '') return undefined
  const t = parseDateTime(periodicInformTime)
  return t.unknown || t.date === undefined ? undefined : t.date.getTime()
}

/**
 * The next periodic Inform strictly after `now`: the reference time plus or minus a whole number of
 * intervals (TR-181 `PeriodicInformTime`; the reference can be in the past or the future).
 *
 * @param now - current time, ms since the epoch
 * @param intervalSeconds - PeriodicInformInterval (≥ 1)
 * @param reference - the phase reference, ms since the epoch
 *
 * @category Sessions
 */
export function nextPeriodicInform(now: number, intervalSeconds: number, reference: number): number {
  const interval = Math.max(1, intervalSeconds) * 1000
  const k = Math.floor((now - reference) / interval) + 1
  return reference + k * interval
}
