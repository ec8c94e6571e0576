/**
 * Per-device queues of ACS requests: what {@link AcsSimulator.queue} adds, waiting for the device's
 * next session (taken at its Inform) or its current session (taken at the next ACS turn). The
 * simulator reaches the queues only through {@link RequestQueues}, so that a store shared by several
 * processes can serve them instead of this in-memory one.
 *
 * @module
 */

import type { AcsRequest } from '../types/messages.js'

/**
 * The per-device request queues of one simulator.
 *
 * @internal
 */
export interface RequestQueues {
  /**
   * Append requests to a device's queue.
   *
   * @param deviceKey - the device key
   * @param requests - in the order they are to be sent
   */
  push(deviceKey: string, requests: readonly AcsRequest[]): void
  /**
   * Take every request waiting for a device; its queue is empty afterwards.
   *
   * @param deviceKey - the device key
   * @returns the requests, oldest first (empty when none wait)
   */
  takeAll(deviceKey: string): AcsRequest[]
  /**
   * Put requests back at the front of a device's queue, in their order (the unsent requests of a
   * session that did not end well).
   *
   * @param deviceKey - the device key
   * @param requests - the requests
   */
  putBack(deviceKey: string, requests: readonly AcsRequest[]): void
  /**
   * The requests waiting for a device.
   *
   * @param deviceKey - the device key
   * @returns a copy, oldest first
   */
  peek(deviceKey: string): AcsRequest[]
}

/**
 * The in-memory {@link RequestQueues}: one array per device with something queued.
 *
 * @returns empty queues
 * @internal
 */
export function createMemoryRequestQueues(): RequestQueues {
  const queues = new Map<string, AcsRequest[]>()
  return {
    push(deviceKey, requests) {
      if (requests.length === 0) return
      queues.set(deviceKey, [...(queues.get(deviceKey) ?? []), ...requests])
    },
    takeAll(deviceKey) {
      const q = queues.get(deviceKey)
      if (q === undefined || q.length === 0) return []
      queues.delete(deviceKey)
      return q
    },
    putBack(deviceKey, requests) {
      if (requests.length === 0) return
      queues.set(deviceKey, [...requests, ...(queues.get(deviceKey) ?? [])])
    },
    peek(deviceKey) {
      return [...(queues.get(deviceKey) ?? [])]
    },
  }
}
