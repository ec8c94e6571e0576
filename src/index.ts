/**
 * `cwmp`: TR-069 (CPE WAN Management Protocol) for TypeScript.
 *
 * @packageDocumentation
 */

export {
  CwmpError,
  DecodeError,
  EncodeError,
  AuthError,
  ProtocolError,
  TransportError,
  isCwmpError,
} from './errors.js'
export type {
  AnyCwmpError,
  AuthErrorCode,
  CwmpErrorCode,
  CwmpErrorOptions,
  DecodeErrorCode,
  DecodeErrorLocation,
  EncodeErrorCode,
  FaultKind,
  ProtocolErrorCode,
  TransportErrorCode,
} from './errors.js'
