/**
 * Where the ACS simulator keeps its sessions between HTTP requests: a key-value store of plain JSON
 * records keyed by the session cookie. Any process that can reach the store (and shares the
 * Digest nonce secret) can continue a session another process began.
 *
 * @module
 */

import { ConfigError } from '../errors.js'
import type { AcsSessionState } from '../session/acs-session.js'
import type { AcsRequest, Inform } from '../types/messages.js'

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
  /** The requests the ACS sent in the session so far, oldest first (whichever instance sent them). */
  readonly sent?: readonly AcsRequest[]
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
 * A record as read from a {@link SessionStore}, with its version: the number the store gave it at
 * its last write. A write names the version it read ({@link SessionStore.compareAndSet}).
 *
 * @category ACS simulator
 */
export interface VersionedSession {
  /** The record. */
  readonly record: StoredAcsSession
  /** Its version (from 1; each write adds one). */
  readonly version: number
}

/**
 * A key-value store for {@link StoredAcsSession} records, keyed by session id (the cookie value),
 * each with a version and a TTL, written only by compare-and-set: that is what lets several
 * simulator processes share it without a request on one instance undoing what another did (the same
 * RPC sent twice, a session revived after it was replaced). Methods may return plain values or
 * promises, so a `Map`, Redis (`cwmp/redis`) or a database all fit. `ttlMs` is how long the record
 * may be kept after this write (Redis `PX`); the simulator also checks idle time itself, so a store
 * may keep records longer.
 *
 * @category ACS simulator
 */
export interface SessionStore {
  /**
   * Read a record and its version.
   *
   * @param sessionId - the session id
   */
  get(sessionId: string): VersionedSession | undefined | Promise<VersionedSession | undefined>
  /**
   * Write a record if its version is still `expected` (`undefined`: only if there is no record).
   *
   * @param sessionId - the session id
   * @param expected - the version read, or undefined for a new record
   * @param record - the record (plain JSON)
   * @param ttlMs - how long it may be kept
   * @returns the new version, or undefined when the version was not `expected` (nothing written)
   */
  compareAndSet(
    sessionId: string,
    expected: number | undefined,
    record: StoredAcsSession,
    ttlMs: number,
  ): number | undefined | Promise<number | undefined>
  /**
   * Remove a record.
   *
   * @param sessionId - the session id
   */
  delete(sessionId: string): void | Promise<void>
  /**
   * Every record held (live sessions and the tombstones of ended ones), for
   * {@link AcsSimulator.allSessions}. Optional; without it that lists nothing.
   */
  list?(): Iterable<[string, StoredAcsSession]> | Promise<Iterable<[string, StoredAcsSession]>>
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
 * The in-memory {@link SessionStore} (synchronous), with its size for tests and monitoring.
 *
 * @category ACS simulator
 */
export interface MemorySessionStore extends SessionStore {
  /** {@inheritDoc SessionStore.get} */
  get(sessionId: string): VersionedSession | undefined
  /** {@inheritDoc SessionStore.compareAndSet} */
  compareAndSet(sessionId: string, expected: number | undefined, record: StoredAcsSession, ttlMs: number): number | undefined
  /** {@inheritDoc SessionStore.delete} */
  delete(sessionId: string): void
  /** {@inheritDoc SessionStore.list} */
  list(): Iterable<[string, StoredAcsSession]>
  /** Number of records held (expired ones not yet swept included). */
  readonly size: number
}

interface MemoryEntry extends VersionedSession {
  readonly expiresAt: number
}

/**
 * The default session store: a `Map` whose records expire `ttlMs` after their last write. An
 * expired record is never returned; expired records are swept at most once a second, on a write,
 * so an idle simulator holds no timer.
 *
 * @param options - clock
 * @returns the store
 * @throws {@link ConfigError} naming `options` when it is not an object
 *
 * @category ACS simulator
 */
export function createMemorySessionStore(options: MemorySessionStoreOptions = {}): MemorySessionStore {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  const clock = options.now ?? Date.now
  const entries = new Map<string, MemoryEntry>()
  let nextSweep = 0
  const live = (sessionId: string, now: number): MemoryEntry | undefined => {
    const entry = entries.get(sessionId)
    if (entry === undefined) return undefined
    if (entry.expiresAt <= now) {
      entries.delete(sessionId)
      return undefined
    }
    return entry
  }
  return {
    get size() {
      return entries.size
    },
    get(sessionId) {
      return live(sessionId, clock())
    },
    compareAndSet(sessionId, expected, record, ttlMs) {
      const now = clock()
      if (now >= nextSweep) {
        nextSweep = now + 1000
        for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key)
      }
      const current = live(sessionId, now)
      if (current?.version !== expected) return undefined
      const version = (current?.version ?? 0) + 1
      entries.set(sessionId, { record, version, expiresAt: now + ttlMs })
      return version
    },
    delete(sessionId) {
      entries.delete(sessionId)
    },
    *list() {
      const now = clock()
      for (const [id, entry] of entries) if (entry.expiresAt > now) yield [id, entry.record]
    },
  }
}
