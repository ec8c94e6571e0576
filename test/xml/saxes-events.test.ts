/**
 * The saxes producer (streaming and reference): the costly shapes of issue 9 item 5 cost what
 * plain text costs. maxAttributes stops a huge attribute list at the attribute that crosses it,
 * before the tag is complete; a comment's text is not kept (saxes appended a string for every
 * lone `-`, near 1 GB of heap for a 30 MB comment of `-x` pairs).
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import { SaxesParser } from 'saxes'
import { describe, expect, it } from 'vitest'
import { DecodeError } from '../../src/index.js'
import { DEFAULT_LIMITS, type XmlHandler } from '../../src/xml/events.js'
import { createXmlEventReader, keepNoCommentText } from '../../src/xml/saxes-events.js'

function counter(): XmlHandler & { starts: number; texts: string[] } {
  const h = {
    starts: 0,
    texts: [] as string[],
    startElement() {
      h.starts++
    },
    text(t: string) {
      h.texts.push(t)
    },
    endElement() {
      return false
    },
  }
  return h
}

function thrown(f: () => void): DecodeError {
  try {
    f()
  } catch (err) {
    if (err instanceof DecodeError) return err
    throw err
  }
  throw new Error('no error')
}

describe('saxes producer: costly shapes', () => {
  it('an attribute list over maxAttributes is refused at the attribute that crosses it, before the tag ends', () => {
    const reader = createXmlEventReader(DEFAULT_LIMITS, counter())
    reader.write('<r')
    // 64 attributes are fine; the 65th is refused from the write that reads it, the tag still open.
    const one = (i: number): string => ` a${String(i).padStart(5, '0')}="v"`
    for (let i = 0; i < 64; i++) reader.write(one(i))
    const err = thrown(() => {
      for (let i = 64; i < 200_000; i++) reader.write(one(i))
    })
    expect(err.code).toBe('ERR_CWMP_LIMIT_EXCEEDED')
    expect(err.message).toMatch(/more than maxAttributes 64 attributes on <r>/)
    // Where: after the 65th attribute's closing quote (saxes reports an attribute once its value is read).
    expect(err).toMatchObject({ line: 1, column: 2 + 65 * one(0).length + 1 })
  })

  it('a comment of "-x" pairs is read without keeping its text, and stays well-formedness-checked', () => {
    const parser = new SaxesParser({ xmlns: false, position: true })
    expect(keepNoCommentText(parser)).toBe(true) // fails if a saxes upgrade moved the comment states
    parser.write('<r><!--')
    const held = parser as unknown as { text: string }
    for (let i = 0; i < 100; i++) {
      parser.write('-x'.repeat(5_000))
      expect(held.text).toBe('')
    }
    parser.write('--></r>')
    parser.close()

    // Through the reader: the same comments accepted, and the same faults refused, as before.
    const h = counter()
    const reader = createXmlEventReader(DEFAULT_LIMITS, h)
    reader.write('<r>a<!-- -x- -')
    reader.write(' -')
    reader.write('->b<!---->c<!-- - -->d</r>')
    reader.close()
    expect(h.texts.join('')).toBe('abcd')
    for (const [bad, message] of [
      ['<r><!-- a -- b --></r>', /malformed comment/],
      ['<r><!-- a ---></r>', /malformed comment/],
      ['<r><!-- -\u0001 --></r>', /disallowed character/],
      ['<r><!-- -x', /unclosed|unexpected end/],
    ] as const) {
      const err = thrown(() => {
        const r = createXmlEventReader(DEFAULT_LIMITS, counter())
        r.write(bad)
        r.close()
      })
      expect(err.code, bad).toBe('ERR_CWMP_XML_MALFORMED')
      expect(err.message, bad).toMatch(message)
    }
  })
})

describe('the saxes parser keeps fast properties (D425)', () => {
  it('with its seven handlers; an eighth would make it a dictionary-mode object', () => {
    // A property store per handler: past V8's limit the parser's every field is a dictionary lookup,
    // and the streaming decoder ran 7–9× slower. Checked with V8's own predicate, not a timing.
    const script = join(import.meta.dirname, 'scripts/fast-properties.ts')
    const out = JSON.parse(execFileSync(process.execPath, ['--allow-natives-syntax', '--import', 'tsx', script], { encoding: 'utf8' })) as {
      ours: boolean
      withOneMore: boolean
    }
    expect(out).toEqual({ ours: true, withOneMore: false })
  }, 30_000)
})
