/**
 * The ACS side: a `node:http` request listener around a whole-message handler.
 *
 * @module
 */

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import { asUint8Array, fromRawHeaders, bodyBytes } from './node-http.js'
import type { HttpRequest, HttpResponse } from '../types/http.js'

/**
 * Default {@link HttpServerAdapterOptions.maxRequestBytes}: 32 MiB.
 *
 * @category Transports
 */
export const DEFAULT_MAX_REQUEST_BYTES = 32 * 1024 * 1024

/**
 * Facts about the connection a request came in on.
 *
 * @category Transports
 */
export interface HttpRequestInfo {
  /** The peer's IP address. */
  readonly remoteAddress: string | undefined
  /** The peer's port. */
  readonly remotePort: number | undefined
  /** True for a TLS connection. */
  readonly secure: boolean
  /** Aborted when the client goes away before the response is sent. */
  readonly signal: AbortSignal
}

/**
 * A whole-message handler: the request (with `url` the request-target, e.g. `/acs?x=1`, and the
 * body as bytes) in, the response out.
 *
 * @category Transports
 */
export type HttpHandler = (request: HttpRequest, info: HttpRequestInfo) => HttpResponse | Promise<HttpResponse>

/**
 * Options of {@link createHttpServerAdapter}.
 *
 * @category Transports
 */
export interface HttpServerAdapterOptions {
  /** Largest request body accepted, in bytes; a larger one gets 413. Default 32 MiB. */
  readonly maxRequestBytes?: number
  /**
   * Told about every handler failure (thrown error, rejected promise, unusable response) answered
   * with 500. The client never sees the error. Default: nothing.
   */
  readonly onError?: (error: unknown, request: HttpRequest) => void
}

/**
 * Turn a whole-message handler into a `node:http` request listener (for `http.createServer` or
 * `https.createServer`). It reads the body fully (413 beyond `maxRequestBytes`, and the
 * connection is closed because the rest of the body is not read), calls the handler, and writes
 * its response with `content-length` set. A handler that throws or rejects gets a 500 with an empty
 * body: nothing of the error reaches the client. Keep-alive is Node's: connections stay open
 * between requests unless the handler's response says `connection: close`.
 *
 * @param handler - produces the response
 * @param options - limits and error reporting
 * @returns the request listener
 *
 * @example
 * ```ts
 * const server = http.createServer(createHttpServerAdapter(async (req) => {
 *   const sid = parseCookieHeader(req.headers['cookie']).get('session')
 *   return { status: 204, headers: {}, body: '' }
 * }))
 * server.listen(7547)
 * ```
 *
 * @category Transports
 */
export function createHttpServerAdapter(handler: HttpHandler, options: HttpServerAdapterOptions = {}): RequestListener {
  const max = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES
  const report = (error: unknown, request: HttpRequest): void => {
    try {
      options.onError?.(error, request)
    } catch {
      // A failing error reporter must not take the server down.
    }
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    const controller = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) controller.abort()
    })
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > max) {
      refuse(res, 413)
      req.resume()
      return
    }
    const chunks: Buffer[] = []
    let total = 0
    let refused = false
    req.on('data', (chunk: Buffer) => {
      if (refused) return
      total += chunk.byteLength
      if (total > max) {
        refused = true
        chunks.length = 0
        refuse(res, 413)
        return
      }
      chunks.push(chunk)
    })
    req.on('error', () => {
      // The client went away mid-body: nobody to answer.
      refused = true
    })
    req.on('end', () => {
      if (refused) return
      const request: HttpRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: fromRawHeaders(req.rawHeaders),
        body: asUint8Array(Buffer.concat(chunks, total)),
      }
      const info: HttpRequestInfo = {
        remoteAddress: req.socket.remoteAddress,
        remotePort: req.socket.remotePort,
        secure: 'encrypted' in req.socket && req.socket.encrypted === true,
        signal: controller.signal,
      }
      void run(request, info)
    })

    const run = async (request: HttpRequest, info: HttpRequestInfo): Promise<void> => {
      let response: HttpResponse
      try {
        response = await handler(request, info)
      } catch (err) {
        report(err, request)
        refuse(res, 500, false)
        return
      }
      if (res.destroyed) return
      try {
        write(res, request.method, response)
      } catch (err) {
        // Invalid status or header characters: nothing was written yet.
        report(err, request)
        if (!res.headersSent) refuse(res, 500, false)
        else res.destroy()
      }
    }
  }
}

function write(res: ServerResponse, method: string, response: HttpResponse): void {
  const status = response.status
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`invalid status ${String(status)}`)
  const noBody = status === 204 || status === 304
  const body = noBody ? new Uint8Array(0) : bodyBytes(response.body)
  for (const [name, value] of Object.entries(response.headers)) {
    const lower = name.toLowerCase()
    if (lower === 'content-length' || lower === 'transfer-encoding') continue
    res.setHeader(lower, typeof value === 'string' ? value : [...value])
  }
  if (!noBody) res.setHeader('content-length', String(body.byteLength))
  res.writeHead(status)
  res.end(method === 'HEAD' ? undefined : body)
}

/** An empty error response; `close` also ends the connection (the body was not all read). */
function refuse(res: ServerResponse, status: number, close = true): void {
  if (res.headersSent || res.destroyed) return
  res.statusCode = status
  for (const name of res.getHeaderNames()) res.removeHeader(name)
  res.setHeader('content-length', '0')
  if (close) res.setHeader('connection', 'close')
  res.end()
}
