/**
 * The CPE client's decisions without sockets or timers: boots, sleeps and retry waits on an injected
 * clock, value changes for `4 VALUE CHANGE`, follow-ups after a clean session, Connection Requests
 * (during a session, during a reboot), the ManagementServer values written and read back, versions.
 */
import { describe, expect, it } from 'vitest'
import { CpeClientCore, MAX_TIMER_DELAY, changedNamesToRead, informMessage } from '../../src/cpe/client-core.js'
import { ACS_URL, T0, configure, newCore, rpc, runSession, step } from './core-driver.js'

const HOUR = 3_600_000

describe('boot: first contact, later starts, saved state', () => {
  it('the first start is a first contact (0 BOOTSTRAP, 1 BOOT); a later start is a plain boot', () => {
    const core = newCore()
    core.boot(T0)
    expect(core.poll(T0)).toEqual({ type: 'session' })
    expect(runSession(core, T0).codes).toEqual(['0 BOOTSTRAP', '1 BOOT'])
    core.boot(T0 + 1000)
    expect(runSession(core, T0 + 1000).codes).toEqual(['1 BOOT'])
  })

  it('bootstrap: false skips 0 BOOTSTRAP; a saved state boots plainly unless bootstrap is true', () => {
    const plain = newCore({ bootstrap: false })
    plain.boot(T0)
    expect(runSession(plain, T0).codes).toEqual(['1 BOOT'])
    const saved = plain.agent.toJSON()
    const resumed = newCore({ state: saved })
    resumed.boot(T0)
    expect(runSession(resumed, T0).codes).toEqual(['1 BOOT'])
    const rebootstrapped = newCore({ state: saved, bootstrap: true })
    rebootstrapped.boot(T0)
    expect(runSession(rebootstrapped, T0).codes).toEqual(['0 BOOTSTRAP', '1 BOOT'])
  })

  it('is in a session exactly from beginSession to endSession', () => {
    const core = newCore()
    core.boot(T0)
    expect(core.inSession).toBe(false)
    const seen: boolean[] = []
    runSession(core, T0, { beforeInform: () => seen.push(core.inSession), afterInform: () => seen.push(core.inSession) })
    expect(seen).toEqual([true, true])
    expect(core.inSession).toBe(false)
  })
})

describe('sleeping on an injected clock', () => {
  it('sleeps until woken when nothing is scheduled', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0)
    expect(core.poll(T0 + 1)).toEqual({ type: 'idle', delayMs: undefined })
  })

  it('sleeps until the next periodic Inform, then opens a 2 PERIODIC session', () => {
    const core = newCore({ settings: { periodicInformEnable: true, periodicInformInterval: 600, periodicInformTime: '2026-11-25T06:00:00Z' } })
    core.boot(T0)
    runSession(core, T0)
    const idle = core.poll(T0 + 1000)
    expect(idle).toEqual({ type: 'idle', delayMs: 599_000 })
    expect(core.poll(T0 + 600_000)).toEqual({ type: 'session' })
    expect(runSession(core, T0 + 600_000).codes).toEqual(['2 PERIODIC'])
  })

  it('never asks for a delay a Node timer cannot hold: a 30-day interval sleeps 2^31-1 ms and polls again', () => {
    const core = newCore({ settings: { periodicInformEnable: true, periodicInformInterval: 30 * 24 * 3600, periodicInformTime: '2026-11-25T06:00:00Z' } })
    core.boot(T0)
    runSession(core, T0)
    expect(core.poll(T0)).toEqual({ type: 'idle', delayMs: MAX_TIMER_DELAY })
    const later = T0 + MAX_TIMER_DELAY
    expect(core.poll(later)).toEqual({ type: 'idle', delayMs: 30 * 24 * HOUR - MAX_TIMER_DELAY })
  })

  it('waits the retry interval after a failure (m = 5 s with random 0), then retries with RetryCount 1', () => {
    const core = newCore()
    core.boot(T0)
    const failed = runSession(core, T0, { outcome: 'fail-before-inform' })
    expect(failed.result).toMatchObject({ ok: false, reason: 'transport', events: ['0 BOOTSTRAP', '1 BOOT'] })
    expect(core.poll(T0 + 1000)).toEqual({ type: 'idle', delayMs: 4000 })
    expect(core.poll(T0 + 5000)).toEqual({ type: 'session' })
    const retry = runSession(core, T0 + 5000)
    expect(retry.plan.start.retryCount).toBe(1)
    expect(retry.codes).toEqual(['0 BOOTSTRAP', '1 BOOT'])
    // The second failure in a row waits m·k/1000 = 10 s.
    core.agent.addEvent('4 VALUE CHANGE')
    runSession(core, T0 + 6000, { outcome: 'fail-before-inform' })
    runSession(core, T0 + 6000, { outcome: 'fail-before-inform' })
    expect(core.poll(T0 + 6000)).toEqual({ type: 'idle', delayMs: 10_000 })
  })

  it('a session that throws before any message is a protocol failure, retried', () => {
    const core = newCore()
    core.boot(T0)
    const run = runSession(core, T0, { outcome: 'throws' })
    expect(run.result).toEqual({ ok: false, reason: 'protocol', message: 'no deviceId', events: ['0 BOOTSTRAP', '1 BOOT'], requests: [] })
    expect(core.inSession).toBe(false)
    expect(core.poll(T0)).toEqual({ type: 'idle', delayMs: 5000 })
  })

  it('a stopped session ends as aborted with the requests it handled', () => {
    const core = newCore()
    core.boot(T0)
    const run = runSession(core, T0, { outcome: 'stopped', requests: [rpc.gpv()] })
    expect(run.result).toEqual({
      ok: false,
      reason: 'aborted',
      message: 'stopped',
      events: ['0 BOOTSTRAP', '1 BOOT'],
      requests: ['GetParameterValues'],
    })
  })
})

