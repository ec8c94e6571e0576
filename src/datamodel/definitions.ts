/**
 * {@link DataModelDefinitions} over a generated table: lookup of concrete paths, validation of
 * SetParameterValues entries, xsi types, children for GetParameterNames, the notification lists.
 *
 * @module
 */
import { ConfigError } from '../errors.js'
import { CPE_FAULTS } from '../types/catalogue.js'
import { checkValue } from './check.js'
import { plausibleValueOf } from './plausible.js'
import { DecodedTable, type TableJson } from './table.js'
import type {
  DataModelDefinitions,
  DataModelXsdType,
  Definition,
  ObjectDefinition,
  ParameterDefinition,
  ValidationFailure,
  ValidationResult,
} from './types.js'

const INSTANCE = /^[1-9][0-9]*$/

/**
 * The template form of a concrete path: each instance-number segment becomes `{i}`
 * (`Device.WiFi.SSID.3.SSID` → `Device.WiFi.SSID.{i}.SSID`). Template paths come back unchanged.
 * @internal
 */
export function templatePath(path: string): string {
  // Most paths have no digit right after a dot: nothing to replace.
  if (!/\.[0-9]/.test(path)) return path
  const segments = path.split('.')
  for (let i = 1; i < segments.length; i++) {
    if (INSTANCE.test(segments[i] as string)) segments[i] = '{i}'
  }
  return segments.join('.')
}

function failure(
  fault: ValidationFailure['fault'],
  reason: ValidationFailure['reason'],
  message: string,
  extra: Pick<ValidationFailure, 'definition' | 'problem'> = {},
): ValidationFailure {
  return { ok: false, fault, faultCode: CPE_FAULTS[fault].code as ValidationFailure['faultCode'], reason, message, ...extra }
}

/**
 * Definitions over a table (its JSON text, or the parsed table), decoded on first use.
 * @internal
 */
export function createDefinitions(tableText: string | TableJson): DataModelDefinitions {
  let decoded: DecodedTable | undefined
  let lists: { forced: string[]; forceEnabled: string[]; forceDefault: string[] } | undefined
  const table = (): DecodedTable => (decoded ??= new DecodedTable(tableText))
  const notificationLists = () => {
    if (lists === undefined) {
      const ps = table().parameters()
      lists = {
        forced: ps.filter((p) => p.forcedInform).map((p) => p.path),
        forceEnabled: ps.filter((p) => p.activeNotify === 'forceEnabled').map((p) => p.path),
        forceDefault: ps.filter((p) => p.activeNotify === 'forceDefaultEnabled').map((p) => p.path),
      }
      Object.freeze(lists.forced)
      Object.freeze(lists.forceEnabled)
      Object.freeze(lists.forceDefault)
    }
    return lists
  }

  const lookup = (path: string): Definition | undefined => {
    if (typeof path !== 'string') return undefined
    return table().get(templatePath(path))
  }
  const parameter = (path: string): ParameterDefinition | undefined => {
    const d = lookup(path)
    return d?.kind === 'parameter' ? d : undefined
  }
  const validate = (path: string, value: string): ValidationResult => {
    const d = lookup(path)
    const model = table().model
    if (d === undefined) return failure('InvalidParameterName', 'unknown-name', `${String(path)}: no such parameter in ${model}`)
    if (d.kind !== 'parameter') return failure('InvalidParameterName', 'unknown-name', `${path}: an object, not a parameter`)
    if (!d.writable) return failure('NonWritableParameter', 'not-writable', `${path} is read-only`, { definition: d })
    const problem = checkValue(d.syntax, value, { setting: true })
    if (problem !== undefined) {
      return failure('InvalidParameterValue', problem.reason, `${path}: ${problem.message}`, { definition: d, problem })
    }
    return { ok: true, definition: d }
  }
  const xsdType = (path: string): DataModelXsdType | undefined => parameter(path)?.xsdType
  const definitionOf = (path: string | ParameterDefinition): ParameterDefinition => {
    const d = typeof path === 'string' ? parameter(path) : path
    if (typeof d !== 'object' || d === null || d.kind !== 'parameter') {
      throw new ConfigError('path', `a parameter of the ${table().model} model`, path)
    }
    return d
  }
  const children = (path: string): readonly Definition[] => {
    if (typeof path !== 'string') return []
    return table().children(templatePath(path))
  }

  return {
    get model() {
      return table().model
    },
    get root() {
      return table().root
    },
    get spec() {
      return table().spec
    },
    lookup,
    parameter,
    validate,
    xsdType,
    children,
    parameters: (): readonly ParameterDefinition[] => table().parameters(),
    objects: (): readonly ObjectDefinition[] => table().objects(),
    get forcedInform() {
      return notificationLists().forced
    },
    get forcedActiveNotification() {
      return notificationLists().forceEnabled
    },
    get defaultActiveNotification() {
      return notificationLists().forceDefault
    },
    checkValue: (path: string | ParameterDefinition, value: string) => checkValue(definitionOf(path).syntax, value),
    plausibleValue: (path: string | ParameterDefinition, seed: number) => plausibleValueOf(definitionOf(path), seed),
  }
}
