/*
 * ParameterValueStructs read straight from the text (D29): the items of a ParameterList in the one
 * form nearly every device and ACS sends,
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

/** @internal */
export class RawParameterValues {
  /** The index after the last item read. */
  end = 0
  #xml = ''
  /** The next `&` and `]]>` at or after the text last looked at (the input's length when none). */
  #amp = -1
  #cdataEnd = -1
  /** For each tag of {@link TAGS}, the type it gives in `#scope` (null: the generic path must read it). */
  readonly #types: (string | null | undefined)[] = []
  #generation = -1
  #scope: NsScope | undefined

  /**
   * Read the item whose `<` is at `lt`, and set {@link RawParameterValues.end}; or return undefined
   * having done nothing.
   */
  read(xml: string, lt: number, scope: NsScope, elementsLeft: number, depthLeft: number, limits: DecodeLimits): ParameterValueStruct | undefined {
    if (elementsLeft < 3 || depthLeft < 2 || limits.maxAttributes < 1 || scope.defaultNs !== '') return undefined
    HEAD.lastIndex = lt
    if (!HEAD.test(xml)) return undefined
    if (xml !== this.#xml) {
      this.#xml = xml
      this.#amp = -1
      this.#cdataEnd = -1
    }
    const nameStart = HEAD.lastIndex
    const nameEnd = xml.indexOf('<', nameStart)
    if (nameEnd === -1) return undefined
    MIDDLE.lastIndex = nameEnd
    if (!MIDDLE.test(xml)) return undefined
    const name = this.#text(xml, nameStart, nameEnd)
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
    const value = this.#text(xml, gt + 1, valueEnd)
    if (value === undefined || (VALUE_TYPE_CHECKS.get(type) as (s: string) => boolean)(value) !== true) return undefined
    const end = TAIL.lastIndex
    // Every text of the item (its white space, the name, the value) is shorter than the item.
    if (end - lt > limits.maxTextLength) return undefined
    this.end = end
    return { name, value, type }
  }

  /** The text of `xml[from, to)` (no `<` in it), references replaced; undefined when it holds `]]>` or a bad reference. */
  #text(xml: string, from: number, to: number): string | undefined {
    if (this.#cdataEnd < from) this.#cdataEnd = indexFrom(xml, ']]>', from)
    // `]]>` may end at `to`: its `>` is then before the `<`, so the whole of it is in the text.
    if (this.#cdataEnd < to) return undefined
    if (this.#amp < from) this.#amp = indexFrom(xml, '&', from)
    if (this.#amp >= to) return from === to ? '' : xml.slice(from, to)
    return pureReferencedText(xml, from, to)
  }

  /**
   * The type the Value start tag `xml[from, to)` gives, resolved in `scope` as valueType does;
   * undefined when it is not that simple. The tags are compared in place with those seen before, in
   * this process (a list of thousands of values has a handful of them, and so have the messages of a
   * fleet): a slice per tag, and its hash for a Map, took 10 % of the read.
   */
  #type(xml: string, from: number, to: number, scope: NsScope): string | undefined {
    const k = tagIndex(xml, from, to)
    if (scope !== this.#scope || this.#generation !== generation) {
      this.#scope = scope
      this.#generation = generation
      this.#types.length = 0
    }
    let type = this.#types[k]
    if (type === undefined) {
      const t = TAGS[k] as Tag
      type = t.syntax !== null && lookupPrefix(scope, t.syntax.attrPrefix) === NS.xsi ? typeIn(t.syntax, scope) : null
      this.#types[k] = type
    }
    return type ?? undefined
  }
}

/** A Value start tag seen, and its attribute's parts (null: not of the one form read raw). */
interface Tag {
  readonly text: string
  /** The text as a sticky regular expression, to compare it in place. */
  readonly at: RegExp
  readonly syntax: { readonly attrPrefix: string; readonly typePrefix: string; readonly local: string } | null
}

/** The Value start tags seen in this process (at most {@link MAX_TAGS}), and how often the list was emptied. */
const TAGS: Tag[] = []
let generation = 0

/** The index in {@link TAGS} of the tag `xml[from, to)`, added when new. */
function tagIndex(xml: string, from: number, to: number): number {
  const length = to - from
  for (let k = 0; k < TAGS.length; k++) {
    const tag = TAGS[k] as Tag
    if (tag.text.length !== length) continue
    tag.at.lastIndex = from
    if (tag.at.test(xml)) return k
  }
  if (TAGS.length >= MAX_TAGS) {
    TAGS.length = 0
    generation++
  }
  // A copy: a V8 slice would keep the whole input alive with the list.
  const text = xml.slice(from, to).split('').join('')
  const m = VALUE_TAG.exec(text)
  TAGS.push({
    text,
    at: new RegExp(text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'), 'y'),
    syntax: m === null ? null : { attrPrefix: m[1] as string, typePrefix: (m[2] ?? m[4]) as string, local: (m[3] ?? m[5]) as string },
  })
  return TAGS.length - 1
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
