/**
 * The Connection Request acceptance rules that HTTP, UDP and XMPP share (TR-069 §3.2.2 and
 * SESSION-RULES §7): the rate limit, what happens during a session, and "exactly one session"
 * bookkeeping. A plain state machine, no I/O; time is an input.
 *
 * States:
 * - `pending`: a request was accepted while no session ran; the session has not started yet.
 *   Further authenticated requests succeed but start nothing (TR-069 §3.2.2: they "MUST NOT
 *   initiate any additional Sessions").
 * - `queued`: a request was accepted during a session (policy `queue`); exactly one new session
 *   follows the current one, however many requests arrive meanwhile.
 *
 * @module
 */

import { AuthError, ConfigError } from '../errors.js'

/**
 * The rate limit: at most `max` accepted requests (that start a session) per `windowMs`.
 *
 * @category Connection requests
 */
export interface ConnectionRequestRateLimit {
  /** Most accepted requests per window. */
  readonly max: number
  /** Window length in ms (sliding). */
  readonly windowMs: number
}

/**
 * Default rate limit: 5 accepted requests per 60 s, sliding. TR-069 gives no number (it only says
 * the CPE SHOULD restrict them). Each accepted request costs one session; 5 per minute lets an ACS
 * run back-to-back sessions about every 12 s, and caps a flood of valid requests at 300 sessions an
 * hour.
 *
 * @category Connection requests
 */
export const DEFAULT_CONNECTION_REQUEST_RATE_LIMIT: ConnectionRequestRateLimit = { max: 5, windowMs: 60_000 }

/**
 * What to do with an authenticated request that arrives during a session (TR-069 §3.2.2.1; the
 * time while a session is being set up counts as "during"):
 * - `queue` (default): accept it (200/204) and start exactly one new session after the current one.
 * - `reject`: answer 503 without Retry-After.
 *
 * @category Connection requests
 */
export type DuringSessionPolicy = 'queue' | 'reject'

/**
 * Options of {@link createConnectionRequestPolicy}.
 *
 * @category Connection requests
 */
export interface ConnectionRequestPolicyOptions {
  /** Rate limit, or `null` for none. Default {@link DEFAULT_CONNECTION_REQUEST_RATE_LIMIT}. */
  readonly rateLimit?: ConnectionRequestRateLimit | null
  /** Policy during a session. Default `queue`. */
  readonly duringSession?: DuringSessionPolicy
}

/**
 * The moment a request is handled.
 *
 * @category Connection requests
 */
export interface ConnectionRequestContext {
  /** Current time, ms since the epoch (any monotonic ms clock works). */
  readonly now: number
  /** True while a CWMP session with this endpoint is in progress or being set up. */
  readonly inSession: boolean
}

/**
 * How an authenticated Connection Request was decided.
 *
 * @category Connection requests
 */
export type ConnectionRequestAcceptance =
  /** Accepted: start a session with `6 CONNECTION REQUEST` now (TR-069: within 30 s). */
  | 'accepted'
  /** Accepted during a session: one new session must follow the current one. */
  | 'accepted-queued'
  /** Accepted, but a session is already pending or queued: no extra session. */
  | 'accepted-pending'
  /** Refused: over the rate limit (HTTP 503; UDP: ignored; XMPP: service-unavailable). */
  | 'rejected-rate-limit'
  /** Refused: a session is in progress and the policy is `reject`. */
  | 'rejected-in-session'

/**
 * The result of {@link ConnectionRequestPolicy.accept}.
 *
 * @category Connection requests
 */
export interface ConnectionRequestAcceptResult {
  /** The decision. */
  readonly acceptance: ConnectionRequestAcceptance
  /** True when the request was accepted (send 200/204, XMPP result). */
  readonly accepted: boolean
  /** Start a session with `6 CONNECTION REQUEST` now. */
  readonly startSession: boolean
  /** A session with `6 CONNECTION REQUEST` must follow the current one (call `sessionEnded`). */
  readonly sessionAfterCurrent: boolean
}

