import { describe, expect, it } from 'vitest'
import {
  parseAuthorization,
  parseDigestAuthorization,
  parseDigestChallenges,
  parseWwwAuthenticate,
  selectDigestChallenge,
} from '../../src/index.js'
import { toDigestChallenge } from '../../src/auth/digest.js'
import { quoteHeaderValue } from '../../src/auth/header.js'

const code = (c: string) => expect.objectContaining({ name: 'AuthError', code: c })

describe('parseWwwAuthenticate', () => {
  it('parses the RFC 7235 §4.1 example: two challenges, an escaped quote, a bare token value', () => {
    const got = parseWwwAuthenticate('Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"')
    expect(got).toHaveLength(2)
    expect(got[0]?.scheme).toBe('Newauth')
    expect({ ...got[0]?.params }).toEqual({ realm: 'apps', type: '1', title: 'Login to "apps"' })
    expect(got[1]?.scheme).toBe('Basic')
    expect({ ...got[1]?.params }).toEqual({ realm: 'simple' })
  })

  it('takes Basic and Digest together, in either order, and repeated headers as an array', () => {
    const a = parseWwwAuthenticate('Basic realm="cwmp", Digest realm="cwmp", nonce="n1", qop="auth"')
    expect(a.map((c) => c.scheme)).toEqual(['Basic', 'Digest'])
    const b = parseWwwAuthenticate(['Digest realm="cwmp", nonce="n1"', 'Basic realm="cwmp"'])
    expect(b.map((c) => c.scheme)).toEqual(['Digest', 'Basic'])
  })

  it('names are case-insensitive (returned lower case), values keep their case', () => {
    const [c] = parseWwwAuthenticate('DIGEST REALM="Cwmp", Nonce="AbC", ALGORITHM=sha-256, QOP="AUTH"')
    expect({ ...c?.params }).toEqual({ realm: 'Cwmp', nonce: 'AbC', algorithm: 'sha-256', qop: 'AUTH' })
    const d = toDigestChallenge(c!)
    expect(d.algorithm).toBe('SHA-256')
    expect(d.qop).toEqual(['auth'])
  })

  it('accepts BWS around "=", empty list elements and tabs', () => {
    const [c] = parseWwwAuthenticate(' ,, Digest\trealm = "r" ,, nonce\t=\t"n" , ')
    expect({ ...c?.params }).toEqual({ realm: 'r', nonce: 'n' })
  })

  it('reads token68 (Basic credentials, Negotiate) and a scheme without parameters', () => {
    const [n, b] = parseWwwAuthenticate('Negotiate, Basic realm="x"')
    expect(n).toEqual({ scheme: 'Negotiate', params: {} })
    expect(b?.scheme).toBe('Basic')
    const cred = parseAuthorization('Basic dXNlcjpwYXNz==')
    expect(cred.token68).toBe('dXNlcjpwYXNz==')
  })

  it('is lenient with unquoted values real devices send (uri=/a/b, base64 nonces)', () => {
    const [c] = parseWwwAuthenticate('Digest realm=cwmp, nonce=YWJj/+==, qop=auth')
    expect({ ...c?.params }).toEqual({ realm: 'cwmp', nonce: 'YWJj/+==', qop: 'auth' })
  })

  it('does not let a parameter named __proto__ touch the prototype', () => {
    const [c] = parseWwwAuthenticate('Digest __proto__="x", realm="r", nonce="n"')
    expect(Object.getPrototypeOf(c?.params)).toBe(null)
    expect(c?.params['__proto__']).toBe('x')
    expect(({} as Record<string, unknown>)['x']).toBeUndefined()
  })

  it.each([
    ['Digest realm="unterminated', 'ERR_CWMP_AUTH_MALFORMED'],
    ['Digest realm="a\\', 'ERR_CWMP_AUTH_MALFORMED'],
    ['Digest realm="a", realm="b"', 'ERR_CWMP_AUTH_MALFORMED'],
    ['Digest realm="a", REALM="b"', 'ERR_CWMP_AUTH_MALFORMED'],
    ['Digest realm="a" nonce="b"', 'ERR_CWMP_AUTH_MALFORMED'],
    ['=x', 'ERR_CWMP_AUTH_MALFORMED'],
    ['', 'ERR_CWMP_AUTH_MALFORMED'],
    ['  ,  ', 'ERR_CWMP_AUTH_MALFORMED'],
    ['Digest realm="a\u0000b"', 'ERR_CWMP_AUTH_MALFORMED'],
    ['Digest realm="a\r\nX-Injected: 1"', 'ERR_CWMP_AUTH_MALFORMED'],
  ])('rejects %j with %s', (header, c) => {
    expect(() => parseWwwAuthenticate(header)).toThrow(code(c))
  })

  it('rejects megabyte headers with ERR_CWMP_AUTH_LIMIT_EXCEEDED before parsing them', () => {
    const huge = `Digest realm="${'a'.repeat(1024 * 1024)}", nonce="n"`
    expect(() => parseWwwAuthenticate(huge)).toThrow(code('ERR_CWMP_AUTH_LIMIT_EXCEEDED'))
    expect(() => parseWwwAuthenticate(Array(2000).fill('Basic realm="x"'))).toThrow(
      code('ERR_CWMP_AUTH_LIMIT_EXCEEDED'),
    )
    // The limit is configurable.
    expect(parseWwwAuthenticate(huge, { maxLength: 2 * 1024 * 1024 })).toHaveLength(1)
  })

  it('rejects values that are not strings with ERR_CWMP_AUTH_INVALID_ARGUMENT', () => {
    expect(() => parseWwwAuthenticate(42 as unknown as string)).toThrow(code('ERR_CWMP_AUTH_INVALID_ARGUMENT'))
  })
})

