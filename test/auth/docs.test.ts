// Runs every ```ts block of docs/auth.md in this process and checks its output against the ```text
// block that follows it (extraction: test/docs/examples.ts; type-checked by `npm test`'s tsc).
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ROOT, allExamples, exampleFile } from '../docs/examples.js'
import { runExample } from '../docs/run-example.js'

const markdown = readFileSync(join(ROOT, 'docs/auth.md'), 'utf8')
const found = allExamples().filter((e) => e.heading !== undefined)

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

  it.each(found.map((e) => [e.heading, e] as const))('%s runs and prints the documented output', async (_h, example) => {
    expect(example.code).toMatch(/from 'cwmp'/)
    const { stdout, stderr } = await runExample(exampleFile(example))
    expect(stderr).toBe('')
    expect(stdout.trim()).toBe((example.expected ?? '').trim())
  })
})
