import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeEnvelope } from '../../src/envelope/decode.js'
import { encodeEnvelope } from '../../src/envelope/encode.js'
import { formatXml } from '../../src/index.js'

// Private-use characters as markers: deleting them shows exactly what formatXml added.
const EOL = '\u{e000}'
const INDENT = '\u{e001}'
const strip = (s: string): string => s.replaceAll(EOL, '').replaceAll(INDENT, '')
const markers = { eol: EOL, indent: INDENT }
const noMarkers = (s: string): boolean => !s.includes(EOL) && !s.includes(INDENT)

/** XML-ish text: tags, attributes with > inside, comments, CDATA, PIs, text, and broken pieces. */
const xmlish = fc
  .array(
    fc.oneof(
      fc.constantFrom('<a>', '</a>', '<b x="1>2">', '</b>', '<c/>', '<d y=\'<\'/>', '<!-- c -->', '<![CDATA[<x>]]>', '<?pi x?>'),
      fc.constantFrom('<!DOCTYPE r [<!ENTITY e "v">]>', '<', '>', '<a', '<!--', '<![CDATA[', '"', ' ', '\n'),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 30 },
  )
  .map((parts) => parts.join(''))

describe('formatXml', () => {
  it('indents nested elements and keeps text and empty elements on one line', () => {
    expect(formatXml('<?xml version="1.0"?><a><b>1</b><c></c><d/><!--x--><e><f>t</f></e></a>')).toBe(
      [
        '<?xml version="1.0"?>',
        '<a>',
        '  <b>1</b>',
        '  <c></c>',
        '  <d/>',
        '  <!--x-->',
        '  <e>',
        '    <f>t</f>',
        '  </e>',
        '</a>',
      ].join('\n'),
    )
  })

  it('only ever inserts line breaks and indentation, whatever the input (malformed included)', () => {
    fc.assert(
      fc.property(fc.oneof(xmlish, fc.string({ unit: 'grapheme', maxLength: 200 })).filter(noMarkers), (input) => {
        expect(strip(formatXml(input, markers))).toBe(input)
      }),
      { numRuns: 2000 },
    )
  })

  it('gives back the encoder output when the added whitespace is removed, and decodes to the same envelope', () => {
    const value = fc.string({ maxLength: 20 }).filter(noMarkers)
    const envelope = fc.record({
      id: fc.stringMatching(/^[A-Za-z0-9]{1,8}$/),
      params: fc.array(
        fc.record({ name: fc.stringMatching(/^Device\.[A-Za-z]{1,8}\.[A-Za-z]{1,8}$/), value }),
        { maxLength: 6 },
      ),
    })
    fc.assert(
      fc.property(envelope, ({ id, params }) => {
        const xml = encodeEnvelope(
          {
            version: '1.4',
            header: { id },
            body: {
              method: 'GetParameterValuesResponse',
              parameterList: params.map((p) => ({ name: p.name, value: p.value, type: 'xsd:string' })),
            },
          },
          { strict: false },
        )
        expect(strip(formatXml(xml, markers))).toBe(xml)
        const pretty = formatXml(xml)
        expect(pretty.split('\n').length).toBeGreaterThan(4)
        const a = decodeEnvelope(xml)
        const b = decodeEnvelope(pretty)
        expect(b.header).toEqual(a.header)
        expect(b.body).toEqual(a.body)
      }),
      { numRuns: 200 },
    )
  })

  it('keeps attribute values containing > and < intact and copies unterminated markup', () => {
    expect(formatXml('<a x="1>2"><b/></a>')).toBe('<a x="1>2">\n  <b/>\n</a>')
    expect(formatXml('<a><b/><!-- never closed <c/>')).toBe('<a>\n  <b/><!-- never closed <c/>')
    expect(formatXml('<a<b/>')).toBe('<a<b/>')
    expect(formatXml('')).toBe('')
  })

  it('copes with large hostile input', () => {
    const big = '<a'.repeat(200_000) + '<!--'.repeat(50_000)
    expect(strip(formatXml(big, markers))).toBe(big)
  })
})
