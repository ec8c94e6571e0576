/*
 * Differential test of the two XML producers (issue 11 item 2): the hand-written scanner
 * (src/xml/scanner.ts, what decodeEnvelope uses) against the saxes reference
 * (src/xml/saxes-events.ts). On every input both report the same events (names, namespaces,
 * attributes, text, start-tag positions), or both reject it with the same error code. The only
 * differences allowed are the ones docs/conformance.md lists, each asserted here where it occurs.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LIMITS, type DecodeLimits, type XmlHandler } from '../../src/xml/events.js'
import { readXmlEvents } from '../../src/xml/saxes-events.js'
import { scanXmlEvents } from '../../src/xml/scanner.js'
import { isCwmpError } from '../../src/errors.js'
import { mutation, pick, xmlFiles } from './mutations.js'

type Producer = (xml: string, limits: DecodeLimits, handler: XmlHandler) => void
type Outcome = { ok: true; events: string[] } | { ok: false; code: string; line: number | undefined; column: number | undefined }

function run(producer: Producer, xml: string, limits: DecodeLimits = DEFAULT_LIMITS): Outcome {
  const events: string[] = []
  let text = ''
  const flush = (): void => {
    if (text !== '') events.push(`T${JSON.stringify(text)}`)
    text = ''
  }
  try {
    producer(xml, limits, {
      startElement(ns, local, attrs, _scope, line, column) {
        flush()
        events.push(`S{${ns}}${local} ${attrs === undefined ? '' : JSON.stringify(attrs)} @${line}:${column}`)
      },
      text(t) {
        text += t
      },
      endElement() {
        flush()
        events.push('E')
        return false
      },
    })
    return { ok: true, events }
  } catch (e) {
    if (!isCwmpError(e)) throw e
    const err = e as { code: string; line?: number; column?: number }
    return { ok: false, code: err.code, line: err.line, column: err.column }
  }
}

/** True when `s` holds a UTF-16 surrogate that is not half of a pair. */
function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
      else return true
    } else if (c >= 0xdc00 && c <= 0xdfff) return true
  }
  return false
}

const stats = { agreed: 0, bothRejected: 0, loneSurrogate: 0, doctype: 0, limitFirst: 0 }
const UNLIMITED: DecodeLimits = { maxBytes: Infinity, maxDepth: Infinity, maxElements: Infinity, maxTextLength: Infinity, maxAttributes: Infinity }

/** The differential check of one input; the allowed differences are docs/conformance.md's. */
function compare(xml: string, limits: DecodeLimits = DEFAULT_LIMITS): void {
  const scan = run(scanXmlEvents, xml, limits)
  const saxes = run(readXmlEvents, xml, limits)
  if (scan.ok && saxes.ok) {
    expect(scan.events).toEqual(saxes.events)
    stats.agreed++
    return
  }
  if (!scan.ok && !saxes.ok) {
    if (scan.code === saxes.code) {
      stats.bothRejected++
      return
    }
    // Difference 2: the scanner refuses a DOCTYPE where it starts; saxes only once it has read it
    // whole, so an error inside the DOCTYPE is a malformed-XML error there.
    if (scan.code === 'ERR_CWMP_DOCTYPE' && xml.includes('<!DOCTYPE')) {
      stats.doctype++
      return
    }
    // Difference 3: the scanner checks limits at the character that crosses them, saxes once it has
    // read the whole tag or text: a limit crossed before a malformation is the scanner's error. Without
    // limits both producers then agree.
    if (scan.code === 'ERR_CWMP_LIMIT_EXCEEDED' && limits !== UNLIMITED) {
      const a = run(scanXmlEvents, xml, UNLIMITED)
      const b = run(readXmlEvents, xml, UNLIMITED)
      expect(a.ok ? 'ok' : a.code).toBe(b.ok ? 'ok' : b.code)
      stats.limitFirst++
      return
    }
  }
  // Difference 1: a lone surrogate is not an XML 1.0 Char: the scanner rejects it, saxes may not.
  if (!scan.ok && scan.code === 'ERR_CWMP_XML_MALFORMED' && hasLoneSurrogate(xml)) {
    stats.loneSurrogate++
    return
  }
  expect({ xml, scan, saxes }).toEqual({ xml, scan: saxes, saxes })
}

const FIXTURES = xmlFiles(join(__dirname, '../../fixtures')).map((p) => readFileSync(p, 'utf8'))
const CORPUS_DIR = process.env.CWMP_CORPUS_DIR
const CORPUS = CORPUS_DIR === undefined ? [] : xmlFiles(CORPUS_DIR).map((p) => readFileSync(p, 'utf8'))

