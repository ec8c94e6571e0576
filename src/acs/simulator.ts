/**
 * An ACS simulator on `node:http`: the sans-I/O {@link AcsSession} behind a real HTTP server,
 * with sessions keyed by cookie in a pluggable {@link SessionStore}, Digest or Basic
 * authentication of CPEs, per-device RPC queues and a per-turn script, a recording of every
 * message, and HTTP Connection Requests.
 *
 * How a request is handled (TR-069 §3.7, SESSION-RULES §3 and §10):
 * 1. Not a POST: 405.
 * 2. The `cwmpsid` cookie names a live session in the store: the session is resumed from its JSON
 *    state and the request goes to it. No authentication: the cookie, a random 128-bit value set on
 *    the authenticated Inform's answer, is the session's credential. An Inform in the middle of a
 *    session (the CPE gave up on it) ends that session (`replaced`) and begins a new one.
 * 3. Otherwise (no cookie, an unknown, ended or expired session): an empty POST gets 204 (a stray
 *    empty POST after the session ended, see USER-NEEDS item 4 and magma PR #993); anything else
 *    must authenticate (401 with a challenge; the body is not read before), and must then be an
 *    Inform, which begins a session (anything else gets 400).
 *
 * @module
 */

import { randomBytes } from 'node:crypto'
import * as http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { checkBasicAuthorization, createBasicChallenge, formatCpeUsername, parseBasicAuthorization } from '../auth/basic.js'
import type { DigestAlgorithm } from '../auth/digest.js'
import { createDigestServer, type DigestServer } from '../auth/digest-server.js'
import type { DigestNonceStore } from '../auth/nonce-store.js'
import { createConnectionRequestClient, type ConnectionRequestResult } from '../connreq/http.js'
import { decodeEnvelope, type DecodeOptions } from '../envelope/decode.js'
import { makeFault } from '../faults.js'
import { createAcsSession, resumeAcsSession, type AcsSession, type AcsSessionStep } from '../session/acs-session.js'
import { isEmptyBody } from '../session/http.js'
import { formatXml } from '../transport/format.js'
import { createHttpTransport } from '../transport/http-client.js'
import { createHttpServerAdapter, type HttpRequestInfo } from '../transport/http-server.js'
import { parseCookieHeader } from '../transport/cookies.js'
import { bodyText, headerValue, headerValues, type HttpHeaders, type HttpRequest, type HttpResponse } from '../types/http.js'
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
import type { DeviceIdStruct, ParameterValueStruct } from '../types/structs.js'
import { ACS_METHODS } from '../types/catalogue.js'
import type { CwmpVersion } from '../types/version.js'
import { createMemorySessionStore, type AcsSessionOutcome, type SessionStore, type StoredAcsSession } from './session-store.js'

/** The least session timeout TR-069 allows an ACS (§3.7.2, SESSION-RULES §3d): 30 s. */
export const MIN_ACS_SESSION_TIMEOUT_MS = 30_000

/** Default name of the session cookie. */
export const DEFAULT_SESSION_COOKIE = 'cwmpsid'

/** Authentication of CPEs by the simulator. */
export interface AcsSimulatorAuth {
  /** The one accepted user name; absent: any user name with {@link AcsSimulatorAuth.password}. */
  readonly username?: string
  /** The password (of {@link AcsSimulatorAuth.username}, or of every user). */
  readonly password?: string
  /**
   * Per-device passwords: the password of a user name (TR-069: `OUI-ProductClass-SerialNumber`),
   * or undefined for an unknown user. Takes precedence over `username`/`password`.
   */
  readonly credentials?: (username: string) => string | undefined
  /** HTTP scheme. Default `digest`; `basic` only makes sense over TLS (TR-069 §3.4.4). */
  readonly scheme?: 'digest' | 'basic'
  /** Realm. Default `cwmp-acs`. */
  readonly realm?: string
  /** Digest algorithms offered, strongest first. Default `['MD5']` (TR-069 requires MD5). */
  readonly algorithms?: readonly DigestAlgorithm[]
  /**
   * Key of the stateless Digest nonces (at least 16 bytes). Give every instance behind a load
   * balancer the same secret. Default: 32 random bytes per simulator.
   */
  readonly secret?: string | Uint8Array
  /** Digest replay store (see {@link createDigestServer}). Default: in memory, per instance. */
  readonly nonceStore?: DigestNonceStore | null
  /**
   * Send `Connection: close` with every 401, so the CPE must authenticate on a new TCP connection
   * (what FritzBox CPEs do anyway, USER-NEEDS item 2). Default false.
   */
  readonly closeOnChallenge?: boolean
}

/** Credentials for a CPE's Connection Request URL. */
export interface ConnectionRequestCredentials {
  /** `ManagementServer.ConnectionRequestUsername`. */
  readonly username: string
  /** `ManagementServer.ConnectionRequestPassword`. */
  readonly password: string
}

/** Who the simulator is talking to, as hooks see it. */
export interface AcsSimulatorContext {
  /** The device key. */
  readonly deviceKey: string
  /** The session id (cookie value). */
  readonly sessionId: string
  /** The Inform that opened the session. */
  readonly inform: Inform
  /** The session's CWMP version. */
  readonly version: CwmpVersion
}

/** What the CPE last said when it is the ACS's turn. */
export type AcsTurnCause =
  /** An empty POST. */
  | {
      /** Discriminant. */
      readonly type: 'empty'
    }
  /** The answer to the ACS's last request. */
  | {
      /** Discriminant. */
      readonly type: 'response'
      /** The ACS's request. */
      readonly request: AcsRequest
      /** The CPE's response. */
      readonly response: CpeResponse | VendorMessage
    }
  /** A fault in answer to the ACS's last request. */
  | {
      /** Discriminant. */
      readonly type: 'fault'
      /** The ACS's request. */
      readonly request: AcsRequest
      /** The CPE's fault. */
      readonly fault: Fault
    }

