/**
 * Decode and encode contexts: version, strictness, warnings and the current element path.
 *
 * @module
 */
import { DecodeError, EncodeError } from '../errors.js'
import type { CwmpVersion } from '../types/version.js'
import type { XmlElement } from '../xml/reader.js'

/**
 * Stable codes of the leniencies the decoder applies to real-world input. In the default lenient
 * mode each one used is reported as a {@link DecodeWarning}; with `strict: true` each is an error
 * with code `ERR_CWMP_STRICT`. With few exceptions (noted), a warning means the input is not valid
 * against the Broadband Forum schemas.
 *
 * @category Codec
 */
export type WarningCode =
  /** The envelope uses `urn:dslforum-org:cwmp-1-3` or `-1-4`, which no schema defines. */
  | 'NAMESPACE_NONSTANDARD'
  /** `soap-env:encodingStyle` on Envelope, Header or Body (SOAP 1.1 allows it, its schema does not). */
  | 'ENCODING_STYLE'
  /** A child element of a method is namespace-qualified; the schemas want it unqualified. */
  | 'QUALIFIED_CHILD'
  /** The method is not defined in the cwmp namespace version the envelope uses. */
  | 'METHOD_VERSION'
  /** A SOAP array has no `soap-enc:arrayType`. */
  | 'ARRAY_TYPE_MISSING'
  /** A SOAP array's `soap-enc:arrayType` disagrees with its items (count or item type). */
  | 'ARRAY_TYPE_MISMATCH'
  /** An array item has an unexpected element name. */
  | 'ARRAY_ITEM_NAME'
  /** An `xsi:type` where the schema wants none (e.g. `xsi:type="soap-enc:Array"` on an array). */
  | 'XSI_TYPE_UNEXPECTED'
  /** A `Value` without `xsi:type`; it is decoded as `xsd:string` (schema-valid, but TR-069 wants the type). */
  | 'VALUE_TYPE_MISSING'
  /** An `xsi:type` whose prefix is unbound or whose type is not a known simple type. */
  | 'VALUE_TYPE_UNKNOWN'
  /** A `Value` whose text is not a valid lexical form of its `xsi:type`. */
  | 'VALUE_LEXICAL'
  /** Whitespace around a name (parameter name, method name, event code) was removed. */
  | 'WHITESPACE_TRIMMED'
  /** Whitespace inside an element whose content must be empty. */
  | 'WHITESPACE_IN_EMPTY'
  /** Non-whitespace text inside an element that has child elements only. */
  | 'TEXT_IGNORED'
  /** A required string element is missing; it was read as the empty string. */
  | 'ELEMENT_MISSING'
  /** An element the method does not define; it was ignored. */
  | 'UNKNOWN_ELEMENT'
  /** An element that may occur once occurred again; the first one was kept. */
  | 'DUPLICATE_ELEMENT'
  /** Elements out of the schema's sequence order. */
  | 'ELEMENT_ORDER'
  /** A value outside a facet of its type: length, pattern, range or enumeration (e.g. a lower-case OUI). */
  | 'FACET'
  /** A `xs:dateTime` that is not a valid lexical dateTime (e.g. `0000-00-00T00:00:00`). Kept as is. */
  | 'DATETIME_LEXICAL'
  /** A header entry is missing its required `mustUnderstand="1"` or has the wrong value. */
  | 'HEADER_MUST_UNDERSTAND'
  /** A header entry with `mustUnderstand="1"` that is not understood; see `header.notUnderstood`. */
  | 'HEADER_NOT_UNDERSTOOD'
  /** The deprecated `NoMoreRequests` header (TR-069 Issue 1). Schema-valid as an unknown header. */
  | 'HEADER_DEPRECATED'
  /** A CWMP header entry named in another case (`sessionTimeout`), read as that entry. */
  | 'HEADER_NAME_CASE'
  /** An empty `Notification` with `NotificationChange` false (GenieACS changing only an access list), read as 0. */
  | 'NOTIFICATION_EMPTY'
  /** The bytes are not valid in the declared character set; they were read as ISO-8859-1. */
  | 'CHARSET_FALLBACK'
  /** Whitespace before the XML declaration was removed. */
  | 'LEADING_WHITESPACE'
  /** ChangeDUState operations nested as `Operations/InstallOpStruct` instead of `xsi:type`. */
  | 'OPERATIONS_NESTED'
  /** The SOAP Fault has extra or misplaced parts (e.g. a qualified `detail`). */
  | 'FAULT_SHAPE'
  /**
   * A field's text is not a value of its type (a boolean `yes`, a Status `2`, a FileSize `foo`): the
   * field holds its type's fallback (`false`, `0` or the first allowed value) and the text is kept
   * ({@link DecodeWarning.lexical}, {@link lexicalValue}). Strict mode fails instead.
   */
  | 'SCALAR_INVALID'
  /** An `xs:boolean` in another case (`True`, `FALSE`), read as that value; the text is kept. */
  | 'BOOLEAN_CASE'

