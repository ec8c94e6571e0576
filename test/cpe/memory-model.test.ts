import { describe, expect, it } from 'vitest'
import {
  ConfigError,
  createMemoryDataModel,
  createSampleDeviceModel,
  DataModelFault,
  encodeEnvelope,
  isDataModelFault,
  sampleDeviceDefinition,
  UNKNOWN_TIME,
  type ParameterValueStruct,
} from '../../src/index.js'
import { testModel } from './helpers.js'

/** Run `fn` and return the DataModelFault it throws (fails the test when it does not throw one). */
function faultOf(fn: () => unknown): DataModelFault {
  try {
    fn()
  } catch (error) {
    if (isDataModelFault(error)) return error
    throw error
  }
  throw new Error('expected a DataModelFault')
}

const spv = (name: string, value: string, type = 'xsd:string'): ParameterValueStruct => ({ name, value, type })

describe('DataModelFault', () => {
  it('takes a code or a catalogue name, defaults the message to the catalogue text, and is recognised by its brand', () => {
    const a = new DataModelFault(9005)
    expect(a.faultCode).toBe(9005)
    expect(a.message).toBe('Invalid parameter name')
    expect(a).toBeInstanceOf(Error)
    const b = new DataModelFault('NotificationRequestRejected', 'no')
    expect(b.faultCode).toBe(9009)
    expect(b.message).toBe('no')
    expect(new DataModelFault(9850).message).toBe('Vendor fault')
    expect(isDataModelFault(a)).toBe(true)
    expect(isDataModelFault(new Error('x'))).toBe(false)
    expect(isDataModelFault({ faultCode: 9005 })).toBe(false)
    expect(isDataModelFault(null)).toBe(false)
  })

  it('refuses codes outside 9000–9899 and unknown names with a ConfigError naming `fault`', () => {
    for (const bad of [8005, 8999, 9900, 9005.5, Number.NaN, 'NoSuchFault']) {
      expect(() => new DataModelFault(bad as number)).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'fault' }))
    }
  })

  it('forParameters builds 9003 with the entries; empty entries are dropped', () => {
    const f = DataModelFault.forParameters([{ parameterName: 'A', faultCode: 9007 }])
    expect(f.faultCode).toBe(9003)
    expect(f.parameterFaults).toEqual([{ parameterName: 'A', faultCode: 9007 }])
    expect(new DataModelFault(9003, undefined, { parameterFaults: [] }).parameterFaults).toBeUndefined()
  })
})

describe('GetParameterValues', () => {
  it('reads full names, and expands partial paths to every parameter below', () => {
    const m = testModel()
    expect(m.getParameterValues(['Device.DeviceInfo.Manufacturer'])).toEqual([
      { name: 'Device.DeviceInfo.Manufacturer', value: 'ACME', type: 'xsd:string' },
    ])
    expect(m.getParameterValues(['Device.Table.Row.']).map((p) => p.name)).toEqual([
      'Device.Table.Row.1.Name',
      'Device.Table.Row.1.Count',
    ])
    expect(m.getParameterValues(['Device.Empty.'])).toEqual([])
    const all = m.getParameterValues([''])
    expect(all.length).toBe(m.getParameterValues(['Device.']).length)
    expect(all.every((p) => !p.name.endsWith('.'))).toBe(true)
  })

  it('reads hidden parameters as an empty string', () => {
    const m = testModel()
    expect(m.getParameterValues(['Device.ManagementServer.Password'])[0]?.value).toBe('')
    expect(m.get('Device.ManagementServer.Password')).toBe('secret')
  })

  it('reads a hidden parameter of a type without an empty value as its null value (0, false), which encodes', () => {
    const m = createMemoryDataModel({
      parameters: {
        'Device.WPS.DevicePassword': { type: 'xsd:unsignedInt', value: 12345670, hidden: true, writable: true },
        'Device.WPS.Reset': { type: 'xsd:boolean', value: true, hidden: true, writable: true },
        'Device.WPS.Key': { type: 'xsd:hexBinary', value: 'abcd', hidden: true },
      },
    })
    const read = m.getParameterValues(['Device.WPS.'])
    expect(read.map((p) => [p.name, p.value])).toEqual([
      ['Device.WPS.DevicePassword', '0'],
      ['Device.WPS.Reset', '0'],
      ['Device.WPS.Key', ''],
    ])
    expect(m.get('Device.WPS.DevicePassword')).toBe('12345670')
    expect(() => encodeEnvelope({ version: '1.0', header: { id: '1' }, body: { method: 'GetParameterValuesResponse', parameterList: read } })).not.toThrow()
  })

  it.each([
    ['an unknown parameter', 'Device.DeviceInfo.Nope'],
    ['an unknown partial path', 'Device.Nope.'],
    ['an object without its trailing dot', 'Device.DeviceInfo'],
    ['a parameter with a trailing dot', 'Device.DeviceInfo.Manufacturer.'],
    ['a missing instance', 'Device.Table.Row.7.'],
    ['a template path', 'Device.Table.Row.{i}.Name'],
  ])('faults 9005 for %s', (_, name) => {
    const f = faultOf(() => testModel().getParameterValues(['Device.DeviceInfo.Manufacturer', name]))
    expect(f.faultCode).toBe(9005)
    expect(f.message).toContain(name)
  })
})

