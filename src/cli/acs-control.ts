/**
 * The control endpoint of `cwmp acs` (`--control PORT`): a small JSON API over HTTP on a second
 * port, loopback by default, to drive the running simulator from curl or a test script:
 *
 * | request | what |
 * |---|---|
 * | `GET /devices` | every device: key, DeviceId, last Inform, ConnectionRequestURL, open session, queued count |
 * | `GET /devices/ID` | one device, with its queued requests |
 * | `POST /devices/ID/queue` | queue a request (or a JSON array of them) for the device's next session |
 * | `POST /devices/ID/connection-request` | send it a Connection Request |
 * | `GET /sessions` | the sessions, oldest first (`?device=ID` for one device's) |
 *
 * `ID` is a device key (`OUI-ProductClass-SerialNumber`) or the serial number of a device that has
 * informed. Answers are JSON; errors are `{ "error": "…" }` with 400, 404, 405, 409 or 413.
 * Bodies are at most 1 MiB and requests have short deadlines: nothing waits unbounded on a client.
 *
 * @module
 */
import * as http from 'node:http'
import type { AcsSimulator } from '../acs/simulator.js'
import type { AcsDeviceRecord } from '../acs/device-registry.js'
import type { AcsSimulatorSession } from '../acs/session-registry.js'
import { ConfigError } from '../errors.js'
import { createHttpServerAdapter } from '../transport/http-server.js'
import { bodyText, type HttpRequest, type HttpResponse } from '../types/http.js'
import type { AcsRequest } from '../types/messages.js'
import { parseAcsRequest, queueAll } from './acs-script.js'

/** Largest control request body. */
const MAX_BODY_BYTES = 1024 * 1024

/**
 * Options of {@link startControl}.
 *
 * @internal
 */
export interface ControlOptions {
  /** The simulator to drive. */
  readonly simulator: AcsSimulator
  /** Address; `127.0.0.1` by default in `cwmp acs`. */
  readonly host: string
  /** Port; 0 for a free one. */
  readonly port: number
  /** Told of each Connection Request sent and each request queued (a status line). */
  readonly onAction: (text: string) => void
}

/**
 * A listening control endpoint.
 *
 * @internal
 */
export interface Control {
  /** `http://host:port/`. */
  readonly url: string
  /** Stop listening and close every connection. */
  close(): Promise<void>
}

const json = (status: number, value: unknown): HttpResponse => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: `${JSON.stringify(value, null, 2)}\n`,
})
const fail = (status: number, error: string, headers: Record<string, string> = {}): HttpResponse => {
  const r = json(status, { error })
  return { ...r, headers: { ...r.headers, ...headers } }
}

/** A device as the control endpoint shows it: no credentials. */
function deviceView(d: AcsDeviceRecord, queued: number | readonly AcsRequest[]): Record<string, unknown> {
  return {
    deviceKey: d.deviceKey,
    deviceId: d.deviceId,
    lastInform: new Date(d.lastInformAt).toISOString(),
    lastEvents: d.lastEvents,
    connectionRequestUrl: d.connectionRequestUrl ?? null,
    openSession: d.openSession ?? null,
    queued,
  }
}

/** A session as the control endpoint shows it: times as ISO strings. */
function sessionView(s: AcsSimulatorSession): Record<string, unknown> {
  return {
    sessionId: s.sessionId,
    deviceKey: s.deviceKey,
    serialNumber: s.deviceId.serialNumber,
    events: s.events,
    version: s.version,
    startedAt: new Date(s.startedAt).toISOString(),
    endedAt: s.endedAt === undefined ? null : new Date(s.endedAt).toISOString(),
    outcome: s.outcome,
    reason: s.reason ?? null,
    requests: s.requests,
  }
}

type Lookup = { readonly device: AcsDeviceRecord } | { readonly missing: true } | { readonly ambiguous: readonly string[] }

/** A device by key, else by serial number (unique among the known devices). */
async function lookup(sim: AcsSimulator, id: string): Promise<Lookup> {
  const byKey = await sim.device(id)
  if (byKey !== undefined) return { device: byKey }
  const matches = (await sim.devices()).filter((d) => d.deviceId.serialNumber === id)
  if (matches.length === 1 && matches[0] !== undefined) return { device: matches[0] }
  if (matches.length > 1) return { ambiguous: matches.map((d) => d.deviceKey) }
  return { missing: true }
}

/**
 * The control endpoint's whole-message handler (no sockets: tests call it directly too).
 *
 * @internal
 */
