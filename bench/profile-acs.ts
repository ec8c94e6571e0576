/**
 * A CPU profile of one ACS process over the measured run of the load benchmark's session (not its
 * start-up or warm-up), for finding where the simulator's time goes. Writes the .cpuprofile into
 * CWMP_PROF_DIR (default /tmp/prof), then prints the top self-time entries by file, by function
 * and by part (XML decode, Digest, node:http, GC, …).
 * `npx tsx bench/profile-acs.ts [memory|bare|redis] [P]`. The ACS process runs a bundle of the
 * library (CWMP_ACS_BUNDLE, see test/redis/processes.ts), so that the profile names functions and
 * lines as built code has them; `CWMP_ACS_BUNDLE=0` profiles the TypeScript through tsx instead.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { runOneScenario } from './load.js'

process.env['CWMP_ACS_BUNDLE'] ??= '1'
const dir = process.env['CWMP_PROF_DIR'] ?? '/tmp/prof'
const kind = process.argv[2] ?? 'memory'
const params = Number(process.argv[3] ?? 10)
interface Node {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount: number
  children?: number[]
}
let profile: { nodes: Node[] } | undefined
const row = await runOneScenario(kind, Number(process.env['CWMP_LOAD_CPES'] ?? 1000), params, (p) => (profile = p as { nodes: Node[] }))
console.log(JSON.stringify(row))
if (profile === undefined) throw new Error('no profile')
mkdirSync(dir, { recursive: true })
const file = join(dir, `acs-${kind}-${params}.cpuprofile`)
writeFileSync(file, JSON.stringify(profile))
console.log(`profile: ${file}`)

const nodes = profile.nodes
const total = nodes.filter((n) => n.callFrame.functionName !== '(idle)').reduce((a, n) => a + n.hitCount, 0)
const where = (n: Node): string => n.callFrame.url.replace(/^.*\/(node_modules|src|test)\//, '$1/')
const byFn = new Map<string, number>()
const byFile = new Map<string, number>()
for (const n of nodes) {
  if (n.callFrame.functionName === '(idle)') continue
  const w = where(n)
  const k = `${n.callFrame.functionName || '(anon)'} ${w}:${n.callFrame.lineNumber}`
  byFn.set(k, (byFn.get(k) ?? 0) + n.hitCount)
  const f = w === '' ? `(${n.callFrame.functionName})` : w
  byFile.set(f, (byFile.get(f) ?? 0) + n.hitCount)
}
// Parts: each sample is charged to the first part found walking up from its frame to the root
// (so crypto called from Digest counts as Digest, node:http called by the adapter as node:http…).
const parent = new Map<number, Node>()
for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n)
const partOf = (n: Node): string | undefined => {
  const w = where(n)
  const fn = n.callFrame.functionName
  if (fn === '(garbage collector)') return 'GC'
  if (w.startsWith('src/xml/') || w.includes('node_modules/saxes') || w.startsWith('src/envelope/decode') || w.startsWith('src/rpc/')) return 'XML decode (src/xml, saxes, envelope/decode, rpc)'
  if (w.startsWith('src/envelope/encode') || w.startsWith('src/xml/write')) return 'XML encode'
  if (w.startsWith('src/auth/') || w.startsWith('src/acs/cpe-authenticator')) return 'Digest (src/auth, cpe-authenticator)'
  if (w.startsWith('src/transport/')) return 'server adapter, connection guard (src/transport)'
  if (w.startsWith('src/session/')) return 'session machine (src/session)'
  if (w.startsWith('src/acs/')) return 'simulator glue (src/acs)'
  if (w.startsWith('test/')) return 'bench process glue (test/redis)'
  return undefined
}
const byPart = new Map<string, number>()
for (const n of nodes) {
  if (n.callFrame.functionName === '(idle)' || n.hitCount === 0) continue
  let p: string | undefined
  for (let cur: Node | undefined = n; cur !== undefined && p === undefined; cur = parent.get(cur.id)) p = partOf(cur)
  const w = where(n)
  const k = p ?? (w.startsWith('node:') ? 'node:http, net, streams, events (not below library code)' : `other: ${n.callFrame.functionName || w}`)
  byPart.set(k, (byPart.get(k) ?? 0) + n.hitCount)
}
const top = (m: Map<string, number>, k: number): string[] =>
  [...m].sort((a, b) => b[1] - a[1]).slice(0, k).map(([name, hits]) => `${((100 * hits) / total).toFixed(1)}% ${name}`)
console.log(`busy samples: ${total}`)
console.log('by part (inclusive of what each calls):\n' + top(byPart, 20).join('\n'))
console.log('by file (self):\n' + top(byFile, 25).join('\n'))
console.log('by function (self):\n' + top(byFn, 40).join('\n'))