describe('GetParameterNames', () => {
  const m = testModel()

  it('empty path, NextLevel true: the root object only', () => {
    expect(m.getParameterNames('', true)).toEqual([{ name: 'Device.', writable: false }])
  })

  it('partial path, NextLevel true: the children, objects with their dot', () => {
    expect(m.getParameterNames('Device.Table.', true)).toEqual([
      { name: 'Device.Table.RowNumberOfEntries', writable: false },
      { name: 'Device.Table.Row.', writable: true },
      { name: 'Device.Table.Fixed.', writable: false },
    ])
    expect(m.getParameterNames('Device.Table.Row.', true)).toEqual([{ name: 'Device.Table.Row.1.', writable: true }])
  })

  it('partial path, NextLevel false: the object itself and everything below', () => {
    expect(m.getParameterNames('Device.Table.Row.', false)).toEqual([
      { name: 'Device.Table.Row.', writable: true },
      { name: 'Device.Table.Row.1.', writable: true },
      { name: 'Device.Table.Row.1.Name', writable: true },
      { name: 'Device.Table.Row.1.Count', writable: true },
    ])
    expect(m.getParameterNames('Device.Empty.', false)).toEqual([{ name: 'Device.Empty.', writable: false }])
  })

  it('parameter name, NextLevel false: that parameter', () => {
    expect(m.getParameterNames('Device.Test.Int', false)).toEqual([{ name: 'Device.Test.Int', writable: true }])
  })

  it.each([
    ['a parameter name with NextLevel true', 'Device.Test.Int', true, 9003],
    ['an unknown path', 'Device.Nope.', false, 9005],
    ['an unknown parameter', 'Device.Nope', true, 9005],
    ['an object without its dot', 'Device.Test', false, 9005],
  ])('faults for %s', (_, path, nextLevel, code) => {
    expect(faultOf(() => m.getParameterNames(path, nextLevel)).faultCode).toBe(code)
  })
})

