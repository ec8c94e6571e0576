/**
 * Where the ACS simulator keeps its sessions between HTTP requests: a key-value store of plain JSON
 * records keyed by the session cookie. Any process that can reach the store (and shares the
 * Digest nonce secret) can continue a session another process began.
 *
 * @module
 */

import type { AcsSessionState } from '../session/acs-session.js'
import type { Inform } from '../types/messages.js'

/**
 * How a session ended, as the simulator saw it.
 *
 * @category ACS simulator
 */
export type AcsSessionOutcome =
  /** Still in progress (as far as this instance knows). */
  | 'active'
  /** Ended with the empty 204 response after the CPE's empty POST (TR-069 §3.7.2, §3.4.6). */
  | 'done'
  /** Ended unsuccessfully: 400, a fault on Inform (8006 or a hook's), an error in a hook. */
  | 'failed'
  /** No request arrived within the session timeout (SESSION-RULES §3d: at least 30 s). */
  | 'timeout'
  /** Dropped because the device began a new session with a new Inform. */
  | 'replaced'

/**
 * One stored session: the sans-I/O session state plus what the simulator needs to go on with it.
 * Plain JSON: no class instances, no functions, no `Date`s.
 *
 * @category ACS simulator
 */
export interface StoredAcsSession {
  /** The session machine's state ({@link AcsSession.toJSON}). */
  readonly session: AcsSessionState
  /** The device key (by default `OUI-ProductClass-SerialNumber`). */
  readonly deviceKey: string
  /** The Inform that opened the session. */
  readonly inform: Inform
  /** The authenticated user name, when authentication is on. */
  readonly username?: string
  /** When the session began (ms since the epoch). */
  readonly startedAt: number
  /** When the last request of the session arrived (ms since the epoch). */
  readonly lastActivity: number
  /** Idle time after which the session is over (ms). */
  readonly timeoutMs: number
  /**
   * Set once the session is over. The record is kept (for `timeoutMs`) as a tombstone, so that
   * every instance sharing the store learns the outcome and a late request with the cookie is
   * recognised.
   */
  readonly ended?: {
    /** How it ended. */
    readonly outcome: Exclude<AcsSessionOutcome, 'active'>
    /** When (ms since the epoch). */
    readonly at: number
    /** Why, for people reading logs. */
    readonly reason?: string
  }
}

/**
 * A key-value store for {@link StoredAcsSession} records, keyed by session id (the cookie
 * value). Methods may be synchronous or return promises, so Redis, a database or a `Map` all
 * fit. `ttlMs` is how long the record may be kept after this write (Redis `SET key value PX ttl`);
 * the simulator also checks idle time itself, so a store may keep records longer.
 *
 * @category ACS simulator
 */
export interface SessionStore {
  /**
   * Read a record.
   *
   * @param sessionId - the session id
   */
  get(sessionId: string): StoredAcsSession | undefined | Promise<StoredAcsSession | undefined>
  /**
   * Write a record.
   *
   * @param sessionId - the session id
   * @param record - the record (plain JSON)
   * @param ttlMs - how long it may be kept
   */
  set(sessionId: string, record: StoredAcsSession, ttlMs: number): void | Promise<void>
  /**
   * Remove a record.
   *
   * @param sessionId - the session id
   */
  delete(sessionId: string): void | Promise<void>
}

/**
 * Options of {@link createMemorySessionStore}.
 *
 * @category ACS simulator
 */
export interface MemorySessionStoreOptions {
  /** Clock, ms since the epoch. Default `Date.now`. */
  readonly now?: () => number
}

/**
 * The in-memory {@link SessionStore}, with its size for tests and monitoring.
 *
 * @category ACS simulator
 */
export interface MemorySessionStore extends SessionStore {
  /** {@inheritDoc SessionStore.get} */
  get(sessionId: string): StoredAcsSession | undefined
  /** {@inheritDoc SessionStore.set} */
  set(sessionId: string, record: StoredAcsSession, ttlMs: number): void
  /** {@inheritDoc SessionStore.delete} */
  delete(sessionId: string): void
  /** Number of records held (expired ones not yet swept included). */
  readonly size: number
}

/**
 * The default session store: a `Map` whose records expire `ttlMs` after their last write. An
 * expired record is never returned; expired records are swept at most once a second, on a write,
 * so an idle simulator holds no timer.
 *
 * @param options - clock
 * @returns the store
 * @category ACS simulator
 */
export function createMemorySessionStore(options: MemorySessionStoreOptions = {}): MemorySessionStore {
  const clock = options.now ?? Date.now
  const entries = new Map<string, { record: StoredAcsSession; expiresAt: number }>()
  let nextSweep = 0
  return {
    get size() {
      return entries.size
    },
    get(sessionId) {
      const entry = entries.get(sessionId)
      if (entry === undefined) return undefined
      if (entry.expiresAt <= clock()) {
        entries.delete(sessionId)
        return undefined
      }
      return entry.record
    },
    set(sessionId, record, ttlMs) {
      const now = clock()
      if (now >= nextSweep) {
        nextSweep = now + 1000
        for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key)
      }
      entries.set(sessionId, { record, expiresAt: now + ttlMs })
    },
    delete(sessionId) {
      entries.delete(sessionId)
    },
  }
}
