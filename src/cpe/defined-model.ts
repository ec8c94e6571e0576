/**
 * {@link createDefinedModel}: a {@link DataModel} over data-model definitions (the `tr181` or
 * `tr098` object of `cwmp/tr181` / `cwmp/tr098`, or anything with the same shape) and the
 * firmware's own reads and writes. The library answers GetParameterNames, GetParameterValues,
 * SetParameterValues (validated against the definitions first, all or nothing),
 * SetParameterAttributes and AddObject/DeleteObject; the firmware says only what it implements.
 *
 * This unit does not import `src/datamodel`: the definitions come in as a value (D357).
 *
 * The logic of the seven RPCs is written once, as generators that yield only the promises accessors answer with (D380):
 * {@link createDefinedModel} drives it with every wait bounded and answers promises;
 * `createSyncDefinedModel` (internal, the sample model's) drives it synchronously over
 * synchronous accessors.
 *
 * @module
 */
import type { ApplyStatus } from '../types/messages.js'
import type {
  Notification,
  ParameterAttributeStruct,
  ParameterInfoStruct,
  ParameterValueStruct,
  SetParameterAttributesStruct,
  SetParameterValuesFaultStruct,
} from '../types/structs.js'
import { ConfigError, TimeoutError } from '../errors.js'
import { UNKNOWN_TIME } from '../values/convert.js'
import { isIntegerType } from '../values/lexical.js'
import { normaliseValueType, sameValueType } from '../values/syntax.js'
import { DataModelFault, modelFault, parameterFault, type AddObjectResult, type DataModel, type MaybePromise } from './data-model.js'
import type { MemoryDataModel } from './memory-model.js'
import { isActiveNotification, isNotification } from './notification.js'

/**
 * What {@link createDefinedModel} needs of a definition (structurally a subset of the
 * `Definition` of `cwmp/tr181`).
 *
 * @category Data models
 */
export type DefinedModelDefinition =
  | {
      /** A parameter. */
      readonly kind: 'parameter'
      /** Its template path (`Device.WiFi.SSID.{i}.SSID`). */
      readonly path: string
      /** Whether the ACS may set it. */
      readonly writable: boolean
      /** The `xsi:type` its values are sent with (`xsd:string`, `xsd:unsignedInt`, …). */
      readonly xsdType: string
      /** Read as empty in GetParameterValues (passwords). */
      readonly hidden: boolean
      /** `normal`, `forceEnabled`, `forceDefaultEnabled` or `canDeny`. */
      readonly activeNotify: string
    }
  | {
      /** A single-instance object, or the instance object of a table. */
      readonly kind: 'object'
      /** Its template path, with the trailing dot. */
      readonly path: string
      /** Whether the ACS may add and delete instances. */
      readonly writable: boolean
      /** Whether it is the `{i}` object of a table. */
      readonly multiInstance: boolean
      /** The most instances the table may hold, if bounded. */
      readonly maxEntries: number | undefined
      /** The parameter that counts the instances, if any. */
      readonly numEntriesParameter?: string
    }
  | {
      /** A multi-instance table (`Device.NAT.PortMapping.`). */
      readonly kind: 'table'
      /** Its path, with the trailing dot. */
      readonly path: string
      /** Whether the ACS may add and delete instances. */
      readonly writable: boolean
      /** Its instance object. */
      readonly instance: {
        /** The instance's template path (`Device.NAT.PortMapping.{i}.`). */
        readonly path: string
        /** The most instances the table may hold, if bounded. */
        readonly maxEntries: number | undefined
        /** The parameter that counts the instances, if any. */
        readonly numEntriesParameter?: string
      }
    }

/**
 * What {@link createDefinedModel} needs of the definitions: the `tr181` and `tr098` objects
 * (`DataModelDefinitions`, D357) have this shape.
 *
 * @category Data models
 */