describe('SetParameterValues', () => {
  it('stores canonical forms and sets the ParameterKey', () => {
    const m = testModel()
    const status = m.setParameterValues(
      [
        spv('Device.Test.Bool', 'true', 'xsd:boolean'),
        spv('Device.Test.Int', ' +0042 ', 'xsd:int'),
        spv('Device.Test.ULong', '018446744073709551615', 'xsd:unsignedLong'),
        spv('Device.Test.Long', '-0', 'xsd:long'),
        spv('Device.Test.Hex', 'ff00', 'xsd:hexBinary'),
        spv('Device.Test.B64', 'AQID BA==', 'soap-enc:base64'),
        spv('Device.Test.Time', ' 2026-11-25T06:00:00+01:00 ', 'xsd:dateTime'),
        spv('Device.Test.String', '  x  ', 'xsd:string'),
      ],
      'key-2',
    )
    expect(status).toBe(0)
    expect(m.get('Device.Test.Bool')).toBe('1')
    expect(m.get('Device.Test.Int')).toBe('42')
    expect(m.get('Device.Test.ULong')).toBe('18446744073709551615')
    expect(m.get('Device.Test.Long')).toBe('0')
    expect(m.get('Device.Test.Hex')).toBe('FF00')
    expect(m.get('Device.Test.B64')).toBe('AQIDBA==')
    expect(m.get('Device.Test.Time')).toBe('2026-11-25T06:00:00+01:00')
    expect(m.get('Device.Test.String')).toBe('  x  ')
    expect(m.parameterKey).toBe('key-2')
    expect(m.get('Device.ManagementServer.ParameterKey')).toBe('key-2')
    expect(m.getParameterValues(['Device.Test.Bool'])).toEqual([spv('Device.Test.Bool', '1', 'xsd:boolean')])
  })

  it('stores booleans as true/false with booleanForm word, and reports status 1 when configured', () => {
    const m = testModel({ booleanForm: 'word', status: 1 })
    expect(m.get('Device.Test.Bool')).toBe('false')
    expect(m.setParameterValues([spv('Device.Test.Bool', '1', 'xsd:boolean')], '')).toBe(1)
    expect(m.get('Device.Test.Bool')).toBe('true')
  })

  it.each([
    ['unknown name', spv('Device.Test.Nope', 'x'), 9005],
    ['object path', spv('Device.Test.', 'x'), 9005],
    ['read-only parameter', spv('Device.Test.ReadOnly', 'x'), 9008],
    ['ParameterKey itself', spv('Device.ManagementServer.ParameterKey', 'x'), 9008],
    ['xsi:type mismatch', spv('Device.Test.Int', '1', 'xsd:string'), 9006],
    ['xsi:type mismatch (int for unsignedInt)', spv('Device.Test.UInt', '1', 'xsd:int'), 9006],
    ['boolean not 0/1/true/false', spv('Device.Test.Bool', 'yes', 'xsd:boolean'), 9007],
    ['int above 2^31-1', spv('Device.Test.Int', '2147483648', 'xsd:int'), 9007],
    ['int below -2^31', spv('Device.Test.Int', '-2147483649', 'xsd:int'), 9007],
    ['unsignedInt negative', spv('Device.Test.UInt', '-1', 'xsd:unsignedInt'), 9007],
    ['unsignedInt above 2^32-1', spv('Device.Test.UInt', '4294967296', 'xsd:unsignedInt'), 9007],
    ['unsignedInt not a number', spv('Device.Test.UInt', '12a', 'xsd:unsignedInt'), 9007],
    ['below the minimum', spv('Device.Test.Ranged', '0', 'xsd:unsignedInt'), 9007],
    ['above the maximum', spv('Device.Test.Ranged', '101', 'xsd:unsignedInt'), 9007],
    ['long above 2^63-1', spv('Device.Test.Long', '9223372036854775808', 'xsd:long'), 9007],
    ['unsignedLong above 2^64-1', spv('Device.Test.ULong', '18446744073709551616', 'xsd:unsignedLong'), 9007],
    ['invalid dateTime', spv('Device.Test.Time', '2026-02-30T00:00:00Z', 'xsd:dateTime'), 9007],
    ['Thomson zero dateTime', spv('Device.Test.Time', '0000-00-00T00:00:00', 'xsd:dateTime'), 9007],
    ['invalid base64', spv('Device.Test.B64', 'AAE', 'xsd:base64Binary'), 9007],
    ['base64 longer than maxLength bytes', spv('Device.Test.B64', 'AAECAwQ=', 'xsd:base64Binary'), 9007],
    ['odd hexBinary', spv('Device.Test.Hex', 'abc', 'xsd:hexBinary'), 9007],
    ['string longer than maxLength', spv('Device.Test.String', '123456789', 'xsd:string'), 9007],
    ['value outside the enumeration', spv('Device.Test.Enum', 'C', 'xsd:string'), 9007],
    ['character XML cannot carry', spv('Device.Test.String', 'a\u0001', 'xsd:string'), 9007],
  ])('one bad parameter (%s) fails the whole request with 9003 and one entry', (_, bad, code) => {
    const m = testModel()
    const before = m.toDefinition()
    const f = faultOf(() => m.setParameterValues([spv('Device.Test.Active', 'ok'), bad], 'never'))
    expect(f.faultCode).toBe(9003)
    expect(f.parameterFaults).toEqual([expect.objectContaining({ parameterName: bad.name, faultCode: code })])
    expect(m.toDefinition()).toEqual(before)
    expect(m.parameterKey).toBe('initial')
  })

  it('reports every failing parameter, in request order', () => {
    const f = faultOf(() =>
      testModel().setParameterValues(
        [
          spv('Device.Nope', 'x'),
          spv('Device.Test.String', 'fine'),
          spv('Device.Test.ReadOnly', 'x'),
          spv('Device.Test.Int', 'x', 'xsd:int'),
          spv('Device.Test.UInt', '1', 'xsd:boolean'),
        ],
        'k',
      ),
    )
    expect(f.parameterFaults?.map((e) => [e.parameterName, e.faultCode])).toEqual([
      ['Device.Nope', 9005],
      ['Device.Test.ReadOnly', 9008],
      ['Device.Test.Int', 9007],
      ['Device.Test.UInt', 9006],
    ])
  })

  it('rejects a parameter named twice with 9003', () => {
    const f = faultOf(() =>
      testModel().setParameterValues([spv('Device.Test.String', 'a'), spv('Device.Test.String', 'b')], 'k'),
    )
    expect(f.faultCode).toBe(9003)
    expect(f.parameterFaults).toBeUndefined()
  })

  it('typeCheck lenient accepts xsd:string for other types when the text is valid', () => {
    const m = testModel({ typeCheck: 'lenient' })
    m.setParameterValues([spv('Device.Test.UInt', '7'), spv('Device.Test.Bool', 'true')], 'k')
    expect(m.get('Device.Test.UInt')).toBe('7')
    expect(m.get('Device.Test.Bool')).toBe('1')
    expect(faultOf(() => m.setParameterValues([spv('Device.Test.UInt', 'x')], 'k')).parameterFaults?.[0]?.faultCode).toBe(9007)
    expect(faultOf(() => m.setParameterValues([spv('Device.Test.UInt', '1', 'xsd:int')], 'k')).parameterFaults?.[0]?.faultCode).toBe(9006)
  })

  it('does not record ACS changes as value changes', () => {
    const m = testModel()
    m.setParameterValues([spv('Device.Test.Active', 'changed by the ACS')], 'k')
    expect(m.takeValueChanges()).toEqual([])
  })
})

