/**
 * The plain-object (JSON-compatible) form of an in-memory data model, and how one parameter of it
 * is read (type, facets, flags, value checked and made canonical) and written back.
 *
 * @module
 */
import { ConfigError } from '../errors.js'
import type { DeviceIdStruct, Notification } from '../types/structs.js'
import { inferValueType } from '../values/convert.js'
import { checkValue, defaultValue, normaliseValueType, type BooleanForm, type ValueSyntax } from '../values/syntax.js'
import { isNotification } from './notification.js'

/**
 * A parameter type: `xsd:string`, `xsd:boolean`, `xsd:int`, `xsd:unsignedInt`, `xsd:long`,
 * `xsd:unsignedLong`, `xsd:dateTime`, `xsd:base64Binary` (or `soap-enc:base64`), `xsd:hexBinary`,
 * `xsd:decimal`, or another XML Schema simple type. The `xsd:` prefix may be left out, `xs:` is
 * read as `xsd:`, and the TR-106 name `base64` means `xsd:base64Binary`.
 *
 * @category Data models
 */
export type MemoryParameterType =
  | 'xsd:string'
  | 'xsd:boolean'
  | 'xsd:int'
  | 'xsd:unsignedInt'
  | 'xsd:long'
  | 'xsd:unsignedLong'
  | 'xsd:dateTime'
  | 'xsd:base64Binary'
  | 'soap-enc:base64'
  | 'xsd:hexBinary'
  | 'xsd:decimal'
  | (string & {})

/**
 * One parameter of a {@link MemoryModelDefinition}. Everything but the type is optional.
 *
 * @category Data models
 */
export interface MemoryParameterDefinition {
  /** The type; default `xsd:string`. */
  readonly type?: MemoryParameterType
  /** The value (a lexical string, or a number, bigint or boolean); default: empty, 0, false or the Unknown Time. */
  readonly value?: string | number | bigint | boolean
  /** Whether the ACS may set it with SetParameterValues; default false. */
  readonly writable?: boolean
  /** The notification attribute, 0–6; default 0 (off). */
  readonly notification?: Notification
  /** The AccessList attribute; default empty. */
  readonly accessList?: readonly string[]
  /** The notification attribute cannot be changed (forced active or forced inform): SetParameterAttributes gets 9009. */
  readonly denyNotificationChange?: boolean
  /** Active notification may be refused ("canDeny" in the data model): SetParameterAttributes asking for it gets 9009. */
  readonly denyActiveNotification?: boolean
  /** Always read as an empty string (passwords, per TR-181); it can still be set. */
  readonly hidden?: boolean
  /** Sent in every Inform, besides the standard forced Inform parameters. */
  readonly forcedInform?: boolean
  /** Maximum length: characters for strings, bytes for base64 and hexBinary. */
  readonly maxLength?: number
  /** Smallest allowed value, for integer types. */
  readonly minimum?: number | bigint
  /** Largest allowed value, for integer types. */
  readonly maximum?: number | bigint
  /** The allowed values, for enumerated strings. */
  readonly enumeration?: readonly string[]
}

/**
 * One object of a {@link MemoryModelDefinition}, keyed by its path with the trailing dot.
 *
 * @category Data models
 */
export interface MemoryObjectDefinition {
  /**
   * For a multi-instance object (table), whether AddObject is allowed (default: true when the
   * table has a `{i}` template, else false). For an instance, whether DeleteObject is allowed
   * (default: what its table allows). For any other object, the `Writable` reported by
   * GetParameterNames (default false). A writable object with no children is an empty table.
   */
  readonly writable?: boolean
  /** For a table: the most instances AddObject may create (beyond it: 9004 Resources exceeded). */
  readonly maxEntries?: number
  /** For a table: the instance number the next AddObject uses (default: one more than the largest present). */
  readonly nextInstance?: number
  /**
   * For a table: the name of the parameter, in the object holding the table, that counts its instances
   * (default `<Table>NumberOfEntries`; TR-098's `Layer3Forwarding.Forwarding.` has `ForwardNumberOfEntries`).
   */
  readonly numberOfEntries?: string
}

/**
 * The plain-object (JSON-compatible) form of an in-memory data model.
 *
 * Paths: parameters without a trailing dot, objects with one. Objects are implied by the paths of
 * their parameters. A segment `{i}` marks the template of a multi-instance object: AddObject on
 * `Device.NAT.PortMapping.` creates `Device.NAT.PortMapping.<n>.` with the parameters defined
 * under `Device.NAT.PortMapping.{i}.`, with their values as defaults. A table without a template
 * gets one from its existing instances, with default values.
 *
 * @example
 * ```ts
 * const model = createMemoryDataModel({
 *   parameters: {
 *     'Device.DeviceInfo.SerialNumber': 'SN0001',
 *     'Device.ManagementServer.PeriodicInformInterval': { type: 'xsd:unsignedInt', value: 300, writable: true, minimum: 1 },
 *     'Device.NAT.PortMapping.{i}.Enable': { type: 'xsd:boolean', writable: true },
 *   },
 * })
 * ```
 *
 * @category Data models
 */
export interface MemoryModelDefinition {
  /** Parameters by path. A bare string, number or boolean is a read-only value of the inferred type. */
  readonly parameters: Readonly<Record<string, MemoryParameterDefinition | string | number | boolean>>
  /** Objects by path (with the trailing dot): tables, instances, and objects with no parameters. */
  readonly objects?: Readonly<Record<string, MemoryObjectDefinition>>
  /** DeviceId fields that override the values read from `DeviceInfo` (genieacs-sim `DeviceID.*` rows). */
  readonly deviceId?: Partial<DeviceIdStruct>
}

