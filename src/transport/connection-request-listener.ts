/**
 * The CPE's Connection Request port on `node:http`, around the sans-I/O handler of `src/connreq`.
 *
 * @module
 */

import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { IncomingConnectionRequest } from '../connreq/http.js'
import { ConfigError, TransportError } from '../errors.js'
import { checkConnectionLimits, guardConnections, type ConnectionLimits } from './connection-guard.js'
import { fromRawHeaders } from './node-http.js'

/**
 * What a Connection Request handler decides; `createConnectionRequestHandler(…).handle` returns a
 * value of this shape (`ConnectionRequestDecision`).
 *
 * @category Transports
 */
export interface ConnectionRequestListenerDecision {
  /** The response to send now (TR-069: 200 or 204 with an empty body on success). */
  readonly response: {
    /** HTTP status. */
    readonly status: number
    /** Header fields; an array value is sent as repeated fields. */
    readonly headers: Readonly<Record<string, string | readonly string[]>>
    /** Body; Connection Request responses have none. */
    readonly body?: string
  }
  /** Start a session with `6 CONNECTION REQUEST` (after the response has been sent). */
  readonly startSession?: boolean
}

/**
 * Options of {@link startConnectionRequestListener}.
 *
 * @category Transports
 */
export interface ConnectionRequestListenerOptions<D extends ConnectionRequestListenerDecision> {
  /** TCP port; 0 picks a free one. Default 0 (TR-069 names none; 7547 is customary). */
  readonly port?: number
  /** Address to listen on. Default: every interface. */
  readonly host?: string
  /**
   * The sans-I/O handler, called with each request and the current time, e.g.
   * `(req, now) => cr.handle(req, { now, inSession })` with `cr` from `createConnectionRequestHandler`.
   */
  readonly handler: (request: IncomingConnectionRequest, now: number) => D
  /**
   * Called once the response has been written, with the decision, e.g. to start the session
   * (TR-069 §3.2.2: the response goes out before the session starts). Exceptions are ignored.
   */
  readonly onDecision?: (decision: D, request: IncomingConnectionRequest) => void
  /** Told about handler failures (answered 500). Default: nothing. */
  readonly onError?: (error: unknown) => void
  /** Path of the returned URL, e.g. the random path the handler accepts. Default `/`. */
  readonly path?: string
  /** Host of the returned URL (the address the ACS can reach). Default `host`, or `127.0.0.1`. */
  readonly urlHost?: string
  /** Clock (ms since the epoch) passed to the handler. Default `Date.now`. */
  readonly now?: () => number
  /**
   * Connection limits. Default {@link DEFAULT_CONNECTION_REQUEST_LIMITS}: at most 32 connections
   * (a new one evicts the oldest idle one), a request head within 5 s, a whole request within 10 s.
   */
  readonly limits?: ConnectionLimits
}

/**
 * Default {@link ConnectionRequestListenerOptions.limits}. An ACS sends one short GET per Connection
 * Request, so a few connections and seconds are plenty; idle or zero-byte sockets beyond them are
 * closed, so they cannot use up the CPE's file descriptors.
 *
 * @category Transports
 */
export const DEFAULT_CONNECTION_REQUEST_LIMITS: Required<Omit<ConnectionLimits, 'keepAliveTimeoutMs'>> = {
  maxConnections: 32,
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
}

/**
 * A running Connection Request listener.
 *
 * @category Transports
 */
export interface ConnectionRequestListener {
  /** The ConnectionRequestURL to report in the Inform (`http://urlHost:port/path`). */
  readonly url: string
  /** The port listened on. */
  readonly port: number
  /** Stop listening and close every connection. */
  close(): Promise<void>
}

// A Connection Request has no meaningful body (TR-069: "any body is ignored"); beyond this much,
// the connection is dropped.
const MAX_IGNORED_BODY = 64 * 1024

