import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  STUN_ATTRIBUTE,
  STUN_MESSAGE_TYPE,
  buildUdpConnectionRequest,
  classifyUdpPacket,
  createTr111BindingRequest,
  decodeMappedAddress,
  decodeStunMessage,
  encodeMappedAddress,
  encodeStunMessage,
  readTr111Attributes,
} from '../../src/index.js'

const TID = Uint8Array.from({ length: 16 }, (_, i) => i + 1)
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('TR-111 STUN attributes (classic STUN, RFC 3489)', () => {
  it('a Binding Request with CONNECTION-REQUEST-BINDING and BINDING-CHANGE, byte for byte', () => {
    const bytes = createTr111BindingRequest({ transactionId: TID, bindingChange: true })
    const expected =
      '0001' + // Binding Request
      '001c' + // 28 bytes of attributes: (4 + 20) + (4 + 0)
      hex(TID) +
      'c001' + '0014' + Buffer.from('dslforum.org/TR-111 ', 'ascii').toString('hex') + // 20-byte value, no padding needed
      'c002' + '0000'
    expect(hex(bytes)).toBe(expected)
    const msg = decodeStunMessage(bytes)
    expect(msg.type).toBe(STUN_MESSAGE_TYPE.bindingRequest)
    expect(readTr111Attributes(msg)).toEqual({ connectionRequestBinding: true, bindingChange: true })
  })

  it('USERNAME is padded to 4 bytes and read back', () => {
    const bytes = createTr111BindingRequest({ transactionId: TID, username: 'stun-user' })
    expect(bytes.length % 4).toBe(0)
    const msg = decodeStunMessage(bytes)
    expect(msg.attributes.map((a) => a.type)).toEqual([STUN_ATTRIBUTE.username, STUN_ATTRIBUTE.connectionRequestBinding])
    expect(readTr111Attributes(msg)).toEqual({ connectionRequestBinding: true, bindingChange: false, username: 'stun-user' })
  })

  it('a CONNECTION-REQUEST-BINDING with another value does not count', () => {
    const bytes = encodeStunMessage({
      type: STUN_MESSAGE_TYPE.bindingRequest,
      transactionId: TID,
      attributes: [{ type: STUN_ATTRIBUTE.connectionRequestBinding, value: new TextEncoder().encode('dslforum.org/TR-111') }],
    })
    expect(readTr111Attributes(decodeStunMessage(bytes)).connectionRequestBinding).toBe(false)
  })

  it('MAPPED-ADDRESS round-trips in a Binding Response', () => {
    const value = encodeMappedAddress({ address: '203.0.113.5', port: 30005 })
    expect(hex(value)).toBe('0001' + '7535' + 'cb007105')
    const bytes = encodeStunMessage({ type: STUN_MESSAGE_TYPE.bindingResponse, transactionId: TID, attributes: [{ type: STUN_ATTRIBUTE.mappedAddress, value }] })
    const [attr] = decodeStunMessage(bytes).attributes
    expect(decodeMappedAddress(attr?.value ?? new Uint8Array())).toEqual({ address: '203.0.113.5', port: 30005 })
  })

  it.each([
    ['shorter than a header', new Uint8Array(10)],
    ['a length that disagrees with the datagram', Uint8Array.from([0, 1, 0, 8, ...TID])],
    ['a truncated attribute', Uint8Array.from([0, 1, 0, 4, ...TID, 0xc0, 0x01, 0, 20])],
    ['top bits set', Uint8Array.from([0xc0, 1, 0, 0, ...TID])],
  ])('rejects %s with ERR_CWMP_AUTH_MALFORMED', (_n, bytes) => {
    expect(() => decodeStunMessage(bytes)).toThrow(expect.objectContaining({ code: 'ERR_CWMP_AUTH_MALFORMED' }))
  })

  it('tells STUN from Connection Requests by the first byte', () => {
    expect(classifyUdpPacket(createTr111BindingRequest({ transactionId: TID }))).toBe('stun')
    const cr = buildUdpConnectionRequest({ address: '10.0.0.1:7547', ts: 1, id: '1', username: 'u', cnonce: 'c', password: 'p' })
    expect(classifyUdpPacket(new TextEncoder().encode(cr))).toBe('connection-request')
    expect(classifyUdpPacket(new Uint8Array())).toBe('unknown')
    expect(classifyUdpPacket(Uint8Array.from([0x7f]))).toBe('unknown')
  })

  it('property: encode then decode is the identity', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0x3fff }),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.array(fc.record({ type: fc.integer({ min: 0, max: 0xffff }), value: fc.uint8Array({ maxLength: 40 }) }), { maxLength: 8 }),
        (type, transactionId, attributes) => {
          const decoded = decodeStunMessage(encodeStunMessage({ type, transactionId, attributes }))
          expect(decoded).toEqual({ type, transactionId, attributes })
        },
      ),
    )
  })

  it('refuses to encode what cannot be represented', () => {
    const code = expect.objectContaining({ code: 'ERR_CWMP_AUTH_INVALID_ARGUMENT' })
    expect(() => encodeStunMessage({ type: 1, transactionId: new Uint8Array(12), attributes: [] })).toThrow(code)
    expect(() => encodeMappedAddress({ address: '300.1.1.1', port: 1 })).toThrow(code)
    expect(() => encodeMappedAddress({ address: '1.1.1.1', port: 70000 })).toThrow(code)
  })
})