/**
 * What a parameter is, beyond its value and attributes: its syntax (type and facets) and its flags.
 * Shared by a template and the instances made from it.
 *
 * @internal
 */
export interface ParameterSpec extends ValueSyntax {
  /** Whether the ACS may set it. */
  readonly writable: boolean
  /** The notification attribute cannot be changed. */
  readonly denyNotificationChange: boolean
  /** Active notification may be refused. */
  readonly denyActiveNotification: boolean
  /** Always read as an empty string. */
  readonly hidden: boolean
  /** Sent in every Inform. */
  readonly forcedInform: boolean
}

/** A parameter read from a definition: its spec, canonical value and attributes. @internal */
export interface ParameterEntry {
  /** Syntax and flags. */
  readonly spec: ParameterSpec
  /** The value, in canonical lexical form. */
  readonly value: string
  /** The notification attribute. */
  readonly notification: Notification
  /** The AccessList attribute. */
  readonly accessList: readonly string[]
}

/** Refuse an inconsistent definition. @internal */
export function definitionError(message: string): never {
  throw new ConfigError('definition', `a consistent data model definition: ${message}`)
}

function toBigInt(v: number | bigint | undefined, what: string): bigint | undefined {
  if (v === undefined) return undefined
  if (typeof v === 'number' && !Number.isSafeInteger(v)) definitionError(`${what} must be an integer`)
  return BigInt(v)
}

function lexicalOfDefinition(value: string | number | bigint | boolean): string {
  if (typeof value === 'number' && !Number.isFinite(value)) definitionError(`${value} is not a value`)
  return String(value)
}

/**
 * Read one parameter of a definition: a {@link MemoryParameterDefinition}, or a bare value of the
 * inferred type. Its value (or the default of its syntax) is checked and made canonical.
 *
 * @param path - the parameter's path, for messages
 * @param raw - the definition
 * @param booleanForm - the canonical form of booleans
 * @throws TypeError when the definition is inconsistent
 * @internal
 */
export function readParameterDefinition(
  path: string,
  raw: MemoryParameterDefinition | string | number | boolean,
  booleanForm: BooleanForm,
): ParameterEntry {
  let def: MemoryParameterDefinition
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) def = raw
  else if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') {
    def = { type: inferValueType(raw), value: raw }
  } else definitionError(`parameter "${path}" has no valid definition`)
  const type = normaliseValueType(def.type ?? 'xsd:string')
  if (type === undefined) definitionError(`parameter "${path}" has an unknown type ${String(def.type)}`)
  if (def.notification !== undefined && !isNotification(def.notification)) {
    definitionError(`parameter "${path}" has notification ${String(def.notification)} (0–6 allowed)`)
  }
  const spec: { -readonly [K in keyof ParameterSpec]: ParameterSpec[K] } = {
    type,
    writable: def.writable ?? false,
    denyNotificationChange: def.denyNotificationChange ?? false,
    denyActiveNotification: def.denyActiveNotification ?? false,
    hidden: def.hidden ?? false,
    forcedInform: def.forcedInform ?? false,
  }
  if (def.maxLength !== undefined) spec.maxLength = def.maxLength
  const minimum = toBigInt(def.minimum, `minimum of "${path}"`)
  if (minimum !== undefined) spec.minimum = minimum
  const maximum = toBigInt(def.maximum, `maximum of "${path}"`)
  if (maximum !== undefined) spec.maximum = maximum
  if (def.enumeration !== undefined) spec.enumeration = [...def.enumeration]
  const lexical = def.value === undefined ? defaultValue(spec, booleanForm) : lexicalOfDefinition(def.value)
  const checked = checkValue(spec, lexical, booleanForm)
  if (!checked.ok) definitionError(`parameter "${path}": ${JSON.stringify(lexical)} is ${checked.reason}`)
  return { spec, value: checked.value, notification: def.notification ?? 0, accessList: [...(def.accessList ?? [])] }
}

/** A bigint facet as a number when it is one exactly. */
function facetNumber(v: bigint): number | bigint {
  return Number.isSafeInteger(Number(v)) ? Number(v) : v
}

/**
 * Write a parameter back as a {@link MemoryParameterDefinition}: the inverse of
 * {@link readParameterDefinition}, with only the fields that differ from their defaults.
 *
 * @internal
 */
export function writeParameterDefinition(entry: ParameterEntry): MemoryParameterDefinition {
  const { spec, value, notification, accessList } = entry
  const d: { -readonly [K in keyof MemoryParameterDefinition]: MemoryParameterDefinition[K] } = { type: spec.type, value }
  if (spec.writable) d.writable = true
  if (notification !== 0) d.notification = notification
  if (accessList.length > 0) d.accessList = [...accessList]
  if (spec.denyNotificationChange) d.denyNotificationChange = true
  if (spec.denyActiveNotification) d.denyActiveNotification = true
  if (spec.hidden) d.hidden = true
  if (spec.forcedInform) d.forcedInform = true
  if (spec.maxLength !== undefined) d.maxLength = spec.maxLength
  if (spec.minimum !== undefined) d.minimum = facetNumber(spec.minimum)
  if (spec.maximum !== undefined) d.maximum = facetNumber(spec.maximum)
  if (spec.enumeration !== undefined) d.enumeration = [...spec.enumeration]
  return d
}
