import { describe, expect, it } from 'vitest'
import {
  createAcsSession,
  createCpeSession,
  decodeEnvelope,
  encodeEnvelope,
  makeFault,
  resumeAcsSession,
} from '../../src/index.js'
import type { HttpRequest, HttpResponse } from '../../src/types/http.js'
import { ACS_URL, inform } from './helpers.js'

const xml = (r: HttpRequest | HttpResponse): string => (typeof r.body === 'string' ? r.body : new TextDecoder().decode(r.body))
const soap = (body: string): HttpResponse => ({ status: 200, headers: { 'content-type': 'text/xml' }, body })
const informResponse = (version: '1.0' | '1.2' | '1.4' = '1.2', header = {}): HttpResponse =>
  soap(encodeEnvelope({ version, header, body: { method: 'InformResponse', maxEnvelopes: 1 } }))

describe('CPE session', () => {
  it('opens with a 1.4 Inform carrying SupportedCWMPVersions, SessionTimeout and MaxEnvelopes 1', () => {
    const cpe = createCpeSession({ url: ACS_URL, inform: { ...inform(), maxEnvelopes: 7 }, sessionTimeout: 60, newId: () => 'i1' })
    const req = cpe.start()
    expect(req).toMatchObject({ method: 'POST', url: ACS_URL, headers: { soapaction: '' } })
    const env = decodeEnvelope(req.body)
    expect(env.version).toBe('1.4')
    expect(env.header).toEqual({ id: 'i1', sessionTimeout: 60, supportedCwmpVersions: ['1.0', '1.1', '1.2', '1.3', '1.4'] })
    expect(env.body).toMatchObject({ method: 'Inform', maxEnvelopes: 1 })
  })

  it('uses the version in UseCWMPVersion, and closes when it was not offered', () => {
    const ok = createCpeSession({ url: ACS_URL, inform: inform() })
    ok.start()
    expect(ok.receive(informResponse('1.4', { useCwmpVersion: '1.3' })).step).toMatchObject({ type: 'informed', version: '1.3' })
    const bad = createCpeSession({ url: ACS_URL, inform: inform(), versions: ['1.0', '1.2', '1.4'] })
    bad.start()
    expect(bad.receive(informResponse('1.4', { useCwmpVersion: '1.3' })).step).toMatchObject({ type: 'failed', reason: 'version' })
  })

  it('infers the version from the InformResponse namespace without UseCWMPVersion', () => {
    const cpe = createCpeSession({ url: ACS_URL, inform: inform() })
    cpe.start()
    const r = cpe.receive(informResponse('1.0'))
    expect(r.step).toMatchObject({ type: 'informed', version: '1.0' })
    // The empty POST that follows; later envelopes use the cwmp-1-0 namespace.
    expect(r.send?.body).toBe('')
    const next = cpe.receive(
      soap(encodeEnvelope({ version: '1.0', header: { id: 'a1' }, body: { method: 'GetRPCMethods' } })),
    )
    expect(next.step.type).toBe('request')
    const res = cpe.respond({ method: 'GetRPCMethodsResponse', methodList: ['GetRPCMethods'] })
    expect(xml(res)).toContain('urn:dslforum-org:cwmp-1-0')
    expect(decodeEnvelope(res.body).header.id).toBe('a1')
  })

  it('fails on a fault to Inform other than 8005 (e.g. 8006)', () => {
    const cpe = createCpeSession({ url: ACS_URL, inform: inform() })
    cpe.start()
    const r = cpe.receive(soap(encodeEnvelope({ version: '1.4', header: {}, body: makeFault('acs', 'VersionIncompatible') })))
    expect(r.step).toMatchObject({ type: 'failed', reason: 'inform-fault', fault: { faultCode: 8006 } })
  })

  it('follows up to 5 consecutive redirects with the same request, for this session only', () => {
    const cpe = createCpeSession({ url: ACS_URL, inform: inform() })
    const first = cpe.start()
    let r = cpe.receive({ status: 302, headers: { location: '/other' }, body: '' })
    expect(r.step).toEqual({ type: 'redirect', url: 'http://acs.test/other' })
    expect(r.send).toMatchObject({ url: 'http://acs.test/other', body: first.body })
    for (let i = 0; i < 4; i++) r = cpe.receive({ status: 307, headers: { location: `http://acs${i}.test/x` }, body: '' })
    expect(r.send?.url).toBe('http://acs3.test/x')
    expect(cpe.receive({ status: 307, headers: { location: 'http://acs9.test/' }, body: '' }).step).toMatchObject({
      type: 'failed',
      reason: 'redirects',
    })
    // The redirected URL is not kept: the next session starts at the configured ACS URL.
    expect(createCpeSession({ url: ACS_URL, inform: inform() }).start().url).toBe(ACS_URL)
  })

  it('resets the redirect count after a normal response, and keeps the redirected URL', () => {
    const cpe = createCpeSession({ url: ACS_URL, inform: inform() })
    cpe.start()
    cpe.receive({ status: 302, headers: { location: 'http://b.test/cwmp' }, body: '' })
    const r = cpe.receive(informResponse())
    expect(r.send?.url).toBe('http://b.test/cwmp')
    expect(cpe.snapshot.redirects).toBe(0)
  })

  it('fails on 401 (authentication is the transport middleware’s job: a 401 here is the second one)', () => {
    const cpe = createCpeSession({ url: ACS_URL, inform: inform() })
    cpe.start()
    expect(cpe.receive({ status: 401, headers: { 'www-authenticate': 'Digest realm="x"' }, body: '' }).step).toMatchObject({
      type: 'failed',
      reason: 'unauthorized',
    })
  })

  it('answers an unknown ACS method with fault 9000 echoing the ID, and goes on', () => {
    const cpe = createCpeSession({ url: ACS_URL, inform: inform() })
    cpe.start()
    cpe.receive(informResponse())
    const unknown =
      '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">' +
      '<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">q7</cwmp:ID></soap-env:Header>' +
      '<soap-env:Body><cwmp:X_ACME_Frobnicate><Level>3</Level></cwmp:X_ACME_Frobnicate></soap-env:Body></soap-env:Envelope>'
    const r = cpe.receive(soap(unknown))
    expect(r.step).toMatchObject({ type: 'invalid-request', fault: { faultCode: 9000 } })
    const sent = decodeEnvelope(r.send!.body)
    expect(sent.header.id).toBe('q7')
    expect(sent.body).toMatchObject({ method: 'Fault', faultCode: 9000, soapFaultCode: 'Server' })
    expect(cpe.receive({ status: 204, headers: {}, body: '' }).step.type).toBe('end')
  })

  it('treats 200 with an empty body as the empty response', () => {
    const cpe = createCpeSession({ url: ACS_URL, inform: inform() })
    cpe.start()
    cpe.receive(informResponse())
    expect(cpe.receive({ status: 200, headers: {}, body: '' }).step.type).toBe('end')
  })

  it('fails on malformed XML and on HTTP errors', () => {
    const a = createCpeSession({ url: ACS_URL, inform: inform() })
    a.start()
    expect(a.receive(soap('<soap:Envelope')).step).toMatchObject({ type: 'failed', reason: 'protocol' })
    const b = createCpeSession({ url: ACS_URL, inform: inform() })
    b.start()
    expect(b.receive({ status: 500, headers: {}, body: 'oops' }).step).toMatchObject({ type: 'failed', reason: 'http-status' })
  })

  it('does not send requests while HoldRequests is true and sends them after the empty response', () => {
    const tc = {
      method: 'TransferComplete' as const,
      commandKey: 'k',
      faultStruct: { faultCode: 0, faultString: '' },
      startTime: '2026-11-25T06:00:00Z',
      completeTime: '2026-11-25T06:01:00Z',
    }
    const cpe = createCpeSession({ url: ACS_URL, inform: inform(), requests: [tc] })
    cpe.start()
    const r1 = cpe.receive(informResponse('1.2', { holdRequests: true }))
    expect(r1.send?.body).toBe('') // held: empty POST, which does not end the CPE's requests
    const r2 = cpe.receive({ status: 204, headers: {}, body: '' })
    expect(r2.step.type).toBe('empty')
    expect(decodeEnvelope(r2.send!.body).body).toEqual(tc)
  })

  it('throws on illegal calls without changing state', () => {
    const cpe = createCpeSession({ url: ACS_URL, inform: inform() })
    expect(() => cpe.receive(informResponse())).toThrow(expect.objectContaining({ code: 'ERR_CWMP_PROTOCOL_LOCAL' }))
    cpe.start()
    const before = structuredClone(cpe.snapshot)
    expect(() => cpe.start()).toThrow(expect.objectContaining({ code: 'ERR_CWMP_PROTOCOL_LOCAL' }))
    expect(() => cpe.respond({ method: 'RebootResponse' })).toThrow(expect.objectContaining({ code: 'ERR_CWMP_PROTOCOL_LOCAL' }))
    expect(cpe.snapshot).toEqual(before)
  })
})

