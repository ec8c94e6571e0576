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

const OPEN = '<ParameterValueStruct>'
const CLOSE = '</ParameterValueStruct>'
const NAME_OPEN = '<Name>'
const NAME_CLOSE = '</Name>'
const VALUE_OPEN = '<Value'
const VALUE_CLOSE = '</Value>'

/** The longest Name without a FACET warning (NAME of parameter-value-codec.ts; pure input has no surrogates). */
const MAX_NAME = 256

/** A Value start tag with one attribute, `P:type="Q:L"`, ASCII names only (others go the generic way). */
const VALUE_TAG =
  /^<Value[ \t\n]+([A-Za-z_][A-Za-z0-9_.-]*):type[ \t\n]*=[ \t\n]*(?:"([A-Za-z_][A-Za-z0-9_.-]*):([A-Za-z_][A-Za-z0-9_.-]*)"|'([A-Za-z_][A-Za-z0-9_.-]*):([A-Za-z_][A-Za-z0-9_.-]*)')[ \t\n]*>$/

/** At most this many Value start tags are remembered per scope. */
const MAX_TAGS = 32

/** Whether `lit` is at `i` in `xml`: compared by character code, which V8 inlines (a startsWith is a call, and was a third of the read). */
function at(xml: string, i: number, lit: string): boolean {
  const n = lit.length
  if (i + n > xml.length) return false
  for (let k = 0; k < n; k++) if (xml.charCodeAt(i + k) !== lit.charCodeAt(k)) return false
  return true
}

/** The index of the first character at or after `i` that is not XML white space (no CR in pure input). */
function space(xml: string, i: number): number {
  for (;;) {
    const c = xml.charCodeAt(i)
    if (c !== 0x20 && c !== 0x0a && c !== 0x09) return i
    i++
  }
}

/** @internal */
export class RawParameterValues {
  /** The index after the last item read. */
  end = 0
  #xml = ''
  /** The next `&` and `]]>` at or after the text last looked at (the input's length when none). */
  #amp = -1
  #cdataEnd = -1
  /** Value start tags seen in `#scope`, and the type each gives (null: the generic path must read it). */
  readonly #tags: string[] = []
  readonly #types: (string | null)[] = []
  #scope: NsScope | undefined

  /**
   * Read the item whose `<` is at `lt`, and set {@link RawParameterValues.end}; or return undefined
   * having done nothing.
   */
  read(xml: string, lt: number, scope: NsScope, elementsLeft: number, depthLeft: number, limits: DecodeLimits): ParameterValueStruct | undefined {
    if (elementsLeft < 3 || depthLeft < 2 || limits.maxAttributes < 1 || scope.defaultNs !== '') return undefined
    if (!at(xml, lt, OPEN)) return undefined
    if (xml !== this.#xml) {
      this.#xml = xml
      this.#amp = -1
      this.#cdataEnd = -1
    }
    let i = space(xml, lt + OPEN.length)
    if (!at(xml, i, NAME_OPEN)) return undefined
    const nameStart = i + NAME_OPEN.length
    const nameEnd = xml.indexOf('<', nameStart)
    if (nameEnd === -1 || !at(xml, nameEnd, NAME_CLOSE)) return undefined
    const name = this.#text(xml, nameStart, nameEnd)
    if (name === undefined || name.length > MAX_NAME) return undefined
    if (name.length !== 0 && (name.charCodeAt(0) <= 0x20 || name.charCodeAt(name.length - 1) <= 0x20)) return undefined
    i = space(xml, nameEnd + NAME_CLOSE.length)
    if (!at(xml, i, VALUE_OPEN)) return undefined
    const gt = xml.indexOf('>', i)
    if (gt === -1) return undefined
    const type = this.#type(xml, i, gt + 1, scope)
    if (type === undefined) return undefined
    const valueEnd = xml.indexOf('<', gt + 1)
    if (valueEnd === -1 || !at(xml, valueEnd, VALUE_CLOSE)) return undefined
    const value = this.#text(xml, gt + 1, valueEnd)
    if (value === undefined || (VALUE_TYPE_CHECKS.get(type) as (s: string) => boolean)(value) !== true) return undefined
    i = space(xml, valueEnd + VALUE_CLOSE.length)
    if (!at(xml, i, CLOSE)) return undefined
    const end = i + CLOSE.length
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
   * undefined when it is not that simple. The tags seen are compared in place (a list of thousands of
   * values has a handful of them): a slice per tag, and its hash for a Map, took 10 % of the read.
   */
  #type(xml: string, from: number, to: number, scope: NsScope): string | undefined {
    if (scope !== this.#scope) {
      this.#scope = scope
      this.#tags.length = 0
      this.#types.length = 0
    }
    const tags = this.#tags
    const length = to - from
    for (let k = 0; k < tags.length; k++) {
      const tag = tags[k] as string
      if (tag.length !== length) continue
      // From the end: tags differ in their type, near the end.
      let j = length - 1
      while (j >= 0 && xml.charCodeAt(from + j) === tag.charCodeAt(j)) j--
      if (j < 0) return this.#types[k] ?? undefined
    }
    // A copy: a V8 slice would keep the whole input alive with the list.
    const tag = xml.slice(from, to).split('').join('')
    const type = resolveTag(tag, scope)
    if (tags.length >= MAX_TAGS) {
      tags.length = 0
      this.#types.length = 0
    }
    tags.push(tag)
    this.#types.push(type)
    return type ?? undefined
  }
}

function indexFrom(xml: string, what: string, from: number): number {
  const at = xml.indexOf(what, from)
  return at === -1 ? xml.length : at
}

function resolveTag(tag: string, scope: NsScope): string | null {
  const m = VALUE_TAG.exec(tag)
  if (m === null) return null
  if (lookupPrefix(scope, m[1] as string) !== NS.xsi) return null
  const prefix = (m[2] ?? m[4]) as string
  const local = (m[3] ?? m[5]) as string
  const ns = lookupPrefix(scope, prefix)
  const type = ns === NS.xsd ? `xsd:${local}` : ns === NS.soapEnc ? `soap-enc:${local}` : undefined
  return type !== undefined && VALUE_TYPE_CHECKS.has(type) ? type : null
}