export interface DefinedModelDefinitions {
  /** The root object, e.g. `Device.`. */
  readonly root: string
  /** The definition of a concrete or template path, undefined when none. */
  lookup(path: string): DefinedModelDefinition | undefined
  /** The nodes one level below an object or table (`''` for the level above the root). */
  children(path: string): readonly DefinedModelDefinition[]
  /** SetParameterValues pre-check of one entry. */
  validate(path: string, value: string):
    | {
        /** The value may be set. */
        readonly ok: true
      }
    | {
        /** The value may not be set. */
        readonly ok: false
        /** 9005 unknown name, 9007 invalid value, 9008 not writable. */
        readonly faultCode: 9005 | 9007 | 9008
        /** The reason, for the FaultString. */
        readonly message: string
      }
  /** Template paths whose active notification cannot be turned off. */
  readonly forcedActiveNotification: readonly string[]
  /** Template paths whose active notification is on by default. */
  readonly defaultActiveNotification: readonly string[]
}

/**
 * Options of {@link createDefinedModel}: the definitions and the firmware's accessors. Every
 * accessor may be sync or async; each call is bounded by `timeoutMs`.
 *
 * @category Data models
 */
export interface DefinedModelOptions {
  /** The definitions, e.g. `tr181` from `cwmp/tr181`. */
  readonly definitions: DefinedModelDefinitions
  /** The lexical value of a parameter the device implements, `undefined` when it does not implement it. */
  readonly get: (name: string) => MaybePromise<string | undefined>
  /** Apply validated values (all of one SetParameterValues at once); may return 1 for "applied later". */
  readonly set: (values: readonly { readonly name: string; readonly value: string }[]) => MaybePromise<ApplyStatus | void>
  /** The instance numbers of a table (path with its trailing dot, e.g. `Device.NAT.PortMapping.`). Default: none. */
  readonly instances?: (tablePath: string) => MaybePromise<readonly number[]>
  /** Create an instance; returns its number. Without it AddObject is 9005. */
  readonly add?: (tablePath: string) => MaybePromise<number>
  /** Delete an instance (`Device.NAT.PortMapping.3.`). Without it DeleteObject is 9005. */
  readonly delete?: (instancePath: string) => MaybePromise<void>
  /** The bound on each call of the accessors, in ms (default 10000). */
  readonly timeoutMs?: number
}


const INSTANCE = /^[1-9][0-9]{0,9}$/
/** An instance-number segment (not the first): what `templateOf` turns into `{i}`. */
const INSTANCE_SEGMENT = /\.[1-9][0-9]{0,9}(?=\.|$)/g
const HAS_DIGIT_SEGMENT = /\.[0-9]/

function templateOf(path: string): string {
  return HAS_DIGIT_SEGMENT.test(path) ? path.replace(INSTANCE_SEGMENT, '.{i}') : path
}

/** The concrete path of a template child below a concrete parent. */
function concrete(parent: string, child: DefinedModelDefinition): string {
  const seg = child.path.slice(templateOf(parent).length)
  return parent + seg
}

// ---------------------------------------------------------------------------------------------
// The logic, once: generators that call each accessor and yield only its promise (D380)

/** A promise an accessor answered with, which the logic waits on, and what it is (for a timeout's message). */
interface Wait {
  readonly operation: string
  readonly argument: string | undefined
  readonly pending: PromiseLike<unknown>
}

/** `definedModel.get(Device.X)`: the name of a call, made only when a message needs it. */
function callName(w: Wait): string {
  return w.argument === undefined ? `definedModel.${w.operation}` : `definedModel.${w.operation}(${w.argument})`
}

/**
 * A piece of the logic: yields the promises accessors answer with, is resumed with what they
 * settle to, returns a T. Over synchronous accessors it never yields, so running it is one `next()`.
 */
type Logic<T> = Generator<Wait, T, unknown>

/** An accessor's answer: as it is, or (a promise) what it settles to. */
function* answer<T>(operation: string, argument: string | undefined, r: MaybePromise<T>): Logic<T> {
  return isThenable(r) ? ((yield { operation, argument, pending: r }) as T) : r
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return (typeof v === 'object' || typeof v === 'function') && v !== null && typeof (v as { then?: unknown }).then === 'function'
}

/** Run the logic synchronously; a promise from an accessor (a bug of the caller, never awaited) is 9002. */
function driveSync<T>(logic: Logic<T>): T {
  const step = logic.next()
  if (step.done) return step.value
  const cause: Error = new Error(`${callName(step.value)} answered with a promise in a synchronous model`)
  logic.return(undefined as T)
  throw new DataModelFault('InternalError', undefined, { cause })
}

