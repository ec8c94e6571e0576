/**
 * The data-model provider interface a CPE implements to answer the parameter RPCs of TR-069
 * Annex A.3.2 (GetParameterValues, SetParameterValues, GetParameterNames, GetParameterAttributes,
 * SetParameterAttributes, AddObject, DeleteObject), and {@link DataModelFault}, the error a
 * provider throws to answer with a CWMP fault.
 *
 * @module
 */
import { ConfigError } from '../errors.js'
import type { ApplyStatus } from '../types/messages.js'
import type {
  ParameterAttributeStruct,
  ParameterInfoStruct,
  ParameterValueStruct,
  SetParameterAttributesStruct,
  SetParameterValuesFaultStruct,
} from '../types/structs.js'
import { CPE_FAULTS, faultDefinition, type CpeFaultName } from '../types/catalogue.js'

/**
 * A value, or a promise of it: every {@link DataModel} and hook method may be sync or async.
 *
 * @category Data models
 */
export type MaybePromise<T> = T | PromiseLike<T>

/**
 * The result of {@link DataModel.addObject}.
 *
 * @category Data models
 */
export interface AddObjectResult {
  /** The instance number of the new object (at least 1, never reused within the table). */
  readonly instanceNumber: number
  /** 0 when the object was created and applied, 1 when it is committed but applied later. */
  readonly status: ApplyStatus
}

/**
 * What a CPE's data model must provide to answer the parameter RPCs. Every method may return its
 * result directly or as a promise.
 *
 * **Errors are thrown, never returned.** A method that cannot do what is asked throws a
 * {@link DataModelFault} carrying the CWMP fault code (and, for SetParameterValues, one entry per
 * failing parameter); {@link createCpeRpcHandler} turns it into the `Fault` it sends. Anything else
 * thrown becomes 9002 Internal error, and its message is not sent to the ACS.
 *
 * The semantics expected of an implementation (TR-069 Annex A.3.2; {@link createMemoryDataModel}
 * implements all of them):
 *
 * - Names ending with a dot are partial paths (objects); other names are parameters. A partial
 *   path given to GetParameterValues or GetParameterAttributes stands for every parameter below it.
 *   An unknown name, or a name of the wrong kind (an object without its trailing dot), is 9005.
 * - GetParameterNames with an empty path starts at the root. With `nextLevel` false it lists the
 *   named object or parameter itself and everything below it; with `nextLevel` true only the items
 *   one level below the object (objects with their trailing dot). `nextLevel` true with a parameter
 *   name is 9003.
 * - SetParameterValues is all or nothing. When one parameter fails, nothing changes and the fault is
 *   9003 with one `SetParameterValuesFault` entry per failing parameter: 9005 unknown name, 9006 the
 *   `xsi:type` is not the parameter's type, 9007 invalid value, 9008 not writable. On success the
 *   model's `ManagementServer.ParameterKey` takes the given `parameterKey`; AddObject and
 *   DeleteObject update it too. A failed request leaves it unchanged.
 * - SetParameterAttributes is all or nothing too: 9005 unknown name, 9009 a notification change
 *   the parameter does not allow.
 * - AddObject needs the path (with its trailing dot) of a multi-instance object that allows it,
 *   else 9005; instance numbers are never reused. DeleteObject needs the path of an existing
 *   instance, else 9005.
 *
 * These seven methods are the whole contract with {@link createCpeClient}: it calls nothing else.
 * The client serves the `ManagementServer` parameters itself (a model behind it needs none, and its
 * copies are hidden), keeps ParameterKey (the argument may be ignored), reads the DeviceId and the
 * forced Inform parameters with GetParameterValues (unless given as options), and learns of the
 * device's own value changes through `client.valueChanged(names)`.
 *
 * @category Data models
 */
