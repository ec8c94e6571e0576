import { afterEach, describe, expect, it } from 'vitest'
import {
  composeTransport,
  createHttpTransport,
  createStreamLogSink,
  formatTransportLogEntry,
  withAuth,
  withCookies,
  withLogging,
  type HttpTransport,
  type TransportLogEntry,
} from '../../src/index.js'
import { closeAllServers, readBody, startServer } from './helpers.js'

const transports: HttpTransport[] = []
afterEach(async () => {
  for (const t of transports.splice(0)) t.close()
  await closeAllServers()
})

describe('withLogging', () => {
  it('reports every message on the wire, the 401 round trip included, in order', async () => {
    const server = await startServer(async (req, res) => {
      await readBody(req)
      if (req.headers.authorization === undefined) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="acs"', 'set-cookie': 'sid=1', 'content-length': '0' }).end()
        return
      }
      res.writeHead(200, { 'content-type': 'text/xml' }).end('<a><b>1</b></a>')
    })
    const http = createHttpTransport()
    transports.push(http)
    const entries: TransportLogEntry[] = []
    const t = composeTransport(http, withAuth({ username: 'u', password: 'p', basicOverHttp: true }), withCookies(), withLogging((e) => entries.push(e)))
    await t.send({ method: 'POST', url: `${server.origin}/acs`, headers: { 'content-type': 'text/xml' }, body: '<Inform/>' })
    expect(entries.map((e) => [e.type, e.seq, e.type === 'response' ? e.response.status : undefined])).toEqual([
      ['request', 1, undefined],
      ['response', 1, 401],
      ['request', 2, undefined],
      ['response', 2, 200],
    ])
    const resend = entries[2]
    expect(resend?.type === 'request' && resend.request.headers['cookie']).toBe('sid=1')

    const text = entries.map((e) => formatTransportLogEntry(e)).join('')
    expect(text).toContain(`>>> #1 POST ${server.origin}/acs`)
    expect(text).toContain('<<< #2 200')
    expect(text).toContain('<a>\n  <b>1</b>\n</a>')
    expect(text).toContain('authorization: Basic [redacted]')
    expect(text).not.toContain(Buffer.from('u:p').toString('base64'))
    expect(text).toContain('cookie: sid=…')
  })

  it('reports failures and rethrows them unchanged; a throwing sink changes nothing', async () => {
    const server = await startServer(() => {
      // never answers
    })
    const http = createHttpTransport({ timeoutMs: 100 })
    transports.push(http)
    const entries: TransportLogEntry[] = []
    const t = composeTransport(
      http,
      withLogging(() => {
        throw new Error('broken sink')
      }),
      withLogging((e) => entries.push(e)),
    )
    const err = await t.send({ method: 'POST', url: `${server.origin}/`, headers: {}, body: '' }).catch((e: unknown) => e)
    expect((err as { code: string }).code).toBe('ERR_CWMP_TRANSPORT_TIMEOUT')
    expect(entries.map((e) => e.type)).toEqual(['request', 'error'])
    const error = entries[1]
    expect(error?.type === 'error' && error.error).toBe(err)
    expect(formatTransportLogEntry(entries[1] as TransportLogEntry)).toMatch(/^!!! #1 POST .* failed: ERR_CWMP_TRANSPORT_TIMEOUT: /)
  })

  it('writes entries to a stream, pretty or raw, with or without headers', () => {
    const written: string[] = []
    const entry: TransportLogEntry = {
      type: 'request',
      seq: 7,
      request: { method: 'POST', url: 'http://acs/', headers: { 'set-cookie': ['a=1; Path=/'] }, body: '<a><b/></a>' },
    }
    createStreamLogSink({ write: (s: string) => written.push(s) })(entry)
    createStreamLogSink({ write: (s: string) => written.push(s) }, { pretty: false, headers: false })(entry)
    createStreamLogSink({ write: (s: string) => written.push(s) }, { redact: false })(entry)
    expect(written[0]).toBe('>>> #7 POST http://acs/\nset-cookie: a=…; Path=/\n\n<a>\n  <b/>\n</a>\n\n')
    expect(written[1]).toBe('>>> #7 POST http://acs/\n\n<a><b/></a>\n\n')
    expect(written[2]).toContain('set-cookie: a=1; Path=/')
  })

  it('redacts credentials carried in SOAP bodies and URLs (SetParameterValues, Download), not other values', () => {
    const body =
      '<cwmp:SetParameterValues><ParameterList>' +
      '<ParameterValueStruct><Name>Device.ManagementServer.ConnectionRequestPassword</Name><Value xsi:type="xsd:string">hunter2</Value></ParameterValueStruct>' +
      '<ParameterValueStruct><Name>\n Device.WiFi.AccessPoint.1.Security.KeyPassphrase \n</Name>\n <Value>wifi-pass</Value></ParameterValueStruct>' +
      '<ParameterValueStruct><Name>Device.ManagementServer.PeriodicInformInterval</Name><Value>300</Value></ParameterValueStruct>' +
      '</ParameterList></cwmp:SetParameterValues>' +
      '<cwmp:Download><Username>fileuser</Username><Password>file-pass</Password></cwmp:Download>'
    const entry: TransportLogEntry = {
      type: 'request',
      seq: 1,
      request: { method: 'POST', url: 'http://cpe:url-pass@acs.example/cwmp', headers: {}, body },
    }
    const text = formatTransportLogEntry(entry)
    for (const secret of ['hunter2', 'wifi-pass', 'file-pass', 'url-pass']) expect(text).not.toContain(secret)
    expect(text).toContain('>>> #1 POST http://cpe:[redacted]@acs.example/cwmp')
    expect(text).toContain('<Value xsi:type="xsd:string">[redacted]</Value>')
    expect(text).toContain('<Password>[redacted]</Password>')
    expect(text).toContain('<Value>300</Value>')
    expect(text).toContain('<Username>fileuser</Username>')
    const failed = formatTransportLogEntry({ type: 'error', seq: 1, request: entry.request, error: new Error('x'), elapsedMs: 1 })
    expect(failed).not.toContain('url-pass')
    const raw = formatTransportLogEntry(entry, { redact: false })
    for (const secret of ['hunter2', 'wifi-pass', 'file-pass', 'url-pass']) expect(raw).toContain(secret)
  })
})
