/**
 * Declarative message schemas: one description per message drives both decoding and encoding.
 *
 * A schema is an object of fields keyed by the properties of the message or struct type it
 * describes ({@link Fields}), written in the XSD `xs:sequence` order, which the encoder emits. The
 * type checks it: a field for a property the type lacks, a property without a field, or a field
 * whose scalar, struct or codec decodes to another type than its property's does not compile
 * (`test/codec/schema-types.cases.ts`). Decoding matches children by local name, in any order, and
 * reports every deviation from the schema through the context (a warning in lenient mode, an error
 * in strict mode).
 *
 * @module
 */
import { NS, type CwmpVersion, compareVersions } from '../types/version.js'
import { lookupPrefix } from '../xml/events.js'
import type { XmlElement } from '../xml/reader.js'
import { escapeAttr, escapeText, InvalidXmlCharacter, needsEscape } from '../xml/writer.js'
import {
  copyLexical,
  hasLexical,
  keepLexical,
  keptLexical,
  newEarlyItems,
  type DecodeContext,
  type DecodeWarning,
  type EarlyItems,
  type EncodeContext,
  type LexicalEntry,
} from './context.js'
import type { Scalar } from './scalars.js'

/** The string being built by an encoder. @internal */
export interface Out {
  s: string
}

/** A hand-written codec for one element (used for array items and special fields). @internal */
export interface ElementCodec<T> {
  decode(el: XmlElement, ctx: DecodeContext): T
  /** Write the element named `el` holding `value`. */
  encode(value: T, el: string, out: Out, ctx: EncodeContext): void
  /**
   * The compiled form of `encode` (D22): the element named `el` for `value`, built without path
   * bookkeeping. It may throw on anything `encode` would refuse (the generic walk then reports it
   * with its path) and may leave a text unescaped only by passing it to `unchecked`.
   */
  compile?(el: string): ValueEncoder
}

/**
 * A compiled encoder of one value: its whole element. On the success path it keeps no path and
 * builds no error text; anything wrong throws (what it throws is not reported: the generic walk
 * runs again and throws the error with its path, D22). @internal
 */
export type ValueEncoder = (value: unknown, ctx: EncodeContext) => string

/** A compiled encoder of the fields of a struct or message: their elements in sequence order. @internal */
export type FieldsEncoder = (props: Readonly<Record<string, unknown>>, ctx: EncodeContext) => string

/**
 * How an item or a field's value is represented; `V` is the value it decodes to (and encodes from).
 *
 * @internal
 */
export type Item<V = unknown> =
  | { readonly kind: 'scalar'; readonly type: Scalar<V> }
  | { readonly kind: 'struct'; readonly struct: StructSpec<V> }
  | { readonly kind: 'custom'; readonly codec: ElementCodec<V> }

interface SpecBase<V> {
  /** Element name on the wire. */
  readonly el: string
  /** May be absent. */
  readonly optional: boolean
  /** The value (or the array item) representation. */
  readonly item: Item<V>
}

/** A single element holding a `V`. @internal */
export interface SingleSpec<V> extends SpecBase<V> {
  readonly kind: 'single'
}

/** A SOAP-encoded array of `V`: one element with `soap-enc:arrayType`, holding items. @internal */
export interface ArraySpec<V> extends SpecBase<V> {
  readonly kind: 'array'
  /** Element name of each item. */
  readonly itemEl: string
  /** Namespace URI of the item type named in `arrayType` (a cwmp namespace is written `cwmp`). */
  readonly typeNs: 'cwmp' | typeof NS.xsd | typeof NS.soapEnc
  /** Local name of the item type named in `arrayType`. */
  readonly typeLocal: string
  readonly min: number
  readonly max: number
}

/** An element holding a `V` that may repeat (`maxOccurs` > 1) without an array wrapper. @internal */
export interface RepeatSpec<V> extends SpecBase<V> {
  readonly kind: 'repeat'
  readonly min: number
  readonly max: number
}

/**
 * The field for a property of type `V`: a single element, or for a list an array or a repeated
 * element of its items.
 *
 * @internal
 */
export type FieldSpec<V> = SingleSpec<V> | (V extends readonly (infer U)[] ? ArraySpec<U> | RepeatSpec<U> : never)

/**
 * The fields of a struct or message of type `T`, in `xs:sequence` order: one for every property,
 * keyed by it, so that a misspelt or a missing property, or a field whose codec decodes to another
 * type than the property's, does not compile.
 *
 * @internal
 */
export type Fields<T> = { readonly [K in keyof T]-?: FieldSpec<Exclude<T[K], undefined>> }

/** A single element, with the property it is read into. @internal */
export interface SingleField extends SingleSpec<unknown> {
  /** Property name in the message object. */
  readonly key: string
}

