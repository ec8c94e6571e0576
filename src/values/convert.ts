/**
 * Typed access to the lexical values of `ParameterValueStruct`: conversions with range checks,
 * 64-bit integers as `bigint`, and `xs:dateTime` that keeps the Unknown Time and zone-less values.
 *
 * @module
 */
import { DecodeError, EncodeError } from '../errors.js'
import type { ParameterValueStruct, ValueType } from '../types/structs.js'
import { collapse, inIntegerRange, isBase64, isDateTime, isHexBinary, parseInteger } from './lexical.js'

/**
 * The Unknown Time of TR-069 (Table 12): the time is unknown or not applicable.
 *
 * @category Values
 */
export const UNKNOWN_TIME = '0001-01-01T00:00:00Z'

function invalid(message: string): never {
  throw new DecodeError('ERR_CWMP_ARGUMENT_INVALID', message)
}

/**
 * Parse an `xs:boolean`: `1`, `0`, `true` or `false`, surrounding whitespace ignored.
 *
 * @param lexical - the value text
 * @throws {@link DecodeError} `ERR_CWMP_ARGUMENT_INVALID` for anything else
 *
 * @category Values
 */
export function parseBoolean(lexical: string): boolean {
  const s = collapse(lexical)
  if (s === '1' || s === 'true') return true
  if (s === '0' || s === 'false') return false
  return invalid(`${JSON.stringify(lexical)} is not an xs:boolean`)
}

function parseRanged(type: string, lexical: string): bigint {
  const v = parseInteger(collapse(lexical))
  if (v === undefined) return invalid(`${JSON.stringify(lexical)} is not an integer`)
  if (!inIntegerRange(type, v)) return invalid(`${lexical.trim()} is out of range for xsd:${type}`)
  return v
}

/**
 * Parse an `xs:int` (−2³¹ … 2³¹−1). Leading zeros and a `+` sign are accepted.
 *
 * @param lexical - the value text
 * @throws {@link DecodeError} `ERR_CWMP_ARGUMENT_INVALID` when malformed or out of range
 *
 * @category Values
 */
export function parseInt32(lexical: string): number {
  return Number(parseRanged('int', lexical))
}

/**
 * Parse an `xs:unsignedInt` (0 … 2³²−1).
 *
 * @param lexical - the value text
 * @throws {@link DecodeError} `ERR_CWMP_ARGUMENT_INVALID` when malformed or out of range
 *
 * @category Values
 */
export function parseUnsignedInt(lexical: string): number {
  return Number(parseRanged('unsignedInt', lexical))
}

/**
 * Parse an `xs:long` (−2⁶³ … 2⁶³−1) without losing precision.
 *
 * @param lexical - the value text
 * @throws {@link DecodeError} `ERR_CWMP_ARGUMENT_INVALID` when malformed or out of range
 *
 * @category Values
 */
export function parseLong(lexical: string): bigint {
  return parseRanged('long', lexical)
}

/**
 * Parse an `xs:unsignedLong` (0 … 2⁶⁴−1) without losing precision.
 *
 * @param lexical - the value text
 * @throws {@link DecodeError} `ERR_CWMP_ARGUMENT_INVALID` when malformed or out of range
 *
 * @category Values
 */
export function parseUnsignedLong(lexical: string): bigint {
  return parseRanged('unsignedLong', lexical)
}

/**
 * An interpreted `xs:dateTime`.
 *
 * @category Values
 */
export interface DateTimeValue {
  /** The lexical form, unchanged. */
  readonly lexical: string
  /** True for the Unknown Time, `0001-01-01T00:00:00Z`. */
  readonly unknown: boolean
  /** True when the value has a zone (`Z` or `±hh:mm`). */
  readonly hasZone: boolean
  /**
   * TR-069 A.2.1: a value without a zone whose year is before 1000 is a time relative to boot;
   * this is that duration in seconds (e.g. `0001-01-01T00:01:30` → 90, counted from 0001-01-01).
   */
  readonly sinceBootSeconds?: number
  /** The instant, for values with a zone other than the Unknown Time. */
  readonly date?: Date
}

/**
 * Interpret an `xs:dateTime` lexical value.
 *
 * @param lexical - the value text
 * @throws {@link DecodeError} `ERR_CWMP_ARGUMENT_INVALID` when it is not a valid xs:dateTime
 *
 * @category Values
 */
