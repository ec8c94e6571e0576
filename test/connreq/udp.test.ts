import dgram from 'node:dgram'
import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  INITIAL_UDP_REPLAY_STATE,
  type UdpReplayState,
  buildUdpConnectionRequest,
  parseUdpConnectionRequest,
  signUdpConnectionRequest,
  verifyUdpConnectionRequest,
} from '../../src/index.js'

const CPE = { username: 'CPE57689', password: 'cr-password' }
const SPEC_EXAMPLE =
  'GET http://10.1.1.1:8080?ts=1120673700&id=1234&un=CPE57689&cn=XTGRWIPC6D3IPXS3&sig=3545F7B5820D76A3DF45A3A509DA8D8C38F13512 HTTP/1.1\r\nHost: 10.1.1.1:8080\r\n\r\n'

const msg = (over: Partial<{ ts: number; id: string; username: string; cnonce: string; password: string; address: string }> = {}) =>
  buildUdpConnectionRequest({
    address: '10.1.1.1:8080',
    ts: 1120673700,
    id: '1234',
    username: CPE.username,
    cnonce: 'XTGRWIPC6D3IPXS3',
    password: CPE.password,
    ...over,
  })

describe('UDP Connection Request (Annex G)', () => {
  it('builds exactly the text layout of G.2.2.3', () => {
    const sig = createHmac('sha1', CPE.password).update('1120673700' + '1234' + 'CPE57689' + 'XTGRWIPC6D3IPXS3').digest('hex').toUpperCase()
    expect(msg()).toBe(
      `GET http://10.1.1.1:8080?ts=1120673700&id=1234&un=CPE57689&cn=XTGRWIPC6D3IPXS3&sig=${sig} HTTP/1.1\r\nHost: 10.1.1.1:8080\r\n\r\n`,
    )
    expect(signUdpConnectionRequest(CPE.password, { ts: 1120673700, id: '1234', username: 'CPE57689', cnonce: 'XTGRWIPC6D3IPXS3' })).toBe(sig)
  })

  it("parses the specification's example (the spec gives no password, so its sig cannot be checked)", () => {
    const r = parseUdpConnectionRequest(SPEC_EXAMPLE)
    expect(r).toEqual({
      method: 'GET',
      uri: 'http://10.1.1.1:8080?ts=1120673700&id=1234&un=CPE57689&cn=XTGRWIPC6D3IPXS3&sig=3545F7B5820D76A3DF45A3A509DA8D8C38F13512',
      ts: 1120673700,
      tsText: '1120673700',
      id: '1234',
      username: 'CPE57689',
      cnonce: 'XTGRWIPC6D3IPXS3',
      signature: '3545F7B5820D76A3DF45A3A509DA8D8C38F13512',
      host: '10.1.1.1:8080',
    })
    // Our own signature for the example's fields differs from the example's (different password):
    // verification reports bad-signature rather than throwing.
    expect(verifyUdpConnectionRequest(SPEC_EXAMPLE, { ...CPE, state: INITIAL_UDP_REPLAY_STATE })).toMatchObject({
      action: 'ignore',
      reason: 'bad-signature',
    })
  })

  it('build → verify round trip accepts and moves the replay state', () => {
    const r = verifyUdpConnectionRequest(msg(), { ...CPE, state: INITIAL_UDP_REPLAY_STATE })
    expect(r).toMatchObject({ action: 'accept', state: { lastTs: 1120673700, lastId: '1234' } })
  })

  it('is lenient: lower-case hex, "/" before "?", LF line ends, origin form, bytes in', () => {
    const base = msg()
    const variants = [
      base.replace(/sig=([0-9A-F]+)/, (_m, s: string) => `sig=${s.toLowerCase()}`),
      base.replace(':8080?', ':8080/?'),
      base.replace(/\r\n/g, '\n'),
      base.replace('http://10.1.1.1:8080?', '/?'),
      base.replace('GET http://', 'GET HTTP://'),
    ]
    for (const v of variants) {
      expect(verifyUdpConnectionRequest(v, { ...CPE, state: INITIAL_UDP_REPLAY_STATE }).action).toBe('accept')
    }
    expect(verifyUdpConnectionRequest(new TextEncoder().encode(base), { ...CPE, state: INITIAL_UDP_REPLAY_STATE }).action).toBe('accept')
  })

  it('form-encodes un and cn and signs the decoded values', () => {
    const m = msg({ username: 'cpe user+1&x', cnonce: 'a b/c' })
    expect(m).toContain('un=cpe+user%2B1%26x&cn=a+b%2Fc&')
    const r = verifyUdpConnectionRequest(m, { username: 'cpe user+1&x', password: CPE.password, state: INITIAL_UDP_REPLAY_STATE })
    expect(r.action).toBe('accept')
  })

  it('replay rules: ts must be strictly greater, id must differ from the last accepted', () => {
    let state: UdpReplayState = INITIAL_UDP_REPLAY_STATE
    const step = (m: string) => {
      const r = verifyUdpConnectionRequest(m, { ...CPE, state })
      state = r.state
      return r.action === 'accept' ? 'accept' : r.reason
    }
    expect(step(msg({ ts: 100, id: '1' }))).toBe('accept')
    expect(step(msg({ ts: 100, id: '1' }))).toBe('old-timestamp') // a retransmitted copy
    expect(step(msg({ ts: 100, id: '2' }))).toBe('old-timestamp')
    expect(step(msg({ ts: 99, id: '3' }))).toBe('old-timestamp')
    expect(step(msg({ ts: 101, id: '1' }))).toBe('repeated-id')
    expect(step(msg({ ts: 101, id: '0001' }))).toBe('repeated-id') // same unsigned integer
    expect(step(msg({ ts: 101, id: '2' }))).toBe('accept')
    expect(state).toEqual({ lastTs: 101, lastId: '2' })
    // The id only has to differ from the LAST accepted one (G.2.1.4), not from all earlier ones.
    expect(step(msg({ ts: 102, id: '1' }))).toBe('accept')
  })

  it('refuses a copy whose ts took digits from its id (same signature), which would lock out real messages', () => {
    // ts ‖ id is signed without a separator: "1120673700"+"1234" = "11206737001"+"234".
    const real = msg({ ts: 1120673700, id: '1234' })
    const sig = /sig=([0-9A-F]+)/.exec(real)?.[1] as string
    const shifted = real.replace('ts=1120673700&id=1234', 'ts=11206737001&id=234')
    expect(shifted).toContain(`sig=${sig}`)
    let state: UdpReplayState = INITIAL_UDP_REPLAY_STATE
    const first = verifyUdpConnectionRequest(real, { ...CPE, state })
    expect(first.action).toBe('accept')
    state = first.state
    const replay = verifyUdpConnectionRequest(shifted, { ...CPE, state })
    expect(replay).toMatchObject({ action: 'ignore', reason: 'timestamp-shape' })
    // The genuine next message still gets through.
    expect(verifyUdpConnectionRequest(msg({ ts: 1120673800, id: '1235' }), { ...CPE, state }).action).toBe('accept')
  })

  it('only validated and authenticated messages change the state', () => {
    const state = { lastTs: 50, lastId: '7' }
    for (const [m, reason] of [
      [msg({ ts: 60, id: '8', password: 'wrong' }), 'bad-signature'],
      [msg({ ts: 60, id: '8', username: 'someone-else' }), 'wrong-username'],
      [msg({ ts: 60, id: '8' }).replace(/^GET/, 'PUT'), 'not-get'],
      ['garbage', 'malformed'],
      [msg({ ts: 60, id: '8' }).replace(/&sig=[0-9A-F]+/, ''), 'malformed'],
      [msg({ ts: 60, id: '8' }).replace(/sig=([0-9A-F]+)/, 'sig=$1$1'), 'bad-signature'],
    ] as const) {
      const r = verifyUdpConnectionRequest(m, { ...CPE, state })
      expect(r).toMatchObject({ action: 'ignore', reason })
      expect(r.state).toBe(state)
    }
  })

  it('a message signed for another CPE (its own password and user name) is ignored', () => {
    const other = msg({ username: 'OTHER', password: 'other-pw', ts: 2e9 })
    expect(verifyUdpConnectionRequest(other, { ...CPE, state: INITIAL_UDP_REPLAY_STATE })).toMatchObject({ reason: 'bad-signature' })
  })

  it('optional time window (the CPE MAY add one)', () => {
    const opts = { ...CPE, state: INITIAL_UDP_REPLAY_STATE, nowSeconds: 1120673700 + 400, maxSkewSeconds: 300 }
    expect(verifyUdpConnectionRequest(msg(), opts)).toMatchObject({ action: 'ignore', reason: 'outside-time-window' })
    expect(verifyUdpConnectionRequest(msg(), { ...opts, maxSkewSeconds: 600 }).action).toBe('accept')
  })

  it.each([
    ['no request line', 'hello'],
    ['HTTP/1.0', msg().replace('HTTP/1.1', 'HTTP/1.0')],
    ['a path', msg().replace(':8080?', ':8080/cr?')],
    ['no query', 'GET http://10.1.1.1:8080 HTTP/1.1\r\n\r\n'],
    ['ts not a number', msg().replace('ts=1120673700', 'ts=-5')],
    ['id not a number', msg().replace('id=1234', 'id=12a')],
    ['a repeated argument', msg().replace('&cn=', '&id=9&cn=')],
    ['bad percent-encoding', msg().replace('un=CPE57689', 'un=%G1')],
    ['a bad header line', msg().replace('Host:', 'Host')],
  ])('parse rejects %s with ERR_CWMP_AUTH_MALFORMED', (_n, m) => {
    expect(() => parseUdpConnectionRequest(m)).toThrow(expect.objectContaining({ code: 'ERR_CWMP_AUTH_MALFORMED' }))
  })

  it('rejects oversized datagrams and invalid UTF-8 bytes', () => {
    expect(() => parseUdpConnectionRequest('G'.repeat(5000))).toThrow(expect.objectContaining({ code: 'ERR_CWMP_AUTH_LIMIT_EXCEEDED' }))
    expect(() => parseUdpConnectionRequest(Uint8Array.from([0x47, 0xff, 0xfe]))).toThrow(
      expect.objectContaining({ code: 'ERR_CWMP_AUTH_MALFORMED' }),
    )
  })

  it('refuses to build with a bad ts, id or address', () => {
    const code = expect.objectContaining({ code: 'ERR_CWMP_AUTH_INVALID_ARGUMENT' })
    expect(() => msg({ ts: -1 })).toThrow(code)
    expect(() => msg({ ts: 1.5 })).toThrow(code)
    expect(() => msg({ id: 'x' })).toThrow(code)
    expect(() => msg({ address: 'a b' })).toThrow(code)
  })

  it('property: any fields round-trip through build, parse and verify', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 40 }),
        fc.bigInt({ min: 0n, max: 2n ** 64n }),
        fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }),
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        (ts, id, username, cnonce, password) => {
          const m = buildUdpConnectionRequest({ address: '203.0.113.9:30005', ts: ts + 1, id: id.toString(), username, cnonce, password })
          const p = parseUdpConnectionRequest(m)
          expect([p.ts, p.id, p.username, p.cnonce]).toEqual([ts + 1, id.toString(), username, cnonce])
          const r = verifyUdpConnectionRequest(m, { username, password, state: INITIAL_UDP_REPLAY_STATE })
          expect(r.action).toBe('accept')
        },
      ),
    )
  })

  it('travels as a real UDP datagram over loopback (bytes in)', async () => {
    const receiver = dgram.createSocket('udp4')
    const got = new Promise<Buffer>((resolve) => receiver.once('message', (b) => resolve(b)))
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()))
    const { port } = receiver.address()
    const text = msg({ address: `127.0.0.1:${port}`, ts: 1700000000, id: '42' })
    const sender = dgram.createSocket('udp4')
    await new Promise<void>((r, j) => sender.send(Buffer.from(text, 'utf8'), port, '127.0.0.1', (e) => (e ? j(e) : r())))
    const bytes = await got
    sender.close()
    receiver.close()
    const r = verifyUdpConnectionRequest(new Uint8Array(bytes), { ...CPE, state: INITIAL_UDP_REPLAY_STATE })
    expect(r).toMatchObject({ action: 'accept', state: { lastTs: 1700000000, lastId: '42' } })
  })
})
