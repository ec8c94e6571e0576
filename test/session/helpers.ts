import type {
  AcsRequest,
  AcsResponse,
  CpeRequest,
  CpeResponse,
  Inform,
} from '../../src/index.js'

export const ACS_URL = 'http://acs.test/cwmp'

export function inform(events: readonly string[] = ['1 BOOT'], retryCount = 0): Inform {
  return {
    method: 'Inform',
    deviceId: { manufacturer: 'Acme', oui: '00D09E', productClass: 'Router', serialNumber: 'SN1' },
    event: events.map((eventCode) => ({ eventCode, commandKey: '' })),
    maxEnvelopes: 1,
    currentTime: '2026-11-25T06:00:00Z',
    retryCount,
    parameterList: [{ name: 'Device.DeviceInfo.SoftwareVersion', type: 'xsd:string', value: '1.0' }],
  }
}

/** One valid example of every request a CPE sends (other than Inform). */
export const CPE_REQUESTS: readonly CpeRequest[] = [
  { method: 'GetRPCMethods' },
  {
    method: 'TransferComplete',
    commandKey: 'dl1',
    faultStruct: { faultCode: 0, faultString: '' },
    startTime: '2026-11-25T06:00:00Z',
    completeTime: '2026-11-25T06:01:00Z',
  },
  {
    method: 'AutonomousTransferComplete',
    announceUrl: '',
    transferUrl: 'http://files.test/fw.bin',
    isDownload: true,
    fileType: '1 Firmware Upgrade Image',
    fileSize: 10,
    targetFileName: '',
    faultStruct: { faultCode: 0, faultString: '' },
    startTime: '2026-11-25T06:00:00Z',
    completeTime: '2026-11-25T06:01:00Z',
  },
  { method: 'Kicked', command: 'c', referer: 'r', arg: 'a', next: 'http://n.test/' },
  { method: 'RequestDownload', fileType: '1 Firmware Upgrade Image', fileTypeArg: [] },
]

/** The ACS response for a CPE request. */
export function acsResponseFor(req: CpeRequest): AcsResponse {
  switch (req.method) {
    case 'GetRPCMethods':
      return { method: 'GetRPCMethodsResponse', methodList: ['Inform', 'GetRPCMethods', 'TransferComplete'] }
    case 'Kicked':
      return { method: 'KickedResponse', nextUrl: 'http://next.test/' }
    default:
      return { method: `${req.method}Response` } as AcsResponse
  }
}

/** One valid example of requests an ACS sends. */
export const ACS_REQUESTS: readonly AcsRequest[] = [
  { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.'] },
  {
    method: 'SetParameterValues',
    parameterList: [{ name: 'Device.ManagementServer.PeriodicInformInterval', type: 'xsd:unsignedInt', value: '300' }],
    parameterKey: 'k1',
  },
  { method: 'GetParameterNames', parameterPath: 'Device.', nextLevel: true },
  { method: 'AddObject', objectName: 'Device.NAT.PortMapping.', parameterKey: 'k2' },
  { method: 'DeleteObject', objectName: 'Device.NAT.PortMapping.1.', parameterKey: 'k3' },
  { method: 'Reboot', commandKey: 'r1' },
  { method: 'GetRPCMethods' },
  { method: 'FactoryReset' },
  { method: 'ScheduleInform', delaySeconds: 5, commandKey: 's1' },
]

/** The CPE response for an ACS request. */
export function cpeResponseFor(req: AcsRequest): CpeResponse {
  switch (req.method) {
    case 'GetParameterValues':
      return {
        method: 'GetParameterValuesResponse',
        parameterList: [{ name: 'Device.DeviceInfo.SoftwareVersion', type: 'xsd:string', value: '1.0' }],
      }
    case 'SetParameterValues':
      return { method: 'SetParameterValuesResponse', status: 0 }
    case 'GetParameterNames':
      return { method: 'GetParameterNamesResponse', parameterList: [{ name: 'Device.DeviceInfo.', writable: false }] }
    case 'AddObject':
      return { method: 'AddObjectResponse', instanceNumber: 1, status: 0 }
    case 'DeleteObject':
      return { method: 'DeleteObjectResponse', status: 0 }
    case 'GetRPCMethods':
      return { method: 'GetRPCMethodsResponse', methodList: ['GetRPCMethods', 'GetParameterValues'] }
    default:
      return { method: `${req.method}Response` } as CpeResponse
  }
}
