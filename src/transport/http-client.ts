/**
 * The HTTP(S) client transport for a CPE (or any CWMP client), on `node:http` / `node:https`.
 *
 * TR-069 §3.4.2 (SESSION-RULES §3f): one TCP connection per session, kept alive between round
 * trips; if the ACS closes it cleanly between round trips the session goes on over a new one; at
 * the end of the session the CPE closes it ({@link HttpTransport.close}). Redirects are NOT
 * followed here: the session machine decides (§3e).
 *
 * @module
 */

import * as http from 'node:http'
import * as https from 'node:https'
import { isIP } from 'node:net'
import { ConfigError, TransportError } from '../errors.js'
import { asUint8Array, bodyBytes, fromRawHeaders, toOutgoingHeaders } from './node-http.js'
import type { SendOptions, Transport } from './types.js'
import type { HttpHeaders, HttpRequest, HttpResponse } from '../types/http.js'

/**
 * Default {@link HttpTransportOptions.timeoutMs}: 30 s (TR-069 §3.4.2: wait at least 30 s for a response).
 *
 * @category Transports
 */
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000

/**
 * Default {@link HttpTransportOptions.maxResponseBytes}: 32 MiB.
 *
 * @category Transports
 */
export const DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024

/**
 * TLS settings of {@link createHttpTransport} (passed to `node:tls`).
 *
 * @category Transports
 */
export interface HttpTlsOptions {
  /** Trusted CA certificates (PEM). Default: Node's bundled roots. */
  readonly ca?: string | Buffer | ReadonlyArray<string | Buffer>
  /** Client certificate chain (PEM), for TLS client authentication. */
  readonly cert?: string | Buffer | ReadonlyArray<string | Buffer>
  /** Client private key (PEM). */
  readonly key?: string | Buffer | ReadonlyArray<string | Buffer>
  /** Passphrase of `key`. */
  readonly passphrase?: string
  /** Check the server certificate against the CAs and the host name. Default true. */
  readonly rejectUnauthorized?: boolean
  /**
   * Server name for SNI and the certificate check. Default: the host of each request URL (which
   * is what TR-069 wants after a redirect: the checks use the redirected URL).
   */
  readonly servername?: string
  /** Lowest TLS version. Default Node's (`TLSv1.2`). */
  readonly minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'
}

/**
 * Options of {@link createHttpTransport}.
 *
 * @category Transports
 */
export interface HttpTransportOptions {
  /**
   * Timeout in ms: the longest wait for the response to begin, and the longest silence while its
   * body arrives. On expiry the request fails with `ERR_CWMP_TRANSPORT_TIMEOUT` and its socket is
   * destroyed. Default {@link DEFAULT_HTTP_TIMEOUT_MS}.
   */
  readonly timeoutMs?: number
  /** Largest response body accepted, in bytes; a larger one fails the request. Default 32 MiB. */
  readonly maxResponseBytes?: number
  /** TLS settings for `https:` URLs. */
  readonly tls?: HttpTlsOptions
  /** Keep the connection open between requests. Default true (TR-069: one connection per session). */
  readonly keepAlive?: boolean
  /**
   * When a request sent on a reused kept-alive connection fails before any byte of a response
   * (the server closed the idle connection while the request was on its way), send it once more on
   * a new connection. Default true: without it a clean close between round trips can fail the
   * session by a race (see docs/decisions.md D201). Set false if a repeated POST is worse.
   */
  readonly retryOnStaleConnection?: boolean
  /** Header fields added to every request unless the request has them (e.g. `user-agent`). */
  readonly headers?: HttpHeaders
  /**
   * Local address to send from (the CPE's WAN interface address). Default: the one the operating
   * system picks for the route to the peer. Host names are then resolved in its address family.
   */
  readonly localAddress?: string
}

/**
 * The transport returned by {@link createHttpTransport}.
 *
 * @category Transports
 */
export interface HttpTransport extends Transport {
  /**
   * Close every connection (kept-alive ones included); requests in flight fail with
   * `ERR_CWMP_TRANSPORT`. The transport stays usable: a later request opens a new connection.
   * Call it at the end of each session (TR-069 §3.4.2).
   */
  close(): void
}