/** A SOAP-encoded array, with the property it is read into. @internal */
export interface ArrayField extends ArraySpec<unknown> {
  /** Property name in the message object. */
  readonly key: string
}

/** A repeated element, with the property it is read into. @internal */
export interface RepeatField extends RepeatSpec<unknown> {
  /** Property name in the message object. */
  readonly key: string
}

/** One field of a struct or a method. @internal */
export type Field = SingleField | ArrayField | RepeatField

/** A complex type that decodes to a `T`: its fields in sequence order. @internal */
export interface StructSpec<T = unknown> {
  readonly name: string
  readonly fields: readonly Field[]
  readonly index: ReadonlyMap<string, number>
  /**
   * Never set: it makes the type of the value part of the spec's type, so that a spec cannot be
   * used where a struct of another type is expected.
   */
  readonly value?: T
}

/**
 * Build the spec of a struct from its fields, in sequence order (the order of `fields`).
 *
 * @internal
 */
export function struct<T>(name: string, fields: Fields<T>): StructSpec<T> {
  const list: Field[] = []
  for (const [key, spec] of Object.entries(fields) as [string, SingleSpec<unknown> | ArraySpec<unknown> | RepeatSpec<unknown>][]) {
    list.push({ ...spec, key })
  }
  return { name, fields: list, index: elementIndex(list) }
}

/**
 * Build the spec of a struct from fields described at run time (vendor methods); its value type
 * is not checked.
 *
 * @internal
 */
export function structOfFields(name: string, fields: readonly Field[]): StructSpec {
  return { name, fields, index: elementIndex(fields) }
}

function elementIndex(fields: readonly Field[]): ReadonlyMap<string, number> {
  return new Map(fields.map((f, i) => [f.el, i]))
}

type Opt = { readonly optional?: boolean }

/** Field builders: each one's value type is that of its scalar, struct, codec or items. @internal */
export const field = {
  scalar<V>(el: string, type: Scalar<V>, opt: Opt = {}): SingleSpec<V> {
    return { kind: 'single', el, optional: opt.optional === true, item: { kind: 'scalar', type } }
  },
  struct<V>(el: string, spec: StructSpec<V>, opt: Opt = {}): SingleSpec<V> {
    return { kind: 'single', el, optional: opt.optional === true, item: { kind: 'struct', struct: spec } }
  },
  custom<V>(el: string, codec: ElementCodec<V>, opt: Opt = {}): SingleSpec<V> {
    return { kind: 'single', el, optional: opt.optional === true, item: { kind: 'custom', codec } }
  },
  array<V>(
    el: string,
    itemEl: string,
    arrayType: string,
    item: Item<V>,
    bounds: { readonly min?: number; readonly max?: number } = {},
  ): ArraySpec<V> {
    const [prefix, local] = arrayType.split(':') as [string, string]
    const typeNs = prefix === 'cwmp' ? 'cwmp' : prefix === 'xsd' ? NS.xsd : NS.soapEnc
    return {
      kind: 'array',
      el,
      optional: false,
      item,
      itemEl,
      typeNs,
      typeLocal: local,
      min: bounds.min ?? 0,
      max: bounds.max ?? Number.POSITIVE_INFINITY,
    }
  },
  repeat<V>(el: string, item: Item<V>, bounds: { readonly min: number; readonly max?: number }): RepeatSpec<V> {
    return {
      kind: 'repeat',
      el,
      optional: bounds.min === 0,
      item,
      min: bounds.min,
      max: bounds.max ?? Number.POSITIVE_INFINITY,
    }
  },
}

const CWMP_NAMESPACES = new Set<string>([NS.cwmp10, NS.cwmp11, NS.cwmp12, NS.cwmp13, NS.cwmp14])

/** True for a cwmp namespace URI (1-0 … 1-4). @internal */
export function isCwmpNamespace(uri: string): boolean {
  return CWMP_NAMESPACES.has(uri)
}

const XML_WS = /[^ \t\r\n]/

/** Report character data in element-only content (TEXT_IGNORED), unless it is white space. @internal */
export function ignoreText(el: XmlElement, ctx: DecodeContext): void {
  if (el.text.length !== 0 && XML_WS.test(el.text)) ctx.warn('TEXT_IGNORED', `text inside <${el.local}> ignored`, el)
}

/** What attributes an element may carry. @internal */
export type AttrPolicy = 'none' | 'array' | 'value' | 'operation'

/**
 * Report attributes the schema does not allow on an element. Returns the `xsi:type` QName text
 * when the policy allows one, and the `arrayType` text for arrays.
 *
 * @internal
 */
