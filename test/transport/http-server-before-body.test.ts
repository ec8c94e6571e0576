// Issue 9 item 2: an unauthenticated request is judged from its head, before its body is read, so
// an attacker's body costs the server at most DEFAULT_UNREAD_BODY_BYTES (then the connection goes).
import * as net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import {
  DEFAULT_UNREAD_BODY_BYTES,
  createHttpServerAdapter,
  type HttpBodyDecision,
  type HttpHandler,
  type HttpRequestHead,
  type HttpServerAdapterOptions,
} from '../../src/index.js'
import { closeAllServers, startServer } from './helpers.js'

afterEach(async () => {
  await closeAllServers()
})

const serve = (handler: HttpHandler, options?: HttpServerAdapterOptions) => startServer(createHttpServerAdapter(handler, options))

/** The gate an ACS uses: no `authorization` header, no body read, a 401. */
const gate = (head: HttpRequestHead): HttpBodyDecision =>
  head.headers['authorization'] === undefined ? { respond: { status: 401, headers: { 'www-authenticate': 'Digest realm="x"' }, body: '' } } : undefined

/** Write `head` then `bodyBytes` bytes of body as fast as the socket takes them; collect the reply. */
function send(port: number, head: string, bodyBytes: number, waitMs = 1500): Promise<{ reply: string; written: number; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    let written = 0
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', () => undefined)
    socket.on('close', () => resolve({ reply: Buffer.concat(chunks).toString('latin1'), written, closed: true }))
    const pump = (): void => {
      while (written < bodyBytes && !socket.destroyed) {
        const n = Math.min(chunk.length, bodyBytes - written)
        written += n
        if (!socket.write(n === chunk.length ? chunk : chunk.subarray(0, n))) {
          socket.once('drain', pump)
          return
        }
      }
    }
    socket.write(head)
    pump()
    // A kept-alive connection stays open: stop waiting once the reply is in (a refused large body
    // keeps its connection for about 2 s, unread, before it is reset).
    setTimeout(() => {
      if (!socket.destroyed) {
        resolve({ reply: Buffer.concat(chunks).toString('latin1'), written, closed: false })
        socket.destroy()
      }
    }, waitMs)
  })
}

/**
 * An unauthenticated 31 MiB POST from a client that reads nothing for `lateMs` (a client short of
 * CPU): the status line it finally reads (0 when the connection was reset before it read anything).
 */
function lateReader(port: number, lateMs: number): Promise<number> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    let reply = ''
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    const size = 31 * 1024 * 1024
    let written = 0
    socket.pause()
    setTimeout(() => socket.resume(), lateMs)
    socket.on('data', (c: Buffer) => (reply += c.toString('latin1')))
    socket.on('error', () => undefined)
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(reply)?.[1] ?? 0)))
    const pump = (): void => {
      while (written < size && !socket.destroyed) {
        written += chunk.length
        if (!socket.write(chunk)) {
          socket.once('drain', pump)
          return
        }
      }
    }
    socket.write(`POST /acs HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`)
    pump()
  })
}

describe('attack: unauthenticated bodies against createHttpServerAdapter with beforeBody', () => {
  it('a 31 MiB unauthenticated POST gets its 401 from the head; the body is not read and the connection is closed', async () => {
    let handled = 0
    const server = await serve(() => {
      handled++
      return { status: 200, headers: {}, body: '' }
    }, { beforeBody: gate })
    const size = 31 * 1024 * 1024
    const r = await send(server.port, `POST /acs HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`, size, 5000)
    expect(r.reply).toMatch(/^HTTP\/1\.1 401 /)
    expect(r.reply.toLowerCase()).toContain('connection: close')
    expect(r.closed).toBe(true)
    expect(handled).toBe(0)
    // The server dropped the connection long before the attacker could push 31 MiB into it.
    expect(r.written).toBeLessThan(size)
  })

  it('the 401 to a large unauthenticated body reaches a client that reads late: the body is not read, the connection is reset only after a linger', async () => {
    let handled = 0
    // Judged asynchronously, as the simulator does (a store lookup).
    const server = await serve(() => {
      handled++
      return { status: 200, headers: {}, body: '' }
    }, { beforeBody: async (head) => gate(head) })
    const statuses = await Promise.all(Array.from({ length: 8 }, () => lateReader(server.port, 300)))
    expect(statuses).toEqual(Array.from({ length: 8 }, () => 401))
    expect(handled).toBe(0)
  })

  it('a small unauthenticated body is dropped and the connection serves the next request (keep-alive)', async () => {
    const bodies: number[] = []
    const server = await serve((req) => {
      bodies.push(req.body.length)
      return { status: 204, headers: {}, body: '' }
    }, { beforeBody: gate })
    const body = 'x'.repeat(4096)
    const r = await send(
      server.port,
      `POST /acs HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}` +
        `POST /acs HTTP/1.1\r\nHost: x\r\nAuthorization: Digest x\r\nContent-Length: 3\r\n\r\nabc`,
      0,
    )
    expect(r.reply.match(/HTTP\/1\.1 \d+/g)).toEqual(['HTTP/1.1 401', 'HTTP/1.1 204'])
    expect(bodies).toEqual([3])
    expect(r.closed).toBe(false)
  })

  it('maxBodyBytes bounds a body that must be read to be judged (413, closed, handler not called)', async () => {
    let handled = 0
    const server = await serve(() => {
      handled++
      return { status: 200, headers: {}, body: '' }
    }, { beforeBody: async () => ({ maxBodyBytes: DEFAULT_UNREAD_BODY_BYTES }) })
    const size = DEFAULT_UNREAD_BODY_BYTES * 4
    const r = await send(server.port, `POST /acs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${size.toString(16)}\r\n`, size)
    expect(r.reply).toMatch(/^HTTP\/1\.1 413 /)
    expect(handled).toBe(0)
  })

  it('a body declared over maxBodyBytes gets its 413 from the head, not read: a client that reads late still gets it', async () => {
    let handled = 0
    const server = await serve(() => {
      handled++
      return { status: 200, headers: {}, body: '' }
    }, { beforeBody: async () => ({ maxBodyBytes: DEFAULT_UNREAD_BODY_BYTES }) })
    const statuses = await Promise.all(Array.from({ length: 8 }, () => lateReader(server.port, 300)))
    expect(statuses).toEqual(Array.from({ length: 8 }, () => 413))
    expect(handled).toBe(0)
    // What the server read of 8 × 31 MiB: socket buffers' worth, not the bodies.
    const received = server.sockets.reduce((n, socket) => n + socket.bytesRead, 0)
    expect(received).toBeLessThan(8 * 4 * 1024 * 1024)
  })

  it('undefined reads the whole body for the handler; a throwing gate is a 500 reported to onError', async () => {
    const errors: unknown[] = []
    let seen = ''
    const server = await serve(
      (req) => {
        seen = Buffer.from(req.body).toString()
        return { status: 200, headers: {}, body: 'ok' }
      },
      {
        beforeBody: (head) => {
          if (head.url === '/boom') throw new Error('gate failed')
          return undefined
        },
        onError: (e) => errors.push(e),
      },
    )
    const ok = await send(server.port, 'POST /acs HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello', 0)
    expect(ok.reply).toMatch(/^HTTP\/1\.1 200 /)
    expect(seen).toBe('hello')
    const boom = await send(server.port, 'POST /boom HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello', 0)
    expect(boom.reply).toMatch(/^HTTP\/1\.1 500 /)
    expect(errors).toHaveLength(1)
  })
})
