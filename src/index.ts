/**
 * `cwmp`: TR-069 (CPE WAN Management Protocol) for TypeScript.
 *
 * @packageDocumentation
 */

export {
  CwmpError,
  ConfigError,
  DecodeError,
  EncodeError,
  AuthError,
  ProtocolError,
  TransportError,
  TimeoutError,
  isCwmpError,
} from './errors.js'
export type {
  AnyCwmpError,
  AuthErrorCode,
  ConfigErrorCode,
  CwmpErrorCode,
  CwmpErrorOptions,
  DecodeErrorCode,
  DecodeErrorLocation,
  EncodeErrorCode,
  FaultKind,
  ProtocolErrorCode,
  TimeoutErrorCode,
  TransportErrorCode,
} from './errors.js'

export { CWMP_VERSIONS, NS, compareVersions, isCwmpVersion, namespaceForVersion, versionOfNamespace } from './types/version.js'
export type { CwmpVersion } from './types/version.js'
export type * from './types/structs.js'
export type * from './types/messages.js'
export type { Envelope, EnvelopeHeader, UnknownHeaderEntry } from './types/envelope.js'
export {
  ACS_FAULTS,
  ACS_METHODS,
  CPE_METHODS,
  CPE_FAULTS,
  EVENT_CODES,
  METHOD_EVENT_CODES,
  EVENT_RULES,
  eventRule,
  faultDefinition,
  requestEventCode,
  responseMethodOf,
  vendorEventCode,
  vendorMethodEventCode,
} from './types/catalogue.js'
export type {
  AcsFaultName,
  CpeFaultName,
  EventRetryPolicy,
  EventRule,
  FaultDefinition,
  SoapFaultCode,
  StandardEventCode,
} from './types/catalogue.js'
export { decodeEnvelope, DEFAULT_DECODE_LIMITS } from './envelope/decode.js'
export type { DecodeLimits, DecodeOptions, DecodedEnvelope } from './envelope/decode.js'
export { encodeEnvelope } from './envelope/encode.js'
export type { EncodeOptions } from './envelope/encode.js'
export type { DecodeWarning, WarningCode } from './rpc/context.js'
export { createCodecRegistry, defineVendorMethod } from './rpc/registry.js'
export type { CodecRegistry, VendorFieldSpec, VendorMethodSpec, VendorScalarType } from './rpc/registry.js'
export type { MethodCodec } from './rpc/schema.js'
export { CWMP_FAULT_STRING, createFault, makeFault, toFault } from './faults.js'
export type { FaultRole } from './faults.js'
export {
  UNKNOWN_TIME,
  formatDateTime,
  parseBoolean,
  parseDateTime,
  parseInt32,
  parseLong,
  parseParameterValue,
  parseUnsignedInt,
  parseUnsignedLong,
  toParameterValue,
} from './values/convert.js'
export type { DateTimeValue, ParameterValueInput, ToParameterValueOptions, TypedValue } from './values/convert.js'

export * from './auth/index.js'
export * from './connreq/index.js'
export * from './session/index.js'
export * from './cpe/index.js'
export * from './transport/index.js'
export * from './acs/index.js'