/** The argument of an {@link AcsScript}: one ACS turn. */
export interface AcsTurn extends AcsSimulatorContext {
  /** What the CPE last sent. */
  readonly last: AcsTurnCause
  /** The requests queued for this session, sent in order when the script returns nothing. */
  readonly queue: readonly AcsRequest[]
}

/**
 * Called at every ACS turn (after the CPE's empty POST, response or fault). Return a request to
 * send it now, ahead of the queue; return undefined to send the next queued request, or the empty
 * 204 response when the queue is empty. A script that depends only on its argument works
 * unchanged when several processes share the session store.
 */
export type AcsScript = (turn: AcsTurn) => AcsRequest | undefined | Promise<AcsRequest | undefined>

/** A CPE request other than Inform. */
export type CpeOwnRequest = Exclude<CpeRequest, Inform>

/** Where the log goes: anything with `write(text)`, such as `process.stdout` or a file stream. */
export interface AcsLogStream {
  /**
   * Write some text.
   *
   * @param text - one formatted message
   */
  write(text: string): unknown
}

/** Options of {@link createAcsSimulator}. */
export interface AcsSimulatorOptions {
  /** Address to listen on. Default `127.0.0.1`. */
  readonly host?: string
  /** TCP port. Default 0: a free port. */
  readonly port?: number
  /** Listen backlog (pending connections). Default 1024, so a thousand CPEs may connect at once. */
  readonly backlog?: number
  /** CWMP versions supported (default 1.0–1.4); a CPE offering none of them gets fault 8006. */
  readonly versions?: readonly CwmpVersion[]
  /** Decoding options for CPE messages. */
  readonly decode?: DecodeOptions
  /** Authenticate CPEs. Default: no authentication. */
  readonly auth?: AcsSimulatorAuth
  /** Where sessions live between requests. Default {@link createMemorySessionStore}. */
  readonly store?: SessionStore
  /**
   * Idle time after which a session is over, in ms; at least 30 s (TR-069 §3.7.2). A CPE's
   * `SessionTimeout` header lengthens it for its session. Default 30 s.
   */
  readonly sessionTimeoutMs?: number
  /** Name of the session cookie. Default `cwmpsid`. */
  readonly cookieName?: string
  /** The key of a device. Default {@link defaultDeviceKey} (`OUI-ProductClass-SerialNumber`). */
  readonly deviceKey?: (deviceId: DeviceIdStruct) => string
  /** Called at every ACS turn; see {@link AcsScript}. */
  readonly script?: AcsScript
  /**
   * Answer a CPE request (TransferComplete, GetRPCMethods, …) yourself: return the response or a
   * fault, or undefined for the default answer (the matching empty response; GetRPCMethods lists
   * the ACS methods; Kicked sends the CPE's `next` URL back).
   */
  readonly onCpeRequest?: (
    request: CpeOwnRequest,
    context: AcsSimulatorContext,
  ) => AcsResponse | Fault | undefined | Promise<AcsResponse | Fault | undefined>
  /**
   * Answer an Inform with a fault instead of InformResponse (for tests): 8005 makes the CPE send
   * the same Inform again in the same session, 8001–8004 fail the session. `retries` counts the
   * 8005 faults already sent in this session.
   */
  readonly informFault?: (
    inform: Inform,
    context: AcsSimulatorContext & {
      /** 8005 faults already sent in this session. */
      readonly retries: number
    },
  ) => Fault | undefined | Promise<Fault | undefined>
  /**
   * Connection Request credentials, one pair for all devices or per device. Without them, the
   * credentials the ACS itself set with SetParameterValues (`…ManagementServer.ConnectionRequestUsername`
   * and `…Password`) are used.
   */
  readonly connectionRequest?:
    | ConnectionRequestCredentials
    | ((deviceKey: string) => ConnectionRequestCredentials | undefined)
  /** Timeout of a Connection Request, in ms. Default 10 s. */
  readonly connectionRequestTimeoutMs?: number
  /**
   * Print every message: a stream (each message formatted by {@link formatAcsMessage}, XML
   * indented) or a function that receives each {@link AcsRecordedMessage}.
   */
  readonly log?: AcsLogStream | ((message: AcsRecordedMessage) => void)
  /** Print header fields in the log (credentials redacted). Default false. */
  readonly logHeaders?: boolean
  /** Most messages kept in {@link AcsSimulator.messages}; the oldest go first. Default 10000. */
  readonly maxMessages?: number
  /** Most sessions kept in {@link AcsSimulator.sessions}; the oldest ended ones go first. Default 10000. */
  readonly maxSessions?: number
  /** Largest request body accepted, in bytes (413 beyond). Default 32 MiB. */
  readonly maxRequestBytes?: number
  /** Clock, ms since the epoch (timestamps, session timeouts, Digest nonces). Default `Date.now`. */
  readonly now?: () => number
  /** Told about errors in hooks (the session is then aborted with 400) and in the store (500). */
  readonly onError?: (error: unknown) => void
}

/** One HTTP message, as the simulator recorded it. */
export interface AcsRecordedMessage {
  /** Exchange number, shared by a request and its response (from 1). */
  readonly seq: number
  /** When it was received or sent (ms since the epoch). */
  readonly time: number
  /** `in`: an HTTP request from the CPE; `out`: the simulator's HTTP response. */
  readonly direction: 'in' | 'out'
  /** The device key, once known (not for a 401 or a request that is not an Inform). */
  readonly deviceKey: string | undefined
  /** The session id, once known. */
  readonly sessionId: string | undefined
  /** The peer's IP address. */
  readonly remoteAddress: string | undefined
  /** The peer's TCP port: a new port means a new TCP connection. */
  readonly remotePort: number | undefined
  /** HTTP method (requests). */
  readonly method?: string
  /** Request-target (requests). */
  readonly url?: string
  /** HTTP status (responses). */
  readonly status?: number
  /** Header fields, names in lower case. */
  readonly headers: HttpHeaders
  /** The decoded SOAP body; undefined for an empty body, an unread body (401) or an unreadable one. */
  readonly message: CwmpMessage | VendorMessage | undefined
  /** Why the message was refused or could not be read. */
  readonly error?: string
  /** The body as text (UTF-8). */
  readonly raw: string
}

