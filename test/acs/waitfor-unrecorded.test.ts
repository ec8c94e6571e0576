/**
 * `waitFor` on a simulator that records nothing (`maxMessages: 0`): session ends still wake waiters,
 * over real loopback HTTP with the CPE client.
 */
import { describe, expect, it } from 'vitest'
import { client, simulator, within } from '../cpe/loopback.js'

describe('AcsSimulator.waitFor with recording off', () => {
  it("resolves when a session ends 'done', with no message kept", async () => {
    const sim = await simulator({ maxMessages: 0 })
    const c = client({ acsUrl: sim.url })
    const ended = sim.waitFor(() => sim.sessions().find((s) => s.outcome === 'done'), 10_000)
    const first = c.nextSession()
    await c.start()
    expect(await within(first)).toMatchObject({ ok: true })
    const session = await ended
    expect(session.events).toEqual(['0 BOOTSTRAP', '1 BOOT'])
    expect(sim.messages).toHaveLength(0)
  })
})
