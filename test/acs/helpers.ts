/**
 * Test CPEs for the ACS simulator tests, built from the library's parts directly (not the CPE
 * client): createCpeSession + createHttpTransport + withCookies + withAuth + createCpeRpcHandler
 * over createSampleDeviceModel.
 */
import * as net from 'node:net'
import {
  composeTransport,
  createCpeRpcHandler,
  createCpeSession,
  createHttpTransport,
  createSampleDeviceModel,
  defaultDeviceKey,
  formatDateTime,
  withAuth,
  withCookies,
  type AcsRequest,
  type AcsSimulator,
  type AuthMiddleware,
  type CookieMiddleware,
  type CpeRequest,
  type CpeSession,
  type CpeSessionStep,
  type CwmpVersion,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type Inform,
  type MemoryDataModel,
  type Transport,
} from '../../src/index.js'

export interface TestCpeOptions {
  /** The ACS URL. */
  readonly url: string
  readonly serialNumber?: string
  /** Digest/Basic credentials for the ACS. */
  readonly username?: string
  readonly password?: string
  readonly connectionRequestUrl?: string
  readonly versions?: readonly CwmpVersion[]
  readonly informVersion?: CwmpVersion
  /** The SessionTimeout header (seconds). */
  readonly sessionTimeout?: number
  /** Replaces the HTTP transport under the middleware (e.g. a load balancer). */
  readonly base?: Transport
}

export interface SessionRun {
  readonly events: readonly CpeSessionStep[]
  readonly outcome: 'end' | 'failed'
  readonly failure?: Extract<CpeSessionStep, { type: 'failed' }>
  /** ACS requests the CPE received, in order. */
  readonly requests: readonly AcsRequest[]
}

export interface CpeDriver {
  readonly session: CpeSession
  /** Send the next request and process its response; false once the session is over. */
  step(): Promise<boolean>
  /** Run to the end. */
  run(): Promise<SessionRun>
  result(): SessionRun
}

export interface TestCpe {
  readonly model: MemoryDataModel
  readonly deviceKey: string
  readonly http: HttpTransport
  readonly cookies: CookieMiddleware
  readonly auth: AuthMiddleware | undefined
  readonly transport: Transport
  inform(events: readonly string[], commandKeys?: Readonly<Record<string, string>>): Inform
  /** A session driven one HTTP round trip at a time. */
  driver(events?: readonly string[], options?: { readonly requests?: readonly CpeRequest[] }): CpeDriver
  /** A whole session. */
  run(events?: readonly string[], options?: { readonly requests?: readonly CpeRequest[] }): Promise<SessionRun>
  close(): void
}

const open = new Set<TestCpe>()

