/**
 * Encode benchmark (issue #11, item 4): encodeEnvelope against a plain template-concatenation
 * serializer of the same message, for every message of the bench.
 *
 * The baseline is what GenieACS does: string concatenation with no escaping of names, keys or device
 * fields, and one `replace` over parameter values only (the bench values hold `<`, `&` and `"`, and
 * the bytes must be the same as ours, which the bench checks before it measures). It checks nothing,
 * so for a name holding `&` it writes malformed XML; ours escapes and checks every field.
 *
 * Each candidate is charged its own garbage collection: this file runs in its own process under
 * `--expose-gc`, and every timed round starts after a `gc()` and ends with one that is counted in the
 * round, so the garbage a candidate leaves is collected on its own clock. Rounds alternate baseline
 * and candidate; the ratio is the median of the per-round ratios.
 *
 * Run: `node --expose-gc --import tsx bench/encode.ts` (or `npm run bench encode`).
 */
import type { Envelope, ParameterValueStruct } from '../src/index.js'
import { builtFrom, builtLibrary } from './built.js'
import {
  gpnResponseEnvelope,
  gpvEnvelope,
  gpvResponseEnvelope,
  informEnvelope,
  spaEnvelope,
  spvEnvelope,
} from './messages.js'
import { median } from './stats.js'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with --expose-gc')
const collect: () => void = gc

const now = (): number => Number(process.hrtime.bigint()) / 1e6

// ---------------------------------------------------------------------------------------------
// The baseline: template concatenation, values escaped with one replace, nothing else escaped.

const VALUE_SPECIAL = /[&<>\r]/g
const VALUE_REPL: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' }
const escValue = (s: string): string => s.replace(VALUE_SPECIAL, (c) => VALUE_REPL[c] as string)

const HEAD = (ns: string): string =>
  '<?xml version="1.0" encoding="UTF-8"?><soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" ' +
  'xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" ' +
  `xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="${ns}">`

function pvsList(list: readonly ParameterValueStruct[]): string {
  let s = `<ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[${list.length}]">`
  for (const p of list) {
    s += `<ParameterValueStruct><Name>${p.name}</Name><Value xsi:type="${p.type}">${escValue(p.value)}</Value></ParameterValueStruct>`
  }
  return `${s}</ParameterList>`
}

/** GenieACS-style serializer of the bench messages. */
export function templateEncode(env: Envelope): string {
  const b = env.body
  const h = env.header
  let hdr = ''
  if (h.id !== undefined) hdr += `<cwmp:ID soap-env:mustUnderstand="1">${h.id}</cwmp:ID>`
  if (h.supportedCwmpVersions !== undefined) {
    hdr += `<cwmp:SupportedCWMPVersions soap-env:mustUnderstand="0">${h.supportedCwmpVersions.join(',')}</cwmp:SupportedCWMPVersions>`
  }
  let body: string
  switch (b.method) {
    case 'Inform': {
      const d = b.deviceId
      let ev = ''
      for (const e of b.event) ev += `<EventStruct><EventCode>${e.eventCode}</EventCode><CommandKey>${e.commandKey}</CommandKey></EventStruct>`
      body =
        `<cwmp:Inform><DeviceId><Manufacturer>${d.manufacturer}</Manufacturer><OUI>${d.oui}</OUI>` +
        `<ProductClass>${d.productClass}</ProductClass><SerialNumber>${d.serialNumber}</SerialNumber></DeviceId>` +
        `<Event soap-enc:arrayType="cwmp:EventStruct[${b.event.length}]">${ev}</Event>` +
        `<MaxEnvelopes>${b.maxEnvelopes}</MaxEnvelopes><CurrentTime>${b.currentTime}</CurrentTime><RetryCount>${b.retryCount}</RetryCount>` +
        `${pvsList(b.parameterList)}</cwmp:Inform>`
      break
    }
    case 'GetParameterValuesResponse':
      body = `<cwmp:GetParameterValuesResponse>${pvsList(b.parameterList)}</cwmp:GetParameterValuesResponse>`
      break
    case 'SetParameterValues':
      body = `<cwmp:SetParameterValues>${pvsList(b.parameterList)}<ParameterKey>${b.parameterKey}</ParameterKey></cwmp:SetParameterValues>`
      break
    case 'GetParameterValues': {
      let s = `<cwmp:GetParameterValues><ParameterNames soap-enc:arrayType="xsd:string[${b.parameterNames.length}]">`
      for (const n of b.parameterNames) s += `<string>${n}</string>`
      body = `${s}</ParameterNames></cwmp:GetParameterValues>`
      break
    }
    case 'GetParameterNamesResponse': {
      let s = `<cwmp:GetParameterNamesResponse><ParameterList soap-enc:arrayType="cwmp:ParameterInfoStruct[${b.parameterList.length}]">`
      for (const p of b.parameterList) s += `<ParameterInfoStruct><Name>${p.name}</Name><Writable>${p.writable ? '1' : '0'}</Writable></ParameterInfoStruct>`
      body = `${s}</ParameterList></cwmp:GetParameterNamesResponse>`
      break
    }
    case 'SetParameterAttributes': {
      let s = `<cwmp:SetParameterAttributes><ParameterList soap-enc:arrayType="cwmp:SetParameterAttributesStruct[${b.parameterList.length}]">`
      for (const p of b.parameterList) {
        let al = ''
        for (const a of p.accessList) al += `<string>${a}</string>`
        s +=
          `<SetParameterAttributesStruct><Name>${p.name}</Name><NotificationChange>${p.notificationChange ? '1' : '0'}</NotificationChange>` +
          `<Notification>${p.notification}</Notification><AccessListChange>${p.accessListChange ? '1' : '0'}</AccessListChange>` +
          `<AccessList soap-enc:arrayType="xsd:string[${p.accessList.length}]">${al}</AccessList></SetParameterAttributesStruct>`
      }
      body = `${s}</ParameterList></cwmp:SetParameterAttributes>`
      break
    }
    default:
      throw new Error('not a benchmark message')
  }
  const ns = env.version === '1.0' ? 'urn:dslforum-org:cwmp-1-0' : env.version === '1.1' ? 'urn:dslforum-org:cwmp-1-1' : 'urn:dslforum-org:cwmp-1-2'
  return `${HEAD(ns)}<soap-env:Header>${hdr}</soap-env:Header><soap-env:Body>${body}</soap-env:Body></soap-env:Envelope>`
}

