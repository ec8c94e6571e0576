/**
 * A parameter's syntax as the Broadband Forum data models state it (TR-106, the `syntax` element of
 * the DM schema): a value type and its facets (size, range, enumeration), and the one check of a
 * lexical value against it, which also gives the value's canonical form. Pure: the in-memory model
 * uses it, and so can a model built from generated definition tables.
 *
 * @module
 */
import { UNKNOWN_TIME } from './convert.js'
import { canonicalLexical, codePointLength, isIntegerType, isXmlText, VALUE_TYPE_CHECKS } from './lexical.js'

/** How booleans are stored and written: `1`/`0` (`numeric`) or `true`/`false` (`word`). @internal */
export type BooleanForm = 'numeric' | 'word'

/** The facets of a parameter's syntax; each is optional. @internal */
export interface ValueFacets {
  /** Maximum length: characters for strings, bytes for base64 and hexBinary. */
  readonly maxLength?: number
  /** Smallest allowed value, for integer types. */
  readonly minimum?: bigint
  /** Largest allowed value, for integer types. */
  readonly maximum?: bigint
  /** The allowed values (in canonical form). */
  readonly enumeration?: readonly string[]
}

/** A value type (normalised, see {@link normaliseValueType}) with its facets. @internal */
export interface ValueSyntax extends ValueFacets {
  /** The type, e.g. `xsd:unsignedInt`. */
  readonly type: string
}

/** The outcome of {@link checkValue}: the canonical form, or why the value does not fit. @internal */
export type ValueCheck = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string }

/**
 * Normalise a type name to the `xsd:` / `soap-enc:` form: the `xsd:` prefix may be left out, `xs:`
 * is read as `xsd:`, and the TR-106 name `base64` means `xsd:base64Binary`.
 *
 * @returns the normalised name, or `undefined` when it is not a simple type the codec can carry
 * @internal
 */
export function normaliseValueType(type: string): string | undefined {
  let t = type.trim()
  if (t === 'base64') t = 'xsd:base64Binary'
  else if (t.startsWith('xs:')) t = `xsd:${t.slice(3)}`
  else if (!t.includes(':')) t = `xsd:${t}`
  return VALUE_TYPE_CHECKS.has(t) ? t : undefined
}

const BASE64_TYPES: ReadonlySet<string> = new Set(['xsd:base64Binary', 'soap-enc:base64'])

/** True when two normalised types are the same type (`xsd:base64Binary` and `soap-enc:base64` are one). @internal */
export function sameValueType(a: string, b: string): boolean {
  return a === b || (BASE64_TYPES.has(a) && BASE64_TYPES.has(b))
}

/** The length the `maxLength` facet counts: bytes for the binary types, characters for the others. */
function valueLength(type: string, canonical: string): number {
  if (BASE64_TYPES.has(type)) {
    const pad = canonical.endsWith('==') ? 2 : canonical.endsWith('=') ? 1 : 0
    return (canonical.length / 4) * 3 - pad
  }
  if (type === 'xsd:hexBinary') return canonical.length / 2
  return codePointLength(canonical)
}

/**
 * Check a lexical value against a syntax, once: the characters XML 1.0 can carry, the type's lexical
 * form, then the facets (range, length, enumeration) on its canonical form.
 *
 * @param syntax - the type and its facets
 * @param raw - the value as received or defined
 * @param booleanForm - the canonical form of booleans
 * @internal
 */
export function checkValue(syntax: ValueSyntax, raw: string, booleanForm: BooleanForm): ValueCheck {
  const { type, minimum, maximum, maxLength, enumeration } = syntax
  if (!isXmlText(raw)) return { ok: false, reason: 'contains a character XML 1.0 cannot carry' }
  const value = canonicalLexical(type, raw, booleanForm)
  if (value === undefined) return { ok: false, reason: `not a valid ${type} value` }
  if (isIntegerType(type) && (minimum !== undefined || maximum !== undefined)) {
    const v = BigInt(value)
    if (minimum !== undefined && v < minimum) return { ok: false, reason: `below the minimum ${minimum}` }
    if (maximum !== undefined && v > maximum) return { ok: false, reason: `above the maximum ${maximum}` }
  }
  if (maxLength !== undefined && valueLength(type, value) > maxLength) return { ok: false, reason: `longer than ${maxLength}` }
  if (enumeration !== undefined && !enumeration.includes(value)) return { ok: false, reason: 'not one of the allowed values' }
  return { ok: true, value }
}

function typeDefault(type: string, booleanForm: BooleanForm): string {
  if (type === 'xsd:boolean') return booleanForm === 'word' ? 'false' : '0'
  if (isIntegerType(type) || type === 'xsd:decimal' || type === 'xsd:float' || type === 'xsd:double') return '0'
  if (type === 'xsd:dateTime') return UNKNOWN_TIME
  return ''
}

/**
 * The value a parameter has when none is given: its type's default (empty, `0`, false, the Unknown
 * Time) when the facets allow it, else the minimum, else the first allowed value.
 *
 * @internal
 */
export function defaultValue(syntax: ValueSyntax, booleanForm: BooleanForm): string {
  const d = typeDefault(syntax.type, booleanForm)
  if (checkValue(syntax, d, booleanForm).ok) return d
  if (syntax.minimum !== undefined) return syntax.minimum.toString()
  if (syntax.enumeration !== undefined && syntax.enumeration[0] !== undefined) return syntax.enumeration[0]
  return d
}
