/**
 * `cwmp/tr181`: the Broadband Forum TR-181 `Device:2.17` data model for CWMP, from
 * `tr-181-2-17-0-cwmp-full.xml` (BSD-3-Clause, see NOTICE): every object and parameter with its
 * type, facets, access and notification rules, typed paths for ACS code, and checks for CPE code.
 *
 * Loaded only when imported: the core `cwmp` entry does not hold the table.
 *
 * ```ts
 * import { lookup, validate, setParameterValues } from 'cwmp/tr181'
 *
 * lookup('Device.WiFi.SSID.3.SSID')?.kind // 'parameter' (string, at most 32 characters, writable)
 * validate('Device.WiFi.SSID.3.Status', 'Up').ok // false: 9008, read-only
 * setParameterValues({ 'Device.WiFi.SSID.1.SSID': 'home', 'Device.WiFi.SSID.1.Enable': true })
 * ```
 *
 * @module cwmp/tr181
 */
import type { GetParameterValues, SetParameterValues } from '../types/messages.js'
import type { ParameterValueStruct } from '../types/structs.js'
import { createDefinitions } from './definitions.js'
import { TABLE } from './tr181.generated.js'
import type { Tr181Objects, Tr181ParameterValues, Tr181WritableValues } from './tr181-paths.generated.js'
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
 * The TR-181 `Device:2.17` definitions (decoded on first use).
 *
 * @category Data models
 */
export const tr181: DataModelDefinitions = createDefinitions(TABLE)

// The three generated maps (Tr181ParameterValues, Tr181WritableValues, Tr181Objects) are not exported by
// name: typedoc would require a comment on each of their 10,000 members (typedoc.json lists them in
// intentionallyNotExported). Their keys and values are reachable through the types below.

/**
 * A TR-181 parameter, object or table path in template form (`Device.WiFi.SSID.{i}.SSID`).
 *
 * @category Data models
 */
export type Tr181Path = keyof Tr181ParameterValues | keyof Tr181Objects

/**
 * The type of the value read at a TR-181 parameter path (concrete or template):
 * `Tr181Value<'Device.WiFi.SSID.1.Enable'>` is `boolean`.
 *
 * @category Data models
 */
export type Tr181Value<P extends string> = ValueAt<Tr181ParameterValues, P>

/**
 * A writable TR-181 parameter path in template form.
 *
 * @category Data models
 */
export type Tr181WritablePath = keyof Tr181WritableValues

/**
 * The type of the value an ACS sets at a writable TR-181 parameter path (concrete or template):
 * `number | bigint` for 64-bit integers, `Date | string` for dateTime, an enumeration's settable values.
 *
 * @category Data models
 */
export type Tr181WriteValue<P extends string> = ValueAt<Tr181WritableValues, P>

/**
 * The definition of a concrete or template TR-181 path, or undefined ({@link DataModelDefinitions.lookup}).
 *
 * @param path - e.g. `Device.WiFi.SSID.3.SSID`, `Device.WiFi.SSID.3.`, `Device.WiFi.SSID.`
 *
 * @category Data models
 */
export function lookup(path: string): Definition | undefined {
  return tr181.lookup(path)
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
  return tr181.validate(path, value)
}

/**
 * The `xsi:type` to send for a TR-181 parameter (`xsd:unsignedInt` …), or undefined when `path` is not one.
 *
 * @param path - a concrete or template parameter path
 *
 * @category Data models
 */
export function xsdType(path: string): DataModelXsdType | undefined {
  return tr181.xsdType(path)
}

/**
 * A GetParameterValues request for TR-181 paths (parameters, or objects ending in `.`); a path the
 * model does not define is a compile error.
 *
 * @param paths - concrete paths, e.g. `['Device.WiFi.SSID.1.SSID', 'Device.DeviceInfo.']`
 *
 * @category Data models
 */
export function getParameterValues<const P extends readonly string[]>(paths: CheckedPaths<Tr181ParameterValues, Tr181Objects, P>): GetParameterValues {
  return buildGetParameterValues(paths as unknown as readonly string[])
}

/**
 * A SetParameterValues request from typed values: each key a writable TR-181 parameter, each value
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
  values: CheckedSetValues<Tr181WritableValues, K>,
  options: TypedSetOptions = {},
): SetParameterValues {
  return buildSetParameterValues(tr181, values as unknown as Readonly<Record<string, unknown>>, options)
}

/**
 * The values of a GetParameterValuesResponse for the requested TR-181 parameters, typed by the
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
  paths: CheckedPaths<Tr181ParameterValues, Tr181Objects, P>,
): ReadValues<Tr181ParameterValues, P[number]> {
  return readTypedValues(tr181, response, paths as unknown as readonly string[]) as ReadValues<Tr181ParameterValues, P[number]>
}

/**
 * A deterministic (seeded) plausible lexical value for a tr181 parameter, given by definition or path
 * (concrete or template): inside its type, range, size, enumeration and (where feasible) pattern facets,
 * with sensible shapes for MAC and IP addresses, dateTime, UUID and serial numbers.
 *
 * @param definitionOrPath - a parameter definition or path
 * @param seed - any integer; the same seed gives the same value
 * @throws `ConfigError` (from `cwmp`, field `path`) when the path is not a parameter of the model
 * @category Data models
 */
export function plausibleValue(definitionOrPath: ParameterDefinition | string, seed: number): string {
  return tr181.plausibleValue(definitionOrPath, seed)
}
