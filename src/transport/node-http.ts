/**
 * Conversions between the whole-message types and `node:http` (internal).
 *
 * @module
 * @internal
 */

import type { OutgoingHttpHeaders } from 'node:http'
import type { HttpHeaders } from '../types/http.js'

/**
 * Header fields from Node's `rawHeaders` list: names in lower case, a field that occurs once is a
 * string, one that occurs several times is an array of its values in order (Node's `headers`
 * object would join repeated `WWW-Authenticate` challenges with `, `).
 *
 * @internal
 */
export function fromRawHeaders(raw: readonly string[]): HttpHeaders {
  const out: Record<string, string | string[]> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase()
    const value = raw[i + 1] as string
    // Names come from the wire: `__proto__` must be an own property, never the prototype.
    const seen = Object.hasOwn(out, name) ? out[name] : undefined
    if (seen === undefined) {
      if (name === '__proto__') Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true })
      else out[name] = value
    } else if (typeof seen === 'string') out[name] = [seen, value]
    else seen.push(value)
  }
  return out
}

/**
 * Headers for `node:http`, without the fields the transport owns (`content-length`,
 * `transfer-encoding`), which it sets itself.
 *
 * @internal
 */
export function toOutgoingHeaders(headers: HttpHeaders, drop: readonly string[]): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {}
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase()
    if (drop.includes(lower)) continue
    out[lower] = typeof value === 'string' ? value : [...value]
  }
  return out
}

/** The body as bytes. @internal */
export function bodyBytes(body: string | Uint8Array): Uint8Array {
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : body
}

/** A Buffer viewed as a plain Uint8Array (no copy). @internal */
export function asUint8Array(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength)
}
