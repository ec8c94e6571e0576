/**
 * The TR-111 (TR-069 Annex G) use of classic STUN (RFC 3489): bytes in, bytes out.
 *
 * A CPE behind a NAT sends STUN Binding Requests to the ACS's STUN server to keep a NAT binding
 * open and learn its public address. TR-111 adds two attributes to those requests:
 *
 * - CONNECTION-REQUEST-BINDING (0xC001), whose value is the 20 bytes `"dslforum.org/TR-111 "`
 *   (with the trailing space): it marks the binding the ACS may send UDP Connection Requests to;
 * - BINDING-CHANGE (0xC002), empty: the binding changed since the last request.
 *
 * RFC 3489 message layout: type (2 bytes), length of the attributes (2), transaction ID (16), then
 * attributes as type (2), length (2), value padded to 4 bytes.
 *
 * The STUN server's replies and the UDP Connection Requests arrive on the same socket; they are
 * told apart by the first byte (0 or 1 for STUN, a letter for `GET …`): see
 * {@link classifyUdpPacket}. MESSAGE-INTEGRITY is carried as an opaque attribute (not computed here).
 *
 * @module
 */

import { AuthError, ConfigError } from '../errors.js'

/**
 * STUN message types of RFC 3489 used here.
 *
 * @category Connection requests
 */
export const STUN_MESSAGE_TYPE = {
  /** Binding Request (0x0001). */
  bindingRequest: 0x0001,
  /** Binding Response (0x0101). */
  bindingResponse: 0x0101,
  /** Binding Error Response (0x0111). */
  bindingErrorResponse: 0x0111,
} as const

/**
 * STUN attribute types used here (RFC 3489 §11.2 and TR-111).
 *
 * @category Connection requests
 */
export const STUN_ATTRIBUTE = {
  /** MAPPED-ADDRESS (0x0001): the public address the server saw. */
  mappedAddress: 0x0001,
  /** USERNAME (0x0006): the CPE's STUNUsername. */
  username: 0x0006,
  /** MESSAGE-INTEGRITY (0x0008): HMAC-SHA1 of the message (carried, not computed here). */
  messageIntegrity: 0x0008,
  /** ERROR-CODE (0x0009). */
  errorCode: 0x0009,
  /** CONNECTION-REQUEST-BINDING (0xC001, TR-111). */
  connectionRequestBinding: 0xc001,
  /** BINDING-CHANGE (0xC002, TR-111). */
  bindingChange: 0xc002,
} as const

/**
 * Value of CONNECTION-REQUEST-BINDING: the 20 bytes `dslforum.org/TR-111 ` (TR-111).
 *
 * @category Connection requests
 */
export const TR111_CONNECTION_REQUEST_BINDING_VALUE = 'dslforum.org/TR-111 '

/**
 * One attribute.
 *
 * @category Connection requests
 */
export interface StunAttribute {
  /** Attribute type. */
  readonly type: number
  /** Value, without padding. */
  readonly value: Uint8Array
}

/**
 * A STUN message.
 *
 * @category Connection requests
 */
export interface StunMessage {
  /** Message type, e.g. {@link STUN_MESSAGE_TYPE}.bindingRequest. */
  readonly type: number
  /** 16-byte transaction ID. */
  readonly transactionId: Uint8Array
  /** Attributes in order. */
  readonly attributes: readonly StunAttribute[]
}

const HEADER = 20

function invalid(message: string): AuthError {
  return new AuthError('ERR_CWMP_AUTH_INVALID_ARGUMENT', message)
}

/**
 * Encode a STUN message.
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_INVALID_ARGUMENT` for a bad type, transaction ID or a
 * value longer than 65535 bytes
 *
 * @category Connection requests
 */
export function encodeStunMessage(message: StunMessage): Uint8Array {
  if (!Number.isInteger(message.type) || message.type < 0 || message.type > 0x3fff) throw invalid('bad STUN message type')
  if (message.transactionId.length !== 16) throw invalid('the transaction ID must be 16 bytes')
  let length = 0
  for (const a of message.attributes) {
    if (!Number.isInteger(a.type) || a.type < 0 || a.type > 0xffff) throw invalid('bad STUN attribute type')
    if (a.value.length > 0xffff) throw invalid('STUN attribute value too long')
    length += 4 + Math.ceil(a.value.length / 4) * 4
  }
  if (length > 0xffff) throw invalid('STUN message too long')
  const out = new Uint8Array(HEADER + length)
  const view = new DataView(out.buffer)
  view.setUint16(0, message.type)
  view.setUint16(2, length)
  out.set(message.transactionId, 4)
  let p = HEADER
  for (const a of message.attributes) {
    view.setUint16(p, a.type)
    view.setUint16(p + 2, a.value.length)
    out.set(a.value, p + 4)
    p += 4 + Math.ceil(a.value.length / 4) * 4
  }
  return out
}

/**
 * Decode a STUN message.
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_MALFORMED` for a truncated or inconsistent message
 *
 * @category Connection requests
 */
export function decodeStunMessage(bytes: Uint8Array): StunMessage {
  if (bytes.length < HEADER) throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'STUN message shorter than its header')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const type = view.getUint16(0)
  if ((type & 0xc000) !== 0) throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'not a STUN message (top bits set)')
  const length = view.getUint16(2)
  if (HEADER + length !== bytes.length) throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'STUN length does not match the datagram')
  const attributes: StunAttribute[] = []
  let p = HEADER
  while (p < bytes.length) {
    if (p + 4 > bytes.length) throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'truncated STUN attribute header')
    const at = view.getUint16(p)
    const len = view.getUint16(p + 2)
    if (p + 4 + len > bytes.length) throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'truncated STUN attribute value')
    attributes.push({ type: at, value: bytes.slice(p + 4, p + 4 + len) })
    p += 4 + Math.ceil(len / 4) * 4
  }
  if (p !== bytes.length) throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'STUN attribute padding runs past the end')
  return { type, transactionId: bytes.slice(4, HEADER), attributes }
}

