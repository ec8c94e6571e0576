/**
 * `cwmp/tr098`: the Broadband Forum TR-098 Amendment 8 data model, `InternetGatewayDevice:1.14`,
 * from `tr-098-1-8-0-full.xml` (BSD-3-Clause, see NOTICE): every object and parameter with its
 * type, facets, access and notification rules, typed paths for ACS code, and checks for CPE code.
 *
 * Loaded only when imported: the core `cwmp` entry does not hold the table.
 *
 * ```ts
 * import { lookup, validate, setParameterValues } from 'cwmp/tr098'
 *
 * lookup('InternetGatewayDevice.LANDevice.1.WLANConfiguration.2.SSID')?.kind // 'parameter'
 * validate('InternetGatewayDevice.DeviceInfo.UpTime', '5').ok // false: 9008, read-only
 * setParameterValues({ 'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID': 'home' })
 * ```
 *
 * @module cwmp/tr098
 */
import type { GetParameterValues, SetParameterValues } from '../types/messages.js'
import type { ParameterValueStruct } from '../types/structs.js'
import { createDefinitions } from './definitions.js'
import { TABLE } from './tr098.generated.js'
import type { Tr098Objects, Tr098ParameterValues, Tr098WritableValues } from './tr098-paths.generated.js'
import {
  buildGetParameterValues,
  buildSetParameterValues,
  readTypedValues,
  type CheckedPaths,
  type CheckedSetValues,
  type ReadValues,
  type TypedSetOptions,
  type ValueAt,
} from './typed.js'
import type { DataModelDefinitions, DataModelXsdType, Definition, ParameterDefinition, ValidationResult } from './types.js'

export { checkValue, type CheckValueOptions } from './check.js'
export type {
  CheckedPaths,
  CheckedSetValues,
  HasKey,
  NotWritableParameter,
  ReadValues,
  TemplatePath,
  TypedSetOptions,
  ValueAt,
} from './typed.js'
export type {
  ActiveNotify,
  DataModelDefinitions,
  DataModelType,
  DataModelXsdType,
  DefaultValue,
  Definition,
  DefinitionStatus,
  InvalidValueReason,
  LengthRange,
  ListSyntax,
  ObjectDefinition,
  ParameterAccess,
  ParameterDefinition,
  ScalarSyntax,
  TableDefinition,
  ValidationFailure,
  ValidationResult,
  ValueProblem,
  ValueRange,
  ValueSyntax,
} from './types.js'

/**
 * The TR-098 `InternetGatewayDevice:1.14` definitions (decoded on first use).
 *
 * @category Data models
 */
export const tr098: DataModelDefinitions = createDefinitions(TABLE)

// The three generated maps (Tr098ParameterValues, Tr098WritableValues, Tr098Objects) are not exported by
// name: typedoc would require a comment on each of their 10,000 members (typedoc.json lists them in
// intentionallyNotExported). Their keys and values are reachable through the types below.

/**
 * A TR-098 parameter, object or table path in template form (`InternetGatewayDevice.LANDevice.{i}.WLANConfiguration.{i}.SSID`).
 *
 * @category Data models
 */
export type Tr098Path = keyof Tr098ParameterValues | keyof Tr098Objects

/**
 * The type of the value read at a TR-098 parameter path (concrete or template):
 * `Tr098Value<'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.Enable'>` is `boolean`.
 *
 * @category Data models
 */
export type Tr098Value<P extends string> = ValueAt<Tr098ParameterValues, P>

/**
 * A writable TR-098 parameter path in template form.
 *
 * @category Data models
 */
export type Tr098WritablePath = keyof Tr098WritableValues

/**
 * The type of the value an ACS sets at a writable TR-098 parameter path (concrete or template):
 * `number | bigint` for 64-bit integers, `Date | string` for dateTime, an enumeration's settable values.
 *
 * @category Data models
 */
export type Tr098WriteValue<P extends string> = ValueAt<Tr098WritableValues, P>