export const ENCODE_CASES: readonly { readonly name: string; readonly envelope: Envelope }[] = [
  { name: 'Inform, 15 parameters', envelope: informEnvelope() },
  { name: 'GetParameterValues, 1,000 names', envelope: gpvEnvelope(1000) },
  { name: 'GetParameterValuesResponse, 1,000 parameters', envelope: gpvResponseEnvelope(1000) },
  { name: 'GetParameterValuesResponse, 10,000 parameters', envelope: gpvResponseEnvelope(10000) },
  { name: 'SetParameterValues, 1,000 parameters', envelope: spvEnvelope(1000) },
  { name: 'GetParameterNamesResponse, 1,000 parameters', envelope: gpnResponseEnvelope(1000) },
  { name: 'SetParameterAttributes, 100 parameters', envelope: spaEnvelope(100) },
]

// ---------------------------------------------------------------------------------------------
// The harness

let sink = 0
/** Reading a character of a rope makes V8 flatten it into one string. */
function flatten(s: string): void {
  sink ^= s.charCodeAt(s.length >> 1)
}

/** Milliseconds for `n` calls of fn, the collection of their garbage included. */
function timed(fn: () => void, n: number): number {
  collect()
  const t0 = now()
  for (let i = 0; i < n; i++) fn()
  collect()
  return now() - t0
}


export interface EncodeComparison {
  readonly name: string
  readonly bytes: number
  /** Messages per second, ours and the template's (medians). */
  readonly ours: number
  readonly template: number
  /** Time ratio ours / template (median of the rounds); ≤ 1 meets the target. */
  readonly ratio: number
}

/** The encoder measured: the bundled library's (D424), set by {@link runEncodeBench}. */
let encodeEnvelope: (env: Envelope) => string = () => {
  throw new Error('runEncodeBench sets the encoder')
}

export function compareEncode(name: string, env: Envelope, rounds = 9, roundMs = 150): EncodeComparison {
  // Both outputs are flattened (as writing them to a socket does), so a rope left unjoined is not free.
  const ours = (): void => flatten(encodeEnvelope(env))
  const base = (): void => flatten(templateEncode(env))
  const xml = encodeEnvelope(env)
  if (templateEncode(env) !== xml) throw new Error(`the template serializer's bytes differ for ${name}`)
  for (let i = 0; i < 20; i++) {
    ours()
    base()
  }
  // Calls per round so that a round of ours takes about roundMs (calibrated without the collections).
  let k = 1
  let t0 = now()
  while (now() - t0 < 50) {
    for (let i = 0; i < k; i++) ours()
    k *= 2
    if (now() - t0 >= 50) break
    t0 = now()
  }
  const t = (now() - t0) / (k / 2)
  const n = Math.max(5, Math.round(roundMs / Math.max(t, 1e-3)))
  const o: number[] = []
  const b: number[] = []
  const ratios: number[] = []
  for (let r = 0; r < rounds; r++) {
    const tb = timed(base, n)
    const to = timed(ours, n)
    b.push((n * 1000) / tb)
    o.push((n * 1000) / to)
    ratios.push(to / tb)
  }
  return { name, bytes: Buffer.byteLength(xml), ours: median(o), template: median(b), ratio: median(ratios) }
}

export async function runEncodeBench(log: (line: string) => void): Promise<EncodeComparison[]> {
  const lib = await builtLibrary()
  encodeEnvelope = (env) => lib.encodeEnvelope(env)
  log(
    `encode vs a template-concatenation serializer (no escaping but of values), measuring ${builtFrom()}, each charged its own GC; ` +
      'time ratios, medians of 9 alternating rounds (target ≤ 1.00x)',
  )
  const out: EncodeComparison[] = []
  for (const c of ENCODE_CASES) {
    const r = compareEncode(c.name, c.envelope)
    out.push(r)
    log(
      `  encode ${r.name.padEnd(50)} ${r.ours.toFixed(0).padStart(7)} msg/s ${((r.ours * r.bytes) / 1e6).toFixed(1).padStart(6)} MB/s  ` +
        `template ${r.template.toFixed(0).padStart(7)} msg/s  ratio ${r.ratio.toFixed(2)}x`,
    )
  }
  if (sink === -1) log('')
  return out
}

if (process.argv[1] !== undefined && import.meta.url.endsWith(process.argv[1].replace(/^.*\//, '/'))) {
  await runEncodeBench(console.log)
}
