/**
 * The shapes of the Broadband Forum data-model definitions as this library ships them: one
 * {@link ParameterDefinition} per parameter, one {@link ObjectDefinition} per object, and the
 * {@link ValueSyntax} (type and facets) a value must follow. The tables themselves are generated
 * (`npm run datamodels`, see `scripts/datamodels.ts`); descriptions are not shipped.
 *
 * @module
 */

/**
 * A base type of the DM Schema (TR-106 §3.2): the type of a value, or of each item of a list.
 *
 * @category Data models
 */
export type DataModelType =
  | 'string'
  | 'boolean'
  | 'int'
  | 'unsignedInt'
  | 'long'
  | 'unsignedLong'
  | 'decimal'
  | 'dateTime'
  | 'base64'
  | 'hexBinary'

/**
 * The `xsi:type` a CPE sends for a parameter in GetParameterValuesResponse and Inform (lists are
 * strings on the wire).
 *
 * @category Data models
 */
export type DataModelXsdType =
  | 'xsd:string'
  | 'xsd:boolean'
  | 'xsd:int'
  | 'xsd:unsignedInt'
  | 'xsd:long'
  | 'xsd:unsignedLong'
  | 'xsd:decimal'
  | 'xsd:dateTime'
  | 'xsd:base64Binary'
  | 'xsd:hexBinary'

/**
 * A `size` facet: allowed lengths, inclusive. Strings count characters (code points); `base64` and
 * `hexBinary` count bytes; on a list, the length of the whole comma-separated string.
 *
 * @category Data models
 */
export interface LengthRange {
  /** Shortest allowed length; 0 when absent. */
  readonly minLength?: number
  /** Longest allowed length; unbounded when absent. */
  readonly maxLength?: number
}

/**
 * A `range` facet of a numeric type, inclusive. With `step`, only `minInclusive + k × step` are in it.
 *
 * @category Data models
 */
export interface ValueRange {
  /** Smallest value; the type's own minimum when absent. */
  readonly minInclusive?: number
  /** Largest value; the type's own maximum when absent. */
  readonly maxInclusive?: number
  /** Distance between allowed values, counted from `minInclusive` (or 0). */
  readonly step?: number
}

/**
 * The type and facets of a single value (or of each item of a {@link ListSyntax}). A value must meet
 * every facet that is present; each facet that holds several entries (sizes, ranges, patterns,
 * enumeration) is met by meeting one of them.
 *
 * @category Data models
 */
export interface ScalarSyntax {
  /** The base type. */
  readonly type: DataModelType
  /** The named data type the syntax comes from (`MACAddress`, `StatsCounter64`, …), if any. */
  readonly dataType?: string
  /** Allowed lengths (one must hold). */
  readonly sizes?: readonly LengthRange[]
  /** Allowed numeric ranges (one must hold). */
  readonly ranges?: readonly ValueRange[]
  /** The allowed values, when the type is an enumeration. */
  readonly enumeration?: readonly string[]
  /** The values of {@link enumeration} a CPE may report but an ACS may not set (`access="readOnly"`). */
  readonly readOnlyValues?: readonly string[]
  /** XSD regular expressions, anchored; the value must match one. `''` allows the empty string. */
  readonly patterns?: readonly string[]
  /** The value is one of the items of this other parameter (relative DM path); not checked here. */
  readonly enumerationRef?: string
  /** The value is a path name (or empty): a reference to another object or parameter. */
  readonly pathRef?: true
}

/**
 * A comma-separated list (TR-106 §3.2.3): the value is items separated by commas (spaces around an
 * item are ignored, the empty string is the empty list), each item following {@link item}.
 *
 * @category Data models
 */
