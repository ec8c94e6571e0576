/**
 * {@link simulatedModelDefinition} and {@link createSimulatedModel}: a whole Broadband Forum data
 * model (the `tr181` or `tr098` definitions of `cwmp/tr181` / `cwmp/tr098`, passed in as a value)
 * as an in-memory model: every current (not deprecated, not obsoleted) parameter, each table with a
 * chosen number of instances, seeded plausible values that follow the definitions' facets, the
 * definitions' writability and notification rules, `…NumberOfEntries` matching the instances, and
 * the DeviceInfo identity the DeviceId is read from.
 *
 * This unit does not import `src/datamodel`: the definitions come in as a value (D357, D372).
 *
 * @module
 */
import { ConfigError } from '../errors.js'
import type { DeviceValueOptions } from './device-options.js'
import type { Notification } from '../types/structs.js'
import { UNKNOWN_TIME } from '../values/convert.js'
import type { MemoryModelDefinition, MemoryObjectDefinition, MemoryParameterDefinition } from './memory-definition.js'
import { createMemoryDataModel, type MemoryDataModel, type MemoryDataModelOptions } from './memory-model.js'

/**
 * What {@link simulatedModelDefinition} needs of a parameter definition (structurally a subset of
 * the `ParameterDefinition` of `cwmp/tr181`).
 *
 * @category Data models
 */
export interface SimulatedParameterDefinition {
  /** Discriminant. */
  readonly kind: 'parameter'
  /** Template path: `Device.WiFi.SSID.{i}.SSID`. */
  readonly path: string
  /** Template path of the object holding it. */
  readonly object: string
  /** Type and facets; the sizes, ranges and enumeration become the memory model's facets. */
  readonly syntax: {
    /** The base type (`string`, `unsignedInt`, …, or `list`). */
    readonly type: string
    /** Allowed lengths (one must hold). */
    readonly sizes?: readonly {
      /** Fewest characters (or bytes, for binary types). */
      readonly minLength?: number
      /** Most characters (or bytes). */
      readonly maxLength?: number
    }[]
    /** Allowed numeric ranges (one must hold). */
    readonly ranges?: readonly {
      /** Smallest allowed value. */
      readonly minInclusive?: number
      /** Largest allowed value. */
      readonly maxInclusive?: number
    }[]
    /** The allowed values of an enumeration. */
    readonly enumeration?: readonly string[]
  }
  /** The `xsi:type` its values are sent with. */
  readonly xsdType: string
  /** Whether the ACS may set it. */
  readonly writable: boolean
  /** Part of every Inform. */
  readonly forcedInform: boolean
  /** `normal`, `forceEnabled`, `forceDefaultEnabled` or `canDeny`. */
  readonly activeNotify: string
  /** `current`, `deprecated` or `obsoleted`. */
  readonly status: string
  /** Read back as an empty string (passwords). */
  readonly hidden: boolean
  /** A default the definitions give, if any (an `object` default is a new instance's value). */
  readonly default?: {
    /** `object` (a new instance's value), `factory` or `implementation`. */
    readonly type: string
    /** The lexical value. */
    readonly value: string
  }
}

/**
 * What {@link simulatedModelDefinition} needs of an object definition (structurally a subset of the
 * `ObjectDefinition` of `cwmp/tr181`).
 *
 * @category Data models
 */
export interface SimulatedObjectDefinition {
  /** Discriminant. */
  readonly kind: 'object'
  /** Template path: `Device.WiFi.` or `Device.WiFi.SSID.{i}.`. */
  readonly path: string
  /** True for the `{i}` object of a table. */
  readonly multiInstance: boolean
  /** `readWrite`: instances may be added and deleted. */
  readonly access: string
  /** Fewest instances. */
  readonly minEntries: number
  /** Most instances; undefined for unbounded. */
  readonly maxEntries: number | undefined
  /** Template path of the parameter counting the instances, if any. */
  readonly numEntriesParameter?: string
  /** `current`, `deprecated` or `obsoleted`. */
  readonly status: string
}

/**
 * What {@link simulatedModelDefinition} needs of the definitions: the `tr181` and `tr098` objects
 * (`DataModelDefinitions`) have this shape.
 *
 * @category Data models
 */
