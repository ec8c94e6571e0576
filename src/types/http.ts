/**
 * Whole HTTP messages as plain values, as the sans-I/O session machines consume and produce them,
 * and the header and body helpers every layer shares. No I/O.
 *
 * @module
 */

/**
 * HTTP header fields with lower-case names. A field that occurs several times (`set-cookie`) is an array.
 *
 * @category Transports
 */
export type HttpHeaders = Readonly<Record<string, string | readonly string[]>>

/**
 * A whole HTTP request.
 *
 * @category Transports
 */
export interface HttpRequest {
  /** Request method, e.g. `POST` or `GET`. */
  readonly method: string
  /** Absolute URL (`http://host:port/path`) for a client request; the request-target (path) on a server. */
  readonly url: string
  /** Header fields, names in lower case. */
  readonly headers: HttpHeaders
  /** The body; `''` for none (the CWMP empty POST). */
  readonly body: string | Uint8Array
}

/**
 * A whole HTTP response.
 *
 * @category Transports
 */
export interface HttpResponse {
  /** Status code, e.g. 200, 204, 401. */
  readonly status: number
  /** Header fields, names in lower case. */
  readonly headers: HttpHeaders
  /** The body; `''` or an empty array for none. */
  readonly body: string | Uint8Array
}

/**
 * Read a header field (case-insensitive name) as one string; repeated fields are joined with `, `.
 *
 * @param headers - the header fields
 * @param name - the field name
 *
 * @category Transports
 */
export function headerValue(headers: HttpHeaders, name: string): string | undefined {
  const lower = name.toLowerCase()
  const v = Object.hasOwn(headers, lower) ? headers[lower] : findHeader(headers, lower)
  if (v === undefined) return undefined
  return typeof v === 'string' ? v : v.join(', ')
}

/**
 * Read every value of a header field (case-insensitive name), e.g. all `set-cookie` lines.
 *
 * @param headers - the header fields
 * @param name - the field name
 *
 * @category Transports
 */
export function headerValues(headers: HttpHeaders, name: string): readonly string[] {
  const lower = name.toLowerCase()
  const v = Object.hasOwn(headers, lower) ? headers[lower] : findHeader(headers, lower)
  if (v === undefined) return []
  return typeof v === 'string' ? [v] : v
}

function findHeader(headers: HttpHeaders, lower: string): string | readonly string[] | undefined {
  for (const key of Object.keys(headers)) if (key.toLowerCase() === lower) return headers[key]
  return undefined
}

/**
 * The body as text (UTF-8 for bytes).
 *
 * @param body - a message body
 *
 * @category Transports
 */
export function bodyText(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : new TextDecoder().decode(body)
}
