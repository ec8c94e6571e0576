/*
 * XML reader: text → a small element tree with resolved namespaces.
 *
 * The tree is built from XML events (events.ts) of the scanner (scanner.ts), which checks
 * well-formedness and every limit; saxes-events.ts is the reference producer the scanner is tested against. Hooks let a consumer map a
 * subtree to a value as soon as it closes and drop it from the tree, so that a list of thousands of
 * items never exists as a tree; the tree knows nothing of what the consumer does with it.
 */
import type { NsScope, XmlAttr, XmlHandler, DecodeLimits } from './events.js'
import { scanXmlEvents } from './scanner.js'

/** An element of the tree. @internal */
export interface XmlElement {
  /** Namespace URI, '' when none. */
  readonly ns: string
  /** Local name. */
  readonly local: string
  /** Attributes other than namespace declarations; `undefined` when there are none. */
  readonly attrs: XmlAttr[] | undefined
  /** Child elements in document order (never mutate: leaves share one empty array). */
  children: XmlElement[]
  /** The concatenated character data (text and CDATA) directly inside the element. */
  text: string
  /** Namespace bindings in scope, to resolve QName-valued content such as `xsi:type`. */
  readonly scope: NsScope
  /** 1-based line of the start tag's end. */
  readonly line: number
  /** 1-based column of the start tag's end. */
  readonly column: number
}

/** Shared by every element without children (most of them): saves an array per leaf. */
const NO_CHILDREN: XmlElement[] = []

/**
 * Hooks that let a consumer turn subtrees into values as soon as they close, so a list of
 * thousands of items never exists as a tree (bounded memory, less garbage).
 *
 * @internal
 */
export interface ReadHooks {
  /** An element was opened (and appended to its parent); `depth` is 1 for the root. */
  onOpen(el: XmlElement, parent: XmlElement | undefined, depth: number): void
  /** An element was closed; return true when it was consumed and must not stay in `parent.children`. */
  onClose(el: XmlElement, parent: XmlElement, depth: number): boolean
}

/**
 * Builds the element tree from XML events.
 *
 * @internal
 */
export class TreeBuilder implements XmlHandler {
  /** The root element, once it has started. */
  root: XmlElement | undefined
  readonly #stack: XmlElement[] = []
  #current: XmlElement | undefined
  readonly #hooks: ReadHooks | undefined

  constructor(hooks?: ReadHooks) {
    this.#hooks = hooks
  }

  startElement(ns: string, local: string, attrs: XmlAttr[] | undefined, scope: NsScope, line: number, column: number): void {
    const el: XmlElement = { ns, local, attrs, children: NO_CHILDREN, text: '', scope, line, column }
    const parent = this.#current
    if (parent === undefined) this.root = el
    else if (parent.children === NO_CHILDREN) parent.children = [el]
    else parent.children.push(el)
    this.#stack.push(el)
    if (this.#hooks !== undefined) this.#hooks.onOpen(el, parent, this.#stack.length)
    this.#current = el
  }

  text(text: string): void {
    const el = this.#current as XmlElement
    el.text = el.text.length === 0 ? text : el.text + text
  }

  endElement(): boolean {
    const stack = this.#stack
    const el = stack.pop() as XmlElement
    const parent = stack[stack.length - 1]
    this.#current = parent
    if (this.#hooks !== undefined && parent !== undefined && this.#hooks.onClose(el, parent, stack.length + 1)) {
      parent.children.pop()
      return true
    }
    return false
  }
}

/**
 * Read `xml` into an element tree, or throw a {@link DecodeError}.
 *
 * @internal
 */
export function readXml(xml: string, limits: DecodeLimits, hooks?: ReadHooks): XmlElement {
  const tree = new TreeBuilder(hooks)
  scanXmlEvents(xml, limits, tree)
  return tree.root as XmlElement
}
