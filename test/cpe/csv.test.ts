import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { createMemoryDataModel, parseDataModelCsv } from '../../src/index.js'

const SMALL_IGD = readFileSync(new URL('../../fixtures/data-models/small-igd.csv', import.meta.url), 'utf8')

describe('parseDataModelCsv (genieacs-sim format)', () => {
  it('loads the fixture: objects, typed parameters, quoted values, DeviceID rows; other roots are skipped', () => {
    const def = parseDataModelCsv(SMALL_IGD)
    expect(def.deviceId).toEqual({
      manufacturer: 'Example Networks, Inc.',
      oui: '0A1B2C',
      productClass: 'EX100',
      serialNumber: 'EX100-0001',
    })
    expect(Object.keys(def.parameters).some((k) => k.startsWith('Events.'))).toBe(false)
    const m = createMemoryDataModel(def)
    expect(m.root).toBe('InternetGatewayDevice.')
    expect(m.get('InternetGatewayDevice.DeviceInfo.Notes')).toBe('said "hello"')
    expect(m.getParameterValues(['InternetGatewayDevice.DeviceSummary'])[0]?.value).toBe(
      'InternetGatewayDevice:1.4[](Baseline:1, EthernetLAN:1)',
    )
    expect(m.getParameterValues(['InternetGatewayDevice.ManagementServer.PeriodicInformEnable'])).toEqual([
      { name: 'InternetGatewayDevice.ManagementServer.PeriodicInformEnable', value: '1', type: 'xsd:boolean' },
    ])
    expect(m.get('InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.Stats.EthernetBytesSent')).toBe(
      '18446744073709551615',
    )
    expect(m.deviceId().manufacturer).toBe('Example Networks, Inc.')
  })

  it('informParameters of a TR-098 model includes the WAN ExternalIPAddress', () => {
    const m = createMemoryDataModel(parseDataModelCsv(SMALL_IGD))
    expect(m.informParameters().map((p) => p.name)).toEqual([
      'InternetGatewayDevice.DeviceSummary',
      'InternetGatewayDevice.DeviceInfo.SpecVersion',
      'InternetGatewayDevice.DeviceInfo.Manufacturer',
      'InternetGatewayDevice.DeviceInfo.ManufacturerOUI',
      'InternetGatewayDevice.DeviceInfo.ProductClass',
      'InternetGatewayDevice.DeviceInfo.SerialNumber',
      'InternetGatewayDevice.DeviceInfo.HardwareVersion',
      'InternetGatewayDevice.DeviceInfo.SoftwareVersion',
      'InternetGatewayDevice.DeviceInfo.ProvisioningCode',
      'InternetGatewayDevice.ManagementServer.ConnectionRequestURL',
      'InternetGatewayDevice.ManagementServer.ParameterKey',
      'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.ExternalIPAddress',
    ])
  })

  it('writable object rows make tables: AddObject uses a template derived from the instances', () => {
    const m = createMemoryDataModel(parseDataModelCsv(SMALL_IGD))
    const table = 'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.'
    expect(m.getParameterNames(table, true)).toEqual([{ name: `${table}1.`, writable: true }])
    expect(m.addObject(table, 'k').instanceNumber).toBe(2)
    expect(m.getParameterValues([`${table}2.`])).toEqual([
      { name: `${table}2.Enable`, value: '0', type: 'xsd:boolean' },
      { name: `${table}2.ExternalIPAddress`, value: '', type: 'xsd:string' },
      { name: `${table}2.Stats.EthernetBytesSent`, value: '0', type: 'xsd:unsignedLong' },
    ])
    expect(m.get('InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnectionNumberOfEntries')).toBe('2')
    expect(m.addObject('InternetGatewayDevice.LANDevice.1.Hosts.X_0A1B2C_Blocked.', 'k').instanceNumber).toBe(1)
    expect(() => m.addObject('InternetGatewayDevice.WANDevice.', 'k')).toThrow(expect.objectContaining({ faultCode: 9005 }))
  })

  it('uses the GenieACS export columns Notification and Access list, and ignores the others', () => {
    const csv = [
      'Parameter,Object,Writable,Value,Value type,Timestamp,Value timestamp,Notification,Access list,Attributes timestamp',
      'Device,true,false,"",,2026-01-01T00:00:00.000Z,,,,',
      'Device.A,false,true,"x",xsd:string,2026-01-01T00:00:00.000Z,,2,Subscriber,',
      'Device.B,false,false,"7",xsd:unsignedInt,,,,,',
    ].join('\r\n')
    const m = createMemoryDataModel(parseDataModelCsv(csv))
    expect(m.getParameterAttributes(['Device.'])).toEqual([
      { name: 'Device.A', notification: 2, accessList: ['Subscriber'] },
      { name: 'Device.B', notification: 0, accessList: [] },
    ])
  })

  it('handles a BOM, CRLF, quoted newlines and doubled quotes, columns in any order, blank lines, {i} templates', () => {
    const csv =
      '\ufeffValue type,Value,Parameter,Writable,Object\r\n' +
      'xsd:string,"two\nlines",Device.Text,true,false\r\n\r\n' +
      ',,Device.T,true,true\r\n' +
      'xsd:int,"-3",Device.T.{i}.N,true,false\r\n'
    const m = createMemoryDataModel(parseDataModelCsv(csv))
    expect(m.get('Device.Text')).toBe('two\nlines')
    expect(m.addObject('Device.T.', '').instanceNumber).toBe(1)
    expect(m.get('Device.T.1.N')).toBe('-3')
  })

  it.each([
    ['an empty text', ''],
    ['a missing column', 'Parameter,Object,Writable,Value\nDevice.A,false,false,x'],
    ['an unterminated quote', 'Parameter,Object,Writable,Value,Value type\nDevice.A,false,false,"x,xsd:string'],
    ['a quote inside a field', 'Parameter,Object,Writable,Value,Value type\nDevice.A,false,false,x"y,xsd:string'],
    ['a bad boolean', 'Parameter,Object,Writable,Value,Value type\nDevice.A,false,maybe,x,xsd:string'],
    ['a bad notification', 'Parameter,Object,Writable,Value,Value type,Notification\nDevice.A,false,false,x,xsd:string,9'],
  ])('refuses %s with a SyntaxError', (_, csv) => {
    expect(() => parseDataModelCsv(csv)).toThrow(SyntaxError)
  })

  it('keeps other roots when asked', () => {
    const def = parseDataModelCsv('Parameter,Object,Writable,Value,Value type\nServices.A,false,false,x,', { roots: ['Services'] })
    expect(def.parameters).toEqual({ 'Services.A': { type: 'xsd:string', value: 'x', writable: false } })
  })
})
