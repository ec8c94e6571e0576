/**
 * What the simulator knows about each device from its traffic: its DeviceId, when it last informed
 * and with which events, the ConnectionRequestURL (from the Inform or a GetParameterValues answer),
 * the Connection Request credentials the ACS itself set with SetParameterValues, and its open
 * session. The simulator reaches it only through {@link DeviceStore}, so that a store shared by
 * several processes (`cwmp/redis`) serves it as well as this in-memory one.
 *
 * @module
 */

import { ConfigError } from '../errors.js'
import type { AcsRequest, CpeResponse, VendorMessage } from '../types/messages.js'
import type { DeviceIdStruct, ParameterValueStruct } from '../types/structs.js'

/**
 * Credentials for a CPE's Connection Request URL.
 *
 * @category ACS simulator
 */
export interface ConnectionRequestCredentials {
  /** `ManagementServer.ConnectionRequestUsername`. */
  readonly username: string
  /** `ManagementServer.ConnectionRequestPassword`. */
  readonly password: string
}

/**
 * What the simulator knows about a device: who it is, when it last informed and with which
 * events, its ConnectionRequestURL and the Connection Request credentials the ACS set, and its
 * open session. Small on purpose (a few hundred bytes): the Inform itself stays with its session.
 *
 * @category ACS simulator
 */
export interface AcsDeviceRecord {
  /** Device key. */
  readonly deviceKey: string
  /** DeviceId of its last Inform. */
  readonly deviceId: DeviceIdStruct
  /** When its last Inform arrived (ms since the epoch). */
  readonly lastInformAt: number
  /** The event codes of its last Inform, e.g. `['2 PERIODIC']`. */
  readonly lastEvents: readonly string[]
  /** `ManagementServer.ConnectionRequestURL`, from the Inform or a GetParameterValues answer. */
  readonly connectionRequestUrl: string | undefined
  /** Connection Request credentials the ACS set with SetParameterValues. */
  readonly connectionRequestCredentials: Partial<ConnectionRequestCredentials>
  /** The id of its open session, if one is open (TR-069 §3.7: one session per CPE). */
  readonly openSession: string | undefined
}

/**
 * What an Inform tells the device store.
 *
 * @category ACS simulator
 */
export interface DeviceInformUpdate {
  /** The Inform's DeviceId. */
  readonly deviceId: DeviceIdStruct
  /** Its event codes. */
  readonly events: readonly string[]
  /** The ConnectionRequestURL in its parameter list, if any (it replaces the known one). */
  readonly connectionRequestUrl?: string
}

/**
 * What a CPE's answer taught the ACS about the device (each field only when learnt).
 *
 * @category ACS simulator
 */
export interface DeviceLearnt {
  /** A ConnectionRequestURL read back with GetParameterValues. */
  readonly connectionRequestUrl?: string
  /** A Connection Request user name the CPE accepted in a SetParameterValues. */
  readonly username?: string
  /** A Connection Request password the CPE accepted in a SetParameterValues. */
  readonly password?: string
}

/**
 * Where the simulator keeps its devices, and "one session per CPE": the device → open session
 * index. Methods may return plain values or promises, so a `Map` or Redis (`cwmp/redis`) fit; with
 * a shared store any instance can send a device's Connection Request or list the devices.
 *
 * @category ACS simulator
 */
