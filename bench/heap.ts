/**
 * Heap benchmarks (issue 11), each measured in a child process of its own started with
 * `--expose-gc --max-semi-space-size=1`, so that no measurement inherits another's heap.
 *
 * 1. Streaming (`npm run bench -- heap`, and the last lines of `npm run bench -- codec`): the PEAK
 *    live heap of `createEnvelopeDecoder` with `onItem` (items handed over, not kept) while a
 *    GetParameterValuesResponse of 1,000, 10,000 and 100,000 parameters is written in 64 KiB byte
 *    chunks, as an HTTP body arrives. Target: peak(100,000) ≤ 2× peak(1,000).
 *
 *    How the peak is caught: a full `gc()` then a sample of the heap's data spaces
 *    (`v8.getHeapSpaceStatistics()`: every space but code and read-only, so that code the JIT
 *    compiles during a run is not counted as data the decoder holds) after every chunk AND inside
 *    `onItem` every 331st item (about once per chunk), i.e. also in the middle of a chunk, while the chunk's text, the
 *    parser's buffers and the item being read are all alive. The baseline is the same sample before
 *    the decoder is created, with nothing of an earlier run alive. The peak is the largest sample
 *    of a run; the median of three runs is printed. `heapUsed` without forced collections is not
 *    the measure: it is mostly garbage not yet collected, whose amount is V8's scheduling (the old
 *    generation is collected when it reaches a limit V8 sets from the heap size), not what the
 *    decoder holds. That figure (its largest value after a chunk) is printed beside it, for scale.
 *    The same response pretty-printed (a newline and indentation before each item, as many CPEs
 *    send it) is measured too: the whitespace between items must not accumulate.
 *
 * 2. `decodeEnvelope` (the `decode` child, a line of `npm run bench -- codec`): heap growth across
 *    one decode of the 10,000-parameter response with no collection in between (with a 1 MiB young
 *    generation, whatever stays alive more than a moment is promoted, so the growth approximates the
 *    peak of live data), and what stays after a full GC: the result, not the XML tree. Strict mode
 *    decodes the items while reading too (D30), so its figures are close to lenient's.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import v8 from 'node:v8'
import { createEnvelopeDecoder, decodeEnvelope, encodeEnvelope } from '../src/index.js'
import { gpvResponseEnvelope } from './messages.js'

const SELF = fileURLToPath(import.meta.url)
const CHUNK = 65536
/** A sample inside `onItem` every this many items. */
const EVERY = 331
const mb = (n: number): string => (n / 1024 / 1024).toFixed(1)
const kb = (n: number): string => `${(n / 1024).toFixed(0)} KB`

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

function needGc(): () => void {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('run with --expose-gc')
  return gc
}

/** Bytes used in the heap's data spaces (not code, not read-only). */
function dataHeap(): number {
  let used = 0
  for (const s of v8.getHeapSpaceStatistics()) {
    if (s.space_name.startsWith('code') || s.space_name.startsWith('read_only')) continue
    used += s.space_used_size
  }
  return used
}

/** The response as bytes: compact as the encoder writes it, or with a newline and indentation before each item. */
function responseBytes(n: number, pretty: boolean): Buffer {
  const xml = encodeEnvelope(gpvResponseEnvelope(n))
  return Buffer.from(pretty ? xml.replaceAll('<ParameterValueStruct>', '\n      <ParameterValueStruct>') : xml)
}

/** What a streaming child reports. */
export interface StreamHeap {
  readonly n: number
  readonly pretty: boolean
  readonly inputBytes: number
  /** Peak live data above the baseline, median of three runs. */
  readonly peak: number
  /** Median of every sample of those runs. */
  readonly median: number
  /** Largest `heapUsed` growth after a chunk with no forced collection (garbage included). */
  readonly uncollected: number
}

/** Child: see the header, part 1. */
function streamChild(n: number, pretty: boolean): StreamHeap {
  const gc = needGc()
  const bytes = responseBytes(n, pretty)
  const samples: number[] = []
  const live = (): number => {
    let items = 0
    let peak = 0
    const sample = (base: number): void => {
      gc()
      const used = dataHeap() - base
      samples.push(used)
      if (used > peak) peak = used
    }
    gc()
    gc()
    const base = dataHeap()
    const d = createEnvelopeDecoder({
      onItem: () => {
        if (++items % EVERY === 0) sample(base)
      },
    })
    for (let i = 0; i < bytes.length; i += CHUNK) {
      d.write(bytes.subarray(i, i + CHUNK))
      sample(base)
    }
    d.end()
    if (items !== n) throw new Error(`${items} items, expected ${n}`)
    return peak
  }
  const uncollected = (): number => {
    let items = 0
    gc()
    gc()
    const base = process.memoryUsage().heapUsed
    let peak = 0
    const d = createEnvelopeDecoder({ onItem: () => void items++ })
    for (let i = 0; i < bytes.length; i += CHUNK) {
      d.write(bytes.subarray(i, i + CHUNK))
      peak = Math.max(peak, process.memoryUsage().heapUsed - base)
    }
    d.end()
    if (items !== n) throw new Error(`${items} items, expected ${n}`)
    return peak
  }
  // Warm up on the largest input whatever `n` is, so that every child measures the same compiled code.
  const warm = (): void => {
    const d = createEnvelopeDecoder({ onItem: () => {} })
    const all = responseBytes(100_000, pretty)
    for (let i = 0; i < all.length; i += CHUNK) d.write(all.subarray(i, i + CHUNK))
    d.end()
  }
  warm()
  const peak = median([live(), live(), live()])
  return { n, pretty, inputBytes: bytes.length, peak, median: median(samples), uncollected: median([uncollected(), uncollected(), uncollected()]) }
}