describe('Get/SetParameterAttributes', () => {
  it('reads attributes, partial paths expanded', () => {
    const m = testModel()
    expect(m.getParameterAttributes(['Device.ManagementServer.ConnectionRequestURL'])).toEqual([
      { name: 'Device.ManagementServer.ConnectionRequestURL', notification: 2, accessList: [] },
    ])
    expect(m.getParameterAttributes(['Device.Table.Row.1.'])).toHaveLength(2)
    expect(faultOf(() => m.getParameterAttributes(['Device.Nope'])).faultCode).toBe(9005)
  })

  it('changes notification and access list only when the change flags say so', () => {
    const m = testModel()
    m.setParameterAttributes([
      { name: 'Device.Test.String', notificationChange: true, notification: 1, accessListChange: false, accessList: ['Subscriber'] },
      { name: 'Device.Test.Int', notificationChange: false, notification: 2, accessListChange: true, accessList: ['Subscriber'] },
    ])
    expect(m.getParameterAttributes(['Device.Test.String', 'Device.Test.Int'])).toEqual([
      { name: 'Device.Test.String', notification: 1, accessList: [] },
      { name: 'Device.Test.Int', notification: 0, accessList: ['Subscriber'] },
    ])
  })

  it.each([
    ['a parameter whose notification cannot change', 'Device.ManagementServer.ConnectionRequestURL', 0, 9009],
    ['active notification on a parameter that denies it', 'Device.DeviceInfo.UpTime', 2, 9009],
    ['active lightweight notification on a parameter that denies active', 'Device.DeviceInfo.UpTime', 5, 9009],
    ['an unknown name', 'Device.Nope', 1, 9005],
  ] as const)('faults for %s, and changes nothing', (_, name, notification, code) => {
    const m = testModel()
    const before = m.toDefinition()
    const f = faultOf(() =>
      m.setParameterAttributes([
        { name: 'Device.Test.String', notificationChange: true, notification: 2, accessListChange: false, accessList: [] },
        { name, notificationChange: true, notification, accessListChange: false, accessList: [] },
      ]),
    )
    expect(f.faultCode).toBe(code)
    expect(m.toDefinition()).toEqual(before)
  })

  it('passive notification is never refused, and setting the current value is allowed', () => {
    const m = testModel()
    m.setParameterAttributes([
      { name: 'Device.DeviceInfo.UpTime', notificationChange: true, notification: 1, accessListChange: false, accessList: [] },
      { name: 'Device.ManagementServer.ConnectionRequestURL', notificationChange: true, notification: 2, accessListChange: false, accessList: [] },
    ])
    expect(m.getParameterAttributes(['Device.DeviceInfo.UpTime'])[0]?.notification).toBe(1)
  })

  it('a partial path skips the parameters that refuse the change and sets the others', () => {
    const m = testModel()
    m.setParameterAttributes([{ name: 'Device.DeviceInfo.', notificationChange: true, notification: 2, accessListChange: false, accessList: [] }])
    const attrs = Object.fromEntries(m.getParameterAttributes(['Device.DeviceInfo.']).map((a) => [a.name, a.notification]))
    expect(attrs['Device.DeviceInfo.UpTime']).toBe(0)
    expect(attrs['Device.DeviceInfo.Manufacturer']).toBe(2)
  })
})

