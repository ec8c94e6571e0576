/**
 * A fleet of simulated CPEs in one process, against any ACS. Each device is light: its number,
 * serial number, a {@link CpeAgent} (events, retry policy, periodic Informs) created when it
 * boots, and a model of its own only once the ACS changed something (see `device-model.ts`). What
 * devices share: one data-model definition and the model built from it, one HTTP keep-alive pool,
 * one Connection Request listener that routes by path and checks each device's Digest
 * credentials, one Digest server, one scheduler with one timer (`scheduler.ts`). A session is a
 * {@link CpeSession} driven over the shared transport, with its own cookie jar and authentication
 * state, at most `maxSessions` at once; the rest wait their turn in order.
 *
 * @module
 */
import { createDigestServer, type DigestServer } from '../auth/digest-server.js'
import { constantTimeEqualString, randomBytes } from '../auth/hash.js'
import type { IncomingConnectionRequest } from '../connreq/http.js'
import { createCpeRpcHandler, type CpeFollowUp } from '../cpe/rpc-handler.js'
import type { MemoryModelDefinition } from '../cpe/memory-definition.js'
import type { MemoryDataModel } from '../cpe/memory-model.js'
import { ConfigError, isCwmpError } from '../errors.js'
import { createCpeAgent, type CpeAgent } from '../session/cpe-agent.js'
import { createCpeSession, type CpeFailureReason, type CpeReceiveResult } from '../session/cpe-session.js'
import { withAuth } from '../transport/auth.js'
import { startConnectionRequestListener, type ConnectionRequestListener, type ConnectionRequestListenerDecision } from '../transport/connection-request-listener.js'
import { withCookies } from '../transport/cookies.js'
import { createHttpTransport, type HttpTransport } from '../transport/http-client.js'
import { composeTransport, type Transport, type TransportMiddleware } from '../transport/types.js'
import type { HttpRequest, HttpResponse } from '../types/http.js'
import type { DeviceIdStruct } from '../types/structs.js'
import { formatDateTime } from '../values/convert.js'
import { createSharedModel, DeviceModel, type DeviceValues, type SharedModel } from './device-model.js'
import { compilePattern, type NamePattern, type PatternFields } from './pattern.js'
import { createScheduler, type Scheduler } from './scheduler.js'
import { FleetStats, type FleetFailure, type FleetFailureKind, type FleetSummary } from './stats.js'

export type { FleetFailure, FleetFailureKind, FleetSummary } from './stats.js'

/**
 * Options of {@link createFleet}.
 *
 * @internal
 */
export interface FleetOptions {
  /** The ACS URL every device informs. */
  readonly acsUrl: string
  /** Number of devices (1 … 1,000,000). */
  readonly cpes: number
  /** The number `{n}` of the first device. Default 1. */
  readonly first?: number
  /** Serial-number pattern. Default `SIM{n:06}`. */
  readonly serial?: string
  /** ACS user-name pattern. Default `{cpe}` (TR-069 §3.4.4 `OUI-ProductClass-SerialNumber`). */
  readonly username?: string
  /** ACS password pattern; without it devices send no credentials. */
  readonly password?: string
  /** How to authenticate to the ACS: `digest` (default; Basic is refused) or `basic` (sent pre-emptively, over http too). */
  readonly auth?: 'digest' | 'basic'
  /** Connection Request user-name pattern. Default `{serial}`. */
  readonly crUsername?: string
  /** Connection Request password pattern. Default `cr-{serial}`. */
  readonly crPassword?: string
  /** Check Connection Requests with Digest (default true); false accepts a GET on the device's path. */
  readonly crAuth?: boolean
  /** Address the Connection Request listener binds. Default `127.0.0.1`. */
  readonly crHost?: string
  /** Port of the one listener (default 0: a free one), or the first port of a range with {@link FleetOptions.crPortRange}. */
  readonly crPort?: number
  /** One port per device, from `crPort` up (for an ACS that cannot tell devices apart by path). Default false. */
  readonly crPortRange?: boolean
  /** Host in the ConnectionRequestURLs. Default `crHost`, or `127.0.0.1` for a wildcard address. */
  readonly crUrlHost?: string
  /** The data model every device starts from. */
  readonly model: MemoryModelDefinition
  /** PeriodicInformInterval in seconds; 0 turns periodic Informs off. Default 300. */
  readonly periodicInterval?: number
  /** Each periodic Inform is sent up to this many seconds late, at random (default 0). */
  readonly jitter?: number
  /** Devices started per second (ramp-up). Default 100; `Infinity` starts all at once. */
  readonly rate?: number
  /** Sessions in progress at once, at most; the others wait in order. Default 1000. */
  readonly maxSessions?: number
  /** Timeout of each HTTP exchange with the ACS, ms. Default 30,000 (TR-069 §3.4.2). */
  readonly timeoutMs?: number
  /** `shared` (default): one keep-alive pool for every session; `session`: a connection of its own per session, closed at its end (TR-069 §3.4.2). */
  readonly connection?: 'shared' | 'session'
  /** The first Inform of each device carries `0 BOOTSTRAP` (default true) besides `1 BOOT`. */
  readonly bootstrap?: boolean
  /** Failures kept with their details in the summary (the rest are counted). Default 1000. */
  readonly maxFailures?: number
  /** Clock, ms since the epoch. Default `Date.now`. */
  readonly now?: () => number
  /** Uniform random numbers in [0, 1) (jitter, retry waits). Default `Math.random`. */
  readonly random?: () => number
  /** Told about errors in the fleet's own code (a data model that throws, a listener handler). */
  readonly onError?: (error: unknown) => void
}