/** Run the logic, synchronously until an accessor answers with a promise; each such wait bounded by `timeoutMs`. */
async function driveBounded<T>(logic: Logic<T>, timeoutMs: number): Promise<T> {
  let step = logic.next()
  while (!step.done) {
    let settled: { ok: true; value: unknown } | { ok: false; error: unknown }
    try {
      settled = { ok: true, value: await bounded(callName(step.value), step.value.pending, timeoutMs) }
    } catch (error) {
      settled = { ok: false, error }
    }
    step = settled.ok ? logic.next(settled.value) : logic.throw(settled.error)
  }
  return step.value
}

async function bounded(operation: string, pending: PromiseLike<unknown>, timeoutMs: number): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined
  try {
    return await Promise.race([
      pending,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new TimeoutError(operation, timeoutMs)), timeoutMs)
      }),
    ])
  } finally {
    clearTimeout(timer)
  }
}

/** A parameter's notification attribute and access list. @internal */
export interface DefinedAttributes {
  /** The Notification attribute. */
  readonly notification: Notification
  /** The AccessList attribute. */
  readonly accessList: readonly string[]
}

/**
 * What the logic reads and writes: the firmware's accessors (as in {@link DefinedModelOptions}, with
 * the ParameterKey and the whole structs), and where the attributes are kept.
 *
 * @internal
 */
export interface DefinedAccess {
  /** The lexical value of a parameter, `undefined` when the device does not implement it. */
  readonly get: (name: string) => MaybePromise<string | undefined>
  /** Apply validated values, all at once; the ParameterKey is what a store keeps on success. */
  readonly set: (values: readonly ParameterValueStruct[], parameterKey: string) => MaybePromise<ApplyStatus | void>
  /** The instance numbers of a table. */
  readonly instances?: ((tablePath: string) => MaybePromise<readonly number[]>) | undefined
  /** Create an instance: its number, or the whole AddObject result. */
  readonly add?: ((tablePath: string, parameterKey: string) => MaybePromise<number | AddObjectResult>) | undefined
  /** Delete an instance. */
  readonly delete?: ((instancePath: string, parameterKey: string) => MaybePromise<ApplyStatus | void>) | undefined
  /** The attributes of a concrete parameter. */
  readonly attributes: (path: string) => DefinedAttributes
  /** Store attributes (already checked), all of one SetParameterAttributes at once. */
  readonly setAttributes: (changes: readonly (readonly [string, DefinedAttributes])[]) => void
  /**
   * The `xsi:type` check of SetParameterValues (9006): `none` (createDefinedModel, D352), `strict`,
   * or `lenient` (an `xsd:string` value is accepted for any type).
   */
  readonly typeCheck: 'none' | 'strict' | 'lenient'
}

/** The seven RPCs as {@link Logic}. */
interface DefinedLogic {
  getParameterValues(names: readonly string[]): Logic<ParameterValueStruct[]>
  setParameterValues(parameterList: readonly ParameterValueStruct[], parameterKey: string): Logic<ApplyStatus>
  getParameterNames(parameterPath: string, nextLevel: boolean): Logic<ParameterInfoStruct[]>
  getParameterAttributes(names: readonly string[]): Logic<ParameterAttributeStruct[]>
  setParameterAttributes(parameterList: readonly SetParameterAttributesStruct[]): Logic<void>
  addObject(objectName: string, parameterKey: string): Logic<AddObjectResult>
  deleteObject(objectName: string, parameterKey: string): Logic<ApplyStatus>
}

type Found = { path: string; def: DefinedModelDefinition; value?: string }

