/**
 * The configuration file of `cwmp cpe`, sans I/O: a JSON object whose fields are the
 * {@link CpeSettings} names, plus `model` (where the data model comes from) and an optional
 * `deviceId`; what a reload changes; which settings a restart keeps from the saved state (the
 * ones the ACS or a reload changed, unless the file changed them since).
 *
 * @module
 */
import { ConfigError } from '../errors.js'
import type { SampleDeviceOptions } from '../cpe/sample-device.js'
import type { SimulatedModelOptions } from '../cpe/simulated-model.js'
import { DEFAULT_SETTINGS, SETTING_FIELDS, type CpeSettings, type CpeSettingsChange } from '../cpe/settings.js'
import type { CpeClientState } from '../cpe/client.js'
import type { DeviceIdStruct } from '../types/structs.js'
import type { MemoryModelDefinition } from '../cpe/memory-definition.js'

/**
 * Where the daemon's data model comes from.
 *
 * @internal
 */
export type ModelSource =
  /** The library's sample TR-181 gateway, with its options (serial number, …). */
  | { readonly kind: 'sample'; readonly options: SampleDeviceOptions }
  /** A whole TR-181 or TR-098 model with plausible values (`simulatedModelDefinition`), with its options (seed, serial number, …). */
  | { readonly kind: 'tr181' | 'tr098'; readonly options: SimulatedModelOptions }
  /** A definition read from `--model` (it replaces the file's `model`). */
  | { readonly kind: 'definition'; readonly definition: MemoryModelDefinition }
  /** A CSV file in the genieacs-sim format (`parseDataModelCsv`), relative to the config file. */
  | { readonly kind: 'csv'; readonly file: string }
  /** Parameters by name: a value (read-only, type inferred) or a full parameter definition. */
  | { readonly kind: 'parameters'; readonly parameters: Readonly<Record<string, unknown>> }

/**
 * A read configuration file.
 *
 * @internal
 */
export interface CpeConfig {
  /** The settings it gives (checked by the client). */
  readonly settings: CpeSettingsChange
  /** The data model. */
  readonly model: ModelSource
  /** The DeviceId, when the model does not give it. */
  readonly deviceId?: DeviceIdStruct
}

/**
 * What `--state FILE` holds.
 *
 * @internal
 */
export interface CpeStateFile {
  /** Format version: 1. */
  readonly version: 1
  /** The client's state (pending events, RetryCount, ParameterKey, attributes). */
  readonly state: CpeClientState
  /** The settings when it was saved, what the ACS set included. */
  readonly settings: CpeSettings
  /** The configuration file's settings when it was saved: a field the file changed since wins. */
  readonly config: CpeSettingsChange
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b)

/**
 * Read the configuration text.
 *
 * @throws {@link ConfigError} naming the field (`model`, `deviceId.oui`, …) for what is not settings;
 * the settings themselves are checked by the client
 * @internal
 */