export interface SimulatedModelDefinitions {
  /** The model and its version: `Device:2.17`. */
  readonly model: string
  /** The root object: `Device.` or `InternetGatewayDevice.`. */
  readonly root: string
  /** Every parameter, in the definitions' order. */
  parameters(): readonly SimulatedParameterDefinition[]
  /** Every object (instances as `{i}` objects), parents before children. */
  objects(): readonly SimulatedObjectDefinition[]
  /** Why a lexical value does not follow a parameter's syntax, or undefined when it does. */
  checkValue(path: string, value: string):
    | {
        /** Why the value does not fit the parameter's type and facets. */
        readonly message: string
      }
    | undefined
  /** A deterministic plausible lexical value for a parameter. */
  plausibleValue(path: string, seed: number): string
}

/**
 * Options of {@link simulatedModelDefinition}: identity and ManagementServer values (each checked
 * against the definitions), the number of instances per table, and values of any parameter.
 *
 * @category Data models
 */
export interface SimulatedModelOptions extends DeviceValueOptions {
  /** Any integer; the same seed and options give the same model. Default 1. */
  readonly seed?: number
  /**
   * Instances of every table (0–64, default 1), never more than the table's `maxEntries` and never
   * fewer than its `minEntries`. Nested tables multiply: at most 1,000,000 parameters in all.
   */
  readonly instances?: number
  /** `DeviceInfo.Manufacturer`; default `cwmp simulated`. */
  readonly manufacturer?: string
  /** `DeviceInfo.ManufacturerOUI`, six upper-case hex digits; default `AABBCC` (not an assigned OUI). */
  readonly oui?: string
  /** `DeviceInfo.ProductClass` (and `ModelName`); default `SimulatedDevice` (TR-181) or `SimulatedIGD` (TR-098). */
  readonly productClass?: string
  /** `DeviceInfo.SerialNumber`; default a seeded `SN…`. */
  readonly serialNumber?: string
  /** Lexical values of any concrete parameters of the generated model, applied last. */
  readonly values?: Readonly<Record<string, string>>
  /** Options of the model itself ({@link createSimulatedModel} only). */
  readonly model?: MemoryDataModelOptions
}

/** The most parameters one simulated model may hold (nested tables multiply the instances). */
const MAX_PARAMETERS = 1_000_000
/** The most instances per table an option may ask for. */
const MAX_INSTANCES = 64

interface Concrete {
  /** Concrete path of an object. */
  readonly path: string
  /** Its instance numbers, outermost first. */
  readonly tuple: readonly number[]
}

/** The template path of the object above `path` (`A.{i}.B.` → `A.{i}.`; `A.{i}.` → `A.`). */
function parentOf(path: string): string {
  const i = path.lastIndexOf('.', path.length - 2)
  return i < 0 ? '' : path.slice(0, i + 1)
}

/** The seed of one instance: the instance numbers mixed in, so instances differ (D373). */
function instanceSeed(seed: number, tuple: readonly number[]): number {
  let h = seed | 0
  for (const n of tuple) h = (Math.imul(h ^ n, 0x01000193) + 0x9e3779b9) | 0
  return h
}

/** A facet number the memory model takes (a safe integer), or undefined. */
function bound(values: readonly (number | undefined)[], pick: (a: number, b: number) => number): number | undefined {
  let out: number | undefined
  for (const v of values) {
    if (v === undefined || !Number.isSafeInteger(v)) return undefined
    out = out === undefined ? v : pick(out, v)
  }
  return out
}

const INTEGER_TYPES = new Set(['int', 'unsignedInt', 'long', 'unsignedLong'])
const LENGTH_TYPES = new Set(['string', 'base64', 'hexBinary', 'list'])

/** The memory model's form of one parameter: type, facets (a superset of what the syntax allows), flags, value. */
function memoryParameter(p: SimulatedParameterDefinition, value: string, notification: Notification): MemoryParameterDefinition {
  const d: { -readonly [K in keyof MemoryParameterDefinition]: MemoryParameterDefinition[K] } = { type: p.xsdType, value }
  if (p.writable) d.writable = true
  if (notification !== 0) d.notification = notification
  if (p.activeNotify === 'forceEnabled') d.denyNotificationChange = true
  if (p.activeNotify === 'canDeny') d.denyActiveNotification = true
  if (p.hidden) d.hidden = true
  if (p.forcedInform) d.forcedInform = true
  const s = p.syntax
  if (LENGTH_TYPES.has(s.type) && s.sizes !== undefined && s.sizes.length > 0) {
    const max = bound(s.sizes.map((z) => z.maxLength), Math.max)
    if (max !== undefined) d.maxLength = max
  }
  if (INTEGER_TYPES.has(s.type) && s.ranges !== undefined && s.ranges.length > 0) {
    const min = bound(s.ranges.map((r) => r.minInclusive), Math.min)
    const max = bound(s.ranges.map((r) => r.maxInclusive), Math.max)
    if (min !== undefined) d.minimum = min
    if (max !== undefined) d.maximum = max
  }
  if (s.type === 'string' && s.enumeration !== undefined && s.enumeration.length > 0) d.enumeration = [...s.enumeration]
  return d
}

