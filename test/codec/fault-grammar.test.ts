import { describe, expect, it } from 'vitest'
import { decodeEnvelope } from '../../src/index.js'

const spa = (notification: string): string =>
  '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2"><soap-env:Body><cwmp:SetParameterAttributes>' +
  '<ParameterList soap-enc:arrayType="cwmp:SetParameterAttributesStruct[1]"><SetParameterAttributesStruct><Name>Device.X</Name>' +
  `<NotificationChange>1</NotificationChange><Notification>${notification}</Notification><AccessListChange>0</AccessListChange>` +
  '<AccessList soap-enc:arrayType="xsd:string[0]"></AccessList></SetParameterAttributesStruct></ParameterList></cwmp:SetParameterAttributes></soap-env:Body></soap-env:Envelope>'

describe('error messages use the right article', () => {
  it.each([
    ['x', /"x" is not a Notification/],
  ])('Notification %j', (text, message) => {
    expect(() => decodeEnvelope(spa(text), { strict: true })).toThrow(message)
    // Lenient mode reads the field as its fallback and says the same in its warning (D26).
    const warnings = decodeEnvelope(spa(text)).warnings.filter((w) => w.code === 'SCALAR_INVALID')
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(message)])
  })
})
