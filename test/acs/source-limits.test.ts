/**
 * Per-source limits of the ACS simulator (issue 9, D441): the bookkeeping over a fake clock
 * (table and properties), then the attack on loopback: a password guesser on 127.0.0.2 is held
 * while an honest CPE on 127.0.0.1 runs its sessions.
 */
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { createDigestAuthorization, createAcsSimulator, encodeEnvelope, isCwmpError, selectDigestChallenge, type AcsSimulator, type AcsSimulatorOptions } from '../../src/index.js'
import { checkSourceLimits, createSourceLimiter, sourceKey, type SourceLimits } from '../../src/acs/source-limits.js'
import { cleanup, createTestCpe, rawHttp, rawPost, statusOf } from './helpers.js'

function limiter(limits: SourceLimits) {
  let t = 0
  const l = createSourceLimiter(checkSourceLimits(limits), () => t)
  return { l, advance: (ms: number) => (t += ms) }
}

describe('source limiter bookkeeping', () => {
  it('an address is throttled once its refusals are spent, refills with time, and only it', () => {
    const { l, advance } = limiter({ refusals: 3, windowMs: 3000 })
    for (let i = 0; i < 3; i++) {
      expect(l.admit('10.0.0.1')).toBe(true)
      l.refused('10.0.0.1')
    }
    expect(l.admit('10.0.0.1')).toBe(false)
    expect(l.admit('10.0.0.2')).toBe(true)
    advance(999)
    expect(l.admit('10.0.0.1')).toBe(false)
    advance(1) // one token back after windowMs / refusals
    expect(l.admit('10.0.0.1')).toBe(true)
    l.refused('10.0.0.1')
    expect(l.admit('10.0.0.1')).toBe(false)
  })

  it('a request limit counts every request; refusals 0 and requests 0 turn everything off', () => {
    const { l } = limiter({ refusals: 0, requests: 2 })
    expect([l.admit('a'), l.admit('a'), l.admit('a'), l.admit('b')]).toEqual([true, true, false, true])
    const off = limiter({ refusals: 0 }).l
    expect(off.enabled).toBe(false)
    for (let i = 0; i < 100; i++) off.refused('a')
    expect(off.admit('a')).toBe(true)
    expect(off.size).toBe(0)
  })

  it('holds at most maxHeld requests per address', () => {
    const { l } = limiter({ maxHeld: 2 })
    expect([l.hold('a'), l.hold('a'), l.hold('a'), l.hold('b')]).toEqual([true, true, false, true])
    l.release('a')
    expect(l.hold('a')).toBe(true)
  })

  it('remembers at most maxAddresses, forgetting full buckets first', () => {
    const { l } = limiter({ refusals: 2, maxAddresses: 3 })
    l.refused('1.1.1.1')
    l.refused('1.1.1.1') // throttled, and seen first
    expect(l.hold('2.2.2.2')).toBe(true)
    l.release('2.2.2.2') // a full bucket
    l.refused('3.3.3.3')
    expect(l.size).toBe(3)
    l.refused('4.4.4.4') // the full bucket goes, not the one seen first
    expect(l.size).toBe(3)
    expect(l.admit('1.1.1.1')).toBe(false)
    l.refused('5.5.5.5') // no full bucket left: the one seen first goes
    expect(l.size).toBe(3)
    expect(l.admit('1.1.1.1')).toBe(true)
  })

  it.each([
    ['192.0.2.7', '192.0.2.7'],
    ['::ffff:192.0.2.7', '192.0.2.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:DB8:0001:0002:ffff::1%eth0', '2001:db8:1:2::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1', 'fe80:0:0:0::/64'],
  ])('source key of %s is %s', (address, key) => {
    expect(sourceKey(address)).toBe(key)
  })

  it('property: an address is throttled by its own events only, and never before it spent its refusals', () => {
    type Ev = { readonly who: number; readonly op: 'admit' | 'refused'; readonly dt: number }
    const ev = fc.record({ who: fc.integer({ min: 0, max: 3 }), op: fc.constantFrom<'admit' | 'refused'>('admit', 'refused'), dt: fc.integer({ min: 0, max: 500 }) })
    fc.assert(
      fc.property(fc.array(ev, { maxLength: 200 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 8 }), (events: Ev[], refusals, requests) => {
        const limits = { refusals, requests, windowMs: 1000 }
        // All addresses through one limiter, against each address alone through its own.
        const all = limiter(limits)
        const alone = [0, 1, 2, 3].map(() => limiter(limits))
        const spent = [0, 0, 0, 0]
        for (const e of events) {
          all.advance(e.dt)
          for (const a of alone) a.advance(e.dt)
          const address = `10.0.0.${e.who}`
          if (e.op === 'refused') {
            all.l.refused(address)
            alone[e.who]?.l.refused(address)
            spent[e.who] = (spent[e.who] ?? 0) + 1
          } else {
            const got = all.l.admit(address)
            expect(got).toBe(alone[e.who]?.l.admit(address))
            if (requests === 0 && (spent[e.who] ?? 0) < refusals) expect(got).toBe(true)
          }
        }
      }),
    )
  })

  it.each([
    ['sourceLimits', 5],
    ['sourceLimits.refusals', { refusals: -1 }],
    ['sourceLimits.requests', { requests: 1.5 }],
    ['sourceLimits.windowMs', { windowMs: 0 }],
    ['sourceLimits.holdMs', { holdMs: '10s' }],
    ['sourceLimits.maxHeld', { maxHeld: 0 }],
    ['sourceLimits.maxAddresses', { maxAddresses: Number.NaN }],
  ])('%s: %o is a ConfigError naming the field', (field, value) => {
    let thrown: unknown
    try {
      checkSourceLimits(value)
    } catch (err) {
      thrown = err
    }
    expect(isCwmpError(thrown) && thrown.code === 'ERR_CWMP_CONFIG_INVALID' ? thrown.field : thrown).toBe(field)
  })
})

