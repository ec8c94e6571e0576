/**
 * The simulator's authenticator of CPEs, without sockets: Digest answered by the library's client,
 * Basic, per-user lookups, refusals with their 401 and reason, and bad configurations.
 */
import { describe, expect, it } from 'vitest'
import { createCpeAuthenticator, type CpeAuthenticator, type CpeAuthResult } from '../../src/acs/cpe-authenticator.js'
import { createBasicAuthorization, createDigestClient, type AcsSimulatorAuth, type HttpRequest } from '../../src/index.js'

const post = (authorization?: string): HttpRequest => ({
  method: 'POST',
  url: '/acs',
  headers: authorization === undefined ? {} : { authorization },
  body: '<Inform/>',
})

/** Without a shared nonce counter the verdict is synchronous. */
function check(server: CpeAuthenticator, request: HttpRequest): CpeAuthResult {
  const verdict = server.authenticate(request)
  if (verdict instanceof Promise) throw new Error('expected a synchronous verdict')
  return verdict
}

function refused(result: CpeAuthResult): Extract<CpeAuthResult, { ok: false }> {
  if (result.ok) throw new Error('expected a refusal')
  return result
}

/** One Digest exchange: challenge, then the client's answer to it. */
function digestLogin(auth: AcsSimulatorAuth, username: string, password: string): CpeAuthResult {
  const server = createCpeAuthenticator(auth, { now: () => 1_000_000 })
  const challenge = refused(check(server, post()))
  const client = createDigestClient({ username, password }, { cnonce: () => 'c0ffee' })
  client.handleResponse({ status: 401, wwwAuthenticate: challenge.reply.headers['www-authenticate'] })
  return check(server, post(client.authorization({ method: 'POST', uri: '/acs' })))
}

describe('CPE authenticator', () => {
  it('without auth everyone is the anonymous user', () => {
    expect(check(createCpeAuthenticator(undefined, { now: Date.now }), post())).toEqual({ ok: true, username: undefined })
  })

  it('Digest: a challenge first (401, no body), then the right password is that user', () => {
    const server = createCpeAuthenticator({ password: 'pw', realm: 'r' }, { now: () => 0 })
    const first = refused(check(server, post()))
    expect(first.reply).toMatchObject({ status: 401, body: '', headers: { 'content-length': '0' } })
    expect(String(first.reply.headers['www-authenticate'])).toMatch(/^Digest realm="r"/)
    expect(first.reply.headers['connection']).toBeUndefined()
    expect(first.why).toBe('Digest: missing')
    expect(digestLogin({ password: 'pw' }, 'AABBCC-GW-1', 'pw')).toEqual({ ok: true, username: 'AABBCC-GW-1' })
    expect(refused(digestLogin({ password: 'pw' }, 'AABBCC-GW-1', 'wrong')).why).toMatch(/^Digest: /)
  })

  it('a fixed user name refuses others; a credentials lookup decides per user and wins over password', () => {
    expect(digestLogin({ username: 'acs-user', password: 'pw' }, 'acs-user', 'pw').ok).toBe(true)
    expect(digestLogin({ username: 'acs-user', password: 'pw' }, 'someone-else', 'pw').ok).toBe(false)
    const lookup: AcsSimulatorAuth = { password: 'shared', credentials: (u) => (u === 'dev-1' ? 'one' : undefined) }
    expect(digestLogin(lookup, 'dev-1', 'one').ok).toBe(true)
    expect(digestLogin(lookup, 'dev-1', 'shared').ok).toBe(false)
    expect(digestLogin(lookup, 'dev-2', 'shared').ok).toBe(false)
  })

  it('Basic: missing, refused, accepted; closeOnChallenge adds Connection: close to each 401', () => {
    const server = createCpeAuthenticator({ scheme: 'basic', password: 'pw', closeOnChallenge: true }, { now: () => 0 })
    const missing = refused(check(server, post()))
    expect(missing).toMatchObject({ why: 'Basic: missing', reply: { status: 401, headers: { 'www-authenticate': 'Basic realm="cwmp-acs", charset="UTF-8"', connection: 'close' } } })
    expect(refused(check(server, post(createBasicAuthorization({ username: 'u', password: 'bad' })))).why).toBe('Basic: refused')
    expect(refused(check(server, post('Basic !!!'))).why).toBe('Basic: refused')
    expect(check(server, post(createBasicAuthorization({ username: 'u', password: 'pw' })))).toEqual({ ok: true, username: 'u' })
  })

  it('refuses a configuration with neither a password nor a lookup', () => {
    expect(() => createCpeAuthenticator({ username: 'u' }, { now: () => 0 })).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'auth' }))
  })
})
