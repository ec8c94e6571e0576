// lookup / validate / children / xsdType over the shipped TR-181 and TR-098 tables.
import { describe, expect, it } from 'vitest'
import { CPE_FAULTS } from '../../src/types/catalogue.js'
import { checkValue } from '../../src/datamodel/check.js'
import { templatePath } from '../../src/datamodel/definitions.js'
import * as tr098 from '../../src/datamodel/tr098.js'
import * as tr181 from '../../src/datamodel/tr181.js'
import type { ValidationResult } from '../../src/datamodel/types.js'

function fault(r: ValidationResult): [number, string] | 'ok' {
  return r.ok ? 'ok' : [r.faultCode, r.reason]
}

describe('templatePath', () => {
  it.each([
    ['Device.WiFi.SSID.3.SSID', 'Device.WiFi.SSID.{i}.SSID'],
    ['Device.WiFi.SSID.3.', 'Device.WiFi.SSID.{i}.'],
    ['Device.IP.Interface.12.IPv4Address.1.IPAddress', 'Device.IP.Interface.{i}.IPv4Address.{i}.IPAddress'],
    ['Device.WiFi.SSID.{i}.SSID', 'Device.WiFi.SSID.{i}.SSID'],
    ['Device.DeviceInfo.UpTime', 'Device.DeviceInfo.UpTime'],
    // Not instance numbers: zero, leading zeros, signs, spaces.
    ['Device.WiFi.SSID.0.SSID', 'Device.WiFi.SSID.0.SSID'],
    ['Device.WiFi.SSID.03.SSID', 'Device.WiFi.SSID.03.SSID'],
    ['Device.WiFi.SSID.+3.SSID', 'Device.WiFi.SSID.+3.SSID'],
  ])('%s → %s', (path, template) => {
    expect(templatePath(path)).toBe(template)
  })
})

describe('lookup', () => {
  it('finds parameters, objects and tables from concrete or template paths', () => {
    expect(tr181.lookup('Device.WiFi.SSID.3.SSID')).toBe(tr181.lookup('Device.WiFi.SSID.{i}.SSID'))
    expect(tr181.lookup('Device.WiFi.SSID.3.')?.kind).toBe('object')
    expect(tr181.lookup('Device.WiFi.SSID.')?.kind).toBe('table')
    expect(tr181.lookup('Device.')?.kind).toBe('object')
  })

  it.each([
    'Device.WiFi.SSID.3.SSDI',
    'Device.WiFi.SSID.0.SSID',
    'Device.WiFi.SSID.03.SSID',
    'Device.WiFi.SSID.SSID',
    'Device.WiFi.SSID.3',
    'Device.DeviceInfo.UpTime.',
    'Device.DeviceInfo.1.UpTime',
    'InternetGatewayDevice.DeviceInfo.UpTime',
    '',
    '.',
    'Device..WiFi.',
    'Device.WiFi.SSID.3.SSID.',
  ])('%j is not in TR-181', (path) => {
    expect(tr181.lookup(path)).toBeUndefined()
  })

  it('answers undefined for what is not a string (from JavaScript callers), without throwing', () => {
    expect(tr181.lookup(undefined as unknown as string)).toBeUndefined()
    expect(tr181.lookup(42 as unknown as string)).toBeUndefined()
    expect(tr181.tr181.children(null as unknown as string)).toEqual([])
  })

  it('gives the same object for the same definition, frozen', () => {
    const d = tr181.lookup('Device.DeviceInfo.UpTime')
    expect(Object.isFrozen(d)).toBe(true)
    expect(Object.isFrozen(d?.kind === 'parameter' ? d.syntax : undefined)).toBe(true)
    expect(() => {
      ;(d as { writable: boolean }).writable = true
    }).toThrow(TypeError)
  })
})

