/**
 * Issue 9, the ACS simulator's side: each finding as an attack on loopback, bounded in count and
 * time. Impersonation (item 1), unauthenticated bodies (item 2), concurrent Informs of one device
 * (item 8), connection floods and slowloris (item 9), SHA-256 only and the Digest `uri` (item 10),
 * the order of recording and notification (item 11).
 */
import * as net from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import {
  ConfigError,
  createAcsSimulator,
  createDigestAuthorization,
  createHttpTransport,
  createMemorySessionStore,
  encodeEnvelope,
  selectDigestChallenge,
  type AcsSimulator,
  type AcsSimulatorOptions,
  type HttpTransport,
  type SessionStore,
  type StoredAcsSession,
} from '../../src/index.js'
import { cleanup, createTestCpe, statusOf } from './helpers.js'

const simulators: AcsSimulator[] = []
const transports: HttpTransport[] = []
const sockets: net.Socket[] = []
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy()
  for (const t of transports.splice(0)) t.close()
  await cleanup(simulators)
})

async function start(options: AcsSimulatorOptions = {}): Promise<AcsSimulator> {
  const sim = await createAcsSimulator(options)
  simulators.push(sim)
  return sim
}

function transport(): HttpTransport {
  const t = createHttpTransport({ timeoutMs: 10_000 })
  transports.push(t)
  return t
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<T>((_r, reject) => setTimeout(() => reject(new Error(`${what} not within ${ms} ms`)), ms))])

const VICTIM = 'AABBCC-SampleGateway-VICTIM'
const ATTACKER = 'AABBCC-SampleGateway-ATTACKER'
const PASSWORDS: Record<string, string> = { [VICTIM]: 'victim-pw', [ATTACKER]: 'attacker-pw' }
const SECRET_SPV = {
  method: 'SetParameterValues',
  parameterList: [{ name: 'Device.ManagementServer.ConnectionRequestPassword', value: 'new-cr-secret', type: 'xsd:string' }],
  parameterKey: 'k',
} as const

describe('attack (item 1): a CPE with its own valid credentials Informs as another device', () => {
  it('per-device credentials: 403, and nothing of the victim changes (queue, ConnectionRequestURL, live session)', async () => {
    const sim = await start({ auth: { credentials: (u) => PASSWORDS[u] } })
    const victim = createTestCpe({ url: sim.url, serialNumber: 'VICTIM', username: VICTIM, password: 'victim-pw', connectionRequestUrl: 'http://127.0.0.1:1/victim' })
    expect((await victim.run(['1 BOOT'])).outcome).toBe('end')
    // The victim's next session is open and waiting; a password-carrying request is queued for it.
    const live = victim.driver(['2 PERIODIC'])
    await live.step() // 401 + Inform → InformResponse
    const [session] = sim.sessions().filter((s) => s.outcome === 'active')
    expect(session?.deviceKey).toBe(VICTIM)
    sim.queue(VICTIM, SECRET_SPV)

    const attacker = createTestCpe({ url: sim.url, serialNumber: 'VICTIM', username: ATTACKER, password: 'attacker-pw', connectionRequestUrl: 'http://127.0.0.1:2/attacker' })
    const run = await attacker.run(['6 CONNECTION REQUEST'])
    expect(run.outcome).toBe('failed')
    expect(run.requests).toEqual([])
    const refused = sim.messages.filter((m) => m.status === 403)
    expect(refused).toHaveLength(1)
    expect(sim.messages.find((m) => m.seq === refused[0]?.seq && m.direction === 'in')?.error).toBe(
      `not authorized: user "${ATTACKER}" may not be device "${VICTIM}"`,
    )
    // Nothing changed: the queue, the device's URL and last Inform, the victim's live session.
    expect(await sim.queued(VICTIM)).toEqual([SECRET_SPV])
    expect((await sim.devices()).find((d) => d.deviceKey === VICTIM)).toMatchObject({ connectionRequestUrl: 'http://127.0.0.1:1/victim' })
    expect((await sim.devices()).find((d) => d.deviceKey === VICTIM)?.lastEvents).toEqual(['2 PERIODIC'])
    expect(sim.sessions().filter((s) => s.deviceKey === VICTIM).map((s) => s.outcome)).toEqual(['done', 'active'])

    // The victim goes on and receives its own request.
    while (await live.step());
    expect(live.result().outcome).toBe('end')
    expect(live.result().requests.map((r) => r.method)).toEqual(['SetParameterValues'])
    // The attacker as itself is fine.
    const own = createTestCpe({ url: sim.url, serialNumber: 'ATTACKER', username: ATTACKER, password: 'attacker-pw' })
    expect((await own.run()).outcome).toBe('end')
  })

  it("an authorize callback decides; 'cpe-username' can be asked for with a shared password", async () => {
    const asked: [string, string, string][] = []
    const sim = await start({
      auth: {
        password: 'shared',
        authorize: async (user, deviceId, deviceKey) => {
          asked.push([user, deviceId.serialNumber, deviceKey])
          return user === 'fleet-admin' || deviceKey.endsWith(user)
        },
      },
    })
    expect((await createTestCpe({ url: sim.url, serialNumber: 'SN1', username: 'SN1', password: 'shared' }).run()).outcome).toBe('end')
    expect((await createTestCpe({ url: sim.url, serialNumber: 'SN2', username: 'SN1', password: 'shared' }).run()).outcome).toBe('failed')
    expect(asked).toEqual([
      ['SN1', 'SN1', 'AABBCC-SampleGateway-SN1'],
      ['SN1', 'SN2', 'AABBCC-SampleGateway-SN2'],
    ])
    const strict = await start({ auth: { password: 'shared', authorize: 'cpe-username' } })
    expect((await createTestCpe({ url: strict.url, serialNumber: 'SN1', username: 'AABBCC-SampleGateway-SN1', password: 'shared' }).run()).outcome).toBe('end')
    expect((await createTestCpe({ url: strict.url, serialNumber: 'SN2', username: 'AABBCC-SampleGateway-SN1', password: 'shared' }).run()).outcome).toBe('failed')
    expect(strict.sessions().map((s) => s.deviceKey)).toEqual(['AABBCC-SampleGateway-SN1'])
  })

  it('one shared password keeps working: any holder may be any device (what a shared credential allows)', async () => {
    const sim = await start({ auth: { password: 'shared' } })
    expect((await createTestCpe({ url: sim.url, serialNumber: 'SN2', username: 'anyone', password: 'shared' }).run()).outcome).toBe('end')
    await expect(createAcsSimulator({ auth: { password: 'x', authorize: 'nobody' as 'any' } })).rejects.toThrow(ConfigError)
  })
})

