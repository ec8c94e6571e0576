/**
 * The SOAP envelope: version, header and body.
 *
 * @module
 */
import type { CwmpMessage } from './messages.js'
import type { CwmpVersion } from './version.js'

/**
 * A SOAP header entry that was marked `mustUnderstand="1"` but is not a CWMP header.
 *
 * @category Codec
 */
export interface UnknownHeaderEntry {
  /** Namespace URI of the entry ('' when unqualified). */
  readonly namespace: string
  /** Local name of the entry. */
  readonly name: string
}

/**
 * The CWMP SOAP header entries (TR-069 §3.5, Table 4). Absent entries are omitted.
 *
 * @category Codec
 */
export interface EnvelopeHeader {
  /** `cwmp:ID`: correlates a response with its request; a response MUST echo the request's ID. */
  readonly id?: string
  /** `cwmp:HoldRequests` (ACS → CPE, deprecated in Amendment 6): while true the CPE sends no requests. */
  readonly holdRequests?: boolean
  /** `cwmp:SessionTimeout` (CPE → ACS in Inform, CWMP 1.3+): the CPE's session timeout in seconds. */
  readonly sessionTimeout?: number
  /** `cwmp:SupportedCWMPVersions` (CPE → ACS in Inform, CWMP 1.4): versions such as `1.0` … `1.4`. */
  readonly supportedCwmpVersions?: readonly string[]
  /** `cwmp:UseCWMPVersion` (ACS → CPE in InformResponse, CWMP 1.4): the version chosen for the session. */
  readonly useCwmpVersion?: string
  /**
   * `cwmp:NoMoreRequests` (TR-069 Issue 1, deprecated): decoded so that it can be seen, never
   * encoded. Its role is played by the empty HTTP POST since Amendment 1.
   */
  readonly noMoreRequests?: boolean
  /**
   * Decoded only: header entries marked `mustUnderstand="1"` that this library does not understand.
   * SOAP 1.1 says a receiver must not process such a message; answering with a fault is the caller's
   * choice. Never encoded.
   */
  readonly notUnderstood?: readonly UnknownHeaderEntry[]
}

/**
 * A CWMP SOAP envelope.
 *
 * When encoding, `version` selects the cwmp namespace (`cwmp-1-0`, `cwmp-1-1`, or `cwmp-1-2` for
 * 1.2–1.4) and which methods, header entries and values are allowed. When decoding, it is the
 * version the envelope itself shows: the namespace, raised to 1.3 by a `SessionTimeout` header
 * and to 1.4 by `SupportedCWMPVersions` or `UseCWMPVersion` (TR-069 Tables 6 and 9). A session
 * tracks the negotiated version across messages.
 *
 * @category Codec
 */
export interface Envelope<B = CwmpMessage> {
  /** CWMP protocol version. */
  readonly version: CwmpVersion
  /** SOAP header entries. */
  readonly header: EnvelopeHeader
  /** The single SOAP body element. */
  readonly body: B
}
