/**
 * A TR-069 client for CPE firmware, configured like a router's "TR-069 Client" page. This file is
 * the I/O loop: timers, the HTTP transport, the Connection Request listener (bound to the WAN
 * interface), the data model, the device hooks and every wait on them, driving the sans-I/O session
 * and the client's decisions: `client-core.ts` (when a session opens and with which events, value
 * changes, follow-ups, what a settings change means), `settings.ts` (the rules of every setting),
 * `management-server.ts` and `managed-model.ts` (the ManagementServer object the client serves),
 * `wan.ts` (addresses, rebinding, the ConnectionRequestURL).
 *
 * @module
 */
import { randomBytes, randomUUID } from 'node:crypto'
import * as os from 'node:os'
import { createConnectionRequestHandler, type ConnectionRequestHandler } from '../connreq/http.js'
import { ConfigError, TimeoutError } from '../errors.js'
import { makeFault } from '../faults.js'
import type { CpeAgent, CpeAgentState, SessionStart } from '../session/cpe-agent.js'
import { createCpeSession, type CpeSessionStep } from '../session/cpe-session.js'
import { withAuth } from '../transport/auth.js'
import {
  startConnectionRequestListener,
  type ConnectionRequestListener,
  type ConnectionRequestListenerDecision,
} from '../transport/connection-request-listener.js'
import type { ConnectionRequestDecision } from '../connreq/http.js'
import { withCookies } from '../transport/cookies.js'
import { createHttpTransport, type HttpTlsOptions } from '../transport/http-client.js'
import { createStreamLogSink, withLogging } from '../transport/logging.js'
import { localAddressTowards } from '../transport/route.js'
import { composeTransport, type Transport, type TransportMiddleware } from '../transport/types.js'
import type { HttpRequest } from '../types/http.js'
import type { Fault, Inform, TransferComplete } from '../types/messages.js'
import type { DeviceIdStruct, ParameterValueStruct } from '../types/structs.js'
import type { CwmpVersion } from '../types/version.js'
import { CpeClientCore, changedNamesToRead, informMessage, type CpeSessionResult, type SessionPlan } from './client-core.js'
import type { DataModel, MaybePromise } from './data-model.js'
import { attributesOfExisting, createManagedModel, modelHasObject, valuesOfExisting } from './managed-model.js'
import {
  EMPTY_MANAGEMENT_SERVER_STATE,
  ManagementServer,
  parametersOfSettings,
  type ManagementServerState,
} from './management-server.js'
import { notifiesInInform } from './notification.js'
import { createCpeRpcHandler, type CpeHooks, type CpeRpcHandler } from './rpc-handler.js'
import {
  DEFAULT_SETTINGS,
  changeSettings,
  type CpeSettingName,
  type CpeSettings,
  type CpeSettingsChange,
  type SettingsEnvironment,
} from './settings.js'
import { DEVICE_ID_PARAMETERS, forcedInformPaths, rootObjectOf } from './standard-parameters.js'
import {
  connectionRequestUrlOf,
  listenerPlanOf,
  sameListenerPlan,
  urlHostOf,
  wanAddressOf,
  type ListenerPlan,
} from './wan.js'

export type { CpeSessionResult } from './client-core.js'

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
 * What a device keeps across reboots besides its settings: the agent's pending events, RetryCount
 * and schedules, and the ManagementServer's ParameterKey and attributes. Plain JSON; give it back
 * as the `state` option, so a rebooted device says `1 BOOT` (not `0 BOOTSTRAP`) and keeps them.
 *
 * @category CPE client
 */
export interface CpeClientState {
  /** Pending events, CPE requests, RetryCount, periodic and scheduled Informs. */
  readonly agent: CpeAgentState
  /** ParameterKey, stored values and attributes of the ManagementServer object. */
  readonly managementServer: ManagementServerState
}

/**
 * Who changed the settings: the device (`configure`, "Apply/Save") or the ACS (SetParameterValues
 * on ManagementServer, applied when its session ended).
 *
 * @category CPE client
 */
export type CpeSettingsSource = 'local' | 'acs'

/**
 * Options of {@link createCpeClient}: the settings of a router's TR-069 page (see
 * {@link CpeSettings}), the data model, the device's hooks and how the client runs.
 *
 * @category CPE client
 */
