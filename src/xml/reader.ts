/*
 * XML reader: text → a small element tree with resolved namespaces.
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

const XML_NS = 'http://www.w3.org/XML/1998/namespace'
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/'

/**
 * Limits applied while reading untrusted XML (the `limits` of {@link DecodeOptions}). Exceeding one
 * throws a {@link DecodeError} with code `ERR_CWMP_LIMIT_EXCEEDED`.
 */
export interface DecodeLimits {
  /** Maximum input size: bytes for byte input, UTF-16 code units for string input. */
  readonly maxBytes: number
  /** Maximum element nesting depth. */
  readonly maxDepth: number
  /**
   * Maximum number of elements held at once: array items the decoder maps while reading (the
   * ParameterList of a large response) stop counting once mapped, so this bounds memory, not size.
   */
  readonly maxElements: number
  /** Maximum length of the character data of one element, in UTF-16 code units. */
  readonly maxTextLength: number
  /** Maximum number of attributes (namespace declarations included) on one element. */
  readonly maxAttributes: number
}

/** Defaults for {@link DecodeLimits}: generous for real CWMP traffic, small enough for untrusted peers. */
export const DEFAULT_LIMITS: DecodeLimits = {
  maxBytes: 32 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 500_000,
  maxTextLength: 4 * 1024 * 1024,
  maxAttributes: 64,
}

/** In-scope namespace bindings: a map per element that declares any, chained to its parent's. */
export interface NsScope {
  readonly parent: NsScope | undefined
  readonly bindings: ReadonlyMap<string, string>
  /** The default namespace in scope ('' for none), resolved once per scope. */
  readonly defaultNs: string
}

/** An attribute with its namespace resolved. */
export interface XmlAttr {
  readonly ns: string
  readonly local: string
  readonly value: string
}

/** An element of the tree. */
export interface XmlElement {
  /** Namespace URI, '' when none. */
  readonly ns: string
  /** Local name. */
  readonly local: string
  /** Attributes other than namespace declarations; `undefined` when there are none. */
  attrs: XmlAttr[] | undefined
  /** Child elements in document order (never mutate: leaves share one empty array). */
  children: XmlElement[]
  /** The concatenated character data (text and CDATA) directly inside the element. */
  text: string
  /** Array items already decoded while reading (see {@link ReadHooks}); their elements are gone. */
  items?: unknown[]
  /** Warnings of items decoded while reading, reported when the decoder reaches this element. */
  deferredWarnings?: unknown[]
  /** Set once an array item with an unexpected name was reported. */
  itemNameWarned?: boolean
  /** Namespace bindings in scope, to resolve QName-valued content such as `xsi:type`. */
  readonly scope: NsScope
  /** 1-based line of the start tag's end. */
  readonly line: number
  /** 1-based column of the start tag's end. */
  readonly column: number
}

const ROOT_SCOPE: NsScope = {
  parent: undefined,
  bindings: new Map([
    ['xml', XML_NS],
    ['xmlns', XMLNS_NS],
  ]),
  defaultNs: '',
}

/** Shared by every element without children (most of them): saves an array per leaf. */
const NO_CHILDREN: XmlElement[] = []

/**
 * Resolve a prefix ('' for the default namespace) in a scope; `undefined` when unbound.
 *
 * @internal
 */
export function lookupPrefix(scope: NsScope | undefined, prefix: string): string | undefined {
  for (let s = scope; s !== undefined; s = s.parent) {
    const uri = s.bindings.get(prefix)
    if (uri !== undefined) return uri
  }
  return undefined
}

/**
 * Hooks that let the decoder turn subtrees into values as soon as they close, so a list of
 * thousands of items never exists as a tree (bounded memory, less garbage).
 *
 * @internal
 */
export interface ReadHooks {
  /** An element was opened; `depth` is 1 for the root. */
  onOpen(el: XmlElement, parent: XmlElement | undefined, depth: number): void
  /** An element was closed; return true when it was consumed and must not stay in `parent.children`. */
  onClose(el: XmlElement, parent: XmlElement, depth: number): boolean
}

/**
 * Read `xml` into an element tree, or throw a {@link DecodeError}.
 *
 * @internal
 */
