import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createCpeAgent,
  nextPeriodicInform,
  retryWaitRange,
  type TransferComplete,
} from '../../src/index.js'
import { retryWait } from '../../src/session/schedule.js'

const T0 = Date.UTC(2026, 10, 25, 6, 0, 0)
const codes = (a: { events: readonly { eventCode: string }[] }): string[] => a.events.map((e) => e.eventCode)

const transferComplete = (commandKey: string): TransferComplete => ({
  method: 'TransferComplete',
  commandKey,
  faultStruct: { faultCode: 0, faultString: '' },
  startTime: '2026-11-25T06:00:00Z',
  completeTime: '2026-11-25T06:01:00Z',
})

describe('retry policy (TR-069 §3.2.1.1, Table 3)', () => {
  it('uses the default table 5–10 s … 2560–5120 s, fixed from the tenth retry', () => {
    const expected = [5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120]
    for (let n = 1; n <= 10; n++) expect(retryWaitRange(n)).toEqual([expected[n - 1], expected[n]])
    expect(retryWaitRange(11)).toEqual([2560, 5120])
    expect(retryWaitRange(50)).toEqual([2560, 5120])
  })

  it('draws a wait inside the range for any m, k, n and random value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 65535 }),
        fc.integer({ min: 1000, max: 65535 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (n, m, k, r) => {
          const [lo, hi] = retryWaitRange(n, { minimumWaitInterval: m, intervalMultiplier: k })
          const w = retryWait(n, () => r, { minimumWaitInterval: m, intervalMultiplier: k })
          expect(w).toBeGreaterThanOrEqual(lo)
          expect(w).toBeLessThanOrEqual(hi)
          expect(lo).toBe(m * (k / 1000) ** (Math.min(n, 10) - 1))
        },
      ),
    )
  })
})

describe('periodic Inform phase (PeriodicInformTime)', () => {
  it('is the reference plus a whole number of intervals, strictly after now', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4e12 }),
        fc.integer({ min: 1, max: 86400 * 7 }),
        fc.integer({ min: 0, max: 4e12 }),
        (now, interval, reference) => {
          const next = nextPeriodicInform(now, interval, reference)
          expect(next).toBeGreaterThan(now)
          expect(next - now).toBeLessThanOrEqual(interval * 1000)
          expect((((next - reference) % (interval * 1000)) + interval * 1000) % (interval * 1000)).toBe(0)
        },
      ),
    )
  })

  it('begins on the very next midnight for a daily interval with a midnight reference', () => {
    const agent = createCpeAgent({ periodic: { enabled: true, interval: 86400, time: '2030-01-01T00:00:00Z' } })
    agent.boot(T0)
    expect(agent.toJSON().periodic?.next).toBe(Date.UTC(2026, 10, 26))
  })

  it('adds 2 PERIODIC when due and opens a session', () => {
    const agent = createCpeAgent({ periodic: { enabled: true, interval: 300, time: '0001-01-01T00:00:00Z' } })
    agent.boot(T0)
    agent.beginSession(T0)
    agent.sessionStep({ type: 'informed', response: { method: 'InformResponse', maxEnvelopes: 1 }, header: {}, version: '1.4' })
    agent.endSession(T0 + 1000, { ok: true })
    expect(agent.poll(T0 + 2000)).toEqual({ type: 'idle', wakeAt: T0 + 300_000 })
    expect(agent.poll(T0 + 300_000)).toEqual({ type: 'session' })
    expect(codes(agent)).toEqual(['2 PERIODIC'])
  })
})