describe('AddObject and DeleteObject', () => {
  it('creates instances from the template with its defaults, nested tables empty, counters updated', () => {
    const m = testModel()
    const r = m.addObject('Device.Table.Row.', 'add-1')
    expect(r).toEqual({ instanceNumber: 2, status: 0 })
    expect(m.getParameterValues(['Device.Table.Row.2.'])).toEqual([
      { name: 'Device.Table.Row.2.Name', value: 'new', type: 'xsd:string' },
      { name: 'Device.Table.Row.2.Count', value: '0', type: 'xsd:unsignedInt' },
      { name: 'Device.Table.Row.2.Stats.Hits', value: '0', type: 'xsd:unsignedLong' },
    ])
    expect(m.getParameterNames('Device.Table.Row.2.', true)).toEqual([
      { name: 'Device.Table.Row.2.Name', writable: true },
      { name: 'Device.Table.Row.2.Count', writable: true },
      { name: 'Device.Table.Row.2.Stats.', writable: false },
      { name: 'Device.Table.Row.2.Sub.', writable: true },
    ])
    expect(m.get('Device.Table.RowNumberOfEntries')).toBe('2')
    expect(m.parameterKey).toBe('add-1')
    expect(m.addObject('Device.Table.Row.2.Sub.', 'add-2').instanceNumber).toBe(1)
    expect(m.getParameterValues(['Device.Table.Row.2.Sub.1.Value'])[0]?.value).toBe('0')
  })

  it('never reuses an instance number, and deleting removes the subtree', () => {
    const m = testModel()
    expect(m.addObject('Device.Table.Row.', 'a').instanceNumber).toBe(2)
    expect(m.deleteObject('Device.Table.Row.2.', 'd')).toBe(0)
    expect(m.parameterKey).toBe('d')
    expect(m.has('Device.Table.Row.2.Name')).toBe(false)
    expect(faultOf(() => m.getParameterValues(['Device.Table.Row.2.'])).faultCode).toBe(9005)
    expect(m.get('Device.Table.RowNumberOfEntries')).toBe('1')
    expect(m.addObject('Device.Table.Row.', 'a').instanceNumber).toBe(3)
    expect(m.deleteObject('Device.Table.Row.1.', 'd')).toBe(0)
    expect(m.addObject('Device.Table.Row.', 'a').instanceNumber).toBe(4)
  })

  it('faults 9004 when the table is full', () => {
    const m = testModel()
    for (let i = 0; i < 3; i++) m.addObject('Device.Table.Row.', 'k')
    const f = faultOf(() => m.addObject('Device.Table.Row.', 'full'))
    expect(f.faultCode).toBe(9004)
    expect(m.parameterKey).toBe('k')
  })

  it.each([
    ['no trailing dot', 'Device.Table.Row'],
    ['a plain object', 'Device.Table.'],
    ['an instance', 'Device.Table.Row.1.'],
    ['a parameter', 'Device.Test.String'],
    ['an unknown path', 'Device.Nope.'],
    ['a fixed-instance table', 'Device.Table.Fixed.'],
    ['the root', ''],
    ['a template path', 'Device.Table.Row.{i}.'],
  ])('AddObject faults 9005 for %s and changes nothing', (_, name) => {
    const m = testModel()
    const before = m.toDefinition()
    expect(faultOf(() => m.addObject(name, 'never')).faultCode).toBe(9005)
    expect(m.toDefinition()).toEqual(before)
  })

  it.each([
    ['a missing instance', 'Device.Table.Row.9.'],
    ['no trailing dot', 'Device.Table.Row.1'],
    ['a table', 'Device.Table.Row.'],
    ['a plain object', 'Device.Test.'],
    ['a fixed instance', 'Device.Table.Fixed.1.'],
    ['a parameter', 'Device.Test.String'],
  ])('DeleteObject faults 9005 for %s and changes nothing', (_, name) => {
    const m = testModel()
    const before = m.toDefinition()
    expect(faultOf(() => m.deleteObject(name, 'never')).faultCode).toBe(9005)
    expect(m.toDefinition()).toEqual(before)
  })
})

