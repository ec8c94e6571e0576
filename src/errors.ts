/**
 * The error family of the package.
 *
 * Every error thrown by `cwmp` is a {@link CwmpError} with a stable, machine-readable
 * {@link CwmpError.code | code}. Compare codes, not messages and not `instanceof`: a code keeps
 * working when both the ESM and the CommonJS copy of the package end up loaded in one process.
 *
 * @module
 */

/**
 * Codes of errors raised while decoding a SOAP envelope ({@link DecodeError}).
 *
 * @category Codec
 */
export type DecodeErrorCode =
  /** The input is not well-formed XML (or not namespace-well-formed); `line`/`column` are set. */
  | 'ERR_CWMP_XML_MALFORMED'
  /** The input carries a document type declaration: DTDs and entities are never processed. */
  | 'ERR_CWMP_DOCTYPE'
  /** Well-formed XML, but not a SOAP 1.1 envelope with exactly one Body child. */
  | 'ERR_CWMP_NOT_ENVELOPE'
  /** The envelope uses a cwmp namespace this library does not know. */
  | 'ERR_CWMP_VERSION_UNSUPPORTED'
  /** The Body child names no known method and no registered vendor codec. */
  | 'ERR_CWMP_METHOD_UNKNOWN'
  /** A required element of a known method is absent; `path` names it. */
  | 'ERR_CWMP_ARGUMENT_MISSING'
  /** An element of a known method has a value its type does not allow; `path` names it. */
  | 'ERR_CWMP_ARGUMENT_INVALID'
  /** A header entry with `mustUnderstand="1"` that this library does not understand (strict mode). */
  | 'ERR_CWMP_MUST_UNDERSTAND'
  /** A deviation that lenient mode accepts with a warning, rejected because `strict` is set. */
  | 'ERR_CWMP_STRICT'
  /** A configured decode limit (bytes, depth, elements, text length, attributes) was exceeded. */
  | 'ERR_CWMP_LIMIT_EXCEEDED'

/**
 * Codes of errors raised while encoding ({@link EncodeError}).
 *
 * @category Codec
 */
export type EncodeErrorCode =
  /** The message cannot be encoded as a schema-valid envelope; `path` names the offending field. */
  'ERR_CWMP_ENCODE_INVALID'

/**
 * Codes of errors raised by the HTTP authentication helpers ({@link AuthError}).
 *
 * @category Authentication
 */
export type AuthErrorCode =
  /** A `WWW-Authenticate` / `Authorization` header that cannot be parsed. */
  | 'ERR_CWMP_AUTH_MALFORMED'
  /** A scheme, algorithm or qop this library does not implement, or none that both sides share. */
  | 'ERR_CWMP_AUTH_UNSUPPORTED'
  /** A header or parameter larger than the configured limit. */
  | 'ERR_CWMP_AUTH_LIMIT_EXCEEDED'
  /** Invalid arguments given by the caller (for example an empty realm or a bad secret). */
  | 'ERR_CWMP_AUTH_INVALID_ARGUMENT'

/**
 * Codes of errors raised by the session state machines ({@link ProtocolError}).
 *
 * @category Sessions
 */
export type ProtocolErrorCode =
  /** We tried a move that the session state does not allow; the state is unchanged. */
  | 'ERR_CWMP_PROTOCOL_LOCAL'
  /** The peer made a move that the session state does not allow. */
  | 'ERR_CWMP_PROTOCOL_REMOTE'

/**
 * Codes of errors raised by transports ({@link TransportError}).
 *
 * @category Transports
 */
export type TransportErrorCode =
  /** The request failed at the HTTP or socket level; the cause is in `cause`. */
  | 'ERR_CWMP_TRANSPORT'
  /** No response arrived within the configured timeout. */
  | 'ERR_CWMP_TRANSPORT_TIMEOUT'

/**
 * Codes of configuration errors ({@link ConfigError}).
 *
 * @category Codec
 */
