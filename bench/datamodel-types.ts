/**
 * What the TR-181 path types cost `tsc`, per representation (docs/decisions.md D355).
 *
 * For each representation of scripts/datamodel-types.ts, a temporary project holds the generated
 * types, typed GetParameterValues / SetParameterValues helpers over them, and a small ACS program
 * (12 paths read, 8 set, 2 misspelt paths expected to fail), the types and helpers as declaration
 * files (what a package consumer compiles against, with skipLibCheck). A baseline program does the same with
 * untyped helpers. Each is checked by `tsc --noEmit --extendedDiagnostics`, interleaved, for
 * `ROUNDS` rounds; the medians of tsc's own "Check time" and "Total time" and of the wall time are
 * reported, each with its difference from the baseline of the same round.
 *
 * Usage: `CWMP_DATAMODELS_DIR=../shared/datamodels npx tsx bench/datamodel-types.ts [rounds]`
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { compileModel, MODELS, ROOT, TYPES_FILE } from '../scripts/datamodels.js'
import { renderFlat, renderKeyed, renderNested, renderOverloads, renderUnion, typedParameters, type TypeRepresentation } from '../scripts/datamodel-types.js'
import { median } from './stats.js'

const ROUNDS = Number(process.argv[2] ?? 5)
/** Representations to measure (argv[3], comma-separated); all but the two that do not finish by default. */
const KINDS = (process.argv[3] ?? 'keyed,nested').split(',') as TypeRepresentation[]
/** A tsc run longer than this is stopped and reported as not finishing. */
const TIMEOUT_MS = Number(process.env.TSC_TIMEOUT_MS ?? 180_000)
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc')

const READ = [
  'Device.DeviceInfo.SoftwareVersion',
  'Device.DeviceInfo.UpTime',
  'Device.ManagementServer.PeriodicInformInterval',
  'Device.ManagementServer.PeriodicInformEnable',
  'Device.WiFi.SSID.1.SSID',
  'Device.WiFi.SSID.2.Status',
  'Device.WiFi.Radio.1.Channel',
  'Device.WiFi.AccessPoint.1.Security.ModeEnabled',
  'Device.IP.Interface.1.IPv4Address.1.IPAddress',
  'Device.Ethernet.Interface.1.Stats.BytesSent',
  'Device.Hosts.Host.3.PhysAddress',
  'Device.WiFi.DataElements.Network.Device.1.Radio.2.BSS.3.BSSID',
]
const WRITE: readonly [string, string][] = [
  ['Device.ManagementServer.PeriodicInformInterval', '300'],
  ['Device.ManagementServer.PeriodicInformEnable', 'true'],
  ['Device.WiFi.SSID.1.SSID', "'home'"],
  ['Device.WiFi.SSID.1.Enable', 'false'],
  ['Device.WiFi.Radio.1.Channel', '6'],
  ['Device.WiFi.AccessPoint.1.Security.ModeEnabled', "'WPA2-Personal'"],
  ['Device.IP.Interface.1.IPv4Address.1.IPAddress', "'192.168.1.1'"],
  ['Device.Time.NTPServer1', "'pool.ntp.org'"],
]
const MISSPELT = ['Device.WiFi.SSID.1.SSDI', 'Device.DeviceInfo.SoftwareVersoin']

const CONVERT = `export interface DateTimeValue { readonly lexical: string; readonly unknown: boolean; readonly hasZone: boolean }\n`

