// Bad configuration of the ACS simulator: a coded ConfigError naming the field, before anything runs
// (no socket bound, nothing started), never a raw TypeError or RangeError.
import { describe, expect, it } from 'vitest'
import { createAcsSimulator, isCwmpError, type AcsSimulatorOptions } from '../../src/index.js'
import { assembleAcsSimulator } from '../../src/acs/simulator.js'

const bad: [field: string, options: Record<string, unknown>][] = [
  ['sessionTimeoutMs', { sessionTimeoutMs: 29_999 }],
  ['sessionTimeoutMs', { sessionTimeoutMs: Number.NaN }],
  ['sessionTimeoutMs', { sessionTimeoutMs: '60000' }],
  ['cookieName', { cookieName: 'bad name' }],
  ['cookieName', { cookieName: '' }],
  ['cookieName', { cookieName: 42 }],
  ['auth', { auth: {} }],
  ['auth', { auth: 'secret' }],
  ['auth.password', { auth: { password: 7 } }],
  ['auth.credentials', { auth: { credentials: 'pw' } }],
  ['auth.scheme', { auth: { password: 'pw', scheme: 'ntlm' } }],
  ['auth.realm', { auth: { password: 'pw', realm: 'a"b' } }],
  ['auth.secret', { auth: { password: 'pw', secret: 'short' } }],
  ['auth.authorize', { auth: { password: 'pw', authorize: 'nobody' } }],
  ['auth.algorithms', { auth: { password: 'pw', algorithms: [] } }],
  ['maxMessages', { maxMessages: -1 }],
  ['maxMessages', { maxMessages: 1.5 }],
  ['maxSessions', { maxSessions: 0 }],
  ['maxSessions', { maxSessions: Number.POSITIVE_INFINITY }],
  ['maxDevices', { maxDevices: 0 }],
  ['maxRecordedBytes', { maxRecordedBytes: -5 }],
  ['maxRequestBytes', { maxRequestBytes: 0 }],
  ['connectionRequestTimeoutMs', { connectionRequestTimeoutMs: 0 }],
  ['userCodeTimeoutMs', { userCodeTimeoutMs: 0 }],
  ['userCodeTimeoutMs', { userCodeTimeoutMs: '30s' }],
  ['port', { port: -1 }],
  ['port', { port: 70_000 }],
  ['port', { port: 1.5 }],
  ['backlog', { backlog: -1 }],
  ['host', { host: 42 }],
  ['versions', { versions: ['9.9'] }],
  ['versions', { versions: [] }],
  ['deviceKey', { deviceKey: 'serial' }],
  ['script', { script: {} }],
  ['onCpeRequest', { onCpeRequest: true }],
  ['informFault', { informFault: 8005 }],
  ['onError', { onError: 'log' }],
  ['now', { now: 0 }],
  ['limits.maxConnections', { limits: { maxConnections: 0 } }],
  ['sourceLimits', { sourceLimits: 'strict' }],
  ['sourceLimits.holdMs', { sourceLimits: { holdMs: 0 } }],
]

describe('attack: bad simulator options', () => {
  it.each(bad)('%s: %o gives a ConfigError naming the field', async (field, options) => {
    const check = (err: unknown): void => {
      expect(isCwmpError(err) && err.code === 'ERR_CWMP_CONFIG_INVALID' ? err.field : err).toBe(field)
    }
    let thrown: unknown
    try {
      assembleAcsSimulator(options as AcsSimulatorOptions)
    } catch (err) {
      thrown = err
    }
    // Options checked while listening (port, host, backlog, limits) pass assembly; the rest must not.
    if (!['port', 'host', 'backlog', 'maxRequestBytes', 'connectionRequestTimeoutMs'].includes(field) && !field.startsWith('limits.')) check(thrown)
    const started = await createAcsSimulator(options as AcsSimulatorOptions).then(
      async (sim) => {
        await sim.close()
        return 'started'
      },
      (err: unknown) => err,
    )
    check(started)
  })
})