/** Write a head and up to `size` bytes of body as fast as the socket takes them; the reply and how much went out. */
function flood(port: number, head: string, size: number): Promise<{ reply: string; written: number }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    sockets.push(socket)
    const chunks: Buffer[] = []
    const data = Buffer.alloc(64 * 1024, 0x3c)
    // A chunked head gets its body in valid chunks, so that only the size is an attack.
    const chunk = /transfer-encoding: chunked/i.test(head) ? Buffer.concat([Buffer.from('10000\r\n'), data, Buffer.from('\r\n')]) : data
    let written = 0
    socket.on('data', (c: Buffer) => chunks.push(c))
    socket.on('error', () => undefined)
    socket.on('close', () => resolve({ reply: Buffer.concat(chunks).toString('latin1'), written }))
    const pump = (): void => {
      while (written < size && !socket.destroyed) {
        written += chunk.length
        if (!socket.write(chunk)) {
          socket.once('drain', pump)
          return
        }
      }
      socket.end()
    }
    socket.write(head)
    pump()
  })
}

describe('attack (item 2): unauthenticated bodies cost bounded memory', () => {
  it('20 unauthenticated 31 MiB POSTs (declared and chunked, with and without a forged cookie): 401 from the head, recorded without body, connection closed', async () => {
    const sim = await start({ auth: { password: 'pw' } })
    const size = 31 * 1024 * 1024
    const heads = [
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${size}\r\n\r\n`,
      'POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n',
      `POST / HTTP/1.1\r\nHost: x\r\nCookie: cwmpsid=forged\r\nContent-Length: ${size}\r\n\r\n`,
      `POST / HTTP/1.1\r\nHost: x\r\nAuthorization: Digest username="x", realm="cwmp-acs", nonce="n", uri="/", response="0"\r\nContent-Length: ${size}\r\n\r\n`,
    ]
    const results = []
    for (let i = 0; i < 20; i++) results.push(await within(flood(sim.port, heads[i % heads.length] as string, size), 20_000, `flood ${i}`))
    for (const r of results) {
      expect(statusOf(r.reply)).toBe(401)
      expect(r.reply.toLowerCase()).toContain('connection: close')
      // The server closed the connection long before 31 MiB went in.
      expect(r.written).toBeLessThan(size)
    }
    const inbound = sim.messages.filter((m) => m.direction === 'in')
    expect(inbound).toHaveLength(20)
    expect(inbound.every((m) => m.raw === '' && m.message === undefined && m.error?.startsWith('not authenticated') === true)).toBe(true)
    expect(sim.sessions()).toEqual([])
    expect((await createTestCpe({ url: sim.url, username: 'AABBCC-SampleGateway-CWMP000001', password: 'pw' }).run()).outcome).toBe('end')
  })

  it('not a POST: 405 from the head, the body unread', async () => {
    const sim = await start()
    const r = await within(flood(sim.port, `PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: ${8 * 1024 * 1024}\r\n\r\n`, 8 * 1024 * 1024), 20_000, 'PUT')
    expect(statusOf(r.reply)).toBe(405)
    expect(sim.messages[0]).toMatchObject({ direction: 'in', method: 'PUT', raw: '', error: 'not a POST' })
  })

  it("an ended session's tombstone keeps neither the Inform's ParameterList nor the request text", async () => {
    const store = createMemorySessionStore()
    const sim = await start({ store, maxMessages: 0 })
    const cpe = createTestCpe({ url: sim.url, serialNumber: 'TOMB' })
    expect((await cpe.run(['1 BOOT'])).outcome).toBe('end')
    cpe.close()
    const records = [...((await store.list?.()) ?? [])]
    expect(records).toHaveLength(1)
    const [, tombstone] = records[0] as [string, StoredAcsSession]
    expect(tombstone.ended?.outcome).toBe('done')
    expect(tombstone.inform.parameterList).toEqual([])
    expect(tombstone.inform.deviceId.serialNumber).toBe('TOMB')
    // What is read of it is still there.
    expect((await sim.allSessions()).map((s) => [s.deviceId.serialNumber, s.events, s.outcome])).toEqual([['TOMB', ['1 BOOT'], 'done']])
  })

  it('the recording is bounded in bytes: big bodies push the oldest out, a body over the bound is kept without its text', async () => {
    const sim = await start({ maxRecordedBytes: 64 * 1024 })
    const http = transport()
    const big = encodeEnvelope({ version: '1.2', header: { id: 'x' }, body: createTestCpe({ url: sim.url }).inform(['1 BOOT']) })
    for (let i = 0; i < 20; i++) await http.send({ method: 'POST', url: sim.url, headers: {}, body: `${big}${' '.repeat(20_000)}` })
    const total = sim.messages.reduce((n, m) => n + m.raw.length, 0)
    expect(total).toBeLessThanOrEqual(64 * 1024)
    expect(sim.messages.length).toBeLessThan(40)
    await http.send({ method: 'POST', url: sim.url, headers: {}, body: `${big}${' '.repeat(100_000)}` })
    const last = sim.messages.filter((m) => m.direction === 'in').at(-1)
    expect(last?.raw).toBe('')
    expect(last?.rawLength).toBe(big.length + 100_000)
    expect(last?.message?.method).toBe('Inform')
  })
})

/** A store whose calls take a few milliseconds, as a networked one would (writes longer than reads). */
function slowStore(): SessionStore {
  const memory = createMemorySessionStore()
  const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
  return {
    get: async (id) => {
      await pause(1)
      return memory.get(id)
    },
    compareAndSet: async (id, expected, record, ttl) => {
      await pause(6)
      return memory.compareAndSet(id, expected, record, ttl)
    },
    delete: async (id) => {
      await pause(1)
      memory.delete(id)
    },
  }
}

describe('attack (item 8): two Informs of one device at once never leave two live sessions', () => {
  it('40 pairs of concurrent Informs over a slow store: each pair leaves one live session, the other replaced', async () => {
    const sim = await start({ store: slowStore() })
    for (let i = 0; i < 40; i++) {
      const serialNumber = `PAIR${i}`
      const a = createTestCpe({ url: sim.url, serialNumber }).driver()
      const b = createTestCpe({ url: sim.url, serialNumber }).driver()
      await Promise.all([a.step(), b.step()])
    }
    const byDevice = new Map<string, string[]>()
    for (const s of sim.sessions()) byDevice.set(s.deviceKey, [...(byDevice.get(s.deviceKey) ?? []), s.outcome])
    expect(byDevice.size).toBe(40)
    for (const outcomes of byDevice.values()) expect(outcomes.sort()).toEqual(['active', 'replaced'])
  })
})

describe('attack (item 9): connection floods and slowloris against the ACS', () => {
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

  it('300 idle zero-byte sockets: at most maxConnections stay open and an honest CPE is served', async () => {
    const sim = await start({ limits: { maxConnections: 16, headersTimeoutMs: 60_000 } })
    const idle = []
    for (let i = 0; i < 300; i++) idle.push(await rawSocket(sim.port))
    let closed = 0
    await Promise.all(idle.map((s) => Promise.race([s.closed.then(() => closed++), new Promise((r) => setTimeout(r, 1000))])))
    expect(300 - closed).toBeLessThanOrEqual(16)
    expect((await within(createTestCpe({ url: sim.url }).run(), 20_000, 'the honest session')).outcome).toBe('end')
  })

  it('slowloris: a head dripped a byte at a time is cut off after headersTimeoutMs, a zero-byte socket too', async () => {
    const sim = await start({ limits: { headersTimeoutMs: 400 } })
    const zero = await rawSocket(sim.port)
    const drip = await rawSocket(sim.port)
    const head = `POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'a'.repeat(500)}`
    let i = 0
    const timer = setInterval(() => {
      if (i < head.length && !drip.socket.destroyed) drip.socket.write(head[i++] as string)
    }, 20)
    try {
      await within(Promise.all([zero.closed, drip.closed]), 5_000, 'the close of both sockets')
    } finally {
      clearInterval(timer)
    }
    expect(i).toBeLessThan(head.length)
  })

  it('refuses limits that are not positive integers', async () => {
    await expect(createAcsSimulator({ limits: { maxConnections: 0 } })).rejects.toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'limits.maxConnections' })
    await expect(createAcsSimulator({ maxDevices: -1 })).rejects.toMatchObject({ field: 'maxDevices' })
    await expect(createAcsSimulator({ maxRecordedBytes: 1.5 })).rejects.toMatchObject({ field: 'maxRecordedBytes' })
  })
})

describe('attack (item 10): Digest algorithm downgrade and the uri of another host', () => {
  const USER = 'AABBCC-SampleGateway-CWMP000001'
  const informBody = (): string =>
    encodeEnvelope({ version: '1.2', header: { id: 'a' }, body: createTestCpe({ url: 'http://unused.test/' }).inform(['1 BOOT']) })

  it("algorithms: ['SHA-256'] offers SHA-256 only; an MD5 answer to its nonce is refused, a SHA-256 one accepted", async () => {
    const sim = await start({ auth: { password: 'pw', algorithms: ['SHA-256'] } })
    const http = transport()
    const first = await http.send({ method: 'POST', url: sim.url, headers: {}, body: informBody() })
    expect(first.status).toBe(401)
    expect(String(first.headers['www-authenticate'])).toMatch(/algorithm=SHA-256/)
    expect(String(first.headers['www-authenticate'])).not.toMatch(/MD5/)
    const challenge = selectDigestChallenge(first.headers['www-authenticate'] as string)
    const answer = (algorithm: 'MD5' | 'SHA-256'): string =>
      createDigestAuthorization({ ...challenge, algorithm }, { username: USER, password: 'pw' }, { method: 'POST', uri: '/' }, { nc: 1, cnonce: 'c0ffee' })
    const md5 = await http.send({ method: 'POST', url: sim.url, headers: { authorization: answer('MD5') }, body: informBody() })
    expect(md5.status).toBe(401)
    expect(sim.messages.filter((m) => m.direction === 'in').at(-1)?.error).toBe('not authenticated (Digest: unsupported)')
    const sha = await http.send({ method: 'POST', url: sim.url, headers: { authorization: answer('SHA-256') }, body: informBody() })
    expect(sha.status).toBe(200)
    await expect(createAcsSimulator({ auth: { password: 'pw', algorithms: [] } })).rejects.toMatchObject({ field: 'auth.algorithms' })
  })

  it('an absolute-form uri naming this host is accepted; one naming another host is refused', async () => {
    const sim = await start({ auth: { password: 'pw' } })
    const http = transport()
    const host = new URL(sim.url).host
    const login = async (uri: string): Promise<number> => {
      const first = await http.send({ method: 'POST', url: sim.url, headers: {}, body: informBody() })
      const challenge = selectDigestChallenge(first.headers['www-authenticate'] as string | string[])
      const authorization = createDigestAuthorization(challenge, { username: USER, password: 'pw' }, { method: 'POST', uri }, { nc: 1, cnonce: 'c0ffee' })
      return (await http.send({ method: 'POST', url: sim.url, headers: { authorization }, body: informBody() })).status
    }
    expect(await login(`http://${host}/`)).toBe(200)
    expect(await login('http://evil.example/')).toBe(401)
    expect(sim.messages.filter((m) => m.direction === 'in').at(-1)?.error).toBe('not authenticated (Digest: uri-mismatch)')
  })
})