/** What the `decode` child reports. */
export interface DecodeHeap {
  readonly inputMB: string
  readonly resultOnlyMB: string
  readonly lenient: { readonly peakMB: string; readonly retainedMB: string }
  readonly strict: { readonly peakMB: string; readonly retainedMB: string }
}

/** Child: see the header, part 2. */
function decodeChild(): DecodeHeap {
  const gc = needGc()
  const xml = encodeEnvelope(gpvResponseEnvelope(10_000))
  const measure = (strict: boolean): { peak: number; retained: number } => {
    gc()
    const base = process.memoryUsage().heapUsed
    const result = decodeEnvelope(xml, { strict })
    const peak = process.memoryUsage().heapUsed - base
    gc()
    const retained = process.memoryUsage().heapUsed - base
    if (result.body.method !== 'GetParameterValuesResponse') throw new Error('unexpected')
    return { peak, retained }
  }
  // Warm up so that compiled code does not count.
  for (let i = 0; i < 3; i++) decodeEnvelope(xml)
  for (let i = 0; i < 3; i++) decodeEnvelope(xml, { strict: true })
  gc()
  const base = process.memoryUsage().heapUsed
  const copy = JSON.parse(JSON.stringify(decodeEnvelope(xml).body)) as unknown
  gc()
  const resultOnly = process.memoryUsage().heapUsed - base
  const lenient = measure(false)
  const strict = measure(true)
  void copy
  return {
    inputMB: mb(Buffer.byteLength(xml)),
    resultOnlyMB: mb(resultOnly),
    lenient: { peakMB: mb(lenient.peak), retainedMB: mb(lenient.retained) },
    strict: { peakMB: mb(strict.peak), retainedMB: mb(strict.retained) },
  }
}

function child<T>(args: string[]): T {
  const out = execFileSync(process.execPath, ['--expose-gc', '--max-semi-space-size=1', '--import', 'tsx', SELF, ...args], {
    encoding: 'utf8',
  })
  return JSON.parse(out) as T
}

/** The `decode` child's figures, for `npm run bench -- codec`. */
export function decodeHeap(): DecodeHeap {
  return child<DecodeHeap>(['decode'])
}

/** Part 1 of the header: one child per size and layout; prints the peaks and the ratio to the target. */
export function runStreamHeap(log: (line: string) => void): { readonly ratio: number; readonly prettyRatio: number } {
  const sizes = [1_000, 10_000, 100_000]
  let ratio = 0
  let prettyRatio = 0
  for (const pretty of [false, true]) {
    const r = sizes.map((n) => child<StreamHeap>(['stream', String(n), pretty ? 'pretty' : 'compact']))
    const first = r[0] as StreamHeap
    const last = r[r.length - 1] as StreamHeap
    const q = last.peak / first.peak
    if (pretty) prettyRatio = q
    else ratio = q
    log(
      `  streaming, onItem, 64 KiB chunks${pretty ? ', pretty-printed' : ''}: peak live heap (full GC and a sample after each chunk ` +
        `and every ${EVERY}st item) ` +
        r.map((s) => `${s.n.toLocaleString('en')}: ${kb(s.peak)} (${mb(s.inputBytes)} MB in)`).join(', ') +
        `; 100k/1k ${q.toFixed(2)}× (target ≤ 2×); median sample ` +
        r.map((s) => kb(s.median)).join(' / ') +
        `; heapUsed high-water with no forced GC (garbage included) ` +
        r.map((s) => kb(s.uncollected)).join(' / '),
    )
  }
  return { ratio, prettyRatio }
}

const [mode, n, layout] = process.argv.slice(2)
if (process.argv[1] === SELF) {
  if (mode === 'stream') console.log(JSON.stringify(streamChild(Number(n), layout === 'pretty')))
  else if (mode === 'decode') console.log(JSON.stringify(decodeChild()))
  else {
    console.log('heap: streaming decoder (issue 11), one child process per measurement')
    runStreamHeap(console.log)
  }
}
