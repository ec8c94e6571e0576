import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  DIGEST_ALGORITHMS,
  type DigestAlgorithm,
  type DigestServerOptions,
  computeDigestHa1,
  computeDigestUserhash,
  createDigestAuthorization,
  createDigestClient,
  createDigestServer,
  createMemoryNonceStore,
  parseDigestAuthorization,
  selectDigestChallenge,
} from '../../src/index.js'

const SECRET = 'test-secret-0123456789'
const USERS: Record<string, string> = { cpe: 'pa55', 'J\u00e4s\u00f8n': 'p\u00e4ss' }

function server(extra: Partial<DigestServerOptions> = {}, clock = { t: 1_700_000_000_000 }) {
  return {
    clock,
    digest: createDigestServer({
      realm: 'acs',
      secret: SECRET,
      now: () => clock.t,
      lookup: ({ username, userhash, algorithm, realm }) => {
        if (userhash) {
          const name = Object.keys(USERS).find((u) => computeDigestUserhash(algorithm, u, realm) === username)
          return name === undefined ? undefined : { username: name, password: USERS[name] ?? '' }
        }
        const pw = USERS[username]
        return pw === undefined ? undefined : { password: pw }
      },
      ...extra,
    }),
  }
}

/** Run the whole 401 → retry dance in memory; returns the verify result of the retried request. */
function dance(s: ReturnType<typeof server>, username: string, password: string, req = { method: 'POST', uri: '/acs', body: '' }) {
  const first = s.digest.verify({ ...req, authorization: undefined })
  expect(first.ok).toBe(false)
  if (first.ok) throw new Error('unreachable')
  expect(first.reason).toBe('missing')
  const client = createDigestClient({ username, password })
  const step = client.handleResponse({ status: 401, wwwAuthenticate: first.challenge })
  expect(step.retry).toBe(true)
  const authorization = client.authorization(req)
  return { client, result: s.digest.verify({ ...req, authorization }), authorization }
}

