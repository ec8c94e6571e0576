/**
 * An in-memory {@link DataModel} for simulators and tests: typed parameters with TR-069
 * semantics (partial paths, NextLevel, all-or-nothing SetParameterValues, notification attributes,
 * multi-instance objects with templates), value-change tracking for `4 VALUE CHANGE`, the forced
 * Inform parameters, loading from a plain object or JSON and from genieacs-sim style CSV, and a
 * ready-made TR-181 sample device.
 *
 * No I/O: CSV and JSON come in as strings.
 *
 * @module
 */
import type { ApplyStatus } from '../types/messages.js'
import type {
  DeviceIdStruct,
  Notification,
  ParameterAttributeStruct,
  ParameterInfoStruct,
  ParameterValueStruct,
  SetParameterAttributesStruct,
  SetParameterValuesFaultStruct,
} from '../types/structs.js'
import { UNKNOWN_TIME, toParameterValue, type ParameterValueInput } from '../values/convert.js'
import { collapse, INTEGER_RANGES, isBase64, isHexBinary, parseInteger, VALUE_TYPE_CHECKS, codePointLength } from '../values/lexical.js'
import { DataModelFault, type AddObjectResult, type DataModel } from './data-model.js'

// ---------------------------------------------------------------------------------------------
// Public types

/**
 * A parameter type: `xsd:string`, `xsd:boolean`, `xsd:int`, `xsd:unsignedInt`, `xsd:long`,
 * `xsd:unsignedLong`, `xsd:dateTime`, `xsd:base64Binary` (or `soap-enc:base64`), `xsd:hexBinary`,
 * `xsd:decimal`, or another XML Schema simple type. The `xsd:` prefix may be left out, `xs:` is
 * read as `xsd:`, and the TR-106 name `base64` means `xsd:base64Binary`.
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

/** One parameter of a {@link MemoryModelDefinition}. Everything but the type is optional. */
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

/** One object of a {@link MemoryModelDefinition}, keyed by its path with the trailing dot. */
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
 */
export interface MemoryModelDefinition {
  /** Parameters by path. A bare string, number or boolean is a read-only value of the inferred type. */
  readonly parameters: Readonly<Record<string, MemoryParameterDefinition | string | number | boolean>>
  /** Objects by path (with the trailing dot): tables, instances, and objects with no parameters. */
  readonly objects?: Readonly<Record<string, MemoryObjectDefinition>>
  /** DeviceId fields that override the values read from `DeviceInfo` (genieacs-sim `DeviceID.*` rows). */
  readonly deviceId?: Partial<DeviceIdStruct>
}

/** Options of {@link createMemoryDataModel}. */
export interface MemoryDataModelOptions {
  /** How booleans are stored and read: `1`/`0` (`numeric`, the default) or `true`/`false` (`word`). */
  readonly booleanForm?: 'numeric' | 'word'
  /**
   * `strict` (default): SetParameterValues with an `xsi:type` other than the parameter's type is
   * 9006. `lenient`: an `xsd:string` value is also accepted for any type when its text is valid.
   */
  readonly typeCheck?: 'strict' | 'lenient'
  /** The status SetParameterValues, AddObject and DeleteObject report: 0 applied (default), 1 applied later. */
  readonly status?: ApplyStatus
}

/** A parameter value changed by the device itself, to be reported with `4 VALUE CHANGE`. */
export interface ValueChange {
  /** The parameter with its current value, ready for the Inform ParameterList. */
  readonly parameter: ParameterValueStruct
  /** Its notification attribute when it changed: 1, 4 or 6 (passive) or 2 (active). */
  readonly notification: Notification
  /** True for active notification (2): the CPE must start a session soon; false for passive. */
  readonly active: boolean
}

/** Options of {@link MemoryDataModel.set}. */
export interface MemorySetOptions {
  /** Do not record a value change (e.g. initial values set at start-up). */
  readonly silent?: boolean
}

/**
 * An in-memory data model: a {@link DataModel} whose methods answer synchronously, plus access for
 * the device itself.
 */
export interface MemoryDataModel extends DataModel {
  /** The root object: `InternetGatewayDevice.` (TR-098) when present, else `Device.` (TR-181), else the first root. */
  readonly root: string
  /** The current value of `ManagementServer.ParameterKey` (empty when the model has none). */
  readonly parameterKey: string
  /** {@inheritDoc DataModel.getParameterValues} */
  getParameterValues(names: readonly string[]): ParameterValueStruct[]
  /** {@inheritDoc DataModel.setParameterValues} */
  setParameterValues(parameterList: readonly ParameterValueStruct[], parameterKey: string): ApplyStatus
  /** {@inheritDoc DataModel.getParameterNames} */
  getParameterNames(parameterPath: string, nextLevel: boolean): ParameterInfoStruct[]
  /** {@inheritDoc DataModel.getParameterAttributes} */
  getParameterAttributes(names: readonly string[]): ParameterAttributeStruct[]
  /** {@inheritDoc DataModel.setParameterAttributes} */
  setParameterAttributes(parameterList: readonly SetParameterAttributesStruct[]): void
  /** {@inheritDoc DataModel.addObject} */
  addObject(objectName: string, parameterKey: string): AddObjectResult
  /** {@inheritDoc DataModel.deleteObject} */
  deleteObject(objectName: string, parameterKey: string): ApplyStatus

  /**
   * The stored value of a parameter (canonical lexical form; hidden parameters included), or
   * `undefined` when there is no such parameter.
   *
   * @param name - full parameter name
   */
  get(name: string): string | undefined
  /**
   * True when the model has this parameter, or this object (path with a trailing dot).
   *
   * @param name - parameter name or object path
   */
  has(name: string): boolean
  /**
   * Change a value as the device itself (another entity than the ACS): no writable check; the
   * change is recorded for `4 VALUE CHANGE` when the parameter's notification is 1, 2, 4 or 6 and
   * the value differs.
   *
   * @param name - full parameter name
   * @param value - a lexical string, or a typed value converted for the parameter's type
   * @param options - `silent` to not record the change
   * @throws {@link DataModelFault} 9005 for an unknown parameter, 9007 for a value its type rejects
   */
  set(name: string, value: ParameterValueInput, options?: MemorySetOptions): void
  /** The recorded value changes, oldest first, and forget them (the agent calls this when building an Inform). */
  takeValueChanges(): ValueChange[]
  /** The recorded value changes, without forgetting them. */
  pendingValueChanges(): ValueChange[]
  /**
   * Be told of each value change as it is recorded (e.g. to start a session for active notification).
   *
   * @param listener - called synchronously from {@link MemoryDataModel.set}
   * @returns a function that removes the listener
   */
  onValueChange(listener: (change: ValueChange) => void): () => void
  /**
   * The forced Inform parameters present in the model, with their values: DeviceInfo
   * Manufacturer, ManufacturerOUI, ProductClass, SerialNumber, HardwareVersion, SoftwareVersion,
   * ProvisioningCode, ManagementServer ConnectionRequestURL and ParameterKey, DeviceSummary,
   * RootDataModelVersion, SpecVersion, AliasBasedAddressing, for TR-098 the first WAN connection's
   * ExternalIPAddress, and every parameter defined with `forcedInform`.
   */
  informParameters(): ParameterValueStruct[]
  /** The DeviceId for the Inform: the definition's `deviceId` fields, else `DeviceInfo` values. */
  deviceId(): DeviceIdStruct
  /** The whole model, attributes and templates included, as a definition (JSON-serialisable). */
  toDefinition(): MemoryModelDefinition
}