export function parseCpeConfig(text: string): CpeConfig {
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new ConfigError('(file)', `JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  if (!isObject(raw)) throw new ConfigError('(file)', 'a JSON object of settings')
  const { model, deviceId, ...settings } = raw
  for (const key of Object.keys(settings)) {
    if (!(SETTING_FIELDS as readonly string[]).includes(key)) {
      throw new ConfigError(key, `one of the settings (${SETTING_FIELDS.join(', ')}), "model" or "deviceId"`)
    }
  }
  return {
    settings: settings as CpeSettingsChange,
    model: modelSource(model),
    ...(deviceId === undefined ? {} : { deviceId: checkDeviceId(deviceId) }),
  }
}

function modelSource(v: unknown): ModelSource {
  const rule = '"sample", "tr181", "tr098", { "sample": { …options } }, { "tr181": { …options } }, { "csv": "file.csv" } or { "parameters": { "Device.…": value } }'
  if (v === undefined || v === 'sample') return { kind: 'sample', options: {} }
  if (v === 'tr181' || v === 'tr098') return { kind: v, options: {} }
  if (!isObject(v) || Object.keys(v).length !== 1) throw new ConfigError('model', rule, v)
  if ('sample' in v) {
    if (!isObject(v.sample)) throw new ConfigError('model.sample', 'an object of sample device options', v.sample)
    return { kind: 'sample', options: v.sample as SampleDeviceOptions }
  }
  for (const kind of ['tr181', 'tr098'] as const) {
    if (!(kind in v)) continue
    const options = v[kind]
    if (!isObject(options)) throw new ConfigError(`model.${kind}`, 'an object of simulated model options (seed, instances, serialNumber, …)', options)
    return { kind, options: options as SimulatedModelOptions }
  }
  if ('csv' in v) {
    if (typeof v.csv !== 'string' || v.csv === '') throw new ConfigError('model.csv', 'the path of a CSV file', v.csv)
    return { kind: 'csv', file: v.csv }
  }
  if ('parameters' in v) {
    if (!isObject(v.parameters)) throw new ConfigError('model.parameters', 'an object of parameter name → value', v.parameters)
    return { kind: 'parameters', parameters: v.parameters }
  }
  throw new ConfigError('model', rule, v)
}

function checkDeviceId(v: unknown): DeviceIdStruct {
  if (!isObject(v)) throw new ConfigError('deviceId', 'an object with manufacturer, oui, productClass, serialNumber', v)
  const field = (k: keyof DeviceIdStruct): string => {
    const value = v[k]
    if (typeof value !== 'string') throw new ConfigError(`deviceId.${k}`, 'a string', value)
    return value
  }
  return { manufacturer: field('manufacturer'), oui: field('oui'), productClass: field('productClass'), serialNumber: field('serialNumber') }
}

const NESTED = new Set(['retry', 'connectionRequest'])

/**
 * The change a reload means: the fields the file changed since it was last applied. A field taken
 * out of the file goes back to its default (`connectionRequest.path` excepted: the random one stays).
 *
 * @internal
 */
export function reloadChange(before: CpeSettingsChange, after: CpeSettingsChange): CpeSettingsChange {
  const out: Record<string, unknown> = {}
  const a = before as Record<string, unknown>
  const b = after as Record<string, unknown>
  const defaults = DEFAULT_SETTINGS as unknown as Record<string, unknown>
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (same(a[key], b[key])) continue
    if (NESTED.has(key) && isObject(a[key]) && isObject(b[key])) {
      const sa = a[key]
      const sb = b[key]
      const sub: Record<string, unknown> = {}
      for (const k of new Set([...Object.keys(sa), ...Object.keys(sb)])) {
        if (same(sa[k], sb[k])) continue
        if (sb[k] !== undefined) sub[k] = sb[k]
        else if (key === 'retry') sub[k] = (DEFAULT_SETTINGS.retry as unknown as Record<string, unknown>)[k]
        else if (k === 'authentication') sub[k] = true
        else if (k === 'username' || k === 'password') sub[k] = ''
        else if (k === 'port') sub[k] = 0
        else if (k !== 'path') sub[k] = undefined
      }
      out[key] = sub
    } else {
      out[key] = b[key] === undefined ? defaults[key] : b[key]
    }
  }
  return out as CpeSettingsChange
}

/**
 * The settings to start with: the file's, except the fields it has not changed since the state
 * was saved, which keep their saved value (what the ACS or a reload set, the random path).
 *
 * @internal
 */
export function startupSettings(config: CpeSettingsChange, saved: CpeStateFile | undefined): CpeSettingsChange {
  if (saved === undefined) return config
  const out: Record<string, unknown> = { ...config }
  const c = config as Record<string, unknown>
  const then = saved.config as Record<string, unknown>
  const kept = saved.settings as unknown as Record<string, unknown>
  for (const key of Object.keys(kept)) {
    const value = kept[key]
    if (NESTED.has(key) && isObject(value) && isObject(c[key] ?? {}) && isObject(then[key] ?? {})) {
      const now = (c[key] ?? {}) as Record<string, unknown>
      const before = (then[key] ?? {}) as Record<string, unknown>
      const merged: Record<string, unknown> = { ...now }
      for (const [k, v] of Object.entries(value)) if (same(now[k], before[k])) merged[k] = v
      out[key] = merged
    } else if (same(c[key], then[key])) {
      out[key] = value
    }
  }
  return out as CpeSettingsChange
}
