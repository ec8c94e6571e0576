/**
 * Issue 9 item 4 on the ACS side: every wait on user code in the simulator is bounded
 * (`userCodeTimeoutMs`). A hook, `auth.authorize` or a store that never settles is given up with a
 * TimeoutError (ERR_CWMP_TIMEOUT) told to onError; the session fails cleanly (the CPE is answered,
 * the session is recorded as failed, its unsent requests go back to the queue) and the next session
 * works.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { assembleAcsSimulator } from '../../src/acs/simulator.js'
import {
  createMemoryAcsStores,
  isCwmpError,
  type AcsSimulatorOptions,
  type HttpRequest,
  type SessionStore,
  type Transport,
} from '../../src/index.js'
import { cleanup, createTestCpe } from './helpers.js'

afterEach(() => cleanup([]))

const ACS_URL = 'http://acs.in-process.test/'
const never = new Promise<never>(() => undefined)

function inProcess(options: AcsSimulatorOptions): { parts: ReturnType<typeof assembleAcsSimulator>; base: Transport; errors: unknown[] } {
  const errors: unknown[] = []
  const parts = assembleAcsSimulator({ userCodeTimeoutMs: 20, onError: (e) => errors.push(e), ...options })
  const asServerSees = (req: HttpRequest): HttpRequest => ({ ...req, url: new URL(req.url).pathname })
  return { parts, errors, base: { send: (req) => parts.handler.handle(asServerSees(req)) } }
}

const timeouts = (errors: readonly unknown[]): string[] =>
  errors.map((e) => (isCwmpError(e) && e.code === 'ERR_CWMP_TIMEOUT' ? `${e.operation} ${String(e.timeoutMs)}` : String(e)))

describe('attack: user code that never settles, in the simulator', () => {
  it('a script that never settles: TimeoutError, the session failed, its queued request back in the queue; the next session works', async () => {
    let hang = true
    const { parts, base, errors } = inProcess({ script: () => (hang ? never : undefined) })
    const cpe = createTestCpe({ url: ACS_URL, base })
    const request = { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.UpTime'] } as const
    await parts.queues.push(cpe.deviceKey, [request])
    const run = await cpe.run(['2 PERIODIC'])
    expect(run.outcome).toBe('failed')
    expect(timeouts(errors)).toEqual(['script 20'])
    expect(parts.sessions.list().map((s) => s.outcome)).toEqual(['failed'])
    expect(parts.sessions.list()[0]?.reason).toMatch(/script did not settle within 20 ms/)
    expect(await parts.queues.peek(cpe.deviceKey)).toEqual([request])
    hang = false
    const again = await cpe.run(['2 PERIODIC'])
    expect(again.outcome).toBe('end')
    expect(again.requests).toEqual([request])
  })

  it('onCpeRequest and informFault that never settle: TimeoutError each, the session failed', async () => {
    for (const [hook, options] of [
      ['onCpeRequest', { onCpeRequest: () => never }],
      ['informFault', { informFault: () => never }],
    ] as const) {
      const { parts, base, errors } = inProcess(options)
      const cpe = createTestCpe({ url: ACS_URL, base })
      const run = await cpe.run(['1 BOOT'], { requests: [{ method: 'GetRPCMethods' }] })
      expect(run.outcome).toBe('failed')
      expect(timeouts(errors)).toEqual([`${hook} 20`])
      expect(parts.sessions.list().map((s) => s.outcome)).toEqual(['failed'])
    }
  })

  it('auth.authorize that never settles: TimeoutError, 500, no session begun, nothing of the device changed', async () => {
    const { parts, base, errors } = inProcess({ auth: { password: 'pw', authorize: () => never } })
    const cpe = createTestCpe({ url: ACS_URL, base, username: 'u', password: 'pw' })
    const run = await cpe.run(['2 PERIODIC'])
    expect(run.outcome).toBe('failed')
    expect(timeouts(errors)).toEqual(['auth.authorize 20'])
    expect(parts.recorder.messages.filter((m) => m.direction === 'out').map((m) => m.status)).toEqual([401, 500])
    expect(parts.sessions.list()).toEqual([])
    expect(await parts.devices.get(cpe.deviceKey)).toBeUndefined()
  })

  it('a store that stops answering (every method, one at a time): TimeoutError naming the call, 500, and the simulator goes on once it answers', async () => {
    const calls = ['get', 'compareAndSet'] as const
    for (const stuck of calls) {
      const memory = createMemoryAcsStores()
      let hang = false
      const sessions: SessionStore = {
        get: (id) => (hang && stuck === 'get' ? never : Promise.resolve(memory.sessions.get(id))),
        compareAndSet: (...args) => (hang && stuck === 'compareAndSet' ? never : Promise.resolve(memory.sessions.compareAndSet(...args))),
        delete: (id) => memory.sessions.delete(id),
      }
      const { base, errors } = inProcess({ stores: { ...memory, sessions } })
      const cpe = createTestCpe({ url: ACS_URL, base })
      const driver = cpe.driver(['2 PERIODIC'])
      expect(await driver.step()).toBe(true) // Inform → InformResponse
      hang = true
      while (await driver.step());
      expect(driver.result().outcome).toBe('failed')
      expect(timeouts(errors)).toContain(`stores.sessions.${stuck} 20`)
      hang = false
      expect((await cpe.run(['2 PERIODIC'])).outcome).toBe('end')
    }
  })

  it('locks given in the options: one never granted is given up (the work is not run later); the work under a lock bounds its own waits', async () => {
    const memory = createMemoryAcsStores()
    let grant = true
    const parked: (() => void)[] = []
    const locks = {
      run<T>(key: string, fn: () => Promise<T>): Promise<T> {
        if (grant) return memory.locks.run(key, fn)
        return new Promise<T>((resolve, reject) => parked.push(() => void fn().then(resolve, reject)))
      },
    }
    const { base, errors, parts } = inProcess({ stores: { ...memory, locks } })
    const cpe = createTestCpe({ url: ACS_URL, base })
    const driver = cpe.driver(['2 PERIODIC'])
    expect(await driver.step()).toBe(true)
    grant = false
    while (await driver.step());
    expect(driver.result().outcome).toBe('failed')
    expect(timeouts(errors)).toEqual(['stores.locks.run (taking the lock) 20'])
    const snapshot = async (): Promise<string> => JSON.stringify([...((await memory.sessions.list?.()) ?? [])])
    const before = await snapshot()
    expect(parked.length).toBeGreaterThan(0)
    for (const release of parked.splice(0)) release()
    await new Promise((r) => setTimeout(r, 10))
    // The work whose lock came too late did not run: the stored session is as it was.
    expect(await snapshot()).toBe(before)
    expect(parts.sessions.list().map((s) => s.outcome)).toEqual(['active'])
    grant = true
    expect((await cpe.run(['2 PERIODIC'])).outcome).toBe('end')
  })

  it('the bound is an option: userCodeTimeoutMs must be an integer ≥ 1 (ConfigError), a synchronous answer is never timed', async () => {
    expect(() => assembleAcsSimulator({ userCodeTimeoutMs: 0 })).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'userCodeTimeoutMs' }))
    // A script that answers synchronously after blocking longer than the bound still counts.
    const { base, errors } = inProcess({
      script: (turn) => {
        const until = Date.now() + 40
        while (Date.now() < until);
        return turn.last.type === 'empty' ? { method: 'GetRPCMethods' } : undefined
      },
    })
    const run = await createTestCpe({ url: ACS_URL, base }).run(['2 PERIODIC'])
    expect(run.outcome).toBe('end')
    expect(run.requests).toEqual([{ method: 'GetRPCMethods' }])
    expect(errors).toEqual([])
  })
})