// ---------------------------------------------------------------------------------------------
// Internal structures

interface Constraints {
  readonly maxLength?: number
  readonly minimum?: bigint
  readonly maximum?: bigint
  readonly enumeration?: readonly string[]
}

interface ParamSpec {
  readonly type: string
  readonly writable: boolean
  readonly denyNotificationChange: boolean
  readonly denyActiveNotification: boolean
  readonly hidden: boolean
  readonly forcedInform: boolean
  readonly constraints: Constraints
}

interface ParamNode {
  readonly kind: 'parameter'
  readonly path: string
  readonly parent: ObjNode
  readonly spec: ParamSpec
  value: string
  notification: Notification
  accessList: readonly string[]
}

interface TableState {
  writable: boolean
  nextInstance: number
  maxEntries?: number
}

interface ObjNode {
  readonly kind: 'object'
  readonly path: string
  readonly parent: ObjNode | undefined
  readonly children: Map<string, Node>
  writable: boolean
  table?: TableState
}

type Node = ParamNode | ObjNode

interface TemplateParam {
  readonly kind: 'parameter'
  readonly spec: ParamSpec
  readonly value: string
  readonly notification: Notification
  readonly accessList: readonly string[]
}

interface TemplateObject {
  readonly kind: 'object'
  readonly writable?: boolean
  readonly maxEntries?: number
}

type TemplateEntry = TemplateParam | TemplateObject

const SEGMENT = /^(?:[A-Za-z_][A-Za-z0-9_-]*|[0-9]+|\{i\})$/
const INSTANCE = /^[0-9]+$/
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/
const INTEGER_TYPES = new Set(Object.keys(INTEGER_RANGES).map((t) => `xsd:${t}`))
const BASE64_TYPES = new Set(['xsd:base64Binary', 'soap-enc:base64'])

function definitionError(message: string): never {
  throw new TypeError(`data model definition: ${message}`)
}

/** Normalise a type name to the `xsd:` / `soap-enc:` form, or undefined when it is not a simple type the codec can carry. */
function normaliseType(type: string): string | undefined {
  let t = type.trim()
  if (t === 'base64') t = 'xsd:base64Binary'
  else if (t.startsWith('xs:')) t = `xsd:${t.slice(3)}`
  else if (!t.includes(':')) t = `xsd:${t}`
  return VALUE_TYPE_CHECKS.has(t) ? t : undefined
}

function sameType(a: string, b: string): boolean {
  return a === b || (BASE64_TYPES.has(a) && BASE64_TYPES.has(b))
}

function isStringLike(type: string): boolean {
  return (
    type === 'xsd:string' ||
    type === 'xsd:normalizedString' ||
    type === 'xsd:token' ||
    type === 'xsd:anySimpleType' ||
    type === 'xsd:anyURI'
  )
}

function isActive(n: Notification): boolean {
  return n === 2 || n === 5 || n === 6
}

/** Notification values that put a changed parameter in the Inform: 1, 4, 6 passive; 2 active. */
function informs(n: Notification): boolean {
  return n === 1 || n === 2 || n === 4 || n === 6
}

function isNotification(n: unknown): n is Notification {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 6
}

function segments(path: string): string[] {
  return (path.endsWith('.') ? path.slice(0, -1) : path).split('.')
}

function validPath(path: string, object: boolean): boolean {
  if (object !== path.endsWith('.')) return false
  const segs = segments(path)
  const first = segs[0] as string
  return first !== '' && !INSTANCE.test(first) && first !== '{i}' && segs.every((s) => SEGMENT.test(s))
}

/** Replace every instance number by `{i}`. */
function patternOf(path: string): string {
  return path.replace(/(^|\.)[0-9]+(?=\.|$)/g, '$1{i}')
}

function parentPath(path: string): string {
  const body = path.endsWith('.') ? path.slice(0, -1) : path
  const i = body.lastIndexOf('.')
  return i === -1 ? '' : body.slice(0, i + 1)
}

function lastSegment(path: string): string {
  const segs = segments(path)
  return segs[segs.length - 1] as string
}

function toBigInt(v: number | bigint | undefined, what: string): bigint | undefined {
  if (v === undefined) return undefined
  if (typeof v === 'number' && !Number.isSafeInteger(v)) definitionError(`${what} must be an integer`)
  return BigInt(v)
}

/** Why a lexical value does not fit, or its canonical form. */
type Checked = { readonly ok: true; readonly value: string } | { readonly ok: false; readonly reason: string }

function decodedLength(type: string, canonical: string): number {
  if (BASE64_TYPES.has(type)) {
    const pad = canonical.endsWith('==') ? 2 : canonical.endsWith('=') ? 1 : 0
    return (canonical.length / 4) * 3 - pad
  }
  if (type === 'xsd:hexBinary') return canonical.length / 2
  return codePointLength(canonical)
}

function checkValue(spec: ParamSpec, raw: string, booleanForm: 'numeric' | 'word'): Checked {
  const type = spec.type
  if (XML_FORBIDDEN.test(raw) || !raw.isWellFormed()) return { ok: false, reason: 'contains a character XML 1.0 cannot carry' }
  const check = VALUE_TYPE_CHECKS.get(type)
  if (check !== undefined && !check(raw)) return { ok: false, reason: `not a valid ${type} value` }
  let value: string
  if (isStringLike(type)) value = raw
  else {
    const s = collapse(raw)
    if (type === 'xsd:boolean') {
      const b = s === '1' || s === 'true'
      value = booleanForm === 'word' ? String(b) : b ? '1' : '0'
    } else if (INTEGER_TYPES.has(type)) {
      const v = parseInteger(s) as bigint
      const { minimum, maximum } = spec.constraints
      if (minimum !== undefined && v < minimum) return { ok: false, reason: `below the minimum ${minimum}` }
      if (maximum !== undefined && v > maximum) return { ok: false, reason: `above the maximum ${maximum}` }
      value = v.toString()
    } else if (BASE64_TYPES.has(type)) value = s.replace(/ /g, '')
    else if (type === 'xsd:hexBinary') value = s.toUpperCase()
    else value = s
  }
  const { maxLength, enumeration } = spec.constraints
  if (maxLength !== undefined && decodedLength(type, value) > maxLength) {
    return { ok: false, reason: `longer than ${maxLength}` }
  }
  if (enumeration !== undefined && !enumeration.includes(value)) {
    return { ok: false, reason: `not one of the allowed values` }
  }
  return { ok: true, value }
}

function defaultValue(type: string, booleanForm: 'numeric' | 'word'): string {
  if (type === 'xsd:boolean') return booleanForm === 'word' ? 'false' : '0'
  if (INTEGER_TYPES.has(type) || type === 'xsd:decimal' || type === 'xsd:float' || type === 'xsd:double') return '0'
  if (type === 'xsd:dateTime') return UNKNOWN_TIME
  return ''
}