export interface DataModel {
  /**
   * GetParameterValues: the values of the named parameters, partial paths expanded.
   *
   * @param names - full parameter names and partial paths (ending with a dot)
   * @throws {@link DataModelFault} 9005 for an unknown name
   */
  getParameterValues(names: readonly string[]): MaybePromise<readonly ParameterValueStruct[]>

  /**
   * SetParameterValues: set every parameter, or none.
   *
   * @param parameterList - names, lexical values and their `xsi:type`
   * @param parameterKey - the value `ManagementServer.ParameterKey` takes on success
   * @returns 0 when applied, 1 when committed but applied later (e.g. after a reboot)
   * @throws {@link DataModelFault} 9003 with per-parameter entries (9005–9008) when any parameter fails
   */
  setParameterValues(parameterList: readonly ParameterValueStruct[], parameterKey: string): MaybePromise<ApplyStatus>

  /**
   * GetParameterNames: discover the tree.
   *
   * @param parameterPath - empty for the root, a partial path ending with a dot, or a parameter name
   * @param nextLevel - true to list only the next level below `parameterPath`
   * @throws {@link DataModelFault} 9005 for an unknown path, 9003 for `nextLevel` with a parameter name
   */
  getParameterNames(parameterPath: string, nextLevel: boolean): MaybePromise<readonly ParameterInfoStruct[]>

  /**
   * GetParameterAttributes: the notification and access-list attributes, partial paths expanded.
   *
   * @param names - full parameter names and partial paths
   * @throws {@link DataModelFault} 9005 for an unknown name
   */
  getParameterAttributes(names: readonly string[]): MaybePromise<readonly ParameterAttributeStruct[]>

  /**
   * SetParameterAttributes: change notification and access-list attributes, all or nothing.
   *
   * @param parameterList - the changes; a partial path applies to every parameter below it
   * @throws {@link DataModelFault} 9005 for an unknown name, 9009 for a refused notification change
   */
  setParameterAttributes(parameterList: readonly SetParameterAttributesStruct[]): MaybePromise<void>

  /**
   * AddObject: create an instance of a multi-instance object.
   *
   * @param objectName - the table's path, ending with a dot, e.g. `Device.NAT.PortMapping.`
   * @param parameterKey - the value `ManagementServer.ParameterKey` takes on success
   * @throws {@link DataModelFault} 9005 when `objectName` is not a table that allows AddObject, 9004 when it is full
   */
  addObject(objectName: string, parameterKey: string): MaybePromise<AddObjectResult>

  /**
   * DeleteObject: delete an instance and everything below it.
   *
   * @param objectName - the instance's path, ending with a dot, e.g. `Device.NAT.PortMapping.3.`
   * @param parameterKey - the value `ManagementServer.ParameterKey` takes on success
   * @returns 0 when applied, 1 when committed but applied later
   * @throws {@link DataModelFault} 9005 when `objectName` is not an existing, deletable instance
   */
  deleteObject(objectName: string, parameterKey: string): MaybePromise<ApplyStatus>
}

/**
 * Options of {@link DataModelFault}.
 *
 * @category Data models
 */
export interface DataModelFaultOptions {
  /** SetParameterValues only: why each parameter failed (sent as `SetParameterValuesFault` entries). */
  readonly parameterFaults?: readonly SetParameterValuesFaultStruct[]
  /** The underlying error, if any (never sent to the ACS). */
  readonly cause?: unknown
}

const BRAND = Symbol.for('cwmp.dataModelFault')

function codeOf(fault: number | CpeFaultName): number {
  if (typeof fault === 'number') {
    if (!Number.isInteger(fault) || fault < 9000 || fault > 9899) {
      throw new ConfigError('fault', 'a CPE fault code, an integer from 9000 to 9899', fault)
    }
    return fault
  }
  const def = Object.hasOwn(CPE_FAULTS, fault) ? CPE_FAULTS[fault] : undefined
  if (def === undefined) throw new ConfigError('fault', 'a CPE fault code or a name in CPE_FAULTS', fault)
  return def.code
}