describe('Digest server and client', () => {
  it.each(DIGEST_ALGORITHMS.map((a) => [a]))('%s with qop auth round-trips', (algorithm) => {
    const s = server({ algorithms: [algorithm as DigestAlgorithm] })
    const { result } = dance(s, 'cpe', 'pa55')
    expect(result).toMatchObject({ ok: true, username: 'cpe', algorithm, qop: 'auth', nc: 1 })
  })

  it.each(DIGEST_ALGORITHMS.map((a) => [a]))('%s with qop auth-int checks the body', (algorithm) => {
    const s = server({ algorithms: [algorithm as DigestAlgorithm], qop: ['auth-int'] })
    const req = { method: 'POST', uri: '/acs', body: '<soap:Envelope/>' }
    const { result, authorization } = dance(s, 'cpe', 'pa55', req)
    expect(result).toMatchObject({ ok: true, qop: 'auth-int' })
    // Same header, different body (a fresh nc so the replay check is not what fails).
    const client = createDigestClient({ username: 'cpe', password: 'pa55' })
    client.handleResponse({ status: 401, wwwAuthenticate: s.digest.challenge() })
    const auth2 = client.authorization(req)
    expect(s.digest.verify({ ...req, body: '<soap:Envelope />', authorization: auth2 })).toMatchObject({
      ok: false,
      reason: 'bad-response',
    })
    expect(authorization).toContain('qop=auth-int')
  })

  it.each(DIGEST_ALGORITHMS.map((a) => [a]))('%s without qop (RFC 2069) when allowed; the nonce is single-use', (algorithm) => {
    const s = server({ algorithms: [algorithm as DigestAlgorithm], qop: [], allowRfc2069: true })
    const { result, client } = dance(s, 'cpe', 'pa55')
    expect(result).toMatchObject({ ok: true, qop: undefined, nc: 1 })
    const again = client.authorization({ method: 'POST', uri: '/acs' })
    expect(again).not.toContain('nc=')
    expect(s.digest.verify({ method: 'POST', uri: '/acs', authorization: again })).toMatchObject({ ok: false, reason: 'replay' })
  })

  it('bad options from JavaScript get a ConfigError naming the field, not a TypeError from inside', () => {
    const make = createDigestServer as (o: unknown) => unknown
    const good = { realm: 'acs', secret: SECRET, lookup: () => undefined }
    for (const [options, field] of [
      [undefined, 'options'],
      [{ ...good, realm: undefined }, 'realm'],
      [{ ...good, secret: undefined }, 'secret'],
      [{ ...good, secret: 42 }, 'secret'],
      [{ ...good, lookup: undefined }, 'lookup'],
    ] as const) {
      let caught: unknown
      try {
        make(options)
      } catch (err) {
        caught = err
      }
      expect(caught, field).toBeInstanceOf(ConfigError)
      expect(caught, field).toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID', field })
    }
    expect(String((() => { try { make({ ...good, secret: 42 }) } catch (e) { return (e as Error).message } })())).not.toMatch(/42/)
  })

  it('offers the configured algorithms strongest first, and the client picks the strongest', () => {
    const s = server({ algorithms: ['MD5', 'SHA-512-256', 'SHA-256'] })
    const ch = s.digest.challenge()
    expect(ch.map((c) => selectDigestChallenge(c).algorithm)).toEqual(['SHA-512-256', 'SHA-256', 'MD5'])
    const { result } = dance(s, 'cpe', 'pa55')
    expect(result).toMatchObject({ ok: true, algorithm: 'SHA-512-256' })
    // A client restricted to MD5 still gets in.
    const client = createDigestClient({ username: 'cpe', password: 'pa55' }, { algorithms: ['MD5'] })
    client.handleResponse({ status: 401, wwwAuthenticate: ch })
    const auth = client.authorization({ method: 'GET', uri: '/x' })
    expect(s.digest.verify({ method: 'GET', uri: '/x', authorization: auth })).toMatchObject({ ok: true, algorithm: 'MD5' })
  })

  it('counts nc per nonce and accepts each increasing nc once', () => {
    const s = server()
    const { client, result } = dance(s, 'cpe', 'pa55')
    expect(result.ok).toBe(true)
    for (let i = 2; i <= 5; i++) {
      const auth = client.authorization({ method: 'POST', uri: '/acs' })
      expect(parseDigestAuthorization(auth!).nc).toBe(i.toString(16).padStart(8, '0'))
      expect(s.digest.verify({ method: 'POST', uri: '/acs', authorization: auth })).toMatchObject({ ok: true, nc: i })
    }
    expect(client.nonceCount).toBe(5)
  })

  it('rejects a replayed header (same nonce and nc) and an older nc', () => {
    const s = server()
    const { client, authorization } = dance(s, 'cpe', 'pa55')
    expect(s.digest.verify({ method: 'POST', uri: '/acs', authorization })).toMatchObject({ ok: false, reason: 'replay' })
    const a2 = client.authorization({ method: 'POST', uri: '/acs' })
    const a3 = client.authorization({ method: 'POST', uri: '/acs' })
    expect(s.digest.verify({ method: 'POST', uri: '/acs', authorization: a3 }).ok).toBe(true)
    expect(s.digest.verify({ method: 'POST', uri: '/acs', authorization: a2 })).toMatchObject({ ok: false, reason: 'replay' })
  })

  it('verifies a nonce issued by another process with the same secret (stateless nonces)', () => {
    const a = server()
    const b = server({}, a.clock)
    const challenge = a.digest.challenge()
    const client = createDigestClient({ username: 'cpe', password: 'pa55' })
    client.handleResponse({ status: 401, wwwAuthenticate: challenge })
    const auth = client.authorization({ method: 'POST', uri: '/acs' })
    expect(b.digest.verify({ method: 'POST', uri: '/acs', authorization: auth })).toMatchObject({ ok: true })
    // A server with another secret refuses it.
    const c = createDigestServer({ realm: 'acs', secret: 'another-secret-0123', lookup: () => ({ password: 'pa55' }), now: () => a.clock.t })
    expect(c.verify({ method: 'POST', uri: '/acs', authorization: auth })).toMatchObject({ ok: false, reason: 'bad-nonce' })
  })

  it('an expired nonce with a correct response gets stale=true; the client retries with the same credentials', () => {
    const s = server({ nonceLifetimeMs: 1000 })
    const { client } = dance(s, 'cpe', 'pa55')
    s.clock.t += 1001
    const late = client.authorization({ method: 'POST', uri: '/acs' })
    const r = s.digest.verify({ method: 'POST', uri: '/acs', authorization: late })
    expect(r).toMatchObject({ ok: false, reason: 'stale' })
    if (r.ok) throw new Error('unreachable')
    expect(r.challenge.every((c) => selectDigestChallenge(c).stale)).toBe(true)
    const step = client.handleResponse({ status: 401, wwwAuthenticate: r.challenge })
    expect(step).toMatchObject({ retry: true, reason: 'stale' })
    const retry = client.authorization({ method: 'POST', uri: '/acs' })
    expect(parseDigestAuthorization(retry!).nc).toBe('00000001')
    expect(s.digest.verify({ method: 'POST', uri: '/acs', authorization: retry })).toMatchObject({ ok: true })
  })

  it('an expired nonce with a wrong response is bad-response, not stale', () => {
    const s = server({ nonceLifetimeMs: 1000 })
    const client = createDigestClient({ username: 'cpe', password: 'wrong' })
    client.handleResponse({ status: 401, wwwAuthenticate: s.digest.challenge() })
    s.clock.t += 5000
    const auth = client.authorization({ method: 'GET', uri: '/' })
    expect(s.digest.verify({ method: 'GET', uri: '/', authorization: auth })).toMatchObject({ ok: false, reason: 'bad-response' })
  })

  it('wrong password, unknown user, wrong realm, uri, opaque and a forged nonce are refused with a new challenge', () => {
    const s = server({ opaque: 'opq' })
    const ch = selectDigestChallenge(s.digest.challenge())
    const make = (over: Partial<typeof ch> = {}, user = 'cpe', pw = 'pa55', uri = '/acs') =>
      createDigestAuthorization({ ...ch, ...over }, { username: user, password: pw }, { method: 'POST', uri }, { nc: 1, cnonce: 'c' })
    const verify = (authorization: string, uri = '/acs') => s.digest.verify({ method: 'POST', uri, authorization })
    expect(verify(make({}, 'cpe', 'nope'))).toMatchObject({ ok: false, reason: 'bad-response', username: 'cpe' })
    expect(verify(make({}, 'ghost'))).toMatchObject({ ok: false, reason: 'unknown-user' })
    expect(verify(make({ realm: 'other' }))).toMatchObject({ ok: false, reason: 'realm-mismatch' })
    expect(verify(make({}, 'cpe', 'pa55', '/elsewhere'))).toMatchObject({ ok: false, reason: 'uri-mismatch' })
    expect(verify(make({ opaque: 'x' }))).toMatchObject({ ok: false, reason: 'opaque-mismatch' })
    const forged = `${ch.nonce.slice(0, -2)}${ch.nonce.endsWith('AA') ? 'AB' : 'AA'}`
    expect(verify(make({ nonce: forged }))).toMatchObject({ ok: false, reason: 'bad-nonce' })
    expect(verify(make({ nonce: 'not-ours' }))).toMatchObject({ ok: false, reason: 'bad-nonce' })
    const r = verify(make({}, 'cpe', 'nope'))
    if (r.ok) throw new Error('unreachable')
    expect(r.challenge).toHaveLength(1)
    expect(selectDigestChallenge(r.challenge).stale).toBe(false)
  })

  it('accepts the absolute-URI form of uri when it names this host and the same request-target', () => {
    const s = server()
    const ch = selectDigestChallenge(s.digest.challenge())
    const auth = createDigestAuthorization(ch, { username: 'cpe', password: 'pa55' }, { method: 'GET', uri: 'http://acs.example/acs?x=1' }, { nc: 1, cnonce: 'c' })
    expect(s.digest.verify({ method: 'GET', uri: '/acs?x=1', host: 'ACS.example:80', authorization: auth })).toMatchObject({ ok: true })
  })

  it('attack: an absolute uri naming another host (or no Host to compare with) is refused (RFC 7616 §3.4.6)', () => {
    const s = server()
    const sign = (uri: string) =>
      createDigestAuthorization(selectDigestChallenge(s.digest.challenge()), { username: 'cpe', password: 'pa55' }, { method: 'GET', uri }, { nc: 1, cnonce: 'c' })
    // An Authorization computed for another server's resource, replayed here with a matching path.
    expect(s.digest.verify({ method: 'GET', uri: '/acs', host: 'acs.example', authorization: sign('http://other.example/acs') })).toMatchObject({
      ok: false,
      reason: 'uri-mismatch',
    })
    expect(s.digest.verify({ method: 'GET', uri: '/acs', host: 'acs.example', authorization: sign('http://acs.example:8080/acs') })).toMatchObject({
      ok: false,
      reason: 'uri-mismatch',
    })
    expect(s.digest.verify({ method: 'GET', uri: '/acs', host: 'acs.example', authorization: sign('http://u:p@acs.example/acs') })).toMatchObject({
      ok: false,
      reason: 'uri-mismatch',
    })
    expect(s.digest.verify({ method: 'GET', uri: '/acs', authorization: sign('http://acs.example/acs') })).toMatchObject({
      ok: false,
      reason: 'uri-mismatch',
    })
    expect(s.digest.verify({ method: 'GET', uri: '/acs', host: 'acs.example', authorization: sign('/acs') })).toMatchObject({ ok: true })
  })

  it('refuses an algorithm or qop it did not offer, and RFC 2069 unless allowed', () => {
    const s = server({ algorithms: ['SHA-256'] })
    const ch = selectDigestChallenge(s.digest.challenge())
    const creds = { username: 'cpe', password: 'pa55' }
    const md5 = createDigestAuthorization({ ...ch, algorithm: 'MD5' }, creds, { method: 'GET', uri: '/' }, { nc: 1, cnonce: 'c' })
    expect(s.digest.verify({ method: 'GET', uri: '/', authorization: md5 })).toMatchObject({ ok: false, reason: 'unsupported' })
    const int = createDigestAuthorization({ ...ch, qop: ['auth-int'] }, creds, { method: 'GET', uri: '/' }, { nc: 1, cnonce: 'c' })
    expect(s.digest.verify({ method: 'GET', uri: '/', authorization: int })).toMatchObject({ ok: false, reason: 'unsupported' })
    const r2069 = createDigestAuthorization({ ...ch, qop: [] }, creds, { method: 'GET', uri: '/' }, { nc: 1, cnonce: 'c' })
    expect(s.digest.verify({ method: 'GET', uri: '/', authorization: r2069 })).toMatchObject({ ok: false, reason: 'unsupported' })
  })

  it('supports userhash (RFC 7616 §3.4.4) with a UTF-8 user name', () => {
    const s = server({ algorithms: ['SHA-256'], userhash: true, charset: true })
    const ch = s.digest.challenge()
    expect(ch[0]).toContain('userhash=true')
    expect(ch[0]).toContain('charset=UTF-8')
    const client = createDigestClient({ username: 'J\u00e4s\u00f8n', password: 'p\u00e4ss' })
    client.handleResponse({ status: 401, wwwAuthenticate: ch })
    const auth = client.authorization({ method: 'GET', uri: '/' })!
    const parsed = parseDigestAuthorization(auth)
    expect(parsed.userhash).toBe(true)
    expect(parsed.username).toBe(computeDigestUserhash('SHA-256', 'J\u00e4s\u00f8n', 'acs'))
    expect(s.digest.verify({ method: 'GET', uri: '/', authorization: auth })).toMatchObject({ ok: true, username: 'J\u00e4s\u00f8n' })
  })

  it('accepts a stored ha1 instead of the password', () => {
    const ha1 = computeDigestHa1('SHA-256', 'cpe', 'acs', 'pa55')
    const s = createDigestServer({ realm: 'acs', secret: SECRET, algorithms: ['SHA-256-sess'], lookup: () => ({ ha1 }) })
    const client = createDigestClient({ username: 'cpe', password: 'pa55' })
    client.handleResponse({ status: 401, wwwAuthenticate: s.challenge() })
    expect(s.verify({ method: 'GET', uri: '/', authorization: client.authorization({ method: 'GET', uri: '/' }) })).toMatchObject({ ok: true })
  })

  it('never throws on hostile Authorization headers: malformed and unsupported are results', () => {
    const s = server()
    for (const authorization of ['Digest realm="', 'Digest ' + 'x'.repeat(100_000), 'Digest username="u", algorithm=FOO', 'Basic Zm9vOmJhcg==', ['a', 'b']]) {
      const r = s.digest.verify({ method: 'GET', uri: '/', authorization })
      expect(r.ok).toBe(false)
      if (r.ok) continue
      expect(['malformed', 'unsupported', 'missing']).toContain(r.reason)
      expect(r.challenge.length).toBeGreaterThan(0)
    }
  })

  it('check() skips the replay store', () => {
    const s = server()
    const { authorization } = dance(s, 'cpe', 'pa55')
    expect(s.digest.check({ method: 'POST', uri: '/acs', authorization })).toMatchObject({ ok: true, nc: 1 })
  })

  it('validates its options', () => {
    const code = (c: string) => expect.objectContaining({ code: c })
    expect(() => createDigestServer({ realm: 'r', secret: 'short', lookup: () => undefined })).toThrow(code('ERR_CWMP_AUTH_INVALID_ARGUMENT'))
    expect(() => createDigestServer({ realm: 'r', secret: SECRET, algorithms: [], lookup: () => undefined })).toThrow(code('ERR_CWMP_AUTH_INVALID_ARGUMENT'))
    expect(() => createDigestServer({ realm: 'a\nb', secret: SECRET, lookup: () => undefined })).toThrow(code('ERR_CWMP_AUTH_INVALID_ARGUMENT'))
    expect(() => createDigestServer({ realm: 'r', secret: SECRET, qop: [], lookup: () => undefined })).toThrow(code('ERR_CWMP_AUTH_INVALID_ARGUMENT'))
  })
})

