/**
 * Regression tests for codec bugs found by this suite (each names the bug it pins down).
 */
import { describe, expect, it } from 'vitest'
import { decodeEnvelope, encodeEnvelope, isCwmpError, type CwmpMessage, type DecodedEnvelope } from '../../src/index.js'

const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/'
const CWMP = 'urn:dslforum-org:cwmp-1-2'

function envelope(body: string, attrs = ''): string {
  return (
    `<soap:Envelope xmlns:soap="${SOAP}" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" ` +
    `xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
    `xmlns:cwmp="${CWMP}"${attrs}><soap:Body>${body}</soap:Body></soap:Envelope>`
  )
}

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (e) {
    if (isCwmpError(e)) return e.code
    throw e
  }
  return 'no error'
}

const gpvr = (type: string, value: string): DecodedEnvelope<CwmpMessage> => ({
  version: '1.2',
  header: {},
  body: { method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.X', type, value }] },
  warnings: [],
})

describe('names are trimmed of XML whitespace only (JavaScript trim() also removed NBSP, U+2028, U+3000, U+FEFF)', () => {
  it('keeps Unicode spaces that are not XML whitespace', () => {
    const d = decodeEnvelope(
      envelope(
        '<cwmp:GetParameterValues><ParameterNames soapenc:arrayType="xsd:string[1]">' +
          '<string>\u00a0Device.A\u3000</string></ParameterNames></cwmp:GetParameterValues>',
      ),
    )
    expect(d.body).toEqual({ method: 'GetParameterValues', parameterNames: ['\u00a0Device.A\u3000'] })
    expect(d.warnings).toEqual([])
  })
  it('still trims spaces, tabs and line breaks, with a warning', () => {
    const d = decodeEnvelope(
      envelope(
        '<cwmp:GetParameterValues><ParameterNames soapenc:arrayType="xsd:string[1]">' +
          '<string>\n\t Device.A \r\n</string></ParameterNames></cwmp:GetParameterValues>',
      ),
    )
    expect(d.body).toEqual({ method: 'GetParameterValues', parameterNames: ['Device.A'] })
    expect(d.warnings.map((w) => w.code)).toEqual(['WHITESPACE_TRIMMED'])
  })
  it('keeps a name that starts with U+FEFF through a round trip', () => {
    const e: DecodedEnvelope<CwmpMessage> = {
      version: '1.2',
      header: {},
      body: { method: 'GetParameterNames', parameterPath: '\ufeffDevice.\u2028', nextLevel: true },
      warnings: [],
    }
    expect(decodeEnvelope(encodeEnvelope(e))).toEqual(e)
  })
})

describe('xsd:normalizedString and xsd:token accept any string (their whiteSpace facet applies first)', () => {
  for (const [type, value] of [
    ['xsd:normalizedString', 'a\tb\r\nc'],
    ['xsd:token', '  a   b  '],
  ] as const) {
    it(`${type} ${JSON.stringify(value)} encodes and decodes without a warning`, () => {
      const e = gpvr(type, value)
      expect(decodeEnvelope(encodeEnvelope(e))).toEqual(e)
    })
  }
})

describe('attributes of Body and of the method element', () => {
  it('encodingStyle on Body is schema-valid (anyAttribute ##any) and not reported', () => {
    const d = decodeEnvelope(
      envelope('<cwmp:GetRPCMethods/>').replace('<soap:Body>', `<soap:Body soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">`),
      { strict: true },
    )
    expect(d.warnings).toEqual([])
  })
  it('encodingStyle on Envelope is still reported', () => {
    const xml = envelope('<cwmp:GetRPCMethods/>', ` soap:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"`)
    expect(decodeEnvelope(xml).warnings.map((w) => w.code)).toEqual(['ENCODING_STYLE'])
    expect(codeOf(() => decodeEnvelope(xml, { strict: true }))).toBe('ERR_CWMP_STRICT')
  })
  it('a soap-env attribute other than encodingStyle on Envelope is reported', () => {
    const xml = envelope('<cwmp:GetRPCMethods/>', ` soap:mustUnderstand="1"`)
    expect(decodeEnvelope(xml).warnings.map((w) => w.code)).toEqual(['UNKNOWN_ELEMENT'])
  })
  it('xsi:type or a foreign attribute on the method element is reported (the schemas allow none)', () => {
    const d = decodeEnvelope(envelope('<cwmp:Reboot xsi:type="cwmp:Reboot" xmlns:v="urn:v" v:x="1"><CommandKey/></cwmp:Reboot>'))
    expect(d.warnings.map((w) => w.code)).toEqual(['XSI_TYPE_UNEXPECTED', 'UNKNOWN_ELEMENT'])
  })
})

