/**
 * Scalar converters: one per simple type used by the CWMP schemas. Each turns element text into a
 * value (lenient with a warning; where the text is not a value of the type, lenient mode reads the
 * type's fallback and keeps the text, strict mode fails: D26) and a value back into text (refusing
 * anything the schema for the target version would reject).
 *
 * @module
 */
import type { XmlElement } from '../xml/reader.js'
import type { CwmpVersion } from '../types/version.js'
import type { DecodeContext, EncodeContext } from './context.js'
import { codePointLength, collapse, isBase64, isDateTime, trimXml, withinLength, xsdPattern } from '../values/lexical.js'

/** A converter between element text and a typed value. @internal */
export interface Scalar<T> {
  /** Type name for messages. */
  readonly name: string
  /** The value a missing element takes in lenient decoding (strings only: ''). */
  readonly empty?: T
  /** `encode` only ever returns characters that need no escaping in XML text (digits, signs): the writer skips the escape pass. */
  readonly xmlSafe?: true
  decode(text: string, el: XmlElement, ctx: DecodeContext): T
  encode(value: T, ctx: EncodeContext): string
}

/** Options of a string type. @internal */
export interface StringOptions {
  readonly maxLength?: number
  readonly length?: number
  /** The value must match (XSD patterns, already compiled, or any predicate with `test`). */
  readonly pattern?: (version: CwmpVersion) => { test(s: string): boolean } | undefined
  /** Trim surrounding whitespace on decode (names and tokens that cannot contain any). */
  readonly trim?: boolean
}

/**
 * A value for a message: short values verbatim (an OUI, an event code), long ones by their length
 * only, so that a too-long password does not end up in logs through a warning.
 */
function shown(s: string): string {
  return s.length <= 64 ? JSON.stringify(s) : `(${s.length} characters)`
}

/** The indefinite article before a type name: "an xs:int", "an InstanceNumber", "a Notification". */
function article(typeName: string): 'a' | 'an' {
  return /^(?:[aeiou]|xs:)/i.test(typeName) ? 'an' : 'a'
}

/** xs:string with facets. @internal */
export function str(name: string, options: StringOptions = {}): Scalar<string> {
  const { maxLength, length, pattern, trim } = options
  const check = (s: string, version: CwmpVersion): string | undefined => {
    if (maxLength !== undefined && !withinLength(s, maxLength)) return `longer than ${maxLength} characters`
    if (length !== undefined && (s.length < length || codePointLength(s) !== length)) return `not exactly ${length} characters`
    const re = pattern?.(version)
    if (re !== undefined && !re.test(s)) return `not matching the ${name} pattern`
    return undefined
  }
  return {
    name,
    empty: '',
    decode(text, el, ctx) {
      let s = text
      if (trim === true) {
        const t = trimXml(s)
        if (t !== s) {
          ctx.warn('WHITESPACE_TRIMMED', `whitespace around ${name} removed`, el)
          s = t
        }
      }
      const problem = check(s, ctx.version)
      if (problem !== undefined) ctx.warn('FACET', `${name} ${shown(s)} is ${problem}`, el)
      return s
    },
    encode(value, ctx) {
      if (typeof value !== 'string') ctx.fail(`expected a string for ${name}`)
      const problem = check(value, ctx.version)
      if (problem !== undefined) ctx.facet(`${name} ${shown(value)} is ${problem}`)
      return value
    },
  }
}

/**
 * xs:boolean: decodes `1`, `0`, `true`, `false` (whitespace collapsed); in lenient mode also another
 * case (`True`, with `BOOLEAN_CASE`) and anything else as `false` (with `SCALAR_INVALID`, D26);
 * encodes `1` / `0`. @internal
 */
export const bool: Scalar<boolean> = {
  name: 'xs:boolean',
  xmlSafe: true,
  decode(text, el, ctx) {
    const s = collapse(text)
    if (s === '1' || s === 'true') return true
    if (s === '0' || s === 'false') return false
    // Lenient per field (D26): another case reads as that value; anything else as false, with the text kept.
    const lower = s.toLowerCase()
    if (lower === 'true' || lower === 'false') {
      return ctx.lenientScalar('BOOLEAN_CASE', `${JSON.stringify(text)} read as ${lower}: xs:boolean is lower case`, el, text, lower === 'true')
    }
    return ctx.lenientScalar('SCALAR_INVALID', `${JSON.stringify(text)} is not an xs:boolean`, el, text, false)
  },
  encode(value, ctx) {
    if (typeof value !== 'boolean') ctx.fail('expected a boolean')
    return value ? '1' : '0'
  },
}

