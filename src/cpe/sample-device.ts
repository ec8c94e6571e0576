/**
 * A ready-made TR-181 device for simulators, tests and the demo: the definition of a small
 * `Device:2` gateway, and a model of it whose answers to the ACS come from the defined model's
 * logic over the sample's TR-181 facts (`sample-definitions.ts`), its values in an in-memory model
 * (D380).
 *
 * @module
 */
import type { DeviceValueOptions } from './device-options.js'
import { ConfigError } from '../errors.js'
import { UNKNOWN_TIME } from '../values/convert.js'
import { createSyncDefinedModel } from './defined-model.js'
import type { MemoryModelDefinition, MemoryParameterDefinition } from './memory-definition.js'
import { createMemoryDataModel, type MemoryDataModel, type MemoryDataModelOptions } from './memory-model.js'
import { memoryParameterOf, SAMPLE_FACTS, SAMPLE_TABLES, sampleDefinitions } from './sample-definitions.js'

/**
 * Options of {@link createSampleDeviceModel}; every field has a default.
 *
 * @category Data models
 */
export interface SampleDeviceOptions extends DeviceValueOptions {
  /** `Device.DeviceInfo.SerialNumber`; default `CWMP000001`. */
  readonly serialNumber?: string
  /** `Device.DeviceInfo.Manufacturer`; default `cwmp sample`. */
  readonly manufacturer?: string
  /** `Device.DeviceInfo.ManufacturerOUI`, six upper-case hex digits; default `AABBCC` (not an assigned OUI). */
  readonly oui?: string
  /** `Device.DeviceInfo.ProductClass` (and ModelName); default `SampleGateway`. */
  readonly productClass?: string
  /** Options of the model itself. */
  readonly model?: MemoryDataModelOptions
}

/**
 * The definition behind {@link createSampleDeviceModel}: a small TR-181 `Device:2` gateway with
 * DeviceInfo, ManagementServer, two Wi-Fi SSIDs (fixed instances, writable SSID), one Ethernet
 * interface with 64-bit counters, and `Device.NAT.PortMapping.{i}.` for AddObject and DeleteObject.
 * Types, facets and notification rules are TR-181's (a few restricted: D380).
 *
 * @param options - identity and ManagementServer settings
 * @throws {@link ConfigError} naming `options` when it is not an object
 *
 * @category Data models
 */
export function sampleDeviceDefinition(options: SampleDeviceOptions = {}): MemoryModelDefinition {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  const productClass = options.productClass ?? 'SampleGateway'
  const parameters: Record<string, MemoryParameterDefinition> = {}
  /** A parameter: its fact (by template path) and its value. */
  const p = (path: string, value: string | number | boolean): void => {
    const fact = SAMPLE_FACTS[path.replace(/\.[1-9][0-9]*\./g, '.{i}.')]
    if (fact === undefined) throw new TypeError(`sample device: no fact for ${path}`)
    parameters[path] = { ...memoryParameterOf(fact), value }
  }
  // The TR-181 version whose definitions the library ships (`tr181.model`, Device:2.17): the sample's facts are checked against it.
  p('Device.RootDataModelVersion', '2.17')
  p('Device.DeviceInfo.Manufacturer', options.manufacturer ?? 'cwmp sample')
  p('Device.DeviceInfo.ManufacturerOUI', options.oui ?? 'AABBCC')
  p('Device.DeviceInfo.ModelName', productClass)
  p('Device.DeviceInfo.Description', 'Sample TR-181 gateway of the cwmp library')
  p('Device.DeviceInfo.ProductClass', productClass)
  p('Device.DeviceInfo.SerialNumber', options.serialNumber ?? 'CWMP000001')
  p('Device.DeviceInfo.HardwareVersion', options.hardwareVersion ?? '1.0')
  p('Device.DeviceInfo.SoftwareVersion', options.softwareVersion ?? '1.0.0')
  p('Device.DeviceInfo.ProvisioningCode', options.provisioningCode ?? '')
  p('Device.DeviceInfo.UpTime', 0)
  p('Device.ManagementServer.URL', options.acsUrl ?? '')
  p('Device.ManagementServer.Username', options.acsUsername ?? '')
  p('Device.ManagementServer.Password', options.acsPassword ?? '')
  p('Device.ManagementServer.PeriodicInformEnable', options.periodicInformEnable ?? true)
  p('Device.ManagementServer.PeriodicInformInterval', options.periodicInformInterval ?? 300)
  p('Device.ManagementServer.PeriodicInformTime', options.periodicInformTime ?? UNKNOWN_TIME)
  p('Device.ManagementServer.ParameterKey', '')
  p('Device.ManagementServer.ConnectionRequestURL', options.connectionRequestUrl ?? '')
  p('Device.ManagementServer.ConnectionRequestUsername', options.connectionRequestUsername ?? '')
  p('Device.ManagementServer.ConnectionRequestPassword', options.connectionRequestPassword ?? '')
  p('Device.ManagementServer.UpgradesManaged', false)
  p('Device.ManagementServer.CWMPRetryMinimumWaitInterval', 5)
  p('Device.ManagementServer.CWMPRetryIntervalMultiplier', 2000)
  p('Device.Ethernet.InterfaceNumberOfEntries', 1)
  p('Device.Ethernet.Interface.1.Enable', true)
  p('Device.Ethernet.Interface.1.MACAddress', '02:00:00:00:00:01')
  p('Device.Ethernet.Interface.1.Stats.BytesSent', 0)
  p('Device.Ethernet.Interface.1.Stats.BytesReceived', 0)
  p('Device.WiFi.SSIDNumberOfEntries', 2)
  for (const [i, band] of [[1, '2G'], [2, '5G']] as const) {
    p(`Device.WiFi.SSID.${i}.Enable`, true)
    p(`Device.WiFi.SSID.${i}.Status`, 'Up')
    p(`Device.WiFi.SSID.${i}.SSID`, `${productClass}-${band}`)
  }
  p('Device.NAT.PortMappingNumberOfEntries', 0)
  p('Device.NAT.PortMapping.{i}.Enable', false)
  p('Device.NAT.PortMapping.{i}.Description', '')
  p('Device.NAT.PortMapping.{i}.ExternalPort', 0)
  p('Device.NAT.PortMapping.{i}.InternalPort', 0)
  p('Device.NAT.PortMapping.{i}.Protocol', 'TCP')
  p('Device.NAT.PortMapping.{i}.InternalClient', '')
  p('Device.NAT.PortMapping.{i}.LeaseDuration', 0)
  const objects: Record<string, { writable: boolean; maxEntries?: number }> = {}
  for (const [path, t] of Object.entries(SAMPLE_TABLES)) objects[path] = t.maxEntries === undefined ? { writable: t.writable } : { writable: t.writable, maxEntries: t.maxEntries }
  return { parameters, objects }
}