describe('device-side changes', () => {
  it('records changes of parameters with passive or active notification, newest value, oldest first', () => {
    const m = testModel()
    const seen: string[] = []
    const off = m.onValueChange((c) => seen.push(`${c.parameter.name}=${c.parameter.value}`))
    m.set('Device.Test.Active', 'a2')
    m.set('Device.Test.Passive', 'p2')
    m.set('Device.Test.String', 'none')
    m.set('Device.Test.LightweightOnly', 'lw')
    m.set('Device.Test.Active', 'a3')
    m.set('Device.Test.Passive', 'p2')
    expect(seen).toEqual(['Device.Test.Active=a2', 'Device.Test.Passive=p2', 'Device.Test.Active=a3'])
    expect(m.pendingValueChanges()).toHaveLength(2)
    expect(m.takeValueChanges()).toEqual([
      { parameter: { name: 'Device.Test.Passive', value: 'p2', type: 'xsd:string' }, notification: 1, active: false },
      { parameter: { name: 'Device.Test.Active', value: 'a3', type: 'xsd:string' }, notification: 2, active: true },
    ])
    expect(m.takeValueChanges()).toEqual([])
    off()
    m.set('Device.Test.Active', 'a4')
    expect(seen).toHaveLength(3)
    m.set('Device.Test.Passive', 'quiet', { silent: true })
    expect(m.takeValueChanges().map((c) => c.parameter.name)).toEqual(['Device.Test.Active'])
  })

  it('converts typed values for the parameter type and validates them', () => {
    const m = testModel()
    m.set('Device.Test.Bool', true)
    m.set('Device.Test.ULong', 2n ** 64n - 1n)
    m.set('Device.Test.Time', new Date(Date.UTC(2026, 10, 25, 6)))
    m.set('Device.Test.Hex', new Uint8Array([1, 254]))
    m.set('Device.Test.B64', new Uint8Array([1, 2, 3]))
    m.set('Device.DeviceInfo.UpTime', 11)
    expect(m.get('Device.Test.Bool')).toBe('1')
    expect(m.get('Device.Test.ULong')).toBe('18446744073709551615')
    expect(m.get('Device.Test.Time')).toBe('2026-11-25T06:00:00Z')
    expect(m.get('Device.Test.Hex')).toBe('01FE')
    expect(m.get('Device.Test.B64')).toBe('AQID')
    expect(m.get('Device.DeviceInfo.UpTime')).toBe('11')
    expect(faultOf(() => m.set('Device.Test.UInt', -1)).faultCode).toBe(9007)
    expect(faultOf(() => m.set('Device.Test.Bool', 'maybe')).faultCode).toBe(9007)
    expect(faultOf(() => m.set('Device.Nope', 'x')).faultCode).toBe(9005)
  })

  it('forgets pending changes of deleted instances', () => {
    const m = createMemoryDataModel({
      parameters: { 'Device.T.{i}.V': { type: 'xsd:string', notification: 1 } },
      objects: { 'Device.T.': { writable: true } },
    })
    m.addObject('Device.T.', '')
    m.set('Device.T.1.V', 'x')
    m.deleteObject('Device.T.1.', '')
    expect(m.takeValueChanges()).toEqual([])
  })
})