function inferType(value: string | number | bigint | boolean): string {
  if (typeof value === 'boolean') return 'xsd:boolean'
  if (typeof value === 'bigint') return value >= 0n ? 'xsd:unsignedLong' : 'xsd:long'
  if (typeof value === 'number') return value >= 0 ? 'xsd:unsignedInt' : 'xsd:int'
  return 'xsd:string'
}

function lexicalOfDefinition(value: string | number | bigint | boolean): string {
  if (typeof value === 'number' && !Number.isFinite(value)) definitionError(`${value} is not a value`)
  return String(value)
}

// ---------------------------------------------------------------------------------------------
// The model

class MemoryModel implements MemoryDataModel {
  readonly #nodes = new Map<string, Node>()
  readonly #top: ObjNode = { kind: 'object', path: '', parent: undefined, children: new Map(), writable: false }
  readonly #templates = new Map<string, TemplateEntry>()
  readonly #changes = new Map<string, Notification>()
  readonly #listeners = new Set<(change: ValueChange) => void>()
  readonly #booleanForm: 'numeric' | 'word'
  readonly #lenient: boolean
  readonly #status: ApplyStatus
  readonly #deviceId: Partial<DeviceIdStruct>
  #parameterKey = ''
  readonly root: string

  constructor(definition: MemoryModelDefinition, options: MemoryDataModelOptions) {
    this.#booleanForm = options.booleanForm ?? 'numeric'
    this.#lenient = options.typeCheck === 'lenient'
    this.#status = options.status ?? 0
    this.#deviceId = { ...definition.deviceId }
    this.#build(definition)
    const roots = [...this.#top.children.keys()]
    this.root = roots.includes('InternetGatewayDevice') ? 'InternetGatewayDevice.' : roots.includes('Device') ? 'Device.' : roots[0] === undefined ? '' : `${roots[0]}.`
  }

  // ----- building

  #build(definition: MemoryModelDefinition): void {
    if (typeof definition !== 'object' || definition === null || typeof definition.parameters !== 'object' || definition.parameters === null) {
      definitionError('expected an object with `parameters`')
    }
    const objects = definition.objects ?? {}
    // 1. Templates (paths with `{i}`) and concrete parameters.
    for (const [path, raw] of Object.entries(definition.parameters)) {
      if (!validPath(path, false)) definitionError(`"${path}" is not a parameter path`)
      const entry = this.#templateParam(path, raw)
      if (path.includes('{i}')) {
        if (INSTANCE.test(path)) definitionError(`"${path}" mixes instance numbers and {i}`)
        this.#templates.set(path, entry)
      } else {
        const parent = this.#ensureObject(parentPath(path))
        if (this.#nodes.has(path) || this.#nodes.has(`${path}.`)) definitionError(`"${path}" is defined twice`)
        const node: ParamNode = {
          kind: 'parameter',
          path,
          parent,
          spec: entry.spec,
          value: entry.value,
          notification: entry.notification,
          accessList: entry.accessList,
        }
        this.#attach(node)
      }
    }
    for (const [path, def] of Object.entries(objects)) {
      if (!validPath(path, true)) definitionError(`"${path}" is not an object path (it must end with a dot)`)
      if (typeof def !== 'object' || def === null) definitionError(`object "${path}" must be an object`)
      if (path.includes('{i}')) {
        const t: { -readonly [K in keyof TemplateObject]: TemplateObject[K] } = { kind: 'object' }
        if (def.writable !== undefined) t.writable = def.writable
        if (def.maxEntries !== undefined) t.maxEntries = def.maxEntries
        this.#templates.set(path, t)
      } else {
        this.#ensureObject(path)
      }
    }
    // 2. Tables: every concrete object that a template hangs below (outside any instance).
    for (const path of this.#templates.keys()) this.#ensureObject(path.slice(0, path.indexOf('{i}')))
    // 3. Writability, tables and instance counters.
    const all = [...this.#nodes.values()].filter((n): n is ObjNode => n.kind === 'object')
    for (const obj of all) {
      const def = Object.hasOwn(objects, obj.path) ? objects[obj.path] : undefined
      const hasTemplate = this.#hasTemplate(obj.path)
      const children = [...obj.children.keys()]
      const numeric = children.filter((c) => INSTANCE.test(c))
      if (numeric.length > 0 && numeric.length !== children.length) {
        definitionError(`"${obj.path}" mixes instances and named children`)
      }
      const isTable = hasTemplate || numeric.length > 0 || (def?.writable === true && children.length === 0)
      if (isTable) {
        const tdef = this.#templates.get(`${patternOf(obj.path)}`)
        const writable = def?.writable ?? (tdef?.kind === 'object' ? tdef.writable : undefined) ?? hasTemplate
        const max = numeric.reduce((m, c) => Math.max(m, Number(c)), 0)
        const table: TableState = { writable, nextInstance: Math.max(max + 1, def?.nextInstance ?? 1) }
        const maxEntries = def?.maxEntries ?? (tdef?.kind === 'object' ? tdef.maxEntries : undefined)
        if (maxEntries !== undefined) table.maxEntries = maxEntries
        obj.table = table
        obj.writable = writable
      } else if (def?.writable !== undefined) obj.writable = def.writable
    }
    for (const obj of all) {
      if (obj.parent?.table !== undefined) {
        const def = Object.hasOwn(objects, obj.path) ? objects[obj.path] : undefined
        const own = this.#templates.get(patternOf(obj.path))
        obj.writable = def?.writable ?? (own?.kind === 'object' ? own.writable : undefined) ?? obj.parent.table.writable
      }
    }
    // 4. Templates for tables that have instances but no `{i}` definitions.
    this.#deriveTemplates()
  }

  #templateParam(path: string, raw: MemoryParameterDefinition | string | number | boolean): TemplateParam {
    let def: MemoryParameterDefinition
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) def = raw
    else if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' || typeof raw === 'bigint') {
      def = { type: inferType(raw), value: raw }
    } else definitionError(`parameter "${path}" has no valid definition`)
    const type = normaliseType(def.type ?? 'xsd:string')
    if (type === undefined) definitionError(`parameter "${path}" has an unknown type ${String(def.type)}`)
    if (def.notification !== undefined && !isNotification(def.notification)) {
      definitionError(`parameter "${path}" has notification ${String(def.notification)} (0–6 allowed)`)
    }
    const constraints: { -readonly [K in keyof Constraints]: Constraints[K] } = {}
    if (def.maxLength !== undefined) constraints.maxLength = def.maxLength
    const minimum = toBigInt(def.minimum, `minimum of "${path}"`)
    if (minimum !== undefined) constraints.minimum = minimum
    const maximum = toBigInt(def.maximum, `maximum of "${path}"`)
    if (maximum !== undefined) constraints.maximum = maximum
    if (def.enumeration !== undefined) constraints.enumeration = [...def.enumeration]
    const spec: ParamSpec = {
      type,
      writable: def.writable ?? false,
      denyNotificationChange: def.denyNotificationChange ?? false,
      denyActiveNotification: def.denyActiveNotification ?? false,
      hidden: def.hidden ?? false,
      forcedInform: def.forcedInform ?? false,
      constraints,
    }
    const lexical = def.value === undefined ? this.#defaultFor(spec) : lexicalOfDefinition(def.value)
    const checked = checkValue(spec, lexical, this.#booleanForm)
    if (!checked.ok) definitionError(`parameter "${path}": ${JSON.stringify(lexical)} is ${checked.reason}`)
    return {
      kind: 'parameter',
      spec,
      value: checked.value,
      notification: def.notification ?? 0,
      accessList: [...(def.accessList ?? [])],
    }
  }

  #defaultFor(spec: ParamSpec): string {
    const d = defaultValue(spec.type, this.#booleanForm)
    if (checkValue(spec, d, this.#booleanForm).ok) return d
    const { minimum, enumeration } = spec.constraints
    if (minimum !== undefined) return minimum.toString()
    if (enumeration !== undefined && enumeration[0] !== undefined) return enumeration[0]
    return d
  }

  #hasTemplate(tablePath: string): boolean {
    const prefix = `${patternOf(tablePath)}{i}.`
    for (const k of this.#templates.keys()) if (k.startsWith(prefix)) return true
    return false
  }

  #deriveTemplates(): void {
    const derived = new Map<string, TemplateEntry>()
    const tablePatterns = new Set<string>()
    for (const n of this.#nodes.values()) {
      if (n.kind === 'object' && n.table !== undefined && !this.#hasTemplate(n.path)) tablePatterns.add(patternOf(n.path))
    }
    if (tablePatterns.size === 0) return
    for (const n of this.#nodes.values()) {
      const pattern = patternOf(n.path)
      let inTable = false
      for (const t of tablePatterns) if (pattern.startsWith(`${t}{i}.`)) inTable = true
      if (!inTable || derived.has(pattern)) continue
      if (n.kind === 'parameter') {
        derived.set(pattern, {
          kind: 'parameter',
          spec: n.spec,
          value: this.#defaultFor(n.spec),
          notification: 0,
          accessList: [],
        })
      } else if (n.table !== undefined) {
        const t: { -readonly [K in keyof TemplateObject]: TemplateObject[K] } = { kind: 'object', writable: n.table.writable }
        if (n.table.maxEntries !== undefined) t.maxEntries = n.table.maxEntries
        derived.set(pattern, t)
      } else if (n.children.size === 0) {
        derived.set(pattern, { kind: 'object', writable: n.writable })
      }
    }
    for (const [k, v] of derived) this.#templates.set(k, v)
  }

  #ensureObject(path: string): ObjNode {
    if (path === '') return this.#top
    const existing = this.#nodes.get(path)
    if (existing !== undefined) {
      if (existing.kind !== 'object') definitionError(`"${path}" is both a parameter and an object`)
      return existing
    }
    if (this.#nodes.has(path.slice(0, -1))) definitionError(`"${path.slice(0, -1)}" is both a parameter and an object`)
    const parent = this.#ensureObject(parentPath(path))
    const node: ObjNode = { kind: 'object', path, parent, children: new Map(), writable: false }
    this.#attach(node)
    return node
  }

  #attach(node: Node): void {
    const parent = node.parent as ObjNode
    parent.children.set(lastSegment(node.path), node)
    this.#nodes.set(node.path, node)
  }

  // ----- reading helpers

  #object(path: string): ObjNode | undefined {
    if (path === '') return this.#top
    const n = this.#nodes.get(path)
    return n?.kind === 'object' ? n : undefined
  }

  #parameter(name: string): ParamNode | undefined {
    const n = this.#nodes.get(name)
    return n?.kind === 'parameter' ? n : undefined
  }