class StaleConnection {
  readonly cause: unknown
  constructor(cause: unknown) {
    this.cause = cause
  }
}

const OWNED_HEADERS = ['content-length', 'transfer-encoding']
const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED'])

/**
 * Create the `node:http` / `node:https` client transport. Each {@link Transport.send} sends
 * `request.method` to the absolute `request.url` with `content-length` set, and resolves with the
 * whole response (body as bytes), whatever its status: redirects and 401s are returned, not
 * followed. Failures reject with {@link TransportError}: `ERR_CWMP_TRANSPORT_TIMEOUT` on timeout,
 * `ERR_CWMP_TRANSPORT` otherwise (bad URL, connection refused or reset, TLS failure, abort,
 * response too large; the cause is in `cause`).
 *
 * @param options - timeout, size limit, TLS and connection settings
 * @returns the transport
 *
 * @throws {@link ConfigError} naming `options` when it is not an object
 *
 * @example
 * ```ts
 * const transport = createHttpTransport({ timeoutMs: 30_000, tls: { ca: fs.readFileSync('acs-ca.pem') } })
 * const res = await transport.send({ method: 'POST', url: 'https://acs.example/cwmp',
 *   headers: { 'content-type': 'text/xml; charset="utf-8"', soapaction: '' }, body: informXml })
 * transport.close() // end of session
 * ```
 *
 * @category Transports
 */
export function createHttpTransport(options: HttpTransportOptions = {}): HttpTransport {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  const timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES
  const keepAlive = options.keepAlive !== false
  const retryStale = options.retryOnStaleConnection !== false
  const defaults = options.headers ?? {}
  const tls = options.tls ?? {}
  let httpAgent: http.Agent | undefined
  let httpsAgent: https.Agent | undefined

  const agentFor = (secure: boolean): http.Agent =>
    secure
      ? (httpsAgent ??= new https.Agent({ keepAlive, scheduling: 'lifo' }))
      : (httpAgent ??= new http.Agent({ keepAlive, scheduling: 'lifo' }))

  const attempt = (request: HttpRequest, sendOptions: SendOptions | undefined, allowStaleRetry: boolean) =>
    new Promise<HttpResponse>((resolve, reject) => {
      let url: URL
      try {
        url = new URL(request.url)
      } catch (err) {
        reject(new TransportError('ERR_CWMP_TRANSPORT', `not an absolute URL: ${request.url}`, { cause: err }))
        return
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        reject(new TransportError('ERR_CWMP_TRANSPORT', `unsupported URL scheme ${url.protocol}`))
        return
      }
      const signal = sendOptions?.signal
      if (signal?.aborted === true) {
        reject(new TransportError('ERR_CWMP_TRANSPORT', 'request aborted', { cause: signal.reason }))
        return
      }
      const secure = url.protocol === 'https:'
      const body = bodyBytes(request.body)
      const headers = toOutgoingHeaders({ ...lowerKeys(defaults), ...lowerKeys(request.headers) }, OWNED_HEADERS)
      headers['content-length'] = String(body.byteLength)
      const where = `${request.method} ${url.origin}${url.pathname}`

      let req: http.ClientRequest
      try {
        const common: http.RequestOptions = {
          method: request.method,
          headers,
          agent: agentFor(secure),
          ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress, family: isIP(options.localAddress) }),
        }
        req = secure ? https.request(url, { ...common, ...tlsOptions(tls) }) : http.request(url, common)
      } catch (err) {
        // Invalid method or header characters are thrown synchronously by node:http.
        reject(new TransportError('ERR_CWMP_TRANSPORT', `cannot send ${where}: ${messageOf(err)}`, { cause: err }))
        return
      }

      let settled = false
      let responded = false
      let timer: NodeJS.Timeout | undefined
      const finish = (error: TransportError | StaleConnection | undefined, response?: HttpResponse): void => {
        if (settled) return
        settled = true
        if (timer !== undefined) clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        if (error !== undefined) reject(error)
        else resolve(response as HttpResponse)
      }
      // Fail and destroy the socket: a half-read response leaves it unusable.
      const fail = (error: TransportError): void => {
        finish(error)
        req.destroy()
      }
      const arm = (): void => {
        if (timer !== undefined) clearTimeout(timer)
        timer = setTimeout(() => {
          fail(new TransportError('ERR_CWMP_TRANSPORT_TIMEOUT', `no response to ${where} within ${timeoutMs} ms`))
        }, timeoutMs)
      }
      const onAbort = (): void => {
        fail(new TransportError('ERR_CWMP_TRANSPORT', `${where} aborted`, { cause: signal?.reason }))
      }
      signal?.addEventListener('abort', onAbort, { once: true })

      req.on('error', (err: NodeJS.ErrnoException) => {
        if (settled) return
        if (!responded && allowStaleRetry && req.reusedSocket && err.code !== undefined && RESET_CODES.has(err.code)) {
          finish(new StaleConnection(err))
          return
        }
        finish(new TransportError('ERR_CWMP_TRANSPORT', `${where} failed: ${err.message}`, { cause: err }))
      })

      req.on('response', (res: http.IncomingMessage) => {
        responded = true
        arm()
        const declared = Number(res.headers['content-length'])
        if (Number.isFinite(declared) && declared > maxBytes) {
          fail(tooLarge(where, maxBytes))
          return
        }
        const chunks: Buffer[] = []
        let total = 0
        res.on('data', (chunk: Buffer) => {
          if (settled) return
          total += chunk.byteLength
          if (total > maxBytes) {
            fail(tooLarge(where, maxBytes))
            return
          }
          chunks.push(chunk)
          arm()
        })
        res.on('end', () => {
          finish(undefined, {
            status: res.statusCode ?? 0,
            headers: fromRawHeaders(res.rawHeaders),
            body: asUint8Array(Buffer.concat(chunks, total)),
          })
        })
        res.on('error', (err) => {
          finish(new TransportError('ERR_CWMP_TRANSPORT', `${where}: response interrupted: ${err.message}`, { cause: err }))
        })
        res.on('close', () => {
          if (!res.complete) {
            finish(new TransportError('ERR_CWMP_TRANSPORT', `${where}: connection closed before the response was complete`))
          }
        })
      })

      arm()
      req.end(body)
    })

  return {
    async send(request, sendOptions) {
      try {
        return await attempt(request, sendOptions, retryStale)
      } catch (err) {
        if (!(err instanceof StaleConnection)) throw err
        try {
          return await attempt(request, sendOptions, false)
        } catch (again) {
          if (again instanceof StaleConnection) {
            throw new TransportError('ERR_CWMP_TRANSPORT', 'connection reset', { cause: again.cause })
          }
          throw again
        }
      }
    },
    close() {
      httpAgent?.destroy()
      httpsAgent?.destroy()
      httpAgent = undefined
      httpsAgent = undefined
    },
  }
}