export function createTestCpe(options: TestCpeOptions): TestCpe {
  const model = createSampleDeviceModel({
    serialNumber: options.serialNumber ?? 'CWMP000001',
    acsUrl: options.url,
    ...(options.connectionRequestUrl === undefined ? {} : { connectionRequestUrl: options.connectionRequestUrl }),
  })
  const http = createHttpTransport({ timeoutMs: 20_000 })
  const cookies = withCookies()
  const auth =
    options.username === undefined || options.password === undefined
      ? undefined
      : withAuth({ username: options.username, password: options.password, basicOverHttp: true })
  const base = options.base ?? http
  const transport = auth === undefined ? composeTransport(base, cookies) : composeTransport(base, auth, cookies)
  const handler = createCpeRpcHandler({ model, hooks: { reboot: () => undefined } })

  const inform = (events: readonly string[], commandKeys: Readonly<Record<string, string>> = {}): Inform => ({
    method: 'Inform',
    deviceId: model.deviceId(),
    event: events.map((eventCode) => ({ eventCode, commandKey: commandKeys[eventCode] ?? '' })),
    maxEnvelopes: 1,
    currentTime: formatDateTime(new Date()),
    retryCount: 0,
    parameterList: model.informParameters(),
  })

  const driver = (events: readonly string[] = ['1 BOOT'], opts: { readonly requests?: readonly CpeRequest[] } = {}): CpeDriver => {
    const session = createCpeSession({
      url: options.url,
      inform: inform(events),
      ...(options.versions === undefined ? {} : { versions: options.versions }),
      ...(options.informVersion === undefined ? {} : { informVersion: options.informVersion }),
      ...(options.sessionTimeout === undefined ? {} : { sessionTimeout: options.sessionTimeout }),
      ...(opts.requests === undefined ? {} : { requests: opts.requests }),
    })
    const seen: CpeSessionStep[] = []
    const requests: AcsRequest[] = []
    let next: HttpRequest | undefined
    let started = false
    let done = false
    const finish = (): void => {
      done = true
      cookies.jar.clear()
      auth?.reset()
      http.close()
    }
    const step = async (): Promise<boolean> => {
      if (done) return false
      if (!started) {
        started = true
        next = session.start()
      }
      if (next === undefined) {
        finish()
        return false
      }
      let res: HttpResponse
      try {
        res = await transport.send(next)
      } catch (err) {
        seen.push(session.fail('transport', err instanceof Error ? err.message : String(err)).step)
        finish()
        return false
      }
      const { step: event, send } = session.receive(res)
      seen.push(event)
      if (event.type === 'request') {
        requests.push(event.request)
        next = session.respond(await handler(event.request))
      } else if (event.type === 'end' || event.type === 'failed') {
        finish()
        return false
      } else {
        next = send
      }
      return true
    }
    const result = (): SessionRun => {
      const last = seen[seen.length - 1]
      const failed = last?.type === 'failed' ? last : undefined
      return {
        events: seen,
        outcome: last?.type === 'end' ? 'end' : 'failed',
        ...(failed === undefined ? {} : { failure: failed }),
        requests,
      }
    }
    return {
      session,
      step,
      async run() {
        for (let i = 0; i < 200 && (await step()); i++);
        return result()
      },
      result,
    }
  }

  const cpe: TestCpe = {
    model,
    deviceKey: defaultDeviceKey(model.deviceId()),
    http,
    cookies,
    auth,
    transport,
    inform,
    driver,
    run: (events, opts) => driver(events, opts).run(),
    close() {
      http.close()
      open.delete(cpe)
    },
  }
  open.add(cpe)
  return cpe
}

/** Close every test CPE and simulator (afterEach). */
export async function cleanup(simulators: AcsSimulator[]): Promise<void> {
  for (const cpe of [...open]) cpe.close()
  await Promise.all(simulators.splice(0).map((s) => s.close()))
}

/**
 * One raw HTTP exchange on a fresh TCP connection: for bytes no HTTP client would send. `from` is
 * the local address (e.g. 127.0.0.2, another machine on loopback).
 */
export function rawHttp(port: number, request: string | Buffer, from?: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1', ...(from === undefined ? {} : { localAddress: from }) })
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => {
      chunks.push(c)
      // One response is enough: stop once its headers and declared body are in.
      const text = Buffer.concat(chunks).toString('latin1')
      const end = text.indexOf('\r\n\r\n')
      if (end >= 0) {
        const length = /content-length:\s*(\d+)/i.exec(text.slice(0, end))?.[1]
        if (text.length >= end + 4 + Number(length ?? 0)) socket.end()
      }
    })
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')))
    socket.on('error', () => resolve(Buffer.concat(chunks).toString('latin1')))
    socket.write(request)
  })
}

/** A POST with a body, as raw bytes. */
export function rawPost(body: Buffer | string, headers: Readonly<Record<string, string>> = {}): Buffer {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body
  const head = [
    'POST / HTTP/1.1',
    'Host: 127.0.0.1',
    `Content-Length: ${bytes.length}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    'Connection: close',
    '',
    '',
  ].join('\r\n')
  return Buffer.concat([Buffer.from(head, 'latin1'), bytes])
}

/** Status code of a raw HTTP response. */
export function statusOf(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? '0')
}