/**
 * One leniency applied while decoding.
 *
 * @category Codec
 */
export interface DecodeWarning {
  /** Stable code. */
  readonly code: WarningCode
  /** Plain English description. */
  readonly message: string
  /** Element path, e.g. `Envelope/Body/Inform/DeviceId/OUI`. */
  readonly path: string
  /** 1-based line of the element, when known. */
  readonly line?: number
  /** 1-based column of the element, when known. */
  readonly column?: number
  /** For `SCALAR_INVALID` and `BOOLEAN_CASE`: the element's text as it was received. */
  readonly lexical?: string
}

/**
 * The items of one SOAP array decoded while the XML was read (lenient mode), kept until the
 * decoder reaches the array element.
 *
 * @internal
 */
export interface EarlyItems {
  /** The decoded items, in document order. */
  readonly items: unknown[]
  /** The warnings those items raised, reported when the decoder reaches the array (document order). */
  readonly warnings: DecodeWarning[]
  /** Set once an array item with an unexpected element name was reported. */
  nameWarned: boolean
  /** How many items were decoded (also those handed to {@link DecodeContext.itemSink}). */
  count: number
}

/** An empty {@link EarlyItems}. @internal */
export function newEarlyItems(): EarlyItems {
  return { items: [], warnings: [], nameWarned: false, count: 0 }
}

/**
 * Receives the items of the method's SOAP arrays one at a time instead of the message (the
 * streaming decoder): the array's property, the item, its index, and the warnings it raised.
 *
 * @internal
 */
export interface ItemSink {
  /** True for the arrays whose items go to the sink (the method's own, not those inside items). */
  takes(field: object): boolean
  take(key: string, item: unknown, index: number, warnings: readonly DecodeWarning[]): void
}

/** A scalar's text as received and the value it was read as (D26). @internal */
export interface LexicalEntry {
  readonly text: string
  readonly value: unknown
  readonly code: 'SCALAR_INVALID' | 'BOOLEAN_CASE'
}

/** Where a decoded object keeps the texts of its leniently read scalars: non-enumerable, by key. */
const LEXICAL: unique symbol = Symbol('cwmp.lexical')

type WithLexical = { [LEXICAL]?: Record<string, LexicalEntry> }

/** Keep `entry` on `obj` for its property `key` (non-enumerable: JSON, spread and equality ignore it). @internal */
export function keepLexical(obj: object, key: string, entry: LexicalEntry): void {
  const o = obj as WithLexical
  let kept = o[LEXICAL]
  if (kept === undefined) {
    kept = Object.create(null) as Record<string, LexicalEntry>
    Object.defineProperty(o, LEXICAL, { value: kept, enumerable: false, writable: false, configurable: false })
  }
  kept[key] = entry
}

/**
 * The text kept for `obj[key]` while it still holds the value that text was read as, else undefined.
 * The encoder writes it back in non-strict mode. @internal
 */
export function keptLexical(obj: object, key: string, value: unknown): string | undefined {
  const e = (obj as WithLexical)[LEXICAL]?.[key]
  return e !== undefined && e.value === value ? e.text : undefined
}

/** Give `to` the texts kept on `from` (a struct spread into a message loses its non-enumerable keys). @internal */
export function copyLexical(from: object, to: object): void {
  const kept = (from as WithLexical)[LEXICAL]
  if (kept !== undefined) for (const key of Object.keys(kept)) keepLexical(to, key, kept[key] as LexicalEntry)
}

/** True when `obj` keeps any lexical text (the compiled encoders then leave it to the generic walk). @internal */
export function hasLexical(obj: object): boolean {
  return (obj as WithLexical)[LEXICAL] !== undefined
}

/**
 * The text a field of a decoded message had when lenient decoding could not read it as its type
 * (`SCALAR_INVALID`) or read it in another form (`BOOLEAN_CASE`), while the field still holds the
 * value it was read as; otherwise `undefined`. `encodeEnvelope(…, { strict: false })` writes that
 * text back, so a message re-sent as received keeps what the peer wrote.
 *
 * @param obj - the decoded struct, message or header that holds the field
 * @param key - the field's property name (`'status'`, `'writable'`, `'holdRequests'`)
 * @returns the text as received, or `undefined`
 * @example
 * ```ts
 * const { body, warnings } = decodeEnvelope(xml) // <Status>2</Status>
 * body.status                  // 0, with a SCALAR_INVALID warning
 * lexicalValue(body, 'status') // '2'
 * ```
 *
 * @category Codec
 */