export type ConfigErrorCode =
  /** An option or setting has a value its rule does not allow; `field` names it, `rule` says why. */
  'ERR_CWMP_CONFIG_INVALID'

/**
 * Codes of errors raised when a wait on user code is given up ({@link TimeoutError}).
 *
 * @category CPE client
 */
export type TimeoutErrorCode =
  /** A hook, a data-model call or a callback did not settle within its bound, or the client stopped first. */
  'ERR_CWMP_TIMEOUT'

/**
 * Every stable error code thrown by this package.
 *
 * @category Codec
 */
export type CwmpErrorCode =
  | DecodeErrorCode
  | EncodeErrorCode
  | AuthErrorCode
  | ProtocolErrorCode
  | TransportErrorCode
  | ConfigErrorCode
  | TimeoutErrorCode

/**
 * Which CWMP fault an error becomes when it is reported to the peer (compare h11's status hint).
 * {@link toFault} maps it to a 9xxx code when we are the CPE and an 8xxx code when we are the ACS.
 *
 * @category Faults
 */
export type FaultKind =
  | 'MethodNotSupported'
  | 'RequestDenied'
  | 'InternalError'
  | 'InvalidArguments'
  | 'ResourcesExceeded'

/**
 * Options shared by every error constructor.
 *
 * @category Codec
 */
export interface CwmpErrorOptions {
  /** The underlying error, if any. */
  readonly cause?: unknown
  /** Overrides the default {@link FaultKind} of the error code. */
  readonly faultKind?: FaultKind
}

const BRAND = Symbol.for('cwmp.error')

const DEFAULT_FAULT_KIND: { readonly [C in CwmpErrorCode]: FaultKind } = {
  ERR_CWMP_XML_MALFORMED: 'InvalidArguments',
  ERR_CWMP_DOCTYPE: 'InvalidArguments',
  ERR_CWMP_NOT_ENVELOPE: 'InvalidArguments',
  ERR_CWMP_VERSION_UNSUPPORTED: 'InvalidArguments',
  ERR_CWMP_METHOD_UNKNOWN: 'MethodNotSupported',
  ERR_CWMP_ARGUMENT_MISSING: 'InvalidArguments',
  ERR_CWMP_ARGUMENT_INVALID: 'InvalidArguments',
  ERR_CWMP_MUST_UNDERSTAND: 'InvalidArguments',
  ERR_CWMP_STRICT: 'InvalidArguments',
  ERR_CWMP_LIMIT_EXCEEDED: 'ResourcesExceeded',
  ERR_CWMP_ENCODE_INVALID: 'InternalError',
  ERR_CWMP_AUTH_MALFORMED: 'RequestDenied',
  ERR_CWMP_AUTH_UNSUPPORTED: 'RequestDenied',
  ERR_CWMP_AUTH_LIMIT_EXCEEDED: 'RequestDenied',
  ERR_CWMP_AUTH_INVALID_ARGUMENT: 'InternalError',
  ERR_CWMP_PROTOCOL_LOCAL: 'InternalError',
  ERR_CWMP_PROTOCOL_REMOTE: 'RequestDenied',
  ERR_CWMP_TRANSPORT: 'InternalError',
  ERR_CWMP_TRANSPORT_TIMEOUT: 'InternalError',
  ERR_CWMP_CONFIG_INVALID: 'InternalError',
  ERR_CWMP_TIMEOUT: 'InternalError',
}

/**
 * Base class of every error this package throws.
 *
 * @example
 * ```ts
 * try { decodeEnvelope(body) } catch (err) {
 *   if (isCwmpError(err) && err.code === 'ERR_CWMP_XML_MALFORMED') console.log(err.line, err.column)
 * }
 * ```
 *
 * @category Codec
 */
