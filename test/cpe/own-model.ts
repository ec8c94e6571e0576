/**
 * A firmware engineer's own data model, written against the DataModel interface alone (no memory
 * model): about ten parameters of a router, without any ManagementServer parameter, for either root.
 */
import { DataModelFault, type DataModel, type Notification, type ParameterInfoStruct, type ParameterValueStruct } from '../../src/index.js'

interface Param {
  value: string
  readonly type: string
  readonly writable: boolean
  notification: Notification
  accessList: string[]
}

export interface OwnModel extends DataModel {
  /** The device changes a value itself (not the ACS); the listener is told the name. */
  change(name: string, value: string): void
  onChange(listener: (name: string) => void): void
  value(name: string): string | undefined
  /** Every call, by method. */
  readonly calls: string[]
}

export function createOwnModel(root: 'Device.' | 'InternetGatewayDevice.' = 'Device.', serialNumber = 'OWN-0001'): OwnModel {
  const r = root
  const p = (value: string, type = 'xsd:string', writable = false, notification: Notification = 0): Param => ({ value, type, writable, notification, accessList: [] })
  const params = new Map<string, Param>([
    [`${r}DeviceInfo.Manufacturer`, p('Own Routers')],
    [`${r}DeviceInfo.ManufacturerOUI`, p('00A0C9')],
    [`${r}DeviceInfo.ProductClass`, p('OR-1')],
    [`${r}DeviceInfo.SerialNumber`, p(serialNumber)],
    [`${r}DeviceInfo.SoftwareVersion`, p('4.2.0')],
    [`${r}DeviceInfo.UpTime`, p('17', 'xsd:unsignedInt')],
    [`${r}LANDevice.IPAddress`, p('192.168.1.1', 'xsd:string', true)],
    [`${r}WiFi.SSID`, p('own-wifi', 'xsd:string', true)],
    [`${r}WiFi.Enable`, p('1', 'xsd:boolean', true)],
    [`${r}Time.NTPServer1`, p('pool.ntp.org', 'xsd:string', true)],
  ])
  let listener: ((name: string) => void) | undefined
  const calls: string[] = []
  const fault9005 = (name: string) => new DataModelFault(9005, `Invalid parameter name: ${name}`)
  const expand = (name: string): string[] => {
    if (name === '' || name.endsWith('.')) {
      const below = [...params.keys()].filter((k) => k.startsWith(name))
      if (below.length === 0) throw fault9005(name)
      return below
    }
    if (!params.has(name)) throw fault9005(name)
    return [name]
  }
  const objectsOf = (names: readonly string[]): string[] => {
    const out = new Set<string>()
    for (const n of names) {
      const parts = n.split('.')
      for (let i = 1; i < parts.length; i++) out.add(`${parts.slice(0, i).join('.')}.`)
    }
    return [...out]
  }
  return {
    calls,
    getParameterValues(names) {
      calls.push('getParameterValues')
      return names.flatMap(expand).map((n): ParameterValueStruct => ({ name: n, value: (params.get(n) as Param).value, type: (params.get(n) as Param).type }))
    },
    setParameterValues(list) {
      calls.push('setParameterValues')
      const faults = list.flatMap((item) => {
        const param = params.get(item.name)
        if (param === undefined) return [{ parameterName: item.name, faultCode: 9005, faultString: 'Invalid parameter name' }]
        if (!param.writable) return [{ parameterName: item.name, faultCode: 9008, faultString: 'Attempt to set a non-writable parameter' }]
        if (param.type === 'xsd:boolean' && !['0', '1', 'true', 'false'].includes(item.value)) {
          return [{ parameterName: item.name, faultCode: 9007, faultString: 'Invalid parameter value' }]
        }
        return []
      })
      if (faults.length > 0) throw DataModelFault.forParameters(faults)
      for (const item of list) (params.get(item.name) as Param).value = item.value
      return 0
    },
    getParameterNames(path, nextLevel) {
      calls.push('getParameterNames')
      if (path !== '' && !path.endsWith('.')) {
        const param = params.get(path)
        if (param === undefined) throw fault9005(path)
        if (nextLevel) throw new DataModelFault(9003)
        return [{ name: path, writable: param.writable }]
      }
      const names = expand(path)
      const objects = objectsOf(names).filter((o) => o.startsWith(path) && o !== path)
      const all: ParameterInfoStruct[] = [
        ...(path === '' ? [] : [{ name: path, writable: false }]),
        ...objects.map((o) => ({ name: o, writable: false })),
        ...names.map((n) => ({ name: n, writable: (params.get(n) as Param).writable })),
      ]
      if (!nextLevel) return all
      const depth = path === '' ? 0 : path.split('.').length - 1
      return all.filter((e) => e.name !== path && e.name.replace(/\.$/, '').split('.').length === depth + 1)
    },
    getParameterAttributes(names) {
      calls.push('getParameterAttributes')
      return names.flatMap(expand).map((n) => ({ name: n, notification: (params.get(n) as Param).notification, accessList: [...(params.get(n) as Param).accessList] }))
    },
    setParameterAttributes(list) {
      calls.push('setParameterAttributes')
      const plan = list.map((item) => ({ item, names: expand(item.name) }))
      for (const { item, names } of plan) {
        for (const n of names) {
          const param = params.get(n) as Param
          if (item.notificationChange) param.notification = item.notification
          if (item.accessListChange) param.accessList = [...item.accessList]
        }
      }
    },
    addObject(name) {
      calls.push('addObject')
      throw fault9005(name)
    },
    deleteObject(name) {
      calls.push('deleteObject')
      throw fault9005(name)
    },
    change(name, value) {
      const param = params.get(name)
      if (param === undefined) throw fault9005(name)
      if (param.value === value) return
      param.value = value
      listener?.(name)
    },
    onChange(l) {
      listener = l
    },
    value: (name) => params.get(name)?.value,
  }
}
