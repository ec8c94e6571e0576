/**
 * Encoder output against the Broadband Forum schemas, strictly (test/codec/xsd.ts: stage A whole
 * envelope, stage B every header / body / fault-detail child as a schema root, stage C the rules XSD
 * cannot express). Runs when CWMP_XSD_DIR names the schema folder and xmllint is installed
 * (`apt-get install -y libxml2-utils`); otherwise it is skipped with a note.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  decodeEnvelope,
  encodeEnvelope,
  isCwmpError,
  type CwmpMessage,
  type DecodedEnvelope,
  type Envelope,
  type WarningCode,
} from '../../src/index.js'
import { METHOD_VERSIONS, anyEnvelope, envelopeOf, text, VALUE_TYPES } from './arbitraries.js'
import { hasXmllint, validateEnvelopes, type ValidationResult } from './xsd.js'

const XSD_DIR = process.env.CWMP_XSD_DIR ?? ''
const xmllint = XSD_DIR !== '' && hasXmllint()
if (XSD_DIR === '') {
  console.info('schema.test.ts skipped: set CWMP_XSD_DIR to the folder of the CWMP schemas (../shared/xsd) to run it')
} else if (!xmllint) {
  console.info('schema.test.ts skipped: xmllint not found (apt-get install -y libxml2-utils)')
}

/** Samples per (body element, version) pair: 251 pairs × 5 = 1,255 envelopes. */
const SAMPLES_PER_PAIR = 5
/** Mutated envelopes for the "refuse or write valid XML" property. */
const MUTATED_SAMPLES = 500

const seed = Math.floor(Math.random() * 0x7fffffff)

function report(label: string, xmls: readonly string[], results: readonly ValidationResult[]): string[] {
  const out: string[] = []
  results.forEach((r, i) => {
    if (!r.valid && out.length < 5) out.push(`${label} #${i}: ${r.errors.slice(0, 3).join(' | ')}\n${(xmls[i] as string).slice(0, 2000)}`)
  })
  return out
}

const ENVELOPES = join(import.meta.dirname, '../../fixtures/envelopes')

/** Codes that say a decoded value lies outside its type: the strict encoder must refuse to write it back. */
const VALUE_DEVIATIONS: ReadonlySet<WarningCode> = new Set<WarningCode>([
  'FACET',
  'DATETIME_LEXICAL',
  'VALUE_LEXICAL',
  'VALUE_TYPE_UNKNOWN',
  'METHOD_VERSION',
])

describe.skipIf(!xmllint)('schema validation of encoder output (CWMP_XSD_DIR)', () => {
  it('the validator itself rejects what each stage must reject', async () => {
    const ok = encodeEnvelope({ version: '1.4', header: { id: '1', supportedCwmpVersions: ['1.4'] }, body: { method: 'GetRPCMethods' } })
    const bad = [
      ok.replaceAll('cwmp:GetRPCMethods', 'cwmp:GetRPCMethodz'),
      ok.replace('urn:dslforum-org:cwmp-1-2', 'urn:dslforum-org:cwmp-1-4'),
      ok.replace('mustUnderstand="0"', 'mustUnderstand="1"'),
      ok.replace('</soap-env:Body>', '<cwmp:GetRPCMethods></cwmp:GetRPCMethods></soap-env:Body>'),
      ok.replace('<soap-env:Envelope ', '<soap-env:Envelope soap-env:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" '),
      encodeEnvelope({ version: '1.2', header: {}, body: { method: 'AddObjectResponse', instanceNumber: 1, status: 0 } }).replace('<InstanceNumber>1<', '<InstanceNumber>0<'),
    ]
    expect(bad[0]).toContain('GetRPCMethodz')
    const results = await validateEnvelopes(XSD_DIR, [ok, ...bad])
    expect(results[0]).toEqual({ valid: true, errors: [] })
    expect(results.slice(1).map((r) => r.valid)).toEqual(bad.map(() => false))
    // The unknown element is only caught by stage B, the namespace has no schema, the header rule is stage C.
    expect(results[1]?.errors.join('\n')).toMatch(/^B: .*No matching global declaration/m)
    expect(results[3]?.errors.join('\n')).toMatch(/^C: SupportedCWMPVersions/m)
    expect(results[4]?.errors.join('\n')).toMatch(/^C: Body has 2 child elements/m)
  })

  it('every fixture re-encoding is valid; the encoder refuses exactly what carried a value outside its type', async () => {
    const xmls: string[] = []
    const labels: string[] = []
    const refused: string[] = []
    for (const method of readdirSync(ENVELOPES).sort()) {
      for (const file of readdirSync(join(ENVELOPES, method)).sort()) {
        if (!file.endsWith('.xml')) continue
        const decoded = decodeEnvelope(new Uint8Array(readFileSync(join(ENVELOPES, method, file))))
        const label = `${method}/${file}`
        let xml: string | undefined
        try {
          xml = encodeEnvelope(decoded)
        } catch (e) {
          expect(isCwmpError(e) && e.code === 'ERR_CWMP_ENCODE_INVALID', label).toBe(true)
          refused.push(label)
          expect(decoded.warnings.some((w) => VALUE_DEVIATIONS.has(w.code)), `${label} was refused without a value deviation`).toBe(true)
          continue
        }
        expect(decoded.warnings.some((w) => VALUE_DEVIATIONS.has(w.code)), `${label} carries a value deviation but was encoded`).toBe(false)
        xmls.push(xml)
        labels.push(label)
      }
    }
    expect(labels.filter((l) => l.includes('/canonical')).length).toBe(57)
    const results = await validateEnvelopes(XSD_DIR, xmls)
    const invalid = results.flatMap((r, i) => (r.valid ? [] : [`${labels[i] as string}: ${r.errors.slice(0, 3).join(' | ')}`]))
    expect(invalid).toEqual([])
    expect(refused.length).toBeGreaterThan(0)
  })

  it(`${SAMPLES_PER_PAIR} generated envelopes for each of the ${METHOD_VERSIONS.length} (element, version) pairs are valid (seed ${seed})`, async () => {
    const xmls: string[] = []
    const labels: string[] = []
    METHOD_VERSIONS.forEach(([method, version], i) => {
      for (const e of fc.sample(envelopeOf(method, version), { numRuns: SAMPLES_PER_PAIR, seed: seed + i })) {
        xmls.push(encodeEnvelope(e))
        labels.push(`${method} ${version}`)
      }
    })
    expect(xmls.length).toBeGreaterThanOrEqual(1000)
    expect(new Set(labels).size).toBe(METHOD_VERSIONS.length)
    const results = await validateEnvelopes(XSD_DIR, xmls)
    expect(report('generated', xmls, results)).toEqual([])
  })

  it(`the encoder either refuses a mutated envelope or writes a valid one (${MUTATED_SAMPLES} samples, seed ${seed})`, async () => {
    const xmls: string[] = []
    let refusedCount = 0
    for (const e of fc.sample(mutatedEnvelope, { numRuns: MUTATED_SAMPLES, seed })) {
      try {
        xmls.push(encodeEnvelope(e))
      } catch (err) {
        if (!isCwmpError(err) || err.code !== 'ERR_CWMP_ENCODE_INVALID') throw err
        refusedCount++
      }
    }
    // Both outcomes occur, or the property says little.
    expect(refusedCount).toBeGreaterThan(MUTATED_SAMPLES / 20)
    expect(xmls.length).toBeGreaterThan(MUTATED_SAMPLES / 4)
    const results = await validateEnvelopes(XSD_DIR, xmls)
    expect(report('mutated', xmls, results)).toEqual([])
  })
})

