/**
 * The rules of every setting of the TR-069 page (`changeSettings`): each refused value is a
 * ConfigError naming the field and the rule, and leaves the settings as they were; what a change
 * merges; which fields differ.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SETTINGS, changeSettings, mergeSettingsChanges, settingsDiff } from '../../src/cpe/settings.js'
import type { CpeSettings, CpeSettingsChange } from '../../src/index.js'
import { ENV, settings } from './core-driver.js'

const base = settings({ connectionRequest: { username: 'acs', password: 'pw', port: 7547 } })

/** The change is refused with this field, and the settings given are untouched. */
function refused(change: unknown, field: string, current: CpeSettings = base): void {
  const before = JSON.stringify(current)
  let error: unknown
  try {
    changeSettings(current, change as CpeSettingsChange, ENV)
  } catch (e) {
    error = e
  }
  expect(error, `${JSON.stringify(change)} should be refused`).toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID', field })
  expect((error as { rule: string }).rule.length).toBeGreaterThan(0)
  expect(JSON.stringify(current)).toBe(before)
}

describe('every setting is checked (issue 8, "Bad input")', () => {
  it('the Inform interval is an integer ≥ 1: "abc", -5, 0, 1.5, NaN, Infinity and 2^32 are refused', () => {
    for (const v of ['abc', -5, 0, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 32, '600', null]) {
      refused({ periodicInformInterval: v }, 'periodicInformInterval')
    }
    expect(changeSettings(base, { periodicInformInterval: 1 }, ENV).periodicInformInterval).toBe(1)
    expect(changeSettings(base, { periodicInformInterval: 4294967295 }, ENV).periodicInformInterval).toBe(4294967295)
  })

  it('the ACS URL is http or https with a host, at most 256 characters', () => {
    for (const v of ['', 'acs.example', 'ftp://acs.example/', 'http://', 'http:///x', 'file:///etc/passwd', 'http://a b/', `http://a/${'x'.repeat(250)}`, 42]) {
      refused({ acsUrl: v }, 'acsUrl')
    }
    expect(changeSettings(base, { acsUrl: 'https://[::1]:7548/cwmp?x=1' }, ENV).acsUrl).toBe('https://[::1]:7548/cwmp?x=1')
    // At creation: no URL at all.
    refused({}, 'acsUrl', DEFAULT_SETTINGS)
  })

  it('user names and passwords are strings of at most 256 characters; a refused password is not echoed', () => {
    const long = 'x'.repeat(257)
    refused({ acsUsername: long }, 'acsUsername')
    refused({ acsUsername: 5 }, 'acsUsername')
    refused({ acsPassword: long }, 'acsPassword')
    refused({ connectionRequest: { username: long } }, 'connectionRequest.username')
    refused({ connectionRequest: { password: long } }, 'connectionRequest.password')
    try {
      changeSettings(base, { acsPassword: `secret-${long}` }, ENV)
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-')
    }
    // 256 code points, not UTF-16 units.
    expect(changeSettings(base, { acsPassword: '😀'.repeat(256) }, ENV).acsPassword).toHaveLength(512)
  })

  it('ports are integers 0–65535; paths start with / and carry no query, fragment or space', () => {
    for (const v of [-1, 65536, 1.5, '7547']) refused({ connectionRequest: { port: v } }, 'connectionRequest.port')
    for (const v of ['cr', '/a?b', '/a#b', '/a b', '', 7]) refused({ connectionRequest: { path: v } }, 'connectionRequest.path')
    expect(changeSettings(base, { connectionRequest: { port: 0, path: '/cr/8f2a%20x' } }, ENV).connectionRequest).toMatchObject({ port: 0, path: '/cr/8f2a%20x' })
  })

  it('the WAN interface is "any", an IP address, or an interface that exists', () => {
    refused({ wanInterface: 'eth9' }, 'wanInterface')
    refused({ wanInterface: '' }, 'wanInterface')
    refused({ wanInterface: 'Any_WAN' }, 'wanInterface')
    for (const v of ['any', 'lo', 'wan0', '127.0.0.2', '::1']) expect(changeSettings(base, { wanInterface: v }, ENV).wanInterface).toBe(v)
  })

  it('retry values stay in the TR-181 ranges; PeriodicInformTime is an xsd:dateTime; switches are booleans', () => {
    refused({ retry: { minimumWaitInterval: 0 } }, 'retry.minimumWaitInterval')
    refused({ retry: { minimumWaitInterval: 65536 } }, 'retry.minimumWaitInterval')
    refused({ retry: { intervalMultiplier: 999 } }, 'retry.intervalMultiplier')
    refused({ retry: { intervalMultiplier: 1000.5 } }, 'retry.intervalMultiplier')
    refused({ periodicInformTime: 'tomorrow' }, 'periodicInformTime')
    refused({ periodicInformTime: '2026-13-01T00:00:00Z' }, 'periodicInformTime')
    refused({ periodicInformEnable: 'true' }, 'periodicInformEnable')
    refused({ logSoap: 1 }, 'logSoap')
    refused({ connectionRequest: { authentication: 'off' } }, 'connectionRequest.authentication')
  })

  it('unknown fields, hosts, policies and limits are refused by name', () => {
    refused({ periodicInformIntervall: 600 }, 'periodicInformIntervall')
    refused({ connectionRequest: { user: 'x' } }, 'connectionRequest.user')
    refused({ retry: { m: 5 } }, 'retry.m')
    refused({ connectionRequest: { urlHost: 'a/b' } }, 'connectionRequest.urlHost')
    refused({ connectionRequest: { host: 'not a host' } }, 'connectionRequest.host')
    refused({ connectionRequest: { policy: { duringSession: 'drop' } } }, 'connectionRequest.policy.duringSession')
    refused({ connectionRequest: { policy: { rateLimit: { max: 0, windowMs: 1000 } } } }, 'connectionRequest.policy.rateLimit.max')
    refused({ connectionRequest: { limits: { maxConnections: 0 } } }, 'connectionRequest.limits.maxConnections')
    refused({ connectionRequest: { username: undefined } }, 'connectionRequest.username')
    refused({ connectionRequest: 'on' }, 'connectionRequest')
    refused('x', 'settings')
  })
})

