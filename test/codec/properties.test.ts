/**
 * Properties of the codec over generated messages (test/codec/arbitraries.ts):
 *
 * - round trip: for every body element and every version that defines it,
 *   `decodeEnvelope(encodeEnvelope(e))` deep-equals `{ ...e, warnings: [] }`;
 * - decode is total: random text, random bytes and mutated encodings either decode or throw an
 *   error for which `isCwmpError` holds, nothing else;
 * - untrusted input: deep nesting, entity expansion and external entities are refused at once.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  DEFAULT_DECODE_LIMITS,
  decodeEnvelope,
  encodeEnvelope,
  isCwmpError,
  type CwmpMethod,
  type DecodedEnvelope,
} from '../../src/index.js'
import { anyEnvelope, envelopeOf, METHODS, versionsOf, xmlChar } from './arbitraries.js'

/** Runs per (element, version) pair in the round-trip property; 251 pairs. */
const RUNS_PER_PAIR = 12
/** Runs of each "decode is total" property. */
const TOTAL_RUNS = 400

function outcome(fn: () => unknown): 'ok' | 'cwmp-error' | Error {
  try {
    fn()
    return 'ok'
  } catch (e) {
    if (isCwmpError(e)) return 'cwmp-error'
    return e instanceof Error ? e : new Error(String(e))
  }
}

/** Decode, and when that works re-encode leniently: each step either works or throws a CwmpError. */
function decodeIsTotal(input: string | Uint8Array): void {
  let decoded: DecodedEnvelope | undefined
  const first = outcome(() => {
    decoded = decodeEnvelope(input)
  })
  if (first instanceof Error) throw first
  if (decoded !== undefined) {
    const d = decoded
    const second = outcome(() => encodeEnvelope(d, { strict: false }))
    if (second instanceof Error) throw second
  }
}

describe('round trip: decode(encode(e)) equals e', () => {
  describe.each(METHODS.map((m) => [m, versionsOf(m)] as const))('%s', (method: CwmpMethod, versions) => {
    it.each(versions)('CWMP %s', (version) => {
      fc.assert(
        fc.property(envelopeOf(method, version), (e) => {
          const xml = encodeEnvelope(e)
          expect(decodeEnvelope(xml)).toStrictEqual(e)
          // Bytes decode the same as text, and strict mode accepts what the encoder writes.
          expect(decodeEnvelope(Buffer.from(xml, 'utf8'), { strict: true })).toStrictEqual(e)
        }),
        { numRuns: RUNS_PER_PAIR },
      )
    })
  })

  it('is deterministic and independent of the XML declaration', () => {
    fc.assert(
      fc.property(anyEnvelope, (e) => {
        const xml = encodeEnvelope(e)
        expect(encodeEnvelope(structuredClone(e))).toBe(xml)
        const bare = encodeEnvelope(e, { xmlDeclaration: false })
        expect(xml).toBe(`<?xml version="1.0" encoding="UTF-8"?>${bare}`)
        expect(decodeEnvelope(bare)).toStrictEqual(e)
      }),
      { numRuns: 200 },
    )
  })

  it('re-encoding a lenient decode with strict: false is stable', () => {
    fc.assert(
      fc.property(anyEnvelope, (e) => {
        const once = encodeEnvelope(e, { strict: false })
        expect(once).toBe(encodeEnvelope(e))
        expect(encodeEnvelope(decodeEnvelope(once), { strict: false })).toBe(once)
      }),
      { numRuns: 200 },
    )
  })
})

// ---------------------------------------------------------------------------------------------

const NAMESPACES = [
  'http://schemas.xmlsoap.org/soap/envelope/',
  'http://schemas.xmlsoap.org/soap/encoding/',
  'http://www.w3.org/2003/05/soap-envelope',
  'urn:dslforum-org:cwmp-1-0',
  'urn:dslforum-org:cwmp-1-3',
  'urn:dslforum-org:cwmp-1-9',
  'http://www.w3.org/2001/XMLSchema',
  'http://www.w3.org/XML/1998/namespace',
  'http://www.w3.org/2000/xmlns/',
  '',
]

const DOCTYPES = [
  '<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE a [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
  '<!DOCTYPE a SYSTEM "http://example.invalid/x.dtd">',
  '<!DOCTYPE soap-env:Envelope>',
]

/** Positions of every `<` in the text: element and markup boundaries. */
function tagStarts(s: string): number[] {
  const out: number[] = []
  for (let i = s.indexOf('<'); i !== -1; i = s.indexOf('<', i + 1)) out.push(i)
  return out
}

type Mutation = (xml: string) => string | Uint8Array

const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T

