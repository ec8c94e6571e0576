/*
 * ParameterValueStructs read straight from the text (src/envelope/raw-items.ts, D29) against the
 * generic path (the scanner's events, the tree, the struct decoder): on every input decodeEnvelope
 * returns the same envelope and warnings, or throws the same error (code, message, line, column,
 * path), with raw items on and off. The raw reader must also be reached, or this tests nothing:
 * each table row says whether it reads the item, and the generated inputs count how often it did.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeEnvelope, encodeEnvelope, type DecodeOptions, type ParameterValueStruct } from '../../src/index.js'
import { RawElements, RawParameterValues } from '../../src/envelope/raw-items.js'
import { useRawItems } from '../../src/envelope/tree.js'
import { isCwmpError } from '../../src/errors.js'
import { bodyCodec } from '../../src/envelope/decode.js'
import { EnvelopeTree } from '../../src/envelope/tree.js'
import { DecodeContext } from '../../src/rpc/context.js'
import { DEFAULT_LIMITS } from '../../src/xml/events.js'
import { scanXmlEvents } from '../../src/xml/scanner.js'
import { mutation, pick, xmlFiles } from '../xml/mutations.js'
import { anyEnvelope, parameterValueStruct } from './arbitraries.js'

type Outcome = { ok: true; json: string } | { ok: false; error: Record<string, unknown> }

function outcome(xml: string, options: DecodeOptions): Outcome {
  try {
    const r = decodeEnvelope(xml, options)
    return { ok: true, json: JSON.stringify({ version: r.version, header: r.header, body: r.body, warnings: r.warnings }) }
  } catch (e) {
    if (!isCwmpError(e)) throw e
    const { code, message, line, column, path } = e as unknown as Record<string, unknown>
    return { ok: false, error: { code, message, line, column, path } }
  }
}

/**
 * Items the raw readers read (spied on, so that the library carries no counter): ParameterValueStructs,
 * and other items RawElements built (the tree keeps those only when their decoder did not warn).
 */
let rawReads = 0
let elementReads = 0
// Wrapped by hand: a vitest spy records every call's arguments (each a whole message), which made
// this file's hundred thousand reads take most of its time.
const read = RawParameterValues.prototype.read
const readElements = RawElements.prototype.read
beforeAll(() => {
  RawParameterValues.prototype.read = function (this: RawParameterValues, ...args: Parameters<typeof read>) {
    const item = read.apply(this, args)
    if (item !== undefined) rawReads++
    return item
  }
  RawElements.prototype.read = function (this: RawElements, ...args: Parameters<typeof readElements>) {
    const el = readElements.apply(this, args)
    if (el !== undefined) elementReads++
    return el
  }
})
afterAll(() => {
  RawParameterValues.prototype.read = read
  RawElements.prototype.read = readElements
})
afterAll(() => useRawItems(true))

const stats = { same: 0, rejected: 0 }

/** Decode `xml` both ways; the outcomes must be equal. Returns how many items were read raw. */
function compare(xml: string, options: DecodeOptions = {}): number {
  useRawItems(false)
  const generic = outcome(xml, options)
  useRawItems(true)
  const before = rawReads
  const raw = outcome(xml, options)
  expect(raw).toEqual(generic)
  if (raw.ok) stats.same++
  else stats.rejected++
  return rawReads - before
}

const ENVELOPE_HEAD =
  '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">' +
  '<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">1</cwmp:ID></soap-env:Header><soap-env:Body>'

/** A GetParameterValuesResponse whose ParameterList holds `items` (raw text), two good items around them. */
function gpv(items: string, listAttrs = ' soap-enc:arrayType="cwmp:ParameterValueStruct[3]"'): string {
  const good = (n: number): string =>
    `<ParameterValueStruct><Name>Device.X.${n}</Name><Value xsi:type="xsd:unsignedInt">${n}</Value></ParameterValueStruct>`
  return `${ENVELOPE_HEAD}<cwmp:GetParameterValuesResponse><ParameterList${listAttrs}>${good(1)}${items}${good(2)}</ParameterList></cwmp:GetParameterValuesResponse></soap-env:Body></soap-env:Envelope>`
}

const item = (name: string, valueTag: string, value: string): string =>
  `<ParameterValueStruct><Name>${name}</Name>${valueTag}${value}</Value></ParameterValueStruct>`
const STRING = '<Value xsi:type="xsd:string">'

