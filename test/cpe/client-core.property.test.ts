/**
 * The CPE client's core as a state machine: random sequences of value changes (passive and active,
 * before and after the InformResponse), Connection Requests (between sessions, during one, during a
 * reboot), HEARTBEATs, sessions that succeed, fail or are stopped with Reboot / FactoryReset /
 * ScheduleInform requests, new ACS URLs read back, and restarts, driven as the client's I/O loop does
 * on an injected clock. The invariants are those the loopback tests check on single scenarios.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CpeClientCore } from '../../src/cpe/client-core.js'
import { ACS_URL, T0, newCore, rpc, runSession, type Outcome, type ScriptedRequest } from './core-driver.js'

const NAMES = ['Device.A', 'Device.B', 'Device.C'] as const

type Incident =
  | { readonly kind: 'change'; readonly name: string; readonly active: boolean }
  | { readonly kind: 'cr' }

type Op =
  | Incident
  | { readonly kind: 'heartbeat' }
  | { readonly kind: 'restart' }
  | {
      readonly kind: 'run'
      readonly outcome: Outcome
      readonly requests: readonly ('reboot' | 'factory-reset' | 'schedule' | 'gpv')[]
      readonly before: readonly Incident[]
      readonly after: readonly Incident[]
      readonly duringReboot: readonly Incident[]
      readonly newUrl: boolean
    }

const incident: fc.Arbitrary<Incident> = fc.oneof(
  fc.record({ kind: fc.constant('change' as const), name: fc.constantFrom(...NAMES), active: fc.boolean() }),
  fc.constant({ kind: 'cr' as const }),
)

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: incident },
  { weight: 1, arbitrary: fc.constant({ kind: 'heartbeat' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restart' as const }) },
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('run' as const),
      outcome: fc.constantFrom<Outcome>('ok', 'ok', 'ok', 'fail-before-inform', 'fail-after-inform', 'stopped', 'throws'),
      requests: fc.array(fc.constantFrom('reboot' as const, 'factory-reset' as const, 'schedule' as const, 'gpv' as const), { maxLength: 2 }),
      before: fc.array(incident, { maxLength: 2 }),
      after: fc.array(incident, { maxLength: 2 }),
      duringReboot: fc.array(incident, { maxLength: 2 }),
      newUrl: fc.constantFrom(false, false, false, true),
    }),
  },
)

/** What the loopback tests expect, kept beside the core. */
class Reference {
  /** Passive changes the model recorded, handed to the core at the next session or active change. */
  record: string[] = []
  /** Every parameter changed and not yet in an Inform that got its InformResponse. */
  readonly unreported = new Set<string>()
  /** Those among them changed actively: a session is owed. */
  readonly activeUnreported = new Set<string>()
  changedSinceBegin = new Set<string>()
  activeSinceBegin = new Set<string>()
  /** An accepted Connection Request is owed a session that has not begun yet. */
  crOwed = false
  /** A Connection Request accepted during the session in progress: owed the session after it. */
  crAfterCurrent = false
  /** A Connection Request accepted while the device reboots: owed the session after the boot. */
  crDuringReboot = false
  /** The device booted (or bootstrapped) since the owed Connection Request. */
  bootSinceCr = false
  /** Connection Requests accepted since the last session that carried 6 CONNECTION REQUEST began. */
  crsSinceLast = 0
  bootUndelivered = true
  bootstrapUndelivered = true
  /** Reboots and factory resets the ACS asked for in sessions since the last clean one. */
  recorded: ({ readonly kind: 'reboot'; readonly key: string } | { readonly kind: 'factory-reset' })[] = []
  rebootDue: string | undefined
  factoryResetDue = false
  url = ACS_URL
  urls = 0
  rebootKeys = 0

  owe(): void {
    if (this.crOwed) return
    this.crOwed = true
    this.bootSinceCr = false
  }

  /** 0 BOOTSTRAP (factory reset, new ACS URL): every changed parameter not yet reported is forgotten. */
  bootstrapped(): void {
    this.bootstrapUndelivered = true
    this.unreported.clear()
    this.activeUnreported.clear()
    this.record = []
  }

  booted(): void {
    this.bootUndelivered = true
    this.bootSinceCr = true
    this.rebootDue = undefined
    this.factoryResetDue = false
  }
}

