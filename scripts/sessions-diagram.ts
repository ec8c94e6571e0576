/**
 * Regenerates the generated blocks of docs/sessions.md from the code:
 *
 * - the Mermaid state diagram, from `sessionDiagram()` (itself generated from `TRANSITIONS`);
 * - the event table, from `EVENT_RULES` (TR-069 Table 8 as the CPE agent applies it).
 *
 * Usage: `npm run docs:sessions` to rewrite the file, `npm run docs:sessions -- --check` to fail
 * (exit 1) when it is stale. test/docs/sessions-diagram.test.ts runs the same check.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { EVENT_RULES } from '../src/types/catalogue.js'
import { sessionDiagram } from '../src/session/state.js'

/** docs/sessions.md, absolute. */
export const SESSIONS_DOC = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'docs/sessions.md')

/** The event table: one row per code of {@link EVENT_RULES}. */
export function eventRulesTable(): string {
  const rows = Object.entries(EVENT_RULES).map(([code, rule]) => {
    const afterFailure = rule.retry === 'never' ? 'dropped' : 'kept'
    const afterReboot = rule.retry === 'until-delivered' ? 'kept' : 'dropped'
    return `| \`${code}\` | ${rule.cumulative} | ${rule.deliveredBy} | ${rule.retry} | ${afterFailure} | ${afterReboot} |`
  })
  return [
    '| Event code | Cumulative | Delivered by | Retry policy | After a failed session | After a reboot |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n')
}

const BLOCKS: Readonly<Record<string, () => string>> = {
  'session-diagram': () => `\`\`\`mermaid\n${sessionDiagram()}\n\`\`\``,
  'event-rules': eventRulesTable,
}

/**
 * The document with every generated block (between `<!-- generated:NAME -->` and
 * `<!-- /generated:NAME -->`) replaced by its current content.
 *
 * @param markdown - the document
 * @throws Error when a block's markers are missing or repeated
 */
export function renderSessionsDoc(markdown: string): string {
  let out = markdown
  for (const [name, render] of Object.entries(BLOCKS)) {
    const open = `<!-- generated:${name} -->`
    const close = `<!-- /generated:${name} -->`
    const start = out.indexOf(open)
    const end = out.indexOf(close)
    if (start === -1 || end < start || out.indexOf(open, start + 1) !== -1) {
      throw new Error(`docs/sessions.md needs exactly one ${open} … ${close} block`)
    }
    out = `${out.slice(0, start + open.length)}\n${render()}\n${out.slice(end)}`
  }
  return out
}

function main(args: readonly string[]): number {
  const current = readFileSync(SESSIONS_DOC, 'utf8')
  const next = renderSessionsDoc(current)
  if (args.includes('--check')) {
    if (next === current) return 0
    console.error('docs/sessions.md is stale: run `npm run docs:sessions`')
    return 1
  }
  if (next !== current) writeFileSync(SESSIONS_DOC, next)
  console.log(next === current ? 'docs/sessions.md is up to date' : 'docs/sessions.md regenerated')
  return 0
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2))
}
