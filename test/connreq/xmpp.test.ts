import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import {
  XMPP_CONNREQ_NAMESPACE,
  buildXmppConnectionRequest,
  buildXmppConnectionRequestError,
  buildXmppConnectionRequestResult,
  createConnectionRequestPolicy,
  handleXmppConnectionRequest,
  isJabberIdAllowed,
  parseXmppConnectionRequest,
  verifyXmppConnectionRequest,
} from '../../src/index.js'

const code = (c: string) => expect.objectContaining({ name: 'AuthError', code: c })
const REQUEST = {
  id: 'cr001',
  from: 'acs@xmpp.example.net/acs1',
  to: 'cpe-00D09E@xmpp.example.net/cwmp',
  username: 'cr-user',
  password: 'cr-pass',
}

describe('XMPP Connection Request (Annex K)', () => {
  it('builds the iq set stanza with the connectionRequest payload', () => {
    expect(buildXmppConnectionRequest(REQUEST)).toBe(
      '<iq from="acs@xmpp.example.net/acs1" to="cpe-00D09E@xmpp.example.net/cwmp" id="cr001" type="set">' +
        `<connectionRequest xmlns="${XMPP_CONNREQ_NAMESPACE}"><username>cr-user</username><password>cr-pass</password></connectionRequest></iq>`,
    )
  })

  it('parses what it builds', () => {
    expect(parseXmppConnectionRequest(buildXmppConnectionRequest(REQUEST))).toEqual({ ...REQUEST, type: 'set' })
  })

  it('escapes everything it emits, and parses it back exactly', () => {
    const tricky = { ...REQUEST, id: 'a"b\'c<d>&', username: '<u&"x">', password: "]]>&amp;\r\n\t'" }
    const xml = buildXmppConnectionRequest(tricky)
    expect(xml).not.toContain('<u&')
    expect(xml).toContain('<username>&lt;u&amp;&quot;x&quot;&gt;</username>')
    expect(parseXmppConnectionRequest(xml)).toEqual({ ...tricky, type: 'set' })
    expect(() => buildXmppConnectionRequest({ ...REQUEST, password: 'a\u0000b' })).toThrow(code('ERR_CWMP_AUTH_INVALID_ARGUMENT'))
  })

  it('accepts jabber:client namespaces, prefixes, whitespace and CDATA as real stanzas may have them', () => {
    const xml = `<iq xmlns="jabber:client" type="set" id="7" from="acs@x/y">
      <cr:connectionRequest xmlns:cr="${XMPP_CONNREQ_NAMESPACE}">
        <cr:username><![CDATA[u<1>]]></cr:username>
        <cr:password>p&amp;&#x41;</cr:password>
      </cr:connectionRequest>
    </iq>`
    expect(parseXmppConnectionRequest(xml)).toEqual({ type: 'set', id: '7', from: 'acs@x/y', username: 'u<1>', password: 'p&A' })
  })

  it.each([
    ['a DOCTYPE', `<!DOCTYPE iq [<!ENTITY x "y">]><iq type="set"><connectionRequest xmlns="${XMPP_CONNREQ_NAMESPACE}"><username>u</username><password>p</password></connectionRequest></iq>`],
    ['an external entity reference', `<iq type="set"><connectionRequest xmlns="${XMPP_CONNREQ_NAMESPACE}"><username>&xxe;</username><password>p</password></connectionRequest></iq>`],
    ['the wrong namespace', '<iq type="set"><connectionRequest xmlns="urn:other"><username>u</username><password>p</password></connectionRequest></iq>'],
    ['unqualified children', `<iq type="set"><c:connectionRequest xmlns:c="${XMPP_CONNREQ_NAMESPACE}"><username>u</username><password>p</password></c:connectionRequest></iq>`],
    ['password before username', `<iq type="set"><connectionRequest xmlns="${XMPP_CONNREQ_NAMESPACE}"><password>p</password><username>u</username></connectionRequest></iq>`],
    ['no password', `<iq type="set"><connectionRequest xmlns="${XMPP_CONNREQ_NAMESPACE}"><username>u</username></connectionRequest></iq>`],
    ['two usernames', `<iq type="set"><connectionRequest xmlns="${XMPP_CONNREQ_NAMESPACE}"><username>u</username><username>u</username><password>p</password></connectionRequest></iq>`],
    ['a nested element', `<iq type="set"><connectionRequest xmlns="${XMPP_CONNREQ_NAMESPACE}"><username><b>u</b></username><password>p</password></connectionRequest></iq>`],
    ['two payloads', `<iq type="set"><connectionRequest xmlns="${XMPP_CONNREQ_NAMESPACE}"><username>u</username><password>p</password></connectionRequest><connectionRequest xmlns="${XMPP_CONNREQ_NAMESPACE}"><username>u</username><password>p</password></connectionRequest></iq>`],
    ['no type', `<iq><connectionRequest xmlns="${XMPP_CONNREQ_NAMESPACE}"><username>u</username><password>p</password></connectionRequest></iq>`],
    ['a message stanza', '<message><body>hi</body></message>'],
    ['not well-formed XML', '<iq type="set"><connectionRequest>'],
    ['an empty string', ''],
  ])('rejects %s with ERR_CWMP_AUTH_MALFORMED', (_name, xml) => {
    expect(() => parseXmppConnectionRequest(xml)).toThrow(code('ERR_CWMP_AUTH_MALFORMED'))
  })

  it('rejects oversized stanzas (billion-laughs style input never reaches the parser)', () => {
    expect(() => parseXmppConnectionRequest(`<iq type="set">${' '.repeat(10_000)}</iq>`)).toThrow(code('ERR_CWMP_AUTH_LIMIT_EXCEEDED'))
  })

  it('allowed Jabber IDs: the TR-181 example (full JID exact, bare JID any resource, empty list allows all)', () => {
    const allowed = ['ACS1@tr069.example.com', 'ACS2@tr069.example.com/resource1']
    expect(isJabberIdAllowed('ACS1@tr069.example.com/resource1', allowed)).toBe(true)
    expect(isJabberIdAllowed('ACS1@tr069.example.com/resource2', allowed)).toBe(true)
    expect(isJabberIdAllowed('ACS2@tr069.example.com/resource1', allowed)).toBe(true)
    expect(isJabberIdAllowed('ACS2@tr069.example.com/resource2', allowed)).toBe(false)
    expect(isJabberIdAllowed('ACS@tr069.example.com/resource', allowed)).toBe(false)
    expect(isJabberIdAllowed('acs1@TR069.example.com/r', allowed)).toBe(true)
    expect(isJabberIdAllowed('ACS2@tr069.example.com/Resource1', allowed)).toBe(false)
    expect(isJabberIdAllowed(undefined, allowed)).toBe(false)
    expect(isJabberIdAllowed('anyone@anywhere/x', [])).toBe(true)
    expect(isJabberIdAllowed(undefined, [''])).toBe(true)
  })

  it('verify: type set, allowed sender, credentials', () => {
    const opts = { username: 'cr-user', password: 'cr-pass', allowedJabberIds: ['acs@xmpp.example.net'] }
    const req = parseXmppConnectionRequest(buildXmppConnectionRequest(REQUEST))
    expect(verifyXmppConnectionRequest(req, opts)).toEqual({ ok: true })
    expect(verifyXmppConnectionRequest({ ...req, password: 'x' }, opts)).toEqual({ ok: false, reason: 'bad-credentials', condition: 'not-authorized' })
    expect(verifyXmppConnectionRequest({ ...req, username: 'x' }, opts)).toMatchObject({ reason: 'bad-credentials' })
    expect(verifyXmppConnectionRequest({ ...req, from: 'evil@xmpp.example.net/acs1' }, opts)).toEqual({
      ok: false,
      reason: 'jid-not-allowed',
      condition: 'service-unavailable',
    })
    expect(verifyXmppConnectionRequest({ ...req, type: 'get' }, opts)).toMatchObject({ reason: 'not-set' })
  })

  it('builds result and error replies (RFC 6120 error types)', () => {
    const addr = { id: 'cr001', from: REQUEST.to, to: REQUEST.from }
    expect(buildXmppConnectionRequestResult(addr)).toBe(
      '<iq from="cpe-00D09E@xmpp.example.net/cwmp" to="acs@xmpp.example.net/acs1" id="cr001" type="result"/>',
    )
    expect(buildXmppConnectionRequestError({ ...addr, condition: 'service-unavailable' })).toBe(
      '<iq from="cpe-00D09E@xmpp.example.net/cwmp" to="acs@xmpp.example.net/acs1" id="cr001" type="error">' +
        '<error type="cancel"><service-unavailable xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error></iq>',
    )
    expect(buildXmppConnectionRequestError({ ...addr, condition: 'not-authorized' })).toContain(
      '<error type="auth"><not-authorized xmlns="urn:ietf:params:xml:ns:xmpp-stanzas"/></error>',
    )
  })

  it('handle: result and one session; rate-limited gives service-unavailable; bad password not-authorized', () => {
    const policy = createConnectionRequestPolicy({ rateLimit: { max: 1, windowMs: 60_000 } })
    const opts = { username: 'cr-user', password: 'cr-pass', allowedJabberIds: [], policy }
    const xml = buildXmppConnectionRequest(REQUEST)
    const ok = handleXmppConnectionRequest(xml, { ...opts, context: { now: 0, inSession: false } })
    expect(ok).toMatchObject({ acceptance: 'accepted', startSession: true })
    expect(ok.reply).toBe(buildXmppConnectionRequestResult({ id: 'cr001', from: REQUEST.to, to: REQUEST.from }))
    policy.sessionStarted()
    policy.sessionEnded()
    const limited = handleXmppConnectionRequest(xml, { ...opts, context: { now: 1, inSession: false } })
    expect(limited).toMatchObject({ acceptance: 'rejected-rate-limit', startSession: false })
    expect(limited.reply).toContain('<service-unavailable')
    const bad = handleXmppConnectionRequest(buildXmppConnectionRequest({ ...REQUEST, password: 'x' }), { ...opts, context: { now: 2, inSession: false } })
    expect(bad).toMatchObject({ failure: 'bad-credentials', startSession: false })
    expect(bad.reply).toContain('<not-authorized')
    expect(handleXmppConnectionRequest('<iq', { ...opts, context: { now: 3, inSession: false } })).toEqual({
      reply: undefined,
      failure: 'malformed',
      startSession: false,
      sessionAfterCurrent: false,
    })
  })

  it('property: any credentials and ids round-trip through build and parse', () => {
    const xmlText = fc.string({ unit: 'grapheme', maxLength: 30 }).filter((s) => !/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(s))
    fc.assert(
      fc.property(xmlText, xmlText, xmlText, (username, password, id) => {
        const parsed = parseXmppConnectionRequest(buildXmppConnectionRequest({ id, to: 'cpe@x', username, password }))
        expect(parsed).toEqual({ id, to: 'cpe@x', type: 'set', username, password })
      }),
    )
  })
})