describe('children (GetParameterNames NextLevel)', () => {
  it('lists an object’s parameters, its single objects and its tables', () => {
    const names = tr181.tr181.children('Device.WiFi.').map((c) => c.path)
    expect(names).toContain('Device.WiFi.SSIDNumberOfEntries')
    expect(names).toContain('Device.WiFi.SSID.')
    expect(names).toContain('Device.WiFi.Radio.')
    expect(names).toContain('Device.WiFi.DataElements.')
    expect(names).not.toContain('Device.WiFi.SSID.{i}.')
    expect(names.filter((n) => n.startsWith('Device.WiFi.SSID.{i}'))).toEqual([])
  })

  it('lists a table’s instance definition, and an instance’s members from a concrete path', () => {
    expect(tr181.tr181.children('Device.WiFi.SSID.').map((c) => c.path)).toEqual(['Device.WiFi.SSID.{i}.'])
    const members = tr181.tr181.children('Device.WiFi.SSID.2.').map((c) => c.path)
    expect(members).toContain('Device.WiFi.SSID.{i}.SSID')
    expect(members).toContain('Device.WiFi.SSID.{i}.Stats.')
  })

  it('lists the root for the empty path, nothing under a parameter or an unknown path', () => {
    expect(tr181.tr181.children('').map((c) => c.path)).toEqual(['Device.'])
    expect(tr181.tr181.children('Device.DeviceInfo.UpTime')).toEqual([])
    expect(tr181.tr181.children('Device.Nope.')).toEqual([])
  })

  it('keeps objects’ child names consistent with children()', () => {
    for (const o of tr181.tr181.objects()) {
      const listed = tr181.tr181.children(o.path)
      expect(listed.filter((c) => c.kind === 'parameter').map((c) => c.name)).toEqual(o.parameters)
      expect(listed.filter((c) => c.kind !== 'parameter').map((c) => c.name)).toEqual(o.objects)
    }
  })

  it('reaches every parameter from the root by children()', () => {
    const seen = new Set<string>()
    const walk = (path: string) => {
      for (const c of tr098.tr098.children(path)) {
        if (c.kind === 'parameter') seen.add(c.path)
        else walk(c.path)
      }
    }
    walk('')
    expect(seen.size).toBe(tr098.tr098.parameters().length)
  })
})

