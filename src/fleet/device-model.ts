/**
 * The data models of a fleet, copy-on-write: every device reads one shared in-memory model built
 * once from the definition, with its own few values (serial number, ConnectionRequestURL and
 * credentials) laid over what it answers; the first request that changes something
 * (SetParameterValues, SetParameterAttributes, AddObject, DeleteObject) gives the device a model of
 * its own, built from the definition with its values in. Ten thousand devices that are only read
 * cost one model.
 *
 * @module
 */
import type { ApplyStatus } from '../types/messages.js'
import type {
  DeviceIdStruct,
  ParameterAttributeStruct,
  ParameterInfoStruct,
  ParameterValueStruct,
  SetParameterAttributesStruct,
} from '../types/structs.js'
import type { AddObjectResult, DataModel } from '../cpe/data-model.js'
import type { MemoryModelDefinition, MemoryParameterDefinition } from '../cpe/memory-definition.js'
import { createMemoryDataModel, type MemoryDataModel } from '../cpe/memory-model.js'

/**
 * The values a device has of its own, by parameter name.
 *
 * @internal
 */
export type DeviceValues = ReadonlyMap<string, string>

/**
 * The shared part: the definition, its model, and what the Inform needs of it.
 *
 * @internal
 */
export interface SharedModel {
  /** The definition every device starts from. */
  readonly definition: MemoryModelDefinition
  /** The model built from it, read by every device that changed nothing. */
  readonly model: MemoryDataModel
  /** `Device.` or `InternetGatewayDevice.`. */
  readonly root: string
  /** The shared model's DeviceId (its serial number is replaced per device). */
  readonly deviceId: DeviceIdStruct
  /** The shared model's forced Inform parameters. */
  readonly informParameters: readonly ParameterValueStruct[]
  /** Parameter names whose value a read shows (not hidden): a device's own value is shown for them. */
  readonly visible: ReadonlySet<string>
}

/**
 * Build the shared part.
 *
 * @param definition - the data model every device starts from
 * @param overridden - the names each device has its own value for
 * @internal
 */
export function createSharedModel(definition: MemoryModelDefinition, overridden: readonly string[]): SharedModel {
  const model = createMemoryDataModel(definition)
  const visible = new Set<string>()
  // A hidden parameter (a password) reads as empty whatever it holds: its own value is not shown either.
  for (const name of overridden) if (model.has(name) && !isHidden(definition, name)) visible.add(name)
  return { definition, model, root: model.root, deviceId: model.deviceId(), informParameters: model.informParameters(), visible }
}

function isHidden(definition: MemoryModelDefinition, name: string): boolean {
  const raw = definition.parameters[name]
  return typeof raw === 'object' && raw !== null && (raw as MemoryParameterDefinition).hidden === true
}

/**
 * The definition with a device's values in (for its own model).
 *
 * @param definition - the shared definition
 * @param values - the device's values
 * @internal
 */
export function definitionWith(definition: MemoryModelDefinition, values: DeviceValues): MemoryModelDefinition {
  const parameters: Record<string, MemoryParameterDefinition | string | number | boolean> = { ...definition.parameters }
  for (const [name, value] of values) {
    const raw = parameters[name]
    if (raw === undefined) continue
    parameters[name] = typeof raw === 'object' && raw !== null ? { ...raw, value } : value
  }
  return { ...definition, parameters }
}

/**
 * One device's view of the model: reads go to the shared model with the device's values laid
 * over, until the first change materialises a model of its own.
 *
 * @internal
 */
export class DeviceModel implements DataModel {
  readonly #shared: SharedModel
  readonly #values: () => DeviceValues
  #own: MemoryDataModel | undefined

  /**
   * @param shared - the shared part
   * @param values - the device's own values (called when needed, so nothing is kept between sessions)
   * @param own - a model of its own from before, if any
   */
  constructor(shared: SharedModel, values: () => DeviceValues, own?: MemoryDataModel) {
    this.#shared = shared
    this.#values = values
    this.#own = own
  }

  /** The device's own model, once it has one. */
  get own(): MemoryDataModel | undefined {
    return this.#own
  }

  #write(): MemoryDataModel {
    return (this.#own ??= createMemoryDataModel(definitionWith(this.#shared.definition, this.#values())))
  }

  getParameterValues(names: readonly string[]): readonly ParameterValueStruct[] {
    if (this.#own !== undefined) return this.#own.getParameterValues(names)
    const list = this.#shared.model.getParameterValues(names)
    const values = this.#values()
    const visible = this.#shared.visible
    let out: ParameterValueStruct[] | undefined
    for (let k = 0; k < list.length; k++) {
      const p = list[k] as ParameterValueStruct
      const mine = visible.has(p.name) ? values.get(p.name) : undefined
      if (mine === undefined || mine === p.value) continue
      out ??= list.slice()
      out[k] = { ...p, value: mine }
    }
    return out ?? list
  }

  setParameterValues(parameterList: readonly ParameterValueStruct[], parameterKey: string): ApplyStatus {
    return this.#write().setParameterValues(parameterList, parameterKey)
  }

  getParameterNames(parameterPath: string, nextLevel: boolean): readonly ParameterInfoStruct[] {
    return (this.#own ?? this.#shared.model).getParameterNames(parameterPath, nextLevel)
  }

  getParameterAttributes(names: readonly string[]): readonly ParameterAttributeStruct[] {
    return (this.#own ?? this.#shared.model).getParameterAttributes(names)
  }

  setParameterAttributes(parameterList: readonly SetParameterAttributesStruct[]): void {
    this.#write().setParameterAttributes(parameterList)
  }

  addObject(objectName: string, parameterKey: string): AddObjectResult {
    return this.#write().addObject(objectName, parameterKey)
  }

  deleteObject(objectName: string, parameterKey: string): ApplyStatus {
    return this.#write().deleteObject(objectName, parameterKey)
  }

  /**
   * The Inform's forced parameters with the device's values.
   */
  informParameters(): ParameterValueStruct[] {
    if (this.#own !== undefined) return this.#own.informParameters()
    const values = this.#values()
    return this.#shared.informParameters.map((p) => {
      const mine = values.get(p.name)
      return mine === undefined || mine === p.value ? p : { ...p, value: mine }
    })
  }
}
