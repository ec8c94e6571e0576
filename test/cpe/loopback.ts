/**
 * Helpers for the CPE client's loopback tests against the ACS simulator: simulators and clients
 * that are closed after each test, bounded waits, raw Connection Requests.
 */
import * as http from 'node:http'
import * as net from 'node:net'
import { afterEach } from 'vitest'
import {
  createAcsSimulator,
  createConnectionRequestClient,
  createCpeClient,
  createSampleDeviceModel,
  formatCpeUsername,
  type AcsSimulator,
  type AcsSimulatorOptions,
  type CpeClient,
  type CpeClientOptions,
  type Inform,
} from '../../src/index.js'
import { createHttpTransport } from '../../src/transport/http-client.js'

let cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

/** Run this after the test (clients first, then simulators: in reverse order of registration). */
export function after(fn: () => Promise<void> | void): void {
  cleanup.push(fn)
}

/** A simulator, closed after the test. */
export async function simulator(options: AcsSimulatorOptions = {}): Promise<AcsSimulator> {
  const sim = await createAcsSimulator(options)
  after(() => sim.close())
  return sim
}

/** The device key of the sample model with this serial number (the simulator's default key). */
export const sampleKey = (serialNumber: string): string => formatCpeUsername({ oui: 'AABBCC', productClass: 'SampleGateway', serialNumber })

/** A client on the sample model (or the given one), stopped after the test. */
export function client(options: Partial<CpeClientOptions> & Pick<CpeClientOptions, 'acsUrl'>): CpeClient {
  const c = createCpeClient({
    model: createSampleDeviceModel({ serialNumber: 'SNLOOP' }),
    random: () => 0,
    retry: { minimumWaitInterval: 1 },
    ...options,
  })
  after(() => c.stop())
  return c
}

/** Fails instead of hanging when a promise does not settle in time. */
export function within<T>(p: Promise<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms)
    }),
  ])
}

/** The ACS side of a Connection Request over real HTTP: GET, answer the Digest challenge. */
export async function sendConnectionRequest(url: string, username: string, password: string): Promise<number> {
  const crc = createConnectionRequestClient({ url, username, password })
  const transport = createHttpTransport({ timeoutMs: 5000 })
  try {
    for (;;) {
      const req = crc.request()
      const res = await transport.send({ ...req, body: '' })
      const step = crc.handleResponse(res)
      if (step.done) return step.status
    }
  } finally {
    transport.close()
  }
}

/** A bare GET, no credentials: its status, or the error code (e.g. ECONNREFUSED). */
export function bareGet(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: 5000 }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? 0))
    })
    req.on('timeout', () => req.destroy(new Error('timeout')))
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message))
  })
}

/** A TCP connection that sends nothing; resolves `closed` when the server closes it. */
export async function idleSocket(port: number, host: string): Promise<{ readonly closed: Promise<void>; destroy(): void }> {
  const socket = net.connect(port, host)
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  socket.on('error', () => undefined)
  after(() => {
    socket.destroy()
  })
  return { closed, destroy: () => socket.destroy() }
}

/** The Informs a simulator received, decoded, in order. */
export function informs(sim: AcsSimulator): Inform[] {
  return sim.messages.flatMap((m) => (m.direction === 'in' && m.message?.method === 'Inform' ? [m.message as Inform] : []))
}

/** The value of a parameter in an Inform. */
export const informValue = (inform: Inform | undefined, name: string): string | undefined =>
  inform?.parameterList.find((p) => p.name === name)?.value

/** A free TCP port on 127.0.0.1 (for a Connection Request port that must stay the same across restarts). */
export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as net.AddressInfo).port
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
