/**
 * What `cwmp/tr181`'s typed paths cost a consumer's `tsc` (docs/decisions.md D355), measured on the
 * built package: a small ACS program (12 paths read, 8 set, 2 misspelt paths that must fail) that
 * imports `cwmp/tr181`, against the same program written with the core `cwmp` entry only (untyped
 * strings, plain request objects). Both compile in a temporary project whose `node_modules/cwmp`
 * links to this repository, so the exports map and `dist/*.d.ts` are what a user gets. Runs are
 * interleaved; medians of tsc's "Check time" and "Total time" and of the wall time are reported
 * with the paired difference of each round.
 *
 * Usage: `npm run build && npx tsx bench/datamodel-tsc.ts [rounds]`
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT } from '../scripts/datamodels.js'
import { median } from './stats.js'

const ROUNDS = Number(process.argv[2] ?? 7)
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
const WRITE: readonly [string, string, string][] = [
  ['Device.ManagementServer.PeriodicInformInterval', '300', 'xsd:unsignedInt'],
  ['Device.ManagementServer.PeriodicInformEnable', 'true', 'xsd:boolean'],
  ['Device.WiFi.SSID.1.SSID', "'home'", 'xsd:string'],
  ['Device.WiFi.SSID.1.Enable', 'false', 'xsd:boolean'],
  ['Device.WiFi.Radio.1.Channel', '6', 'xsd:unsignedInt'],
  ['Device.WiFi.AccessPoint.1.Security.ModeEnabled', "'WPA2-Personal'", 'xsd:string'],
  ['Device.IP.Interface.1.IPv4Address.1.IPAddress', "'192.168.1.1'", 'xsd:string'],
  ['Device.Time.NTPServer1', "'pool.ntp.org'", 'xsd:string'],
]

const TYPED = `import { getParameterValues, readParameterValues, setParameterValues } from 'cwmp/tr181'
export const gpv = getParameterValues([${READ.map((p) => `'${p}'`).join(', ')}])
export const values = readParameterValues({ parameterList: [] }, [${READ.map((p) => `'${p}'`).join(', ')}])
export const uptime: number | undefined = values['Device.DeviceInfo.UpTime']
export const spv = setParameterValues({ ${WRITE.map(([p, v]) => `'${p}': ${v}`).join(', ')} })
// @ts-expect-error misspelt
getParameterValues(['Device.WiFi.SSID.1.SSDI'])
// @ts-expect-error misspelt
setParameterValues({ 'Device.DeviceInfo.SoftwareVersoin': 'x' })
`

const UNTYPED = `import { toParameterValue, type GetParameterValues, type SetParameterValues } from 'cwmp'
export const gpv: GetParameterValues = { method: 'GetParameterValues', parameterNames: [${READ.map((p) => `'${p}'`).join(', ')}] }
export const values: Record<string, unknown> = {}
export const uptime = values['Device.DeviceInfo.UpTime'] as number | undefined
export const spv: SetParameterValues = { method: 'SetParameterValues', parameterKey: '', parameterList: [${WRITE.map(([p, v, t]) => `toParameterValue('${p}', ${v}, { type: '${t}' })`).join(', ')}] }
export const misspelt1: GetParameterValues = { method: 'GetParameterValues', parameterNames: ['Device.WiFi.SSID.1.SSDI'] }
export const misspelt2 = toParameterValue('Device.DeviceInfo.SoftwareVersoin', 'x')
`

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    strict: true,
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    target: 'ES2022',
    lib: ['ES2022'],
    types: ['node'],
    typeRoots: [join(ROOT, 'node_modules/@types')],
    noEmit: true,
    skipLibCheck: true,
  },
  files: ['program.ts'],
})

interface Sample {
  readonly check: number
  readonly total: number
  readonly wall: number
}

function tsc(dir: string): Sample {
  const started = performance.now()
  let out: string
  try {
    out = execFileSync(process.execPath, [TSC, '-p', dir, '--extendedDiagnostics'], { encoding: 'utf8' })
  } catch (e) {
    throw new Error(`tsc failed in ${dir}:\n${(e as { stdout?: string }).stdout ?? String(e)}`)
  }
  const wall = performance.now() - started
  const ms = (label: string) => Number(new RegExp(`${label}:\\s+([0-9.]+)s`).exec(out)?.[1] ?? NaN) * 1000
  return { check: ms('Check time'), total: ms('Total time'), wall }
}


function main(): void {
  if (!existsSync(join(ROOT, 'dist/tr181.d.ts'))) throw new Error('build first: npm run build')
  const base = mkdtempSync(join(tmpdir(), 'cwmp-dmtsc-'))
  try {
    const programs = { untyped: UNTYPED, typed: TYPED } as const
    for (const [name, text] of Object.entries(programs)) {
      const dir = join(base, name)
      mkdirSync(join(dir, 'node_modules'), { recursive: true })
      symlinkSync(ROOT, join(dir, 'node_modules/cwmp'), 'dir')
      writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
      writeFileSync(join(dir, 'tsconfig.json'), TSCONFIG)
      writeFileSync(join(dir, 'program.ts'), text)
    }
    const samples: Record<keyof typeof programs, Sample[]> = { untyped: [], typed: [] }
    for (let round = 0; round < ROUNDS; round++) {
      samples.untyped.push(tsc(join(base, 'untyped')))
      samples.typed.push(tsc(join(base, 'typed')))
    }
    const diff = (f: (s: Sample) => number) => median(samples.typed.map((s, i) => f(s) - f(samples.untyped[i] as Sample)))
    console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores; ${ROUNDS} rounds; medians in ms`)
    console.log('program | check | total | wall')
    for (const name of ['untyped', 'typed'] as const) {
      const s = samples[name]
      console.log(`${name} | ${median(s.map((x) => x.check)).toFixed(0)} | ${median(s.map((x) => x.total)).toFixed(0)} | ${median(s.map((x) => x.wall)).toFixed(0)}`)
    }
    console.log(`typed − untyped (paired) | ${diff((s) => s.check).toFixed(0)} | ${diff((s) => s.total).toFixed(0)} | ${diff((s) => s.wall).toFixed(0)}`)
  } finally {
    rmSync(base, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main()
