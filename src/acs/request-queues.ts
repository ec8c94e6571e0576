/**
 * Per-device queues of ACS requests: what {@link AcsSimulator.queue} adds, waiting for the device's
 * next session (taken at its Inform) or its current session (taken at the next ACS turn). The
 * simulator reaches the queues only through {@link RequestQueueStore}, so that a store shared by
 * several processes (`cwmp/redis`) serves them as well as this in-memory one.
 *
 * @module
 */

import type { AcsRequest } from '../types/messages.js'

/**
 * Per-device request queues. Methods may return plain values or promises. `takeAll` must be atomic
 * (a request taken by one instance is never taken by another).
 *
 * @category ACS simulator
 */
export interface RequestQueueStore {
  /**
   * Append requests to a device's queue.
   *
   * @param deviceKey - the device key
   * @param requests - in the order they are to be sent
   */
  push(deviceKey: string, requests: readonly AcsRequest[]): void | Promise<void>
  /**
   * Take every request waiting for a device; its queue is empty afterwards.
   *
   * @param deviceKey - the device key
   * @returns the requests, oldest first (empty when none wait)
   */
  takeAll(deviceKey: string): readonly AcsRequest[] | Promise<readonly AcsRequest[]>
  /**
   * Put requests back at the front of a device's queue, in their order (the unsent requests of a
   * session that did not end well).
   *
   * @param deviceKey - the device key
   * @param requests - the requests
   */
  putBack(deviceKey: string, requests: readonly AcsRequest[]): void | Promise<void>
  /**
   * The requests waiting for a device.
   *
   * @param deviceKey - the device key
   * @returns a copy, oldest first
   */
  peek(deviceKey: string): AcsRequest[] | Promise<AcsRequest[]>
}

/**
 * The in-memory {@link RequestQueueStore}: every method synchronous.
 *
 * @category ACS simulator
 */
export interface MemoryRequestQueues extends RequestQueueStore {
  /** {@inheritDoc RequestQueueStore.push} */
  push(deviceKey: string, requests: readonly AcsRequest[]): void
  /** {@inheritDoc RequestQueueStore.takeAll} */
  takeAll(deviceKey: string): readonly AcsRequest[]
  /** {@inheritDoc RequestQueueStore.putBack} */
  putBack(deviceKey: string, requests: readonly AcsRequest[]): void
  /** {@inheritDoc RequestQueueStore.peek} */
  peek(deviceKey: string): AcsRequest[]
}

/**
 * The in-memory {@link RequestQueueStore} (synchronous): one array per device with something queued.
 *
 * @returns empty queues
 * @category ACS simulator
 */
export function createMemoryRequestQueues(): MemoryRequestQueues {
  const queues = new Map<string, AcsRequest[]>()
  return {
    push(deviceKey, requests) {
      if (requests.length === 0) return
      const q = queues.get(deviceKey)
      if (q === undefined) queues.set(deviceKey, [...requests])
      else for (const r of requests) q.push(r)
    },
    takeAll(deviceKey) {
      const q = queues.get(deviceKey)
      if (q === undefined || q.length === 0) return []
      queues.delete(deviceKey)
      return q
    },
    putBack(deviceKey, requests) {
      if (requests.length === 0) return
      const q = queues.get(deviceKey)
      queues.set(deviceKey, q === undefined ? [...requests] : requests.concat(q))
    },
    peek(deviceKey) {
      return [...(queues.get(deviceKey) ?? [])]
    },
  }
}