describe('namespace well-formedness', () => {
  it('rejects xmlns: with an empty prefix (it was taken as a default namespace declaration)', () => {
    const xml = `<soap:Envelope xmlns:soap="${SOAP}" xmlns:="${CWMP}"><soap:Body><GetRPCMethods/></soap:Body></soap:Envelope>`
    expect(codeOf(() => decodeEnvelope(xml))).toBe('ERR_CWMP_XML_MALFORMED')
  })
})

describe('leading zeros', () => {
  it('an integer with more than 20 digits of which most are leading zeros decodes', () => {
    const d = decodeEnvelope(
      envelope('<cwmp:ScheduleInform><DelaySeconds>0000000000000000000000000000042</DelaySeconds><CommandKey/></cwmp:ScheduleInform>'),
    )
    expect(d.body).toEqual({ method: 'ScheduleInform', delaySeconds: 42, commandKey: '' })
    expect(d.warnings).toEqual([])
  })
  it('21 significant digits are still refused', () => {
    const xml = envelope('<cwmp:ScheduleInform><DelaySeconds>100000000000000000000</DelaySeconds><CommandKey/></cwmp:ScheduleInform>')
    expect(codeOf(() => decodeEnvelope(xml, { strict: true }))).toBe('ERR_CWMP_ARGUMENT_INVALID')
    expect(decodeEnvelope(xml).warnings.map((w) => [w.code, w.lexical])).toEqual([['SCALAR_INVALID', '100000000000000000000']])
  })
})

describe('the unsigned XSD integer types have no sign (XSD 1.0 §3.3.21-25)', () => {
  for (const type of ['xsd:unsignedInt', 'xsd:unsignedLong', 'xsd:unsignedShort', 'xsd:unsignedByte']) {
    for (const value of ['+5', '-0', '+0']) {
      it(`${type} ${value} is refused by the encoder`, () => {
        expect(codeOf(() => encodeEnvelope(gpvr(type, value)))).toBe('ERR_CWMP_ENCODE_INVALID')
      })
    }
  }
  it('signed types keep their sign', () => {
    for (const [type, value] of [
      ['xsd:int', '+5'],
      ['xsd:long', '-0'],
      ['xsd:nonNegativeInteger', '+5'],
    ]) {
      const e = gpvr(type as string, value as string)
      expect(decodeEnvelope(encodeEnvelope(e))).toEqual(e)
    }
  })
  it('a signed value of an unsignedInt-based element decodes with a FACET warning', () => {
    const d = decodeEnvelope(
      envelope('<cwmp:AddObjectResponse><InstanceNumber>+5</InstanceNumber><Status>0</Status></cwmp:AddObjectResponse>'),
    )
    expect(d.body).toEqual({ method: 'AddObjectResponse', instanceNumber: 5, status: 0 })
    expect(d.warnings.map((w) => w.code)).toEqual(['FACET'])
  })
})

describe('xs:anyURI is checked as a URI reference (it only looked for bad % escapes)', () => {
  const install = (url: string): DecodedEnvelope<CwmpMessage> => ({
    version: '1.2',
    header: {},
    body: { method: 'ChangeDUState', operations: [{ type: 'InstallOpStruct', url }] },
    warnings: [],
  })
  for (const url of ['2001-13-01T00:00:00Z', 'a[b]', '#a#b', ':', 'http://h:/x', 'http://u@v@h/', 'é:x']) {
    it(`refuses ${JSON.stringify(url)}`, () => {
      expect(codeOf(() => encodeEnvelope(install(url)))).toBe('ERR_CWMP_ENCODE_INVALID')
      expect(codeOf(() => encodeEnvelope(gpvr('xsd:anyURI', url)))).toBe('ERR_CWMP_ENCODE_INVALID')
    })
  }
  for (const url of ['', 'http://acs.example.com:7547/cwmp', 'urn:a:b', '//h', 'a b', 'http://[2001:db8::1]/', '#[x]', 'http://h/é']) {
    it(`accepts ${JSON.stringify(url)}`, () => {
      const e = install(url)
      expect(decodeEnvelope(encodeEnvelope(e))).toEqual(e)
    })
  }
  it('an InstallOpStruct URL that is no URI decodes with a FACET warning', () => {
    const d = decodeEnvelope(
      envelope('<cwmp:ChangeDUState><Operations xsi:type="cwmp:InstallOpStruct"><URL>a[b]</URL></Operations></cwmp:ChangeDUState>'),
    )
    expect(d.warnings.map((w) => w.code)).toEqual(['FACET'])
  })
})

