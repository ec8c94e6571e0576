/**
 * Two simulator instances (two "processes") behind a load balancer, sharing only a session store
 * that holds JSON text and the Digest nonce secret: any instance continues any session.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  createAcsSimulator,
  createHttpTransport,
  type AcsScript,
  type AcsSimulator,
  type AcsSimulatorOptions,
  type GetParameterNamesResponse,
  type HttpTransport,
  type SessionStore,
  type StoredAcsSession,
  type Transport,
} from '../../src/index.js'
import { cleanup, createTestCpe } from './helpers.js'

const simulators: AcsSimulator[] = []
const transports: HttpTransport[] = []
afterEach(async () => {
  for (const t of transports.splice(0)) t.close()
  await cleanup(simulators)
})

/** A shared store that keeps JSON text, with asynchronous methods, like a networked store would. */
function jsonStore(): SessionStore & { readonly text: Map<string, string> } {
  const text = new Map<string, string>()
  const versions = new Map<string, number>()
  return {
    text,
    async get(id) {
      await Promise.resolve()
      const t = text.get(id)
      return t === undefined ? undefined : { record: JSON.parse(t) as StoredAcsSession, version: versions.get(id) as number }
    },
    async compareAndSet(id, expected, record) {
      await Promise.resolve()
      if (versions.get(id) !== expected) return undefined
      const version = (expected ?? 0) + 1
      text.set(id, JSON.stringify(record))
      versions.set(id, version)
      return version
    },
    async delete(id) {
      text.delete(id)
      versions.delete(id)
    },
  }
}

/** Depends only on its argument, so every instance makes the same choice. */
const script: AcsScript = (turn) => {
  if (turn.last.type === 'empty') return { method: 'GetParameterNames', parameterPath: 'Device.WiFi.SSID.1.', nextLevel: true }
  if (turn.last.type === 'response' && turn.last.response.method === 'GetParameterNamesResponse') {
    const names = (turn.last.response as GetParameterNamesResponse).parameterList.map((p) => p.name)
    return { method: 'GetParameterValues', parameterNames: names }
  }
  return undefined
}

const USER = 'AABBCC-SampleGateway-CWMP000001'
const SECRET = 'shared nonce secret, 32 bytes ok'

async function pair(options: Partial<Record<'a' | 'b', AcsSimulatorOptions>> = {}): Promise<[AcsSimulator, AcsSimulator, ReturnType<typeof jsonStore>]> {
  const store = jsonStore()
  const common: AcsSimulatorOptions = { store, script, auth: { password: 'pw', secret: SECRET } }
  const a = await createAcsSimulator({ ...common, ...options.a })
  const b = await createAcsSimulator({ ...common, ...options.b })
  simulators.push(a, b)
  return [a, b, store]
}

/** Sends each request to the instance `pick` chooses, as a load balancer without affinity would. */
function balancer(pick: (n: number) => AcsSimulator): Transport {
  const http = createHttpTransport()
  transports.push(http)
  let n = 0
  return {
    send(req) {
      const target = pick(n++)
      return http.send({ ...req, url: req.url.replace(LB, target.url) })
    },
  }
}

const LB = 'http://acs.balancer.test/'

describe('ACS simulator: a session continued by another instance sharing the store', () => {
  it('alternating every HTTP request between two instances: auth, CPE requests, script, 204', async () => {
    const [a, b, store] = await pair()
    const cpe = createTestCpe({
      url: LB,
      username: USER,
      password: 'pw',
      base: balancer((n) => (n % 2 === 0 ? a : b)),
    })
    const run = await cpe.run(['7 TRANSFER COMPLETE'], {
      requests: [
        {
          method: 'TransferComplete',
          commandKey: 'dl',
          faultStruct: { faultCode: 0, faultString: '' },
          startTime: '2026-01-01T00:00:00Z',
          completeTime: '2026-01-01T00:01:00Z',
        },
      ],
    })
    expect(run.outcome).toBe('end')
    expect(run.requests.map((r) => r.method)).toEqual(['GetParameterNames', 'GetParameterValues'])
    const gpv = run.requests[1]
    expect(gpv?.method === 'GetParameterValues' && gpv.parameterNames).toEqual([
      'Device.WiFi.SSID.1.Enable',
      'Device.WiFi.SSID.1.Status',
      'Device.WiFi.SSID.1.SSID',
    ])

    // A challenged, B verified A's nonce (shared secret, no shared nonce state).
    expect(a.messages[1]?.status).toBe(401)
    expect(b.messages[0]?.message?.method).toBe('Inform')
    expect(b.messages[1]?.message?.method).toBe('InformResponse')
    // Requests really alternated: Inform(401) A, Inform B, TransferComplete A, empty B, GPN resp A, GPV resp B.
    const label = (m: (typeof a.messages)[number]): string => m.message?.method ?? (m.error?.startsWith('not authenticated') === true ? 'unread' : 'empty')
    const inA = a.messages.filter((m) => m.direction === 'in').map(label)
    const inB = b.messages.filter((m) => m.direction === 'in').map(label)
    expect(inA).toEqual(['unread', 'TransferComplete', 'GetParameterNamesResponse'])
    expect(inB).toEqual(['Inform', 'empty', 'GetParameterValuesResponse'])
    expect(a.messages[0]?.raw).toBe('') // the unauthenticated Inform: refused from its head, body not read
    expect(b.messages.at(-1)?.status).toBe(204)

    // One session, the same id on both; the instance that saw the end says done, the store agrees.
    const [sa] = a.sessions()
    const [sb] = b.sessions()
    expect(sa?.sessionId).toBe(sb?.sessionId)
    expect(sb?.outcome).toBe('done')
    const stored = JSON.parse(store.text.get(sb?.sessionId as string) as string) as StoredAcsSession
    expect(stored.ended?.outcome).toBe('done')
    expect(stored.session.state).toBe('done')
    expect(sa?.requests.map((r) => r.method)).toEqual(['GetParameterValues'])
    expect(sb?.requests.map((r) => r.method)).toEqual(['GetParameterNames'])
  })

  it('fail-over: the instance that began the session goes away, the other finishes it', async () => {
    const [a, b] = await pair()
    let aAlive = true
    const cpe = createTestCpe({ url: LB, username: USER, password: 'pw', base: balancer(() => (aAlive ? a : b)) })
    const driver = cpe.driver()
    await driver.step() // 401 + Inform, both on A
    await a.close()
    aAlive = false
    while (await driver.step());
    expect(driver.result().outcome).toBe('end')
    expect(driver.result().requests.map((r) => r.method)).toEqual(['GetParameterNames', 'GetParameterValues'])
    expect(a.sessions()[0]?.outcome).toBe('active')
    expect(b.sessions()[0]).toMatchObject({ sessionId: a.sessions()[0]?.sessionId, outcome: 'done' })
  })

  it('control: with different nonce secrets the other instance refuses the nonce', async () => {
    const [a, b] = await pair({ b: { auth: { password: 'pw', secret: 'another secret of 32 bytes......' } } })
    const cpe = createTestCpe({ url: LB, username: USER, password: 'pw', base: balancer((n) => (n % 2 === 0 ? a : b)) })
    const run = await cpe.run()
    expect(run.failure?.reason).toBe('unauthorized')
    expect(b.messages[0]?.error).toBe('not authenticated (Digest: bad-nonce)')
  })
})