describe('configure: only a real change reschedules, and a due Inform is kept', () => {
  const informed = { type: 'informed', response: { method: 'InformResponse', maxEnvelopes: 1 }, header: {}, version: '1.4' } as const
  const periodic = { enabled: true, interval: 600, time: '2026-11-25T06:00:00Z' }

  it('new retry values leave the periodic schedule alone: an Inform that fell due during a session follows it', () => {
    const agent = createCpeAgent({ periodic })
    agent.boot(T0, { bootstrap: false })
    agent.beginSession(T0)
    agent.sessionStep(informed)
    agent.endSession(T0, { ok: true })
    agent.addEvent('8 DIAGNOSTICS COMPLETE')
    agent.beginSession(T0 + 599_000)
    agent.sessionStep(informed)
    agent.endSession(T0 + 601_000, { ok: true })
    agent.configure(T0 + 601_000, { retry: { minimumWaitInterval: 5, intervalMultiplier: 2000 } })
    agent.configure(T0 + 601_000, { periodic: { ...periodic } })
    expect(agent.poll(T0 + 601_000)).toEqual({ type: 'session' })
    expect(codes(agent)).toEqual(['2 PERIODIC'])
  })

  it('a changed interval reschedules from now, and keeps the Inform that was already due', () => {
    const agent = createCpeAgent({ periodic: { enabled: true, interval: 600 } })
    agent.boot(T0, { bootstrap: false })
    agent.beginSession(T0)
    agent.sessionStep(informed)
    agent.endSession(T0, { ok: true })
    expect(agent.poll(T0)).toEqual({ type: 'idle', wakeAt: T0 + 600_000 })
    agent.configure(T0 + 100_000, { periodic: { enabled: true, interval: 2 } })
    expect(agent.poll(T0 + 100_000)).toEqual({ type: 'idle', wakeAt: T0 + 102_000 })
    agent.configure(T0 + 200_000, { periodic: { enabled: true, interval: 60 } })
    // The 2 s Inform due at T0 + 102 s had not been raised yet: it is owed, not dropped.
    expect(agent.poll(T0 + 200_000)).toEqual({ type: 'session' })
    expect(codes(agent)).toEqual(['2 PERIODIC'])
    expect(agent.toJSON().periodic).toEqual({ reference: T0 + 200_000, next: T0 + 260_000 })
  })
})

