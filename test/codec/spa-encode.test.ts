/** SetParameterAttributesStruct has its own codec (D41) and a compiled encoder (D22): its errors keep the generic walk's paths. */
import { describe, expect, it } from 'vitest'
import { EncodeError, encodeEnvelope, type Envelope } from '../../src/index.js'

function spa(entry: unknown): Envelope {
  return {
    version: '1.2',
    header: {},
    body: { method: 'SetParameterAttributes', parameterList: [entry] },
  } as unknown as Envelope
}

const ok = { name: 'Device.A&<b>', notificationChange: true, notification: 2, accessListChange: false, accessList: ['Subscriber'] }

function failure(entry: unknown): EncodeError {
  try {
    encodeEnvelope(spa(entry))
  } catch (e) {
    if (e instanceof EncodeError) return e
    throw e
  }
  throw new Error('encoded')
}

describe('SetParameterAttributesStruct encode', () => {
  it('writes the fields in schema order, the name escaped', () => {
    expect(encodeEnvelope(spa(ok))).toContain(
      '<SetParameterAttributesStruct><Name>Device.A&amp;&lt;b&gt;</Name><NotificationChange>1</NotificationChange>' +
        '<Notification>2</Notification><AccessListChange>0</AccessListChange>' +
        '<AccessList soap-enc:arrayType="xsd:string[1]"><string>Subscriber</string></AccessList></SetParameterAttributesStruct>',
    )
  })
  it.each([
    ['name', { ...ok, name: 1 }],
    ['name', { ...ok, name: 'a\u0001' }],
    ['notificationChange', { ...ok, notificationChange: 'yes' }],
    ['notification', { ...ok, notification: 9 }],
    ['accessListChange', { ...ok, accessListChange: undefined }],
    ['accessList', { ...ok, accessList: 'Subscriber' }],
    ['accessList[0]', { ...ok, accessList: ['Other'] }],
  ])('an error in %s names its path', (path, entry) => {
    const e = failure(entry)
    expect(e.code).toBe('ERR_CWMP_ENCODE_INVALID')
    expect(e.path).toBe(`body.parameterList[0].${path}`)
  })
  it.each([undefined, null, 'Device.A'])('an item that is not an object (%s) is an EncodeError at its index', (entry) => {
    const e = failure(entry)
    expect(e.code).toBe('ERR_CWMP_ENCODE_INVALID')
    expect(e.message).toBe('expected an object for SetParameterAttributesStruct')
    expect(e.path).toBe('body.parameterList[0]')
  })
})
