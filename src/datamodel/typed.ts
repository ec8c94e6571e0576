/**
 * Typed request builders over a model's definitions: GetParameterValues and SetParameterValues
 * from typed paths, values written with the `xsi:type` the definitions give, and values read back
 * as the definitions type them.
 *
 * @module
 */
import { DecodeError } from '../errors.js'
import type { GetParameterValues, SetParameterValues } from '../types/messages.js'
import type { ParameterValueStruct } from '../types/structs.js'
import {
  parseBoolean,
  parseDateTime,
  parseInt32,
  parseLong,
  parseParameterValue,
  parseUnsignedInt,
  parseUnsignedLong,
  toParameterValue,
  type ParameterValueInput,
} from '../values/convert.js'
import type { DataModelDefinitions, ParameterDefinition } from './types.js'

/**
 * Options of a typed `setParameterValues`.
 *
 * @category Data models
 */
export interface TypedSetOptions {
  /** The ParameterKey the CPE stores when the change is applied. Default `''`. */
  readonly parameterKey?: string
  /** How booleans are written: `'1'`/`'0'` (default) or `'true'`/`'false'`. */
  readonly booleanForm?: 'numeric' | 'word'
}

/** A GetParameterValues request for paths of a model. @internal */
export function buildGetParameterValues(paths: readonly string[]): GetParameterValues {
  return { method: 'GetParameterValues', parameterNames: [...paths] }
}

/**
 * A SetParameterValues request: each value written with its parameter's `xsi:type` (a name the
 * definitions do not know keeps the type `toParameterValue` infers).
 * @internal
 */
export function buildSetParameterValues(
  definitions: DataModelDefinitions,
  values: Readonly<Record<string, unknown>>,
  options: TypedSetOptions = {},
): SetParameterValues {
  const booleanForm = options.booleanForm ?? 'numeric'
  const parameterList: ParameterValueStruct[] = []
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue
    const type = definitions.xsdType(name)
    parameterList.push(
      toParameterValue(name, value as ParameterValueInput, type === undefined ? { booleanForm } : { type, booleanForm }),
    )
  }
  return { method: 'SetParameterValues', parameterList, parameterKey: options.parameterKey ?? '' }
}

function typedValue(definition: ParameterDefinition, lexical: string): unknown {
  const { syntax } = definition
  switch (syntax.type) {
    case 'boolean':
      return parseBoolean(lexical)
    case 'int':
      return parseInt32(lexical)
    case 'unsignedInt':
      return parseUnsignedInt(lexical)
    case 'long':
      return parseLong(lexical)
    case 'unsignedLong':
      return parseUnsignedLong(lexical)
    case 'dateTime':
      return parseDateTime(lexical)
    case 'base64':
    case 'hexBinary':
      return parseParameterValue({ type: definition.xsdType, value: lexical }).value
    default:
      return lexical
  }
}

/**
 * The values of a GetParameterValuesResponse for the requested paths, typed by the definitions
 * (whatever `xsi:type` the CPE sent). Paths the response does not hold are absent.
 * @internal
 */
export function readTypedValues(
  definitions: DataModelDefinitions,
  response: { readonly parameterList: readonly ParameterValueStruct[] },
  paths: readonly string[],
): Record<string, unknown> {
  const wanted = new Set(paths)
  const out: Record<string, unknown> = {}
  for (const p of response.parameterList) {
    if (!wanted.has(p.name)) continue
    const definition = definitions.parameter(p.name)
    if (definition === undefined) continue
    try {
      out[p.name] = typedValue(definition, p.value)
    } catch (e) {
      throw new DecodeError('ERR_CWMP_ARGUMENT_INVALID', `${p.name}: ${(e as Error).message}`, {}, { cause: e })
    }
  }
  return out
}

/**
 * The template form of a path type: each instance-number segment becomes `{i}`
 * (`'Device.WiFi.SSID.3.SSID'` → `'Device.WiFi.SSID.{i}.SSID'`), one segment at a time.
 *
 * @category Data models
 */
export type TemplatePath<P extends string> = P extends `${infer Head}.${infer Rest}`
  ? `${Head extends `${bigint}` ? '{i}' : Head}.${TemplatePath<Rest>}`
  : P extends `${bigint}`
    ? '{i}'
    : P

/**
 * True when the map `M` has the key `K`: one property lookup, where `K extends keyof M` would make
 * tsc build the union of all of `M`'s keys (6,466 for TR-181; D355).
 *
 * @category Data models
 */
export type HasKey<M, K extends string> = M extends { readonly [Q in K]: unknown } ? true : false

/**
 * A tuple of paths, each checked against two maps keyed by template path (parameters, and objects
 * and tables): a path known to neither is typed as the union of their keys, so the compiler reports
 * it, suggests the closest known path, and editors complete paths from that union.
 *
 * @category Data models
 */
export type CheckedPaths<Values, Objects, P extends readonly string[]> = {
  // NoInfer: P is inferred from the paths alone, not from the 8,000 keys (D355).
  readonly [I in keyof P]: HasKey<Values, TemplatePath<P[I] & string>> extends true
    ? P[I]
    : HasKey<Objects, TemplatePath<P[I] & string>> extends true
      ? P[I]
      : NoInfer<keyof Values | keyof Objects>
}

/**
 * The value type at a concrete or template path `P`, from a map of template path to value type;
 * never when the map has no such path.
 *
 * @category Data models
 */
export type ValueAt<Values, P extends string> = Values extends { readonly [Q in TemplatePath<P>]: infer T } ? T : never

/**
 * The typed values of the parameters among `P` (concrete paths), from a map of template path to
 * value type.
 *
 * @category Data models
 */
export type ReadValues<Values, P extends string> = {
  readonly [K in P as HasKey<Values, TemplatePath<K>> extends true ? K : never]?: ValueAt<Values, K>
}

/**
 * What a key of a typed SetParameterValues names when it is not a writable parameter of the model.
 *
 * @category Data models
 */
export interface NotWritableParameter {
  /** Never set: the compiler shows this message. */
  readonly error: 'not a writable parameter of this data model'
}

/**
 * An object of parameter values keyed by `K` (concrete paths), checked against a map of template
 * path to the value type an ACS may set: each key must be a writable parameter, each value of its
 * type.
 *
 * @category Data models
 */
export type CheckedSetValues<Writable, K extends string> = {
  // NoInfer: K is inferred from the keys alone. Inferring from the values into Writable[…] made tsc
  // build the union of all 2,300 writable value types, 1.5 s per call (measured; D355).
  readonly [P in K]: NoInfer<HasKey<Writable, TemplatePath<P>> extends true ? ValueAt<Writable, P> : NotWritableParameter>
}