export function lexicalValue(obj: object, key: string): string | undefined {
  if (typeof obj !== 'object' || obj === null) return undefined
  return keptLexical(obj, key, (obj as Record<string, unknown>)[key])
}

/** @internal */
export class DecodeContext {
  readonly warnings: DecodeWarning[] = []
  readonly path: string[] = []
  readonly strict: boolean
  /** Version of the envelope's namespace (1.2 also for 1.3/1.4). */
  version: CwmpVersion
  /** Cache of resolved `xsi:type` values, valid for {@link DecodeContext.typeScope}. */
  typeCache: Map<string, { readonly type: string; readonly problem?: string }> | undefined
  /** The namespace scope the type cache was filled for. */
  typeScope: unknown
  /** Where warnings go instead of {@link DecodeContext.warnings} while set. */
  divert: DecodeWarning[] | undefined
  /** The arrays whose items were decoded while the XML was read, by array element. */
  readonly early = new Map<XmlElement, EarlyItems>()
  /** When set, array items go here and not into the message; their warnings go with them. */
  itemSink: ItemSink | undefined
  /**
   * Set by {@link DecodeContext.lenientScalar} for the scalar just decoded: its text and the value it
   * was read as. The struct decoder moves it onto the decoded object ({@link keepLexical}) and clears it.
   */
  lexical: LexicalEntry | undefined = undefined

  constructor(strict: boolean, version: CwmpVersion) {
    this.strict = strict
    this.version = version
  }

  pathString(extra?: string): string {
    return extra === undefined ? this.path.join('/') : [...this.path, extra].join('/')
  }

  warn(code: WarningCode, message: string, el?: XmlElement, extra?: string, lexical?: string): void {
    const path = this.pathString(extra)
    if (this.strict) {
      throw new DecodeError('ERR_CWMP_STRICT', `${message} (${code})`, location(el, path))
    }
    const w: { -readonly [K in keyof DecodeWarning]: DecodeWarning[K] } = { code, message, path }
    if (el !== undefined) {
      w.line = el.line
      w.column = el.column
    }
    if (lexical !== undefined) w.lexical = lexical
    ;(this.divert ?? this.warnings).push(w)
  }

  /**
   * A scalar's text that its type does not allow (`SCALAR_INVALID`), or allows only in another form
   * (`BOOLEAN_CASE`). Strict mode fails, with `ERR_CWMP_ARGUMENT_INVALID` or `ERR_CWMP_STRICT`; lenient
   * mode warns, keeps the text for the struct decoder ({@link DecodeContext.lexical}) and reads the
   * field as `value` (D26).
   */
  lenientScalar<T>(code: 'SCALAR_INVALID' | 'BOOLEAN_CASE', message: string, el: XmlElement, text: string, value: T): T {
    if (this.strict && code === 'SCALAR_INVALID') this.invalid(message, el)
    this.warn(code, message, el, undefined, text)
    this.lexical = { text, value, code }
    return value
  }

  invalid(message: string, el?: XmlElement, extra?: string): never {
    throw new DecodeError('ERR_CWMP_ARGUMENT_INVALID', message, location(el, this.pathString(extra)))
  }

  missing(name: string, el?: XmlElement): never {
    throw new DecodeError(
      'ERR_CWMP_ARGUMENT_MISSING',
      `missing required element ${name}`,
      location(el, this.pathString(name)),
    )
  }
}

function location(el: XmlElement | undefined, path: string): { line?: number; column?: number; path: string } {
  return el === undefined ? { path } : { line: el.line, column: el.column, path }
}

/** @internal */
export class EncodeContext {
  readonly path: (string | number)[] = ['body']
  readonly version: CwmpVersion
  /** Refuse values outside the schema facets (default); when false, write them as they are. */
  readonly strict: boolean
  /**
   * Texts a compiled encoder wrote without escaping, joined: checked every few kilobytes and when the
   * message is done (`needsEscape`); the generic walk writes the message again when they need it (D22).
   */
  unchecked = ''

  constructor(version: CwmpVersion, strict = true) {
    this.version = version
    this.strict = strict
  }

  pathString(): string {
    let s = ''
    for (const p of this.path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`
    return s
  }

  fail(message: string): never {
    throw new EncodeError(message, this.pathString())
  }

  /** A value outside a schema facet: an error when strict, written as is otherwise. */
  facet(message: string): void {
    if (this.strict) this.fail(message)
  }
}
