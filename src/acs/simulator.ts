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
 * This file checks the options and wires the parts (D405): the request handler
 * (`request-handler.ts`) and the session flow (`session-flow.ts`) over the session store, the
 * session registry, the device registry and the request queues, each behind its own interface;
 * authentication (`cpe-authenticator.ts`), the session cookie, the recording (`recorder.ts`), the
 * HTTP listener and Connection Requests.
 *
 * @module
 */

import { randomBytes as pooledRandom } from '../auth/hash.js'
import { formatCpeUsername } from '../auth/basic.js'
import { ConfigError, type TimeoutError } from '../errors.js'
import type { DecodeOptions } from '../envelope/decode.js'
import type { ConnectionLimits } from '../transport/connection-guard.js'
import type { HttpRequestInfo } from '../transport/http-server.js'
import type { HttpRequest, HttpResponse } from '../types/http.js'
import type { AcsRequest, AcsResponse, Fault, Inform } from '../types/messages.js'
import type { DeviceIdStruct } from '../types/structs.js'
import { CWMP_VERSIONS, isCwmpVersion, type CwmpVersion } from '../types/version.js'
import { boundMethods, boundStores, boundWait } from './bounded.js'
import { createChangeWaiters, type ChangeWaiters } from './change-waiters.js'
import { connectionRequestCredentials, sendConnectionRequest, type AcsConnectionRequestOptions, type AcsConnectionRequestOutcome } from './connection-requests.js'
import { createCpeAuthenticator, type AcsSimulatorAuth } from './cpe-authenticator.js'
import { createMemoryDeviceStore, type AcsDeviceRecord, type ConnectionRequestCredentials, type DeviceStore } from './device-registry.js'
import type { AcsScript, AcsSimulatorContext, CpeOwnRequest } from './hooks.js'
import { acsConnectionLimits, listenHttp } from './http-listener.js'
import { createRecorder, type AcsLogStream, type AcsRecordedMessage, type Recorder } from './recorder.js'
import { createMemoryRequestQueues, type RequestQueueStore } from './request-queues.js'
import { createRequestHandler, type AcsRequestHandler } from './request-handler.js'
import { checkSourceLimits, createSourceLimiter, type SourceLimiter, type SourceLimits } from './source-limits.js'
import { createMemoryLocks } from './keyed-lock.js'
import type { AcsStores } from './stores.js'
import { createSessionCookie } from './session-cookie.js'
import { createMemorySessionRegistry, sessionFromRecord, type AcsSimulatorSession, type SessionRegistry } from './session-registry.js'
import { createMemorySessionStore, type SessionStore } from './session-store.js'

/**
 * The least session timeout TR-069 allows an ACS (§3.7.2, SESSION-RULES §3d): 30 s.
 *
 * @category ACS simulator
 */
export const MIN_ACS_SESSION_TIMEOUT_MS = 30_000