describe('value changes and 4 VALUE CHANGE', () => {
  const booted = () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0)
    return core
  }

  it('a passive change waits for the next session and rides along in its Inform', () => {
    const core = booted()
    expect(core.valueChanged(['Device.A'], false)).toBe(false)
    expect(core.poll(T0)).toEqual({ type: 'idle', delayMs: undefined })
    core.agent.addEvent('8 DIAGNOSTICS COMPLETE')
    const run = runSession(core, T0, { changes: ['Device.B'] })
    expect(run.codes).toEqual(['8 DIAGNOSTICS COMPLETE', '4 VALUE CHANGE'])
    expect(run.plan.reported).toEqual(['Device.A', 'Device.B'])
    expect(core.pendingChanges).toEqual([])
  })

  it('an active change asks for a session now', () => {
    const core = booted()
    expect(core.valueChanged(['Device.P', 'Device.A'], true)).toBe(true)
    expect(core.poll(T0)).toEqual({ type: 'session' })
    const run = runSession(core, T0)
    expect(run.codes).toEqual(['4 VALUE CHANGE'])
    expect(run.plan.reported).toEqual(['Device.P', 'Device.A'])
  })

  it('a HEARTBEAT session reports no changed parameter; the next Inform does', () => {
    const core = booted()
    core.valueChanged(['Device.A'], false)
    core.agent.addEvent('14 HEARTBEAT')
    const heartbeat = runSession(core, T0)
    expect(heartbeat.codes).toEqual(['14 HEARTBEAT'])
    expect(heartbeat.plan.reported).toEqual([])
    expect(core.pendingChanges).toEqual(['Device.A'])
    const next = runSession(core, T0)
    expect(next.codes).toEqual(['4 VALUE CHANGE'])
    expect(next.plan.reported).toEqual(['Device.A'])
  })

  it('changes an Inform carried go back when no InformResponse came; changes made meanwhile stay', () => {
    const core = booted()
    core.valueChanged(['Device.A'], true)
    const failed = runSession(core, T0, { outcome: 'fail-before-inform', beforeInform: () => core.valueChanged(['Device.B'], false) })
    expect(failed.plan.reported).toEqual(['Device.A'])
    expect(core.pendingChanges).toEqual(['Device.B', 'Device.A'])
    const retry = runSession(core, T0 + 5000)
    expect(retry.codes).toEqual(['4 VALUE CHANGE'])
    expect(retry.plan.reported).toEqual(['Device.B', 'Device.A'])
  })

  it('an InformResponse counts the changes as reported even if the session fails later', () => {
    const core = booted()
    core.valueChanged(['Device.A'], true)
    runSession(core, T0, { outcome: 'fail-after-inform' })
    expect(core.pendingChanges).toEqual([])
    expect(runSession(core, T0 + 5000).plan.reported).toEqual([])
  })

  it('an active change after the InformResponse gets a session of its own once the session ends', () => {
    const core = booted()
    const first = runSession(core, T0, { afterInform: () => core.valueChanged(['Device.A'], true) })
    expect(first.plan.reported).toEqual([])
    expect(core.poll(T0)).toEqual({ type: 'session' })
    const second = runSession(core, T0)
    expect(second.codes).toEqual(['4 VALUE CHANGE'])
    expect(second.plan.reported).toEqual(['Device.A'])
  })

  it('a reported parameter changed again before the InformResponse is reported again', () => {
    const core = booted()
    core.valueChanged(['Device.A'], true)
    const first = runSession(core, T0, { beforeInform: () => core.valueChanged(['Device.A'], true) })
    expect(first.plan.reported).toEqual(['Device.A'])
    expect(core.pendingChanges).toEqual(['Device.A'])
    expect(runSession(core, T0).plan.reported).toEqual(['Device.A'])
  })
})