export interface DeviceStore {
  /**
   * Note an Inform: its DeviceId, time and events become the device's; a ConnectionRequestURL in it
   * replaces the known one. What was learnt before (URL, credentials) and the open session are kept.
   *
   * @param deviceKey - the device key
   * @param update - what the Inform says
   * @param at - when it arrived (ms since the epoch)
   */
  informed(deviceKey: string, update: DeviceInformUpdate, at: number): void | Promise<void>
  /**
   * Note what an answer taught: nothing for a device without a record.
   *
   * @param deviceKey - the device key
   * @param learnt - the new facts
   */
  learnt(deviceKey: string, learnt: DeviceLearnt): void | Promise<void>
  /**
   * The record of a device.
   *
   * @param deviceKey - the device key
   */
  get(deviceKey: string): AcsDeviceRecord | undefined | Promise<AcsDeviceRecord | undefined>
  /** Every device, the one informed longest ago first. */
  list(): Iterable<AcsDeviceRecord> | Promise<Iterable<AcsDeviceRecord>>
  /**
   * Make a session the device's open one (when it begins, under the device's lock).
   *
   * @param deviceKey - the device key
   * @param sessionId - the new session
   */
  openSession(deviceKey: string, sessionId: string): void | Promise<void>
  /**
   * The session ended: the device has no open session, unless another one has become its open
   * session meanwhile (compare-and-delete).
   *
   * @param deviceKey - the device key
   * @param sessionId - the session that ended
   */
  closeSession(deviceKey: string, sessionId: string): void | Promise<void>
}

const CR_URL = /^(?:Device|InternetGatewayDevice)\.ManagementServer\.ConnectionRequestURL$/
const CR_USERNAME = /^(?:Device|InternetGatewayDevice)\.ManagementServer\.ConnectionRequestUsername$/
const CR_PASSWORD = /^(?:Device|InternetGatewayDevice)\.ManagementServer\.ConnectionRequestPassword$/

/**
 * The ConnectionRequestURL in a parameter list (the last one when several), or undefined.
 *
 * @param list - an Inform's or a GetParameterValuesResponse's parameters
 * @internal
 */
export function connectionRequestUrlIn(list: readonly ParameterValueStruct[]): string | undefined {
  let url: string | undefined
  // endsWith first: a 1,000-parameter answer costs 1,000 cheap tests, not 1,000 regex runs.
  for (const p of list) if (p.name.endsWith('.ConnectionRequestURL') && CR_URL.test(p.name)) url = p.value
  return url
}

/**
 * The Connection Request user name and password a SetParameterValues sets (each undefined when it
 * sets none).
 *
 * @param list - the SetParameterValues parameter list
 * @internal
 */
export function connectionRequestCredentialsIn(list: readonly ParameterValueStruct[]): Partial<ConnectionRequestCredentials> {
  let username: string | undefined
  let password: string | undefined
  for (const p of list) {
    if (CR_USERNAME.test(p.name)) username = p.value
    if (CR_PASSWORD.test(p.name)) password = p.value
  }
  return { ...(username === undefined ? {} : { username }), ...(password === undefined ? {} : { password }) }
}

/**
 * What an answer of the CPE to an ACS request teaches about the device: the ConnectionRequestURL
 * from a GetParameterValuesResponse, the Connection Request credentials from an accepted
 * SetParameterValues; undefined when nothing.
 *
 * @param request - the ACS's request
 * @param response - the CPE's answer
 * @internal
 */
export function learntFrom(request: AcsRequest, response: CpeResponse | VendorMessage): DeviceLearnt | undefined {
  if (response.method === 'GetParameterValuesResponse') {
    const connectionRequestUrl = connectionRequestUrlIn(response.parameterList)
    return connectionRequestUrl === undefined ? undefined : { connectionRequestUrl }
  }
  if (request.method === 'SetParameterValues' && response.method === 'SetParameterValuesResponse') {
    const set = connectionRequestCredentialsIn(request.parameterList)
    return set.username === undefined && set.password === undefined ? undefined : set
  }
  return undefined
}

interface Device {
  deviceId: DeviceIdStruct
  lastInformAt: number
  lastEvents: readonly string[]
  connectionRequestUrl: string | undefined
  username: string | undefined
  password: string | undefined
  openSession: string | undefined
}

/**
 * A device record, as stores hand it out.
 *
 * @internal
 */
