/**
 * The decisions of the CPE client, sans I/O: what `createCpeClient` decides between and around
 * sessions on top of the {@link CpeAgent}. When a session opens and which changed parameters its
 * Inform reports (`4 VALUE CHANGE`), how a session's steps add up to its result, what a Reboot,
 * FactoryReset or ScheduleInform asks for once the session has ended cleanly, a Connection Request
 * that arrives while the device reboots, the first boot against the later ones, how long to sleep,
 * and what a change of the settings means (a new ACS URL is a new bootstrap, new periodic settings
 * reschedule, new retry values apply to the next wait).
 *
 * Plain data in, decisions out: time is passed in (ms since the epoch), randomness is injected, and
 * nothing here touches a socket, a timer or the data model. `src/cpe/client.ts` is the I/O loop that
 * drives it.
 *
 * @module
 */
import {
  createCpeAgent,
  type CpeAgent,
  type CpeAgentState,
  type PeriodicSettings,
  type SessionStart,
} from '../session/cpe-agent.js'
import type { CpeFailureReason, CpeSessionStep } from '../session/cpe-session.js'
import type { SessionState } from '../session/state.js'
import { EVENT_CODES } from '../types/catalogue.js'
import type { Inform } from '../types/messages.js'
import type { DeviceIdStruct, ParameterValueStruct } from '../types/structs.js'
import { CWMP_VERSIONS, type CwmpVersion } from '../types/version.js'
import { formatDateTime } from '../values/convert.js'
import type { CpeFollowUp } from './rpc-handler.js'
import { settingsDiff, type CpeSettingName, type CpeSettings } from './settings.js'

/**
 * The outcome of one session.
 *
 * @category CPE client
 */
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

/**
 * What {@link CpeClientCore.poll} asks the I/O loop to do.
 *
 * @category CPE client
 * @internal
 */
export type ClientAction =
  /** Open a session now: call {@link CpeClientCore.beginSession}. */
  | {
      /** Discriminant. */
      readonly type: 'session'
    }
  /** Reboot the device (`onReboot`), then call {@link CpeClientCore.rebooted}. */
  | {
      /** Discriminant. */
      readonly type: 'reboot'
      /** The Reboot's CommandKey. */
      readonly commandKey: string
    }
  /** Reset the device (`onFactoryReset`), then call {@link CpeClientCore.rebooted}. */
  | {
      /** Discriminant. */
      readonly type: 'factory-reset'
    }
  /** Nothing to do: sleep `delayMs`, or until something happens when it is `undefined`. */
  | {
      /** Discriminant. */
      readonly type: 'idle'
      /** How long to sleep (ms, at most what a Node timer holds), or `undefined`: until woken. */
      readonly delayMs: number | undefined
    }

/**
 * What a session opens with.
 *
 * @category CPE client
 * @internal
 */
export interface SessionPlan {
  /** The agent's start: Inform events, RetryCount, CPE requests, heartbeat. */
  readonly start: SessionStart
  /** The changed parameters this Inform reports (none in a HEARTBEAT session), oldest change first. */
  readonly reported: readonly string[]
  /** The ACS URL to open it with. */
  readonly url: string
  /** The Inform version after a CWMP 1.0 fallback, when the CPE supports it. */
  readonly informVersion?: CwmpVersion
}

/**
 * Options of {@link CpeClientCore}.
 *
 * @category CPE client
 * @internal
 */
export interface CpeClientCoreOptions {
  /** The settings at creation (checked). */
  readonly settings: CpeSettings
  /** CWMP versions supported (default 1.0–1.4). */
  readonly versions?: readonly CwmpVersion[]
  /** Uniform random numbers in [0, 1) for retry waits (default Math.random). */
  readonly random?: () => number
  /** Saved agent state, to continue after a reboot. */
  readonly state?: CpeAgentState
  /** First contact with this ACS (default true without `state`). */
  readonly bootstrap?: boolean
}

/**
 * The longest delay a Node timer holds (ms); a later wake-up sleeps this long and polls again.
 *
 * @category CPE client
 * @internal
 */
export const MAX_TIMER_DELAY = 2 ** 31 - 1

/** What ending a session that is not in progress gives (a caller's mistake, harmless). */
const NO_SESSION: CpeSessionResult = { ok: false, reason: 'aborted', message: 'no session in progress', events: [], requests: [] }

/** The session in progress, as its steps add up. */
interface OpenSession {
  readonly start: SessionStart
  readonly reported: readonly string[]
  informed: boolean
  readonly requests: string[]
  outcome: { readonly ok: true } | { readonly ok: false; readonly reason: CpeFailureReason; readonly message: string; readonly informRejected: boolean }
}