export function checkAttrs(
  el: XmlElement,
  policy: AttrPolicy,
  ctx: DecodeContext,
): { xsiType?: string; arrayType?: string } {
  const found: { xsiType?: string; arrayType?: string } = {}
  if (el.attrs === undefined) return found
  for (const a of el.attrs) {
    if (a.ns === NS.xsi && a.local === 'type') {
      if (policy === 'value' || policy === 'operation') found.xsiType = a.value
      else ctx.warn('XSI_TYPE_UNEXPECTED', `xsi:type="${a.value}" on <${el.local}> ignored`, el)
    } else if (a.ns === NS.soapEnc && a.local === 'arrayType') {
      if (policy === 'array') found.arrayType = a.value
      else ctx.warn('UNKNOWN_ELEMENT', `soap-enc:arrayType on <${el.local}> ignored`, el)
    } else if (a.ns === NS.soapEnv && a.local === 'encodingStyle') {
      ctx.warn('ENCODING_STYLE', `encodingStyle on <${el.local}> ignored`, el)
    } else if (a.ns === NS.xsi && a.local === 'nil') {
      ctx.warn('UNKNOWN_ELEMENT', `xsi:nil on <${el.local}> ignored`, el)
    } else {
      ctx.warn('UNKNOWN_ELEMENT', `attribute {${a.ns}}${a.local} on <${el.local}> ignored`, el)
    }
  }
  return found
}

/** Decode the text of a scalar element. @internal */
export function decodeScalar<T>(type: Scalar<T>, el: XmlElement, ctx: DecodeContext): T {
  if (el.attrs !== undefined) checkAttrs(el, 'none', ctx)
  if (el.children.length !== 0) ctx.invalid(`<${el.local}> must hold text, not elements`, el)
  return type.decode(el.text, el, ctx)
}

function decodeItem(item: Item, el: XmlElement, ctx: DecodeContext): unknown {
  switch (item.kind) {
    case 'scalar':
      return decodeScalar(item.type, el, ctx)
    case 'struct':
      if (el.attrs !== undefined) checkAttrs(el, 'none', ctx)
      return decodeStruct(item.struct, el, ctx)
    case 'custom':
      return item.codec.decode(el, ctx)
  }
}

/** Warn about a qualified child; return false when it is in a foreign namespace (to be skipped). */
function childNamespaceOk(child: XmlElement, ctx: DecodeContext): boolean {
  if (child.ns === '') return true
  if (isCwmpNamespace(child.ns)) {
    ctx.warn('QUALIFIED_CHILD', `<${child.local}> is namespace-qualified`, child)
    return true
  }
  ctx.warn('UNKNOWN_ELEMENT', `<{${child.ns}}${child.local}> ignored`, child)
  return false
}

/**
 * Decode the children of `el` according to `spec` into a plain object, keys in sequence order.
 *
 * @internal
 */
export function decodeStruct<T>(spec: StructSpec<T>, el: XmlElement, ctx: DecodeContext): T {
  const { fields, index } = spec
  const slots: (XmlElement | XmlElement[] | undefined)[] = new Array(fields.length)
  let last = -1
  let outOfOrder = false
  for (const child of el.children) {
    if (child.ns !== '' && !childNamespaceOk(child, ctx)) continue
    const i = index.get(child.local)
    if (i === undefined) {
      ctx.warn('UNKNOWN_ELEMENT', `<${child.local}> is not part of ${spec.name}`, child, child.local)
      continue
    }
    const f = fields[i] as Field
    if (i < last && !outOfOrder) {
      outOfOrder = true
      ctx.warn('ELEMENT_ORDER', `<${child.local}> is out of sequence in ${spec.name}`, child, child.local)
    }
    last = i
    const slot = slots[i]
    if (f.kind === 'repeat') {
      if (slot === undefined) slots[i] = [child]
      else (slot as XmlElement[]).push(child)
    } else if (slot === undefined) {
      slots[i] = child
    } else {
      ctx.warn('DUPLICATE_ELEMENT', `<${child.local}> occurs more than once; the first is used`, child, child.local)
    }
  }
  ignoreText(el, ctx)
  const out: Record<string, unknown> = {}
  const path = ctx.path
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as Field
    const slot = slots[i]
    if (slot === undefined) {
      if (f.kind === 'repeat' ? f.min > 0 : !f.optional) {
        const empty = f.kind === 'single' && f.item.kind === 'scalar' ? f.item.type.empty : undefined
        if (empty === undefined || ctx.strict) ctx.missing(f.el, el)
        ctx.warn('ELEMENT_MISSING', `missing <${f.el}> read as empty`, el, f.el)
        out[f.key] = empty
      }
      continue
    }
    if (f.kind === 'repeat') {
      const items = slot as XmlElement[]
      if (items.length > f.max) ctx.warn('FACET', `more than ${f.max} <${f.el}> elements`, el, f.el)
      const values = new Array<unknown>(items.length)
      for (let j = 0; j < items.length; j++) {
        path.push(f.el)
        values[j] = decodeItem(f.item, items[j] as XmlElement, ctx)
        if (ctx.lexical !== undefined) takeLexical(values, String(j), ctx)
        path.pop()
      }
      out[f.key] = values
      continue
    }
    const child = slot as XmlElement
    path.push(f.el)
    out[f.key] = f.kind === 'array' ? decodeArray(f, child, ctx) : decodeItem(f.item, child, ctx)
    if (ctx.lexical !== undefined) takeLexical(out, f.key, ctx)
    path.pop()
  }
  // The one place the decoded object becomes a T: `struct<T>` checked the fields against T (one per
  // property, each decoding to the property's type), and every required one is set above.
  return out as T
}