/**
 * A serializable snapshot of the policy state.
 *
 * @category Connection requests
 */
export interface ConnectionRequestPolicyState {
  /** Accepted, session not started yet. */
  readonly pending: boolean
  /** Accepted during a session; one session follows it. */
  readonly queued: boolean
  /** Times (ms) of the accepted requests still inside the rate window. */
  readonly recent: readonly number[]
}

/**
 * Result of {@link ConnectionRequestPolicy.sessionEnded}.
 *
 * @category Connection requests
 */
export interface SessionEndResult {
  /** Start exactly one new session with `6 CONNECTION REQUEST` now. */
  readonly startSession: boolean
}

/**
 * The shared acceptance rules.
 *
 * @category Connection requests
 */
export interface ConnectionRequestPolicy {
  /** Decide an authenticated request (authentication itself is the transport's job). */
  accept(context: ConnectionRequestContext): ConnectionRequestAcceptResult
  /** Call when the session started for a pending request begins (clears `pending`). */
  sessionStarted(): void
  /**
   * Call when a session ends. `startSession` is true when a request was queued during it: start
   * exactly one new session with `6 CONNECTION REQUEST` now.
   */
  sessionEnded(): SessionEndResult
  /** Current state (a copy). */
  readonly state: ConnectionRequestPolicyState
}

/**
 * Create the acceptance rules.
 *
 * @throws {@link ConfigError} naming `options` when it is not an object
 * @throws {@link AuthError} `ERR_CWMP_AUTH_INVALID_ARGUMENT` for a bad rate limit
 *
 * @category Connection requests
 */
export function createConnectionRequestPolicy(options: ConnectionRequestPolicyOptions = {}): ConnectionRequestPolicy {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  const limit = options.rateLimit === undefined ? DEFAULT_CONNECTION_REQUEST_RATE_LIMIT : options.rateLimit
  if (limit !== null && (!Number.isInteger(limit.max) || limit.max < 1 || !(limit.windowMs > 0))) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'rateLimit needs a positive integer max and a positive windowMs')
  }
  const during = options.duringSession ?? 'queue'
  let pending = false
  let queued = false
  let recent: number[] = []

  const result = (acceptance: ConnectionRequestAcceptance): ConnectionRequestAcceptResult => ({
    acceptance,
    accepted: acceptance === 'accepted' || acceptance === 'accepted-queued' || acceptance === 'accepted-pending',
    startSession: acceptance === 'accepted',
    sessionAfterCurrent: acceptance === 'accepted-queued',
  })

  const overLimit = (now: number): boolean => {
    if (limit === null) return false
    recent = recent.filter((t) => now - t < limit.windowMs && t <= now)
    return recent.length >= limit.max
  }

  const record = (now: number): void => {
    if (limit === null) return
    recent.push(now)
    if (recent.length > limit.max) recent = recent.slice(-limit.max)
  }

  return {
    accept(context) {
      if (context.inSession) {
        // A session is running: a pending request's session has begun.
        pending = false
        if (queued) return result('accepted-pending')
        if (during === 'reject') return result('rejected-in-session')
        if (overLimit(context.now)) return result('rejected-rate-limit')
        queued = true
        record(context.now)
        return result('accepted-queued')
      }
      if (pending || queued) return result('accepted-pending')
      if (overLimit(context.now)) return result('rejected-rate-limit')
      pending = true
      record(context.now)
      return result('accepted')
    },
    sessionStarted() {
      pending = false
    },
    sessionEnded() {
      pending = false
      if (!queued) return { startSession: false }
      queued = false
      // The follow-up session is now pending: requests before it starts add nothing.
      pending = true
      return { startSession: true }
    },
    get state() {
      return { pending, queued, recent: [...recent] }
    },
  }
}
