/**
 * What loading the TR-181 definition table costs (docs/decisions.md D354): the table as JSON text
 * parsed on first use (what `src/datamodel/tr181.generated.ts` holds) against the same data as a
 * JavaScript object literal. Each variant is bundled with esbuild (minified, as an application
 * would ship it) and run in a fresh Node process per sample, interleaved; each process reports the
 * time to import the module, to answer the first lookup (which decodes the table), and a later one.
 *
 * Usage: `npx tsx bench/datamodel-load.ts [rounds]` (after `npm run datamodels`).
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT } from '../scripts/datamodels.js'
import { median } from './stats.js'

const ROUNDS = Number(process.argv[2] ?? 15)
const ESBUILD = join(ROOT, 'node_modules/.bin/esbuild')


function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'cwmp-dmload-'))
  try {
    const generated = readFileSync(join(ROOT, 'src/datamodel/tr181.generated.ts'), 'utf8')
    const m = /export const TABLE: string = '(.*)'\n/.exec(generated)
    if (m === null) throw new Error('no TABLE in tr181.generated.ts')
    // The string literal's content, unescaped: the JSON text.
    const json = (0, eval)(`'${m[1]}'`) as string
    const definitions = join(ROOT, 'src/datamodel/definitions.ts')
    const probe = (load: string) => `${load}
const t0 = performance.now()
const d = create()
const t1 = performance.now()
d.lookup('Device.WiFi.SSID.3.SSID')
const t2 = performance.now()
d.validate('Device.IP.Interface.2.IPv4Address.1.IPAddress', '192.168.1.1')
const t3 = performance.now()
console.log(JSON.stringify({ first: t2 - t1, next: t3 - t2 }))
`
    // JSON text: the shipped form.
    writeFileSync(
      join(dir, 'json.ts'),
      probe(`import { createDefinitions } from ${JSON.stringify(definitions)}
const TABLE = ${JSON.stringify(json)}
const create = () => createDefinitions(TABLE)`),
    )
    // Object literal: the same table as a JavaScript object, handed to the same decoder.
    writeFileSync(
      join(dir, 'literal.ts'),
      probe(`import { createDefinitions } from ${JSON.stringify(definitions)}
const TABLE = ${json}
const create = () => createDefinitions(TABLE)`),
    )
    const variants = ['json', 'literal'] as const
    const bytes: Record<string, number> = {}
    for (const v of variants) {
      execFileSync(ESBUILD, [join(dir, `${v}.ts`), '--bundle', '--minify', '--format=esm', '--platform=node', `--outfile=${join(dir, `${v}.mjs`)}`, '--log-level=warning'])
      bytes[v] = readFileSync(join(dir, `${v}.mjs`)).length
    }
    const samples: Record<string, { load: number; first: number; next: number }[]> = { json: [], literal: [] }
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of variants) {
        // Wall time of a process that only starts Node, against one that loads and probes the bundle.
        const started = performance.now()
        const out = execFileSync(process.execPath, [join(dir, `${v}.mjs`)], { encoding: 'utf8' })
        const wall = performance.now() - started
        const r = JSON.parse(out) as { first: number; next: number }
        samples[v]?.push({ load: wall, first: r.first, next: r.next })
      }
    }
    const empty: number[] = []
    writeFileSync(join(dir, 'empty.mjs'), '')
    for (let round = 0; round < ROUNDS; round++) {
      const started = performance.now()
      execFileSync(process.execPath, [join(dir, 'empty.mjs')])
      empty.push(performance.now() - started)
    }
    console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} on ${cpus().length} cores; ${ROUNDS} rounds; medians in ms`)
    console.log(`node with an empty module: ${median(empty).toFixed(1)} ms`)
    console.log('variant | bundle bytes | process wall | first lookup (decode) | next lookup')
    for (const v of variants) {
      const s = samples[v] ?? []
      console.log(
        `${v} | ${bytes[v]} | ${median(s.map((x) => x.load)).toFixed(1)} | ${median(s.map((x) => x.first)).toFixed(2)} | ${median(s.map((x) => x.next)).toFixed(3)}`,
      )
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main()
