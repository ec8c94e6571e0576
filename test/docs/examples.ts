// The documentation's runnable code, extracted: every ```ts block of README.md, the ```ts blocks of
// docs/*.md that opt in with a `<!-- test: run -->` line just before them, and every ```ts block of
// docs/auth.md (each followed by its ```text output).
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
// `npm test` writes them to test/docs/.examples/ (scripts/doc-examples.ts) before `tsc --noEmit`, so
// they are type-checked with the rest of the tree in one program under the project tsconfig; the docs
// tests check that those files are current and run them.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
/** Where the extracted examples are written (git-ignored). */
export const EXAMPLES_DIR = join(ROOT, 'test/docs/.examples')

export const RUN_MARKER = '<!-- test: run -->'
export const EXPECT_MARKER = '<!-- expect -->'

/** One runnable block of a Markdown file. */
export interface DocExample {
  /** File and 1-based line of the opening fence, e.g. `README.md:42`. */
  readonly where: string
  /** The code, with `from 'cwmp'` still in it. */
  readonly code: string
  /** The expected stdout, when an `<!-- expect -->` text block follows. */
  readonly expected?: string
  /** For docs/auth.md: the `##` heading the block stands under. */
  readonly heading?: string
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
export function docExamples(markdown: string, file: string, optIn: boolean): DocExample[] {
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

/** docs/auth.md: every ```ts block, each directly followed by its ```text output. */
export function authExamples(markdown: string): DocExample[] {
  const out: DocExample[] = []
  for (const m of markdown.matchAll(/```ts\n([\s\S]*?)```\s*\n```text\n([\s\S]*?)```/g)) {
    const before = markdown.slice(0, m.index)
    const heading = [...before.matchAll(/^## (.*)$/gm)].at(-1)?.[1] ?? 'untitled'
    const where = `docs/auth.md:${before.split('\n').length}`
    out.push({ where, heading, code: m[1] ?? '', expected: m[2] ?? '' })
  }
  return out
}

/** Every runnable example of the documentation, in a stable order. */
export function allExamples(): DocExample[] {
  const readme = join(ROOT, 'README.md')
  const docs = readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md') && f !== 'auth.md')
    .sort()
  return [
    ...(existsSync(readme) ? docExamples(readFileSync(readme, 'utf8'), 'README.md', false) : []),
    ...docs.flatMap((f) => docExamples(readFileSync(join(ROOT, 'docs', f), 'utf8'), `docs/${f}`, true)),
    ...authExamples(readFileSync(join(ROOT, 'docs/auth.md'), 'utf8')),
  ]
}

/** The file an example is written to: `README.md:42` → `README-42.mts` (an ES module, top-level await). */
export function exampleFile(e: DocExample): string {
  return join(EXAMPLES_DIR, `${e.where.replace(/^docs\//, '').replace(/\.md:/, '-')}.mts`)
}

/** The example's code with `cwmp` (and `cwmp/tr181`, `cwmp/tr098`) pointed at the sources. */
export function exampleSource(e: DocExample): string {
  const rel = (target: string) => JSON.stringify(`../../../${target}`)
  return (
    `// Extracted from ${e.where} by test/docs/examples.ts: edit the documentation, not this file.\n` +
    e.code
      .replaceAll(/from (['"])cwmp\1/g, `from ${rel('src/index.js')}`)
      .replaceAll(/from (['"])cwmp\/(tr181|tr098)\1/g, (_m, _q: string, name: string) => `from ${rel(`src/datamodel/${name}.js`)}`)
  )
}

/** Write every example to EXAMPLES_DIR (removing stale ones); returns the files written. */
export function writeExamples(): string[] {
  rmSync(EXAMPLES_DIR, { recursive: true, force: true })
  mkdirSync(EXAMPLES_DIR, { recursive: true })
  return allExamples().map((e) => {
    const file = exampleFile(e)
    writeFileSync(file, exampleSource(e))
    return file
  })
}
