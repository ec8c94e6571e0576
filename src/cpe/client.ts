/**
 * A TR-069 client for CPE firmware, configured like a router's TR-069 page. This file is the I/O
 * loop: timers, the HTTP transport, the Connection Request listener, the data model and the device
 * hooks, driving the sans-I/O session and the client's core (`client-core.ts`), which makes every
 * decision: when a session opens and with which events, value changes, follow-ups, retry waits.
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { createConnectionRequestHandler, type ConnectionRequestHandler } from '../connreq/http.js'
import type { ConnectionRequestPolicyOptions } from '../connreq/policy.js'
import { ConfigError } from '../errors.js'
import { makeFault } from '../faults.js'
import type { CpeAgent, CpeAgentState, SessionStart } from '../session/cpe-agent.js'
import { createCpeSession, type CpeSessionStep } from '../session/cpe-session.js'
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
import type { CwmpVersion } from '../types/version.js'
import {
  CpeClientCore,
  READ_BACK_PARAMETERS,
  changedNamesToRead,
  informMessage,
  type CpeSessionResult,
  type ManagementServerName,
  type ManagementServerValues,
  type SessionPlan,
} from './client-core.js'
import type { DataModel } from './data-model.js'
import { createCpeRpcHandler, type CpeHooks, type CpeRpcHandler } from './rpc-handler.js'

export type { CpeSessionResult } from './client-core.js'

/**
 * The Connection Request settings of the client (TR-069 §3.2.2).
 *
 * @category CPE client
 */
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

/**
 * Something that can show the SOAP messages: a stream or `console`.
 *
 * @category CPE client
 */
export interface SoapLogTarget {
  /** Receives each formatted message. */
  write(text: string): unknown
}

/**
 * Options of {@link createCpeClient}, in the words of a router's TR-069 settings page.
 *
 * @category CPE client
 */
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

/**
 * What happened, for observers (logging, tests, the demo).
 *
 * @category CPE client
 */
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

/**
 * A running TR-069 client.
 *
 * @category CPE client
 */
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

/** What `nextSession()` resolves with when the client stops before another session ends. */
const STOPPED: CpeSessionResult = { ok: false, reason: 'aborted', message: 'the client was stopped', events: [], requests: [] }

/** The loop's one sleep at a time: until the delay passes (never when `undefined`) or `wake()`. */
function createSleeper(): { sleep(delayMs: number | undefined): Promise<void>; wake(): void } {
  let wakeUp: (() => void) | undefined
  let timer: NodeJS.Timeout | undefined
  const wake = (): void => {
    const w = wakeUp
    wakeUp = undefined
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    w?.()
  }
  return {
    sleep: (delayMs) =>
      new Promise<void>((resolve) => {
        wakeUp = resolve
        if (delayMs !== undefined) timer = setTimeout(wake, delayMs)
      }),
    wake,
  }
}

