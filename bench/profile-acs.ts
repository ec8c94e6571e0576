/**
 * One ACS process under a CPU profile while N CPEs do the load benchmark's session (for finding
 * where the simulator's time goes). Writes a .cpuprofile into CWMP_PROF_DIR (default /tmp/prof),
 * then prints the top self-time entries. `npx tsx bench/profile-acs.ts [memory|bare|redis] [P]`.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { runOneScenario } from './load.js'

const dir = (process.env['CWMP_PROF_DIR'] ??= '/tmp/prof')
const kind = process.argv[2] ?? 'memory'
const params = Number(process.argv[3] ?? 10)
const row = await runOneScenario(kind, Number(process.env['CWMP_LOAD_CPES'] ?? 1000), params)
console.log(JSON.stringify(row))

interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount: number
}
// One profile per thread (tsx's loader has its own): the one with the most busy samples.
const busy = (p: { nodes: Node[] }): number => p.nodes.filter((n) => n.callFrame.functionName !== '(idle)').reduce((a, n) => a + n.hitCount, 0)
const profile = readdirSync(dir)
  .filter((f) => f.endsWith('.cpuprofile'))
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as { nodes: Node[] })
  .sort((a, b) => busy(b) - busy(a))[0] as { nodes: Node[] }
const total = busy(profile)
const byFn = new Map<string, number>()
const byFile = new Map<string, number>()
for (const n of profile.nodes) {
  if (n.callFrame.functionName === '(idle)') continue
  const where = n.callFrame.url.replace(/^.*\/(node_modules|src|test)\//, '$1/')
  const k = `${n.callFrame.functionName || '(anon)'} ${where}:${n.callFrame.lineNumber}`
  byFn.set(k, (byFn.get(k) ?? 0) + n.hitCount)
  const f = where === '' ? `(${n.callFrame.functionName})` : where
  byFile.set(f, (byFile.get(f) ?? 0) + n.hitCount)
}
const top = (m: Map<string, number>, k: number): string[] =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, hits]) => `${((100 * hits) / total).toFixed(1)}% ${name}`)
console.log('by file:\n' + top(byFile, 25).join('\n'))
console.log('by function:\n' + top(byFn, 40).join('\n'))