describe('mustUnderstand takes "0" or "1" only (SOAP 1.1 §4.2.3; "true" was accepted silently, also in strict mode)', () => {
  const withId = (mu: string): string =>
    envelope('<cwmp:GetRPCMethods/>').replace('<soap:Body>', `<soap:Header><cwmp:ID soap:mustUnderstand="${mu}">1</cwmp:ID></soap:Header><soap:Body>`)
  it('"true" on ID is reported, and refused in strict mode', () => {
    const d = decodeEnvelope(withId('true'))
    expect(d.header).toEqual({ id: '1' })
    expect(d.warnings.map((w) => w.code)).toEqual(['HEADER_MUST_UNDERSTAND'])
    expect(codeOf(() => decodeEnvelope(withId('true'), { strict: true }))).toBe('ERR_CWMP_STRICT')
  })
  it('"1" is accepted', () => {
    expect(decodeEnvelope(withId('1'), { strict: true }).warnings).toEqual([])
  })
  it('an unknown entry with mustUnderstand="true" still counts as must-understand', () => {
    const xml = envelope('<cwmp:GetRPCMethods/>').replace(
      '<soap:Body>',
      '<soap:Header><x:T xmlns:x="urn:x" soap:mustUnderstand="true"/></soap:Header><soap:Body>',
    )
    expect(decodeEnvelope(xml).header).toEqual({ notUnderstood: [{ namespace: 'urn:x', name: 'T' }] })
    expect(codeOf(() => decodeEnvelope(xml, { strict: true }))).toBe('ERR_CWMP_MUST_UNDERSTAND')
  })
})