/**
 * Options of {@link createAcsSimulator}.
 *
 * @category ACS simulator
 */
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
  /** Where sessions live between requests. Default {@link createMemorySessionStore}; `stores.sessions` wins. */
  readonly store?: SessionStore
  /**
   * Where the state any instance needs lives: sessions, devices and their open sessions, request
   * queues, locks, Digest nonce counts. Default {@link createMemoryAcsStores} (all in this process);
   * `createRedisAcsStores` from `cwmp/redis` shares them between processes. Missing parts are in
   * memory.
   */
  readonly stores?: Partial<AcsStores>
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
   * Told of each Inform the simulator is about to answer with InformResponse (after `informFault`
   * gave none), before the device's queue joins the session: requests queued for the device from
   * here (`await simulator.queue(context.deviceKey, …)`) are sent in this session. An error thrown
   * aborts the session with 400, as for every hook.
   */
  readonly onInform?: (inform: Inform, context: AcsSimulatorContext) => void | Promise<void>
  /**
   * Told once of each session of this instance when it ends (done, failed, timeout, replaced), after
   * its last exchange is recorded: what {@link AcsSimulator.sessions} shows of it. For a live view of
   * sessions (the `cwmp acs` command prints one line each). It is called synchronously and must not
   * throw (an error goes to `onError`).
   */
  readonly onSessionEnd?: (session: AcsSimulatorSession) => void
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
  /**
   * Most messages kept in {@link AcsSimulator.messages}; the oldest go first. Default 10000. With 0
   * and no `log`, nothing of an exchange is built for the recording.
   */
  readonly maxMessages?: number
  /**
   * Most memory the messages kept in {@link AcsSimulator.messages} may take, estimated per message
   * as twice its body text (the text and what was decoded from it), its header fields (their text
   * and 64 bytes each) and 640 bytes; the oldest messages go first, and a body whose text alone
   * would cost more is kept without it (`rawLength`). Default 16 MiB.
   */
  readonly maxRecordedBytes?: number
  /** Most devices kept in {@link AcsSimulator.devices}; the one informed longest ago goes first. Default 100000. */
  readonly maxDevices?: number
  /**
   * Connection limits: a cap on open connections and deadlines for request heads, kept-alive idle
   * time and whole requests. Default {@link DEFAULT_ACS_CONNECTION_LIMITS}.
   */
  readonly limits?: ConnectionLimits
  /**
   * Limits per source address (IPv4 address, IPv6 /64): after `refusals` refusals in `windowMs`
   * (refused credentials, 403, 405, 413, a message that cannot be read, unparsable HTTP, an empty POST with an unknown
   * session cookie), and optionally after `requests`
   * requests, the address's requests are held unanswered for `holdMs`, then their connections are
   * closed. Default {@link DEFAULT_SOURCE_LIMITS}: 50 refusals a minute, no request limit. See
   * {@link SourceLimits} for what it means behind carrier-grade NAT.
   */
  readonly sourceLimits?: SourceLimits
  /** Most sessions kept in {@link AcsSimulator.sessions}; the oldest ended ones go first. Default 10000. */
  readonly maxSessions?: number
  /**
   * Largest request body accepted, in bytes (413 beyond), from a request that is admitted: one with
   * the cookie of a live session, or that authenticated from its header fields. A request refused
   * from its head (401, 405) has its body dropped unread (at most 64 KiB of it, then the connection
   * is closed). Default 32 MiB.
   */
  readonly maxRequestBytes?: number
  /** Clock, ms since the epoch (timestamps, session timeouts, Digest nonces). Default `Date.now`. */
  readonly now?: () => number
  /** Told about errors in hooks (the session is then aborted with 400) and in the store (500). */
  readonly onError?: (error: unknown) => void
  /**
   * The longest wait on user code, in ms: a hook (`script`, `onCpeRequest`, `informFault`),
   * `auth.authorize`, and every call to a store given in `store` or `stores`. Past it the wait is
   * given up with a {@link TimeoutError} (`ERR_CWMP_TIMEOUT`, told to `onError`): a hook's fails the
   * session (400), a store's or `authorize`'s is a 500; what the code does later is ignored. A value
   * returned synchronously is not timed. Default 30,000.
   */
  readonly userCodeTimeoutMs?: number
}

/**
 * A running ACS simulator.
 *
 * @category ACS simulator
 */
