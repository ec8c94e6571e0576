/**
 * The ACS side of one CWMP session, sans I/O: HTTP requests in, HTTP responses out. Its state is
 * plain JSON ({@link AcsSessionState}), so any process can continue a session another one began.
 *
 * @module
 */
import { ConfigError, DecodeError, ProtocolError } from '../errors.js'
import { decodeEnvelope, type DecodeOptions, type DecodedEnvelope } from '../envelope/decode.js'
import { encodeEnvelope } from '../envelope/encode.js'
import { makeFault, toFault } from '../faults.js'
import type { EnvelopeHeader } from '../types/envelope.js'
import type {
  AcsRequest,
  AcsResponse,
  CpeRequest,
  CpeResponse,
  CwmpMessage,
  Fault,
  Inform,
  VendorMessage,
} from '../types/messages.js'
import type { DeviceIdStruct } from '../types/structs.js'
import { ACS_METHODS } from '../types/catalogue.js'
import { CWMP_VERSIONS, compareVersions, isCwmpVersion, type CwmpVersion } from '../types/version.js'
import { headerValue, type HttpRequest, type HttpResponse } from '../types/http.js'
import { isAcsRequest } from './cpe-session.js'
import { badRequest, emptyResponse, isEmptyBody, soapResponse } from './http.js'
import { apply, guard, INITIAL_FLAGS, type SessionFlags, type SessionInput, type SessionState } from './state.js'
import { randomHex } from './random.js'

/** Requests a CPE sends once the session is established (Inform only opens it). */
const CPE_REQUESTS: ReadonlySet<string> = new Set(ACS_METHODS.filter((m) => m !== 'Inform'))

/**
 * The complete state of an ACS session: plain JSON, safe to store and resume in another process.
 *
 * @category Sessions
 */
export interface AcsSessionState {
  /** Protocol state. */
  readonly state: SessionState
  /** Protocol flags. */
  readonly flags: SessionFlags
  /** Session identifier (e.g. the cookie value). */
  readonly sessionId: string
  /** The version used for this session (from the Inform and negotiation). */
  readonly version: CwmpVersion
  /** Send UseCWMPVersion in the InformResponse (the CPE offered SupportedCWMPVersions). */
  readonly useVersionHeader: boolean
  /** The CPE offered versions and the ACS supports none of them: answer 8006. */
  readonly incompatible: boolean
  /** The CPE, from its Inform. */
  readonly deviceId: DeviceIdStruct | undefined
  /** Requests queued for the CPE. */
  readonly queue: readonly AcsRequest[]
  /** The ACS request awaiting the CPE's answer, and its cwmp:ID. */
  readonly outstanding:
    | {
        /** The request. */
        readonly request: AcsRequest
        /** Its `cwmp:ID`. */
        readonly id: string
      }
    | undefined
  /** The CPE request (Inform included) awaiting the ACS's answer: its method and cwmp:ID. */
  readonly cpeRequest:
    | {
        /** Its element name. */
        readonly method: string
        /** Its `cwmp:ID`, if it had one. */
        readonly id: string | undefined
      }
    | undefined
  /** Counter for the cwmp:ID of ACS requests. */
  readonly idCounter: number
}

/**
 * What arrived from the CPE.
 *
 * @category Sessions
 */
