/**
 * Message logging middleware: the "show every SOAP message" switch.
 *
 * @module
 */

import { ConfigError } from '../errors.js'
import { formatXml } from './format.js'
import { bodyLength, type TransportMiddleware } from './types.js'
import { bodyText, type HttpHeaders, type HttpRequest, type HttpResponse } from '../types/http.js'

/**
 * One logged event of {@link withLogging}.
 *
 * @category Transports
 */
export type TransportLogEntry =
  | {
      /** A request is about to be sent. */
      readonly type: 'request'
      /** Sequence number of the exchange (from 1), shared by its request and response or error. */
      readonly seq: number
      /** The request, as handed to the next transport. */
      readonly request: HttpRequest
    }
  | {
      /** A response arrived. */
      readonly type: 'response'
      /** Sequence number of the exchange. */
      readonly seq: number
      /** The request it answers. */
      readonly request: HttpRequest
      /** The response. */
      readonly response: HttpResponse
      /** Milliseconds from sending to the whole response (for humans; not a protocol value). */
      readonly elapsedMs: number
    }
  | {
      /** The request failed. */
      readonly type: 'error'
      /** Sequence number of the exchange. */
      readonly seq: number
      /** The request. */
      readonly request: HttpRequest
      /** What was thrown (a {@link TransportError} from the transports of this package). */
      readonly error: unknown
      /** Milliseconds from sending to the failure. */
      readonly elapsedMs: number
    }

/**
 * Receives log entries. Exceptions it throws are ignored: logging never changes the exchange.
 *
 * @category Transports
 */
export type TransportLogSink = (entry: TransportLogEntry) => void

/**
 * Middleware that reports each request, and its response or error, to `sink`. Place it last in
 * {@link composeTransport} (closest to the wire) to see every HTTP message, authentication
 * round trips and cookies included.
 *
 * @param sink - receives the entries
 * @returns the middleware
 *
 * @throws {@link ConfigError} naming `sink` when it is not a function
 *
 * @example
 * ```ts
 * const transport = composeTransport(createHttpTransport(), withAuth(creds), withCookies(),
 *   withLogging(createStreamLogSink(process.stderr)))
 * ```
 *
 * @category Transports
 */
export function withLogging(sink: TransportLogSink): TransportMiddleware {
  if (typeof sink !== 'function') throw new ConfigError('sink', 'a function', sink)
  let seq = 0
  const emit = (entry: TransportLogEntry): void => {
    try {
      sink(entry)
    } catch {
      // Deliberately ignored, see TransportLogSink.
    }
  }
  return (next) => ({
    async send(request, options) {
      const n = ++seq
      const started = performance.now()
      emit({ type: 'request', seq: n, request })
      try {
        const response = await next.send(request, options)
        emit({ type: 'response', seq: n, request, response, elapsedMs: performance.now() - started })
        return response
      } catch (error) {
        emit({ type: 'error', seq: n, request, error, elapsedMs: performance.now() - started })
        throw error
      }
    },
    ...(next.close === undefined ? {} : { close: () => next.close?.() }),
  })
}

/**
 * Options of {@link formatTransportLogEntry} and {@link createStreamLogSink}.
 *
 * @category Transports
 */
export interface FormatLogOptions {
  /** Indent XML bodies with {@link formatXml}. Default true. */
  readonly pretty?: boolean
  /** Print header fields. Default true. */
  readonly headers?: boolean
  /**
   * Hide credentials: the `authorization` value is cut after its scheme, `cookie` / `set-cookie`
   * values after the name, the password of a URL (`http://user:[redacted]@…`), and in bodies the
   * text of `Password` elements (Download, Upload, ScheduleDownload, ChangeDUState operations) and
   * the `Value` that follows a `Name` ending in Password, Passphrase, PreSharedKey, WEPKey or Secret
   * (SetParameterValues of `ConnectionRequestPassword`, `KeyPassphrase`, …). Default true.
   */
  readonly redact?: boolean
}

/**
 * Render a log entry as text: a start line, header fields, a blank line and the body (XML
 * indented when `pretty`). Bodies are decoded as UTF-8.
 *
 * @param entry - the entry
 * @param options - layout and redaction
 * @returns the text, ending with a line break
 *
 * @category Transports
 */