describe('attack: a sequential password guesser is slowed by auth.failureDelayMs (D440)', () => {
  const USER = 'AABBCC-SampleGateway-CWMP000001'
  const informBody = (): string =>
    encodeEnvelope({ version: '1.2', header: { id: 'g' }, body: createTestCpe({ url: 'http://unused.test/' }).inform(['1 BOOT']) })

  it('a refused password is answered after the delay; a request without credentials (every honest first request) at once', async () => {
    const sim = await start({ auth: { password: 'pw', failureDelayMs: 2000 } })
    const http = transport()
    const first = await http.send({ method: 'POST', url: sim.url, headers: {}, body: informBody() })
    const challenge = selectDigestChallenge(first.headers['www-authenticate'] as string)
    const guess = createDigestAuthorization(challenge, { username: USER, password: 'guess-1' }, { method: 'POST', uri: '/' }, { nc: 1, cnonce: 'c0ffee' })
    const order: string[] = []
    const t0 = performance.now()
    const guessed = transport()
      .send({ method: 'POST', url: sim.url, headers: { authorization: guess }, body: informBody() })
      .then((r) => {
        order.push('guess')
        return { status: r.status, ms: performance.now() - t0 }
      })
    // Sent after the guess, answered before it.
    const plain = await transport().send({ method: 'POST', url: sim.url, headers: {}, body: informBody() })
    order.push('no credentials')
    const g = await guessed
    expect(plain.status).toBe(401)
    expect(g.status).toBe(401)
    expect(order).toEqual(['no credentials', 'guess'])
    // A timer never fires early: the guess cannot have been answered before the delay.
    expect(g.ms).toBeGreaterThanOrEqual(1990)
    expect(sim.messages.filter((m) => m.direction === 'in').map((m) => m.error)).toContain('not authenticated (Digest: bad-response)')
    // The right password still gets in.
    const right = createDigestAuthorization(challenge, { username: USER, password: 'pw' }, { method: 'POST', uri: '/' }, { nc: 1, cnonce: 'c0ffee' })
    expect((await http.send({ method: 'POST', url: sim.url, headers: { authorization: right }, body: informBody() })).status).toBe(200)
  })

  it('failureDelayMs is checked', async () => {
    for (const bad of [-1, 1.5, 60_001, '250']) {
      await expect(createAcsSimulator({ auth: { password: 'pw', failureDelayMs: bad as number } })).rejects.toMatchObject({ field: 'auth.failureDelayMs' })
    }
  })
})

