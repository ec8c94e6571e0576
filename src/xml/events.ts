/**
 * The XML event interface: what an XML producer (the scanner `scanner.ts` for whole messages, or the
 * saxes reader `saxes-events.ts`, the reference) reports
 * to a consumer (the tree builder of `reader.ts`, and through its hooks the envelope decoder), and
 * what every producer shares: the input limits and the namespace scopes.
 *
 * A producer checks well-formedness, namespace well-formedness and every limit while reading, and
 * reports elements with their names and attribute names already resolved. A consumer only builds
 * what it needs from the events; it never sees a prefix it would have to resolve, except inside
 * QName-valued content (`xsi:type="xsd:int"`), which it resolves with {@link lookupPrefix} in the
 * element's scope.
 *
 * @module
 */

import { NS } from '../types/version.js'

/** The namespace the `xml` prefix is bound to. @internal */
export const XML_NS = 'http://www.w3.org/XML/1998/namespace'
/** The namespace of namespace declarations. @internal */
export const XMLNS_NS = 'http://www.w3.org/2000/xmlns/'

/**
 * Limits applied while reading untrusted XML (the `limits` of {@link DecodeOptions}). Exceeding one
 * throws a {@link DecodeError} with code `ERR_CWMP_LIMIT_EXCEEDED`.
 *
 * @category Codec
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

/** Defaults for {@link DecodeLimits}: generous for real CWMP traffic, small enough for untrusted peers. @internal */
export const DEFAULT_LIMITS: DecodeLimits = {
  maxBytes: 32 * 1024 * 1024,
  maxDepth: 64,
  maxElements: 500_000,
  maxTextLength: 4 * 1024 * 1024,
  maxAttributes: 64,
}

/** In-scope namespace bindings: a map per element that declares any, chained to its parent's. @internal */
export interface NsScope {
  readonly parent: NsScope | undefined
  readonly bindings: ReadonlyMap<string, string>
  /** The default namespace in scope ('' for none), resolved once per scope. */
  readonly defaultNs: string
}

/** The scope outside the root element: only `xml` and `xmlns` are bound. @internal */
export const ROOT_SCOPE: NsScope = {
  parent: undefined,
  bindings: new Map([
    ['xml', XML_NS],
    ['xmlns', XMLNS_NS],
  ]),
  defaultNs: '',
}

/** An attribute with its namespace resolved. @internal */
export interface XmlAttr {
  readonly ns: string
  readonly local: string
  readonly value: string
}

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
 * What an XML producer reports, in document order. Events come only for the root element and what
 * it contains (whitespace, comments and processing instructions outside it are not reported), and
 * only for input that is well-formed so far: a producer throws a {@link DecodeError} at the first
 * error, before reporting anything past it. Positions are 1-based; a start tag's position is the
 * end of the tag, which is what warnings and errors about an element cite.
 *
 * @internal
 */
export interface XmlHandler {
  /**
   * An element starts.
   *
   * @param ns - namespace URI of the element, '' for none
   * @param local - local name
   * @param attrs - attributes other than namespace declarations, names resolved and unique;
   *   `undefined` when there are none
   * @param scope - the namespace bindings in scope, for QName-valued content such as `xsi:type`
   * @param line - line of the end of the start tag
   * @param column - column of the end of the start tag
   */
  startElement(ns: string, local: string, attrs: XmlAttr[] | undefined, scope: NsScope, line: number, column: number): void
  /**
   * Character data (text, CDATA, references already replaced) directly inside the innermost open
   * element. The data of one element may come in several pieces, interleaved with its children.
   */
  text(text: string): void
  /**
   * The innermost open element ends. Return true when the consumer no longer holds the element and
   * its subtree (it has mapped them to a value): they then stop counting towards `maxElements`,
   * which bounds what is held at once, not the size of the document.
   */
  endElement(): boolean
  /**
   * Optional: read a whole element straight from the text, without events (D29). A producer that
   * supports it (the scanner, for input without CR, surrogates or disallowed characters) calls it at
   * each start tag whose parent is at depth {@link XmlHandler.rawDepth}, before reading the tag. The
   * handler either reads the element, which must be well-formed, namespace-well-formed and within
   * `limits` given `elementsLeft` more elements and `depthLeft` more levels, and returns the index
   * after its end tag; or returns -1 having done nothing, and the producer reads it as usual (so
   * that every error and warning is the usual one). An element read this way counts as consumed
   * (as when {@link XmlHandler.endElement} returns true).
   */
  readRaw?(xml: string, lt: number, scope: NsScope, elementsLeft: number, depthLeft: number, limits: DecodeLimits): number
  /** The depth of the parent of the elements {@link XmlHandler.readRaw} is offered (1 for the root's children). */
  readonly rawDepth?: number
}

/**
 * Bind `prefix` to `uri` in `bindings`, refusing what Namespaces in XML 1.0 forbids (the `xmlns`
 * prefix, `xml` bound elsewhere, the XML or XMLNS namespace under another prefix, a prefix bound to
 * the empty namespace); `fail` reports it. Shared by both producers of events. @internal
 */
export function declarePrefix(bindings: Map<string, string>, prefix: string, uri: string, fail: (message: string) => never): void {
  if (prefix === 'xmlns') fail('the xmlns prefix cannot be declared')
  if (prefix === 'xml' && uri !== XML_NS) fail(`the xml prefix must be bound to ${XML_NS}`)
  if (prefix !== 'xml' && uri === XML_NS) fail('the xml namespace cannot be bound to another prefix')
  if (uri === XMLNS_NS) fail('the xmlns namespace cannot be bound')
  if (prefix !== '' && uri === '') fail(`prefix ${prefix} cannot be bound to the empty namespace`)
  if (prefix.includes(':')) fail(`invalid namespace prefix ${prefix}`)
  bindings.set(prefix, KNOWN_NAMESPACES.get(uri) ?? uri)
}

/**
 * The namespaces CWMP uses, each mapped to the constant of {@link NS}: a declared URI is replaced by
 * it once per declaration, so that the decoder's comparisons with `NS.*` (one per element and
 * attribute) find the same string object instead of comparing characters (D24).
 */
const KNOWN_NAMESPACES: ReadonlyMap<string, string> = new Map(Object.values(NS).map((uri) => [uri, uri]))

/**
 * The namespace URI of the prefix of `qname` (its first `:` at `colon`), refusing a malformed
 * qualified name or an unbound prefix through `fail`. Shared by both producers of events. @internal
 */
export function resolvePrefix(qname: string, colon: number, scope: NsScope, fail: (message: string) => never): string {
  const prefix = qname.slice(0, colon)
  if (colon === 0 || colon === qname.length - 1 || qname.indexOf(':', colon + 1) !== -1) {
    fail(`${qname} is not a valid qualified name`)
  }
  const uri = lookupPrefix(scope, prefix)
  if (uri === undefined) fail(`namespace prefix ${prefix} is not bound`)
  return uri as string
}
