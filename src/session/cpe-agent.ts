/**
 * What a CPE keeps between sessions, sans I/O: pending events and CPE requests, the retry policy
 * with its two counters, periodic and scheduled Informs, heartbeats, connection requests that
 * arrive during a session, and reboots or factory resets requested by the ACS. Time is passed in;
 * randomness is injected. The state is plain JSON so firmware can persist it across reboots.
 *
 * @module
 */
import { ConfigError } from '../errors.js'
import type {
  AutonomousDUStateChangeComplete,
  AutonomousTransferComplete,
  CpeRequest,
  DUStateChangeComplete,
  Kicked,
  RequestDownload,
  TransferComplete,
} from '../types/messages.js'
import { EVENT_CODES, eventRule, requestEventCode, responseMethodOf } from '../types/catalogue.js'
import type { EventStruct } from '../types/structs.js'
import type { CwmpVersion } from '../types/version.js'
import type { CpeFailureReason, CpeSessionStep } from './cpe-session.js'
import {
  addPendingEvent,
  deliverEvents,
  eventsAfterFailure,
  eventsAfterReboot,
  selectInformEvents,
  type PendingEvent,
} from './inform-events.js'
import { nextPeriodicInform, periodicReference, retryWait, type RetryParameters } from './schedule.js'

/**
 * Periodic Inform settings (`ManagementServer.PeriodicInform*`).
 *
 * @category Sessions
 */
export interface PeriodicSettings {
  /** PeriodicInformEnable. */
  readonly enabled: boolean
  /** PeriodicInformInterval, seconds. */
  readonly interval: number
  /** PeriodicInformTime (lexical dateTime); the Unknown Time or absent lets the CPE pick the phase. */
  readonly time?: string
}

/**
 * Heartbeat settings (`ManagementServer.HeartbeatPolicy.*`, TR-069 Annex O).
 *
 * @category Sessions
 */
export interface HeartbeatSettings {
  /** Enable. */
  readonly enabled: boolean
  /** ReportingInterval, seconds (≥ 30). */
  readonly interval: number
  /** InitiationTime; with the Unknown Time the CPE picks a random phase. */
  readonly initiationTime?: string
}

/**
 * Options of {@link createCpeAgent}.
 *
 * @category Sessions
 */
export interface CpeAgentOptions {
  /** Retry wait parameters (defaults m = 5, k = 2000). */
  readonly retry?: RetryParameters
  /** Periodic Informs. */
  readonly periodic?: PeriodicSettings
  /** Heartbeat Informs. */
  readonly heartbeat?: HeartbeatSettings
  /** Uniform random numbers in [0, 1) for retry waits and heartbeat phase (default Math.random). */
  readonly random?: () => number
  /**
   * After an Inform the ACS rejected (a fault other than 8005, or an HTTP error), retry with CWMP 1.0
   * (§3.2.1.1: the CPE MUST revert to 1.0 if it suspects the ACS supports only 1.0). Default true.
   */
  readonly versionFallback?: boolean
}

/**
 * A CPE request waiting to be sent, with the events that announce it.
 *
 * @category Sessions
 */
export interface PendingRequest {
  /** The request. */
  readonly request: CpeRequest
  /** Its CommandKey (for the M event it delivers), or ''. */
  readonly commandKey: string
}

/**
 * The agent's state: plain JSON, safe to persist across reboots.
 *
 * @category Sessions
 */