function checkDefinitions(defs: unknown): asserts defs is SimulatedModelDefinitions {
  const d = defs as Partial<SimulatedModelDefinitions> | null
  if (
    typeof d !== 'object' ||
    d === null ||
    typeof d.root !== 'string' ||
    typeof d.parameters !== 'function' ||
    typeof d.objects !== 'function' ||
    typeof d.checkValue !== 'function' ||
    typeof d.plausibleValue !== 'function'
  ) {
    throw new ConfigError('definitions', 'a DataModelDefinitions object (tr181 from cwmp/tr181 or tr098 from cwmp/tr098)', defs)
  }
}

/**
 * The definition of a simulated device whose data model is the whole of `definitions` (the `tr181`
 * or `tr098` object of `cwmp/tr181` / `cwmp/tr098`): every current parameter (deprecated and
 * obsoleted ones are left out) of every instance, with a seeded plausible value that passes the
 * definitions' checks (`checkValue`; for writable ones `validate` too), writable where the
 * definitions say, the definitions' forced Inform and active notification rules, `…NumberOfEntries`
 * equal to the instances, writable tables with their `{i}` templates (for AddObject), and the
 * DeviceInfo identity (Manufacturer, ManufacturerOUI, ProductClass, SerialNumber) the DeviceId is
 * read from. It is a plain {@link MemoryModelDefinition}: `createMemoryDataModel`, `createCpeClient`
 * and `cwmp fleet` take it as it is.
 *
 * The memory model checks what an ACS sets against the type, the widest size and range, and the
 * enumeration; patterns and list items are not checked there (use `createDefinedModel` for that).
 *
 * @example
 * ```ts
 * import { simulatedModelDefinition, createMemoryDataModel } from 'cwmp'
 * import { tr181 } from 'cwmp/tr181'
 *
 * const definition = simulatedModelDefinition(tr181, { seed: 7, serialNumber: 'SIM0001' })
 * const model = createMemoryDataModel(definition)
 * model.get('Device.DeviceInfo.SerialNumber') // 'SIM0001'
 * model.get('Device.WiFi.SSIDNumberOfEntries') // '1'
 * ```
 *
 * @param definitions - the `tr181` or `tr098` definitions
 * @param options - seed, instances per table, identity, ManagementServer values, any values
 * @throws {@link ConfigError} naming the option for a value the definitions refuse, an unknown
 * parameter in `values`, a bad seed or instance count, or a model over 1,000,000 parameters
 * @category Data models
 */
