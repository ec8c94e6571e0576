/**
 * The CPE side of one CWMP session, sans I/O: HTTP responses in, HTTP requests out.
 *
 * @module
 */
import { ConfigError, DecodeError, ProtocolError } from '../errors.js'
import { decodeEnvelope, nameRequest, type DecodeOptions, type DecodedEnvelope } from '../envelope/decode.js'
import type { DecodeWarning } from '../rpc/context.js'
import { encodeEnvelope } from '../envelope/encode.js'
import { toFault } from '../faults.js'
import type { EnvelopeHeader } from '../types/envelope.js'
import type {
  AcsRequest,
  AcsResponse,
  CpeRequest,
  CpeResponse,
  CwmpMessage,
  Fault,
  Inform,
  InformResponse,
  VendorMessage,
} from '../types/messages.js'
import { CPE_METHODS, responseMethodOf } from '../types/catalogue.js'
import { CWMP_VERSIONS, compareVersions, isCwmpVersion, type CwmpVersion } from '../types/version.js'
import { headerValue, type HttpRequest, type HttpResponse } from '../types/http.js'
import { emptyPost, isEmptyBody, soapPost } from './http.js'
import { apply, guard, INITIAL_FLAGS, MAX_RETRY_REQUESTS, type SessionFlags, type SessionInput, type SessionState } from './state.js'
import { randomUuid } from './random.js'

/**
 * Why a CPE session failed.
 *
 * @category Sessions
 */
export type CpeFailureReason =
  /** The ACS answered Inform with a fault other than 8005 (including 8006, version incompatible). */
  | 'inform-fault'
  /** More than 3 "Retry request" (8005) faults in one session. */
  | 'retry-limit'
  /** 401 after authenticating (or with no credentials to offer). */
  | 'unauthorized'
  /** More consecutive redirects than allowed (5). */
  | 'redirects'
  /** An HTTP status the session cannot handle (4xx, 5xx, a redirect without Location). */
  | 'http-status'
  /** A body that is not a well-formed CWMP envelope, or a message out of turn. */
  | 'protocol'
  /** The ACS chose a CWMP version the CPE did not offer. */
  | 'version'
  /** The transport failed: no connection, no response within the timeout, connection lost. */
  | 'transport'
  /** The caller aborted the session. */
  | 'aborted'

/**
 * What happened on receipt of an ACS HTTP response.
 *
 * @category Sessions
 */
export type CpeSessionStep =
  /** The session is established: the ACS answered Inform. `version` is the negotiated version. */
  | {
      /** Discriminant. */
      readonly type: 'informed'
      /** The ACS's InformResponse. */
      readonly response: InformResponse
      /** The SOAP header that came with it. */
      readonly header: EnvelopeHeader
      /** The CWMP version used for the rest of the session. */
      readonly version: CwmpVersion
    }
  /** The ACS answered one of the CPE's requests: this confirms delivery of its events. */
  | {
      /** Discriminant. */
      readonly type: 'response'
      /** The CPE's request. */
      readonly request: CpeRequest
      /** The ACS's answer. */
      readonly response: AcsResponse
    }
  /** The ACS answered one of the CPE's requests with a fault other than 8005; the request is dropped. */
  | {
      /** Discriminant. */
      readonly type: 'fault'
      /** The CPE's request. */
      readonly request: CpeRequest
      /** The ACS's fault. */
      readonly fault: Fault
    }
  /** Fault 8005 "Retry request": the identical request is sent again (in `send`). */
  | {
      /** Discriminant. */
      readonly type: 'retry'
      /** The request sent again. */
      readonly request: CpeRequest | Inform
      /** The ACS's 8005 fault. */
      readonly fault: Fault
    }
  /** The ACS sent a request: answer it with {@link CpeSession.respond}. */
  | {
      /** Discriminant. */
      readonly type: 'request'
      /** The ACS's request. */
      readonly request: AcsRequest
      /** Its `cwmp:ID`, echoed in the answer (absent when the ACS sent none). */
      readonly id: string | undefined
    }
  /**
   * The ACS sent a request the CPE cannot read (unknown method, bad argument): the fault that
   * answers it is already in `send`.
   */
  | {
      /** Discriminant. */
      readonly type: 'invalid-request'
      /** Why the request could not be read. */
      readonly error: DecodeError
      /** The fault sent back. */
      readonly fault: Fault
    }
  /** A 3xx redirect: the same request goes to `url` (in `send`). */
  | {
      /** Discriminant. */
      readonly type: 'redirect'
      /** The `Location` to send to, for the rest of this session. */
      readonly url: string
    }
  /** An empty ACS response while the session goes on: the next POST is in `send`. */
  | {
      /** Discriminant. */
      readonly type: 'empty'
    }
  /** The session terminated successfully. Close the connection. */
  | {
      /** Discriminant. */
      readonly type: 'end'
    }
  /** The session terminated unsuccessfully. Close the connection; the retry policy applies. */
  | {
      /** Discriminant. */
      readonly type: 'failed'
      /** Why, as a stable code. */
      readonly reason: CpeFailureReason
      /** Why, in plain English. */
      readonly message: string
      /** The ACS's fault, when a fault ended the session. */
      readonly fault?: Fault
    }