/** Generated XML-ish documents: elements, attributes, namespaces, text, references, CDATA, comments, PIs. */
const name = fc.constantFrom('a', 'b', 'p:a', 'q:b', 'x', 'é', '_1', 'a.b-c', 'xmlns:z')
const text = fc.constantFrom('t', ' ', '\n', '&amp;', '&lt;&gt;', '&#65;', '&#x1F600;', '&#x00000000041;', '&#000000000000000065;', '<![CDATA[<&]]>', '<!-- c -->', '<?pi x?>', 'é😀', '\r\n', ']]')
const attr = fc.tuple(fc.constantFrom('a', 'b', 'p:a', 'q:a', 'xmlns', 'xmlns:p', 'xmlns:q', 'xml:lang'), fc.constantFrom('v', '', 'urn:p', 'urn:q', '&quot;', 'a\tb', '&#9;'))
const element: fc.Arbitrary<string> = fc.letrec<{ el: string }>((tie) => ({
  el: fc
    .tuple(name, fc.array(attr, { maxLength: 3 }), fc.array(fc.oneof(text, tie('el')), { maxLength: 4 }))
    .map(([n, as, kids]) => {
      const a = as.map(([k, v]) => ` ${k}="${v}"`).join('')
      return kids.length === 0 ? `<${n}${a}/>` : `<${n}${a}>${kids.join('')}</${n}>`
    }),
})).el
const document = fc
  .tuple(fc.constantFrom('', '<?xml version="1.0" encoding="UTF-8"?>\n', "<?xml version='1.0' standalone='yes' ?>", '\ufeff'), element, fc.constantFrom('', '\n', '<!-- end -->'))
  .map(([d, e, t]) => `${d}<root xmlns:p="urn:p" xmlns:q="urn:q">${e}</root>${t}`)

describe('scanner and saxes report the same events, or both reject', () => {
  it('on the known differences, each asserted (docs/conformance.md)', () => {
    // A lone surrogate: the scanner rejects it at the character (XML 1.0 Char production).
    const lone = run(scanXmlEvents, '<a x="\ud800"/>')
    expect(lone).toMatchObject({ ok: false, code: 'ERR_CWMP_XML_MALFORMED', line: 1, column: 7 })
    // A DOCTYPE is refused where it starts, even when it is malformed further on.
    expect(run(scanXmlEvents, '<!DOCTYPE a [<!ENTITY')).toMatchObject({ ok: false, code: 'ERR_CWMP_DOCTYPE', line: 1, column: 1 })
    expect(run(readXmlEvents, '<!DOCTYPE a [<!ENTITY')).toMatchObject({ ok: false, code: 'ERR_CWMP_XML_MALFORMED' })
  })

  it('on generated documents and their mutations, and 50,000 mutated fixtures', () => {
    fc.assert(fc.property(document, (d) => compare(d)), { numRuns: 2_000, seed: 11 })
    fc.assert(fc.property(document, fc.array(mutation, { minLength: 1, maxLength: 3 }), (d, ms) => compare(ms.reduce((s, m) => m(s), d))), { numRuns: 4_000, seed: 12 })
    expect(FIXTURES.length).toBeGreaterThan(50)
    for (const f of FIXTURES) compare(f)
    const fixture = fc.nat().map((n) => pick(FIXTURES, n))
    let runs = 0
    fc.assert(
      fc.property(fixture, fc.array(mutation, { minLength: 1, maxLength: 3 }), (f, ms) => {
        runs++
        compare(ms.reduce((s, m) => m(s), f))
      }),
      { numRuns: 50_000, seed: 13 },
    )
    expect(runs).toBe(50_000)
    // The mutations must reach both outcomes and the documented differences, or they test little.
    expect(stats.agreed).toBeGreaterThan(1_000)
    expect(stats.bothRejected).toBeGreaterThan(10_000)
    expect(stats.loneSurrogate).toBeGreaterThan(0)
  })

  it('under tight limits the same limits trip', () => {
    const limits: DecodeLimits = { maxBytes: 4_000, maxDepth: 4, maxElements: 20, maxTextLength: 8, maxAttributes: 3 }
    const fixture = fc.nat().map((n) => pick(FIXTURES, n))
    fc.assert(fc.property(fixture, fc.array(mutation, { maxLength: 2 }), (f, ms) => compare(ms.reduce((s, m) => m(s), f), limits)), { numRuns: 2_000, seed: 14 })
  })

  it.skipIf(CORPUS.length === 0)('on the corpus files and their mutations (CWMP_CORPUS_DIR)', () => {
    for (const f of CORPUS) compare(f)
    const file = fc.nat().map((n) => pick(CORPUS, n))
    fc.assert(fc.property(file, fc.array(mutation, { minLength: 1, maxLength: 3 }), (f, ms) => compare(ms.reduce((s, m) => m(s), f))), { numRuns: 3_000, seed: 15 })
  })
})
