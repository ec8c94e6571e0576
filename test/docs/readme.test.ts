// Runs the documentation's code (see test/docs/examples.ts for what is extracted and how): every
// ```ts block of README.md and the opted-in blocks of docs/*.md run in this process, and their stdout
// must match the `<!-- expect -->` block that follows, if any. They are type-checked by `npm test`'s
// `tsc --noEmit`, which sees them in test/docs/.examples/; the first test fails when those files are
// not what the documentation says now (run `npm run docs:examples`, or `npm test`).
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { EXPECT_MARKER, RUN_MARKER, ROOT, allExamples, docExamples, exampleFile, exampleSource } from './examples.js'
import { runExample } from './run-example.js'

const readmePath = join(ROOT, 'README.md')
const examples = allExamples().filter((e) => e.heading === undefined)

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

  it('the type-checked copies in test/docs/.examples are current (npm test writes them before tsc)', () => {
    for (const e of allExamples()) {
      const file = exampleFile(e)
      expect(existsSync(file) ? readFileSync(file, 'utf8') : `missing ${file}`, e.where).toBe(exampleSource(e))
    }
  })

  it.each(examples.map((e) => [e.where, e] as const))('%s runs', async (_where, example) => {
    const { stdout, stderr } = await runExample(exampleFile(example))
    expect(stderr).toBe('')
    if (example.expected !== undefined) expect(stdout.trimEnd()).toBe(example.expected.trimEnd())
  })
})
