import * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'

/** A loopback server for tests, with the sockets it accepted. */
export interface TestServer {
  readonly server: http.Server | https.Server
  /** `http://127.0.0.1:<port>` (or https). */
  readonly origin: string
  readonly port: number
  /** Every TCP connection accepted, in order. */
  readonly sockets: Socket[]
  close(): Promise<void>
}

const open = new Set<TestServer>()

/** Start a server on 127.0.0.1 on a free port. */
export async function startServer(
  listener: http.RequestListener,
  options: { readonly tls?: https.ServerOptions } = {},
): Promise<TestServer> {
  const server = options.tls === undefined ? http.createServer(listener) : https.createServer(options.tls, listener)
  const sockets: Socket[] = []
  server.on(options.tls === undefined ? 'connection' : 'secureConnection', (socket: Socket) => sockets.push(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  const s: TestServer = {
    server,
    origin: `${options.tls === undefined ? 'http' : 'https'}://127.0.0.1:${port}`,
    port,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        open.delete(s)
        server.close(() => resolve())
        server.closeAllConnections()
        for (const socket of sockets) socket.destroy()
      }),
  }
  open.add(s)
  return s
}

/** Close every server still open (call in afterEach). */
export async function closeAllServers(): Promise<void> {
  await Promise.all([...open].map((s) => s.close()))
}

/** Read a request body fully. */
export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

/** Resolves when `emitter` emits `event`. */
export function once(emitter: NodeJS.EventEmitter, event: string): Promise<unknown[]> {
  return new Promise((resolve) => emitter.once(event, (...args: unknown[]) => resolve(args)))
}

/** The code of a rejection (fails the test when the promise resolves). */
export async function rejectionCode(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise
  } catch (err) {
    return (err as { code?: string }).code
  }
  throw new Error('expected a rejection')
}

/** Text of a body. */
export function text(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : Buffer.from(body).toString('utf8')
}