// ---------------------------------------------------------------------------------------------
// Envelopes with one to three leaves replaced by something that may or may not be legal.

type Leaf = readonly [path: readonly (string | number)[], value: unknown]

function leaves(o: unknown, path: (string | number)[] = [], out: Leaf[] = []): Leaf[] {
  if (Array.isArray(o)) o.forEach((x, i) => leaves(x, [...path, i], out))
  else if (typeof o === 'object' && o !== null) {
    for (const [k, v] of Object.entries(o)) {
      if (k === 'method' || k === 'warnings' || k === 'version') continue
      leaves(v, [...path, k], out)
    }
  } else out.push([path, o])
  return out
}

function setAt(o: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value
  const [k, ...rest] = path as [string | number, ...(string | number)[]]
  const copy = (Array.isArray(o) ? [...(o as unknown[])] : { ...(o as object) }) as Record<string | number, unknown>
  copy[k] = setAt((o as Record<string | number, unknown>)[k], rest, value)
  return copy
}

const oddString = fc.oneof(
  text(),
  text(1100),
  fc.constantFrom(
    '',
    ' ',
    'a[b]',
    '#a#b',
    ':',
    '%zz',
    'X 00d09e lower-case OUI',
    'X ACME',
    'M ',
    '0 ',
    '1 Firmware Upgrade Image ',
    '6 Tone File',
    'subscriber',
    'Subscriber',
    '2001-13-01T00:00:00Z',
    '0000-00-00T00:00:00',
    '2024-02-29T24:00:00Z',
    '+5',
    '-0',
    '00d09e',
    '0090D0',
    'Device.',
    'Device',
    'Installed',
    'Running',
    'xsd:int',
    'xsd:QName',
    'cwmp:InstallOpStruct',
    '{urn:example}Percent',
    'Client:x',
    '1.4',
    '1.4.1',
  ),
)
const oddNumber = fc.oneof(
  fc.integer(),
  fc.integer({ min: -3, max: 10000 }),
  fc.constantFrom(0, -1, 3, 7, 8005, 8006, 8799, 8800, 8900, 9000, 9013, 9014, 9021, 9033, 9799, 9800, 9899, 9900, 2 ** 32, 2 ** 31, 1.5, Number.NaN),
)
const oddType = fc.constantFrom(...Object.keys(VALUE_TYPES), 'xsd:QName', 'xsd:duration', 'cwmp:Foo', '{urn:example}Percent', 'bogus')

const mutatedEnvelope: fc.Arbitrary<Envelope<CwmpMessage>> = fc
  .tuple(anyEnvelope, fc.array(fc.tuple(fc.nat(), oddString, oddNumber, oddType, fc.boolean()), { minLength: 1, maxLength: 3 }))
  .map(([e, mutations]) => {
    let x: unknown = e
    for (const [at, s, n, type, b] of mutations) {
      const all = leaves(x)
      if (all.length === 0) break
      const [path, old] = all[at % all.length] as Leaf
      const last = path[path.length - 1]
      const value = last === 'type' ? type : typeof old === 'string' ? s : typeof old === 'number' ? n : b
      x = setAt(x, path, value)
    }
    return x as DecodedEnvelope<CwmpMessage>
  })
