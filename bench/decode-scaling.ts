/**
 * Decoder scaling (issue 11): per-parameter decode time of the GetParameterValuesResponse at 1,000,
 * 10,000 and 100,000 parameters, strict against lenient at 10,000, and the peak heap of the
 * streaming decoder at 100,000 parameters against 1,000.
 *
 * Each candidate runs in its own process (this file, started with a mode), so that each pays for
 * its own garbage collection and nothing it leaves behind is charged to another; the rounds
 * alternate the candidates' processes. Not `gc()` between rounds in one process: after a full GC,
 * V8 drops the optimized code that embeds maps no live object uses ("weak objects" deopts, seen
 * with --trace-deopt), and the next round ran 3× slower (10–11 µs against 3.3 µs per parameter on
 * the same input), which measures the harness, not the decoder.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createEnvelopeDecoder, decodeEnvelope, encodeEnvelope } from '../src/index.js'
import { gpvResponseEnvelope } from './messages.js'

const SELF = fileURLToPath(import.meta.url)

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

/** Child: µs per parameter of decodeEnvelope on `n` parameters, after a warm-up. */
function timeChild(n: number, strict: boolean): number {
  const xml = encodeEnvelope(gpvResponseEnvelope(n))
  const run = (ms: number): number => {
    let k = 0
    const start = performance.now()
    let t = start
    do {
      decodeEnvelope(xml, { strict })
      k++
      t = performance.now()
    } while (t - start < ms)
    return ((t - start) * 1000) / k / n
  }
  run(600)
  return median([run(500), run(500), run(500)])
}

/**
 * Child: peak heap growth while streaming `n` parameters in 64 KiB chunks with `onItem`, sampled
 * after a full GC every fourth chunk and at the end (so that the samples count what the decoder
 * holds, not garbage not yet collected). The input is a Buffer, outside the JavaScript
 * heap; the decoder is held across the whole run.
 */
function heapChild(n: number): number {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('run with --expose-gc')
  const bytes = Buffer.from(encodeEnvelope(gpvResponseEnvelope(n)))
  const once = (): number => {
    let items = 0
    gc()
    const base = process.memoryUsage().heapUsed
    let peak = 0
    const d = createEnvelopeDecoder({ onItem: () => void items++ })
    for (let i = 0, k = 0; i < bytes.length; i += 65536, k++) {
      d.write(bytes.subarray(i, i + 65536))
      if (k % 4 !== 0) continue
      gc()
      peak = Math.max(peak, process.memoryUsage().heapUsed - base)
    }
    gc()
    peak = Math.max(peak, process.memoryUsage().heapUsed - base)
    d.end()
    if (items !== n) throw new Error(`${items} items, expected ${n}`)
    return peak
  }
  once()
  return median([once(), once(), once()])
}

function child(args: string[], flags: string[] = []): number {
  return Number(execFileSync(process.execPath, [...flags, '--import', 'tsx', SELF, ...args], { encoding: 'utf8' }).trim())
}

export interface ScalingResult {
  readonly perParamUs: Readonly<Record<string, number>>
  readonly strictOverLenient: number
  readonly heap1k: number
  readonly heap100k: number
}

export function runScaling(log: (line: string) => void, rounds = 3): ScalingResult {
  const sizes = [1_000, 10_000, 100_000]
  const per: number[][] = sizes.map(() => [])
  const ratios: number[] = []
  for (let r = 0; r < rounds; r++) {
    sizes.forEach((n, i) => per[i]?.push(child(['time', String(n), 'lenient'])))
    const lenient = child(['time', '10000', 'lenient'])
    const strict = child(['time', '10000', 'strict'])
    ratios.push(strict / lenient)
  }
  const perParamUs: Record<string, number> = {}
  sizes.forEach((n, i) => {
    perParamUs[String(n)] = median(per[i] as number[])
  })
  const strictOverLenient = median(ratios)
  const heapFlags = ['--expose-gc', '--max-semi-space-size=1']
  const heap1k = child(['heap', '1000'], heapFlags)
  const heap100k = child(['heap', '100000'], heapFlags)
  const us = (n: number): number => perParamUs[String(n)] as number
  log(
    `  decode per parameter (GetParameterValuesResponse, one process per run, median of ${rounds}): ` +
      sizes.map((n) => `${n.toLocaleString('en')}: ${us(n).toFixed(2)} µs`).join(', ') +
      `; 10k/1k ${(us(10_000) / us(1_000)).toFixed(2)}×, 100k/1k ${(us(100_000) / us(1_000)).toFixed(2)}× (target flat)`,
  )
  log(`  strict / lenient at 10,000 parameters: ${strictOverLenient.toFixed(2)}× (target ≤ 1.1×)`)
  log(
    `  streaming with onItem, peak heap: 1,000 parameters ${(heap1k / 1048576).toFixed(2)} MB, 100,000 parameters ` +
      `${(heap100k / 1048576).toFixed(2)} MB: ${(heap100k / heap1k).toFixed(2)}× (target ≤ 2×)`,
  )
  return { perParamUs, strictOverLenient, heap1k, heap100k }
}

const [mode, n, strict] = process.argv.slice(2)
if (process.argv[1] === SELF && mode === 'time') console.log(timeChild(Number(n), strict === 'strict'))
else if (process.argv[1] === SELF && mode === 'heap') console.log(heapChild(Number(n)))
else if (process.argv[1] === SELF) runScaling(console.log)
