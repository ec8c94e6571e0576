/**
 * The streaming decoder (createEnvelopeDecoder, decodeEnvelopeStream) against decodeEnvelope: same
 * result or same error for generated envelopes cut into random chunks (inside multi-byte UTF-8
 * characters and surrogate pairs too), for every fixture and corpus file, in both modes; items
 * handed over one at a time; the header before them; the charset rules of xml/charset.ts.
 *
 * And strict mode, which now decodes array items while reading (D31), against lenient mode: for every
 * input, strict gives lenient's result when lenient has no warnings, and otherwise fails at lenient's
 * first warning (or with the same error when lenient fails).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  createEnvelopeDecoder,
  decodeEnvelope,
  decodeEnvelopeStream,
  encodeEnvelope,
  isCwmpError,
  type DecodedEnvelope,
  type DecodeOptions,
  type EnvelopeItem,
  type StreamDecodeOptions,
} from '../../src/index.js'
import { bytesToText } from '../../src/xml/charset.js'
import { StreamText } from '../../src/envelope/stream-text.js'
import { anyEnvelope } from './arbitraries.js'

const FIXTURES = join(import.meta.dirname, '../../fixtures')
const CORPUS_DIR = process.env.CWMP_CORPUS_DIR ?? ''

function xmlFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.xml'))
    .sort()
    .map((f) => join(dir, f))
}

const inputs: { readonly name: string; readonly bytes: Uint8Array }[] = [
  ...xmlFiles(join(FIXTURES, 'envelopes')),
  ...xmlFiles(join(FIXTURES, 'invalid')),
  ...(CORPUS_DIR === '' ? [] : xmlFiles(CORPUS_DIR)),
].map((f) => ({ name: f.slice(f.lastIndexOf('/', f.lastIndexOf('/') - 1) + 1), bytes: new Uint8Array(readFileSync(f)) }))

type Outcome = { readonly ok: DecodedEnvelope } | { readonly error: Record<string, unknown> }

const XML_LEVEL = new Set(['ERR_CWMP_XML_MALFORMED', 'ERR_CWMP_DOCTYPE', 'ERR_CWMP_LIMIT_EXCEEDED'])

function outcome(f: () => DecodedEnvelope): Outcome {
  try {
    return { ok: f() }
  } catch (e) {
    if (!isCwmpError(e)) throw e
    const { code, message, line, column, path, requestId, method } = e as unknown as Record<string, unknown>
    // XML-level errors come from two producers: decodeEnvelope's scanner points at the offending
    // character, saxes (under the stream) just after it, with its own wording (docs/conformance.md §3a).
    if (XML_LEVEL.has(code as string)) return { error: { class: e.constructor.name, code, path, requestId, method } }
    return { error: { class: e.constructor.name, code, message, line, column, path, requestId, method } }
  }
}

/** `input` cut at `cuts` (positions, any order, out-of-range ones clamped). */
function pieces<T extends string | Uint8Array>(input: T, cuts: readonly number[]): T[] {
  const at = [...new Set(cuts.map((c) => Math.max(0, Math.min(input.length, c))))].sort((a, b) => a - b)
  const out: T[] = []
  let last = 0
  for (const c of [...at, input.length]) {
    out.push(input.slice(last, c) as T)
    last = c
  }
  return out
}

function streamed(chunks: readonly (string | Uint8Array)[], options: StreamDecodeOptions = {}): Outcome {
  return outcome(() => {
    const d = createEnvelopeDecoder(options)
    for (const c of chunks) d.write(c)
    return d.end()
  })
}

/** Every `step` bytes, and at a few odd places. */
function cutsOf(length: number, step: number): number[] {
  const cuts: number[] = []
  for (let i = step; i < length; i += step) cuts.push(i)
  return cuts
}