/** Keep the text of the scalar just decoded on its container (D26); the context's slot is cleared. */
function takeLexical(container: object, key: string, ctx: DecodeContext): void {
  keepLexical(container, key, ctx.lexical as LexicalEntry)
  ctx.lexical = undefined
}

const ARRAY_TYPE = /^\s*(?:([^:\s[\]]+):)?([^:\s[\]]+)\s*\[\s*(\d*)\s*\]\s*$/

/**
 * Decode one item of a SOAP array into `array.items` (used while reading, and for the items left).
 *
 * @internal
 */
export function decodeArrayItem(f: ArrayField, array: EarlyItems, child: XmlElement, ctx: DecodeContext): void {
  if (child.ns !== '' && !childNamespaceOk(child, ctx)) return
  if (child.local !== f.itemEl && !array.nameWarned) {
    array.nameWarned = true
    ctx.warn('ARRAY_ITEM_NAME', `array item <${child.local}> where <${f.itemEl}> is expected`, child)
  }
  ctx.path.push(child.local)
  const sink = ctx.itemSink
  if (sink === undefined || !sink.takes(f)) {
    array.items.push(decodeItem(f.item, child, ctx))
  } else {
    // The item's warnings go with it, so that nothing per item is kept.
    const list = ctx.divert ?? ctx.warnings
    const before = list.length
    const item = decodeItem(f.item, child, ctx)
    const warnings = list.length === before ? NO_WARNINGS : list.splice(before)
    sink.take(f.key, item, array.count, warnings)
  }
  array.count++
  ctx.path.pop()
}

const NO_WARNINGS: readonly DecodeWarning[] = []

function decodeArray(f: ArrayField, el: XmlElement, ctx: DecodeContext): unknown[] {
  const { arrayType } = el.attrs === undefined ? {} : checkAttrs(el, 'array', ctx)
  const early = ctx.early.get(el)
  if (early !== undefined) for (const w of early.warnings) ctx.warnings.push(w) // no push(...): any number of them
  const array: EarlyItems = early ?? newEarlyItems()
  for (const child of el.children) decodeArrayItem(f, array, child, ctx)
  const items = array.items
  const count = array.count
  ignoreText(el, ctx)
  if (arrayType === undefined) {
    ctx.warn('ARRAY_TYPE_MISSING', `<${el.local}> has no soap-enc:arrayType`, el)
  } else {
    const m = ARRAY_TYPE.exec(arrayType)
    if (m === null) {
      ctx.warn('ARRAY_TYPE_MISMATCH', `soap-enc:arrayType "${arrayType}" is not TYPE[SIZE]`, el)
    } else {
      const ns = m[1] === undefined ? lookupPrefix(el.scope, '') : lookupPrefix(el.scope, m[1])
      const typeOk =
        m[2] === f.typeLocal && (f.typeNs === 'cwmp' ? ns !== undefined && isCwmpNamespace(ns) : ns === f.typeNs)
      if (!typeOk) {
        ctx.warn('ARRAY_TYPE_MISMATCH', `soap-enc:arrayType "${arrayType}" does not name ${f.typeLocal}`, el)
      }
      if (m[3] !== '' && Number(m[3]) !== count) {
        ctx.warn('ARRAY_TYPE_MISMATCH', `soap-enc:arrayType "${arrayType}" but ${count} items`, el)
      }
    }
  }
  if (count < f.min) ctx.warn('FACET', `<${el.local}> needs at least ${f.min} item(s)`, el)
  if (count > f.max) ctx.warn('FACET', `<${el.local}> allows at most ${f.max} items`, el)
  return items
}

