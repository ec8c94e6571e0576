/**
 * Per-source limits of the simulator's HTTP server (D441): every source address has a token bucket
 * of refusals (answers an honest CPE does not provoke) and, optionally, one of requests. An address
 * whose bucket is empty is throttled: its requests are held unanswered for a while, then their
 * connections are closed, so that an attacker in a closed loop waits instead of taking the CPU of
 * honest sessions. Pure bookkeeping over a clock; the sockets are the listener's.
 *
 * @module
 */

import { ConfigError } from '../errors.js'

/**
 * Limits per source address (IPv4 address, or IPv6 /64 prefix). Each is a token bucket that holds
 * `refusals` (or `requests`) tokens and refills completely in `windowMs`; an address whose bucket
 * is empty is *throttled*: each of its requests is held unanswered for `holdMs`, then its
 * connection is closed.
 *
 * A refusal is an answer that an honest CPE does not provoke: a 401 to credentials it presented (a
 * wrong password, an unknown user, a replayed or forged Authorization; not a request without
 * credentials, not a stale nonce), 403, 405, a 400 to a message that cannot be read or comes out of
 * turn (not one the ACS sends for its own reasons, such as a failed hook), 413 decided from the
 * declared size, an HTTP request that cannot be parsed, and an empty POST whose cookie names no
 * session known here (a guessed session id; an honest CPE sends one only when the ACS lost its
 * session).
 *
 * Many CPEs behind one address (carrier-grade NAT) share its buckets: a few misconfigured devices
 * there can get their neighbours throttled. Raise the limits for such networks, or set them to 0.
 *
 * @category ACS simulator
 */
export interface SourceLimits {
  /** Refusals an address may collect in `windowMs` before it is throttled. Default 50; 0 turns the limit off. */
  readonly refusals?: number
  /** Requests of any kind an address may send in `windowMs` before it is throttled. Default 0 (no limit). */
  readonly requests?: number
  /** The time in which an empty bucket fills again, ms. Default 60,000. */
  readonly windowMs?: number
  /** How long a request of a throttled address is held before its connection is closed, ms. Default 10,000. */
  readonly holdMs?: number
  /** Most requests held at once per address; a further one's connection is closed at once. Default 16. */
  readonly maxHeld?: number
  /** Most addresses remembered at once (the one first seen longest ago is forgotten first). Default 10,000. */
  readonly maxAddresses?: number
}

/**
 * Default {@link SourceLimits}.
 *
 * @category ACS simulator
 */
export const DEFAULT_SOURCE_LIMITS: Readonly<Required<SourceLimits>> = {
  refusals: 50,
  requests: 0,
  windowMs: 60_000,
  holdMs: 10_000,
  maxHeld: 16,
  maxAddresses: 10_000,
}

interface Source {
  /** Refusal tokens left (fractional: refilled continuously). */
  refusals: number
  /** Request tokens left. */
  requests: number
  /** When the tokens were last refilled. */
  at: number
  /** Requests held now. */
  held: number
}

/**
 * The bookkeeping of {@link SourceLimits}.
 *
 * @internal
 */
export interface SourceLimiter {
  /** The limits in force. */
  readonly limits: Readonly<Required<SourceLimits>>
  /** False when neither limit is on: nothing needs to be asked. */
  readonly enabled: boolean
  /**
   * A request arrives from `address`: true to serve it (one request token is taken), false when the
   * address is throttled (nothing is taken).
   */
  admit(address: string | undefined): boolean
  /** A refusal was answered to `address`: take one refusal token. */
  refused(address: string | undefined): void
  /**
   * Count a held request of `address`: true when it may be held, false when the address already
   * has `maxHeld` (its connection is then closed at once). Give it back with {@link release}.
   */
  hold(address: string | undefined): boolean
  /** A held request of `address` was let go. */
  release(address: string | undefined): void
  /** Addresses remembered now. */
  readonly size: number
}

/**
 * Check the `sourceLimits` option and fill in the defaults.
 *
 * @param limits - the option
 * @throws {@link ConfigError} naming the field (`sourceLimits.refusals`, …)
 * @internal
 */