describe('streaming decoder = decodeEnvelope', () => {
  it('for generated envelopes cut anywhere, as bytes and as text, lenient and strict', () => {
    fc.assert(
      fc.property(
        anyEnvelope,
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.boolean(),
        fc.boolean(),
        (e, cuts, strict, asText) => {
          const xml = encodeEnvelope(e)
          const input = asText ? xml : Buffer.from(xml, 'utf8')
          const scaled = cuts.map((c) => c % (input.length + 1))
          const options: DecodeOptions = { strict }
          expect(streamed(pieces(input, scaled), options)).toStrictEqual(outcome(() => decodeEnvelope(input, options)))
        },
      ),
      { numRuns: 150 },
    )
  })

  it('cuts inside multi-byte UTF-8 characters and surrogate pairs', () => {
    const xml = encodeEnvelope({
      version: '1.2',
      header: { id: 'ü€😀' },
      body: { method: 'SetParameterValues', parameterKey: 'ключ', parameterList: [{ name: 'Device.X', value: 'é😀€\u{10ffff}', type: 'xsd:string' }] },
    })
    const bytes = Buffer.from(xml, 'utf8')
    const expected = outcome(() => decodeEnvelope(xml))
    expect('ok' in expected).toBe(true)
    for (let step = 1; step <= 7; step++) {
      expect(streamed(pieces(bytes, cutsOf(bytes.length, step)))).toStrictEqual(expected)
      expect(streamed(pieces(xml, cutsOf(xml.length, step)))).toStrictEqual(expected)
    }
  })

  it.each([1, 7, 64, 1000])('for every fixture, cut every %i bytes, lenient and strict', (step) => {
    // Byte by byte for the fixtures only: the corpus's large captures would take seconds.
    for (const { name, bytes } of step === 1 ? inputs.filter((i) => !i.name.startsWith('corpus')) : inputs) {
      for (const strict of [false, true]) {
        const options = { strict }
        expect(streamed(pieces(bytes, cutsOf(bytes.length, step)), options), name).toStrictEqual(
          outcome(() => decodeEnvelope(bytes, options)),
        )
      }
    }
  })

  it('decodeEnvelopeStream reads an async iterable', async () => {
    const xml = encodeEnvelope({ version: '1.2', header: { id: 'a' }, body: { method: 'GetParameterNames', parameterPath: 'Device.', nextLevel: true } })
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (const p of pieces(Buffer.from(xml), [5, 100, 101])) yield p
    }
    expect(await decodeEnvelopeStream(chunks())).toStrictEqual(decodeEnvelope(xml))
    await expect(decodeEnvelopeStream([xml.slice(0, 50)])).rejects.toMatchObject({ code: 'ERR_CWMP_XML_MALFORMED' })
  })
})

