/**
 * The ACS side: a `node:http` request listener around a whole-message handler.
 *
 * @module
 */

import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { ConfigError } from '../errors.js'
import { asUint8Array, fromRawHeaders } from './node-http.js'
import type { HttpHeaders, HttpRequest, HttpResponse } from '../types/http.js'

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
 * A request before its body is read: the request line and the header fields.
 *
 * @category Transports
 */
export interface HttpRequestHead {
  /** Request method. */
  readonly method: string
  /** The request-target, e.g. `/acs?x=1`. */
  readonly url: string
  /** Header fields, names in lower case. */
  readonly headers: HttpHeaders
}

/**
 * What {@link HttpServerAdapterOptions.beforeBody} decides from a request head:
 * - `undefined`: read the body (up to `maxRequestBytes`) and call the handler;
 * - `{ maxBodyBytes }`: read the body only up to this many bytes (413 and the connection closed
 *   beyond), then call the handler: for requests that can be judged only with their body (Digest
 *   `auth-int`), so that an unauthenticated body still costs little;
 * - `{ respond }`: send this response now without calling the handler. The body is not kept: up
 *   to {@link DEFAULT_UNREAD_BODY_BYTES} of it is read and dropped so the connection can serve the
 *   next request; a larger body closes the connection.
 *
 * @category Transports
 */
export type HttpBodyDecision =
  | undefined
  | {
      /** Largest body to read for this request. */
      readonly maxBodyBytes: number
    }
  | {
      /** The response to send at once. */
      readonly respond: HttpResponse
    }

/**
 * How much of the body of a request answered by {@link HttpServerAdapterOptions.beforeBody} is read
 * and dropped to keep its connection open: 64 KiB. A larger body closes the connection.
 *
 * @category Transports
 */
export const DEFAULT_UNREAD_BODY_BYTES = 64 * 1024

/**
 * Options of {@link createHttpServerAdapter}.
 *
 * @category Transports
 */
export interface HttpServerAdapterOptions {
  /** Largest request body accepted, in bytes; a larger one gets 413. Default 32 MiB. */
  readonly maxRequestBytes?: number
  /**
   * Judge a request from its head before any byte of its body is read, e.g. to refuse an
   * unauthenticated request with a 401 without buffering its body (see {@link HttpBodyDecision}).
   * A failure (throw or rejection) is answered 500 like a handler failure. Default: every body is
   * read.
   */
  readonly beforeBody?: (head: HttpRequestHead, info: HttpRequestInfo) => HttpBodyDecision | Promise<HttpBodyDecision>
  /**
   * Told about every handler failure (thrown error, rejected promise, unusable response) answered
   * with 500. The client never sees the error. Default: nothing.
   */
  readonly onError?: (error: unknown, request: HttpRequest) => void
}

