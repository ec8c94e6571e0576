/**
 * What the decoder keeps across array items decoded on close must not grow with them.
 *
 * Text between the items of a SOAP array whose items are decoded as they close (envelope/tree.ts):
 * the array element keeps one piece of it, not all of it, so that the whitespace of a
 * pretty-printed 100,000-item response is not held to the end; and the one thing that text decides,
 * the TEXT_IGNORED leniency (an error in strict mode), is decided as if all of it had been kept.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createEnvelopeDecoder, decodeEnvelope, encodeEnvelope, type DecodedEnvelope } from '../../src/index.js'
import { DecodeContext } from '../../src/rpc/context.js'
import { bodyCodec } from '../../src/envelope/decode.js'
import { EnvelopeTree } from '../../src/envelope/tree.js'
import { DEFAULT_LIMITS } from '../../src/xml/events.js'
import type { XmlElement } from '../../src/xml/reader.js'
import { scanXmlEvents } from '../../src/xml/scanner.js'
import { createXmlEventReader } from '../../src/xml/saxes-events.js'

const ITEM = '<ParameterValueStruct>'

function response(n: number): string {
  const parameterList = Array.from({ length: n }, (_, i) => ({ name: `Device.P${i}`, value: String(i), type: 'xsd:int' }))
  return encodeEnvelope({ version: '1.2', header: { id: 'a' }, body: { method: 'GetParameterValuesResponse', parameterList } })
}

/** `xml` with gaps[i] written before the i-th item (cycling through gaps). */
function withGaps(xml: string, gaps: readonly string[]): string {
  let i = 0
  return xml.replaceAll(ITEM, () => `${gaps[i++ % gaps.length] as string}${ITEM}`)
}

function arrayOf(tree: EnvelopeTree): XmlElement {
  return ((tree.method as XmlElement).children[0]) as XmlElement
}

describe('text between array items decoded on close', () => {
  it('is not accumulated: the array element holds one piece, from both producers', () => {
    const xml = withGaps(response(1000), ['\n      '])
    for (const strict of [false, true]) {
      const scanned = new EnvelopeTree(new DecodeContext(strict, '1.0'), (el) => bodyCodec(el, undefined))
      scanXmlEvents(xml, DEFAULT_LIMITS, scanned)
      expect(arrayOf(scanned).text.length).toBeLessThanOrEqual('\n      '.length)
      const streamed = new EnvelopeTree(new DecodeContext(strict, '1.0'), (el) => bodyCodec(el, undefined))
      const reader = createXmlEventReader(DEFAULT_LIMITS, streamed)
      for (let i = 0; i < xml.length; i += 1000) reader.write(xml.slice(i, i + 1000))
      reader.close()
      expect(arrayOf(streamed).text.length).toBeLessThanOrEqual('\n      '.length)
    }
  })

  it('reports TEXT_IGNORED exactly when some of it is not whitespace, in one piece or many', () => {
    const gap = fc.array(fc.constantFrom(' ', '\n', '\t', '\r\n', 'x', ''), { maxLength: 4 }).map((p) => p.join(''))
    fc.assert(
      fc.property(fc.array(gap, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 12 }), fc.nat(), (gaps, n, cut) => {
        const xml = withGaps(response(n), gaps)
        const used = gaps.slice(0, n).join('')
        const hasText = /[^ \t\r\n]/.test(used)
        const lenient = decodeEnvelope(xml)
        const ignored = lenient.warnings.filter((w) => w.code === 'TEXT_IGNORED')
        expect(ignored.length).toBe(hasText ? 1 : 0)
        expect(lenient.body).toStrictEqual(decodeEnvelope(response(n)).body)
        // The stream, cut in pieces (so one gap may come in several text events), agrees.
        const d = createEnvelopeDecoder()
        const at = 1 + (cut % xml.length)
        for (let i = 0; i < xml.length; i += at) d.write(xml.slice(i, i + at))
        expect(d.end()).toStrictEqual(lenient)
        // Strict mode: that leniency is the error.
        let strict: DecodedEnvelope | string
        try {
          strict = decodeEnvelope(xml, { strict: true })
        } catch (e) {
          strict = (e as { code: string }).code
        }
        if (hasText) expect(strict).toBe('ERR_CWMP_STRICT')
        else expect(strict).toStrictEqual(lenient)
      }),
      { numRuns: 60 },
    )
  })
})

describe('the xsi:type cache', () => {
  it('stays bounded when every item uses another type', () => {
    const n = 300
    const items = Array.from({ length: n }, (_, i) => `<ParameterValueStruct><Name>P${i}</Name><Value xsi:type="xsd:t${i}">1</Value></ParameterValueStruct>`)
    const xml = response(1).replace(/<ParameterValueStruct>.*<\/ParameterValueStruct>/, items.join(''))
    const ctx = new DecodeContext(false, '1.0')
    const tree = new EnvelopeTree(ctx, (el) => bodyCodec(el, undefined))
    scanXmlEvents(xml, DEFAULT_LIMITS, tree)
    expect(ctx.typeCache?.size).toBeGreaterThan(0)
    expect(ctx.typeCache?.size).toBeLessThanOrEqual(32)
    // And the result is the one an unbounded cache gave: every value keeps its own type.
    const got = decodeEnvelope(xml)
    const body = got.body as unknown as { parameterList: { type: string }[] }
    expect(body.parameterList.map((p) => p.type)).toEqual(Array.from({ length: n }, (_, i) => `xsd:t${i}`))
  })
})