export function parseDateTime(lexical: string): DateTimeValue {
  const s = collapse(lexical)
  if (!isDateTime(s)) return invalid(`${JSON.stringify(lexical)} is not a valid xs:dateTime`)
  const m = /^(-?\d{4,})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/.exec(s) as RegExpExecArray
  const zone = m[8]
  const hasZone = zone !== undefined
  const year = Number(m[1])
  const ms = utcMillis(year, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), m[7])
  const unknown = hasZone && ms === utcMillis(1, 1, 1, 0, 0, 0, undefined) && (zone === 'Z' || zone.endsWith('00:00'))
  const out: { -readonly [K in keyof DateTimeValue]: DateTimeValue[K] } = { lexical, unknown, hasZone }
  if (!hasZone && year < 1000) out.sinceBootSeconds = (ms - utcMillis(1, 1, 1, 0, 0, 0, undefined)) / 1000
  if (hasZone && !unknown) {
    const offset = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)))
    out.date = new Date(ms - offset * 60_000)
  }
  return out
}

function utcMillis(y: number, mo: number, d: number, h: number, mi: number, sec: number, frac: string | undefined): number {
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, sec, frac === undefined ? 0 : Math.floor(Number(`0${frac}`) * 1000))
  return date.getTime()
}

/**
 * Format a `Date` as an `xs:dateTime` in UTC (`2026-11-25T06:00:00Z`, with milliseconds when not zero).
 *
 * @param date - the instant
 *
 * @category Values
 */
export function formatDateTime(date: Date): string {
  const iso = date.toISOString()
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso
}

function decodeBase64(lexical: string): Uint8Array {
  const s = collapse(lexical)
  if (!isBase64(s)) return invalid('not a valid base64 value')
  return new Uint8Array(Buffer.from(s.replace(/ /g, ''), 'base64'))
}

function decodeHex(lexical: string): Uint8Array {
  const s = collapse(lexical)
  if (!isHexBinary(s)) return invalid('not a valid hexBinary value')
  return new Uint8Array(Buffer.from(s, 'hex'))
}

/**
 * A parameter value interpreted according to its type.
 *
 * @category Values
 */
export type TypedValue =
  | {
      /** The `xsi:type`. */
      readonly type: 'xsd:string'
      /** The string, as received. */
      readonly value: string
    }
  | {
      /** The `xsi:type`. */
      readonly type: 'xsd:boolean'
      /** `0`/`false` or `1`/`true`. */
      readonly value: boolean
    }
  | {
      /** The `xsi:type`. */
      readonly type: 'xsd:int' | 'xsd:unsignedInt'
      /** The 32-bit integer, range-checked. */
      readonly value: number
    }
  | {
      /** The `xsi:type`. */
      readonly type: 'xsd:long' | 'xsd:unsignedLong'
      /** The 64-bit integer, without loss of precision. */
      readonly value: bigint
    }
  | {
      /** The `xsi:type`. */
      readonly type: 'xsd:dateTime'
      /** The date and time, kept lexically (see {@link parseDateTime}). */
      readonly value: DateTimeValue
    }
  | {
      /** The `xsi:type`. */
      readonly type: 'xsd:base64Binary' | 'soap-enc:base64' | 'xsd:hexBinary'
      /** The decoded bytes. */
      readonly value: Uint8Array
    }
  | {
      /** Any other type (`xsd:decimal`, vendor types, …). */
      readonly type: 'other'
      /** The `xsi:type` as received. */
      readonly xsiType: string
      /** The lexical value, as received. */
      readonly value: string
    }

/**
 * Interpret a parameter value by its `xsi:type`. Types without a richer representation
 * (`xsd:decimal`, vendor types, …) come back as `other` with the lexical value.
 *
 * @param parameter - a decoded ParameterValueStruct
 * @throws {@link DecodeError} `ERR_CWMP_ARGUMENT_INVALID` when the value does not fit its type
 *
 * @category Values
 */
export function parseParameterValue(parameter: Pick<ParameterValueStruct, 'type' | 'value'>): TypedValue {
  const { type, value } = parameter
  switch (type) {
    case 'xsd:string':
      return { type: 'xsd:string', value }
    case 'xsd:boolean':
      return { type: 'xsd:boolean', value: parseBoolean(value) }
    case 'xsd:int':
      return { type: 'xsd:int', value: parseInt32(value) }
    case 'xsd:unsignedInt':
      return { type: 'xsd:unsignedInt', value: parseUnsignedInt(value) }
    case 'xsd:long':
      return { type: 'xsd:long', value: parseLong(value) }
    case 'xsd:unsignedLong':
      return { type: 'xsd:unsignedLong', value: parseUnsignedLong(value) }
    case 'xsd:dateTime':
      return { type: 'xsd:dateTime', value: parseDateTime(value) }
    case 'xsd:base64Binary':
      return { type: 'xsd:base64Binary', value: decodeBase64(value) }
    case 'soap-enc:base64':
      return { type: 'soap-enc:base64', value: decodeBase64(value) }
    case 'xsd:hexBinary':
      return { type: 'xsd:hexBinary', value: decodeHex(value) }
    default:
      return { type: 'other', xsiType: type, value }
  }
}