/** Options of an integer type. @internal */
export interface IntOptions {
  readonly min: number
  readonly max: number
  /** Values the type allows; others fail to decode in strict mode and read as the first in lenient mode (D26). */
  readonly oneOf?: readonly number[]
  /** Narrower range that is a facet only: outside it decodes with a warning. */
  readonly facet?: (value: number, version: CwmpVersion) => boolean
}

/**
 * An XSD integer type that fits a JavaScript number (int, unsignedInt and restrictions). Its value
 * type is `number`, or the union of the `oneOf` values (the only ones it decodes), never a type
 * its checks do not ensure.
 *
 * @internal
 */
export function integer<const T extends number>(name: string, options: IntOptions & { readonly oneOf: readonly T[] }): Scalar<T>
/** @internal */
export function integer(name: string, options: IntOptions & { readonly oneOf?: undefined }): Scalar<number>
export function integer<T extends number>(name: string, options: IntOptions): Scalar<T> {
  const { min, max, oneOf, facet } = options
  // What a field of this type holds when lenient decoding cannot read its text (D26).
  const fallback = (oneOf?.[0] ?? (min <= 0 && max >= 0 ? 0 : min)) as T
  return {
    name,
    xmlSafe: true,
    decode(text, el, ctx) {
      const s = collapse(text)
      // Leading zeros are allowed (and do not count towards the 20 significant digits).
      if (!/^[+-]?0*\d{1,20}$/.test(s)) {
        return ctx.lenientScalar('SCALAR_INVALID', `${JSON.stringify(text)} is not ${article(name)} ${name}`, el, text, fallback)
      }
      const v = Number(s)
      if (v < min || v > max) return ctx.lenientScalar('SCALAR_INVALID', `${s} is out of range for ${name}`, el, text, fallback)
      // The xs:unsignedInt-based types (min 0) have no sign in their lexical space.
      if (min >= 0 && (s.startsWith('+') || s.startsWith('-'))) ctx.warn('FACET', `${s}: ${name} allows no sign`, el)
      if (oneOf !== undefined && !oneOf.includes(v)) {
        return ctx.lenientScalar('SCALAR_INVALID', `${s} is not one of ${oneOf.join(', ')} for ${name}`, el, text, fallback)
      }
      if (facet !== undefined && !facet(v, ctx.version)) {
        ctx.warn('FACET', `${s} is outside the values ${name} allows in CWMP ${ctx.version}`, el)
      }
      return (v === 0 ? 0 : v) as T // normalise -0
    },
    encode(value, ctx) {
      if (typeof value !== 'number' || !Number.isInteger(value)) ctx.fail(`expected an integer for ${name}`)
      if (value < min || value > max) ctx.fail(`${value} is out of range for ${name}`)
      if (oneOf !== undefined && !oneOf.includes(value)) ctx.fail(`${value} is not one of ${oneOf.join(', ')}`)
      if (facet !== undefined && !facet(value, ctx.version)) {
        ctx.facet(`${value} is not allowed for ${name} in CWMP ${ctx.version}`)
      }
      return String(value === 0 ? 0 : value)
    },
  }
}

/** xs:unsignedInt. @internal */
export const unsignedInt: Scalar<number> = integer('xs:unsignedInt', { min: 0, max: 4294967295 })
/** xs:int. @internal */
export const int: Scalar<number> = integer('xs:int', { min: -2147483648, max: 2147483647 })

/** xs:dateTime, kept lexical. Invalid forms decode with a warning; they cannot be encoded. @internal */
export const dateTime: Scalar<string> = {
  name: 'xs:dateTime',
  decode(text, el, ctx) {
    const s = collapse(text)
    if (!isDateTime(s)) ctx.warn('DATETIME_LEXICAL', `${JSON.stringify(text)} is not a valid xs:dateTime`, el)
    return s
  },
  encode(value, ctx) {
    if (typeof value !== 'string') ctx.fail('expected a string for xs:dateTime')
    if (!isDateTime(value)) ctx.facet(`${JSON.stringify(value)} is not a valid xs:dateTime`)
    return value
  },
}

/** soap-enc:base64, kept lexical. @internal */
export const base64: Scalar<string> = {
  name: 'soap-enc:base64',
  decode(text, el, ctx) {
    const s = collapse(text)
    if (!isBase64(s)) ctx.warn('FACET', 'not a valid base64 value', el)
    return s
  },
  encode(value, ctx) {
    if (typeof value !== 'string') ctx.fail('expected a string for soap-enc:base64')
    if (!isBase64(value)) ctx.facet('not a valid base64 value')
    return value
  },
}

