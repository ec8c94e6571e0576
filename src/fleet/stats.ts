/**
 * What a fleet counts: sessions ok and failed, their durations in a fixed histogram (p50 / p99
 * without keeping a sample per session), every failure with the device it happened to, ACS
 * requests answered, Connection Requests. Fixed memory, whatever the number of sessions: the
 * histogram has 1,024 buckets 2 % apart, the failure list keeps the first `maxFailures` and
 * counts the rest.
 *
 * @module
 */

/**
 * Why a session of a fleet device failed, as the summary groups it.
 *
 * @internal
 */
export type FleetFailureKind =
  /** The ACS answered with an HTTP status the session cannot go on with (4xx, 5xx). */
  | 'http-status'
  /** 401 or 407 after answering the challenge (or with no credentials to offer). */
  | 'unauthorized'
  /** The ACS answered the Inform with a SOAP fault. */
  | 'inform-fault'
  /** No response within the timeout. */
  | 'timeout'
  /** No connection, connection reset or refused. */
  | 'transport'
  /** Unreadable or out-of-turn ACS message, a version the device did not offer, too many redirects or 8005s. */
  | 'protocol'
  /** The fleet stopped while the session was in progress. */
  | 'aborted'

/**
 * One failed session, attributed.
 *
 * @internal
 */
export interface FleetFailure {
  /** The device's serial number. */
  readonly device: string
  /** The kind of failure. */
  readonly kind: FleetFailureKind
  /** The session machine's reason code (`http-status`, `retry-limit`, …). */
  readonly reason: string
  /** The HTTP status of the last response, when there was one. */
  readonly status?: number
  /** The SOAP fault that ended the session, when one did. */
  readonly fault?: { readonly code: number; readonly string: string }
  /** What happened, in plain English. */
  readonly message: string
  /** Seconds since the fleet started. */
  readonly at: number
}

/**
 * The summary of a run (what `cwmp fleet --json` prints).
 *
 * @internal
 */
export interface FleetSummary {
  /** The ACS URL. */
  readonly acs: string
  /** Devices in the fleet. */
  readonly cpes: number
  /** Devices started so far (ramp-up). */
  readonly started: number
  /** Seconds since the start. */
  readonly elapsed: number
  /** Sessions: ended well, failed, in progress, waiting for a free slot; ended sessions per second. */
  readonly sessions: {
    readonly ok: number
    readonly failed: number
    readonly inProgress: number
    readonly waiting: number
    readonly perSecond: number
  }
  /** Durations of sessions that ended well, ms (2 % buckets; max exact). */
  readonly latencyMs: { readonly p50: number; readonly p90: number; readonly p99: number; readonly max: number; readonly mean: number }
  /** HTTP requests sent to the ACS (authentication rounds included). */
  readonly httpRequests: number
  /** ACS requests answered, by method (faults included). */
  readonly acsRequests: Readonly<Record<string, number>>
  /** ACS requests answered with a fault, by fault code. */
  readonly cpeFaults: Readonly<Record<string, number>>
  /** Connection Requests: answered (accepted), challenged (401 with a challenge), refused (bad credentials), not found. */
  readonly connectionRequests: {
    readonly received: number
    readonly answered: number
    readonly challenged: number
    readonly refused: number
    readonly notFound: number
  }
  /** Failures: counted by kind and by reason, and the first ones attributed to their device. */
  readonly failures: {
    readonly byKind: Readonly<Partial<Record<FleetFailureKind, number>>>
    readonly byReason: Readonly<Record<string, number>>
    readonly list: readonly FleetFailure[]
    /** Failures not in `list` (beyond `maxFailures`). */
    readonly dropped: number
  }
}

const BUCKETS = 1024
const GROWTH = Math.log(1.02)
/** The smallest duration told apart: 0.05 ms. */
const FLOOR_MS = 0.05

/**
 * A duration histogram: 1,024 buckets 2 % apart from 0.05 ms (the last one holds everything beyond
 * about 30 minutes).
 *
 * @internal
 */
export class LatencyHistogram {
  readonly #counts = new Uint32Array(BUCKETS)
  #n = 0
  #sum = 0
  #max = 0

  /** @param ms - a duration */
  add(ms: number): void {
    const v = ms > FLOOR_MS ? ms : FLOOR_MS
    const b = Math.min(BUCKETS - 1, Math.ceil(Math.log(v / FLOOR_MS) / GROWTH))
    this.#counts[b] = (this.#counts[b] as number) + 1
    this.#n++
    this.#sum += ms
    if (ms > this.#max) this.#max = ms
  }

  /** Durations recorded. */
  get count(): number {
    return this.#n
  }

  /**
   * The upper bound of the bucket holding quantile `q` (at most the largest duration seen).
   *
   * @param q - in [0, 1]
   */
  quantile(q: number): number {
    if (this.#n === 0) return 0
    const rank = Math.max(1, Math.ceil(q * this.#n))
    let seen = 0
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.#counts[b] as number
      if (seen >= rank) return Math.min(this.#max, FLOOR_MS * Math.exp(b * GROWTH))
    }
    return this.#max
  }

  /** The largest duration. */
  get max(): number {
    return this.#max
  }

  /** The mean duration. */
  get mean(): number {
    return this.#n === 0 ? 0 : this.#sum / this.#n
  }
}

/**
 * The counters of a fleet.
 *
 * @internal
 */
export class FleetStats {
  ok = 0
  failed = 0
  httpRequests = 0
  crReceived = 0
  crAnswered = 0
  crChallenged = 0
  crRefused = 0
  crNotFound = 0
  readonly latency = new LatencyHistogram()
  readonly acsRequests = new Map<string, number>()
  readonly cpeFaults = new Map<string, number>()
  readonly byKind = new Map<FleetFailureKind, number>()
  readonly byReason = new Map<string, number>()
  readonly failures: FleetFailure[] = []
  dropped = 0
  readonly #maxFailures: number

  /** @param maxFailures - failures kept with their details */
  constructor(maxFailures: number) {
    this.#maxFailures = maxFailures
  }

  /** @param ms - duration of a session that ended well */
  sessionOk(ms: number): void {
    this.ok++
    this.latency.add(ms)
  }

  /** @param failure - a failed session */
  sessionFailed(failure: FleetFailure): void {
    this.failed++
    bump(this.byKind, failure.kind)
    bump(this.byReason, failure.reason)
    if (this.failures.length < this.#maxFailures) this.failures.push(failure)
    else this.dropped++
  }

  /**
   * @param method - an ACS request answered
   * @param faultCode - the fault it was answered with, if any
   */
  answered(method: string, faultCode: number | undefined): void {
    bump(this.acsRequests, method)
    if (faultCode !== undefined) bump(this.cpeFaults, String(faultCode))
  }
}

function bump<K>(map: Map<K, number>, key: K): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}