describe('delivery while reading', () => {
  it('hands items over one at a time, in order, with their warnings, after the header', () => {
    fc.assert(
      fc.property(anyEnvelope, fc.array(fc.nat(), { maxLength: 6 }), (e, cuts) => {
        // A few leniencies inside the items, so that some carry warnings.
        const xml = encodeEnvelope(e).replaceAll('<Name>', '<Name> ').replaceAll('<string>', '<string> ')
        const full = outcome(() => decodeEnvelope(xml))
        const events: string[] = []
        const items: EnvelopeItem[] = []
        const got = streamed(pieces(xml, cuts.map((c) => c % (xml.length + 1))), {
          onHeader: (header, version) => {
            events.push('header')
            if ('ok' in full) {
              expect(header).toStrictEqual(full.ok.header)
              expect(version).toBe(full.ok.version)
            }
          },
          onItem: (item) => {
            events.push('item')
            items.push(item)
          },
        })
        if ('error' in full) {
          expect(got).toStrictEqual(full)
          return
        }
        if (!('ok' in got)) throw new Error(`stream failed: ${JSON.stringify(got.error)}`)
        expect(events.filter((x) => x === 'header')).toEqual(['header'])
        expect(events.indexOf('header')).toBeLessThanOrEqual(events.indexOf('item') === -1 ? 0 : events.indexOf('item'))
        // Put the items back: the message equals decodeEnvelope's; so do the warnings, as a set.
        const body = { ...got.ok.body } as Record<string, unknown>
        const byKey = new Map<string, unknown[]>()
        for (const it of items) {
          const list = byKey.get(it.key) ?? []
          expect(it.index).toBe(list.length)
          list.push(it.value)
          byKey.set(it.key, list)
        }
        for (const [key, list] of byKey) {
          expect(body[key]).toEqual([])
          body[key] = list
        }
        expect(body).toStrictEqual(full.ok.body)
        const warnings = [...got.ok.warnings, ...items.flatMap((it) => it.warnings)]
        const key = (w: object): string => JSON.stringify(w)
        expect(warnings.map(key).sort()).toEqual(full.ok.warnings.map(key).sort())
      }),
      { numRuns: 100 },
    )
  })

  it('with onItem, maxElements bounds what is held, not the number of items', () => {
    const list = Array.from({ length: 2000 }, (_, i) => ({ name: `Device.P${i}`, value: String(i), type: 'xsd:int' }))
    const xml = encodeEnvelope({ version: '1.2', header: {}, body: { method: 'GetParameterValuesResponse', parameterList: list } })
    let n = 0
    const got = streamed(pieces(xml, cutsOf(xml.length, 333)), { limits: { maxElements: 20 }, strict: true, onItem: () => void n++ })
    expect('ok' in got && got.ok.body).toStrictEqual({ method: 'GetParameterValuesResponse', parameterList: [] })
    expect(n).toBe(2000)
  })

  it('an error thrown by onItem stops the decoding, even in strict mode', () => {
    const xml = encodeEnvelope({ version: '1.2', header: {}, body: { method: 'GetParameterValues', parameterNames: ['A.', 'B.'] } })
    for (const strict of [false, true]) {
      const d = createEnvelopeDecoder({ strict, onItem: () => {
        throw new Error('stop')
      } })
      expect(() => d.write(xml)).toThrow('stop')
      expect(() => d.end()).toThrow('stop')
    }
  })

  it('refuses misuse with typed errors', () => {
    const d = createEnvelopeDecoder()
    d.write('<')
    expect(() => d.write(new Uint8Array([0x61]))).toThrow(expect.objectContaining({ code: 'ERR_CWMP_NOT_ENVELOPE' }))
    const ok = createEnvelopeDecoder()
    ok.write(encodeEnvelope({ version: '1.0', header: {}, body: { method: 'GetRPCMethods' } }))
    ok.end()
    expect(() => ok.write('x')).toThrow(ConfigError)
    expect(() => ok.end()).toThrow(ConfigError)
    expect(() => createEnvelopeDecoder().write(42 as unknown as string)).toThrow(expect.objectContaining({ code: 'ERR_CWMP_NOT_ENVELOPE' }))
    expect(streamed([])).toStrictEqual(outcome(() => decodeEnvelope('')))
    expect(streamed([' \n ', ' '])).toStrictEqual(outcome(() => decodeEnvelope('  \n  ')))
  })

  it('maxBytes is checked as the chunks arrive', () => {
    const xml = encodeEnvelope({ version: '1.0', header: {}, body: { method: 'GetRPCMethods' } })
    for (const input of [xml, Buffer.from(xml)]) {
      const d = createEnvelopeDecoder({ limits: { maxBytes: 100 } })
      expect(() => {
        for (const p of pieces(input, cutsOf(input.length, 40))) d.write(p)
      }).toThrow(expect.objectContaining({ code: 'ERR_CWMP_LIMIT_EXCEEDED' }))
    }
  })
})