/**
 * A string enumeration whose values the TypeScript type lists: others fail to decode in strict mode
 * and read as the first value, with `SCALAR_INVALID`, in lenient mode (D26). @internal
 */
export function enumeration<T extends string>(name: string, values: readonly T[]): Scalar<T> {
  return {
    name,
    decode(text, el, ctx) {
      const s = collapse(text)
      if (!(values as readonly string[]).includes(s)) {
        return ctx.lenientScalar('SCALAR_INVALID', `${JSON.stringify(text)} is not one of ${values.join(', ')}`, el, text, values[0] as T)
      }
      return s as T
    },
    encode(value, ctx) {
      if (!(values as readonly string[]).includes(value)) ctx.fail(`${JSON.stringify(value)} is not one of ${values.join(', ')}`)
      return value
    },
  }
}

// ---------------------------------------------------------------------------------------------
// The simple types of cwmp-1-0 … cwmp-1-4 whose facets change with the version.

const V10 = (v: CwmpVersion): boolean => v === '1.0'
const V11 = (v: CwmpVersion): boolean => v === '1.1'

const EVENT_1_0 = xsdPattern(
  '0 BOOTSTRAP',
  '1 BOOT',
  '2 PERIODIC',
  '3 SCHEDULED',
  '4 VALUE CHANGE',
  '5 KICKED',
  '6 CONNECTION REQUEST',
  '7 TRANSFER COMPLETE',
  '8 DIAGNOSTICS COMPLETE',
  '9 REQUEST DOWNLOAD',
  'M Reboot',
  'M ScheduleInform',
  'M Download',
  'M Upload',
  'M X_\\S+',
  'X [0-9A-F]{6} .*',
)
const EVENT_1_1 = xsdPattern('\\d+( \\S+)+', 'M \\S+', 'M X_\\S+', 'X [0-9A-F]{6} .*')
const EVENT_1_2 = xsdPattern('\\d+( \\S+)+', 'M \\S+', 'M X_\\S+', 'X [0-9A-F]{6} .+', 'X \\S+ .+')

/** EventCodeType. @internal */
export const eventCode: Scalar<string> = str('EventCode', {
  maxLength: 64,
  trim: true,
  pattern: (v) => (V10(v) ? EVENT_1_0 : V11(v) ? EVENT_1_1 : EVENT_1_2),
})

const DOWNLOAD_1_0 = xsdPattern(
  '1 Firmware Upgrade Image',
  '2 Web Content',
  '3 Vendor Configuration File',
  'X [0-9A-F]{6} .*',
)
const UPLOAD_1_0 = xsdPattern('1 Vendor Configuration File', '2 Vendor Log File', 'X [0-9A-F]{6} .*')
const TRANSFER_1_1 = xsdPattern(
  '1 Firmware Upgrade Image',
  '2 Web Content',
  '3 Vendor Configuration File',
  '4 Vendor Log File',
  'X [0-9A-F]{6} .*',
)
const DOWNLOAD_1_2 = xsdPattern('[1-9]\\d*( \\S+)+', 'X [0-9A-F]{6} .+', 'X \\S+ .+')
const UPLOAD_1_2 = xsdPattern('[1-9]\\d*( \\S+)+', '[1-9]\\d*( \\S+)+ [1-9]\\d*', 'X [0-9A-F]{6} .+', 'X \\S+ .+')

/** DownloadFileType (Download, ScheduleDownload, RequestDownload). @internal */
export const downloadFileType: Scalar<string> = str('FileType', {
  maxLength: 64,
  pattern: (v) => (V10(v) || V11(v) ? DOWNLOAD_1_0 : DOWNLOAD_1_2),
})
/** UploadFileType (Upload). @internal */
export const uploadFileType: Scalar<string> = str('FileType', {
  maxLength: 64,
  pattern: (v) => (V10(v) || V11(v) ? UPLOAD_1_0 : UPLOAD_1_2),
})
/** TransferFileType (AllQueuedTransferStruct, AutonomousTransferComplete; 1.1+). @internal */
export const transferFileType: Scalar<string> = str('FileType', {
  maxLength: 64,
  pattern: (v) => (V10(v) || V11(v) ? TRANSFER_1_1 : UPLOAD_1_2),
})
/** TimeWindowModeValueType (1.2+). @internal */
export const windowMode: Scalar<string> = str('WindowMode', { maxLength: 64, pattern: () => DOWNLOAD_1_2 })