/**
 * A running fleet.
 *
 * @internal
 */
export interface Fleet {
  /** Open the Connection Request listener(s) and start the ramp-up. */
  start(): Promise<void>
  /**
   * Stop: no new session starts, sessions in progress get `graceMs` to end, then are aborted
   * (counted as `aborted` failures); the listeners close.
   *
   * @param graceMs - default 5,000
   */
  stop(graceMs?: number): Promise<void>
  /** The counters so far. */
  summary(): FleetSummary
  /** Number of devices. */
  readonly size: number
  /**
   * A device's serial number.
   *
   * @param index - 0-based
   */
  serialOf(index: number): string
  /**
   * A device's ConnectionRequestURL (after {@link Fleet.start}).
   *
   * @param index - 0-based
   */
  connectionRequestUrl(index: number): string
  /**
   * A device's Connection Request credentials.
   *
   * @param index - 0-based
   */
  connectionRequestCredentials(index: number): { readonly username: string; readonly password: string }
  /**
   * A device's ACS credentials (`undefined` without a password pattern).
   *
   * @param index - 0-based
   */
  acsCredentials(index: number): { readonly username: string; readonly password: string } | undefined
  /** Devices that have their own model (the ACS changed something on them). */
  ownModels(): number
  /** A device's own model, if it has one (for tests). @param index - 0-based */
  ownModel(index: number): MemoryDataModel | undefined
}

/** What a device keeps. Everything else is computed from its index when needed. */
interface Device {
  readonly index: number
  readonly serial: string
  agent: CpeAgent | undefined
  own: MemoryDataModel | undefined
  inSession: boolean
  waiting: boolean
  abort: AbortController | undefined
}

const integer = (value: unknown, field: string, min: number, max: number, fallback: number): number => {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new ConfigError(field, `an integer from ${min} to ${max}`, value)
  }
  return value
}

const positive = (value: unknown, field: string, fallback: number, allowInfinity = false): number => {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !(value > 0) || (!allowInfinity && !Number.isFinite(value))) {
    throw new ConfigError(field, allowInfinity ? 'a number > 0 (or Infinity)' : 'a finite number > 0', value)
  }
  return value
}

const nonNegative = (value: unknown, field: string, fallback: number): number => {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !(value >= 0) || !Number.isFinite(value)) throw new ConfigError(field, 'a finite number ≥ 0', value)
  return value
}

/**
 * Create a fleet; nothing runs before {@link Fleet.start}.
 *
 * @param options - ACS, size, patterns, model, timing
 * @throws {@link ConfigError} naming the option for a bad value
 * @internal
 */
