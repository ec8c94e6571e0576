/**
 * Heap while decoding the 10,000-parameter GetParameterValuesResponse. Run in its own process with
 * `--expose-gc --max-semi-space-size=1`: with a 1 MiB young generation, whatever stays alive for
 * more than a moment is promoted, so the heap growth across one decode (no full GC in between)
 * approximates the peak of live data. After a full GC, what stays is what the result holds: the XML
 * tree must not outlive the call. Strict mode reads the whole tree before mapping it; lenient mode
 * (the default) maps array items as they close, so the two show what the streaming saves.
 */
import { decodeEnvelope, encodeEnvelope } from '../src/index.js'
import { gpvResponseEnvelope } from './messages.js'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with --expose-gc')
const xml = encodeEnvelope(gpvResponseEnvelope(10_000))
const mb = (n: number): string => (n / 1024 / 1024).toFixed(1)

function measure(strict: boolean): { peak: number; retained: number } {
  gc?.()
  const base = process.memoryUsage().heapUsed
  const result = decodeEnvelope(xml, { strict })
  const peak = process.memoryUsage().heapUsed - base
  gc?.()
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
console.log(
  JSON.stringify({
    inputMB: mb(Buffer.byteLength(xml)),
    resultOnlyMB: mb(resultOnly),
    lenient: { peakMB: mb(lenient.peak), retainedMB: mb(lenient.retained) },
    strict: { peakMB: mb(strict.peak), retainedMB: mb(strict.retained) },
  }),
)
void copy
