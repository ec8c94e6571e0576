/**
 * `cwmp fleet` as a child process (the bin built once per run, test/cli/build-bin.ts) against the ACS simulator in this process:
 * 200 CPEs for 10 s end with 0 failures and a summary (`--json` parsed), and a Connection Request
 * from the simulator is answered; a simulator that faults some Informs and refuses one device's
 * credentials gets each failure attributed to its device (exit 1, also in the table); bad flags and
 * values are one line and exit 2 (in process).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { main } from '../../src/cli/main.js'
import { io } from './io.js'
import { createAcsSimulator, formatCpeUsername, makeFault, type AcsSimulator, type GetParameterValuesResponse, type Inform } from '../../src/index.js'
import { tr181 } from '../../src/datamodel/tr181.js'
import type { FleetSummary } from '../../src/fleet/fleet.js'

const root = resolve(import.meta.dirname, '../..')
const BIN = inject('cwmpBin')

let cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

const keyOf = (serial: string): string => formatCpeUsername({ oui: 'AABBCC', productClass: 'SampleGateway', serialNumber: serial })

type Finally = (fn: () => Promise<void> | void) => void
/** Concurrent tests clean up after themselves alone (the test context's onTestFinished). */
const later: Finally = (fn) => void cleanup.push(fn)

async function simulator(options: Parameters<typeof createAcsSimulator>[0], onFinished: Finally = later): Promise<AcsSimulator> {
  const sim = await createAcsSimulator({ maxMessages: 0, ...options })
  onFinished(() => sim.close())
  return sim
}

interface Run {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Run the bin. */
function run(args: readonly string[], onFinished: Finally): { readonly done: Promise<Run> } {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()))
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
  const done = new Promise<Run>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })))
  onFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await done
    }
  })
  return { done }
}

/** Wait (bounded) until `ok` holds, checking every 20 ms. */
async function poll(ok: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error(`not reached within ${ms} ms`)
    await new Promise((r) => setTimeout(r, 20))
  }
}


describe.concurrent('cwmp fleet (the bin)', () => {
  it('--cpes 200 --duration 15 against the simulator: 0 failures, a JSON summary; a Connection Request answered', async ({ onTestFinished }) => {
    const sim = await simulator({
      auth: { password: 'fleet-pw' },
      connectionRequest: (key) => ({ username: key.slice(-9), password: `cr-${key.slice(-9)}` }),
    }, onTestFinished)
    const { done } = run(['fleet', '--acs', sim.url, '--cpes', '200', '--duration', '15', '--password', 'fleet-pw', '--rate', '200', '--interval', '3', '--jitter', '1', '--json'], onTestFinished)
    // Once the first device has informed, the simulator wakes it up (the first: the most time left
    // before the fleet stops, on a loaded machine: under a load average of 10 its first session once
    // took more than 9 s from the spawn).
    const key = keyOf('SIM000001')
    await poll(() => sim.sessions().some((s) => s.deviceKey === key && s.outcome === 'done'), 14_000)
    const cr = await sim.connectionRequest(key)
    const r = await done
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(r.stdout.trim().split('\n')).toHaveLength(1)
    const s = JSON.parse(r.stdout) as FleetSummary & { rssBytes: number }
    expect(s.sessions.failed).toBe(0)
    expect(s.failures.list).toEqual([])
    expect(s.started).toBe(200)
    // 200 bootstraps and periodic Informs every 3 s besides.
    expect(s.sessions.ok).toBeGreaterThan(200)
    expect(s.sessions.ok).toBe(sim.sessions().filter((x) => x.outcome === 'done').length)
    expect(cr.result).toBe('accepted')
    expect(s.connectionRequests.answered).toBe(1)
    expect(sim.sessions().some((x) => x.deviceKey === key && x.events.includes('6 CONNECTION REQUEST'))).toBe(true)
    expect(s.latencyMs.p99).toBeGreaterThanOrEqual(s.latencyMs.p50)
    expect(s.rssBytes).toBeGreaterThan(0)
  })

  it('faulted Informs and refused credentials: each failure attributed to its device, in JSON and in the table', async ({ onTestFinished }) => {
    // The two runs below (JSON, table) have serial numbers of their own: SIM… and T….
    const faulty = /(000003|000011)$/
    const sim = await simulator({
      auth: { credentials: (user) => (user.endsWith('000008') ? undefined : 'pw') },
      informFault: (inform) => (faulty.test(inform.deviceId.serialNumber) ? makeFault('acs', 'RequestDenied') : undefined),
    }, onTestFinished)
    const args = ['fleet', '--acs', sim.url, '--cpes', '12', '--duration', '2', '--password', 'pw', '--rate', '100', '--interval', '0']
    const [json, table] = await Promise.all([run([...args, '--json'], onTestFinished).done, run([...args, '--serial', 'T{n:06}'], onTestFinished).done])
    expect(json.code).toBe(1)
    const s = JSON.parse(json.stdout) as FleetSummary
    expect(s.sessions).toMatchObject({ failed: 3 })
    expect(s.failures.list.map((f) => [f.device, f.kind, f.status, f.fault?.code])).toEqual(
      expect.arrayContaining([
        ['SIM000003', 'inform-fault', 200, 8001],
        ['SIM000008', 'unauthorized', 401, undefined],
        ['SIM000011', 'inform-fault', 200, 8001],
      ]),
    )
    expect(s.failures.list).toHaveLength(3)
    // Twice the 24 bootstraps less the three failures ended well (the two runs share the simulator).
    expect(sim.sessions().filter((x) => x.outcome === 'done')).toHaveLength(2 * 9)
    expect(table.code).toBe(1)
    expect(table.stdout).toMatch(/^sessions failed +3$/m)
    expect(table.stdout).toMatch(/^T000008 +unauthorized +401 +- /m)
    expect(table.stdout).toMatch(/^T000003 +inform-fault +200 +8001 /m)
  })
})