function definedLogic(defs: DefinedModelDefinitions, access: DefinedAccess): DefinedLogic {
  const forced = new Set(defs.forcedActiveNotification)

  function* instances(table: string): Logic<number[]> {
    const of = access.instances
    if (of === undefined) return []
    const list = yield* answer('instances', table, of(table))
    // Usually already ascending, distinct and valid: then kept as it is.
    let clean = true
    for (let k = 0; k < list.length && clean; k++) {
      const n = list[k] as number
      clean = Number.isInteger(n) && n > 0 && (k === 0 || n > (list[k - 1] as number))
    }
    if (clean) return list as number[]
    return [...new Set(list)].filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b)
  }

  /** Does this concrete path exist (objects: their instances exist along the way)? */
  function* exists(path: string): Logic<DefinedModelDefinition | undefined> {
    // A request names concrete paths: a template (`{i}`) names nothing that exists.
    if (path.includes('{i}')) return undefined
    const d = defs.lookup(path)
    if (d === undefined) return undefined
    if (d.kind === 'parameter' && path.endsWith('.')) return undefined
    if (HAS_DIGIT_SEGMENT.test(path)) {
      const segs = path.split('.')
      let end = (segs[0] as string).length + 1
      for (let i = 1; i < segs.length; i++) {
        const seg = segs[i] as string
        // The table is the path up to this segment.
        if (INSTANCE.test(seg) && !(yield* instances(path.slice(0, end))).includes(Number(seg))) return undefined
        end += seg.length + 1
      }
    }
    if (d.kind === 'parameter') return (yield* valueOf(path, d)) === undefined ? undefined : d
    return d
  }
  function* numEntries(path: string): Logic<string | undefined> {
    // `…NumberOfEntries` of a table the definitions name: the instance count.
    for (const t of defs.children(templateOf(path.slice(0, path.lastIndexOf('.') + 1)))) {
      if (t.kind === 'table' && t.instance.numEntriesParameter === templateOf(path)) {
        return String((yield* instances(concrete(path.slice(0, path.lastIndexOf('.') + 1), t))).length)
      }
    }
    return undefined
  }
  function* valueOf(path: string, d: DefinedModelDefinition): Logic<string | undefined> {
    if (d.kind !== 'parameter') return undefined
    let own = access.get(path)
    if (isThenable(own)) own = (yield { operation: 'get', argument: path, pending: own }) as string | undefined
    if (own !== undefined) return String(own)
    return yield* numEntries(path)
  }

  /** Every existing node below a concrete path (depth first): an object's children, a table's instances. */
  function* walk(path: string, d: DefinedModelDefinition, out: Found[], parametersOnly: boolean): Logic<void> {
    if (d.kind === 'table') yield* walkTable(path, d, out, parametersOnly)
    else yield* walkObject(path, templateOf(path), out, parametersOnly)
  }
  /** Below an object (`template`: its template path): parameters with their values, objects, tables. */
  function* walkObject(path: string, template: string, out: Found[], parametersOnly: boolean): Logic<void> {
    for (const child of defs.children(template)) {
      const p = path + child.path.slice(template.length)
      if (child.kind === 'parameter') {
        const value = yield* valueOf(p, child)
        if (value !== undefined) out.push({ path: p, def: child, value })
        continue
      }
      if (!parametersOnly) out.push({ path: p, def: child })
      if (child.kind === 'table') yield* walkTable(p, child, out, parametersOnly)
      else yield* walkObject(p, child.path, out, parametersOnly)
    }
  }
  /** Below a table: its instances (not the `{i}` template the definitions may list as its child). */
  function* walkTable(table: string, d: DefinedModelDefinition & { kind: 'table' }, out: Found[], parametersOnly: boolean): Logic<void> {
    const template = d.instance.path
    const instance = defs.lookup(template) ?? d
    for (const n of yield* instances(table)) {
      const inst = `${table}${n}.`
      if (!parametersOnly) out.push({ path: inst, def: instance })
      yield* walkObject(inst, template, out, parametersOnly)
    }
  }

  /** The parameters a name stands for (`''`: all of them); 9005 when it names nothing. */
  function* expand(name: string): Logic<Found[]> {
    if (typeof name !== 'string') throw modelFault('InvalidParameterName', String(name))
    const path = name === '' ? defs.root : name
    const d = yield* exists(path)
    if (d === undefined) throw modelFault('InvalidParameterName', name)
    if (d.kind === 'parameter') return [{ path, def: d }]
    const out: Found[] = []
    yield* walk(path, d, out, true)
    return out
  }

  const info = (p: string, def: DefinedModelDefinition): ParameterInfoStruct => ({ name: p, writable: def.writable })
  const typeRefused = (type: string, def: DefinedModelDefinition): boolean => {
    if (access.typeCheck === 'none' || def.kind !== 'parameter') return false
    const incoming = normaliseValueType(type) ?? type
    return !sameValueType(incoming, def.xsdType) && !(access.typeCheck === 'lenient' && incoming === 'xsd:string')
  }

  return {
    *getParameterValues(names) {
      const out: ParameterValueStruct[] = []
      for (const name of names) {
        for (const { path, def, value } of yield* expand(name)) {
          if (def.kind !== 'parameter') continue
          const v = value ?? (yield* valueOf(path, def)) ?? ''
          out.push({ name: path, value: def.hidden ? hiddenValue(def.xsdType) : v, type: def.xsdType })
        }
      }
      return out
    },

    *setParameterValues(parameterList, parameterKey) {
      const seen = new Set<string>()
      for (const { name } of parameterList) {
        if (seen.has(name)) throw modelFault('InvalidArguments', `${name} appears more than once`)
        seen.add(name)
      }
      const faults: SetParameterValuesFaultStruct[] = []
      for (const { name, value, type } of parameterList) {
        const r = defs.validate(name, value)
        if (!r.ok && r.faultCode === 9005) {
          faults.push({ parameterName: name, faultCode: r.faultCode, faultString: r.message })
          continue
        }
        const d = yield* exists(name)
        if (d === undefined) faults.push(parameterFault(name, 'InvalidParameterName', `${name} is not implemented by this device`))
        else if (!r.ok && r.faultCode === 9008) faults.push({ parameterName: name, faultCode: r.faultCode, faultString: r.message })
        else if (typeRefused(type, d)) faults.push(parameterFault(name, 'InvalidParameterType', `expected ${d.kind === 'parameter' ? d.xsdType : ''}`))
        else if (!r.ok) faults.push({ parameterName: name, faultCode: r.faultCode, faultString: r.message })
      }
      if (faults.length > 0) throw DataModelFault.forParameters(faults)
      const list = parameterList.map(({ name, value, type }) => ({ name, value, type }))
      const status = yield* answer('set', undefined, access.set(list, parameterKey))
      return status === 1 ? 1 : 0
    },

    *getParameterNames(parameterPath, nextLevel) {
      const path = parameterPath
      const d = path === '' ? undefined : yield* exists(path)
      if (path !== '' && d === undefined) throw modelFault('InvalidParameterName', path)
      if (d?.kind === 'parameter') {
        if (nextLevel) throw modelFault('InvalidArguments', `NextLevel true with the parameter ${path}`)
        return [info(path, d)]
      }
      if (path === '') {
        const rootDef = defs.lookup(defs.root)
        if (rootDef === undefined) return []
        if (nextLevel) return [info(defs.root, rootDef)]
        const out: Found[] = [{ path: defs.root, def: rootDef }]
        yield* walk(defs.root, rootDef, out, false)
        return out.map((n) => info(n.path, n.def))
      }
      if (!nextLevel) {
        const out: Found[] = [{ path, def: d as DefinedModelDefinition }]
        yield* walk(path, d as DefinedModelDefinition, out, false)
        return out.map((n) => info(n.path, n.def))
      }
      if (d?.kind === 'table') {
        return (yield* instances(path)).map((n) => info(`${path}${n}.`, defs.lookup(`${path}${n}.`) ?? d))
      }
      const out: ParameterInfoStruct[] = []
      const template = templateOf(path)
      for (const child of defs.children(template)) {
        const p = path + child.path.slice(template.length)
        if (child.kind === 'parameter') {
          if ((yield* valueOf(p, child)) !== undefined) out.push(info(p, child))
        } else out.push(info(p, child))
      }
      return out
    },

    *getParameterAttributes(names) {
      const out: ParameterAttributeStruct[] = []
      for (const name of names) {
        for (const { path, def } of yield* expand(name)) {
          if (def.kind !== 'parameter') continue
          const a = access.attributes(path)
          out.push({ name: path, notification: a.notification, accessList: [...a.accessList] })
        }
      }
      return out
    },

    *setParameterAttributes(parameterList) {
      // Entries apply in order: a later one sees what an earlier one changed.
      const changes = new Map<string, DefinedAttributes>()
      for (const s of parameterList) {
        if (s.notificationChange && !isNotification(s.notification)) throw modelFault('InvalidArguments', `notification ${String(s.notification)}`)
        // A partial path sets what it can: the parameters below it that refuse the change keep theirs.
        const partial = s.name === '' || s.name.endsWith('.')
        for (const { path, def } of yield* expand(s.name)) {
          if (def.kind !== 'parameter') continue
          const a = changes.get(path) ?? access.attributes(path)
          let notification = a.notification
          if (s.notificationChange && s.notification !== a.notification) {
            let refusal: string | undefined
            if (forced.has(templateOf(path)) && s.notification !== 2) refusal = `active notification of ${path} cannot be turned off`
            else if (def.activeNotify === 'canDeny' && isActiveNotification(s.notification)) refusal = `this device denies active notification of ${path}`
            if (refusal === undefined) notification = s.notification
            else if (!partial) throw modelFault('NotificationRequestRejected', refusal)
          }
          changes.set(path, { notification, accessList: s.accessListChange ? [...s.accessList] : a.accessList })
        }
      }
      access.setAttributes([...changes])
    },

    *addObject(objectName, parameterKey) {
      const d = yield* exists(objectName)
      const add = access.add
      if (d?.kind !== 'table' || !d.writable || add === undefined) throw modelFault('InvalidParameterName', `${objectName} is not a table that allows AddObject`)
      const max = d.instance.maxEntries
      if (max !== undefined && (yield* instances(objectName)).length >= max) throw modelFault('ResourcesExceeded', `${objectName} is full`)
      const r = yield* answer('add', objectName, add(objectName, parameterKey))
      const n = typeof r === 'object' && r !== null ? r.instanceNumber : r
      if (!Number.isInteger(n) || n < 1) throw new DataModelFault('InternalError', undefined, { cause: new Error(`add returned ${String(n)}`) })
      return { instanceNumber: n, status: typeof r === 'object' && r !== null && r.status === 1 ? 1 : 0 }
    },

    *deleteObject(objectName, parameterKey) {
      const m = /^(.*\.)([1-9][0-9]*)\.$/.exec(objectName)
      const table = m === null ? undefined : yield* exists(m[1] as string)
      const remove = access.delete
      if (m === null || table?.kind !== 'table' || !table.writable || remove === undefined || (yield* exists(objectName)) === undefined) {
        throw modelFault('InvalidParameterName', `${objectName} is not an existing, deletable instance`)
      }
      const status = yield* answer('delete', objectName, remove(objectName, parameterKey))
      return status === 1 ? 1 : 0
    },
  }
}