describe('raw ParameterValueStructs decode as the generic path does', () => {
  // [what, the middle item(s), items read raw (of 3), options]
  const rows: [string, string, number, DecodeOptions?][] = [
    ['the usual item', item('Device.A', STRING, 'v'), 3],
    ['white space between the tags', `<ParameterValueStruct>\n  <Name>Device.A</Name>\n\t<Value xsi:type="xsd:int">-5</Value>\n</ParameterValueStruct>`, 3],
    ['references in name and value', item('Device.&#65;&amp;', STRING, '&lt;a&gt; &quot;&apos; &#x1F600;&#0065;'), 3],
    ['an empty value', item('Device.A', STRING, ''), 3],
    ['an empty name', item('', STRING, 'v'), 3],
    ['single quotes, spaces around =', item('Device.A', "<Value  xsi:type = 'xsd:boolean' >", 'true'), 3],
    ['another xsi prefix', item('Device.A', '<Value xmlns:i="http://www.w3.org/2001/XMLSchema-instance" i:type="xsd:int">', '1'), 2],
    ['soap-enc:base64', item('Device.A', '<Value xsi:type="soap-enc:base64">', 'AAEC'), 3],
    ['a name of 256 characters', item(`Device.${'a'.repeat(249)}`, STRING, 'v'), 3],
    ['a name of 257 characters (FACET)', item(`Device.${'a'.repeat(250)}`, STRING, 'v'), 2],
    ['white space around the name', item(' Device.A', STRING, 'v'), 2],
    ['a value not of its type', item('Device.A', '<Value xsi:type="xsd:unsignedInt">', '-1'), 2],
    ['an integer with spaces', item('Device.A', '<Value xsi:type="xsd:int">', ' 1 '), 3],
    ['no xsi:type', item('Device.A', '<Value>', 'v'), 2],
    ['an unknown xsi:type', item('Device.A', '<Value xsi:type="xsd:foo">', 'v'), 2],
    ['an unbound type prefix', item('Device.A', '<Value xsi:type="xs:string">', 'v'), 2],
    ['a cwmp type', item('Device.A', '<Value xsi:type="cwmp:string">', 'v'), 2],
    ['xsi:type with white space inside the quotes', item('Device.A', '<Value xsi:type=" xsd:string">', 'v'), 2],
    ['a tab in the attribute value', item('Device.A', '<Value xsi:type="xsd:\tstring">', 'v'), 2],
    ['an unbound attribute prefix', item('Device.A', '<Value x:type="xsd:string">', 'v'), 1],
    ['two attributes', item('Device.A', '<Value xsi:type="xsd:string" xsi:nil="false">', 'v'), 2],
    ['a namespace declaration', item('Device.A', '<Value xmlns:xsd="urn:other" xsi:type="xsd:string">', 'v'), 2],
    ['a comment inside', `<ParameterValueStruct><!-- c --><Name>Device.A</Name>${STRING}v</Value></ParameterValueStruct>`, 2],
    ['CDATA in the value', item('Device.A', STRING, '<![CDATA[a<b]]>'), 2],
    [']]> in the value', item('Device.A', STRING, 'a]]>b'), 1],
    ['a bare & in the value', item('Device.A', STRING, 'a & b'), 1],
    ['an undefined entity', item('Device.A', STRING, '&nbsp;'), 1],
    ...['&ampx;', '&Lt;', '&gl;', '&quo;', '&aposs;', '&am;', '&;', '&#;', '&#x;', '&#xG;', '&#1a;'].map(
      (ref): [string, string, number] => [`the near-miss reference ${ref}`, item('Device.A', STRING, ref), 1],
    ),
    ['a reference to U+0000', item('Device.A', STRING, '&#0;'), 1],
    ['a long character reference', item('Device.A', STRING, '&#x00000000041;'), 2],
    ['Value before Name', `<ParameterValueStruct>${STRING}v</Value><Name>Device.A</Name></ParameterValueStruct>`, 2],
    ['an element in the value', item('Device.A', STRING, '<b/>'), 1],
    ['a qualified item', `<cwmp:ParameterValueStruct><Name>Device.A</Name>${STRING}v</Value></cwmp:ParameterValueStruct>`, 2],
    ['an attribute on the item', `<ParameterValueStruct a="1"><Name>Device.A</Name>${STRING}v</Value></ParameterValueStruct>`, 2],
    ['text inside the item', `<ParameterValueStruct>x<Name>Device.A</Name>${STRING}v</Value></ParameterValueStruct>`, 2],
    ['a mismatched end tag', `<ParameterValueStruct><Name>Device.A</Name>${STRING}v</Value></ParameterValueStructs>`, 1],
    ['a self-closing Value', `<ParameterValueStruct><Name>Device.A</Name><Value xsi:type="xsd:string"/></ParameterValueStruct>`, 2],
    ['another item name', `<ParameterInfoStruct><Name>Device.A</Name>${STRING}v</Value></ParameterInfoStruct>`, 2],
    ['strict mode, the usual item', item('Device.A', STRING, 'v'), 3, { strict: true }],
    ['strict mode, white space between the tags', `<ParameterValueStruct>\n <Name>Device.A</Name> <Value xsi:type="xsd:int">1</Value>\n</ParameterValueStruct>`, 3, { strict: true }],
    ['strict mode, text inside the item (TEXT_IGNORED)', `<ParameterValueStruct>x<Name>Device.A</Name>${STRING}v</Value></ParameterValueStruct>`, 1, { strict: true }],
    ['strict mode, a bad item stops raw reading', item('Device.A', '<Value>', 'v'), 1, { strict: true }],
    ['maxElements reached inside an item', item('Device.A', STRING, 'v'), 0, { limits: { maxElements: 8 } }],
    ['maxElements just enough', item('Device.A', STRING, 'v'), 3, { limits: { maxElements: 9 } }],
    ['maxDepth reached inside an item', item('Device.A', STRING, 'v'), 0, { limits: { maxDepth: 5 } }],
    ['maxTextLength below an item', item('Device.A', STRING, 'v'), 0, { limits: { maxTextLength: 40 } }],
  ]
  it.each(rows)('%s', (_what, items, expected, options) => {
    expect(compare(gpv(items), options)).toBe(expected)
  })

  it('the default namespace declared: the generic path reads every item', () => {
    const xml = gpv(item('Device.A', STRING, 'v')).replace('<ParameterList', '<ParameterList xmlns="urn:dslforum-org:cwmp-1-2"')
    expect(compare(xml)).toBe(0)
  })

  it('CR, a surrogate or a disallowed character anywhere: the generic path reads every item', () => {
    for (const odd of ['\r\n', '\ud83d\ude00']) {
      const xml = gpv(item('Device.A', STRING, 'v')).replace('<cwmp:ID', `<!--${odd}--><cwmp:ID`)
      expect(compare(xml)).toBe(0)
    }
  })

  it('every method with a ParameterList of ParameterValueStructs', () => {
    const list = `<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[1]">${item('Device.A', STRING, 'v')}</ParameterList>`
    const inform =
      `${ENVELOPE_HEAD}<cwmp:Inform><DeviceId><Manufacturer>M</Manufacturer><OUI>00D09E</OUI><ProductClass>P</ProductClass><SerialNumber>S</SerialNumber></DeviceId>` +
      `<Event soap-enc:arrayType="cwmp:EventStruct[1]"><EventStruct><EventCode>1 BOOT</EventCode><CommandKey></CommandKey></EventStruct></Event>` +
      `<MaxEnvelopes>1</MaxEnvelopes><CurrentTime>2026-12-04T00:00:00Z</CurrentTime><RetryCount>0</RetryCount>${list}</cwmp:Inform></soap-env:Body></soap-env:Envelope>`
    const spv = `${ENVELOPE_HEAD}<cwmp:SetParameterValues>${list}<ParameterKey>k</ParameterKey></cwmp:SetParameterValues></soap-env:Body></soap-env:Envelope>`
    expect(compare(inform)).toBe(1)
    expect(compare(spv)).toBe(1)
  })

  it('on generated lists, encoded and mutated (fast-check)', () => {
    const envelope = fc.array(parameterValueStruct, { minLength: 1, maxLength: 6 }).map((list: ParameterValueStruct[]) =>
      encodeEnvelope({ version: '1.2', header: { id: 'g' }, body: { method: 'GetParameterValuesResponse', parameterList: list } }),
    )
    const before = rawReads
    // (Not every generated list is read raw: one with a character above U+FFFF is not pure input.)
    fc.assert(
      fc.property(envelope, (xml) => {
        compare(xml)
      }),
      { numRuns: 1_000, seed: 29 },
    )
    expect(rawReads - before).toBeGreaterThan(1_000)
    fc.assert(fc.property(envelope, fc.array(mutation, { minLength: 1, maxLength: 3 }), (xml, ms) => { compare(ms.reduce((s, m) => m(s), xml)) }), { numRuns: 6_000, seed: 30 })
    fc.assert(
      fc.property(envelope, fc.array(mutation, { maxLength: 2 }), (xml, ms) => {
        compare(ms.reduce((s, m) => m(s), xml), { strict: true })
      }),
      { numRuns: 2_000, seed: 31 },
    )
    expect(rawReads - before).toBeGreaterThan(3_000)
    expect(stats.same).toBeGreaterThan(2_000)
    expect(stats.rejected).toBeGreaterThan(2_000)
  })

  it('on every message type, generated, encoded and mutated (fast-check)', () => {
    const before = elementReads
    const encoded = anyEnvelope.map((e) => encodeEnvelope(e))
    fc.assert(
      fc.property(encoded, (xml) => {
        compare(xml)
      }),
      { numRuns: 400, seed: 34 },
    )
    // (Generating these envelopes is most of the time: 10,000 of them took 40 s.)
    fc.assert(fc.property(encoded, fc.array(mutation, { minLength: 1, maxLength: 3 }), (xml, ms) => { compare(ms.reduce((s, m) => m(s), xml)) }), { numRuns: 1_200, seed: 35 })
    fc.assert(fc.property(encoded, fc.array(mutation, { maxLength: 2 }), (xml, ms) => { compare(ms.reduce((s, m) => m(s), xml), { strict: true }) }), { numRuns: 400, seed: 36 })
    expect(elementReads - before).toBeGreaterThan(50)
  })

  const FIXTURES = xmlFiles(join(__dirname, '../../fixtures')).map((p) => readFileSync(p, 'utf8'))
  it('on the fixtures and their mutations', () => {
    let reached = 0
    for (const f of FIXTURES) reached += compare(f)
    expect(reached).toBeGreaterThan(10)
    const fixture = fc.nat().map((n) => pick(FIXTURES, n))
    fc.assert(fc.property(fixture, fc.array(mutation, { minLength: 1, maxLength: 3 }), (f, ms) => { compare(ms.reduce((s, m) => m(s), f)) }), { numRuns: 8_000, seed: 32 })
  })

  const CORPUS_DIR = process.env.CWMP_CORPUS_DIR
  const CORPUS = CORPUS_DIR === undefined ? [] : xmlFiles(CORPUS_DIR).map((p) => readFileSync(p, 'utf8'))
  it.skipIf(CORPUS.length === 0)('on the corpus files and their mutations (CWMP_CORPUS_DIR)', () => {
    let reached = 0
    for (const f of CORPUS) reached += compare(f)
    expect(reached).toBeGreaterThan(100)
    const file = fc.nat().map((n) => pick(CORPUS, n))
    fc.assert(fc.property(file, fc.array(mutation, { minLength: 1, maxLength: 3 }), (f, ms) => { compare(ms.reduce((s, m) => m(s), f)) }), { numRuns: 4_000, seed: 33 })
  })
})

