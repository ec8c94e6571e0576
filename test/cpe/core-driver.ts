/**
 * Drives the CPE client's sans-I/O core the way `createCpeClient`'s I/O loop does, with no socket,
 * no timer and an injected clock: sessions are scripted as the steps a CPE session would return.
 */
import { CpeClientCore, type CpeClientCoreOptions, type SessionPlan } from '../../src/cpe/client-core.js'
import type { CpeFollowUp } from '../../src/cpe/rpc-handler.js'
import { DEFAULT_SETTINGS, changeSettings, type SettingsEnvironment } from '../../src/cpe/settings.js'
import type { AcsRequest, CpeSessionResult, CpeSessionStep, CpeSettings, CpeSettingsChange } from '../../src/index.js'

export const T0 = Date.UTC(2026, 10, 25, 6, 0, 0)
export const ACS_URL = 'http://acs.test/cwmp'

/** Settings checks with a fixed set of interfaces and a fixed random path. */
export const ENV: SettingsEnvironment = {
  interfaces: () => ({ lo: [{ address: '127.0.0.1', family: 'IPv4' }], wan0: [{ address: '192.0.2.7', family: 'IPv4' }] }),
  randomPath: () => '/cr-random',
}

/** Settings for the core: the defaults, ACS_URL, then `change`. */
export function settings(change: CpeSettingsChange = {}): CpeSettings {
  return changeSettings(DEFAULT_SETTINGS, { acsUrl: ACS_URL, ...change }, ENV)
}

/** A core with a fixed random source (retry waits are exactly m, k-scaled) and periodic Informs off. */
export function newCore(extra: Partial<Omit<CpeClientCoreOptions, 'settings'>> & { readonly settings?: CpeSettingsChange } = {}): CpeClientCore {
  const { settings: change, ...rest } = extra
  return new CpeClientCore({ settings: settings(change), random: () => 0, ...rest })
}

/** Apply a change as the client does (checked first). */
export function configure(core: CpeClientCore, now: number, change: CpeSettingsChange) {
  return core.configure(now, changeSettings(core.settings, change, ENV))
}

export const step = {
  informed: (): CpeSessionStep => ({
    type: 'informed',
    response: { method: 'InformResponse', maxEnvelopes: 1 },
    header: {},
    version: '1.4',
  }),
  request: (request: AcsRequest): CpeSessionStep => ({ type: 'request', request, id: undefined }),
  end: (): CpeSessionStep => ({ type: 'end' }),
  failed: (reason: 'transport' | 'inform-fault' = 'transport'): CpeSessionStep => ({ type: 'failed', reason, message: `failed: ${reason}` }),
}

/** An ACS request and the follow-up its answer implies (what the RPC handler would report). */
export interface ScriptedRequest {
  readonly request: AcsRequest
  readonly followUp?: CpeFollowUp
}

export const rpc = {
  reboot: (commandKey: string): ScriptedRequest => ({
    request: { method: 'Reboot', commandKey },
    followUp: { kind: 'reboot', commandKey },
  }),
  factoryReset: (): ScriptedRequest => ({ request: { method: 'FactoryReset' }, followUp: { kind: 'factory-reset' } }),
  scheduleInform: (delaySeconds: number, commandKey: string): ScriptedRequest => ({
    request: { method: 'ScheduleInform', delaySeconds, commandKey },
    followUp: { kind: 'schedule-inform', delaySeconds, commandKey },
  }),
  gpv: (): ScriptedRequest => ({ request: { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.'] } }),
}

/** How a scripted session ends. */
export type Outcome =
  /** InformResponse, the requests, then the ACS's empty response: success. */
  | 'ok'
  /** The Inform gets no answer (the connection drops). */
  | 'fail-before-inform'
  /** InformResponse, the requests, then the connection drops. */
  | 'fail-after-inform'
  /** InformResponse, the requests, then the client is stopped. */
  | 'stopped'
  /** The Inform cannot be built: the session ends on an exception before any message. */
  | 'throws'

export interface SessionScript {
  readonly outcome?: Outcome
  readonly inform?: 'fault'
  readonly requests?: readonly ScriptedRequest[]
  /** Passive changes the model recorded since the last session (handed over at its start). */
  readonly changes?: readonly string[]
  /** Runs right after the session began (before any step). */
  readonly beforeInform?: () => void
  /** Runs right after the InformResponse. */
  readonly afterInform?: () => void
  /** What the ACS set on ManagementServer in the session, applied once it is closed. */
  readonly settings?: CpeSettingsChange
}

export interface SessionRun {
  readonly plan: SessionPlan
  readonly result: CpeSessionResult
  /** The Inform's event codes. */
  readonly codes: readonly string[]
}

/**
 * One session as the client's loop runs it: begin, the steps in order (with the follow-ups their
 * answers imply), end, close.
 */
export function runSession(core: CpeClientCore, now: number, script: SessionScript = {}): SessionRun {
  const outcome = script.outcome ?? 'ok'
  const plan = core.beginSession(now, script.changes ?? [])
  script.beforeInform?.()
  let result: CpeSessionResult
  if (outcome === 'throws') {
    result = core.endSessionOnError(now, new Error('no deviceId'))
  } else if (outcome === 'fail-before-inform' || script.inform === 'fault') {
    core.sessionStep(step.failed(script.inform === 'fault' ? 'inform-fault' : 'transport'), 'inform-sent')
    result = core.endSession(now)
  } else {
    core.sessionStep(step.informed(), 'inform-sent')
    script.afterInform?.()
    for (const r of script.requests ?? []) {
      core.sessionStep(step.request(r.request), 'acs-turn')
      if (r.followUp !== undefined) core.followUp(r.followUp)
    }
    if (outcome === 'ok') core.sessionStep(step.end(), 'acs-turn')
    else if (outcome === 'fail-after-inform') core.sessionStep(step.failed(), 'acs-turn')
    result = core.endSession(now)
  }
  core.sessionClosed(now)
  if (script.settings !== undefined) configure(core, now, script.settings)
  return { plan, result, codes: plan.start.events.map((e) => e.eventCode) }
}