export interface ListSyntax {
  /** Discriminant. */
  readonly type: 'list'
  /** The named data type the list comes from, when the data type is itself a list. */
  readonly dataType?: string
  /** Fewest items. */
  readonly minItems?: number
  /** Most items. */
  readonly maxItems?: number
  /** Allowed lengths of the whole list string. */
  readonly sizes?: readonly LengthRange[]
  /** `required`: each item is itself a list, written in square brackets (`[1,2],[3,4]`). */
  readonly nestedBrackets?: 'legal' | 'required'
  /** The syntax of each item. */
  readonly item: ValueSyntax
}

/**
 * What a value must be: a single value or a list.
 *
 * @category Data models
 */
export type ValueSyntax = ScalarSyntax | ListSyntax

/**
 * `access` of a parameter: read-only, writable, or writable once (at creation) and read-only after.
 *
 * @category Data models
 */
export type ParameterAccess = 'readOnly' | 'readWrite' | 'writeOnceReadOnly'

/**
 * The `activeNotify` rule of a parameter (TR-106 §A.2.7.1):
 *
 * - `normal`: the ACS may turn active notification on and off;
 * - `forceEnabled`: active notification is always on (a SetParameterAttributes that turns it off is
 *   refused with 9009);
 * - `forceDefaultEnabled`: on by default, the ACS may turn it off;
 * - `canDeny`: the CPE may refuse a request to turn active notification on (9009), for values that
 *   change often (counters).
 *
 * @category Data models
 */
export type ActiveNotify = 'normal' | 'forceEnabled' | 'forceDefaultEnabled' | 'canDeny'

/**
 * `status` of a definition. `deleted` items are not shipped; `deprecated` and `obsoleted` ones are,
 * with this flag (a CPE may still implement them).
 *
 * @category Data models
 */
export type DefinitionStatus = 'current' | 'deprecated' | 'obsoleted'

/**
 * A `default` given by the XML: `object` is the value of a new instance (AddObject), `factory` the
 * value after a factory reset, `implementation` an implementation's usual default.
 *
 * @category Data models
 */
export interface DefaultValue {
  /** Which default. */
  readonly type: 'object' | 'factory' | 'implementation'
  /** The lexical value. */
  readonly value: string
}

/**
 * The definition of one parameter.
 *
 * @category Data models
 */
export interface ParameterDefinition {
  /** Discriminant. */
  readonly kind: 'parameter'
  /** Template path, `{i}` for instance numbers: `Device.WiFi.SSID.{i}.SSID`. */
  readonly path: string
  /** The last segment: `SSID`. */
  readonly name: string
  /** Template path of the object holding it: `Device.WiFi.SSID.{i}.`. */
  readonly object: string
  /** Type and facets. */
  readonly syntax: ValueSyntax
  /** The `xsi:type` to send for it. */
  readonly xsdType: DataModelXsdType
  /** `access` as the XML gives it. */
  readonly access: ParameterAccess
  /** What GetParameterNames reports: true for `readWrite` and `writeOnceReadOnly`. */
  readonly writable: boolean
  /** Part of every Inform. */
  readonly forcedInform: boolean
  /** The active-notification rule. */
  readonly activeNotify: ActiveNotify
  /** `current`, `deprecated` or `obsoleted`. */
  readonly status: DefinitionStatus
  /** Read back as an empty string (`hidden` or `secured` in the XML: passwords, keys). */
  readonly hidden: boolean
  /** Setting it runs a command (e.g. a diagnostics `DiagnosticsState`, a `Reset`). */
  readonly command: boolean
  /** The model version that introduced it (`2.4`): its own or its object's; absent when the XML gives none (TR-098). */
  readonly version?: string
  /** A default the XML gives, if any. */
  readonly default?: DefaultValue
}

/**
 * The definition of one object (single-instance, or one instance `{i}` of a multi-instance object).
 *
 * @category Data models
 */
