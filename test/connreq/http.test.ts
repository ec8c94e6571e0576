import { describe, expect, it } from 'vitest'
import {
  type ConnectionRequestHandlerOptions,
  type IncomingConnectionRequest,
  createConnectionRequestClient,
  createConnectionRequestHandler,
  createConnectionRequestPolicy,
  createDigestClient,
  selectDigestChallenge,
} from '../../src/index.js'

const PATH = '/cr/6f1c2d'
const CREDS = { username: 'acs-user', password: 'cr-secret' }

function handler(extra: Partial<ConnectionRequestHandlerOptions> = {}) {
  return createConnectionRequestHandler({ path: PATH, ...CREDS, secret: 'connreq-test-secret-01', ...extra })
}

/** An authenticated GET as an ACS would send it: fetch the challenge, answer it. */
function authedGet(h: ReturnType<typeof handler>, now: number, creds = CREDS): IncomingConnectionRequest {
  const challenge = h.handle({ method: 'GET', url: PATH, headers: {} }, { now, inSession: false })
  expect(challenge.response.status).toBe(401)
  const client = createDigestClient(creds)
  client.handleResponse({ status: 401, wwwAuthenticate: challenge.response.headers['WWW-Authenticate'] })
  return { method: 'GET', url: PATH, headers: { authorization: client.authorization({ method: 'GET', uri: PATH }) } }
}

