/**
 * Connection Requests, the ways an ACS asks a CPE to open a session: HTTP (TR-069 §3.2.2), UDP
 * with STUN (Annex G, TR-111) and XMPP (Annex K). Sans-I/O: the caller owns the sockets; these
 * functions decide and format.
 *
 * @module
 */

export {
  DEFAULT_CONNECTION_REQUEST_RATE_LIMIT,
  createConnectionRequestPolicy,
} from './policy.js'
export type {
  ConnectionRequestAcceptance,
  ConnectionRequestAcceptResult,
  ConnectionRequestContext,
  ConnectionRequestPolicy,
  ConnectionRequestPolicyOptions,
  ConnectionRequestPolicyState,
  ConnectionRequestRateLimit,
  DuringSessionPolicy,
  SessionEndResult,
} from './policy.js'

export { createConnectionRequestClient, createConnectionRequestHandler } from './http.js'
export type {
  ConnectionRequestClient,
  ConnectionRequestClientOptions,
  ConnectionRequestDecision,
  ConnectionRequestHandler,
  ConnectionRequestHandlerOptions,
  ConnectionRequestHandlerUpdate,
  ConnectionRequestResponse,
  ConnectionRequestResult,
  ConnectionRequestStep,
  ConnectionRequestTarget,
  HttpHeaderValues,
  IncomingConnectionRequest,
  OutgoingConnectionRequest,
} from './http.js'

export {
  INITIAL_UDP_REPLAY_STATE,
  buildUdpConnectionRequest,
  parseUdpConnectionRequest,
  signUdpConnectionRequest,
  verifyUdpConnectionRequest,
} from './udp.js'
export type {
  UdpConnectionRequest,
  UdpConnectionRequestFields,
  UdpConnectionRequestInit,
  UdpIgnoreReason,
  UdpParseOptions,
  UdpReplayState,
  UdpVerifyOptions,
  UdpVerifyResult,
} from './udp.js'

export {
  XMPP_CONNREQ_NAMESPACE,
  XMPP_STANZAS_NAMESPACE,
  buildXmppConnectionRequest,
  buildXmppConnectionRequestError,
  buildXmppConnectionRequestResult,
  handleXmppConnectionRequest,
  isJabberIdAllowed,
  parseXmppConnectionRequest,
  verifyXmppConnectionRequest,
} from './xmpp.js'
export type {
  XmppConnectionRequest,
  XmppConnectionRequestInit,
  XmppErrorCondition,
  XmppHandleOptions,
  XmppHandleResult,
  XmppParseOptions,
  XmppReplyInit,
  XmppVerifyOptions,
  XmppVerifyResult,
} from './xmpp.js'

export {
  STUN_ATTRIBUTE,
  STUN_MESSAGE_TYPE,
  TR111_CONNECTION_REQUEST_BINDING_VALUE,
  classifyUdpPacket,
  createTr111BindingRequest,
  decodeMappedAddress,
  decodeStunMessage,
  encodeMappedAddress,
  encodeStunMessage,
  readTr111Attributes,
} from './stun.js'
export type { StunAttribute, StunIpv4Address, StunMessage, Tr111BindingInfo, Tr111BindingRequestInit } from './stun.js'
