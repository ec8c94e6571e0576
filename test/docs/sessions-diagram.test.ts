// docs/sessions.md holds blocks generated from the code (the state diagram from TRANSITIONS via
// sessionDiagram(), the event table from EVENT_RULES): this test fails when they are stale.
// Fix: `npm run docs:sessions`.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { SESSIONS_DOC, eventRulesTable, renderSessionsDoc } from '../../scripts/sessions-diagram.js'
import { EVENT_RULES, TRANSITIONS, sessionDiagram } from '../../src/index.js'

const doc = readFileSync(SESSIONS_DOC, 'utf8')

function block(name: string): string {
  const m = new RegExp(`<!-- generated:${name} -->\\n([\\s\\S]*?)\\n<!-- /generated:${name} -->`).exec(doc)
  if (m === null) throw new Error(`no ${name} block in docs/sessions.md`)
  return m[1] ?? ''
}

describe('docs/sessions.md', () => {
  it('is up to date with TRANSITIONS and EVENT_RULES (run `npm run docs:sessions` if not)', () => {
    expect(doc).toBe(renderSessionsDoc(doc))
  })

  it('draws every transition of the table, with its input', () => {
    const diagram = block('session-diagram')
    const id = (state: string) => state.replaceAll('-', '_')
    for (const [from, row] of Object.entries(TRANSITIONS)) {
      for (const [input, to] of Object.entries(row)) {
        if (input === 'fail' && from !== 'idle') continue // drawn once, with a note
        const label = input.replace(/^(cpe|acs):/, (_m, side: string) => `${side.toUpperCase()} `)
        expect(diagram).toContain(`  ${id(from)} --> ${id(to as string)}: ${label}\n`)
      }
    }
  })

  it('is a diagram Mermaid can lex: ids without "-", one ":" per transition', () => {
    const mermaid = sessionDiagram()
    for (const line of mermaid.split('\n').slice(1)) {
      const edge = /^ {2}(\S+) --> (\S+)(: (.*))?$/.exec(line)
      if (edge === null) {
        expect(line).toMatch(/^ {2}(state "[^"]+" as [^\s\-:{]+|note (left|right) of [^\s\-:]+: [^:;]+)$/)
        continue
      }
      expect(edge[1]).toMatch(/^(\[\*\]|[^\s\-:{]+)$/)
      expect(edge[2]).toMatch(/^(\[\*\]|[^\s\-:{]+)$/)
      expect(edge[4] ?? '').not.toMatch(/[:;]/)
    }
  })

  it('lists every Table 8 code of EVENT_RULES', () => {
    expect(block('event-rules')).toBe(eventRulesTable())
    for (const code of Object.keys(EVENT_RULES)) expect(block('event-rules')).toContain(`| \`${code}\` |`)
  })

  it('notices a stale block', () => {
    const stale = doc.replace('  idle --> inform_sent: CPE inform\n', '')
    expect(stale).not.toBe(doc)
    expect(renderSessionsDoc(stale)).toBe(doc)
    expect(() => renderSessionsDoc(doc.replace('<!-- /generated:event-rules -->', ''))).toThrow(/event-rules/)
  })
})