describe('CPE Connection Request handler (HTTP)', () => {
  it('answers an unauthenticated GET with 401 and an MD5 Digest challenge, qop=auth', () => {
    const d = handler().handle({ method: 'GET', url: PATH, headers: {} }, { now: 0, inSession: false })
    expect(d.response).toMatchObject({ status: 401, body: '' })
    expect(d.outcome).toBe('unauthorized')
    expect(d.startSession).toBe(false)
    const ch = selectDigestChallenge(d.response.headers['WWW-Authenticate'] ?? '')
    expect(ch).toMatchObject({ algorithm: 'MD5', qop: ['auth'], realm: 'cwmp' })
  })

  it('accepts the authenticated GET with 200, empty body, and says: start a session now', () => {
    const h = handler()
    const d = h.handle(authedGet(h, 1000), { now: 1000, inSession: false })
    expect(d.response).toEqual({ status: 200, headers: { 'Content-Length': '0' }, body: '' })
    expect(d).toMatchObject({ outcome: 'accepted', startSession: true, sessionAfterCurrent: false })
    expect(d.auth).toMatchObject({ ok: true, username: 'acs-user' })
  })

  it('answers 204 when configured', () => {
    const h = handler({ successStatus: 204 })
    const d = h.handle(authedGet(h, 0), { now: 0, inSession: false })
    expect(d.response).toEqual({ status: 204, headers: {}, body: '' })
  })

  it('404 for another path (before authentication), 405 with Allow for other methods', () => {
    const h = handler()
    expect(h.handle({ method: 'GET', url: '/other', headers: {} }, { now: 0, inSession: false }).response.status).toBe(404)
    expect(h.handle({ method: 'POST', url: '/other', headers: {} }, { now: 0, inSession: false }).response.status).toBe(404)
    const d = h.handle({ method: 'POST', url: PATH, headers: {} }, { now: 0, inSession: false })
    expect(d.response).toMatchObject({ status: 405, headers: { Allow: 'GET' } })
    expect(h.handle({ method: 'HEAD', url: PATH, headers: {} }, { now: 0, inSession: false }).response.status).toBe(405)
    // A query string on the right path is fine.
    expect(h.handle({ method: 'GET', url: `${PATH}?x=1`, headers: {} }, { now: 0, inSession: false }).response.status).toBe(401)
  })

  it('wrong credentials get 401 and never start a session; so does a replayed request', () => {
    const h = handler()
    const bad = h.handle(authedGet(h, 0, { ...CREDS, password: 'wrong' }), { now: 0, inSession: false })
    expect(bad).toMatchObject({ outcome: 'unauthorized', startSession: false })
    expect(bad.response.status).toBe(401)
    const good = authedGet(h, 0)
    expect(h.handle(good, { now: 0, inSession: false }).startSession).toBe(true)
    const replay = h.handle(good, { now: 1, inSession: false })
    expect(replay).toMatchObject({ outcome: 'unauthorized', startSession: false })
    expect(replay.auth).toMatchObject({ ok: false, reason: 'replay' })
  })

  it('authentication: false accepts a GET without credentials, but only a GET, only on its path, and rate limited', () => {
    const h = handler({ authentication: false, rateLimit: { max: 1, windowMs: 60_000 } })
    const open = h.handle({ method: 'GET', url: PATH, headers: {} }, { now: 0, inSession: false })
    expect(open.response).toEqual({ status: 200, headers: { 'Content-Length': '0' }, body: '' })
    expect(open).toMatchObject({ outcome: 'accepted', startSession: true })
    expect(open.auth).toBeUndefined()
    expect(h.handle({ method: 'POST', url: PATH, headers: {} }, { now: 1, inSession: false }).response.status).toBe(405)
    expect(h.handle({ method: 'GET', url: '/elsewhere', headers: {} }, { now: 1, inSession: false }).response.status).toBe(404)
    h.sessionStarted()
    h.sessionEnded()
    expect(h.handle({ method: 'GET', url: PATH, headers: {} }, { now: 2, inSession: false }).response.status).toBe(503)
  })

  it('update(): new credentials, path and switch are checked from the next request on, policy state kept', () => {
    const h = handler()
    const old = authedGet(h, 0)
    h.update({ username: 'new-user', password: 'new-secret' })
    expect(h.handle(old, { now: 0, inSession: false }).response.status).toBe(401)
    const fresh = h.handle(authedGet(h, 1, { username: 'new-user', password: 'new-secret' }), { now: 1, inSession: false })
    expect(fresh).toMatchObject({ outcome: 'accepted', startSession: true })
    h.update({ path: '/cr/new', authentication: false })
    expect(h.handle({ method: 'GET', url: PATH, headers: {} }, { now: 2, inSession: false }).response.status).toBe(404)
    // Still pending from the accepted request above: 200, and no second session.
    expect(h.handle({ method: 'GET', url: '/cr/new', headers: {} }, { now: 2, inSession: false })).toMatchObject({
      outcome: 'accepted-pending',
      startSession: false,
    })
    h.update({ authentication: true })
    expect(h.handle({ method: 'GET', url: '/cr/new', headers: {} }, { now: 3, inSession: false }).response.status).toBe(401)
    expect(() => h.update({ path: 'no-slash' })).toThrow(expect.objectContaining({ code: 'ERR_CWMP_AUTH_INVALID_ARGUMENT' }))
  })

  it('further authenticated requests before the session starts succeed without another session', () => {
    const h = handler()
    expect(h.handle(authedGet(h, 0), { now: 0, inSession: false }).startSession).toBe(true)
    for (const t of [1, 2, 3]) {
      const d = h.handle(authedGet(h, t), { now: t, inSession: false })
      expect(d.response.status).toBe(200)
      expect(d).toMatchObject({ outcome: 'accepted-pending', startSession: false, sessionAfterCurrent: false })
    }
    h.sessionStarted()
    expect(h.state.pending).toBe(false)
  })

  it('during a session (default policy "queue"): accepted, and exactly one session follows the current one', () => {
    const h = handler()
    const first = h.handle(authedGet(h, 0), { now: 0, inSession: true })
    expect(first.response.status).toBe(200)
    expect(first).toMatchObject({ outcome: 'accepted-queued', startSession: false, sessionAfterCurrent: true })
    const more = h.handle(authedGet(h, 1), { now: 1, inSession: true })
    expect(more).toMatchObject({ outcome: 'accepted-pending', startSession: false, sessionAfterCurrent: false })
    expect(h.sessionEnded()).toEqual({ startSession: true })
    // Between the end and the start of the new session: success, nothing more.
    expect(h.handle(authedGet(h, 2), { now: 2, inSession: false }).outcome).toBe('accepted-pending')
    h.sessionStarted()
    expect(h.sessionEnded()).toEqual({ startSession: false })
  })

  it('during a session with policy "reject": 503 without Retry-After, and no session', () => {
    const h = handler({ duringSession: 'reject' })
    const d = h.handle(authedGet(h, 0), { now: 0, inSession: true })
    expect(d.response).toEqual({ status: 503, headers: { 'Content-Length': '0' }, body: '' })
    expect(d).toMatchObject({ outcome: 'rejected-in-session', startSession: false, sessionAfterCurrent: false })
    expect(Object.keys(d.response.headers).map((k) => k.toLowerCase())).not.toContain('retry-after')
    expect(h.sessionEnded()).toEqual({ startSession: false })
  })

  it('rate limit: the default allows 5 sessions per 60 s, then 503 without Retry-After until the window moves', () => {
    const h = handler()
    const times = [0, 1000, 2000, 3000, 4000]
    for (const t of times) {
      expect(h.handle(authedGet(h, t), { now: t, inSession: false }).startSession).toBe(true)
      h.sessionStarted()
      h.sessionEnded()
    }
    const limited = h.handle(authedGet(h, 5000), { now: 5000, inSession: false })
    expect(limited.response.status).toBe(503)
    expect(limited).toMatchObject({ outcome: 'rejected-rate-limit', startSession: false })
    expect(Object.keys(limited.response.headers).map((k) => k.toLowerCase())).not.toContain('retry-after')
    // 60 s after the first acceptance, one slot is free again.
    expect(h.handle(authedGet(h, 60_000), { now: 60_000, inSession: false }).startSession).toBe(true)
  })

  it('rate limit is configurable and can be switched off', () => {
    const one = handler({ rateLimit: { max: 1, windowMs: 10_000 } })
    expect(one.handle(authedGet(one, 0), { now: 0, inSession: false }).startSession).toBe(true)
    one.sessionStarted()
    one.sessionEnded()
    expect(one.handle(authedGet(one, 9_999), { now: 9_999, inSession: false }).response.status).toBe(503)
    const none = handler({ rateLimit: null })
    for (let t = 0; t < 20; t++) {
      expect(none.handle(authedGet(none, t), { now: t, inSession: false }).startSession).toBe(true)
      none.sessionStarted()
      none.sessionEnded()
    }
  })

  it('rate-limited requests during a session are refused too (queue policy)', () => {
    const h = handler({ rateLimit: { max: 1, windowMs: 60_000 } })
    expect(h.handle(authedGet(h, 0), { now: 0, inSession: false }).startSession).toBe(true)
    const d = h.handle(authedGet(h, 10), { now: 10, inSession: true })
    expect(d).toMatchObject({ outcome: 'rejected-rate-limit', sessionAfterCurrent: false })
    expect(h.sessionEnded()).toEqual({ startSession: false })
  })

  it('offers SHA-256 as well when configured (MD5 stays for older ACSs)', () => {
    const h = handler({ algorithms: ['MD5', 'SHA-256'] })
    const d = h.handle({ method: 'GET', url: PATH, headers: {} }, { now: 0, inSession: false })
    const values = d.response.headers['WWW-Authenticate']
    expect(Array.isArray(values) ? values.length : 0).toBe(2)
    expect(selectDigestChallenge(values ?? '').algorithm).toBe('SHA-256')
  })

  it('validates its options', () => {
    const code = expect.objectContaining({ code: 'ERR_CWMP_AUTH_INVALID_ARGUMENT' })
    expect(() => handler({ path: 'cr' })).toThrow(code)
    expect(() => handler({ successStatus: 202 as 200 })).toThrow(code)
    expect(() => handler({ rateLimit: { max: 0, windowMs: 1 } })).toThrow(code)
    expect(() => createConnectionRequestPolicy({ rateLimit: { max: 1, windowMs: 0 } })).toThrow(code)
  })
})