describe('item 11: a session is told over only once its last exchange is recorded', () => {
  it('when waitFor first sees the session done (or replaced), its last message is already in messages', async () => {
    const sim = await start()
    const cpe = createTestCpe({ url: sim.url })
    sim.queue(cpe.deviceKey, { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] })
    const seen = sim.waitFor(() => {
      const done = sim.sessions().find((s) => s.outcome === 'done')
      return done === undefined ? undefined : { last: sim.messages.at(-1) }
    })
    expect((await cpe.run()).outcome).toBe('end')
    const { last } = await seen
    expect(last).toMatchObject({ direction: 'out', status: 204 })

    // Replaced: the new Inform's exchange is recorded before the old session is told replaced.
    const open = createTestCpe({ url: sim.url, serialNumber: 'R1' }).driver()
    await open.step()
    const replaced = sim.waitFor(() => {
      const r = sim.sessions().find((s) => s.outcome === 'replaced')
      return r === undefined ? undefined : { last: sim.messages.at(-1) }
    })
    await createTestCpe({ url: sim.url, serialNumber: 'R1' }).driver().step()
    expect((await replaced).last).toMatchObject({ direction: 'out', status: 200, message: { method: 'InformResponse' } })
  })
})

// Garbage, wrong passwords, replays and tampered cookies were already refused before issue 9; their
// tests are in robustness.test.ts and auth.test.ts, and the abuse bench runs them all together.
