/**
 * The ACS simulator over real loopback HTTP: whole sessions, cookies, authentication, scripting,
 * CPE requests, Inform faults and version negotiation.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  composeTransport,
  createAcsSimulator,
  createHttpTransport,
  decodeEnvelope,
  encodeEnvelope,
  makeFault,
  withCookies,
  parseCookieHeader,
  type AcsRecordedMessage,
  type AcsSimulator,
  type AcsSimulatorOptions,
  type GetParameterNamesResponse,
} from '../../src/index.js'
import { soapPost } from '../../src/session/http.js'
import { cleanup, createTestCpe } from './helpers.js'

const simulators: AcsSimulator[] = []
afterEach(() => cleanup(simulators))

async function start(options: AcsSimulatorOptions = {}): Promise<AcsSimulator> {
  const sim = await createAcsSimulator(options)
  simulators.push(sim)
  return sim
}

const PASSWORD = 'cpe-secret'
const USER = 'AABBCC-SampleGateway-CWMP000001'

/** Body methods of one direction, leaving out the 401 exchanges. */
function methods(messages: readonly AcsRecordedMessage[], direction: 'in' | 'out'): string[] {
  const challenged = new Set(messages.filter((m) => m.status === 401).map((m) => m.seq))
  return messages
    .filter((m) => m.direction === direction && !challenged.has(m.seq))
    .map((m) => m.message?.method ?? (m.raw === '' ? 'empty' : `error:${m.error ?? ''}`))
}

