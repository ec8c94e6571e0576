/*
 * Array items read straight from the text (D29), by two readers.
 *
 * RawParameterValues: the items of a ParameterList in the one form nearly every device and ACS sends,
 *
 *   <ParameterValueStruct><Name>N</Name><Value xsi:type="xsd:T">V</Value></ParameterValueStruct>
 *
 * (XML white space allowed between the tags), which the generic decoder would read without a
 * warning. Anything else, or anything the generic decoder would warn about or refuse (a name with
 * white space around it or longer than 256 characters, an xsi:type that does not resolve to a type
 * of the schemas, a value that is not of its type, a reference that is not well-formed, `]]>`, a
 * limit that could be crossed), makes the reader return undefined having done nothing: the scanner
 * then reads the item as usual, with its usual warnings, errors and positions. So the reader never
 * needs a position and never warns, and what it returns is what the generic path returns for the
 * same text (test/codec/raw-items.test.ts compares the two on generated and corpus input).
 *
 * RawElements: other items of flat types (text, or elements of text), built into the nodes the tree
 * would build, for the item's own decoder; the tree keeps the item only when that decoder did not
 * warn (tree.ts).
 *
 * Only for input the scanner calls pure (no CR, surrogate or disallowed character): every character
 * between the tags is then allowed, and a text needs only its references looked at.
 */
import type { ParameterValueStruct } from '../types/structs.js'
import { NS } from '../types/version.js'
import { VALUE_TYPE_CHECKS } from '../values/lexical.js'
import { lookupPrefix, type DecodeLimits, type NsScope } from '../xml/events.js'
import { pureReferencedText } from '../xml/scanner.js'

/**
 * The item's fixed parts, with the white space between its tags (pure input: no CR), matched where
 * they must be by sticky regular expressions: 20 ns for `</ParameterValueStruct>` against 70 ns for
 * a loop of charCodeAt, or for startsWith (D29).
 */
const HEAD = /<ParameterValueStruct>[ \t\n]*<Name>/y
const MIDDLE = /<\/Name>[ \t\n]*<Value[ \t\n]/y
const TAIL = /<\/Value>[ \t\n]*<\/ParameterValueStruct>/y

/** The longest Name without a FACET warning (NAME of parameter-value-codec.ts; pure input has no surrogates). */
const MAX_NAME = 256

/** A Value start tag with one attribute, `P:type="Q:L"`, ASCII names only (others go the generic way). */
const VALUE_TAG =
  /^<Value[ \t\n]+([A-Za-z_][A-Za-z0-9_.-]*):type[ \t\n]*=[ \t\n]*(?:"([A-Za-z_][A-Za-z0-9_.-]*):([A-Za-z_][A-Za-z0-9_.-]*)"|'([A-Za-z_][A-Za-z0-9_.-]*):([A-Za-z_][A-Za-z0-9_.-]*)')[ \t\n]*>$/

/** A longer Value start tag is left to the generic path (the tags remembered are at most this long). */
const MAX_TAG = 128
/** At most this many Value start tags are remembered. */
const MAX_TAGS = 32

/**
 * The texts of pure input, read between tags the caller has found, in document order (each reader
 * has its own: the next `&` one reader found may lie before a text another reads).
 */
class PureTexts {
  #xml = ''
  /** Where the last text read started. */
  #from = 0
  /** The next `&` and `]]>` at or after the text last looked at (the input's length when none). */
  #amp = -1
  #cdataEnd = -1