export type AcsSessionStep =
  /** The session's Inform. Answer with {@link AcsSession.informResponse} (or a fault with {@link AcsSession.respond}). */
  | {
      /** Discriminant. */
      readonly type: 'inform'
      /** The CPE's Inform. */
      readonly inform: Inform
      /** The SOAP header that came with it. */
      readonly header: EnvelopeHeader
      /** The version chosen for the session. */
      readonly version: CwmpVersion
      /** True when the CPE offered versions the ACS supports none of: answer fault 8006. */
      readonly incompatible: boolean
    }
  /** A CPE request (TransferComplete, GetRPCMethods, …). Answer with {@link AcsSession.respond}. */
  | {
      /** Discriminant. */
      readonly type: 'request'
      /** The CPE's request. */
      readonly request: CpeRequest
      /** Its `cwmp:ID`, echoed in the answer (absent when the CPE sent none). */
      readonly id: string | undefined
    }
  /** The CPE's answer to the ACS's request. It is the ACS's turn: {@link AcsSession.next}. */
  | {
      /** Discriminant. */
      readonly type: 'response'
      /** The ACS's request. */
      readonly request: AcsRequest
      /** The CPE's answer. */
      readonly response: CpeResponse | VendorMessage
      /** The response's cwmp:ID differs from the request's (TR-069 requires an echo). */
      readonly idMismatch: boolean
    }
  /** The CPE answered the ACS's request with a fault. It is the ACS's turn. */
  | {
      /** Discriminant. */
      readonly type: 'fault'
      /** The ACS's request. */
      readonly request: AcsRequest
      /** The CPE's fault. */
      readonly fault: Fault
    }
  /** An empty POST: the CPE has nothing (more) to say. It is the ACS's turn. */
  | {
      /** Discriminant. */
      readonly type: 'empty'
      /**
       * True when the CPE sent it while HoldRequests was false: it has no more requests, so
       * {@link AcsSession.next} ends the session when the queue is empty.
       */
      readonly cpeDone: boolean
    }
  /**
   * A request the ACS cannot accept. `reply` is the answer to send: 400 for unreadable XML or a
   * message out of turn (the session has failed), or a Fault 8000/8003 for an unknown or invalid CPE
   * request (the session goes on).
   */
  | {
      /** Discriminant. */
      readonly type: 'invalid'
      /** Why, as a stable code. */
      readonly reason: 'malformed' | 'out-of-turn' | 'unknown-method' | 'invalid-arguments'
      /** Why, in plain English. */
      readonly message: string
      /** The body element of the offending message, when it could be read. */
      readonly method?: string
      /** The HTTP response to send back. */
      readonly reply: HttpResponse
      /** The Fault that `reply` carries (8000 or 8003, the session goes on); absent when `reply` is a 400. */
      readonly replyFault?: Fault
    }

/**
 * Options of {@link createAcsSession}.
 *
 * @category Sessions
 */
export interface AcsSessionOptions {
  /**
   * Session identifier, e.g. the value of the session cookie. Default: 12 random bytes in hex from the
   * platform's Web Crypto; the ACS simulator passes its own.
   */
  readonly sessionId?: string
  /** CWMP versions the ACS supports (default all, 1.0–1.4). */
  readonly versions?: readonly CwmpVersion[]
  /** Requests to send the CPE, in order. */
  readonly queue?: readonly AcsRequest[]
  /** Decoding options for CPE messages. */
  readonly decode?: DecodeOptions
}

/**
 * Options of a reply that carries an envelope.
 *
 * @category Sessions
 */
export interface AcsReplyOptions {
  /** Send `HoldRequests` with this value (deprecated in Amendment 6; CPEs must still honour it). */
  readonly holdRequests?: boolean
}

function maxVersion(versions: readonly CwmpVersion[]): CwmpVersion {
  return versions.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b))
}

/**
 * The ACS side of one session. Pass each CPE HTTP request to {@link AcsSession.receive}, then answer
 * it: {@link AcsSession.informResponse} after an Inform, {@link AcsSession.respond} after a CPE request,
 * {@link AcsSession.next} (the next queued request, or 204 when none) otherwise. An illegal call throws a
 * {@link ProtocolError} (`ERR_CWMP_PROTOCOL_LOCAL`) and changes nothing.
 *
 * @category Sessions
 */
export class AcsSession {
  #s: AcsSessionState
  readonly #versions: readonly CwmpVersion[]
  readonly #decode: DecodeOptions

  /**
   * @param state - a state from {@link AcsSession.toJSON} (or a new one from {@link createAcsSession})
   * @param options - versions and decode options (not part of the state)
   */
  constructor(state: AcsSessionState, options: Pick<AcsSessionOptions, 'versions' | 'decode'> = {}) {
    this.#s = state
    this.#versions = options.versions ?? CWMP_VERSIONS
    this.#decode = options.decode ?? {}
  }

  /** The session state (plain JSON). */
  toJSON(): AcsSessionState {
    return this.#s
  }

  /** Protocol state. */
  get state(): SessionState {
    return this.#s.state
  }

  /** The session identifier. */
  get sessionId(): string {
    return this.#s.sessionId
  }

  /** The session's CWMP version. */
  get version(): CwmpVersion {
    return this.#s.version
  }

