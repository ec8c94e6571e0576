import * as net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import {
  createConnectionRequestClient,
  createConnectionRequestHandler,
  type ConnectionRequestDecision,
} from '../../src/index.js'
import {
  createHttpTransport,
  startConnectionRequestListener,
  type ConnectionRequestListener,
  type HttpTransport,
} from '../../src/index.js'

const listeners: ConnectionRequestListener[] = []
const transports: HttpTransport[] = []
afterEach(async () => {
  for (const t of transports.splice(0)) t.close()
  await Promise.all(listeners.splice(0).map((l) => l.close()))
})

/** The ACS side: one Connection Request with the Digest round trip, over the real client transport. */
async function connectionRequest(url: string, username: string, password: string) {
  const http = createHttpTransport({ timeoutMs: 5000 })
  transports.push(http)
  const cr = createConnectionRequestClient({ url, username, password })
  const statuses: number[] = []
  for (;;) {
    const req = cr.request()
    const res = await http.send({ method: req.method, url: req.url, headers: req.headers, body: '' })
    statuses.push(res.status)
    const step = cr.handleResponse({ status: res.status, headers: res.headers })
    if (step.done) return { result: step.result, statuses, bodyLength: res.body.length }
  }
}

describe('startConnectionRequestListener', () => {
  it('serves the connreq handler: Digest round trip, then exactly one session started after the response', async () => {
    const cr = createConnectionRequestHandler({ path: '/cr/8f2a', username: 'acs', password: 'pw' })
    const decisions: ConnectionRequestDecision[] = []
    let inSession = false
    const listener = await startConnectionRequestListener({
      host: '127.0.0.1',
      path: '/cr/8f2a',
      handler: (req, now) => cr.handle(req, { now, inSession }),
      onDecision: (d) => decisions.push(d),
    })
    listeners.push(listener)
    expect(listener.url).toBe(`http://127.0.0.1:${listener.port}/cr/8f2a`)

    const first = await connectionRequest(listener.url, 'acs', 'pw')
    expect(first).toEqual({ result: 'accepted', statuses: [401, 200], bodyLength: 0 })
    expect(decisions.map((d) => [d.response.status, d.startSession])).toEqual([
      [401, false],
      [200, true],
    ])
    // Before the session starts, another authenticated request succeeds but starts nothing.
    const second = await connectionRequest(listener.url, 'acs', 'pw')
    expect(second.result).toBe('accepted')
    expect(decisions.filter((d) => d.startSession)).toHaveLength(1)

    cr.sessionStarted()
    inSession = true
    const wrong = await connectionRequest(listener.url, 'acs', 'nope')
    expect(wrong.result).toBe('unauthorized')
  })

  it('answers 404 on another path, and 500 when the handler throws, and keeps listening', async () => {
    const errors: unknown[] = []
    let fail = true
    const listener = await startConnectionRequestListener({
      host: '127.0.0.1',
      handler: (req) => {
        if (fail) throw new Error('boom')
        return { response: { status: req.url === '/' ? 204 : 404, headers: { 'content-length': '0' } } }
      },
      onError: (e) => errors.push(e),
    })
    listeners.push(listener)
    const http = createHttpTransport()
    transports.push(http)
    const r500 = await http.send({ method: 'GET', url: listener.url, headers: {}, body: '' })
    expect(r500.status).toBe(500)
    expect(errors).toHaveLength(1)
    fail = false
    expect((await http.send({ method: 'GET', url: listener.url, headers: {}, body: '' })).status).toBe(204)
    expect((await http.send({ method: 'GET', url: `${listener.url}x`, headers: {}, body: '' })).status).toBe(404)
  })

  it('ignores a request body, drops a huge one, and answers garbage with 400', async () => {
    let calls = 0
    const listener = await startConnectionRequestListener({
      host: '127.0.0.1',
      handler: () => {
        calls += 1
        return { response: { status: 200, headers: {} } }
      },
    })
    listeners.push(listener)
    const http = createHttpTransport()
    transports.push(http)
    expect((await http.send({ method: 'GET', url: listener.url, headers: {}, body: 'ignored' })).status).toBe(200)
    const huge = await http
      .send({ method: 'GET', url: listener.url, headers: {}, body: 'x'.repeat(200_000) })
      .catch((e: unknown) => e)
    expect((huge as { code?: string }).code).toBe('ERR_CWMP_TRANSPORT')
    const garbage = await new Promise<string>((resolve) => {
      const s = net.connect(listener.port, '127.0.0.1')
      const chunks: Buffer[] = []
      s.on('data', (c: Buffer) => chunks.push(c))
      s.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')))
      s.on('error', () => resolve(Buffer.concat(chunks).toString('latin1')))
      s.write('\u0000\u0001 not http\r\n\r\n')
    })
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /)
    expect(calls).toBe(1)
  })

  it('fails with ERR_CWMP_TRANSPORT when the port is taken', async () => {
    const listener = await startConnectionRequestListener({
      host: '127.0.0.1',
      handler: () => ({ response: { status: 200, headers: {} } }),
    })
    listeners.push(listener)
    const err = await startConnectionRequestListener({
      host: '127.0.0.1',
      port: listener.port,
      handler: () => ({ response: { status: 200, headers: {} } }),
    }).catch((e: unknown) => e)
    expect((err as { code?: string }).code).toBe('ERR_CWMP_TRANSPORT')
  })
})
