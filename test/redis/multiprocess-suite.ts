/**
 * Issue 12, "how it is checked": simulator processes over one real redis-server, behind a balancer
 * that sends every HTTP request to the next process. Two and four processes, many CPEs at once:
 * 0 failed sessions, 0 duplicate RPCs, 0 lost queued requests (queued through any process), a
 * Connection Request from any process, a replayed Authorization refused on every process, at most
 * one live session per CPE, and a process killed with SIGKILL mid-session loses nothing.
 *
 * The cases, for two entries: `multiprocess.test.ts` (`npm test`, 100 CPEs, bounded for a shared
 * 2-core machine) and `test/check/multiprocess-1000.test.ts` (`npm run check`, the 1,000 CPEs
 * on two and four processes). One fleet per process count serves its cases (each case uses devices
 * of its own), so that few processes are started.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  createConnectionRequestHandler,
  createDigestAuthorization,
  createHttpTransport,
  encodeEnvelope,
  selectDigestChallenge,
  startConnectionRequestListener,
  type AcsRequest,
  type AcsSimulatorSession,
  type ConnectionRequestListener,
} from '../../src/index.js'
import { cleanup, createTestCpe } from '../acs/helpers.js'
import { LB, balancer, startAcsProcess, type AcsProcess, type Balancer } from './processes.js'
import { findRedisServer, startRedisServer, type RedisServer } from './redis-server.js'

const binary = findRedisServer()
const reason = binary === undefined ? ' (skipped: redis-server not found on PATH; .ci/run installs it)' : ''

/** Which cases to define. */
export interface MultiprocessSuiteOptions {
  /** CPEs at once in the fleet case. */
  readonly cpes: number
  /** Only the fleet case (for the 1,000-CPE check: the other cases do not depend on the count). */
  readonly fleetOnly?: boolean
}

/**
 * Define the multi-process cases in the calling test file.
 *
 * @param options - the CPE count, which cases
 */
