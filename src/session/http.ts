/**
 * The HTTP framing of CWMP messages (TR-069 §3.4.1): what a SOAP POST, an empty POST, a SOAP
 * response and an empty response look like.
 *
 * @module
 */
import type { HttpRequest, HttpResponse } from '../types/http.js'

/**
 * Content type of every HTTP message that carries a SOAP envelope.
 *
 * @category Sessions
 */
export const SOAP_CONTENT_TYPE = 'text/xml; charset="utf-8"'

/**
 * A CPE POST carrying an envelope. `SOAPAction` is sent without a value, as TR-069 §3.4.1 requires
 * for responses and faults (and as deployed CPEs send it on requests too).
 *
 * @internal
 */
export function soapPost(url: string, xml: string): HttpRequest {
  return { method: 'POST', url, headers: { 'content-type': SOAP_CONTENT_TYPE, soapaction: '' }, body: xml }
}

/** The empty HTTP POST: no Content-Type, no SOAPAction, no body (TR-069 §3.4.1). @internal */
export function emptyPost(url: string): HttpRequest {
  return { method: 'POST', url, headers: { 'content-length': '0' }, body: '' }
}

/** An ACS HTTP response carrying an envelope: always status 200 (TR-069 §3.4.1). @internal */
export function soapResponse(xml: string): HttpResponse {
  return { status: 200, headers: { 'content-type': SOAP_CONTENT_TYPE }, body: xml }
}

/** The empty ACS response: 204 No Content (TR-069 §3.4.6). @internal */
export function emptyResponse(): HttpResponse {
  return { status: 204, headers: {}, body: '' }
}

/** The ACS answer to a message it cannot read: 400 Bad Request, no SOAP content (§3.7.2.4). @internal */
export function badRequest(): HttpResponse {
  return { status: 400, headers: { 'content-length': '0' }, body: '' }
}

/** True when a body is empty or only whitespace. @internal */
export function isEmptyBody(body: string | Uint8Array): boolean {
  if (typeof body === 'string') return body.trim() === ''
  for (let i = 0; i < body.length; i++) {
    const b = body[i]
    if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false
  }
  return true
}
