/**
 * The data model the ACS talks to: the user's {@link DataModel} with the client's own
 * ManagementServer parameters merged in (`management-server.ts`). Names the client serves never
 * reach the user's model (its own copies, if it has any, are hidden); partial paths above them
 * (the empty path, the root, `ManagementServer.` itself) get both. SetParameterValues and
 * SetParameterAttributes stay all or nothing across the two: the client's part is checked first,
 * then the model's part is sent, then the client's part is committed.
 *
 * No I/O of its own: it calls the model, which the client bounds in time.
 *
 * @module
 */
import type { AddObjectResult, DataModel } from './data-model.js'
import { DataModelFault, isDataModelFault, modelFault } from './data-model.js'
import type { ApplyStatus } from '../types/messages.js'
import type {
  ParameterAttributeStruct,
  ParameterInfoStruct,
  ParameterValueStruct,
  SetParameterAttributesStruct,
} from '../types/structs.js'
import type { ManagementServer } from './management-server.js'
import type { CpeSettings, SettingsEnvironment } from './settings.js'

/**
 * What the merged model needs from the client.
 *
 * @internal
 */
export interface ManagedModelContext {
  /** The user's model (already bounded in time). */
  readonly model: DataModel
  /** The client's ManagementServer object. */
  readonly managementServer: ManagementServer
  /** Whether the user's model has the ManagementServer object itself (for objects below it). */
  readonly modelHasManagementServer: boolean
  /** The settings now. */
  readonly settings: () => CpeSettings
  /** The ConnectionRequestURL now ('' without a listener). */
  readonly connectionRequestUrl: () => string
  /** For checking the settings the ACS sets. */
  readonly env: SettingsEnvironment
}

/** Consecutive names that go to the same side. */
interface Run {
  readonly model: boolean
  readonly names: string[]
}

/**
 * The user's model with the client's ManagementServer merged in.
 *
 * @internal
 */
export function createManagedModel(ctx: ManagedModelContext): DataModel {
  const ms = ctx.managementServer
  const effective = (): CpeSettings => ms.effective(ctx.settings(), ctx.env)
  /** Entries of the model that the client serves itself are hidden. */
  const notOwned = <T extends { readonly name: string }>(list: readonly T[]): T[] => list.filter((p) => !ms.owns(p.name))
  /** The owned parameters a name stands for (itself, or those below a partial path). */
  const ownedBelow = (name: string): readonly string[] => (ms.owns(name) ? [name] : ms.covers(name) ? ms.names : [])
  /** Does the user's model answer for this name? An owned name or the object alone (when the model lacks it) it does not. */
  const modelAnswers = (name: string): boolean => !ms.owns(name) && (name !== ms.path || ctx.modelHasManagementServer)

  /** Split names into runs, in order, so each side is asked once per run. */
  const runs = (names: readonly string[]): Run[] => {
    const out: Run[] = []
    for (const name of names) {
      if (ms.owns(name)) push(out, false, name)
      else if (ms.covers(name)) {
        if (modelAnswers(name)) push(out, true, name)
        push(out, false, name)
      } else push(out, true, name)
    }
    return out
  }

  async function expand<T extends { readonly name: string }>(
    names: readonly string[],
    fromModel: (names: readonly string[]) => Promise<readonly T[]>,
    own: (name: string) => T,
  ): Promise<T[]> {
    const out: T[] = []
    for (const run of runs(names)) {
      if (run.model) for (const p of notOwned(await fromModel(run.names))) out.push(p)
      else for (const name of run.names) for (const owned of ownedBelow(name)) out.push(own(owned))
    }
    return out
  }

  return {
    async getParameterValues(names) {
      const settings = effective()
      const url = ctx.connectionRequestUrl()
      return expand(names, async (n) => ctx.model.getParameterValues(n), (name) => ms.value(name, settings, url))
    },

    async getParameterAttributes(names) {
      return expand(names, async (n) => ctx.model.getParameterAttributes(n), (name) => ms.attributes(name))
    },

    async getParameterNames(path, nextLevel) {
      const settings = effective()
      const own = (): ParameterInfoStruct[] => ms.names.map((n) => ms.info(n, settings))
      if (ms.owns(path)) {
        if (nextLevel) throw modelFault('InvalidArguments', 'NextLevel is true for a parameter name')
        return [ms.info(path, settings)]
      }
      if (!ms.covers(path)) return ctx.model.getParameterNames(path, nextLevel)
      const object: ParameterInfoStruct = { name: ms.path, writable: false }
      if (path === ms.path) {
        if (!ctx.modelHasManagementServer) return nextLevel ? own() : [object, ...own()]
        const fromModel = notOwned(await ctx.model.getParameterNames(path, nextLevel))
        if (nextLevel) return [...fromModel, ...own()]
        const [first, ...rest] = fromModel
        return first?.name === ms.path ? [first, ...own(), ...rest] : [object, ...own(), ...fromModel]
      }
      // The empty path, the root, or an object above ManagementServer.
      const fromModel = notOwned(await ctx.model.getParameterNames(path, nextLevel))
      if (nextLevel) {
        // The object one level below `path` on the way to ManagementServer.
        const below = ms.path.slice(0, ms.path.indexOf('.', path.length) + 1)
        return fromModel.some((p) => p.name === below) ? fromModel : [...fromModel, { name: below, writable: false }]
      }
      const at = fromModel.findIndex((p) => p.name === ms.path)
      if (at === -1) return [...fromModel, object, ...own()]
      return [...fromModel.slice(0, at + 1), ...own(), ...fromModel.slice(at + 1)]
    },

    async setParameterValues(parameterList, parameterKey) {
      const seen = new Set<string>()
      const owned: ParameterValueStruct[] = []
      const rest: ParameterValueStruct[] = []
      for (const p of parameterList) {
        if (seen.has(p.name)) throw modelFault('InvalidArguments', `${p.name} appears more than once`)
        seen.add(p.name)
        ;(ms.owns(p.name) ? owned : rest).push(p)
      }
      const { faults, plan } = ms.planSet(owned, ctx.settings(), ctx.env)
      // The model cannot check without applying: with a fault here, its part is not sent at all.
      if (faults.length > 0) throw DataModelFault.forParameters(faults)
      let status: ApplyStatus = 0
      if (rest.length > 0 || owned.length === 0) status = await ctx.model.setParameterValues(rest, parameterKey)
      ms.commitSet(plan)
      ms.setParameterKey(parameterKey)
      return status
    },

    async setParameterAttributes(parameterList) {
      const ownedItems: { request: SetParameterAttributesStruct; names: readonly string[] }[] = []
      const rest: SetParameterAttributesStruct[] = []
      for (const item of parameterList) {
        const names = ownedBelow(item.name)
        if (names.length > 0) ownedItems.push({ request: item, names })
        if (modelAnswers(item.name)) rest.push(item)
      }
      const plan = ms.planAttributes(ownedItems)
      if (rest.length > 0) await ctx.model.setParameterAttributes(rest)
      ms.commitAttributes(plan)
    },

    async addObject(objectName, parameterKey): Promise<AddObjectResult> {
      const result = await ctx.model.addObject(objectName, parameterKey)
      ms.setParameterKey(parameterKey)
      return result
    },

    async deleteObject(objectName, parameterKey) {
      const status = await ctx.model.deleteObject(objectName, parameterKey)
      ms.setParameterKey(parameterKey)
      return status
    },
  }
}