/**
 * A ready-made TR-181 device (see {@link sampleDeviceDefinition}) for simulators, tests and the
 * demo. Its answers to GetParameterNames, GetParameterValues, SetParameterValues (9005, 9008,
 * 9006, 9007 with the reason), Get/SetParameterAttributes (9009 where TR-181 forces or lets the
 * device deny active notification), AddObject and DeleteObject come from {@link createDefinedModel}'s
 * logic over the sample's TR-181 facts; the values, instances, attributes and value changes are kept
 * in memory, as in {@link createMemoryDataModel}.
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
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  const modelOptions = options.model ?? {}
  const store = createMemoryDataModel(sampleDeviceDefinition(options), modelOptions)
  const rpc = createSyncDefinedModel(sampleDefinitions(), {
    get: (name) => store.get(name),
    // Values the definitions accepted, written at once (canonical form, ParameterKey, status) by the
    // store, whose checks hold the same facts.
    set: (list, key) => store.setParameterValues(list, key),
    instances: (table) => (store.has(table) ? store.getParameterNames(table, true).map((i) => Number(i.name.slice(table.length, -1))) : []),
    add: (table, key) => store.addObject(table, key),
    delete: (path, key) => store.deleteObject(path, key),
    attributes: (path) => store.getParameterAttributes([path])[0] ?? { notification: 0, accessList: [] },
    setAttributes: (changes) => {
      if (changes.length === 0) return
      store.setParameterAttributes(
        changes.map(([name, a]) => ({ name, notificationChange: true, notification: a.notification, accessListChange: true, accessList: [...a.accessList] })),
      )
    },
    typeCheck: modelOptions.typeCheck ?? 'strict',
  })
  return {
    get root() {
      return store.root
    },
    get parameterKey() {
      return store.parameterKey
    },
    getParameterValues: (names) => rpc.getParameterValues(names),
    setParameterValues: (parameterList, key) => rpc.setParameterValues(parameterList, key),
    getParameterNames: (parameterPath, nextLevel) => rpc.getParameterNames(parameterPath, nextLevel),
    getParameterAttributes: (names) => rpc.getParameterAttributes(names),
    setParameterAttributes: (parameterList) => rpc.setParameterAttributes(parameterList),
    addObject: (objectName, key) => rpc.addObject(objectName, key),
    deleteObject: (objectName, key) => rpc.deleteObject(objectName, key),
    get: (name) => store.get(name),
    has: (name) => store.has(name),
    set: (name, value, setOptions) => store.set(name, value, setOptions),
    takeValueChanges: () => store.takeValueChanges(),
    pendingValueChanges: () => store.pendingValueChanges(),
    onValueChange: (listener) => store.onValueChange(listener),
    informParameters: () => store.informParameters(),
    deviceId: () => store.deviceId(),
    toDefinition: () => store.toDefinition(),
  }
}
