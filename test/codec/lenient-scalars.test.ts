/**
 * Lenient means per field (D26): a boolean, integer or enumeration whose text its type cannot hold
 * reads as the type's fallback with a SCALAR_INVALID warning and the text kept; a boolean in another
 * case reads as its value with BOOLEAN_CASE. Strict mode refuses both. `encodeEnvelope(…, { strict:
 * false })` writes a kept text back while the field still holds the value it was read as.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createCodecRegistry,
  createCpeSession,
  decodeEnvelope,
  defineVendorMethod,
  encodeEnvelope,
  isCwmpError,
  lexicalValue,
  type VendorMessage,
} from '../../src/index.js'
import { escapeText } from '../../src/xml/writer.js'
import { ACS_URL, inform } from '../session/helpers.js'
import { thrown } from './helpers.js'

const envelope = (body: string, header = ''): string =>
  '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:cwmp="urn:dslforum-org:cwmp-1-2"><soap-env:Header>' +
  `<cwmp:ID soap-env:mustUnderstand="1">r1</cwmp:ID>${header}</soap-env:Header><soap-env:Body>${body}</soap-env:Body></soap-env:Envelope>`

const spa = (change: string, notification: string, accessChange = '0'): string =>
  envelope(
    '<cwmp:SetParameterAttributes><ParameterList soap-enc:arrayType="cwmp:SetParameterAttributesStruct[1]"><SetParameterAttributesStruct>' +
      `<Name>Device.X</Name><NotificationChange>${change}</NotificationChange><Notification>${notification}</Notification>` +
      `<AccessListChange>${accessChange}</AccessListChange><AccessList soap-enc:arrayType="xsd:string[0]"></AccessList>` +
      '</SetParameterAttributesStruct></ParameterList></cwmp:SetParameterAttributes>',
  )

/** [label, envelope, the object holding the field, its key, the value read, the warning code] */
type Row = [string, string, (body: Record<string, unknown>) => object, string, unknown, 'SCALAR_INVALID' | 'BOOLEAN_CASE', string]

const top = (b: Record<string, unknown>): object => b
const firstStruct = (b: Record<string, unknown>): object => (b.parameterList as object[])[0] as object

const ROWS: Row[] = [
  ['a boolean "yes"', envelope('<cwmp:GetParameterNames><ParameterPath>Device.</ParameterPath><NextLevel>yes</NextLevel></cwmp:GetParameterNames>'), top, 'nextLevel', false, 'SCALAR_INVALID', 'yes'],
  ['a boolean "True"', envelope('<cwmp:GetParameterNames><ParameterPath>Device.</ParameterPath><NextLevel>True</NextLevel></cwmp:GetParameterNames>'), top, 'nextLevel', true, 'BOOLEAN_CASE', 'True'],
  ['a boolean " FALSE "', envelope('<cwmp:GetParameterNames><ParameterPath>Device.</ParameterPath><NextLevel> FALSE </NextLevel></cwmp:GetParameterNames>'), top, 'nextLevel', false, 'BOOLEAN_CASE', ' FALSE '],
  ['an unsignedInt "ten"', envelope('<cwmp:ScheduleInform><DelaySeconds>ten</DelaySeconds><CommandKey></CommandKey></cwmp:ScheduleInform>'), top, 'delaySeconds', 0, 'SCALAR_INVALID', 'ten'],
  ['an unsignedInt -1', envelope('<cwmp:ScheduleInform><DelaySeconds>-1</DelaySeconds><CommandKey></CommandKey></cwmp:ScheduleInform>'), top, 'delaySeconds', 0, 'SCALAR_INVALID', '-1'],
  ['an unsignedInt 2^32', envelope('<cwmp:InformResponse><MaxEnvelopes>4294967296</MaxEnvelopes></cwmp:InformResponse>'), top, 'maxEnvelopes', 0, 'SCALAR_INVALID', '4294967296'],
  ['a Status 2', envelope('<cwmp:SetParameterValuesResponse><Status>2</Status></cwmp:SetParameterValuesResponse>'), top, 'status', 0, 'SCALAR_INVALID', '2'],
  ['a Notification "x" in a struct', spa('1', 'x'), firstStruct, 'notification', 0, 'SCALAR_INVALID', 'x'],
  ['a Notification 7 in a struct', spa('1', '7'), firstStruct, 'notification', 0, 'SCALAR_INVALID', '7'],
  ['a NotificationChange "on" in a struct', spa('on', '1'), firstStruct, 'notificationChange', false, 'SCALAR_INVALID', 'on'],
  [
    'a FaultCode "abc" in a Fault',
    envelope(
      '<soap-env:Fault><faultcode>Client</faultcode><faultstring>CWMP fault</faultstring><detail><cwmp:Fault><FaultCode>abc</FaultCode><FaultString>x</FaultString></cwmp:Fault></detail></soap-env:Fault>',
    ),
    top,
    'faultCode',
    0,
    'SCALAR_INVALID',
    'abc',
  ],
]

