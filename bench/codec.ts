/**
 * Decode benchmark (issues #2 and #11): throughput of decodeEnvelope as a ratio to a bare saxes pass
 * over the same text (`new SaxesParser({ xmlns: true })`, empty handlers), measured in the same run;
 * the scanner alone beside it. Encoding is `bench/encode.ts` (against a template serializer).
 * Rounds alternate baseline and candidate and report medians, because these machines are shared.
 */
import { SaxesParser } from 'saxes'
import type { Envelope } from '../src/index.js'
import type { XmlHandler } from '../src/xml/events.js'
import { builtFrom, builtLibrary, type BuiltLibrary } from './built.js'
import { runScaling } from './decode-scaling.js'
import { decodeHeap, runStreamHeap } from './heap.js'
import { gpvResponseEnvelope, informEnvelope, spvEnvelope } from './messages.js'
import { median } from './stats.js'

const now = (): number => Number(process.hrtime.bigint()) / 1e6

const gc = (globalThis as { gc?: () => void }).gc

/**
 * Runs fn repeatedly for about `ms` and returns operations per second. Under --expose-gc each
 * candidate is charged its own garbage: a collection before the round (not timed) clears what the
 * other left, and one at its end (timed) collects what this round made.
 */
function rate(fn: () => void, ms: number): number {
  if (gc !== undefined) gc()
  let n = 0
  const start = now()
  let t = start
  while (t - start < ms) {
    fn()
    n++
    t = now()
  }
  if (gc !== undefined) {
    gc()
    t = now()
  }
  return (n * 1000) / (t - start)
}


export interface Comparison {
  readonly name: string
  readonly bytes: number
  readonly ours: number
  readonly baseline: number
  /** Time ratio: ours / baseline (1.5 means 50 % slower than the baseline). */
  readonly ratio: number
}

export function compare(name: string, bytes: number, ours: () => void, baseline: () => void, rounds = 7, ms = 250): Comparison {
  for (let i = 0; i < 3; i++) {
    ours()
    baseline()
  }
  const o: number[] = []
  const b: number[] = []
  const ratios: number[] = []
  for (let r = 0; r < rounds; r++) {
    const rb = rate(baseline, ms)
    const ro = rate(ours, ms)
    b.push(rb)
    o.push(ro)
    ratios.push(rb / ro)
  }
  return { name, bytes, ours: median(o), baseline: median(b), ratio: median(ratios) }
}

export function saxesPass(xml: string): void {
  const p = new SaxesParser({ xmlns: true })
  p.on('opentag', () => {})
  p.on('closetag', () => {})
  p.on('text', () => {})
  p.write(xml).close()
}

const EMPTY: XmlHandler = { startElement() {}, text() {}, endElement: () => false }

/** The scanner alone, with empty handlers: the producer's share of decodeEnvelope. */
export function scannerPass(lib: BuiltLibrary, xml: string): void {
  lib.scanXmlEvents(xml, lib.DEFAULT_LIMITS, EMPTY)
}

export const CASES: readonly { readonly name: string; readonly envelope: Envelope }[] = [
  { name: 'Inform, 15 parameters', envelope: informEnvelope() },
  { name: 'GetParameterValuesResponse, 1,000 parameters', envelope: gpvResponseEnvelope(1000) },
  { name: 'GetParameterValuesResponse, 10,000 parameters', envelope: gpvResponseEnvelope(10000) },
  { name: 'SetParameterValues, 1,000 parameters', envelope: spvEnvelope(1000) },
]

export async function runCodecBench(log: (line: string) => void): Promise<Comparison[]> {
  const out: Comparison[] = []
  const lib = await builtLibrary()
  log(
    `codec: decode vs a bare saxes pass (xmlns: true), measuring ${builtFrom()}. Time ratios, medians of 7 alternating rounds` +
      (gc === undefined ? ' (no --expose-gc: GC is not charged per candidate).' : ', each candidate charged its own GC (gc() between rounds).'),
  )
  for (const c of CASES) {
    const xml = lib.encodeEnvelope(c.envelope)
    const bytes = Buffer.byteLength(xml)
    const d = compare(`decode ${c.name}`, bytes, () => void lib.decodeEnvelope(xml), () => saxesPass(xml))
    const sc = compare(`  scanner alone, ${c.name}`, bytes, () => scannerPass(lib, xml), () => saxesPass(xml))
    for (const r of [d, sc]) {
      out.push(r)
      // Issue 11: decode ≤ 0.7x on the Inform, ≤ 0.6x on the responses.
      const target = c.name.startsWith('Inform') ? 0.7 : 0.6
      log(
        `  ${r.name.padEnd(58)} ${r.ours.toFixed(0).padStart(7)} msg/s ${((r.ours * r.bytes) / 1e6).toFixed(1).padStart(6)} MB/s  ` +
          `baseline ${r.baseline.toFixed(0).padStart(7)} msg/s  ratio ${r.ratio.toFixed(2)}x (target ≤ ${target}x)`,
      )
    }
  }
  const heap = decodeHeap()
  log(
    `  heap, decode of the 10,000-parameter response (${heap.inputMB} MB of XML): peak ≈ ${heap.lenient.peakMB} MB ` +
      `(strict mode, items decoded while reading too: ${heap.strict.peakMB} MB), retained after the call ${heap.lenient.retainedMB} MB ` +
      `(the result; a JSON copy of it takes ${heap.resultOnlyMB} MB)`,
  )
  runScaling(log)
  runStreamHeap(log)
  return out
}
