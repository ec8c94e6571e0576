/**
 * Transports: the whole-message `Transport` interface and middleware, and their Node
 * implementations (HTTP(S) client, server adapter, Connection Request listener). The only part of
 * the package that does I/O.
 *
 * @module
 */

export { bodyLength, composeTransport } from './types.js'
export { bodyText, headerValue, headerValues } from '../types/http.js'
export type { SendOptions, Transport, TransportMiddleware } from './types.js'
export type { HttpHeaders, HttpRequest, HttpResponse } from '../types/http.js'

export { DEFAULT_HTTP_TIMEOUT_MS, DEFAULT_MAX_RESPONSE_BYTES, createHttpTransport } from './http-client.js'
export type { HttpTlsOptions, HttpTransport, HttpTransportOptions } from './http-client.js'

export { CookieJar, parseCookieHeader, withCookies } from './cookies.js'
export type { CookieJarOptions, CookieMatchOptions, CookieMiddleware, StoredCookie, WithCookiesOptions } from './cookies.js'

export { withAuth } from './auth.js'
export type { AuthMiddleware, BasicAuthMode, WithAuthOptions } from './auth.js'

export { createStreamLogSink, formatTransportLogEntry, withLogging } from './logging.js'
export type { FormatLogOptions, TransportLogEntry, TransportLogSink } from './logging.js'

export { formatXml } from './format.js'
export type { FormatXmlOptions } from './format.js'

export { DEFAULT_MAX_REQUEST_BYTES, DEFAULT_UNREAD_BODY_BYTES, createHttpServerAdapter } from './http-server.js'
export type { HttpBodyDecision, HttpHandler, HttpRequestHead, HttpRequestInfo, HttpServerAdapterOptions } from './http-server.js'

export { DEFAULT_CONNECTION_REQUEST_LIMITS, startConnectionRequestListener } from './connection-request-listener.js'
export type { ConnectionLimits } from './connection-guard.js'
export type {
  ConnectionRequestListener,
  ConnectionRequestListenerDecision,
  ConnectionRequestListenerOptions,
} from './connection-request-listener.js'