export interface CpeAgentState {
  /** Events not yet delivered, oldest first. */
  readonly events: readonly PendingEvent[]
  /** CPE requests not yet delivered. */
  readonly requests: readonly PendingRequest[]
  /** RetryCount for the next Inform: prior failed attempts; 0 after a successful session. */
  readonly retryCount: number
  /** The post-reboot retry number (resets on reboot and on success). */
  readonly retryIndex: number
  /** When the next retry is due (ms), while retrying. */
  readonly retryAt: number | undefined
  /** A new event arrived while waiting to retry: retry now. */
  readonly retryNow: boolean
  /** Periodic Inform phase reference (ms) and the next due time. */
  readonly periodic:
    | {
        /** The phase reference (ms since the epoch): informs fall on it plus or minus whole intervals. */
        readonly reference: number
        /** When the next periodic Inform is due (ms). */
        readonly next: number
      }
    | undefined
  /** Heartbeat phase reference (ms) and the next due time. */
  readonly heartbeat:
    | {
        /** The phase reference (ms since the epoch): heartbeats fall on it plus or minus whole intervals. */
        readonly reference: number
        /** When the next heartbeat is due (ms). */
        readonly next: number
      }
    | undefined
  /** ScheduleInform requests not yet due. */
  readonly scheduled: readonly {
    /** When the Inform is due (ms). */
    readonly at: number
    /** The ScheduleInform's CommandKey, for its `M ScheduleInform` event. */
    readonly commandKey: string
  }[]
  /** A session is in progress. */
  readonly inSession: boolean
  /**
   * The session in progress is a HEARTBEAT session; between sessions, the failed session being
   * retried was one (its HEARTBEAT goes alone in the immediately following session).
   */
  readonly heartbeatSession: boolean
  /** The events the current session's Inform carried. */
  readonly sentEvents: readonly PendingEvent[]
  /** A Connection Request arrived during the session: exactly one new session follows it. */
  readonly connectionRequestPending: boolean
  /** Reboot requested by the ACS (its CommandKey), done once the session ends. */
  readonly reboot:
    | {
        /** The Reboot's CommandKey, for the `M Reboot` event after the reboot. */
        readonly commandKey: string
      }
    | undefined
  /** FactoryReset requested by the ACS, done once the session ends. */
  readonly factoryReset: boolean
  /** The Inform version to use after a fallback, if any. */
  readonly informVersion: CwmpVersion | undefined
}

/**
 * What {@link CpeAgent.poll} asks the caller to do.
 *
 * @category Sessions
 */
export type CpeAgentAction =
  /** Open a session now: call {@link CpeAgent.beginSession}. */
  | {
      /** Discriminant. */
      readonly type: 'session'
    }
  /** Reboot now (requested by the ACS); then call {@link CpeAgent.boot}. */
  | {
      /** Discriminant. */
      readonly type: 'reboot'
      /** The Reboot's CommandKey. */
      readonly commandKey: string
    }
  /** Reset to factory defaults now; then call {@link CpeAgent.boot} with `bootstrap: true`. */
  | {
      /** Discriminant. */
      readonly type: 'factory-reset'
    }
  /** Nothing to do; poll again at `wakeAt` (ms) or when something happens. */
  | {
      /** Discriminant. */
      readonly type: 'idle'
      /** When to poll again (ms), or `undefined` to wait for the next call that changes something. */
      readonly wakeAt: number | undefined
    }

/**
 * What a session opens with.
 *
 * @category Sessions
 */
export interface SessionStart {
  /** The Inform's Event array. */
  readonly events: readonly EventStruct[]
  /** The Inform's RetryCount. */
  readonly retryCount: number
  /** CPE requests for the session. */
  readonly requests: readonly CpeRequest[]
  /** A HEARTBEAT session: the Inform carries only forced parameters (Annex O). */
  readonly heartbeat: boolean
  /** A version to use for the Inform instead of the highest supported (fallback). */
  readonly informVersion?: CwmpVersion
}

const HEARTBEAT = EVENT_CODES.HEARTBEAT

/**
 * The CPE's memory between sessions. Tell it what happens (boot, events, connection requests,
 * transfers done, session events), ask it what to do ({@link CpeAgent.poll}).
 *
 * @category Sessions
 */
export class CpeAgent {
  #s: CpeAgentState
  readonly #options: CpeAgentOptions
  readonly #random: () => number
  #retry: RetryParameters | undefined
  #periodic: PeriodicSettings | undefined
  #heartbeat: HeartbeatSettings | undefined

