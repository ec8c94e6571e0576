// Every parser of src/auth and src/connreq is total: on any input it returns, or throws an
// AuthError with a stable ERR_CWMP_AUTH_* code, never anything else. The verifiers never throw.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  AuthError,
  INITIAL_UDP_REPLAY_STATE,
  createConnectionRequestHandler,
  createConnectionRequestPolicy,
  createDigestClient,
  createDigestServer,
  decodeStunMessage,
  handleXmppConnectionRequest,
  isCwmpError,
  parseAuthorization,
  parseBasicAuthorization,
  parseCpeUsername,
  parseDigestAuthorization,
  parseUdpConnectionRequest,
  parseWwwAuthenticate,
  parseXmppConnectionRequest,
  selectDigestChallenge,
  verifyUdpConnectionRequest,
} from '../../src/index.js'

const AUTH_CODES = ['ERR_CWMP_AUTH_MALFORMED', 'ERR_CWMP_AUTH_UNSUPPORTED', 'ERR_CWMP_AUTH_LIMIT_EXCEEDED', 'ERR_CWMP_AUTH_INVALID_ARGUMENT']

function total(fn: () => unknown): void {
  try {
    fn()
  } catch (err) {
    expect(err).toBeInstanceOf(AuthError)
    expect(isCwmpError(err)).toBe(true)
    expect(AUTH_CODES).toContain((err as AuthError).code)
  }
}

// Header-shaped text: tokens, quoted strings with escapes, separators, junk, in random order.
const piece = fc.oneof(
  fc.constantFrom('Digest', 'Basic', 'digest', 'realm', 'nonce', 'qop', 'algorithm', 'username', 'username*', 'uri', 'response', 'nc', 'cnonce', 'opaque', 'userhash', 'stale', 'auth', 'auth-int', 'MD5', 'SHA-256-sess', 'true', '00000001'),
  fc.constantFrom('=', ',', ' ', '\t', '"', '\\', "UTF-8''%C3%A4", '==', '/', '\r\n', '\u0000', '\u00e4', '%'),
  fc.string({ maxLength: 6 }),
  fc.string({ maxLength: 6 }).map((s) => `"${s.replace(/["\\]/g, '')}"`),
)
const headerish = fc.array(piece, { maxLength: 40 }).map((a) => a.join(''))
const anyText = fc.oneof(headerish, fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 }))

describe('parsers are total (fast-check)', () => {
  it('the check itself fails on any other exception', () => {
    expect(() => total(() => JSON.parse('{'))).toThrow()
    expect(() => total(() => { throw new Error('plain') })).toThrow()
    expect(() => total(() => { throw new AuthError('ERR_CWMP_AUTH_MALFORMED', 'fine') })).not.toThrow()
  })

  it('WWW-Authenticate, Authorization, Digest, Basic, CPE user name', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        total(() => parseWwwAuthenticate(s))
        total(() => parseWwwAuthenticate([s, s]))
        total(() => parseAuthorization(s))
        total(() => selectDigestChallenge(s))
        total(() => parseDigestAuthorization(s))
        total(() => parseBasicAuthorization(s))
        total(() => parseCpeUsername(s))
      }),
      { numRuns: 3000 },
    )
  })

  it('structured Digest credentials with random values', () => {
    const names = ['username', 'realm', 'nonce', 'uri', 'response', 'algorithm', 'qop', 'nc', 'cnonce', 'userhash', 'username*', 'opaque']
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...names), fc.string({ maxLength: 12 }), fc.boolean()), { maxLength: 14 }), (params) => {
        const header = `Digest ${params.map(([k, v, q]) => `${k}=${q ? `"${v.replace(/["\\]/g, '\\$&')}"` : v}`).join(', ')}`
        total(() => parseDigestAuthorization(header))
        total(() => selectDigestChallenge(header))
      }),
      { numRuns: 2000 },
    )
  })

  it('UDP Connection Request text and bytes', () => {
    const udpish = fc
      .array(fc.oneof(fc.constantFrom('GET ', 'http://', 'h:1', '/', '?', '&', 'ts=', 'id=', 'un=', 'cn=', 'sig=', ' HTTP/1.1', '\r\n', 'Host: x', '%', '+', '1'), fc.string({ maxLength: 5 })), { maxLength: 30 })
      .map((a) => a.join(''))
    fc.assert(
      fc.property(fc.oneof(udpish, anyText), fc.uint8Array({ maxLength: 300 }), (s, bytes) => {
        total(() => parseUdpConnectionRequest(s))
        total(() => parseUdpConnectionRequest(bytes))
        expect(verifyUdpConnectionRequest(s, { username: 'u', password: 'p', state: INITIAL_UDP_REPLAY_STATE }).action).toBeDefined()
        expect(verifyUdpConnectionRequest(bytes, { username: 'u', password: 'p', state: INITIAL_UDP_REPLAY_STATE }).action).toBe('ignore')
      }),
      { numRuns: 2000 },
    )
  })

  it('XMPP stanzas', () => {
    const xmlish = fc
      .array(
        fc.oneof(
          fc.constantFrom('<iq', ' type="set"', '>', '</iq>', '<connectionRequest xmlns="urn:broadband-forum-org:cwmp:xmppConnReq-1-0">', '</connectionRequest>', '<username>', '</username>', '<password>', '</password>', '&amp;', '&x;', '<!DOCTYPE x>', '<![CDATA[', ']]>', '<?pi?>', '/>', '"'),
          fc.string({ maxLength: 5 }),
        ),
        { maxLength: 30 },
      )
      .map((a) => a.join(''))
    const policy = createConnectionRequestPolicy()
    fc.assert(
      fc.property(fc.oneof(xmlish, anyText), (s) => {
        total(() => parseXmppConnectionRequest(s))
        const r = handleXmppConnectionRequest(s, { username: 'u', password: 'p', allowedJabberIds: [], policy, context: { now: 0, inSession: true } })
        expect(typeof r.startSession).toBe('boolean')
      }),
      { numRuns: 2000 },
    )
  })

  it('STUN messages', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => total(() => decodeStunMessage(bytes))),
      { numRuns: 3000 },
    )
  })
})

describe('verifiers never throw (fast-check)', () => {
  const server = createDigestServer({ realm: 'r', secret: 'totality-secret-0123', algorithms: ['SHA-256', 'MD5'], userhash: true, lookup: () => ({ password: 'p' }) })
  const handler = createConnectionRequestHandler({ path: '/cr', username: 'u', password: 'p' })

  it('Digest server verify and the CPE Connection Request handler', () => {
    fc.assert(
      fc.property(anyText, fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (authorization, method, uri) => {
        const r = server.verify({ method, uri, authorization })
        expect(r.ok).toBe(false)
        const d = handler.handle({ method, url: uri, headers: { authorization } }, { now: 0, inSession: false })
        expect([401, 404, 405]).toContain(d.response.status)
      }),
      { numRuns: 2000 },
    )
  })

  it('Digest client handleResponse: returns or throws AuthError', () => {
    fc.assert(
      fc.property(anyText, fc.option(anyText, { nil: undefined }), (www, info) => {
        const client = createDigestClient({ username: 'u', password: 'p' })
        total(() => client.handleResponse({ status: 401, wwwAuthenticate: www }))
        total(() => client.handleResponse({ status: 200, authenticationInfo: info }))
      }),
      { numRuns: 2000 },
    )
  })
})