// Not concurrent with the runs above: building the whole TR-181 model takes CPU their timing needs.
describe('cwmp fleet --model tr181 (the bin)', () => {
  it('--model tr181: a few devices with the whole TR-181 model inform; one answers a GetParameterValues of a subtree with the definitions’ types', async ({ onTestFinished }) => {
    const sim = await simulator({ maxMessages: 1000 }, onTestFinished)
    const key = formatCpeUsername({ oui: 'AABBCC', productClass: 'SimulatedDevice', serialNumber: 'TR000002' })
    sim.queue(key, { method: 'GetParameterValues', parameterNames: ['Device.Ethernet.', 'Device.DeviceInfo.'] })
    const args = ['fleet', '--acs', sim.url, '--cpes', '3', '--duration', '3', '--interval', '0', '--rate', '100']
    const r = await run([...args, '--model', 'tr181', '--seed', '7', '--serial', 'TR{n:06}', '--json'], onTestFinished).done
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    const s = JSON.parse(r.stdout) as FleetSummary
    expect(s.sessions).toMatchObject({ ok: 3, failed: 0 })
    const informs = sim.messages.map((m) => m.message).filter((m): m is Inform => m?.method === 'Inform')
    expect(informs.map((i) => `${i.deviceId.manufacturer}/${i.deviceId.oui}/${i.deviceId.productClass}/${i.deviceId.serialNumber}`).sort()).toEqual(
      ['TR000001', 'TR000002', 'TR000003'].map((n) => `cwmp simulated/AABBCC/SimulatedDevice/${n}`),
    )
    const forced = new Map(informs[0]?.parameterList.map((p) => [p.name, p]))
    expect(forced.get('Device.RootDataModelVersion')?.value).toBe('2.17')
    expect(forced.get('Device.DeviceInfo.SoftwareVersion')?.value).toBe('1.0.0')
    const answer = sim.messages.map((m) => m.message).find((m): m is GetParameterValuesResponse => m?.method === 'GetParameterValuesResponse')
    const list = answer?.parameterList ?? []
    expect(list.length).toBeGreaterThan(100)
    expect(list.filter((p) => p.type !== tr181.xsdType(p.name)).map((p) => `${p.name} ${p.type}`)).toEqual([])
    expect(list.filter((p) => tr181.checkValue(p.name, p.value) !== undefined && !tr181.parameter(p.name)?.hidden)).toEqual([])
    expect(list.find((p) => p.name === 'Device.DeviceInfo.SerialNumber')?.value).toBe('TR000002')
    expect(list.find((p) => p.name === 'Device.Ethernet.InterfaceNumberOfEntries')?.value).toBe('1')
  })
})