export interface AcsSimulator {
  /** The ACS URL for CPEs, `http://host:port/` (any path is accepted). */
  readonly url: string
  /** The port. */
  readonly port: number
  /** Every message received and sent, oldest first (bounded by `maxMessages`). */
  readonly messages: readonly AcsRecordedMessage[]
  /** The whole-message handler behind the server, to put it behind your own server or test it without sockets. */
  readonly handler: (request: HttpRequest, info?: Partial<HttpRequestInfo>) => Promise<HttpResponse>
  /** The sessions this instance saw, oldest first (synchronous, for {@link AcsSimulator.waitFor}). */
  sessions(): AcsSimulatorSession[]
  /**
   * Every session in the session store, whichever instance handled it: live ones and those ended
   * within their timeout (their tombstones), oldest first; `requests` are all the requests sent in
   * the session. Empty when the store cannot list.
   */
  allSessions(): Promise<AcsSimulatorSession[]>
  /** Every device in the device store (with a shared store: those any instance saw), informed longest ago first. */
  devices(): Promise<AcsDeviceRecord[]>
  /**
   * What the device store knows of one device.
   *
   * @param deviceKey - the device key
   */
  device(deviceKey: string): Promise<AcsDeviceRecord | undefined>
  /**
   * Queue requests for a device. They join its next session at the Inform, or its current session
   * at the next ACS turn, whichever instance handles it when the queues are shared; requests left
   * unsent when a session fails go back to the front of the queue. With the in-memory stores the
   * requests are queued before this returns.
   *
   * @param deviceKey - the device key
   * @param requests - GetParameterValues, Reboot, …
   */
  queue(deviceKey: string, ...requests: readonly AcsRequest[]): Promise<void>
  /**
   * The requests waiting for a device (not those already moved into a session).
   *
   * @param deviceKey - the device key
   */
  queued(deviceKey: string): Promise<AcsRequest[]>
  /**
   * Send an HTTP Connection Request (TR-069 §3.2.2) to a device, answering its Digest challenge,
   * to the URL and with the credentials in the device store (so any instance can, with a shared one).
   *
   * @param deviceKey - the device key
   * @param options - URL and credentials, to override what the simulator knows
   * @throws {@link ConfigError} (field `url`) when no URL is given and none is known for the device;
   *   {@link AuthError} (`ERR_CWMP_AUTH_INVALID_ARGUMENT`) when the URL is not an http(s) URL
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


/**
 * The default device key: the TR-069 CPE user name `OUI-ProductClass-SerialNumber` (§3.4.4, see
 * {@link formatCpeUsername}); the three fields joined with `-` when the OUI is not six hex digits.
 *
 * @param deviceId - the Inform's DeviceId
 * @category ACS simulator
 */
export function defaultDeviceKey(deviceId: DeviceIdStruct): string {
  try {
    return formatCpeUsername({ oui: deviceId.oui, productClass: deviceId.productClass, serialNumber: deviceId.serialNumber })
  } catch {
    return `${deviceId.oui}-${deviceId.productClass}-${deviceId.serialNumber}`
  }
}

/**
 * The parts of a simulator, wired, without a socket: what {@link createAcsSimulator} listens with,
 * and what a test drives through `handler`. The one place where the implementations of the session
 * store, the registries and the queues are chosen (D405).
 *
 * @internal
 */
export interface AcsSimulatorParts {
  /** The request handler (head, then whole message). */
  readonly handler: AcsRequestHandler
  /** This instance's record of each session. */
  readonly sessions: SessionRegistry
  /** The session store. */
  readonly store: SessionStore
  /** The devices. */
  readonly devices: DeviceStore
  /** Requests waiting per device. */
  readonly queues: RequestQueueStore
  /** The recording. */
  readonly recorder: Recorder
  /** {@link AcsSimulator.waitFor}. */
  readonly waiters: ChangeWaiters
  /** The per-source limits, told of the handler's refusals. */
  readonly sources: SourceLimiter
  /** `onError`, guarded. */
  readonly reportError: (error: unknown) => void
}

/** An option that must be an integer ≥ 1. */
function positiveInteger(value: number | undefined, fallback: number, field: string): number {
  if (value === undefined) return fallback
  if (!Number.isSafeInteger(value) || value < 1) throw new ConfigError(field, 'an integer ≥ 1', value)
  return value
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/** An optional field that must be a function. */
function optionalFunction(value: unknown, field: string): void {
  if (value !== undefined && typeof value !== 'function') throw new ConfigError(field, 'a function', value)
}

/** An optional integer field within [min, max]. */
function optionalInteger(value: unknown, field: string, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (value === undefined) return
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(field, max === Number.MAX_SAFE_INTEGER ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`, value)
  }
}

/**
 * Check every option of the simulator (the ones not checked where they are used), so that a bad
 * value is a {@link ConfigError} naming it before anything starts.
 *
 * @param options - as for {@link createAcsSimulator}
 * @throws {@link ConfigError}
 */
function checkOptions(options: AcsSimulatorOptions): void {
  if (!isObject(options)) throw new ConfigError('options', 'an object', options)
  const o = options as Record<string, unknown>
  if (o['host'] !== undefined && (typeof o['host'] !== 'string' || o['host'] === '')) throw new ConfigError('host', 'a non-empty string', o['host'])
  optionalInteger(o['port'], 'port', 0, 65_535)
  optionalInteger(o['backlog'], 'backlog', 1)
  const timeout = o['sessionTimeoutMs']
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout >= MIN_ACS_SESSION_TIMEOUT_MS) || !Number.isFinite(timeout))) {
    throw new ConfigError('sessionTimeoutMs', `a number of ms ≥ ${MIN_ACS_SESSION_TIMEOUT_MS} (TR-069 §3.7.2)`, timeout)
  }
  const versions = o['versions']
  if (versions !== undefined && (!Array.isArray(versions) || versions.length === 0 || versions.some((v) => typeof v !== 'string' || !isCwmpVersion(v)))) {
    throw new ConfigError('versions', `a non-empty list of ${CWMP_VERSIONS.join(', ')}`)
  }
  if (o['decode'] !== undefined && !isObject(o['decode'])) throw new ConfigError('decode', 'an object of decode options', o['decode'])
  for (const field of ['deviceKey', 'script', 'onCpeRequest', 'informFault', 'onInform', 'onSessionEnd', 'onError', 'now'] as const) {
    optionalFunction(o[field], field)
  }
  for (const field of ['store', 'stores'] as const) if (o[field] !== undefined && !isObject(o[field])) throw new ConfigError(field, 'an object', o[field])
  optionalInteger(o['maxMessages'], 'maxMessages', 0)
  optionalInteger(o['maxSessions'], 'maxSessions', 1)
  optionalInteger(o['maxRequestBytes'], 'maxRequestBytes', 1)
  optionalInteger(o['connectionRequestTimeoutMs'], 'connectionRequestTimeoutMs', 1)
  const log = o['log']
  if (log !== undefined && typeof log !== 'function' && !(isObject(log) && typeof log['write'] === 'function')) {
    throw new ConfigError('log', 'a stream with write() or a function', log)
  }
  if (o['logHeaders'] !== undefined && typeof o['logHeaders'] !== 'boolean') throw new ConfigError('logHeaders', 'a boolean', o['logHeaders'])
  const cr = o['connectionRequest']
  if (cr !== undefined && typeof cr !== 'function' && !(isObject(cr) && typeof cr['username'] === 'string' && typeof cr['password'] === 'string')) {
    throw new ConfigError('connectionRequest', 'an object with username and password strings, or a function of the device key', undefined)
  }
  if (o['limits'] !== undefined && !isObject(o['limits'])) throw new ConfigError('limits', 'an object', o['limits'])
}

/**
 * Check the options and wire the parts.
 *
 * @param options - as for {@link createAcsSimulator}
 * @throws as {@link createAcsSimulator}
 * @internal
 */
export function assembleAcsSimulator(options: AcsSimulatorOptions = {}): AcsSimulatorParts {
  checkOptions(options)
  const now = options.now ?? Date.now
  const timeoutMs = options.sessionTimeoutMs ?? MIN_ACS_SESSION_TIMEOUT_MS
  const userCodeTimeoutMs = positiveInteger(options.userCodeTimeoutMs, 30_000, 'userCodeTimeoutMs')
  // Stores given in the options are user code (or a peer, such as Redis): every call is bounded.
  const given = boundStores(options.stores, userCodeTimeoutMs)
  const store =
    given.sessions ?? (options.store === undefined ? createMemorySessionStore({ now }) : boundMethods(options.store, 'store', userCodeTimeoutMs))
  const cookie = createSessionCookie(options.cookieName)
  const reportError = (error: unknown): void => {
    try {
      options.onError?.(error)
    } catch {
      // A failing error reporter must not take the simulator down.
    }
  }
  const authenticator = createCpeAuthenticator(options.auth, { now, nonces: given.nonces })
  // Its own clock: a monotonic one, whatever `now` does (buckets refill with elapsed time).
  const sources = createSourceLimiter(checkSourceLimits(options.sourceLimits), () => performance.now())

  // The state of this instance, each part behind its own interface (D405).
  const onSessionEnd = options.onSessionEnd
  const sessions = createMemorySessionRegistry({
    maxSessions: options.maxSessions ?? 10_000,
    onEnded:
      onSessionEnd === undefined
        ? undefined
        : (session) => {
            try {
              onSessionEnd.call(options, session)
            } catch (error) {
              reportError(error)
            }
          },
  })
  const maxDevices = positiveInteger(options.maxDevices, 100_000, 'maxDevices')
  const devices = given.devices ?? createMemoryDeviceStore({ maxDevices })
  const queues = given.queues ?? createMemoryRequestQueues()
  const waiters = createChangeWaiters()
  const recorder = createRecorder({
    maxMessages: options.maxMessages ?? 10_000,
    maxRecordedBytes: positiveInteger(options.maxRecordedBytes, 16 * 1024 * 1024, 'maxRecordedBytes'),
    log: options.log,
    logHeaders: options.logHeaders === true,
    now,
    onError: reportError,
  })

  const handler = createRequestHandler({
    store,
    sessions,
    devices,
    queues,
    lock: given.locks ?? createMemoryLocks(),
    authenticator,
    cookie,
    // The options object itself, so that hooks are called as its methods, as before.
    hooks: options,
    machine: {
      ...(options.versions === undefined ? {} : { versions: options.versions }),
      ...(options.decode === undefined ? {} : { decode: options.decode }),
    },
    deviceKeyOf: options.deviceKey ?? defaultDeviceKey,
    timeoutMs,
    now,
    newSessionId: () => Buffer.from(pooledRandom(16)).toString('base64url'),
    reportError,
    bound: (operation, value) => boundWait(operation, value, userCodeTimeoutMs),
    notify: () => waiters.notify(),
    recorder,
    refused: sources.limits.refusals > 0 ? (address) => sources.refused(address) : undefined,
  })
  return { handler, store, sessions, devices, queues, recorder, waiters, reportError, sources }
}

/**
 * Start an ACS simulator listening on loopback (by default on a free port).
 *
 * @param options - listening address, authentication, store, hooks, logging
 * @returns the running simulator
 * @throws {@link ConfigError} naming the option for any option out of its rule (e.g. `sessionTimeoutMs`
 *   below 30 s, a `cookieName` that is not an HTTP token, an `auth` without a password or credentials
 *   lookup, `limits.maxConnections` below 1), before anything listens
 * @category ACS simulator
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
  const parts = assembleAcsSimulator(options)
  const limits = acsConnectionLimits(options.limits)
  const { handler, store, sessions, devices, queues, recorder, waiters, reportError, sources } = parts
  const listener = await listenHttp(handler, {
    sources,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    backlog: options.backlog ?? 1024,
    maxRequestBytes: options.maxRequestBytes,
    limits,
    onError: reportError,
  })
  const crTimeout = options.connectionRequestTimeoutMs ?? 10_000

  return {
    url: listener.url,
    port: listener.port,
    messages: recorder.messages,
    handler: (req, info) => handler.handle(req, info),
    sessions: () => sessions.list(),
    async allSessions() {
      const all = store.list === undefined ? [] : [...(await store.list())]
      return all.map(([id, record]) => sessionFromRecord(id, record)).sort((a, b) => a.startedAt - b.startedAt)
    },
    devices: async () => [...(await devices.list())],
    device: async (deviceKey) => devices.get(deviceKey),
    async queue(deviceKey, ...requests) {
      await queues.push(deviceKey, requests)
    },
    queued: async (deviceKey) => queues.peek(deviceKey),
    async connectionRequest(deviceKey, crOptions = {}) {
      const device = await devices.get(deviceKey)
      const url = crOptions.url ?? device?.connectionRequestUrl
      if (url === undefined || url === '') {
        throw new ConfigError('url', `given: the device store holds no ConnectionRequestURL for device ${JSON.stringify(deviceKey)}`)
      }
      const credentials =
        crOptions.credentials ??
        connectionRequestCredentials(options.connectionRequest, deviceKey, device) ?? { username: '', password: '' }
      return sendConnectionRequest(url, credentials, crTimeout)
    },
    waitFor: (predicate, waitMs = 10_000) => waiters.waitFor(predicate, waitMs),
    close: () => listener.close(),
  }
}
