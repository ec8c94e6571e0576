/**
 * The sample device's TR-181 facts, written once (D380): each parameter's type, facets, access and
 * notification rules as TR-181 `Device:2` gives them (restricted where this device says so), and
 * its three tables. From them come the {@link DefinedModelDefinitions} whose logic answers the
 * ACS ({@link SAMPLE_DEFINITIONS}) and the types, facets and flags of `sampleDeviceDefinition`'s
 * memory definition. A test compares every fact with the `tr181` table.
 *
 * @module
 */
import { checkValue, type ValueSyntax } from '../values/syntax.js'
import { CPE_FAULTS } from '../types/catalogue.js'
import type { DefinedModelDefinition, DefinedModelDefinitions } from './defined-model.js'
import type { MemoryParameterDefinition } from './memory-definition.js'

/**
 * One parameter of the sample, as a template path's definition.
 *
 * @internal
 */
export interface SampleFact {
  /** The xsd type its values are sent with. */
  readonly type: 'xsd:string' | 'xsd:boolean' | 'xsd:unsignedInt' | 'xsd:unsignedLong' | 'xsd:dateTime'
  /** Whether the ACS may set it. */
  readonly writable?: boolean
  /** Maximum length in characters. */
  readonly maxLength?: number
  /** Smallest value. */
  readonly minimum?: number
  /** Largest value. */
  readonly maximum?: number
  /** The allowed values. */
  readonly enumeration?: readonly string[]
  /** Read back as empty (passwords). */
  readonly hidden?: boolean
  /** TR-181's activeNotify (default `normal`). */
  readonly activeNotify?: 'normal' | 'forceEnabled' | 'forceDefaultEnabled' | 'canDeny'
  /** TR-181's forcedInform. */
  readonly forcedInform?: boolean
}

/**
 * One table of the sample.
 *
 * @internal
 */
export interface SampleTable {
  /** Whether AddObject and DeleteObject are allowed. */
  readonly writable: boolean
  /** The most instances it may hold. */
  readonly maxEntries?: number
  /** The parameter counting its instances. */
  readonly numEntriesParameter: string
}

const STATUS = ['Up', 'Down', 'Unknown', 'Dormant', 'NotPresent', 'LowerLayerDown', 'Error'] as const

/**
 * The sample's parameters, by template path, in the order GetParameterNames lists them.
 *
 * @internal
 */
