/**
 * A TR-069 client for CPE firmware: the sans-I/O session and agent driven over real HTTP, with
 * timers, a Connection Request listener, a data model and device hooks. It is configured like a
 * router's TR-069 page.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { createConnectionRequestHandler, type ConnectionRequestHandler } from '../connreq/http.js'
import type { ConnectionRequestPolicyOptions } from '../connreq/policy.js'
import { makeFault } from '../faults.js'
import { createCpeAgent, type CpeAgent, type CpeAgentState, type SessionStart } from '../session/cpe-agent.js'
import { createCpeSession, type CpeFailureReason, type CpeSessionStep } from '../session/cpe-session.js'
import type { RetryParameters } from '../session/schedule.js'
import {
  startConnectionRequestListener,
  type ConnectionRequestListener,
} from '../transport/connection-request-listener.js'
import { withAuth } from '../transport/auth.js'
import { withCookies } from '../transport/cookies.js'
import { createHttpTransport, type HttpTlsOptions } from '../transport/http-client.js'
import { createStreamLogSink, withLogging } from '../transport/logging.js'
import { composeTransport, type Transport, type TransportMiddleware } from '../transport/types.js'
import { type HttpRequest } from '../types/http.js'
import type { Fault, Inform, TransferComplete } from '../types/messages.js'
import type { DeviceIdStruct, ParameterValueStruct } from '../types/structs.js'
import { CWMP_VERSIONS, type CwmpVersion } from '../types/version.js'
import { formatDateTime } from '../values/convert.js'
import type { DataModel } from './data-model.js'
import { createCpeRpcHandler, type CpeFollowUp, type CpeHooks, type CpeRpcHandler } from './rpc-handler.js'

/** The Connection Request settings of the client (TR-069 §3.2.2). */
export interface ConnectionRequestSettings {
  /** ManagementServer.ConnectionRequestUsername. */
  readonly username: string
  /** ManagementServer.ConnectionRequestPassword. */
  readonly password: string
  /** URL path; default a random `/cwmp-cr-…` path (TR-069: SHOULD be random and unique per CPE). */
  readonly path?: string
  /** Port to listen on (default 0: any free port; 7547 is customary). */
  readonly port?: number
  /** Address to listen on (default every interface). */
  readonly host?: string
  /** The host the ACS can reach, for ConnectionRequestURL (default `host` or 127.0.0.1). */
  readonly urlHost?: string
  /** Rate limit and what to do with a request during a session (see the connreq policy). */
  readonly policy?: ConnectionRequestPolicyOptions
}

/** Something that can show the SOAP messages: a stream or `console`. */
export interface SoapLogTarget {
  /** Receives each formatted message. */
  write(text: string): unknown
}