describe('Digest client retry policy', () => {
  it('the first refusal after sending credentials is final by default', () => {
    const s = server()
    const { client } = dance(s, 'cpe', 'wrong')
    const r = s.digest.verify({ method: 'POST', uri: '/acs', authorization: client.authorization({ method: 'POST', uri: '/acs' }) })
    if (r.ok) throw new Error('unreachable')
    expect(client.handleResponse({ status: 401, wwwAuthenticate: r.challenge })).toEqual({ retry: false, reason: 'rejected' })
  })

  it('maxRejections 2 retries once on a fresh non-stale nonce (servers that forget nonces)', () => {
    const client = createDigestClient({ username: 'u', password: 'p' }, { maxRejections: 2, cnonce: () => 'c' })
    expect(client.handleResponse({ status: 401, wwwAuthenticate: 'Digest realm="r", nonce="n1", qop="auth"' }).retry).toBe(true)
    client.authorization({ method: 'GET', uri: '/' })
    expect(client.handleResponse({ status: 401, wwwAuthenticate: 'Digest realm="r", nonce="n2", qop="auth"' })).toMatchObject({ retry: true, reason: 'new-nonce' })
    client.authorization({ method: 'GET', uri: '/' })
    expect(client.handleResponse({ status: 401, wwwAuthenticate: 'Digest realm="r", nonce="n3", qop="auth"' })).toEqual({ retry: false, reason: 'rejected' })
  })

  it('a success resets the counters; Authentication-Info nextnonce is adopted with nc restarting', () => {
    const client = createDigestClient({ username: 'u', password: 'p' }, { cnonce: () => 'c' })
    client.handleResponse({ status: 401, wwwAuthenticate: 'Digest realm="r", nonce="n1", qop="auth"' })
    client.authorization({ method: 'GET', uri: '/' })
    expect(client.handleResponse({ status: 200, authenticationInfo: 'nextnonce="n9", qop=auth' })).toEqual({ retry: false, reason: 'accepted' })
    const next = parseDigestAuthorization(client.authorization({ method: 'GET', uri: '/' })!)
    expect(next).toMatchObject({ nonce: 'n9', nc: '00000001' })
    // After the success, a new challenge (a new session) is answered again.
    expect(client.handleResponse({ status: 401, wwwAuthenticate: 'Digest realm="r", nonce="n10"' }).retry).toBe(true)
  })

  it('stale challenges are bounded', () => {
    const client = createDigestClient({ username: 'u', password: 'p' }, { maxStaleRetries: 2 })
    client.handleResponse({ status: 401, wwwAuthenticate: 'Digest realm="r", nonce="a"' })
    for (const [nonce, retry] of [['b', true], ['c', true], ['d', false]] as const) {
      client.authorization({ method: 'GET', uri: '/' })
      expect(client.handleResponse({ status: 401, wwwAuthenticate: `Digest realm="r", nonce="${nonce}", stale=true` }).retry).toBe(retry)
    }
  })

  it('a 401 without a usable challenge throws AuthError; no authorization before a challenge', () => {
    const client = createDigestClient({ username: 'u', password: 'p' })
    expect(client.authorization({ method: 'GET', uri: '/' })).toBeUndefined()
    expect(() => client.handleResponse({ status: 401 })).toThrow(expect.objectContaining({ code: 'ERR_CWMP_AUTH_MALFORMED' }))
    expect(() => client.handleResponse({ status: 401, wwwAuthenticate: 'Basic realm="r"' })).toThrow(
      expect.objectContaining({ code: 'ERR_CWMP_AUTH_UNSUPPORTED' }),
    )
    client.handleResponse({ status: 401, wwwAuthenticate: 'Digest realm="r", nonce="n"' })
    client.reset()
    expect(client.challenge).toBeUndefined()
  })

  it('uses the injected cnonce, one per nonce', () => {
    let i = 0
    const client = createDigestClient({ username: 'u', password: 'p' }, { cnonce: () => `cn${++i}` })
    client.handleResponse({ status: 401, wwwAuthenticate: 'Digest realm="r", nonce="n1", qop="auth"' })
    const a = parseDigestAuthorization(client.authorization({ method: 'GET', uri: '/' })!)
    const b = parseDigestAuthorization(client.authorization({ method: 'GET', uri: '/' })!)
    expect([a.cnonce, b.cnonce]).toEqual(['cn1', 'cn1'])
    client.authorization({ method: 'GET', uri: '/' })
    client.handleResponse({ status: 401, wwwAuthenticate: 'Digest realm="r", nonce="n2", qop="auth", stale=true' })
    expect(parseDigestAuthorization(client.authorization({ method: 'GET', uri: '/' })!).cnonce).toBe('cn2')
  })
})