describe('what a session asks for, once it has ended cleanly', () => {
  it('Reboot: reboot after the session, then 1 BOOT and M Reboot with its CommandKey', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0, { requests: [rpc.reboot('rk-1')] })
    expect(core.poll(T0)).toEqual({ type: 'reboot', commandKey: 'rk-1' })
    core.rebooted(T0 + 100)
    const boot = runSession(core, T0 + 100)
    expect(boot.plan.start.events).toEqual([
      { eventCode: '1 BOOT', commandKey: '' },
      { eventCode: 'M Reboot', commandKey: 'rk-1' },
    ])
  })

  it('a Reboot accepted in a session that failed waits for the retried session to succeed', () => {
    const core = newCore()
    core.boot(T0)
    const failed = runSession(core, T0, { outcome: 'fail-after-inform', requests: [rpc.reboot('rk-2')] })
    expect(failed.result).toMatchObject({ ok: false, requests: ['Reboot'] })
    expect(core.poll(T0)).toEqual({ type: 'idle', delayMs: 5000 })
    // The retry fails again before its Inform is answered: still no reboot.
    runSession(core, T0 + 5000, { outcome: 'fail-before-inform' })
    expect(core.poll(T0 + 5000).type).toBe('idle')
    expect(runSession(core, T0 + 15_000).result.ok).toBe(true)
    expect(core.poll(T0 + 15_000)).toEqual({ type: 'reboot', commandKey: 'rk-2' })
  })

  it('FactoryReset: reset after the session, then 0 BOOTSTRAP and 1 BOOT', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0, { requests: [rpc.factoryReset()] })
    expect(core.poll(T0)).toEqual({ type: 'factory-reset' })
    core.rebooted(T0)
    expect(runSession(core, T0).codes).toEqual(['0 BOOTSTRAP', '1 BOOT'])
  })

  it('a factory reset forgets the changed parameters not yet reported: no 4 VALUE CHANGE next to 0 BOOTSTRAP', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0)
    core.valueChanged(['Device.A'], false)
    runSession(core, T0, { requests: [rpc.factoryReset()], outcome: 'fail-before-inform' })
    core.valueChanged(['Device.B'], false)
    const asked = runSession(core, T0 + 5000, { requests: [rpc.factoryReset()] })
    expect(asked.plan.reported).toEqual(['Device.A', 'Device.B'])
    core.valueChanged(['Device.C'], false)
    expect(core.poll(T0 + 5000)).toEqual({ type: 'factory-reset' })
    core.rebooted(T0 + 5000)
    expect(core.pendingChanges).toEqual([])
    const bootstrap = runSession(core, T0 + 5000)
    expect(bootstrap.codes).toEqual(['0 BOOTSTRAP', '1 BOOT'])
    expect(bootstrap.plan.reported).toEqual([])
  })

  it('a new ACS URL forgets the changed parameters not yet reported (0 BOOTSTRAP discards 4 VALUE CHANGE)', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0)
    core.valueChanged(['Device.A'], true)
    runSession(core, T0, { outcome: 'fail-before-inform', settings: { acsUrl: 'http://new-acs.test/' } })
    expect(core.pendingChanges).toEqual([])
    const bootstrap = runSession(core, T0 + 5000)
    expect(bootstrap.plan.url).toBe('http://new-acs.test/')
    expect(bootstrap.codes).toEqual(['0 BOOTSTRAP'])
    expect(bootstrap.plan.reported).toEqual([])
  })

  it('ScheduleInform: 3 SCHEDULED and M ScheduleInform DelaySeconds after the session closed', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0, { requests: [rpc.scheduleInform(60, 'si-1'), rpc.gpv()] })
    expect(core.poll(T0)).toEqual({ type: 'idle', delayMs: 60_000 })
    expect(core.poll(T0 + 60_000)).toEqual({ type: 'session' })
    expect(runSession(core, T0 + 60_000).plan.start.events).toEqual([
      { eventCode: '3 SCHEDULED', commandKey: '' },
      { eventCode: 'M ScheduleInform', commandKey: 'si-1' },
    ])
  })

  it('a transfer pending asks for nothing until transferComplete()', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0, {
      requests: [
        {
          request: { method: 'Download', commandKey: 'dl', fileType: '1 Firmware Upgrade Image', url: 'http://f.test/fw', username: '', password: '', fileSize: 0, targetFileName: '', delaySeconds: 0, successUrl: '', failureUrl: '' },
          followUp: { kind: 'transfer-pending', eventCode: 'M Download', commandKey: 'dl' },
        },
      ],
    })
    expect(core.poll(T0)).toEqual({ type: 'idle', delayMs: undefined })
  })
})