  /** Every parameter a name stands for (itself, or every parameter below a partial path), or undefined. */
  #expand(name: string): ParamNode[] | undefined {
    if (name === '' || name.endsWith('.')) {
      const obj = this.#object(name)
      if (obj === undefined) return undefined
      const out: ParamNode[] = []
      const walk = (o: ObjNode): void => {
        for (const c of o.children.values()) {
          if (c.kind === 'parameter') out.push(c)
          else walk(c)
        }
      }
      walk(obj)
      return out
    }
    const p = this.#parameter(name)
    return p === undefined ? undefined : [p]
  }

  #read(p: ParamNode): ParameterValueStruct {
    return { name: p.path, value: p.spec.hidden ? '' : p.value, type: p.spec.type }
  }

  #info(n: Node): ParameterInfoStruct {
    return { name: n.path, writable: n.kind === 'parameter' ? n.spec.writable : n.writable }
  }

  #parameterKeyNode(): ParamNode | undefined {
    return this.#parameter(`${this.root}ManagementServer.ParameterKey`)
  }

  get parameterKey(): string {
    return this.#parameterKeyNode()?.value ?? this.#parameterKey
  }

  #setParameterKey(key: string): void {
    this.#parameterKey = key
    const node = this.#parameterKeyNode()
    if (node !== undefined) node.value = key
  }

  // ----- DataModel

  getParameterValues(names: readonly string[]): ParameterValueStruct[] {
    const out: ParameterValueStruct[] = []
    for (const name of names) {
      const params = this.#expand(name)
      if (params === undefined) throw new DataModelFault(9005, `Invalid parameter name: ${name}`)
      for (const p of params) out.push(this.#read(p))
    }
    return out
  }

  setParameterValues(parameterList: readonly ParameterValueStruct[], parameterKey: string): ApplyStatus {
    const faults: SetParameterValuesFaultStruct[] = []
    const plan: [ParamNode, string][] = []
    const seen = new Set<string>()
    for (const { name, value, type } of parameterList) {
      if (seen.has(name)) throw new DataModelFault(9003, `Invalid arguments: ${name} appears more than once`)
      seen.add(name)
      const node = this.#parameter(name)
      const fault = (faultCode: number, faultString: string): void => {
        faults.push({ parameterName: name, faultCode, faultString })
      }
      if (node === undefined) {
        fault(9005, 'Invalid parameter name')
        continue
      }
      if (!node.spec.writable) {
        fault(9008, 'Attempt to set a non-writable parameter')
        continue
      }
      const incoming = normaliseType(type) ?? type
      if (!sameType(incoming, node.spec.type) && !(this.#lenient && incoming === 'xsd:string')) {
        fault(9006, `Invalid parameter type: expected ${node.spec.type}`)
        continue
      }
      const checked = checkValue(node.spec, value, this.#booleanForm)
      if (!checked.ok) {
        fault(9007, `Invalid parameter value: ${checked.reason}`)
        continue
      }
      plan.push([node, checked.value])
    }
    if (faults.length > 0) throw DataModelFault.forParameters(faults)
    for (const [node, value] of plan) node.value = value
    this.#setParameterKey(parameterKey)
    return this.#status
  }

  getParameterNames(parameterPath: string, nextLevel: boolean): ParameterInfoStruct[] {
    if (parameterPath !== '' && !parameterPath.endsWith('.')) {
      const p = this.#parameter(parameterPath)
      if (p === undefined) throw new DataModelFault(9005, `Invalid parameter name: ${parameterPath}`)
      if (nextLevel) throw new DataModelFault(9003, 'Invalid arguments: NextLevel is true for a parameter name')
      return [this.#info(p)]
    }
    const obj = this.#object(parameterPath)
    if (obj === undefined) throw new DataModelFault(9005, `Invalid parameter name: ${parameterPath}`)
    if (nextLevel) return [...obj.children.values()].map((c) => this.#info(c))
    const out: ParameterInfoStruct[] = obj === this.#top ? [] : [this.#info(obj)]
    const walk = (o: ObjNode): void => {
      for (const c of o.children.values()) {
        out.push(this.#info(c))
        if (c.kind === 'object') walk(c)
      }
    }
    walk(obj)
    return out
  }

  getParameterAttributes(names: readonly string[]): ParameterAttributeStruct[] {
    const out: ParameterAttributeStruct[] = []
    for (const name of names) {
      const params = this.#expand(name)
      if (params === undefined) throw new DataModelFault(9005, `Invalid parameter name: ${name}`)
      for (const p of params) out.push({ name: p.path, notification: p.notification, accessList: [...p.accessList] })
    }
    return out
  }

  setParameterAttributes(parameterList: readonly SetParameterAttributesStruct[]): void {
    const plan: { node: ParamNode; notification?: Notification; accessList?: readonly string[] }[] = []
    for (const s of parameterList) {
      const params = this.#expand(s.name)
      if (params === undefined) throw new DataModelFault(9005, `Invalid parameter name: ${s.name}`)
      if (s.notificationChange && !isNotification(s.notification)) {
        throw new DataModelFault(9003, `Invalid arguments: notification ${String(s.notification)}`)
      }
      const partial = s.name === '' || s.name.endsWith('.')
      for (const node of params) {
        const step: { node: ParamNode; notification?: Notification; accessList?: readonly string[] } = { node }
        if (s.notificationChange && s.notification !== node.notification) {
          const refused =
            node.spec.denyNotificationChange || (isActive(s.notification) && node.spec.denyActiveNotification)
          if (!refused) step.notification = s.notification
          else if (!partial) throw new DataModelFault(9009, `Notification request rejected: ${node.path}`)
        }
        if (s.accessListChange) step.accessList = [...s.accessList]
        plan.push(step)
      }
    }
    for (const step of plan) {
      if (step.notification !== undefined) step.node.notification = step.notification
      if (step.accessList !== undefined) step.node.accessList = step.accessList
    }
  }

  addObject(objectName: string, parameterKey: string): AddObjectResult {
    const table = objectName.endsWith('.') ? this.#object(objectName) : undefined
    if (table === undefined || table === this.#top || table.table === undefined || !table.table.writable) {
      throw new DataModelFault(9005, `Invalid parameter name: ${objectName} is not a multi-instance object that allows AddObject`)
    }
    const state = table.table
    if (state.maxEntries !== undefined && table.children.size >= state.maxEntries) {
      throw new DataModelFault(9004, `Resources exceeded: ${objectName} has ${state.maxEntries} instances`)
    }
    const instanceNumber = state.nextInstance
    state.nextInstance += 1
    this.#instantiate(table, instanceNumber)
    this.#updateNumberOfEntries(table)
    this.#setParameterKey(parameterKey)
    return { instanceNumber, status: this.#status }
  }

  #instantiate(table: ObjNode, n: number): void {
    const own = this.#templates.get(`${patternOf(table.path)}{i}.`)
    const instance: ObjNode = {
      kind: 'object',
      path: `${table.path}${n}.`,
      parent: table,
      children: new Map(),
      writable: (own?.kind === 'object' ? own.writable : undefined) ?? (table.table as TableState).writable,
    }
    this.#attach(instance)
    const prefix = `${patternOf(table.path)}{i}.`
    for (const [key, entry] of this.#templates) {
      if (!key.startsWith(prefix)) continue
      const rest = key.slice(prefix.length)
      const nested = rest.indexOf('{i}')
      if (nested !== -1) {
        // A nested table: create it, empty.
        this.#createTemplateObject(`${instance.path}${rest.slice(0, nested)}`)
        continue
      }
      const path = `${instance.path}${rest}`
      if (entry.kind === 'object') {
        this.#createTemplateObject(path)
        continue
      }
      const parent = this.#createTemplateObject(parentPath(path))
      this.#attach({
        kind: 'parameter',
        path,
        parent,
        spec: entry.spec,
        value: entry.value,
        notification: entry.notification,
        accessList: entry.accessList,
      })
    }
  }

  #createTemplateObject(path: string): ObjNode {
    const existing = this.#object(path)
    if (existing !== undefined) return existing
    const parent = this.#createTemplateObject(parentPath(path))
    const node: ObjNode = { kind: 'object', path, parent, children: new Map(), writable: false }
    this.#attach(node)
    const t = this.#templates.get(patternOf(path))
    if (this.#hasTemplate(path) || (t?.kind === 'object' && t.writable === true && !this.#hasTemplatesBelow(path))) {
      const writable = t?.kind === 'object' ? (t.writable ?? true) : true
      const state: TableState = { writable, nextInstance: 1 }
      if (t?.kind === 'object' && t.maxEntries !== undefined) state.maxEntries = t.maxEntries
      node.table = state
      node.writable = writable
    }
    return node
  }

  #hasTemplatesBelow(path: string): boolean {
    const prefix = patternOf(path)
    for (const k of this.#templates.keys()) if (k.length > prefix.length && k.startsWith(prefix)) return true
    return false
  }

  deleteObject(objectName: string, parameterKey: string): ApplyStatus {
    const instance = objectName.endsWith('.') ? this.#object(objectName) : undefined
    const table = instance?.parent
    if (
      instance === undefined ||
      table === undefined ||
      table.table === undefined ||
      !INSTANCE.test(lastSegment(objectName)) ||
      !instance.writable
    ) {
      throw new DataModelFault(9005, `Invalid parameter name: ${objectName} is not an instance that allows DeleteObject`)
    }
    const remove = (n: Node): void => {
      this.#nodes.delete(n.path)
      this.#changes.delete(n.path)
      if (n.kind === 'object') for (const c of n.children.values()) remove(c)
    }
    remove(instance)
    table.children.delete(lastSegment(objectName))
    this.#updateNumberOfEntries(table)
    this.#setParameterKey(parameterKey)
    return this.#status
  }

  #updateNumberOfEntries(table: ObjNode): void {
    const counter = this.#parameter(`${parentPath(table.path)}${lastSegment(table.path)}NumberOfEntries`)
    if (counter !== undefined && INTEGER_TYPES.has(counter.spec.type)) counter.value = String(table.children.size)
  }

  // ----- device side

  get(name: string): string | undefined {
    return this.#parameter(name)?.value
  }

  has(name: string): boolean {
    return name !== '' && this.#nodes.has(name)
  }

  set(name: string, value: ParameterValueInput, options: MemorySetOptions = {}): void {
    const node = this.#parameter(name)
    if (node === undefined) throw new DataModelFault(9005, `Invalid parameter name: ${name}`)
    let lexical: string
    if (typeof value === 'string') lexical = value
    else {
      try {
        lexical = toParameterValue(name, value, { type: node.spec.type, booleanForm: this.#booleanForm }).value
      } catch (error) {
        throw new DataModelFault(9007, `Invalid parameter value for ${name}`, { cause: error })
      }
    }
    const checked = checkValue(node.spec, lexical, this.#booleanForm)
    if (!checked.ok) throw new DataModelFault(9007, `Invalid parameter value for ${name}: ${checked.reason}`)
    if (checked.value === node.value) return
    node.value = checked.value
    if (options.silent === true || !informs(node.notification)) return
    this.#changes.delete(name)
    this.#changes.set(name, node.notification)
    const change = this.#change(node, node.notification)
    for (const listener of this.#listeners) listener(change)
  }

  #change(node: ParamNode, notification: Notification): ValueChange {
    return { parameter: this.#read(node), notification, active: notification === 2 }
  }

  pendingValueChanges(): ValueChange[] {
    const out: ValueChange[] = []
    for (const [name, notification] of this.#changes) {
      const node = this.#parameter(name)
      if (node !== undefined) out.push(this.#change(node, notification))
    }
    return out
  }

  takeValueChanges(): ValueChange[] {
    const out = this.pendingValueChanges()
    this.#changes.clear()
    return out
  }

  onValueChange(listener: (change: ValueChange) => void): () => void {
    const wrapped = (change: ValueChange): void => listener(change)
    this.#listeners.add(wrapped)
    return () => {
      this.#listeners.delete(wrapped)
    }
  }

  informParameters(): ParameterValueStruct[] {
    const r = this.root
    const names = [
      `${r}DeviceSummary`,
      `${r}RootDataModelVersion`,
      `${r}DeviceInfo.SpecVersion`,
      `${r}DeviceInfo.Manufacturer`,
      `${r}DeviceInfo.ManufacturerOUI`,
      `${r}DeviceInfo.ProductClass`,
      `${r}DeviceInfo.SerialNumber`,
      `${r}DeviceInfo.HardwareVersion`,
      `${r}DeviceInfo.SoftwareVersion`,
      `${r}DeviceInfo.ProvisioningCode`,
      `${r}ManagementServer.ConnectionRequestURL`,
      `${r}ManagementServer.ParameterKey`,
      `${r}ManagementServer.AliasBasedAddressing`,
    ]
    const out: ParameterValueStruct[] = []
    const seen = new Set<string>()
    const add = (p: ParamNode | undefined): void => {
      if (p === undefined || seen.has(p.path)) return
      seen.add(p.path)
      out.push(this.#read(p))
    }
    for (const name of names) add(this.#parameter(name))
    if (r === 'InternetGatewayDevice.') add(this.#firstExternalIpAddress())
    for (const n of this.#nodes.values()) if (n.kind === 'parameter' && n.spec.forcedInform) add(n)
    return out
  }

  #firstExternalIpAddress(): ParamNode | undefined {
    const pattern = /^InternetGatewayDevice\.WANDevice\.\d+\.WANConnectionDevice\.\d+\.WAN(?:IP|PPP)Connection\.\d+\.ExternalIPAddress$/
    for (const n of this.#nodes.values()) if (n.kind === 'parameter' && pattern.test(n.path)) return n
    return undefined
  }

  deviceId(): DeviceIdStruct {
    const info = `${this.root}DeviceInfo.`
    return {
      manufacturer: this.#deviceId.manufacturer ?? this.get(`${info}Manufacturer`) ?? '',
      oui: this.#deviceId.oui ?? this.get(`${info}ManufacturerOUI`) ?? '',
      productClass: this.#deviceId.productClass ?? this.get(`${info}ProductClass`) ?? '',
      serialNumber: this.#deviceId.serialNumber ?? this.get(`${info}SerialNumber`) ?? '',
    }
  }

  toDefinition(): MemoryModelDefinition {
    const parameters: Record<string, MemoryParameterDefinition> = {}
    const objects: Record<string, MemoryObjectDefinition> = {}
    const paramDef = (spec: ParamSpec, value: string, notification: Notification, accessList: readonly string[]) => {
      const d: { -readonly [K in keyof MemoryParameterDefinition]: MemoryParameterDefinition[K] } = { type: spec.type, value }
      if (spec.writable) d.writable = true
      if (notification !== 0) d.notification = notification
      if (accessList.length > 0) d.accessList = [...accessList]
      if (spec.denyNotificationChange) d.denyNotificationChange = true
      if (spec.denyActiveNotification) d.denyActiveNotification = true
      if (spec.hidden) d.hidden = true
      if (spec.forcedInform) d.forcedInform = true
      const c = spec.constraints
      if (c.maxLength !== undefined) d.maxLength = c.maxLength
      if (c.minimum !== undefined) d.minimum = Number.isSafeInteger(Number(c.minimum)) ? Number(c.minimum) : c.minimum
      if (c.maximum !== undefined) d.maximum = Number.isSafeInteger(Number(c.maximum)) ? Number(c.maximum) : c.maximum
      if (c.enumeration !== undefined) d.enumeration = [...c.enumeration]
      return d
    }
    const walk = (o: ObjNode): void => {
      for (const c of o.children.values()) {
        if (c.kind === 'parameter') {
          parameters[c.path] = paramDef(c.spec, c.value, c.notification, c.accessList)
          continue
        }
        if (c.table !== undefined) {
          const d: { -readonly [K in keyof MemoryObjectDefinition]: MemoryObjectDefinition[K] } = {
            writable: c.table.writable,
            nextInstance: c.table.nextInstance,
          }
          if (c.table.maxEntries !== undefined) d.maxEntries = c.table.maxEntries
          objects[c.path] = d
        } else if (o.table !== undefined || c.writable || c.children.size === 0) {
          objects[c.path] = { writable: c.writable }
        }
        walk(c)
      }
    }
    walk(this.#top)
    for (const [path, t] of this.#templates) {
      if (t.kind === 'parameter') parameters[path] = paramDef(t.spec, t.value, t.notification, t.accessList)
      else {
        const d: { -readonly [K in keyof MemoryObjectDefinition]: MemoryObjectDefinition[K] } = {}
        if (t.writable !== undefined) d.writable = t.writable
        if (t.maxEntries !== undefined) d.maxEntries = t.maxEntries
        objects[path] = d
      }
    }
    const out: { -readonly [K in keyof MemoryModelDefinition]: MemoryModelDefinition[K] } = { parameters, objects }
    if (Object.keys(this.#deviceId).length > 0) out.deviceId = { ...this.#deviceId }
    return out
  }
}

/**
 * Create an in-memory data model from a plain object (or parsed JSON, or {@link parseDataModelCsv}).
 * Values are validated against their types and stored in canonical lexical form.
 *
 * @param definition - parameters, objects and templates
 * @param options - boolean form, type checking, apply status
 * @throws TypeError when the definition is inconsistent (bad path, unknown type, invalid value, …)
 */
export function createMemoryDataModel(definition: MemoryModelDefinition, options: MemoryDataModelOptions = {}): MemoryDataModel {
  return new MemoryModel(definition, options)
}

// ---------------------------------------------------------------------------------------------
// CSV

/** Options of {@link parseDataModelCsv}. */
export interface ParseCsvOptions {
  /** Root objects whose rows are kept; default `Device` and `InternetGatewayDevice`. Other rows (GenieACS `Events.*`, `Tags.*`, …) are skipped. */
  readonly roots?: readonly string[]
}

/** Split RFC 4180 CSV text into rows of fields. */
function csvRows(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1
  let fieldStart = true
  const endRow = (): void => {
    row.push(field)
    if (row.length > 1 || row[0] !== '') rows.push(row)
    row = []
    field = ''
    fieldStart = true
  }
  for (; i < text.length; i++) {
    const c = text[i] as string
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else {
        if (c === '\n') line++
        field += c
      }
      continue
    }
    if (c === '"' && fieldStart) {
      quoted = true
      fieldStart = false
    } else if (c === '"') {
      throw new SyntaxError(`CSV line ${line}: a double quote inside an unquoted field`)
    } else if (c === ',') {
      row.push(field)
      field = ''
      fieldStart = true
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++
      endRow()
      line++
    } else {
      field += c
      fieldStart = false
    }
  }
  if (quoted) throw new SyntaxError(`CSV line ${line}: unterminated quoted field`)
  if (field !== '' || row.length > 0) endRow()
  return rows
}

function csvBoolean(s: string, what: string, line: number): boolean {
  const t = s.trim().toLowerCase()
  if (t === 'true' || t === '1') return true
  if (t === 'false' || t === '0' || t === '') return false
  throw new SyntaxError(`CSV row ${line}: ${what} must be true or false, not ${JSON.stringify(s)}`)
}

const DEVICE_ID_FIELDS: Readonly<Record<string, keyof DeviceIdStruct>> = {
  Manufacturer: 'manufacturer',
  OUI: 'oui',
  ProductClass: 'productClass',
  SerialNumber: 'serialNumber',
}

/**
 * Read the CSV format of genieacs-sim data models (and GenieACS device exports): a header row with
 * at least `Parameter,Object,Writable,Value,Value type` (columns found by name; `Notification` and
 * `Access list` are used when present, other columns ignored), one row per object (`Object` true,
 * path without the trailing dot) or parameter. `DeviceID.Manufacturer`, `.OUI`, `.ProductClass`
 * and `.SerialNumber` rows become the definition's `deviceId`. A parameter with an empty type is a
 * string. Rows with `{i}` segments are templates (an extension of this library).
 *
 * @param text - the CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF)
 * @param options - which roots to keep
 * @returns a definition for {@link createMemoryDataModel}
 * @throws SyntaxError for malformed CSV or a missing column
 */
export function parseDataModelCsv(text: string, options: ParseCsvOptions = {}): MemoryModelDefinition {
  const rows = csvRows(text)
  const header = rows.shift()
  if (header === undefined) throw new SyntaxError('CSV: no header row')
  const col = (name: string, required: boolean): number => {
    const i = header.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase())
    if (i === -1 && required) throw new SyntaxError(`CSV: no "${name}" column`)
    return i
  }
  const cParam = col('Parameter', true)
  const cObject = col('Object', true)
  const cWritable = col('Writable', true)
  const cValue = col('Value', true)
  const cType = col('Value type', true)
  const cNotification = col('Notification', false)
  const cAccess = col('Access list', false)
  const roots = new Set(options.roots ?? ['Device', 'InternetGatewayDevice'])
  const parameters: Record<string, MemoryParameterDefinition> = {}
  const objects: Record<string, MemoryObjectDefinition> = {}
  const deviceId: { -readonly [K in keyof DeviceIdStruct]?: string } = {}
  rows.forEach((row, index) => {
    const line = index + 2
    const cell = (i: number): string => (i === -1 ? '' : (row[i] ?? ''))
    let name = cell(cParam).trim()
    if (name === '') return
    if (name.startsWith('DeviceID.')) {
      const key = DEVICE_ID_FIELDS[name.slice('DeviceID.'.length)]
      if (key !== undefined) deviceId[key] = cell(cValue)
      return
    }
    if (!roots.has(name.split('.')[0] as string)) return
    const writable = csvBoolean(cell(cWritable), 'Writable', line)
    if (csvBoolean(cell(cObject), 'Object', line)) {
      if (!name.endsWith('.')) name = `${name}.`
      objects[name] = { writable }
      return
    }
    const def: { -readonly [K in keyof MemoryParameterDefinition]: MemoryParameterDefinition[K] } = {
      type: cell(cType).trim() === '' ? 'xsd:string' : cell(cType).trim(),
      value: cell(cValue),
      writable,
    }
    const n = cell(cNotification).trim()
    if (n !== '') {
      const v = Number(n)
      if (!isNotification(v)) throw new SyntaxError(`CSV row ${line}: Notification must be 0–6, not ${JSON.stringify(n)}`)
      def.notification = v
    }
    const access = cell(cAccess)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
    if (access.length > 0) def.accessList = access
    parameters[name] = def
  })
  const out: { -readonly [K in keyof MemoryModelDefinition]: MemoryModelDefinition[K] } = { parameters, objects }
  if (Object.keys(deviceId).length > 0) out.deviceId = deviceId
  return out
}

// ---------------------------------------------------------------------------------------------
// Sample TR-181 device

/** Options of {@link createSampleDeviceModel}; every field has a default. */
export interface SampleDeviceOptions {
  /** `Device.DeviceInfo.SerialNumber`; default `CWMP000001`. */
  readonly serialNumber?: string
  /** `Device.DeviceInfo.Manufacturer`; default `cwmp sample`. */
  readonly manufacturer?: string
  /** `Device.DeviceInfo.ManufacturerOUI`, six upper-case hex digits; default `AABBCC` (not an assigned OUI). */
  readonly oui?: string
  /** `Device.DeviceInfo.ProductClass` (and ModelName); default `SampleGateway`. */
  readonly productClass?: string
  /** `Device.DeviceInfo.HardwareVersion`; default `1.0`. */
  readonly hardwareVersion?: string
  /** `Device.DeviceInfo.SoftwareVersion`; default `1.0.0`. */
  readonly softwareVersion?: string
  /** `Device.DeviceInfo.ProvisioningCode`; default empty. */
  readonly provisioningCode?: string
  /** `Device.ManagementServer.URL`; default empty. */
  readonly acsUrl?: string
  /** `Device.ManagementServer.Username`; default empty. */
  readonly acsUsername?: string
  /** `Device.ManagementServer.Password` (reads as empty); default empty. */
  readonly acsPassword?: string
  /** `Device.ManagementServer.PeriodicInformEnable`; default true. */
  readonly periodicInformEnable?: boolean
  /** `Device.ManagementServer.PeriodicInformInterval` in seconds; default 300. */
  readonly periodicInformInterval?: number
  /** `Device.ManagementServer.PeriodicInformTime`; default the Unknown Time. */
  readonly periodicInformTime?: string
  /** `Device.ManagementServer.ConnectionRequestURL`; default empty. */
  readonly connectionRequestUrl?: string
  /** `Device.ManagementServer.ConnectionRequestUsername`; default empty. */
  readonly connectionRequestUsername?: string
  /** `Device.ManagementServer.ConnectionRequestPassword` (reads as empty); default empty. */
  readonly connectionRequestPassword?: string
  /** Options of the model itself. */
  readonly model?: MemoryDataModelOptions
}

/**
 * The definition behind {@link createSampleDeviceModel}: a small TR-181 `Device:2` gateway with
 * DeviceInfo, ManagementServer, two Wi-Fi SSIDs (fixed instances, writable SSID), one Ethernet
 * interface with 64-bit counters, and `Device.NAT.PortMapping.{i}.` for AddObject and DeleteObject.
 *
 * @param options - identity and ManagementServer settings
 */
export function sampleDeviceDefinition(options: SampleDeviceOptions = {}): MemoryModelDefinition {
  const productClass = options.productClass ?? 'SampleGateway'
  const ro = (value: string): MemoryParameterDefinition => ({ type: 'xsd:string', value })
  const rw = (value: string, maxLength: number): MemoryParameterDefinition => ({
    type: 'xsd:string',
    value,
    writable: true,
    maxLength,
  })
  const secret = (value: string): MemoryParameterDefinition => ({ ...rw(value, 256), hidden: true })
  const ssid = (i: number, name: string): Record<string, MemoryParameterDefinition> => ({
    [`Device.WiFi.SSID.${i}.Enable`]: { type: 'xsd:boolean', value: true, writable: true },
    [`Device.WiFi.SSID.${i}.Status`]: { type: 'xsd:string', value: 'Up', enumeration: ['Up', 'Down', 'Unknown', 'Dormant', 'NotPresent', 'LowerLayerDown', 'Error'] },
    [`Device.WiFi.SSID.${i}.SSID`]: { type: 'xsd:string', value: name, writable: true, maxLength: 32 },
  })
  return {
    parameters: {
      'Device.RootDataModelVersion': ro('2.19'),
      'Device.DeviceInfo.Manufacturer': ro(options.manufacturer ?? 'cwmp sample'),
      'Device.DeviceInfo.ManufacturerOUI': ro(options.oui ?? 'AABBCC'),
      'Device.DeviceInfo.ModelName': ro(productClass),
      'Device.DeviceInfo.Description': ro('Sample TR-181 gateway of the cwmp library'),
      'Device.DeviceInfo.ProductClass': ro(productClass),
      'Device.DeviceInfo.SerialNumber': ro(options.serialNumber ?? 'CWMP000001'),
      'Device.DeviceInfo.HardwareVersion': ro(options.hardwareVersion ?? '1.0'),
      'Device.DeviceInfo.SoftwareVersion': ro(options.softwareVersion ?? '1.0.0'),
      'Device.DeviceInfo.ProvisioningCode': { ...rw(options.provisioningCode ?? '', 64), notification: 2 },
      'Device.DeviceInfo.UpTime': { type: 'xsd:unsignedInt', value: 0, denyActiveNotification: true },
      'Device.ManagementServer.URL': rw(options.acsUrl ?? '', 256),
      'Device.ManagementServer.Username': rw(options.acsUsername ?? '', 256),
      'Device.ManagementServer.Password': secret(options.acsPassword ?? ''),
      'Device.ManagementServer.PeriodicInformEnable': {
        type: 'xsd:boolean',
        value: options.periodicInformEnable ?? true,
        writable: true,
      },
      'Device.ManagementServer.PeriodicInformInterval': {
        type: 'xsd:unsignedInt',
        value: options.periodicInformInterval ?? 300,
        writable: true,
        minimum: 1,
      },
      'Device.ManagementServer.PeriodicInformTime': {
        type: 'xsd:dateTime',
        value: options.periodicInformTime ?? UNKNOWN_TIME,
        writable: true,
      },
      'Device.ManagementServer.ParameterKey': { type: 'xsd:string', value: '', maxLength: 32 },
      'Device.ManagementServer.ConnectionRequestURL': {
        type: 'xsd:string',
        value: options.connectionRequestUrl ?? '',
        maxLength: 256,
        notification: 2,
        denyNotificationChange: true,
      },
      'Device.ManagementServer.ConnectionRequestUsername': rw(options.connectionRequestUsername ?? '', 256),
      'Device.ManagementServer.ConnectionRequestPassword': secret(options.connectionRequestPassword ?? ''),
      'Device.ManagementServer.UpgradesManaged': { type: 'xsd:boolean', value: false, writable: true },
      'Device.ManagementServer.CWMPRetryMinimumWaitInterval': {
        type: 'xsd:unsignedInt',
        value: 5,
        writable: true,
        minimum: 1,
        maximum: 65535,
      },
      'Device.ManagementServer.CWMPRetryIntervalMultiplier': {
        type: 'xsd:unsignedInt',
        value: 2000,
        writable: true,
        minimum: 1000,
        maximum: 65535,
      },
      'Device.Ethernet.InterfaceNumberOfEntries': { type: 'xsd:unsignedInt', value: 1 },
      'Device.Ethernet.Interface.1.Enable': { type: 'xsd:boolean', value: true, writable: true },
      'Device.Ethernet.Interface.1.MACAddress': { type: 'xsd:string', value: '02:00:00:00:00:01', maxLength: 17 },
      'Device.Ethernet.Interface.1.Stats.BytesSent': { type: 'xsd:unsignedLong', value: 0, denyActiveNotification: true },
      'Device.Ethernet.Interface.1.Stats.BytesReceived': { type: 'xsd:unsignedLong', value: 0, denyActiveNotification: true },
      'Device.WiFi.SSIDNumberOfEntries': { type: 'xsd:unsignedInt', value: 2 },
      ...ssid(1, `${productClass}-2G`),
      ...ssid(2, `${productClass}-5G`),
      'Device.NAT.PortMappingNumberOfEntries': { type: 'xsd:unsignedInt', value: 0 },
      'Device.NAT.PortMapping.{i}.Enable': { type: 'xsd:boolean', value: false, writable: true },
      'Device.NAT.PortMapping.{i}.Description': rw('', 256),
      'Device.NAT.PortMapping.{i}.ExternalPort': {
        type: 'xsd:unsignedInt',
        value: 0,
        writable: true,
        maximum: 65535,
      },
      'Device.NAT.PortMapping.{i}.InternalPort': {
        type: 'xsd:unsignedInt',
        value: 0,
        writable: true,
        maximum: 65535,
      },
      'Device.NAT.PortMapping.{i}.Protocol': {
        type: 'xsd:string',
        value: 'TCP',
        writable: true,
        enumeration: ['TCP', 'UDP'],
      },
      'Device.NAT.PortMapping.{i}.InternalClient': rw('', 256),
      'Device.NAT.PortMapping.{i}.LeaseDuration': { type: 'xsd:unsignedInt', value: 0, writable: true },
    },
    objects: {
      'Device.WiFi.SSID.': { writable: false },
      'Device.Ethernet.Interface.': { writable: false },
      'Device.NAT.PortMapping.': { writable: true, maxEntries: 32 },
    },
  }
}

/**
 * A ready-made in-memory TR-181 device (see {@link sampleDeviceDefinition}) for simulators, tests
 * and the demo.
 *
 * @param options - identity and ManagementServer settings
 *
 * @example
 * ```ts
 * const model = createSampleDeviceModel({ serialNumber: 'SN42', acsUrl: 'http://127.0.0.1:7547/' })
 * model.addObject('Device.NAT.PortMapping.', 'key-1') // { instanceNumber: 1, status: 0 }
 * ```
 */
export function createSampleDeviceModel(options: SampleDeviceOptions = {}): MemoryDataModel {
  return createMemoryDataModel(sampleDeviceDefinition(options), options.model ?? {})
}