export interface ObjectDefinition {
  /** Discriminant. */
  readonly kind: 'object'
  /** Template path: `Device.WiFi.` or `Device.WiFi.SSID.{i}.`. */
  readonly path: string
  /** Its name in its parent: `WiFi`, `SSID`. */
  readonly name: string
  /** Template path of the node above: an object, or the {@link TableDefinition} of an instance; undefined for the root. */
  readonly parent: string | undefined
  /** True for an instance (`…{i}.`) of a multi-instance object. */
  readonly multiInstance: boolean
  /** `readWrite`: instances may be added (AddObject) and deleted (DeleteObject). */
  readonly access: 'readOnly' | 'readWrite'
  /** What GetParameterNames reports for an instance: true when it may be deleted. Always false for single-instance objects. */
  readonly writable: boolean
  /** Fewest instances. */
  readonly minEntries: number
  /** Most instances; undefined for `unbounded`. */
  readonly maxEntries: number | undefined
  /** Template path of the parameter that counts the instances (`Device.WiFi.SSIDNumberOfEntries`). */
  readonly numEntriesParameter?: string
  /** Template path of the parameter that enables an instance (`Device.WiFi.SSID.{i}.Enable`). */
  readonly enableParameter?: string
  /** `current`, `deprecated` or `obsoleted`. */
  readonly status: DefinitionStatus
  /** The model version that introduced it; absent when the XML gives none (TR-098). */
  readonly version?: string
  /** Names of its parameters, in the XML's order. */
  readonly parameters: readonly string[]
  /** Names of the objects under it (a multi-instance child is listed once, by its table name). */
  readonly objects: readonly string[]
}

/**
 * The node above the instances of a multi-instance object: `Device.WiFi.SSID.` for
 * `Device.WiFi.SSID.{i}.`. It is what AddObject names, and what GetParameterNames lists.
 *
 * @category Data models
 */
export interface TableDefinition {
  /** Discriminant. */
  readonly kind: 'table'
  /** Template path: `Device.WiFi.SSID.`. */
  readonly path: string
  /** Its name in its parent: `SSID`. */
  readonly name: string
  /** Template path of the object holding it. */
  readonly parent: string
  /** The definition of each instance. */
  readonly instance: ObjectDefinition
  /** What GetParameterNames reports: true when AddObject is allowed. */
  readonly writable: boolean
}

/**
 * Any definition {@link DataModelDefinitions.lookup} returns.
 *
 * @category Data models
 */
export type Definition = ParameterDefinition | ObjectDefinition | TableDefinition

/**
 * Why a value is refused (the reason of a 9007, or of a 9005 / 9008).
 *
 * @category Data models
 */
export type InvalidValueReason =
  | 'wrong-type'
  | 'out-of-range'
  | 'too-long'
  | 'too-short'
  | 'not-in-enumeration'
  | 'read-only-value'
  | 'pattern-mismatch'
  | 'too-many-items'
  | 'too-few-items'
  | 'list-item-invalid'

/**
 * Why a value does not follow a syntax, from {@link checkValue}.
 *
 * @category Data models
 */
export interface ValueProblem {
  /** The reason, for code. */
  readonly reason: InvalidValueReason
  /** The reason, for people: `41 characters, at most 32 allowed`. */
  readonly message: string
  /** For `list-item-invalid`: the index of the first bad item (0-based). */
  readonly item?: number
  /** For `list-item-invalid`: what is wrong with that item. */
  readonly itemProblem?: ValueProblem
}

/**
 * A refused SetParameterValues entry: the fault it deserves (TR-069 A.3.2.1, Table 87).
 *
 * @category Data models
 */
export interface ValidationFailure {
  /** Discriminant. */
  readonly ok: false
  /** The fault's name in `CPE_FAULTS`. */
  readonly fault: 'InvalidParameterName' | 'InvalidParameterValue' | 'NonWritableParameter'
  /** Its code: 9005 (no such parameter), 9007 (bad value) or 9008 (read-only). */
  readonly faultCode: 9005 | 9007 | 9008
  /** `unknown-name` (9005), `not-writable` (9008) or the value's problem (9007). */
  readonly reason: 'unknown-name' | 'not-writable' | InvalidValueReason
  /** For people: `Device.WiFi.SSID.1.SSID: 41 characters, at most 32 allowed`. */
  readonly message: string
  /** The parameter, when the name is known. */
  readonly definition?: ParameterDefinition
  /** For a 9007: the problem in detail. */
  readonly problem?: ValueProblem
}