describe('what a change merges', () => {
  it('keeps what it does not name, merges retry and connectionRequest field by field, resets optional fields given as undefined', () => {
    const next = changeSettings(base, { retry: { intervalMultiplier: 3000 }, connectionRequest: { password: 'new', urlHost: 'cpe.example' } }, ENV)
    expect(next.retry).toEqual({ minimumWaitInterval: 5, intervalMultiplier: 3000 })
    expect(next.connectionRequest).toEqual({ authentication: true, username: 'acs', password: 'new', port: 7547, path: '/cr-random', urlHost: 'cpe.example' })
    const back = changeSettings(next, { connectionRequest: { urlHost: undefined } }, ENV)
    expect(back.connectionRequest).not.toHaveProperty('urlHost')
    expect(changeSettings(next, { connectionRequest: false }, ENV).connectionRequest).toBe(false)
    // Turned on again: defaults and a new random path.
    expect(changeSettings(settings(), { connectionRequest: {} }, ENV).connectionRequest).toEqual({
      authentication: true,
      username: '',
      password: '',
      port: 0,
      path: '/cr-random',
    })
    expect(mergeSettingsChanges({ retry: { minimumWaitInterval: 9 }, connectionRequest: { username: 'a' } }, { retry: { intervalMultiplier: 4000 }, connectionRequest: { password: 'b' } })).toEqual({
      retry: { minimumWaitInterval: 9, intervalMultiplier: 4000 },
      connectionRequest: { username: 'a', password: 'b' },
    })
  })

  it('names what differs, dotted below retry and connectionRequest', () => {
    expect(settingsDiff(base, base)).toEqual([])
    const next = changeSettings(base, { acsUrl: 'http://b.test/', retry: { minimumWaitInterval: 9 }, logSoap: true, connectionRequest: { authentication: false, limits: { maxConnections: 4 } } }, ENV)
    expect(settingsDiff(base, next)).toEqual(['acsUrl', 'retry.minimumWaitInterval', 'logSoap', 'connectionRequest.authentication', 'connectionRequest.limits'])
    expect(settingsDiff(base, changeSettings(base, { connectionRequest: false }, ENV))).toEqual(['connectionRequest'])
  })

  it('random changes: refused with the settings untouched, or accepted as settings that check again unchanged', () => {
    const value = fc.oneof(fc.integer({ min: -10, max: 70000 }), fc.double(), fc.string({ maxLength: 8 }), fc.boolean(), fc.constant(undefined))
    const change = fc.record(
      {
        acsUrl: fc.oneof(fc.constantFrom('http://a.test/', 'https://b.test:8443/x', 'ftp://c/'), fc.string({ maxLength: 6 })),
        periodicInformInterval: value,
        periodicInformEnable: value,
        wanInterface: fc.constantFrom('any', 'lo', 'eth9', '127.0.0.3', ''),
        retry: fc.record({ minimumWaitInterval: value, intervalMultiplier: value }, { requiredKeys: [] }),
        connectionRequest: fc.oneof(fc.constant(false as const), fc.record({ port: value, path: fc.constantFrom('/ok', 'bad'), authentication: value }, { requiredKeys: [] })),
      },
      { requiredKeys: [] },
    )
    fc.assert(
      fc.property(change, (c) => {
        const before = JSON.stringify(base)
        let next: CpeSettings
        try {
          next = changeSettings(base, c as CpeSettingsChange, ENV)
        } catch (error) {
          expect(error).toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID' })
          expect(JSON.stringify(base)).toBe(before)
          return
        }
        expect(changeSettings(next, {}, ENV)).toEqual(next)
        expect(changeSettings(next, next, ENV)).toEqual(next)
        expect(settingsDiff(next, next)).toEqual([])
      }),
      { numRuns: 300 },
    )
  })
})
