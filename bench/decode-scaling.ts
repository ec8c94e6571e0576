/**
 * Decoder scaling (issue 11): per-parameter decode time of the GetParameterValuesResponse at 1,000,
 * 10,000 and 100,000 parameters, and strict against lenient at 10,000. The streaming decoder's
 * peak heap is bench/heap.ts.
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
import { median } from './stats.js'
import { saxesPass } from './codec.js'

const SELF = fileURLToPath(import.meta.url)


type Mode = 'lenient' | 'strict' | 'stream' | 'saxes'

/**
 * Child: µs per parameter on `n` parameters, after a warm-up: decodeEnvelope lenient or strict, or
 * the streaming decoder with `onItem` dropping each item (what the decoder costs when the result
 * does not keep the items alive).
 */
function timeChild(n: number, mode: Mode): number {
  const xml = encodeEnvelope(gpvResponseEnvelope(n))
  const strict = mode === 'strict'
  const drop = (): void => {}
  const run = (ms: number): number => {
    let k = 0
    const start = performance.now()
    let t = start
    do {
      if (mode === 'saxes') {
        saxesPass(xml)
      } else if (mode === 'stream') {
        const d = createEnvelopeDecoder({ onItem: drop })
        d.write(xml)
        d.end()
      } else {
        decodeEnvelope(xml, { strict })
      }
      k++
      t = performance.now()
    } while (t - start < ms)
    return ((t - start) * 1000) / k / n
  }
  run(600)
  return median([run(500), run(500), run(500)])
}

function run(args: string[], flags: string[] = []): string {
  return execFileSync(process.execPath, [...flags, '--import', 'tsx', SELF, ...args], { encoding: 'utf8' }).trim()
}

function child(args: string[]): number {
  return Number(run(args))
}

export interface ScalingResult {
  readonly perParamUs: Readonly<Record<string, number>>
  readonly streamUs: Readonly<Record<string, number>>
  readonly strictOverLenient: number
}

export function runScaling(log: (line: string) => void, rounds = 3): ScalingResult {
  const sizes = [1_000, 10_000, 100_000]
  const per: number[][] = sizes.map(() => [])
  const streamed: number[][] = sizes.map(() => [])
  const bare: number[][] = sizes.map(() => [])
  const ratios: number[] = []
  for (let r = 0; r < rounds; r++) {
    sizes.forEach((n, i) => {
      per[i]?.push(child(['time', String(n), 'lenient']))
      streamed[i]?.push(child(['time', String(n), 'stream']))
      bare[i]?.push(child(['time', String(n), 'saxes']))
    })
    const lenient = child(['time', '10000', 'lenient'])
    const strict = child(['time', '10000', 'strict'])
    ratios.push(strict / lenient)
  }
  const perParamUs: Record<string, number> = {}
  const streamUs: Record<string, number> = {}
  sizes.forEach((n, i) => {
    perParamUs[String(n)] = median(per[i] as number[])
    streamUs[String(n)] = median(streamed[i] as number[])
  })
  const strictOverLenient = median(ratios)
  const us = (n: number): number => perParamUs[String(n)] as number
  log(
    `  decode per parameter (GetParameterValuesResponse, one process per run, median of ${rounds}): ` +
      sizes.map((n) => `${n.toLocaleString('en')}: ${us(n).toFixed(2)} µs`).join(', ') +
      `; 10k/1k ${(us(10_000) / us(1_000)).toFixed(2)}×, 100k/1k ${(us(100_000) / us(1_000)).toFixed(2)}× (target flat)`,
  )
  const sus = (n: number): number => streamUs[String(n)] as number
  log(
    `  the same streamed with onItem, items not kept: ` +
      sizes.map((n) => `${n.toLocaleString('en')}: ${sus(n).toFixed(2)} µs`).join(', ') +
      `; 100k/1k ${(sus(100_000) / sus(1_000)).toFixed(2)}× (the difference is the GC of the kept result: D32, D33)`,
  )
  // The machine's share: a bare saxes pass over the same texts, per parameter, in processes of its own.
  const bus = (n: number): number => median(bare[sizes.indexOf(n)] as number[])
  log(
    `  a bare saxes pass over the same texts: ` +
      sizes.map((n) => `${n.toLocaleString('en')}: ${bus(n).toFixed(2)} µs`).join(', ') +
      `; 100k/1k ${(bus(100_000) / bus(1_000)).toFixed(2)}× (reading is flat; what grows in decodeEnvelope is keeping the result: D32, D33, D29)`,
  )
  log(`  strict / lenient at 10,000 parameters: ${strictOverLenient.toFixed(2)}× (target ≤ 1.1×)`)
  return { perParamUs, streamUs, strictOverLenient }
}

const [mode, n, kind] = process.argv.slice(2)
if (process.argv[1] === SELF && mode === 'time') console.log(timeChild(Number(n), kind as Mode))
else if (process.argv[1] === SELF) runScaling(console.log)