/**
 * The result of {@link CpeSession.receive}.
 *
 * @category Sessions
 */
export interface CpeReceiveResult {
  /** What happened. */
  readonly step: CpeSessionStep
  /** The next HTTP request to send, when the session already knows it. */
  readonly send?: HttpRequest
}

/**
 * Options of {@link createCpeSession}.
 *
 * @category Sessions
 */
export interface CpeSessionOptions {
  /** The ACS URL. */
  readonly url: string
  /** The Inform to open the session with (`maxEnvelopes` is always sent as 1). */
  readonly inform: Inform
  /** The CWMP versions the CPE supports (default: all, 1.0–1.4). */
  readonly versions?: readonly CwmpVersion[]
  /**
   * The version of the Inform envelope (default: the highest supported). With 1.4 the Inform carries
   * SupportedCWMPVersions; use `1.0` to fall back for an ACS that rejected a newer Inform (§3.2.1.1).
   */
  readonly informVersion?: CwmpVersion
  /** Sent as the SessionTimeout header (seconds, CWMP 1.3+), if set. */
  readonly sessionTimeout?: number
  /** The CPE's own requests for this session (TransferComplete, GetRPCMethods, …), sent in order. */
  readonly requests?: readonly CpeRequest[]
  /**
   * Generates `cwmp:ID` values for the CPE's requests. Default: random UUIDs from the platform's Web
   * Crypto; the CPE client passes `node:crypto`'s.
   */
  readonly newId?: () => string
  /** Decoding options for ACS messages (strict mode, limits, vendor codecs). */
  readonly decode?: DecodeOptions
  /** Consecutive redirects allowed (default 5, TR-069 §3.4.2). */
  readonly maxRedirects?: number
}

/**
 * The CPE's own message in flight, awaiting the ACS's answer (part of {@link CpeSessionSnapshot}).
 *
 * @category Sessions
 */
export interface CpeOutstandingRequest {
  /** The Inform or CPE request. */
  readonly message: CpeRequest | Inform
  /** The HTTP request that carries it (sent again on fault 8005, to the current URL). */
  readonly http: HttpRequest
}

/**
 * The complete state of a CPE session: plain data.
 *
 * @category Sessions
 */
export interface CpeSessionSnapshot {
  /** Protocol state. */
  readonly state: SessionState
  /** Protocol flags. */
  readonly flags: SessionFlags
  /** The URL requests go to (changes on redirect, for this session only). */
  readonly url: string
  /** Consecutive redirects so far. */
  readonly redirects: number
  /** Version used to encode: the Inform's, then the negotiated one. */
  readonly version: CwmpVersion
  /** The versions offered in SupportedCWMPVersions, if any. */
  readonly offered: readonly CwmpVersion[] | undefined
  /** CPE requests not yet sent. */
  readonly pending: readonly CpeRequest[]
  /** The CPE message awaiting an ACS answer. */
  readonly outstanding: CpeOutstandingRequest | undefined
  /** The ACS request awaiting the CPE's answer: its method and ID. */
  readonly acsRequest:
    | {
        /** Its element name. */
        readonly method: string
        /** Its `cwmp:ID`, if it had one. */
        readonly id: string | undefined
      }
    | undefined
  /** The last HTTP request sent (re-sent on redirect). */
  readonly lastSent: HttpRequest | undefined
}