describe('memory nonce store', () => {
  it('is bounded and never accepts a replay of an evicted nonce (it asks for a stale retry instead)', () => {
    const store = createMemoryNonceStore({ maxEntries: 3 })
    const use = (nonce: string, nc: number, issuedAt: number) => store.check({ nonce, nc, issuedAt, sequence: 0, expiresAt: issuedAt + 10_000, now: issuedAt + 1 })
    expect(use('a', 1, 100)).toBe('fresh')
    expect(use('b', 1, 200)).toBe('fresh')
    expect(use('c', 1, 300)).toBe('fresh')
    expect(use('a', 2, 100)).toBe('fresh') // a is now most recent; b is the oldest
    expect(use('d', 1, 400)).toBe('fresh') // evicts b
    expect(store.size).toBe(3)
    expect(use('b', 2, 200)).toBe('forgotten')
    expect(use('b', 1, 200)).toBe('forgotten')
    expect(use('a', 2, 100)).toBe('replay')
    expect(use('e', 1, 500)).toBe('fresh') // newer than the floor
  })

  it('orders nonces of the same millisecond by their sequence', () => {
    const store = createMemoryNonceStore({ maxEntries: 1 })
    const use = (nonce: string, sequence: number) => store.check({ nonce, nc: 1, issuedAt: 7, sequence, expiresAt: 100, now: 8 })
    expect(use('s1', 1)).toBe('fresh')
    expect(use('s2', 2)).toBe('fresh') // evicts s1: floor is (7, 1)
    expect(use('s1', 1)).toBe('forgotten')
    expect(use('s3', 3)).toBe('fresh')
  })

  it('drops expired entries, raising the floor only to their own issue time', () => {
    const store = createMemoryNonceStore({ maxEntries: 2 })
    store.check({ nonce: 'old', nc: 1, issuedAt: 0, sequence: 0, expiresAt: 10, now: 1 })
    store.check({ nonce: 'x', nc: 1, issuedAt: 50, sequence: 0, expiresAt: 1000, now: 51 })
    expect(store.check({ nonce: 'y', nc: 1, issuedAt: 60, sequence: 0, expiresAt: 1000, now: 100 })).toBe('fresh')
    expect(store.size).toBe(2)
    expect(store.check({ nonce: 'z', nc: 1, issuedAt: 40, sequence: 0, expiresAt: 1000, now: 100 })).toBe('fresh')
  })

  it('keeps an entry until its expiry has passed: no replay at exactly expiresAt', () => {
    const store = createMemoryNonceStore()
    expect(store.check({ nonce: 'a', nc: 1, issuedAt: 0, sequence: 0, expiresAt: 10, now: 1 })).toBe('fresh')
    // Another nonce at exactly a's expiry must not drop a: the server still accepts a at that time.
    expect(store.check({ nonce: 'b', nc: 1, issuedAt: 5, sequence: 0, expiresAt: 15, now: 10 })).toBe('fresh')
    expect(store.check({ nonce: 'a', nc: 1, issuedAt: 0, sequence: 0, expiresAt: 10, now: 10 })).toBe('replay')
    // An entry evicted for room at its expiry time still sets the floor.
    const small = createMemoryNonceStore({ maxEntries: 1 })
    expect(small.check({ nonce: 'a', nc: 1, issuedAt: 0, sequence: 0, expiresAt: 10, now: 1 })).toBe('fresh')
    expect(small.check({ nonce: 'b', nc: 1, issuedAt: 5, sequence: 0, expiresAt: 15, now: 10 })).toBe('fresh')
    expect(small.check({ nonce: 'a', nc: 1, issuedAt: 0, sequence: 0, expiresAt: 10, now: 10 })).toBe('forgotten')
  })

  it('the server refuses a replay at the last millisecond of the nonce lifetime', () => {
    const clock = { t: 1_700_000_000_000 }
    const s = server({ nonceLifetimeMs: 1000 }, clock)
    const a = dance(s, 'cpe', 'pa55')
    expect(a.result.ok).toBe(true)
    clock.t += 1000
    expect(dance(s, 'cpe', 'pa55').result.ok).toBe(true) // a new nonce, checked at a's expiry time
    expect(s.digest.verify({ method: 'POST', uri: '/acs', body: '', authorization: a.authorization })).toMatchObject({ ok: false, reason: 'replay' })
  })

  it('attack: a clock that jumps forward (purging entries) and steps back does not bring a replay back', () => {
    const clock = { t: 1_700_000_000_000 }
    const s = server({ nonceLifetimeMs: 1000 }, clock)
    const t0 = clock.t
    const captured = dance(s, 'cpe', 'pa55')
    expect(captured.result.ok).toBe(true)
    clock.t = t0 + 3_600_000 // NTP jumps an hour ahead: the next request purges the expired entry
    expect(dance(s, 'cpe', 'pa55').result.ok).toBe(true)
    clock.t = t0 + 1 // and steps back: the captured nonce looks young again
    const replay = s.digest.verify({ method: 'POST', uri: '/acs', body: '', authorization: captured.authorization })
    expect(replay).toMatchObject({ ok: false })
    expect(replay.ok ? 'accepted' : replay.reason).not.toBe('bad-response')
    // The honest client is told its nonce is stale and gets back in with a fresh one.
    expect(replay).toMatchObject({ reason: 'stale' })
  })

  it('attack: the store clock never runs backwards, so a step back purges nothing early and forgets nothing', () => {
    const store = createMemoryNonceStore()
    expect(store.check({ nonce: 'a', nc: 1, issuedAt: 0, sequence: 0, expiresAt: 1000, now: 1 })).toBe('fresh')
    expect(store.check({ nonce: 'b', nc: 1, issuedAt: 5000, sequence: 0, expiresAt: 6000, now: 5001 })).toBe('fresh') // purges a
    // The wall clock steps back to a's lifetime: a is unknown now, and issued before the floor.
    expect(store.check({ nonce: 'a', nc: 1, issuedAt: 0, sequence: 0, expiresAt: 1000, now: 2 })).toBe('forgotten')
    expect(store.check({ nonce: 'a', nc: 5, issuedAt: 0, sequence: 0, expiresAt: 1000, now: 2 })).toBe('forgotten')
    expect(store.check({ nonce: 'b', nc: 1, issuedAt: 5000, sequence: 0, expiresAt: 6000, now: 2 })).toBe('replay')
  })

  it('the server answers a forgotten nonce with stale=true, and the client gets back in', () => {
    const s = server({ nonceStore: createMemoryNonceStore({ maxEntries: 1 }) })
    const a = dance(s, 'cpe', 'pa55')
    dance(s, 'cpe', 'pa55') // a's nonce is evicted
    const r = s.digest.verify({ method: 'POST', uri: '/acs', authorization: a.client.authorization({ method: 'POST', uri: '/acs' }) })
    expect(r).toMatchObject({ ok: false, reason: 'stale' })
    if (r.ok) throw new Error('unreachable')
    expect(a.client.handleResponse({ status: 401, wwwAuthenticate: r.challenge }).retry).toBe(true)
    expect(s.digest.verify({ method: 'POST', uri: '/acs', authorization: a.client.authorization({ method: 'POST', uri: '/acs' }) }).ok).toBe(true)
  })
})