function push(runs: Run[], model: boolean, name: string): void {
  const last = runs[runs.length - 1]
  if (last !== undefined && last.model === model) last.names.push(name)
  else runs.push({ model, names: [name] })
}

/**
 * True when the model answers 9005 for this object: it does not have it.
 *
 * @internal
 */
export async function modelHasObject(model: DataModel, path: string): Promise<boolean> {
  try {
    await model.getParameterNames(path, true)
    return true
  } catch (error) {
    if (isDataModelFault(error) && error.faultCode === 9005) return false
    throw error
  }
}

/**
 * The values of names that exist, asking once and then one by one when one of them is unknown.
 *
 * @internal
 */
export async function valuesOfExisting(model: DataModel, names: readonly string[]): Promise<ParameterValueStruct[]> {
  if (names.length === 0) return []
  try {
    return [...(await model.getParameterValues(names))]
  } catch (error) {
    if (!(isDataModelFault(error) && error.faultCode === 9005)) throw error
  }
  const out: ParameterValueStruct[] = []
  for (const name of names) {
    try {
      for (const p of await model.getParameterValues([name])) out.push(p)
    } catch (error) {
      if (!(isDataModelFault(error) && error.faultCode === 9005)) throw error
    }
  }
  return out
}

/**
 * The attributes of names that exist (one by one after a 9005).
 *
 * @internal
 */
export async function attributesOfExisting(model: DataModel, names: readonly string[]): Promise<{ found: ParameterAttributeStruct[]; unknown: string[] }> {
  if (names.length === 0) return { found: [], unknown: [] }
  try {
    return { found: [...(await model.getParameterAttributes(names))], unknown: [] }
  } catch (error) {
    if (!(isDataModelFault(error) && error.faultCode === 9005)) throw error
  }
  const found: ParameterAttributeStruct[] = []
  const unknown: string[] = []
  for (const name of names) {
    try {
      for (const a of await model.getParameterAttributes([name])) found.push(a)
    } catch (error) {
      if (!(isDataModelFault(error) && error.faultCode === 9005)) throw error
      unknown.push(name)
    }
  }
  return { found, unknown }
}
