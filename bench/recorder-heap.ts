/**
 * The heap the ACS simulator's recording holds per message, measured against the estimate that
 * `maxRecordedBytes` bounds (`recordedCost`, D437): one sample CPE runs 1,000 sessions (Inform, a
 * GetParameterValues of `Device.DeviceInfo.`, its response, the final 204) against a simulator that
 * keeps every message, and one that keeps none; the difference of their heaps after `gc()`, per
 * message, is what a recorded message costs. Also what an ended session's tombstone costs while the
 * session store keeps it (`timeoutMs`): the heap with 1,000 tombstones held, less the heap once the
 * store's clock has moved past their expiry and they are swept. Run: `npm run bench -- recorder` (a
 * few seconds; a process each, so that none is charged another's garbage).
 */
import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import * as v8 from 'node:v8'
import * as vm from 'node:vm'
import { driveCpeSession, periodicInform } from './cpe-session.js'
import { recordedCost } from '../src/acs/recorder.js'
import {
  composeTransport,
  createAcsSimulator,
  createCpeRpcHandler,
  createHttpTransport,
  createMemorySessionStore,
  createSampleDeviceModel,
  withCookies,
} from '../src/index.js'

const SESSIONS = 1000
const TOMBSTONES = 1000

async function tombstones(): Promise<void> {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc') as () => void
  let skew = 0
  const store = createMemorySessionStore({ now: () => Date.now() + skew })
  const sim = await createAcsSimulator({
    maxMessages: 0,
    maxSessions: 1,
    store,
    script: (turn) => (turn.last.type === 'empty' ? { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.'] } : undefined),
  })
  const model = createSampleDeviceModel({ serialNumber: 'TOMBSTONES1' })
  const handler = createCpeRpcHandler({ model })
  const http = createHttpTransport({})
  const transport = composeTransport(http, withCookies())
  const session = (): Promise<unknown> =>
    driveCpeSession(transport, sim.url, periodicInform(model.deviceId(), model.informParameters()), (r) => handler(r))
  for (let i = 0; i < TOMBSTONES; i++) await session()
  gc()
  const held = process.memoryUsage().heapUsed
  const count = store.size
  skew = 10 * 60_000
  await session()
  gc()
  const swept = process.memoryUsage().heapUsed
  process.stdout.write(JSON.stringify({ perTombstone: (held - swept) / (count - store.size), count }))
  http.close()
  await sim.close()
}

async function child(maxMessages: number): Promise<void> {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc') as () => void
  const sim = await createAcsSimulator({
    maxMessages,
    maxRecordedBytes: 1e9,
    script: (turn) => (turn.last.type === 'empty' ? { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.'] } : undefined),
  })
  const model = createSampleDeviceModel({ serialNumber: 'RECORDER1' })
  const handler = createCpeRpcHandler({ model })
  const http = createHttpTransport({})
  const transport = composeTransport(http, withCookies())
  // One session first, so that what every session allocates once (code, caches) is in both heaps.
  await driveCpeSession(transport, sim.url, periodicInform(model.deviceId(), model.informParameters()), (r) => handler(r))
  gc()
  const before = process.memoryUsage().heapUsed
  for (let i = 0; i < SESSIONS; i++) {
    await driveCpeSession(transport, sim.url, periodicInform(model.deviceId(), model.informParameters()), (r) => handler(r))
  }
  gc()
  const after = process.memoryUsage().heapUsed
  const estimated = sim.messages.reduce((n, m) => n + recordedCost(m), 0)
  process.stdout.write(JSON.stringify({ heap: after - before, messages: sim.messages.length, estimated }))
  http.close()
  await sim.close()
}

/** Run the recorder heap bench and print measured and estimated bytes per message. */
export function runRecorderHeapBench(log: (line: string) => void): void {
  const self = fileURLToPath(import.meta.url)
  const run = (maxMessages: number): { heap: number; messages: number; estimated: number } =>
    JSON.parse(
      execFileSync(process.execPath, ['--import', 'tsx', self, String(maxMessages)], { encoding: 'utf8', env: { ...process.env, CWMP_RECORDER_CHILD: '1' } }),
    ) as { heap: number; messages: number; estimated: number }
  const none = run(0)
  const all = run(1_000_000)
  const measured = (all.heap - none.heap) / all.messages
  const estimated = all.estimated / all.messages
  log(
    `ACS recording heap: ${all.messages} messages of ${SESSIONS} sessions; measured ${measured.toFixed(0)} B a message ` +
      `(heap growth ${(all.heap / 1024).toFixed(0)} KiB kept, ${(none.heap / 1024).toFixed(0)} KiB not kept), ` +
      `estimated ${estimated.toFixed(0)} B (estimate / measured ${(estimated / measured).toFixed(2)}).`,
  )
  const t = JSON.parse(
    execFileSync(process.execPath, ['--import', 'tsx', self], { encoding: 'utf8', env: { ...process.env, CWMP_RECORDER_CHILD: 'tombstones' } }),
  ) as { perTombstone: number; count: number }
  log(`ACS session tombstones: ${t.count} held; ${t.perTombstone.toFixed(0)} B of heap each until swept.`)
}

if (process.env['CWMP_RECORDER_CHILD'] === '1') void child(Number(process.argv[2]))
if (process.env['CWMP_RECORDER_CHILD'] === 'tombstones') void tombstones()
