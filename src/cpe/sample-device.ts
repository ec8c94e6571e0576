/**
 * A ready-made TR-181 device for simulators, tests and the demo: the definition of a small
 * `Device:2` gateway, and an in-memory model of it.
 *
 * @module
 */
import { ConfigError } from '../errors.js'
import { UNKNOWN_TIME } from '../values/convert.js'
import type { MemoryModelDefinition, MemoryParameterDefinition } from './memory-definition.js'
import { createMemoryDataModel, type MemoryDataModel, type MemoryDataModelOptions } from './memory-model.js'

/**
 * Options of {@link createSampleDeviceModel}; every field has a default.
 *
 * @category Data models
 */
export interface SampleDeviceOptions {
  /** `Device.DeviceInfo.SerialNumber`; default `CWMP000001`. */
  readonly serialNumber?: string
  /** `Device.DeviceInfo.Manufacturer`; default `cwmp sample`. */
  readonly manufacturer?: string
  /** `Device.DeviceInfo.ManufacturerOUI`, six upper-case hex digits; default `AABBCC` (not an assigned OUI). */
  readonly oui?: string
  /** `Device.DeviceInfo.ProductClass` (and ModelName); default `SampleGateway`. */
  readonly productClass?: string
  /** `Device.DeviceInfo.HardwareVersion`; default `1.0`. */
  readonly hardwareVersion?: string
  /** `Device.DeviceInfo.SoftwareVersion`; default `1.0.0`. */
  readonly softwareVersion?: string
  /** `Device.DeviceInfo.ProvisioningCode`; default empty. */
  readonly provisioningCode?: string
  /** `Device.ManagementServer.URL`; default empty. */
  readonly acsUrl?: string
  /** `Device.ManagementServer.Username`; default empty. */
  readonly acsUsername?: string
  /** `Device.ManagementServer.Password` (reads as empty); default empty. */
  readonly acsPassword?: string
  /** `Device.ManagementServer.PeriodicInformEnable`; default true. */
  readonly periodicInformEnable?: boolean
  /** `Device.ManagementServer.PeriodicInformInterval` in seconds; default 300. */
  readonly periodicInformInterval?: number
  /** `Device.ManagementServer.PeriodicInformTime`; default the Unknown Time. */
  readonly periodicInformTime?: string
  /** `Device.ManagementServer.ConnectionRequestURL`; default empty. */
  readonly connectionRequestUrl?: string
  /** `Device.ManagementServer.ConnectionRequestUsername`; default empty. */
  readonly connectionRequestUsername?: string
  /** `Device.ManagementServer.ConnectionRequestPassword` (reads as empty); default empty. */
  readonly connectionRequestPassword?: string
  /** Options of the model itself. */
  readonly model?: MemoryDataModelOptions
}

/**
 * The definition behind {@link createSampleDeviceModel}: a small TR-181 `Device:2` gateway with
 * DeviceInfo, ManagementServer, two Wi-Fi SSIDs (fixed instances, writable SSID), one Ethernet
 * interface with 64-bit counters, and `Device.NAT.PortMapping.{i}.` for AddObject and DeleteObject.
 *
 * @param options - identity and ManagementServer settings
 * @throws {@link ConfigError} naming `options` when it is not an object
 *
 * @category Data models
 */
