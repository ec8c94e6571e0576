import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { isCwmpError } from '../../src/errors.js'
import { createHttpTransport, type HttpTransport } from '../../src/index.js'
import { closeAllServers, once, readBody, rejectionCode, startServer, text } from './helpers.js'

const transports: HttpTransport[] = []
function client(options: Parameters<typeof createHttpTransport>[0] = {}): HttpTransport {
  const t = createHttpTransport(options)
  transports.push(t)
  return t
}

afterEach(async () => {
  for (const t of transports.splice(0)) t.close()
  await closeAllServers()
})

const post = (url: string, body: string | Uint8Array = '', headers: Record<string, string> = {}) =>
  ({ method: 'POST', url, headers, body }) as const

function ok(res: ServerResponse, body = 'ok'): void {
  res.writeHead(200, { 'content-type': 'text/plain' }).end(body)
}

describe('createHttpTransport', () => {
  it('keeps one TCP connection for consecutive requests (keep-alive)', async () => {
    const server = await startServer(async (req, res) => {
      await readBody(req)
      ok(res)
    })
    const t = client()
    for (let i = 0; i < 3; i++) {
      const r = await t.send(post(`${server.origin}/acs`, `<x>${i}</x>`))
      expect(r.status).toBe(200)
      expect(text(r.body)).toBe('ok')
    }
    expect(server.sockets).toHaveLength(1)
  })

  it('sends content-length (bytes, UTF-8) and no content-type on an empty POST', async () => {
    const seen: { length: string | undefined; type: string | undefined; body: string }[] = []
    const server = await startServer(async (req, res) => {
      const body = await readBody(req)
      seen.push({ length: req.headers['content-length'], type: req.headers['content-type'], body: body.toString('utf8') })
      ok(res)
    })
    const t = client()
    await t.send(post(`${server.origin}/`, 'é€😀', { 'content-type': 'text/xml; charset="utf-8"' }))
    await t.send(post(`${server.origin}/`, ''))
    await t.send(post(`${server.origin}/`, new Uint8Array([0, 1, 2, 255])))
    expect(seen[0]).toEqual({ length: String(Buffer.byteLength('é€😀')), type: 'text/xml; charset="utf-8"', body: 'é€😀' })
    expect(seen[1]).toEqual({ length: '0', type: undefined, body: '' })
    expect(seen[2]?.length).toBe('4')
  })

  it('returns the body as bytes and repeated header fields as arrays', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(401, [
        ['WWW-Authenticate', 'Digest realm="a", nonce="1", qop="auth", algorithm=SHA-256'],
        ['WWW-Authenticate', 'Digest realm="a", nonce="2", qop="auth"'],
        ['X-One', 'v'],
      ])
      res.end(Buffer.from([0xff, 0x00, 0x7f]))
    })
    const r = await client().send(post(`${server.origin}/`))
    expect(r.status).toBe(401)
    expect(r.body).toBeInstanceOf(Uint8Array)
    expect([...(r.body as Uint8Array)]).toEqual([0xff, 0x00, 0x7f])
    expect(r.headers['www-authenticate']).toEqual([
      'Digest realm="a", nonce="1", qop="auth", algorithm=SHA-256',
      'Digest realm="a", nonce="2", qop="auth"',
    ])
    expect(r.headers['x-one']).toBe('v')
  })

  it('does not follow redirects', async () => {
    let requests = 0
    const server = await startServer((_req, res) => {
      requests += 1
      res.writeHead(302, { location: '/elsewhere', 'content-length': '0' }).end()
    })
    const r = await client().send(post(`${server.origin}/acs`, '<x/>'))
    expect(r.status).toBe(302)
    expect(r.headers['location']).toBe('/elsewhere')
    expect(requests).toBe(1)
  })

  it('continues on a new connection when the server closed the idle one between round trips', async () => {
    const server = await startServer(async (req, res) => {
      await readBody(req)
      ok(res)
    })
    const t = client()
    expect((await t.send(post(`${server.origin}/`, 'a'))).status).toBe(200)
    const first = server.sockets[0] as Socket
    const closed = once(first, 'close')
    first.end() // a clean close (FIN) while the connection is idle
    await closed
    expect((await t.send(post(`${server.origin}/`, 'b'))).status).toBe(200)
    expect(server.sockets).toHaveLength(2)
  })

  it('resends once on a new connection when a reused connection is closed before any response', async () => {
    const served = new WeakMap<Socket, number>()
    const bodies: string[] = []
    const server = await startServer(async (req, res) => {
      const body = (await readBody(req)).toString()
      const n = (served.get(req.socket) ?? 0) + 1
      served.set(req.socket, n)
      // The server gave up on this kept-alive connection just as the request came in.
      if (n > 1) return void req.socket.destroy()
      bodies.push(body)
      ok(res)
    })
    const t = client()
    expect((await t.send(post(`${server.origin}/`, 'one'))).status).toBe(200)
    expect((await t.send(post(`${server.origin}/`, 'two'))).status).toBe(200)
    expect(bodies).toEqual(['one', 'two'])
    expect(server.sockets).toHaveLength(2)
  })

  it('does not resend when retryOnStaleConnection is false', async () => {
    const served = new WeakMap<Socket, number>()
    const server = await startServer(async (req, res) => {
      await readBody(req)
      const n = (served.get(req.socket) ?? 0) + 1
      served.set(req.socket, n)
      if (n > 1) return void req.socket.destroy()
      ok(res)
    })
    const t = client({ retryOnStaleConnection: false })
    await t.send(post(`${server.origin}/`, 'one'))
    expect(await rejectionCode(t.send(post(`${server.origin}/`, 'two')))).toBe('ERR_CWMP_TRANSPORT')
    expect(server.sockets).toHaveLength(1)
  })

  it('fails with ERR_CWMP_TRANSPORT when the server destroys the socket mid-response', async () => {
    const server = await startServer(async (req, res) => {
      await readBody(req)
      res.writeHead(200, { 'content-length': '100' })
      res.write('partial', () => req.socket.destroy())
    })
    const t = client()
    const err = await t.send(post(`${server.origin}/`, 'x')).catch((e: unknown) => e)
    expect(isCwmpError(err)).toBe(true)
    expect((err as { code: string }).code).toBe('ERR_CWMP_TRANSPORT')
    // Not resent: a response had begun.
    expect(server.sockets).toHaveLength(1)
  })

  it('times out with ERR_CWMP_TRANSPORT_TIMEOUT and destroys the socket', async () => {
    const server = await startServer(() => {
      // never answers
    })
    const t = client({ timeoutMs: 200 })
    const code = await rejectionCode(t.send(post(`${server.origin}/`, 'x')))
    expect(code).toBe('ERR_CWMP_TRANSPORT_TIMEOUT')
    const socket = server.sockets[0] as Socket
    if (!socket.destroyed) await once(socket, 'close')
    expect(socket.destroyed).toBe(true)
  })

  it('times out when the body stops arriving', async () => {
    const server = await startServer((_req, res) => {
      res.writeHead(200, { 'content-length': '10' })
      res.write('abc') // and never the rest
    })
    expect(await rejectionCode(client({ timeoutMs: 200 }).send(post(`${server.origin}/`)))).toBe(
      'ERR_CWMP_TRANSPORT_TIMEOUT',
    )
  })

  it('rejects a body larger than maxResponseBytes (declared or chunked)', async () => {
    const big = 'x'.repeat(2000)
    const server = await startServer((req, res) => {
      if (req.url === '/declared') res.writeHead(200, { 'content-length': String(big.length) }).end(big)
      else {
        res.writeHead(200) // chunked
        res.write(big.slice(0, 600))
        res.end(big.slice(600))
      }
    })
    const t = client({ maxResponseBytes: 1000 })
    expect(await rejectionCode(t.send(post(`${server.origin}/declared`)))).toBe('ERR_CWMP_TRANSPORT')
    expect(await rejectionCode(t.send(post(`${server.origin}/chunked`)))).toBe('ERR_CWMP_TRANSPORT')
    const r = await client({ maxResponseBytes: 2000 }).send(post(`${server.origin}/declared`))
    expect(text(r.body)).toBe(big)
  })

  it('honours an AbortSignal (before and during the request)', async () => {
    let arrived: () => void = () => {}
    const requestArrived = new Promise<void>((resolve) => {
      arrived = resolve
    })
    const server = await startServer(() => arrived())
    const t = client()
    const pre = new AbortController()
    pre.abort(new Error('stop'))
    const err1 = await t.send(post(`${server.origin}/`), { signal: pre.signal }).catch((e: unknown) => e)
    expect((err1 as { code: string }).code).toBe('ERR_CWMP_TRANSPORT')
    expect((err1 as { cause: Error }).cause.message).toBe('stop')
    expect(server.sockets).toHaveLength(0)

    const during = new AbortController()
    const pending = t.send(post(`${server.origin}/`), { signal: during.signal })
    await requestArrived
    during.abort()
    expect(await rejectionCode(pending)).toBe('ERR_CWMP_TRANSPORT')
  })

  it('rejects bad URLs and refused connections with ERR_CWMP_TRANSPORT', async () => {
    const t = client()
    expect(await rejectionCode(t.send(post('not a url')))).toBe('ERR_CWMP_TRANSPORT')
    expect(await rejectionCode(t.send(post('ftp://127.0.0.1/')))).toBe('ERR_CWMP_TRANSPORT')
    expect(await rejectionCode(t.send({ ...post('http://127.0.0.1:1/'), headers: { 'x-bad': 'a\nb' } }))).toBe(
      'ERR_CWMP_TRANSPORT',
    )
    const server = await startServer((_req, res) => ok(res))
    const port = server.port
    await server.close()
    expect(await rejectionCode(t.send(post(`http://127.0.0.1:${port}/`)))).toBe('ERR_CWMP_TRANSPORT')
  })

  it('close() closes the kept-alive connection; the next request opens a new one', async () => {
    const server = await startServer(async (req, res) => {
      await readBody(req)
      ok(res)
    })
    const t = client()
    await t.send(post(`${server.origin}/`, 'a'))
    const socket = server.sockets[0] as Socket
    const closed = once(socket, 'close')
    t.close()
    await closed
    expect((await t.send(post(`${server.origin}/`, 'b'))).status).toBe(200)
    expect(server.sockets).toHaveLength(2)
  })

  it('adds default headers unless the request has them', async () => {
    const agents: (string | undefined)[] = []
    const server = await startServer((req, res) => {
      agents.push(req.headers['user-agent'])
      ok(res)
    })
    const t = client({ headers: { 'User-Agent': 'cwmp-test' } })
    await t.send(post(`${server.origin}/`))
    await t.send(post(`${server.origin}/`, '', { 'user-agent': 'mine' }))
    expect(agents).toEqual(['cwmp-test', 'mine'])
  })
})