export function createFleet(options: FleetOptions): Fleet {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  let acsUrl: URL
  try {
    acsUrl = new URL(options.acsUrl)
  } catch {
    throw new ConfigError('acsUrl', 'an http(s) URL', options.acsUrl)
  }
  if (acsUrl.protocol !== 'http:' && acsUrl.protocol !== 'https:') throw new ConfigError('acsUrl', 'an http(s) URL', options.acsUrl)
  const size = integer(options.cpes, 'cpes', 1, 1_000_000, 1)
  const first = integer(options.first, 'first', 0, Number.MAX_SAFE_INTEGER - size, 1)
  const serialPattern = compilePattern(options.serial ?? 'SIM{n:06}', 'serial', false)
  if (size > 1 && !serialPattern.perDevice) throw new ConfigError('serial', 'a pattern with {n} or {i}, so that each device has its own serial number', options.serial)
  const usernamePattern = compilePattern(options.username ?? '{cpe}', 'username')
  const passwordPattern = options.password === undefined ? undefined : compilePattern(options.password, 'password')
  const auth = options.auth ?? 'digest'
  if (auth !== 'digest' && auth !== 'basic') throw new ConfigError('auth', '"digest" or "basic"', auth)
  const crUserPattern = compilePattern(options.crUsername ?? '{serial}', 'crUsername')
  const crPassPattern = compilePattern(options.crPassword ?? 'cr-{serial}', 'crPassword')
  const crAuth = options.crAuth !== false
  const crHost = options.crHost ?? '127.0.0.1'
  const crPortRange = options.crPortRange === true
  const crPort = integer(options.crPort, 'crPort', crPortRange ? 1 : 0, crPortRange ? 65_535 - (size - 1) : 65_535, 0)
  const periodicInterval = nonNegative(options.periodicInterval, 'periodicInterval', 300)
  const jitterMs = nonNegative(options.jitter, 'jitter', 0) * 1000
  const rate = positive(options.rate, 'rate', 100, true)
  const maxSessions = integer(options.maxSessions, 'maxSessions', 1, 1_000_000, 1000)
  const timeoutMs = integer(options.timeoutMs, 'timeoutMs', 1, 600_000, 30_000)
  const connection = options.connection ?? 'shared'
  if (connection !== 'shared' && connection !== 'session') throw new ConfigError('connection', '"shared" or "session"', connection)
  const maxFailures = integer(options.maxFailures, 'maxFailures', 0, 10_000_000, 1000)
  const now = options.now ?? Date.now
  const random = options.random ?? Math.random
  const onError = options.onError
  if (typeof options.model !== 'object' || options.model === null) throw new ConfigError('model', 'a data-model definition', options.model)

  const root = probeRoot(options.model)
  const SERIAL = `${root}DeviceInfo.SerialNumber`
  const CR_URL = `${root}ManagementServer.ConnectionRequestURL`
  const CR_USER = `${root}ManagementServer.ConnectionRequestUsername`
  const CR_PASS = `${root}ManagementServer.ConnectionRequestPassword`
  const INTERVAL = `${root}ManagementServer.PeriodicInformInterval`
  const ENABLE = `${root}ManagementServer.PeriodicInformEnable`
  let shared: SharedModel
  try {
    shared = createSharedModel(withPeriodic(options.model, INTERVAL, ENABLE, periodicInterval), [SERIAL, CR_URL, CR_USER, CR_PASS])
  } catch (error) {
    throw new ConfigError('model', `a data-model definition (${error instanceof Error ? error.message : String(error)})`, undefined, { cause: error })
  }
  const baseId: DeviceIdStruct = shared.deviceId
  const fieldsOf = (index: number, serial?: string): PatternFields => ({
    n: first + index,
    i: index,
    oui: baseId.oui,
    productClass: baseId.productClass ?? '',
    ...(serial === undefined ? {} : { serial }),
  })

  const stats = new FleetStats(maxFailures)
  const devices: Device[] = new Array<Device>(size)
  const byPath = new Map<string, number>()
  const serials = new Set<string>()
  for (let index = 0; index < size; index++) {
    const serial = serialPattern.format(fieldsOf(index))
    if (serials.has(serial)) throw new ConfigError('serial', 'a pattern giving each device its own serial number', options.serial)
    serials.add(serial)
    devices[index] = { index, serial, agent: undefined, own: undefined, inSession: false, waiting: false, abort: undefined }
  }
  serials.clear()
  const pathOf = (index: number): string => `/cr/${encodeURIComponent((devices[index] as Device).serial)}`
  for (let index = 0; index < size; index++) byPath.set(pathOf(index), index)

  const fmt = (pattern: NamePattern, index: number): string => pattern.format(fieldsOf(index, (devices[index] as Device).serial))
  const crCredentials = (dev: Device): { username: string; password: string } => {
    // What the ACS set wins over the pattern (a device keeps its ConnectionRequestUsername/Password).
    const own = dev.own
    const username = own?.get(CR_USER) ?? fmt(crUserPattern, dev.index)
    const password = own?.get(CR_PASS) ?? fmt(crPassPattern, dev.index)
    return { username, password }
  }

  let listeners: ConnectionRequestListener[] = []
  let crBase = ''
  const crUrlOf = (index: number): string =>
    crPortRange ? `${crBase}:${crPort + index}${pathOf(index)}` : `${crBase}${pathOf(index)}`

  const valuesOf = (dev: Device): DeviceValues => {
    const cr = crCredentials(dev)
    return new Map([
      [SERIAL, dev.serial],
      [CR_URL, crUrlOf(dev.index)],
      [CR_USER, cr.username],
      [CR_PASS, cr.password],
    ])
  }

  // ----- transport

  const counting: TransportMiddleware = (next) => ({
    send(request, sendOptions) {
      stats.httpRequests++
      return next.send(request, sendOptions)
    },
  })
  const sharedHttp = connection === 'shared' ? createHttpTransport({ timeoutMs, keepAlive: true }) : undefined

  const transportFor = (dev: Device): { readonly transport: Transport; readonly http: HttpTransport } => {
    const http = sharedHttp ?? createHttpTransport({ timeoutMs, keepAlive: true })
    const cookies = withCookies()
    if (passwordPattern === undefined) return { transport: composeTransport(http, cookies, counting), http }
    const authenticate = withAuth({
      username: fmt(usernamePattern, dev.index),
      password: fmt(passwordPattern, dev.index),
      basic: auth === 'basic' ? 'preemptive' : 'never',
    })
    return { transport: composeTransport(http, authenticate, cookies, counting), http }
  }

  // ----- scheduling

  let startedAt = 0
  let started = 0
  let inProgress = 0
  let stopping = false
  let ids = 0
  const waiting: number[] = []
  let waitingHead = 0
  const idle = new Set<() => void>()

  const schedule: Scheduler = createScheduler({
    size,
    now,
    fire: (index, t) => {
      const dev = devices[index] as Device
      if (dev.agent === undefined) boot(dev, t)
      else poll(dev, t)
    },
  })

  const newAgent = (): CpeAgent =>
    createCpeAgent({
      random,
      periodic: { enabled: periodicInterval > 0, interval: periodicInterval > 0 ? periodicInterval : 1 },
    })

  const boot = (dev: Device, t: number): void => {
    if (stopping) return
    dev.agent = newAgent()
    dev.agent.boot(t, { bootstrap: options.bootstrap !== false })
    started++
    poll(dev, t)
  }

  const poll = (dev: Device, t: number): void => {
    const agent = dev.agent
    if (stopping || agent === undefined || dev.inSession || dev.waiting) return
    for (let guard = 0; guard < 4; guard++) {
      const action = agent.poll(t)
      switch (action.type) {
        case 'session':
          begin(dev)
          return
        case 'reboot':
          agent.boot(t, { rebootCommandKey: action.commandKey })
          continue
        case 'factory-reset':
          dev.own = undefined
          dev.agent = newAgent()
          dev.agent.boot(t, { bootstrap: true })
          return poll(dev, t)
        case 'idle': {
          const at = action.wakeAt
          if (at === undefined) return
          // A periodic Inform goes out up to `jitter` late; the schedule itself keeps its phase.
          const late = jitterMs > 0 && at === agent.toJSON().periodic?.next ? random() * jitterMs : 0
          schedule.wake(dev.index, at + late)
          return
        }
      }
    }
  }

  const begin = (dev: Device): void => {
    if (inProgress >= maxSessions) {
      dev.waiting = true
      waiting.push(dev.index)
      return
    }
    void runSession(dev)
  }

  const next = (): void => {
    while (!stopping && inProgress < maxSessions && waitingHead < waiting.length) {
      const dev = devices[waiting[waitingHead++] as number] as Device
      if (waitingHead > 4096 && waitingHead * 2 > waiting.length) {
        waiting.splice(0, waitingHead)
        waitingHead = 0
      }
      dev.waiting = false
      void runSession(dev)
    }
    if (inProgress === 0) for (const f of idle) f()
  }

  // ----- one session

  const seconds = (): number => Math.round((now() - startedAt) / 10) / 100

  const runSession = async (dev: Device): Promise<void> => {
    const agent = dev.agent as CpeAgent
    dev.inSession = true
    inProgress++
    const t0 = performance.now()
    const abort = new AbortController()
    dev.abort = abort
    const startInfo = agent.beginSession(now())
    const view = new DeviceModel(shared, () => valuesOf(dev), dev.own)
    const follow: CpeFollowUp[] = []
    const handler = createCpeRpcHandler({
      model: view,
      hooks: {
        reboot: (commandKey) => agent.requestReboot(commandKey),
        factoryReset: () => agent.requestFactoryReset(),
        scheduleInform: (delaySeconds, commandKey) => agent.scheduleInform(now(), delaySeconds, commandKey),
        download: () => ({ status: 1 }),
        upload: () => ({ status: 1 }),
      },
      onFollowUp: (f) => follow.push(f),
      ...(onError === undefined ? {} : { onError: (e) => onError(e) }),
    })
    const { transport, http } = transportFor(dev)
    let lastStatus: number | undefined
    let result: CpeReceiveResult | undefined
    let timedOut = false
    try {
      const session = createCpeSession({
        url: options.acsUrl,
        inform: {
          method: 'Inform',
          deviceId: { ...baseId, serialNumber: dev.serial },
          event: startInfo.events,
          maxEnvelopes: 1,
          currentTime: formatDateTime(new Date(now())),
          retryCount: startInfo.retryCount,
          parameterList: view.informParameters(),
        },
        requests: startInfo.requests,
        ...(startInfo.informVersion === undefined ? {} : { informVersion: startInfo.informVersion }),
        newId: () => `fleet-${(ids++).toString(36)}`,
      })
      let request: HttpRequest | undefined = session.start()
      while (request !== undefined) {
        if (stopping && abort.signal.aborted) {
          result = session.fail('aborted', 'the fleet stopped')
          break
        }
        let response: HttpResponse
        try {
          response = await transport.send(request, { signal: abort.signal })
        } catch (error) {
          timedOut = isCwmpError(error) && error.code === 'ERR_CWMP_TRANSPORT_TIMEOUT'
          result = session.fail(abort.signal.aborted ? 'aborted' : 'transport', error instanceof Error ? error.message : String(error))
          break
        }
        lastStatus = response.status
        const r = session.receive(response)
        agent.sessionStep(r.step)
        const step = r.step
        if (step.type === 'request') {
          const answer = await handler(step.request)
          stats.answered(step.request.method, answer.method === 'Fault' ? answer.faultCode : undefined)
          try {
            request = session.respond(answer)
          } catch (error) {
            result = session.fail('protocol', `cannot answer ${step.request.method}: ${error instanceof Error ? error.message : String(error)}`)
            break
          }
          continue
        }
        if (step.type === 'invalid-request') stats.answered('(unreadable)', step.fault.faultCode)
        if (step.type === 'end' || step.type === 'failed') {
          result = r
          break
        }
        request = r.send
      }
    } catch (error) {
      onError?.(error)
      result = { step: { type: 'failed', reason: 'protocol', message: error instanceof Error ? error.message : String(error) } }
    } finally {
      if (sharedHttp === undefined) http.close()
    }
    const ms = performance.now() - t0
    const step = result?.step
    if (step?.type === 'end') {
      stats.sessionOk(ms)
      agent.endSession(now(), { ok: true })
    } else {
      const reason: CpeFailureReason = step?.type === 'failed' ? step.reason : 'protocol'
      const fault = step?.type === 'failed' ? step.fault : undefined
      const failure: FleetFailure = {
        device: dev.serial,
        kind: kindOf(reason, timedOut),
        reason: timedOut ? 'timeout' : reason,
        ...(lastStatus === undefined || reason === 'transport' || reason === 'aborted' ? {} : { status: lastStatus }),
        ...(fault === undefined ? {} : { fault: { code: fault.faultCode, string: fault.faultString ?? '' } }),
        message: step?.type === 'failed' ? step.message : 'the session ended without an answer',
        at: seconds(),
      }
      stats.sessionFailed(failure)
      agent.endSession(now(), { ok: false, reason, informRejected: reason === 'inform-fault' })
    }
    // The ACS changed things: keep the model; a new periodic interval reschedules.
    if (view.own !== undefined && dev.own === undefined) dev.own = view.own
    if (dev.own !== undefined) reconfigure(dev)
    for (const f of follow) {
      if (f.kind === 'transfer-pending' && f.eventCode !== 'M ScheduleDownload') {
        const t = formatDateTime(new Date(now()))
        agent.transferComplete(
          { method: 'TransferComplete', commandKey: f.commandKey, faultStruct: { faultCode: 0, faultString: '' }, startTime: t, completeTime: t },
          f.eventCode === 'M Download' ? 'Download' : 'Upload',
        )
      }
    }
    dev.inSession = false
    dev.abort = undefined
    inProgress--
    poll(dev, now())
    next()
  }

  const reconfigure = (dev: Device): void => {
    const own = dev.own as MemoryDataModel
    const interval = Number(own.get(INTERVAL))
    const enable = own.get(ENABLE)
    if (!Number.isFinite(interval) || interval <= 0) return
    ;(dev.agent as CpeAgent).configure(now(), {
      periodic: { enabled: enable === undefined ? periodicInterval > 0 : enable === '1' || enable === 'true', interval },
    })
  }

  // ----- Connection Requests

  const digest: DigestServer | undefined = crAuth ? makeDigest() : undefined
  let routed: { username: string; password: string } | undefined
  function makeDigest(): DigestServer {
    return createDigestServer({
      realm: 'cwmp',
      secret: randomBytes(32),
      algorithms: ['MD5'],
      qop: ['auth'],
      nonceLifetimeMs: 60_000,
      lookup: ({ username, userhash }) =>
        routed !== undefined && !userhash && constantTimeEqualString(username, routed.username) ? { password: routed.password } : undefined,
    })
  }

  interface CrDecision extends ConnectionRequestListenerDecision {
    readonly device?: Device
  }
  const EMPTY = { 'content-length': '0' }
  const handleCr = (request: IncomingConnectionRequest, t: number): CrDecision => {
    stats.crReceived++
    const q = request.url.indexOf('?')
    const index = byPath.get(q < 0 ? request.url : request.url.slice(0, q))
    const dev = index === undefined ? undefined : devices[index]
    if (dev === undefined || dev.agent === undefined || stopping) {
      stats.crNotFound++
      return { response: { status: 404, headers: EMPTY } }
    }
    if (request.method !== 'GET') return { response: { status: 405, headers: { ...EMPTY, allow: 'GET' } } }
    if (digest !== undefined) {
      routed = crCredentials(dev)
      const authorization = request.headers['authorization']
      const host = request.headers['host']
      const verified = digest.verify({
        method: request.method,
        uri: request.url,
        authorization,
        ...(typeof host === 'string' ? { host } : {}),
        now: t,
      })
      routed = undefined
      if (!verified.ok) {
        if (authorization === undefined) stats.crChallenged++
        else stats.crRefused++
        return { response: { status: 401, headers: { ...EMPTY, 'www-authenticate': verified.challenge } } }
      }
    }
    stats.crAnswered++
    return { response: { status: 200, headers: EMPTY }, startSession: true, device: dev }
  }
  const onCrDecision = (decision: CrDecision): void => {
    const dev = decision.device
    if (decision.startSession !== true || dev?.agent === undefined || stopping) return
    // In a session: exactly one session follows it (§3.2.2.1); otherwise one starts now.
    if (dev.agent.connectionRequest() === 'now') poll(dev, now())
  }

  // ----- the fleet

  return {
    size,
    async start() {
      if (startedAt !== 0) throw new ConfigError('start', 'called once')
      startedAt = now()
      const urlHost = options.crUrlHost ?? (crHost === '0.0.0.0' || crHost === '::' || crHost === '' ? '127.0.0.1' : crHost)
      crBase = `http://${urlHost.includes(':') && !urlHost.startsWith('[') ? `[${urlHost}]` : urlHost}`
      const listen = (port: number): Promise<ConnectionRequestListener> =>
        startConnectionRequestListener<CrDecision>({
          port,
          host: crHost,
          handler: handleCr,
          onDecision: onCrDecision,
          now,
          limits: { maxConnections: crPortRange ? 8 : Math.min(4096, Math.max(64, size)) },
          ...(onError === undefined ? {} : { onError }),
        })
      if (crPortRange) {
        for (let k = 0; k < size; k++) listeners.push(await listen(crPort + k))
      } else {
        const one = await listen(crPort)
        listeners = [one]
        crBase = `${crBase}:${one.port}`
      }
      const step = Number.isFinite(rate) ? 1000 / rate : 0
      for (let index = 0; index < size; index++) schedule.wake(index, startedAt + Math.floor(index * step))
    },
    async stop(graceMs = 5000) {
      if (stopping) return
      stopping = true
      schedule.stop()
      for (let k = waitingHead; k < waiting.length; k++) (devices[waiting[k] as number] as Device).waiting = false
      waiting.length = 0
      waitingHead = 0
      if (inProgress > 0) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(timer)
            idle.delete(done)
            resolve()
          }
          const timer = setTimeout(() => {
            for (const dev of devices) dev.abort?.abort()
          }, graceMs)
          idle.add(done)
        })
      }
      sharedHttp?.close()
      await Promise.all(listeners.map((l) => l.close()))
    },
    summary(): FleetSummary {
      const elapsed = startedAt === 0 ? 0 : (now() - startedAt) / 1000
      const l = stats.latency
      const r3 = (x: number): number => Math.round(x * 1000) / 1000
      return {
        acs: options.acsUrl,
        cpes: size,
        started,
        elapsed: Math.round(elapsed * 100) / 100,
        sessions: {
          ok: stats.ok,
          failed: stats.failed,
          inProgress,
          waiting: waiting.length - waitingHead,
          perSecond: elapsed > 0 ? Math.round(((stats.ok + stats.failed) / elapsed) * 10) / 10 : 0,
        },
        latencyMs: { p50: r3(l.quantile(0.5)), p90: r3(l.quantile(0.9)), p99: r3(l.quantile(0.99)), max: r3(l.max), mean: r3(l.mean) },
        httpRequests: stats.httpRequests,
        acsRequests: Object.fromEntries(stats.acsRequests),
        cpeFaults: Object.fromEntries(stats.cpeFaults),
        connectionRequests: {
          received: stats.crReceived,
          answered: stats.crAnswered,
          challenged: stats.crChallenged,
          refused: stats.crRefused,
          notFound: stats.crNotFound,
        },
        failures: {
          byKind: Object.fromEntries(stats.byKind),
          byReason: Object.fromEntries(stats.byReason),
          list: [...stats.failures],
          dropped: stats.dropped,
        },
      }
    },
    serialOf: (index) => (devices[index] as Device).serial,
    connectionRequestUrl: (index) => crUrlOf(index),
    connectionRequestCredentials: (index) => crCredentials(devices[index] as Device),
    acsCredentials: (index) =>
      passwordPattern === undefined ? undefined : { username: fmt(usernamePattern, index), password: fmt(passwordPattern, index) },
    ownModels: () => devices.reduce((k, d) => k + (d.own === undefined ? 0 : 1), 0),
    ownModel: (index) => (devices[index] as Device).own,
  }
}