function apply(core: CpeClientCore, ref: Reference, i: Incident, phase: 'idle' | 'session' | 'rebooting'): void {
  if (i.kind === 'change') {
    ref.unreported.add(i.name)
    ref.changedSinceBegin.add(i.name)
    if (!i.active) {
      ref.record.push(i.name)
      return
    }
    ref.activeUnreported.add(i.name)
    ref.activeSinceBegin.add(i.name)
    // The client's listener: every recorded change, then the active one.
    expect(core.valueChanged([...ref.record.splice(0), i.name], true)).toBe(true)
    return
  }
  ref.crsSinceLast++
  if (phase === 'session') ref.crAfterCurrent = true
  else if (phase === 'rebooting') ref.crDuringReboot = true
  else ref.owe()
  core.connectionRequest()
}

type RunOp = Extract<Op, { kind: 'run' }>

/** The client's loop for one wake-up: poll, sleep (advance the clock), reboot, or one session. */
function run(core: CpeClientCore, ref: Reference, o: RunOp, now: { t: number }): void {
  for (let polls = 0; polls < 8; polls++) {
    const action = core.poll(now.t)
    if (polls === 0 && (ref.activeUnreported.size > 0 || ref.crOwed)) {
      // An active change or an accepted Connection Request never waits for nothing.
      expect(action).not.toEqual({ type: 'idle', delayMs: undefined })
    }
    if (action.type === 'idle' || action.type === 'session') {
      expect(ref.rebootDue).toBeUndefined()
      expect(ref.factoryResetDue).toBe(false)
    }
    if (action.type === 'idle') {
      if (action.delayMs === undefined) return
      expect(action.delayMs).toBeGreaterThan(0)
      now.t += action.delayMs
      continue
    }
    if (action.type === 'session') {
      session(core, ref, o, now)
      return
    }
    // A reboot or factory reset: only after a session that ended cleanly, only what it asked for.
    if (action.type === 'reboot') {
      expect(ref.factoryResetDue).toBe(false)
      expect(action.commandKey).toBe(ref.rebootDue)
    } else {
      expect(ref.factoryResetDue).toBe(true)
    }
    for (const i of o.duringReboot) apply(core, ref, i, 'rebooting')
    core.rebooted(now.t)
    ref.booted()
    if (action.type === 'factory-reset') ref.bootstrapped()
    const crDuringReboot = ref.crDuringReboot
    if (crDuringReboot) {
      // The boot does not swallow it: the ACS got 200 (§3.2.2).
      ref.crDuringReboot = false
      ref.crOwed = false
      ref.owe()
    }
    // The session after the boot follows at once and says why.
    expect(core.poll(now.t)).toEqual({ type: 'session' })
    const s = session(core, ref, o, now)
    expect(s.heartbeat).toBe(false)
    if (action.type === 'reboot') {
      expect(s.events).toEqual(expect.arrayContaining([{ eventCode: '1 BOOT', commandKey: '' }, { eventCode: 'M Reboot', commandKey: action.commandKey }]))
    } else {
      expect(s.codes).toEqual(expect.arrayContaining(['0 BOOTSTRAP', '1 BOOT']))
    }
    if (crDuringReboot) expect(s.codes).toContain('6 CONNECTION REQUEST')
    return
  }
}

