/**
 * The in-memory session registry: one record per session, changed only through its methods; the
 * device's open session follows the records; ended records beyond the bound go, oldest first,
 * active ones never.
 */
import { describe, expect, it } from 'vitest'
import { createMemorySessionRegistry } from '../../src/acs/session-registry.js'
import { createAcsSession, type Inform, type StoredAcsSession } from '../../src/index.js'

function stored(deviceKey: string, at: number, extra: Partial<StoredAcsSession> = {}): StoredAcsSession {
  const inform: Inform = {
    method: 'Inform',
    deviceId: { manufacturer: 'Acme', oui: 'AABBCC', productClass: 'GW', serialNumber: deviceKey },
    event: [
      { eventCode: '1 BOOT', commandKey: '' },
      { eventCode: 'M Reboot', commandKey: 'r' },
    ],
    maxEnvelopes: 1,
    currentTime: '2026-01-01T00:00:00Z',
    retryCount: 0,
    parameterList: [],
  }
  return {
    session: createAcsSession({ sessionId: 'x', versions: ['1.2'] }).toJSON(),
    deviceKey,
    inform,
    startedAt: at,
    lastActivity: at,
    timeoutMs: 30_000,
    ...extra,
  }
}

describe('session registry (in memory)', () => {
  it('makes a record from the stored one the first time, and only then', () => {
    const reg = createMemorySessionRegistry({ maxSessions: 10 })
    reg.track('s1', stored('d', 100, { username: 'u' }))
    reg.track('s1', stored('other', 999))
    expect(reg.list()).toEqual([
      {
        sessionId: 's1',
        deviceKey: 'd',
        deviceId: stored('d', 0).inform.deviceId,
        events: ['1 BOOT', 'M Reboot'],
        version: '1.2',
        username: 'u',
        startedAt: 100,
        lastActivity: 100,
        endedAt: undefined,
        outcome: 'active',
        reason: undefined,
        requests: [],
      },
    ])
    expect(reg.openSessionOf('d')).toBe('s1')
    expect(reg.openSessionOf('other')).toBeUndefined()
  })

  it('touched takes the last activity and version; sent appends; list hands out copies', () => {
    const reg = createMemorySessionRegistry({ maxSessions: 10 })
    const s = stored('d', 100)
    reg.track('s1', s)
    reg.touched('s1', { ...s, lastActivity: 150, session: { ...s.session, version: '1.0' } })
    reg.sent('s1', s, { method: 'GetRPCMethods' })
    const listed = reg.list()[0]
    expect(listed).toMatchObject({ lastActivity: 150, version: '1.0', requests: [{ method: 'GetRPCMethods' }] })
    ;(listed?.requests as unknown[]).length = 0
    expect(reg.list()[0]?.requests).toHaveLength(1)
  })

  it('ended sets the outcome once and frees the device only when it was its open session', () => {
    const reg = createMemorySessionRegistry({ maxSessions: 10 })
    reg.track('old', stored('d', 0))
    reg.track('new', stored('d', 10)) // the device's open session is now `new`
    reg.ended('old', stored('d', 0), { outcome: 'replaced', at: 11, reason: 'r' })
    expect(reg.openSessionOf('d')).toBe('new')
    reg.ended('old', stored('d', 0), { outcome: 'timeout', at: 12 })
    expect(reg.list()[0]).toMatchObject({ outcome: 'replaced', endedAt: 11, reason: 'r' })
    reg.ended('new', stored('d', 10), { outcome: 'done', at: 20 })
    expect(reg.openSessionOf('d')).toBeUndefined()
    expect(reg.list()[1]).toMatchObject({ outcome: 'done', endedAt: 20, reason: undefined })
  })

  it('a session first seen already ended is not its device’s open session', () => {
    const reg = createMemorySessionRegistry({ maxSessions: 10 })
    reg.track('s', stored('d', 0, { ended: { outcome: 'done', at: 5 } }))
    expect(reg.openSessionOf('d')).toBeUndefined()
  })

  it('beyond maxSessions the oldest ended records go when a session ends; active ones stay', () => {
    const reg = createMemorySessionRegistry({ maxSessions: 2 })
    reg.track('a', stored('da', 0))
    reg.track('b', stored('db', 0))
    reg.track('c', stored('dc', 0))
    expect(reg.list()).toHaveLength(3) // nothing ended yet: nothing goes
    reg.ended('c', stored('dc', 0), { outcome: 'done', at: 1 })
    expect(reg.list().map((s) => s.sessionId)).toEqual(['a', 'b'])
    reg.ended('a', stored('da', 0), { outcome: 'done', at: 2 })
    expect(reg.list().map((s) => s.sessionId)).toEqual(['a', 'b'])
    reg.track('d', stored('dd', 0))
    reg.ended('d', stored('dd', 0), { outcome: 'failed', at: 3 })
    expect(reg.list().map((s) => s.sessionId)).toEqual(['b', 'd'])
  })

  it('idle lists active sessions idle beyond their timeout; markEnded and sawActivity settle them', () => {
    const reg = createMemorySessionRegistry({ maxSessions: 10 })
    reg.track('a', stored('da', 0))
    reg.track('b', stored('db', 0, { timeoutMs: 60_000 }))
    reg.track('c', stored('dc', 0))
    reg.ended('c', stored('dc', 0), { outcome: 'done', at: 1 })
    expect([...reg.idle(30_000)]).toEqual([])
    expect([...reg.idle(30_001)]).toEqual(['a'])
    expect([...reg.idle(60_001)]).toEqual(['a', 'b'])
    reg.markEnded('a', { outcome: 'timeout', at: 60_001, reason: 'idle' })
    reg.sawActivity('b', 50_000)
    expect(reg.isActive('a')).toBe(false)
    expect(reg.isActive('b')).toBe(true)
    expect(reg.isActive('nope')).toBe(false)
    expect(reg.openSessionOf('da')).toBeUndefined()
    expect(reg.openSessionOf('db')).toBe('b')
    expect([...reg.idle(60_001)]).toEqual([])
    expect(reg.list().map((s) => [s.sessionId, s.outcome, s.lastActivity])).toEqual([
      ['a', 'timeout', 0],
      ['b', 'active', 50_000],
      ['c', 'done', 0],
    ])
  })
})
