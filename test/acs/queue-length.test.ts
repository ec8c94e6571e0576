/**
 * Issue 9 item 3: the simulator handed a device's queued requests to its session with one
 * `enqueue(...waiting)` call, which overflows the stack above about 125,000 requests
 * (`RangeError: Maximum call stack size exceeded` from the Inform). Queues of any length work.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createAcsSimulator, type AcsRequest, type AcsSimulator } from '../../src/index.js'
import { cleanup, createTestCpe } from './helpers.js'

const simulators: AcsSimulator[] = []
afterEach(async () => {
  await cleanup(simulators)
})

describe('a long queue of requests for one device', () => {
  it('150,000 queued requests reach the session: the CPE gets the first ones in order', async () => {
    const sim = await createAcsSimulator()
    simulators.push(sim)
    const cpe = createTestCpe({ url: sim.url })
    const N = 150_000
    const all: AcsRequest[] = Array.from({ length: N }, (_, i) => ({ method: 'GetParameterValues', parameterNames: [`Device.X.${i}.`] }))
    for (let i = 0; i < N; i += 10_000) await sim.queue(cpe.deviceKey, ...all.slice(i, i + 10_000))
    expect(await sim.queued(cpe.deviceKey)).toHaveLength(N)
    const driver = cpe.driver()
    // Inform, then the empty POST and two answers: three ACS requests arrive.
    for (let i = 0; i < 4; i++) expect(await driver.step()).toBe(true)
    expect(driver.result().requests).toEqual(all.slice(0, 3))
    expect(await sim.queued(cpe.deviceKey)).toHaveLength(0) // moved into the session
  })
})