/** One session as this simulator instance saw it. */
export interface AcsSimulatorSession {
  /** Session id (cookie value). */
  readonly sessionId: string
  /** Device key. */
  readonly deviceKey: string
  /** DeviceId of the Inform. */
  readonly deviceId: DeviceIdStruct
  /** Event codes of the Inform, e.g. `['0 BOOTSTRAP', '1 BOOT']`. */
  readonly events: readonly string[]
  /** The session's CWMP version. */
  readonly version: CwmpVersion
  /** The authenticated user name. */
  readonly username: string | undefined
  /** When the session began (ms since the epoch). */
  readonly startedAt: number
  /** The last request this instance saw (ms since the epoch). */
  readonly lastActivity: number
  /** When it ended. */
  readonly endedAt: number | undefined
  /** How it ended, or `active`. */
  readonly outcome: AcsSessionOutcome
  /** Why it failed. */
  readonly reason: string | undefined
  /** Requests the ACS sent in it (as seen by this instance). */
  readonly requests: readonly AcsRequest[]
}

/** What the simulator knows about a device (from this instance's traffic). */
export interface AcsDeviceRecord {
  /** Device key. */
  readonly deviceKey: string
  /** DeviceId of its last Inform. */
  readonly deviceId: DeviceIdStruct
  /** Its last Inform. */
  readonly lastInform: Inform
  /** When it arrived (ms since the epoch). */
  readonly lastInformAt: number
  /** `ManagementServer.ConnectionRequestURL`, from the Inform or a GetParameterValues answer. */
  readonly connectionRequestUrl: string | undefined
  /** Connection Request credentials the ACS set with SetParameterValues. */
  readonly connectionRequestCredentials: Partial<ConnectionRequestCredentials>
}

/** Options of {@link AcsSimulator.connectionRequest}. */
export interface AcsConnectionRequestOptions {
  /** URL; default the device's ConnectionRequestURL. */
  readonly url?: string
  /** Credentials; default from the simulator options, else what the ACS set. */
  readonly credentials?: ConnectionRequestCredentials
}

/** The outcome of {@link AcsSimulator.connectionRequest}. */
export interface AcsConnectionRequestOutcome {
  /** `accepted` (200/204), `unauthorized`, `busy` (503) or `failed` (anything else, or no answer). */
  readonly result: ConnectionRequestResult
  /** The last HTTP status; undefined when no response came. */
  readonly status: number | undefined
  /** The URL used. */
  readonly url: string
  /** The transport error, when no response came. */
  readonly error?: unknown
}

/** A running ACS simulator. */
export interface AcsSimulator {
  /** The ACS URL for CPEs, `http://host:port/` (any path is accepted). */
  readonly url: string
  /** The port. */
  readonly port: number
  /** Every message received and sent, oldest first (bounded by `maxMessages`). */
  readonly messages: readonly AcsRecordedMessage[]
  /** The whole-message handler behind the server, to put it behind your own server or test it without sockets. */
  readonly handler: (request: HttpRequest, info?: Partial<HttpRequestInfo>) => Promise<HttpResponse>
  /** The sessions this instance saw, oldest first. */
  sessions(): AcsSimulatorSession[]
  /** The devices this instance saw. */
  devices(): AcsDeviceRecord[]
  /**
   * Queue requests for a device. They join its next session at the Inform, or its current session
   * at the next ACS turn. Queues live in this instance; requests left unsent when a session fails
   * go back to the front of the queue.
   *
   * @param deviceKey - the device key
   * @param requests - GetParameterValues, Reboot, …
   */
  queue(deviceKey: string, ...requests: readonly AcsRequest[]): void
  /**
   * The requests waiting for a device (not those already moved into a session).
   *
   * @param deviceKey - the device key
   */
  queued(deviceKey: string): readonly AcsRequest[]
  /**
   * Send an HTTP Connection Request (TR-069 §3.2.2) to a device, answering its Digest challenge.
   *
   * @param deviceKey - the device key
   * @param options - URL and credentials, to override what the simulator knows
   * @throws Error when no ConnectionRequestURL is known for the device
   */
  connectionRequest(deviceKey: string, options?: AcsConnectionRequestOptions): Promise<AcsConnectionRequestOutcome>
  /**
   * Wait until `predicate` returns a value other than `undefined`, `null` or `false`; it is
   * evaluated now and after every message and session change. Rejects after `timeoutMs`.
   *
   * @param predicate - e.g. `() => sim.sessions().find((s) => s.outcome === 'done')`
   * @param timeoutMs - default 10000
   */
  waitFor<T>(predicate: () => T | undefined | null | false, timeoutMs?: number): Promise<T>
  /** Stop listening and close every connection. */
  close(): Promise<void>
}


const CR_URL = /^(?:Device|InternetGatewayDevice)\.ManagementServer\.ConnectionRequestURL$/
const CR_USERNAME = /^(?:Device|InternetGatewayDevice)\.ManagementServer\.ConnectionRequestUsername$/
const CR_PASSWORD = /^(?:Device|InternetGatewayDevice)\.ManagementServer\.ConnectionRequestPassword$/

/**
 * The default device key: the TR-069 CPE user name `OUI-ProductClass-SerialNumber` (§3.4.4, see
 * {@link formatCpeUsername}); the three fields joined with `-` when the OUI is not six hex digits.
 *
 * @param deviceId - the Inform's DeviceId
 */
export function defaultDeviceKey(deviceId: DeviceIdStruct): string {
  try {
    return formatCpeUsername({ oui: deviceId.oui, productClass: deviceId.productClass, serialNumber: deviceId.serialNumber })
  } catch {
    return `${deviceId.oui}-${deviceId.productClass}-${deviceId.serialNumber}`
  }
}

