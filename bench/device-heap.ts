/**
 * Heap per idle registered device (issue 12: ≤ 2 KB). Run in its own process with --expose-gc
 * (`npm run bench -- devices` does). N devices each do one session through the simulator's handler
 * (no sockets, no authentication), the clock then moves two hours on so that the ended sessions'
 * tombstones expire, one more session sweeps them, and the heap growth after a full GC is divided
 * by N. Two figures: the device alone (`maxSessions: 1`, recording off) and with the defaults
 * (the last 10,000 sessions and messages kept for `sessions()` and `messages`).
 */
import { assembleAcsSimulator } from '../src/acs/simulator.js'
import { createCpeSession, formatDateTime, type HttpRequest, type HttpResponse } from '../src/index.js'

const gc = (globalThis as { gc?: () => void }).gc
if (gc === undefined) throw new Error('run with --expose-gc')

async function measure(n: number, options: Parameters<typeof assembleAcsSimulator>[0]): Promise<number> {
  let now = 1_000_000
  const parts = assembleAcsSimulator({ ...options, now: () => now })
  const run = async (serialNumber: string): Promise<void> => {
    const cpe = createCpeSession({
      url: 'http://acs.test/',
      inform: {
        method: 'Inform',
        deviceId: { manufacturer: 'cwmp sample', oui: 'AABBCC', productClass: 'SampleGateway', serialNumber },
        event: [{ eventCode: '2 PERIODIC', commandKey: '' }],
        maxEnvelopes: 1,
        currentTime: formatDateTime(new Date(now)),
        retryCount: 0,
        parameterList: [
          { name: 'Device.DeviceInfo.HardwareVersion', value: '1.0', type: 'xsd:string' },
          { name: 'Device.DeviceInfo.SoftwareVersion', value: '1.0.0', type: 'xsd:string' },
          { name: 'Device.DeviceInfo.ProvisioningCode', value: '', type: 'xsd:string' },
          { name: 'Device.ManagementServer.ConnectionRequestURL', value: `http://192.0.2.1:7547/cr/${serialNumber}`, type: 'xsd:string' },
          { name: 'Device.ManagementServer.ParameterKey', value: '', type: 'xsd:string' },
          { name: 'Device.RootDataModelVersion', value: '2.15', type: 'xsd:string' },
        ],
      },
    })
    let cookie = ''
    let next: HttpRequest | undefined = cpe.start()
    while (next !== undefined) {
      const req: HttpRequest = { ...next, url: '/', headers: cookie === '' ? next.headers : { ...next.headers, cookie } }
      const res: HttpResponse = await parts.handler.handle(req)
      const set = res.headers['set-cookie']
      if (typeof set === 'string') cookie = set.split(';')[0] as string
      const { step, send } = cpe.receive(res)
      next = step.type === 'end' || step.type === 'failed' || step.type === 'request' ? undefined : send
      if (step.type === 'failed') throw new Error(`session failed: ${step.message}`)
    }
  }
  for (let i = 0; i < 200; i++) await run(`WARM${i}`)
  now += 2 * 60 * 60 * 1000
  await run('SWEEP0')
  gc?.()
  gc?.()
  const before = process.memoryUsage().heapUsed
  for (let i = 0; i < n; i++) await run(`IDLE${String(i).padStart(7, '0')}`)
  now += 2 * 60 * 60 * 1000
  await run('SWEEP1')
  gc?.()
  gc?.()
  const after = process.memoryUsage().heapUsed
  if ((await parts.devices.list()) === undefined) throw new Error('unreachable')
  return (after - before) / n
}

const n = Number(process.env['CWMP_DEVICES'] ?? 20_000)
const alone = await measure(n, { maxSessions: 1, maxMessages: 0 })
const defaults = await measure(n, {})
console.log(JSON.stringify({ devices: n, bytesPerIdleDevice: Math.round(alone), bytesPerIdleDeviceWithDefaultRecording: Math.round(defaults) }))