describe('a field its type cannot hold (lenient per field, D26)', () => {
  it.each(ROWS)('%s', (_label, xml, holder, key, value, code, text) => {
    const d = decodeEnvelope(xml)
    const obj = holder(d.body as unknown as Record<string, unknown>)
    expect((obj as Record<string, unknown>)[key]).toBe(value)
    const w = d.warnings.find((x) => x.code === code)
    expect(w).toMatchObject({ code, lexical: text, line: 1, column: expect.any(Number) })
    expect(w?.path).toMatch(new RegExp(`/${key.charAt(0).toUpperCase()}${key.slice(1)}$`))
    // The position is that of the text itself.
    expect(xml.slice((w?.column ?? 0) - 1).startsWith(`${text}</`)).toBe(true)
    expect(lexicalValue(obj, key)).toBe(text)
    // Kept out of sight: JSON and a spread do not see it.
    expect(JSON.stringify(obj)).not.toContain(JSON.stringify(text))

    // Strict mode fails at the same place.
    const err = thrown(() => decodeEnvelope(xml, { strict: true }))
    expect(isCwmpError(err)).toBe(true)
    expect(err).toMatchObject({
      code: code === 'SCALAR_INVALID' ? 'ERR_CWMP_ARGUMENT_INVALID' : 'ERR_CWMP_STRICT',
      path: w?.path,
      line: w?.line,
      column: w?.column,
    })

    // Non-strict re-encoding writes the text as received, and decodes to the same again.
    const again = encodeEnvelope(d, { strict: false })
    expect(again).toContain(`>${escapeText(text)}</`)
    const d2 = decodeEnvelope(again)
    expect(d2.body).toStrictEqual(d.body)
    expect(d2.warnings.map((x) => [x.code, x.lexical])).toEqual(d.warnings.map((x) => [x.code, x.lexical]))

    // Strict encoding writes the typed value instead: it decodes without that warning. (A FaultCode
    // read as 0 is outside every fault-code range: the strict encoder refuses it.)
    if (key === 'faultCode') {
      expect(thrown(() => encodeEnvelope(d))).toMatchObject({ code: 'ERR_CWMP_ENCODE_INVALID', path: 'body.faultCode' })
      return
    }
    const typed = decodeEnvelope(encodeEnvelope(d))
    expect(typed.warnings.filter((x) => x.code === code)).toEqual([])
    expect((holder(typed.body as unknown as Record<string, unknown>) as Record<string, unknown>)[key]).toBe(value)
  })

  it('forgets the text once the field holds another value', () => {
    const d = decodeEnvelope(spa('1', 'x'))
    const s = (d.body as unknown as { parameterList: { notification: number }[] }).parameterList[0] as { notification: number }
    s.notification = 2
    expect(lexicalValue(s, 'notification')).toBeUndefined()
    const again = decodeEnvelope(encodeEnvelope(d, { strict: false }))
    expect(again.warnings.filter((w) => w.code === 'SCALAR_INVALID')).toEqual([])
    expect(again.body).toMatchObject({ parameterList: [{ notification: 2 }] })
    // A copy made with a spread is a new object: it keeps no text and encodes the typed value.
    const status = decodeEnvelope(envelope('<cwmp:SetParameterValuesResponse><Status>2</Status></cwmp:SetParameterValuesResponse>'))
    const copy = { ...status, body: { ...status.body } }
    expect(lexicalValue(copy.body, 'status')).toBeUndefined()
    expect(encodeEnvelope(copy, { strict: false })).toContain('<Status>0</Status>')
    expect(lexicalValue(status.body, 'status')).toBe('2')
  })

  it('keeps the text of a repeated scalar of a vendor method, item by item', () => {
    interface Flags extends VendorMessage {
      readonly method: 'X_ACME_Flags'
      readonly flag?: readonly boolean[]
    }
    const codecs = createCodecRegistry([
      defineVendorMethod<Flags>('X_ACME_Flags', { fields: { flag: { element: 'Flag', type: 'boolean', repeated: true, optional: true } } }),
    ])
    const xml = envelope('<cwmp:X_ACME_Flags><Flag>1</Flag><Flag>Yes</Flag><Flag>TRUE</Flag></cwmp:X_ACME_Flags>')
    const d = decodeEnvelope(xml, { codecs })
    const flags = (d.body as Flags).flag as readonly boolean[]
    expect(flags).toEqual([true, false, true])
    expect([lexicalValue(flags, '0'), lexicalValue(flags, '1'), lexicalValue(flags, '2')]).toEqual([undefined, 'Yes', 'TRUE'])
    expect(encodeEnvelope(d, { strict: false, codecs })).toContain('<Flag>1</Flag><Flag>Yes</Flag><Flag>TRUE</Flag>')
    expect(encodeEnvelope(d, { codecs })).toContain('<Flag>1</Flag><Flag>0</Flag><Flag>1</Flag>')
  })

  it('ignores a header entry it cannot read, and keeps HoldRequests "True"', () => {
    const bad = decodeEnvelope(envelope('<cwmp:GetRPCMethods/>', '<cwmp:HoldRequests soap-env:mustUnderstand="1">maybe</cwmp:HoldRequests><cwmp:SessionTimeout>soon</cwmp:SessionTimeout>'))
    expect(bad.header).toEqual({ id: 'r1' })
    expect(bad.warnings.map((w) => [w.code, w.path, w.lexical])).toEqual([
      ['SCALAR_INVALID', 'Envelope/Header/HoldRequests', 'maybe'],
      ['SCALAR_INVALID', 'Envelope/Header/SessionTimeout', 'soon'],
    ])
    const ok = decodeEnvelope(envelope('<cwmp:GetRPCMethods/>', '<cwmp:HoldRequests soap-env:mustUnderstand="1">True</cwmp:HoldRequests>'))
    expect(ok.header).toEqual({ id: 'r1', holdRequests: true })
    expect(lexicalValue(ok.header, 'holdRequests')).toBe('True')
    expect(encodeEnvelope(ok, { strict: false })).toContain('>True</cwmp:HoldRequests>')
    expect(encodeEnvelope(ok)).toContain('>1</cwmp:HoldRequests>')
  })

  it('property: any text in a boolean or integer field decodes, re-encodes as received, and fails strictly exactly when warned', () => {
    // Characters XML 1.0 carries, with the ones that need escaping and XML whitespace over-weighted.
    const xmlChar = fc.oneof(
      fc.constantFrom('&', '<', '>', '"', ' ', '\t', '\n', '0', '1', 't', 'T', 'e', 'E', '-', '+'),
      fc.integer({ min: 0x20, max: 0xd7ff }).map((c) => String.fromCharCode(c)),
    )
    const text = fc.oneof(fc.constantFrom('0', '1', 'true', 'false', 'True', 'TRUE', '3', '6', '7', '-0', '+2', ' 1 '), fc.string({ unit: xmlChar, maxLength: 12 }))
    fc.assert(
      fc.property(text, text, (change, notification) => {
        const xml = spa(escapeText(change), escapeText(notification))
        const d = decodeEnvelope(xml)
        const s = (d.body as unknown as { parameterList: Record<string, unknown>[] }).parameterList[0] as Record<string, unknown>
        const read = d.warnings.filter((w) => w.code === 'SCALAR_INVALID' || w.code === 'BOOLEAN_CASE')
        for (const w of read) {
          const key = w.path.endsWith('/NotificationChange') ? 'notificationChange' : 'notification'
          expect(w.lexical).toBe(key === 'notificationChange' ? change : notification)
          expect(lexicalValue(s, key)).toBe(w.lexical)
        }
        expect(typeof s.notificationChange).toBe('boolean')
        expect([0, 1, 2, 3, 4, 5, 6]).toContain(s.notification)
        const again = decodeEnvelope(encodeEnvelope(d, { strict: false }))
        expect(again.body).toStrictEqual(d.body)
        const kept = (ws: typeof d.warnings) => ws.filter((w) => w.lexical !== undefined).map((w) => [w.code, w.path, w.lexical])
        expect(kept(again.warnings)).toEqual(kept(d.warnings))
        const strict = thrown(() => decodeEnvelope(xml, { strict: true }))
        expect(strict === undefined).toBe(d.warnings.length === 0)
        if (strict !== undefined) expect(isCwmpError(strict)).toBe(true)
      }),
      { numRuns: 400 },
    )
  })
})

