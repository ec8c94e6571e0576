/*
 * The saxes producer of XML events (events.ts): text → events with resolved namespaces.
 *
 * saxes checks well-formedness; it runs with `xmlns: false` because CWMP needs namespaces resolved
 * on elements and on a few attributes only, and resolving them here is cheaper than letting saxes
 * build namespace records for every attribute (measured: docs/decisions.md). This file still makes
 * the reader namespace-well-formed: every prefix must be bound, QNames have one colon at most, the
 * reserved prefixes cannot be rebound and expanded attribute names are unique.
 *
 * Untrusted input: a DOCTYPE is rejected when it is seen (so no entity is ever defined or
 * expanded), and every limit is checked while parsing, so a 200,000-deep nesting stops at
 * `maxDepth` without recursion.
 */
import { SaxesParser, type SaxesTagPlain } from 'saxes'
import { DecodeError } from '../errors.js'
import { ROOT_SCOPE, declarePrefix, resolvePrefix, type DecodeLimits, type NsScope, type XmlAttr, type XmlHandler } from './events.js'

/** The parts of saxes 6's parser {@link keepNoCommentText} replaces (not in its typings). */
interface SaxesCommentStates {
  stateTable: ((this: SaxesCommentStates) => void)[]
  state: number
  text: string
  sComment(): void
  sCommentEnding(): void
  getCodeNorm(): number
  captureToChar(char: number): boolean
}

const MINUS = 0x2d

/**
 * Make saxes keep no comment text (we never ask for it). saxes collects a comment's text by
 * appending a string for every `-` not followed by another, so a comment of `-x` pairs cost about
 * 300–400 ms a MB and, for 30 MB, near 1 GB of heap (issue 9 item 5). The two comment states are
 * replaced on this parser only by the same transitions without the text: `sComment` reads to the
 * next `-` (checking every character, as before), `sCommentEnding` goes to the comment's end on a
 * second `-` and back into the comment on anything else (`getCodeNorm` still checks it is an XML
 * character). Written against saxes 6.0.0; if a later saxes moves these states the parser is left
 * as it is (correct, slower), and a test fails (D438).
 *
 * @returns whether the states were replaced
 * @internal
 */
export function keepNoCommentText(parser: SaxesParser): boolean {
  const p = parser as unknown as SaxesCommentStates
  const table = p.stateTable
  const comment = table.indexOf(p.sComment)
  const ending = table.indexOf(p.sCommentEnding)
  if (comment === -1 || ending !== comment + 1) return false // another saxes: keep its own states
  const ended = ending + 1
  table[comment] = function sComment(this: SaxesCommentStates): void {
    if (this.captureToChar(MINUS)) this.state = ending
    this.text = ''
  }
  table[ending] = function sCommentEnding(this: SaxesCommentStates): void {
    this.state = this.getCodeNorm() === MINUS ? ended : comment
  }
  return true
}

/**
 * Read `xml` with saxes and report it to `handler`, or throw a {@link DecodeError}.
 *
 * @internal
 */
export function readXmlEvents(xml: string, limits: DecodeLimits, handler: XmlHandler): void {
  if (xml.length > limits.maxBytes) {
    throw new DecodeError(
      'ERR_CWMP_LIMIT_EXCEEDED',
      `input of ${xml.length} characters exceeds maxBytes ${limits.maxBytes}`,
    )
  }
  const reader = createXmlEventReader(limits, handler)
  reader.write(xml)
  reader.close()
}

/** Text in pieces → XML events: see {@link createXmlEventReader}. @internal */
export interface XmlEventReader {
  /** Read the next piece of the document (a piece may end anywhere, even inside a name). */
  write(text: string): void
  /** The document is complete: check that it is, or throw. */
  close(): void
  /** The saxes parser, for the test that it keeps fast properties (D425). */
  readonly parser: SaxesParser
}

/**
 * Read a document given in pieces with saxes and report it to `handler` as it is read, or throw a
 * {@link DecodeError} from `write` or `close`. The caller checks `maxBytes` (it knows the bytes).
 *
 * @internal
 */