  /**
   * @param options - retry, periodic and heartbeat settings
   * @param state - a state saved with {@link CpeAgent.toJSON}, or none for a new device
   */
  constructor(options: CpeAgentOptions = {}, state?: CpeAgentState) {
    this.#options = options
    this.#random = options.random ?? Math.random
    this.#retry = options.retry
    this.#periodic = options.periodic
    this.#heartbeat = options.heartbeat
    this.#s = state ?? {
      events: [],
      requests: [],
      retryCount: 0,
      retryIndex: 0,
      retryAt: undefined,
      retryNow: false,
      periodic: undefined,
      heartbeat: undefined,
      scheduled: [],
      inSession: false,
      heartbeatSession: false,
      sentEvents: [],
      connectionRequestPending: false,
      reboot: undefined,
      factoryReset: false,
      informVersion: undefined,
    }
  }

  /** The state (plain JSON). */
  toJSON(): CpeAgentState {
    return this.#s
  }

  /** Pending events, oldest first. */
  get events(): readonly PendingEvent[] {
    return this.#s.events
  }

  /** The RetryCount the next Inform will carry. */
  get retryCount(): number {
    return this.#s.retryCount
  }

  /** True while a session is in progress. */
  get inSession(): boolean {
    return this.#s.inSession
  }

  /**
   * The device powered up (or rebooted). Discards events retried only "until reboot", resets the
   * retry wait index (not RetryCount), and adds `1 BOOT`; with `bootstrap` (first contact, factory
   * reset, new ACS URL) also `0 BOOTSTRAP`, which discards every other undelivered event.
   *
   * A Reboot the ACS asked for and not yet reported counts as done by this boot (the device went
   * down, whether for it or not; its state was saved before): `M Reboot` with its CommandKey, even
   * without the option. A FactoryReset still pending stays pending ({@link CpeAgent.poll} hands it
   * out again): a reboot does not reset the device; the boot after the reset has `bootstrap`.
   *
   * @param now - current time, ms since the epoch
   * @param options - bootstrap; the CommandKey of a Reboot RPC for `M Reboot`
   */
  boot(now: number, options: { readonly bootstrap?: boolean; readonly rebootCommandKey?: string } = {}): void {
    const bootstrap = options.bootstrap === true
    const rebootCommandKey = options.rebootCommandKey ?? this.#s.reboot?.commandKey
    let events = eventsAfterReboot(this.#s.events)
    let requests = this.#s.requests.filter((r) => r.request.method !== 'Kicked' && r.request.method !== 'RequestDownload')
    if (bootstrap) {
      events = addPendingEvent(events, { eventCode: EVENT_CODES.BOOTSTRAP, commandKey: '' })
      requests = []
    }
    events = addPendingEvent(events, { eventCode: EVENT_CODES.BOOT, commandKey: '' })
    if (rebootCommandKey !== undefined && !bootstrap) {
      events = addPendingEvent(events, { eventCode: 'M Reboot', commandKey: rebootCommandKey })
    }
    this.#s = {
      ...this.#s,
      events,
      requests,
      retryIndex: 0,
      retryNow: this.#s.retryAt !== undefined,
      inSession: false,
      heartbeatSession: false,
      sentEvents: [],
      reboot: undefined,
      factoryReset: bootstrap ? false : this.#s.factoryReset,
      informVersion: bootstrap ? undefined : this.#s.informVersion,
      connectionRequestPending: false,
    }
    // The schedules go on from the phase they had (the moment periodic Informs were enabled).
    this.#s = {
      ...this.#s,
      periodic: this.#periodicSchedule(now, this.#s.periodic?.reference ?? now),
      heartbeat: this.#heartbeatSchedule(now, this.#s.heartbeat?.reference),
    }
  }

  /**
   * Change periodic, heartbeat or retry settings (e.g. after the ACS set PeriodicInformInterval).
   * Only a real change reschedules: periodic or heartbeat settings equal to the current ones leave
   * the schedule as it is. A changed schedule starts from `now` (with the Unknown Time the phase is
   * `now`; with a PeriodicInformTime, that time), and an Inform the old schedule had already made
   * due is kept (`2 PERIODIC` or `14 HEARTBEAT` is raised for it), never skipped. New retry values
   * apply to the next retry wait and reschedule nothing.
   *
   * @param now - current time, ms
   * @param settings - new settings; omitted ones are kept
   */
  configure(
    now: number,
    settings: {
      readonly periodic?: PeriodicSettings
      readonly heartbeat?: HeartbeatSettings
      readonly retry?: RetryParameters
    },
  ): void {
    // The ACS may change CWMPRetryMinimumWaitInterval / CWMPRetryIntervalMultiplier at any time.
    if (settings.retry !== undefined) this.#retry = settings.retry
    if (settings.periodic !== undefined && !samePeriodic(settings.periodic, this.#periodic)) {
      if (this.#s.periodic !== undefined && now >= this.#s.periodic.next) this.addEvent('2 PERIODIC')
      this.#periodic = settings.periodic
      this.#s = { ...this.#s, periodic: this.#periodicSchedule(now, now) }
    }
    if (settings.heartbeat !== undefined && !sameHeartbeat(settings.heartbeat, this.#heartbeat)) {
      if (this.#s.heartbeat !== undefined && now >= this.#s.heartbeat.next) this.addEvent(HEARTBEAT)
      this.#heartbeat = settings.heartbeat
      this.#s = { ...this.#s, heartbeat: this.#heartbeatSchedule(now, this.#s.heartbeat?.reference) }
    }
  }

  /** The periodic schedule from `now`; with the Unknown Time, phased on `reference`. */
  #periodicSchedule(now: number, reference: number): CpeAgentState['periodic'] {
    const periodic = this.#periodic
    if (periodic?.enabled !== true || !(periodic.interval > 0)) return undefined
    // Unknown Time: the CPE picks the phase.
    const ref = periodicReference(periodic.time) ?? reference
    return { reference: ref, next: nextPeriodicInform(now, periodic.interval, ref) }
  }

  /** The heartbeat schedule from `now`; with the Unknown Time, phased on `reference` or a random one. */
  #heartbeatSchedule(now: number, reference: number | undefined): CpeAgentState['heartbeat'] {
    const heartbeat = this.#heartbeat
    if (heartbeat?.enabled !== true || !(heartbeat.interval > 0)) return undefined
    // Unknown Time: the CPE MUST pick a random phase (Annex O / TR-181 HeartbeatPolicy).
    const ref =
      periodicReference(heartbeat.initiationTime) ?? reference ?? now - Math.floor(this.#random() * heartbeat.interval * 1000)
    return { reference: ref, next: nextPeriodicInform(now, heartbeat.interval, ref) }
  }

  /**
   * Record a new event. A Single code already pending is not repeated; BOOTSTRAP discards the others.
   *
   * @param eventCode - e.g. `4 VALUE CHANGE`, `8 DIAGNOSTICS COMPLETE`, `X 00D09E Custom`
   * @param commandKey - the CommandKey of an M event
   */
  addEvent(eventCode: string, commandKey = ''): void {
    const events = addPendingEvent(this.#s.events, { eventCode, commandKey })
    // A single code that occurs again while the Inform of this session carries it: the InformResponse
    // delivers the earlier occurrence only, so the pending entry stays for the new one (every event is
    // delivered at least once, §3.7.1.5). Not HEARTBEAT: a new one during its session is discarded (O.2.2).
    const sentEvents =
      this.#s.inSession && eventCode !== HEARTBEAT && eventRule(eventCode).cumulative === 'single'
        ? this.#s.sentEvents.filter((e) => e.eventCode !== eventCode)
        : this.#s.sentEvents
    // BOOTSTRAP (e.g. a new ACS URL) discards every undelivered event, so the requests they announce
    // go too, and the CWMP 1.0 fallback is cleared: as `boot({ bootstrap: true })` does.
    const bootstrap = eventCode === EVENT_CODES.BOOTSTRAP ? { requests: [], informVersion: undefined } : {}
    this.#s = { ...this.#s, ...bootstrap, events, sentEvents, retryNow: this.#s.retryAt !== undefined || this.#s.retryNow }
  }

  /**
   * A Connection Request was accepted. Outside a session the next poll opens one with
   * `6 CONNECTION REQUEST`; during a session exactly one new session follows it (§3.2.2.1).
   *
   * @returns `now` when a session should start at once, `after-session` when it is deferred
   */
  connectionRequest(): 'now' | 'after-session' {
    if (this.#s.inSession) {
      this.#s = { ...this.#s, connectionRequestPending: true }
      return 'after-session'
    }
    this.addEvent(EVENT_CODES.CONNECTION_REQUEST)
    return 'now'
  }

  /**
   * Queue a CPE request with the events that announce it (`7 TRANSFER COMPLETE` + `M Download`, …).
   *
   * @param request - the request
   * @param methodEvent - the M event code, e.g. `M Download`, if any
   * @param commandKey - its CommandKey
   */
  queueRequest(request: CpeRequest, methodEvent?: string, commandKey = ''): void {
    const single = requestEventCode(request.method)
    let events = this.#s.events
    if (single !== undefined) events = addPendingEvent(events, { eventCode: single, commandKey: '' })
    if (methodEvent !== undefined) events = addPendingEvent(events, { eventCode: methodEvent, commandKey })
    this.#s = {
      ...this.#s,
      events,
      requests: [...this.#s.requests, { request, commandKey }],
      retryNow: this.#s.retryAt !== undefined || this.#s.retryNow,
    }
  }

  /**
   * A Download, ScheduleDownload or Upload finished after its response had status 1: queue the
   * TransferComplete with `7 TRANSFER COMPLETE` and the `M` event of the method.
   *
   * @param transferComplete - the TransferComplete to send
   * @param method - the RPC that requested the transfer
   */
  transferComplete(transferComplete: TransferComplete, method: 'Download' | 'ScheduleDownload' | 'Upload'): void {
    this.queueRequest(transferComplete, `M ${method}`, transferComplete.commandKey)
  }

  /**
   * A transfer the ACS did not request finished.
   *
   * @param message - the AutonomousTransferComplete to send
   */
  autonomousTransferComplete(message: AutonomousTransferComplete): void {
    this.queueRequest(message)
  }

  /**
   * A ChangeDUState finished.
   *
   * @param message - the DUStateChangeComplete to send
   */
  duStateChangeComplete(message: DUStateChangeComplete): void {
    this.queueRequest(message, 'M ChangeDUState', message.commandKey ?? '')
  }

  /**
   * Deployment units changed without an ACS request.
   *
   * @param message - the AutonomousDUStateChangeComplete to send
   */
  autonomousDuStateChangeComplete(message: AutonomousDUStateChangeComplete): void {
    this.queueRequest(message)
  }

  /**
   * Ask the ACS for a file.
   *
   * @param message - the RequestDownload to send
   */
  requestDownload(message: RequestDownload): void {
    this.queueRequest(message)
  }

  /**
   * Report a web "kick" (deprecated).
   *
   * @param message - the Kicked to send
   */
  kicked(message: Kicked): void {
    this.queueRequest(message)
  }

  /**
   * The ACS asked for a ScheduleInform: `3 SCHEDULED` and `M ScheduleInform` after the delay.
   *
   * @param now - current time, ms
   * @param delaySeconds - DelaySeconds
   * @param commandKey - CommandKey
   */
  scheduleInform(now: number, delaySeconds: number, commandKey: string): void {
    this.#s = { ...this.#s, scheduled: [...this.#s.scheduled, { at: now + delaySeconds * 1000, commandKey }] }
  }

  /**
   * The ACS asked for a Reboot: it happens once the session has ended.
   *
   * @param commandKey - the Reboot's CommandKey, reported as `M Reboot` after the reboot
   */
  requestReboot(commandKey: string): void {
    this.#s = { ...this.#s, reboot: { commandKey } }
  }

  /** The ACS asked for a FactoryReset: it happens once the session has ended. */
  requestFactoryReset(): void {
    this.#s = { ...this.#s, factoryReset: true }
  }

  /**
   * What to do now.
   *
   * @param now - current time, ms since the epoch
   */
  poll(now: number): CpeAgentAction {
    let s = this.#s
    if (s.inSession) return { type: 'idle', wakeAt: undefined }
    if (s.factoryReset) return { type: 'factory-reset' }
    if (s.reboot !== undefined) return { type: 'reboot', commandKey: s.reboot.commandKey }
    // Timers that add events.
    if (s.periodic !== undefined && now >= s.periodic.next) {
      this.addEvent('2 PERIODIC')
      s = this.#s
      const interval = this.#periodic?.interval ?? 1
      s = { ...s, periodic: { reference: s.periodic!.reference, next: nextPeriodicInform(now, interval, s.periodic!.reference) } }
    }
    if (s.heartbeat !== undefined && now >= s.heartbeat.next) {
      this.#s = s
      this.addEvent(HEARTBEAT)
      s = this.#s
      const interval = this.#heartbeat?.interval ?? 30
      s = { ...s, heartbeat: { reference: s.heartbeat!.reference, next: nextPeriodicInform(now, interval, s.heartbeat!.reference) } }
    }
    const due = s.scheduled.filter((x) => x.at <= now)
    if (due.length > 0) {
      this.#s = { ...s, scheduled: s.scheduled.filter((x) => x.at > now) }
      for (const d of due) {
        this.addEvent('3 SCHEDULED')
        this.addEvent('M ScheduleInform', d.commandKey)
      }
      s = this.#s
    }
    this.#s = s
    const work = s.events.length > 0 || s.requests.length > 0
    const wakes = [s.periodic?.next, s.heartbeat?.next, ...s.scheduled.map((x) => x.at)]
    if (s.retryAt !== undefined) {
      if (now >= s.retryAt || s.retryNow) return { type: 'session' }
      wakes.push(s.retryAt)
    } else if (work) {
      return { type: 'session' }
    }
    let wakeAt: number | undefined
    for (const w of wakes) if (w !== undefined && (wakeAt === undefined || w < wakeAt)) wakeAt = w // not Math.min(...): any number of them
    return { type: 'idle', wakeAt }
  }

  /**
   * Open a session: the Inform's events, RetryCount and the CPE requests to send. A pending
   * HEARTBEAT goes alone in its own session (Annex O.2.1), unless a failed non-HEARTBEAT session is
   * being retried, which goes first (O.2.3).
   *
   * @param now - current time, ms
   */
  beginSession(now: number): SessionStart {
    void now
    const s = this.#s
    const retryingOther = s.retryAt !== undefined && !s.heartbeatSession
    const heartbeatPending = s.events.some((e) => e.eventCode === HEARTBEAT)
    const others = s.events.filter((e) => e.eventCode !== HEARTBEAT)
    const heartbeat = heartbeatPending && (!retryingOther || others.length === 0)
    let send: PendingEvent[]
    let events = s.events
    if (heartbeat) {
      send = [{ eventCode: HEARTBEAT, commandKey: '' }]
    } else {
      const selected = selectInformEvents(others)
      send = selected.send
      // Keep the discarded oldest M events out for good (A.3.3.1).
      events = s.events.filter((e) => e.eventCode === HEARTBEAT || selected.keep.includes(e))
    }
    this.#s = { ...s, events, inSession: true, heartbeatSession: heartbeat, sentEvents: send, retryNow: false }
    return {
      events: send.map((e) => ({ eventCode: e.eventCode, commandKey: e.commandKey })),
      retryCount: s.retryCount,
      requests: heartbeat ? [] : s.requests.map((r) => r.request),
      heartbeat,
      ...(s.informVersion === undefined ? {} : { informVersion: s.informVersion }),
    }
  }

  /**
   * Feed every step of the current session: InformResponse and the ACS's responses confirm the
   * delivery of Inform events (Table 8, "Delivered by"); a fault (other than 8005) drops the request.
   *
   * @param step - from {@link CpeSession.receive}
   */
  sessionStep(step: CpeSessionStep): void {
    const s = this.#s
    if (!s.inSession) return
    if (step.type === 'informed') {
      this.#s = { ...s, events: deliverEvents(s.events, 'InformResponse', s.sentEvents) }
      return
    }
    if (step.type === 'response' || step.type === 'fault') {
      const i = s.requests.findIndex((r) => r.request === step.request || sameRequest(r.request, step.request))
      if (i === -1) return
      const done = s.requests[i] as PendingRequest
      const requests = [...s.requests.slice(0, i), ...s.requests.slice(i + 1)]
      const moreOfKind = requests.some((r) => r.request.method === done.request.method)
      // A faulted request is not retried (§3.7.1.4), so its events go with it.
      const events = deliverEvents(s.events, responseMethodOf(done.request.method), [], done.commandKey, moreOfKind)
      this.#s = { ...s, requests, events }
    }
  }

  /**
   * The session ended. On success RetryCount and the retry index reset; on failure both grow, the
   * next attempt is scheduled by the retry policy, and events that are never retried are dropped.
   *
   * @param now - current time, ms
   * @param outcome - success, or the failure reason and whether the Inform itself was refused
   */
  endSession(
    now: number,
    outcome: { readonly ok: true } | { readonly ok: false; readonly reason: CpeFailureReason; readonly informRejected?: boolean },
  ): void {
    const s = this.#s
    let next: CpeAgentState
    if (outcome.ok) {
      next = { ...s, retryCount: 0, retryIndex: 0, retryAt: undefined, retryNow: false }
    } else {
      const retryIndex = s.retryIndex + 1
      const wait = retryWait(retryIndex, this.#random, this.#retry)
      // Table 11: a 1.0 ACS answers a newer Inform with a fault. An HTTP error may be transient, so
      // only a SOAP fault to the Inform (not 8005, which is retried in the session) makes the retry 1.0.
      const fallback =
        this.#options.versionFallback !== false && outcome.informRejected === true && outcome.reason === 'inform-fault'
      next = {
        ...s,
        events: eventsAfterFailure(s.events, s.sentEvents),
        retryCount: s.retryCount + 1,
        retryIndex,
        retryAt: now + Math.round(wait * 1000),
        retryNow: false,
        informVersion: fallback ? '1.0' : s.informVersion,
      }
    }
    if (next.connectionRequestPending) {
      next = { ...next, connectionRequestPending: false, events: addPendingEvent(next.events, { eventCode: EVENT_CODES.CONNECTION_REQUEST, commandKey: '' }), retryNow: next.retryAt !== undefined }
    }
    // A failed session remembers whether it was a HEARTBEAT one: its retry carries the same kind
    // (§3.7.1.5: retried "in the immediately following Session"; Annex O.2.2, O.2.3).
    this.#s = { ...next, inSession: false, heartbeatSession: outcome.ok ? false : s.heartbeatSession, sentEvents: [] }
  }
}

function samePeriodic(a: PeriodicSettings, b: PeriodicSettings | undefined): boolean {
  return b !== undefined && a.enabled === b.enabled && a.interval === b.interval && periodicReference(a.time) === periodicReference(b.time)
}

function sameHeartbeat(a: HeartbeatSettings, b: HeartbeatSettings | undefined): boolean {
  return (
    b !== undefined &&
    a.enabled === b.enabled &&
    a.interval === b.interval &&
    periodicReference(a.initiationTime) === periodicReference(b.initiationTime)
  )
}

function sameRequest(a: CpeRequest, b: CpeRequest): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

/**
 * Create an agent for a CPE.
 *
 * @param options - retry, periodic and heartbeat settings
 * @param state - saved state, to continue after a reboot
 *
 * @throws {@link ConfigError} naming `options` or `state` when it is not an object
 * @category Sessions
 */
export function createCpeAgent(options: CpeAgentOptions = {}, state?: CpeAgentState): CpeAgent {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  if (state !== undefined && (typeof state !== 'object' || state === null)) throw new ConfigError('state', 'an object', state)
  return new CpeAgent(options, state)
}