describe('a CPE session and a request with a field its type cannot hold', () => {
  const soap = (body: string) => ({ status: 200, headers: { 'content-type': 'text/xml' }, body })
  const started = () => {
    const cpe = createCpeSession({ url: ACS_URL, inform: inform() })
    cpe.start()
    cpe.receive(soap(encodeEnvelope({ version: '1.2', header: {}, body: { method: 'InformResponse', maxEnvelopes: 1 } })))
    return cpe
  }

  it('answers 9003 and does not carry it out on the fallback value', () => {
    const cpe = started()
    const r = cpe.receive(soap(spa('1', 'x')))
    expect(r.step).toMatchObject({
      type: 'invalid-request',
      fault: { faultCode: 9003 },
      error: { code: 'ERR_CWMP_ARGUMENT_INVALID', method: 'SetParameterAttributes', requestId: 'r1', path: expect.stringMatching(/\/Notification$/) },
    })
    const sent = decodeEnvelope(r.send!.body)
    expect(sent.header.id).toBe('r1')
    expect(sent.body).toMatchObject({ method: 'Fault', faultCode: 9003, faultString: expect.stringContaining('"x" is not a Notification') })
    expect(cpe.receive({ status: 204, headers: {}, body: '' }).step.type).toBe('end')
  })

  it('carries out a request with a boolean "True"', () => {
    const cpe = started()
    const r = cpe.receive(soap(spa('True', '2')))
    expect(r.step).toMatchObject({ type: 'request', request: { method: 'SetParameterAttributes', parameterList: [{ notificationChange: true, notification: 2 }] } })
  })
})