describe('validate: the fault a SetParameterValues entry deserves', () => {
  it.each([
    ['Device.WiFi.SSID.1.SSID', 'home', 'ok'],
    ['Device.WiFi.SSID.1.SSID', 'x'.repeat(32), 'ok'],
    ['Device.WiFi.SSID.1.SSID', 'x'.repeat(33), [9007, 'too-long']],
    // 32 characters of 2 UTF-16 units each: XSD lengths count characters.
    ['Device.WiFi.SSID.1.SSID', '😀'.repeat(32), 'ok'],
    ['Device.WiFi.SSID.1.SSDI', 'home', [9005, 'unknown-name']],
    ['Device.WiFi.SSID.1.', 'home', [9005, 'unknown-name']],
    ['Device.WiFi.SSID.1.Status', 'Up', [9008, 'not-writable']],
    ['Device.WiFi.SSID.1.Enable', 'true', 'ok'],
    ['Device.WiFi.SSID.1.Enable', '1', 'ok'],
    ['Device.WiFi.SSID.1.Enable', ' 0 ', 'ok'],
    ['Device.WiFi.SSID.1.Enable', 'yes', [9007, 'wrong-type']],
    ['Device.WiFi.Radio.1.Channel', '1', 'ok'],
    ['Device.WiFi.Radio.1.Channel', '255', 'ok'],
    ['Device.WiFi.Radio.1.Channel', '0', [9007, 'out-of-range']],
    ['Device.WiFi.Radio.1.Channel', '256', [9007, 'out-of-range']],
    ['Device.WiFi.Radio.1.Channel', '-1', [9007, 'out-of-range']],
    ['Device.WiFi.Radio.1.Channel', '4294967296', [9007, 'out-of-range']],
    ['Device.WiFi.Radio.1.Channel', '+6', [9007, 'wrong-type']],
    ['Device.WiFi.Radio.1.Channel', '6.0', [9007, 'wrong-type']],
    ['Device.WiFi.Radio.1.TransmitPower', '-1', 'ok'],
    ['Device.WiFi.Radio.1.TransmitPower', '-2', [9007, 'out-of-range']],
    ['Device.ManagementServer.PeriodicInformTime', '2026-01-01T00:00:00Z', 'ok'],
    ['Device.ManagementServer.PeriodicInformTime', '2026-02-30T00:00:00Z', [9007, 'wrong-type']],
    ['Device.NAT.PortMapping.1.Protocol', 'TCP', 'ok'],
    ['Device.NAT.PortMapping.1.Protocol', 'tcp', [9007, 'not-in-enumeration']],
    ['Device.IP.Diagnostics.IPPing.DiagnosticsState', 'Requested', 'ok'],
    ['Device.IP.Diagnostics.IPPing.DiagnosticsState', 'Complete', [9007, 'read-only-value']],
    ['Device.IP.Interface.1.IPv4Address.1.IPAddress', '192.168.1.1', 'ok'],
    ['Device.IP.Interface.1.IPv4Address.1.IPAddress', '', 'ok'],
    ['Device.IP.Interface.1.IPv4Address.1.IPAddress', '192.168.1.256', [9007, 'pattern-mismatch']],
    ['Device.IP.Interface.1.IPv4Address.1.IPAddress', '1111.168.1.25', [9007, 'pattern-mismatch']],
    ['Device.WiFi.AccessPoint.1.Security.KeyPassphrase', 'short', [9007, 'too-short']],
    ['Device.WiFi.AccessPoint.1.Security.KeyPassphrase', 'long enough', 'ok'],
    ['Device.UserInterface.TextColor', 'FF00aa', 'ok'],
    ['Device.UserInterface.TextColor', 'FF00', [9007, 'too-short']],
    ['Device.UserInterface.TextColor', 'FF00G0', [9007, 'wrong-type']],
    ['Device.UserInterface.ISPLogo', 'AAAA', 'ok'],
    ['Device.UserInterface.ISPLogo', 'AAA', [9007, 'wrong-type']],
    ['Device.XMPP.Connection.1.KeepAliveInterval', '-1', 'ok'],
    ['Device.XMPP.Connection.1.KeepAliveInterval', '9223372036854775807', 'ok'],
    ['Device.XMPP.Connection.1.KeepAliveInterval', '-2', [9007, 'out-of-range']],
    ['Device.WiFi.SSID.1.Alias', 'cpe-1', 'ok'],
    ['Device.ManagementServer.ConnReqAllowedJabberIDs', '', 'ok'],
    ['Device.ManagementServer.ConnReqAllowedJabberIDs', 'a@b/c, d@e/f', 'ok'],
    ['Device.ManagementServer.ConnReqAllowedJabberIDs', Array.from({ length: 33 }, (_, i) => `j${i}`).join(','), [9007, 'too-many-items']],
    ['Device.ManagementServer.ConnReqAllowedJabberIDs', `a,${'x'.repeat(257)}`, [9007, 'list-item-invalid']],
    ['Device.WiFi.SSID.1.LowerLayers', 'Device.WiFi.Radio.1.', 'ok'],
    ['Device.WiFi.SSID.1.LowerLayers', 'x'.repeat(1025), [9007, 'too-long']],
  ])('%s = %j → %j', (path, value, expected) => {
    expect(fault(tr181.validate(path, value))).toEqual(expected)
  })

  it('names the fault by the catalogue, with a message that names the parameter', () => {
    const r = tr181.validate('Device.WiFi.SSID.1.SSID', 'x'.repeat(40))
    expect(r).toMatchObject({ ok: false, fault: 'InvalidParameterValue', faultCode: CPE_FAULTS.InvalidParameterValue.code, reason: 'too-long' })
    expect(r.ok ? '' : r.message).toBe('Device.WiFi.SSID.1.SSID: 40 characters, at most 32 allowed')
    const ro = tr181.validate('Device.DeviceInfo.UpTime', '1')
    expect(ro).toMatchObject({ fault: 'NonWritableParameter', faultCode: CPE_FAULTS.NonWritableParameter.code })
    const unknown = tr181.validate('Device.Nope', '1')
    expect(unknown).toMatchObject({ fault: 'InvalidParameterName', faultCode: CPE_FAULTS.InvalidParameterName.code })
    expect(unknown.ok ? undefined : unknown.definition).toBeUndefined()
  })

  it('does not echo a long value whole in the message', () => {
    const r = tr181.validate('Device.WiFi.SSID.1.Enable', 'y'.repeat(10_000))
    expect(r.ok ? '' : r.message.length).toBeLessThan(200)
  })

  it('tells which list item is wrong', () => {
    const r = tr181.validate('Device.ManagementServer.ConnReqAllowedJabberIDs', `a, b, ${'x'.repeat(300)}`)
    expect(r.ok ? undefined : r.problem).toMatchObject({ reason: 'list-item-invalid', item: 2, itemProblem: { reason: 'too-long' } })
  })

  it('checks TR-098 values against TR-098 facets', () => {
    expect(fault(tr098.validate('InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.Channel', '0'))).toBe('ok')
    expect(fault(tr098.validate('InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.Channel', '256'))).toEqual([9007, 'out-of-range'])
    expect(fault(tr098.validate('InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.BeaconType', 'WPA'))).toBe('ok')
    expect(fault(tr098.validate('InternetGatewayDevice.DeviceInfo.UpTime', '5'))).toEqual([9008, 'not-writable'])
    expect(fault(tr098.validate('Device.WiFi.SSID.1.SSID', 'x'))).toEqual([9005, 'unknown-name'])
  })

  it('refuses a value that is not a string (JavaScript callers) as wrong-type, without throwing', () => {
    expect(fault(tr181.validate('Device.WiFi.SSID.1.SSID', 5 as unknown as string))).toEqual([9007, 'wrong-type'])
  })
})