/**
 * The definition of a concrete or template TR-098 path, or undefined ({@link DataModelDefinitions.lookup}).
 *
 * @param path - e.g. `InternetGatewayDevice.LANDevice.1.WLANConfiguration.2.SSID`, `InternetGatewayDevice.LANDevice.1.`
 *
 * @category Data models
 */
export function lookup(path: string): Definition | undefined {
  return tr098.lookup(path)
}

/**
 * What a SetParameterValues of `value` to `path` deserves: ok, 9005, 9008 or 9007 with the reason
 * ({@link DataModelDefinitions.validate}).
 *
 * @param path - a concrete parameter path
 * @param value - the lexical value
 *
 * @category Data models
 */
export function validate(path: string, value: string): ValidationResult {
  return tr098.validate(path, value)
}

/**
 * The `xsi:type` to send for a TR-098 parameter (`xsd:unsignedInt` …), or undefined when `path` is not one.
 *
 * @param path - a concrete or template parameter path
 *
 * @category Data models
 */
export function xsdType(path: string): DataModelXsdType | undefined {
  return tr098.xsdType(path)
}

/**
 * A GetParameterValues request for TR-098 paths (parameters, or objects ending in `.`); a path the
 * model does not define is a compile error.
 *
 * @param paths - concrete paths, e.g. `['InternetGatewayDevice.DeviceInfo.SoftwareVersion', 'InternetGatewayDevice.LANDevice.1.']`
 *
 * @category Data models
 */
export function getParameterValues<const P extends readonly string[]>(paths: CheckedPaths<Tr098ParameterValues, Tr098Objects, P>): GetParameterValues {
  return buildGetParameterValues(paths as unknown as readonly string[])
}

/**
 * A SetParameterValues request from typed values: each key a writable TR-098 parameter, each value
 * of its type (`boolean`, `number`, `number | bigint` for 64-bit integers, `Date | string` for
 * dateTime, `Uint8Array` for binary, an enumeration's values), written with the parameter's
 * `xsi:type`. Values are not checked against the facets (an ACS test may want to send a bad one):
 * use {@link validate} for that.
 *
 * @param values - parameter path → value
 * @param options - ParameterKey and boolean form
 * @throws `EncodeError` (from `cwmp`) when a value does not fit its xsd type (a number out of range)
 *
 * @category Data models
 */
export function setParameterValues<K extends string>(
  values: CheckedSetValues<Tr098WritableValues, K>,
  options: TypedSetOptions = {},
): SetParameterValues {
  return buildSetParameterValues(tr098, values as unknown as Readonly<Record<string, unknown>>, options)
}

/**
 * The values of a GetParameterValuesResponse for the requested TR-098 parameters, typed by the
 * definitions (booleans, numbers, bigints, dateTimes, bytes), whatever `xsi:type` the CPE sent.
 *
 * @param response - the response (or any object with its `parameterList`)
 * @param paths - the parameter paths wanted
 * @throws `DecodeError` (from `cwmp`) `ERR_CWMP_ARGUMENT_INVALID` when a value does not fit its type
 *
 * @category Data models
 */
export function readParameterValues<const P extends readonly string[]>(
  response: { readonly parameterList: readonly ParameterValueStruct[] },
  paths: CheckedPaths<Tr098ParameterValues, Tr098Objects, P>,
): ReadValues<Tr098ParameterValues, P[number]> {
  return readTypedValues(tr098, response, paths as unknown as readonly string[]) as ReadValues<Tr098ParameterValues, P[number]>
}

/**
 * A deterministic (seeded) plausible lexical value for a tr098 parameter, given by definition or path
 * (concrete or template): inside its type, range, size, enumeration and (where feasible) pattern facets,
 * with sensible shapes for MAC and IP addresses, dateTime, UUID and serial numbers.
 *
 * @param definitionOrPath - a parameter definition or path
 * @param seed - any integer; the same seed gives the same value
 * @throws `ConfigError` (from `cwmp`, field `path`) when the path is not a parameter of the model
 * @category Data models
 */
export function plausibleValue(definitionOrPath: ParameterDefinition | string, seed: number): string {
  return tr098.plausibleValue(definitionOrPath, seed)
}