describe('stream charset = xml/charset.ts', () => {
  const body = '<?xml version="1.0" encoding="ENC"?><a>é ü 😀</a>'
  const cases: { readonly name: string; readonly bytes: Uint8Array; readonly charset?: string }[] = [
    { name: 'UTF-8', bytes: Buffer.from(body.replace('ENC', 'UTF-8')) },
    { name: 'UTF-8 BOM', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body.replace('ENC', 'UTF-8'))]) },
    { name: 'UTF-16LE BOM', bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body.replace('ENC', 'UTF-16'), 'utf16le')]) },
    { name: 'UTF-16BE BOM', bytes: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(body.replace('ENC', 'UTF-16'), 'utf16le').swap16()]) },
    { name: 'declared ISO-8859-1', bytes: Buffer.from(body.replace('ENC', 'ISO-8859-1').replace(' 😀', ''), 'latin1') },
    { name: 'declared windows-1252', bytes: Buffer.from(body.replace('ENC', 'windows-1252').replace(' 😀', ''), 'latin1') },
    { name: 'charset option wins', bytes: Buffer.from(body.replace('ENC', 'UTF-8').replace(' 😀', ''), 'latin1'), charset: 'iso-8859-1' },
    { name: 'Latin-1 bytes declared UTF-8 (fallback)', bytes: Buffer.from(body.replace('ENC', 'UTF-8').replace(' 😀', ''), 'latin1') },
    { name: 'undeclared Latin-1 after 300 ASCII bytes', bytes: Buffer.from(`<a>${'x'.repeat(300)}é</a>`, 'latin1') },
    { name: 'long declaration', bytes: Buffer.from(`<?xml version="1.0"${' '.repeat(300)} encoding="ISO-8859-1"?><a>é</a>`, 'latin1') },
    { name: 'short input', bytes: Buffer.from('<a/>') },
    { name: 'unsupported', bytes: Buffer.from(body.replace('ENC', 'x-no-such')) },
  ]
  it.each(cases)('$name', ({ bytes, charset }) => {
    let expected: unknown
    try {
      expected = bytesToText(bytes, charset)
    } catch (e) {
      expected = { error: (e as Error).message }
    }
    for (let step = 1; step <= bytes.length; step += step < 8 ? 1 : 97) {
      let got: unknown
      try {
        const s = new StreamText(charset)
        let text = ''
        for (const p of pieces(bytes, cutsOf(bytes.length, step))) text += s.push(p)
        text += s.end()
        got = s.fallback === undefined ? { text } : { text, fallback: s.fallback }
      } catch (e) {
        got = { error: (e as Error).message }
      }
      expect(got, `step ${step}`).toStrictEqual(expected)
    }
  })

  it('the fallback warning comes first, as in decodeEnvelope', () => {
    const bytes = Buffer.from(`\n <?xml version="1.0"?><soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/"><soap-env:Body><cwmp:GetRPCMethods xmlns:cwmp="urn:dslforum-org:cwmp-1-0"/></soap-env:Body></soap-env:Envelope><!-- ${'x'.repeat(400)} é -->`, 'latin1')
    const expected = decodeEnvelope(bytes)
    expect(expected.warnings.map((w) => w.code)).toEqual(['CHARSET_FALLBACK', 'LEADING_WHITESPACE'])
    expect(streamed(pieces(bytes, cutsOf(bytes.length, 50)))).toStrictEqual({ ok: expected })
  })

  it('invalid UTF-8 after non-ASCII text is an error: the text read so far cannot be read again', () => {
    // More than the 256 bytes held to find the charset, so that the é has been handed over.
    const bytes = Buffer.concat([Buffer.from(`<a>é${'x'.repeat(300)}`), Buffer.from([0xff]), Buffer.from('</a>')])
    expect(bytesToText(bytes, undefined).fallback).toBe('UTF-8')
    const s = new StreamText(undefined)
    s.push(bytes.subarray(0, 305))
    expect(() => {
      s.push(bytes.subarray(305))
      s.end()
    }).toThrow(expect.objectContaining({ code: 'ERR_CWMP_XML_MALFORMED' }))
  })
})

describe('strict mode = lenient mode without leniencies', () => {
  it.each(inputs.map((i) => [i.name, i.bytes] as const))('%s', (_name, bytes) => {
    const lenient = outcome(() => decodeEnvelope(bytes))
    const strict = outcome(() => decodeEnvelope(bytes, { strict: true }))
    if ('error' in lenient) {
      // Lenient mode fails: strict mode fails too, at that error or at a leniency before it.
      expect('error' in strict).toBe(true)
      return
    }
    const first = lenient.ok.warnings[0]
    if (first === undefined) {
      expect(strict).toStrictEqual(lenient)
      return
    }
    if (!('error' in strict)) throw new Error('strict mode accepted input with warnings')
    expect(['ERR_CWMP_STRICT', 'ERR_CWMP_MUST_UNDERSTAND', 'ERR_CWMP_ARGUMENT_MISSING', 'ERR_CWMP_ARGUMENT_INVALID']).toContain(strict.error.code)
    if (strict.error.code === 'ERR_CWMP_STRICT') {
      expect(strict.error.message).toBe(`${first.message} (${first.code})`)
    }
    if (strict.error.code === 'ERR_CWMP_ARGUMENT_INVALID') {
      // A field lenient mode read as its fallback (D26): strict mode fails there, with the same message.
      expect([first.code, strict.error.message]).toEqual(['SCALAR_INVALID', first.message])
    }
    expect([strict.error.path, strict.error.line, strict.error.column]).toEqual([first.path, first.line, first.column])
  })
})
