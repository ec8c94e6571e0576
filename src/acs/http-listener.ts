/**
 * The simulator's `node:http` server: the request handler behind the server adapter, judged from
 * its head before any body byte is read (`beforeBody`: 405 and 401 answered at once, the body
 * dropped), admitted bodies read up to `maxRequestBytes` (413 beyond); connections capped and
 * given short deadlines ({@link ConnectionLimits}); listening with a large backlog, and every open
 * connection tracked so that closing the simulator closes them all. The only part with sockets.
 *
 * @module
 */

import * as http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { checkConnectionLimits, guardConnections, type ConnectionLimits } from '../transport/connection-guard.js'
import { createHttpServerAdapter, DEFAULT_MAX_REQUEST_BYTES, type HttpRequestInfo } from '../transport/http-server.js'
import type { AcsRequestHandler } from './request-handler.js'
import type { Admission } from './session-flow.js'
import type { SourceLimiter } from './source-limits.js'

/**
 * Default {@link AcsSimulatorOptions.limits}: at most 4,096 connections (a new one beyond closes
 * the oldest that never completed a request, then the oldest idle kept-alive one), a first request
 * head within 10 s of connecting, the next one within 30 s of the previous response on a kept-alive
 * connection (a CPE working between two requests of its session), a whole request within 60 s.
 *
 * @category ACS simulator
 */
export const DEFAULT_ACS_CONNECTION_LIMITS: Readonly<Required<ConnectionLimits>> = {
  maxConnections: 4096,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 30_000,
  requestTimeoutMs: 60_000,
}

/**
 * Options of {@link listenHttp}.
 *
 * @internal
 */
export interface HttpListenerOptions {
  /** Address to listen on. */
  readonly host: string
  /** TCP port; 0 for a free one. */
  readonly port: number
  /** Listen backlog. */
  readonly backlog: number
  /** Largest request body accepted (adapter default when absent). */
  readonly maxRequestBytes?: number | undefined
  /** Connection limits (over {@link DEFAULT_ACS_CONNECTION_LIMITS}). */
  readonly limits?: ConnectionLimits | undefined
  /** Told about failures the adapter answered with 500. */
  readonly onError: (error: unknown) => void
  /** Per-source limits: throttled addresses' requests are held, then their connections closed. */
  readonly sources?: SourceLimiter | undefined
}

/**
 * A listening server.
 *
 * @internal
 */
export interface HttpListener {
  /** `http://host:port/`. */
  readonly url: string
  /** The port. */
  readonly port: number
  /** Stop listening and destroy every connection. */
  close(): Promise<void>
}

/**
 * A request of a throttled address: not answered; its connection is closed after `holdMs`, or at
 * once when the address already has `maxHeld` requests held. The client in a closed loop waits.
 */
function holdThrottled(sources: SourceLimiter, socket: Socket, res: http.ServerResponse, address: string | undefined): void {
  if (!sources.hold(address)) {
    socket.destroy()
    return
  }
  const timer = setTimeout(() => socket.destroy(), sources.limits.holdMs)
  timer.unref()
  res.once('close', () => {
    clearTimeout(timer)
    sources.release(address)
  })
}

/**
 * Check the `limits` option.
 *
 * @param limits - the option
 * @throws {@link ConfigError} naming the limit
 * @internal
 */
export function acsConnectionLimits(limits: ConnectionLimits | undefined): Required<ConnectionLimits> {
  return checkConnectionLimits({ ...DEFAULT_ACS_CONNECTION_LIMITS, ...limits }, 'limits')
}

/**
 * Listen for HTTP requests: judge each from its head, then pass the admitted ones, whole, on.
 *
 * @param handler - the request handler
 * @param options - address, backlog, body limit, connection limits
 * @returns once listening
 * @internal
 */
export async function listenHttp(handler: AcsRequestHandler, options: HttpListenerOptions): Promise<HttpListener> {
  const limits = acsConnectionLimits(options.limits)
  // The adapter hands the same `info` object to beforeBody and to the handler.
  const admissions = new WeakMap<HttpRequestInfo, Admission>()
  const adapter = createHttpServerAdapter(
    async (req, info) => {
      const admission = admissions.get(info)
      if (admission === undefined) return handler.handle(req, info)
      admissions.delete(info)
      return handler.admitted(req, admission, info)
    },
    {
      ...(options.maxRequestBytes === undefined ? {} : { maxRequestBytes: options.maxRequestBytes }),
      beforeBody: async (head, info) => {
        const verdict = await handler.judge(head, info)
        if ('respond' in verdict) return { respond: verdict.respond }
        admissions.set(info, verdict.admit)
        return undefined
      },
      onError: (err) => options.onError(err),
    },
  )
  const sources = options.sources
  const maxBody = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES
  const serve: http.RequestListener =
    sources === undefined || !sources.enabled
      ? adapter
      : (req, res) => {
          const address = req.socket.remoteAddress
          if (!sources.admit(address)) {
            holdThrottled(sources, req.socket, res, address)
            return
          }
          // A body declared too large is refused from the head (413): a refusal of its source.
          if (Number(req.headers['content-length']) > maxBody) sources.refused(address)
          adapter(req, res)
        }
  const server = http.createServer({ connectionsCheckingInterval: 1_000 }, serve)
  guardConnections(server, limits)
  server.on('clientError', (_err, socket: Socket) => {
    sources?.refused(socket.remoteAddress)
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n')
    else socket.destroy()
  })
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  const { host } = options
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ port: options.port, host, backlog: options.backlog }, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host
  return {
    url: `http://${urlHost}:${port}/`,
    port,
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
      })
    },
  }
}