/** Mutations of a valid encoding, each driven by random numbers. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((n): Mutation => (xml) => xml.slice(0, n % (xml.length + 1))),
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }).map(
    (flips): Mutation =>
      (xml) => {
        const b = Buffer.from(xml, 'utf8')
        for (const [at, v] of flips) b[at % b.length] = v
        return new Uint8Array(b)
      },
  ),
  fc.tuple(fc.nat(), fc.nat()).map(
    ([a, b]): Mutation =>
      (xml) => {
        // Duplicate a span between two markup starts: a repeated element, or a broken fragment.
        const t = tagStarts(xml)
        const i = pick(t, a)
        const j = pick(t, b)
        const [from, to] = i <= j ? [i, j] : [j, i]
        return xml.slice(0, to) + xml.slice(from, to) + xml.slice(to)
      },
  ),
  fc.tuple(fc.nat(), fc.nat()).map(
    ([a, b]): Mutation =>
      (xml) => {
        // Remove a span between two markup starts: a missing element, or an unbalanced tag.
        const t = tagStarts(xml)
        const i = pick(t, a)
        const j = pick(t, b)
        return i <= j ? xml.slice(0, i) + xml.slice(j) : xml.slice(0, j) + xml.slice(i)
      },
  ),
  fc.tuple(fc.nat(), fc.nat()).map(
    ([a, b]): Mutation =>
      (xml) => {
        // Rename a namespace: bind one of the declared URIs to another (or to none).
        const uris = [...xml.matchAll(/xmlns(?::[^=]+)?="([^"]*)"/g)].map((m) => m[1] as string)
        if (uris.length === 0) return xml
        return xml.split(`"${pick(uris, a)}"`).join(`"${pick(NAMESPACES, b)}"`)
      },
  ),
  fc.tuple(fc.nat(), fc.constantFrom('soap-env', 'cwmp', 'xsi', 'xsd', 'soap-enc'), fc.constantFrom('', 'x', 'soap-env', 'cwmp', 'xmlns', 'xml')).map(
    ([n, from, to]): Mutation =>
      (xml) => {
        // Change one prefix occurrence, leaving it unbound or bound to the wrong namespace.
        const parts = xml.split(`${from}:`)
        if (parts.length < 2) return xml
        const k = 1 + (n % (parts.length - 1))
        return parts.slice(0, k).join(`${from}:`) + (to === '' ? '' : `${to}:`) + parts.slice(k).join(`${from}:`)
      },
  ),
  fc.constantFrom(...DOCTYPES).map(
    (dt): Mutation =>
      (xml) => xml.replace(/^(<\?xml[^>]*\?>)?/, (decl) => `${decl}${dt}`),
  ),
  fc.tuple(fc.nat(), fc.string({ unit: xmlChar, minLength: 1, maxLength: 8 })).map(
    ([at, s]): Mutation =>
      (xml) => {
        const i = at % (xml.length + 1)
        return xml.slice(0, i) + s + xml.slice(i)
      },
  ),
  fc.constantFrom<Mutation>(
    (xml) => xml.replace(/<soap-env:Body>/, '<soap-env:Body><cwmp:Extra/>'),
    (xml) => xml.replace(/<\/soap-env:Body>/, '</soap-env:Body><soap-env:Body/>'),
    (xml) => xml.replace(/xsi:type="[^"]*"/g, 'xsi:type="no:such"'),
    (xml) => xml.replace(/soap-enc:arrayType="[^"]*"/g, 'soap-enc:arrayType="[[["'),
    (xml) => xml.replace(/<\/?soap-env:Header>/g, ''),
    (xml) => xml.replace(/>([^<]+)</g, '><![CDATA[$1]]><'),
    (xml) => Buffer.from(`\ufeff${xml}`, 'utf16le'),
  ),
)

describe('decode is total: it returns or throws a CwmpError, nothing else', () => {
  it('on random text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), decodeIsTotal), { numRuns: TOTAL_RUNS })
  })
  it('on random text that looks like XML', () => {
    const token = fc.constantFrom(
      '<',
      '>',
      '</',
      '/>',
      '<?xml version="1.0"?>',
      '<!--',
      '-->',
      '<![CDATA[',
      ']]>',
      '&amp;',
      '&#x1F600;',
      '&#0;',
      '&bogus;',
      '"',
      '=',
      ' ',
      'xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"',
      'xmlns:cwmp="urn:dslforum-org:cwmp-1-0"',
      'xmlns="urn:dslforum-org:cwmp-1-2"',
      'soap-env:Envelope',
      'soap-env:Header',
      'soap-env:Body',
      'soap-env:Fault',
      'cwmp:Inform',
      'cwmp:ID',
      'ParameterList',
      'ParameterValueStruct',
      'Value',
      'xsi:type="xsd:int"',
      'soap-enc:arrayType="cwmp:ParameterValueStruct[1]"',
      '<!DOCTYPE x>',
    )
    fc.assert(fc.property(fc.array(token, { maxLength: 60 }).map((t) => t.join('')), decodeIsTotal), { numRuns: TOTAL_RUNS })
  })
  it('on random bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), decodeIsTotal), { numRuns: TOTAL_RUNS })
  })
  it('on mutated encodings (truncated, bytes flipped, elements duplicated or removed, namespaces renamed, DOCTYPE injected, …)', () => {
    fc.assert(
      fc.property(anyEnvelope, fc.array(mutation, { minLength: 1, maxLength: 3 }), (e, mutations) => {
        let input: string | Uint8Array = encodeEnvelope(e)
        for (const m of mutations) input = m(typeof input === 'string' ? input : Buffer.from(input).toString('latin1'))
        decodeIsTotal(input)
        // Strict mode and tight limits must not change the nature of the outcome either.
        const strict = outcome(() => decodeEnvelope(input, { strict: true }))
        if (strict instanceof Error) throw strict
        const tight = outcome(() => decodeEnvelope(input, { limits: { maxDepth: 4, maxElements: 20, maxTextLength: 8, maxAttributes: 3 } }))
        if (tight instanceof Error) throw tight
      }),
      { numRuns: TOTAL_RUNS },
    )
  })
  it('on the costly shapes of issue 9 item 5 (attribute lists, comments of "-x" pairs, runs of &amp;), mutated', () => {
    const shape = fc.tuple(fc.constantFrom('attrs', 'comment', 'amp'), fc.integer({ min: 1, max: 20_000 })).map(([kind, n]) =>
      kind === 'attrs'
        ? `<x:E xmlns:x="urn:x"${Array.from({ length: n % 2_000 }, (_, i) => ` a${i}="v"`).join('')}/>`
        : kind === 'comment'
          ? `<!--${'-x'.repeat(n)}-->`
          : `<x:E xmlns:x="urn:x">${'&amp;'.repeat(n)}</x:E>`,
    )
    fc.assert(
      fc.property(shape, fc.nat(), fc.array(mutation, { maxLength: 2 }), (piece, at, mutations) => {
        const xml = `<soap-env:Envelope xmlns:soap-env="${SOAP}" xmlns:cwmp="urn:dslforum-org:cwmp-1-2"><soap-env:Body><cwmp:GetRPCMethods/></soap-env:Body></soap-env:Envelope>`
        const i = xml.indexOf('<soap-env:Body>') + (at % 2) * '<soap-env:Body>'.length
        let input: string | Uint8Array = xml.slice(0, i) + piece + xml.slice(i)
        for (const m of mutations) input = m(typeof input === 'string' ? input : Buffer.from(input).toString('latin1'))
        decodeIsTotal(input)
      }),
      { numRuns: 100 },
    )
  })
  it('on inputs that are not strings or bytes', () => {
    for (const input of [undefined, null, 42, {}, [], new ArrayBuffer(4), new Uint16Array(2)]) {
      expect(outcome(() => decodeEnvelope(input as unknown as string))).toBe('cwmp-error')
    }
  })
})

// ---------------------------------------------------------------------------------------------

const SOAP = 'http://schemas.xmlsoap.org/soap/envelope/'

function nested(depth: number, where: 'method' | 'struct' | 'header'): string {
  const open = '<n>'.repeat(depth)
  const close = '</n>'.repeat(depth)
  const header = where === 'header' ? `<soap-env:Header><x:Deep xmlns:x="urn:x">${open}${close}</x:Deep></soap-env:Header>` : ''
  const body =
    where === 'struct'
      ? `<cwmp:GetParameterValuesResponse><ParameterList><ParameterValueStruct><Name>A</Name><Value>v</Value><Extra>${open}${close}</Extra></ParameterValueStruct></ParameterList></cwmp:GetParameterValuesResponse>`
      : where === 'method'
        ? `<cwmp:GetRPCMethods>${open}${close}</cwmp:GetRPCMethods>`
        : '<cwmp:GetRPCMethods/>'
  return `<soap-env:Envelope xmlns:soap-env="${SOAP}" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">${header}<soap-env:Body>${body}</soap-env:Body></soap-env:Envelope>`
}

function errorOf(fn: () => unknown): { code?: string; line?: number; column?: number } {
  try {
    fn()
  } catch (e) {
    if (isCwmpError(e)) return e as { code: string; line?: number; column?: number }
    throw e
  }
  throw new Error('expected an error')
}

describe('untrusted input', () => {
  it('a 200,000-deep nesting is a limit error, not a stack overflow', () => {
    for (const where of ['method', 'struct', 'header'] as const) {
      expect(errorOf(() => decodeEnvelope(nested(200_000, where))).code).toBe('ERR_CWMP_LIMIT_EXCEEDED')
    }
    expect(DEFAULT_DECODE_LIMITS.maxDepth).toBe(64)
  })

  it('with maxDepth: Infinity a 200,000-deep nesting still does not overflow the stack', () => {
    // The reader builds the tree without recursion and no codec descends into elements it does not
    // know: the nesting decodes, reported as an unknown element.
    const limits = { maxDepth: Number.POSITIVE_INFINITY }
    for (const where of ['method', 'struct', 'header'] as const) {
      const d = decodeEnvelope(nested(200_000, where), { limits })
      expect(d.body.method).toBe(where === 'struct' ? 'GetParameterValuesResponse' : 'GetRPCMethods')
      // An unknown header entry without mustUnderstand="1" is ignored without a word (SOAP 1.1 §4.2.3).
      if (where === 'header') expect(d.warnings).toEqual([])
      else expect(d.warnings.map((w) => w.code)).toContain('UNKNOWN_ELEMENT')
    }
    // The element count limit still applies.
    expect(errorOf(() => decodeEnvelope(nested(200_000, 'method'), { limits: { maxDepth: Number.POSITIVE_INFINITY, maxElements: 100_000 } })).code).toBe(
      'ERR_CWMP_LIMIT_EXCEEDED',
    )
  })

  it('refuses billion laughs at the DOCTYPE, before any entity is defined or expanded', () => {
    const defs = ['<!ENTITY l0 "lol">', ...Array.from({ length: 30 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`)]
    const xml = `<?xml version="1.0"?>\n<!DOCTYPE lolz [${defs.join('')}]>\n<soap-env:Envelope xmlns:soap-env="${SOAP}"><soap-env:Body>&l30;</soap-env:Body></soap-env:Envelope>`
    const err = errorOf(() => decodeEnvelope(xml))
    expect(err).toMatchObject({ code: 'ERR_CWMP_DOCTYPE', line: 2 })
  })

  it('refuses XXE at the DOCTYPE, whatever the entity points to', () => {
    for (const system of ['file:///etc/passwd', 'http://169.254.169.254/latest/meta-data/', 'expect://id', 'php://filter/resource=x']) {
      const xml = `<!DOCTYPE soap-env:Envelope [<!ENTITY x SYSTEM "${system}">]><soap-env:Envelope xmlns:soap-env="${SOAP}"><soap-env:Body>&x;</soap-env:Body></soap-env:Envelope>`
      expect(errorOf(() => decodeEnvelope(xml))).toMatchObject({ code: 'ERR_CWMP_DOCTYPE', line: 1 })
    }
  })

  it('enforces every limit, for text and for bytes', () => {
    const xml = encodeEnvelope({
      version: '1.2',
      header: { id: 'limits' },
      body: { method: 'GetParameterValues', parameterNames: ['Device.A', 'Device.B', 'Device.C'] },
    })
    const bytes = Buffer.from(xml)
    for (const input of [xml, bytes]) {
      expect(decodeEnvelope(input).body.method).toBe('GetParameterValues')
      for (const limits of [
        { maxBytes: xml.length - 1 },
        { maxDepth: 4 },
        { maxElements: 6 },
        { maxTextLength: 7 },
        { maxAttributes: 4 },
      ]) {
        expect(errorOf(() => decodeEnvelope(input, { limits })).code, JSON.stringify(limits)).toBe('ERR_CWMP_LIMIT_EXCEEDED')
      }
    }
  })

  it('maxElements bounds the elements held at once: mapped array items stop counting (both modes)', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `Device.P${i}`)
    const xml = encodeEnvelope({ version: '1.2', header: {}, body: { method: 'GetParameterValues', parameterNames: names } })
    const limits = { maxElements: 50 }
    for (const strict of [false, true]) {
      const body = decodeEnvelope(xml, { limits, strict }).body
      expect(body.method === 'GetParameterValues' && body.parameterNames.length).toBe(1000)
    }
    // Strict mode keeps every element from the first item that fails: then they all count.
    const bad = xml.replace('<string>Device.P3</string>', '<string> Device.P3</string>')
    expect(decodeEnvelope(bad, { limits }).warnings.map((w) => w.code)).toEqual(['WHITESPACE_TRIMMED'])
    expect(errorOf(() => decodeEnvelope(bad, { limits, strict: true })).code).toBe('ERR_CWMP_LIMIT_EXCEEDED')
    expect(errorOf(() => decodeEnvelope(bad, { strict: true })).code).toBe('ERR_CWMP_STRICT')
  })
})
