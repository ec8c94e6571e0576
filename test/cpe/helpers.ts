import { createMemoryDataModel, type MemoryDataModelOptions, type MemoryModelDefinition } from '../../src/index.js'

/** A small model with every value type, attributes, a table with a template and a nested table. */
export const TEST_DEFINITION: MemoryModelDefinition = {
  parameters: {
    'Device.DeviceInfo.Manufacturer': 'ACME',
    'Device.DeviceInfo.ManufacturerOUI': '0A1B2C',
    'Device.DeviceInfo.ProductClass': 'Box',
    'Device.DeviceInfo.SerialNumber': 'SN-1',
    'Device.DeviceInfo.SoftwareVersion': '1.0',
    'Device.DeviceInfo.UpTime': { type: 'xsd:unsignedInt', value: 10, denyActiveNotification: true },
    'Device.ManagementServer.ParameterKey': { type: 'xsd:string', value: 'initial' },
    'Device.ManagementServer.ConnectionRequestURL': {
      type: 'xsd:string',
      value: 'http://192.0.2.1:7547/',
      notification: 2,
      denyNotificationChange: true,
    },
    'Device.ManagementServer.Password': { type: 'xsd:string', value: 'secret', writable: true, hidden: true },
    'Device.Test.String': { type: 'xsd:string', value: 'abc', writable: true, maxLength: 8 },
    'Device.Test.Enum': { type: 'xsd:string', value: 'A', writable: true, enumeration: ['A', 'B'] },
    'Device.Test.Bool': { type: 'xsd:boolean', value: false, writable: true },
    'Device.Test.Int': { type: 'xsd:int', value: -5, writable: true },
    'Device.Test.UInt': { type: 'xsd:unsignedInt', value: 5, writable: true },
    'Device.Test.Ranged': { type: 'xsd:unsignedInt', value: 10, writable: true, minimum: 1, maximum: 100 },
    'Device.Test.Long': { type: 'xsd:long', value: '-9223372036854775808', writable: true },
    'Device.Test.ULong': { type: 'xsd:unsignedLong', value: '18446744073709551615', writable: true },
    'Device.Test.Time': { type: 'xsd:dateTime', writable: true },
    'Device.Test.B64': { type: 'xsd:base64Binary', value: 'AAEC', writable: true, maxLength: 4 },
    'Device.Test.Hex': { type: 'xsd:hexBinary', value: '0a0b', writable: true },
    'Device.Test.ReadOnly': { type: 'xsd:string', value: 'fixed' },
    'Device.Test.Passive': { type: 'xsd:string', value: 'p', writable: true, notification: 1 },
    'Device.Test.Active': { type: 'xsd:string', value: 'a', writable: true, notification: 2 },
    'Device.Test.LightweightOnly': { type: 'xsd:string', value: 'l', writable: true, notification: 3 },
    'Device.Test.Vendor': { type: 'xsd:string', value: 'v', forcedInform: true },
    'Device.Table.RowNumberOfEntries': { type: 'xsd:unsignedInt', value: 1 },
    'Device.Table.Row.1.Name': { type: 'xsd:string', value: 'first', writable: true },
    'Device.Table.Row.1.Count': { type: 'xsd:unsignedInt', value: 3, writable: true },
    'Device.Table.Row.{i}.Name': { type: 'xsd:string', value: 'new', writable: true },
    'Device.Table.Row.{i}.Count': { type: 'xsd:unsignedInt', writable: true },
    'Device.Table.Row.{i}.Stats.Hits': { type: 'xsd:unsignedLong' },
    'Device.Table.Row.{i}.Sub.{i}.Value': { type: 'xsd:int', writable: true },
    'Device.Table.Fixed.1.X': 'x',
  },
  objects: {
    'Device.Empty.': {},
    'Device.Table.Row.': { writable: true, maxEntries: 4 },
    'Device.Table.Fixed.': { writable: false },
  },
}

/** A fresh test model. */
export function testModel(options: MemoryDataModelOptions = {}) {
  return createMemoryDataModel(TEST_DEFINITION, options)
}
