/**
 * HTTP Connection Requests from the simulator to a CPE (TR-069 §3.2.2): which URL and credentials
 * to use for a device (the options, else what the ACS learnt from its traffic), and one request
 * answering the CPE's Digest challenge, over a fresh transport each time.
 *
 * @module
 */

import { createConnectionRequestClient, type ConnectionRequestResult } from '../connreq/http.js'
import { createHttpTransport } from '../transport/http-client.js'
import type { AcsDeviceRecord, ConnectionRequestCredentials } from './device-registry.js'

/**
 * Options of {@link AcsSimulator.connectionRequest}.
 *
 * @category ACS simulator
 */
export interface AcsConnectionRequestOptions {
  /** URL; default the device's ConnectionRequestURL. */
  readonly url?: string
  /** Credentials; default from the simulator options, else what the ACS set. */
  readonly credentials?: ConnectionRequestCredentials
}

/**
 * The outcome of {@link AcsSimulator.connectionRequest}.
 *
 * @category ACS simulator
 */
export interface AcsConnectionRequestOutcome {
  /** `accepted` (200/204), `unauthorized`, `busy` (503) or `failed` (anything else, or no answer). */
  readonly result: ConnectionRequestResult
  /** The last HTTP status; undefined when no response came. */
  readonly status: number | undefined
  /** The URL used. */
  readonly url: string
  /** The transport error, when no response came. */
  readonly error?: unknown
}

/**
 * The simulator's `connectionRequest` option: one pair for all devices, or a lookup per device.
 *
 * @internal
 */
export type ConfiguredConnectionRequestCredentials =
  | ConnectionRequestCredentials
  | ((deviceKey: string) => ConnectionRequestCredentials | undefined)
  | undefined

/**
 * The credentials for a device's Connection Requests: the configured ones, else those the ACS set
 * with SetParameterValues (a missing half as the empty string), else none.
 *
 * @param configured - the simulator's `connectionRequest` option
 * @param deviceKey - the device key
 * @param device - what the simulator knows of the device
 * @internal
 */
export function connectionRequestCredentials(
  configured: ConfiguredConnectionRequestCredentials,
  deviceKey: string,
  device: Pick<AcsDeviceRecord, 'connectionRequestCredentials'> | undefined,
): ConnectionRequestCredentials | undefined {
  const fromOptions = typeof configured === 'function' ? configured(deviceKey) : configured
  if (fromOptions !== undefined) return fromOptions
  const set = device?.connectionRequestCredentials
  if (set?.username === undefined && set?.password === undefined) return undefined
  return { username: set.username ?? '', password: set.password ?? '' }
}

/**
 * Send one Connection Request: GET the URL, answer a Digest (or Basic) challenge, at most four
 * rounds; transport failures are an outcome, not an exception.
 *
 * @param url - the CPE's ConnectionRequestURL
 * @param credentials - its Connection Request credentials
 * @param timeoutMs - timeout of each HTTP exchange
 * @internal
 */
export async function sendConnectionRequest(
  url: string,
  credentials: ConnectionRequestCredentials,
  timeoutMs: number,
): Promise<AcsConnectionRequestOutcome> {
  const client = createConnectionRequestClient({ url, ...credentials })
  const transport = createHttpTransport({ timeoutMs })
  let status: number | undefined
  try {
    for (let round = 0; round < 4; round++) {
      const cr = client.request()
      const res = await transport.send({ method: cr.method, url: cr.url, headers: cr.headers, body: '' })
      status = res.status
      const step = client.handleResponse({ status: res.status, headers: res.headers })
      if (step.done) return { result: step.result, status: step.status, url }
    }
    return { result: 'failed', status, url }
  } catch (error) {
    return { result: 'failed', status, url, error }
  } finally {
    transport.close()
  }
}
