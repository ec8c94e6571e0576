/**
 * Deterministic (seeded) plausible values for data-model parameters: a lexical value inside the
 * definition's facets, with sensible shapes for well-known data types (MACAddress, IPAddress, …).
 *
 * @module
 */
import { checkValue } from './check.js'
import type { ParameterDefinition, ScalarSyntax, ValueSyntax } from './types.js'

function mix(seed: number, text: string): number {
  let h = (seed ^ 0x9e3779b9) >>> 0
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h
}

function maxLen(s: { sizes?: readonly { maxLength?: number }[] }): number {
  const m = s.sizes?.[0]?.maxLength
  return m === undefined ? 64 : m
}

function minLen(s: { sizes?: readonly { minLength?: number }[] }): number {
  return s.sizes?.[0]?.minLength ?? 0
}

const KNOWN_PATTERNS: Record<string, (h: number) => string> = {
  '[0-9A-F]{6}': (h) => (h & 0xffffff).toString(16).toUpperCase().padStart(6, '0'),
}

// Tried in order against patterns that are neither known nor literal (checked with the pattern itself).
const PATTERN_CANDIDATES = ['1.0', '2.17', '0', '1', '1.0.0', '00:00', 'A', 'a', '0-0', '1-1', '0.0.0.0', '0.0.0.0/0', '::/0', '0/0', '123456789012345', '1234567890', '0123456789abcdef', 'A1', '1234', '12345678', 'ABCD', 'US ', 'ABCD:EF01', '0:0', '0-0-0', '00000000-0000-0000-0000-000000000000', 'a.b', 'a@b.c', 'http://a', '0,'.repeat(15) + '0', '0,0,'.repeat(7) + '0,0', '0,0,'.repeat(8) + '0']

function hex(h: number, n: number): string {
  let out = ''
  let x = h
  for (let i = 0; i < n; i++) {
    out += '0123456789abcdef'[x & 15]
    x = Math.imul(x ^ (x >>> 7), 0x2c1b3c6d) >>> 0
  }
  return out
}

function scalar(s: ScalarSyntax, h: number, name: string): string {
  if (s.enumeration !== undefined && s.enumeration.length > 0) {
    // Values an ACS may not set (readOnly enumeration entries, e.g. DiagnosticsState "Error_Internal")
    // are left out when any other remains, so a writable parameter's value passes validate.
    const settable = s.enumeration.filter((v) => s.readOnlyValues?.includes(v) !== true)
    const values = settable.length > 0 ? settable : s.enumeration
    return values[h % values.length] as string
  }
  switch (s.type) {
    case 'boolean':
      return h & 1 ? 'true' : 'false'
    case 'dateTime':
      return new Date(Date.UTC(2020, 0, 1) + (h % 157_680_000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
    case 'int':
    case 'long':
    case 'unsignedInt':
    case 'unsignedLong':
    case 'decimal': {
      const r = s.ranges?.[0]
      const unsigned = s.type.startsWith('unsigned')
      const lo = r?.minInclusive ?? (unsigned ? 0 : -1000)
      const hi = r?.maxInclusive ?? lo + 100_000
      const step = r?.step ?? 1
      const span = Math.max(0, Math.floor((hi - lo) / step))
      return String(lo + (h % (span + 1)) * step)
    }
    case 'base64': {
      const bytes = Math.max(minLen(s), Math.min(maxLen(s), 12))
      return Buffer.from(hex(h, bytes * 2), 'hex').toString('base64')
    }
    case 'hexBinary':
      return hex(h, Math.max(minLen(s), Math.min(maxLen(s), 8)) * 2)
    default:
      break
  }
  const pattern = s.patterns?.find((p) => p !== '')
  if (s.dataType === 'MACAddress' || /([0-9A-Fa-f][0-9A-Fa-f]:){5}/.test(pattern ?? '')) {
    // A unicast, locally administered address (first octet xxxxxx10): never a real vendor's, never multicast.
    const x = hex(h, 12)
    const first = ((parseInt(x.slice(0, 2), 16) & 0xfc) | 0x02).toString(16).padStart(2, '0')
    return [first, x.slice(2, 4), x.slice(4, 6), x.slice(6, 8), x.slice(8, 10), x.slice(10, 12)].join(':')
  }
  if (s.dataType === 'UUID' || (pattern !== undefined && pattern.includes('{8}-'))) {
    const x = hex(h, 32)
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
  }
  if (s.dataType === 'IPAddress' || s.dataType === 'IPv4Address') return `192.168.${(h >>> 8) & 255}.${1 + (h % 254)}`
  if (s.dataType === 'IPv6Address') return `2001:db8::${(h & 0xffff).toString(16)}`
  if (pattern !== undefined) {
    const known = KNOWN_PATTERNS[pattern]
    if (known !== undefined) return known(h)
    if (s.patterns?.includes('') === true) return ''
    const literals = (s.patterns ?? []).filter((q) => !/[\\[\](){}.*+?|^$]/.test(q))
    if (literals.length > 0) return literals[h % literals.length] as string
    for (const candidate of [...PATTERN_CANDIDATES, ...(s.patterns ?? [])]) {
      // checkValue applies the patterns (as XSD reads them) with every other facet.
      if (checkValue(s, candidate) === undefined) return candidate
    }
  }
  if (s.pathRef === true || s.enumerationRef !== undefined) return ''
  const min = minLen(s)
  const max = Math.max(min, Math.min(maxLen(s), 16))
  const base = /SerialNumber$/.test(name) ? `SN${hex(h, 10).toUpperCase()}` : `${name}-${hex(h, 6)}`
  let out = base.slice(0, max)
  for (let i = 0; out.length < min; i++) out += hex(h + i, 1)
  return out
}

/**
 * A deterministic plausible lexical value for a parameter: the same definition and seed give the same
 * value, inside the type, range, size and enumeration facets (and the well-known patterns).
 *
 * @category Data models
 */
export function plausibleValueOf(definition: ParameterDefinition, seed: number): string {
  return valueFor(definition.syntax, mix(seed, definition.path), definition.name)
}

function valueFor(syntax: ValueSyntax, h: number, name: string): string {
  if (syntax.type !== 'list') return scalar(syntax, h, name)
  const min = syntax.minItems ?? 0
  if (min === 0) return ''
  const items: string[] = []
  for (let i = 0; i < min; i++) {
    const item = valueFor(syntax.item, mix(h, String(i)), name)
    items.push(syntax.nestedBrackets === 'required' ? `[${item}]` : item)
  }
  return items.join(',')
}