  /** The text of `xml[from, to)` (no `<` in it), references replaced; undefined when it holds `]]>` or a bad reference. */
  read(xml: string, from: number, to: number): string | undefined {
    // A text before the last one: the next `&` found since may be past one in it, so start again
    // (a safeguard; a reader that went back for every text would pay a search each time).
    if (xml !== this.#xml || from < this.#from) {
      this.#xml = xml
      this.#amp = -1
      this.#cdataEnd = -1
    }
    this.#from = from
    if (this.#cdataEnd < from) this.#cdataEnd = indexFrom(xml, ']]>', from)
    // `]]>` may end at `to`: its `>` is then before the `<`, so the whole of it is in the text.
    if (this.#cdataEnd < to) return undefined
    if (this.#amp < from) this.#amp = indexFrom(xml, '&', from)
    if (this.#amp >= to) return from === to ? '' : xml.slice(from, to)
    return pureReferencedText(xml, from, to)
  }
}

/** An element read by {@link RawElements}: what the tree would have built for it (tree.ts's Node). */
interface RawNode {
  ns: string
  local: string
  attrs: undefined
  children: RawNode[]
  text: string
  scope: NsScope
  line: number
  column: number
}

const NO_CHILDREN: RawNode[] = []

/**
 * Any other array item of a flat type read straight from the text, in the form its schema gives
 * (RawShape): the item's element without attributes, then its fields' elements in order, each
 * holding text (or text alone, for a scalar item), white space between them. It builds the elements
 * the tree would build, for the item's own decoder; so it decides nothing about CWMP, and the tree
 * keeps the item only when that decoder raised no warning and no error (tree.ts). Any other form
 * would make that decoder warn (order, unknown or missing elements, text), so it is left to the
 * scanner. The elements carry no position: a warning or an error about them is the generic path's,
 * once the scanner has read the item. @internal
 */
export class RawElements {
  /** The index after the last item read. */
  end = 0
  readonly #texts = new PureTexts()

  /** The text from `from` to the next `<`, when `close` matches there (its lastIndex is then after it). */
  #textTo(xml: string, from: number, close: RegExp): string | undefined {
    const to = xml.indexOf('<', from)
    if (to === -1) return undefined
    close.lastIndex = to
    if (!close.test(xml)) return undefined
    return this.#texts.read(xml, from, to)
  }

  /** Read the element whose `<` is at `lt` into a node, and set {@link RawElements.end}; or return undefined. */
  read(xml: string, lt: number, scope: NsScope, elementsLeft: number, depthLeft: number, limits: DecodeLimits, shape: RawShape): RawNode | undefined {
    if (elementsLeft < 1 || depthLeft < 1) return undefined
    shape.open.lastIndex = lt
    if (!shape.open.test(xml)) return undefined
    const ns = scope.defaultNs
    let i = shape.open.lastIndex
    const fields = shape.fields
    const item: RawNode = { ns, local: shape.item, attrs: undefined, children: NO_CHILDREN, text: '', scope, line: 0, column: 0 }
    if (fields.length === 0) {
      const text = this.#textTo(xml, i, shape.close)
      if (text === undefined) return undefined
      item.text = text
      i = shape.close.lastIndex
    } else {
      if (fields.length + 1 > elementsLeft || depthLeft < 2) return undefined
      const children: RawNode[] = []
      for (let k = 0; k < fields.length; k++) {
        const f = fields[k] as RawShape['fields'][number]
        f.open.lastIndex = i
        if (!f.open.test(xml)) {
          if (f.optional) continue
          return undefined
        }
        const text = this.#textTo(xml, f.open.lastIndex, f.close)
        if (text === undefined) return undefined
        children.push({ ns, local: f.el, attrs: undefined, children: NO_CHILDREN, text, scope, line: 0, column: 0 })
        i = f.close.lastIndex
      }
      shape.close.lastIndex = i
      if (!shape.close.test(xml)) return undefined
      i = shape.close.lastIndex
      item.children = children
    }
    if (i - lt > limits.maxTextLength) return undefined
    this.end = i
    return item
  }
}

/**
 * The form an item of a flat type is expected in: its element, then its fields' elements in order
 * (an optional one may be absent), each holding text (none for a scalar item, which holds text itself). Matched by sticky regular
 * expressions (20 ns for a tag; a loop of charCodeAt over the names took 15 % of a list's decode),
 * and the nodes get the schema's own name strings, which later lookups hash once.
 */
export interface RawShape {
  readonly item: string
  readonly open: RegExp
  readonly close: RegExp
  readonly fields: readonly { readonly el: string; readonly optional: boolean; readonly open: RegExp; readonly close: RegExp }[]
}

const literal = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')

/** The shape of an item `<item>` whose content is the elements `fields` in order (none: text). @internal */
export function rawShape(item: string, fields: readonly { readonly el: string; readonly optional: boolean }[]): RawShape {
  return {
    item,
    open: new RegExp(`<${literal(item)}>`, 'y'),
    close: new RegExp(`[ \\t\\n]*</${literal(item)}>`, 'y'),
    fields: fields.map(({ el, optional }) => ({
      el,
      optional,
      open: new RegExp(`[ \\t\\n]*<${literal(el)}>`, 'y'),
      close: new RegExp(`</${literal(el)}>`, 'y'),
    })),
  }
}

/** @internal */
export class RawParameterValues {
  /** The index after the last item read. */
  end = 0
  readonly #texts = new PureTexts()
  /** For each tag of {@link TAGS}, the type it gives in `#scope` (null: the generic path must read it). */
  readonly #types: (string | null | undefined)[] = []
  #generation = -1
  /** The tag of the previous item read. */
  #last: Tag | undefined
  #scope: NsScope | undefined

  /**
   * Read the item whose `<` is at `lt`, and set {@link RawParameterValues.end}; or return undefined
   * having done nothing.
   */
  read(xml: string, lt: number, scope: NsScope, elementsLeft: number, depthLeft: number, limits: DecodeLimits): ParameterValueStruct | undefined {
    if (elementsLeft < 3 || depthLeft < 2 || limits.maxAttributes < 1 || scope.defaultNs !== '') return undefined
    HEAD.lastIndex = lt
    if (!HEAD.test(xml)) return undefined
    const nameStart = HEAD.lastIndex
    const nameEnd = xml.indexOf('<', nameStart)
    if (nameEnd === -1) return undefined
    MIDDLE.lastIndex = nameEnd
    if (!MIDDLE.test(xml)) return undefined
    const name = this.#texts.read(xml, nameStart, nameEnd)
    if (name === undefined || name.length > MAX_NAME) return undefined
    if (name.length !== 0 && (name.charCodeAt(0) <= 0x20 || name.charCodeAt(name.length - 1) <= 0x20)) return undefined
    // MIDDLE ends after `<Value` and one white-space character.
    const tagStart = MIDDLE.lastIndex - 7
    const gt = xml.indexOf('>', tagStart)
    if (gt === -1 || gt - tagStart >= MAX_TAG) return undefined
    const type = this.#type(xml, tagStart, gt + 1, scope)
    if (type === undefined) return undefined
    const valueEnd = xml.indexOf('<', gt + 1)
    if (valueEnd === -1) return undefined
    TAIL.lastIndex = valueEnd
    if (!TAIL.test(xml)) return undefined
    const value = this.#texts.read(xml, gt + 1, valueEnd)
    if (value === undefined || (VALUE_TYPE_CHECKS.get(type) as (s: string) => boolean)(value) !== true) return undefined
    const end = TAIL.lastIndex
    // Every text of the item (its white space, the name, the value) is shorter than the item.
    if (end - lt > limits.maxTextLength) return undefined
    this.end = end
    return { name, value, type }
  }

  /**
   * The type the Value start tag `xml[from, to)` gives, resolved in `scope` as valueType does;
   * undefined when it is not that simple. The tag is looked up among those seen before in this
   * process (a list of thousands of values has a handful of them, and so have the messages of a
   * fleet), first as the one that followed the previous item's tag last time.
   */
  #type(xml: string, from: number, to: number, scope: NsScope): string | undefined {
    const tag = findTag(xml, from, to, this.#last)
    this.#last = tag
    if (scope !== this.#scope || this.#generation !== generation) {
      this.#scope = scope
      this.#generation = generation
      this.#types.length = 0
    }
    let type = this.#types[tag.index]
    if (type === undefined) {
      type = tag.syntax !== null && lookupPrefix(scope, tag.syntax.attrPrefix) === NS.xsi ? typeIn(tag.syntax, scope) : null
      this.#types[tag.index] = type
    }
    return type ?? undefined
  }
}

/** A Value start tag seen, and its attribute's parts (null: not of the one form read raw). */
interface Tag {
  readonly text: string
  readonly syntax: { readonly attrPrefix: string; readonly typePrefix: string; readonly local: string } | null
  /** Its place in {@link TAGS} in its {@link generation}. */
  readonly index: number
  readonly generation: number
  /** How often it was looked up again; at 2 it gets {@link Tag.at}. */
  hits: number
  /** The text as a sticky regular expression, to compare it in place (made for a tag that recurs only). */
  at: RegExp | undefined
  /** The tag that followed this one last time. */
  next: Tag | undefined
}

/** The Value start tags seen in this process (at most {@link MAX_TAGS}), and how often the map was emptied. */
const TAGS = new Map<string, Tag>()
let generation = 0

/**
 * The tag `xml[from, to)`, added when new. Tried first: the one that followed `last` last time, by
 * its sticky regular expression (20 ns). Otherwise a slice and a Map lookup (a slice per tag and its
 * hash took 10 % of the read of a list). A regular expression is made for a tag seen a third time
 * only: a message of ever new tags (white space varied) made and compiled one per item, 20 ms/MB.
 */
function findTag(xml: string, from: number, to: number, last: Tag | undefined): Tag {
  const guess = last?.next
  if (guess !== undefined && guess.at !== undefined && guess.generation === generation && guess.text.length === to - from) {
    guess.at.lastIndex = from
    if (guess.at.test(xml)) return guess
  }
  const text = xml.slice(from, to)
  let tag = TAGS.get(text)
  if (tag === undefined) {
    if (TAGS.size >= MAX_TAGS) {
      TAGS.clear()
      generation++
    }
    // A copy: a V8 slice would keep the whole input alive with the map. Joined to a character and
    // sliced, the string is flattened into a new one first (146 ns for a 33-character tag, against
    // 700 for split and join; test/codec/raw-items.test.ts checks that no input stays alive).
    const copy = (text + ' ').slice(0, -1)
    const m = VALUE_TAG.exec(copy)
    tag = {
      text: copy,
      syntax: m === null ? null : { attrPrefix: m[1] as string, typePrefix: (m[2] ?? m[4]) as string, local: (m[3] ?? m[5]) as string },
      index: TAGS.size,
      generation,
      hits: 0,
      at: undefined,
      next: undefined,
    }
    TAGS.set(copy, tag)
  } else if (++tag.hits === 2) {
    tag.at = new RegExp(literal(tag.text), 'y')
  }
  if (last !== undefined && last.generation === generation) last.next = tag
  return tag
}

/** The type a tag's `typePrefix:local` names in `scope`, when it is one of the schemas'; else null. */
function typeIn(syntax: NonNullable<Tag['syntax']>, scope: NsScope): string | null {
  const ns = lookupPrefix(scope, syntax.typePrefix)
  const type = ns === NS.xsd ? `xsd:${syntax.local}` : ns === NS.soapEnc ? `soap-enc:${syntax.local}` : undefined
  return type !== undefined && VALUE_TYPE_CHECKS.has(type) ? type : null
}

function indexFrom(xml: string, what: string, from: number): number {
  const at = xml.indexOf(what, from)
  return at === -1 ? xml.length : at
}