/** Options of {@link createCpeClient}, in the words of a router's TR-069 settings page. */
export interface CpeClientOptions {
  /** Enable CWMP (default true). When false, `start()` does nothing. */
  readonly enabled?: boolean
  /** ACS URL (ManagementServer.URL). */
  readonly acsUrl: string
  /** ACS user name (ManagementServer.Username); no authentication when absent. */
  readonly acsUsername?: string
  /** ACS password (ManagementServer.Password). */
  readonly acsPassword?: string
  /**
   * Answer a Basic challenge from an `http:` ACS (default false: Basic only over `https:`, since
   * without TLS the ACS must use Digest and the password would cross the network in clear).
   */
  readonly acsBasicOverHttp?: boolean
  /** Periodic Inform enable (default false). */
  readonly periodicInformEnable?: boolean
  /** Periodic Inform interval in seconds (default 3600). */
  readonly periodicInformInterval?: number
  /** PeriodicInformTime (lexical dateTime; the Unknown Time lets the CPE pick the phase). */
  readonly periodicInformTime?: string
  /** Connection Request listener; `false` for none. */
  readonly connectionRequest?: ConnectionRequestSettings | false
  /** Print every SOAP message, indented: `true` for stdout, or a stream / `{ write }`. */
  readonly logSoap?: boolean | SoapLogTarget
  /** The data model that answers GPV, SPV, GPN, GPA, SPA, AddObject and DeleteObject. */
  readonly model: DataModel
  /** Who the CPE is; default `model.deviceId()` when the model has it. */
  readonly deviceId?: DeviceIdStruct
  /** Parameters of every Inform (forced ones); default `model.informParameters()` when available. */
  readonly informParameters?: () => readonly ParameterValueStruct[] | Promise<readonly ParameterValueStruct[]>
  /** Device actions (Download, Upload, ScheduleInform …) passed to the RPC handler. */
  readonly hooks?: CpeHooks
  /** Called to reboot the device after a session with a Reboot (default: nothing, simulated). */
  readonly onReboot?: (commandKey: string) => void | Promise<void>
  /** Called to reset the device after a session with a FactoryReset (default: nothing, simulated). */
  readonly onFactoryReset?: () => void | Promise<void>
  /** CWMP versions supported (default 1.0–1.4). */
  readonly versions?: readonly CwmpVersion[]
  /** SessionTimeout header value in seconds (CWMP 1.3+), if any. */
  readonly sessionTimeout?: number
  /** Retry policy parameters (CWMPRetryMinimumWaitInterval, CWMPRetryIntervalMultiplier). */
  readonly retry?: RetryParameters
  /** HTTP timeout in ms (default 30,000: TR-069 requires at least 30 s). */
  readonly timeoutMs?: number
  /** TLS options for an https ACS URL. */
  readonly tls?: HttpTlsOptions
  /** Extra middleware around the HTTP transport (outermost first). */
  readonly middleware?: readonly TransportMiddleware[]
  /** Saved agent state (pending events, RetryCount), to continue after a reboot. */
  readonly state?: CpeAgentState
  /** First contact with this ACS: the first Inform carries `0 BOOTSTRAP` (default true without `state`). */
  readonly bootstrap?: boolean
  /** Clock, ms since the epoch (default Date.now). */
  readonly now?: () => number
  /** Uniform random numbers in [0, 1) for retry waits (default Math.random). */
  readonly random?: () => number
  /** Observer of everything the client does. */
  readonly onActivity?: (event: CpeClientActivity) => void
}

/** What happened, for observers (logging, tests, the demo). */
export type CpeClientActivity =
  /** A session starts with these events. */
  | {
      /** Discriminant. */
      readonly type: 'session-start'
      /** What the agent opened the session with (events, RetryCount, CPE requests). */
      readonly start: SessionStart
      /** The Inform sent. */
      readonly inform: Inform
    }
  /** A session step (see {@link CpeSessionStep}). */
  | {
      /** Discriminant. */
      readonly type: 'session-step'
      /** The step, as the session returned it. */
      readonly step: CpeSessionStep
    }
  /** A session ended. */
  | {
      /** Discriminant. */
      readonly type: 'session-end'
      /** How it ended. */
      readonly result: CpeSessionResult
    }
  /** A Connection Request was answered. */
  | {
      /** Discriminant. */
      readonly type: 'connection-request'
      /** The HTTP status sent back. */
      readonly status: number
      /** True when the request was authenticated and accepted. */
      readonly accepted: boolean
    }
  /** The device rebooted (simulated or through `onReboot`). */
  | {
      /** Discriminant. */
      readonly type: 'reboot'
      /** The Reboot's CommandKey. */
      readonly commandKey: string
    }
  /** The device was reset to factory defaults. */
  | {
      /** Discriminant. */
      readonly type: 'factory-reset'
    }
  /** Something failed outside a session (a hook, the model). */
  | {
      /** Discriminant. */
      readonly type: 'error'
      /** What was thrown. */
      readonly error: unknown
    }

/** The outcome of one session. */
export interface CpeSessionResult {
  /** True when the session terminated successfully. */
  readonly ok: boolean
  /** Why it failed. */
  readonly reason?: CpeFailureReason
  /** Details of the failure. */
  readonly message?: string
  /** The events the Inform carried. */
  readonly events: readonly string[]
  /** The ACS requests handled in the session, by method. */
  readonly requests: readonly string[]
}