const simulators: AcsSimulator[] = []
afterEach(async () => cleanup(simulators))
async function start(options: AcsSimulatorOptions): Promise<AcsSimulator> {
  const sim = await createAcsSimulator(options)
  simulators.push(sim)
  return sim
}

const USER = 'AABBCC-SampleGateway-CWMP000001'
const informBody = (): string => encodeEnvelope({ version: '1.2', header: { id: 'g' }, body: createTestCpe({ url: 'http://unused.test/' }).inform(['1 BOOT']) })

/** A Digest-authenticated Inform from `from`: the status of its answer (0: closed without one). */
async function digestPost(sim: AcsSimulator, from: string, username: string, password: string, body = informBody()): Promise<number> {
  const first = await rawHttp(sim.port, rawPost(body), from)
  if (statusOf(first) !== 401) return statusOf(first)
  const challenge = selectDigestChallenge((/^www-authenticate: (.*)$/im.exec(first)?.[1] ?? '').trim())
  const authorization = createDigestAuthorization(challenge, { username, password }, { method: 'POST', uri: '/' }, { nc: 1, cnonce: 'c0ffee' })
  return statusOf(await rawHttp(sim.port, rawPost(body, { Authorization: authorization }), from))
}
const guess = (sim: AcsSimulator, from: string): Promise<number> => digestPost(sim, from, USER, 'guess')