describe('checkValue: lists, nested lists, steps, several ranges and sizes', () => {
  const def = (path: string) => {
    const d = tr181.tr181.parameter(path)
    if (d === undefined) throw new Error(path)
    return d.syntax
  }

  it('nested lists in brackets (nestedBrackets="required")', () => {
    const uer = def('Device.DSL.Diagnostics.SELTUER.UER')
    expect(checkValue(uer, '[1,2],[3,-4]')).toBeUndefined()
    expect(checkValue(uer, '[1, 2], [3, 4]')).toBeUndefined()
    expect(checkValue(uer, '')).toMatchObject({ reason: 'too-few-items' })
    expect(checkValue(uer, '[1,2,3]')).toMatchObject({ reason: 'list-item-invalid', itemProblem: { reason: 'too-many-items' } })
    expect(checkValue(uer, '1,2')).toMatchObject({ reason: 'list-item-invalid', itemProblem: { reason: 'wrong-type' } })
    expect(checkValue(uer, '[1,2')).toMatchObject({ reason: 'list-item-invalid' })
    expect(checkValue(uer, '[1,2]],[3,4')).toMatchObject({ reason: 'wrong-type' })
    expect(checkValue(uer, '[1,x]')).toMatchObject({ reason: 'list-item-invalid', itemProblem: { reason: 'list-item-invalid' } })
  })

  it('steps count from minInclusive', () => {
    const level = def('Device.Optical.Interface.{i}.OpticalSignalLevel') // -65536..65534 step 2
    expect(checkValue(level, '-65536')).toBeUndefined()
    expect(checkValue(level, '0')).toBeUndefined()
    expect(checkValue(level, '-65535')).toMatchObject({ reason: 'out-of-range' })
    expect(checkValue(level, '65535')).toMatchObject({ reason: 'out-of-range' })
  })

  it('several ranges: one must hold', () => {
    const upbo = def('Device.DSL.Line.{i}.UPBOKLEPb') // list of 0..1280 or 2047
    expect(checkValue(upbo, '0,1280,2047')).toBeUndefined()
    expect(checkValue(upbo, '1281')).toMatchObject({ reason: 'list-item-invalid', itemProblem: { reason: 'out-of-range' } })
    expect(checkValue(upbo, '2046')).toMatchObject({ reason: 'list-item-invalid' })
  })

  it('several sizes: one must hold', () => {
    const code = def('Device.DOCSIS.Interface.{i}.ConnectivityStatus.StatusCode') // 0..0 or 5..7
    expect(checkValue(code, '')).toBeUndefined()
    expect(checkValue(code, 'abcde')).toBeUndefined()
    expect(checkValue(code, 'abcd')).toMatchObject({ reason: 'too-short' })
    expect(checkValue(code, 'abcdefgh')).toMatchObject({ reason: 'too-long' })
  })

  it('read-only enumeration values are values when read, refused only when set', () => {
    const state = def('Device.IP.Diagnostics.IPPing.DiagnosticsState')
    expect(checkValue(state, 'Complete')).toBeUndefined()
    expect(checkValue(state, 'Complete', { setting: true })).toMatchObject({ reason: 'read-only-value' })
  })

  it('decimals', () => {
    const d = def('Device.IP.Diagnostics.IPLayerCapacityMetrics.MaxIPLayerCapacity')
    expect(checkValue(d, '12.5')).toBeUndefined()
    expect(checkValue(d, '1e3')).toMatchObject({ reason: 'wrong-type' })
  })
})