const HELPERS: Readonly<Record<TypeRepresentation | 'baseline', string>> = {
  baseline: `export declare function getParameterValues(paths: readonly string[]): Record<string, unknown>
export declare function setParameterValues(values: Record<string, unknown>): void
`,
  keyed: `import type { Tr181ParameterValues as V, Tr181WritableValues as W, Tr181Objects as O } from './paths.js'
type Norm<P extends string> = P extends \`\${infer H}.\${infer R}\` ? \`\${H extends \`\${bigint}\` ? '{i}' : H}.\${Norm<R>}\` : P extends \`\${bigint}\` ? '{i}' : P
type Path<P extends string> = Norm<P> extends keyof V | keyof O ? P : never
export declare function getParameterValues<const P extends string>(paths: readonly Path<P>[]): { [K in P]?: Norm<K> extends keyof V ? V[Norm<K>] : never }
export declare function setParameterValues<const T extends Record<string, unknown>>(values: T & { [K in keyof T]: K extends string ? (Norm<K> extends keyof W ? W[Norm<K>] : { error: 'not a writable parameter' }) : never }): void
`,
  union: `import type { Tr181ParameterPath as P } from './paths.js'
export declare function getParameterValues(paths: readonly P[]): Record<string, unknown>
export declare function setParameterValues(values: Partial<Record<P, unknown>>): void
`,
  flat: `import type { Tr181ParameterValues, Tr181WritableValues, Tr181ObjectPath } from './paths.js'
export type Path = keyof Tr181ParameterValues
export declare function getParameterValues<const P extends Path | Tr181ObjectPath>(paths: readonly P[]): { [K in P & Path]?: Tr181ParameterValues[K] }
export declare function setParameterValues(values: Tr181WritableValues): void
`,
  nested: `import type { Tr181At, Tr181Leaf } from './paths.js'
type Read<P extends string> = [Tr181At<P>] extends [never] ? never : Tr181At<P> extends Tr181Leaf<infer R, unknown> ? R : never
type Write<P extends string> = [Tr181At<P>] extends [never] ? { error: 'not a writable parameter' } : Tr181At<P> extends Tr181Leaf<unknown, infer W> ? ([W] extends [never] ? { error: 'not a writable parameter' } : W) : { error: 'not a writable parameter' }
export declare function getParameterValues<const P extends readonly string[]>(paths: P & { [I in keyof P]: [Read<P[I] & string>] extends [never] ? never : P[I] }): { [K in P[number]]?: Read<K> }
export declare function setParameterValues<const V extends Record<string, unknown>>(values: V & { [K in keyof V]: K extends string ? Write<K> : never }): void
`,
  overloads: `import { tr181ValueOf } from './paths.js'
export declare function getParameterValues(paths: readonly string[]): Record<string, unknown>
export declare function setParameterValues(values: Record<string, unknown>): void
export const valueOf = tr181ValueOf
`,
}

function program(kind: TypeRepresentation | 'baseline'): string {
  const typed = kind !== 'baseline'
  const lines = [`import { getParameterValues, setParameterValues${kind === 'overloads' ? ', valueOf' : ''} } from './datamodel/helpers.js'`]
  if (kind === 'overloads') {
    READ.forEach((p, i) => lines.push(`export const v${i} = valueOf('${p}')`))
    for (const p of MISSPELT) lines.push(`// @ts-expect-error misspelt\nvalueOf('${p}')`)
  } else {
    lines.push(`export const read = getParameterValues([${READ.map((p) => `'${p}'`).join(', ')}])`)
    lines.push(`setParameterValues({ ${WRITE.map(([p, v]) => `'${p}': ${v}`).join(', ')} })`)
    for (const p of MISSPELT) {
      lines.push(`${typed ? '// @ts-expect-error misspelt\n' : ''}getParameterValues(['${p}'])`)
      lines.push(`${typed ? '// @ts-expect-error misspelt\n' : ''}setParameterValues({ '${p}': 'x' })`)
    }
  }
  return `${lines.join('\n')}\n`
}

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    strict: true,
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    lib: ['ES2022'],
    types: [],
    noEmit: true,
    skipLibCheck: true,
    exactOptionalPropertyTypes: true,
  },
  include: ['**/*.ts'],
})

interface Sample {
  readonly check: number
  readonly total: number
  readonly wall: number
  readonly memory: number
}