/**
 * What {@link createTr111BindingRequest} needs.
 *
 * @category Connection requests
 */
export interface Tr111BindingRequestInit {
  /** 16-byte transaction ID (random; inject for tests). */
  readonly transactionId: Uint8Array
  /** Add BINDING-CHANGE: the binding changed since the last Binding Request. */
  readonly bindingChange?: boolean
  /** STUNUsername, sent as USERNAME when set. */
  readonly username?: string
  /** Mark the binding for Connection Requests (CONNECTION-REQUEST-BINDING). Default true. */
  readonly connectionRequestBinding?: boolean
}

/**
 * Build a TR-111 Binding Request (CPE to STUN server).
 *
 * @throws {@link ConfigError} naming `init`, `init.transactionId` or `init.username` when one is missing or
 * of the wrong type
 *
 * @category Connection requests
 */
export function createTr111BindingRequest(init: Tr111BindingRequestInit): Uint8Array {
  if (typeof init !== 'object' || init === null) throw new ConfigError('init', 'an object', init)
  if (!(init.transactionId instanceof Uint8Array)) throw new ConfigError('init.transactionId', 'a Uint8Array', init.transactionId)
  if (init.username !== undefined && typeof init.username !== 'string') throw new ConfigError('init.username', 'a string', init.username)
  const attributes: StunAttribute[] = []
  if (init.username !== undefined) {
    attributes.push({ type: STUN_ATTRIBUTE.username, value: new TextEncoder().encode(init.username) })
  }
  if (init.connectionRequestBinding !== false) {
    attributes.push({
      type: STUN_ATTRIBUTE.connectionRequestBinding,
      value: new TextEncoder().encode(TR111_CONNECTION_REQUEST_BINDING_VALUE),
    })
  }
  if (init.bindingChange === true) attributes.push({ type: STUN_ATTRIBUTE.bindingChange, value: new Uint8Array(0) })
  return encodeStunMessage({ type: STUN_MESSAGE_TYPE.bindingRequest, transactionId: init.transactionId, attributes })
}

/**
 * The TR-111 view of a Binding Request.
 *
 * @category Connection requests
 */
export interface Tr111BindingInfo {
  /** CONNECTION-REQUEST-BINDING present with the TR-111 value. */
  readonly connectionRequestBinding: boolean
  /** BINDING-CHANGE present. */
  readonly bindingChange: boolean
  /** USERNAME, if present (UTF-8). */
  readonly username?: string
}

/**
 * Read the TR-111 attributes of a decoded message (STUN server side).
 *
 * @category Connection requests
 */
export function readTr111Attributes(message: StunMessage): Tr111BindingInfo {
  let connectionRequestBinding = false
  let bindingChange = false
  let username: string | undefined
  for (const a of message.attributes) {
    if (a.type === STUN_ATTRIBUTE.connectionRequestBinding) {
      connectionRequestBinding = new TextDecoder().decode(a.value) === TR111_CONNECTION_REQUEST_BINDING_VALUE
    } else if (a.type === STUN_ATTRIBUTE.bindingChange) bindingChange = true
    else if (a.type === STUN_ATTRIBUTE.username) username = new TextDecoder().decode(a.value)
  }
  return { connectionRequestBinding, bindingChange, ...(username === undefined ? {} : { username }) }
}

/**
 * An IPv4 transport address (MAPPED-ADDRESS of RFC 3489 §11.2.1).
 *
 * @category Connection requests
 */
export interface StunIpv4Address {
  /** Dotted-quad address. */
  readonly address: string
  /** UDP port. */
  readonly port: number
}

/**
 * Encode a MAPPED-ADDRESS value (IPv4; RFC 3489 has no IPv6).
 *
 * @category Connection requests
 */
export function encodeMappedAddress(addr: StunIpv4Address): Uint8Array {
  const parts = addr.address.split('.').map((x) => (/^[0-9]{1,3}$/.test(x) ? Number(x) : Number.NaN))
  if (parts.length !== 4 || parts.some((x) => !(x >= 0 && x <= 255))) throw invalid('not an IPv4 address')
  if (!Number.isInteger(addr.port) || addr.port < 0 || addr.port > 0xffff) throw invalid('bad port')
  const out = new Uint8Array(8)
  const view = new DataView(out.buffer)
  view.setUint8(1, 0x01)
  view.setUint16(2, addr.port)
  out.set(parts, 4)
  return out
}

/**
 * Decode a MAPPED-ADDRESS value.
 *
 * @throws {@link AuthError} `ERR_CWMP_AUTH_MALFORMED` unless it is an 8-byte IPv4 address
 *
 * @category Connection requests
 */
export function decodeMappedAddress(value: Uint8Array): StunIpv4Address {
  if (value.length !== 8 || value[1] !== 0x01) throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'not an IPv4 MAPPED-ADDRESS')
  const view = new DataView(value.buffer, value.byteOffset, value.byteLength)
  return { address: Array.from(value.subarray(4, 8)).join('.'), port: view.getUint16(2) }
}

/**
 * Tell STUN traffic from UDP Connection Requests on the shared socket (G.2.1.4): a first byte of 0
 * or 1 is STUN, an ASCII letter starts an HTTP request line.
 *
 * @category Connection requests
 */
export function classifyUdpPacket(bytes: Uint8Array): 'stun' | 'connection-request' | 'unknown' {
  const first = bytes[0]
  if (first === undefined) return 'unknown'
  if (first === 0 || first === 1) return 'stun'
  if ((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a)) return 'connection-request'
  return 'unknown'
}