export interface CpeClientOptions extends Omit<CpeSettingsChange, 'acsUrl' | 'logSoap'> {
  /** Enable CWMP (default true). When false, `start()` does nothing. */
  readonly enabled?: boolean
  /** ACS URL (ManagementServer.URL). */
  readonly acsUrl: string
  /**
   * "Display SOAP messages": `true` to print every message, indented (to {@link CpeClientOptions.soapLog},
   * default stdout), or the stream to print them to.
   */
  readonly logSoap?: boolean | SoapLogTarget
  /** Where SOAP messages go while `logSoap` is on (default `process.stdout`). */
  readonly soapLog?: SoapLogTarget
  /**
   * Answer a Basic challenge from an `http:` ACS (default false: Basic only over `https:`, since
   * without TLS the ACS must use Digest and the password would cross the network in clear).
   */
  readonly acsBasicOverHttp?: boolean
  /**
   * The device's own parameters. The client serves `ManagementServer` itself (see
   * `docs/cpe-firmware.md`); the model needs only the seven {@link DataModel} methods, and reports
   * its value changes with {@link CpeClient.valueChanged}.
   */
  readonly model: DataModel
  /** The model's root object; default: found with GetParameterNames (`InternetGatewayDevice.` or `Device.`). */
  readonly root?: 'Device.' | 'InternetGatewayDevice.'
  /** Who the CPE is; default: read from the model's `DeviceInfo` (Manufacturer, ManufacturerOUI, ProductClass, SerialNumber). */
  readonly deviceId?: DeviceIdStruct
  /**
   * The forced parameters of every Inform; default: those of TR-069's list the model has, read with
   * GetParameterValues. The client adds its own ConnectionRequestURL and ParameterKey either way.
   */
  readonly informParameters?: () => MaybePromise<readonly ParameterValueStruct[]>
  /** Device actions (Download, Upload, ScheduleInform …) passed to the RPC handler. */
  readonly hooks?: CpeHooks
  /** Called to reboot the device after a session with a Reboot (default: nothing, simulated). */
  readonly onReboot?: (commandKey: string) => MaybePromise<void>
  /** Called to reset the device after a session with a FactoryReset (default: nothing, simulated). */
  readonly onFactoryReset?: () => MaybePromise<void>
  /**
   * Called after the settings changed (by `configure` or by the ACS), with all of them: save them
   * where the device keeps its configuration, and create the client with them after a reboot.
   */
  readonly onSettingsChange?: (settings: CpeSettings, source: CpeSettingsSource) => MaybePromise<void>
  /** CWMP versions supported (default 1.0–1.4). */
  readonly versions?: readonly CwmpVersion[]
  /** SessionTimeout header value in seconds (CWMP 1.3+), if any. */
  readonly sessionTimeout?: number
  /** HTTP timeout in ms (default 30,000: TR-069 requires at least 30 s). */
  readonly timeoutMs?: number
  /** TLS options for an https ACS URL. */
  readonly tls?: HttpTlsOptions
  /** Extra middleware around the HTTP transport (outermost first). */
  readonly middleware?: readonly TransportMiddleware[]
  /** Saved state ({@link CpeClient.state}; an agent state alone is accepted too), to continue after a reboot. */
  readonly state?: CpeClientState | CpeAgentState
  /** First contact with this ACS: the first Inform carries `0 BOOTSTRAP` (default true without `state`). */
  readonly bootstrap?: boolean
  /**
   * The longest wait on user code (a data-model call, a hook, `onReboot`, `onSettingsChange`,
   * `informParameters`, middleware), in ms; past it the wait is given up with a `TimeoutError`
   * (reported as an `error` activity; an ACS request gets 9002). Default 30,000.
   */
  readonly userCodeTimeoutMs?: number
  /** How often the WAN address is checked between sessions, in ms (default 60,000; also at each session start and on `configure`). */
  readonly addressCheckIntervalMs?: number
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
      /** True when the request was accepted. */
      readonly accepted: boolean
    }
  /** The ConnectionRequestURL changed (listener bound or rebound, new WAN address). */
  | {
      /** Discriminant. */
      readonly type: 'connection-request-url'
      /** The new URL; empty without a listener. */
      readonly url: string
    }
  /** The settings changed. */
  | {
      /** Discriminant. */
      readonly type: 'settings'
      /** Who changed them. */
      readonly source: CpeSettingsSource
      /** What changed. */
      readonly changed: readonly CpeSettingName[]
      /** All of them now. */
      readonly settings: CpeSettings
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
  /** Something failed outside a session (a hook, the model, a wait given up, a rebind). */
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
  /**
   * Start: find the model's root and DeviceId, listen for Connection Requests, boot, first session.
   *
   * @throws {@link ConfigError} when the DeviceId is unknown or the WAN interface has no address;
   * {@link TransportError} when the Connection Request port cannot be opened
   */
  start(): Promise<void>
  /**
   * Stop: the Connection Request listener closes first, then every wait on user code is given up,
   * the session in progress is cut, the timers stop. Settles within `userCodeTimeoutMs` whatever
   * the hooks and the model do.
   */
  stop(): Promise<void>
  /** The settings now, what the ACS set included. */
  readonly settings: CpeSettings
  /**
   * Apply/Save: check every field of `change` (a {@link ConfigError} naming the field and the rule,
   * and nothing changed, when one is refused), then apply it to the running client with its TR-069
   * meaning: a new ACS URL is used at once with `0 BOOTSTRAP`; new ACS credentials from the next
   * request; periodic Inform settings reschedule from now; Connection Request credentials and the
   * authentication switch are checked from the next request; the SOAP log starts or stops with the
   * next message; a new WAN interface rebinds the listener and reports the new ConnectionRequestURL
   * (`4 VALUE CHANGE`). Resolves with the new settings.
   *
   * @param change - the settings to change
   * @throws {@link ConfigError} for a refused value; {@link TransportError} when the listener cannot be rebound
   */
  configure(change: CpeSettingsChange): Promise<CpeSettings>
  /**
   * The device changed parameters of its own model (not the ACS): their notification attributes
   * decide (TR-069 §3.7.1.5): passive ones go in the next Inform, an active one opens a session with
   * `4 VALUE CHANGE` now. Never rejects (problems are `error` activities).
   *
   * @param names - full parameter names
   */
  valueChanged(names: readonly string[]): Promise<void>
  /** What to save to resume after a reboot (see {@link CpeClientState}). */
  readonly state: CpeClientState
  /** The ConnectionRequestURL the ACS should use, once started. */
  readonly connectionRequestUrl: string | undefined
  /** True while a session is in progress. */
  readonly inSession: boolean
  /** The agent: events, retry counters, requests (advanced use). */
  readonly agent: CpeAgent
  /** Report an event and open a session for it (e.g. `8 DIAGNOSTICS COMPLETE`). */
  addEvent(eventCode: string, commandKey?: string): void
  /** A transfer answered with status 1 finished: send TransferComplete in a new session. */
  transferComplete(message: TransferComplete, method: 'Download' | 'ScheduleDownload' | 'Upload'): void
  /**
   * Resolves with the result of the next session to end; with `{ ok: false, reason: 'aborted' }`
   * when `stop()` is called first, or at once when the client is disabled.
   */
  nextSession(): Promise<CpeSessionResult>
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

/** Runs user code with a bound: past it, or once the client stops, the wait is given up. */
interface UserCodeGuard {
  run<T>(operation: string, fn: () => T | PromiseLike<T>, timeoutMs?: number): Promise<Awaited<T>>
  /** Give up every pending wait now (the client stops); later calls are given up at once. */
  abort(): void
  /** Accept waits again (the client starts). */
  reset(): void
}

function createUserCodeGuard(timeoutMs: number): UserCodeGuard {
  let controller = new AbortController()
  return {
    run<T>(operation: string, fn: () => T | PromiseLike<T>, bound = timeoutMs): Promise<Awaited<T>> {
      const signal = controller.signal
      return new Promise<Awaited<T>>((resolve, reject) => {
        if (signal.aborted) {
          reject(new TimeoutError(operation, undefined))
          return
        }
        const cleanup = (): void => {
          clearTimeout(timer)
          signal.removeEventListener('abort', onAbort)
        }
        const onAbort = (): void => {
          cleanup()
          reject(new TimeoutError(operation, undefined))
        }
        const timer = setTimeout(() => {
          cleanup()
          reject(new TimeoutError(operation, bound))
        }, bound)
        signal.addEventListener('abort', onAbort, { once: true })
        let result: T | PromiseLike<T>
        try {
          result = fn()
        } catch (error) {
          cleanup()
          reject(error)
          return
        }
        Promise.resolve(result).then(
          (value) => {
            cleanup()
            resolve(value as Awaited<T>)
          },
          (error: unknown) => {
            cleanup()
            reject(error)
          },
        )
      })
    },
    abort: () => controller.abort(),
    reset: () => {
      if (controller.signal.aborted) controller = new AbortController()
    },
  }
}

/** The model, every call bounded. */
function boundedModel(model: DataModel, guard: UserCodeGuard): DataModel {
  return {
    getParameterValues: (names) => guard.run('model.getParameterValues', () => model.getParameterValues(names)),
    setParameterValues: (list, key) => guard.run('model.setParameterValues', () => model.setParameterValues(list, key)),
    getParameterNames: (path, nextLevel) => guard.run('model.getParameterNames', () => model.getParameterNames(path, nextLevel)),
    getParameterAttributes: (names) => guard.run('model.getParameterAttributes', () => model.getParameterAttributes(names)),
    setParameterAttributes: (list) => guard.run('model.setParameterAttributes', () => model.setParameterAttributes(list)),
    addObject: (name, key) => guard.run('model.addObject', () => model.addObject(name, key)),
    deleteObject: (name, key) => guard.run('model.deleteObject', () => model.deleteObject(name, key)),
  }
}

/** The hooks, every call bounded; Reboot, FactoryReset and ScheduleInform are accepted by default (they happen after the session). */
function boundedHooks(hooks: CpeHooks | undefined, guard: UserCodeGuard): CpeHooks {
  const out: Record<string, unknown> = {
    reboot: () => undefined,
    factoryReset: () => undefined,
    scheduleInform: () => undefined,
  }
  for (const [key, hook] of Object.entries(hooks ?? {})) {
    if (typeof hook !== 'function') continue
    out[key] = (...args: unknown[]) => guard.run(`hooks.${key}`, () => (hook as (...a: unknown[]) => unknown).apply(hooks, args))
  }
  return out as CpeHooks
}

/** The settings change the options give, for {@link changeSettings}. */
function settingsChangeOf(options: CpeClientOptions): CpeSettingsChange {
  const change: Record<string, unknown> = {}
  for (const key of [
    'acsUrl',
    'acsUsername',
    'acsPassword',
    'periodicInformEnable',
    'periodicInformInterval',
    'periodicInformTime',
    'retry',
    'wanInterface',
    'connectionRequest',
  ] as const) {
    if (options[key] !== undefined) change[key] = options[key]
  }
  if (options.logSoap !== undefined) change.logSoap = options.logSoap === false ? false : options.logSoap === true ? true : typeof options.logSoap === 'object'
  return change as CpeSettingsChange
}

function positiveInteger(field: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new ConfigError(field, 'an integer ≥ 1 (ms)', value)
  return value
}

/**
 * Create a TR-069 client. Nothing happens until {@link CpeClient.start}.
 *
 * The decisions (when a session opens and with which events, value changes, follow-ups, retry
 * waits, what a settings change means) are made by a sans-I/O core; this function is the I/O
 * around it: timers, the HTTP transport, the Connection Request listener on the WAN interface, the
 * data model, the hooks, and a bound on every wait for them.
 *
 * @param options - the TR-069 settings, the data model and hooks
 * @throws {@link ConfigError} naming the field and the rule for a refused setting, or `options` when it is
 * not an object
 *
 * @example
 * ```ts
 * const client = createCpeClient({
 *   acsUrl: 'https://acs.example.net/cwmp', acsUsername: 'cpe', acsPassword: 'secret',
 *   periodicInformEnable: true, periodicInformInterval: 300, wanInterface: 'eth0',
 *   connectionRequest: { username: 'acs', password: 'cr-secret', port: 7547 },
 *   logSoap: true, model: createSampleDeviceModel({ serialNumber: 'SN1' }),
 *   onSettingsChange: (settings) => saveToFlash(settings),
 * })
 * await client.start()
 * await client.configure({ periodicInformInterval: 900 }) // Apply/Save
 * ```
 *
 * @category CPE client
 */
export function createCpeClient(options: CpeClientOptions): CpeClient {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  if (typeof options.model !== 'object' || options.model === null || typeof options.model.getParameterValues !== 'function') {
    throw new ConfigError('model', 'a DataModel (an object with getParameterValues and the other methods)', options.model)
  }
  const now = options.now ?? Date.now
  const emit = (event: CpeClientActivity): void => {
    try {
      options.onActivity?.(event)
    } catch {
      // observers cannot break the client
    }
  }
  const report = (error: unknown): void => emit({ type: 'error', error })
  const userCodeTimeoutMs = positiveInteger('userCodeTimeoutMs', options.userCodeTimeoutMs ?? 30_000)
  const addressCheckIntervalMs = positiveInteger('addressCheckIntervalMs', options.addressCheckIntervalMs ?? 60_000)
  const timeoutMs = options.timeoutMs ?? 30_000
  const env: SettingsEnvironment = {
    interfaces: () => os.networkInterfaces(),
    randomPath: () => `/cwmp-cr-${randomBytes(8).toString('hex')}`,
  }
  const soapTarget: SoapLogTarget = typeof options.logSoap === 'object' ? options.logSoap : (options.soapLog ?? process.stdout)
  const soapSink = createStreamLogSink(soapTarget, { pretty: true, headers: true })
  const saved: Partial<CpeClientState> | undefined =
    options.state === undefined ? undefined : 'agent' in options.state ? options.state : { agent: options.state }
  const core = new CpeClientCore({
    settings: changeSettings(DEFAULT_SETTINGS, settingsChangeOf(options), env),
    ...(options.versions === undefined ? {} : { versions: options.versions }),
    ...(options.random === undefined ? {} : { random: options.random }),
    ...(saved === undefined ? {} : { state: saved.agent }),
    ...(options.bootstrap === undefined ? {} : { bootstrap: options.bootstrap }),
  })
  const guard = createUserCodeGuard(userCodeTimeoutMs)
  const model = boundedModel(options.model, guard)
  const hooks = boundedHooks(options.hooks, guard)

  // The I/O state; every decision is the core's (or settings.ts', wan.ts').
  const msState: ManagementServerState = saved?.managementServer ?? EMPTY_MANAGEMENT_SERVER_STATE
  let ms: ManagementServer | undefined
  let managed: DataModel | undefined
  let handler: CpeRpcHandler | undefined
  let deviceId: DeviceIdStruct | undefined
  let forcedNames: string[] | undefined
  let running = false
  let loop: Promise<void> | undefined
  let listener: ConnectionRequestListener | undefined
  let listenerPlan: ListenerPlan | undefined
  let cr: ConnectionRequestHandler | undefined
  /** The WAN address requests are sent from (`undefined`: the system's choice, `wanInterface: 'any'`). */
  let wanBinding: string | undefined
  let crUrl = ''
  let addressTimer: NodeJS.Timeout | undefined
  let currentTransport: Transport | undefined
  let changeWork: Promise<void> = Promise.resolve()
  /** Changes reported while the client was not running (a set: one entry per parameter). */
  const beforeStart = new Set<string>()
  let serialTail: Promise<unknown> = Promise.resolve()
  const waiters: ((r: CpeSessionResult) => void)[] = []
  const sleeper = createSleeper()

  /** One listener or settings operation at a time (configure, address checks, start). */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = serialTail.then(fn, fn)
    serialTail = result.catch(() => undefined)
    return result
  }

  /** The waiters of a client that stops: no session will end for them. */
  const settleWaiters = (): void => {
    for (const w of waiters.splice(0)) w(STOPPED)
  }

  // ----- the Connection Request listener

  const newCrHandler = (s: CpeSettings): ConnectionRequestHandler | undefined => {
    const c = s.connectionRequest
    if (c === false) return undefined
    return createConnectionRequestHandler({
      path: c.path,
      username: c.username,
      password: c.password,
      authentication: c.authentication,
      ...c.policy,
    })
  }

  const onDecision = (d: ConnectionRequestDecision): void => {
    // Accepted includes 'accepted-pending' (200, but the session it asks for is already due).
    const accepted = d.outcome === 'accepted' || d.outcome === 'accepted-queued' || d.outcome === 'accepted-pending'
    emit({ type: 'connection-request', status: d.response.status, accepted })
    if (d.startSession || d.sessionAfterCurrent) {
      core.connectionRequest()
      sleeper.wake()
    }
  }

  const bind = async (plan: ListenerPlan): Promise<ConnectionRequestListener> => {
    const open = (port: number): Promise<ConnectionRequestListener> =>
      startConnectionRequestListener<ConnectionRequestDecision & ConnectionRequestListenerDecision>({
        port,
        ...(plan.host === undefined ? {} : { host: plan.host }),
        ...(plan.limits === undefined ? {} : { limits: plan.limits }),
        handler: (req, t) => {
          if (cr === undefined) throw new Error('no Connection Request handler')
          return cr.handle(req, { now: t, inSession: core.inSession })
        },
        onDecision,
        onError: report,
      })
    // Port 0 (any free port): keep the one the ACS knows when it is free on the new address.
    if (plan.port === 0 && listener !== undefined) {
      try {
        return await open(listener.port)
      } catch {
        // taken there: a new one
      }
    }
    return open(plan.port)
  }

  /** Swap in a new listener (or none), closing the old one. */
  const swapListener = async (fresh: ConnectionRequestListener | undefined, plan: ListenerPlan | undefined): Promise<void> => {
    const old = listener
    listener = fresh
    listenerPlan = plan
    if (old !== undefined && old !== fresh) await old.close()
  }

  /** Recompute ConnectionRequestURL; a change is a value change of the forced-active parameter. */
  const updateUrl = async (reportChange: boolean): Promise<void> => {
    const s = core.settings
    let url = ''
    if (listener !== undefined && s.connectionRequest !== false) {
      const c = s.connectionRequest
      const needsRoute = wanBinding === undefined && c.urlHost === undefined && (c.host === undefined || c.host === '0.0.0.0' || c.host === '::')
      const route = needsRoute ? await localAddressTowards(s.acsUrl) : undefined
      url = connectionRequestUrlOf(urlHostOf(s, wanBinding, route, os.networkInterfaces()), listener.port, c.path)
    }
    if (url === crUrl) return
    crUrl = url
    emit({ type: 'connection-request-url', url })
    if (reportChange && ms !== undefined) void recordChanges([ms.nameOf('ConnectionRequestURL')])
  }

  /** The WAN address now: rebind the listener and report a new URL when it moved (a poll, a session start). */
  const refreshAddress = (): Promise<void> =>
    serial(async () => {
      if (!running) return
      const s = core.settings
      const address = wanAddressOf(s.wanInterface, os.networkInterfaces())
      // A named interface without an address now (down): keep what there is until it comes back.
      if (address === null) return
      wanBinding = address
      const plan = listenerPlanOf(s, address)
      if (!sameListenerPlan(plan, listenerPlan)) {
        try {
          await swapListener(plan === undefined ? undefined : await bind(plan), plan)
        } catch (error) {
          report(error)
        }
      }
      await updateUrl(true)
    })

  // ----- settings

  /** Apply a change (local or from the ACS) with its meaning; everything that can fail is done before anything changes. */
  const applyChange = async (change: CpeSettingsChange, source: CpeSettingsSource): Promise<CpeSettings> => {
    const outcome = await serial(async () => {
      const before = core.settings
      const next = changeSettings(before, change, env)
      let address = wanBinding
      let fresh: { listener: ConnectionRequestListener | undefined; plan: ListenerPlan | undefined } | undefined
      if (running) {
        if (next.wanInterface !== before.wanInterface) {
          const a = wanAddressOf(next.wanInterface, os.networkInterfaces())
          if (a === null) throw new ConfigError('wanInterface', 'an interface with an IP address now', next.wanInterface)
          address = a
        }
        const plan = listenerPlanOf(next, address)
        if (!sameListenerPlan(plan, listenerPlan)) {
          fresh = { listener: plan === undefined ? undefined : await bind(plan), plan }
          if (!running) {
            // stop() came while the port was being opened.
            await fresh.listener?.close()
            fresh = undefined
          }
        }
      }
      // From here on nothing fails: the change is applied as a whole.
      const changed = core.configure(now(), next)
      if (changed.includes('connectionRequest') || changed.includes('connectionRequest.policy')) cr = newCrHandler(next)
      else if (next.connectionRequest !== false && changed.some((c) => c.startsWith('connectionRequest.'))) {
        const c = next.connectionRequest
        cr?.update({ path: c.path, username: c.username, password: c.password, authentication: c.authentication })
      }
      if (running) {
        wanBinding = address
        if (fresh !== undefined) await swapListener(fresh.listener, fresh.plan)
        await updateUrl(true)
        // A change made on the device is a value change of the ManagementServer parameters behind it.
        if (source === 'local' && ms !== undefined) {
          const names = parametersOfSettings(changed).map((n) => (ms as ManagementServer).nameOf(n))
          if (names.length > 0) void recordChanges(names)
        }
        sleeper.wake()
      }
      return { next, changed }
    })
    if (outcome.changed.length > 0) {
      emit({ type: 'settings', source, changed: outcome.changed, settings: outcome.next })
      if (options.onSettingsChange !== undefined) {
        const onSettingsChange = options.onSettingsChange
        try {
          await guard.run('onSettingsChange', () => onSettingsChange(outcome.next, source))
        } catch (error) {
          report(error)
        }
      }
    }
    return outcome.next
  }

  // ----- value changes

  /** Parameters the device changed: their notification attributes decide what the core is told. */
  const recordChanges = (names: readonly string[]): Promise<void> => {
    const work = changeWork.then(async () => {
      if (managed === undefined || !running) {
        // Not running: kept for the next start (the model is not asked while nothing waits on it).
        for (const n of names) beforeStart.add(n)
        return
      }
      const { found, unknown } = await attributesOfExisting(managed, names)
      if (unknown.length > 0) report(new ConfigError('valueChanged', 'names of parameters the model has', unknown[0]))
      const notified = found.filter((a) => notifiesInInform(a.notification))
      if (notified.length === 0) return
      // 2 is active notification (an Inform now); 1, 4 and 6 are passive (the next Inform).
      if (core.valueChanged(notified.map((a) => a.name), notified.some((a) => a.notification === 2))) sleeper.wake()
    })
    changeWork = work.catch(report)
    return changeWork
  }

  // ----- sessions

  /** Who the CPE is: the option, else the model's DeviceInfo. */
  const readDeviceId = async (root: string): Promise<DeviceIdStruct> => {
    if (options.deviceId !== undefined) return options.deviceId
    const path = (key: keyof DeviceIdStruct): string => `${root}DeviceInfo.${DEVICE_ID_PARAMETERS[key]}`
    const keys = ['manufacturer', 'oui', 'productClass', 'serialNumber'] as const
    const values = await valuesOfExisting(model, keys.map(path))
    const get = (key: keyof DeviceIdStruct): string | undefined => values.find((p) => p.name === path(key))?.value
    const [manufacturer, oui, productClass, serialNumber] = keys.map(get)
    if (manufacturer === undefined || oui === undefined || productClass === undefined || serialNumber === undefined) {
      throw new ConfigError(
        'deviceId',
        `given, or found in the data model (${keys.map((k) => path(k)).join(', ')})`,
      )
    }
    return { manufacturer, oui, productClass, serialNumber }
  }

  const forcedParameters = async (m: ManagementServer): Promise<ParameterValueStruct[]> => {
    let list: readonly ParameterValueStruct[]
    if (options.informParameters !== undefined) {
      const informParameters = options.informParameters
      list = await guard.run('informParameters', () => informParameters())
    } else {
      const names = forcedNames ?? forcedInformPaths(m.path.slice(0, m.path.indexOf('.') + 1)).filter((n) => !n.startsWith(m.path))
      list = await valuesOfExisting(model, names)
      forcedNames ??= list.map((p) => p.name)
    }
    // The client's own ManagementServer values replace any the model has.
    const out = list.filter((p) => !m.owns(p.name))
    const settings = core.settings
    out.push(m.value(m.nameOf('ConnectionRequestURL'), settings, crUrl), m.value(m.nameOf('ParameterKey'), settings, crUrl))
    return out
  }

  const informFor = async (plan: SessionPlan, m: ManagementServer, id: DeviceIdStruct): Promise<Inform> => {
    const parameters = await forcedParameters(m)
    const names = changedNamesToRead(plan.reported, parameters)
    if (names.length > 0 && managed !== undefined) {
      try {
        for (const p of await valuesOfExisting(managed, names)) parameters.push(p)
      } catch (error) {
        report(error)
      }
    }
    return informMessage(plan.start, id, parameters, now())
  }

  const transportFor = (): Transport => {
    // Outermost first: authentication and cookies outside, logging innermost so that it shows every
    // message on the wire (the 401 and the authenticated resend included). User middleware is bounded.
    const middleware: TransportMiddleware[] = [...(options.middleware ?? [])]
    middleware.push((next) => {
      // The credentials of the moment: a change is used from the next request on.
      let current: { readonly username: string; readonly password: string; readonly transport: Transport } | undefined
      return {
        send(request, sendOptions) {
          const { acsUsername: username, acsPassword: password } = core.settings
          if (username === '') return next.send(request, sendOptions)
          if (current === undefined || current.username !== username || current.password !== password) {
            const auth = withAuth({ username, password, ...(options.acsBasicOverHttp === true ? { basicOverHttp: true } : {}) })
            current = { username, password, transport: auth(next) }
          }
          return current.transport.send(request, sendOptions)
        },
        ...(next.close === undefined ? {} : { close: () => next.close?.() }),
      }
    })
    middleware.push(withCookies())
    middleware.push((next) => {
      // "Display SOAP messages", from the next message on.
      const logged = withLogging(soapSink)(next)
      return {
        send: (request, sendOptions) => (core.settings.logSoap ? logged : next).send(request, sendOptions),
        ...(next.close === undefined ? {} : { close: () => next.close?.() }),
      }
    })
    const http = createHttpTransport({
      timeoutMs,
      // Never send a POST twice in one session (TR-069 §3.7.1.4): a lost connection fails the
      // session and the retry policy takes over.
      retryOnStaleConnection: false,
      ...(options.tls === undefined ? {} : { tls: options.tls }),
      ...(wanBinding === undefined ? {} : { localAddress: wanBinding }),
    })
    const composed = composeTransport(http, ...middleware)
    // The HTTP timeout bounds the wire; this bounds middleware that never settles.
    return {
      send: (request, sendOptions) => guard.run('transport.send', () => composed.send(request, sendOptions), 2 * timeoutMs + userCodeTimeoutMs),
      close: () => composed.close?.(),
    }
  }

  const runSession = async (): Promise<void> => {
    const m = ms as ManagementServer
    const rpc = handler as CpeRpcHandler
    await refreshAddress()
    // Value changes reported before the session are in it.
    await changeWork
    const plan = core.beginSession(now())
    cr?.policy.sessionStarted()
    let result: CpeSessionResult
    const transport = transportFor()
    currentTransport = transport
    try {
      const inform = await informFor(plan, m, deviceId as DeviceIdStruct)
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
          const answer = await rpc(step.request)
          try {
            req = session.respond(answer)
          } catch (error) {
            report(error)
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
        report(error)
      }
      cr?.policy.sessionEnded()
    }
    core.sessionClosed(now())
    // What the ACS set on ManagementServer takes effect now that its session has ended.
    const staged = m.takeStaged()
    if (staged !== undefined) {
      try {
        await applyChange(staged, 'acs')
      } catch (error) {
        report(error)
      }
    }
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
        case 'reboot': {
          const onReboot = options.onReboot
          if (onReboot !== undefined) {
            try {
              await guard.run('onReboot', () => onReboot(action.commandKey))
            } catch (error) {
              report(error)
            }
          }
          if (!running) return
          core.rebooted(now())
          emit({ type: 'reboot', commandKey: action.commandKey })
          break
        }
        case 'factory-reset': {
          const onFactoryReset = options.onFactoryReset
          if (onFactoryReset !== undefined) {
            try {
              await guard.run('onFactoryReset', () => onFactoryReset())
            } catch (error) {
              report(error)
            }
          }
          if (!running) return
          core.rebooted(now())
          emit({ type: 'factory-reset' })
          break
        }
        default:
          await sleeper.sleep(action.delayMs)
      }
    }
  }

  /** Everything start() needs before the first session; the listener last. */
  const prepare = async (): Promise<void> => {
    let root: string = options.root ?? 'Device.'
    if (options.root === undefined) {
      try {
        const top = await model.getParameterNames('', true)
        root = rootObjectOf(top.map((p) => p.name.replace(/\.$/, ''))) || 'Device.'
      } catch (error) {
        report(error)
      }
    }
    const id = await readDeviceId(root)
    const m = new ManagementServer(root, ms?.state ?? msState)
    const hasObject = await modelHasObject(model, m.path).catch((error: unknown) => {
      report(error)
      return false
    })
    const managedModel = createManagedModel({
      model,
      managementServer: m,
      modelHasManagementServer: hasObject,
      settings: () => core.settings,
      connectionRequestUrl: () => crUrl,
      env,
    })
    const s = core.settings
    const address = wanAddressOf(s.wanInterface, os.networkInterfaces())
    if (address === null) throw new ConfigError('wanInterface', 'an interface with an IP address now', s.wanInterface)
    cr = newCrHandler(s)
    const plan = listenerPlanOf(s, address)
    const fresh = plan === undefined ? undefined : await bind(plan)
    deviceId = id
    ms = m
    managed = managedModel
    forcedNames = undefined
    handler = createCpeRpcHandler({
      model: managedModel,
      hooks,
      onFollowUp: (f) => core.followUp(f),
      onError: report,
    })
    wanBinding = address
    listener = fresh
    listenerPlan = plan
    await updateUrl(false)
  }

  const client: CpeClient = {
    async start() {
      if (running || options.enabled === false) return
      running = true
      guard.reset()
      try {
        await serial(prepare)
      } catch (error) {
        const stopped = !running
        running = false
        await swapListener(undefined, undefined)
        // stop() during start(): not an error of start().
        if (stopped) return
        throw error
      }
      if (!running) {
        // stop() was called while the port was being opened.
        await swapListener(undefined, undefined)
        return
      }
      const pending = [...beforeStart]
      beforeStart.clear()
      if (pending.length > 0) void recordChanges(pending)
      addressTimer = setInterval(() => void refreshAddress(), addressCheckIntervalMs)
      addressTimer.unref()
      core.boot(now())
      loop = runLoop()
    },
    async stop() {
      if (!running) {
        settleWaiters()
        return
      }
      running = false
      if (addressTimer !== undefined) clearInterval(addressTimer)
      addressTimer = undefined
      // First: from now on no Connection Request is answered.
      await swapListener(undefined, undefined)
      // Then every wait on user code is given up, and the session's connection is cut.
      guard.abort()
      try {
        await currentTransport?.close?.()
      } catch (error) {
        report(error)
      }
      sleeper.wake()
      if (loop !== undefined) {
        let timer: NodeJS.Timeout | undefined
        const ended = await Promise.race([
          loop.then(() => true),
          new Promise<false>((resolve) => {
            timer = setTimeout(() => resolve(false), userCodeTimeoutMs)
          }),
        ])
        clearTimeout(timer)
        if (!ended) report(new TimeoutError('stop', userCodeTimeoutMs))
      }
      loop = undefined
      settleWaiters()
    },
    get settings() {
      return core.settings
    },
    configure: (change) => applyChange(change, 'local'),
    valueChanged: (names) => recordChanges(names),
    get state() {
      return { agent: core.agent.toJSON(), managementServer: ms?.state ?? msState }
    },
    get connectionRequestUrl() {
      return listener === undefined ? undefined : crUrl
    },
    get inSession() {
      return core.inSession
    },
    agent: core.agent,
    addEvent(eventCode, commandKey) {
      core.addEvent(eventCode, commandKey)
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