describe('the Value start tags the raw reader remembers', () => {
  it('keep no message alive (they are copies, not slices of the input)', () => {
    const script = join(import.meta.dirname, 'scripts/tag-retention.ts')
    const out = JSON.parse(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8' })) as { items: number; grownMB: number }
    expect(out.items).toBe(60)
    // As slices, the 30 tags (the reader remembers 32) would keep the 30 messages alive: 60 MB.
    expect(out.grownMB).toBeLessThan(16)
  }, 60_000)
})

/** Items kept from the raw readers when the tree reads `xml` (as decodeEnvelope does), or 'error'. */
function kept(xml: string, strict = false, limits = DEFAULT_LIMITS): number | 'error' {
  const tree = new EnvelopeTree(new DecodeContext(strict, '1.0'), (el) => bodyCodec(el, undefined))
  try {
    scanXmlEvents(xml, limits, tree)
  } catch {
    return 'error'
  }
  return tree.rawKept
}

describe('other items read raw (RawElements) decode as the generic path does', () => {
  const gpn = (items: string): string =>
    `${ENVELOPE_HEAD}<cwmp:GetParameterNamesResponse><ParameterList soap-enc:arrayType="cwmp:ParameterInfoStruct[3]">` +
    `<ParameterInfoStruct><Name>Device.A.</Name><Writable>0</Writable></ParameterInfoStruct>${items}` +
    `<ParameterInfoStruct><Name>Device.B</Name><Writable>1</Writable></ParameterInfoStruct></ParameterList></cwmp:GetParameterNamesResponse></soap-env:Body></soap-env:Envelope>`
  const info = (name: string, writable: string): string => `<ParameterInfoStruct><Name>${name}</Name><Writable>${writable}</Writable></ParameterInfoStruct>`
  const names = (items: string): string =>
    `${ENVELOPE_HEAD}<cwmp:GetParameterValues><ParameterNames soap-enc:arrayType="xsd:string[3]"><string>Device.A</string>${items}<string>Device.B</string>` +
    `</ParameterNames></cwmp:GetParameterValues></soap-env:Body></soap-env:Envelope>`
  // [what, message, items kept raw (lenient), in strict mode]: in strict mode the item the generic
  // path must read is an error, and nothing after it is read raw; the envelope decoder throws it.
  const rows: [string, string, number | 'error', (number | 'error')?][] = [
    ['ParameterInfoStructs', gpn(info('Device.C', 'true')), 3, 3],
    ['white space between the tags', gpn(`<ParameterInfoStruct>\n <Name>Device.C</Name>\n <Writable>1</Writable>\n</ParameterInfoStruct>`), 3, 3],
    ['references in the name', gpn(info('Device.&lt;&#67;&gt;', '1')), 3, 3],
    ['Writable True (BOOLEAN_CASE)', gpn(info('Device.C', 'True')), 2, 1],
    ['Writable yes (SCALAR_INVALID)', gpn(info('Device.C', 'yes')), 2, 1],
    ['Writable missing (an error in lenient mode too)', gpn('<ParameterInfoStruct><Name>Device.C</Name></ParameterInfoStruct>'), 'error', 1],
    ['the fields swapped', gpn('<ParameterInfoStruct><Writable>1</Writable><Name>Device.C</Name></ParameterInfoStruct>'), 2, 1],
    ['an element more', gpn('<ParameterInfoStruct><Name>Device.C</Name><Writable>1</Writable><X>1</X></ParameterInfoStruct>'), 2, 1],
    ['a qualified field', gpn('<ParameterInfoStruct><cwmp:Name>Device.C</cwmp:Name><Writable>1</Writable></ParameterInfoStruct>'), 2, 1],
    ['text in the item', gpn('<ParameterInfoStruct>x<Name>Device.C</Name><Writable>1</Writable></ParameterInfoStruct>'), 2, 1],
    ['an empty Name', gpn(info('', '0')), 3, 3],
    ['a bad reference', gpn(info('Device.&x;', '0')), 'error', 'error'],
    ['names', names('<string>Device.C</string>'), 3, 3],
    ['a name with white space around it (WHITESPACE_TRIMMED)', names('<string> Device.C </string>'), 2, 1],
    ['a name of 257 characters', names(`<string>${'a'.repeat(257)}</string>`), 2, 1],
    ['a name in CDATA', names('<string><![CDATA[Device.C]]></string>'), 2, 2],
    ['a comment in a name', names('<string>Device<!-- c -->.C</string>'), 2, 2],
    ['an empty name element', names('<string/>'), 2, 2],
    ['another item name', names('<name>Device.C</name>'), 2, 1],
    // References before an optional field left out (ExpirationDate): a reader that went back over
    // the item once read `&gt;` as text, its cache of the next `&` being past it.
    [
      'an optional field absent after a reference',
      `${ENVELOPE_HEAD}<cwmp:GetOptionsResponse><OptionList soap-enc:arrayType="cwmp:OptionStruct[2]">` +
        ['&gt;', 'a&amp;b'].map((n) => `<OptionStruct><OptionName>${n}</OptionName><VoucherSN>0</VoucherSN><State>0</State><Mode>0</Mode><StartDate>0001-01-01T00:00:00+00:00</StartDate><IsTransferable>0</IsTransferable></OptionStruct>`).join('') +
        '</OptionList></cwmp:GetOptionsResponse></soap-env:Body></soap-env:Envelope>',
      2,
      2,
    ],
  ]
  it.each(rows)('%s', (_what, xml, lenient, strict) => {
    compare(xml)
    if (xml.includes('OptionStruct')) expect((decodeEnvelope(xml).body as unknown as { optionList: { optionName: string }[] }).optionList.map((o) => o.optionName)).toEqual(['>', 'a&b'])
    compare(xml, { strict: true })
    expect(kept(xml)).toBe(lenient)
    if (strict !== undefined) expect(kept(xml, true)).toBe(strict)
  })

  it('limits: the generic path reads what could cross one', () => {
    const xml = gpn(info('Device.C', '1'))
    // Envelope, Header, ID, Body, method, list: 6 elements; an item needs 3 more.
    expect(kept(xml, false, { ...DEFAULT_LIMITS, maxElements: 8 })).toBe('error')
    expect(kept(xml, false, { ...DEFAULT_LIMITS, maxElements: 9 })).toBe(3)
    expect(kept(xml, false, { ...DEFAULT_LIMITS, maxDepth: 5 })).toBe('error')
    expect(kept(xml, false, { ...DEFAULT_LIMITS, maxDepth: 6 })).toBe(3)
    for (const limits of [{ maxElements: 8 }, { maxDepth: 5 }, { maxTextLength: 20 }]) compare(xml, { limits })
  })
})