/**
 * Thrown by a {@link DataModel} or a {@link CpeHooks} method to answer the ACS with a CWMP fault.
 * The message is sent as the `FaultString`, so it must not reveal secrets; it defaults to the
 * catalogue text of the code.
 *
 * Check for it with {@link isDataModelFault}, which also recognises a fault thrown by another copy
 * of this package (ESM and CommonJS loaded together).
 *
 * @example
 * ```ts
 * throw new DataModelFault('InvalidParameterName', `${name} does not exist`)
 * throw DataModelFault.forParameters([{ parameterName: name, faultCode: 9007, faultString: 'out of range' }])
 * ```
 *
 * @category Data models
 */
export class DataModelFault extends Error {
  /** Always `'DataModelFault'`, for stack traces and logs; test with {@link isDataModelFault}. */
  override name = 'DataModelFault'
  /** The CWMP fault code, 9000–9899. */
  readonly faultCode: number
  /** SetParameterValues only: one entry per parameter that could not be set. */
  readonly parameterFaults?: readonly SetParameterValuesFaultStruct[]

  /**
   * @param fault - a CPE fault code (9000–9899) or its name in {@link CPE_FAULTS}
   * @param message - the FaultString; defaults to the catalogue text
   * @param options - per-parameter faults and cause
   * @throws {@link ConfigError} naming `fault` for a code outside 9000–9899 or an unknown name
   */
  constructor(fault: number | CpeFaultName, message?: string, options: DataModelFaultOptions = {}) {
    const code = codeOf(fault)
    super(
      message ?? faultDefinition(code)?.text ?? 'Vendor fault',
      options.cause === undefined ? undefined : { cause: options.cause },
    )
    this.faultCode = code
    if (options.parameterFaults !== undefined && options.parameterFaults.length > 0) {
      this.parameterFaults = options.parameterFaults
    }
    Object.defineProperty(this, BRAND, { value: true, enumerable: false })
  }

  /**
   * The fault of a failed SetParameterValues: 9003 Invalid arguments with one entry per parameter.
   *
   * @param parameterFaults - why each parameter failed (9005, 9006, 9007, 9008, …)
   * @param message - the FaultString; defaults to `Invalid arguments`
   */
  static forParameters(parameterFaults: readonly SetParameterValuesFaultStruct[], message?: string): DataModelFault {
    return new DataModelFault('InvalidArguments', message, { parameterFaults })
  }
}

/** The catalogue text of a fault, followed by `: detail` when there is one. */
function faultText(fault: CpeFaultName, detail: string | undefined): string {
  const text = CPE_FAULTS[fault].text
  return detail === undefined ? text : `${text}: ${detail}`
}

/**
 * A {@link DataModelFault} from the catalogue by name, its message the catalogue text followed by
 * `: detail`, e.g. `modelFault('InvalidParameterName', name)` → 9005 `Invalid parameter name: <name>`.
 *
 * @internal
 */
export function modelFault(fault: CpeFaultName, detail?: string): DataModelFault {
  return new DataModelFault(fault, faultText(fault, detail))
}

/**
 * One `SetParameterValuesFault` entry from the catalogue by name, its FaultString the catalogue text
 * followed by `: detail`.
 *
 * @internal
 */
export function parameterFault(parameterName: string, fault: CpeFaultName, detail?: string): SetParameterValuesFaultStruct {
  return { parameterName, faultCode: CPE_FAULTS[fault].code, faultString: faultText(fault, detail) }
}

/**
 * True when `value` is a {@link DataModelFault} (from any copy of this package).
 *
 * @param value - anything caught
 * @category Data models
 */
export function isDataModelFault(value: unknown): value is DataModelFault {
  if (typeof value !== 'object' || value === null) return false
  const v = value as { readonly [BRAND]?: unknown; readonly faultCode?: unknown }
  return v[BRAND] === true && typeof v.faultCode === 'number'
}