/** A running TR-069 client. */
export interface CpeClient {
  /** Start: Connection Request listener, boot, first session. */
  start(): Promise<void>
  /** Stop all timers, the listener and any session in progress. */
  stop(): Promise<void>
  /** The ConnectionRequestURL the ACS should use, once started. */
  readonly connectionRequestUrl: string | undefined
  /** True while a session is in progress. */
  readonly inSession: boolean
  /** The agent: events, retry counters, requests (advanced use). */
  readonly agent: CpeAgent
  /** Report an event and open a session for it (e.g. `4 VALUE CHANGE`, `8 DIAGNOSTICS COMPLETE`). */
  addEvent(eventCode: string, commandKey?: string): void
  /** A transfer answered with status 1 finished: send TransferComplete in a new session. */
  transferComplete(message: TransferComplete, method: 'Download' | 'ScheduleDownload' | 'Upload'): void
  /**
   * Resolves with the result of the next session to end; with `{ ok: false, reason: 'aborted' }`
   * when `stop()` is called first, or at once when the client is disabled.
   */
  nextSession(): Promise<CpeSessionResult>
}

interface ModelExtras {
  deviceId?(): DeviceIdStruct
  informParameters?(): ParameterValueStruct[]
  get?(name: string): string | undefined
  set?(name: string, value: string | boolean | number, options?: { silent?: boolean }): void
  takeValueChanges?(): readonly ValueChangeLike[]
  onValueChange?(listener: (change: ValueChangeLike) => void): () => void
  readonly root?: string
}

/** What the client needs of a data model's value-change report. */
interface ValueChangeLike {
  readonly parameter: { readonly name: string }
  readonly active: boolean
}

const MAX_TIMER = 2 ** 31 - 1

/** What `nextSession()` resolves with when the client stops before another session ends. */
const STOPPED: CpeSessionResult = { ok: false, reason: 'aborted', message: 'the client was stopped', events: [], requests: [] }

/**
 * Create a TR-069 client. Nothing happens until {@link CpeClient.start}.
 *
 * @param options - the TR-069 settings, the data model and hooks
 *
 * @example
 * ```ts
 * const client = createCpeClient({
 *   acsUrl: 'https://acs.example.net/cwmp', acsUsername: 'cpe', acsPassword: 'secret',
 *   periodicInformEnable: true, periodicInformInterval: 300,
 *   connectionRequest: { username: 'acs', password: 'cr-secret', port: 7547 },
 *   logSoap: true, model: createSampleDeviceModel({ serialNumber: 'SN1' }),
 * })
 * await client.start()
 * ```
 */
