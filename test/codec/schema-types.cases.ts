/**
 * Type-level cases of the field schema (issue 7, item 2), checked by `tsc --noEmit` and by
 * `schema-types.test.ts`: the fields of a struct or method are keyed by the properties of its type,
 * and each field's codec must decode to the property's type. Each line after a `@ts-expect-error`
 * directive is a mistake that must not compile; the directive names the error code it expects.
 * Imports only what the cases need, so that the test can compile this file quickly.
 */
import { bool, integer, key32, oui, string, unsignedInt } from '../../src/rpc/scalars.js'
import { defineMethod, field, struct } from '../../src/rpc/schema.js'
import type { GetParameterValues, Inform, Reboot } from '../../src/types/messages.js'
import type { DeviceIdStruct, EventStruct, QueuedTransferStruct } from '../../src/types/structs.js'

const str64 = string(64)

// Correct schemas compile.
export const deviceId = struct<DeviceIdStruct>('DeviceIdStruct', {
  manufacturer: field.scalar('Manufacturer', str64),
  oui: field.scalar('OUI', oui),
  productClass: field.scalar('ProductClass', str64),
  serialNumber: field.scalar('SerialNumber', str64),
})
const event = struct<EventStruct>('EventStruct', {
  eventCode: field.scalar('EventCode', str64),
  commandKey: field.scalar('CommandKey', key32),
})
export const reboot = defineMethod<Reboot>('Reboot', '1.0', { commandKey: field.scalar('CommandKey', key32) })

// The mistakes.
export const mistakes = [
  struct<DeviceIdStruct>('DeviceIdStruct', {
    manufacturer: field.scalar('Manufacturer', str64),
    oui: field.scalar('OUI', oui),
    productClass: field.scalar('ProductClass', str64),
    // @ts-expect-error TS2561 a misspelt key
    serialNumbr: field.scalar('SerialNumber', str64),
  }),
  struct<DeviceIdStruct>('DeviceIdStruct', {
    manufacturer: field.scalar('Manufacturer', str64),
    // @ts-expect-error TS2322 a wrong scalar: OUI is a string, not an unsignedInt
    oui: field.scalar('OUI', unsignedInt),
    productClass: field.scalar('ProductClass', str64),
    serialNumber: field.scalar('SerialNumber', str64),
  }),
  struct<QueuedTransferStruct>('QueuedTransferStruct', {
    commandKey: field.scalar('CommandKey', key32),
    // @ts-expect-error TS2322 a scalar wider than the property: any integer where the type allows 1, 2, 3
    state: field.scalar('State', integer('State', { min: 0, max: 9 })),
  }),
  defineMethod<Reboot>('Reboot', '1.0', {
    // @ts-expect-error TS2561 a misspelt key in a method
    comandKey: field.scalar('CommandKey', key32),
  }),
  defineMethod<Reboot>('Reboot', '1.0', {
    // @ts-expect-error TS2322 a wrong scalar in a method
    commandKey: field.scalar('CommandKey', bool),
  }),
  // @ts-expect-error TS2345 a property without a field
  defineMethod<Reboot>('Reboot', '1.0', {}),
  defineMethod<GetParameterValues>('GetParameterValues', '1.0', {
    // @ts-expect-error TS2322 array items of the wrong type
    parameterNames: field.array('ParameterNames', 'string', 'xsd:string', { kind: 'scalar', type: unsignedInt }),
  }),
  defineMethod<Pick<Inform, 'method' | 'deviceId'>>('Inform', '1.0', {
    // @ts-expect-error TS2322 a struct of another type
    deviceId: field.struct('DeviceId', event),
  }),
]
