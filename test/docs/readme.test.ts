// Runs the documentation's code: every ```ts block of README.md, and the ```ts blocks of docs/*.md
// that opt in with a `<!-- test: run -->` line just before them. `from 'cwmp'` (and `'cwmp/tr181'`,
// `'cwmp/tr098'`) is pointed at the sources; each block must type-check under the project tsconfig
// and exit with code 0 under tsx.
// When a block is followed by `<!-- expect -->` and a ```text block, its stdout must be that text.
//
//     <!-- test: run -->
//     ```ts
//     console.log(makeFault('cpe', 'InvalidParameterName').faultCode)
//     ```
//     <!-- expect -->
//     ```text
//     9005
//     ```
//
// docs/auth.md has its own test (test/auth/docs.test.ts) and does not opt in here.
import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
// The .js specifier resolves to src/index.ts both for tsx and for tsc (NodeNext).
const entry = join(root, 'src/index.js')
const tsx = join(root, 'node_modules/.bin/tsx')
const tsc = join(root, 'node_modules/.bin/tsc')

const RUN_MARKER = '<!-- test: run -->'
const EXPECT_MARKER = '<!-- expect -->'

/** One runnable block of a Markdown file. */
interface DocExample {
  /** File and 1-based line of the opening fence, e.g. `README.md:42`. */
  readonly where: string
  /** The code, with `from 'cwmp'` still in it. */
  readonly code: string
  /** The expected stdout, when an `<!-- expect -->` text block follows. */
  readonly expected?: string
}

interface Fence {
  readonly lang: string
  readonly body: string
  readonly start: number
  readonly end: number
}

function fences(markdown: string): Fence[] {
  const out: Fence[] = []
  for (const m of markdown.matchAll(/^```([\w-]*)[^\n]*\n([\s\S]*?)^```[ \t]*$/gm)) {
    out.push({ lang: m[1] ?? '', body: m[2] ?? '', start: m.index, end: m.index + m[0].length })
  }
  return out
}

/** The last non-blank line before `index`. */
function lineBefore(markdown: string, index: number): string {
  const lines = markdown.slice(0, index).split('\n')
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = (lines[i] ?? '').trim()
    if (line !== '') return line
  }
  return ''
}

/**
 * The runnable ```ts blocks of a Markdown file.
 *
 * @param markdown - the file's text
 * @param file - its name, for messages
 * @param optIn - only blocks preceded by `<!-- test: run -->` (docs/*.md); otherwise every ts block (README)
 */
function docExamples(markdown: string, file: string, optIn: boolean): DocExample[] {
  const all = fences(markdown)
  const out: DocExample[] = []
  all.forEach((fence, i) => {
    if (fence.lang !== 'ts' && fence.lang !== 'typescript') return
    if (optIn && lineBefore(markdown, fence.start) !== RUN_MARKER) return
    const where = `${file}:${markdown.slice(0, fence.start).split('\n').length}`
    const next = all[i + 1]
    const between = next === undefined ? '' : markdown.slice(fence.end, next.start).trim()
    if (next !== undefined && between === EXPECT_MARKER) {
      if (next.lang !== 'text') throw new Error(`${where}: ${EXPECT_MARKER} must be followed by a \`\`\`text block`)
      out.push({ where, code: fence.body, expected: next.body })
    } else {
      out.push({ where, code: fence.body })
    }
  })
  return out
}

function run(cmd: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(cmd, args, { cwd: root, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) =>
      done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr }),
    )
  })
}

const readmePath = join(root, 'README.md')
const docsDir = join(root, 'docs')
const sources: { readonly file: string; readonly optIn: boolean }[] = [
  ...(existsSync(readmePath) ? [{ file: 'README.md', optIn: false }] : []),
  ...readdirSync(docsDir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => ({ file: `docs/${f}`, optIn: true })),
]
const examples = sources.flatMap(({ file, optIn }) => docExamples(readFileSync(join(root, file), 'utf8'), file, optIn))