describe('Inform helpers', () => {
  it('informParameters lists the forced Inform parameters present, plus forcedInform ones', () => {
    expect(testModel().informParameters().map((p) => p.name)).toEqual([
      'Device.DeviceInfo.Manufacturer',
      'Device.DeviceInfo.ManufacturerOUI',
      'Device.DeviceInfo.ProductClass',
      'Device.DeviceInfo.SerialNumber',
      'Device.DeviceInfo.SoftwareVersion',
      'Device.ManagementServer.ConnectionRequestURL',
      'Device.ManagementServer.ParameterKey',
      'Device.Test.Vendor',
    ])
  })

  it('deviceId reads DeviceInfo, overridden by the definition', () => {
    expect(testModel().deviceId()).toEqual({ manufacturer: 'ACME', oui: '0A1B2C', productClass: 'Box', serialNumber: 'SN-1' })
    const m = createMemoryDataModel({ parameters: { 'Device.DeviceInfo.SerialNumber': 'A' }, deviceId: { oui: 'FFFFFF' } })
    expect(m.deviceId()).toEqual({ manufacturer: '', oui: 'FFFFFF', productClass: '', serialNumber: 'A' })
  })
})

describe('definitions', () => {
  it('toDefinition round-trips, templates, counters and attributes included', () => {
    const m = testModel()
    m.addObject('Device.Table.Row.', 'k')
    m.deleteObject('Device.Table.Row.2.', 'k2')
    m.setParameterAttributes([{ name: 'Device.Test.Int', notificationChange: true, notification: 1, accessListChange: true, accessList: ['Subscriber'] }])
    const def = m.toDefinition()
    const copy = createMemoryDataModel(JSON.parse(JSON.stringify(def)))
    expect(copy.toDefinition()).toEqual(def)
    expect(copy.getParameterNames('', false)).toEqual(m.getParameterNames('', false))
    expect(copy.addObject('Device.Table.Row.', 'k').instanceNumber).toBe(3)
  })

  it('derives a template from existing instances when none is given', () => {
    const m = createMemoryDataModel({
      parameters: {
        'Device.T.1.Name': { type: 'xsd:string', value: 'eth0', writable: true },
        'Device.T.3.Name': { type: 'xsd:string', value: 'eth1', writable: true },
        'Device.T.3.Port': { type: 'xsd:unsignedInt', value: 80, writable: true, minimum: 1 },
      },
      objects: { 'Device.T.': { writable: true } },
    })
    expect(m.addObject('Device.T.', '').instanceNumber).toBe(4)
    expect(m.getParameterValues(['Device.T.4.'])).toEqual([
      { name: 'Device.T.4.Name', value: '', type: 'xsd:string' },
      { name: 'Device.T.4.Port', value: '1', type: 'xsd:unsignedInt' },
    ])
  })

  it('a writable object with no children is an empty table', () => {
    const m = createMemoryDataModel({ parameters: { 'Device.A': 'x' }, objects: { 'Device.Hosts.': { writable: true } } })
    expect(m.addObject('Device.Hosts.', '')).toEqual({ instanceNumber: 1, status: 0 })
    expect(m.getParameterNames('Device.Hosts.', false)).toEqual([
      { name: 'Device.Hosts.', writable: true },
      { name: 'Device.Hosts.1.', writable: true },
    ])
  })

  it('infers types of shorthand values and picks the root', () => {
    const m = createMemoryDataModel({
      parameters: { 'InternetGatewayDevice.A': true, 'InternetGatewayDevice.B': 7, 'InternetGatewayDevice.C': -7, 'Device.X': 'x' },
    })
    expect(m.root).toBe('InternetGatewayDevice.')
    expect(m.getParameterValues(['InternetGatewayDevice.']).map((p) => p.type)).toEqual(['xsd:boolean', 'xsd:unsignedInt', 'xsd:int'])
    expect(m.getParameterNames('', true).map((p) => p.name)).toEqual(['InternetGatewayDevice.', 'Device.'])
  })

  it.each([
    ['a parameter path with a trailing dot', { parameters: { 'Device.A.': 'x' } }],
    ['an object path without a trailing dot', { parameters: {}, objects: { 'Device.A': {} } }],
    ['an empty segment', { parameters: { 'Device..A': 'x' } }],
    ['a numeric root', { parameters: { '1.A': 'x' } }],
    ['an unknown type', { parameters: { 'Device.A': { type: 'xsd:duration' } } }],
    ['a vendor type', { parameters: { 'Device.A': { type: 'X_ACME_Type' } } }],
    ['an invalid value', { parameters: { 'Device.A': { type: 'xsd:unsignedInt', value: -1 } } }],
    ['a value outside the range', { parameters: { 'Device.A': { type: 'xsd:int', value: 5, maximum: 4 } } }],
    ['a notification outside 0–6', { parameters: { 'Device.A': { notification: 7 as 0 } } }],
    ['a name both parameter and object', { parameters: { 'Device.A': 'x', 'Device.A.B': 'y' } }],
    ['instances mixed with named children', { parameters: { 'Device.T.1.A': 'x', 'Device.T.B': 'y' } }],
    ['a null parameter', { parameters: { 'Device.A': null as unknown as string } }],
    ['no parameters', {} as { parameters: Record<string, string> }],
  ])('refuses %s with a ConfigError naming the definition', (_, def) => {
    expect(() => createMemoryDataModel(def)).toThrow(ConfigError)
    expect(() => createMemoryDataModel(def)).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: expect.stringMatching(/^definition/) }))
  })
})