  /** The CPE, once its Inform arrived. */
  get deviceId(): DeviceIdStruct | undefined {
    return this.#s.deviceId
  }

  /** True once the session has ended, successfully or not. */
  get finished(): boolean {
    return this.#s.state === 'done' || this.#s.state === 'failed'
  }

  /**
   * Queue requests for the CPE; they go out one per HTTP response when it is the ACS's turn.
   *
   * @param requests - GetParameterValues, Reboot, …
   */
  enqueue(...requests: readonly AcsRequest[]): void {
    this.#s = { ...this.#s, queue: [...this.#s.queue, ...requests] }
  }

  /**
   * Process a CPE HTTP request (a POST with an envelope, or an empty POST).
   *
   * @param request - the whole HTTP request
   */
  receive(request: HttpRequest): {
    /** What arrived. */
    readonly step: AcsSessionStep
  } {
    const s = this.#s
    if (isEmptyBody(request.body)) {
      if (guard(s.state, s.flags, 'cpe:empty') !== undefined) return this.#outOfTurn(`empty POST in state ${s.state}`)
      this.#move('cpe:empty', {})
      return { step: { type: 'empty', cpeDone: this.#s.flags.cpeDone } }
    }
    let env: DecodedEnvelope
    try {
      const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(headerValue(request.headers, 'content-type') ?? '')?.[1]
      env = decodeEnvelope(request.body, charset === undefined ? this.#decode : { ...this.#decode, charset })
    } catch (err) {
      return this.#decodeFailure(err)
    }
    const body = env.body as CwmpMessage | VendorMessage
    switch (s.state) {
      case 'idle':
        if (body.method !== 'Inform') return this.#outOfTurn(`${body.method} before Inform`, body.method)
        return this.#onInform(env, body as Inform)
      case 'cpe-turn':
        if (body.method === 'Inform') return this.#outOfTurn('a second Inform in one session', body.method)
        if (!CPE_REQUESTS.has(body.method)) return this.#outOfTurn(`${body.method} is not a CPE request`, body.method)
        if (guard(s.state, s.flags, 'cpe:request') !== undefined) {
          return this.#outOfTurn(`${body.method}: ${guard(s.state, s.flags, 'cpe:request') as string}`, body.method)
        }
        this.#move('cpe:request', { cpeRequest: { method: body.method, id: env.header.id } })
        return { step: { type: 'request', request: body as CpeRequest, id: env.header.id } }
      case 'acs-request-sent': {
        const out = s.outstanding as { request: AcsRequest; id: string }
        if (body.method === 'Fault') {
          this.#move('cpe:response', { outstanding: undefined })
          return { step: { type: 'fault', request: out.request, fault: body as Fault } }
        }
        if (body.method !== `${out.request.method}Response`) {
          return this.#outOfTurn(`${body.method} in answer to ${out.request.method}`, body.method)
        }
        this.#move('cpe:response', { outstanding: undefined })
        return {
          step: {
            type: 'response',
            request: out.request,
            response: body as CpeResponse,
            idMismatch: env.header.id !== out.id,
          },
        }
      }
      default:
        return this.#outOfTurn(`${body.method} in state ${s.state}`, body.method)
    }
  }

  #onInform(env: DecodedEnvelope, inform: Inform): { readonly step: AcsSessionStep } {
    const offered = env.header.supportedCwmpVersions
    let version: CwmpVersion
    let incompatible = false
    let useVersionHeader = false
    if (offered !== undefined) {
      // §3.7.2.1: choose from the CPE's list; 8006 when nothing is common.
      const common = this.#versions.filter((v) => offered.includes(v))
      useVersionHeader = true
      if (common.length === 0) {
        incompatible = true
        version = env.version
      } else {
        version = maxVersion(common)
      }
    } else {
      // Table 9: the namespace (and SessionTimeout) tell the CPE's version; use the lower of the two.
      const mine = maxVersion(this.#versions)
      version = compareVersions(env.version, mine) <= 0 ? env.version : mine
    }
    this.#move('cpe:inform', {
      version,
      incompatible,
      useVersionHeader,
      deviceId: inform.deviceId,
      cpeRequest: { method: 'Inform', id: env.header.id },
    })
    return { step: { type: 'inform', inform, header: env.header, version, incompatible } }
  }

  /**
   * Answer the Inform. Carries UseCWMPVersion when the CPE offered SupportedCWMPVersions.
   *
   * @param options - HoldRequests
   * @throws {@link ProtocolError} when no Inform is waiting, or the versions are incompatible (send 8006 instead)
   */
  informResponse(options: AcsReplyOptions = {}): HttpResponse {
    this.#check('acs:inform-response')
    const s = this.#s
    if (s.incompatible) {
      throw new ProtocolError('ERR_CWMP_PROTOCOL_LOCAL', 'no common CWMP version: answer with fault 8006')
    }
    const header = this.#replyHeader(options)
    if (s.cpeRequest?.id !== undefined) header.id = s.cpeRequest.id
    const version: CwmpVersion = s.useVersionHeader ? '1.4' : s.version
    if (s.useVersionHeader) header.useCwmpVersion = s.version
    const xml = encodeEnvelope({ version, header, body: { method: 'InformResponse', maxEnvelopes: 1 } })
    this.#move('acs:inform-response', { cpeRequest: undefined }, options.holdRequests)
    return soapResponse(xml)
  }

  /**
   * Answer the CPE's request (Inform included) with a response or a fault. Fault 8005 asks the CPE to
   * re-send the same request; any other fault on Inform ends the session.
   *
   * @param message - e.g. TransferCompleteResponse, or a Fault from {@link makeFault}
   * @param options - HoldRequests
   */
  respond(message: AcsResponse | Fault, options: AcsReplyOptions = {}): HttpResponse {
    const s = this.#s
    const req = s.cpeRequest
    if (req === undefined) throw new ProtocolError('ERR_CWMP_PROTOCOL_LOCAL', `no CPE request to answer in state ${s.state}`)
    let input: SessionInput
    if (message.method === 'Fault') input = message.faultCode === 8005 ? 'acs:retry' : 'acs:fault'
    else if (req.method === 'Inform') input = 'acs:inform-response'
    else input = 'acs:response'
    if (message.method !== 'Fault' && message.method !== `${req.method}Response`) {
      throw new ProtocolError('ERR_CWMP_PROTOCOL_LOCAL', `${message.method} does not answer ${req.method}`)
    }
    this.#check(input)
    if (input === 'acs:retry' && options.holdRequests === true) {
      throw new ProtocolError('ERR_CWMP_PROTOCOL_LOCAL', 'fault 8005 asks the CPE to re-send at once: HoldRequests cannot be true')
    }
    const header = this.#replyHeader(options)
    if (req.id !== undefined) header.id = req.id
    const xml = encodeEnvelope({ version: s.version, header, body: message })
    this.#move(input, { cpeRequest: undefined }, options.holdRequests)
    return soapResponse(xml)
  }

  /**
   * Send a request to the CPE now (it is the ACS's turn: after an empty POST or a CPE response).
   *
   * @param request - the RPC
   * @param options - HoldRequests
   */
  request(request: AcsRequest, options: AcsReplyOptions = {}): HttpResponse {
    this.#check('acs:request')
    const id = `${this.#s.sessionId}.${this.#s.idCounter + 1}`
    const header = this.#replyHeader(options)
    header.id = id
    const xml = encodeEnvelope({ version: this.#s.version, header, body: request })
    this.#move('acs:request', { outstanding: { request, id }, idCounter: this.#s.idCounter + 1 }, options.holdRequests)
    return soapResponse(xml)
  }

  /**
   * The ACS's turn: send the next queued request, or the empty 204 response when the queue is empty
   * (which ends the session once the CPE has finished its own requests).
   *
   * @param options - HoldRequests, for a request
   */
  next(options: AcsReplyOptions = {}): HttpResponse {
    const [first, ...rest] = this.#s.queue
    if (first === undefined) return this.end()
    this.#check('acs:request')
    const res = this.request(first, options)
    this.#s = { ...this.#s, queue: rest }
    return res
  }

  /** Send the empty 204 response (the ACS has no more requests now). */
  end(): HttpResponse {
    const input: SessionInput = this.#s.flags.cpeDone ? 'acs:end' : 'acs:empty'
    this.#check(input)
    this.#move(input, {})
    return emptyResponse()
  }

  /** End the session unsuccessfully with 400 Bad Request (expired session, protocol violation, …). */
  abort(): HttpResponse {
    if (!this.finished) this.#move('fail', {})
    return badRequest()
  }

  #replyHeader(options: AcsReplyOptions): { -readonly [K in keyof EnvelopeHeader]: EnvelopeHeader[K] } {
    return options.holdRequests === undefined ? {} : { holdRequests: options.holdRequests }
  }

  #decodeFailure(err: unknown): { readonly step: AcsSessionStep } {
    const s = this.#s
    if (
      err instanceof DecodeError &&
      err.method !== undefined &&
      err.method !== 'Inform' &&
      !err.method.endsWith('Response') &&
      guard(s.state, s.flags, 'cpe:request') === undefined
    ) {
      const unknown = err.code === 'ERR_CWMP_METHOD_UNKNOWN'
      const fault = unknown ? makeFault('acs', 'MethodNotSupported') : toFault(err, 'acs')
      const header: EnvelopeHeader = err.requestId === undefined ? {} : { id: err.requestId }
      // The CPE request is answered with a fault and the session goes on (§3.7.2.4, footnote 20).
      this.#move('cpe:request', {})
      this.#move('acs:fault', {})
      return {
        step: {
          type: 'invalid',
          reason: unknown ? 'unknown-method' : 'invalid-arguments',
          message: err.message,
          method: err.method,
          reply: soapResponse(encodeEnvelope({ version: s.version, header, body: fault })),
          replyFault: fault,
        },
      }
    }
    this.#move('fail', {})
    const message = err instanceof Error ? err.message : String(err)
    return {
      step: {
        type: 'invalid',
        reason: 'malformed',
        message,
        ...(err instanceof DecodeError && err.method !== undefined ? { method: err.method } : {}),
        reply: badRequest(),
      },
    }
  }

  #outOfTurn(message: string, method?: string): { readonly step: AcsSessionStep } {
    if (!this.finished) this.#move('fail', {})
    return {
      step: { type: 'invalid', reason: 'out-of-turn', message, ...(method === undefined ? {} : { method }), reply: badRequest() },
    }
  }

