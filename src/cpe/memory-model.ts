/**
 * An in-memory {@link DataModel} for simulators and tests: typed parameters with TR-069
 * semantics (partial paths, NextLevel, all-or-nothing SetParameterValues, notification attributes,
 * multi-instance objects with templates), value-change tracking for `4 VALUE CHANGE`, and the forced
 * Inform parameters. It is built from a {@link MemoryModelDefinition} (a plain object or JSON, or
 * {@link parseDataModelCsv} of a CSV dump); {@link createSampleDeviceModel} is a ready-made one.
 *
 * No I/O.
 *
 * @module
 */
import { ConfigError } from '../errors.js'
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
import { CPE_FAULTS } from '../types/catalogue.js'
import { toParameterValue, type ParameterValueInput } from '../values/convert.js'
import { isIntegerType } from '../values/lexical.js'
import { checkValue, defaultValue, normaliseValueType, sameValueType, type BooleanForm } from '../values/syntax.js'
import { DataModelFault, modelFault, parameterFault, type AddObjectResult, type DataModel } from './data-model.js'
import {
  definitionError,
  readParameterDefinition,
  writeParameterDefinition,
  type MemoryModelDefinition,
  type MemoryObjectDefinition,
  type MemoryParameterDefinition,
  type ParameterEntry,
} from './memory-definition.js'
import { isActiveNotification, isNotification, notifiesInInform } from './notification.js'
import { isDefinitionPath, isInstanceNumber, isPartialPath, lastSegment, parentPath, templatePathOf } from './parameter-paths.js'
import {
  DEVICE_ID_PARAMETERS,
  forcedInformPaths,
  isTr098ExternalIpAddress,
  numberOfEntriesPath,
  parameterKeyPath,
  rootObjectOf,
} from './standard-parameters.js'

// ---------------------------------------------------------------------------------------------
// Public types

/**
 * Options of {@link createMemoryDataModel}.
 *
 * @category Data models
 */
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

/**
 * A parameter value changed by the device itself, to be reported with `4 VALUE CHANGE`.
 *
 * @category Data models
 */
export interface ValueChange {
  /** The parameter with its current value, ready for the Inform ParameterList. */
  readonly parameter: ParameterValueStruct
  /** Its notification attribute when it changed: 1, 4 or 6 (passive) or 2 (active). */
  readonly notification: Notification
  /** True for active notification (2): the CPE must start a session soon; false for passive. */
  readonly active: boolean
}

/**
 * Options of {@link MemoryDataModel.set}.
 *
 * @category Data models
 */
export interface MemorySetOptions {
  /** Do not record a value change (e.g. initial values set at start-up). */
  readonly silent?: boolean
}

/**
 * An in-memory data model: a {@link DataModel} whose methods answer synchronously, plus access for
 * the device itself.
 *
 * @category Data models
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

/** A parameter of the tree: where it is, what it is, its value and attributes. */
interface ParamNode extends ParameterEntry {
  readonly kind: 'parameter'
  readonly path: string
  readonly parent: ObjNode
  value: string
  notification: Notification
  accessList: readonly string[]
}

