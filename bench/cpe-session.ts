/**
 * The session-driving loop shared by the benches (load.ts, abuse.ts, handler-cpu.ts): one CPE
 * session over a transport, from the Inform to the end, the ACS's requests answered by a function.
 */
import {
  createCpeSession,
  formatDateTime,
  type AcsRequest,
  type CpeResponse,
  type Fault,
  type HttpRequest,
  type Inform,
  type Transport,
} from '../src/index.js'

/** What one session gave. */
export interface CpeSessionResult {
  /** Wall time from the first request to the end (ms). */
  readonly ms: number
  /** The session ended well (`end`), without an exception. */
  readonly ended: boolean
  /** Parameters in the last GetParameterValuesResponse sent (0 if none). */
  readonly values: number
}

/**
 * Drive one session: send, receive, answer each ACS request with `answer`, until it ends or fails.
 *
 * @param transport - with authentication and cookies composed in
 * @param url - the ACS URL
 * @param inform - the Inform that opens the session
 * @param answer - the CPE's answer to each ACS request
 */
export async function driveCpeSession(
  transport: Transport,
  url: string,
  inform: Inform,
  answer: (request: AcsRequest) => CpeResponse | Fault | Promise<CpeResponse | Fault>,
): Promise<CpeSessionResult> {
  const started = performance.now()
  const cpe = createCpeSession({ url, inform })
  let next: HttpRequest | undefined = cpe.start()
  let values = 0
  let ended = false
  try {
    while (next !== undefined) {
      const { step, send } = cpe.receive(await transport.send(next))
      if (step.type === 'request') {
        const response = await answer(step.request)
        if (response.method === 'GetParameterValuesResponse') values = response.parameterList.length
        next = cpe.respond(response)
      } else if (step.type === 'end') {
        ended = true
        next = undefined
      } else if (step.type === 'failed') {
        next = undefined
      } else {
        next = send
      }
    }
  } catch {
    ended = false
  }
  return { ms: performance.now() - started, ended, values }
}

/** A periodic Inform of a device with the given DeviceId and parameters. */
export function periodicInform(deviceId: Inform['deviceId'], parameterList: Inform['parameterList']): Inform {
  return {
    method: 'Inform',
    deviceId,
    event: [{ eventCode: '2 PERIODIC', commandKey: '' }],
    maxEnvelopes: 1,
    currentTime: formatDateTime(new Date()),
    retryCount: 0,
    parameterList,
  }
}

/** The load bench's device `index`: serial number `LOAD<index>`, user `AABBCC-SampleGateway-LOAD<index>`. */
export function loadDevice(index: number): { readonly serialNumber: string; readonly username: string; readonly password: string } {
  const serialNumber = `LOAD${String(index).padStart(6, '0')}`
  const username = `AABBCC-SampleGateway-${serialNumber}`
  return { serialNumber, username, password: `pw-${username}` }
}

/** The load bench's CPE answer: values for every name asked, no data model in the way. */
export function answerWithValues(request: AcsRequest): CpeResponse {
  if (request.method !== 'GetParameterValues') throw new Error(`unexpected ${request.method}`)
  return {
    method: 'GetParameterValuesResponse',
    parameterList: request.parameterNames.map((name, i) => ({ name, value: `value ${i}`, type: 'xsd:string' })),
  }
}

/**
 * One load-bench session: the device `index` informs, answers a GetParameterValues of `params`
 * names; ok when it ended well with that many values.
 */
export async function runCpeSession(transport: Transport, url: string, index: number, params: number): Promise<{ ms: number; ok: boolean }> {
  const { serialNumber } = loadDevice(index)
  const inform = periodicInform({ manufacturer: 'cwmp load', oui: 'AABBCC', productClass: 'SampleGateway', serialNumber }, [
    { name: 'Device.DeviceInfo.HardwareVersion', value: '1.0', type: 'xsd:string' },
    { name: 'Device.DeviceInfo.SoftwareVersion', value: '1.0.0', type: 'xsd:string' },
    { name: 'Device.DeviceInfo.ProvisioningCode', value: '', type: 'xsd:string' },
    { name: 'Device.ManagementServer.ConnectionRequestURL', value: `http://127.0.0.1:9/cr/${serialNumber}`, type: 'xsd:string' },
    { name: 'Device.ManagementServer.ParameterKey', value: '', type: 'xsd:string' },
    { name: 'Device.RootDataModelVersion', value: '2.15', type: 'xsd:string' },
  ])
  const r = await driveCpeSession(transport, url, inform, answerWithValues)
  return { ms: r.ms, ok: r.ended && r.values === params }
}