/**
 * Listen for HTTP Connection Requests (TR-069 §3.2.2) and answer each through a sans-I/O handler.
 * Plain HTTP only, as TR-069 requires for this port. Bodies are read and ignored (the connection
 * is dropped beyond 64 KiB); a handler that throws gets a 500 with an empty body. Connections are
 * capped and must send their request promptly (`limits`), so idle or slow sockets cannot keep the
 * port from answering the ACS.
 *
 * @param options - port, address, handler and callbacks
 * @returns the listener, once it is listening
 * @throws {@link ConfigError} (a rejection) naming `options`, `handler`, `host`, `path`, `urlHost`,
 * `onDecision`, `onError` or `now` when one is of the wrong type
 * @throws {@link TransportError} `ERR_CWMP_TRANSPORT` when the port cannot be opened; {@link ConfigError}
 * for limits that are not positive integers
 *
 * @example
 * ```ts
 * const cr = createConnectionRequestHandler({ path: '/cr/8f2a', username: 'acs', password: 'pw' })
 * const listener = await startConnectionRequestListener({
 *   port: 7547, path: '/cr/8f2a', urlHost: wanAddress,
 *   handler: (req, now) => cr.handle(req, { now, inSession: client.inSession }),
 *   onDecision: (d) => { if (d.startSession) client.startSession(['6 CONNECTION REQUEST']) },
 * })
 * // listener.url → ManagementServer.ConnectionRequestURL
 * ```
 *
 * @category Transports
 */
export async function startConnectionRequestListener<D extends ConnectionRequestListenerDecision>(
  options: ConnectionRequestListenerOptions<D>,
): Promise<ConnectionRequestListener> {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  if (typeof options.handler !== 'function') throw new ConfigError('handler', 'a function', options.handler)
  for (const k of ['host', 'path', 'urlHost'] as const) {
    if (options[k] !== undefined && typeof options[k] !== 'string') throw new ConfigError(k, 'a string', options[k])
  }
  for (const k of ['onDecision', 'onError', 'now'] as const) {
    if (options[k] !== undefined && typeof options[k] !== 'function') throw new ConfigError(k, 'a function', options[k])
  }
  const clock = options.now ?? Date.now
  const limits = checkConnectionLimits({ ...DEFAULT_CONNECTION_REQUEST_LIMITS, ...options.limits }, 'limits')
  const server = http.createServer({ requestTimeout: limits.requestTimeoutMs, connectionsCheckingInterval: 1_000 }, (req, res) => {
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength
      if (size > MAX_IGNORED_BODY) req.socket.destroy()
    })
    req.on('error', () => {
      // The client went away.
    })
    req.on('end', () => {
      const request: IncomingConnectionRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: fromRawHeaders(req.rawHeaders),
      }
      let decision: D
      try {
        decision = options.handler(request, clock())
      } catch (err) {
        try {
          options.onError?.(err)
        } catch {
          // ignored
        }
        if (!res.headersSent) res.writeHead(500, { 'content-length': '0' }).end()
        return
      }
      const { status, headers } = decision.response
      const body = Buffer.from(decision.response.body ?? '', 'utf8')
      try {
        for (const [name, value] of Object.entries(headers)) {
          const lower = name.toLowerCase()
          if (lower !== 'content-length') res.setHeader(lower, typeof value === 'string' ? value : [...value])
        }
        if (status !== 204) res.setHeader('content-length', String(body.byteLength))
        res.writeHead(status)
      } catch (err) {
        try {
          options.onError?.(err)
        } catch {
          // ignored
        }
        if (!res.headersSent) {
          for (const name of res.getHeaderNames()) res.removeHeader(name)
          res.writeHead(500, { 'content-length': '0' }).end()
        }
        return
      }
      res.end(status === 204 || req.method === 'HEAD' ? undefined : body, () => {
        try {
          options.onDecision?.(decision, request)
        } catch {
          // ignored
        }
      })
    })
  })
  guardConnections(server, limits)
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
    else socket.destroy()
  })

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      reject(new TransportError('ERR_CWMP_TRANSPORT', `cannot listen for Connection Requests: ${err.message}`, { cause: err }))
    }
    server.once('error', onError)
    server.listen(options.port ?? 0, options.host, () => {
      server.off('error', onError)
      resolve()
    })
  })

  const port = (server.address() as AddressInfo).port
  const rawHost = options.urlHost ?? (isWildcard(options.host) ? '127.0.0.1' : (options.host as string))
  const host = rawHost.includes(':') && !rawHost.startsWith('[') ? `[${rawHost}]` : rawHost
  const path = options.path ?? '/'
  return {
    url: `http://${host}:${port}${path.startsWith('/') ? path : `/${path}`}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

function isWildcard(host: string | undefined): boolean {
  return host === undefined || host === '' || host === '0.0.0.0' || host === '::'
}