export function controlHandler(sim: AcsSimulator, onAction: (text: string) => void): (req: HttpRequest) => Promise<HttpResponse> {
  return async (req) => {
    const url = new URL(req.url, 'http://control.invalid')
    const parts = url.pathname.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p))
    const only = (method: string): HttpResponse | undefined =>
      req.method === method ? undefined : fail(405, `${req.method} ${url.pathname}: use ${method}`, { allow: method })

    if (parts.length === 1 && parts[0] === 'sessions') {
      const wrong = only('GET')
      if (wrong !== undefined) return wrong
      const id = url.searchParams.get('device')
      let sessions = sim.sessions()
      if (id !== null) {
        const found = await lookup(sim, id)
        const key = 'device' in found ? found.device.deviceKey : id
        sessions = sessions.filter((s) => s.deviceKey === key)
      }
      return json(200, sessions.map(sessionView))
    }
    if (parts[0] !== 'devices' || parts.length > 3) return fail(404, `no such resource: ${url.pathname} (see cwmp acs --help)`)
    if (parts.length === 1) {
      const wrong = only('GET')
      if (wrong !== undefined) return wrong
      const devices = await sim.devices()
      const views = []
      for (const d of devices) views.push(deviceView(d, (await sim.queued(d.deviceKey)).length))
      return json(200, views)
    }
    const id = parts[1] ?? ''
    const found = await lookup(sim, id)
    if ('ambiguous' in found) return fail(409, `serial number ${JSON.stringify(id)} names several devices: ${found.ambiguous.join(', ')}; use the device key`)
    const action = parts[2]

    if (action === undefined) {
      const wrong = only('GET')
      if (wrong !== undefined) return wrong
      if (!('device' in found)) return fail(404, `no device ${JSON.stringify(id)} has informed`)
      return json(200, deviceView(found.device, await sim.queued(found.device.deviceKey)))
    }
    if (action === 'queue') {
      const wrong = only('POST')
      if (wrong !== undefined) return wrong
      let body: unknown
      try {
        body = JSON.parse(bodyText(req.body))
      } catch (error) {
        return fail(400, `the body must be JSON: a request or an array of requests (${error instanceof Error ? error.message : String(error)})`)
      }
      let requests: AcsRequest[]
      try {
        requests = Array.isArray(body) ? body.map((r, i) => parseAcsRequest(r, `[${i}]`)) : [parseAcsRequest(body, 'body')]
      } catch (error) {
        return fail(400, error instanceof ConfigError ? error.message : String(error))
      }
      if (requests.length === 0) return fail(400, 'no request: the array is empty')
      // A device that has not informed yet is named by its device key: its requests wait for it.
      const deviceKey = 'device' in found ? found.device.deviceKey : id
      await queueAll(sim, deviceKey, requests)
      const queued = (await sim.queued(deviceKey)).length
      onAction(`queued ${requests.map((r) => r.method).join(', ')} for ${deviceKey}`)
      return json(202, { deviceKey, queued })
    }
    if (action === 'connection-request') {
      const wrong = only('POST')
      if (wrong !== undefined) return wrong
      if (!('device' in found)) return fail(404, `no device ${JSON.stringify(id)} has informed`)
      const deviceKey = found.device.deviceKey
      if (found.device.connectionRequestUrl === undefined || found.device.connectionRequestUrl === '') {
        return fail(409, `device ${deviceKey} has reported no ConnectionRequestURL`)
      }
      let outcome
      try {
        outcome = await sim.connectionRequest(deviceKey)
      } catch (error) {
        return fail(409, `no Connection Request sent to ${deviceKey}: ${error instanceof Error ? error.message : String(error)}`)
      }
      onAction(`Connection Request to ${deviceKey}: ${outcome.result}${outcome.status === undefined ? '' : ` (${outcome.status})`}`)
      return json(200, { deviceKey, result: outcome.result, status: outcome.status ?? null, url: outcome.url })
    }
    return fail(404, `no such resource: ${url.pathname} (see cwmp acs --help)`)
  }
}

/**
 * Listen for control requests.
 *
 * @param options - simulator, address
 * @throws Error when the port cannot be listened on
 * @internal
 */
export async function startControl(options: ControlOptions): Promise<Control> {
  const handler = controlHandler(options.simulator, options.onAction)
  const server = http.createServer(
    { requestTimeout: 10_000, headersTimeout: 5_000, keepAliveTimeout: 5_000 },
    createHttpServerAdapter(handler, { maxRequestBytes: MAX_BODY_BYTES }),
  )
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : options.port
  const host = options.host.includes(':') ? `[${options.host}]` : options.host
  return {
    url: `http://${host}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