describe('ACS Connection Request client', () => {
  it('talks to the CPE handler in memory: 401, then the authenticated GET is accepted', () => {
    const h = handler()
    const acs = createConnectionRequestClient({ url: `http://192.0.2.7:7547${PATH}`, ...CREDS })
    let steps = 0
    for (;;) {
      const req = acs.request()
      expect(req.method).toBe('GET')
      const d = h.handle({ method: req.method, url: new URL(req.url).pathname, headers: req.headers }, { now: 0, inSession: false })
      const step = acs.handleResponse({ status: d.response.status, headers: d.response.headers })
      steps++
      if (step.done) {
        expect(step).toEqual({ done: true, result: 'accepted', status: 200 })
        expect(d.startSession).toBe(true)
        break
      }
    }
    expect(steps).toBe(2)
  })

  it('reports wrong credentials, busy (503) and other statuses', () => {
    const h = handler()
    const drive = (creds: typeof CREDS, inSession: boolean) => {
      const acs = createConnectionRequestClient({ url: `http://cpe${PATH}`, ...creds })
      for (let i = 0; i < 5; i++) {
        const req = acs.request()
        const d = h.handle({ method: 'GET', url: PATH, headers: req.headers }, { now: 0, inSession })
        const step = acs.handleResponse({ status: d.response.status, headers: d.response.headers })
        if (step.done) return step.result
      }
      return 'loop'
    }
    expect(drive({ ...CREDS, password: 'bad' }, false)).toBe('unauthorized')
    const strict = createConnectionRequestHandler({ path: PATH, ...CREDS, duringSession: 'reject' })
    const acs = createConnectionRequestClient({ url: `http://cpe${PATH}`, ...CREDS })
    let result = ''
    for (let i = 0; i < 3 && result === ''; i++) {
      const d = strict.handle({ method: 'GET', url: PATH, headers: acs.request().headers }, { now: 0, inSession: true })
      const step = acs.handleResponse({ status: d.response.status, headers: d.response.headers })
      if (step.done) result = step.result
    }
    expect(result).toBe('busy')
    const other = createConnectionRequestClient({ url: `http://cpe${PATH}`, ...CREDS })
    expect(other.handleResponse({ status: 404, headers: {} })).toEqual({ done: true, result: 'failed', status: 404 })
  })

  it('falls back to Basic only when allowed and the CPE offers nothing else, and only once', () => {
    const acs = createConnectionRequestClient({ url: 'http://cpe/cr', username: 'u', password: 'p' }, { allowBasic: true })
    expect(acs.request().headers).toEqual({})
    expect(acs.handleResponse({ status: 401, headers: { 'www-authenticate': 'Basic realm="cpe"' } })).toEqual({ done: false })
    expect(acs.request().headers).toEqual({ Authorization: 'Basic dTpw' })
    expect(acs.handleResponse({ status: 401, headers: { 'www-authenticate': 'Basic realm="cpe"' } })).toMatchObject({
      done: true,
      result: 'unauthorized',
    })
    // By default the password is not sent in clear (TR-069 requires Digest for Connection Requests).
    const strict = createConnectionRequestClient({ url: 'http://cpe/cr', username: 'u', password: 'p' })
    expect(strict.handleResponse({ status: 401, headers: { 'WWW-Authenticate': 'Basic realm="cpe"' } })).toMatchObject({ done: true, result: 'failed' })
  })

  it('refuses URLs that are not http', () => {
    expect(() => createConnectionRequestClient({ url: 'ftp://cpe/cr', username: 'u', password: 'p' })).toThrow(
      expect.objectContaining({ code: 'ERR_CWMP_AUTH_INVALID_ARGUMENT' }),
    )
    expect(() => createConnectionRequestClient({ url: 'not a url', username: 'u', password: 'p' })).toThrow(
      expect.objectContaining({ code: 'ERR_CWMP_AUTH_INVALID_ARGUMENT' }),
    )
  })
})
