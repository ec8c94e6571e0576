import { describe, expect, it } from 'vitest'
import {
  checkBasicAuthorization,
  createBasicAuthorization,
  createBasicChallenge,
  formatCpeUsername,
  parseBasicAuthorization,
  parseCpeUsername,
  parseWwwAuthenticate,
} from '../../src/index.js'

const code = (c: string) => expect.objectContaining({ name: 'AuthError', code: c })

describe('Basic', () => {
  it('RFC 7617 §2 example: Aladdin / open sesame', () => {
    expect(createBasicAuthorization({ username: 'Aladdin', password: 'open sesame' })).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')
    expect(parseBasicAuthorization('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==')).toEqual({ username: 'Aladdin', password: 'open sesame' })
  })

  it('RFC 7617 §2.1 example: UTF-8 test / 123£', () => {
    expect(createBasicAuthorization({ username: 'test', password: '123\u00a3' })).toBe('Basic dGVzdDoxMjPCow==')
  })

  it('the password may contain ":"; the scheme is case-insensitive', () => {
    const h = createBasicAuthorization({ username: 'u', password: 'a:b' })
    expect(parseBasicAuthorization(h.replace('Basic', 'bAsIc'))).toEqual({ username: 'u', password: 'a:b' })
  })

  it.each([
    ['Digest username="x"', 'not Basic'],
    ['Basic', 'no token'],
    ['Basic !!!!', 'not base64'],
    ['Basic dXNlcg==', 'no colon'],
    ['Basic /w==', 'not UTF-8'],
    ['Basic abc', 'bad length'],
  ])('rejects %j (%s) with ERR_CWMP_AUTH_MALFORMED', (header) => {
    expect(() => parseBasicAuthorization(header)).toThrow(code('ERR_CWMP_AUTH_MALFORMED'))
  })

  it('refuses to build credentials it cannot represent', () => {
    expect(() => createBasicAuthorization({ username: 'a:b', password: 'p' })).toThrow(code('ERR_CWMP_AUTH_INVALID_ARGUMENT'))
    expect(() => createBasicAuthorization({ username: 'a', password: 'p\n' })).toThrow(code('ERR_CWMP_AUTH_INVALID_ARGUMENT'))
  })

  it('builds a challenge that parses back', () => {
    const [c] = parseWwwAuthenticate(createBasicChallenge('TR-069 "ACS"'))
    expect(c?.scheme).toBe('Basic')
    expect({ ...c?.params }).toEqual({ realm: 'TR-069 "ACS"', charset: 'UTF-8' })
  })

  it('checkBasicAuthorization: true only for the exact pair, false (never throws) for junk', () => {
    const expected = { username: 'cpe', password: 'pw' }
    expect(checkBasicAuthorization(createBasicAuthorization(expected), expected)).toBe(true)
    expect(checkBasicAuthorization(createBasicAuthorization({ username: 'cpe', password: 'pW' }), expected)).toBe(false)
    expect(checkBasicAuthorization(createBasicAuthorization({ username: 'cpe2', password: 'pw' }), expected)).toBe(false)
    expect(checkBasicAuthorization(createBasicAuthorization({ username: 'cpe', password: 'pw ' }), expected)).toBe(false)
    expect(checkBasicAuthorization(undefined, expected)).toBe(false)
    expect(checkBasicAuthorization('Basic "', expected)).toBe(false)
  })
})

describe('TR-069 CPE user name (§3.4.4)', () => {
  it('formats both forms; typical values are unchanged', () => {
    expect(formatCpeUsername({ oui: '00d09e', productClass: 'IGD', serialNumber: 'ABC123' })).toBe('00D09E-IGD-ABC123')
    expect(formatCpeUsername({ oui: '00D09E', serialNumber: 'ABC_1.2~3' })).toBe('00D09E-ABC_1.2~3')
    expect(formatCpeUsername({ oui: '00D09E', productClass: '', serialNumber: 'X' })).toBe('00D09E-X')
  })

  it('percent-encodes each UTF-8 octet (é is %C3%A9, as the specification says), and "-"', () => {
    expect(formatCpeUsername({ oui: '00D09E', productClass: 'Box-2', serialNumber: 'S/N \u00e9' })).toBe('00D09E-Box%2D2-S%2FN%20%C3%A9')
  })

  it('parses what it formats, and accepts plain names from other implementations', () => {
    for (const id of [
      { oui: '00D09E', productClass: 'Box-2', serialNumber: 'S/N \u00e9%' },
      { oui: 'ABCDEF', serialNumber: '--' },
      { oui: '123456', productClass: '\u{1F600}', serialNumber: 'x' },
    ]) {
      expect(parseCpeUsername(formatCpeUsername(id))).toEqual(id)
    }
    expect(parseCpeUsername('00147F-IGD-CP0815JT3SH')).toEqual({ oui: '00147F', productClass: 'IGD', serialNumber: 'CP0815JT3SH' })
  })

  it.each(['00D09E', 'XYZ123-IGD-1', '00D09E-a-b-c', '00D09E-IGD-%ZZ', '00D09E-IGD-%FF', '00D09E--SN', '00D09E-'])(
    'rejects %j with ERR_CWMP_AUTH_MALFORMED',
    (name) => {
      expect(() => parseCpeUsername(name)).toThrow(code('ERR_CWMP_AUTH_MALFORMED'))
    },
  )

  it('refuses a bad OUI or an empty serial number', () => {
    expect(() => formatCpeUsername({ oui: '00D09', serialNumber: 'x' })).toThrow(code('ERR_CWMP_AUTH_INVALID_ARGUMENT'))
    expect(() => formatCpeUsername({ oui: '00D09E', serialNumber: '' })).toThrow(code('ERR_CWMP_AUTH_INVALID_ARGUMENT'))
  })
})