export const SAMPLE_FACTS: Readonly<Record<string, SampleFact>> = {
  'Device.RootDataModelVersion': { type: 'xsd:string', maxLength: 32, forcedInform: true },
  'Device.DeviceInfo.Manufacturer': { type: 'xsd:string', maxLength: 64 },
  'Device.DeviceInfo.ManufacturerOUI': { type: 'xsd:string', maxLength: 6 },
  'Device.DeviceInfo.ModelName': { type: 'xsd:string', maxLength: 64 },
  'Device.DeviceInfo.Description': { type: 'xsd:string', maxLength: 256 },
  'Device.DeviceInfo.ProductClass': { type: 'xsd:string', maxLength: 64 },
  'Device.DeviceInfo.SerialNumber': { type: 'xsd:string', maxLength: 64 },
  'Device.DeviceInfo.HardwareVersion': { type: 'xsd:string', maxLength: 64, forcedInform: true },
  'Device.DeviceInfo.SoftwareVersion': { type: 'xsd:string', maxLength: 64, activeNotify: 'forceEnabled', forcedInform: true },
  'Device.DeviceInfo.ProvisioningCode': { type: 'xsd:string', writable: true, maxLength: 64, activeNotify: 'forceEnabled', forcedInform: true },
  'Device.DeviceInfo.UpTime': { type: 'xsd:unsignedInt', activeNotify: 'canDeny' },
  // URL and ConnectionRequestURL: 256 here (TR-181 2048), the settings' rule (D610).
  'Device.ManagementServer.URL': { type: 'xsd:string', writable: true, maxLength: 256 },
  'Device.ManagementServer.Username': { type: 'xsd:string', writable: true, maxLength: 256 },
  'Device.ManagementServer.Password': { type: 'xsd:string', writable: true, maxLength: 256, hidden: true },
  'Device.ManagementServer.PeriodicInformEnable': { type: 'xsd:boolean', writable: true },
  'Device.ManagementServer.PeriodicInformInterval': { type: 'xsd:unsignedInt', writable: true, minimum: 1 },
  'Device.ManagementServer.PeriodicInformTime': { type: 'xsd:dateTime', writable: true },
  'Device.ManagementServer.ParameterKey': { type: 'xsd:string', maxLength: 32, activeNotify: 'canDeny', forcedInform: true },
  'Device.ManagementServer.ConnectionRequestURL': { type: 'xsd:string', maxLength: 256, activeNotify: 'forceDefaultEnabled', forcedInform: true },
  'Device.ManagementServer.ConnectionRequestUsername': { type: 'xsd:string', writable: true, maxLength: 256 },
  'Device.ManagementServer.ConnectionRequestPassword': { type: 'xsd:string', writable: true, maxLength: 256, hidden: true },
  'Device.ManagementServer.UpgradesManaged': { type: 'xsd:boolean', writable: true },
  'Device.ManagementServer.CWMPRetryMinimumWaitInterval': { type: 'xsd:unsignedInt', writable: true, minimum: 1, maximum: 65535 },
  'Device.ManagementServer.CWMPRetryIntervalMultiplier': { type: 'xsd:unsignedInt', writable: true, minimum: 1000, maximum: 65535 },
  'Device.Ethernet.InterfaceNumberOfEntries': { type: 'xsd:unsignedInt' },
  'Device.Ethernet.Interface.{i}.Enable': { type: 'xsd:boolean', writable: true },
  'Device.Ethernet.Interface.{i}.MACAddress': { type: 'xsd:string', maxLength: 17 },
  'Device.Ethernet.Interface.{i}.Stats.BytesSent': { type: 'xsd:unsignedLong', activeNotify: 'canDeny' },
  'Device.Ethernet.Interface.{i}.Stats.BytesReceived': { type: 'xsd:unsignedLong', activeNotify: 'canDeny' },
  'Device.WiFi.SSIDNumberOfEntries': { type: 'xsd:unsignedInt' },
  'Device.WiFi.SSID.{i}.Enable': { type: 'xsd:boolean', writable: true },
  'Device.WiFi.SSID.{i}.Status': { type: 'xsd:string', enumeration: STATUS },
  'Device.WiFi.SSID.{i}.SSID': { type: 'xsd:string', writable: true, maxLength: 32 },
  'Device.NAT.PortMappingNumberOfEntries': { type: 'xsd:unsignedInt' },
  'Device.NAT.PortMapping.{i}.Enable': { type: 'xsd:boolean', writable: true },
  'Device.NAT.PortMapping.{i}.Description': { type: 'xsd:string', writable: true, maxLength: 256 },
  'Device.NAT.PortMapping.{i}.ExternalPort': { type: 'xsd:unsignedInt', writable: true, minimum: 0, maximum: 65535 },
  'Device.NAT.PortMapping.{i}.InternalPort': { type: 'xsd:unsignedInt', writable: true, minimum: 0, maximum: 65535 },
  'Device.NAT.PortMapping.{i}.Protocol': { type: 'xsd:string', writable: true, enumeration: ['TCP', 'UDP'] },
  'Device.NAT.PortMapping.{i}.InternalClient': { type: 'xsd:string', writable: true, maxLength: 256 },
  'Device.NAT.PortMapping.{i}.LeaseDuration': { type: 'xsd:unsignedInt', writable: true, activeNotify: 'canDeny' },
}

/**
 * The sample's tables. The SSIDs and the Ethernet interface are fixed (TR-181 lets a device add
 * SSIDs); at most 32 port mappings (TR-181: unbounded).
 *
 * @internal
 */
export const SAMPLE_TABLES: Readonly<Record<string, SampleTable>> = {
  'Device.Ethernet.Interface.': { writable: false, numEntriesParameter: 'Device.Ethernet.InterfaceNumberOfEntries' },
  'Device.WiFi.SSID.': { writable: false, numEntriesParameter: 'Device.WiFi.SSIDNumberOfEntries' },
  'Device.NAT.PortMapping.': { writable: true, maxEntries: 32, numEntriesParameter: 'Device.NAT.PortMappingNumberOfEntries' },
}

/**
 * A fact as a memory-model parameter definition (without its value): the type, facets and the
 * flags that carry its notification rules (forceEnabled: Notification 2, unchangeable;
 * forceDefaultEnabled: 2; canDeny: active notification refused).
 *
 * @internal
 */
export function memoryParameterOf(fact: SampleFact): MemoryParameterDefinition {
  const d: { -readonly [K in keyof MemoryParameterDefinition]: MemoryParameterDefinition[K] } = { type: fact.type }
  if (fact.writable === true) d.writable = true
  if (fact.maxLength !== undefined) d.maxLength = fact.maxLength
  if (fact.minimum !== undefined) d.minimum = fact.minimum
  if (fact.maximum !== undefined) d.maximum = fact.maximum
  if (fact.enumeration !== undefined) d.enumeration = [...fact.enumeration]
  if (fact.hidden === true) d.hidden = true
  if (fact.activeNotify === 'forceEnabled') {
    d.notification = 2
    d.denyNotificationChange = true
  } else if (fact.activeNotify === 'forceDefaultEnabled') d.notification = 2
  else if (fact.activeNotify === 'canDeny') d.denyActiveNotification = true
  return d
}