describe('xsdType and the typed request builders', () => {
  it('gives the xsi:type to send', () => {
    expect(tr181.xsdType('Device.DeviceInfo.UpTime')).toBe('xsd:unsignedInt')
    expect(tr181.xsdType('Device.WiFi.SSID.7.Stats.BytesSent')).toBe('xsd:unsignedLong')
    expect(tr181.xsdType('Device.DeviceInfo.DeviceCategory')).toBe('xsd:string')
    expect(tr181.xsdType('Device.UserInterface.ISPLogo')).toBe('xsd:base64Binary')
    expect(tr181.xsdType('Device.WiFi.')).toBeUndefined()
    expect(tr098.xsdType('InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.Channel')).toBe('xsd:unsignedInt')
  })

  it('setParameterValues writes each value with the definition’s type', () => {
    const spv = tr181.setParameterValues(
      {
        'Device.ManagementServer.PeriodicInformInterval': 300,
        'Device.ManagementServer.PeriodicInformEnable': true,
        'Device.WiFi.SSID.1.SSID': 'home',
        'Device.XMPP.Connection.1.KeepAliveInterval': 60n,
        'Device.ManagementServer.PeriodicInformTime': new Date(Date.UTC(2026, 0, 1)),
        'Device.UserInterface.TextColor': new Uint8Array([255, 0, 170]),
        'Device.WiFi.Radio.1.TransmitPower': -1,
      },
      { parameterKey: 'k1' },
    )
    expect(spv).toEqual({
      method: 'SetParameterValues',
      parameterKey: 'k1',
      parameterList: [
        { name: 'Device.ManagementServer.PeriodicInformInterval', type: 'xsd:unsignedInt', value: '300' },
        { name: 'Device.ManagementServer.PeriodicInformEnable', type: 'xsd:boolean', value: '1' },
        { name: 'Device.WiFi.SSID.1.SSID', type: 'xsd:string', value: 'home' },
        { name: 'Device.XMPP.Connection.1.KeepAliveInterval', type: 'xsd:long', value: '60' },
        { name: 'Device.ManagementServer.PeriodicInformTime', type: 'xsd:dateTime', value: '2026-01-01T00:00:00Z' },
        { name: 'Device.UserInterface.TextColor', type: 'xsd:hexBinary', value: 'FF00AA' },
        { name: 'Device.WiFi.Radio.1.TransmitPower', type: 'xsd:int', value: '-1' },
      ],
    })
  })

  it('setParameterValues refuses a value its xsd type cannot hold (EncodeError), and does not check facets', () => {
    expect(() => tr181.setParameterValues({ 'Device.WiFi.Radio.1.Channel': -5 })).toThrow(/out of range for xsd:unsignedInt/)
    // 999 is outside Channel's 1..255, but an ACS test may want to send it.
    expect(tr181.setParameterValues({ 'Device.WiFi.Radio.1.Channel': 999 }).parameterList[0]?.value).toBe('999')
  })

  it('getParameterValues builds the request; readParameterValues types the answer by the definitions', () => {
    const gpv = tr181.getParameterValues(['Device.DeviceInfo.UpTime', 'Device.WiFi.SSID.1.Enable', 'Device.WiFi.'])
    expect(gpv).toEqual({ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime', 'Device.WiFi.SSID.1.Enable', 'Device.WiFi.'] })
    const values = tr181.readParameterValues(
      {
        parameterList: [
          { name: 'Device.DeviceInfo.UpTime', type: 'xsd:string', value: '42' },
          { name: 'Device.WiFi.SSID.1.Enable', type: 'xsd:boolean', value: 'true' },
          { name: 'Device.WiFi.SSID.1.Stats.BytesSent', type: 'xsd:unsignedLong', value: '18446744073709551615' },
          { name: 'Device.Nope', type: 'xsd:string', value: 'x' },
        ],
      },
      ['Device.DeviceInfo.UpTime', 'Device.WiFi.SSID.1.Enable', 'Device.WiFi.SSID.1.Stats.BytesSent', 'Device.WiFi.SSID.1.SSID'],
    )
    expect(values).toEqual({
      'Device.DeviceInfo.UpTime': 42,
      'Device.WiFi.SSID.1.Enable': true,
      'Device.WiFi.SSID.1.Stats.BytesSent': 18446744073709551615n,
    })
  })

  it('readParameterValues throws a coded DecodeError naming the parameter when the CPE sends a bad value', () => {
    expect(() =>
      tr181.readParameterValues({ parameterList: [{ name: 'Device.DeviceInfo.UpTime', type: 'xsd:unsignedInt', value: 'soon' }] }, ['Device.DeviceInfo.UpTime']),
    ).toThrow(expect.objectContaining({ code: 'ERR_CWMP_ARGUMENT_INVALID', message: expect.stringContaining('Device.DeviceInfo.UpTime') }))
  })
})