/**
 * What a hidden parameter (a password) reads as: the empty string, or for a type where that is not a
 * valid value its null value (TR-106: 0, false, the Unknown Time), so that the GetParameterValues
 * answer still encodes (an empty xsd:unsignedInt does not).
 */
function hiddenValue(xsdType: string): string {
  if (xsdType === 'xsd:boolean') return 'false'
  if (isIntegerType(xsdType) || xsdType === 'xsd:decimal' || xsdType === 'xsd:float' || xsdType === 'xsd:double') return '0'
  if (xsdType === 'xsd:dateTime') return UNKNOWN_TIME
  return ''
}

function checkDefinitions(defs: DefinedModelDefinitions | undefined): asserts defs is DefinedModelDefinitions {
  if (
    typeof defs !== 'object' || defs === null || typeof defs.lookup !== 'function' || typeof defs.children !== 'function' ||
    typeof defs.validate !== 'function' || !Array.isArray(defs.forcedActiveNotification) || !Array.isArray(defs.defaultActiveNotification)
  ) {
    throw new ConfigError('definitions', 'a DataModelDefinitions object (e.g. tr181 from cwmp/tr181)', defs)
  }
}

/**
 * A {@link DataModel} over definitions and the firmware's accessors. A parameter exists when the
 * definitions define it and `get` returns a value for it; an object exists when its parent does
 * (an instance when `instances` lists it). GetParameterValues types values from the definitions;
 * SetParameterValues checks every entry against the definitions (9005 unknown or not implemented,
 * 9008 not writable, 9007 invalid with the reason; a name given twice is 9003) before calling `set`
 * once; SetParameterAttributes refuses turning active notification off for `forceEnabled` parameters
 * and turning it on for `canDeny` ones (9009; below a partial path such parameters keep theirs);
 * AddObject/DeleteObject call `add`/`delete` for writable tables, and `…NumberOfEntries` follows the
 * instance count.
 *
 * @example
 * ```ts
 * import { createDefinedModel } from 'cwmp'
 * import { tr181 } from 'cwmp/tr181'
 * const values = new Map([['Device.DeviceInfo.Manufacturer', 'Acme'], ['Device.ManagementServer.PeriodicInformInterval', '300']])
 * const model = createDefinedModel({
 *   definitions: tr181,
 *   get: (name) => values.get(name),
 *   set: (list) => { for (const { name, value } of list) values.set(name, value) },
 * })
 * ```
 *
 * @param options - the definitions and accessors
 * @throws {@link ConfigError} naming the field for a missing definitions or accessor
 * @category Data models
 */
