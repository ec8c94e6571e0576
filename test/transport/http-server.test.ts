import * as net from 'node:net'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createHttpServerAdapter,
  createHttpTransport,
  type HttpHandler,
  type HttpRequest,
  type HttpServerAdapterOptions,
  type HttpTransport,
} from '../../src/index.js'
import { closeAllServers, startServer, text } from './helpers.js'

const transports: HttpTransport[] = []
function client(): HttpTransport {
  const t = createHttpTransport()
  transports.push(t)
  return t
}
afterEach(async () => {
  for (const t of transports.splice(0)) t.close()
  await closeAllServers()
})

const serve = (handler: HttpHandler, options?: HttpServerAdapterOptions) =>
  startServer(createHttpServerAdapter(handler, options))

/** Send raw bytes on a new TCP connection and collect everything until the server closes it. */
function raw(port: number, data: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1')
    const chunks: Buffer[] = []
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')))
    socket.on('error', reject)
    socket.write(data)
  })
}

const echo: HttpHandler = (req) => ({
  status: 200,
  headers: { 'content-type': 'application/octet-stream', 'x-method': req.method, 'x-url': req.url, 'x-cookie': req.headers['cookie'] ?? '' },
  body: req.body,
})

describe('createHttpServerAdapter', () => {
  it('hands the handler the whole request and writes the whole response with content-length', async () => {
    const seen: HttpRequest[] = []
    const server = await serve((req) => {
      seen.push(req)
      return { status: 200, headers: { 'content-type': 'text/xml', 'set-cookie': ['a=1', 'b=2'] }, body: '<é/>' }
    })
    const r = await client().send({
      method: 'POST',
      url: `${server.origin}/acs?x=1`,
      headers: { 'content-type': 'text/xml', SOAPAction: '' },
      body: '<Inform/>',
    })
    expect(seen[0]?.method).toBe('POST')
    expect(seen[0]?.url).toBe('/acs?x=1')
    expect(seen[0]?.headers['soapaction']).toBe('')
    expect(text(seen[0]?.body ?? '')).toBe('<Inform/>')
    expect(r.headers['content-length']).toBe(String(Buffer.byteLength('<é/>')))
    expect(r.headers['set-cookie']).toEqual(['a=1', 'b=2'])
    expect(text(r.body)).toBe('<é/>')
  })

  it('returns any body bytes unchanged (garbage included)', async () => {
    const server = await serve(echo)
    const t = client()
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), async (bytes) => {
        const r = await t.send({ method: 'POST', url: `${server.origin}/`, headers: {}, body: bytes })
        expect(Buffer.from(r.body).equals(Buffer.from(bytes))).toBe(true)
      }),
      { numRuns: 40 },
    )
    expect(server.sockets).toHaveLength(1) // all on one kept-alive connection
  })

  it('answers 500 with an empty body when the handler throws or rejects, reports it, and keeps serving', async () => {
    const errors: unknown[] = []
    const server = await serve(
      (req) => {
        if (req.url === '/throw') throw new Error('secret database password in message')
        if (req.url === '/reject') return Promise.reject(new Error('secret'))
        if (req.url === '/bad-status') return { status: 42, headers: {}, body: '' }
        if (req.url === '/bad-header') return { status: 200, headers: { 'x-bad': 'a\r\nb' }, body: '' }
        return { status: 200, headers: {}, body: 'fine' }
      },
      { onError: (e) => errors.push(e) },
    )
    const t = client()
    for (const path of ['/throw', '/reject', '/bad-status', '/bad-header']) {
      const r = await t.send({ method: 'POST', url: `${server.origin}${path}`, headers: {}, body: '' })
      expect(r.status).toBe(500)
      expect(r.body).toHaveLength(0)
      expect(text(r.body)).not.toContain('secret')
    }
    expect(errors).toHaveLength(4)
    const ok = await t.send({ method: 'POST', url: `${server.origin}/`, headers: {}, body: '' })
    expect(text(ok.body)).toBe('fine')
    expect(server.sockets).toHaveLength(1) // the 500s did not cost the connection
  })

  it('answers 413 to a body over the limit (declared or chunked), closes that connection, serves the others', async () => {
    let calls = 0
    const server = await serve(
      (req) => {
        calls += 1
        return echo(req, { remoteAddress: undefined, remotePort: undefined, secure: false, signal: new AbortController().signal })
      },
      { maxRequestBytes: 1000 },
    )
    const declared = await raw(
      server.port,
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\n\r\n${'x'.repeat(5000)}`,
    )
    expect(declared).toMatch(/^HTTP\/1\.1 413 /)
    const chunk = 'y'.repeat(600)
    const chunked = await raw(
      server.port,
      `POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n${chunk}\r\n258\r\n${chunk}\r\n0\r\n\r\n`,
    )
    expect(chunked).toMatch(/^HTTP\/1\.1 413 /)
    expect(calls).toBe(0)
    const r = await client().send({ method: 'POST', url: `${server.origin}/`, headers: {}, body: 'z'.repeat(1000) })
    expect(r.status).toBe(200)
    expect(calls).toBe(1)
  })

  it('survives a client sending garbage instead of HTTP and keeps serving the others', async () => {
    const server = await serve(echo)
    const answer = await raw(server.port, Buffer.from([0x16, 0x03, 0x01, 0x00, 0xff, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x0d, 0x0a]))
    expect(answer).toMatch(/^HTTP\/1\.1 400 /)
    const r = await client().send({ method: 'POST', url: `${server.origin}/`, headers: {}, body: 'still here' })
    expect(text(r.body)).toBe('still here')
  })

  it('sends 204 without a body and answers HEAD without one', async () => {
    const server = await serve((req) => ({ status: req.method === 'HEAD' ? 200 : 204, headers: {}, body: 'ignored' }))
    const t = client()
    const r204 = await t.send({ method: 'POST', url: `${server.origin}/`, headers: {}, body: '' })
    expect(r204.status).toBe(204)
    expect(r204.body).toHaveLength(0)
    const head = await t.send({ method: 'HEAD', url: `${server.origin}/`, headers: {}, body: '' })
    expect(head.status).toBe(200)
    expect(head.headers['content-length']).toBe('7')
    expect(head.body).toHaveLength(0)
  })

  it('aborts the handler signal when the client goes away', async () => {
    let aborted: (signal: AbortSignal) => void = () => {}
    const abortedPromise = new Promise<AbortSignal>((resolve) => {
      aborted = resolve
    })
    let started: () => void = () => {}
    const startedPromise = new Promise<void>((resolve) => {
      started = resolve
    })
    const server = await serve(
      (_req, info) =>
        new Promise((resolve) => {
          info.signal.addEventListener('abort', () => {
            aborted(info.signal)
            resolve({ status: 200, headers: {}, body: '' })
          })
          started()
        }),
    )
    const socket = net.connect(server.port, '127.0.0.1')
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n')
    await startedPromise
    socket.destroy()
    expect((await abortedPromise).aborted).toBe(true)
  })

  it('tells the handler about the connection', async () => {
    const server = await serve((_req, info) => ({
      status: 200,
      headers: {},
      body: `${info.remoteAddress}|${typeof info.remotePort}|${info.secure}`,
    }))
    const r = await client().send({ method: 'GET', url: `${server.origin}/`, headers: {}, body: '' })
    expect(text(r.body)).toBe('127.0.0.1|number|false')
  })
})