describe('Digest challenges', () => {
  it('defaults: algorithm MD5, no qop means RFC 2069, stale and userhash flags', () => {
    const d = selectDigestChallenge('Digest realm="r", nonce="n", stale=TRUE, userhash=true, opaque="o", domain="/a /b"')
    expect(d).toEqual({
      realm: 'r',
      nonce: 'n',
      algorithm: 'MD5',
      qop: [],
      stale: true,
      userhash: true,
      opaque: 'o',
      domain: '/a /b',
    })
  })

  it('a token68 where parameters belong is ERR_CWMP_AUTH_MALFORMED (valid RFC 7235 syntax, not Digest)', () => {
    expect(parseWwwAuthenticate('Digest realm')[0]?.token68).toBe('realm')
    expect(() => selectDigestChallenge('Digest realm')).toThrow(code('ERR_CWMP_AUTH_MALFORMED'))
    expect(() => selectDigestChallenge('Digest realm=')).toThrow(code('ERR_CWMP_AUTH_MALFORMED'))
  })

  it('missing realm or nonce is ERR_CWMP_AUTH_MALFORMED', () => {
    expect(() => selectDigestChallenge('Digest nonce="n"')).toThrow(code('ERR_CWMP_AUTH_MALFORMED'))
    expect(() => selectDigestChallenge('Digest realm="r"')).toThrow(code('ERR_CWMP_AUTH_MALFORMED'))
  })

  it('an unknown algorithm is ERR_CWMP_AUTH_UNSUPPORTED, and skipped when others are usable', () => {
    expect(() => toDigestChallenge(parseWwwAuthenticate('Digest realm="r", nonce="n", algorithm=SHA-1')[0]!)).toThrow(
      code('ERR_CWMP_AUTH_UNSUPPORTED'),
    )
    expect(() => selectDigestChallenge('Digest realm="r", nonce="n", algorithm=AKAv1-MD5, Basic realm="r"')).toThrow(
      code('ERR_CWMP_AUTH_UNSUPPORTED'),
    )
    const d = selectDigestChallenge('Digest realm="r", nonce="a", algorithm=FOO, Digest realm="r", nonce="b", algorithm=MD5')
    expect(d.nonce).toBe('b')
  })

  it('a qop list with nothing we implement is ERR_CWMP_AUTH_UNSUPPORTED ("qop=undefined", genieacs#181)', () => {
    expect(() => selectDigestChallenge('Digest realm="r", nonce="n", qop="undefined"')).toThrow(
      code('ERR_CWMP_AUTH_UNSUPPORTED'),
    )
  })

  it('orders by strength, keeping the server order for ties, and honours an allow-list', () => {
    const header = [
      'Digest realm="r", nonce="1", algorithm=MD5',
      'Digest realm="r", nonce="2", algorithm=SHA-256-sess',
      'Digest realm="r", nonce="3", algorithm=SHA-512-256',
      'Digest realm="r", nonce="4", algorithm=SHA-256',
    ]
    expect(parseDigestChallenges(header).map((c) => c.nonce)).toEqual(['3', '2', '4', '1'])
    expect(selectDigestChallenge(header, { algorithms: ['MD5', 'SHA-256'] }).nonce).toBe('4')
  })
})

