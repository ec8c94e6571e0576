/**
 * Pretty printing of XML for logs: indentation only.
 *
 * @module
 */

/**
 * Options of {@link formatXml}.
 *
 * @category Transports
 */
export interface FormatXmlOptions {
  /** One level of indentation. Default two spaces. */
  readonly indent?: string
  /** The line break inserted before an indented tag. Default `\n`. */
  readonly eol?: string
}

/**
 * Indent XML for display (for example the SOAP messages of a session on a console).
 *
 * The only change ever made is to insert `eol` followed by `indent` repeated to the nesting depth
 * between two pieces of markup that touch (`><`). Text, attribute values, comments, CDATA sections
 * and processing instructions are left exactly as they are, an element with text (`<a>x</a>`) or
 * nothing (`<a></a>`) between its tags stays on one line, and existing whitespace is kept and not
 * added to. Deleting the inserted strings therefore always gives back the input, for any input:
 * malformed XML is indented as far as it can be read and the rest is copied unchanged. Never throws.
 *
 * Inserted whitespace is a text node to an XML parser; CWMP decoders ignore whitespace between
 * elements, but do not feed pretty output to a parser that keeps it.
 *
 * @param xml - the XML text
 * @param options - indentation and line break strings
 * @returns the indented text
 *
 * @example
 * ```ts
 * formatXml('<a><b>1</b><c/></a>')
 * // '<a>\n  <b>1</b>\n  <c/>\n</a>'
 * ```
 *
 * @category Transports
 */
export function formatXml(xml: string, options: FormatXmlOptions = {}): string {
  const indent = options.indent ?? '  '
  const eol = options.eol ?? '\n'
  let out = ''
  let depth = 0
  let i = 0
  // The kind of the token that ended right where the current position is (no text in between).
  let previous: 'none' | 'open' | 'other' = 'none'
  const n = xml.length
  while (i < n) {
    if (xml.charCodeAt(i) !== 0x3c /* < */) {
      const next = xml.indexOf('<', i)
      const end = next < 0 ? n : next
      out += xml.slice(i, end)
      i = end
      previous = 'none'
      continue
    }
    const end = markupEnd(xml, i)
    if (end < 0) {
      // Unterminated markup: copy the rest as it is.
      out += xml.slice(i)
      break
    }
    if (end <= i + 1 || xml.charCodeAt(end - 1) !== 0x3e /* > */) {
      // A `<` that starts no markup (another `<` comes before its `>`): it is text.
      out += xml.slice(i, end)
      i = end
      previous = 'none'
      continue
    }
    const token = xml.slice(i, end)
    const kind = tokenKind(token)
    if (kind === 'close') depth = Math.max(0, depth - 1)
    // `<a></a>` stays together: a line break there would give the element a whitespace value.
    if (previous === 'other' || (previous === 'open' && kind !== 'close')) {
      out += eol + indent.repeat(depth)
    }
    out += token
    if (kind === 'open') depth += 1
    previous = kind === 'open' ? 'open' : 'other'
    i = end
  }
  return out
}

type TokenKind = 'open' | 'close' | 'empty' | 'special'

function tokenKind(token: string): TokenKind {
  const c = token.charAt(1)
  if (c === '/') return 'close'
  if (c === '!' || c === '?') return 'special'
  return token.endsWith('/>') ? 'empty' : 'open'
}

/**
 * Index just past the markup that starts at `start` (a `<`); -1 when nothing after it ends it; for
 * a tag interrupted by another `<`, the index of that `<` (the caller copies the span as text).
 */
function markupEnd(xml: string, start: number): number {
  if (xml.startsWith('<!--', start)) return after(xml, '-->', start + 4)
  if (xml.startsWith('<![CDATA[', start)) return after(xml, ']]>', start + 9)
  if (xml.startsWith('<?', start)) return after(xml, '?>', start + 2)
  if (xml.startsWith('<!', start)) {
    // <!DOCTYPE …> with an optional [internal subset]; quoted strings may hold > and [ ].
    let bracket = 0
    let quote = ''
    for (let j = start + 2; j < xml.length; j++) {
      const ch = xml.charAt(j)
      if (quote !== '') {
        if (ch === quote) quote = ''
      } else if (ch === '"' || ch === "'") quote = ch
      else if (ch === '[') bracket += 1
      else if (ch === ']') bracket = Math.max(0, bracket - 1)
      else if (ch === '>' && bracket === 0) return j + 1
    }
    return -1
  }
  // A tag: `>` inside a quoted attribute value does not end it.
  let quote = ''
  for (let j = start + 1; j < xml.length; j++) {
    const ch = xml.charAt(j)
    if (quote !== '') {
      if (ch === quote) quote = ''
    } else if (ch === '"' || ch === "'") quote = ch
    else if (ch === '>') return j + 1
    else if (ch === '<') return j
  }
  return -1
}

function after(xml: string, terminator: string, from: number): number {
  const k = xml.indexOf(terminator, from)
  return k < 0 ? -1 : k + terminator.length
}