/**
 * The CPE client's decisions. Tell it what happens (the client starts, a parameter changed, a
 * Connection Request was accepted, a session step, the device rebooted, the settings changed), ask
 * it what to do ({@link CpeClientCore.poll}, {@link CpeClientCore.beginSession}).
 *
 * @category CPE client
 * @internal
 */
export class CpeClientCore {
  /** The agent: Inform events, retry counters, CPE requests, periodic and scheduled Informs. */
  readonly agent: CpeAgent
  #settings: CpeSettings
  readonly #versions: readonly CwmpVersion[]
  readonly #state: CpeAgentState | undefined
  readonly #bootstrap: boolean | undefined
  /**
   * Changed parameters not yet reported: in insertion order, the order of the Inform's
   * ParameterList. They count as reported once an InformResponse arrives.
   */
  readonly #changed = new Set<string>()
  /** What the sessions since the last clean one asked for (Reboot, FactoryReset, ScheduleInform). */
  #followUps: CpeFollowUp[] = []
  #booted = false
  #session: OpenSession | undefined
  /** The last session that ended ended cleanly: its follow-ups are due once it is closed. */
  #lastOk = false
  /** A reboot or factory reset asked for by {@link CpeClientCore.poll} and not yet {@link CpeClientCore.rebooted}. */
  #rebooting: { readonly commandKey: string } | 'factory-reset' | undefined
  /** A Connection Request accepted while rebooting: owed a session after the boot (§3.2.2). */
  #crWhileRebooting = false

