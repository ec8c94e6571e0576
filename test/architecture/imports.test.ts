/*
 * The import directions of docs/architecture.md, checked on the source: every relative import in
 * src/ goes to the same unit or to a unit of a lower layer, saxes is imported by src/xml/ alone, and
 * Node built-ins only where the table allows them.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve, dirname, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = resolve(import.meta.dirname, '../../src')

/** Layer of each unit (a folder of src/, or a file at its top). A unit imports only lower layers. */
const LAYER: Record<string, number> = {
  'errors.ts': 0,
  types: 1,
  values: 2,
  xml: 2,
  auth: 2,
  'faults.ts': 2,
  rpc: 3,
  datamodel: 3,
  envelope: 4,
  session: 5,
  connreq: 6,
  transport: 7,
  cpe: 8,
  acs: 8,
  cli: 19,
  redis: 9,
  fleet: 9,
  'index.ts': 20,
}

/** Node built-ins allowed per unit (everything else is pure). */
const NODE_BUILTINS: Record<string, readonly string[]> = {
  auth: ['node:crypto'],
  transport: ['node:http', 'node:https', 'node:net', 'node:crypto', 'node:dgram'],
  cpe: ['node:crypto', 'node:net', 'node:os'],
  acs: ['node:http', 'node:net', 'node:crypto'],
  cli: ['node:fs', 'node:http', 'node:path', 'node:util'],
  redis: ['node:crypto'],
}

function sources(dir: string): string[] {
  const out: string[] = []
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...sources(p))
    else if (e.name.endsWith('.ts')) out.push(p)
  }
  return out
}

function unitOf(file: string): string {
  const first = relative(SRC, file).split(sep)[0] as string
  return first.endsWith('.js') ? `${first.slice(0, -3)}.ts` : first
}

/** Module specifiers of static imports, re-exports and dynamic imports (comments removed first). */
function specifiers(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
  const out: string[] = []
  for (const m of code.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g)) out.push(m[1] as string)
  for (const m of code.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) out.push(m[1] as string)
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1] as string)
  return out
}

const files = sources(SRC)

describe('architecture: import directions (docs/architecture.md)', () => {
  it('every unit of src/ has a layer', () => {
    const units = new Set(files.map(unitOf))
    expect([...units].filter((u) => LAYER[u] === undefined)).toEqual([])
  })

  it('relative imports go down the layers, never up or sideways', () => {
    const bad: string[] = []
    for (const f of files) {
      const from = unitOf(f)
      for (const s of specifiers(readFileSync(f, 'utf8'))) {
        if (!s.startsWith('.')) continue
        const to = unitOf(resolve(dirname(f), s))
        if (to === from) continue
        const a = LAYER[from]
        const b = LAYER[to]
        if (a === undefined || b === undefined || b >= a) bad.push(`${relative(SRC, f)} imports ${s} (${from} → ${to})`)
      }
    }
    expect(bad).toEqual([])
  })

  it('saxes is imported by src/xml/ alone', () => {
    const importers = files.filter((f) => specifiers(readFileSync(f, 'utf8')).includes('saxes'))
    expect(importers.map((f) => relative(SRC, f)).filter((f) => !f.startsWith(`xml${sep}`))).toEqual([])
  })

  it('Node built-ins only where the table allows them', () => {
    const bad: string[] = []
    for (const f of files) {
      const unit = unitOf(f)
      for (const s of specifiers(readFileSync(f, 'utf8'))) {
        if (!s.startsWith('node:')) continue
        if (!(NODE_BUILTINS[unit] ?? []).includes(s)) bad.push(`${relative(SRC, f)} imports ${s}`)
      }
    }
    expect(bad).toEqual([])
  })

  it('the check itself sees imports: a known edge is found', () => {
    // Guards against a regex that matches nothing (the test above would then pass vacuously).
    const edges = files.flatMap((f) => specifiers(readFileSync(f, 'utf8')))
    expect(edges).toContain('../errors.js')
    expect(edges).toContain('saxes')
    expect(edges.filter((s) => s.startsWith('node:')).length).toBeGreaterThan(3)
  })
})