function kindOf(reason: CpeFailureReason, timedOut: boolean): FleetFailureKind {
  if (timedOut) return 'timeout'
  switch (reason) {
    case 'http-status':
    case 'unauthorized':
    case 'inform-fault':
    case 'transport':
    case 'aborted':
      return reason
    default:
      return 'protocol'
  }
}

/** `InternetGatewayDevice.` when the definition has it, else `Device.`. */
function probeRoot(definition: MemoryModelDefinition): string {
  const names = Object.keys(typeof definition.parameters === 'object' && definition.parameters !== null ? definition.parameters : {})
  return names.some((n) => n.startsWith('InternetGatewayDevice.')) ? 'InternetGatewayDevice.' : 'Device.'
}

/** The definition with the fleet's PeriodicInformInterval and Enable, where the model has them. */
function withPeriodic(definition: MemoryModelDefinition, interval: string, enable: string, seconds: number): MemoryModelDefinition {
  const parameters = { ...definition.parameters }
  const set = (name: string, value: string | number | boolean): void => {
    const raw = parameters[name]
    if (raw === undefined) return
    parameters[name] = typeof raw === 'object' && raw !== null ? { ...raw, value } : typeof raw === 'boolean' ? Boolean(value) : value
  }
  if (seconds > 0) set(interval, seconds)
  set(enable, seconds > 0)
  return { ...definition, parameters }
}