export function multiprocessSuite(options: MultiprocessSuiteOptions): void {
  const CPES = options.cpes
  /** A case that does not depend on the CPE count: not defined in the fleet-only variant. */
  const countFree = (name: string, fn: () => Promise<void>): void => {
    if (options.fleetOnly !== true) it(name, fn)
  }

  let redis: RedisServer | undefined
  let prefixes = 0
  const processes: AcsProcess[] = []
  const balancers: Balancer[] = []
  const listeners: ConnectionRequestListener[] = []

  /**
   * Four processes over one Redis prefix, started once: a case with n processes puts the first n
   * behind its balancer (the others share the state and see no request of it); each case uses
   * devices of its own. The SIGKILL case, last, takes the last two (a process started takes a
   * second or two of CPU, so few are started).
   */
  let four: Promise<AcsProcess[]> | undefined
  const sharedFleet = async (n: number): Promise<AcsProcess[]> => (await (four ??= fleet(4))).slice(0, n)
  const killable = async (): Promise<AcsProcess[]> => (await (four ??= fleet(4))).slice(2, 4)

  beforeAll(async () => {
    if (binary === undefined) return
    redis = await startRedisServer(binary)
    await sharedFleet(4)
  }, 60_000)
  afterAll(async () => {
    for (const b of balancers.splice(0)) b.close()
    await Promise.all(listeners.splice(0).map((l) => l.close()))
    await cleanup([])
    await Promise.all(processes.splice(0).map((p) => p.stop()))
    await redis?.stop()
  }, 60_000)

  async function fleet(n: number, env: Record<string, string> = {}): Promise<AcsProcess[]> {
    const prefix = `mp${++prefixes}:`
    const started = await Promise.all(
      Array.from({ length: n }, () =>
        startAcsProcess({ CWMP_REDIS_PORT: String((redis as RedisServer).port), CWMP_REDIS_PREFIX: prefix, CWMP_CR_USER: 'acs', CWMP_CR_PASSWORD: 'cr-pw', ...env }),
      ),
    )
    processes.push(...started)
    return started
  }

  const serial = (i: number): string => `MP${String(i).padStart(5, '0')}`
  const deviceKeyOf = (i: number): string => `AABBCC-SampleGateway-${serial(i)}`
  const work = (i: number): AcsRequest[] => [
    { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SerialNumber'] },
    { method: 'Reboot', commandKey: `rb-${i}` },
  ]

  function cpe(i: number, procs: readonly AcsProcess[], start = i) {
    const lb = balancer(procs, { n: start })
    balancers.push(lb)
    return { lb, cpe: createTestCpe({ url: LB, serialNumber: serial(i), username: deviceKeyOf(i), password: `pw-${deviceKeyOf(i)}`, base: lb }) }
  }

  async function informOnce(target: AcsProcess, i: number): Promise<{ authorization: string; body: string; status: number }> {
    const http = createHttpTransport({ timeoutMs: 20_000 })
    try {
      const c = createTestCpe({ url: target.url, serialNumber: serial(i) })
      const body = encodeEnvelope({ version: '1.2', header: { id: 'r' }, body: c.inform(['2 PERIODIC']) })
      c.close()
      const first = await http.send({ method: 'POST', url: target.url, headers: {}, body })
      const challenge = selectDigestChallenge(first.headers['www-authenticate'] as string | string[])
      const authorization = createDigestAuthorization(challenge, { username: deviceKeyOf(i), password: `pw-${deviceKeyOf(i)}` }, { method: 'POST', uri: '/' }, { nc: 1, cnonce: `c${i}` })
      const res = await http.send({ method: 'POST', url: target.url, headers: { authorization }, body })
      return { authorization, body, status: res.status }
    } finally {
      http.close()
    }
  }

  /** An authenticated Inform to `target`; the session cookie of its answer. */
  async function openSession(target: AcsProcess, i: number): Promise<string> {
    const http = createHttpTransport({ timeoutMs: 20_000 })
    try {
      const c = createTestCpe({ url: target.url, serialNumber: serial(i) })
      const body = encodeEnvelope({ version: '1.2', header: { id: 'o' }, body: c.inform(['2 PERIODIC']) })
      c.close()
      const first = await http.send({ method: 'POST', url: target.url, headers: {}, body })
      const challenge = selectDigestChallenge(first.headers['www-authenticate'] as string | string[])
      const authorization = createDigestAuthorization(challenge, { username: deviceKeyOf(i), password: `pw-${deviceKeyOf(i)}` }, { method: 'POST', uri: '/' }, { nc: 1, cnonce: `o${i}` })
      const res = await http.send({ method: 'POST', url: target.url, headers: { authorization }, body })
      return String(res.headers['set-cookie']).split(';')[0] as string
    } finally {
      http.close()
    }
  }

  async function postWith(target: AcsProcess, authorization: string, body: string): Promise<number> {
    const http = createHttpTransport({ timeoutMs: 20_000 })
    try {
      return (await http.send({ method: 'POST', url: target.url, headers: { authorization }, body })).status
    } finally {
      http.close()
    }
  }

  for (const n of [2, 4]) {
    // Devices of this process count's cases: base + i.
    const base = n * 100_000
    describe.skipIf(binary === undefined)(`${n} simulator processes over Redis, every request to the next one${reason}`, () => {
      it(`${CPES} CPEs at once, their requests queued through any process: 0 failed, 0 duplicate or lost RPCs, one session each`, async () => {
        const procs = await sharedFleet(n)
        for (let i = 0; i < CPES; i++) await (procs[i % n] as AcsProcess).call({ cmd: 'queue', deviceKey: deviceKeyOf(base + i), requests: work(base + i) })
        const cpes = Array.from({ length: CPES }, (_, i) => cpe(base + i, procs, i))
        const runs = await Promise.all(cpes.map(({ cpe: c }) => c.run(['2 PERIODIC'])))
        const failed = runs.filter((r) => r.outcome !== 'end')
        expect(failed.map((r) => r.failure)).toEqual([])
        runs.forEach((r, i) => expect(r.requests).toEqual(work(base + i)))
        // Each session's requests went to more than one process.
        expect(cpes.every(({ lb }) => new Set(lb.sentTo).size >= 2)).toBe(true)
        // Every process sees every session and device, done, with both requests recorded.
        const mine = new Set(Array.from({ length: CPES }, (_, i) => deviceKeyOf(base + i)))
        for (const p of procs) {
          const sessions = (await p.call<AcsSimulatorSession[]>({ cmd: 'allSessions' })).filter((s) => mine.has(s.deviceKey))
          expect(sessions).toHaveLength(CPES)
          expect(sessions.every((s) => s.outcome === 'done' && s.requests.length === 2)).toBe(true)
          expect((await p.call<{ deviceKey: string }[]>({ cmd: 'devices' })).filter((d) => mine.has(d.deviceKey))).toHaveLength(CPES)
        }
      })

      countFree('a replayed Authorization is refused on every process; two Informs of one device on two processes leave one live session', async () => {
        const procs = await sharedFleet(n)
        const first = await informOnce(procs[0] as AcsProcess, base + 20_000)
        expect(first.status).toBe(200)
        for (const p of procs) expect(await postWith(p, first.authorization, first.body)).toBe(401)
        for (let round = 1; round <= 10; round++) {
          const i = base + 20_000 + round
          const [a, b] = await Promise.all([informOnce(procs[round % n] as AcsProcess, i), informOnce(procs[(round + 1) % n] as AcsProcess, i)])
          expect([a.status, b.status]).toEqual([200, 200])
        }
        const sessions = await (procs[0] as AcsProcess).call<AcsSimulatorSession[]>({ cmd: 'allSessions' })
        for (let round = 1; round <= 10; round++) {
          const outcomes = sessions.filter((s) => s.deviceKey === deviceKeyOf(base + 20_000 + round)).map((s) => s.outcome).sort()
          expect(outcomes).toEqual(['active', 'replaced'])
        }
      })

      countFree('a retried request reaching another process at once: the queued GetParameterValues goes out at most once (30 trials)', async () => {
        const procs = await sharedFleet(n)
        let sent = 0
        for (let t = 0; t < 30; t++) {
          const i = base + 30_000 + t
          await (procs[1] as AcsProcess).call({ cmd: 'queue', deviceKey: deviceKeyOf(i), requests: [{ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] }] })
          const cookie = await openSession(procs[0] as AcsProcess, i)
          const http = [createHttpTransport({ timeoutMs: 20_000 }), createHttpTransport({ timeoutMs: 20_000 })]
          const answers = await Promise.all(
            [procs[t % n], procs[(t + 1) % n]].map((p, k) => (http[k] as ReturnType<typeof createHttpTransport>).send({ method: 'POST', url: (p as AcsProcess).url, headers: { cookie }, body: '' })),
          )
          for (const h of http) h.close()
          const carrying = answers.filter((a) => a.status === 200 && Buffer.from(a.body).toString().includes('GetParameterValues')).length
          expect(carrying).toBeLessThanOrEqual(1)
          sent += carrying
        }
        // The request went out in every trial: it was neither sent twice nor lost.
        expect(sent).toBe(30)
      })
    })
  }

  if (options.fleetOnly !== true) describe.skipIf(binary === undefined)(`any process sends a Connection Request; a process killed mid-session loses nothing${reason}`, () => {
    it('the Connection Request comes from the process that did not see the Inform', async () => {
      const procs = await sharedFleet(2)
      const handler = createConnectionRequestHandler({ path: '/cr', username: 'acs', password: 'cr-pw' })
      // Each authenticated Connection Request that reached the CPE (the second one of a burst does
      // not start a second session: one session per burst, TR-069 §3.2.2).
      let accepted = 0
      let sessions = 0
      const listener = await startConnectionRequestListener({
        host: '127.0.0.1',
        path: '/cr',
        handler: (req, now) => handler.handle(req, { now, inSession: false }),
        onDecision: (d) => {
          if (d.response.status === 200) accepted++
          if (d.startSession) sessions++
        },
      })
      listeners.push(listener)
      const lb = balancer(procs, { n: 0 })
      balancers.push(lb)
      const c = createTestCpe({ url: LB, serialNumber: serial(9000), username: deviceKeyOf(9000), password: `pw-${deviceKeyOf(9000)}`, base: lb, connectionRequestUrl: listener.url })
      expect((await c.run(['1 BOOT'])).outcome).toBe('end')
      for (const p of procs) expect(await p.call({ cmd: 'connectionRequest', deviceKey: deviceKeyOf(9000) })).toEqual({ result: 'accepted', status: 200 })
      expect([accepted, sessions]).toEqual([2, 1])
    })

    it('SIGKILL of the process that answered the last request: the next one finishes the session, every queued request delivered once', async () => {
      const procs = await killable()
      const requests: AcsRequest[] = [
        { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] },
        { method: 'GetRPCMethods' },
        { method: 'Reboot', commandKey: 'after-the-kill' },
      ]
      await (procs[1] as AcsProcess).call({ cmd: 'queue', deviceKey: deviceKeyOf(9001), requests })
      const { lb, cpe: c } = cpe(9001, procs, 0)
      const driver = c.driver(['2 PERIODIC'])
      await driver.step() // 401 (process 0) + Inform (process 1)
      await driver.step() // empty POST → GetParameterValues
      await driver.step() // its response → GetRPCMethods
      const last = lb.sentTo.at(-1) as number
      await (procs[last] as AcsProcess).kill()
      while (await driver.step());
      expect(driver.result().outcome).toBe('end')
      expect(driver.result().requests).toEqual(requests)
      const survivor = procs[1 - last] as AcsProcess
      const [session] = (await survivor.call<AcsSimulatorSession[]>({ cmd: 'allSessions' })).filter((s) => s.deviceKey === deviceKeyOf(9001))
      expect(session).toMatchObject({ outcome: 'done', requests })
    })
  })
}
