/**
 * Name patterns of a fleet: `SIM{n:06}` gives `SIM000001`, `SIM000002`, … Each pattern is read
 * once into literal and field parts, so a device's name costs one join and nothing is stored per
 * device until it is asked for.
 *
 * Fields: `{n}` the device number (from `--first`, default 1), `{n:06}` zero-padded to 6 digits,
 * `{i}` the 0-based index, `{serial}` the device's serial number, `{oui}`, `{productClass}`, and
 * `{cpe}` the TR-069 CPE user name `OUI-ProductClass-SerialNumber` (§3.4.4). `{{` and `}}` are
 * literal braces.
 *
 * @module
 */
import { formatCpeUsername } from '../auth/basic.js'
import { ConfigError } from '../errors.js'

/**
 * What a pattern's fields are filled from.
 *
 * @internal
 */
export interface PatternFields {
  /** The device number. */
  readonly n: number
  /** The 0-based index in the fleet. */
  readonly i: number
  /** The serial number (absent while the serial-number pattern itself is expanded). */
  readonly serial?: string
  /** The DeviceId OUI. */
  readonly oui: string
  /** The DeviceId ProductClass. */
  readonly productClass: string
}

type Part = string | { readonly field: 'n' | 'i' | 'serial' | 'oui' | 'productClass' | 'cpe'; readonly width: number }

/**
 * A compiled pattern.
 *
 * @internal
 */
export interface NamePattern {
  /** The pattern as given. */
  readonly source: string
  /** True when the pattern has a per-device field (`{n}`, `{i}`, `{serial}`, `{cpe}`). */
  readonly perDevice: boolean
  /** The name for one device. */
  format(fields: PatternFields): string
}

const FIELDS = new Set(['n', 'i', 'serial', 'oui', 'productClass', 'cpe'])

/**
 * Compile a pattern.
 *
 * @param source - e.g. `SIM{n:06}`
 * @param field - the option it came from, for the error
 * @param allowSerial - whether `{serial}` and `{cpe}` may be used (not in the serial pattern itself)
 * @throws {@link ConfigError} naming `field` for an unknown field, a bad width or an unclosed brace
 * @internal
 */
export function compilePattern(source: string, field: string, allowSerial = true): NamePattern {
  const parts: Part[] = []
  let literal = ''
  for (let k = 0; k < source.length; k++) {
    const c = source[k] as string
    if (c === '{' && source[k + 1] === '{') {
      literal += '{'
      k++
      continue
    }
    if (c === '}' && source[k + 1] === '}') {
      literal += '}'
      k++
      continue
    }
    if (c === '}') throw new ConfigError(field, 'a pattern whose braces match (use }} for a literal })', source)
    if (c !== '{') {
      literal += c
      continue
    }
    const end = source.indexOf('}', k)
    if (end === -1) throw new ConfigError(field, 'a pattern whose braces match (use {{ for a literal {)', source)
    const body = source.slice(k + 1, end)
    const m = /^([A-Za-z]+)(?::(0?)(\d{1,2}))?$/.exec(body)
    const name = m?.[1]
    if (m === null || name === undefined || !FIELDS.has(name)) {
      throw new ConfigError(field, 'a pattern of {n}, {n:06}, {i}, {serial}, {oui}, {productClass}, {cpe}', source)
    }
    if (!allowSerial && (name === 'serial' || name === 'cpe')) {
      throw new ConfigError(field, 'a pattern without {serial} or {cpe} (it makes the serial number)', source)
    }
    const width = m[3] === undefined ? 0 : Number(m[3])
    if (width !== 0 && name !== 'n' && name !== 'i') throw new ConfigError(field, 'a pattern with a width on {n} or {i} only', source)
    if (literal !== '') parts.push(literal)
    literal = ''
    parts.push({ field: name as 'n', width })
    k = end
  }
  if (literal !== '') parts.push(literal)
  const perDevice = parts.some((p) => typeof p !== 'string' && p.field !== 'oui' && p.field !== 'productClass')
  return {
    source,
    perDevice,
    format(fields) {
      let out = ''
      for (const p of parts) {
        if (typeof p === 'string') {
          out += p
          continue
        }
        switch (p.field) {
          case 'n':
          case 'i': {
            const s = String(fields[p.field])
            out += p.width > s.length ? s.padStart(p.width, '0') : s
            break
          }
          case 'serial':
            out += fields.serial ?? ''
            break
          case 'oui':
            out += fields.oui
            break
          case 'productClass':
            out += fields.productClass
            break
          case 'cpe':
            out += cpeUsername(fields)
            break
        }
      }
      return out
    },
  }
}

function cpeUsername(fields: PatternFields): string {
  try {
    return formatCpeUsername({ oui: fields.oui, productClass: fields.productClass, serialNumber: fields.serial ?? '' })
  } catch {
    // Not a six-digit OUI: the fields joined as they are.
    return `${fields.oui}-${fields.productClass}-${fields.serial ?? ''}`
  }
}