/**
 * The outcome of {@link DataModelDefinitions.validate}.
 *
 * @category Data models
 */
export type ValidationResult =
  | {
      /** Discriminant. */
      readonly ok: true
      /** The parameter. */
      readonly definition: ParameterDefinition
    }
  | ValidationFailure

/**
 * A root data model's definitions (TR-181 `Device:2`, TR-098 `InternetGatewayDevice:1`): what a
 * defined CPE model and an ACS check values and paths against.
 *
 * Paths passed in are concrete (`Device.WiFi.SSID.3.SSID`) or template paths
 * (`Device.WiFi.SSID.{i}.SSID`); an instance number is a decimal without leading zero, from 1.
 *
 * @category Data models
 */
export interface DataModelDefinitions {
  /** The model and its version: `Device:2.17`. */
  readonly model: string
  /** The root object: `Device.`. */
  readonly root: string
  /** The DM document's `spec` URN. */
  readonly spec: string
  /**
   * The definition of a concrete or template path: a parameter, an object (path ending in `.`), a
   * table (`Device.WiFi.SSID.`); undefined when the model defines no such path.
   */
  lookup(path: string): Definition | undefined
  /** The parameter at a path; undefined when it is unknown or not a parameter. */
  parameter(path: string): ParameterDefinition | undefined
  /**
   * What a SetParameterValues of `value` (lexical) to `path` deserves: ok, or 9005 (unknown or not
   * a parameter), 9008 (read-only), 9007 (the value breaks the syntax). `writeOnceReadOnly`
   * parameters count as writable (whether they were written already is the model's state).
   */
  validate(path: string, value: string): ValidationResult
  /** The `xsi:type` of the parameter at `path`, or undefined when it is not a parameter. */
  xsdType(path: string): DataModelXsdType | undefined
  /**
   * The nodes one level below an object or table (concrete or template path; `''` for the level
   * above the root): parameters and objects of an object, in the XML's order, a multi-instance child
   * as its table; for a table, its instance definition (whose path holds `{i}`).
   */
  children(path: string): readonly Definition[]
  /** Every parameter, in the XML's order. */
  parameters(): readonly ParameterDefinition[]
  /** Every object (instances as `{i}` objects), in the XML's order. */
  objects(): readonly ObjectDefinition[]
  /** Template paths of the parameters every Inform carries (`forcedInform="true"`). */
  readonly forcedInform: readonly string[]
  /** Template paths of the parameters whose active notification cannot be turned off (`forceEnabled`). */
  readonly forcedActiveNotification: readonly string[]
  /** Template paths of the parameters whose active notification is on by default (`forceDefaultEnabled`). */
  readonly defaultActiveNotification: readonly string[]
  /**
   * Why a lexical value does not follow the syntax of the parameter at `path` (a concrete or template path,
   * or its definition), or undefined when it does. Unlike {@link validate}, read-only parameters are checked
   * too, and readOnly enumeration values count as values (what a CPE may report).
   *
   * @throws `ConfigError` (field `path`) when `path` is not a parameter of the model
   */
  checkValue(path: string | ParameterDefinition, value: string): ValueProblem | undefined
  /**
   * A deterministic (seeded) plausible lexical value for the parameter at `path` (or its definition):
   * the same path and seed give the same value, inside the type, range, size and enumeration facets
   * (D371).
   *
   * @throws `ConfigError` (field `path`) when `path` is not a parameter of the model
   */
  plausibleValue(path: string | ParameterDefinition, seed: number): string
}