const ACS_REQUESTS: ReadonlySet<string> = new Set(CPE_METHODS)

/**
 * True when a message is a request an ACS may send to a CPE.
 *
 * @param message - a decoded message
 *
 * @category Sessions
 */
export function isAcsRequest(message: { readonly method: string }): message is AcsRequest {
  return ACS_REQUESTS.has(message.method)
}

const REDIRECTS = new Set([301, 302, 303, 307, 308])

function maxVersion(versions: readonly CwmpVersion[]): CwmpVersion {
  return versions.reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b))
}

/**
 * The CPE side of one session. Create it with {@link createCpeSession}; send {@link CpeSession.start}'s
 * request, pass every HTTP response to {@link CpeSession.receive}, send what it returns, and answer
 * ACS requests with {@link CpeSession.respond}. An illegal call throws a {@link ProtocolError}
 * (`ERR_CWMP_PROTOCOL_LOCAL`) and changes nothing.
 *
 * @category Sessions
 */
export class CpeSession {
  #s: CpeSessionSnapshot
  readonly #inform: Inform
  readonly #versions: readonly CwmpVersion[]
  readonly #sessionTimeout: number | undefined
  readonly #newId: () => string
  readonly #decode: DecodeOptions
  readonly #maxRedirects: number

  /** @param options - see {@link CpeSessionOptions} */
  constructor(options: CpeSessionOptions) {
    const versions = options.versions ?? CWMP_VERSIONS
    if (!Array.isArray(versions) || versions.length === 0 || !versions.every(isCwmpVersion)) {
      throw new ConfigError('versions', 'a non-empty list of CWMP versions', versions)
    }
    const informVersion = options.informVersion ?? maxVersion(versions)
    this.#inform = { ...options.inform, maxEnvelopes: 1 }
    this.#versions = versions
    this.#sessionTimeout = options.sessionTimeout
    this.#newId = options.newId ?? randomUuid
    this.#decode = options.decode ?? {}
    this.#maxRedirects = options.maxRedirects ?? 5
    this.#s = {
      state: 'idle',
      flags: INITIAL_FLAGS,
      url: options.url,
      redirects: 0,
      version: informVersion,
      offered: compareVersions(informVersion, '1.4') >= 0 ? versions : undefined,
      pending: options.requests ?? [],
      outstanding: undefined,
      acsRequest: undefined,
      lastSent: undefined,
    }
  }

  /** The session state (plain, immutable data: each move replaces it). */
  get snapshot(): CpeSessionSnapshot {
    return this.#s
  }

  /** Protocol state. */
  get state(): SessionState {
    return this.#s.state
  }

  /** The version used for encoding (negotiated once the ACS answered Inform). */
  get version(): CwmpVersion {
    return this.#s.version
  }

  /** True once the session has ended, successfully or not. */
  get finished(): boolean {
    return this.#s.state === 'done' || this.#s.state === 'failed'
  }

  /**
   * Queue one more CPE request for this session. Returns false (and queues nothing) when the CPE
   * may send no more requests in this session: it will go in the next one.
   *
   * @param request - TransferComplete, GetRPCMethods, …
   */
  queueRequest(request: CpeRequest): boolean {
    if (this.finished || this.#s.flags.cpeDone) return false
    this.#s = { ...this.#s, pending: [...this.#s.pending, request] }
    return true
  }

  /** The first HTTP request: the Inform POST. */
  start(): HttpRequest {
    this.#check('cpe:inform')
    const header: { -readonly [K in keyof EnvelopeHeader]: EnvelopeHeader[K] } = { id: this.#newId() }
    const v = this.#s.version
    if (this.#sessionTimeout !== undefined && compareVersions(v, '1.3') >= 0) header.sessionTimeout = this.#sessionTimeout
    if (this.#s.offered !== undefined) header.supportedCwmpVersions = this.#s.offered
    const http = soapPost(this.#s.url, encodeEnvelope({ version: v, header, body: this.#inform }))
    this.#move('cpe:inform', { outstanding: { message: this.#inform, http }, lastSent: http })
    return http
  }

  /**
   * Answer the ACS request received last (a response or a Fault).
   *
   * @param message - the response, e.g. GetParameterValuesResponse, or a Fault from {@link makeFault}
   * @throws {@link ProtocolError} when no ACS request is waiting for an answer
   * @throws {@link EncodeError} when the message cannot be encoded (nothing changes)
   */
  respond(message: CpeResponse | Fault | VendorMessage): HttpRequest {
    this.#check('cpe:response')
    const req = this.#s.acsRequest
    if (req === undefined) throw new ProtocolError('ERR_CWMP_PROTOCOL_LOCAL', 'no ACS request to answer')
    if (message.method !== 'Fault' && message.method !== `${req.method}Response`) {
      throw new ProtocolError('ERR_CWMP_PROTOCOL_LOCAL', `${message.method} does not answer ${req.method}`)
    }
    const header: EnvelopeHeader = req.id === undefined ? {} : { id: req.id }
    const http = soapPost(this.#s.url, encodeEnvelope({ version: this.#s.version, header, body: message }))
    this.#move('cpe:response', { acsRequest: undefined, lastSent: http })
    return http
  }

  /**
   * End the session unsuccessfully from outside: transport failure, timeout, abort.
   *
   * @param reason - why
   * @param message - details
   */
  fail(reason: CpeFailureReason, message: string): CpeReceiveResult {
    if (this.finished) return { step: { type: 'failed', reason, message } }
    this.#move('fail', {})
    return { step: { type: 'failed', reason, message } }
  }

  /**
   * Process the ACS's HTTP response to the last request.
   *
   * @param response - the whole HTTP response
   * @throws {@link ProtocolError} when no request is waiting for a response
   */
  receive(response: HttpResponse): CpeReceiveResult {
    const s = this.#s
    if (s.lastSent === undefined || s.state === 'idle' || s.state === 'acs-request-sent' || this.finished) {
      throw new ProtocolError('ERR_CWMP_PROTOCOL_LOCAL', `no HTTP request is waiting for a response in state ${s.state}`)
    }
    const status = response.status
    if (REDIRECTS.has(status)) return this.#redirect(response)
    if (status === 401 || status === 407) return this.#failed('unauthorized', `HTTP ${status} from the ACS`)
    if (status !== 200 && status !== 204) return this.#failed('http-status', `HTTP ${status} from the ACS`)
    if (s.redirects !== 0) this.#s = { ...this.#s, redirects: 0 }
    if (status === 204 || isEmptyBody(response.body)) return this.#empty()

    let env: DecodedEnvelope
    try {
      const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(headerValue(response.headers, 'content-type') ?? '')?.[1]
      env = decodeEnvelope(response.body, charset === undefined ? this.#decode : { ...this.#decode, charset })
    } catch (err) {
      if (err instanceof DecodeError && this.#s.state === 'acs-turn' && err.method !== undefined && isRequestError(err)) {
        return this.#invalidRequest(err)
      }
      return this.#failed('protocol', `unreadable ACS message: ${err instanceof Error ? err.message : String(err)}`)
    }
    const body = env.body as CwmpMessage | VendorMessage
    const hold = env.header.holdRequests === true
    switch (this.#s.state) {
      case 'inform-sent':
        return this.#onInformAnswer(env, body)
      case 'cpe-request-sent':
        return this.#onRequestAnswer(body, hold)
      case 'acs-turn': {
        // A request with a field its type cannot hold (a Notification `x`) is not carried out on the
        // lenient fallback value: it is answered with 9003, as strict decoding would (D26).
        const unreadable = env.warnings.find((w) => w.code === 'SCALAR_INVALID' && w.path.startsWith('Envelope/Body/'))
        if (unreadable !== undefined) return this.#invalidRequest(unreadableField(unreadable, body.method, env.header.id))
        if (body.method.startsWith('X_')) {
          // A registered vendor request: hand it over like any other request.
          this.#move('acs:request', { acsRequest: { method: body.method, id: env.header.id } }, hold)
          return { step: { type: 'request', request: body as unknown as AcsRequest, id: env.header.id } }
        }
        if (!isAcsRequest(body)) return this.#failed('protocol', `${body.method} is not an ACS request`)
        this.#move('acs:request', { acsRequest: { method: body.method, id: env.header.id } }, hold)
        return { step: { type: 'request', request: body, id: env.header.id } }
      }
      default:
        return this.#failed('protocol', `unexpected message in state ${this.#s.state}`)
    }
  }

  #onInformAnswer(env: DecodedEnvelope, body: CwmpMessage | VendorMessage): CpeReceiveResult {
    if (body.method === 'Fault') {
      const fault = body as Fault
      if (fault.faultCode === 8005) return this.#retry(fault)
      this.#move('acs:fault', {})
      return {
        step: { type: 'failed', reason: 'inform-fault', message: `Inform fault ${fault.faultCode}`, fault },
      }
    }
    if (body.method !== 'InformResponse') return this.#failed('protocol', `${body.method} in answer to Inform`)
    // Version negotiation, TR-069 §3.7.1.1 / Table 11.
    let version: CwmpVersion
    const use = env.header.useCwmpVersion
    if (use !== undefined) {
      if (this.#s.offered === undefined || !(this.#s.offered as readonly string[]).includes(use)) {
        return this.#failed('version', `the ACS chose CWMP ${use}, which was not offered`)
      }
      version = use as CwmpVersion
    } else {
      // Infer from the namespace (Table 6: 1.3 cannot be inferred), never above the Inform's version.
      const inferred = env.version
      version = compareVersions(inferred, this.#s.version) < 0 ? inferred : this.#s.version
      if (!this.#versions.includes(version)) {
        return this.#failed('version', `the ACS speaks CWMP ${inferred}, which the CPE does not support`)
      }
    }
    this.#move('acs:inform-response', { outstanding: undefined, version }, env.header.holdRequests === true)
    return {
      step: { type: 'informed', response: body as InformResponse, header: env.header, version },
      send: this.#nextPost(),
    }
  }

  #onRequestAnswer(body: CwmpMessage | VendorMessage, hold: boolean): CpeReceiveResult {
    const out = this.#s.outstanding as CpeOutstandingRequest
    const request = out.message as CpeRequest
    if (body.method === 'Fault') {
      const fault = body as Fault
      if (fault.faultCode === 8005) return this.#retry(fault)
      this.#move('acs:fault', { outstanding: undefined }, hold)
      return { step: { type: 'fault', request, fault }, send: this.#nextPost() }
    }
    if (body.method !== responseMethodOf(request.method)) {
      return this.#failed('protocol', `${body.method} in answer to ${request.method}`)
    }
    this.#move('acs:response', { outstanding: undefined }, hold)
    return { step: { type: 'response', request, response: body as AcsResponse }, send: this.#nextPost() }
  }

  #retry(fault: Fault): CpeReceiveResult {
    const out = this.#s.outstanding as CpeOutstandingRequest
    if (this.#s.flags.retries >= MAX_RETRY_REQUESTS) {
      this.#move('fail', {})
      return { step: { type: 'failed', reason: 'retry-limit', message: 'more than 3 retry requests (8005)', fault } }
    }
    this.#move('acs:retry', {})
    // Re-send the identical request (§3.7.1.6).
    const http = { ...out.http, url: this.#s.url }
    this.#move(out.message.method === 'Inform' ? 'cpe:inform' : 'cpe:request', { lastSent: http })
    return { step: { type: 'retry', request: out.message, fault }, send: http }
  }

  #empty(): CpeReceiveResult {
    const s = this.#s
    if (s.state !== 'acs-turn') return this.#failed('protocol', `empty response in state ${s.state}`)
    if (s.flags.cpeDone) {
      this.#move('acs:end', { lastSent: undefined })
      return { step: { type: 'end' } }
    }
    this.#move('acs:empty', {})
    return { step: { type: 'empty' }, send: this.#nextPost() }
  }

  #invalidRequest(err: DecodeError): CpeReceiveResult {
    const fault = toFault(err, 'cpe')
    this.#move('acs:request', { acsRequest: { method: err.method ?? 'unknown', id: err.requestId } }, false)
    const header: EnvelopeHeader = err.requestId === undefined ? {} : { id: err.requestId }
    const http = soapPost(this.#s.url, encodeEnvelope({ version: this.#s.version, header, body: fault }))
    this.#move('cpe:response', { acsRequest: undefined, lastSent: http })
    return { step: { type: 'invalid-request', error: err, fault }, send: http }
  }

  #redirect(response: HttpResponse): CpeReceiveResult {
    const location = headerValue(response.headers, 'location')
    if (location === undefined) return this.#failed('http-status', `HTTP ${response.status} without Location`)
    if (this.#s.redirects >= this.#maxRedirects) {
      return this.#failed('redirects', `more than ${this.#maxRedirects} consecutive redirects`)
    }
    let url: string
    try {
      url = new URL(location, this.#s.url).toString()
    } catch {
      return this.#failed('http-status', `invalid redirect Location ${JSON.stringify(location)}`)
    }
    const http = { ...(this.#s.lastSent as HttpRequest), url }
    this.#s = { ...this.#s, url, redirects: this.#s.redirects + 1, lastSent: http }
    return { step: { type: 'redirect', url }, send: http }
  }

  /** In `cpe-turn`: the next CPE request if allowed (§3.7.1.3), else the empty POST. */
  #nextPost(): HttpRequest {
    const s = this.#s
    const next = s.pending[0]
    if (next !== undefined && guard(s.state, s.flags, 'cpe:request') === undefined) {
      const http = soapPost(s.url, encodeEnvelope({ version: s.version, header: { id: this.#newId() }, body: next }))
      this.#move('cpe:request', { pending: s.pending.slice(1), outstanding: { message: next, http }, lastSent: http })
      return http
    }
    const http = emptyPost(s.url)
    this.#move('cpe:empty', { lastSent: http })
    return http
  }

  #failed(reason: CpeFailureReason, message: string): CpeReceiveResult {
    this.#move('fail', {})
    return { step: { type: 'failed', reason, message } }
  }

  #check(input: SessionInput): void {
    const why = guard(this.#s.state, this.#s.flags, input)
    if (why !== undefined) throw new ProtocolError('ERR_CWMP_PROTOCOL_LOCAL', why)
  }

  #move(input: SessionInput, patch: Partial<CpeSessionSnapshot>, holdRequests?: boolean): void {
    const { state, flags } = apply(this.#s.state, this.#s.flags, input, holdRequests)
    this.#s = { ...this.#s, ...patch, state, flags }
  }
}

/** The error strict decoding would have thrown for a field lenient decoding read as its fallback. */
function unreadableField(w: DecodeWarning, method: string, requestId: string | undefined): DecodeError {
  const err = new DecodeError('ERR_CWMP_ARGUMENT_INVALID', w.message, {
    path: w.path,
    ...(w.line === undefined ? {} : { line: w.line }),
    ...(w.column === undefined ? {} : { column: w.column }),
  })
  return nameRequest(err, method, requestId)
}

function isRequestError(err: DecodeError): boolean {
  // Errors about the content of a message whose envelope was read: answer them with a fault.
  return (
    err.code === 'ERR_CWMP_METHOD_UNKNOWN' ||
    err.code === 'ERR_CWMP_ARGUMENT_INVALID' ||
    err.code === 'ERR_CWMP_ARGUMENT_MISSING' ||
    err.code === 'ERR_CWMP_STRICT' ||
    err.code === 'ERR_CWMP_MUST_UNDERSTAND'
  ) && !err.method?.endsWith('Response')
}

/**
 * Create the CPE side of one session.
 *
 * @param options - ACS URL, Inform, versions, CPE requests
 *
 * @throws {@link ConfigError} naming `options`, `url`, `inform` or `versions` when one is missing or of the
 * wrong type
 * @example
 * ```ts
 * const session = createCpeSession({ url, inform })
 * let req: HttpRequest | undefined = session.start()
 * while (req !== undefined) {
 *   const { step, send } = session.receive(await transport.send(req))
 *   req = step.type === 'request' ? session.respond(await handle(step.request)) : send
 * }
 * ```
 *
 * @category Sessions
 */
export function createCpeSession(options: CpeSessionOptions): CpeSession {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  if (typeof options.url !== 'string') throw new ConfigError('url', 'a string', options.url)
  if (typeof options.inform !== 'object' || options.inform === null) throw new ConfigError('inform', 'an Inform object', options.inform)
  return new CpeSession(options)
}
