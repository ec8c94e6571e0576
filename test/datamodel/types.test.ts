// Type-level tests of the typed paths: checked by `tsc --noEmit` (npm test runs it; test/ is in the
// project). A misspelt path that compiled would leave its `@ts-expect-error` unused, which tsc
// reports as an error. The bodies of `typeOnly` blocks are never run: they hold calls that are
// wrong on purpose.
import { describe, expect, expectTypeOf, it } from 'vitest'
import * as tr098 from '../../src/datamodel/tr098.js'
import {
  getParameterValues,
  readParameterValues,
  setParameterValues,
  type TemplatePath,
  type Tr181Path,
  type Tr181Value,
  type Tr181WritablePath,
  type Tr181WriteValue,
} from '../../src/datamodel/tr181.js'
import type { DateTimeValue } from '../../src/values/convert.js'

/** Type-checked, never called. */
function typeOnly(_f: () => void): void {}

describe('TR-181 typed paths', () => {
  it('template paths: instance numbers become {i}, segment by segment', () => {
    expectTypeOf<TemplatePath<'Device.WiFi.SSID.12.SSID'>>().toEqualTypeOf<'Device.WiFi.SSID.{i}.SSID'>()
    expectTypeOf<TemplatePath<'Device.IP.Interface.1.IPv4Address.2.'>>().toEqualTypeOf<'Device.IP.Interface.{i}.IPv4Address.{i}.'>()
    expectTypeOf<TemplatePath<'Device.DeviceInfo.UpTime'>>().toEqualTypeOf<'Device.DeviceInfo.UpTime'>()
  })

  it('value types follow the definitions', () => {
    expectTypeOf<Tr181Value<'Device.WiFi.SSID.1.Enable'>>().toEqualTypeOf<boolean>()
    expectTypeOf<Tr181Value<'Device.WiFi.SSID.1.SSID'>>().toEqualTypeOf<string>()
    expectTypeOf<Tr181Value<'Device.DeviceInfo.UpTime'>>().toEqualTypeOf<number>()
    expectTypeOf<Tr181Value<'Device.WiFi.SSID.3.Stats.BytesSent'>>().toEqualTypeOf<bigint>()
    expectTypeOf<Tr181Value<'Device.ManagementServer.PeriodicInformTime'>>().toEqualTypeOf<DateTimeValue>()
    expectTypeOf<Tr181Value<'Device.UserInterface.ISPLogo'>>().toEqualTypeOf<Uint8Array>()
    expectTypeOf<Tr181Value<'Device.NAT.PortMapping.2.Protocol'>>().toEqualTypeOf<'TCP' | 'UDP'>()
    expectTypeOf<Tr181Value<'Device.WiFi.SSID.1.SSDI'>>().toBeNever()
    // Settable values: 64-bit integers take numbers too, dateTimes a Date, read-only enumeration values are left out.
    expectTypeOf<Tr181WriteValue<'Device.XMPP.Connection.1.KeepAliveInterval'>>().toEqualTypeOf<number | bigint>()
    expectTypeOf<Tr181WriteValue<'Device.ManagementServer.PeriodicInformTime'>>().toEqualTypeOf<Date | string>()
    expectTypeOf<Tr181WriteValue<'Device.IP.Diagnostics.IPPing.DiagnosticsState'>>().toEqualTypeOf<'Requested' | 'Canceled'>()
    expectTypeOf<Tr181WriteValue<'Device.DeviceInfo.UpTime'>>().toBeNever()
  })

  it('path unions hold the template forms', () => {
    expectTypeOf<'Device.WiFi.SSID.{i}.SSID'>().toExtend<Tr181Path>()
    expectTypeOf<'Device.WiFi.SSID.'>().toExtend<Tr181Path>()
    expectTypeOf<'Device.WiFi.SSID.{i}.SSID'>().toExtend<Tr181WritablePath>()
    expectTypeOf<'Device.DeviceInfo.UpTime'>().not.toExtend<Tr181WritablePath>()
  })

  it('getParameterValues takes known paths (parameters, objects, tables) and refuses misspelt ones', () => {
    const gpv = getParameterValues(['Device.WiFi.SSID.1.SSID', 'Device.DeviceInfo.', 'Device.WiFi.SSID.', 'Device.IP.Interface.2.IPv4Address.1.IPAddress'])
    expect(gpv.parameterNames).toHaveLength(4)
    typeOnly(() => {
      // @ts-expect-error misspelt parameter
      getParameterValues(['Device.WiFi.SSID.1.SSDI'])
      // @ts-expect-error misspelt object
      getParameterValues(['Device.DeviceInfo.', 'Device.WiFI.'])
      // @ts-expect-error a TR-098 path is not TR-181
      getParameterValues(['InternetGatewayDevice.DeviceInfo.UpTime'])
      // @ts-expect-error an instance number where the model has none
      getParameterValues(['Device.DeviceInfo.1.UpTime'])
      // @ts-expect-error a missing instance number
      getParameterValues(['Device.WiFi.SSID.SSID'])
    })
  })

  it('setParameterValues takes writable parameters with values of their types', () => {
    const spv = setParameterValues({
      'Device.WiFi.SSID.1.SSID': 'home',
      'Device.WiFi.SSID.2.Enable': true,
      'Device.ManagementServer.PeriodicInformInterval': 300,
      'Device.XMPP.Connection.1.KeepAliveInterval': 60n,
      'Device.ManagementServer.PeriodicInformTime': new Date(0),
      'Device.NAT.PortMapping.1.Protocol': 'UDP',
      'Device.IP.Diagnostics.IPPing.DiagnosticsState': 'Requested',
    })
    expect(spv.parameterList).toHaveLength(7)
    typeOnly(() => {
      // @ts-expect-error misspelt
      setParameterValues({ 'Device.WiFi.SSID.1.SSDI': 'home' })
      // @ts-expect-error read-only
      setParameterValues({ 'Device.DeviceInfo.UpTime': 5 })
      // @ts-expect-error a string for a boolean
      setParameterValues({ 'Device.WiFi.SSID.1.Enable': 'yes' })
      // @ts-expect-error a number for a string
      setParameterValues({ 'Device.WiFi.SSID.1.SSID': 5 })
      // @ts-expect-error not one of the enumeration
      setParameterValues({ 'Device.NAT.PortMapping.1.Protocol': 'ICMP' })
      // @ts-expect-error a read-only value of the enumeration
      setParameterValues({ 'Device.IP.Diagnostics.IPPing.DiagnosticsState': 'Complete' })
    })
  })

  it('readParameterValues types each requested parameter', () => {
    const values = readParameterValues({ parameterList: [] }, ['Device.WiFi.SSID.1.Enable', 'Device.DeviceInfo.UpTime', 'Device.WiFi.'])
    expectTypeOf(values).toEqualTypeOf<{
      readonly 'Device.WiFi.SSID.1.Enable'?: boolean
      readonly 'Device.DeviceInfo.UpTime'?: number
    }>()
    expect(values).toEqual({})
    typeOnly(() => {
      // @ts-expect-error misspelt
      readParameterValues({ parameterList: [] }, ['Device.DeviceInfo.UpTim'])
    })
  })
})

describe('TR-098 typed paths', () => {
  it('values and paths of InternetGatewayDevice:1', () => {
    expectTypeOf<tr098.Tr098Value<'InternetGatewayDevice.LANDevice.1.WLANConfiguration.2.Channel'>>().toEqualTypeOf<number>()
    expectTypeOf<tr098.Tr098Value<'Device.WiFi.SSID.1.SSID'>>().toBeNever()
    const spv = tr098.setParameterValues({
      'InternetGatewayDevice.LANDevice.1.WLANConfiguration.1.SSID': 'home',
      'InternetGatewayDevice.WANDevice.1.WANConnectionDevice.1.WANIPConnection.1.PortMapping.1.PortMappingProtocol': 'TCP',
    })
    expect(spv.parameterList.map((p) => p.type)).toEqual(['xsd:string', 'xsd:string'])
    typeOnly(() => {
      // @ts-expect-error a TR-181 path is not TR-098
      tr098.getParameterValues(['Device.WiFi.SSID.1.SSID'])
      // @ts-expect-error read-only
      tr098.setParameterValues({ 'InternetGatewayDevice.DeviceInfo.UpTime': 1 })
    })
  })
})
