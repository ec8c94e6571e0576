/**
 * The default answers to CPE requests, and the choice of Connection Request credentials: both pure.
 */
import { describe, expect, it } from 'vitest'
import { connectionRequestCredentials } from '../../src/acs/connection-requests.js'
import { ACS_METHODS, defaultAcsResponse, responseMethodOf, type AcsDeviceRecord, type CpeOwnRequest } from '../../src/index.js'

/** One request of every method a CPE may send in a session (all but Inform). */
const REQUESTS: readonly CpeOwnRequest[] = [
  { method: 'GetRPCMethods' },
  { method: 'Kicked', command: 'c', referer: 'r', arg: 'a', next: 'http://next.test/' },
  {
    method: 'TransferComplete',
    commandKey: 'k',
    faultStruct: { faultCode: 0, faultString: '' },
    startTime: '2026-01-01T00:00:00Z',
    completeTime: '2026-01-01T00:01:00Z',
  },
  {
    method: 'AutonomousTransferComplete',
    announceUrl: '',
    transferUrl: 'http://x/',
    isDownload: true,
    fileType: '1 Firmware Upgrade Image',
    fileSize: 1,
    targetFileName: '',
    faultStruct: { faultCode: 0, faultString: '' },
    startTime: '2026-01-01T00:00:00Z',
    completeTime: '2026-01-01T00:01:00Z',
  },
  { method: 'RequestDownload', fileType: '1 Firmware Upgrade Image', fileTypeArg: [] },
  { method: 'DUStateChangeComplete', results: [], commandKey: '' },
  { method: 'AutonomousDUStateChangeComplete', results: [] },
]

describe('defaultAcsResponse', () => {
  it('answers every CPE request (all the ACS methods but Inform) with its own response', () => {
    expect(REQUESTS.map((r) => r.method).sort()).toEqual(ACS_METHODS.filter((m) => m !== 'Inform').sort())
    for (const request of REQUESTS) expect(defaultAcsResponse(request).method).toBe(responseMethodOf(request.method))
  })

  it('lists the ACS methods for GetRPCMethods and sends Kicked’s next URL back', () => {
    expect(defaultAcsResponse({ method: 'GetRPCMethods' })).toEqual({ method: 'GetRPCMethodsResponse', methodList: ACS_METHODS })
    expect(defaultAcsResponse(REQUESTS[1] as CpeOwnRequest)).toEqual({ method: 'KickedResponse', nextUrl: 'http://next.test/' })
    expect(defaultAcsResponse(REQUESTS[2] as CpeOwnRequest)).toEqual({ method: 'TransferCompleteResponse' })
  })
})

describe('Connection Request credentials', () => {
  const device = (set: AcsDeviceRecord['connectionRequestCredentials']): Pick<AcsDeviceRecord, 'connectionRequestCredentials'> => ({
    connectionRequestCredentials: set,
  })

  it('the configured pair or lookup first, then what the ACS set (a missing half empty), else none', () => {
    const pair = { username: 'acs', password: 'pw' }
    expect(connectionRequestCredentials(pair, 'd', device({ username: 'x' }))).toBe(pair)
    expect(connectionRequestCredentials((k) => (k === 'd' ? pair : undefined), 'd', undefined)).toBe(pair)
    expect(connectionRequestCredentials(() => undefined, 'd', device({ password: 'set' }))).toEqual({ username: '', password: 'set' })
    expect(connectionRequestCredentials(undefined, 'd', device({ username: 'u', password: 'p' }))).toEqual({ username: 'u', password: 'p' })
    expect(connectionRequestCredentials(undefined, 'd', device({}))).toBeUndefined()
    expect(connectionRequestCredentials(undefined, 'd', undefined)).toBeUndefined()
  })
})