describe('Connection Requests', () => {
  const booted = () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0)
    return core
  }

  it('outside a session: a 6 CONNECTION REQUEST session now', () => {
    const core = booted()
    core.connectionRequest()
    expect(core.poll(T0)).toEqual({ type: 'session' })
    expect(runSession(core, T0).codes).toEqual(['6 CONNECTION REQUEST'])
  })

  it('during a session: exactly one 6 CONNECTION REQUEST session after it, however many arrived', () => {
    const core = booted()
    core.valueChanged(['Device.A'], true)
    const during = runSession(core, T0, {
      beforeInform: () => core.connectionRequest(),
      afterInform: () => core.connectionRequest(),
    })
    expect(during.codes).toEqual(['4 VALUE CHANGE'])
    expect(runSession(core, T0).codes).toEqual(['6 CONNECTION REQUEST'])
    expect(core.poll(T0)).toEqual({ type: 'idle', delayMs: undefined })
  })

  it('while the device reboots: the boot session carries 6 CONNECTION REQUEST after 1 BOOT and M Reboot', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0, { requests: [rpc.reboot('rb')] })
    expect(core.poll(T0).type).toBe('reboot')
    core.connectionRequest()
    core.connectionRequest()
    core.rebooted(T0)
    expect(runSession(core, T0).codes).toEqual(['1 BOOT', 'M Reboot', '6 CONNECTION REQUEST'])
    expect(core.poll(T0)).toEqual({ type: 'idle', delayMs: undefined })
  })

  it('while the device resets: the bootstrap session carries 6 CONNECTION REQUEST too', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0, { requests: [rpc.factoryReset()] })
    expect(core.poll(T0).type).toBe('factory-reset')
    core.connectionRequest()
    core.rebooted(T0)
    expect(runSession(core, T0).codes).toEqual(['0 BOOTSTRAP', '1 BOOT', '6 CONNECTION REQUEST'])
  })

  it('a Connection Request after a reboot completed is an ordinary one', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0, { requests: [rpc.reboot('rb')] })
    core.poll(T0)
    core.rebooted(T0)
    expect(runSession(core, T0).codes).toEqual(['1 BOOT', 'M Reboot'])
    core.connectionRequest()
    expect(runSession(core, T0).codes).toEqual(['6 CONNECTION REQUEST'])
  })
})