/**
 * The default answer to a CPE request: the matching response (GetRPCMethods lists the methods an
 * ACS implements, KickedResponse sends the CPE's `next` URL back).
 *
 * @param request - the CPE's request
 */
export function defaultAcsResponse(request: CpeOwnRequest): AcsResponse {
  switch (request.method) {
    case 'GetRPCMethods':
      return { method: 'GetRPCMethodsResponse', methodList: ACS_METHODS }
    case 'Kicked':
      return { method: 'KickedResponse', nextUrl: request.next }
    case 'TransferComplete':
      return { method: 'TransferCompleteResponse' }
    case 'AutonomousTransferComplete':
      return { method: 'AutonomousTransferCompleteResponse' }
    case 'RequestDownload':
      return { method: 'RequestDownloadResponse' }
    case 'DUStateChangeComplete':
      return { method: 'DUStateChangeCompleteResponse' }
    case 'AutonomousDUStateChangeComplete':
      return { method: 'AutonomousDUStateChangeCompleteResponse' }
  }
}

/** Options of {@link formatAcsMessage}. */
export interface FormatAcsMessageOptions {
  /** Print header fields (authorization and cookies redacted). Default false. */
  readonly headers?: boolean
}

/**
 * Render a recorded message for a console: a start line (direction, exchange, method or status,
 * device and session), optional header fields, and the XML body indented with {@link formatXml}.
 *
 * @param message - the message
 * @param options - layout
 * @returns the text, ending with a line break
 */
export function formatAcsMessage(message: AcsRecordedMessage, options: FormatAcsMessageOptions = {}): string {
  const who = [message.deviceKey, message.sessionId === undefined ? undefined : `session ${message.sessionId}`]
    .filter((x) => x !== undefined)
    .join(', ')
  const head =
    message.direction === 'in'
      ? `CPE -> ACS #${message.seq} ${message.method ?? ''} ${message.url ?? ''}`
      : `ACS -> CPE #${message.seq} ${message.status ?? ''}`
  const lines = [`${head}${who === '' ? '' : ` [${who}]`}${message.error === undefined ? '' : ` (${message.error})`}`]
  if (options.headers === true) {
    for (const [name, value] of Object.entries(message.headers)) {
      for (const v of typeof value === 'string' ? [value] : value) lines.push(`${name}: ${redact(name, v)}`)
    }
    lines.push('')
  }
  if (message.raw.trim() !== '') lines.push(formatXml(message.raw))
  else lines.push('(empty)')
  return `${lines.join('\n')}\n`
}

/** Hand queued requests to a session in slices: one spread of any length would overflow the stack. */
function enqueueAll(acs: AcsSession, requests: readonly AcsRequest[]): void {
  const SLICE = 4096
  for (let i = 0; i < requests.length; i += SLICE) acs.enqueue(...requests.slice(i, i + SLICE))
}

function redact(name: string, value: string): string {
  const lower = name.toLowerCase()
  if (lower === 'authorization') return `${value.split(' ')[0] ?? ''} [redacted]`
  if (lower === 'cookie' || lower === 'set-cookie') return value.replace(/=([^;]*)/, '=…')
  return value
}

interface LocalSession {
  sessionId: string
  deviceKey: string
  deviceId: DeviceIdStruct
  events: readonly string[]
  version: CwmpVersion
  username: string | undefined
  startedAt: number
  lastActivity: number
  endedAt: number | undefined
  outcome: AcsSessionOutcome
  reason: string | undefined
  timeoutMs: number
  requests: AcsRequest[]
}

interface LocalDevice {
  deviceKey: string
  deviceId: DeviceIdStruct
  lastInform: Inform
  lastInformAt: number
  connectionRequestUrl: string | undefined
  crUsername: string | undefined
  crPassword: string | undefined
}

/** What one exchange learned, for the recording. */
interface Exchange {
  deviceKey: string | undefined
  sessionId: string | undefined
  received: CwmpMessage | VendorMessage | undefined
  receivedError: string | undefined
  sent: CwmpMessage | VendorMessage | undefined
  sentNote: string | undefined
}

type AuthResult = { readonly ok: true; readonly username: string | undefined } | { readonly ok: false; readonly reply: HttpResponse; readonly why: string }

const NO_CONTENT: HttpResponse = { status: 204, headers: {}, body: '' }
const BAD_REQUEST: HttpResponse = { status: 400, headers: { 'content-length': '0' }, body: '' }

/**
 * Start an ACS simulator listening on loopback (by default on a free port).
 *
 * @param options - listening address, authentication, store, hooks, logging
 * @returns the running simulator
 *
 * @example
 * ```ts
 * const acs = await createAcsSimulator({ auth: { password: 'secret' }, log: process.stdout })
 * acs.queue('AABBCC-SampleGateway-CWMP000001', { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.'] })
 * // … point a CPE at acs.url …
 * const session = await acs.waitFor(() => acs.sessions().find((s) => s.outcome === 'done'))
 * await acs.close()
 * ```
 */
