/**
 * Decoder scaling (issue 11, item 3): per-parameter decode time of the GetParameterValuesResponse at
 * 1,000, 10,000 and 100,000 parameters, and strict against lenient at 10,000. Each candidate is run
 * in interleaved rounds with `gc()` before every timed round, so that each pays for its own garbage
 * (needs `--expose-gc`; bench/index.ts starts this file in its own process with it).
 */
import { decodeEnvelope, encodeEnvelope } from '../src/index.js'
import { gpvResponseEnvelope } from './messages.js'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with --expose-gc')
// Wall time: process.cpuUsage() also counts V8's GC and compiler threads (measured 1.3–1.7× the
// wall time of the same loop on 2 cores), and garbage collection is what this bench must charge.
const now = (): number => performance.now()

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
}

/** Milliseconds per call: fn repeated for `ms`, after a full GC, the collections it causes included. */
function timed(fn: () => void, ms: number): number {
  gc?.()
  let n = 0
  const start = now()
  let t = start
  do {
    fn()
    n++
    t = now()
  } while (t - start < ms)
  return (t - start) / n
}

export interface ScalingResult {
  readonly perParamUs: Record<string, number>
  readonly strictOverLenient: number
}

export function runScaling(log: (line: string) => void, rounds = 7): ScalingResult {
  const sizes = [1_000, 10_000, 100_000]
  const inputs = sizes.map((n) => encodeEnvelope(gpvResponseEnvelope(n)))
  for (const xml of inputs) {
    decodeEnvelope(xml)
    decodeEnvelope(xml, { strict: true })
  }
  const per: number[][] = sizes.map(() => [])
  const ratios: number[] = []
  const x10k = inputs[1] as string
  for (let r = 0; r < rounds; r++) {
    sizes.forEach((n, i) => {
      const xml = inputs[i] as string
      per[i]?.push((timed(() => void decodeEnvelope(xml), Math.max(300, n / 100)) * 1000) / n)
    })
    const lenient = timed(() => void decodeEnvelope(x10k), 400)
    const strict = timed(() => void decodeEnvelope(x10k, { strict: true }), 400)
    ratios.push(strict / lenient)
  }
  const perParamUs: Record<string, number> = {}
  sizes.forEach((n, i) => {
    perParamUs[String(n)] = median(per[i] as number[])
  })
  const strictOverLenient = median(ratios)
  log(
    `  decode per parameter (GetParameterValuesResponse, wall time incl. GC, median of ${rounds}): ` +
      sizes.map((n) => `${n.toLocaleString('en')}: ${(perParamUs[String(n)] as number).toFixed(2)} µs`).join(', ') +
      ` (100k/1k ${((perParamUs['100000'] as number) / (perParamUs['1000'] as number)).toFixed(2)}×, target flat)`,
  )
  log(`  strict / lenient at 10,000 parameters: ${strictOverLenient.toFixed(2)}× (target ≤ 1.1×)`)
  return { perParamUs, strictOverLenient }
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  runScaling(console.log)
}