/** Decode an element with no content (an empty method). @internal */
export function decodeEmpty(el: XmlElement, ctx: DecodeContext): void {
  for (const child of el.children) ctx.warn('UNKNOWN_ELEMENT', `<${child.local}> ignored`, child, child.local)
  if (el.text.length !== 0) {
    if (XML_WS.test(el.text)) ctx.warn('TEXT_IGNORED', `text inside <${el.local}> ignored`, el)
    else ctx.warn('WHITESPACE_IN_EMPTY', `whitespace inside the empty <${el.local}>`, el)
  }
}

// ---------------------------------------------------------------------------------------------
// Encoding

/** Escape character data, converting character errors to encode errors. @internal */
export function textOf(s: string, ctx: EncodeContext): string {
  try {
    return escapeText(s)
  } catch (e) {
    if (e instanceof InvalidXmlCharacter) ctx.fail(e.message)
    throw e
  }
}

/** Append escaped character data. @internal */
export function writeText(out: Out, s: string, ctx: EncodeContext): void {
  out.s += textOf(s, ctx)
}

/** Escape an attribute value, converting character errors to encode errors. @internal */
export function attrText(s: string, ctx: EncodeContext): string {
  try {
    return escapeAttr(s)
  } catch (e) {
    if (e instanceof InvalidXmlCharacter) ctx.fail(e.message)
    throw e
  }
}

/** Write `<el>text</el>`. @internal */
export function writeScalar(out: Out, el: string, text: string, ctx: EncodeContext): void {
  out.s += `<${el}>${textOf(text, ctx)}</${el}>`
}

function encodeItem(item: Item, value: unknown, el: string, out: Out, ctx: EncodeContext): void {
  switch (item.kind) {
    case 'scalar': {
      const type = item.type
      const text = type.encode(value, ctx)
      // Booleans and integers encode to digits only: no escape pass for them.
      out.s += `<${el}>${type.xmlSafe === true ? text : textOf(text, ctx)}</${el}>`
      return
    }
    case 'struct':
      if (typeof value !== 'object' || value === null) ctx.fail(`expected an object for ${item.struct.name}`)
      out.s += `<${el}>`
      encodeFields(item.struct.fields, value, out, ctx)
      out.s += `</${el}>`
      return
    case 'custom':
      item.codec.encode(value, el, out, ctx)
  }
}

/** The prefix the encoder uses for an array item type namespace. */
function typePrefix(f: ArraySpec<unknown>): string {
  return f.typeNs === 'cwmp' ? 'cwmp' : f.typeNs === NS.xsd ? 'xsd' : 'soap-enc'
}

/** The whole array element: start tag with its arrayType, the items, end tag. @internal */
export function encodeArray(f: ArraySpec<unknown>, items: readonly unknown[], ctx: EncodeContext): string {
  const start = `<${f.el} soap-enc:arrayType="${typePrefix(f)}:${f.typeLocal}[${items.length}]">`
  const item = f.item
  // An empty array (most access lists) is its two tags: no path slot, no loop.
  if (items.length === 0) return `${start}</${f.el}>`
  const path = ctx.path
  const at = path.length
  path.push(0)
  if (item.kind === 'scalar') {
    const type = item.type
    const open = `<${f.itemEl}>`
    const close = `</${f.itemEl}>`
    let s = start
    for (let i = 0; i < items.length; i++) {
      path[at] = i
      s += open + textOf(type.encode(items[i], ctx), ctx) + close
    }
    path.pop()
    return `${s}</${f.el}>`
  }
  const o: Out = { s: start }
  for (let i = 0; i < items.length; i++) {
    path[at] = i
    encodeItem(item, items[i], f.itemEl, o, ctx)
  }
  path.pop()
  return `${o.s}</${f.el}>`
}

/** Encode `fields` of `value` (a struct or a message) in sequence order. @internal */
export function encodeFields(fields: readonly Field[], value: object, out: Out, ctx: EncodeContext): void {
  const path = ctx.path
  const props = value as Readonly<Record<string, unknown>>
  // One path slot for the field, rewritten per field (nested encoders restore the length they found).
  const at = path.length
  path.push('')
  for (const f of fields) {
    const v = props[f.key]
    path[at] = f.key
    if (v === undefined) {
      if (!f.optional) ctx.fail(`missing required field ${f.key}`)
      continue
    }
    if (f.kind === 'single') {
      // Non-strict: a scalar still holding the value its kept text was read as is written as received (D26).
      const kept = ctx.strict || f.item.kind !== 'scalar' ? undefined : keptLexical(value, f.key, v)
      if (kept === undefined) encodeItem(f.item, v, f.el, out, ctx)
      else writeScalar(out, f.el, kept, ctx)
    } else {
      if (!Array.isArray(v)) ctx.fail(`expected an array for ${f.key}`)
      const items = v as unknown[]
      if (items.length < f.min) ctx.facet(`${f.key} needs at least ${f.min} item(s)`)
      if (items.length > f.max) ctx.facet(`${f.key} allows at most ${f.max} items`)
      if (f.kind === 'array') {
        out.s += encodeArray(f, items, ctx)
      } else {
        path.push(0)
        const lexical = !ctx.strict && f.item.kind === 'scalar' && hasLexical(items)
        for (let i = 0; i < items.length; i++) {
          path[at + 1] = i
          const kept = lexical ? keptLexical(items, String(i), items[i]) : undefined
          if (kept === undefined) encodeItem(f.item, items[i], f.el, out, ctx)
          else writeScalar(out, f.el, kept, ctx)
        }
        path.pop()
      }
    }
  }
  path.pop()
}

