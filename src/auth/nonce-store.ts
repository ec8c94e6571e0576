/**
 * Replay protection for Digest nonces: remember, per nonce, the highest nonce count (`nc`)
 * accepted, and refuse any request that does not exceed it.
 *
 * The nonces themselves are stateless (see {@link createDigestServer}); only this bookkeeping is
 * state. It is pluggable. The default is a bounded in-memory LRU map. When it must forget a nonce
 * that has not expired yet, it remembers the issue time (and sequence) of that nonce as a floor: any
 * later request with a nonce issued at or before the floor that it no longer knows is answered
 * `forgotten`, and the server sends a fresh `stale=true` challenge. Entries dropped because they
 * expired raise the same floor, and expiry is judged on the store's own clock, which never runs
 * backwards (the highest `now` it has been given): so a wall clock that jumps forward (purging
 * entries) and then steps back (making their nonces look young again to the server) cannot bring a
 * captured Authorization back. A replay is therefore never accepted because an entry was forgotten;
 * at worst an honest client re-authenticates once, transparently.
 *
 * @module
 */

import { AuthError, ConfigError } from '../errors.js'

/**
 * Result of {@link DigestNonceStore.check}.
 *
 * @category Authentication
 */
export type DigestNonceCheck =
  /** The nonce count is higher than any seen for this nonce: accept (and it is now recorded). */
  | 'fresh'
  /** The nonce count was already used (or a lower one): a replay, refuse. */
  | 'replay'
  /** The store can no longer tell; answer with a fresh `stale=true` challenge. */
  | 'forgotten'

/**
 * One use of a nonce, as {@link DigestNonceStore.check} receives it.
 *
 * @category Authentication
 */
export interface DigestNonceUse {
  /** The nonce. */
  readonly nonce: string
  /** The nonce count, as a number (1 for the first request). */
  readonly nc: number
  /** When the server issued the nonce (ms since the epoch, from the nonce itself). */
  readonly issuedAt: number
  /**
   * Issue order among nonces of the same millisecond (a per-server counter carried in the nonce).
   * Together with `issuedAt` it orders nonces for the eviction floor.
   */
  readonly sequence: number
  /** When the nonce expires (ms since the epoch); the entry may be dropped once `now` is past it. */
  readonly expiresAt: number
  /** The current time (ms since the epoch). */
  readonly now: number
}

/**
 * Where a Digest server records nonce counts. Implementations must be synchronous, so that
 * verification stays a plain function call; for a store shared between processes, use
 * {@link DigestServer.check} (no store) and do the replay check yourself.
 *
 * @category Authentication
 */
export interface DigestNonceStore {
  /** Record `use.nc` for `use.nonce` if it is fresh, and say whether it was. */
  check(use: DigestNonceUse): DigestNonceCheck
  /** Number of nonces currently remembered. */
  readonly size: number
}

/**
 * A replay store that may answer asynchronously, for nonce counts shared by several processes (a
 * Redis one: `cwmp/redis`). Used with {@link DigestServer.check}: the server verifies everything but
 * the count, then the caller asks this store. `check` must be atomic: of two uses of one nonce
 * count, whichever instance sees them, only one is `fresh`.
 *
 * @category Authentication
 */
export interface DigestNonceCounter {
  /** Record `use.nc` for `use.nonce` if it is higher than any seen, and say whether it was. */
  check(use: DigestNonceUse): DigestNonceCheck | Promise<DigestNonceCheck>
}

/**
 * Options of {@link createMemoryNonceStore}.
 *
 * @category Authentication
 */
export interface MemoryNonceStoreOptions {
  /** Most nonces remembered at once (least recently used ones are dropped first). Default 10000. */
  readonly maxEntries?: number
}

interface Entry {
  nc: number
  readonly issuedAt: number
  readonly sequence: number
  readonly expiresAt: number
}

/** Is (a, as) at or before (b, bs)? */
function notAfter(a: number, as: number, b: number, bs: number): boolean {
  return a < b || (a === b && as <= bs)
}

/**
 * The default {@link DigestNonceStore}: an in-memory LRU map with at most `maxEntries` nonces.
 * Measured on Node 20: about 120 bytes per entry besides the 43-character nonce string itself, so
 * the default bound of 10000 is under 2 MB.
 *
 * @throws {@link ConfigError} naming `options` when it is not an object
 *
 * @category Authentication
 */
export function createMemoryNonceStore(options: MemoryNonceStoreOptions = {}): DigestNonceStore {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  const maxEntries = options.maxEntries ?? 10_000
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', 'maxEntries must be a positive integer')
  }
  const entries = new Map<string, Entry>()
  let floor = Number.NEGATIVE_INFINITY
  let floorSequence = 0
  /** The store's clock: the highest `now` seen, so it never runs backwards when the wall clock does. */
  let clock = Number.NEGATIVE_INFINITY

  /** Forget an entry: any nonce issued at or before it that the store does not know is `forgotten`. */
  const forget = (key: string, entry: Entry): void => {
    entries.delete(key)
    if (!notAfter(entry.issuedAt, entry.sequence, floor, floorSequence)) {
      floor = entry.issuedAt
      floorSequence = entry.sequence
    }
  }

  return {
    get size() {
      return entries.size
    },
    check(use) {
      const entry = entries.get(use.nonce)
      if (entry !== undefined) {
        if (use.nc <= entry.nc) return 'replay'
        entry.nc = use.nc
        entries.delete(use.nonce)
        entries.set(use.nonce, entry)
        return 'fresh'
      }
      if (notAfter(use.issuedAt, use.sequence, floor, floorSequence)) return 'forgotten'
      if (use.now > clock) clock = use.now
      // Drop expired entries at the old end first, then make room. Only entries strictly past their
      // expiry: at expiresAt itself the server still accepts the nonce, so dropping it then would
      // let a replay in during that millisecond.
      for (const [key, e] of entries) {
        if (e.expiresAt >= clock) break
        forget(key, e)
      }
      while (entries.size >= maxEntries) {
        const oldest = entries.entries().next()
        if (oldest.done === true) break
        forget(oldest.value[0], oldest.value[1])
      }
      entries.set(use.nonce, { nc: use.nc, issuedAt: use.issuedAt, sequence: use.sequence, expiresAt: use.expiresAt })
      return 'fresh'
    },
  }
}
