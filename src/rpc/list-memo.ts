/**
 * A bounded memo of recently encoded SOAP arrays (D40).
 *
 * An ACS sends the same GetParameterValues names, or the same SetParameterValues list, to many
 * devices; a CPE answers the same GetParameterValues again at every periodic poll. Checking and
 * escaping every character of such a list costs more than concatenating it (0.3–0.6 ns a character
 * against 0.4 ns for a whole template serializer, measured in bench/encode.ts), so the XML of a list
 * of at least {@link MEMO_MIN_ITEMS} items is kept together with a copy of what it was made from.
 * A later list is served from the memo only when every item equals the copy, field by field (`===`
 * on strings, numbers and booleans, and element by element on arrays of them): the output is the
 * same bytes a fresh encode gives, and a list changed in place misses. Lists whose items hold
 * anything else are never kept.
 *
 * Bounds: {@link MEMO_MAX_ENTRIES} lists and {@link MEMO_MAX_CHARS} characters of XML in all; the
 * least recently used list goes first.
 *
 * @module
 */

/** Lists shorter than this are encoded every time. @internal */
export const MEMO_MIN_ITEMS = 8
/** At most this many lists are kept. @internal */
export const MEMO_MAX_ENTRIES = 32
/** At most this many characters of XML are kept in all (about 4–8 MB). @internal */
export const MEMO_MAX_CHARS = 4_000_000

/**
 * How the items of a list are compared: `null` for items that are themselves strings, numbers or
 * booleans; otherwise the property names of an item object whose values are such primitives or
 * arrays of them.
 *
 * @internal
 */
export type MemoShape = readonly string[] | null

interface Entry {
  readonly owner: object
  readonly version: string
  readonly strict: boolean
  readonly shape: MemoShape
  /** The items (shape null) or their property values, item after item. */
  readonly copy: readonly unknown[]
  readonly count: number
  readonly xml: string
  used: number
}

const FLATTEN = /^</

/** The kept lists by owner (array fields are static schema objects: this map stays small). */
const byOwner = new Map<object, Entry[]>()
let size = 0
let chars = 0
let clock = 0

function isPrimitive(v: unknown): boolean {
  const t = typeof v
  return t === 'string' || t === 'number' || t === 'boolean' || v === undefined
}

function sameValue(live: unknown, kept: unknown): boolean {
  if (live === kept) return true
  if (!Array.isArray(kept) || !Array.isArray(live) || live.length !== kept.length) return false
  for (let i = 0; i < kept.length; i++) if (live[i] !== kept[i]) return false
  return true
}

function matches(e: Entry, items: readonly unknown[]): boolean {
  if (e.count !== items.length) return false
  const copy = e.copy
  const shape = e.shape
  if (shape === null) {
    for (let i = 0; i < items.length; i++) if (items[i] !== copy[i]) return false
    return true
  }
  const k = shape.length
  for (let i = 0, j = 0; i < items.length; i++) {
    const item = items[i]
    if (typeof item !== 'object' || item === null) return false
    const rec = item as Record<string, unknown>
    for (let p = 0; p < k; p++, j++) if (!sameValue(rec[shape[p] as string], copy[j])) return false
  }
  return true
}

/** A copy of what the items hold, or undefined when an item holds something the memo cannot compare. */
function copyOf(items: readonly unknown[], shape: MemoShape): unknown[] | undefined {
  if (shape === null) {
    for (const item of items) if (!isPrimitive(item)) return undefined
    return items.slice()
  }
  const out: unknown[] = []
  for (const item of items) {
    if (typeof item !== 'object' || item === null) return undefined
    const rec = item as Record<string, unknown>
    for (const key of shape) {
      const v = rec[key]
      if (Array.isArray(v)) {
        if (!v.every(isPrimitive)) return undefined
        out.push(v.slice())
      } else if (isPrimitive(v)) {
        out.push(v)
      } else {
        return undefined
      }
    }
  }
  return out
}

/**
 * The XML of a list: from the memo when an equal list was encoded last with the same `owner` (the
 * array field), version and strictness, else from `encode`, which is then kept.
 *
 * @internal
 */
export function memoList(
  owner: object,
  version: string,
  strict: boolean,
  items: readonly unknown[],
  shape: MemoShape,
  encode: () => string,
): string {
  const n = items.length
  if (n < MEMO_MIN_ITEMS) return encode()
  let list = byOwner.get(owner)
  if (list !== undefined) {
    for (const e of list) {
      if (e.count === n && e.strict === strict && e.version === version && matches(e, items)) {
        e.used = ++clock
        return e.xml
      }
    }
  }
  const xml = encode()
  const copy = copyOf(items, shape)
  if (copy === undefined || xml.length > MEMO_MAX_CHARS / 2) return xml
  // Flatten once (a regular expression needs a flat subject, and V8 flattens the rope in place), so
  // that each use copies one flat string rather than walking a rope of thousands of pieces.
  FLATTEN.test(xml)
  if (list === undefined) {
    list = []
    byOwner.set(owner, list)
  }
  list.push({ owner, version, strict, shape, copy, count: n, xml, used: ++clock })
  size++
  chars += xml.length
  while (size > MEMO_MAX_ENTRIES || chars > MEMO_MAX_CHARS) evictOldest()
  return xml
}

function evictOldest(): void {
  let oldest: Entry | undefined
  for (const l of byOwner.values()) for (const e of l) if (oldest === undefined || e.used < oldest.used) oldest = e
  if (oldest === undefined) return
  const l = byOwner.get(oldest.owner) as Entry[]
  l.splice(l.indexOf(oldest), 1)
  if (l.length === 0) byOwner.delete(oldest.owner)
  size--
  chars -= oldest.xml.length
}

/** Forget every list (tests and benchmarks). @internal */
export function clearListMemo(): void {
  byOwner.clear()
  size = 0
  chars = 0
}