// ---------------------------------------------------------------------------------------------
// Compiled encoders (D22): one closure per field, built once from the schema, tags precomputed.

/** Thrown by a compiled encoder where the generic walk would throw: it is never seen outside. */
const RETRY: unique symbol = Symbol('retry')
function retry(): never {
  throw RETRY
}

/**
 * The texts left unescaped are checked when they reach this length (and when the message is done):
 * one check per 32 K characters, and the joined texts stay short-lived (a whole 10,000-parameter list
 * joined once survived into the old generation and cost more than it saved, D22).
 */
const CHECK_EVERY = 32768

/**
 * Add `s` to the texts written as is; they are checked together. Throws when they need escaping,
 * so that the generic walk writes the message. @internal
 */
export function unchecked(s: string, ctx: EncodeContext): string {
  const all = ctx.unchecked + s
  if (all.length < CHECK_EVERY) ctx.unchecked = all
  else if (needsEscape(all)) retry()
  else ctx.unchecked = ''
  return s
}

function compileItem(item: Item, el: string): ValueEncoder {
  const open = `<${el}>`
  const close = `</${el}>`
  switch (item.kind) {
    case 'scalar': {
      const type = item.type
      if (type.xmlSafe === true) return (v, ctx) => open + type.encode(v, ctx) + close
      return (v, ctx) => open + unchecked(type.encode(v, ctx), ctx) + close
    }
    case 'struct': {
      const fields = compiledFields(item.struct.fields)
      return (v, ctx) => {
        if (typeof v !== 'object' || v === null || (!ctx.strict && hasLexical(v))) retry()
        return open + fields(v as Readonly<Record<string, unknown>>, ctx) + close
      }
    }
    case 'custom': {
      const codec = item.codec
      if (codec.compile !== undefined) return codec.compile(el)
      return (v, ctx) => {
        const o: Out = { s: '' }
        codec.encode(v, el, o, ctx)
        return o.s
      }
    }
  }
}

function compileField(f: Field): FieldsEncoder {
  const { key, optional } = f
  if (f.kind === 'single') {
    const enc = compileItem(f.item, f.el)
    return (p, ctx) => {
      const v = p[key]
      if (v === undefined) return optional ? '' : retry()
      return enc(v, ctx)
    }
  }
  const { min, max } = f
  const counted = (n: number, ctx: EncodeContext): void => {
    if ((n < min || n > max) && ctx.strict) retry()
  }
  if (f.kind === 'repeat') {
    const enc = compileItem(f.item, f.el)
    return (p, ctx) => {
      const v = p[key]
      if (v === undefined) return optional ? '' : retry()
      if (!Array.isArray(v) || (!ctx.strict && hasLexical(v))) retry()
      counted(v.length, ctx)
      let s = ''
      for (let i = 0; i < v.length; i++) s += enc(v[i], ctx)
      return s
    }
  }
  const head = `<${f.el} soap-enc:arrayType="${typePrefix(f)}:${f.typeLocal}[`
  const tail = `</${f.el}>`
  const item = f.item
  let enc: ValueEncoder
  if (item.kind === 'scalar' && item.type.xmlSafe !== true) {
    // Scalar items (names, keys) are checked with the message's other texts in one batch.
    const type = item.type
    const open = `<${f.itemEl}>`
    const close = `</${f.itemEl}>`
    enc = (x, ctx) => open + unchecked(type.encode(x, ctx), ctx) + close
  } else {
    enc = compileItem(item, f.itemEl)
  }
  return (p, ctx) => {
    const v = p[key]
    if (v === undefined) return optional ? '' : retry()
    if (!Array.isArray(v)) retry()
    counted(v.length, ctx)
    let s = head + v.length + ']">'
    for (let i = 0; i < v.length; i++) s += enc(v[i], ctx)
    return s + tail
  }
}

let COMPILED = new WeakMap<readonly Field[], FieldsEncoder>()