export function formatTransportLogEntry(entry: TransportLogEntry, options: FormatLogOptions = {}): string {
  const pretty = options.pretty !== false
  const showHeaders = options.headers !== false
  const redact = options.redact !== false
  const lines: string[] = []
  const render = (head: string, headers: HttpHeaders, body: string | Uint8Array): void => {
    lines.push(head)
    if (showHeaders) {
      for (const [name, value] of Object.entries(headers)) {
        for (const v of typeof value === 'string' ? [value] : value) {
          lines.push(`${name}: ${redact ? redactHeader(name, v) : v}`)
        }
      }
    }
    if (bodyLength(body) > 0) {
      const text = redact ? redactSoapBody(bodyText(body)) : bodyText(body)
      lines.push('', pretty ? formatXml(text) : text)
    }
  }
  const url = redact ? redactUrl(entry.request.url) : entry.request.url
  switch (entry.type) {
    case 'request':
      render(`>>> #${entry.seq} ${entry.request.method} ${url}`, entry.request.headers, entry.request.body)
      break
    case 'response':
      render(
        `<<< #${entry.seq} ${entry.response.status} (${Math.round(entry.elapsedMs)} ms)`,
        entry.response.headers,
        entry.response.body,
      )
      break
    case 'error': {
      const e = entry.error as { code?: unknown; message?: unknown } | null
      const code = typeof e?.code === 'string' ? `${e.code}: ` : ''
      const message = typeof e?.message === 'string' ? e.message : String(entry.error)
      lines.push(`!!! #${entry.seq} ${entry.request.method} ${url} failed: ${code}${message}`)
      break
    }
  }
  return `${lines.join('\n')}\n`
}

/**
 * A sink that writes {@link formatTransportLogEntry} text to a stream (`process.stdout`, a file
 * stream, or anything with `write(string)`), followed by a blank line.
 *
 * @param stream - where to write
 * @param options - layout and redaction
 * @returns the sink
 *
 * @throws {@link ConfigError} naming `stream` when it has no write function or `options` when it is not an
 * object
 *
 * @category Transports
 */
export function createStreamLogSink(
  stream: { write(text: string): unknown },
  options: FormatLogOptions = {},
): TransportLogSink {
  if (typeof stream !== 'object' || stream === null || typeof stream.write !== 'function') {
    throw new ConfigError('stream', 'an object with a write function', stream)
  }
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  return (entry) => {
    stream.write(`${formatTransportLogEntry(entry, options)}\n`)
  }
}

function redactHeader(name: string, value: string): string {
  const lower = name.toLowerCase()
  if (lower === 'authorization' || lower === 'proxy-authorization') {
    const space = value.indexOf(' ')
    return `${space < 0 ? value : value.slice(0, space)} [redacted]`
  }
  if (lower === 'cookie') {
    return value
      .split(';')
      .map((p) => `${p.split('=')[0]?.trim() ?? ''}=…`)
      .join('; ')
  }
  if (lower === 'set-cookie') {
    const semi = value.indexOf(';')
    const pair = semi < 0 ? value : value.slice(0, semi)
    return `${pair.split('=')[0]?.trim() ?? ''}=…${semi < 0 ? '' : value.slice(semi)}`
  }
  return value
}

// The text of a <Password> element (any prefix, not self-closing). Each alternative stops at the
// next `<` or `>`, so a scan is linear.
const PASSWORD_ELEMENT = /(<(?:[A-Za-z_][\w.-]*:)?Password(?:\s[^<>]*)?(?<!\/)>)([^<]+)(?=<\/)/g
// A Name element directly followed by a Value element (ParameterValueStruct, as encoders write it).
const NAME_THEN_VALUE =
  /(<(?:[A-Za-z_][\w.-]*:)?Name(?:\s[^<>]*)?>)([^<]*)(<\/(?:[A-Za-z_][\w.-]*:)?Name\s*>\s*<(?:[A-Za-z_][\w.-]*:)?Value(?:\s[^<>]*)?(?<!\/)>)([^<]+)(?=<\/)/g
// Parameter names whose values are credentials (TR-181/TR-098: Password, ConnectionRequestPassword,
// STUNPassword, KeyPassphrase, PreSharedKey, WEPKey, RadiusSecret, …).
const SECRET_NAME = /(?:password|passphrase|presharedkey|wepkey|secret)$/i

/**
 * Hide credentials carried in a SOAP body (see {@link FormatLogOptions.redact}): the one redaction
 * of the SOAP log, also used by `cwmp pretty`.
 *
 * @param text - the XML text
 * @returns the text with each password's text replaced by `[redacted]`
 * @internal
 */
export function redactSoapBody(text: string): string {
  if (!/password|passphrase|presharedkey|wepkey|secret/i.test(text)) return text
  return text
    .replace(PASSWORD_ELEMENT, '$1[redacted]')
    .replace(NAME_THEN_VALUE, (all: string, open: string, name: string, middle: string) =>
      SECRET_NAME.test(name.trim()) ? `${open}${name}${middle}[redacted]` : all,
    )
}

/** Hide the password of a URL's userinfo (`http://user:pw@host/` → `http://user:[redacted]@host/`). */
function redactUrl(url: string): string {
  return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#:@]*):[^/?#@]*@/, '$1:[redacted]@')
}