describe('attack: a password guesser from another address is held; honest CPEs elsewhere go on (D441)', () => {
  it('after `refusals` refused guesses, 127.0.0.2 gets no answer; 127.0.0.1 runs a whole session meanwhile', async () => {
    const sim = await start({ auth: { password: 'pw', failureDelayMs: 0 }, sourceLimits: { refusals: 5, holdMs: 300 } })
    const answers: number[] = []
    for (let i = 0; i < 5; i++) answers.push(await guess(sim, '127.0.0.2'))
    expect(answers).toEqual([401, 401, 401, 401, 401])
    // Throttled: even a request without credentials is held, then its connection closed unanswered.
    const held = await rawHttp(sim.port, rawPost(informBody()), '127.0.0.2')
    expect(held).toBe('')
    // Another address is served: an honest CPE's whole session.
    const honest = createTestCpe({ url: sim.url, username: USER, password: 'pw' })
    expect((await honest.run(['1 BOOT'])).outcome).toBe('end')
    // The refusals are in the recording; the held request is not (it was never handled).
    expect(sim.messages.filter((m) => m.direction === 'in' && m.error === 'not authenticated (Digest: bad-response)')).toHaveLength(5)
  })

  it('refusals: 0 turns the limit off: twenty refused guesses, all answered', async () => {
    const sim = await start({ auth: { password: 'pw', failureDelayMs: 0 }, sourceLimits: { refusals: 0 } })
    const answers: number[] = []
    for (let i = 0; i < 20; i++) answers.push(await guess(sim, '127.0.0.2'))
    expect(answers.every((s) => s === 401)).toBe(true)
  })

  it('403: a CPE with its own credentials Informing as another device, three times, is then held', async () => {
    const ATTACKER = 'AABBCC-SampleGateway-ATTACKER'
    const sim = await start({ auth: { credentials: (u) => `pw-${u}`, failureDelayMs: 0 }, sourceLimits: { refusals: 3, holdMs: 300 } })
    const answers: number[] = []
    for (let i = 0; i < 4; i++) answers.push(await digestPost(sim, '127.0.0.2', ATTACKER, `pw-${ATTACKER}`))
    expect(answers).toEqual([403, 403, 403, 0])
    expect(await digestPost(sim, '127.0.0.1', USER, `pw-${USER}`)).toBe(200)
  })

  it('400 (an unreadable envelope) and 405 count as refusals too', async () => {
    const sim = await start({ sourceLimits: { refusals: 3, holdMs: 300 } })
    expect(statusOf(await rawHttp(sim.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', '127.0.0.2'))).toBe(405)
    expect(statusOf(await rawHttp(sim.port, rawPost('<not xml'), '127.0.0.2'))).toBe(400)
    expect(statusOf(await rawHttp(sim.port, 'PUT / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', '127.0.0.2'))).toBe(405)
    expect(await rawHttp(sim.port, rawPost(informBody()), '127.0.0.2')).toBe('')
    expect(statusOf(await rawHttp(sim.port, rawPost(informBody()), '127.0.0.1'))).toBe(200)
  })

  it('beyond maxHeld, a throttled address is closed at once, while its held requests still wait', async () => {
    const sim = await start({ sourceLimits: { refusals: 1, holdMs: 30_000, maxHeld: 2 } })
    expect(statusOf(await rawHttp(sim.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', '127.0.0.2'))).toBe(405)
    let settled = 0
    const heldOnes = [0, 1].map(() => rawHttp(sim.port, rawPost(informBody()), '127.0.0.2').then(() => settled++))
    // Let both be held before the third arrives.
    await new Promise((r) => setTimeout(r, 200))
    const third = await Promise.race([rawHttp(sim.port, rawPost(informBody()), '127.0.0.2'), new Promise<string>((r) => setTimeout(() => r('still open'), 10_000))])
    expect(third).toBe('')
    expect(settled).toBe(0)
    await sim.close()
    await Promise.all(heldOnes)
    expect(settled).toBe(2)
  })
})

describe('attack: guessing session ids (D441)', () => {
  it('empty POSTs with cookies naming no session count as refusals; an Inform with a stale cookie does not', async () => {
    const sim = await start({ sourceLimits: { refusals: 3, holdMs: 300 } })
    // Some CPEs keep the cookie of their last session for the next Inform: never charged.
    for (let i = 0; i < 5; i++) expect(statusOf(await rawHttp(sim.port, rawPost(informBody(), { Cookie: `cwmpsid=stale${i}` }), '127.0.0.3'))).toBe(200)
    const guesses: number[] = []
    for (let i = 0; i < 4; i++) guesses.push(statusOf(await rawHttp(sim.port, rawPost('', { Cookie: `cwmpsid=guess${i}` }), '127.0.0.2')))
    expect(guesses).toEqual([204, 204, 204, 0])
    expect(statusOf(await rawHttp(sim.port, rawPost(informBody(), { Cookie: 'cwmpsid=stale' }), '127.0.0.3'))).toBe(200)
  })
})

describe('what is not a refusal (D441)', () => {
  it('a 400 the ACS sends for its own reasons (a hook failed) and a new Inform in a session are not charged', async () => {
    const sim = await start({
      sourceLimits: { refusals: 2, holdMs: 300 },
      script: () => {
        throw new Error('a bug in the script')
      },
      onError: () => undefined,
    })
    for (let i = 0; i < 4; i++) {
      const cpe = createTestCpe({ url: sim.url, serialNumber: `HOOK${i}` })
      const run = await cpe.run(['2 PERIODIC'])
      // The hook failed: the session failed with 400, and the next CPE is still served.
      expect(run.outcome).toBe('failed')
    }
    expect(sim.messages.filter((m) => m.direction === 'out' && m.status === 400)).toHaveLength(4)
    // Two Informs in one session: the second replaces the session, and nothing is charged.
    const twice = await start({ sourceLimits: { refusals: 1, holdMs: 300 } })
    const first = await rawHttp(twice.port, rawPost(informBody()), '127.0.0.2')
    const cookie = /^set-cookie: ([^;]*)/im.exec(first)?.[1] ?? ''
    expect(cookie).toMatch(/^cwmpsid=/)
    for (let i = 0; i < 3; i++) expect(statusOf(await rawHttp(twice.port, rawPost(informBody(), { Cookie: cookie }), '127.0.0.2'))).toBe(200)
  })
})