const dir = mkdtempSync(join(tmpdir(), 'cwmp-readme-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
// .mts: an ES module (top-level await) outside any package.
const fileFor = (i: number) => join(dir, `example-${i}.mts`)
// The data-model subpaths (cwmp/tr181, cwmp/tr098) point at their entries in src/datamodel/.
const subpath = (name: string) => join(root, `src/datamodel/${name}.js`)
examples.forEach((e, i) =>
  writeFileSync(
    fileFor(i),
    e.code
      .replaceAll(/from (['"])cwmp\1/g, `from ${JSON.stringify(entry)}`)
      .replaceAll(/from (['"])cwmp\/(tr181|tr098)\1/g, (_m, _q: string, name: string) => `from ${JSON.stringify(subpath(name))}`),
  ),
)

describe('the extractor', () => {
  const md = [
    'text',
    '```ts',
    "console.log('readme')",
    '```',
    RUN_MARKER,
    '',
    '```ts',
    "import { makeFault } from 'cwmp'",
    '```',
    EXPECT_MARKER,
    '```text',
    '9005',
    '```',
    '```ts',
    'not marked',
    '```',
    '```sh',
    'npm test',
    '```',
  ].join('\n')

  it('takes every ts block of the README, with the expected output when marked', () => {
    expect(docExamples(md, 'README.md', false)).toEqual([
      { where: 'README.md:2', code: "console.log('readme')\n" },
      { where: 'README.md:7', code: "import { makeFault } from 'cwmp'\n", expected: '9005\n' },
      { where: 'README.md:14', code: 'not marked\n' },
    ])
  })

  it('takes only the opted-in ts blocks of docs/*.md', () => {
    expect(docExamples(md, 'docs/x.md', true)).toEqual([
      { where: 'docs/x.md:7', code: "import { makeFault } from 'cwmp'\n", expected: '9005\n' },
    ])
  })

  it('refuses an expect marker that is not followed by a text block', () => {
    expect(() => docExamples(['```ts', 'x', '```', EXPECT_MARKER, '```ts', 'y', '```'].join('\n'), 'a.md', false)).toThrow(
      /must be followed by a ```text block/,
    )
  })
})

describe('README.md and opted-in docs examples', () => {
  it('the README exists and has examples, and every one imports from cwmp', () => {
    expect(existsSync(readmePath)).toBe(true)
    const readme = examples.filter((e) => e.where.startsWith('README.md:'))
    expect(readme.length).toBeGreaterThan(0)
    for (const e of readme) expect(e.code, e.where).toMatch(/from ['"]cwmp['"]/)
  })

  it('the examples type-check under the project tsconfig (strict, exactOptionalPropertyTypes, …)', async () => {
    const config = join(dir, 'tsconfig.json')
    writeFileSync(
      config,
      JSON.stringify({
        extends: join(root, 'tsconfig.json'),
        compilerOptions: { typeRoots: [join(root, 'node_modules/@types')] },
        include: [],
        files: examples.map((_e, i) => fileFor(i)),
      }),
    )
    const r = await run(tsc, ['--noEmit', '-p', config])
    // Only the examples' own diagnostics matter here (the sources are checked by `tsc --noEmit`).
    const own = `${r.stdout}${r.stderr}`
      .split('\n')
      .filter((l) => l.includes(basename(dir)))
      .map((l) => l.replace(/^.*example-(\d+)\.mts/, (_m, i: string) => examples[Number(i)]?.where ?? l))
    expect(own).toEqual([])
  })

  it.each(examples.map((e, i) => [e.where, i] as const))('%s runs', async (_where, i) => {
    const example = examples[i]!
    const { code, stdout, stderr } = await run(tsx, [fileFor(i)])
    expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' })
    if (example.expected !== undefined) expect(stdout.trimEnd()).toBe(example.expected.trimEnd())
  })
})
