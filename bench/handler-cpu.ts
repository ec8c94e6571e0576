/**
 * In-process A/B helper (no sockets): the simulator's whole-message handler driven by the load
 * bench's CPE session, timing only the time spent inside the handler. `npx tsx bench/handler-cpu.ts [P] [sessions]`.
 */
import { composeTransport, createAcsSimulator, withAuth, withCookies, type Transport } from '../src/index.js'
import { benchParameters } from '../test/redis/acs-process.js'
import { runCpeSession } from './cpe-session.js'

const P = Number(process.argv[2] ?? 10)
const N = Number(process.argv[3] ?? 3000)
const PARAMS = benchParameters(P)
const sim = await createAcsSimulator({
  maxMessages: 0,
  auth: { credentials: (user) => `pw-${user}`, secret: 'a shared nonce secret of 32 bytes' },
  script: (turn) => (turn.last.type === 'empty' ? { method: 'GetParameterValues', parameterNames: PARAMS } : undefined),
})
let inside = 0
const direct: Transport = {
  async send(req) {
    const body = typeof req.body === 'string' ? new Uint8Array(Buffer.from(req.body)) : req.body
    const t = performance.now()
    const res = await sim.handler({ ...req, url: '/', body })
    inside += performance.now() - t
    return res
  },
}
async function round(n: number, offset: number): Promise<number> {
  inside = 0
  let failed = 0
  for (let i = 0; i < n; i++) {
    const user = `AABBCC-SampleGateway-LOAD${String(offset + i).padStart(6, '0')}`
    const t = composeTransport(direct, withAuth({ username: user, password: `pw-${user}` }), withCookies())
    const r = await runCpeSession(t, sim.url, offset + i, P)
    if (!r.ok) failed++
  }
  if (failed > 0) throw new Error(`${failed} failed`)
  return (inside * 1000) / n
}
await round(500, 900_000)
const us: number[] = []
for (let r = 0; r < 5; r++) us.push(await round(N, r * N))
us.sort((a, b) => a - b)
console.log(`P=${P}: handler µs/session median ${us[2]?.toFixed(0)} (${us.map((x) => x.toFixed(0)).join(' ')})`)
await sim.close()