/**
 * Whether the fields encoders are generated code (D27). False where the platform forbids code from
 * strings (`--disallow-code-generation-from-strings`, a Content-Security-Policy without
 * 'unsafe-eval', some edge runtimes): the closures then do the same work.
 */
let generate = codeFromStringsAllowed()

function codeFromStringsAllowed(): boolean {
  try {
    return (new Function('return 1') as () => unknown)() === 1
  } catch {
    return false
  }
}

/**
 * Use generated encoders (true, the default where allowed) or the closures (false); forgets the
 * encoders built so far. For the tests, which check both against the generic walk. @internal
 */
export function useGeneratedEncoders(on: boolean): void {
  generate = on && codeFromStringsAllowed()
  COMPILED = new WeakMap()
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/

/**
 * The encoder of `fields` as straight-line code, one function per struct (D27). The closures share
 * one body for every field of every struct, so their property loads (`p[key]`) and calls see every
 * shape and every scalar type; generated code has a site per field that sees one. It does what the
 * closures do, no more: the same checks, `retry()` where they retry. Nothing from the schema is
 * pasted into the code but string literals (`JSON.stringify`), identifiers that match IDENTIFIER and
 * finite numbers; everything else (scalar types, nested encoders) is passed in as a constant.
 * Undefined when the code cannot be made.
 */
function generatedFields(fields: readonly Field[]): FieldsEncoder | undefined {
  const consts: unknown[] = []
  const constant = (x: unknown): string => `C[${consts.push(x) - 1}]`
  const literal = (s: string): string => JSON.stringify(s)
  const number = (n: number): string => (Number.isFinite(n) ? String(n) : constant(n))
  const prop = (key: string): string => (IDENTIFIER.test(key) ? `p.${key}` : `p[${literal(key)}]`)
  const item = (it: Item, el: string, v: string): string => {
    switch (it.kind) {
      case 'scalar': {
        const encoded = `${constant(it.type)}.encode(${v}, ctx)`
        return `${literal(`<${el}>`)} + ${it.type.xmlSafe === true ? encoded : `U(${encoded}, ctx)`} + ${literal(`</${el}>`)}`
      }
      case 'struct':
        // The checks of compileItem's struct encoder, inline, around the nested struct's own code.
        return (
          `((typeof ${v} !== 'object' || ${v} === null || (!ctx.strict && H(${v}))) ? R() : ` +
          `${literal(`<${el}>`)} + ${constant(compiledFields(it.struct.fields))}(${v}, ctx) + ${literal(`</${el}>`)})`
        )
      case 'custom':
        return `${constant(compileItem(it, el))}(${v}, ctx)`
    }
  }
  let code = "let s = ''\n"
  fields.forEach((f, i) => {
    const v = `v${i}`
    code += `const ${v} = ${prop(f.key)}\nif (${v} === undefined) {${f.optional ? '' : ' R()'} } else {\n`
    if (f.kind === 'single') {
      code += `s += ${item(f.item, f.el, v)}\n`
    } else {
      code += `if (!Array.isArray(${v})${f.kind === 'repeat' ? ` || (!ctx.strict && H(${v}))` : ''}) R()\n`
      code += `if ((${v}.length < ${number(f.min)} || ${v}.length > ${number(f.max)}) && ctx.strict) R()\n`
      if (f.kind === 'array') {
        code += `s += ${literal(`<${f.el} soap-enc:arrayType="${typePrefix(f)}:${f.typeLocal}[`)} + ${v}.length + ']">'\n`
      }
      const el = f.kind === 'array' ? f.itemEl : f.el
      code += `for (let j = 0; j < ${v}.length; j++) { const x = ${v}[j]; s += ${item(f.item, el, 'x')} }\n`
      if (f.kind === 'array') code += `s += ${literal(`</${f.el}>`)}\n`
    }
    code += '}\n'
  })
  code += 'return s'
  try {
    const make = new Function('C', 'R', 'U', 'H', `'use strict'\nreturn function fields(p, ctx) {\n${code}\n}`) as (
      ...args: unknown[]
    ) => FieldsEncoder
    return make(consts, retry, unchecked, hasLexical)
  } catch {
    return undefined
  }
}

/** The compiled encoder of `fields` (built on first use, then kept with the schema). @internal */
export function compiledFields(fields: readonly Field[]): FieldsEncoder {
  let enc = COMPILED.get(fields)
  if (enc === undefined && generate) {
    enc = generatedFields(fields)
    if (enc !== undefined) COMPILED.set(fields, enc)
  }
  if (enc === undefined) {
    const encs = fields.map(compileField)
    if (encs.length === 0) enc = () => ''
    else if (encs.length === 1) enc = encs[0] as FieldsEncoder
    else {
      enc = (p, ctx) => {
        let s = ''
        for (let i = 0; i < encs.length; i++) s += (encs[i] as FieldsEncoder)(p, ctx)
        return s
      }
    }
    COMPILED.set(fields, enc)
  }
  return enc
}

/** The compiled encoder of a struct's element `el`, for a custom codec's `compile`. @internal */
export function compileStruct(spec: StructSpec<unknown>, el: string): ValueEncoder {
  return compileItem({ kind: 'struct', struct: spec }, el)
}

/**
 * Encode `fields` of `value` with their compiled encoder; when it throws, or a text it left unescaped
 * needs escaping, the generic walk writes them instead (and throws its error with its path).
 *
 * @internal
 */
export function encodeFieldsFast(fields: readonly Field[], value: object, out: Out, ctx: EncodeContext): void {
  const at = ctx.path.length
  if (!ctx.strict && hasLexical(value)) {
    encodeFields(fields, value, out, ctx) // it writes kept texts back (D26)
    return
  }
  let s: string | undefined
  ctx.unchecked = ''
  try {
    s = compiledFields(fields)(value as Readonly<Record<string, unknown>>, ctx)
    if (ctx.unchecked !== '' && needsEscape(ctx.unchecked)) s = undefined
  } catch {
    s = undefined
  }
  ctx.unchecked = ''
  if (s !== undefined) {
    out.s += s
    return
  }
  ctx.path.length = at
  encodeFields(fields, value, out, ctx)
}

// ---------------------------------------------------------------------------------------------
// Method codecs

/**
 * The codec of one body element: how a message is decoded from its element and written into it.
 * Built-in codecs cover every CWMP method; {@link defineVendorMethod} builds codecs for vendor methods.
 *
 * @category Codec
 */
export interface MethodCodec<
  T extends {
    /** The element name. */
    readonly method: string
  } = {
    /** The element name. */
    readonly method: string
  },
> {
  /** The element name, equal to the message's `method`. */
  readonly method: T['method']
  /** The first CWMP version whose schema defines the element. */
  readonly since: CwmpVersion
  /**
   * The method's SOAP arrays by element name: their items are decoded while the XML is read.
   *
   * @internal
   */
  readonly arrayFields?: ReadonlyMap<string, ArrayField>
  /**
   * The fields of a method defined by its schema, which `encodeContent` writes with their compiled
   * encoder (the tests compare it with the generic walk).
   *
   * @internal
   */
  readonly fields?: readonly Field[]
  /**
   * Decode the message from its body element.
   *
   * @internal
   */
  decode(el: XmlElement, ctx: DecodeContext): T
  /**
   * Write the message's content (the children of its body element).
   *
   * @internal
   */
  encodeContent(message: T, out: Out, ctx: EncodeContext): void
}

/**
 * Build the codec of a method whose content is a plain sequence of fields, one for every property
 * of `T` but `method`.
 *
 * @internal
 */
export function defineMethod<T extends { readonly method: string }>(
  method: T['method'],
  since: CwmpVersion,
  fields: Fields<Omit<T, 'method'>>,
): MethodCodec<T> {
  return methodCodec<T>(method, since, struct<Omit<T, 'method'>>(method, fields))
}

/**
 * Build the codec of a method from fields described at run time (vendor methods): `T` is the
 * caller's word, not checked against the fields.
 *
 * @internal
 */
export function defineMethodOfFields<T extends { readonly method: string }>(
  method: T['method'],
  since: CwmpVersion,
  fields: readonly Field[],
): MethodCodec<T> {
  return methodCodec<T>(method, since, structOfFields(method, fields) as StructSpec<Omit<T, 'method'>>)
}

function methodCodec<T extends { readonly method: string }>(
  method: T['method'],
  since: CwmpVersion,
  spec: StructSpec<Omit<T, 'method'>>,
): MethodCodec<T> {
  const fields = spec.fields
  const arrays = new Map<string, ArrayField>()
  for (const f of fields) if (f.kind === 'array') arrays.set(f.el, f)
  return {
    method,
    since,
    arrayFields: arrays,
    fields,
    decode(el, ctx) {
      if (fields.length === 0) {
        decodeEmpty(el, ctx)
        return { method } as T
      }
      const body = decodeStruct(spec, el, ctx)
      const message = { method, ...body }
      copyLexical(body, message)
      return message as T
    },
    encodeContent(message, out, ctx) {
      encodeFieldsFast(fields, message, out, ctx)
    },
  }
}

/** True when `version` has the element of a codec. @internal */
export function definedIn(codec: { readonly since: CwmpVersion }, version: CwmpVersion): boolean {
  return compareVersions(codec.since, version) <= 0
}