export function checkSourceLimits(limits: unknown): Required<SourceLimits> {
  if (limits === undefined) return { ...DEFAULT_SOURCE_LIMITS }
  if (typeof limits !== 'object' || limits === null) throw new ConfigError('sourceLimits', 'an object', limits)
  const out = { ...DEFAULT_SOURCE_LIMITS, ...(limits as SourceLimits) }
  for (const key of ['refusals', 'requests', 'windowMs', 'holdMs', 'maxHeld', 'maxAddresses'] as const) {
    const v = out[key]
    const min = key === 'refusals' || key === 'requests' ? 0 : 1
    if (!Number.isSafeInteger(v) || v < min) throw new ConfigError(`sourceLimits.${key}`, `an integer ≥ ${min}`, v)
  }
  return out
}

/**
 * The key of a source address: an IPv4 address as it is (also when IPv4-mapped, `::ffff:a.b.c.d`),
 * an IPv6 address by its /64 prefix (one subscriber's whole network), anything else as it is.
 *
 * @param address - `socket.remoteAddress`
 * @internal
 */
export function sourceKey(address: string): string {
  if (!address.includes(':')) return address
  const lower = address.toLowerCase()
  if (lower.startsWith('::ffff:') && lower.includes('.')) return lower.slice(7)
  const zone = lower.indexOf('%')
  const bare = zone < 0 ? lower : lower.slice(0, zone)
  const gap = bare.indexOf('::')
  let groups: string[]
  if (gap < 0) groups = bare.split(':')
  else {
    const head = bare.slice(0, gap) === '' ? [] : bare.slice(0, gap).split(':')
    const tail = bare.slice(gap + 2) === '' ? [] : bare.slice(gap + 2).split(':')
    groups = [...head, ...Array.from({ length: Math.max(0, 8 - head.length - tail.length) }, () => '0'), ...tail]
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`
}

/**
 * The bookkeeping for a set of limits.
 *
 * @param limits - checked limits ({@link checkSourceLimits})
 * @param now - clock, ms (monotonic is best)
 * @internal
 */
export function createSourceLimiter(limits: Required<SourceLimits>, now: () => number): SourceLimiter {
  const sources = new Map<string, Source>()
  const { refusals, requests, windowMs, maxHeld, maxAddresses } = limits

  /** The address's bucket, refilled to now; undefined without an address. */
  const source = (address: string | undefined, create: boolean): Source | undefined => {
    if (address === undefined) return undefined
    const key = sourceKey(address)
    const t = now()
    let s = sources.get(key)
    if (s === undefined) {
      if (!create) return undefined
      if (sources.size >= maxAddresses) {
        // Forget a full bucket first (it is as if never seen); else the one first seen longest ago.
        let victim: string | undefined
        for (const [k, v] of sources) {
          refill(v, t)
          if (v.held === 0 && v.refusals >= refusals && v.requests >= requests) {
            victim = k
            break
          }
        }
        victim ??= sources.keys().next().value as string
        sources.delete(victim)
      }
      s = { refusals, requests, at: t, held: 0 }
      sources.set(key, s)
      return s
    }
    refill(s, t)
    return s
  }

  const refill = (s: Source, t: number): void => {
    const elapsed = t - s.at
    if (elapsed <= 0) return
    s.at = t
    s.refusals = Math.min(refusals, s.refusals + (elapsed * refusals) / windowMs)
    s.requests = Math.min(requests, s.requests + (elapsed * requests) / windowMs)
  }

  const throttled = (s: Source): boolean => (refusals > 0 && s.refusals < 1) || (requests > 0 && s.requests < 1)

  return {
    limits,
    enabled: refusals > 0 || requests > 0,
    admit(address) {
      if (refusals === 0 && requests === 0) return true
      const s = source(address, requests > 0)
      if (s === undefined) return true
      if (throttled(s)) return false
      if (requests > 0) s.requests -= 1
      return true
    },
    refused(address) {
      if (refusals === 0) return
      const s = source(address, true)
      if (s !== undefined) s.refusals = Math.max(0, s.refusals - 1)
    },
    hold(address) {
      const s = source(address, true)
      if (s === undefined || s.held >= maxHeld) return false
      s.held++
      return true
    },
    release(address) {
      const s = source(address, false)
      if (s !== undefined && s.held > 0) s.held--
    },
    get size() {
      return sources.size
    },
  }
}
