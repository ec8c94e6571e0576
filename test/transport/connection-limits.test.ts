// Issue 9 item 9: idle, zero-byte and slowloris sockets cannot keep the Connection Request port from
// answering the ACS. The attacks are real sockets on loopback; every wait is bounded.
import * as net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createConnectionRequestClient, createConnectionRequestHandler } from '../../src/index.js'
import { ConfigError } from '../../src/index.js'
import { createHttpTransport, startConnectionRequestListener, type ConnectionRequestListener } from '../../src/index.js'

const listeners: ConnectionRequestListener[] = []
const sockets: net.Socket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
  await Promise.all(listeners.splice(0).map((l) => l.close()))
})

async function listen(limits: Parameters<typeof startConnectionRequestListener>[0]['limits'] = {}) {
  const cr = createConnectionRequestHandler({ path: '/cr', username: 'acs', password: 'pw', rateLimit: { max: 1000, windowMs: 1000 } })
  const listener = await startConnectionRequestListener({ host: '127.0.0.1', path: '/cr', limits, handler: (req, now) => cr.handle(req, { now, inSession: false }) })
  listeners.push(listener)
  return listener
}

/** One Connection Request from the ACS side (Digest round trip); resolves with the result. */
async function connectionRequest(url: string) {
  const http = createHttpTransport({ timeoutMs: 5000 })
  try {
    const cr = createConnectionRequestClient({ url, username: 'acs', password: 'pw' })
    for (;;) {
      const req = cr.request()
      const res = await http.send({ method: req.method, url: req.url, headers: req.headers, body: '' })
      const step = cr.handleResponse({ status: res.status, headers: res.headers })
      if (step.done) return step.result
    }
  } finally {
    http.close()
  }
}

/** Open a raw TCP connection; resolves once connected. Records when the server closes it. */
function rawSocket(port: number): Promise<{ socket: net.Socket; closed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    sockets.push(socket)
    socket.on('error', () => undefined)
    const closed = new Promise<void>((done) => socket.on('close', () => done()))
    socket.once('connect', () => resolve({ socket, closed }))
    socket.once('error', reject)
  })
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_r, reject) => setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms))])

describe('attack: connection floods against the Connection Request listener', () => {
  it('300 idle zero-byte sockets: the listener holds at most maxConnections, and a genuine request still gets through', async () => {
    const listener = await listen({ maxConnections: 16, headersTimeoutMs: 60_000 })
    const idle = []
    for (let i = 0; i < 300; i++) idle.push(await rawSocket(listener.port))
    // Every socket beyond the cap evicted an older idle one: at most 16 are still open.
    let closedCount = 0
    await Promise.all(idle.map((s) => Promise.race([s.closed.then(() => closedCount++), new Promise((r) => setTimeout(r, 1000))])))
    expect(300 - closedCount).toBeLessThanOrEqual(16)
    expect(300 - closedCount).toBeGreaterThan(0) // the newest idle sockets are kept until their deadline
    await expect(within(connectionRequest(listener.url), 10_000, 'the Connection Request')).resolves.toBe('accepted')
  })

  it('a zero-byte socket is closed after headersTimeoutMs', async () => {
    const listener = await listen({ headersTimeoutMs: 300 })
    const { closed } = await rawSocket(listener.port)
    await within(closed, 5_000, 'the close of the idle socket')
  })

  it('slowloris: a request head sent one byte at a time is cut off after headersTimeoutMs', async () => {
    const listener = await listen({ headersTimeoutMs: 400 })
    const { socket, closed } = await rawSocket(listener.port)
    const head = 'GET /cr HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ' + 'a'.repeat(200)
    let i = 0
    const drip = setInterval(() => {
      if (i < head.length && !socket.destroyed) socket.write(head[i++] as string)
    }, 20)
    try {
      await within(closed, 5_000, 'the close of the slowloris socket')
    } finally {
      clearInterval(drip)
    }
    expect(i).toBeLessThan(head.length) // it was cut off before it could finish
  })

  it('an idle keep-alive connection is closed after headersTimeoutMs', async () => {
    const listener = await listen({ headersTimeoutMs: 300 })
    const { socket, closed } = await rawSocket(listener.port)
    const answered = new Promise<string>((r) => socket.once('data', (d) => r(d.toString('latin1'))))
    socket.write('GET /cr HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
    expect(await within(answered, 5_000, 'the 401')).toMatch(/^HTTP\/1\.1 401/)
    await within(closed, 5_000, 'the close of the idle keep-alive connection')
  })

  it('refuses limits that are not positive integers, naming the field', async () => {
    await expect(listen({ maxConnections: 0 })).rejects.toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'limits.maxConnections' })
    await expect(listen({ headersTimeoutMs: 1.5 })).rejects.toBeInstanceOf(ConfigError)
  })
})