const INSTANCE_SEGMENT = /\.[1-9][0-9]{0,9}(?=\.|$)/g

/** A concrete path's template (instance numbers from 1 become `{i}`; a template path stays as it is). */
function templateOf(path: string): string {
  return /\.[0-9]/.test(path) ? path.replace(INSTANCE_SEGMENT, '.{i}') : path
}

function syntaxOf(fact: SampleFact): ValueSyntax {
  const s: { -readonly [K in keyof ValueSyntax]: ValueSyntax[K] } = { type: fact.type }
  if (fact.maxLength !== undefined) s.maxLength = fact.maxLength
  if (fact.minimum !== undefined) s.minimum = BigInt(fact.minimum)
  if (fact.maximum !== undefined) s.maximum = BigInt(fact.maximum)
  if (fact.enumeration !== undefined) s.enumeration = fact.enumeration
  return s
}

function buildDefinitions(): DefinedModelDefinitions {
  const nodes = new Map<string, DefinedModelDefinition>()
  const children = new Map<string, DefinedModelDefinition[]>([['', []]])
  const syntaxes = new Map<string, ValueSyntax>()
  const add = (parent: string, d: DefinedModelDefinition): void => {
    nodes.set(d.path, d)
    ;(children.get(parent) as DefinedModelDefinition[]).push(d)
    if (d.kind !== 'parameter') children.set(d.kind === 'table' ? d.instance.path : d.path, [])
    if (d.kind === 'table') children.set(d.path, [])
  }
  /** The object at this template path (and those above it), made on first sight. */
  const object = (path: string): void => {
    if (nodes.has(path)) return
    const body = path.slice(0, -1)
    const cut = body.lastIndexOf('.')
    const parent = cut === -1 ? '' : body.slice(0, cut + 1)
    if (body.endsWith('.{i}')) {
      const tablePath = body.slice(0, -'{i}'.length)
      const t = SAMPLE_TABLES[tablePath]
      if (t === undefined) throw new TypeError(`sample definitions: no table ${tablePath}`)
      object(parentOf(tablePath))
      const instance = { path, maxEntries: t.maxEntries, numEntriesParameter: t.numEntriesParameter }
      add(parentOf(tablePath), { kind: 'table', path: tablePath, writable: t.writable, instance })
      nodes.set(path, { kind: 'object', path, writable: t.writable, multiInstance: true, maxEntries: t.maxEntries, numEntriesParameter: t.numEntriesParameter })
      return
    }
    if (parent !== '') object(parent)
    add(parent, { kind: 'object', path, writable: false, multiInstance: false, maxEntries: undefined })
  }
  for (const [path, fact] of Object.entries(SAMPLE_FACTS)) {
    const parent = parentOf(path)
    object(parent)
    add(parent, {
      kind: 'parameter',
      path,
      writable: fact.writable === true,
      xsdType: fact.type,
      hidden: fact.hidden === true,
      activeNotify: fact.activeNotify ?? 'normal',
    })
    syntaxes.set(path, syntaxOf(fact))
  }
  const active = (kind: SampleFact['activeNotify']): string[] =>
    Object.entries(SAMPLE_FACTS)
      .filter(([, f]) => f.activeNotify === kind)
      .map(([p]) => p)
  return {
    root: 'Device.',
    lookup: (path) => (typeof path === 'string' ? nodes.get(templateOf(path)) : undefined),
    children: (path) => children.get(templateOf(path)) ?? [],
    validate(path, value) {
      const d = typeof path === 'string' ? nodes.get(templateOf(path)) : undefined
      if (d?.kind !== 'parameter') return { ok: false, faultCode: 9005, message: CPE_FAULTS.InvalidParameterName.text }
      if (!d.writable) return { ok: false, faultCode: 9008, message: CPE_FAULTS.NonWritableParameter.text }
      const checked = checkValue(syntaxes.get(d.path) as ValueSyntax, String(value), 'numeric')
      if (!checked.ok) return { ok: false, faultCode: 9007, message: `${CPE_FAULTS.InvalidParameterValue.text}: ${checked.reason}` }
      return { ok: true }
    },
    forcedActiveNotification: active('forceEnabled'),
    defaultActiveNotification: active('forceDefaultEnabled'),
  }
}

/** The template path of the object holding a node (with its trailing dot). */
function parentOf(path: string): string {
  const body = path.endsWith('.') ? path.slice(0, -1) : path
  return body.slice(0, body.lastIndexOf('.') + 1)
}

let built: DefinedModelDefinitions | undefined

/**
 * The sample's definitions (built on first use): what its GetParameterNames, GetParameterValues,
 * SetParameterValues, SetParameterAttributes, AddObject and DeleteObject answers come from.
 *
 * @internal
 */
export function sampleDefinitions(): DefinedModelDefinitions {
  return (built ??= buildDefinitions())
}
