/**
 * Checking a lexical value against a {@link ValueSyntax}: the base type's lexical form (the rules of
 * `values/lexical.ts`), then the facets (enumeration, ranges and steps, sizes, patterns), and for a
 * list the item count, the whole length and each item.
 *
 * @module
 */
import {
  codePointLength,
  collapse,
  isBase64,
  isBoolean,
  isDateTime,
  isDecimal,
  isHexBinary,
  isIntegerOf,
  parseInteger,
  xsdPattern,
} from '../values/lexical.js'
import type { LengthRange, ListSyntax, ScalarSyntax, ValueProblem, ValueRange, ValueSyntax } from './types.js'

/**
 * Options of {@link checkValue}.
 *
 * @category Data models
 */
export interface CheckValueOptions {
  /**
   * The value is being set by an ACS: enumeration values marked `access="readOnly"` (a diagnostics
   * state `Complete`, …) are refused with `read-only-value`. Default false (the value is being read).
   */
  readonly setting?: boolean
}

const patternCache = new WeakMap<ScalarSyntax, RegExp>()

function compiledPattern(syntax: ScalarSyntax, patterns: readonly string[]): RegExp {
  let re = patternCache.get(syntax)
  if (re === undefined) {
    re = xsdPattern(...patterns)
    patternCache.set(syntax, re)
  }
  return re
}

function problem(reason: ValueProblem['reason'], message: string): ValueProblem {
  return { reason, message }
}

function show(value: string): string {
  return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value)
}

const INTEGER_TYPES: ReadonlySet<string> = new Set(['int', 'unsignedInt', 'long', 'unsignedLong'])

function describeRanges(ranges: readonly ValueRange[]): string {
  return ranges
    .map((r) => {
      const span = `${r.minInclusive ?? '…'} to ${r.maxInclusive ?? '…'}`
      return r.step === undefined ? span : `${span} in steps of ${r.step}`
    })
    .join(', or ')
}

function inRange(value: bigint | number, r: ValueRange): boolean {
  const big = typeof value === 'bigint'
  const min = r.minInclusive
  const max = r.maxInclusive
  if (min !== undefined && (big ? value < BigInt(min) : value < min)) return false
  if (max !== undefined && (big ? value > BigInt(max) : value > max)) return false
  if (r.step !== undefined) {
    const from = min ?? 0
    if (big) return (value - BigInt(from)) % BigInt(r.step) === 0n
    return (value - from) % r.step === 0
  }
  return true
}

function lengthProblem(length: number, sizes: readonly LengthRange[], unit: string): ValueProblem | undefined {
  if (sizes.some((s) => length >= (s.minLength ?? 0) && (s.maxLength === undefined || length <= s.maxLength))) {
    return undefined
  }
  const longest = Math.max(...sizes.map((s) => s.maxLength ?? Infinity))
  const allowed = sizes
    .map((s) =>
      s.minLength === undefined
        ? `at most ${s.maxLength}`
        : s.maxLength === undefined
          ? `at least ${s.minLength}`
          : s.minLength === s.maxLength
            ? `exactly ${s.minLength}`
            : `${s.minLength} to ${s.maxLength}`,
    )
    .join(' or ')
  return problem(length > longest ? 'too-long' : 'too-short', `${length} ${unit}, ${allowed} allowed`)
}

function base64Bytes(s: string): number {
  const compact = s.replace(/ /g, '')
  const padding = compact.endsWith('==') ? 2 : compact.endsWith('=') ? 1 : 0
  return (compact.length / 4) * 3 - padding
}