describe('non-string values are written without surrounding whitespace (libxml2 rejects "8\\r" as xsd:unsignedShort)', () => {
  const gpv = (value: string, type: string) =>
    ({
      version: '1.2',
      header: {},
      body: { method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.X', type, value }] },
    }) as const
  it.each([
    ['8\r', 'xsd:unsignedShort'],
    [' 5', 'xsd:int'],
    ['2026-11-25T06:00:00Z\n', 'xsd:dateTime'],
    ['1 ', 'xsd:unsignedByte'],
  ])('%j as %s is refused by the strict encoder and written as is otherwise', (value, type) => {
    expect(codeOf(() => encodeEnvelope(gpv(value, type)))).toBe('ERR_CWMP_ENCODE_INVALID')
    const xml = encodeEnvelope(gpv(value, type), { strict: false })
    const back = decodeEnvelope(xml).body
    expect(back.method === 'GetParameterValuesResponse' && back.parameterList[0]?.value).toBe(value)
  })
  it('strings keep their whitespace, and so do the types libxml2 collapses (boolean, decimal, integer)', () => {
    for (const [value, type] of [[' a\r\n', 'xsd:string'], [' 1 ', 'xsd:boolean'], [' 1.5', 'xsd:decimal'], ['7 ', 'xsd:integer']]) {
      expect(() => encodeEnvelope(gpv(value as string, type as string))).not.toThrow()
    }
  })
})

describe('lists of any length: no spread or apply over an unbounded array (issue 9 item 3: RangeError from push(...warnings))', () => {
  // Real devices send Values without xsi:type; each item then carries a warning, and the warnings of
  // the items decoded while reading were appended with one push(...) call: above about 125,000
  // items its arguments overflowed the stack.
  const N = 150_000

  it(`decodes a GetParameterValuesResponse of ${N} parameters without xsi:type, with one warning each`, () => {
    let items = ''
    for (let i = 0; i < N; i++) {
      items += `<ParameterValueStruct><Name>Device.X.${i}</Name><Value>${i}</Value></ParameterValueStruct>`
    }
    const xml = envelope(
      `<cwmp:GetParameterValuesResponse><ParameterList soapenc:arrayType="cwmp:ParameterValueStruct[${N}]">` +
        `${items}</ParameterList></cwmp:GetParameterValuesResponse>`,
    )
    const d = decodeEnvelope(xml)
    if (d.body.method !== 'GetParameterValuesResponse') throw new Error(`decoded ${d.body.method}`)
    expect(d.body.parameterList).toHaveLength(N)
    expect(d.body.parameterList[N - 1]).toEqual({ name: `Device.X.${N - 1}`, type: 'xsd:string', value: String(N - 1) })
    expect(d.warnings).toHaveLength(N)
    expect(d.warnings.every((w) => w.code === 'VALUE_TYPE_MISSING')).toBe(true)
    expect(d.warnings[N - 1]?.path).toBe('Envelope/Body/GetParameterValuesResponse/ParameterList/ParameterValueStruct/Value')
  })

  it(`decodes a ChangeDUState whose Operations nest ${N} operation structs`, () => {
    let ops = ''
    for (let i = 0; i < N; i++) ops += `<UninstallOpStruct><UUID>${UUID}</UUID></UninstallOpStruct>`
    const d = decodeEnvelope(envelope(`<cwmp:ChangeDUState><Operations>${ops}</Operations><CommandKey>k</CommandKey></cwmp:ChangeDUState>`))
    if (d.body.method !== 'ChangeDUState') throw new Error(`decoded ${d.body.method}`)
    expect(d.body.operations).toHaveLength(N)
    expect(d.body.operations[N - 1]).toEqual({ type: 'UninstallOpStruct', uuid: UUID })
    expect(d.warnings.map((w) => w.code)).toEqual(['OPERATIONS_NESTED'])
  })
})

const UUID = '0f8fad5b-d9cb-469f-a165-70867728950e'

describe('a bare & in an envelope (issue 11 item 5)', () => {
  it('is reported at the & with its line and column, not as an unclosed tag at the end of the input', () => {
    const xml = [
      '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0">',
      '<soap-env:Body><cwmp:SetParameterValues><ParameterList>',
      '<ParameterValueStruct><Name>Device.X</Name><Value>Tom & Jerry</Value></ParameterValueStruct>',
      '</ParameterList><ParameterKey></ParameterKey></cwmp:SetParameterValues></soap-env:Body></soap-env:Envelope>',
    ].join('\n')
    let caught: unknown
    try {
      decodeEnvelope(xml)
    } catch (e) {
      caught = e
    }
    expect(isCwmpError(caught)).toBe(true)
    const column = (xml.split('\n')[2] as string).indexOf('&') + 1
    expect(caught).toMatchObject({ code: 'ERR_CWMP_XML_MALFORMED', line: 3, column })
  })
})

describe('text inside a ParameterValueStruct is reported (it was dropped without a warning)', () => {
  const xml = envelope(
    '<cwmp:GetParameterValuesResponse><ParameterList soapenc:arrayType="cwmp:ParameterValueStruct[1]">' +
      '<ParameterValueStruct>stray<Name>Device.X</Name><Value xsi:type="xsd:string">v</Value></ParameterValueStruct>' +
      '</ParameterList></cwmp:GetParameterValuesResponse>',
  )
  it('as TEXT_IGNORED at the struct, as every struct does, and the value is read', () => {
    const d = decodeEnvelope(xml)
    expect(d.body).toEqual({ method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.X', value: 'v', type: 'xsd:string' }] })
    expect(d.warnings.map((w) => [w.code, w.path, w.line])).toEqual([['TEXT_IGNORED', 'Envelope/Body/GetParameterValuesResponse/ParameterList/ParameterValueStruct', 1]])
    // White space there is not text to report.
    expect(decodeEnvelope(xml.replace('stray', '\n  ')).warnings).toEqual([])
  })
  it('refused in strict mode', () => {
    expect(codeOf(() => decodeEnvelope(xml, { strict: true }))).toBe('ERR_CWMP_STRICT')
  })
})
