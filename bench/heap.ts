/**
 * Heap benchmarks (issue 11), each measured in a child process of its own started with
 * `--expose-gc --max-semi-space-size=1`, so that no measurement inherits another's heap.
 *
 * 1. Streaming (`npm run bench -- heap`, and the last lines of `npm run bench -- codec`): the PEAK
 *    live heap of `createEnvelopeDecoder` with `onItem` (items handed over, not kept) while a
 *    GetParameterValuesResponse of 1,000, 10,000 and 100,000 parameters is written in 64 KiB byte
 *    chunks, as an HTTP body arrives; compact as the encoder writes it, and pretty-printed (a
 *    newline and indentation before each item, as many CPEs send it). Target: peak(100,000) ≤ 2×
 *    peak(1,000).
 *
 *    How the peak is caught: a full `gc()`, then the bytes used in the heap's data spaces
 *    (`v8.getHeapSpaceStatistics()`, every space but code and read-only), sampled
 *    - after every chunk,
 *    - in `onItem` for the first item of every chunk: it began in the previous chunk, and its
 *      strings are slices of that chunk (V8 keeps a slice's whole parent string alive), so two
 *      chunks are alive then; this is where the peak is (sampling every 17th item instead finds
 *      the same peak, and nothing above it),
 *    - and in `onItem` every 1,000th item.
 *    The baseline is the same sample before the decoder is created, with nothing of an earlier
 *    run alive (V8's last regular-expression match, which keeps its subject, is reset first). The
 *    peak is the largest sample of two runs, after a warm-up run on 10,000 parameters.
 *
 *    The heap children run with `--no-opt`. With TurboFan, each forced GC deoptimizes code that
 *    embeds maps no live object uses ("weak objects", D32) and re-optimizing allocates in the old
 *    space: the same sample then varies by ±100 KB from run to run, as much as what is measured.
 *    Without it, runs agree within a few KB. The objects the decoder keeps are the same.
 *
 *    Not the measure: `heapUsed` without forced collections. It is mostly garbage not yet
 *    collected (0.6–1.0 MB at 1,000 parameters, 2–33 MB at 100,000 in the runs tried): its amount is V8's
 *    scheduling (the old generation is collected when it reaches a limit V8 sets from the heap
 *    size), not what the decoder holds.
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
import { median } from './stats.js'

const SELF = fileURLToPath(import.meta.url)
const CHUNK = 65536
/** A sample inside `onItem` every this many items (besides the first item of every chunk). */
const EVERY = 1000
const mb = (n: number): string => (n / 1024 / 1024).toFixed(1)
const kb = (n: number): string => `${(n / 1024).toFixed(0)} KB`


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
  /** Peak live data above the baseline: the largest sample of two runs. */
  readonly peak: number
  /** Largest sample taken after a chunk (not inside onItem). */
  readonly afterChunk: number
  /** Median of every sample. */
  readonly median: number
}

/** Child: see the header, part 1. */
function streamChild(n: number, pretty: boolean): StreamHeap {
  const gc = needGc()
  const samples: number[] = []
  let peak = 0
  let afterChunk = 0
  const run = (bytes: Uint8Array, n: number): void => {
    let items = 0
    let first = false
    const sample = (base: number): number => {
      gc()
      const used = dataHeap() - base
      samples.push(used)
      if (used > peak) peak = used
      return used
    }
    void /a/.exec('a')
    gc()
    gc()
    const base = dataHeap()
    const d = createEnvelopeDecoder({
      onItem: () => {
        items++
        if (first || items % EVERY === 0) sample(base)
        first = false
      },
    })
    for (let i = 0; i < bytes.length; i += CHUNK) {
      first = true
      d.write(bytes.subarray(i, i + CHUNK))
      afterChunk = Math.max(afterChunk, sample(base))
    }
    d.end()
    if (items !== n) throw new Error(`${items} items, expected ${n}`)
  }
  // Warm up on the same layout (every code path the runs take, whatever `n` is), then measure.
  run(responseBytes(10_000, pretty), 10_000)
  samples.length = 0
  peak = 0
  afterChunk = 0
  const bytes = responseBytes(n, pretty)
  run(bytes, n)
  run(bytes, n)
  return { n, pretty, inputBytes: bytes.length, peak, afterChunk, median: median(samples) }
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

function child<T>(args: string[], flags: readonly string[] = []): T {
  const out = execFileSync(process.execPath, ['--expose-gc', '--max-semi-space-size=1', ...flags, '--import', 'tsx', SELF, ...args], {
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
    const r = sizes.map((n) => child<StreamHeap>(['stream', String(n), pretty ? 'pretty' : 'compact'], ['--no-opt']))
    const first = r[0] as StreamHeap
    const last = r[r.length - 1] as StreamHeap
    const q = last.peak / first.peak
    if (pretty) prettyRatio = q
    else ratio = q
    log(
      `  streaming, onItem, 64 KiB chunks${pretty ? ', pretty-printed' : ''}: peak live heap ` +
        r.map((x) => `${x.n.toLocaleString('en')}: ${kb(x.peak)} (${mb(x.inputBytes)} MB in)`).join(', ') +
        `; 100k/1k ${q.toFixed(2)}× (target ≤ 2×); largest sample after a chunk ` +
        r.map((x) => kb(x.afterChunk)).join(' / ') +
        ', median sample ' +
        r.map((x) => kb(x.median)).join(' / '),
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