/**
 * Turn a whole-message handler into a `node:http` request listener (for `http.createServer` or
 * `https.createServer`). It asks `beforeBody` (if set) about the request head, reads the body fully
 * (413 beyond `maxRequestBytes`, and the connection is closed because the rest of the body is not
 * read), calls the handler, and writes
 * its response with `content-length` set. A handler that throws or rejects gets a 500 with an empty
 * body: nothing of the error reaches the client. Keep-alive is Node's: connections stay open
 * between requests unless the handler's response says `connection: close`.
 *
 * @param handler - produces the response
 * @param options - limits and error reporting
 * @returns the request listener
 *
 * @throws {@link ConfigError} naming `handler` when it is not a function or `options` when it is not an
 * object
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
  if (typeof handler !== 'function') throw new ConfigError('handler', 'a function', handler)
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  const max = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES
  const report = (error: unknown, request: HttpRequest): void => {
    try {
      options.onError?.(error, request)
    } catch {
      // A failing error reporter must not take the server down.
    }
  }

  return (req: IncomingMessage, res: ServerResponse): void => {
    // The AbortController is made only if someone reads `info.signal` (most handlers never do).
    let controller: AbortController | undefined
    let gone = false
    res.on('close', () => {
      if (res.writableFinished) return
      gone = true
      controller?.abort()
    })
    const socket = req.socket
    const info: HttpRequestInfo = {
      remoteAddress: socket.remoteAddress,
      remotePort: socket.remotePort,
      secure: 'encrypted' in socket && socket.encrypted === true,
      get signal(): AbortSignal {
        if (controller === undefined) {
          controller = new AbortController()
          if (gone) controller.abort()
        }
        return controller.signal
      },
    }
    const head: HttpRequestHead = { method: req.method ?? 'GET', url: req.url ?? '/', headers: fromRawHeaders(req.rawHeaders) }
    if (options.beforeBody === undefined) {
      readBody(req, res, head, info, max)
      return
    }
    req.pause()
    let decided: HttpBodyDecision | Promise<HttpBodyDecision>
    try {
      decided = options.beforeBody(head, info)
    } catch (err) {
      failed(err, head, req, res)
      return
    }
    const go = (decision: HttpBodyDecision): void => {
      if (res.destroyed) return
      if (decision !== undefined && 'respond' in decision) {
        answerUnread(req, res, head, decision.respond)
        return
      }
      req.resume()
      readBody(req, res, head, info, decision === undefined ? max : Math.min(max, decision.maxBodyBytes))
    }
    if (decided instanceof Promise) decided.then(go, (err: unknown) => failed(err, head, req, res))
    else go(decided)
  }

  function failed(err: unknown, head: HttpRequestHead, req: IncomingMessage, res: ServerResponse): void {
    report(err, { ...head, body: '' })
    answerUnread(req, res, head, { status: 500, headers: {}, body: '' })
  }

  /**
   * Answer without the body. A small one (at most DEFAULT_UNREAD_BODY_BYTES declared) is read and
   * dropped, so the connection serves the next request. A larger one is not read at all: the
   * response goes out with `connection: close`, then the connection lingers (see {@link linger})
   * so that the client reads the response before the connection is reset.
   */
  function answerUnread(req: IncomingMessage, res: ServerResponse, head: HttpRequestHead, response: HttpResponse): void {
    const declared = Number(req.headers['content-length'])
    const small = req.complete || (Number.isFinite(declared) && declared <= DEFAULT_UNREAD_BODY_BYTES)
    req.on('error', () => undefined)
    if (small) {
      let dropped = 0
      req.on('data', (chunk: Buffer) => {
        dropped += chunk.byteLength
        if (dropped > DEFAULT_UNREAD_BODY_BYTES) req.socket.destroy()
      })
      req.resume()
    } else {
      linger(req.socket)
    }
    const headers = small ? response.headers : { ...response.headers, connection: 'close' }
    try {
      write(res, head.method, { ...response, headers })
    } catch (err) {
      report(err, { ...head, body: '' })
      if (!res.headersSent) refuse(res, 500, !small)
      else res.destroy()
    }
  }

  function readBody(req: IncomingMessage, res: ServerResponse, head: HttpRequestHead, info: HttpRequestInfo, limit: number): void {
    const declared = Number(req.headers['content-length'])
    if (Number.isFinite(declared) && declared > limit) {
      // Refused from the head: the body is not read (reading it drained up to the whole declared
      // size before the close), the connection lingers as for any unread large body (D436).
      req.on('error', () => undefined)
      linger(req.socket)
      refuse(res, 413)
      return
    }
    const chunks: Buffer[] = []
    let total = 0
    let refused = false
    req.on('data', (chunk: Buffer) => {
      if (refused) return
      total += chunk.byteLength
      if (total > limit) {
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
      const request: HttpRequest = { ...head, body: asUint8Array(Buffer.concat(chunks, total)) }
      void run(request, info, res)
    })
  }

  async function run(request: HttpRequest, info: HttpRequestInfo, res: ServerResponse): Promise<void> {
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

function write(res: ServerResponse, method: string, response: HttpResponse): void {
  const status = response.status
  if (!Number.isInteger(status) || status < 200 || status > 599) throw new RangeError(`invalid status ${String(status)}`)
  const noBody = status === 204 || status === 304
  const headers: Record<string, string | string[]> = {}
  for (const name in response.headers) {
    const value = response.headers[name] as string | readonly string[]
    const lower = name.toLowerCase()
    if (lower === 'content-length' || lower === 'transfer-encoding') continue
    headers[lower] = typeof value === 'string' ? value : [...value]
  }
  // A string body goes to the socket as a string: Node then writes the head and the body in one
  // write, where bytes would take a writev of two buffers.
  const body = noBody ? '' : response.body
  if (!noBody) headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength)
  res.writeHead(status, headers)
  if (method === 'HEAD' || noBody) res.end()
  else res.end(body)
}

/**
 * How long a connection closed with an unread body stays open after its response, not read from:
 * the client has this long to read the response before the connection is reset.
 */
const LINGER_MS = 2_000

/**
 * Close a connection whose request body is not read without losing the response (RFC 9112 §9.6):
 * closing a socket with unread bytes makes the kernel send a reset, and a client that has not yet
 * read the response loses it (about a quarter of the 401s to 31 MiB POSTs under the abuse bench).
 * When Node ends the connection after the response, send FIN, stop reading (the client's sends
 * then wait on TCP flow control: nothing is read, nothing is kept), and reset only after
 * {@link LINGER_MS}, or at once if the client closes first.
 */
function linger(socket: Socket): void {
  const destroySoon = socket.destroySoon
  socket.destroySoon = function lingeringClose(this: Socket): void {
    socket.destroySoon = destroySoon
    if (socket.destroyed) return
    stopReading(socket)
    socket.end()
    const timer = setTimeout(() => socket.destroy(), LINGER_MS)
    timer.unref()
    socket.once('close', () => clearTimeout(timer))
  }
}

/** Stop reading from a socket for good: the HTTP parser (or a request stream) must not resume it. */
function stopReading(socket: Socket): void {
  socket.pause()
  // Node's request stream resumes its socket unless the server paused it (`_paused`).
  ;(socket as Socket & { _paused?: boolean })._paused = true
  socket.resume = () => socket
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