function checkScalar(syntax: ScalarSyntax, raw: string, setting: boolean): ValueProblem | undefined {
  const { type } = syntax
  // xs:string keeps whitespace; every other type collapses it first (XSD whiteSpace facet).
  const value = type === 'string' ? raw : collapse(raw)
  let numeric: bigint | number | undefined
  let length: number | undefined
  let unit = 'characters'
  switch (type) {
    case 'string':
      break
    case 'boolean':
      if (!isBoolean(value)) return problem('wrong-type', `${show(raw)} is not a boolean (true, false, 1 or 0)`)
      break
    case 'int':
    case 'unsignedInt':
    case 'long':
    case 'unsignedLong':
      if (!isIntegerOf(type, value)) {
        const v = parseInteger(value)
        if (v !== undefined && !(type.startsWith('unsigned') && /^[+-]/.test(value) && v >= 0n)) {
          return problem('out-of-range', `${show(raw)} is outside the range of ${type}`)
        }
        return problem('wrong-type', `${show(raw)} is not the lexical form of an ${type}`)
      }
      numeric = parseInteger(value) as bigint
      break
    case 'decimal':
      if (!isDecimal(value)) return problem('wrong-type', `${show(raw)} is not a decimal`)
      numeric = Number(value)
      break
    case 'dateTime':
      if (!isDateTime(value)) return problem('wrong-type', `${show(raw)} is not a dateTime`)
      break
    case 'base64':
      if (!isBase64(value)) return problem('wrong-type', `${show(raw)} is not base64`)
      length = base64Bytes(value)
      unit = 'bytes'
      break
    case 'hexBinary':
      if (!isHexBinary(value)) return problem('wrong-type', `${show(raw)} is not hexBinary`)
      length = value.length / 2
      unit = 'bytes'
      break
    default: {
      const never: never = type
      return problem('wrong-type', `unknown type ${String(never)}`)
    }
  }
  const { enumeration, ranges, sizes, patterns } = syntax
  if (enumeration !== undefined) {
    if (!enumeration.includes(value)) {
      const list = enumeration.length > 8 ? `${enumeration.slice(0, 8).join(', ')}, …` : enumeration.join(', ')
      return problem('not-in-enumeration', `${show(raw)} is not one of ${list}`)
    }
    if (setting && syntax.readOnlyValues?.includes(value)) {
      return problem('read-only-value', `${show(raw)} may be read but not set`)
    }
  }
  if (ranges !== undefined && numeric !== undefined) {
    const n = numeric
    if (!ranges.some((r) => inRange(n, r))) return problem('out-of-range', `${value} is not in ${describeRanges(ranges)}`)
  }
  if (sizes !== undefined) {
    const found = lengthProblem(length ?? codePointLength(value), sizes, unit)
    if (found !== undefined) return found
  }
  if (patterns !== undefined && !compiledPattern(syntax, patterns).test(value)) {
    return problem('pattern-mismatch', `${show(raw)} matches none of the patterns ${patterns.map((p) => JSON.stringify(p)).join(', ')}`)
  }
  return undefined
}

/** Split a list value into items: at top-level commas, XML spaces around each item removed. */
function splitList(value: string, brackets: boolean): string[] | ValueProblem {
  if (/^[ \t\r\n]*$/.test(value)) return []
  if (!brackets) return value.split(',').map((s) => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, ''))
  const items: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i <= value.length; i++) {
    const c = value[i]
    if (c === '[') depth++
    else if (c === ']') {
      depth--
      if (depth < 0) return problem('wrong-type', 'unbalanced "]"')
    } else if ((c === ',' && depth === 0) || c === undefined) {
      const item = value.slice(start, i).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
      if (!item.startsWith('[') || !item.endsWith(']')) {
        return { reason: 'list-item-invalid', message: `item ${items.length + 1} is not in square brackets`, item: items.length, itemProblem: problem('wrong-type', 'not in square brackets') }
      }
      items.push(item.slice(1, -1))
      start = i + 1
    }
  }
  if (depth !== 0) return problem('wrong-type', 'unbalanced "["')
  return items
}

function checkList(syntax: ListSyntax, value: string, setting: boolean): ValueProblem | undefined {
  if (syntax.sizes !== undefined) {
    const found = lengthProblem(codePointLength(value), syntax.sizes, 'characters')
    if (found !== undefined) return found
  }
  const items = splitList(value, syntax.nestedBrackets === 'required')
  if (!Array.isArray(items)) return items
  if (syntax.minItems !== undefined && items.length < syntax.minItems) {
    return problem('too-few-items', `${items.length} items, at least ${syntax.minItems} needed`)
  }
  if (syntax.maxItems !== undefined && items.length > syntax.maxItems) {
    return problem('too-many-items', `${items.length} items, at most ${syntax.maxItems} allowed`)
  }
  for (let i = 0; i < items.length; i++) {
    const found = check(syntax.item, items[i] as string, setting)
    if (found !== undefined) {
      return { reason: 'list-item-invalid', message: `item ${i + 1}: ${found.message}`, item: i, itemProblem: found }
    }
  }
  return undefined
}

function check(syntax: ValueSyntax, value: string, setting: boolean): ValueProblem | undefined {
  return syntax.type === 'list' ? checkList(syntax, value, setting) : checkScalar(syntax, value, setting)
}

/**
 * Check a lexical value against a syntax: undefined when it follows it, else the problem.
 *
 * @param syntax - the syntax (from a {@link ParameterDefinition})
 * @param value - the value as carried on the wire
 * @param options - `setting: true` when an ACS sets it
 *
 * @category Data models
 */
export function checkValue(syntax: ValueSyntax, value: string, options: CheckValueOptions = {}): ValueProblem | undefined {
  if (typeof value !== 'string') return problem('wrong-type', 'the value is not a string')
  return check(syntax, value, options.setting === true)
}
