import { runAbuseBench } from './abuse.js'
import { runCodecBench } from './codec.js'
import { runLoadBench } from './load.js'
import { runFleetBench } from './fleet.js'
import { runRecorderHeapBench } from './recorder-heap.js'
import { runCostlyShapesBench } from './costly-shapes.js'
import { runStreamHeap } from './heap.js'

const only = process.argv[2]
if (only === undefined || only === 'codec') await runCodecBench(console.log)
if (only === undefined || only === 'load') await runLoadBench(console.log)
if (only === 'abuse') await runAbuseBench(console.log)
if (only === 'fleet') await runFleetBench(console.log)
if (only === 'recorder') runRecorderHeapBench(console.log)
if (only === 'shapes') runCostlyShapesBench(console.log)
if (only === 'heap') runStreamHeap(console.log)
if (only === 'devices') {
  // Its own process, with --expose-gc, so that the heap it measures is its own.
  const { execFileSync } = await import('node:child_process')
  const { fileURLToPath } = await import('node:url')
  const script = fileURLToPath(new URL('./device-heap.ts', import.meta.url))
  console.log(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8' }).trim())
}
if (only === undefined || only === 'encode') {
  // Its own process, with --expose-gc, so that each candidate is charged its own garbage collection.
  const { execFileSync } = await import('node:child_process')
  const { fileURLToPath } = await import('node:url')
  const script = fileURLToPath(new URL('./encode.ts', import.meta.url))
  console.log(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8' }).trim())
}
if (only === 'simulated') {
  // Its own process, with --expose-gc: build time and heap of the simulated tr181/tr098 models (D377).
  const { execFileSync } = await import('node:child_process')
  const { fileURLToPath } = await import('node:url')
  const script = fileURLToPath(new URL('./simulated-model.ts', import.meta.url))
  console.log(execFileSync(process.execPath, ['--expose-gc', '--import', 'tsx', script], { encoding: 'utf8' }).trim())
}
