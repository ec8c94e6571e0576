/*
 * The envelope's consumer of XML events (xml/events.ts): it builds the element tree the envelope
 * decoder walks, except for the items of the method's SOAP arrays (ParameterList, …), which it
 * decodes as each one closes and does not keep.
 *
 * Lean reading (issue 11):
 * - The elements of an item that will be decoded on close come from a pool of nodes reused for
 *   every item: a 10,000-parameter response allocates the nodes of one
 *   ParameterValueStruct, not 10,000 trees. A decoded value never holds an element (codecs copy
 *   text, and warnings copy positions), so reusing them is safe; an item that is kept after all
 *   (strict mode, below) is copied out of the pool first.
 * - Strict mode decodes items while reading too. Its error must be the first deviation in document
 *   order, as when it read the whole tree first: so the first item that fails is kept in the tree
 *   with every element after it, items stop being decoded, and the envelope decoder meets the
 *   deviation again when it reaches it, after everything that precedes it.
 * - An item may be handed to `DecodeContext.itemSink` instead of being kept (the streaming decoder).
 * - Most items never become events: the scanner offers each to `readRaw`, and the raw readers
 *   (raw-items.ts, D29) read the usual forms straight from the text; everything else comes here as
 *   events, as above.
 */
import { DecodeError } from '../errors.js'
import type { DecodeLimits, NsScope, XmlAttr, XmlHandler } from '../xml/events.js'
import type { XmlElement } from '../xml/reader.js'
import { NS, versionOfNamespace } from '../types/version.js'
import { newEarlyItems, type DecodeContext, type DecodeWarning, type EarlyItems } from '../rpc/context.js'
import { decodeArrayItem, type ArrayField, type Item, type MethodCodec } from '../rpc/schema.js'
import { parameterValueStruct } from '../rpc/parameter-value-codec.js'
import { RawElements, RawParameterValues, rawShape, type RawShape } from './raw-items.js'

/** An element of the tree, writable (pool nodes are refilled). */
interface Node {
  ns: string
  local: string
  attrs: XmlAttr[] | undefined
  children: XmlElement[]
  text: string
  scope: NsScope
  line: number
  column: number
}

/** Shared by every element without children outside the pool. */
const NO_CHILDREN: XmlElement[] = []

/** Any character that is not XML whitespace. */
const NOT_XML_SPACE = /[^ \t\r\n]/

/** Depth of the method element (Envelope 1, Body 2) and of an item of one of its arrays. */
const METHOD_DEPTH = 3
const ITEM_DEPTH = 5

/** @internal */
export class EnvelopeTree implements XmlHandler {
  /** The root element, once it has started. */
  root: XmlElement | undefined
  /** The Body's method element: its first child in a cwmp namespace. */
  method: XmlElement | undefined
  /** Called when the method element starts (its namespace gives the version). */
  onMethod: ((method: XmlElement) => void) | undefined
  /** When false, nothing is decoded while reading: the whole tree is kept. */
  eager = true
  readonly #ctx: DecodeContext
  readonly #codecOf: (el: XmlElement) => MethodCodec | undefined
  readonly #stack: Node[] = []
  #arrays: ReadonlyMap<string, ArrayField> | undefined
  /** The array field of the item being read, when it is decoded on close. */
  #itemField: ArrayField | undefined
  /** Reused nodes for the elements of the item being read, in document order (0 is the item). */
  readonly #pool: Node[] = []
  /** How many pool nodes the item being read uses. */
  #used = 0
  /** The array element of the last item decoded on close. */
  #itemArray: Node | undefined
  /** The array the last item went to, and its record (saves a lookup per item). */
  #lastArray: XmlElement | undefined
  #lastItems: EarlyItems | undefined
  /** How many items were read straight from the text and kept (both raw readers): for tests. */
  rawKept = 0
  /** Items' parent depth: the arrays' (XmlHandler.readRaw). */
  readonly rawDepth = ITEM_DEPTH - 1
  /** The element readRaw last looked at, and its array field when its items may be read raw. */
  #rawParent: Node | undefined
  #rawField: ArrayField | undefined
  /** The form RawElements expects of its items; undefined for ParameterValueStructs, which RawParameterValues reads. */
  #rawShape: RawShape | undefined
  #raw: RawParameterValues | undefined
  #rawElements: RawElements | undefined
  /** Where an item read by RawElements puts its warnings while it is decoded: it is kept only without any. */
  readonly #quiet: DecodeWarning[] = []

  constructor(ctx: DecodeContext, codecOf: (el: XmlElement) => MethodCodec | undefined) {
    this.#ctx = ctx
    this.#codecOf = codecOf
  }