const OUI = xsdPattern('[0-9A-F]{6}')
/** OUI: six upper-case hexadecimal digits. @internal */
export const oui: Scalar<string> = str('OUI', { length: 6, pattern: () => OUI })

const OBJECT_NAME = xsdPattern('.*\\.')
/** ObjectNameType: a path ending in a dot. @internal */
export const objectName: Scalar<string> = str('ObjectName', {
  maxLength: 256,
  trim: true,
  pattern: () => OBJECT_NAME,
})

const UUID = xsdPattern('[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}')
/** DeploymentUnitUUID. @internal */
export const uuid: Scalar<string> = str('UUID', { pattern: () => UUID, trim: true })

/** CommandKeyType / ParameterKeyType: strings of at most 32 characters. @internal */
export const key32: Scalar<string> = str('xs:string(32)', { maxLength: 32 })

/** A parameter name or path (whitespace around it is removed on decode). @internal */
export function name(maxLength: number | undefined): Scalar<string> {
  return str('Name', maxLength === undefined ? { trim: true } : { maxLength, trim: true })
}

/** A string with a maximum length. @internal */
export function string(maxLength?: number): Scalar<string> {
  return str(maxLength === undefined ? 'xs:string' : `xs:string(${maxLength})`, maxLength === undefined ? {} : { maxLength })
}

const inRange = (v: number, lo: number, hi: number): boolean => v >= lo && v <= hi

/** The CWMP FaultCode of a `cwmp:Fault` (FaultCodeType, CPE/ACS fault code unions). @internal */
export const faultCode: Scalar<number> = integer('FaultCode', {
  min: 0,
  max: 4294967295,
  facet: (v, version) => {
    if (V10(version)) {
      return inRange(v, 9000, 9013) || inRange(v, 9800, 9899) || inRange(v, 8000, 8005) || inRange(v, 8800, 8899)
    }
    return inRange(v, 9000, 9899) || inRange(v, 8000, 8899)
  },
})

/** The FaultCode of a SetParameterValuesFault entry: CPE codes only (1.2+). @internal */
export const spvFaultCode: Scalar<number> = integer('FaultCode', {
  min: 0,
  max: 4294967295,
  facet: (v, version) => {
    if (V10(version)) return inRange(v, 9000, 9013) || inRange(v, 9800, 9899) || inRange(v, 8000, 8005) || inRange(v, 8800, 8899)
    if (V11(version)) return inRange(v, 9000, 9899) || inRange(v, 8000, 8899)
    return inRange(v, 9000, 9899)
  },
})

const TRANSFER_FAULTS_1_0 = [0, 9001, 9002, 9010, 9011, 9012]
const TRANSFER_FAULTS_1_2 = [...TRANSFER_FAULTS_1_0, 9014, 9015, 9016, 9017, 9018, 9019, 9020]
/** FaultCode of TransferComplete / AutonomousTransferComplete. @internal */
export const transferFaultCode: Scalar<number> = integer('FaultCode', {
  min: 0,
  max: 4294967295,
  facet: (v, version) => {
    if (V10(version)) return TRANSFER_FAULTS_1_0.includes(v)
    if (V11(version)) return TRANSFER_FAULTS_1_0.includes(v) || inRange(v, 9014, 9899)
    return TRANSFER_FAULTS_1_2.includes(v) || inRange(v, 9033, 9899)
  },
})

const DU_FAULTS = [0, 9001, 9003, 9012, 9013, 9015, 9016, 9017, 9018, 9022, 9023, 9024, 9025, 9026, 9027, 9028, 9029, 9030, 9031, 9032]
/** FaultCode of DeploymentUnitFaultStruct (1.2+). @internal */
export const duFaultCode: Scalar<number> = integer('FaultCode', {
  min: 0,
  max: 4294967295,
  facet: (v) => DU_FAULTS.includes(v) || inRange(v, 9033, 9899),
})

/** ParameterAttributeNotificationValueType: 0–2 in 1.0 and 1.1, 0–6 from 1.2. @internal */
export const notification: Scalar<0 | 1 | 2 | 3 | 4 | 5 | 6> = integer('Notification', {
  min: -2147483648,
  max: 2147483647,
  oneOf: [0, 1, 2, 3, 4, 5, 6],
  facet: (v, version) => !(V10(version) || V11(version)) || v <= 2,
})
