/**
 * What `cwmp acs` queues for devices: one request as JSON (checked by encoding it, so that a bad
 * one is refused when it is read, naming its field, not when a CPE is waiting for it), and the
 * `--script` file of requests for every device and per device (by device key or serial number),
 * queued as the devices inform.
 *
 * @module
 */
import type { AcsSimulator } from '../acs/simulator.js'
import { ConfigError, isCwmpError } from '../errors.js'
import { encodeEnvelope } from '../envelope/encode.js'
import { CPE_METHODS } from '../types/catalogue.js'
import type { AcsRequest } from '../types/messages.js'
import type { DeviceIdStruct } from '../types/structs.js'

/**
 * A `--script` file, read: the requests for every device, those per device (keyed by device key or
 * serial number), and when they are queued.
 *
 * @internal
 */
export interface AcsScriptFile {
  /** Queued for every device. */
  readonly all: readonly AcsRequest[]
  /** Queued for the device whose device key, or else serial number, is the key. */
  readonly devices: ReadonlyMap<string, readonly AcsRequest[]>
  /** `first-inform`: once per device, at its first Inform since `cwmp acs` started; `every-inform`: at each. */
  readonly when: 'first-inform' | 'every-inform'
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

/**
 * One request an ACS sends, from JSON (as `cwmp decode` prints a body): an object whose `method` is
 * one a CPE implements, that encodes as CWMP 1.4 XML.
 *
 * @param value - the parsed JSON
 * @param field - where it is, for the error (e.g. `devices.SN1[0]`)
 * @throws {@link ConfigError} naming the field
 * @internal
 */
export function parseAcsRequest(value: unknown, field: string): AcsRequest {
  if (!isObject(value)) throw new ConfigError(field, 'a request object, e.g. {"method":"Reboot","commandKey":"r1"}', value)
  const method = value['method']
  if (typeof method !== 'string' || !(CPE_METHODS as readonly string[]).includes(method)) {
    throw new ConfigError(`${field}.method`, `a method a CPE implements (${CPE_METHODS.join(', ')})`, method)
  }
  try {
    encodeEnvelope({ version: '1.4', header: { id: '1' }, body: value as unknown as AcsRequest })
  } catch (error) {
    const path = isCwmpError(error) ? (error as { path?: unknown }).path : undefined
    // The encoder's path starts at the envelope's body.
    const inner = typeof path === 'string' ? path.replace(/^body\.?/, '') : ''
    const where = inner === '' ? field : `${field}.${inner}`
    throw new ConfigError(where, `a valid ${method} (${error instanceof Error ? error.message : String(error)})`)
  }
  return value as unknown as AcsRequest
}

/** A request or a list of them. */
function requestList(value: unknown, field: string): AcsRequest[] {
  if (!Array.isArray(value)) return [parseAcsRequest(value, field)]
  return value.map((r, i) => parseAcsRequest(r, `${field}[${i}]`))
}

/**
 * Read a `--script` file:
 *
 * ```json
 * { "all": [ { "method": "GetParameterValues", "parameterNames": ["Device.DeviceInfo.SoftwareVersion"] } ],
 *   "devices": { "AABBCC-SampleGateway-SN1": [ { "method": "Reboot", "commandKey": "r1" } ],
 *                "SN2": { "method": "FactoryReset" } },
 *   "when": "first-inform" }
 * ```
 *
 * @param text - the file's text
 * @throws {@link ConfigError} naming the field (`(file)` for text that is not a JSON object)
 * @internal
 */
export function parseAcsScript(text: string): AcsScriptFile {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    throw new ConfigError('(file)', `JSON (${error instanceof Error ? error.message : String(error)})`)
  }
  if (!isObject(parsed)) throw new ConfigError('(file)', 'a JSON object with "all" and/or "devices"', parsed)
  for (const key of Object.keys(parsed)) {
    if (!['all', 'devices', 'when'].includes(key)) throw new ConfigError(key, 'one of "all", "devices", "when"', undefined)
  }
  const all = parsed['all'] === undefined ? [] : requestList(parsed['all'], 'all')
  const devices = new Map<string, AcsRequest[]>()
  const perDevice = parsed['devices']
  if (perDevice !== undefined) {
    if (!isObject(perDevice)) throw new ConfigError('devices', 'an object of device key or serial number to requests', perDevice)
    for (const [id, requests] of Object.entries(perDevice)) {
      if (id === '') throw new ConfigError('devices', 'keyed by device key or serial number, not ""', undefined)
      devices.set(id, requestList(requests, `devices.${id}`))
    }
  }
  const when = parsed['when'] ?? 'first-inform'
  if (when !== 'first-inform' && when !== 'every-inform') throw new ConfigError('when', '"first-inform" or "every-inform"', when)
  return { all, devices, when }
}

/**
 * The requests of a script for one device: those for every device, then its own (by device key, and
 * by serial number).
 *
 * @param script - the script file
 * @param deviceKey - the device's key
 * @param deviceId - its DeviceId
 * @internal
 */
export function scriptFor(script: AcsScriptFile, deviceKey: string, deviceId: DeviceIdStruct): AcsRequest[] {
  const bySerial = deviceId.serialNumber === deviceKey ? [] : (script.devices.get(deviceId.serialNumber) ?? [])
  return script.all.concat(script.devices.get(deviceKey) ?? [], bySerial)
}

/** Requests queued per `queue` call: a spread argument lives on the stack. */
const SLICE = 4096

/**
 * Queue requests for a device in slices (a control request or a script may hold many).
 *
 * @param sim - the simulator
 * @param deviceKey - the device key
 * @param requests - the requests, in order
 * @internal
 */
export async function queueAll(sim: Pick<AcsSimulator, 'queue'>, deviceKey: string, requests: readonly AcsRequest[]): Promise<void> {
  for (let i = 0; i < requests.length; i += SLICE) await sim.queue(deviceKey, ...requests.slice(i, i + SLICE))
}