export function readXml(xml: string, limits: DecodeLimits, hooks?: ReadHooks): XmlElement {
  if (xml.length > limits.maxBytes) {
    throw new DecodeError(
      'ERR_CWMP_LIMIT_EXCEEDED',
      `input of ${xml.length} characters exceeds maxBytes ${limits.maxBytes}`,
    )
  }
  const parser = new SaxesParser({ xmlns: false, position: true, forceXMLVersion: true, defaultXMLVersion: '1.0' })
  const stack: XmlElement[] = []
  /** For each open element, the element count before it opened. */
  const counts: number[] = []
  let root: XmlElement | undefined
  let current: XmlElement | undefined
  let elements = 0
  const { maxDepth, maxElements, maxTextLength, maxAttributes } = limits

  const fail = (message: string): never => {
    throw new DecodeError('ERR_CWMP_XML_MALFORMED', message, { line: parser.line, column: parser.column + 1 })
  }
  const limit = (message: string): never => {
    throw new DecodeError('ERR_CWMP_LIMIT_EXCEEDED', message, { line: parser.line, column: parser.column + 1 })
  }

  parser.on('error', (err: Error) => {
    // saxes prefixes its messages with "line:column: "; keep the text, our fields carry the position.
    const text = err.message.replace(/^\d+:\d+: /, '')
    fail(text)
  })
  parser.on('doctype', () => {
    throw new DecodeError(
      'ERR_CWMP_DOCTYPE',
      'document type declarations are not allowed in a SOAP message',
      { line: parser.line, column: parser.column + 1 },
    )
  })
  parser.on('opentag', (tag: SaxesTagPlain) => {
    counts.push(elements)
    if (++elements > maxElements) limit(`more than maxElements ${maxElements} elements`)
    if (stack.length >= maxDepth) limit(`nesting deeper than maxDepth ${maxDepth}`)
    const parentScope = current === undefined ? ROOT_SCOPE : current.scope
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
        declare(scope.bindings as Map<string, string>, prefix, attributes[name] as string, fail)
        if (prefix === '') (scope as { defaultNs: string }).defaultNs = attributes[name] as string
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
      for (const name in attributes) {
        if (name === 'xmlns' || name.startsWith('xmlns:')) continue
        const c = name.indexOf(':')
        const a: XmlAttr =
          c === -1
            ? { ns: '', local: name, value: attributes[name] as string }
            : { ns: resolvePrefix(name, c, scope, fail), local: name.slice(c + 1), value: attributes[name] as string }
        for (const b of attrs) if (a.local === b.local && a.ns === b.ns) fail(`duplicate attribute {${a.ns}}${a.local}`)
        attrs.push(a)
      }
    }
    const el: XmlElement = {
      ns,
      local,
      attrs,
      children: NO_CHILDREN,
      text: '',
      scope,
      line: parser.line,
      column: parser.column + 1,
    }
    if (current === undefined) root = el
    else if (current.children === NO_CHILDREN) current.children = [el]
    else current.children.push(el)
    stack.push(el)
    if (hooks !== undefined) hooks.onOpen(el, current, stack.length)
    current = el
  })
  parser.on('closetag', () => {
    const el = stack.pop() as XmlElement
    const before = counts.pop() as number
    current = stack[stack.length - 1]
    if (hooks !== undefined && current !== undefined && hooks.onClose(el, current, stack.length + 1)) {
      current.children.pop()
      elements = before // the element and its subtree are gone
    }
  })
  const onText = (text: string): void => {
    if (current === undefined) return // whitespace outside the root element
    const t = current.text.length === 0 ? text : current.text + text
    if (t.length > maxTextLength) limit(`character data longer than maxTextLength ${maxTextLength}`)
    current.text = t
  }
  parser.on('text', onText)
  parser.on('cdata', onText)
  parser.write(xml).close()
  if (root === undefined) fail('no root element')
  return root as XmlElement
}

function declare(
  bindings: Map<string, string>,
  prefix: string,
  uri: string,
  fail: (message: string) => never,
): void {
  if (prefix === 'xmlns') fail('the xmlns prefix cannot be declared')
  if (prefix === 'xml' && uri !== XML_NS) fail(`the xml prefix must be bound to ${XML_NS}`)
  if (prefix !== 'xml' && uri === XML_NS) fail('the xml namespace cannot be bound to another prefix')
  if (uri === XMLNS_NS) fail('the xmlns namespace cannot be bound')
  if (prefix !== '' && uri === '') fail(`prefix ${prefix} cannot be bound to the empty namespace`)
  if (prefix.includes(':')) fail(`invalid namespace prefix ${prefix}`)
  bindings.set(prefix, uri)
}

function resolvePrefix(qname: string, colon: number, scope: NsScope, fail: (message: string) => never): string {
  const prefix = qname.slice(0, colon)
  if (colon === 0 || colon === qname.length - 1 || qname.indexOf(':', colon + 1) !== -1) {
    fail(`${qname} is not a valid qualified name`)
  }
  const uri = lookupPrefix(scope, prefix)
  if (uri === undefined) fail(`namespace prefix ${prefix} is not bound`)
  return uri as string
}