  startElement(ns: string, local: string, attrs: XmlAttr[] | undefined, scope: NsScope, line: number, column: number): void {
    const stack = this.#stack
    const depth = stack.length + 1
    const parent = stack[depth - 2]
    if (depth === ITEM_DEPTH) this.#itemField = this.#itemFieldOf(parent as Node)
    let el: Node
    if (depth >= ITEM_DEPTH && this.#itemField !== undefined) {
      if (depth === ITEM_DEPTH) {
        this.#used = 0
        this.#itemArray = parent
      }
      let n = this.#pool[this.#used]
      if (n === undefined) {
        n = { ns, local, attrs, children: [], text: '', scope, line, column }
        this.#pool.push(n)
      } else {
        n.ns = ns
        n.local = local
        n.attrs = attrs
        // pop() is inlined; setting length is a runtime call, and was 4% of decoding a large list (D24).
        const children = n.children
        while (children.length !== 0) children.pop()
        n.text = ''
        n.scope = scope
        n.line = line
        n.column = column
      }
      this.#used++
      el = n
    } else {
      el = { ns, local, attrs, children: NO_CHILDREN, text: '', scope, line, column }
    }
    if (parent === undefined) this.root = el
    else if (parent.children === NO_CHILDREN) parent.children = [el]
    else parent.children.push(el)
    stack.push(el)
    if (depth === METHOD_DEPTH) this.#methodStarts(el, parent as Node)
  }