export function createDefinedModel(options: DefinedModelOptions): DataModel {
  const defs = options?.definitions
  checkDefinitions(defs)
  const { get, set, instances, add } = options
  const remove = options.delete
  if (typeof get !== 'function') throw new ConfigError('get', 'a function', get)
  if (typeof set !== 'function') throw new ConfigError('set', 'a function', set)
  const timeoutMs = options.timeoutMs ?? 10_000
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new ConfigError('timeoutMs', 'a positive integer', timeoutMs)
  const attributes = new Map<string, DefinedAttributes>()
  // Active notification starts on where the definitions force it or make it the default.
  for (const p of [...defs.forcedActiveNotification, ...defs.defaultActiveNotification]) attributes.set(p, { notification: 2, accessList: [] })
  const logic = definedLogic(defs, {
    get,
    set: (list) => set(list.map(({ name, value }) => ({ name, value }))),
    instances,
    add: add === undefined ? undefined : (table) => add(table),
    delete: remove === undefined ? undefined : (path) => remove(path),
    attributes: (path) => attributes.get(path) ?? attributes.get(templateOf(path)) ?? { notification: 0, accessList: [] },
    setAttributes: (changes) => {
      for (const [p, a] of changes) attributes.set(p, a)
    },
    typeCheck: 'none',
  })
  return {
    async getParameterValues(names) {
      return driveBounded(logic.getParameterValues(names), timeoutMs)
    },
    async setParameterValues(parameterList, parameterKey) {
      return driveBounded(logic.setParameterValues(parameterList, parameterKey), timeoutMs)
    },
    async getParameterNames(parameterPath, nextLevel) {
      return driveBounded(logic.getParameterNames(parameterPath, nextLevel), timeoutMs)
    },
    async getParameterAttributes(names) {
      return driveBounded(logic.getParameterAttributes(names), timeoutMs)
    },
    async setParameterAttributes(parameterList) {
      return driveBounded(logic.setParameterAttributes(parameterList), timeoutMs)
    },
    async addObject(objectName, parameterKey) {
      return driveBounded(logic.addObject(objectName, parameterKey), timeoutMs)
    },
    async deleteObject(objectName, parameterKey) {
      return driveBounded(logic.deleteObject(objectName, parameterKey), timeoutMs)
    },
  }
}

