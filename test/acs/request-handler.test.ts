/**
 * The simulator's parts wired without a socket (assembleAcsSimulator): whole sessions driven by a
 * test CPE whose transport calls the handler directly, and what each part holds afterwards; the
 * Fault recorded for an unknown CPE method is the object the reply carries.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { assembleAcsSimulator } from '../../src/acs/simulator.js'
import { decodeEnvelope, encodeEnvelope, type AcsSimulatorOptions, type HttpRequest, type Transport } from '../../src/index.js'
import { soapPost } from '../../src/session/http.js'
import { cleanup, createTestCpe } from './helpers.js'

afterEach(() => cleanup([]))

const ACS_URL = 'http://acs.in-process.test/'

function inProcess(options: AcsSimulatorOptions = {}): { parts: ReturnType<typeof assembleAcsSimulator>; base: Transport } {
  const parts = assembleAcsSimulator(options)
  // As the server adapter does: the handler sees the request-target, not the absolute URL.
  const asServerSees = (req: HttpRequest): HttpRequest => ({ ...req, url: new URL(req.url).pathname })
  return { parts, base: { send: (req) => parts.handler.handle(asServerSees(req), { remoteAddress: '192.0.2.1', remotePort: 1 }) } }
}

describe('ACS simulator parts, without a socket', () => {
  it('a whole session: the queue joins at the Inform, the registry, devices and recording agree', async () => {
    const { parts, base } = inProcess({ auth: { password: 'pw' } })
    const cpe = createTestCpe({ url: ACS_URL, base, username: 'AABBCC-SampleGateway-CWMP000001', password: 'pw' })
    parts.queues.push(cpe.deviceKey, [{ method: 'GetParameterValues', parameterNames: ['Device.ManagementServer.ConnectionRequestURL'] }])
    const run = await cpe.run(['2 PERIODIC'])
    expect(run.outcome).toBe('end')
    expect(run.requests.map((r) => r.method)).toEqual(['GetParameterValues'])
    expect(await parts.queues.peek(cpe.deviceKey)).toEqual([])

    const [session] = parts.sessions.list()
    expect(session).toMatchObject({
      deviceKey: cpe.deviceKey,
      events: ['2 PERIODIC'],
      username: 'AABBCC-SampleGateway-CWMP000001',
      outcome: 'done',
      requests: [{ method: 'GetParameterValues' }],
    })
    expect(parts.sessions.openSessionOf(cpe.deviceKey)).toBeUndefined()
    expect((await parts.devices.get(cpe.deviceKey))?.lastEvents).toEqual(['2 PERIODIC'])

    const statuses = parts.recorder.messages.filter((m) => m.direction === 'out').map((m) => m.status)
    expect(statuses).toEqual([401, 200, 200, 204])
    expect(parts.recorder.messages.every((m) => m.remoteAddress === '192.0.2.1')).toBe(true)
    expect(parts.recorder.messages.map((m) => m.seq)).toEqual([1, 1, 2, 2, 3, 3, 4, 4])
  })

  it('the Fault recorded for an unknown CPE method equals the one the reply carries, and the session goes on', async () => {
    const { parts, base } = inProcess()
    const cpe = createTestCpe({ url: ACS_URL, base })
    const cookieOf = (setCookie: unknown): string => String(setCookie).split(';')[0] as string
    const informed = await parts.handler.handle(soapPost(ACS_URL, encodeEnvelope({ version: '1.2', header: { id: 'i1' }, body: cpe.inform(['2 PERIODIC']) })))
    const cookie = cookieOf(informed.headers['set-cookie'])
    const unknown =
      '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">' +
      '<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">u1</cwmp:ID></soap-env:Header>' +
      '<soap-env:Body><cwmp:X_ACME_Frobnicate/></soap-env:Body></soap-env:Envelope>'
    const bad = { ...soapPost(ACS_URL, unknown), headers: { ...soapPost(ACS_URL, unknown).headers, cookie } }
    const res = await parts.handler.handle(bad)
    expect(res.status).toBe(200)
    const recorded = parts.recorder.messages.at(-1)
    expect(recorded?.message).toMatchObject({ method: 'Fault', faultCode: 8000 })
    expect(recorded?.message).toEqual(decodeEnvelope(res.body).body)
    expect(parts.recorder.messages.at(-2)?.error).toMatch(/^unknown-method/)
    expect((await parts.handler.handle({ method: 'POST', url: ACS_URL, headers: { cookie }, body: '' })).status).toBe(204)
    expect(parts.sessions.list().map((s) => s.outcome)).toEqual(['done'])
  })

  it('not a POST: 405 with Allow, recorded with its reason; nothing else changes', async () => {
    const { parts } = inProcess()
    const res = await parts.handler.handle({ method: 'GET', url: '/', headers: {}, body: '' })
    expect(res).toEqual({ status: 405, headers: { allow: 'POST', 'content-length': '0' }, body: '' })
    expect(parts.recorder.messages[0]?.error).toBe('not a POST')
    expect(parts.sessions.list()).toEqual([])
  })

  it('checks its options before anything runs', () => {
    // The whole table of bad values is test/acs/options.test.ts.
    for (const [options, field] of [
      [{ sessionTimeoutMs: 29_999 }, 'sessionTimeoutMs'],
      [{ cookieName: 'bad name' }, 'cookieName'],
      [{ auth: {} }, 'auth'],
    ] as const) {
      expect(() => assembleAcsSimulator(options)).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field }))
    }
  })
})