/**
 * Create a TR-069 client. Nothing happens until {@link CpeClient.start}.
 *
 * The decisions (when a session opens and with which events, value changes, follow-ups, retry
 * waits, settings read back) are made by a sans-I/O core; this function is the I/O around it:
 * timers, the HTTP transport, the Connection Request listener, the data model, the hooks.
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
 *
 * @category CPE client
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
  const crOptions = options.connectionRequest === false ? undefined : options.connectionRequest
  const core = new CpeClientCore({
    settings: {
      acsUrl: options.acsUrl,
      ...(options.acsUsername === undefined ? {} : { acsUsername: options.acsUsername }),
      ...(options.acsPassword === undefined ? {} : { acsPassword: options.acsPassword }),
      periodic: {
        enabled: options.periodicInformEnable ?? false,
        interval: options.periodicInformInterval ?? 3600,
        ...(options.periodicInformTime === undefined ? {} : { time: options.periodicInformTime }),
      },
      ...(options.retry === undefined ? {} : { retry: options.retry }),
      ...(crOptions === undefined ? {} : { connectionRequest: { username: crOptions.username, password: crOptions.password } }),
    },
    ...(options.versions === undefined ? {} : { versions: options.versions }),
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(options.state === undefined ? {} : { state: options.state }),
    ...(options.bootstrap === undefined ? {} : { bootstrap: options.bootstrap }),
  })
  const handler: CpeRpcHandler = createCpeRpcHandler({
    model,
    hooks: {
      ...options.hooks,
      // Reboot and FactoryReset happen after the session; the default hooks only accept them.
      reboot: options.hooks?.reboot ?? (() => undefined),
      factoryReset: options.hooks?.factoryReset ?? (() => undefined),
      scheduleInform: options.hooks?.scheduleInform ?? (() => undefined),
    },
    onFollowUp: (f) => core.followUp(f),
    onError: (error) => emit({ type: 'error', error }),
  })

  // The I/O state; every decision is the core's.
  let running = false
  let loop: Promise<void> | undefined
  let listener: ConnectionRequestListener | undefined
  let cr: ConnectionRequestHandler | undefined
  let currentTransport: Transport | undefined
  let unsubscribe: (() => void) | undefined
  const waiters: ((r: CpeSessionResult) => void)[] = []
  const sleeper = createSleeper()

  /** The waiters of a client that stops: no session will end for them. */
  const settleWaiters = (): void => {
    for (const w of waiters.splice(0)) w(STOPPED)
  }

  const root = model.root ?? 'Device.'
  const ms = (name: ManagementServerName): string => `${root}ManagementServer.${name}`

  /** Write the settings page into the data model (without reporting value changes). */
  const writeSettings = (): void => {
    if (model.set === undefined) return
    for (const [name, value] of core.managementServerValues(listener?.url)) {
      try {
        model.set(ms(name), value, { silent: true })
      } catch {
        // the model may not have this parameter
      }
    }
  }

  /** The ManagementServer values the ACS may have changed, or `undefined` for a model without `get`. */
  const readSettings = (): ManagementServerValues | undefined => {
    if (model.get === undefined) return undefined
    const values: Partial<Record<ManagementServerName, string>> = {}
    for (const name of READ_BACK_PARAMETERS) {
      try {
        const value = model.get(ms(name))
        if (value !== undefined) values[name] = value
      } catch {
        // the model may not have this parameter
      }
    }
    return values
  }

  const transportFor = (): Transport => {
    const settings = core.settings
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

  /** Who the CPE is: the option, else the model's; without either the client cannot start. */
  const deviceIdOf = (): DeviceIdStruct => {
    const deviceId = options.deviceId ?? model.deviceId?.()
    if (deviceId === undefined) throw new ConfigError('deviceId', 'given when the data model does not provide the DeviceId')
    return deviceId
  }

  const informFor = async (plan: SessionPlan): Promise<Inform> => {
    const deviceId = deviceIdOf()
    const parameters = [...((await options.informParameters?.()) ?? model.informParameters?.() ?? [])]
    const names = changedNamesToRead(plan.reported, parameters)
    if (names.length > 0) {
      try {
        parameters.push(...(await model.getParameterValues(names)))
      } catch (error) {
        emit({ type: 'error', error })
      }
    }
    return informMessage(plan.start, deviceId, parameters, now())
  }

  /** The model's recorded value changes; a throwing model is reported, not fatal. */
  const takeChanges = (): string[] => {
    try {
      return (model.takeValueChanges?.() ?? []).map((c) => c.parameter.name)
    } catch (error) {
      emit({ type: 'error', error })
      return []
    }
  }

  const runSession = async (): Promise<void> => {
    // Passive value changes ride along with whatever opens the session (TR-069 §3.7.1.5).
    const plan = core.beginSession(now(), takeChanges())
    cr?.policy.sessionStarted()
    let result: CpeSessionResult
    const transport = transportFor()
    currentTransport = transport
    try {
      const inform = await informFor(plan)
      emit({ type: 'session-start', start: plan.start, inform })
      const session = createCpeSession({
        url: plan.url,
        inform,
        requests: plan.start.requests,
        ...(options.versions === undefined ? {} : { versions: options.versions }),
        ...(plan.informVersion === undefined ? {} : { informVersion: plan.informVersion }),
        ...(options.sessionTimeout === undefined ? {} : { sessionTimeout: options.sessionTimeout }),
        newId: randomUUID,
      })
      let req: HttpRequest | undefined = session.start()
      while (req !== undefined) {
        if (!running) {
          session.fail('aborted', 'the client was stopped')
          break
        }
        const stateBefore = session.state
        let step: CpeSessionStep
        let send: HttpRequest | undefined
        try {
          const res = await transport.send(req)
          ;({ step, send } = session.receive(res))
        } catch (err) {
          ;({ step } = session.fail('transport', err instanceof Error ? err.message : String(err)))
          send = undefined
        }
        core.sessionStep(step, stateBefore)
        emit({ type: 'session-step', step })
        req = send
        if (step.type === 'request') {
          const answer: Awaited<ReturnType<CpeRpcHandler>> = await handler(step.request)
          try {
            req = session.respond(answer)
          } catch (error) {
            emit({ type: 'error', error })
            req = session.respond(makeFault('cpe', 'InternalError') as Fault)
          }
        }
      }
      result = core.endSession(now())
    } catch (error) {
      result = core.endSessionOnError(now(), error)
    } finally {
      currentTransport = undefined
      try {
        await transport.close?.()
      } catch (error) {
        emit({ type: 'error', error })
      }
      cr?.policy.sessionEnded()
    }
    core.sessionClosed(now(), readSettings())
    emit({ type: 'session-end', result })
    for (const w of waiters.splice(0)) w(result)
  }

  const runLoop = async (): Promise<void> => {
    while (running) {
      const action = core.poll(now())
      switch (action.type) {
        case 'session':
          await runSession()
          break
        case 'reboot':
          try {
            await options.onReboot?.(action.commandKey)
          } catch (error) {
            emit({ type: 'error', error })
          }
          core.rebooted(now())
          emit({ type: 'reboot', commandKey: action.commandKey })
          break
        case 'factory-reset':
          try {
            await options.onFactoryReset?.()
          } catch (error) {
            emit({ type: 'error', error })
          }
          core.rebooted(now())
          emit({ type: 'factory-reset' })
          break
        default:
          await sleeper.sleep(action.delayMs)
      }
    }
  }

  const client: CpeClient = {
    async start() {
      if (running || options.enabled === false) return
      deviceIdOf()
      running = true
      if (crOptions !== undefined) {
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
            handler: (req, t) => handlerCr.handle(req, { now: t, inSession: core.inSession }),
            onDecision: (d) => {
              // Accepted includes 'accepted-pending' (200, but the session it asks for is already due).
              const accepted = d.outcome === 'accepted' || d.outcome === 'accepted-queued' || d.outcome === 'accepted-pending'
              emit({ type: 'connection-request', status: d.response.status, accepted })
              if (d.startSession || d.sessionAfterCurrent) {
                core.connectionRequest()
                sleeper.wake()
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
        // Active notification: a session now (passive ones wait for the next session). Take every
        // recorded change, the passive ones pending before it included (they go in the same Inform).
        if (core.valueChanged([...takeChanges(), c.parameter.name], true)) sleeper.wake()
      })
      core.boot(now())
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
      sleeper.wake()
      await loop
      await listener?.close()
      listener = undefined
      settleWaiters()
    },
    get connectionRequestUrl() {
      return listener?.url
    },
    get inSession() {
      return core.inSession
    },
    agent: core.agent,
    addEvent(eventCode, commandKey) {
      core.agent.addEvent(eventCode, commandKey)
      sleeper.wake()
    },
    transferComplete(message, method) {
      core.agent.transferComplete(message, method)
      sleeper.wake()
    },
    nextSession() {
      // A disabled client never runs a session: answer at once instead of never.
      if (options.enabled === false) return Promise.resolve(STOPPED)
      return new Promise((resolve) => waiters.push(resolve))
    },
  }
  return client
}
