/**
 * Connection limits for the library's `node:http` servers (the Connection Request listener, the ACS
 * simulator): a cap on open connections that evicts idle ones first, and a deadline for each request
 * head, so that idle, zero-byte and slowloris sockets cost a bounded number of file descriptors for a
 * bounded time.
 *
 * @module
 */

import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { ConfigError } from '../errors.js'

/**
 * Limits on the connections of a server.
 *
 * @category Transports
 */
export interface ConnectionLimits {
  /**
   * Most connections open at once. A new connection beyond it closes the oldest connection that is
   * waiting for a request (idle, or still sending its request head), or is itself closed when every
   * open connection has a request in progress.
   */
  readonly maxConnections?: number
  /**
   * A connection must deliver a complete request head within this many ms of connecting, and of the
   * end of its previous response (keep-alive); otherwise it is closed. Covers zero-byte sockets,
   * slowloris heads and idle keep-alive connections alike.
   */
  readonly headersTimeoutMs?: number
  /** A whole request, head and body, must arrive within this many ms (Node's `requestTimeout`). */
  readonly requestTimeoutMs?: number
  /**
   * On a kept-alive connection that has been answered at least once, the next complete request head
   * must arrive within this many ms of the end of the previous response (a CPE thinking between two
   * requests of its session). Default: `headersTimeoutMs`.
   */
  readonly keepAliveTimeoutMs?: number
}

/**
 * Limits as {@link guardConnections} takes them: everything set but `keepAliveTimeoutMs`.
 *
 * @internal
 */
export type CheckedConnectionLimits = Required<Omit<ConnectionLimits, 'keepAliveTimeoutMs'>> & Pick<ConnectionLimits, 'keepAliveTimeoutMs'>

/**
 * What {@link guardConnections} reports.
 *
 * @category Transports
 * @internal
 */
export interface ConnectionGuard {
  /** Connections open now. */
  readonly open: number
  /** Connections closed so far because of a limit. */
  readonly closed: number
}

interface Tracked {
  /** A request is in progress (its head was parsed and its response is not finished). */
  busy: boolean
  /** At least one response was sent on it. */
  served: boolean
  timer: ReturnType<typeof setTimeout> | undefined
}

/**
 * Check limits given by a user: positive integers (ms and counts), named by `field` in the error.
 *
 * @throws {@link ConfigError} naming the limit
 * @internal
 */
export function checkConnectionLimits<L extends CheckedConnectionLimits>(limits: L, field: string): L {
  for (const key of ['maxConnections', 'headersTimeoutMs', 'requestTimeoutMs', 'keepAliveTimeoutMs'] as const) {
    const v = limits[key]
    if (key === 'keepAliveTimeoutMs' && v === undefined) continue
    if (!Number.isSafeInteger(v) || (v as number) < 1) throw new ConfigError(`${field}.${key}`, 'an integer ≥ 1', v)
  }
  return limits
}

/**
 * Apply {@link ConnectionLimits} to a `node:http` server. Call it before `listen`.
 *
 * @internal
 */
export function guardConnections(server: Server, limits: CheckedConnectionLimits): ConnectionGuard {
  const sockets = new Map<Socket, Tracked>()
  let closed = 0
  const keepAlive = limits.keepAliveTimeoutMs ?? limits.headersTimeoutMs
  server.requestTimeout = limits.requestTimeoutMs
  // Node's own head deadline counts from the first byte; ours also covers sockets that send none.
  server.headersTimeout = Math.min(server.headersTimeout, limits.headersTimeoutMs + 1000)
  server.keepAliveTimeout = keepAlive

  const arm = (socket: Socket, t: Tracked, ms: number): void => {
    if (t.timer !== undefined) clearTimeout(t.timer)
    t.timer = setTimeout(() => {
      closed++
      socket.destroy()
    }, ms)
    t.timer.unref()
  }

  server.on('connection', (socket: Socket) => {
    if (sockets.size >= limits.maxConnections) {
      // The oldest connection that never completed a request goes first (zero-byte, slowloris),
      // then the oldest idle kept-alive one; one with a request in progress never.
      let victim: Socket | undefined
      let idleServed: Socket | undefined
      for (const [s, t] of sockets) {
        if (t.busy) continue
        if (!t.served) {
          victim = s
          break
        }
        idleServed ??= s
      }
      victim ??= idleServed
      closed++
      if (victim === undefined) {
        socket.destroy()
        return
      }
      victim.destroy()
      const t = sockets.get(victim)
      if (t?.timer !== undefined) clearTimeout(t.timer)
      sockets.delete(victim)
    }
    const t: Tracked = { busy: false, served: false, timer: undefined }
    sockets.set(socket, t)
    arm(socket, t, limits.headersTimeoutMs)
    socket.on('close', () => {
      if (t.timer !== undefined) clearTimeout(t.timer)
      sockets.delete(socket)
    })
  })

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket
    const t = sockets.get(socket)
    if (t === undefined) return
    t.busy = true
    if (t.timer !== undefined) clearTimeout(t.timer)
    t.timer = undefined
    res.on('finish', () => {
      t.busy = false
      t.served = true
      if (!socket.destroyed) arm(socket, t, keepAlive)
    })
    res.on('close', () => {
      t.busy = false
    })
  })

  return {
    get open() {
      return sockets.size
    },
    get closed() {
      return closed
    },
  }
}
