// Runs every ```ts block of docs/auth.md (with `from 'cwmp'` pointing at the sources) and checks
// its output against the ```text block that follows it.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const markdown = readFileSync(join(root, 'docs/auth.md'), 'utf8')
// The .js specifier resolves to src/index.ts both for tsx and for tsc (NodeNext).
const entry = join(root, 'src/index.js')
const tsx = join(root, 'node_modules/.bin/tsx')

interface Example {
  readonly heading: string
  readonly code: string
  readonly output: string
}

function runTool(cmd: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd: root, encoding: 'utf8', timeout: 120_000 }, (err, so, se) =>
      done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout: so, stderr: se }),
    )
  })
}

function examples(md: string): Example[] {
  const out: Example[] = []
  const re = /```ts\n([\s\S]*?)```\s*\n```text\n([\s\S]*?)```/g
  for (const m of md.matchAll(re)) {
    const before = md.slice(0, m.index)
    const heading = [...before.matchAll(/^## (.*)$/gm)].at(-1)?.[1] ?? 'untitled'
    out.push({ heading, code: m[1] ?? '', output: m[2] ?? '' })
  }
  return out
}

const found = examples(markdown)
const dir = mkdtempSync(join(tmpdir(), 'cwmp-docs-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

// .mts: an ES module (top-level await) outside any package.
const fileFor = (i: number) => join(dir, `example-${i}.mts`)
found.forEach((e, i) => writeFileSync(fileFor(i), e.code.replaceAll("from 'cwmp'", `from ${JSON.stringify(entry)}`)))

describe('docs/auth.md examples', () => {
  it('has one example per flow, each followed by its output', () => {
    expect(found.map((e) => e.heading)).toEqual([
      'Flow 1: CPE → ACS',
      'Flow 2: ACS → CPE over HTTP (Connection Request)',
      'Flow 2 over UDP (Annex G)',
      'Flow 2 over XMPP (Annex K)',
    ])
    // Every ts block is covered: none without an output block.
    expect(markdown.match(/```ts\n/g)?.length).toBe(found.length)
  })

  it('the examples type-check under the project tsconfig (strict, exactOptionalPropertyTypes, …)', async () => {
    const config = join(dir, 'tsconfig.json')
    writeFileSync(
      config,
      JSON.stringify({
        extends: join(root, 'tsconfig.json'),
        compilerOptions: { typeRoots: [join(root, 'node_modules/@types')] },
        include: [],
        files: found.map((_e, i) => fileFor(i)),
      }),
    )
    const r = await runTool(join(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', config])
    // Only the examples' own diagnostics matter here (the rest of the tree is checked by `npm run typecheck`).
    // tsc prints paths relative to the working directory, so match on the temp directory's name.
    const own = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.includes(basename(dir)))
    expect(own).toEqual([])
  })

  it.each(found.map((e, i) => [e.heading, i] as const))('%s runs and prints the documented output', async (_h, i) => {
    const example = found[i]!
    expect(example.code).toMatch(/from 'cwmp'/)
    const { code, stdout, stderr } = await runTool(tsx, [fileFor(i)])
    expect(stderr).toBe('')
    expect(code).toBe(0)
    expect(stdout.trim()).toBe(example.output.trim())
  })
})