describe('cwmp fleet: flags', () => {
  it('--help has examples; bad flags and values: one line, exit 2', async () => {
    const h = io()
    expect(await main(['fleet', '--help'], h)).toBe(0)
    expect(h.out).toContain('Examples:')
    expect(h.out).toContain('--cpes N')
    const dir = mkdtempSync(join(tmpdir(), 'cwmp-fleet-'))
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    writeFileSync(join(dir, 'bad.json'), '[1, 2]')
    const bad: [string[], RegExp][] = [
      [['fleet'], /--acs URL is required/],
      [['fleet', '--acs', 'http://x/', '--bogus'], /'--bogus'/],
      [['fleet', '--acs', 'http://x/', '--cpes', 'many'], /--cpes must be a whole number/],
      [['fleet', '--acs', 'http://x/', '--cpes', '0'], /--cpes must be an integer from 1/],
      [['fleet', '--acs', 'ftp://x/'], /--acs must be an http\(s\) URL/],
      [['fleet', '--acs', 'http://x/', '--auth', 'ntlm'], /--auth must be digest or basic/],
      [['fleet', '--acs', 'http://x/', '--model', 'xml:file'], /--model must be sample, tr181, tr098, csv:FILE or json:FILE/],
      [['fleet', '--acs', 'http://x/', '--model', 'tr181', '--instances', '65'], /--instances must be an integer from 0 to 64/],
      [['fleet', '--acs', 'http://x/', '--model', 'tr098', '--seed', '1.5'], /--seed must be an integer/],
      [['fleet', '--acs', 'http://x/', '--seed', '3'], /--seed and --instances go with --model tr181/],
      [['fleet', '--acs', 'http://x/', '--model', `json:${join(dir, 'missing.json')}`], /cannot read/],
      [['fleet', '--acs', 'http://x/', '--model', `json:${join(dir, 'bad.json')}`], /not a JSON object/],
      [['fleet', '--acs', 'http://x/', '--serial', 'SAME', '--cpes', '2'], /--serial must be a pattern/],
      [['fleet', '--acs', 'http://x/', '--rate', '0'], /--rate must be/],
    ]
    for (const [argv, message] of bad) {
      const r = io()
      expect(await main(argv, r), argv.join(' ')).toBe(2)
      expect(r.err.trim().split('\n'), argv.join(' ')).toHaveLength(1)
      expect(r.err, argv.join(' ')).toMatch(message)
      expect(r.err).toMatch(/^cwmp fleet: /)
    }
  })

  it('--model json:FILE and csv:FILE: the devices inform with that model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cwmp-fleet-'))
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
    writeFileSync(
      join(dir, 'model.json'),
      JSON.stringify({
        'InternetGatewayDevice.DeviceInfo.Manufacturer': 'Acme',
        'InternetGatewayDevice.DeviceInfo.ManufacturerOUI': '00D09E',
        'InternetGatewayDevice.DeviceInfo.ProductClass': 'IGD',
        'InternetGatewayDevice.DeviceInfo.SerialNumber': 'X',
        'InternetGatewayDevice.DeviceInfo.SoftwareVersion': '2.0',
        'InternetGatewayDevice.ManagementServer.ConnectionRequestURL': '',
        'InternetGatewayDevice.ManagementServer.PeriodicInformInterval': { type: 'xsd:unsignedInt', value: 60, writable: true },
      }),
    )
    writeFileSync(
      join(dir, 'model.csv'),
      'Parameter,Object,Writable,Value,Value type\nDevice.DeviceInfo.Manufacturer,false,false,CsvCo,xsd:string\nDevice.DeviceInfo.ManufacturerOUI,false,false,112233,xsd:string\nDevice.DeviceInfo.ProductClass,false,false,CsvBox,xsd:string\nDevice.DeviceInfo.SerialNumber,false,false,X,xsd:string\nDevice.ManagementServer.ConnectionRequestURL,false,false,,xsd:string\n',
    )
    const sim = await simulator({})
    for (const model of [`json:${join(dir, 'model.json')}`, `csv:${join(dir, 'model.csv')}`]) {
      const r = io()
      const code = await main(['fleet', '--acs', sim.url, '--cpes', '2', '--duration', '0.5', '--rate', '100', '--serial', 'M{n}', '--json', '--model', model], r)
      expect(r.err).toBe('')
      expect(code, model).toBe(0)
    }
    const ids = sim.sessions().map((s) => `${s.deviceId.manufacturer}/${s.deviceId.oui}/${s.deviceId.productClass}/${s.deviceId.serialNumber}`)
    expect(ids.sort()).toEqual(['Acme/00D09E/IGD/M1', 'Acme/00D09E/IGD/M2', 'CsvCo/112233/CsvBox/M1', 'CsvCo/112233/CsvBox/M2'])
  })
})