describe('event bookkeeping (TR-069 Table 8)', () => {
  it('sends BOOTSTRAP and BOOT on first boot, and BOOTSTRAP discards undelivered events', () => {
    const agent = createCpeAgent()
    agent.addEvent('4 VALUE CHANGE')
    agent.addEvent('M Reboot', 'k')
    agent.boot(T0, { bootstrap: true })
    expect(codes(agent)).toEqual(['0 BOOTSTRAP', '1 BOOT'])
  })

  it('a BOOTSTRAP raised outside a boot (new ACS URL) also drops the undelivered requests and the CWMP 1.0 fallback', () => {
    const agent = createCpeAgent({ random: () => 0 })
    agent.boot(T0)
    agent.beginSession(T0)
    agent.endSession(T0 + 1, { ok: false, reason: 'inform-fault', informRejected: true })
    agent.transferComplete(transferComplete('old-acs'), 'Download')
    agent.addEvent('0 BOOTSTRAP')
    const s = agent.beginSession(T0 + 2)
    // TransferComplete without its 7 TRANSFER COMPLETE / M Download (discarded by BOOTSTRAP) would
    // announce nothing to the new ACS; the fallback is cleared as by a BOOTSTRAP boot (D11).
    expect(s.events).toEqual([{ eventCode: '0 BOOTSTRAP', commandKey: '' }])
    expect(s.requests).toEqual([])
    expect(s.informVersion).toBeUndefined()
  })

  it('an event that occurs again while the same single code is in flight is delivered in a later session', () => {
    const agent = createCpeAgent()
    agent.addEvent('8 DIAGNOSTICS COMPLETE')
    expect(agent.beginSession(T0).events.map((e) => e.eventCode)).toEqual(['8 DIAGNOSTICS COMPLETE'])
    // A second test completes before the InformResponse of the Inform that reports the first.
    agent.addEvent('8 DIAGNOSTICS COMPLETE')
    agent.addEvent('14 HEARTBEAT')
    agent.sessionStep({ type: 'informed', response: { method: 'InformResponse', maxEnvelopes: 1 }, header: {}, version: '1.4' })
    agent.endSession(T0 + 1, { ok: true })
    expect(codes(agent)).toEqual(['8 DIAGNOSTICS COMPLETE', '14 HEARTBEAT'])
    // A HEARTBEAT that triggers during a HEARTBEAT session is discarded (Annex O.2.2).
    agent.beginSession(T0 + 2)
    agent.addEvent('14 HEARTBEAT')
    agent.sessionStep({ type: 'informed', response: { method: 'InformResponse', maxEnvelopes: 1 }, header: {}, version: '1.4' })
    agent.endSession(T0 + 3, { ok: true })
    expect(codes(agent)).toEqual(['8 DIAGNOSTICS COMPLETE'])
  })

  it('keeps a single code once and every multiple code', () => {
    const agent = createCpeAgent()
    agent.addEvent('4 VALUE CHANGE')
    agent.addEvent('4 VALUE CHANGE')
    agent.transferComplete(transferComplete('a'), 'Download')
    agent.transferComplete(transferComplete('b'), 'Download')
    expect(codes(agent)).toEqual(['4 VALUE CHANGE', '7 TRANSFER COMPLETE', 'M Download', 'M Download'])
    expect(agent.beginSession(T0).requests).toHaveLength(2)
  })

  it('delivers 7 TRANSFER COMPLETE and M Download by TransferCompleteResponse, not by InformResponse', () => {
    const agent = createCpeAgent()
    agent.transferComplete(transferComplete('a'), 'Download')
    const start = agent.beginSession(T0)
    agent.sessionStep({ type: 'informed', response: { method: 'InformResponse', maxEnvelopes: 1 }, header: {}, version: '1.4' })
    expect(codes(agent)).toEqual(['7 TRANSFER COMPLETE', 'M Download'])
    agent.sessionStep({ type: 'response', request: start.requests[0]!, response: { method: 'TransferCompleteResponse' } })
    expect(codes(agent)).toEqual([])
  })

  it('drops 6 CONNECTION REQUEST but keeps 1 BOOT and M events when a session fails', () => {
    const agent = createCpeAgent({ random: () => 0 })
    agent.boot(T0)
    agent.addEvent('M Reboot', 'r1')
    agent.connectionRequest()
    const s = agent.beginSession(T0)
    expect(s.events.map((e) => e.eventCode)).toEqual(['1 BOOT', 'M Reboot', '6 CONNECTION REQUEST'])
    agent.endSession(T0 + 10, { ok: false, reason: 'transport' })
    expect(codes(agent)).toEqual(['1 BOOT', 'M Reboot'])
    expect(agent.retryCount).toBe(1)
  })

  it('keeps a pending 6 CONNECTION REQUEST that a failed HEARTBEAT session left out of its Inform (Table 8, Annex O.2.1)', () => {
    const agent = createCpeAgent({ random: () => 0 })
    agent.boot(T0, { bootstrap: false })
    agent.beginSession(T0)
    agent.sessionStep({ type: 'informed', response: { method: 'InformResponse', maxEnvelopes: 1 }, header: {}, version: '1.4' })
    agent.endSession(T0, { ok: true })
    agent.connectionRequest()
    agent.addEvent('14 HEARTBEAT')
    const heartbeat = agent.beginSession(T0 + 1)
    expect(heartbeat.events.map((e) => e.eventCode)).toEqual(['14 HEARTBEAT'])
    agent.endSession(T0 + 2, { ok: false, reason: 'transport' })
    // The Connection Request was never in a failed session: "MUST NOT retry" does not apply to it.
    expect(codes(agent)).toEqual(['6 CONNECTION REQUEST', '14 HEARTBEAT'])
    // The HEARTBEAT is retried alone first (O.2.2), then the Connection Request gets its session.
    expect(agent.beginSession(T0 + 10_000).events.map((e) => e.eventCode)).toEqual(['14 HEARTBEAT'])
    agent.sessionStep({ type: 'informed', response: { method: 'InformResponse', maxEnvelopes: 1 }, header: {}, version: '1.4' })
    agent.endSession(T0 + 10_001, { ok: true })
    expect(agent.poll(T0 + 10_001)).toEqual({ type: 'session' })
    expect(agent.beginSession(T0 + 10_001).events.map((e) => e.eventCode)).toEqual(['6 CONNECTION REQUEST'])
  })

  it('counts RetryCount until a session succeeds; a reboot resets only the wait index', () => {
    const agent = createCpeAgent({ random: () => 0 })
    agent.boot(T0)
    agent.beginSession(T0)
    agent.endSession(T0, { ok: false, reason: 'transport' })
    expect(agent.toJSON().retryAt).toBe(T0 + 5000)
    expect(agent.poll(T0 + 4999).type).toBe('idle')
    expect(agent.poll(T0 + 5000).type).toBe('session')
    expect(agent.beginSession(T0 + 5000).retryCount).toBe(1)
    agent.endSession(T0 + 5000, { ok: false, reason: 'transport' })
    expect(agent.toJSON().retryAt).toBe(T0 + 5000 + 10_000)
    agent.boot(T0 + 6000)
    expect(agent.toJSON().retryIndex).toBe(0)
    expect(agent.beginSession(T0 + 6000).retryCount).toBe(2)
    agent.sessionStep({ type: 'informed', response: { method: 'InformResponse', maxEnvelopes: 1 }, header: {}, version: '1.4' })
    agent.endSession(T0 + 7000, { ok: true })
    expect(agent.retryCount).toBe(0)
    expect(codes(agent)).toEqual([])
  })

  it('retries at once when a new event arrives during the wait', () => {
    const agent = createCpeAgent({ random: () => 0.5 })
    agent.boot(T0)
    agent.beginSession(T0)
    agent.endSession(T0, { ok: false, reason: 'transport' })
    expect(agent.poll(T0 + 1).type).toBe('idle')
    agent.addEvent('4 VALUE CHANGE')
    expect(agent.poll(T0 + 2).type).toBe('session')
  })

  it('discards until-reboot events on reboot and reports M Reboot with the CommandKey', () => {
    const agent = createCpeAgent()
    agent.boot(T0)
    agent.addEvent('4 VALUE CHANGE')
    agent.addEvent('8 DIAGNOSTICS COMPLETE')
    agent.addEvent('M ScheduleInform', 's')
    agent.boot(T0 + 1, { rebootCommandKey: 'rk' })
    expect(agent.events).toEqual([
      { eventCode: 'M ScheduleInform', commandKey: 's' },
      { eventCode: '1 BOOT', commandKey: '' },
      { eventCode: 'M Reboot', commandKey: 'rk' },
    ])
  })

  it('puts at most 64 events in an Inform, discarding the oldest M events first', () => {
    const agent = createCpeAgent()
    agent.boot(T0)
    for (let i = 0; i < 70; i++) agent.addEvent('M ScheduleInform', `k${i}`)
    const s = agent.beginSession(T0)
    expect(s.events).toHaveLength(64)
    expect(s.events[0]).toEqual({ eventCode: '1 BOOT', commandKey: '' })
    expect(s.events[1]).toEqual({ eventCode: 'M ScheduleInform', commandKey: 'k7' })
    expect(agent.events).toHaveLength(64)
  })

  it('never discards 0 BOOTSTRAP to fit 64 events, even when no M event is left to discard', () => {
    const agent = createCpeAgent()
    agent.boot(T0, { bootstrap: true })
    for (let i = 0; i < 70; i++) agent.addEvent(`X 00D09E Event${i}`)
    const s = agent.beginSession(T0)
    expect(s.events).toHaveLength(64)
    expect(s.events[0]).toEqual({ eventCode: '0 BOOTSTRAP', commandKey: '' })
  })

  it('sends 14 HEARTBEAT alone, then the other events in their own session', () => {
    const agent = createCpeAgent()
    agent.boot(T0)
    agent.addEvent('14 HEARTBEAT')
    const first = agent.beginSession(T0)
    expect(first.heartbeat).toBe(true)
    expect(first.events).toEqual([{ eventCode: '14 HEARTBEAT', commandKey: '' }])
    agent.sessionStep({ type: 'informed', response: { method: 'InformResponse', maxEnvelopes: 1 }, header: {}, version: '1.4' })
    agent.endSession(T0 + 1, { ok: true })
    expect(agent.poll(T0 + 2).type).toBe('session')
    expect(agent.beginSession(T0 + 2).events).toEqual([{ eventCode: '1 BOOT', commandKey: '' }])
  })

  it('retries a failed HEARTBEAT session with HEARTBEAT alone, before the other pending events (§3.7.1.5, Annex O.2.2)', () => {
    const agent = createCpeAgent({ random: () => 0 })
    agent.boot(T0)
    agent.addEvent('14 HEARTBEAT')
    agent.addEvent('2 PERIODIC')
    const first = agent.beginSession(T0)
    expect(first.events).toEqual([{ eventCode: '14 HEARTBEAT', commandKey: '' }])
    agent.endSession(T0 + 1, { ok: false, reason: 'transport' })
    expect(agent.poll(T0 + 5001).type).toBe('session')
    // The failed session's event is redelivered in the immediately following session.
    const retry = agent.beginSession(T0 + 5001)
    expect(retry).toMatchObject({ heartbeat: true, retryCount: 1, events: [{ eventCode: '14 HEARTBEAT', commandKey: '' }] })
    agent.sessionStep({ type: 'informed', response: { method: 'InformResponse', maxEnvelopes: 1 }, header: {}, version: '1.4' })
    agent.endSession(T0 + 5002, { ok: true })
    expect(agent.beginSession(T0 + 5003).events.map((e) => e.eventCode)).toEqual(['1 BOOT', '2 PERIODIC'])
  })

  it('retries a failed non-HEARTBEAT session before a HEARTBEAT that triggered meanwhile (Annex O.2.3)', () => {
    const agent = createCpeAgent({ random: () => 0 })
    agent.boot(T0)
    agent.beginSession(T0)
    agent.endSession(T0 + 1, { ok: false, reason: 'transport' })
    agent.addEvent('14 HEARTBEAT')
    const retry = agent.beginSession(T0 + 2)
    expect(retry).toMatchObject({ heartbeat: false, events: [{ eventCode: '1 BOOT', commandKey: '' }] })
  })

  it('defers a connection request that arrives during a session to exactly one session after it', () => {
    const agent = createCpeAgent()
    agent.boot(T0)
    agent.beginSession(T0)
    expect(agent.connectionRequest()).toBe('after-session')
    expect(agent.connectionRequest()).toBe('after-session')
    agent.sessionStep({ type: 'informed', response: { method: 'InformResponse', maxEnvelopes: 1 }, header: {}, version: '1.4' })
    agent.endSession(T0 + 1, { ok: true })
    expect(agent.poll(T0 + 2).type).toBe('session')
    expect(agent.beginSession(T0 + 2).events).toEqual([{ eventCode: '6 CONNECTION REQUEST', commandKey: '' }])
  })

  it('reboots after the session when the ACS asked for it, and falls back to CWMP 1.0 after a rejected Inform', () => {
    const agent = createCpeAgent({ random: () => 0 })
    agent.boot(T0)
    agent.beginSession(T0)
    agent.requestReboot('rb')
    expect(agent.poll(T0).type).toBe('idle')
    agent.endSession(T0 + 1, { ok: true })
    expect(agent.poll(T0 + 2)).toEqual({ type: 'reboot', commandKey: 'rb' })
    agent.boot(T0 + 3, { rebootCommandKey: 'rb' })
    agent.beginSession(T0 + 3)
    agent.endSession(T0 + 4, { ok: false, reason: 'inform-fault', informRejected: true })
    expect(agent.beginSession(T0 + 10_000).informVersion).toBe('1.0')
  })

  it('survives a JSON round trip of its state', () => {
    const agent = createCpeAgent({ random: () => 0.25 })
    agent.boot(T0, { bootstrap: true })
    agent.transferComplete(transferComplete('x'), 'Upload')
    agent.beginSession(T0)
    agent.endSession(T0 + 1, { ok: false, reason: 'transport' })
    const copy = createCpeAgent({ random: () => 0.25 }, JSON.parse(JSON.stringify(agent.toJSON())))
    expect(copy.poll(T0 + 100_000)).toEqual(agent.poll(T0 + 100_000))
    expect(copy.beginSession(T0 + 100_000)).toEqual(agent.beginSession(T0 + 100_000))
  })
})

describe('pending ScheduleInforms of any number (issue 9 item 3: Math.min(...wakes) overflowed the stack)', () => {
  it('wakes at the earliest of 150,000 scheduled Informs', () => {
    const state = createCpeAgent().toJSON()
    const scheduled = Array.from({ length: 150_000 }, (_, i) => ({ at: T0 + 10_000_000 - i, commandKey: `k${i}` }))
    const agent = createCpeAgent({}, { ...state, scheduled })
    expect(agent.poll(T0)).toEqual({ type: 'idle', wakeAt: T0 + 10_000_000 - 149_999 })
  })
})