/**
 * The seven RPCs of a defined model, answered synchronously: the same logic as
 * {@link createDefinedModel}, over accessors that answer synchronously (a promise from one is
 * 9002 Internal error). The sample model's (D380).
 *
 * @internal
 */
export type SyncDefinedModel = Pick<
  MemoryDataModel,
  'getParameterValues' | 'setParameterValues' | 'getParameterNames' | 'getParameterAttributes' | 'setParameterAttributes' | 'addObject' | 'deleteObject'
>

/**
 * {@link SyncDefinedModel} over definitions and synchronous accessors.
 *
 * @internal
 */
export function createSyncDefinedModel(definitions: DefinedModelDefinitions, access: DefinedAccess): SyncDefinedModel {
  checkDefinitions(definitions)
  const logic = definedLogic(definitions, access)
  return {
    getParameterValues: (names) => driveSync(logic.getParameterValues(names)),
    setParameterValues: (parameterList, parameterKey) => driveSync(logic.setParameterValues(parameterList, parameterKey)),
    getParameterNames: (parameterPath, nextLevel) => driveSync(logic.getParameterNames(parameterPath, nextLevel)),
    getParameterAttributes: (names) => driveSync(logic.getParameterAttributes(names)),
    setParameterAttributes: (parameterList) => driveSync(logic.setParameterAttributes(parameterList)),
    addObject: (objectName, parameterKey) => driveSync(logic.addObject(objectName, parameterKey)),
    deleteObject: (objectName, parameterKey) => driveSync(logic.deleteObject(objectName, parameterKey)),
  }
}
