/**
 * The simulated TR-181 / TR-098 models (createSimulatedModel, D372–D379): build time, heap of one
 * device's model, and heap per extra fleet device (the shared model plus each device's overlay).
 *
 *   node --expose-gc --import tsx bench/simulated-model.ts
 *
 * Build: the first build of a process (the table decoded on the way) and the median of 7 more,
 * `simulatedModelDefinition` and `createMemoryDataModel` apart. Heap: 5 models kept, after gc(), per
 * model; the sample device measured the same way in the same run as the baseline. Fleet: each size in
 * a process of its own (`node --expose-gc --import tsx bench/simulated-model.ts fleet MODEL N`)
 * against the ACS simulator in another (bench/fleet-acs.ts); N devices do their bootstrap session, then
 * gc() and heapUsed; per extra device = (heap at 1,001 devices − heap at 1) / 1,000.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { createMemoryDataModel, sampleDeviceDefinition, simulatedModelDefinition, type MemoryModelDefinition } from '../src/index.js'
import { tr181 } from '../src/datamodel/tr181.js'
import { tr098 } from '../src/datamodel/tr098.js'
import { createFleet } from '../src/fleet/fleet.js'
import { median } from './stats.js'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with node --expose-gc --import tsx')
const collect = (): number => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}
const ROOT = fileURLToPath(new URL('..', import.meta.url))
const SELF = fileURLToPath(import.meta.url)
const ACS = fileURLToPath(new URL('./fleet-acs.ts', import.meta.url))

function definitionOf(model: string): MemoryModelDefinition {
  if (model === 'sample') return sampleDeviceDefinition()
  return simulatedModelDefinition(model === 'tr181' ? tr181 : tr098, { seed: 1 })
}

async function fleetHeap(model: string, n: number): Promise<void> {
  const acs = spawn(process.execPath, ['--import', 'tsx', ACS], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] })
  let out = ''
  acs.stdout.on('data', (b: Buffer) => (out += b.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the simulator did not start')), 30_000)
    acs.stdout.on('data', () => {
      if (out.includes('\n')) {
        clearTimeout(timer)
        resolve(out.split('\n')[0] as string)
      }
    })
  })
  const definition = definitionOf(model)
  const before = collect()
  const fleet = createFleet({ acsUrl: url, cpes: n, model: definition, password: 'bench-pw', periodicInterval: 0, rate: 10_000, maxSessions: 200 })
  await fleet.start()
  const end = Date.now() + 120_000
  while (fleet.summary().sessions.ok + fleet.summary().sessions.failed < n && Date.now() < end) await new Promise((r) => setTimeout(r, 50))
  const s = fleet.summary()
  const heap = collect() - before
  await fleet.stop()
  await new Promise((r) => {
    acs.on('exit', r)
    acs.stdin.end()
  })
  process.stdout.write(`${JSON.stringify({ model, n, ok: s.sessions.ok, failed: s.sessions.failed, heap })}\n`)
  process.exit(0)
}

function child(model: string, n: number): Promise<{ ok: number; failed: number; heap: number }> {
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, 'fleet', model, String(n)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] })
    let text = ''
    c.stdout.on('data', (b: Buffer) => (text += b.toString()))
    c.on('exit', (code) => (code === 0 ? resolve(JSON.parse(text) as { ok: number; failed: number; heap: number }) : reject(new Error(`exit ${code}`))))
  })
}

if (process.argv[2] === 'fleet') {
  await fleetHeap(process.argv[3] as string, Number(process.argv[4]))
} else {
  const kb = (b: number): string => `${(b / 1024).toFixed(1)} KiB`
  const mb = (b: number): string => `${(b / 1048576).toFixed(2)} MiB`
  const build = (model: 'tr181' | 'tr098') => {
    const defs = model === 'tr181' ? tr181 : tr098
    let t = performance.now()
    const first = simulatedModelDefinition(defs, { seed: 1 })
    const coldDef = performance.now() - t
    t = performance.now()
    createMemoryDataModel(first)
    const coldModel = performance.now() - t
    const defMs: number[] = []
    const modelMs: number[] = []
    for (let i = 0; i < 7; i++) {
      collect()
      t = performance.now()
      const d = simulatedModelDefinition(defs, { seed: i + 2 })
      defMs.push(performance.now() - t)
      t = performance.now()
      createMemoryDataModel(d)
      modelMs.push(performance.now() - t)
    }
    return { definition: first, coldDef, coldModel, def: median(defMs), model: median(modelMs), parameters: Object.keys(first.parameters).length }
  }
  const heapOf = (definition: MemoryModelDefinition): { model: number; definition: number } => {
    const k = 5
    let base = collect()
    const defs: MemoryModelDefinition[] = []
    for (let i = 0; i < k; i++) defs.push(structuredClone(definition))
    const definitionBytes = (collect() - base) / k
    base = collect()
    const models = defs.map((d) => createMemoryDataModel(d))
    defs.length = 0
    const modelBytes = (collect() - base) / k
    if (models.length !== k) throw new Error('unreachable')
    return { model: modelBytes, definition: definitionBytes }
  }
  const sampleHeap = heapOf(sampleDeviceDefinition())
  for (const model of ['tr181', 'tr098'] as const) {
    const b = build(model)
    const h = heapOf(b.definition)
    console.log(
      `${model}: ${b.parameters} entries (values and templates); build cold ${b.coldDef.toFixed(0)} + ${b.coldModel.toFixed(0)} ms ` +
        `(definition + memory model, first in the process), warm median ${b.def.toFixed(0)} + ${b.model.toFixed(0)} ms; ` +
        `heap: model ${mb(h.model)}, its definition ${mb(h.definition)}; ${(h.model / sampleHeap.model).toFixed(0)}x the sample device's model (${kb(sampleHeap.model)})`,
    )
  }
  for (const model of ['sample', 'tr181'] as const) {
    const one = await child(model, 1)
    const many = await child(model, 1001)
    console.log(
      `fleet --model ${model}: heap at 1 device ${mb(one.heap)}, at 1,001 ${mb(many.heap)} (${many.ok} ok, ${many.failed} failed); ` +
        `per extra device ${kb((many.heap - one.heap) / 1000)}`,
    )
  }
}
