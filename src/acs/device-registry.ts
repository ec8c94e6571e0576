/**
 * What the simulator knows about each device from its traffic: the last Inform and when it came,
 * the ConnectionRequestURL (from the Inform or a GetParameterValues answer) and the Connection
 * Request credentials the ACS itself set with SetParameterValues. The simulator reaches it only
 * through {@link DeviceRegistry}, so that a store shared by several processes can serve it instead of
 * this in-memory one.
 *
 * @module
 */

import type { AcsRequest, CpeResponse, Inform, VendorMessage } from '../types/messages.js'
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
 * What the simulator knows about a device (from this instance's traffic).
 *
 * @category ACS simulator
 */
export interface AcsDeviceRecord {
  /** Device key. */
  readonly deviceKey: string
  /** DeviceId of its last Inform. */
  readonly deviceId: DeviceIdStruct
  /** Its last Inform. */
  readonly lastInform: Inform
  /** When it arrived (ms since the epoch). */
  readonly lastInformAt: number
  /** `ManagementServer.ConnectionRequestURL`, from the Inform or a GetParameterValues answer. */
  readonly connectionRequestUrl: string | undefined
  /** Connection Request credentials the ACS set with SetParameterValues. */
  readonly connectionRequestCredentials: Partial<ConnectionRequestCredentials>
}

/**
 * The devices one simulator knows.
 *
 * @internal
 */
export interface DeviceRegistry {
  /**
   * Note a device's Inform: it becomes the device's last Inform, and a ConnectionRequestURL in its
   * parameter list replaces the known one. What was learnt before (URL, credentials) is kept.
   *
   * @param deviceKey - the device key
   * @param inform - the Inform
   * @param at - when it arrived (ms since the epoch)
   */
  informed(deviceKey: string, inform: Inform, at: number): void
  /**
   * Learn from the CPE's answer to an ACS request: the ConnectionRequestURL from a
   * GetParameterValuesResponse, the Connection Request credentials from an accepted
   * SetParameterValues. Nothing for a device without a record here.
   *
   * @param deviceKey - the device key
   * @param request - the ACS's request
   * @param response - the CPE's answer
   */
  answered(deviceKey: string, request: AcsRequest, response: CpeResponse | VendorMessage): void
  /**
   * The record of a device.
   *
   * @param deviceKey - the device key
   */
  get(deviceKey: string): AcsDeviceRecord | undefined
  /** Every device, in the order they were first seen. */
  list(): AcsDeviceRecord[]
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
  for (const p of list) if (CR_URL.test(p.name)) url = p.value
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

interface Device {
  readonly deviceKey: string
  deviceId: DeviceIdStruct
  lastInform: Inform
  lastInformAt: number
  connectionRequestUrl: string | undefined
  username: string | undefined
  password: string | undefined
}

function snapshot(d: Device): AcsDeviceRecord {
  return {
    deviceKey: d.deviceKey,
    deviceId: d.deviceId,
    lastInform: d.lastInform,
    lastInformAt: d.lastInformAt,
    connectionRequestUrl: d.connectionRequestUrl,
    connectionRequestCredentials: {
      ...(d.username === undefined ? {} : { username: d.username }),
      ...(d.password === undefined ? {} : { password: d.password }),
    },
  }
}

/**
 * The in-memory {@link DeviceRegistry}: one record per device, kept as long as the simulator runs.
 *
 * @returns an empty registry
 * @internal
 */
export function createMemoryDeviceRegistry(): DeviceRegistry {
  const devices = new Map<string, Device>()
  return {
    informed(deviceKey, inform, at) {
      const known = devices.get(deviceKey)
      const device: Device = {
        deviceKey,
        deviceId: inform.deviceId,
        lastInform: inform,
        lastInformAt: at,
        connectionRequestUrl: connectionRequestUrlIn(inform.parameterList) ?? known?.connectionRequestUrl,
        username: known?.username,
        password: known?.password,
      }
      devices.set(deviceKey, device)
    },
    answered(deviceKey, request, response) {
      const device = devices.get(deviceKey)
      if (device === undefined) return
      if (response.method === 'GetParameterValuesResponse') {
        device.connectionRequestUrl = connectionRequestUrlIn(response.parameterList) ?? device.connectionRequestUrl
      }
      if (request.method === 'SetParameterValues' && response.method === 'SetParameterValuesResponse') {
        const set = connectionRequestCredentialsIn(request.parameterList)
        if (set.username !== undefined) device.username = set.username
        if (set.password !== undefined) device.password = set.password
      }
    },
    get(deviceKey) {
      const device = devices.get(deviceKey)
      return device === undefined ? undefined : snapshot(device)
    },
    list() {
      return [...devices.values()].map(snapshot)
    },
  }
}