describe('ACS simulator: a full session over HTTP', () => {
  it('Inform, queued GetParameterValues / SetParameterValues / AddObject / DeleteObject, 204; digest auth; cookie on every request', async () => {
    const sim = await start({ auth: { username: USER, password: PASSWORD } })
    const cpe = createTestCpe({ url: sim.url, username: USER, password: PASSWORD })
    expect(cpe.deviceKey).toBe(USER)
    sim.queue(
      cpe.deviceKey,
      { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SerialNumber', 'Device.WiFi.SSID.1.SSID'] },
      {
        method: 'SetParameterValues',
        parameterList: [{ name: 'Device.WiFi.SSID.1.SSID', type: 'xsd:string', value: 'simulated' }],
        parameterKey: 'k1',
      },
      { method: 'AddObject', objectName: 'Device.NAT.PortMapping.', parameterKey: 'k2' },
      { method: 'DeleteObject', objectName: 'Device.NAT.PortMapping.1.', parameterKey: 'k3' },
    )
    const run = await cpe.run(['0 BOOTSTRAP', '1 BOOT'])
    expect(run.outcome).toBe('end')
    expect(run.requests.map((r) => r.method)).toEqual(['GetParameterValues', 'SetParameterValues', 'AddObject', 'DeleteObject'])
    // The CPE's model saw the changes.
    expect(cpe.model.getParameterValues(['Device.WiFi.SSID.1.SSID'])[0]?.value).toBe('simulated')
    expect(cpe.model.getParameterValues(['Device.NAT.PortMappingNumberOfEntries'])[0]?.value).toBe('0')
    expect(cpe.model.parameterKey).toBe('k3')

    // What the simulator recorded, both directions.
    expect(methods(sim.messages, 'in')).toEqual([
      'Inform',
      'empty',
      'GetParameterValuesResponse',
      'SetParameterValuesResponse',
      'AddObjectResponse',
      'DeleteObjectResponse',
    ])
    expect(methods(sim.messages, 'out')).toEqual([
      'InformResponse',
      'GetParameterValues',
      'SetParameterValues',
      'AddObject',
      'DeleteObject',
      'empty',
    ])
    const statuses = sim.messages.filter((m) => m.direction === 'out').map((m) => m.status)
    expect(statuses).toEqual([401, 200, 200, 200, 200, 200, 204])

    // Cookies: set once, on the InformResponse; returned on every later request of the session.
    const out = sim.messages.filter((m) => m.direction === 'out')
    const setCookies = out.filter((m) => m.headers['set-cookie'] !== undefined)
    expect(setCookies).toHaveLength(1)
    expect(setCookies[0]?.message?.method).toBe('InformResponse')
    expect(setCookies[0]?.headers['set-cookie']).toMatch(/^cwmpsid=[A-Za-z0-9_-]{22}; Path=\/; HttpOnly$/)
    const sid = setCookies[0]?.sessionId
    const inbound = sim.messages.filter((m) => m.direction === 'in')
    const withCookie = inbound.filter((m) => parseCookieHeader(m.headers['cookie']).get('cwmpsid') === sid)
    expect(withCookie).toHaveLength(5) // every request after the Inform
    // The 401 exchange belongs to no session; every other one to this session.
    expect(inbound.map((m) => m.sessionId)).toEqual([undefined, sid, sid, sid, sid, sid, sid])

    const [session] = sim.sessions()
    expect(session).toMatchObject({
      sessionId: sid,
      deviceKey: USER,
      events: ['0 BOOTSTRAP', '1 BOOT'],
      username: USER,
      outcome: 'done',
      version: '1.4',
    })
    expect(session?.requests.map((r) => r.method)).toEqual(['GetParameterValues', 'SetParameterValues', 'AddObject', 'DeleteObject'])
    expect(await sim.queued(cpe.deviceKey)).toEqual([])
  })

  it('the script reads GetParameterNames, then GetParameterValues of what it returned', async () => {
    const sim = await start({
      script: (turn) => {
        if (turn.last.type === 'empty') return { method: 'GetParameterNames', parameterPath: 'Device.DeviceInfo.', nextLevel: true }
        if (turn.last.type === 'response' && turn.last.response.method === 'GetParameterNamesResponse') {
          const names = (turn.last.response as GetParameterNamesResponse).parameterList
            .map((p) => p.name)
            .filter((n) => !n.endsWith('.'))
          return { method: 'GetParameterValues', parameterNames: names }
        }
        return undefined
      },
    })
    const cpe = createTestCpe({ url: sim.url })
    const run = await cpe.run()
    expect(run.outcome).toBe('end')
    expect(run.requests.map((r) => r.method)).toEqual(['GetParameterNames', 'GetParameterValues'])
    const gpn = cpe.model.getParameterNames('Device.DeviceInfo.', true).map((p) => p.name).filter((n) => !n.endsWith('.'))
    expect(gpn.length).toBeGreaterThan(5)
    const gpv = run.requests[1]
    expect(gpv?.method === 'GetParameterValues' && gpv.parameterNames).toEqual(gpn)
    const lastIn = sim.messages.filter((m) => m.direction === 'in').at(-1)
    expect(lastIn?.message?.method).toBe('GetParameterValuesResponse')
  })

  it('the script comes before the queue, and sees what is queued', async () => {
    const seen: string[][] = []
    const sim = await start({
      script: (turn) => {
        seen.push(turn.queue.map((r) => r.method))
        return turn.last.type === 'empty' ? { method: 'GetRPCMethods' } : undefined
      },
    })
    const cpe = createTestCpe({ url: sim.url })
    sim.queue(cpe.deviceKey, { method: 'Reboot', commandKey: 'r1' })
    const run = await cpe.run()
    expect(run.requests.map((r) => r.method)).toEqual(['GetRPCMethods', 'Reboot'])
    expect(seen).toEqual([['Reboot'], ['Reboot'], []])
  })
})

describe('ACS simulator: CPE requests, Inform faults, versions', () => {
  it('answers the CPE requests by default, lets a hook override, and answers an unknown method with 8000', async () => {
    const sim = await start({
      onCpeRequest: (req, ctx) => {
        expect(ctx.deviceKey).toBe(USER)
        return req.method === 'RequestDownload' ? makeFault('acs', 'RequestDenied') : undefined
      },
    })
    const cpe = createTestCpe({ url: sim.url })
    const run = await cpe.run(['7 TRANSFER COMPLETE'], {
      requests: [
        {
          method: 'TransferComplete',
          commandKey: 'dl1',
          faultStruct: { faultCode: 0, faultString: '' },
          startTime: '2026-01-01T00:00:00Z',
          completeTime: '2026-01-01T00:01:00Z',
        },
        { method: 'GetRPCMethods' },
        { method: 'Kicked', command: 'c', referer: 'r', arg: 'a', next: 'http://next.test/' },
        { method: 'RequestDownload', fileType: '1 Firmware Upgrade Image', fileTypeArg: [] },
      ],
    })
    expect(run.outcome).toBe('end')
    const answers = run.events.flatMap((e): unknown[] =>
      e.type === 'response' ? [e.response] : e.type === 'fault' ? [`fault ${e.fault.faultCode}`] : [],
    )
    expect(answers).toEqual([
      { method: 'TransferCompleteResponse' },
      {
        method: 'GetRPCMethodsResponse',
        methodList: [
          'Inform',
          'GetRPCMethods',
          'TransferComplete',
          'AutonomousTransferComplete',
          'Kicked',
          'RequestDownload',
          'DUStateChangeComplete',
          'AutonomousDUStateChangeComplete',
        ],
      },
      { method: 'KickedResponse', nextUrl: 'http://next.test/' },
      'fault 8001',
    ])

    // An unknown CPE method, sent by hand inside a session: 8000, and the session goes on.
    const http = createHttpTransport()
    const cookies = withCookies()
    const t = composeTransport(http, cookies)
    try {
      const informXml = encodeEnvelope({ version: '1.2', header: { id: 'i1' }, body: cpe.inform(['2 PERIODIC']) })
      expect((await t.send(soapPost(sim.url, informXml))).status).toBe(200)
      const unknown =
        '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">' +
        '<soap-env:Header><cwmp:ID soap-env:mustUnderstand="1">u1</cwmp:ID></soap-env:Header>' +
        '<soap-env:Body><cwmp:X_ACME_Frobnicate/></soap-env:Body></soap-env:Envelope>'
      const res = await t.send(soapPost(sim.url, unknown))
      expect(res.status).toBe(200)
      const fault = decodeEnvelope(res.body)
      expect(fault.body).toMatchObject({ method: 'Fault', faultCode: 8000 })
      expect(fault.header.id).toBe('u1')
      expect((await t.send({ method: 'POST', url: sim.url, headers: {}, body: '' })).status).toBe(204)
    } finally {
      http.close()
    }
    expect(sim.sessions().map((s) => s.outcome)).toEqual(['done', 'done'])
    expect(sim.messages.find((m) => m.raw.includes('X_ACME_Frobnicate'))?.error).toMatch(/^unknown-method/)
  })

  it('informFault 8005: the CPE sends the same Inform again in the same session', async () => {
    const sim = await start({ informFault: (_inform, ctx) => (ctx.retries < 2 ? makeFault('acs', 'RetryRequest') : undefined) })
    const cpe = createTestCpe({ url: sim.url })
    const run = await cpe.run(['2 PERIODIC'])
    expect(run.outcome).toBe('end')
    expect(run.events.map((e) => e.type)).toEqual(['retry', 'retry', 'informed', 'end'])
    const out = sim.messages.filter((m) => m.direction === 'out')
    expect(out.map((m) => (m.message?.method === 'Fault' ? 8005 : (m.message?.method ?? m.status)))).toEqual([
      8005,
      8005,
      'InformResponse',
      204,
    ])
    // The cookie came with the first answer; the re-sent Informs are in the same session.
    const ids = new Set(sim.messages.map((m) => m.sessionId))
    expect(ids.size).toBe(1)
    const cookies = out.map((m) => m.headers['set-cookie'])
    expect(cookies[0]).toBe(`cwmpsid=${[...ids][0] as string}; Path=/; HttpOnly`)
    expect(cookies).toEqual([cookies[0], cookies[0], cookies[0], undefined])
    expect(sim.sessions()).toHaveLength(1)
    expect(sim.sessions()[0]?.outcome).toBe('done')
  })

  it('informFault 8003: the session fails on both sides, and queued requests wait for the next session', async () => {
    let refuse = true
    const sim = await start({ informFault: () => (refuse ? makeFault('acs', 'InvalidArguments') : undefined) })
    const cpe = createTestCpe({ url: sim.url })
    sim.queue(cpe.deviceKey, { method: 'Reboot', commandKey: 'r' })
    const run = await cpe.run(['2 PERIODIC'])
    expect(run.failure).toMatchObject({ reason: 'inform-fault', fault: { faultCode: 8003 } })
    expect(sim.sessions()[0]).toMatchObject({ outcome: 'failed', reason: 'Inform answered with fault 8003' })
    expect((await sim.queued(cpe.deviceKey)).map((r) => r.method)).toEqual(['Reboot'])
    refuse = false
    const again = await cpe.run(['2 PERIODIC'])
    expect(again.requests.map((r) => r.method)).toEqual(['Reboot'])
  })

  it('onInform queues for the session it opens (not after an 8005 fault); onSessionEnd sees each session once, recorded', async () => {
    const ended: { id: string; outcome: string; requests: string[]; recorded: boolean }[] = []
    const informs: string[][] = []
    let sim: AcsSimulator | undefined
    let faults = 1
    const errors: unknown[] = []
    sim = await start({
      onError: (e) => errors.push(e),
      informFault: () => (faults-- > 0 ? makeFault('acs', 'RetryRequest') : undefined),
      onInform: async (inform, ctx) => {
        informs.push(inform.event.map((e) => e.eventCode))
        await sim?.queue(ctx.deviceKey, { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SerialNumber'] })
      },
      onSessionEnd: (session) => {
        const last = sim?.messages.at(-1)
        ended.push({ id: session.sessionId, outcome: session.outcome, requests: session.requests.map((r) => r.method), recorded: last?.sessionId === session.sessionId && last.direction === 'out' })
        throw new Error('a throwing onSessionEnd goes to onError')
      },
    })
    const cpe = createTestCpe({ url: sim.url })
    const run = await cpe.run(['2 PERIODIC'])
    expect(run.requests.map((r) => r.method)).toEqual(['GetParameterValues'])
    // Once per accepted Inform: the one answered 8005 is not.
    expect(informs).toEqual([['2 PERIODIC']])
    expect(ended).toEqual([{ id: sim.sessions()[0]?.sessionId, outcome: 'done', requests: ['GetParameterValues'], recorded: true }])
    expect((await cpe.run(['2 PERIODIC'])).requests.map((r) => r.method)).toEqual(['GetParameterValues'])
    expect(ended.map((e) => e.outcome)).toEqual(['done', 'done'])
    expect(errors.map((e) => (e as Error).message)).toEqual(['a throwing onSessionEnd goes to onError', 'a throwing onSessionEnd goes to onError'])
    await expect(start({ onSessionEnd: 1 as never })).rejects.toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'onSessionEnd' })
  })

  it('version negotiation: UseCWMPVersion from the common versions, 8006 when there are none', async () => {
    const sim = await start({ versions: ['1.0', '1.1', '1.2', '1.3'] })
    const cpe = createTestCpe({ url: sim.url })
    const run = await cpe.run()
    const informed = run.events.find((e) => e.type === 'informed')
    expect(informed?.type === 'informed' && informed.version).toBe('1.3')
    expect(sim.messages.find((m) => m.message?.method === 'InformResponse')?.raw).toMatch(/UseCWMPVersion[^>]*>1\.3</)

    const old = await start({ versions: ['1.0', '1.1'] })
    const modern = createTestCpe({ url: old.url, versions: ['1.2', '1.3', '1.4'] })
    const refused = await modern.run()
    expect(refused.failure).toMatchObject({ reason: 'inform-fault', fault: { faultCode: 8006 } })
    expect(old.sessions()[0]).toMatchObject({ outcome: 'failed', reason: 'Inform answered with fault 8006' })

    // A CWMP 1.0 CPE (no SupportedCWMPVersions): the namespace decides, no UseCWMPVersion.
    const legacy = createTestCpe({ url: old.url, versions: ['1.0'] })
    expect((await legacy.run()).outcome).toBe('end')
    expect(old.messages.filter((m) => m.message?.method === 'InformResponse').at(-1)?.raw).not.toMatch(/UseCWMPVersion/)
    expect(old.sessions()[1]?.version).toBe('1.0')
  })
})

describe('ACS simulator: log and waitFor', () => {
  it('prints every message, XML indented, to a stream; or hands it to a function', async () => {
    let text = ''
    const seen: AcsRecordedMessage[] = []
    const sim = await start({ log: { write: (s: string) => (text += s) }, logHeaders: true })
    const sim2 = await start({ log: (m) => seen.push(m) })
    await createTestCpe({ url: sim.url }).run()
    await createTestCpe({ url: sim2.url }).run()
    expect(text).toMatch(/^CPE -> ACS #1 POST \/ \[AABBCC-SampleGateway-CWMP000001, session [\w-]+\]\n/)
    expect(text).toMatch(/\n {4}<cwmp:Inform>\n/)
    expect(text).toMatch(/\nACS -> CPE #1 200 .*\n(?:.*\n)*?set-cookie: cwmpsid=…; Path=\/; HttpOnly\n/)
    expect(text).toMatch(/\nACS -> CPE #2 204 .*\n(?:.*\n)*?\(empty\)\n/)
    expect(seen.map((m) => m.direction)).toEqual(['in', 'out', 'in', 'out'])
  })

  it('keeps at most maxMessages messages and maxSessions ended sessions, the newest', async () => {
    const sim = await start({ maxMessages: 4, maxSessions: 1 })
    const cpe = createTestCpe({ url: sim.url })
    for (const code of ['1 BOOT', '2 PERIODIC', '3 SCHEDULED']) expect((await cpe.run([code])).outcome).toBe('end')
    expect(sim.sessions().map((s) => s.events)).toEqual([['3 SCHEDULED']])
    expect(sim.messages.map((m) => m.message?.method ?? m.status)).toEqual(['Inform', 'InformResponse', undefined, 204])
    expect(sim.messages[0]?.seq).toBe(5)
  })

  it('the whole-message handler works without sockets', async () => {
    const sim = await start()
    const res = await sim.handler({ method: 'POST', url: '/', headers: {}, body: '' })
    expect(res.status).toBe(204)
    expect(sim.messages.map((m) => [m.direction, m.remotePort, m.error])).toEqual([
      ['in', undefined, undefined],
      ['out', undefined, 'empty POST outside a session'],
    ])
  })

  it('waitFor resolves with the first truthy value and rejects after its timeout', async () => {
    const sim = await start()
    const done = sim.waitFor(() => sim.sessions().find((s) => s.outcome === 'done'))
    const cpe = createTestCpe({ url: sim.url })
    const [session] = await Promise.all([done, cpe.run()])
    expect(session.deviceKey).toBe(cpe.deviceKey)
    await expect(sim.waitFor(() => false, 10)).rejects.toThrow('waitFor: condition not met within 10 ms')
    await expect(
      sim.waitFor(() => {
        throw new Error('predicate failed')
      }),
    ).rejects.toThrow('predicate failed')
  })
})