export function deviceRecord(deviceKey: string, d: Omit<Device, 'username' | 'password'> & Partial<Pick<Device, 'username' | 'password'>>): AcsDeviceRecord {
  return {
    deviceKey,
    deviceId: d.deviceId,
    lastInformAt: d.lastInformAt,
    lastEvents: d.lastEvents,
    connectionRequestUrl: d.connectionRequestUrl,
    connectionRequestCredentials: {
      ...(d.username === undefined ? {} : { username: d.username }),
      ...(d.password === undefined ? {} : { password: d.password }),
    },
    openSession: d.openSession,
  }
}

/**
 * Options of {@link createMemoryDeviceStore}.
 *
 * @category ACS simulator
 */
export interface MemoryDeviceStoreOptions {
  /** Most devices kept; beyond, the device whose last Inform is oldest is forgotten. Default 100000. */
  readonly maxDevices?: number
}

/**
 * The in-memory {@link DeviceStore}: every method synchronous.
 *
 * @category ACS simulator
 */
export interface MemoryDeviceStore extends DeviceStore {
  /** {@inheritDoc DeviceStore.informed} */
  informed(deviceKey: string, update: DeviceInformUpdate, at: number): void
  /** {@inheritDoc DeviceStore.learnt} */
  learnt(deviceKey: string, learnt: DeviceLearnt): void
  /** {@inheritDoc DeviceStore.get} */
  get(deviceKey: string): AcsDeviceRecord | undefined
  /** {@inheritDoc DeviceStore.list} */
  list(): AcsDeviceRecord[]
  /** {@inheritDoc DeviceStore.openSession} */
  openSession(deviceKey: string, sessionId: string): void
  /** {@inheritDoc DeviceStore.closeSession} */
  closeSession(deviceKey: string, sessionId: string): void
}

/**
 * The in-memory {@link DeviceStore} (synchronous): one small record per device, at most
 * `maxDevices` of them (the device informed longest ago is forgotten first).
 *
 * @param options - the bound
 * @returns an empty store
 * @throws {@link ConfigError} naming `options` when it is not an object
 *
 * @category ACS simulator
 */
export function createMemoryDeviceStore(options: MemoryDeviceStoreOptions = {}): MemoryDeviceStore {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  const maxDevices = options.maxDevices ?? 100_000
  const devices = new Map<string, Device>()
  return {
    informed(deviceKey, update, at) {
      const known = devices.get(deviceKey)
      // Map order is insertion order: re-inserting makes this the most recently informed device.
      if (known !== undefined) devices.delete(deviceKey)
      else if (devices.size >= maxDevices) {
        const oldest = devices.keys().next()
        if (oldest.done !== true) devices.delete(oldest.value)
      }
      // Copies: strings cut out of a decoded message can keep the whole message text alive (V8
      // sliced strings); a JSON round trip makes them small and independent (D451).
      const own = JSON.parse(JSON.stringify([update.deviceId, update.events, update.connectionRequestUrl ?? null])) as [DeviceIdStruct, string[], string | null]
      devices.set(deviceKey, {
        deviceId: own[0],
        lastInformAt: at,
        lastEvents: own[1],
        connectionRequestUrl: own[2] ?? known?.connectionRequestUrl,
        username: known?.username,
        password: known?.password,
        openSession: known?.openSession,
      })
    },
    learnt(deviceKey, learnt) {
      const device = devices.get(deviceKey)
      if (device === undefined) return
      if (learnt.connectionRequestUrl !== undefined) device.connectionRequestUrl = learnt.connectionRequestUrl
      if (learnt.username !== undefined) device.username = learnt.username
      if (learnt.password !== undefined) device.password = learnt.password
    },
    get(deviceKey) {
      const device = devices.get(deviceKey)
      return device === undefined ? undefined : deviceRecord(deviceKey, device)
    },
    list() {
      return [...devices].map(([key, d]) => deviceRecord(key, d))
    },
    openSession(deviceKey, sessionId) {
      const device = devices.get(deviceKey)
      if (device !== undefined) device.openSession = sessionId
    },
    closeSession(deviceKey, sessionId) {
      const device = devices.get(deviceKey)
      if (device?.openSession === sessionId) device.openSession = undefined
    },
  }
}
