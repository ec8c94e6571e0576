/**
 * Parameters the protocol gives a meaning to, found by name below a model's root object (`Device.`
 * of TR-181 or `InternetGatewayDevice.` of TR-098): the forced Inform parameters, the ParameterKey,
 * the DeviceInfo fields of the Inform's DeviceId, and the `<Table>NumberOfEntries` counters.
 *
 * @module
 */
import type { DeviceIdStruct } from '../types/structs.js'
import { lastSegment, parentPath } from './parameter-paths.js'

/**
 * The root object of a model with these root names: `InternetGatewayDevice.` (TR-098) when present,
 * else `Device.` (TR-181), else the first root; empty when there is none.
 *
 * @internal
 */
export function rootObjectOf(roots: readonly string[]): string {
  if (roots.includes('InternetGatewayDevice')) return 'InternetGatewayDevice.'
  if (roots.includes('Device')) return 'Device.'
  return roots[0] === undefined ? '' : `${roots[0]}.`
}

/**
 * The forced Inform parameters found by name below `root`, in Inform order: DeviceSummary,
 * RootDataModelVersion, DeviceInfo SpecVersion, Manufacturer, ManufacturerOUI, ProductClass,
 * SerialNumber, HardwareVersion, SoftwareVersion, ProvisioningCode, ManagementServer
 * ConnectionRequestURL, ParameterKey and AliasBasedAddressing.
 *
 * @internal
 */
export function forcedInformPaths(root: string): string[] {
  return [
    `${root}DeviceSummary`,
    `${root}RootDataModelVersion`,
    `${root}DeviceInfo.SpecVersion`,
    `${root}DeviceInfo.Manufacturer`,
    `${root}DeviceInfo.ManufacturerOUI`,
    `${root}DeviceInfo.ProductClass`,
    `${root}DeviceInfo.SerialNumber`,
    `${root}DeviceInfo.HardwareVersion`,
    `${root}DeviceInfo.SoftwareVersion`,
    `${root}DeviceInfo.ProvisioningCode`,
    `${root}ManagementServer.ConnectionRequestURL`,
    `${root}ManagementServer.ParameterKey`,
    `${root}ManagementServer.AliasBasedAddressing`,
  ]
}

const TR098_EXTERNAL_IP = /^InternetGatewayDevice\.WANDevice\.\d+\.WANConnectionDevice\.\d+\.WAN(?:IP|PPP)Connection\.\d+\.ExternalIPAddress$/

/**
 * True for the ExternalIPAddress of a TR-098 WAN IP or PPP connection: the first one present is a
 * forced Inform parameter of an `InternetGatewayDevice.` model.
 *
 * @internal
 */
export function isTr098ExternalIpAddress(path: string): boolean {
  return TR098_EXTERNAL_IP.test(path)
}

/** The path of `ManagementServer.ParameterKey` below `root`. @internal */
export function parameterKeyPath(root: string): string {
  return `${root}ManagementServer.ParameterKey`
}

/** The DeviceInfo parameter (below `<root>DeviceInfo.`) behind each DeviceId field of the Inform. @internal */
export const DEVICE_ID_PARAMETERS: { readonly [K in keyof DeviceIdStruct]-?: string } = {
  manufacturer: 'Manufacturer',
  oui: 'ManufacturerOUI',
  productClass: 'ProductClass',
  serialNumber: 'SerialNumber',
}

/** The path of the `<Table>NumberOfEntries` counter of a table (next to it, in its parent object). @internal */
export function numberOfEntriesPath(tablePath: string): string {
  return `${parentPath(tablePath)}${lastSegment(tablePath)}NumberOfEntries`
}
