/**
 * Codec benchmark (issue #2): throughput of decodeEnvelope and encodeEnvelope, each as a ratio to a
 * baseline measured in the same run:
 * - decode against a bare saxes pass over the same text (`new SaxesParser({ xmlns: true })`, empty handlers);
 * - encode against a template-literal serializer of the same message with the same escaping.
 * Rounds alternate baseline and candidate and report medians, because these machines are shared.
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { SaxesParser } from 'saxes'
import { decodeEnvelope, encodeEnvelope, type Envelope, type ParameterValueStruct } from '../src/index.js'
import { DEFAULT_LIMITS, type XmlHandler } from '../src/xml/events.js'
import { scanXmlEvents } from '../src/xml/scanner.js'
import { runScaling } from './decode-scaling.js'
import { gpvResponseEnvelope, informEnvelope, spvEnvelope } from './messages.js'

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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] as number
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
export function scannerPass(xml: string): void {
  scanXmlEvents(xml, DEFAULT_LIMITS, EMPTY)
}

const ESC = /[&<>\r]/g
const REPL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' }
const esc = (s: string): string => (/[&<>\r]/.test(s) ? s.replace(ESC, (c) => REPL[c] as string) : s)

const HEAD =
  '<?xml version="1.0" encoding="UTF-8"?><soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">'

function pvsList(list: readonly ParameterValueStruct[]): string {
  let s = `<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[${list.length}]">`
  for (const p of list) {
    s += `<ParameterValueStruct><Name>${esc(p.name)}</Name><Value xsi:type="${p.type}">${esc(p.value)}</Value></ParameterValueStruct>`
  }
  return `${s}</ParameterList>`
}

/** A plain template-literal serializer of the benchmark messages (same output shape, same escaping). */
export function templateEncode(env: Envelope): string {
  const b = env.body
  const id = env.header.id === undefined ? '' : `<cwmp:ID soap-env:mustUnderstand="1">${esc(env.header.id)}</cwmp:ID>`
  const sv = env.header.supportedCwmpVersions
  const hdr = `<soap-env:Header>${id}${sv === undefined ? '' : `<cwmp:SupportedCWMPVersions soap-env:mustUnderstand="0">${esc(sv.join(','))}</cwmp:SupportedCWMPVersions>`}</soap-env:Header>`
  let body: string
  switch (b.method) {
    case 'Inform':
      body =
        `<cwmp:Inform><DeviceId><Manufacturer>${esc(b.deviceId.manufacturer)}</Manufacturer><OUI>${esc(b.deviceId.oui)}</OUI>` +
        `<ProductClass>${esc(b.deviceId.productClass)}</ProductClass><SerialNumber>${esc(b.deviceId.serialNumber)}</SerialNumber></DeviceId>` +
        `<Event soap-enc:arrayType="cwmp:EventStruct[${b.event.length}]">${b.event.map((e) => `<EventStruct><EventCode>${esc(e.eventCode)}</EventCode><CommandKey>${esc(e.commandKey)}</CommandKey></EventStruct>`).join('')}</Event>` +
        `<MaxEnvelopes>${b.maxEnvelopes}</MaxEnvelopes><CurrentTime>${b.currentTime}</CurrentTime><RetryCount>${b.retryCount}</RetryCount>` +
        `${pvsList(b.parameterList)}</cwmp:Inform>`
      break
    case 'GetParameterValuesResponse':
      body = `<cwmp:GetParameterValuesResponse>${pvsList(b.parameterList)}</cwmp:GetParameterValuesResponse>`
      break
    case 'SetParameterValues':
      body = `<cwmp:SetParameterValues>${pvsList(b.parameterList)}<ParameterKey>${esc(b.parameterKey)}</ParameterKey></cwmp:SetParameterValues>`
      break
    default:
      throw new Error('not a benchmark message')
  }
  return `${HEAD}${hdr}<soap-env:Body>${body}</soap-env:Body></soap-env:Envelope>`
}

export const CASES: readonly { readonly name: string; readonly envelope: Envelope }[] = [
  { name: 'Inform, 15 parameters', envelope: informEnvelope() },
  { name: 'GetParameterValuesResponse, 1,000 parameters', envelope: gpvResponseEnvelope(1000) },
  { name: 'GetParameterValuesResponse, 10,000 parameters', envelope: gpvResponseEnvelope(10000) },
  { name: 'SetParameterValues, 1,000 parameters', envelope: spvEnvelope(1000) },
]

export function runCodecBench(log: (line: string) => void): Comparison[] {
  const out: Comparison[] = []
  log(
    'codec: decode vs a bare saxes pass (xmlns: true); encode vs a template-literal serializer. Time ratios, medians of 7 alternating rounds' +
      (gc === undefined ? ' (no --expose-gc: GC is not charged per candidate).' : ', each candidate charged its own GC (gc() between rounds).'),
  )
  for (const c of CASES) {
    const xml = encodeEnvelope(c.envelope)
    if (xml !== templateEncode(c.envelope)) throw new Error(`template serializer differs for ${c.name}`)
    const bytes = Buffer.byteLength(xml)
    const d = compare(`decode ${c.name}`, bytes, () => void decodeEnvelope(xml), () => saxesPass(xml))
    const sc = compare(`  scanner alone, ${c.name}`, bytes, () => scannerPass(xml), () => saxesPass(xml))
    const e = compare(`encode ${c.name}`, bytes, () => void encodeEnvelope(c.envelope), () => void templateEncode(c.envelope))
    for (const r of [d, sc, e]) {
      out.push(r)
      // Issue 11: decode ≤ 0.7x on the Inform, ≤ 0.6x on the responses; encode ≤ 1x the template.
      const target = r.name.startsWith('encode') ? 1 : c.name.startsWith('Inform') ? 0.7 : 0.6
      log(
        `  ${r.name.padEnd(58)} ${r.ours.toFixed(0).padStart(7)} msg/s ${((r.ours * r.bytes) / 1e6).toFixed(1).padStart(6)} MB/s  ` +
          `baseline ${r.baseline.toFixed(0).padStart(7)} msg/s  ratio ${r.ratio.toFixed(2)}x (target ≤ ${target}x)`,
      )
    }
  }
  const heap = JSON.parse(
    execFileSync(
      process.execPath,
      ['--expose-gc', '--max-semi-space-size=1', '--import', 'tsx', fileURLToPath(new URL('./heap.ts', import.meta.url))],
      { encoding: 'utf8' },
    ),
  ) as { inputMB: string; resultOnlyMB: string; lenient: { peakMB: string; retainedMB: string }; strict: { peakMB: string; retainedMB: string } }
  log(
    `  heap, decode of the 10,000-parameter response (${heap.inputMB} MB of XML): peak ≈ ${heap.lenient.peakMB} MB ` +
      `(strict mode, whole tree first: ${heap.strict.peakMB} MB), retained after the call ${heap.lenient.retainedMB} MB ` +
      `(the result; a JSON copy of it takes ${heap.resultOnlyMB} MB)`,
  )
  runScaling(log)
  return out
}