function tsc(dir: string): Sample {
  const started = performance.now()
  let out: string
  try {
    out = execFileSync(process.execPath, [TSC, '-p', dir, '--extendedDiagnostics'], { encoding: 'utf8', timeout: TIMEOUT_MS, killSignal: 'SIGKILL' })
  } catch (e) {
    if ((e as { signal?: string }).signal === 'SIGKILL') return { check: Infinity, total: Infinity, wall: Infinity, memory: NaN }
    throw new Error(`tsc failed in ${dir}:\n${(e as { stdout?: string }).stdout ?? String(e)}`)
  }
  const wall = performance.now() - started
  const seconds = (label: string) => Number(new RegExp(`${label}:\\s+([0-9.]+)s`).exec(out)?.[1] ?? NaN) * 1000
  const memory = Number(/Memory used:\s+(\d+)K/.exec(out)?.[1] ?? NaN) / 1024
  return { check: seconds('Check time'), total: seconds('Total time'), wall, memory }
}


function main(): void {
  const dir = process.env.CWMP_DATAMODELS_DIR
  if (dir === undefined) throw new Error('set CWMP_DATAMODELS_DIR')
  const source = MODELS[0]!
  const compiled = compileModel(readFileSync(join(dir, source.file), 'utf8'), source.file, readFileSync(join(dir, TYPES_FILE), 'utf8'))
  const params = typedParameters(compiled.table)
  const objectPaths = compiled.table.objects.map((o) => o[0])
  const renders: Record<TypeRepresentation, string> = {
    keyed: renderKeyed('Tr181', compiled.table.model, params, objectPaths),
    union: renderUnion('Tr181', compiled.table.model, params),
    flat: renderFlat('Tr181', compiled.table.model, params, objectPaths),
    nested: renderNested('Tr181', compiled.table.model, params),
    overloads: renderOverloads('Tr181', compiled.table.model, params),
  }
  const base = mkdtempSync(join(tmpdir(), 'cwmp-dmtypes-'))
  const kinds = ['baseline', ...KINDS] as const
  try {
    for (const kind of kinds) {
      const d = join(base, kind)
      mkdirSync(join(d, 'datamodel'), { recursive: true })
      mkdirSync(join(d, 'values'), { recursive: true })
      writeFileSync(join(d, 'tsconfig.json'), TSCONFIG)
      writeFileSync(join(d, 'values/convert.d.ts'), CONVERT)
      // As a package consumer sees them: declaration files (skipLibCheck: true, like most projects).
      if (kind !== 'baseline') writeFileSync(join(d, 'datamodel/paths.d.ts'), renders[kind])
      writeFileSync(join(d, 'datamodel/helpers.d.ts'), HELPERS[kind].replaceAll('export const valueOf = tr181ValueOf', 'export declare const valueOf: typeof tr181ValueOf'))
      writeFileSync(join(d, 'program.ts'), program(kind))
    }
    const samples = new Map<string, Sample[]>(kinds.map((k) => [k, []]))
    const gaveUp = new Set<string>()
    for (let round = 0; round < ROUNDS; round++) {
      for (const kind of kinds) {
        if (gaveUp.has(kind)) continue
        const sample = tsc(join(base, kind))
        samples.get(kind)?.push(sample)
        if (sample.wall === Infinity) gaveUp.add(kind)
      }
    }
    const baseline = samples.get('baseline') as Sample[]
    console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores; ${ROUNDS} rounds; medians in ms`)
    console.log('representation | types (bytes) | check | +check vs baseline | total | +total | wall | +wall | memory MB')
    for (const kind of kinds) {
      const s = samples.get(kind) as Sample[]
      if (s.some((x) => x.wall === Infinity)) {
        console.log(`${kind} | ${Buffer.byteLength(renders[kind as TypeRepresentation])} | did not finish in ${TIMEOUT_MS / 1000} s`)
        continue
      }
      const diff = (f: (x: Sample) => number) => median(s.map((x, i) => f(x) - f(baseline[i] as Sample)))
      const size = kind === 'baseline' ? 0 : Buffer.byteLength(renders[kind])
      console.log(
        [
          kind,
          size,
          median(s.map((x) => x.check)).toFixed(0),
          diff((x) => x.check).toFixed(0),
          median(s.map((x) => x.total)).toFixed(0),
          diff((x) => x.total).toFixed(0),
          median(s.map((x) => x.wall)).toFixed(0),
          diff((x) => x.wall).toFixed(0),
          median(s.map((x) => x.memory)).toFixed(0),
        ].join(' | '),
      )
    }
  } finally {
    rmSync(base, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main()