describe('ACS session', () => {
  const informReq = (body = encodeEnvelope({ version: '1.4', header: { id: 'i', supportedCwmpVersions: ['1.0', '1.2', '1.4'] }, body: inform() })): HttpRequest => ({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'text/xml' },
    body,
  })

  it('negotiates the highest common version and sends UseCWMPVersion', () => {
    const acs = createAcsSession({ versions: ['1.0', '1.1', '1.2'] })
    expect(acs.receive(informReq()).step).toMatchObject({ type: 'inform', version: '1.2', incompatible: false })
    const env = decodeEnvelope(acs.informResponse().body)
    expect(env.header).toEqual({ id: 'i', useCwmpVersion: '1.2' })
  })

  it('reports incompatible versions so the ACS answers 8006', () => {
    const acs = createAcsSession({ versions: ['1.3'] })
    expect(acs.receive(informReq()).step).toMatchObject({ type: 'inform', incompatible: true })
    expect(() => acs.informResponse()).toThrow(expect.objectContaining({ code: 'ERR_CWMP_PROTOCOL_LOCAL' }))
    const res = acs.respond(makeFault('acs', 'VersionIncompatible'))
    expect(decodeEnvelope(res.body).body).toMatchObject({ faultCode: 8006 })
    expect(acs.state).toBe('failed')
  })

  it('answers unreadable XML with 400 and fails the session', () => {
    const acs = createAcsSession()
    const { step: event } = acs.receive(informReq('<not-xml'))
    expect(event).toMatchObject({ type: 'invalid', reason: 'malformed', reply: { status: 400 } })
    expect(acs.state).toBe('failed')
  })

  it('answers an unknown CPE method with 8000 and goes on', () => {
    const acs = createAcsSession()
    acs.receive(informReq())
    acs.informResponse()
    const unknown =
      '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:c="urn:dslforum-org:cwmp-1-2">' +
      '<s:Header><c:ID s:mustUnderstand="1">u1</c:ID></s:Header><s:Body><c:X_ACME_Hello/></s:Body></s:Envelope>'
    const { step: event } = acs.receive(informReq(unknown))
    expect(event).toMatchObject({ type: 'invalid', reason: 'unknown-method' })
    if (event.type !== 'invalid') throw new Error('unreachable')
    expect(decodeEnvelope(event.reply.body)).toMatchObject({ header: { id: 'u1' }, body: { faultCode: 8000 } })
    expect(acs.receive({ ...informReq(), body: '' }).step).toEqual({ type: 'empty', cpeDone: true })
    expect(acs.next().status).toBe(204)
    expect(acs.state).toBe('done')
  })

  it('continues a session from its JSON state in another "process"', () => {
    const a = createAcsSession({ sessionId: 'abc', queue: [{ method: 'Reboot', commandKey: 'r' }] })
    a.receive(informReq())
    a.informResponse()
    a.receive({ ...informReq(), body: '' })
    const saved = JSON.stringify(a.toJSON())
    const b = resumeAcsSession(JSON.parse(saved))
    const rpc = decodeEnvelope(b.next().body)
    expect(rpc).toMatchObject({ header: { id: 'abc.1' }, body: { method: 'Reboot', commandKey: 'r' } })
    const c = resumeAcsSession(JSON.parse(JSON.stringify(b.toJSON())))
    const res = encodeEnvelope({ version: '1.4', header: { id: 'abc.1' }, body: { method: 'RebootResponse' } })
    expect(c.receive({ ...informReq(), body: res }).step).toMatchObject({ type: 'response', idMismatch: false })
    expect(c.next().status).toBe(204)
    expect(c.state).toBe('done')
  })
})