export class CwmpError extends Error {
  /** Always `'CwmpError'`, for stack traces and logs; test {@link CwmpError.code} rather than this. */
  override name = 'CwmpError'
  /** Stable machine-readable code. */
  readonly code: CwmpErrorCode
  /** The fault this error maps to when reported to the peer. */
  readonly faultKind: FaultKind

  /**
   * @param code - stable error code
   * @param message - plain English, no trailing period
   * @param options - cause and fault kind
   */
  constructor(code: CwmpErrorCode, message: string, options?: CwmpErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    this.faultKind = options?.faultKind ?? DEFAULT_FAULT_KIND[code]
    Object.defineProperty(this, BRAND, { value: true, enumerable: false })
  }
}

/**
 * Where in the input a decode error happened.
 *
 * @category Codec
 */
export interface DecodeErrorLocation {
  /** 1-based line in the XML text. */
  readonly line?: number
  /** 1-based column in the XML text. */
  readonly column?: number
  /** Element path, for example `Envelope/Body/Inform/DeviceId/OUI`. */
  readonly path?: string
}

/**
 * The input could not be decoded. Carries the position and element path when known.
 *
 * @category Codec
 */
export class DecodeError extends CwmpError {
  /** Always `'DecodeError'`, for stack traces and logs; test {@link CwmpError.code} rather than this. */
  override name = 'DecodeError'
  declare readonly code: DecodeErrorCode
  /** 1-based line in the XML text, when known. */
  readonly line?: number
  /** 1-based column in the XML text, when known. */
  readonly column?: number
  /** Element path, e.g. `Envelope/Body/Inform/DeviceId/OUI`, when known. */
  readonly path?: string
  /** The `cwmp:ID` of the envelope that failed to decode, when its header could be read. */
  readonly requestId?: string
  /** The body element name of the envelope that failed to decode, when known. */
  readonly method?: string

  /**
   * @param code - stable error code
   * @param message - plain English
   * @param location - line, column and element path
   * @param options - cause and fault kind
   */
  constructor(
    code: DecodeErrorCode,
    message: string,
    location: DecodeErrorLocation = {},
    options?: CwmpErrorOptions,
  ) {
    super(code, message, options)
    if (location.line !== undefined) this.line = location.line
    if (location.column !== undefined) this.column = location.column
    if (location.path !== undefined) this.path = location.path
  }
}

/**
 * A message could not be encoded as a schema-valid envelope.
 *
 * @category Codec
 */
export class EncodeError extends CwmpError {
  /** Always `'EncodeError'`, for stack traces and logs; test {@link CwmpError.code} rather than this. */
  override name = 'EncodeError'
  declare readonly code: EncodeErrorCode
  /** Path of the offending field, e.g. `body.parameterList[3].value`. */
  readonly path?: string

  /**
   * @param message - plain English
   * @param path - path of the offending field in the message object
   * @param options - cause and fault kind
   */
  constructor(message: string, path?: string, options?: CwmpErrorOptions) {
    super('ERR_CWMP_ENCODE_INVALID', message, options)
    if (path !== undefined) this.path = path
  }
}

/**
 * An HTTP authentication header could not be parsed or used.
 *
 * @category Authentication
 */
export class AuthError extends CwmpError {
  /** Always `'AuthError'`, for stack traces and logs; test {@link CwmpError.code} rather than this. */
  override name = 'AuthError'
  declare readonly code: AuthErrorCode

  /**
   * @param code - stable error code
   * @param message - plain English
   * @param options - cause
   */
  constructor(code: AuthErrorCode, message: string, options?: CwmpErrorOptions) {
    super(code, message, options)
  }
}

/**
 * A session state machine refused a move (ours: `ERR_CWMP_PROTOCOL_LOCAL`, the peer's: `…_REMOTE`).
 *
 * @category Sessions
 */
export class ProtocolError extends CwmpError {
  /** Always `'ProtocolError'`, for stack traces and logs; test {@link CwmpError.code} rather than this. */
  override name = 'ProtocolError'
  declare readonly code: ProtocolErrorCode