/**
 * A value for {@link toParameterValue}.
 *
 * @category Values
 */
export type ParameterValueInput = string | boolean | number | bigint | Date | Uint8Array

/**
 * Options of {@link toParameterValue}.
 *
 * @category Values
 */
export interface ToParameterValueOptions {
  /** The `xsi:type` to use; inferred from the JavaScript type when omitted. */
  readonly type?: ValueType
  /** How booleans are written: `'1'`/`'0'` (default: what CPEs such as TP-Link accept) or `'true'`/`'false'`. */
  readonly booleanForm?: 'numeric' | 'word'
}

function fail(message: string): never {
  throw new EncodeError(message)
}

/**
 * Build a ParameterValueStruct from a typed value, with range checks.
 *
 * Inference: string → `xsd:string`; boolean → `xsd:boolean`; number → `xsd:unsignedInt` when
 * non-negative, else `xsd:int`; bigint → `xsd:unsignedLong` when non-negative, else `xsd:long`;
 * Date → `xsd:dateTime`; Uint8Array → `xsd:base64Binary`.
 *
 * @param name - parameter path
 * @param value - the typed value
 * @param options - explicit type and boolean form
 * @throws {@link EncodeError} when the value does not fit the type
 *
 * @example
 * ```ts
 * toParameterValue('Device.ManagementServer.PeriodicInformInterval', 300)
 * // { name: '…', type: 'xsd:unsignedInt', value: '300' }
 * ```
 *
 * @category Values
 */
export function toParameterValue(
  name: string,
  value: ParameterValueInput,
  options: ToParameterValueOptions = {},
): ParameterValueStruct {
  const type = options.type ?? inferValueType(value)
  return { name, type, value: lexicalOf(type, value, options.booleanForm ?? 'numeric') }
}

/** The `xsi:type` {@link toParameterValue} infers from a JavaScript value. @internal */
export function inferValueType(value: ParameterValueInput): ValueType {
  if (typeof value === 'string') return 'xsd:string'
  if (typeof value === 'boolean') return 'xsd:boolean'
  if (typeof value === 'number') return value >= 0 ? 'xsd:unsignedInt' : 'xsd:int'
  if (typeof value === 'bigint') return value >= 0n ? 'xsd:unsignedLong' : 'xsd:long'
  if (value instanceof Date) return 'xsd:dateTime'
  if (value instanceof Uint8Array) return 'xsd:base64Binary'
  return fail('unsupported value')
}

function lexicalOf(type: ValueType, value: ParameterValueInput, booleanForm: 'numeric' | 'word'): string {
  switch (type) {
    case 'xsd:boolean':
      if (typeof value !== 'boolean') return fail('xsd:boolean needs a boolean')
      return booleanForm === 'word' ? String(value) : value ? '1' : '0'
    case 'xsd:int':
    case 'xsd:unsignedInt':
    case 'xsd:long':
    case 'xsd:unsignedLong': {
      if (typeof value !== 'number' && typeof value !== 'bigint') return fail(`${type} needs a number or bigint`)
      if (typeof value === 'number' && !Number.isSafeInteger(value)) return fail(`${value} is not a safe integer`)
      const v = BigInt(value)
      if (!inIntegerRange(type.slice(4), v)) return fail(`${v} is out of range for ${type}`)
      return v.toString()
    }
    case 'xsd:dateTime':
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) return fail('invalid Date')
        return formatDateTime(value)
      }
      if (typeof value === 'string' && isDateTime(value)) return value
      return fail('xsd:dateTime needs a Date or a lexical dateTime')
    case 'xsd:base64Binary':
    case 'soap-enc:base64':
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
      return fail(`${type} needs a Uint8Array`)
    case 'xsd:hexBinary':
      if (value instanceof Uint8Array) return Buffer.from(value).toString('hex').toUpperCase()
      return fail('xsd:hexBinary needs a Uint8Array')
    default:
      if (typeof value === 'string') return value
      if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value)
      return fail(`${type} needs a string`)
  }
}