export function createXmlEventReader(limits: DecodeLimits, handler: XmlHandler): XmlEventReader {
  const parser = new SaxesParser({ xmlns: false, position: true, forceXMLVersion: true, defaultXMLVersion: '1.0' })
  /** For each open element, its namespace scope. */
  const scopes: NsScope[] = []
  /** For each open element, the element count before it opened. */
  const counts: number[] = []
  /** For each open element but the innermost, the length of its character data so far. */
  const textLengths: number[] = []
  /** The scope of the innermost open element (ROOT_SCOPE outside the root). */
  let current: NsScope = ROOT_SCOPE
  let textLength = 0
  let elements = 0
  let sawRoot = false
  const { maxDepth, maxElements, maxTextLength, maxAttributes } = limits

  const fail = (message: string): never => {
    throw new DecodeError('ERR_CWMP_XML_MALFORMED', message, { line: parser.line, column: parser.column + 1 })
  }
  const limit = (message: string): never => {
    throw new DecodeError('ERR_CWMP_LIMIT_EXCEEDED', message, { line: parser.line, column: parser.column + 1 })
  }

  // No 'error' handler: without one saxes throws its error, which guard() turns into ours. Seven
  // handlers at most: saxes stores each with a keyed store on the parser, and the eighth turned it
  // into a dictionary-mode object (V8's limit on properties added that way), which made the
  // streaming decoder read a 1,000-parameter response in 12.5–17.9 ms instead of 1.9 (D425).
  parser.on('doctype', () => {
    throw new DecodeError(
      'ERR_CWMP_DOCTYPE',
      'document type declarations are not allowed in a SOAP message',
      { line: parser.line, column: parser.column + 1 },
    )
  })
  // maxAttributes is checked as each attribute is read, not once the tag is complete: saxes costs
  // about 5 µs an attribute, so a 10 MB attribute list took seconds before its `opentag` (D438).
  let tagAttributes = 0
  let tagName = ''
  parser.on('opentagstart', (tag) => {
    tagAttributes = 0
    tagName = tag.name
  })
  parser.on('attribute', () => {
    if (++tagAttributes > maxAttributes) limit(`more than maxAttributes ${maxAttributes} attributes on <${tagName}>`)
  })
  keepNoCommentText(parser)
  parser.on('opentag', (tag: SaxesTagPlain) => {
    counts.push(elements)
    if (++elements > maxElements) limit(`more than maxElements ${maxElements} elements`)
    if (scopes.length >= maxDepth) limit(`nesting deeper than maxDepth ${maxDepth}`)
    const parentScope = current
    const attributes = tag.attributes
    let scope = parentScope
    let others = 0
    let count = 0
    // First pass: namespace declarations (they apply to the element's own name and attributes).
    for (const name in attributes) {
      if (++count > maxAttributes) limit(`more than maxAttributes ${maxAttributes} attributes on <${tag.name}>`)
      if (name === 'xmlns' || name.startsWith('xmlns:')) {
        if (scope === parentScope) scope = { parent: parentScope, bindings: new Map(), defaultNs: parentScope.defaultNs }
        const prefix = name === 'xmlns' ? '' : name.slice(6)
        if (name !== 'xmlns' && prefix === '') fail('xmlns: declares no prefix')
        declarePrefix(scope.bindings as Map<string, string>, prefix, attributes[name] as string, fail)
        if (prefix === '') (scope as { defaultNs: string }).defaultNs = scope.bindings.get('') as string
      } else {
        others++
      }
    }
    const qname = tag.name
    const colon = qname.indexOf(':')
    let ns: string
    let local: string
    if (colon === -1) {
      ns = scope.defaultNs
      local = qname
    } else {
      ns = resolvePrefix(qname, colon, scope, fail)
      local = qname.slice(colon + 1)
    }
    let attrs: XmlAttr[] | undefined
    if (others !== 0) {
      attrs = []
      let expanded: Set<string> | undefined
      for (const name in attributes) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) continue
        const c = name.indexOf(':')
        const a: XmlAttr =
          c === -1
            ? { ns: '', local: name, value: attributes[name] as string }
            : { ns: resolvePrefix(name, c, scope, fail), local: name.slice(c + 1), value: attributes[name] as string }
        // Unprefixed names are unique already (saxes checks raw names): compare prefixed ones only, in a Set.
        if (c !== -1) {
          const key = `{${a.ns}}${a.local}`
          if (expanded === undefined) expanded = new Set()
          else if (expanded.has(key)) fail(`duplicate attribute ${key}`)
          expanded.add(key)
        }
        attrs.push(a)
      }
    }
    sawRoot = true
    scopes.push(scope)
    current = scope
    if (scopes.length !== 1) textLengths.push(textLength)
    textLength = 0
    handler.startElement(ns, local, attrs, scope, parser.line, parser.column + 1)
  })
  parser.on('closetag', () => {
    scopes.pop()
    const before = counts.pop() as number
    current = scopes.length === 0 ? ROOT_SCOPE : (scopes[scopes.length - 1] as NsScope)
    textLength = scopes.length === 0 ? 0 : (textLengths.pop() as number)
    if (handler.endElement()) elements = before // the element and its subtree are gone
  })
  const onText = (text: string): void => {
    if (scopes.length === 0) return // whitespace outside the root element
    const length = textLength + text.length
    if (length > maxTextLength) limit(`character data longer than maxTextLength ${maxTextLength}`)
    textLength = length
    handler.text(text)
  }
  parser.on('text', onText)
  parser.on('cdata', onText)
  // saxes throws its errors (there is no 'error' handler), and a RangeError of its own on some inputs
  // (a lone surrogate after `<!`). It prefixes its messages with "line:column: "; the text is kept,
  // our fields carry the position.
  const guard = (run: () => void): void => {
    try {
      run()
    } catch (err) {
      if (err instanceof DecodeError) throw err
      fail((err instanceof Error ? err.message : String(err)).replace(/^\d+:\d+: /, ''))
    }
  }
  return {
    parser,
    write(text: string): void {
      guard(() => parser.write(text))
    },
    close(): void {
      guard(() => parser.close())
      if (!sawRoot) fail('no root element')
    },
  }
}