interface TableState {
  writable: boolean
  nextInstance: number
  maxEntries?: number
  /** The name of its counter in the parent object, when not `<Table>NumberOfEntries`. */
  counter?: string
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

/** A parameter below a `{i}` segment: what each new instance gets. */
interface TemplateParam extends ParameterEntry {
  readonly kind: 'parameter'
}

interface TemplateObject {
  readonly kind: 'object'
  readonly writable?: boolean
  readonly maxEntries?: number
  readonly counter?: string
}

type TemplateEntry = TemplateParam | TemplateObject

/** A parameter node made from what a definition or a template says of it. */
function parameterNode(path: string, parent: ObjNode, entry: ParameterEntry): ParamNode {
  const { spec, value, notification, accessList } = entry
  return { kind: 'parameter', path, parent, spec, value, notification, accessList }
}

// ---------------------------------------------------------------------------------------------
// The model

const INVALID_VALUE = CPE_FAULTS.InvalidParameterValue.text

class MemoryModel implements MemoryDataModel {
  readonly #nodes = new Map<string, Node>()
  readonly #top: ObjNode = { kind: 'object', path: '', parent: undefined, children: new Map(), writable: false }
  readonly #templates = new Map<string, TemplateEntry>()
  #prefixes: Set<string> | undefined
  #prefixesOf = -1
  readonly #changes = new Map<string, Notification>()
  readonly #listeners = new Set<(change: ValueChange) => void>()
  readonly #booleanForm: BooleanForm
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
    this.root = rootObjectOf([...this.#top.children.keys()])
  }

  // ----- building

  #build(definition: MemoryModelDefinition): void {
    if (typeof definition !== 'object' || definition === null || typeof definition.parameters !== 'object' || definition.parameters === null) {
      definitionError('expected an object with `parameters`')
    }
    const objects = definition.objects ?? {}
    // 1. Templates (paths with `{i}`) and concrete parameters.
    for (const [path, raw] of Object.entries(definition.parameters)) {
      if (!isDefinitionPath(path, false)) definitionError(`"${path}" is not a parameter path`)
      const entry = readParameterDefinition(path, raw, this.#booleanForm)
      if (path.includes('{i}')) {
        this.#templates.set(path, { kind: 'parameter', ...entry })
      } else {
        const parent = this.#ensureObject(parentPath(path))
        if (this.#nodes.has(path) || this.#nodes.has(`${path}.`)) definitionError(`"${path}" is defined twice`)
        this.#attach(parameterNode(path, parent, entry))
      }
    }
    for (const [path, def] of Object.entries(objects)) {
      if (!isDefinitionPath(path, true)) definitionError(`"${path}" is not an object path (it must end with a dot)`)
      if (typeof def !== 'object' || def === null) definitionError(`object "${path}" must be an object`)
      if (path.includes('{i}')) {
        const t: { -readonly [K in keyof TemplateObject]: TemplateObject[K] } = { kind: 'object' }
        if (def.writable !== undefined) t.writable = def.writable
        if (def.maxEntries !== undefined) t.maxEntries = def.maxEntries
        if (def.numberOfEntries !== undefined) t.counter = def.numberOfEntries
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
      const numeric = children.filter(isInstanceNumber)
      if (numeric.length > 0 && numeric.length !== children.length) {
        definitionError(`"${obj.path}" mixes instances and named children`)
      }
      const isTable = hasTemplate || numeric.length > 0 || (def?.writable === true && children.length === 0)
      if (isTable) {
        const tdef = this.#templates.get(templatePathOf(obj.path))
        const writable = def?.writable ?? (tdef?.kind === 'object' ? tdef.writable : undefined) ?? hasTemplate
        const max = numeric.reduce((m, c) => Math.max(m, Number(c)), 0)
        const table: TableState = { writable, nextInstance: Math.max(max + 1, def?.nextInstance ?? 1) }
        const maxEntries = def?.maxEntries ?? (tdef?.kind === 'object' ? tdef.maxEntries : undefined)
        if (maxEntries !== undefined) table.maxEntries = maxEntries
        const counter = def?.numberOfEntries ?? (tdef?.kind === 'object' ? tdef.counter : undefined)
        if (counter !== undefined) table.counter = counter
        obj.table = table
        obj.writable = writable
      } else if (def?.writable !== undefined) obj.writable = def.writable
    }
    for (const obj of all) {
      if (obj.parent?.table !== undefined) {
        const def = Object.hasOwn(objects, obj.path) ? objects[obj.path] : undefined
        const own = this.#templates.get(templatePathOf(obj.path))
        obj.writable = def?.writable ?? (own?.kind === 'object' ? own.writable : undefined) ?? obj.parent.table.writable
      }
    }
    // 4. Templates for tables that have instances but no `{i}` definitions.
    this.#deriveTemplates()
  }

  #hasTemplate(tablePath: string): boolean {
    return this.#tablePrefixes().has(`${templatePathOf(tablePath)}{i}.`)
  }

  /** Every `….{i}.` prefix of a template key (a set: a whole model's tables are looked up in it, D374). */
  #tablePrefixes(): ReadonlySet<string> {
    if (this.#prefixes === undefined || this.#prefixesOf !== this.#templates.size) {
      const out = new Set<string>()
      for (const k of this.#templates.keys()) {
        for (let i = k.indexOf('{i}.'); i !== -1; i = k.indexOf('{i}.', i + 4)) out.add(k.slice(0, i + 4))
      }
      this.#prefixes = out
      this.#prefixesOf = this.#templates.size
    }
    return this.#prefixes
  }

  #deriveTemplates(): void {
    const derived = new Map<string, TemplateEntry>()
    const tablePatterns = new Set<string>()
    for (const n of this.#nodes.values()) {
      if (n.kind === 'object' && n.table !== undefined && !this.#hasTemplate(n.path)) tablePatterns.add(templatePathOf(n.path))
    }
    if (tablePatterns.size === 0) return
    for (const n of this.#nodes.values()) {
      const pattern = templatePathOf(n.path)
      let inTable = false
      for (let i = pattern.indexOf('{i}.'); i !== -1 && !inTable; i = pattern.indexOf('{i}.', i + 4)) inTable = tablePatterns.has(pattern.slice(0, i))
      if (!inTable || derived.has(pattern)) continue
      if (n.kind === 'parameter') {
        derived.set(pattern, { kind: 'parameter', spec: n.spec, value: defaultValue(n.spec, this.#booleanForm), notification: 0, accessList: [] })
      } else if (n.table !== undefined) {
        const t: { -readonly [K in keyof TemplateObject]: TemplateObject[K] } = { kind: 'object', writable: n.table.writable }
        if (n.table.maxEntries !== undefined) t.maxEntries = n.table.maxEntries
        if (n.table.counter !== undefined) t.counter = n.table.counter
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
    if (isPartialPath(name)) {
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
    // A hidden value reads as the empty string, or as its type's null value (TR-106: 0, false) for a
    // type whose lexical space has no empty string (D375).
    const hidden = p.spec.type === 'xsd:string' ? '' : defaultValue(p.spec, this.#booleanForm)
    return { name: p.path, value: p.spec.hidden ? hidden : p.value, type: p.spec.type }
  }

  #info(n: Node): ParameterInfoStruct {
    return { name: n.path, writable: n.kind === 'parameter' ? n.spec.writable : n.writable }
  }

  #parameterKeyNode(): ParamNode | undefined {
    return this.#parameter(parameterKeyPath(this.root))
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

  /** Every parameter the names stand for, in order; 9005 for the first name that stands for none. */
  #expandAll(names: readonly string[]): ParamNode[] {
    const out: ParamNode[] = []
    for (const name of names) {
      const params = this.#expand(name)
      if (params === undefined) throw modelFault('InvalidParameterName', name)
      for (const p of params) out.push(p)
    }
    return out
  }

  getParameterValues(names: readonly string[]): ParameterValueStruct[] {
    return this.#expandAll(names).map((p) => this.#read(p))
  }

  setParameterValues(parameterList: readonly ParameterValueStruct[], parameterKey: string): ApplyStatus {
    const faults: SetParameterValuesFaultStruct[] = []
    const plan: [ParamNode, string][] = []
    const seen = new Set<string>()
    for (const { name, value, type } of parameterList) {
      if (seen.has(name)) throw modelFault('InvalidArguments', `${name} appears more than once`)
      seen.add(name)
      const node = this.#parameter(name)
      if (node === undefined) {
        faults.push(parameterFault(name, 'InvalidParameterName'))
        continue
      }
      if (!node.spec.writable) {
        faults.push(parameterFault(name, 'NonWritableParameter'))
        continue
      }
      const incoming = normaliseValueType(type) ?? type
      if (!sameValueType(incoming, node.spec.type) && !(this.#lenient && incoming === 'xsd:string')) {
        faults.push(parameterFault(name, 'InvalidParameterType', `expected ${node.spec.type}`))
        continue
      }
      const checked = checkValue(node.spec, value, this.#booleanForm)
      if (!checked.ok) {
        faults.push(parameterFault(name, 'InvalidParameterValue', checked.reason))
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
      if (p === undefined) throw modelFault('InvalidParameterName', parameterPath)
      if (nextLevel) throw modelFault('InvalidArguments', 'NextLevel is true for a parameter name')
      return [this.#info(p)]
    }
    const obj = this.#object(parameterPath)
    if (obj === undefined) throw modelFault('InvalidParameterName', parameterPath)
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
    return this.#expandAll(names).map((p) => ({ name: p.path, notification: p.notification, accessList: [...p.accessList] }))
  }

  setParameterAttributes(parameterList: readonly SetParameterAttributesStruct[]): void {
    const plan: { node: ParamNode; notification?: Notification; accessList?: readonly string[] }[] = []
    // Entries apply in order: a later one is judged against what an earlier one set.
    const planned = new Map<ParamNode, Notification>()
    for (const s of parameterList) {
      const params = this.#expand(s.name)
      if (params === undefined) throw modelFault('InvalidParameterName', s.name)
      if (s.notificationChange && !isNotification(s.notification)) {
        throw modelFault('InvalidArguments', `notification ${String(s.notification)}`)
      }
      const partial = isPartialPath(s.name)
      for (const node of params) {
        const step: { node: ParamNode; notification?: Notification; accessList?: readonly string[] } = { node }
        if (s.notificationChange && s.notification !== (planned.get(node) ?? node.notification)) {
          const refused =
            node.spec.denyNotificationChange || (isActiveNotification(s.notification) && node.spec.denyActiveNotification)
          if (!refused) {
            step.notification = s.notification
            planned.set(node, s.notification)
          } else if (!partial) throw modelFault('NotificationRequestRejected', node.path)
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
      throw modelFault('InvalidParameterName', `${objectName} is not a multi-instance object that allows AddObject`)
    }
    const state = table.table
    if (state.maxEntries !== undefined && table.children.size >= state.maxEntries) {
      throw modelFault('ResourcesExceeded', `${objectName} has ${state.maxEntries} instances`)
    }
    const instanceNumber = state.nextInstance
    state.nextInstance += 1
    this.#instantiate(table, instanceNumber)
    this.#updateNumberOfEntries(table)
    this.#setParameterKey(parameterKey)
    return { instanceNumber, status: this.#status }
  }

  #instantiate(table: ObjNode, n: number): void {
    const prefix = `${templatePathOf(table.path)}{i}.`
    const own = this.#templates.get(prefix)
    const instance: ObjNode = {
      kind: 'object',
      path: `${table.path}${n}.`,
      parent: table,
      children: new Map(),
      writable: (own?.kind === 'object' ? own.writable : undefined) ?? (table.table as TableState).writable,
    }
    this.#attach(instance)
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
      this.#attach(parameterNode(path, this.#createTemplateObject(parentPath(path)), entry))
    }
  }

  #createTemplateObject(path: string): ObjNode {
    const existing = this.#object(path)
    if (existing !== undefined) return existing
    const parent = this.#createTemplateObject(parentPath(path))
    const node: ObjNode = { kind: 'object', path, parent, children: new Map(), writable: false }
    this.#attach(node)
    const t = this.#templates.get(templatePathOf(path))
    if (this.#hasTemplate(path) || (t?.kind === 'object' && t.writable === true && !this.#hasTemplatesBelow(path))) {
      const writable = t?.kind === 'object' ? (t.writable ?? true) : true
      const state: TableState = { writable, nextInstance: 1 }
      if (t?.kind === 'object' && t.maxEntries !== undefined) state.maxEntries = t.maxEntries
      if (t?.kind === 'object' && t.counter !== undefined) state.counter = t.counter
      node.table = state
      node.writable = writable
    }
    return node
  }

  #hasTemplatesBelow(path: string): boolean {
    const prefix = templatePathOf(path)
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
      !isInstanceNumber(lastSegment(objectName)) ||
      !instance.writable
    ) {
      throw modelFault('InvalidParameterName', `${objectName} is not an instance that allows DeleteObject`)
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
    const name = table.table?.counter
    const counter = this.#parameter(name === undefined ? numberOfEntriesPath(table.path) : `${parentPath(table.path)}${name}`)
    if (counter !== undefined && isIntegerType(counter.spec.type)) counter.value = String(table.children.size)
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
    if (node === undefined) throw modelFault('InvalidParameterName', name)
    let lexical: string
    if (typeof value === 'string') lexical = value
    else {
      try {
        lexical = toParameterValue(name, value, { type: node.spec.type, booleanForm: this.#booleanForm }).value
      } catch (error) {
        throw new DataModelFault('InvalidParameterValue', `${INVALID_VALUE} for ${name}`, { cause: error })
      }
    }
    const checked = checkValue(node.spec, lexical, this.#booleanForm)
    if (!checked.ok) throw new DataModelFault('InvalidParameterValue', `${INVALID_VALUE} for ${name}: ${checked.reason}`)
    if (checked.value === node.value) return
    node.value = checked.value
    if (options.silent === true || !notifiesInInform(node.notification)) return
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
    const out: ParameterValueStruct[] = []
    const seen = new Set<string>()
    const add = (p: ParamNode | undefined): void => {
      if (p === undefined || seen.has(p.path)) return
      seen.add(p.path)
      out.push(this.#read(p))
    }
    for (const name of forcedInformPaths(this.root)) add(this.#parameter(name))
    if (this.root === 'InternetGatewayDevice.') add(this.#firstExternalIpAddress())
    for (const n of this.#nodes.values()) if (n.kind === 'parameter' && n.spec.forcedInform) add(n)
    return out
  }

  #firstExternalIpAddress(): ParamNode | undefined {
    for (const n of this.#nodes.values()) if (n.kind === 'parameter' && isTr098ExternalIpAddress(n.path)) return n
    return undefined
  }

  deviceId(): DeviceIdStruct {
    const field = (key: keyof DeviceIdStruct): string =>
      this.#deviceId[key] ?? this.get(`${this.root}DeviceInfo.${DEVICE_ID_PARAMETERS[key]}`) ?? ''
    return { manufacturer: field('manufacturer'), oui: field('oui'), productClass: field('productClass'), serialNumber: field('serialNumber') }
  }

  toDefinition(): MemoryModelDefinition {
    const parameters: Record<string, MemoryParameterDefinition> = {}
    const objects: Record<string, MemoryObjectDefinition> = {}
    const walk = (o: ObjNode): void => {
      for (const c of o.children.values()) {
        if (c.kind === 'parameter') {
          parameters[c.path] = writeParameterDefinition(c)
          continue
        }
        if (c.table !== undefined) {
          const d: { -readonly [K in keyof MemoryObjectDefinition]: MemoryObjectDefinition[K] } = {
            writable: c.table.writable,
            nextInstance: c.table.nextInstance,
          }
          if (c.table.maxEntries !== undefined) d.maxEntries = c.table.maxEntries
          if (c.table.counter !== undefined) d.numberOfEntries = c.table.counter
          objects[c.path] = d
        } else if (o.table !== undefined || c.writable || c.children.size === 0) {
          objects[c.path] = { writable: c.writable }
        }
        walk(c)
      }
    }
    walk(this.#top)
    for (const [path, t] of this.#templates) {
      if (t.kind === 'parameter') parameters[path] = writeParameterDefinition(t)
      else {
        const d: { -readonly [K in keyof MemoryObjectDefinition]: MemoryObjectDefinition[K] } = {}
        if (t.writable !== undefined) d.writable = t.writable
        if (t.maxEntries !== undefined) d.maxEntries = t.maxEntries
        if (t.counter !== undefined) d.numberOfEntries = t.counter
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
 * @throws {@link ConfigError} naming `definition`, `definition.parameters` or `options` when one is not an
 * object, or `definition` for an inconsistent definition (a bad path, type, value or notification, a name
 * defined twice)
 * @throws TypeError when the definition is inconsistent (bad path, unknown type, invalid value, …)
 * @category Data models
 */
export function createMemoryDataModel(definition: MemoryModelDefinition, options: MemoryDataModelOptions = {}): MemoryDataModel {
  if (typeof definition !== 'object' || definition === null) throw new ConfigError('definition', 'an object', definition)
  if (typeof definition.parameters !== 'object' || definition.parameters === null) {
    throw new ConfigError('definition.parameters', 'an object', definition.parameters)
  }
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  return new MemoryModel(definition, options)
}