export function createCpeClient(options: CpeClientOptions): CpeClient {
  const now = options.now ?? Date.now
  const model = options.model as DataModel & ModelExtras
  const emit = (event: CpeClientActivity): void => {
    try {
      options.onActivity?.(event)
    } catch {
      // observers cannot break the client
    }
  }
  const settings = {
    acsUrl: options.acsUrl,
    acsUsername: options.acsUsername,
    acsPassword: options.acsPassword,
    periodic: {
      enabled: options.periodicInformEnable ?? false,
      interval: options.periodicInformInterval ?? 3600,
      ...(options.periodicInformTime === undefined ? {} : { time: options.periodicInformTime }),
    },
  }
  const agent = createCpeAgent(
    {
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      periodic: settings.periodic,
      ...(options.random === undefined ? {} : { random: options.random }),
      // The fallback retries with CWMP 1.0 (§3.2.1.1): only for a CPE that speaks 1.0.
      ...((options.versions ?? CWMP_VERSIONS).includes('1.0') ? {} : { versionFallback: false }),
    },
    options.state,
  )
  let followUps: CpeFollowUp[] = []
  const handler: CpeRpcHandler = createCpeRpcHandler({
    model,
    hooks: {
      ...options.hooks,
      // Reboot and FactoryReset happen after the session; the default hooks only accept them.
      reboot: options.hooks?.reboot ?? (() => undefined),
      factoryReset: options.hooks?.factoryReset ?? (() => undefined),
      scheduleInform: options.hooks?.scheduleInform ?? (() => undefined),
    },
    onFollowUp: (f) => followUps.push(f),
    onError: (error) => emit({ type: 'error', error }),
  })

  let running = false
  let booted = false
  let sessionActive = false
  // A Connection Request accepted while the device reboots: boot() discards its event (never
  // retried), but the ACS got 200 and is owed a session with it (§3.2.2), so it is raised again.
  let rebooting = false
  let crWhileRebooting = false
  let wakeUp: (() => void) | undefined
  let timer: NodeJS.Timeout | undefined
  let loop: Promise<void> | undefined
  let listener: ConnectionRequestListener | undefined
  let cr: ConnectionRequestHandler | undefined
  let currentTransport: Transport | undefined
  const waiters: ((r: CpeSessionResult) => void)[] = []
  const changed = new Set<string>()
  let unsubscribe: (() => void) | undefined

  /** The waiters of a client that stops: no session will end for them. */
  const settleWaiters = (): void => {
    for (const w of waiters.splice(0)) w(STOPPED)
  }

  const wake = (): void => {
    const w = wakeUp
    wakeUp = undefined
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    w?.()
  }

  const root = model.root ?? 'Device.'
  const ms = (name: string): string => `${root}ManagementServer.${name}`

  /** Write the settings page into the data model (without reporting value changes). */
  const writeSettings = (): void => {
    if (model.set === undefined) return
    const put = (name: string, value: string | boolean | number | undefined): void => {
      if (value === undefined) return
      try {
        model.set?.(ms(name), value, { silent: true })
      } catch {
        // the model may not have this parameter
      }
    }
    put('URL', settings.acsUrl)
    put('Username', settings.acsUsername)
    put('Password', settings.acsPassword)
    put('PeriodicInformEnable', settings.periodic.enabled)
    put('PeriodicInformInterval', settings.periodic.interval)
    if (settings.periodic.time !== undefined) put('PeriodicInformTime', settings.periodic.time)
    put('CWMPRetryMinimumWaitInterval', options.retry?.minimumWaitInterval)
    put('CWMPRetryIntervalMultiplier', options.retry?.intervalMultiplier)
    if (options.connectionRequest !== undefined && options.connectionRequest !== false) {
      put('ConnectionRequestUsername', options.connectionRequest.username)
      put('ConnectionRequestPassword', options.connectionRequest.password)
    }
    if (listener !== undefined) put('ConnectionRequestURL', listener.url)
  }

  /** Read back what the ACS may have changed (PeriodicInform*, URL …) and apply it. */
  const readSettings = (): void => {
    if (model.get === undefined) return
    const get = (name: string): string | undefined => {
      try {
        return model.get?.(ms(name))
      } catch {
        return undefined
      }
    }
    const minWait = Number(get('CWMPRetryMinimumWaitInterval'))
    const multiplier = Number(get('CWMPRetryIntervalMultiplier'))
    if (Number.isInteger(minWait) && minWait >= 1 && Number.isInteger(multiplier) && multiplier >= 1000) {
      // TR-181 ranges: 1–65535 s and 1000–65535; the ACS may change them at any time (§3.2.1.1).
      agent.configure(now(), { retry: { minimumWaitInterval: minWait, intervalMultiplier: multiplier } })
    }
    const enabled = get('PeriodicInformEnable')
    const interval = get('PeriodicInformInterval')
    const time = get('PeriodicInformTime')
    const periodic = {
      enabled: enabled === undefined ? settings.periodic.enabled : enabled === '1' || enabled === 'true',
      interval: interval === undefined ? settings.periodic.interval : Number(interval),
      ...(time === undefined || time === '' ? {} : { time }),
    }
    if (JSON.stringify(periodic) !== JSON.stringify(settings.periodic)) {
      settings.periodic = periodic
      agent.configure(now(), { periodic })
    }
    const url = get('URL')
    if (url !== undefined && url !== '' && url !== settings.acsUrl) {
      // A new ACS URL: the next Inform is a BOOTSTRAP (TR-069 Table 8).
      settings.acsUrl = url
      agent.addEvent('0 BOOTSTRAP')
    }
    const user = get('Username')
    const pass = get('Password')
    if (user !== undefined) settings.acsUsername = user === '' ? undefined : user
    if (pass !== undefined) settings.acsPassword = pass
  }

  const transportFor = (): Transport => {
    // Outermost first: authentication and cookies outside, logging innermost so that it shows every
    // message on the wire (the 401 and the authenticated resend included).
    const middleware: TransportMiddleware[] = [...(options.middleware ?? [])]
    if (settings.acsUsername !== undefined) {
      middleware.push(
        withAuth({
          username: settings.acsUsername,
          password: settings.acsPassword ?? '',
          ...(options.acsBasicOverHttp === true ? { basicOverHttp: true } : {}),
        }),
      )
    }
    middleware.push(withCookies())
    if (options.logSoap !== undefined && options.logSoap !== false) {
      const target = options.logSoap === true ? process.stdout : options.logSoap
      middleware.push(withLogging(createStreamLogSink(target, { pretty: true, headers: true })))
    }
    const http = createHttpTransport({
      timeoutMs: options.timeoutMs ?? 30_000,
      // Never send a POST twice in one session (TR-069 §3.7.1.4): a lost connection fails the
      // session and the retry policy takes over.
      retryOnStaleConnection: false,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
    })
    return composeTransport(http, ...middleware)
  }

  const informFor = async (start: SessionStart, reported: readonly string[]): Promise<Inform> => {
    const deviceId = options.deviceId ?? model.deviceId?.()
    if (deviceId === undefined) throw new TypeError('deviceId is needed when the model has no deviceId()')
    const forced = [...((await options.informParameters?.()) ?? model.informParameters?.() ?? [])]
    if (reported.length > 0) {
      const names = reported.filter((n) => !forced.some((p) => p.name === n))
      if (names.length > 0) {
        try {
          for (const p of await model.getParameterValues(names)) forced.push(p) // not push(...): any number of them
        } catch (error) {
          emit({ type: 'error', error })
        }
      }
    }
    return {
      method: 'Inform',
      deviceId,
      event: start.events,
      maxEnvelopes: 1,
      currentTime: formatDateTime(new Date(now())),
      retryCount: start.retryCount,
      parameterList: forced,
    }
  }

  /** Move the model's recorded value changes into `changed`; a throwing model is reported, not fatal. */
  const takeChanges = (): void => {
    try {
      for (const c of model.takeValueChanges?.() ?? []) changed.add(c.parameter.name)
    } catch (error) {
      emit({ type: 'error', error })
    }
  }

  const runSession = async (): Promise<void> => {
    // Passive value changes ride along with whatever opens the session (TR-069 §3.7.1.5).
    takeChanges()
    if (changed.size > 0) agent.addEvent('4 VALUE CHANGE')
    const start = agent.beginSession(now())
    // The changed parameters this Inform reports. A HEARTBEAT Inform reports none (Annex O.1); they
    // count as reported once an InformResponse arrives ("since the last successful Non-HEARTBEAT
    // Inform", A.3.3.1), and go back for the next Inform otherwise. Changes made meanwhile stay.
    const reported = start.heartbeat ? [] : [...changed]
    for (const n of reported) changed.delete(n)
    let informed = false
    sessionActive = true
    cr?.policy.sessionStarted()
    const requests: string[] = []
    let result: CpeSessionResult
    const transport = transportFor()
    currentTransport = transport
    try {
      const inform = await informFor(start, reported)
      emit({ type: 'session-start', start, inform })
      const session = createCpeSession({
        url: settings.acsUrl,
        inform,
        requests: start.requests,
        ...(options.versions === undefined ? {} : { versions: options.versions }),
        ...(start.informVersion === undefined || !(options.versions ?? CWMP_VERSIONS).includes(start.informVersion)
          ? {}
          : { informVersion: start.informVersion }),
        ...(options.sessionTimeout === undefined ? {} : { sessionTimeout: options.sessionTimeout }),
        newId: randomUUID,
      })
      let req: HttpRequest | undefined = session.start()
      let outcome: { ok: true } | { ok: false; reason: CpeFailureReason; message: string; informRejected: boolean } = {
        ok: false,
        reason: 'aborted',
        message: 'stopped',
        informRejected: false,
      }
      while (req !== undefined) {
        if (!running) {
          session.fail('aborted', 'the client was stopped')
          break
        }
        const stateBefore = session.state
        let event: CpeSessionStep
        let send: HttpRequest | undefined
        try {
          const res = await transport.send(req)
          ;({ step: event, send } = session.receive(res))
        } catch (err) {
          ;({ step: event } = session.fail('transport', err instanceof Error ? err.message : String(err)))
          send = undefined
        }
        if (event.type === 'informed') informed = true
        agent.sessionStep(event)
        emit({ type: 'session-step', step: event })
        req = send
        if (event.type === 'request') {
          requests.push(event.request.method)
          const answer: Awaited<ReturnType<CpeRpcHandler>> = await handler(event.request)
          try {
            req = session.respond(answer)
          } catch (error) {
            emit({ type: 'error', error })
            req = session.respond(makeFault('cpe', 'InternalError') as Fault)
          }
        } else if (event.type === 'end') {
          outcome = { ok: true }
        } else if (event.type === 'failed') {
          outcome = { ok: false, reason: event.reason, message: event.message, informRejected: stateBefore === 'inform-sent' }
        }
      }
      agent.endSession(now(), outcome.ok ? { ok: true } : { ok: false, reason: outcome.reason, informRejected: outcome.informRejected })
      // An active change during the session, after its Inform: the 4 VALUE CHANGE that Inform carried
      // (delivered) absorbed the new one, so raise it again for a session of its own.
      if (outcome.ok && changed.size > 0) agent.addEvent('4 VALUE CHANGE')
      result = outcome.ok
        ? { ok: true, events: start.events.map((e) => e.eventCode), requests }
        : { ok: false, reason: outcome.reason, message: outcome.message, events: start.events.map((e) => e.eventCode), requests }
    } catch (error) {
      agent.endSession(now(), { ok: false, reason: 'protocol' })
      result = {
        ok: false,
        reason: 'protocol',
        message: error instanceof Error ? error.message : String(error),
        events: start.events.map((e) => e.eventCode),
        requests,
      }
    } finally {
      if (!informed) for (const n of reported) changed.add(n)
      sessionActive = false
      currentTransport = undefined
      try {
        await transport.close?.()
      } catch (error) {
        emit({ type: 'error', error })
      }
      cr?.policy.sessionEnded()
    }
    // Apply what the session asked for once a session has terminated cleanly (§3.7.1.4: a reboot
    // waits for that); after a failure they wait for the retried session to succeed.
    if (result.ok) {
      for (const f of followUps) applyFollowUp(f)
      followUps = []
    }
    readSettings()
    emit({ type: 'session-end', result })
    for (const w of waiters.splice(0)) w(result)
  }

  const applyFollowUp = (f: CpeFollowUp): void => {
    switch (f.kind) {
      case 'reboot':
        agent.requestReboot(f.commandKey)
        break
      case 'factory-reset':
        agent.requestFactoryReset()
        break
      case 'schedule-inform':
        agent.scheduleInform(now(), f.delaySeconds, f.commandKey)
        break
      default:
        // transfer-pending / du-state-change-pending: the application calls transferComplete() later.
        break
    }
  }

  const afterReboot = (): void => {
    rebooting = false
    if (crWhileRebooting) {
      crWhileRebooting = false
      agent.connectionRequest()
    }
  }

  const runLoop = async (): Promise<void> => {
    while (running) {
      const action = agent.poll(now())
      if (action.type === 'session') {
        await runSession()
        continue
      }
      if (action.type === 'reboot') {
        rebooting = true
        try {
          await options.onReboot?.(action.commandKey)
        } catch (error) {
          emit({ type: 'error', error })
        }
        agent.boot(now(), { rebootCommandKey: action.commandKey })
        afterReboot()
        emit({ type: 'reboot', commandKey: action.commandKey })
        continue
      }
      if (action.type === 'factory-reset') {
        rebooting = true
        try {
          await options.onFactoryReset?.()
        } catch (error) {
          emit({ type: 'error', error })
        }
        agent.boot(now(), { bootstrap: true })
        afterReboot()
        emit({ type: 'factory-reset' })
        continue
      }
      await new Promise<void>((resolve) => {
        wakeUp = resolve
        if (action.wakeAt !== undefined) {
          timer = setTimeout(wake, Math.min(MAX_TIMER, Math.max(0, action.wakeAt - now())))
        }
      })
    }
  }

  const client: CpeClient = {
    async start() {
      if (running || options.enabled === false) return
      running = true
      const crOptions = options.connectionRequest
      if (crOptions !== undefined && crOptions !== false) {
        const path = crOptions.path ?? `/cwmp-cr-${randomBytes(8).toString('hex')}`
        const handlerCr = createConnectionRequestHandler({
          path,
          username: crOptions.username,
          password: crOptions.password,
          ...crOptions.policy,
        })
        cr = handlerCr
        let started: ConnectionRequestListener
        try {
          started = await startConnectionRequestListener({
            path,
            ...(crOptions.port === undefined ? {} : { port: crOptions.port }),
            ...(crOptions.host === undefined ? {} : { host: crOptions.host }),
            ...(crOptions.urlHost === undefined ? {} : { urlHost: crOptions.urlHost }),
            handler: (req, t) => handlerCr.handle(req, { now: t, inSession: sessionActive }),
            onDecision: (d) => {
              // Accepted includes 'accepted-pending' (200, but the session it asks for is already due).
              const accepted = d.outcome === 'accepted' || d.outcome === 'accepted-queued' || d.outcome === 'accepted-pending'
              emit({ type: 'connection-request', status: d.response.status, accepted })
              if (d.startSession || d.sessionAfterCurrent) {
                if (rebooting) crWhileRebooting = true
                agent.connectionRequest()
                wake()
              }
            },
            onError: (error) => emit({ type: 'error', error }),
          })
        } catch (error) {
          // Nothing runs: a later start() tries again.
          running = false
          throw error
        }
        if (!running) {
          // stop() was called while the port was being opened.
          await started.close()
          return
        }
        listener = started
      }
      writeSettings()
      unsubscribe = model.onValueChange?.((c) => {
        if (!c.active) return
        // Active notification: a session now (passive ones wait for the next session).
        // Take every recorded change, the passive ones pending before it included (they go in the same Inform).
        takeChanges()
        changed.add(c.parameter.name)
        agent.addEvent('4 VALUE CHANGE')
        wake()
      })
      // `bootstrap` describes the first start; a later start() (after stop()) is a plain reboot.
      if (booted) agent.boot(now())
      else if (options.state === undefined) agent.boot(now(), { bootstrap: options.bootstrap ?? true })
      else agent.boot(now(), options.bootstrap === true ? { bootstrap: true } : {})
      booted = true
      loop = runLoop()
    },
    async stop() {
      if (!running) {
        settleWaiters()
        return
      }
      running = false
      unsubscribe?.()
      try {
        await currentTransport?.close?.()
      } catch (error) {
        emit({ type: 'error', error })
      }
      wake()
      await loop
      await listener?.close()
      listener = undefined
      settleWaiters()
    },
    get connectionRequestUrl() {
      return listener?.url
    },
    get inSession() {
      return sessionActive
    },
    agent,
    addEvent(eventCode, commandKey) {
      agent.addEvent(eventCode, commandKey)
      wake()
    },
    transferComplete(message, method) {
      agent.transferComplete(message, method)
      wake()
    },
    nextSession() {
      // A disabled client never runs a session: answer at once instead of never.
      if (options.enabled === false) return Promise.resolve(STOPPED)
      return new Promise((resolve) => waiters.push(resolve))
    },
  }
  return client
}
