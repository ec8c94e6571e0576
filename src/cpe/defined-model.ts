/**
 * {@link createDefinedModel}: a {@link DataModel} over data-model definitions (the `tr181` or
 * `tr098` object of `cwmp/tr181` / `cwmp/tr098`, or anything with the same shape) and the
 * firmware's own reads and writes. The library answers GetParameterNames, GetParameterValues,
 * SetParameterValues (validated against the definitions first, all or nothing),
 * SetParameterAttributes and AddObject/DeleteObject; the firmware says only what it implements.
 *
 * This unit does not import `src/datamodel`: the definitions come in as a value (D357).
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
import { DataModelFault, modelFault, parameterFault, type AddObjectResult, type DataModel, type MaybePromise } from './data-model.js'

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

function templateOf(path: string): string {
  if (!/\.[0-9]/.test(path)) return path
  return path
    .split('.')
    .map((s, i) => (i > 0 && INSTANCE.test(s) ? '{i}' : s))
    .join('.')
}

/** The concrete path of a template child below a concrete parent. */
function concrete(parent: string, child: DefinedModelDefinition): string {
  const seg = child.path.slice(templateOf(parent).length)
  return parent + seg
}

/**
 * A {@link DataModel} over definitions and the firmware's accessors. A parameter exists when the
 * definitions define it and `get` returns a value for it; an object exists when its parent does
 * (an instance when `instances` lists it). GetParameterValues types values from the definitions;
 * SetParameterValues checks every entry against the definitions (9005 unknown, 9008 not writable,
 * 9007 invalid with the reason) before calling `set` once; SetParameterAttributes refuses turning
 * active notification off for `forceEnabled` parameters and turning it on for `canDeny` ones (9009);
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
  if (typeof defs !== 'object' || defs === null || typeof defs.lookup !== 'function' || typeof defs.children !== 'function' || typeof defs.validate !== 'function'
    || !Array.isArray(defs.forcedActiveNotification) || !Array.isArray(defs.defaultActiveNotification)) {
    throw new ConfigError('definitions', 'a DataModelDefinitions object (e.g. tr181 from cwmp/tr181)', defs)
  }
  if (typeof options.get !== 'function') throw new ConfigError('get', 'a function', options.get)
  if (typeof options.set !== 'function') throw new ConfigError('set', 'a function', options.set)
  const timeoutMs = options.timeoutMs ?? 10_000
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new ConfigError('timeoutMs', 'a positive integer', timeoutMs)
  const forced = new Set(defs.forcedActiveNotification)
  const attributes = new Map<string, { notification: Notification; accessList: readonly string[] }>()
  for (const p of defs.defaultActiveNotification) attributes.set(p, { notification: 2, accessList: [] })

  const bounded = async <T>(operation: string, f: () => MaybePromise<T>): Promise<T> => {
    let timer: ReturnType<typeof setTimeout> | undefined
    try {
      return await Promise.race([
        Promise.resolve().then(f),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new TimeoutError(operation, timeoutMs)), timeoutMs)
        }),
      ])
    } finally {
      clearTimeout(timer)
    }
  }
  const read = (name: string) => bounded(`definedModel.get(${name})`, () => options.get(name))
  const instances = async (table: string): Promise<number[]> => {
    if (options.instances === undefined) return []
    const list = await bounded(`definedModel.instances(${table})`, () => options.instances!(table))
    return [...new Set(list)].filter((n) => Number.isInteger(n) && n > 0).sort((a, b) => a - b)
  }

  /** Does this concrete path exist (objects: their instances exist along the way)? */
  const exists = async (path: string): Promise<DefinedModelDefinition | undefined> => {
    const d = defs.lookup(path)
    if (d === undefined) return undefined
    if (d.kind === 'parameter' && path.endsWith('.')) return undefined
    const segs = path.split('.')
    for (let i = 1; i < segs.length; i++) {
      if (!INSTANCE.test(segs[i] as string)) continue
      const table = `${segs.slice(0, i).join('.')}.`
      if (!(await instances(table)).includes(Number(segs[i]))) return undefined
    }
    if (d.kind === 'parameter') return (await valueOf(path, d)) === undefined ? undefined : d
    return d
  }
  const numEntries = async (path: string): Promise<string | undefined> => {
    // `…NumberOfEntries` of a table the definitions name: the instance count.
    for (const t of defs.children(templateOf(path.slice(0, path.lastIndexOf('.') + 1)))) {
      if (t.kind === 'table' && t.instance.numEntriesParameter === templateOf(path)) {
        return String((await instances(concrete(path.slice(0, path.lastIndexOf('.') + 1), t))).length)
      }
    }
    return undefined
  }
  const valueOf = async (path: string, d: DefinedModelDefinition): Promise<string | undefined> => {
    if (d.kind !== 'parameter') return undefined
    const own = await read(path)
    if (own !== undefined) return String(own)
    return numEntries(path)
  }

  /** Every existing node below a concrete object path (depth first), parameters with their definition. */
  const walk = async (path: string, out: { path: string; def: DefinedModelDefinition }[], parametersOnly: boolean): Promise<void> => {
    for (const child of defs.children(templateOf(path))) {
      if (child.kind === 'parameter') {
        const p = concrete(path, child)
        if ((await valueOf(p, child)) !== undefined) out.push({ path: p, def: child })
      } else if (child.kind === 'table') {
        const table = concrete(path, child)
        const nums = await instances(table)
        if (!parametersOnly) out.push({ path: table, def: child })
        for (const n of nums) {
          const inst = `${table}${n}.`
          if (!parametersOnly) out.push({ path: inst, def: defs.lookup(inst) ?? child })
          await walk(inst, out, parametersOnly)
        }
      } else {
        const o = concrete(path, child)
        if (!parametersOnly) out.push({ path: o, def: child })
        await walk(o, out, parametersOnly)
      }
    }
  }

  const expand = async (name: string): Promise<{ path: string; def: DefinedModelDefinition }[]> => {
    if (typeof name !== 'string') throw modelFault('InvalidParameterName', String(name))
    const d = await exists(name)
    if (d === undefined) throw modelFault('InvalidParameterName', name)
    if (d.kind === 'parameter') return [{ path: name, def: d }]
    const out: { path: string; def: DefinedModelDefinition }[] = []
    await walk(name, out, true)
    return out
  }

  const attributeOf = (path: string) => attributes.get(path) ?? attributes.get(templateOf(path)) ?? { notification: 0 as Notification, accessList: [] }

  return {
    async getParameterValues(names) {
      const out: ParameterValueStruct[] = []
      for (const name of names) {
        const list = name === '' ? await expand(defs.root) : await expand(name)
        for (const { path, def } of list) {
          if (def.kind !== 'parameter') continue
          const v = (await valueOf(path, def)) ?? ''
          out.push({ name: path, value: def.hidden ? '' : v, type: def.xsdType })
        }
      }
      return out
    },

    async setParameterValues(parameterList, _parameterKey) {
      const faults: SetParameterValuesFaultStruct[] = []
      const seen = new Set<string>()
      for (const { name, value } of parameterList) {
        const r = defs.validate(name, value)
        if (!r.ok) {
          faults.push({ parameterName: name, faultCode: r.faultCode, faultString: r.message })
        } else if ((await exists(name)) === undefined) {
          faults.push(parameterFault(name, 'InvalidParameterName', `${name} is not implemented by this device`))
        } else if (seen.has(name)) {
          faults.push(parameterFault(name, 'InvalidParameterValue', `${name} is given twice`))
        }
        seen.add(name)
      }
      if (faults.length > 0) throw DataModelFault.forParameters(faults)
      const status = await bounded('definedModel.set', () => options.set(parameterList.map(({ name, value }) => ({ name, value }))))
      return status === 1 ? 1 : 0
    },

    async getParameterNames(parameterPath, nextLevel) {
      const path = parameterPath === '' ? '' : parameterPath
      const d = path === '' ? undefined : await exists(path)
      if (path !== '' && d === undefined) throw modelFault('InvalidParameterName', path)
      const info = (p: string, def: DefinedModelDefinition): ParameterInfoStruct => ({ name: p, writable: def.writable })
      if (d?.kind === 'parameter') {
        if (nextLevel) throw modelFault('InvalidArguments', `NextLevel true with the parameter ${path}`)
        return [info(path, d)]
      }
      if (path === '') {
        const rootDef = defs.lookup(defs.root)
        if (rootDef === undefined) return []
        if (nextLevel) return [info(defs.root, rootDef)]
        const out = [{ path: defs.root, def: rootDef }]
        await walk(defs.root, out, false)
        return out.map((n) => info(n.path, n.def))
      }
      if (!nextLevel) {
        const out = [{ path, def: d as DefinedModelDefinition }]
        await walk(path, out, false)
        return out.map((n) => info(n.path, n.def))
      }
      if (d?.kind === 'table') {
        return (await instances(path)).map((n) => info(`${path}${n}.`, defs.lookup(`${path}${n}.`) ?? d))
      }
      const out: ParameterInfoStruct[] = []
      for (const child of defs.children(templateOf(path))) {
        const p = concrete(path, child)
        if (child.kind === 'parameter') {
          if ((await valueOf(p, child)) !== undefined) out.push(info(p, child))
        } else out.push(info(p, child))
      }
      return out
    },

    async getParameterAttributes(names) {
      const out: ParameterAttributeStruct[] = []
      for (const name of names) {
        for (const { path, def } of name === '' ? await expand(defs.root) : await expand(name)) {
          if (def.kind !== 'parameter') continue
          const a = attributeOf(path)
          out.push({ name: path, notification: a.notification, accessList: [...a.accessList] })
        }
      }
      return out
    },

    async setParameterAttributes(parameterList) {
      const changes: [string, { notification: Notification; accessList: readonly string[] }][] = []
      for (const s of parameterList) {
        for (const { path, def } of await expand(s.name)) {
          if (def.kind !== 'parameter') continue
          const a = attributeOf(path)
          const notification = s.notificationChange ? s.notification : a.notification
          if (s.notificationChange && forced.has(templateOf(path)) && notification !== 2) {
            throw modelFault('NotificationRequestRejected', `active notification of ${path} cannot be turned off`)
          }
          if (s.notificationChange && def.activeNotify === 'canDeny' && notification === 2) {
            throw modelFault('NotificationRequestRejected', `this device denies active notification of ${path}`)
          }
          changes.push([path, { notification, accessList: s.accessListChange ? [...s.accessList] : a.accessList }])
        }
      }
      for (const [p, a] of changes) attributes.set(p, a)
    },

    async addObject(objectName): Promise<AddObjectResult> {
      const d = await exists(objectName)
      if (d?.kind !== 'table' || !d.writable || options.add === undefined) throw modelFault('InvalidParameterName', `${objectName} is not a table that allows AddObject`)
      const max = d.instance.maxEntries
      if (max !== undefined && (await instances(objectName)).length >= max) throw modelFault('ResourcesExceeded', `${objectName} is full`)
      const n = await bounded(`definedModel.add(${objectName})`, () => options.add!(objectName))
      if (!Number.isInteger(n) || n < 1) throw new DataModelFault('InternalError', undefined, { cause: new Error(`add returned ${String(n)}`) })
      return { instanceNumber: n, status: 0 }
    },

    async deleteObject(objectName): Promise<ApplyStatus> {
      const m = /^(.*\.)([1-9][0-9]*)\.$/.exec(objectName)
      const table = m === null ? undefined : await exists(m[1] as string)
      if (m === null || table?.kind !== 'table' || !table.writable || options.delete === undefined || (await exists(objectName)) === undefined) {
        throw modelFault('InvalidParameterName', `${objectName} is not an existing, deletable instance`)
      }
      await bounded(`definedModel.delete(${objectName})`, () => options.delete!(objectName))
      return 0
    },
  }
}
