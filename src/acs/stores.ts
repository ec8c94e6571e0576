/**
 * The simulator's shared state, each part behind its own interface: sessions (versioned records,
 * compare-and-set, TTL), devices with the device → open session index, per-device request queues,
 * per-key locks, and optionally the Digest nonce counts. In memory by default; `cwmp/redis` gives
 * all of them over one Redis, so that several simulator processes act as one ACS.
 *
 * @module
 */

import type { DigestNonceCounter } from '../auth/nonce-store.js'
import { ConfigError } from '../errors.js'
import { createMemoryDeviceStore, type DeviceStore } from './device-registry.js'
import { createMemoryLocks, type AcsLocks } from './keyed-lock.js'
import { createMemoryRequestQueues, type RequestQueueStore } from './request-queues.js'
import { createMemorySessionStore, type SessionStore } from './session-store.js'

/**
 * Where a simulator keeps what any instance needs (see {@link AcsSimulatorOptions.stores}).
 *
 * @category ACS simulator
 */
export interface AcsStores {
  /** Session records by session id. */
  readonly sessions: SessionStore
  /** Devices, and the open session of each. */
  readonly devices: DeviceStore
  /** Requests waiting per device. */
  readonly queues: RequestQueueStore
  /** Per-session and per-device locks. */
  readonly locks: AcsLocks
  /**
   * Digest nonce counts (the replay check), when they must be shared; without it each instance
   * keeps its own (`auth.nonceStore`).
   */
  readonly nonces?: DigestNonceCounter | undefined
}

/**
 * Options of {@link createMemoryAcsStores}.
 *
 * @category ACS simulator
 */
export interface MemoryAcsStoresOptions {
  /** Clock of the session store, ms since the epoch. Default `Date.now`. */
  readonly now?: () => number
  /** Most devices kept. Default 100000. */
  readonly maxDevices?: number
}

/**
 * The default stores: everything in this process's memory, synchronous.
 *
 * @param options - clock, bound on devices
 * @returns the stores (no `nonces`: the Digest server keeps its own)
 * @throws {@link ConfigError} naming `options` when it is not an object
 *
 * @category ACS simulator
 */
export function createMemoryAcsStores(options: MemoryAcsStoresOptions = {}): AcsStores {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  return {
    sessions: createMemorySessionStore(options.now === undefined ? {} : { now: options.now }),
    devices: createMemoryDeviceStore(options.maxDevices === undefined ? {} : { maxDevices: options.maxDevices }),
    queues: createMemoryRequestQueues(),
    locks: createMemoryLocks(),
  }
}