describe('createSampleDeviceModel', () => {
  it('is a TR-181 device with the ManagementServer parameters and a NAT port-mapping table', () => {
    const m = createSampleDeviceModel({
      serialNumber: 'SN42',
      acsUrl: 'http://127.0.0.1:7547/',
      acsPassword: 'pw',
      connectionRequestUrl: 'http://127.0.0.1:7548/cr',
      periodicInformInterval: 60,
    })
    expect(m.root).toBe('Device.')
    expect(m.deviceId()).toEqual({ manufacturer: 'cwmp sample', oui: 'AABBCC', productClass: 'SampleGateway', serialNumber: 'SN42' })
    for (const name of [
      'URL',
      'Username',
      'Password',
      'PeriodicInformEnable',
      'PeriodicInformInterval',
      'PeriodicInformTime',
      'ConnectionRequestURL',
      'ConnectionRequestUsername',
      'ConnectionRequestPassword',
      'ParameterKey',
      'CWMPRetryMinimumWaitInterval',
      'CWMPRetryIntervalMultiplier',
    ]) {
      expect(m.has(`Device.ManagementServer.${name}`), name).toBe(true)
    }
    expect(m.get('Device.ManagementServer.PeriodicInformInterval')).toBe('60')
    expect(m.get('Device.ManagementServer.PeriodicInformTime')).toBe(UNKNOWN_TIME)
    expect(m.getParameterValues(['Device.ManagementServer.Password'])[0]?.value).toBe('')
    expect(m.getParameterNames('Device.WiFi.SSID.1.SSID', false)).toEqual([{ name: 'Device.WiFi.SSID.1.SSID', writable: true }])
    const { instanceNumber } = m.addObject('Device.NAT.PortMapping.', 'pm')
    m.setParameterValues([{ name: `Device.NAT.PortMapping.${instanceNumber}.ExternalPort`, value: '8080', type: 'xsd:unsignedInt' }], 'pm2')
    expect(m.get('Device.NAT.PortMappingNumberOfEntries')).toBe('1')
    expect(m.informParameters().map((p) => p.name)).toContain('Device.ManagementServer.ConnectionRequestURL')
    expect(faultOf(() => m.setParameterValues([{ name: 'Device.ManagementServer.PeriodicInformInterval', value: '0', type: 'xsd:unsignedInt' }], 'x')).parameterFaults?.[0]?.faultCode).toBe(9007)
    expect(faultOf(() => m.addObject('Device.WiFi.SSID.', 'x')).faultCode).toBe(9005)
  })

  it('sampleDeviceDefinition is plain JSON', () => {
    const def = sampleDeviceDefinition()
    expect(JSON.parse(JSON.stringify(def))).toEqual(def)
  })
})
