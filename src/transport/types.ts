/**
 * The `Transport` interface that carries whole HTTP messages, and its middleware.
 *
 * @module
 */
import { ConfigError } from '../errors.js'
import type { HttpRequest, HttpResponse } from '../types/http.js'

/**
 * Options of one {@link Transport.send} call.
 *
 * @category Transports
 */
export interface SendOptions {
  /** Aborts the request. */
  readonly signal?: AbortSignal
}

/**
 * Carries one whole HTTP request to the peer and returns its whole response.
 *
 * @category Transports
 */
export interface Transport {
  /**
   * Send a request and wait for the response.
   *
   * @throws {@link TransportError} when no response arrives
   */
  send(request: HttpRequest, options?: SendOptions): Promise<HttpResponse>
  /** Release connections and other resources (optional). */
  close?(): Promise<void> | void
}

/**
 * Wraps a transport to add behaviour (cookies, authentication, logging); compose with {@link composeTransport}.
 *
 * @category Transports
 */
export type TransportMiddleware = (next: Transport) => Transport

/**
 * Build a transport from a base transport and middleware; the first middleware is the outermost.
 *
 * @param base - the transport that does the I/O
 * @param middleware - wrappers, outermost first
 *
 * @throws {@link ConfigError} naming `base` when it is not a transport, or `middleware.N` when one is not a
 * function
 * @category Transports
 */
export function composeTransport(base: Transport, ...middleware: readonly TransportMiddleware[]): Transport {
  const badClose = typeof base === 'object' && base !== null && base.close !== undefined && typeof base.close !== 'function'
  if (typeof base !== 'object' || base === null || typeof base.send !== 'function' || badClose) {
    throw new ConfigError('base', 'a Transport (an object with a send function and an optional close function)', base)
  }
  for (let i = 0; i < middleware.length; i++) {
    if (typeof middleware[i] !== 'function') throw new ConfigError(`middleware.${i}`, 'a function', middleware[i])
  }
  let t = base
  for (let i = middleware.length - 1; i >= 0; i--) t = (middleware[i] as TransportMiddleware)(t)
  return t
}

/**
 * The body length in bytes.
 *
 * @param body - a message body
 *
 * @category Transports
 */
export function bodyLength(body: string | Uint8Array): number {
  return typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength
}