  /** @param options - the settings, supported versions, saved state */
  constructor(options: CpeClientCoreOptions) {
    this.#settings = options.settings
    this.#versions = options.versions ?? CWMP_VERSIONS
    this.#state = options.state
    this.#bootstrap = options.bootstrap
    this.agent = createCpeAgent(
      {
        retry: options.settings.retry,
        periodic: periodicOf(options.settings),
        ...(options.random === undefined ? {} : { random: options.random }),
        // The fallback retries with CWMP 1.0 (§3.2.1.1): only for a CPE that speaks 1.0.
        ...(this.#versions.includes('1.0') ? {} : { versionFallback: false }),
      },
      options.state,
    )
  }

  /** The current settings (what the ACS changed included). */
  get settings(): CpeSettings {
    return this.#settings
  }

  /** True from {@link CpeClientCore.beginSession} to {@link CpeClientCore.endSession} or {@link CpeClientCore.endSessionOnError}. */
  get inSession(): boolean {
    return this.#session !== undefined
  }

  /** Changed parameters waiting for an Inform, oldest first (those of the session in progress excluded). */
  get pendingChanges(): readonly string[] {
    return [...this.#changed]
  }

  /**
   * The client starts: the device boots. The first start is a first contact (`0 BOOTSTRAP`) unless
   * a saved state says otherwise or `bootstrap` is false; a later one (after `stop()`) a plain boot.
   *
   * @param now - current time, ms
   */
  boot(now: number): void {
    let bootstrap = false
    if (!this.#booted) bootstrap = this.#state === undefined ? (this.#bootstrap ?? true) : this.#bootstrap === true
    this.agent.boot(now, bootstrap ? { bootstrap: true } : {})
    // BOOTSTRAP discards 4 VALUE CHANGE, and with it the changed parameters (A.3.3.1, Table 8).
    if (bootstrap) this.#changed.clear()
    this.#booted = true
    // Stopped while rebooting: this boot is the reboot; a Connection Request accepted meanwhile is owed its session.
    this.#rebooting = undefined
    if (this.#crWhileRebooting) {
      this.#crWhileRebooting = false
      this.agent.connectionRequest()
    }
  }

  /**
   * Report an event (e.g. `8 DIAGNOSTICS COMPLETE`); `0 BOOTSTRAP` also forgets the changed
   * parameters not yet reported.
   *
   * @param eventCode - the event code
   * @param commandKey - its CommandKey (M events)
   */
  addEvent(eventCode: string, commandKey = ''): void {
    this.agent.addEvent(eventCode, commandKey)
    if (eventCode === EVENT_CODES.BOOTSTRAP) this.#changed.clear()
  }

  /**
   * The settings changed (Apply/Save, or what the ACS set in a session that ended), already
   * checked. What each change means (TR-069): a new ACS URL is a new bootstrap (`0 BOOTSTRAP`, which
   * discards every other undelivered event and the changed parameters); new periodic settings
   * reschedule from `now` without a session of their own (an Inform already due is kept); new retry
   * values apply to the next retry wait. Everything else (credentials, the listener, the SOAP log,
   * the WAN interface) is I/O: the loop acts on the names returned.
   *
   * @param now - current time, ms
   * @param next - the new settings
   * @returns the settings that changed
   */
  configure(now: number, next: CpeSettings): readonly CpeSettingName[] {
    const changed = settingsDiff(this.#settings, next)
    this.#settings = next
    if (changed.some((c) => c.startsWith('periodicInform'))) this.agent.configure(now, { periodic: periodicOf(next) })
    if (changed.some((c) => c.startsWith('retry.'))) this.agent.configure(now, { retry: next.retry })
    if (changed.includes('acsUrl')) this.addEvent(EVENT_CODES.BOOTSTRAP)
    return changed
  }

  /**
   * What to do now.
   *
   * @param now - current time, ms
   */
  poll(now: number): ClientAction {
    const action = this.agent.poll(now)
    switch (action.type) {
      case 'idle':
        return {
          type: 'idle',
          delayMs: action.wakeAt === undefined ? undefined : Math.min(MAX_TIMER_DELAY, Math.max(0, action.wakeAt - now)),
        }
      case 'reboot':
        this.#rebooting = { commandKey: action.commandKey }
        return action
      case 'factory-reset':
        this.#rebooting = 'factory-reset'
        return action
      default:
        return action
    }
  }

  /**
   * The reboot or factory reset {@link CpeClientCore.poll} asked for is done: the device boots again (`1 BOOT`
   * with `M Reboot`, or `0 BOOTSTRAP`), and a Connection Request accepted meanwhile gets its session.
   *
   * @param now - current time, ms
   */
  rebooted(now: number): void {
    const rebooting = this.#rebooting
    if (rebooting === undefined) return
    this.agent.boot(now, rebooting === 'factory-reset' ? { bootstrap: true } : { rebootCommandKey: rebooting.commandKey })
    // BOOTSTRAP discards 4 VALUE CHANGE, and with it the changed parameters (A.3.3.1, Table 8).
    if (rebooting === 'factory-reset') this.#changed.clear()
    this.#rebooting = undefined
    // boot() discards the `6 CONNECTION REQUEST` (never retried), but the ACS got 200 and is owed
    // a session with it (§3.2.2), so it is raised again.
    if (this.#crWhileRebooting) {
      this.#crWhileRebooting = false
      this.agent.connectionRequest()
    }
  }

  /**
   * Parameters changed. Passive ones wait for the next session, whatever opens it (§3.7.1.5); an
   * active one raises `4 VALUE CHANGE` for a session now.
   *
   * @param names - the changed parameters
   * @param active - at least one of them has active notification
   * @returns true when a session is due: wake the loop
   */
  valueChanged(names: readonly string[], active: boolean): boolean {
    for (const name of names) this.#changed.add(name)
    if (active) this.agent.addEvent(EVENT_CODES.VALUE_CHANGE)
    return active
  }

  /**
   * A Connection Request was accepted and asks for a session (now or after the current one).
   * Wake the loop.
   */
  connectionRequest(): void {
    if (this.#rebooting !== undefined) this.#crWhileRebooting = true
    this.agent.connectionRequest()
  }

  /**
   * Open a session (after {@link CpeClientCore.poll} said `session`).
   *
   * @param now - current time, ms
   * @param changes - passive value changes recorded since the last session (they ride along)
   */
  beginSession(now: number, changes: readonly string[] = []): SessionPlan {
    for (const name of changes) this.#changed.add(name)
    if (this.#changed.size > 0) this.agent.addEvent(EVENT_CODES.VALUE_CHANGE)
    const start = this.agent.beginSession(now)
    // A HEARTBEAT Inform reports no changed parameter (Annex O.1); they count as reported once an
    // InformResponse arrives ("since the last successful Non-HEARTBEAT Inform", A.3.3.1), and go
    // back for the next Inform otherwise. Changes made meanwhile stay.
    const reported = start.heartbeat ? [] : [...this.#changed]
    for (const name of reported) this.#changed.delete(name)
    this.#session = {
      start,
      reported,
      informed: false,
      requests: [],
      outcome: { ok: false, reason: 'aborted', message: 'stopped', informRejected: false },
    }
    return {
      start,
      reported,
      url: this.#settings.acsUrl,
      ...(start.informVersion === undefined || !this.#versions.includes(start.informVersion)
        ? {}
        : { informVersion: start.informVersion }),
    }
  }

  /**
   * A step of the session in progress, as the CPE session returned it.
   *
   * @param step - the step
   * @param stateBefore - the session's state before the message that produced it
   */
  sessionStep(step: CpeSessionStep, stateBefore: SessionState): void {
    const session = this.#session
    if (session === undefined) return
    if (step.type === 'informed') session.informed = true
    this.agent.sessionStep(step)
    if (step.type === 'request') {
      session.requests.push(step.request.method)
    } else if (step.type === 'end') {
      session.outcome = { ok: true }
    } else if (step.type === 'failed') {
      session.outcome = { ok: false, reason: step.reason, message: step.message, informRejected: stateBefore === 'inform-sent' }
    }
  }

  /**
   * An answer to the ACS implies something after the session (see `followUpOf`).
   *
   * @param followUp - what the RPC handler reported
   */
  followUp(followUp: CpeFollowUp): void {
    this.#followUps.push(followUp)
  }

  /**
   * The session in progress ended: its last step (or `stop()`, before one) decided how.
   *
   * @param now - current time, ms
   * @returns the session's result
   */
  endSession(now: number): CpeSessionResult {
    const session = this.#session
    if (session === undefined) return NO_SESSION
    const outcome = session.outcome
    this.agent.endSession(now, outcome.ok ? { ok: true } : { ok: false, reason: outcome.reason, informRejected: outcome.informRejected })
    // An active change during the session, after its Inform: the 4 VALUE CHANGE that Inform carried
    // (delivered) absorbed the new one, so raise it again for a session of its own.
    if (outcome.ok && this.#changed.size > 0) this.agent.addEvent(EVENT_CODES.VALUE_CHANGE)
    const events = session.start.events.map((e) => e.eventCode)
    return this.#close(
      session,
      outcome.ok
        ? { ok: true, events, requests: session.requests }
        : { ok: false, reason: outcome.reason, message: outcome.message, events, requests: session.requests },
    )
  }

  /**
   * The session in progress ended on an exception outside the session machine (the Inform could
   * not be built, the model threw): a `protocol` failure, retried.
   *
   * @param now - current time, ms
   * @param error - what was thrown
   * @returns the session's result
   */
  endSessionOnError(now: number, error: unknown): CpeSessionResult {
    const session = this.#session
    if (session === undefined) return NO_SESSION
    this.agent.endSession(now, { ok: false, reason: 'protocol' })
    return this.#close(session, {
      ok: false,
      reason: 'protocol',
      message: error instanceof Error ? error.message : String(error),
      events: session.start.events.map((e) => e.eventCode),
      requests: session.requests,
    })
  }

  #close(session: OpenSession, result: CpeSessionResult): CpeSessionResult {
    if (!session.informed) for (const name of session.reported) this.#changed.add(name)
    this.#session = undefined
    this.#lastOk = result.ok
    return result
  }

  /**
   * The ended session's connection is closed. After a clean session, what it asked for is carried
   * out (§3.7.1.4: a reboot waits for that); after a failure it waits for the retried session to
   * succeed. (What the ACS set in the session is applied next, with {@link CpeClientCore.configure}.)
   *
   * @param now - current time, ms
   */
  sessionClosed(now: number): void {
    if (this.#lastOk) {
      for (const f of this.#followUps) this.#applyFollowUp(now, f)
      this.#followUps = []
    }
  }

  #applyFollowUp(now: number, f: CpeFollowUp): void {
    switch (f.kind) {
      case 'reboot':
        this.agent.requestReboot(f.commandKey)
        break
      case 'factory-reset':
        this.agent.requestFactoryReset()
        break
      case 'schedule-inform':
        this.agent.scheduleInform(now, f.delaySeconds, f.commandKey)
        break
      default:
        // transfer-pending / du-state-change-pending: the application calls transferComplete() later.
        break
    }
  }

}

/**
 * The agent's periodic settings from the client's.
 *
 * @internal
 */
export function periodicOf(settings: CpeSettings): PeriodicSettings {
  return { enabled: settings.periodicInformEnable, interval: settings.periodicInformInterval, time: settings.periodicInformTime }
}

/**
 * The changed parameters an Inform must read from the model: those not already among its forced
 * parameters.
 *
 * @param reported - the changed parameters the Inform reports ({@link SessionPlan.reported})
 * @param forced - the forced Inform parameters, with their values
 *
 * @category CPE client
 * @internal
 */
export function changedNamesToRead(reported: readonly string[], forced: readonly ParameterValueStruct[]): string[] {
  return reported.filter((name) => !forced.some((p) => p.name === name))
}

/**
 * The Inform a session opens with.
 *
 * @param start - the agent's start (events, RetryCount)
 * @param deviceId - who the CPE is
 * @param parameters - forced parameters, then the changed ones
 * @param now - current time, ms (the Inform's CurrentTime)
 *
 * @category CPE client
 * @internal
 */
export function informMessage(
  start: SessionStart,
  deviceId: DeviceIdStruct,
  parameters: readonly ParameterValueStruct[],
  now: number,
): Inform {
  return {
    method: 'Inform',
    deviceId,
    event: start.events,
    maxEnvelopes: 1,
    currentTime: formatDateTime(new Date(now)),
    retryCount: start.retryCount,
    parameterList: [...parameters],
  }
}