describe('settings changes and what they mean (configure)', () => {
  it('reports what changed, field by field, and nothing for equal settings', () => {
    const core = newCore({ settings: { acsUsername: 'a', acsPassword: 'b' } })
    expect(configure(core, T0, { acsUsername: 'a', acsPassword: 'b', retry: { minimumWaitInterval: 5 } })).toEqual([])
    expect(configure(core, T0, { acsUsername: 'cpe-2', acsPassword: 'p-2', retry: { intervalMultiplier: 3000 } })).toEqual([
      'acsUsername',
      'acsPassword',
      'retry.intervalMultiplier',
    ])
    expect(core.settings).toMatchObject({ acsUsername: 'cpe-2', acsPassword: 'p-2', retry: { minimumWaitInterval: 5, intervalMultiplier: 3000 } })
    expect(configure(core, T0, { connectionRequest: { username: 'acs' } })).toEqual(['connectionRequest'])
    expect(configure(core, T0, { connectionRequest: { password: 'x', authentication: false } })).toEqual([
      'connectionRequest.authentication',
      'connectionRequest.password',
    ])
  })

  it('applies retry parameters the ACS set to the next retry wait', () => {
    const core = newCore()
    core.boot(T0)
    const changed = runSession(core, T0, { settings: { retry: { minimumWaitInterval: 7 } } })
    expect(changed.result.ok).toBe(true)
    core.agent.addEvent('4 VALUE CHANGE')
    runSession(core, T0, { outcome: 'fail-before-inform' })
    expect(core.poll(T0)).toEqual({ type: 'idle', delayMs: 7000 })
  })

  it('retry values the ACS set are in the settings, so a client created with them after a reboot keeps them', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0, { settings: { retry: { minimumWaitInterval: 9 } } })
    expect(core.settings.retry).toEqual({ minimumWaitInterval: 9, intervalMultiplier: 2000 })
    const rebooted = new CpeClientCore({ settings: core.settings, state: core.agent.toJSON(), random: () => 0 })
    rebooted.boot(T0 + 1000)
    runSession(rebooted, T0 + 1000, { outcome: 'fail-before-inform' })
    expect(rebooted.poll(T0 + 1000)).toEqual({ type: 'idle', delayMs: 9000 })
  })

  it('a periodic Inform that falls due during a session is not skipped when the session changes nothing periodic', () => {
    const core = newCore({ settings: { periodicInformEnable: true, periodicInformInterval: 600, periodicInformTime: '2026-11-25T06:00:00Z' } })
    core.boot(T0)
    runSession(core, T0)
    core.agent.addEvent('8 DIAGNOSTICS COMPLETE')
    core.beginSession(T0 + 599_000)
    core.sessionStep(step.informed(), 'inform-sent')
    core.sessionStep(step.end(), 'acs-turn')
    core.endSession(T0 + 601_000)
    core.sessionClosed(T0 + 601_000)
    configure(core, T0 + 601_000, { retry: { minimumWaitInterval: 5, intervalMultiplier: 2000 }, periodicInformInterval: 600 })
    expect(core.poll(T0 + 601_000)).toEqual({ type: 'session' })
    expect(runSession(core, T0 + 601_000).codes).toEqual(['2 PERIODIC'])
  })

  it('periodic settings reschedule from now, with no session of their own (interval, enable, time)', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0)
    expect(configure(core, T0, { periodicInformEnable: true, periodicInformInterval: 600, periodicInformTime: '2026-11-25T06:00:00Z' })).toEqual([
      'periodicInformEnable',
      'periodicInformInterval',
      'periodicInformTime',
    ])
    expect(core.poll(T0)).toEqual({ type: 'idle', delayMs: 600_000 })
    expect(configure(core, T0 + 1000, { periodicInformTime: '0001-01-01T00:00:00Z', periodicInformInterval: 2 })).toEqual([
      'periodicInformInterval',
      'periodicInformTime',
    ])
    // The Unknown Time: the phase is the moment of the change; Informs 2 s apart from there.
    expect(core.poll(T0 + 1000)).toEqual({ type: 'idle', delayMs: 2000 })
    expect(core.poll(T0 + 3000)).toEqual({ type: 'session' })
    expect(runSession(core, T0 + 3000).codes).toEqual(['2 PERIODIC'])
    expect(core.poll(T0 + 3000)).toEqual({ type: 'idle', delayMs: 2000 })
    configure(core, T0 + 4000, { periodicInformEnable: false })
    expect(core.poll(T0 + 4000)).toEqual({ type: 'idle', delayMs: undefined })
  })

  it('a new ACS URL: the next session goes there with 0 BOOTSTRAP; an equal URL changes nothing', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0)
    expect(configure(core, T0, { acsUrl: ACS_URL })).toEqual([])
    expect(core.poll(T0)).toEqual({ type: 'idle', delayMs: undefined })
    expect(configure(core, T0, { acsUrl: 'https://new-acs.test/' })).toEqual(['acsUrl'])
    expect(core.poll(T0)).toEqual({ type: 'session' })
    const run = runSession(core, T0)
    expect(run.plan.url).toBe('https://new-acs.test/')
    expect(run.codes).toEqual(['0 BOOTSTRAP'])
  })

  it('a new ACS URL during a session: that session goes on, the next one goes to the new ACS with 0 BOOTSTRAP', () => {
    const core = newCore()
    core.boot(T0)
    let urlDuring: string | undefined
    const first = runSession(core, T0, {
      beforeInform: () => {
        configure(core, T0, { acsUrl: 'https://other.test/' })
        urlDuring = core.settings.acsUrl
      },
    })
    expect(first.plan.url).toBe(ACS_URL)
    expect(urlDuring).toBe('https://other.test/')
    // The old ACS's InformResponse delivered the first BOOTSTRAP, not the new one.
    const next = runSession(core, T0)
    expect(next.plan.url).toBe('https://other.test/')
    expect(next.codes).toEqual(['0 BOOTSTRAP'])
  })

  it('an event added as 0 BOOTSTRAP forgets the changed parameters too', () => {
    const core = newCore()
    core.boot(T0)
    runSession(core, T0)
    core.valueChanged(['Device.A'], false)
    core.addEvent('0 BOOTSTRAP')
    expect(core.pendingChanges).toEqual([])
  })
})