  text(text: string): void {
    const el = this.#stack[this.#stack.length - 1] as Node
    if (el.text.length === 0) el.text = text
    else if (el !== this.#itemArray) el.text = el.text + text
    // The array whose items are decoded on close: its text only tells whether it has any that is not
    // whitespace (TEXT_IGNORED), so keep one piece that tells the same, not the whitespace between
    // every item (a pretty-printed 100,000-item list would hold all of it).
    else if (!NOT_XML_SPACE.test(el.text)) el.text = text
  }

  endElement(): boolean {
    const stack = this.#stack
    const el = stack.pop() as Node
    if (stack.length + 1 !== ITEM_DEPTH || this.#itemField === undefined) return false
    const f = this.#itemField
    this.#itemField = undefined
    const array = stack[ITEM_DEPTH - 2] as Node
    array.children.pop()
    if (this.#decodeItem(f, array, el)) return true
    // Strict mode: keep the item (copied out of the pool) and everything after it as a tree.
    array.children.push(copy(el))
    return false
  }

  /**
   * Read an item of one of the method's arrays straight from the text (raw-items.ts, D29), into the
   * array's record as {@link EnvelopeTree.endElement} would; -1 when the raw readers cannot take it,
   * and the scanner reads it.
   */
  readRaw(xml: string, lt: number, scope: NsScope, elementsLeft: number, depthLeft: number, limits: DecodeLimits): number {
    const parent = this.#stack[ITEM_DEPTH - 2] as Node
    if (parent !== this.#rawParent) {
      this.#rawParent = parent
      const f = this.#itemFieldOf(parent)
      const values = f !== undefined && f.itemEl === 'ParameterValueStruct' && f.item.kind === 'custom' && f.item.codec === parameterValueStruct
      // RawElements reads text, or elements of text: a struct with an array or a struct inside (the
      // AccessList of SetParameterAttributesStruct) would cost a failed read per item.
      this.#rawField = f !== undefined && (values || isFlat(f.item)) ? f : undefined
      this.#rawShape = this.#rawField !== undefined && !values ? shapeOf(this.#rawField) : undefined
    }
    const f = this.#rawField
    // An item sink is the streaming decoder's, which reads with saxes: it never calls readRaw.
    if (f === undefined || !this.eager || !rawItems || this.#ctx.itemSink !== undefined) return -1
    const shape = this.#rawShape
    if (shape === undefined) {
      const raw = (this.#raw ??= new RawParameterValues())
      const item = raw.read(xml, lt, scope, elementsLeft, depthLeft, limits)
      if (item === undefined) return -1
      this.#itemArray = parent
      const array = this.#itemsOf(parent)
      array.items.push(item)
      array.count++
      this.rawKept++
      return raw.end
    }
    const raw = (this.#rawElements ??= new RawElements())
    const el = raw.read(xml, lt, scope, elementsLeft, depthLeft, limits, shape)
    if (el === undefined || !this.#decodeQuietly(f, parent, el)) return -1
    this.#itemArray = parent
    this.rawKept++
    return raw.end
  }

  /**
   * Decode an item read by RawElements as the generic path would, and keep it only when that raised
   * no warning and no error; otherwise undo it all, and the scanner reads the item again, so that
   * the warning or error is reported with its position.
   */
  #decodeQuietly(f: ArrayField, parent: XmlElement, el: XmlElement): boolean {
    const array = this.#itemsOf(parent)
    const quiet = this.#quiet
    const { nameWarned, count } = array
    const items = array.items.length
    if (this.#decode(f, array, parent, el, quiet) === undefined && quiet.length === 0) return true
    quiet.length = 0
    array.items.length = items
    array.count = count
    array.nameWarned = nameWarned
    this.#ctx.lexical = undefined
    return false
  }

  /**
   * Decode one item into `array`, the record of `parent`, with its warnings put in `warnings` and
   * the context's path set as the envelope decoder would have it; returns the DecodeError it threw.
   */
  #decode(f: ArrayField, array: EarlyItems, parent: XmlElement, el: XmlElement, warnings: DecodeWarning[]): DecodeError | undefined {
    const ctx = this.#ctx
    const path = ctx.path
    while (path.length !== 0) path.pop()
    path.push('Envelope', 'Body', (this.method as XmlElement).local, parent.local)
    ctx.divert = warnings
    try {
      decodeArrayItem(f, array, el, ctx)
      return undefined
    } catch (err) {
      if (!(err instanceof DecodeError)) throw err
      return err
    } finally {
      ctx.divert = undefined
      while (path.length !== 0) path.pop()
    }
  }

  /** The method's SOAP arrays by element name, once the method element has started. */
  get arrays(): ReadonlyMap<string, ArrayField> | undefined {
    return this.#arrays
  }

  #methodStarts(el: Node, parent: Node): void {
    if (parent.local !== 'Body' || parent.ns !== NS.soapEnv || this.method !== undefined) return
    const v = versionOfNamespace(el.ns)
    if (v === undefined) return
    this.method = el
    this.#arrays = this.#codecOf(el)?.arrayFields
    this.#ctx.version = v === '1.3' || v === '1.4' ? '1.2' : v
    if (this.onMethod !== undefined) this.onMethod(el)
  }

  /** The field of the array `parent` when its child about to start is an item to decode on close. */
  #itemFieldOf(parent: Node): ArrayField | undefined {
    if (!this.eager || this.#arrays === undefined || this.#stack[METHOD_DEPTH - 1] !== this.method) return undefined
    const f = this.#arrays.get(parent.local)
    if (f === undefined || (parent.ns !== '' && versionOfNamespace(parent.ns) === undefined)) return undefined
    return f
  }

  /** The record of the items of `parent`, made on its first item. */
  #itemsOf(parent: XmlElement): EarlyItems {
    let array = parent === this.#lastArray ? this.#lastItems : this.#ctx.early.get(parent)
    if (array === undefined) {
      array = newEarlyItems()
      this.#ctx.early.set(parent, array)
    }
    this.#lastArray = parent
    this.#lastItems = array
    return array
  }

  /** Decode one item into its array's record; false when strict mode must meet it again later. */
  #decodeItem(f: ArrayField, parent: XmlElement, el: XmlElement): boolean {
    const array = this.#itemsOf(parent)
    const nameWarned = array.nameWarned
    // Warnings wait with the items until the traversal reaches the array (document order).
    const err = this.#decode(f, array, parent, el, array.warnings)
    if (err === undefined) return true
    if (!this.#ctx.strict) throw err
    array.nameWarned = nameWarned // the decoder reports it again when it meets the item
    this.eager = false
    return false
  }
}

let rawItems = true

const SHAPES = new WeakMap<ArrayField, RawShape>()

/** The expected form of a flat item (raw-items.ts), made once per array field. */
function shapeOf(f: ArrayField): RawShape {
  let shape = SHAPES.get(f)
  if (shape === undefined) {
    shape = rawShape(f.itemEl, f.item.kind === 'struct' ? f.item.struct.fields.map((x) => ({ el: x.el, optional: x.kind === 'single' && x.optional === true })) : [])
    SHAPES.set(f, shape)
  }
  return shape
}

/** An item of text (a scalar), or a struct of scalars only. */
function isFlat(item: Item): boolean {
  return item.kind === 'scalar' || (item.kind === 'struct' && item.struct.fields.every((f) => f.kind === 'single' && f.item.kind === 'scalar'))
}

/**
 * Whether array items may be read straight from the text (D29; on by default). For the
 * differential test of the two ways, which must decode alike. @internal
 */
export function useRawItems(on: boolean): void {
  rawItems = on
}

/** A copy of a pool node and its subtree that the pool will not overwrite. */
function copy(n: XmlElement): XmlElement {
  const children = n.children.length === 0 ? NO_CHILDREN : n.children.map(copy)
  return { ns: n.ns, local: n.local, attrs: n.attrs, children, text: n.text, scope: n.scope, line: n.line, column: n.column }
}