export function simulatedModelDefinition(definitions: SimulatedModelDefinitions, options: SimulatedModelOptions = {}): MemoryModelDefinition {
  checkDefinitions(definitions)
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  const seed = options.seed ?? 1
  if (!Number.isSafeInteger(seed)) throw new ConfigError('seed', 'an integer', seed)
  const wanted = options.instances ?? 1
  if (!Number.isSafeInteger(wanted) || wanted < 0 || wanted > MAX_INSTANCES) {
    throw new ConfigError('instances', `an integer from 0 to ${MAX_INSTANCES}`, wanted)
  }
  const root = definitions.root
  const igd = root === 'InternetGatewayDevice.'

  // 0. The size, counted before anything is made: nested tables multiply the instances.
  const sizes = new Map<string, number>([['', 1]])
  const perTable = (o: SimulatedObjectDefinition): number =>
    o.multiInstance ? Math.min(Math.max(wanted, o.minEntries), o.maxEntries ?? Number.POSITIVE_INFINITY) : 1
  let total = 0
  for (const o of definitions.objects()) {
    const above = o.status === 'current' ? sizes.get(parentOf(o.multiInstance ? o.path.slice(0, -'{i}.'.length) : o.path)) : undefined
    if (above === undefined) continue
    sizes.set(o.path, above * perTable(o))
    total += above * perTable(o)
  }
  for (const p of definitions.parameters()) if (p.status === 'current') total += sizes.get(p.object) ?? 0
  if (total > MAX_PARAMETERS) {
    throw new ConfigError('instances', `a count giving at most ${MAX_PARAMETERS} objects and parameters (${total} here)`, wanted)
  }

  // 1. Objects: the concrete paths of every current object; tables and their instance counts.
  const concretes = new Map<string, readonly Concrete[]>([['', [{ path: '', tuple: [] }]]])
  const counts = new Map<string, number>() // instance template path → instances per table
  const writableSubtree = new Set<string>() // object template paths inside a writable table's instances
  const objectDefs = new Map<string, SimulatedObjectDefinition>()
  const objects: Record<string, MemoryObjectDefinition> = {}
  for (const o of definitions.objects()) {
    if (o.status !== 'current') continue
    const up = parentOf(o.multiInstance ? o.path.slice(0, -'{i}.'.length) : o.path)
    const above = concretes.get(up)
    if (above === undefined) continue // below a deprecated or obsoleted object
    objectDefs.set(o.path, o)
    if (writableSubtree.has(up) || (o.multiInstance && o.access === 'readWrite')) writableSubtree.add(o.path)
    const name = o.path.slice(up.length)
    const n = perTable(o)
    if (!o.multiInstance) {
      concretes.set(o.path, above.map((c) => ({ path: c.path + name, tuple: c.tuple })))
      continue
    }
    const tableName = name.slice(0, -'{i}.'.length)
    counts.set(o.path, n)
    const list: Concrete[] = []
    const table: { -readonly [K in keyof MemoryObjectDefinition]: MemoryObjectDefinition[K] } = { writable: o.access === 'readWrite' }
    if (o.maxEntries !== undefined) table.maxEntries = o.maxEntries
    const counter = o.numEntriesParameter?.slice(o.numEntriesParameter.lastIndexOf('.') + 1)
    if (counter !== undefined && counter !== `${tableName.slice(0, -1)}NumberOfEntries`) table.numberOfEntries = counter
    if (writableSubtree.has(up)) objects[`${up}${tableName}`] = table // a table inside a template (AddObject above it)
    for (const c of above) {
      objects[c.path + tableName] = table
      for (let k = 1; k <= n; k++) list.push({ path: `${c.path}${tableName}${k}.`, tuple: [...c.tuple, k] })
    }
    concretes.set(o.path, list)
  }

  // 2. Parameters: every current one of every concrete object; templates below writable tables.
  const parameters: Record<string, MemoryParameterDefinition> = {}
  const forcedOn = (p: SimulatedParameterDefinition): Notification =>
    p.activeNotify === 'forceEnabled' || p.activeNotify === 'forceDefaultEnabled' ? 2 : 0
  // numEntriesParameter → instance template path (of every table: a left-out table counts 0 instances)
  const counters = new Map<string, string>()
  for (const o of definitions.objects()) if (o.multiInstance && o.numEntriesParameter !== undefined) counters.set(o.numEntriesParameter, o.path)
  const hasParameters = new Set<string>()
  for (const p of definitions.parameters()) {
    if (p.status !== 'current') continue
    const at = concretes.get(p.object)
    if (at === undefined) continue
    hasParameters.add(p.object)
    const notification = forcedOn(p)
    const name = p.path.slice(p.object.length)
    const counted = counters.get(p.path)
    for (const c of at) {
      const value = counted === undefined ? definitions.plausibleValue(p.path, instanceSeed(seed, c.tuple)) : String(counts.get(counted) ?? 0)
      parameters[c.path + name] = memoryParameter(p, value, notification)
    }
    if (writableSubtree.has(p.object)) {
      // A new instance starts with the definitions' object default where it has a valid one, 0 instances below it.
      const def = p.default?.type === 'object' && definitions.checkValue(p.path, p.default.value) === undefined ? p.default.value : undefined
      const value = counted !== undefined ? '0' : (def ?? definitions.plausibleValue(p.path, seed))
      parameters[p.path] = memoryParameter(p, value, notification)
    }
  }
  // Objects with no parameters of their own still exist (GetParameterNames lists them).
  for (const [path, list] of concretes) {
    if (path === '' || hasParameters.has(path)) continue
    const o = objectDefs.get(path)
    if (writableSubtree.has(path)) objects[path] ??= {}
    for (const c of list) if (o !== undefined && !o.multiInstance) objects[c.path] ??= {}
    if (o?.multiInstance === true) for (const c of list) objects[c.path] ??= { writable: o.access === 'readWrite' }
  }

  // 3. Identity, ManagementServer and the caller's values, each checked against the definitions.
  const put = (field: string, name: string, value: string | number | boolean | undefined, required: boolean): void => {
    if (value === undefined) return
    const path = `${root}${name}`
    const entry = parameters[path]
    if (entry === undefined) {
      if (required) throw new ConfigError(field, `a parameter of this ${definitions.model} model (${path} is not one)`, path)
      return
    }
    const lexical = String(value)
    const problem = definitions.checkValue(path, lexical)
    if (problem !== undefined) throw new ConfigError(field, `a value of ${path} (${problem.message})`, lexical)
    parameters[path] = { ...entry, value: lexical }
  }
  const productClass = options.productClass ?? (igd ? 'SimulatedIGD' : 'SimulatedDevice')
  const version = /:(\d+\.\d+)$/.exec(definitions.model)?.[1]
  if (!igd && version !== undefined) put('definitions', 'RootDataModelVersion', version, false)
  put('manufacturer', 'DeviceInfo.Manufacturer', options.manufacturer ?? 'cwmp simulated', true)
  put('oui', 'DeviceInfo.ManufacturerOUI', options.oui ?? 'AABBCC', true)
  put('productClass', 'DeviceInfo.ProductClass', productClass, true)
  put('productClass', 'DeviceInfo.ModelName', productClass, false)
  put('serialNumber', 'DeviceInfo.SerialNumber', options.serialNumber, true)
  put('hardwareVersion', 'DeviceInfo.HardwareVersion', options.hardwareVersion ?? '1.0', false)
  put('softwareVersion', 'DeviceInfo.SoftwareVersion', options.softwareVersion ?? '1.0.0', false)
  put('provisioningCode', 'DeviceInfo.ProvisioningCode', options.provisioningCode ?? '', false)
  put('acsUrl', 'ManagementServer.URL', options.acsUrl ?? '', false)
  put('acsUsername', 'ManagementServer.Username', options.acsUsername ?? '', false)
  put('acsPassword', 'ManagementServer.Password', options.acsPassword ?? '', false)
  put('periodicInformEnable', 'ManagementServer.PeriodicInformEnable', options.periodicInformEnable ?? true, false)
  put('periodicInformInterval', 'ManagementServer.PeriodicInformInterval', options.periodicInformInterval ?? 300, false)
  put('periodicInformTime', 'ManagementServer.PeriodicInformTime', options.periodicInformTime ?? UNKNOWN_TIME, false)
  put('connectionRequestUrl', 'ManagementServer.ConnectionRequestURL', options.connectionRequestUrl ?? '', false)
  put('connectionRequestUsername', 'ManagementServer.ConnectionRequestUsername', options.connectionRequestUsername ?? '', false)
  put('connectionRequestPassword', 'ManagementServer.ConnectionRequestPassword', options.connectionRequestPassword ?? '', false)
  put('definitions', 'ManagementServer.ParameterKey', '', false)
  put('definitions', 'ManagementServer.CWMPRetryMinimumWaitInterval', 5, false)
  put('definitions', 'ManagementServer.CWMPRetryIntervalMultiplier', 2000, false)
  const values = options.values ?? {}
  if (typeof values !== 'object' || values === null) throw new ConfigError('values', 'an object of parameter path → lexical value', values)
  for (const [path, value] of Object.entries(values)) {
    const entry = parameters[path]
    const field = `values.${path}`
    if (entry === undefined || path.includes('{i}')) throw new ConfigError(field, 'a concrete parameter of the simulated model', path)
    if (typeof value !== 'string') throw new ConfigError(field, 'a lexical value (a string)', value)
    const problem = definitions.checkValue(path, value)
    if (problem !== undefined) throw new ConfigError(field, `a value of ${path} (${problem.message})`, value)
    parameters[path] = { ...entry, value }
  }
  return { parameters, objects }
}

/**
 * A simulated device: {@link simulatedModelDefinition} as an in-memory model.
 *
 * @example
 * ```ts
 * import { createSimulatedModel } from 'cwmp'
 * import { tr098 } from 'cwmp/tr098'
 *
 * const model = createSimulatedModel(tr098, { seed: 3, instances: 2 })
 * model.deviceId().productClass // 'SimulatedIGD'
 * ```
 *
 * @param definitions - the `tr181` or `tr098` definitions
 * @param options - seed, instances per table, identity, ManagementServer values, model options
 * @throws {@link ConfigError} as {@link simulatedModelDefinition}
 * @category Data models
 */
export function createSimulatedModel(definitions: SimulatedModelDefinitions, options: SimulatedModelOptions = {}): MemoryDataModel {
  return createMemoryDataModel(simulatedModelDefinition(definitions, options), options.model ?? {})
}