describe('Digest credentials', () => {
  const base =
    'Digest username="u", realm="r", nonce="n", uri="/acs", response="0123456789abcdef0123456789abcdef", qop=auth, nc=00000001, cnonce="c"'

  it('parses a full response', () => {
    expect(parseDigestAuthorization(base)).toEqual({
      username: 'u',
      userhash: false,
      realm: 'r',
      nonce: 'n',
      uri: '/acs',
      response: '0123456789abcdef0123456789abcdef',
      algorithm: 'MD5',
      qop: 'auth',
      nc: '00000001',
      cnonce: 'c',
    })
  })

  it.each([
    ['no username', base.replace('username="u", ', '')],
    ['no response', base.replace(', response="0123456789abcdef0123456789abcdef"', '')],
    ['no uri', base.replace(', uri="/acs"', '')],
    ['qop without nc', base.replace(', nc=00000001', '')],
    ['qop without cnonce', base.replace(', cnonce="c"', '')],
    ['a short nc', base.replace('nc=00000001', 'nc=1')],
    ['username and username*', `${base}, username*=UTF-8''u`],
    ['a duplicate parameter', `${base}, nonce="m"`],
    ['two credentials', `${base}, Basic dXNlcjpwYXNz`],
    ['token68 for Digest', 'Digest abc=='],
    ['-sess without cnonce', 'Digest username="u", realm="r", nonce="n", uri="/", response="x", algorithm=MD5-sess'],
  ])('rejects %s with ERR_CWMP_AUTH_MALFORMED', (_name, header) => {
    expect(() => parseDigestAuthorization(header)).toThrow(code('ERR_CWMP_AUTH_MALFORMED'))
  })

  it('rejects an unknown algorithm or qop with ERR_CWMP_AUTH_UNSUPPORTED', () => {
    expect(() => parseDigestAuthorization(`${base}, algorithm=SHA-1`)).toThrow(code('ERR_CWMP_AUTH_UNSUPPORTED'))
    expect(() => parseDigestAuthorization(base.replace('qop=auth', 'qop=auth-conf'))).toThrow(
      code('ERR_CWMP_AUTH_UNSUPPORTED'),
    )
  })
})

describe('quoteHeaderValue', () => {
  it('escapes quotes and backslashes and refuses CR/LF', () => {
    expect(quoteHeaderValue('a"b\\c')).toBe('"a\\"b\\\\c"')
    expect(() => quoteHeaderValue('a\r\nb')).toThrow(code('ERR_CWMP_AUTH_INVALID_ARGUMENT'))
  })

  it('round-trips through the parser', () => {
    const v = 'x"y\\z, w=1'
    const [c] = parseWwwAuthenticate(`Digest realm=${quoteHeaderValue(v)}, nonce="n"`)
    expect(c?.params['realm']).toBe(v)
  })
})

describe('username* of any length (issue 9 item 3: String.fromCharCode(...bytes) overflowed the stack)', () => {
  it('decodes an ISO-8859-1 username* of 150,000 bytes', () => {
    const n = 150_000
    const header =
      `Digest username*=ISO-8859-1''${'%E4'.repeat(n)}, realm="r", nonce="n", uri="/", ` +
      'response="0123456789abcdef0123456789abcdef"'
    expect(parseDigestAuthorization(header, { maxLength: header.length }).username).toBe('\u00e4'.repeat(n))
  })
})