export function sampleDeviceDefinition(options: SampleDeviceOptions = {}): MemoryModelDefinition {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  const productClass = options.productClass ?? 'SampleGateway'
  const ro = (value: string): MemoryParameterDefinition => ({ type: 'xsd:string', value })
  const rw = (value: string, maxLength: number): MemoryParameterDefinition => ({
    type: 'xsd:string',
    value,
    writable: true,
    maxLength,
  })
  const secret = (value: string): MemoryParameterDefinition => ({ ...rw(value, 256), hidden: true })
  const port = (): MemoryParameterDefinition => ({ type: 'xsd:unsignedInt', value: 0, writable: true, maximum: 65535 })
  const ssid = (i: number, name: string): Record<string, MemoryParameterDefinition> => ({
    [`Device.WiFi.SSID.${i}.Enable`]: { type: 'xsd:boolean', value: true, writable: true },
    [`Device.WiFi.SSID.${i}.Status`]: { type: 'xsd:string', value: 'Up', enumeration: ['Up', 'Down', 'Unknown', 'Dormant', 'NotPresent', 'LowerLayerDown', 'Error'] },
    [`Device.WiFi.SSID.${i}.SSID`]: { type: 'xsd:string', value: name, writable: true, maxLength: 32 },
  })
  return {
    parameters: {
      'Device.RootDataModelVersion': ro('2.19'),
      'Device.DeviceInfo.Manufacturer': ro(options.manufacturer ?? 'cwmp sample'),
      'Device.DeviceInfo.ManufacturerOUI': ro(options.oui ?? 'AABBCC'),
      'Device.DeviceInfo.ModelName': ro(productClass),
      'Device.DeviceInfo.Description': ro('Sample TR-181 gateway of the cwmp library'),
      'Device.DeviceInfo.ProductClass': ro(productClass),
      'Device.DeviceInfo.SerialNumber': ro(options.serialNumber ?? 'CWMP000001'),
      'Device.DeviceInfo.HardwareVersion': ro(options.hardwareVersion ?? '1.0'),
      'Device.DeviceInfo.SoftwareVersion': ro(options.softwareVersion ?? '1.0.0'),
      'Device.DeviceInfo.ProvisioningCode': { ...rw(options.provisioningCode ?? '', 64), notification: 2 },
      'Device.DeviceInfo.UpTime': { type: 'xsd:unsignedInt', value: 0, denyActiveNotification: true },
      'Device.ManagementServer.URL': rw(options.acsUrl ?? '', 256),
      'Device.ManagementServer.Username': rw(options.acsUsername ?? '', 256),
      'Device.ManagementServer.Password': secret(options.acsPassword ?? ''),
      'Device.ManagementServer.PeriodicInformEnable': {
        type: 'xsd:boolean',
        value: options.periodicInformEnable ?? true,
        writable: true,
      },
      'Device.ManagementServer.PeriodicInformInterval': {
        type: 'xsd:unsignedInt',
        value: options.periodicInformInterval ?? 300,
        writable: true,
        minimum: 1,
      },
      'Device.ManagementServer.PeriodicInformTime': {
        type: 'xsd:dateTime',
        value: options.periodicInformTime ?? UNKNOWN_TIME,
        writable: true,
      },
      'Device.ManagementServer.ParameterKey': { type: 'xsd:string', value: '', maxLength: 32 },
      'Device.ManagementServer.ConnectionRequestURL': {
        type: 'xsd:string',
        value: options.connectionRequestUrl ?? '',
        maxLength: 256,
        notification: 2,
        denyNotificationChange: true,
      },
      'Device.ManagementServer.ConnectionRequestUsername': rw(options.connectionRequestUsername ?? '', 256),
      'Device.ManagementServer.ConnectionRequestPassword': secret(options.connectionRequestPassword ?? ''),
      'Device.ManagementServer.UpgradesManaged': { type: 'xsd:boolean', value: false, writable: true },
      'Device.ManagementServer.CWMPRetryMinimumWaitInterval': {
        type: 'xsd:unsignedInt',
        value: 5,
        writable: true,
        minimum: 1,
        maximum: 65535,
      },
      'Device.ManagementServer.CWMPRetryIntervalMultiplier': {
        type: 'xsd:unsignedInt',
        value: 2000,
        writable: true,
        minimum: 1000,
        maximum: 65535,
      },
      'Device.Ethernet.InterfaceNumberOfEntries': { type: 'xsd:unsignedInt', value: 1 },
      'Device.Ethernet.Interface.1.Enable': { type: 'xsd:boolean', value: true, writable: true },
      'Device.Ethernet.Interface.1.MACAddress': { type: 'xsd:string', value: '02:00:00:00:00:01', maxLength: 17 },
      'Device.Ethernet.Interface.1.Stats.BytesSent': { type: 'xsd:unsignedLong', value: 0, denyActiveNotification: true },
      'Device.Ethernet.Interface.1.Stats.BytesReceived': { type: 'xsd:unsignedLong', value: 0, denyActiveNotification: true },
      'Device.WiFi.SSIDNumberOfEntries': { type: 'xsd:unsignedInt', value: 2 },
      ...ssid(1, `${productClass}-2G`),
      ...ssid(2, `${productClass}-5G`),
      'Device.NAT.PortMappingNumberOfEntries': { type: 'xsd:unsignedInt', value: 0 },
      'Device.NAT.PortMapping.{i}.Enable': { type: 'xsd:boolean', value: false, writable: true },
      'Device.NAT.PortMapping.{i}.Description': rw('', 256),
      'Device.NAT.PortMapping.{i}.ExternalPort': port(),
      'Device.NAT.PortMapping.{i}.InternalPort': port(),
      'Device.NAT.PortMapping.{i}.Protocol': {
        type: 'xsd:string',
        value: 'TCP',
        writable: true,
        enumeration: ['TCP', 'UDP'],
      },
      'Device.NAT.PortMapping.{i}.InternalClient': rw('', 256),
      'Device.NAT.PortMapping.{i}.LeaseDuration': { type: 'xsd:unsignedInt', value: 0, writable: true },
    },
    objects: {
      'Device.WiFi.SSID.': { writable: false },
      'Device.Ethernet.Interface.': { writable: false },
      'Device.NAT.PortMapping.': { writable: true, maxEntries: 32 },
    },
  }
}

/**
 * A ready-made in-memory TR-181 device (see {@link sampleDeviceDefinition}) for simulators, tests
 * and the demo.
 *
 * @param options - identity and ManagementServer settings
 *
 * @throws {@link ConfigError} naming `options` when it is not an object
 *
 * @example
 * ```ts
 * const model = createSampleDeviceModel({ serialNumber: 'SN42', acsUrl: 'http://127.0.0.1:7547/' })
 * model.addObject('Device.NAT.PortMapping.', 'key-1') // { instanceNumber: 1, status: 0 }
 * ```
 *
 * @category Data models
 */
export function createSampleDeviceModel(options: SampleDeviceOptions = {}): MemoryDataModel {
  return createMemoryDataModel(sampleDeviceDefinition(options), options.model ?? {})
}
