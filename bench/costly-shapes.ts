/**
 * The XML shapes that once cost far more than their size (issue 9 item 5), timed per MB against
 * plain text of the same size, through both decoders: `decodeEnvelope` (the scanner, D20) and
 * `createEnvelopeDecoder` (saxes, fed in 64 KiB chunks as HTTP would). Each shape sits in the Value
 * of a GetParameterValuesResponse, at 1 MB and 10 MB of input:
 * - plain text (the baseline), in Values of 1 MB;
 * - a comment made of `-x` pairs (accepted);
 * - text of `&amp;` references (accepted; 10 MB decodes to 2 M characters, under `maxTextLength`);
 * - an element with 1 MB or 10 MB of attributes (refused at the 65th attribute, `maxAttributes`);
 * - a comment of `-x` pairs with one `--` near the end (refused there);
 * - short ParameterValueStructs with one Value start tag, and with a new one each (D29).
 * Medians of 5 runs each, `gc()` before each. Run: `npm run bench -- shapes` (about 20 s).
 */
import * as v8 from 'node:v8'
import * as vm from 'node:vm'
import { createEnvelopeDecoder, decodeEnvelope, encodeEnvelope } from '../src/index.js'
import { median } from './stats.js'

const MB = 1024 * 1024
const MARK = 'VALUE-MARK'
const TEMPLATE = encodeEnvelope({
  version: '1.2',
  header: { id: '1' },
  body: { method: 'GetParameterValuesResponse', parameterList: [{ name: 'Device.X.Y', value: MARK, type: 'xsd:string' }] },
})

function envelopeWith(inner: string, valueAttributes = ''): string {
  const xml = TEMPLATE.replace(MARK, inner)
  return valueAttributes === '' ? xml : xml.replace('<Value ', `<Value${valueAttributes} `)
}

/** The baseline: `bytes` of plain text, in Values of 1 MB each (one Value's text is limited by `maxTextLength`, 4 MiB). */
function plainEnvelope(bytes: number): string {
  const values = Math.max(1, Math.round(bytes / MB))
  return encodeEnvelope({
    version: '1.2',
    header: { id: '1' },
    body: {
      method: 'GetParameterValuesResponse',
      parameterList: Array.from({ length: values }, (_, i) => ({ name: `Device.X.${i + 1}`, value: 'x'.repeat(bytes / values), type: 'xsd:string' })),
    },
  })
}

/**
 * `bytes` of short ParameterValueStructs, each Value start tag the same or, with `newTags`, one no
 * other item has (its white space varied): the raw reader remembers tags (D29), and a message of
 * ever new ones must cost about what the generic read costs, not more.
 */
function itemsEnvelope(bytes: number, newTags: boolean): string {
  const start = TEMPLATE.indexOf('<ParameterValueStruct>')
  const end = TEMPLATE.indexOf('</ParameterList>')
  let items = ''
  for (let i = 0; items.length < bytes; i++) {
    const tag = newTags
      ? `<Value${' '.repeat(1 + (i % 40))}xsi:type${' '.repeat(Math.floor(i / 40) % 40)}="xsd:string"${' '.repeat(Math.floor(i / 1600) % 40)}>`
      : '<Value xsi:type="xsd:string">'
    items += `<ParameterValueStruct><Name>Device.X.${i}</Name>${tag}v${i}</Value></ParameterValueStruct>`
  }
  return TEMPLATE.slice(0, start) + items + TEMPLATE.slice(end)
}

const SHAPES: readonly [string, (bytes: number) => string][] = [
  ['plain text (1 MB a Value)', (n) => plainEnvelope(n)],
  ['comment of "-x" pairs', (n) => envelopeWith(`<!--${'-x'.repeat(n / 2)}-->`)],
  ['text of &amp;', (n) => envelopeWith('&amp;'.repeat(n / 5))],
  ['attributes (refused)', (n) => envelopeWith('v', Array.from({ length: Math.floor(n / 12) }, (_, i) => ` a${String(i).padStart(6, '0')}="v"`).join(''))],
  ['"-x" comment with a "--" (refused)', (n) => envelopeWith(`<!--${'-x'.repeat(n / 2 - 8)}--${'-x'.repeat(4)}-->`)],
  ['short items, one Value tag', (n) => itemsEnvelope(n, false)],
  ['short items, a new Value tag each', (n) => itemsEnvelope(n, true)],
]


function time(run: () => void, gc: () => void): number {
  const ms: number[] = []
  for (let i = 0; i < 5; i++) {
    gc()
    const t0 = performance.now()
    run()
    ms.push(performance.now() - t0)
  }
  return median(ms)
}

function attempt(f: () => void): string {
  try {
    f()
    return 'accepted'
  } catch (err) {
    return (err as { code?: string }).code ?? String(err)
  }
}

/** Run the costly-shapes bench and print ms per MB for each shape and decoder. */
export function runCostlyShapesBench(log: (line: string) => void): void {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc') as () => void
  log('Costly XML shapes: decode time per MB of input (medians of 5), both decoders; ratio to plain text of the same size.')
  log('')
  log('| shape | size | outcome | decodeEnvelope ms/MB | ratio | streaming ms/MB | ratio |')
  log('|---|---:|---|---:|---:|---:|---:|')
  let worst = 0
  for (const size of [MB, 10 * MB]) {
    let plainScan = 0
    let plainStream = 0
    for (const [name, make] of SHAPES) {
      const xml = make(size)
      const bytes = new TextEncoder().encode(xml)
      const mb = bytes.byteLength / MB
      const outcome = attempt(() => decodeEnvelope(bytes))
      const streamOutcome = attempt(() => {
        const d = createEnvelopeDecoder()
        for (let i = 0; i < bytes.byteLength; i += 65536) d.write(bytes.subarray(i, i + 65536))
        d.end()
      })
      const scan = time(() => void attempt(() => decodeEnvelope(bytes)), gc) / mb
      const stream =
        time(() => {
          void attempt(() => {
            const d = createEnvelopeDecoder()
            for (let i = 0; i < bytes.byteLength; i += 65536) d.write(bytes.subarray(i, i + 65536))
            d.end()
          })
        }, gc) / mb
      if (name.startsWith('plain text')) {
        plainScan = scan
        plainStream = stream
      }
      worst = Math.max(worst, scan, stream)
      log(
        `| ${name} | ${(bytes.byteLength / MB).toFixed(1)} MB | ${outcome}${streamOutcome === outcome ? '' : ` (streaming: ${streamOutcome})`} | ` +
          `${scan.toFixed(2)} | ${(scan / plainScan).toFixed(2)} | ${stream.toFixed(2)} | ${(stream / plainStream).toFixed(2)} |`,
      )
    }
  }
  log('')
  log(`Worst: ${worst.toFixed(2)} ms per MB.`)
}