function tooLarge(where: string, max: number): TransportError {
  return new TransportError('ERR_CWMP_TRANSPORT', `${where}: response body larger than ${max} bytes`, {
    faultKind: 'ResourcesExceeded',
  })
}

function tlsOptions(tls: HttpTlsOptions): https.RequestOptions {
  const out: https.RequestOptions = {}
  if (tls.ca !== undefined) out.ca = typeof tls.ca === 'string' || Buffer.isBuffer(tls.ca) ? tls.ca : [...tls.ca]
  if (tls.cert !== undefined) out.cert = typeof tls.cert === 'string' || Buffer.isBuffer(tls.cert) ? tls.cert : [...tls.cert]
  if (tls.key !== undefined) out.key = typeof tls.key === 'string' || Buffer.isBuffer(tls.key) ? tls.key : [...tls.key]
  if (tls.passphrase !== undefined) out.passphrase = tls.passphrase
  if (tls.rejectUnauthorized !== undefined) out.rejectUnauthorized = tls.rejectUnauthorized
  if (tls.servername !== undefined) out.servername = tls.servername
  if (tls.minVersion !== undefined) out.minVersion = tls.minVersion
  return out
}

function lowerKeys(headers: HttpHeaders): HttpHeaders {
  const out: Record<string, string | readonly string[]> = {}
  for (const [k, v] of Object.entries(headers)) out[k.toLowerCase()] = v
  return out
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
