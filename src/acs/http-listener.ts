/**
 * The simulator's `node:http` server: the whole-message handler behind the server adapter (body
 * read up to `maxRequestBytes`, 413 beyond), listening with a large backlog, and every open
 * connection tracked so that closing the simulator closes them all. The only part with sockets.
 *
 * @module
 */

import * as http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createHttpServerAdapter, type HttpHandler } from '../transport/http-server.js'

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
  /** Told about failures the adapter answered with 500. */
  readonly onError: (error: unknown) => void
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
 * Listen for HTTP requests and pass each, whole, to `handler`.
 *
 * @param handler - the whole-message handler
 * @param options - address, backlog, body limit
 * @returns once listening
 * @internal
 */
export async function listenHttp(handler: HttpHandler, options: HttpListenerOptions): Promise<HttpListener> {
  const server = http.createServer(
    createHttpServerAdapter(handler, {
      ...(options.maxRequestBytes === undefined ? {} : { maxRequestBytes: options.maxRequestBytes }),
      onError: (err) => options.onError(err),
    }),
  )
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