  #check(input: SessionInput): void {
    const why = guard(this.#s.state, this.#s.flags, input)
    if (why !== undefined) throw new ProtocolError('ERR_CWMP_PROTOCOL_LOCAL', why)
  }

  #move(input: SessionInput, patch: Partial<AcsSessionState>, holdRequests?: boolean): void {
    const { state, flags } = apply(this.#s.state, this.#s.flags, input, holdRequests)
    this.#s = { ...this.#s, ...patch, state, flags }
  }
}

/**
 * Create the ACS side of a new session.
 *
 * @param options - session id, versions, queued requests
 *
 * @throws {@link ConfigError} naming `options` when it is not an object, or `versions` when it is not a
 * non-empty list of CWMP versions
 * @example
 * ```ts
 * const acs = createAcsSession({ queue: [{ method: 'GetParameterValues', parameterNames: ['Device.'] }] })
 * const { step } = acs.receive(httpRequest)
 * const reply = step.type === 'inform' ? acs.informResponse() : step.type === 'invalid' ? step.reply : acs.next()
 * ```
 *
 * @category Sessions
 */
export function createAcsSession(options: AcsSessionOptions = {}): AcsSession {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  const versions = options.versions ?? CWMP_VERSIONS
  if (!Array.isArray(versions) || versions.length === 0 || !versions.every(isCwmpVersion)) {
    throw new ConfigError('versions', 'a non-empty list of CWMP versions', versions)
  }
  const state: AcsSessionState = {
    state: 'idle',
    flags: INITIAL_FLAGS,
    sessionId: options.sessionId ?? randomHex(12),
    version: maxVersion(versions),
    useVersionHeader: false,
    incompatible: false,
    deviceId: undefined,
    queue: options.queue ?? [],
    outstanding: undefined,
    cpeRequest: undefined,
    idCounter: 0,
  }
  return new AcsSession(state, options)
}

/**
 * Continue a session from its saved state (e.g. loaded by session cookie from a shared store).
 *
 * @param state - from {@link AcsSession.toJSON}
 * @param options - versions and decode options
 *
 * @category Sessions
 */
export function resumeAcsSession(
  state: AcsSessionState,
  options: Pick<AcsSessionOptions, 'versions' | 'decode'> = {},
): AcsSession {
  return new AcsSession(state, options)
}