function session(core: CpeClientCore, ref: Reference, o: RunOp, now: { t: number }) {
  const informed = o.outcome === 'ok' || o.outcome === 'fail-after-inform' || o.outcome === 'stopped'
  const requests: ScriptedRequest[] = o.requests.map((r) => {
    if (r === 'reboot') return rpc.reboot(`rk-${++ref.rebootKeys}`)
    if (r === 'factory-reset') return rpc.factoryReset()
    if (r === 'schedule') return rpc.scheduleInform(30, 'si')
    return rpc.gpv()
  })
  const newUrl = o.newUrl ? `http://acs-${++ref.urls}.test/` : undefined
  ref.changedSinceBegin = new Set()
  ref.activeSinceBegin = new Set()
  const handed = ref.record.splice(0)
  // The reference as the session begins (the incidents below run after beginSession).
  const atBegin = { unreported: new Set(ref.unreported), crOwed: ref.crOwed, bootSinceCr: ref.bootSinceCr, crs: ref.crsSinceLast }
  const { plan, codes, result } = runSession(core, now.t, {
    outcome: o.outcome,
    requests: informed ? requests : [],
    changes: handed,
    beforeInform: () => {
      expect(core.inSession).toBe(true)
      for (const i of o.before) apply(core, ref, i, 'session')
    },
    afterInform: () => {
      for (const i of o.after) apply(core, ref, i, 'session')
    },
    ...(newUrl === undefined ? {} : { settings: { acsUrl: newUrl } }),
  })
  expect(core.inSession).toBe(false)
  expect(plan.url).toBe(ref.url)
  if (plan.start.heartbeat) {
    // A HEARTBEAT goes alone and reports no changed parameter (Annex O).
    expect(codes).toEqual(['14 HEARTBEAT'])
    expect(plan.reported).toEqual([])
  } else {
    // Nothing lost, nothing invented: the Inform reports exactly the unreported changes, under
    // 4 VALUE CHANGE (and 4 VALUE CHANGE always reports something).
    expect(new Set(plan.reported)).toEqual(atBegin.unreported)
    expect(codes.includes('4 VALUE CHANGE')).toBe(plan.reported.length > 0)
    expect(codes.includes('1 BOOT')).toBe(ref.bootUndelivered)
    expect(codes.includes('0 BOOTSTRAP')).toBe(ref.bootstrapUndelivered)
    // An accepted Connection Request is owed this session (a boot in between says 1 BOOT instead).
    if (atBegin.crOwed) {
      if (atBegin.bootSinceCr) expect(codes.some((c) => c === '6 CONNECTION REQUEST' || c === '1 BOOT' || c === '0 BOOTSTRAP')).toBe(true)
      else expect(codes).toContain('6 CONNECTION REQUEST')
      ref.crOwed = false
    }
  }
  if (codes.includes('6 CONNECTION REQUEST')) {
    // No session carries a Connection Request nobody sent: one session per burst.
    expect(atBegin.crs).toBeGreaterThan(0)
    ref.crsSinceLast -= atBegin.crs
  }
  // The InformResponse delivered the Inform's events and the changes it reported.
  if (informed && !plan.start.heartbeat) {
    for (const n of plan.reported) {
      if (!ref.changedSinceBegin.has(n)) ref.unreported.delete(n)
      if (!ref.activeSinceBegin.has(n)) ref.activeUnreported.delete(n)
    }
    if (codes.includes('1 BOOT')) ref.bootUndelivered = false
    if (codes.includes('0 BOOTSTRAP')) ref.bootstrapUndelivered = false
  }
  // A Connection Request owed when a HEARTBEAT session began was left out of its Inform: whether that
  // session succeeds or fails, it stays owed (it never was in a failed session, SESSION-RULES 1b).
  if (ref.crAfterCurrent) {
    ref.crAfterCurrent = false
    ref.owe()
  }
  // Follow-ups: recorded in any session, carried out after a clean one (the last Reboot's key wins).
  if (informed) {
    for (const q of requests) {
      if (q.request.method === 'Reboot') ref.recorded.push({ kind: 'reboot', key: q.request.commandKey })
      if (q.request.method === 'FactoryReset') ref.recorded.push({ kind: 'factory-reset' })
    }
  }
  expect(result.ok).toBe(o.outcome === 'ok')
  if (result.ok) {
    for (const f of ref.recorded) {
      if (f.kind === 'reboot') ref.rebootDue = f.key
      else ref.factoryResetDue = true
    }
    ref.recorded = []
  }
  if (newUrl !== undefined) {
    // A new ACS URL is a new bootstrap: every other undelivered event goes.
    ref.url = newUrl
    ref.bootstrapped()
    ref.bootUndelivered = false
    ref.bootSinceCr = true
  }
  expect(core.settings.acsUrl).toBe(ref.url)
  return { codes, events: plan.start.events, heartbeat: plan.start.heartbeat }
}

describe('CPE client core (random sequences, no sockets, injected clock)', () => {
  it('loses no value change, owes every Connection Request one session, reboots only after a clean session', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 25 }), (ops) => {
        const core = newCore({ settings: { retry: { minimumWaitInterval: 1 } } })
        const ref = new Reference()
        const now = { t: T0 }
        core.boot(now.t)
        for (const o of ops) {
          now.t += 1000
          switch (o.kind) {
            case 'change':
            case 'cr':
              apply(core, ref, o, 'idle')
              break
            case 'heartbeat':
              core.agent.addEvent('14 HEARTBEAT')
              break
            case 'restart':
              // stop() then start(): a plain boot, never a new first contact.
              core.boot(now.t)
              {
                // A plain boot is the Reboot the ACS asked for (reported with M Reboot), not its FactoryReset.
                const reset = ref.factoryResetDue
                ref.booted()
                ref.factoryResetDue = reset
              }
              break
            case 'run':
              run(core, ref, o, now)
              break
          }
          // Changes the core holds are exactly those not yet reported (the model's record aside).
          const held = new Set([...core.pendingChanges, ...ref.record])
          expect(held).toEqual(ref.unreported)
        }
      }),
      { numRuns: 300 },
    )
  })
})