describe('CWMP versions', () => {
  it('a CPE that speaks 1.0 retries with 1.0 after the ACS faulted its Inform', () => {
    const core = newCore()
    core.boot(T0)
    expect(runSession(core, T0, { inform: 'fault' }).result).toMatchObject({ ok: false, reason: 'inform-fault' })
    expect(runSession(core, T0 + 5000).plan.informVersion).toBe('1.0')
  })

  it('a CPE without 1.0 never falls back, even from a saved state that did', () => {
    const core = newCore({ versions: ['1.2', '1.3', '1.4'] })
    core.boot(T0)
    runSession(core, T0, { inform: 'fault' })
    expect(runSession(core, T0 + 5000).plan).not.toHaveProperty('informVersion')
    const fellBack = newCore()
    fellBack.boot(T0)
    runSession(fellBack, T0, { inform: 'fault' })
    const state = fellBack.agent.toJSON()
    expect(state.informVersion).toBe('1.0')
    const resumed = newCore({ versions: ['1.4'], state })
    resumed.boot(T0 + 5000)
    expect(runSession(resumed, T0 + 5000).plan).not.toHaveProperty('informVersion')
  })
})

describe('the Inform', () => {
  it('reads only the changed parameters that are not forced ones', () => {
    const forced = [{ name: 'Device.A', type: 'xsd:string', value: 'a' }]
    expect(changedNamesToRead(['Device.B', 'Device.A', 'Device.C'], forced)).toEqual(['Device.B', 'Device.C'])
    expect(changedNamesToRead([], forced)).toEqual([])
  })

  it('carries the events, RetryCount, MaxEnvelopes 1 and the CurrentTime of the clock', () => {
    const deviceId = { manufacturer: 'M', oui: '00D09E', productClass: 'P', serialNumber: 'S' }
    const start = { events: [{ eventCode: '1 BOOT', commandKey: '' }], retryCount: 2, requests: [], heartbeat: false }
    const params = [{ name: 'Device.A', type: 'xsd:string', value: 'a' }]
    expect(informMessage(start, deviceId, params, T0)).toEqual({
      method: 'Inform',
      deviceId,
      event: start.events,
      maxEnvelopes: 1,
      currentTime: '2026-11-25T06:00:00Z',
      retryCount: 2,
      parameterList: params,
    })
  })
})