  /**
   * @param code - local or remote
   * @param message - plain English
   * @param options - cause and fault kind
   */
  constructor(code: ProtocolErrorCode, message: string, options?: CwmpErrorOptions) {
    super(code, message, options)
  }
}

/**
 * A transport could not deliver a request or obtain a response.
 *
 * @category Transports
 */
export class TransportError extends CwmpError {
  /** Always `'TransportError'`, for stack traces and logs; test {@link CwmpError.code} rather than this. */
  override name = 'TransportError'
  declare readonly code: TransportErrorCode

  /**
   * @param code - stable error code
   * @param message - plain English
   * @param options - cause
   */
  constructor(code: TransportErrorCode, message: string, options?: CwmpErrorOptions) {
    super(code, message, options)
  }
}

/**
 * A configuration value was refused: an option of a factory, or a setting given to a running client.
 * Nothing was changed. `field` names the setting (a dotted path such as `connectionRequest.password`)
 * and `rule` the requirement it broke.
 *
 * @category Codec
 */
export class ConfigError extends CwmpError {
  /** Always `'ConfigError'`, for stack traces and logs; test {@link CwmpError.code} rather than this. */
  override name = 'ConfigError'
  declare readonly code: ConfigErrorCode
  /** The setting, as a dotted path, e.g. `periodicInformInterval` or `connectionRequest.port`. */
  readonly field: string
  /** The rule it broke, e.g. `an integer ≥ 1`. */
  readonly rule: string

  /**
   * @param field - the setting, as a dotted path
   * @param rule - the rule it broke
   * @param value - the refused value, shown in the message unless `secret`
   * @param options - `secret` hides the value (passwords); cause
   */
  constructor(field: string, rule: string, value?: unknown, options?: CwmpErrorOptions & { readonly secret?: boolean }) {
    const shown = options?.secret === true || value === undefined ? '' : ` (got ${describe(value)})`
    super('ERR_CWMP_CONFIG_INVALID', `${field} must be ${rule}${shown}`, options)
    this.field = field
    this.rule = rule
  }
}

/**
 * A wait on user code (a hook, a data-model call, a callback) was given up: it did not settle within
 * its bound, or the client stopped while it was pending. What the code does later is ignored.
 *
 * @category CPE client
 */
export class TimeoutError extends CwmpError {
  /** Always `'TimeoutError'`, for stack traces and logs; test {@link CwmpError.code} rather than this. */
  override name = 'TimeoutError'
  declare readonly code: TimeoutErrorCode
  /** What was waited for, e.g. `model.getParameterValues` or `hooks.download`. */
  readonly operation: string
  /** The bound in ms; `undefined` when the wait ended because the client stopped. */
  readonly timeoutMs: number | undefined

  /**
   * @param operation - what was waited for
   * @param timeoutMs - the bound that passed, or `undefined` when the client stopped
   */
  constructor(operation: string, timeoutMs: number | undefined) {
    super(
      'ERR_CWMP_TIMEOUT',
      timeoutMs === undefined ? `${operation} was abandoned: the client stopped` : `${operation} did not settle within ${timeoutMs} ms`,
    )
    this.operation = operation
    this.timeoutMs = timeoutMs
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value)
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value === null) return String(value)
  return typeof value
}

/**
 * Any error of this package, discriminated by `code`.
 *
 * @category Codec
 */
export type AnyCwmpError = DecodeError | EncodeError | AuthError | ProtocolError | TransportError | ConfigError | TimeoutError

/**
 * True when `value` is an error thrown by this package (any copy of it: ESM or CommonJS).
 *
 * @param value - anything caught
 *
 * @category Codec
 */
export function isCwmpError(value: unknown): value is AnyCwmpError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string' &&
    Object.hasOwn(DEFAULT_FAULT_KIND, (value as { code: string }).code)
  )
}
