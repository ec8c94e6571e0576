/**
 * The sample model (createDefinedModel's logic over its facts, D380) against a memory model over
 * the same definition (the rules the sample answered with before), both in this process: interleaved
 * rounds with gc() between, so each is charged its own garbage. Prints µs per request and the median
 * ratio with its range. `npx tsx --expose-gc bench/sample-model.ts`.
 */
import { createMemoryDataModel, createSampleDeviceModel, sampleDeviceDefinition, type MemoryDataModel } from '../src/index.js'
import { median } from './stats.js'

export function runSampleModelBench(log: (line: string) => void): void {
  const gc = (globalThis as { gc?: () => void }).gc
  if (gc === undefined) throw new Error('run with --expose-gc')
  const memory = createMemoryDataModel(sampleDeviceDefinition())
  const sample = createSampleDeviceModel()
  for (const m of [memory, sample]) for (let i = 0; i < 5; i++) m.addObject('Device.NAT.PortMapping.', '')
  const requests: [string, (m: MemoryDataModel) => unknown][] = [
    ['GPV Device. (72 parameters)', (m) => m.getParameterValues(['Device.'])],
    ["GPN '' NextLevel false", (m) => m.getParameterNames('', false)],
    ['GPV 3 names', (m) => m.getParameterValues(['Device.DeviceInfo.SerialNumber', 'Device.WiFi.SSID.1.SSID', 'Device.NAT.PortMapping.3.ExternalPort'])],
    [
      'SPV 2 values',
      (m) =>
        m.setParameterValues(
          [
            { name: 'Device.WiFi.SSID.1.SSID', value: 'x', type: 'xsd:string' },
            { name: 'Device.NAT.PortMapping.2.ExternalPort', value: '80', type: 'xsd:unsignedInt' },
          ],
          'k',
        ),
    ],
    ['GPA Device.NAT.', (m) => m.getParameterAttributes(['Device.NAT.'])],
  ]
  const n = 2000
  const time = (m: MemoryDataModel, f: (m: MemoryDataModel) => unknown): number => {
    gc()
    const t = process.hrtime.bigint()
    for (let i = 0; i < n; i++) f(m)
    return Number(process.hrtime.bigint() - t) / 1e3 / n
  }
  log(`sample model vs memory model over the same definition (${n} requests a round, 9 rounds each, interleaved)`)
  for (const [name, f] of requests) {
    for (let i = 0; i < 3; i++) {
      time(memory, f)
      time(sample, f)
    }
    const a: number[] = []
    const b: number[] = []
    const r: number[] = []
    for (let i = 0; i < 9; i++) {
      const x = time(memory, f)
      const y = time(sample, f)
      a.push(x)
      b.push(y)
      r.push(y / x)
    }
    log(`  ${name}: memory ${median(a).toFixed(1)} µs, sample ${median(b).toFixed(1)} µs, ratio ${median(r).toFixed(1)}x (${Math.min(...r).toFixed(1)}–${Math.max(...r).toFixed(1)})`)
  }
}

// Run on its own (not from bench/index.ts), so that it has its own process and heap.
runSampleModelBench(console.log)