export async function createAcsSimulator(options: AcsSimulatorOptions = {}): Promise<AcsSimulator> {
  const clock = options.now ?? Date.now
  const timeoutMs = options.sessionTimeoutMs ?? MIN_ACS_SESSION_TIMEOUT_MS
  if (!(timeoutMs >= MIN_ACS_SESSION_TIMEOUT_MS)) {
    throw new RangeError(`sessionTimeoutMs must be at least ${MIN_ACS_SESSION_TIMEOUT_MS} (TR-069 §3.7.2)`)
  }
  const store = options.store ?? createMemorySessionStore({ now: clock })
  const cookieName = options.cookieName ?? DEFAULT_SESSION_COOKIE
  if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(cookieName)) throw new TypeError('cookieName must be an HTTP token')
  const keyOf = options.deviceKey ?? defaultDeviceKey
  const setCookie = (sessionId: string): string => `${cookieName}=${sessionId}; Path=/; HttpOnly`
  const sessionOptions = {
    ...(options.versions === undefined ? {} : { versions: options.versions }),
    ...(options.decode === undefined ? {} : { decode: options.decode }),
  }
  const maxMessages = options.maxMessages ?? 10_000
  const maxSessions = options.maxSessions ?? 10_000
  const reportError = (error: unknown): void => {
    try {
      options.onError?.(error)
    } catch {
      // A failing error reporter must not take the simulator down.
    }
  }

  // --- authentication ----------------------------------------------------------------------
  const auth = options.auth
  const passwordOf = (username: string): string | undefined => {
    if (auth === undefined) return undefined
    if (auth.credentials !== undefined) return auth.credentials(username)
    if (auth.username !== undefined && auth.username !== username) return undefined
    return auth.password
  }
  if (auth !== undefined && auth.credentials === undefined && auth.password === undefined) {
    throw new TypeError('auth needs a password or a credentials lookup')
  }
  const realm = auth?.realm ?? 'cwmp-acs'
  const digest: DigestServer | undefined =
    auth === undefined || auth.scheme === 'basic'
      ? undefined
      : createDigestServer({
          realm,
          secret: auth.secret ?? randomBytes(32),
          ...(auth.algorithms === undefined ? {} : { algorithms: auth.algorithms }),
          ...(auth.nonceStore === undefined ? {} : { nonceStore: auth.nonceStore }),
          now: clock,
          lookup: ({ username, userhash }) => {
            if (userhash) return undefined
            const password = passwordOf(username)
            return password === undefined ? undefined : { password }
          },
        })
  const challengeHeaders = (challenge: string | string[]): HttpHeaders => ({
    'www-authenticate': challenge,
    'content-length': '0',
    ...(auth?.closeOnChallenge === true ? { connection: 'close' } : {}),
  })
  const authenticate = (req: HttpRequest): AuthResult => {
    if (auth === undefined) return { ok: true, username: undefined }
    const authorization = headerValues(req.headers, 'authorization')
    if (digest !== undefined) {
      const result = digest.verify({
        method: req.method,
        uri: req.url,
        authorization: authorization.length === 0 ? undefined : authorization,
        body: req.body,
      })
      if (result.ok) return { ok: true, username: result.username }
      return { ok: false, reply: { status: 401, headers: challengeHeaders(result.challenge), body: '' }, why: `Digest: ${result.reason}` }
    }
    const header = authorization[0]
    let username: string | undefined
    try {
      username = header === undefined ? undefined : parseBasicAuthorization(header).username
    } catch {
      username = undefined
    }
    const password = username === undefined ? undefined : passwordOf(username)
    if (username !== undefined && password !== undefined && checkBasicAuthorization(header, { username, password })) {
      return { ok: true, username }
    }
    return {
      ok: false,
      reply: { status: 401, headers: challengeHeaders(createBasicChallenge(realm)), body: '' },
      why: header === undefined ? 'Basic: missing' : 'Basic: refused',
    }
  }

  // --- state of this instance ----------------------------------------------------------------
  const messages: AcsRecordedMessage[] = []
  const sessions = new Map<string, LocalSession>()
  const devices = new Map<string, LocalDevice>()
  const queues = new Map<string, AcsRequest[]>()
  const activeByDevice = new Map<string, string>()
  const locks = new Map<string, Promise<unknown>>()
  const waiters = new Set<() => void>()
  let exchanges = 0
  let nextSweep = 0

  const notify = (): void => {
    for (const w of [...waiters]) w()
  }

  const withLock = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const previous = locks.get(key) ?? Promise.resolve()
    const run = previous.then(fn, fn)
    const tail = run.then(
      () => undefined,
      () => undefined,
    )
    locks.set(key, tail)
    void tail.then(() => {
      if (locks.get(key) === tail) locks.delete(key)
    })
    return run
  }

  const log = options.log
  const emit = (message: AcsRecordedMessage): void => {
    messages.push(message)
    if (messages.length > maxMessages) messages.splice(0, messages.length - maxMessages)
    if (log === undefined) return
    try {
      if (typeof log === 'function') log(message)
      else log.write(`${formatAcsMessage(message, { headers: options.logHeaders === true })}\n`)
    } catch (err) {
      reportError(err)
    }
  }

  const takeQueue = (deviceKey: string): AcsRequest[] => {
    const q = queues.get(deviceKey)
    if (q === undefined || q.length === 0) return []
    queues.delete(deviceKey)
    return q
  }

  const requeue = (deviceKey: string, requests: readonly AcsRequest[]): void => {
    if (requests.length === 0) return
    queues.set(deviceKey, [...requests, ...(queues.get(deviceKey) ?? [])])
  }

  const localSession = (sessionId: string, stored: StoredAcsSession): LocalSession => {
    let local = sessions.get(sessionId)
    if (local === undefined) {
      local = {
        sessionId,
        deviceKey: stored.deviceKey,
        deviceId: stored.inform.deviceId,
        events: stored.inform.event.map((e) => e.eventCode),
        version: stored.session.version,
        username: stored.username,
        startedAt: stored.startedAt,
        lastActivity: stored.lastActivity,
        endedAt: undefined,
        outcome: 'active',
        reason: undefined,
        timeoutMs: stored.timeoutMs,
        requests: [],
      }
      sessions.set(sessionId, local)
      if (stored.ended === undefined) activeByDevice.set(stored.deviceKey, sessionId)
    }
    return local
  }

  const noteParameters = (deviceKey: string, list: readonly ParameterValueStruct[]): void => {
    const device = devices.get(deviceKey)
    if (device === undefined) return
    for (const p of list) if (CR_URL.test(p.name)) device.connectionRequestUrl = p.value
  }

  /** End a session: tombstone in the store, local record, unsent requests back to the device queue. */
  const finish = async (
    sessionId: string,
    stored: StoredAcsSession,
    outcome: Exclude<AcsSessionOutcome, 'active'>,
    reason: string | undefined,
  ): Promise<void> => {
    const at = clock()
    if (outcome !== 'done') requeue(stored.deviceKey, stored.session.queue)
    const ended = reason === undefined ? { outcome, at } : { outcome, at, reason }
    await store.set(sessionId, { ...stored, session: { ...stored.session, queue: [] }, ended }, stored.timeoutMs)
    const local = localSession(sessionId, stored)
    if (local.outcome === 'active') {
      local.outcome = outcome
      local.endedAt = at
      local.reason = reason
    }
    if (activeByDevice.get(stored.deviceKey) === sessionId) activeByDevice.delete(stored.deviceKey)
    if (sessions.size > maxSessions) {
      for (const [id, s] of sessions) {
        if (sessions.size <= maxSessions) break
        if (s.outcome !== 'active') sessions.delete(id)
      }
    }
    notify()
  }

  /** Sessions this instance last saw active and that have been idle too long: ask the store. */
  const sweep = async (now: number): Promise<void> => {
    for (const local of sessions.values()) {
      if (local.outcome !== 'active' || now - local.lastActivity <= local.timeoutMs) continue
      await withLock(local.sessionId, async () => {
        if (local.outcome !== 'active') return
        const stored = await store.get(local.sessionId)
        if (stored === undefined) {
          local.outcome = 'timeout'
          local.endedAt = now
          local.reason = 'no request within the session timeout'
          if (activeByDevice.get(local.deviceKey) === local.sessionId) activeByDevice.delete(local.deviceKey)
        } else if (stored.ended !== undefined) {
          local.outcome = stored.ended.outcome
          local.endedAt = stored.ended.at
          local.reason = stored.ended.reason
          if (activeByDevice.get(local.deviceKey) === local.sessionId) activeByDevice.delete(local.deviceKey)
        } else if (now - stored.lastActivity > stored.timeoutMs) {
          await finish(local.sessionId, stored, 'timeout', 'no request within the session timeout')
        } else {
          local.lastActivity = stored.lastActivity
        }
      })
    }
    notify()
  }

  // --- answering -------------------------------------------------------------------------------
  const contextOf = (sessionId: string, stored: StoredAcsSession, acs: AcsSession): AcsSimulatorContext => ({
    deviceKey: stored.deviceKey,
    sessionId,
    inform: stored.inform,
    version: acs.version,
  })

  const answerInform = async (
    acs: AcsSession,
    event: Extract<AcsSessionStep, { type: 'inform' }>,
    sessionId: string,
    stored: StoredAcsSession,
    ex: Exchange,
  ): Promise<HttpResponse> => {
    if (event.incompatible) {
      const fault = makeFault('acs', 'VersionIncompatible')
      ex.sent = fault
      return acs.respond(fault)
    }
    if (options.informFault !== undefined) {
      const fault = await options.informFault(event.inform, {
        ...contextOf(sessionId, stored, acs),
        retries: acs.toJSON().flags.retries,
      })
      if (fault !== undefined) {
        ex.sent = fault
        return acs.respond(fault)
      }
    }
    const waiting = takeQueue(stored.deviceKey)
    enqueueAll(acs, waiting)
    ex.sent = { method: 'InformResponse', maxEnvelopes: 1 }
    return acs.informResponse()
  }

  const acsTurn = async (
    acs: AcsSession,
    last: AcsTurnCause,
    sessionId: string,
    stored: StoredAcsSession,
    ex: Exchange,
  ): Promise<HttpResponse> => {
    const waiting = takeQueue(stored.deviceKey)
    enqueueAll(acs, waiting)
    const chosen =
      options.script === undefined
        ? undefined
        : await options.script({ ...contextOf(sessionId, stored, acs), last, queue: acs.toJSON().queue })
    const reply = chosen === undefined ? acs.next() : acs.request(chosen)
    const out = acs.toJSON().outstanding
    if (reply.status === 200 && out !== undefined) {
      ex.sent = out.request
      localSession(sessionId, stored).requests.push(out.request)
    }
    return reply
  }

  const noteResponse = (deviceKey: string, request: AcsRequest, response: CpeResponse | VendorMessage): void => {
    const device = devices.get(deviceKey)
    if (device === undefined) return
    if (response.method === 'GetParameterValuesResponse') noteParameters(deviceKey, response.parameterList)
    if (request.method === 'SetParameterValues' && response.method === 'SetParameterValuesResponse') {
      for (const p of request.parameterList) {
        if (CR_USERNAME.test(p.name)) device.crUsername = p.value
        if (CR_PASSWORD.test(p.name)) device.crPassword = p.value
      }
    }
  }

  /**
   * A request without a live session. An empty POST gets 204 (a stray one after a session that
   * ended well, or from a CPE that lost its cookie), except with the cookie of a session that ended
   * unsuccessfully: that gets 400, so the CPE too considers its session failed and retries it.
   * Anything else must authenticate, and must be an Inform.
   */
  const begin = async (
    req: HttpRequest,
    ex: Exchange,
    t0: number,
    ended?: StoredAcsSession['ended'],
  ): Promise<HttpResponse> => {
    if (isEmptyBody(req.body)) {
      if (ended !== undefined && ended.outcome !== 'done') {
        ex.receivedError = `empty POST in a session that ended: ${ended.outcome}`
        return BAD_REQUEST
      }
      ex.sentNote = 'empty POST outside a session'
      return NO_CONTENT
    }
    const who = authenticate(req)
    if (!who.ok) {
      ex.receivedError = `not authenticated (${who.why})`
      return who.reply
    }
    const sessionId = randomBytes(16).toString('base64url')
    const acs = createAcsSession({ sessionId, ...sessionOptions })
    const { step: event } = acs.receive(req)
    if (event.type !== 'inform') {
      noteEvent(ex, event)
      ex.receivedError ??= 'no session: only an Inform can begin one'
      return event.type === 'invalid' ? event.reply : acs.abort()
    }
    noteEvent(ex, event)
    const inform = event.inform
    const deviceKey = keyOf(inform.deviceId)
    ex.deviceKey = deviceKey
    ex.sessionId = sessionId

    // A session of this device still open here: the CPE has given up on it.
    const previous = activeByDevice.get(deviceKey)
    if (previous !== undefined) {
      const old = await store.get(previous)
      if (old !== undefined && old.ended === undefined) await finish(previous, old, 'replaced', 'the device began a new session')
      activeByDevice.delete(deviceKey)
    }

    const device = devices.get(deviceKey)
    devices.set(deviceKey, {
      deviceKey,
      deviceId: inform.deviceId,
      lastInform: inform,
      lastInformAt: t0,
      connectionRequestUrl: device?.connectionRequestUrl,
      crUsername: device?.crUsername,
      crPassword: device?.crPassword,
    })
    noteParameters(deviceKey, inform.parameterList)
    const cpeTimeout = (event.header.sessionTimeout ?? 0) * 1000
    const stored: StoredAcsSession = {
      session: acs.toJSON(),
      deviceKey,
      inform,
      ...(who.username === undefined ? {} : { username: who.username }),
      startedAt: t0,
      lastActivity: t0,
      timeoutMs: Math.max(timeoutMs, cpeTimeout),
    }
    localSession(sessionId, stored)
    activeByDevice.set(deviceKey, sessionId)
    const reply = await settle(acs, sessionId, stored, ex, () => answerInform(acs, event, sessionId, stored, ex), t0)
    return {
      ...reply,
      headers: { ...reply.headers, 'set-cookie': setCookie(sessionId) },
    }
  }

  /** Run the answer, then save the session (or end it). Errors in hooks abort the session with 400. */
  const settle = async (
    acs: AcsSession,
    sessionId: string,
    stored: StoredAcsSession,
    ex: Exchange,
    answer: () => Promise<HttpResponse>,
    t0: number,
  ): Promise<HttpResponse> => {
    let reply: HttpResponse
    let reason: string | undefined
    try {
      reply = await answer()
    } catch (err) {
      reportError(err)
      reason = `hook error: ${err instanceof Error ? err.message : String(err)}`
      ex.sent = undefined
      ex.sentNote = reason
      reply = acs.abort()
    }
    const state = acs.toJSON()
    const next: StoredAcsSession = { ...stored, session: state, lastActivity: t0 }
    const local = localSession(sessionId, next)
    local.lastActivity = t0
    local.version = state.version
    if (acs.finished) {
      const why =
        reason ??
        ex.receivedError ??
        (ex.sent?.method === 'Fault' ? `Inform answered with fault ${(ex.sent as Fault).faultCode}` : undefined)
      await finish(sessionId, next, state.state === 'done' ? 'done' : 'failed', state.state === 'done' ? undefined : why)
    } else {
      // Kept twice the timeout, so that a late request still finds it and learns it expired.
      await store.set(sessionId, next, 2 * next.timeoutMs)
    }
    return reply
  }

  /** A request with the cookie of a live session. */
  const resume = async (sessionId: string, req: HttpRequest, ex: Exchange, t0: number): Promise<HttpResponse> => {
    let stored = await store.get(sessionId)
    let ended: StoredAcsSession['ended']
    if (stored !== undefined && stored.ended === undefined && t0 - stored.lastActivity > stored.timeoutMs) {
      ended = { outcome: 'timeout', at: t0 }
      await finish(sessionId, stored, 'timeout', 'no request within the session timeout')
      stored = undefined
    }
    if (stored === undefined || stored.ended !== undefined) return begin(req, ex, t0, ended ?? stored?.ended)
    const live = stored
    ex.sessionId = sessionId
    ex.deviceKey = live.deviceKey
    localSession(sessionId, live)
    const acs = resumeAcsSession(live.session, sessionOptions)
    const { step: event } = acs.receive(req)
    noteEvent(ex, event)
    if (event.type === 'invalid' && event.reason === 'out-of-turn' && event.method === 'Inform') {
      // A new Inform: the CPE has abandoned this session and begins another.
      await finish(sessionId, { ...live, session: acs.toJSON(), lastActivity: t0 }, 'replaced', 'a new Inform in the session')
      ex.receivedError = undefined
      ex.received = undefined
      return begin(req, ex, t0)
    }
    return settle(
      acs,
      sessionId,
      live,
      ex,
      async () => {
        switch (event.type) {
          case 'inform': {
            // The same Inform again, after fault 8005. The cookie again, unchanged, on its answer.
            const reply = await answerInform(acs, event, sessionId, live, ex)
            return { ...reply, headers: { ...reply.headers, 'set-cookie': setCookie(sessionId) } }
          }
          case 'request': {
            const request = event.request as CpeOwnRequest
            const custom = await options.onCpeRequest?.(request, contextOf(sessionId, live, acs))
            const answer = custom ?? defaultAcsResponse(request)
            ex.sent = answer
            return acs.respond(answer)
          }
          case 'response':
            noteResponse(live.deviceKey, event.request, event.response)
            return acsTurn(acs, { type: 'response', request: event.request, response: event.response }, sessionId, live, ex)
          case 'fault':
            return acsTurn(acs, { type: 'fault', request: event.request, fault: event.fault }, sessionId, live, ex)
          case 'empty':
            return acsTurn(acs, { type: 'empty' }, sessionId, live, ex)
          case 'invalid':
            if (event.reply.status === 200) ex.sent = decodeEnvelope(event.reply.body).body as Fault
            return event.reply
        }
      },
      t0,
    )
  }

  const handle = async (req: HttpRequest, info: Partial<HttpRequestInfo> = {}): Promise<HttpResponse> => {
    const t0 = clock()
    const seq = ++exchanges
    const ex: Exchange = {
      deviceKey: undefined,
      sessionId: undefined,
      received: undefined,
      receivedError: undefined,
      sent: undefined,
      sentNote: undefined,
    }
    if (t0 >= nextSweep) {
      nextSweep = t0 + 1000
      sweep(t0).catch(reportError)
    }
    let res: HttpResponse
    try {
      if (req.method !== 'POST') {
        ex.receivedError = 'not a POST'
        res = { status: 405, headers: { allow: 'POST', 'content-length': '0' }, body: '' }
      } else {
        const sid = parseCookieHeader(headerValue(req.headers, 'cookie')).get(cookieName)
        res = sid === undefined ? await begin(req, ex, t0) : await withLock(sid, () => resume(sid, req, ex, t0))
      }
    } catch (err) {
      // The store failed (or a bug): 500, and the client sees nothing of it.
      reportError(err)
      ex.sentNote = `internal error: ${err instanceof Error ? err.message : String(err)}`
      res = { status: 500, headers: { 'content-length': '0' }, body: '' }
    }
    const common = {
      seq,
      deviceKey: ex.deviceKey,
      sessionId: ex.sessionId,
      remoteAddress: info.remoteAddress,
      remotePort: info.remotePort,
    }
    emit({
      ...common,
      time: t0,
      direction: 'in',
      method: req.method,
      url: req.url,
      headers: req.headers,
      message: ex.received,
      ...(ex.receivedError === undefined ? {} : { error: ex.receivedError }),
      raw: bodyText(req.body),
    })
    emit({
      ...common,
      time: clock(),
      direction: 'out',
      status: res.status,
      headers: res.headers,
      message: ex.sent,
      ...(ex.sentNote === undefined ? {} : { error: ex.sentNote }),
      raw: bodyText(res.body),
    })
    notify()
    return res
  }

  // --- the server --------------------------------------------------------------------------------
  const server = http.createServer(
    createHttpServerAdapter((req, info) => handle(req, info), {
      ...(options.maxRequestBytes === undefined ? {} : { maxRequestBytes: options.maxRequestBytes }),
      onError: (err) => reportError(err),
    }),
  )
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  const host = options.host ?? '127.0.0.1'
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ port: options.port ?? 0, host, backlog: options.backlog ?? 1024 }, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const urlHost = host.includes(':') ? `[${host}]` : host
  const crTimeout = options.connectionRequestTimeoutMs ?? 10_000

  const crCredentials = (deviceKey: string): ConnectionRequestCredentials | undefined => {
    const configured = options.connectionRequest
    const fromOptions = typeof configured === 'function' ? configured(deviceKey) : configured
    if (fromOptions !== undefined) return fromOptions
    const device = devices.get(deviceKey)
    if (device?.crUsername === undefined && device?.crPassword === undefined) return undefined
    return { username: device.crUsername ?? '', password: device.crPassword ?? '' }
  }

  return {
    url: `http://${urlHost}:${port}/`,
    port,
    messages,
    handler: handle,
    sessions() {
      return [...sessions.values()].map((s) => ({
        sessionId: s.sessionId,
        deviceKey: s.deviceKey,
        deviceId: s.deviceId,
        events: s.events,
        version: s.version,
        username: s.username,
        startedAt: s.startedAt,
        lastActivity: s.lastActivity,
        endedAt: s.endedAt,
        outcome: s.outcome,
        reason: s.reason,
        requests: [...s.requests],
      }))
    },
    devices() {
      return [...devices.values()].map((d) => ({
        deviceKey: d.deviceKey,
        deviceId: d.deviceId,
        lastInform: d.lastInform,
        lastInformAt: d.lastInformAt,
        connectionRequestUrl: d.connectionRequestUrl,
        connectionRequestCredentials: {
          ...(d.crUsername === undefined ? {} : { username: d.crUsername }),
          ...(d.crPassword === undefined ? {} : { password: d.crPassword }),
        },
      }))
    },
    queue(deviceKey, ...requests) {
      if (requests.length === 0) return
      queues.set(deviceKey, [...(queues.get(deviceKey) ?? []), ...requests])
    },
    queued(deviceKey) {
      return [...(queues.get(deviceKey) ?? [])]
    },
    async connectionRequest(deviceKey, crOptions = {}) {
      const url = crOptions.url ?? devices.get(deviceKey)?.connectionRequestUrl
      if (url === undefined || url === '') throw new Error(`no ConnectionRequestURL known for device ${deviceKey}`)
      const creds = crOptions.credentials ?? crCredentials(deviceKey) ?? { username: '', password: '' }
      const client = createConnectionRequestClient({ url, ...creds })
      const transport = createHttpTransport({ timeoutMs: crTimeout })
      let status: number | undefined
      try {
        for (let round = 0; round < 4; round++) {
          const cr = client.request()
          const res = await transport.send({ method: cr.method, url: cr.url, headers: cr.headers, body: '' })
          status = res.status
          const step = client.handleResponse({ status: res.status, headers: res.headers })
          if (step.done) return { result: step.result, status: step.status, url }
        }
        return { result: 'failed', status, url }
      } catch (error) {
        return { result: 'failed', status, url, error }
      } finally {
        transport.close()
      }
    },
    waitFor<T>(predicate: () => T | undefined | null | false, waitMs = 10_000): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const check = (): boolean => {
          let value: T | undefined | null | false
          try {
            value = predicate()
          } catch (err) {
            waiters.delete(check)
            clearTimeout(timer)
            reject(err instanceof Error ? err : new Error(String(err)))
            return true
          }
          if (value === undefined || value === null || value === false) return false
          waiters.delete(check)
          clearTimeout(timer)
          resolve(value)
          return true
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`waitFor: condition not met within ${waitMs} ms`))
        }, waitMs)
        if (!check()) waiters.add(check)
      })
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
      })
    },
  }

  function noteEvent(ex: Exchange, event: AcsSessionStep): void {
    switch (event.type) {
      case 'inform':
        ex.received = event.inform
        break
      case 'request':
        ex.received = event.request
        break
      case 'response':
        ex.received = event.response
        break
      case 'fault':
        ex.received = event.fault
        break
      case 'empty':
        ex.received = undefined
        break
      case 'invalid':
        ex.received = undefined
        ex.receivedError = `${event.reason}: ${event.message}`
        break
    }
  }
}
