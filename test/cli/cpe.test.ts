/**
 * `cwmp cpe` as a child process (the bin built once per run, test/cli/build-bin.ts) against the ACS simulator on loopback: Informs
 * arrive, the SOAP log goes to stdout, SIGHUP with a changed interval takes effect, SIGTERM exits 0
 * within 5 s, `--state` resumes with `1 BOOT` and the ACS's values, a bad config exits non-zero with
 * one line naming the field; the CSV and parameter-map model sources.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { createAcsSimulator, formatCpeUsername, simulatedModelDefinition, type AcsSimulator, type GetParameterValuesResponse, type Inform } from '../../src/index.js'
import { tr098 } from '../../src/datamodel/tr098.js'
import { tr181 } from '../../src/datamodel/tr181.js'
import { main } from '../../src/cli/main.js'
import { io } from './io.js'

const root = resolve(import.meta.dirname, '../..')
const BIN = inject('cwmpBin')

interface Daemon {
  readonly child: ChildProcess
  stdout: string
  stderr: string
  /** Resolves with the exit code (or the signal's name). */
  readonly exited: Promise<number | string>
  /** Waits until stderr has a line matching `re`. */
  line(re: RegExp, ms?: number): Promise<string>
}

let cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

function daemon(args: readonly string[]): Daemon {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  const d: Daemon = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1))),
    line(re, ms = 30_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = d.stderr.split('\n').find((l) => re.test(l))
          if (found === undefined) return false
          clearTimeout(timer)
          child.stderr?.off('data', onData)
          resolve(found)
          return true
        }
        const onData = (): void => void check()
        const timer = setTimeout(() => {
          child.stderr?.off('data', onData)
          reject(new Error(`no stderr line matching ${re} within ${ms} ms; stderr:\n${d.stderr}`))
        }, ms)
        if (!check()) child.stderr?.on('data', onData)
      })
    },
  }
  child.stdout?.on('data', (b: Buffer) => (d.stdout += b.toString()))
  child.stderr?.on('data', (b: Buffer) => (d.stderr += b.toString()))
  cleanup.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await d.exited
    }
  })
  return d
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cwmp-cpe-'))
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

async function simulator(): Promise<AcsSimulator> {
  const sim = await createAcsSimulator({ connectionRequest: { username: 'acs', password: 'cr-pass' } })
  cleanup.push(() => sim.close())
  return sim
}

const KEY = formatCpeUsername({ oui: 'AABBCC', productClass: 'SampleGateway', serialNumber: 'SNDAEMON' })

function config(sim: AcsSimulator, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    acsUrl: sim.url,
    periodicInformEnable: true,
    periodicInformInterval: 1,
    logSoap: true,
    connectionRequest: { username: 'acs', password: 'cr-pass', host: '127.0.0.1' },
    retry: { minimumWaitInterval: 1 },
    model: { sample: { serialNumber: 'SNDAEMON' } },
    ...extra,
  }
}

const write = (file: string, value: unknown): void => writeFileSync(file, JSON.stringify(value, null, 2))

/** A GetParameterValues answered in a session the ACS wakes the daemon up for. */
async function readOnDevice(sim: AcsSimulator, name: string): Promise<string | undefined> {
  const before = sim.messages.length
  sim.queue(KEY, { method: 'GetParameterValues', parameterNames: [name] })
  expect((await sim.connectionRequest(KEY)).result).toBe('accepted')
  const answer = await sim.waitFor(
    () => sim.messages.slice(before).find((m) => m.direction === 'in' && m.message?.method === 'GetParameterValuesResponse'),
    20_000,
  )
  return (answer.message as GetParameterValuesResponse).parameterList[0]?.value
}

describe('cwmp cpe (the daemon)', () => {
  it('Informs arrive, SOAP goes to stdout; SIGHUP with a changed interval takes effect; SIGTERM exits 0 within 5 s', async () => {
    const sim = await simulator()
    const dir = tempDir()
    const file = join(dir, 'cpe.json')
    write(file, config(sim))
    const d = daemon(['cpe', '--config', file])
    await sim.waitFor(() => sim.sessions().find((s) => s.events.includes('2 PERIODIC') && s.outcome === 'done'), 30_000)
    expect(sim.sessions()[0]?.events).toEqual(['0 BOOTSTRAP', '1 BOOT'])
    expect(d.stdout).toContain('<cwmp:Inform>')
    expect(await d.line(/session ok events \[0 BOOTSTRAP, 1 BOOT\]/)).toBeTruthy()

    // Apply/Save: a new interval and the SOAP log off, reloaded on SIGHUP.
    write(file, config(sim, { periodicInformInterval: 3600, logSoap: false }))
    d.child.kill('SIGHUP')
    expect(await d.line(/reloaded .*periodicInformInterval/)).toContain('logSoap')
    expect(await readOnDevice(sim, 'Device.ManagementServer.PeriodicInformInterval')).toBe('3600')
    const stdout = d.stdout.length
    // No more periodic sessions: the next one is an hour away.
    const periodic = sim.sessions().filter((s) => s.events.includes('2 PERIODIC')).length
    await new Promise((r) => setTimeout(r, 2500))
    expect(sim.sessions().filter((s) => s.events.includes('2 PERIODIC'))).toHaveLength(periodic)
    expect(d.stdout.length).toBe(stdout)

    // A reload with a bad value: one line naming the field, the daemon goes on unchanged.
    write(file, config(sim, { periodicInformInterval: 0 }))
    d.child.kill('SIGHUP')
    expect(await d.line(/periodicInformInterval must be/)).toContain('not reloaded')
    expect(d.child.exitCode).toBeNull()

    const killed = Date.now()
    d.child.kill('SIGTERM')
    expect(await d.exited).toBe(0)
    // The bound for a clean stop.
    expect(Date.now() - killed).toBeLessThan(5000)
    expect(d.stderr).toContain('stopped')
  })

  it('--state: a restart resumes with 1 BOOT (not 0 BOOTSTRAP) and the values the ACS set', async () => {
    const sim = await simulator()
    const dir = tempDir()
    const file = join(dir, 'cpe.json')
    const state = join(dir, 'state.json')
    write(file, config(sim, { periodicInformEnable: false }))
    sim.queue(KEY, {
      method: 'SetParameterValues',
      parameterList: [{ name: 'Device.ManagementServer.CWMPRetryMinimumWaitInterval', value: '9', type: 'xsd:unsignedInt' }],
      parameterKey: 'daemon-1',
    })
    const first = daemon(['cpe', '--config', file, '--state', state])
    await first.line(/session ok events \[0 BOOTSTRAP, 1 BOOT\] requests \[SetParameterValues\]/)
    first.child.kill('SIGINT')
    expect(await first.exited).toBe(0)
    const saved = JSON.parse(readFileSync(state, 'utf8')) as { settings: { retry: { minimumWaitInterval: number } } }
    expect(saved.settings.retry.minimumWaitInterval).toBe(9)

    const second = daemon(['cpe', '--config', file, '--state', state])
    await second.line(/session ok events \[1 BOOT\]/)
    expect(await readOnDevice(sim, 'Device.ManagementServer.CWMPRetryMinimumWaitInterval')).toBe('9')
    expect(await readOnDevice(sim, 'Device.ManagementServer.ParameterKey')).toBe('daemon-1')
    expect(sim.sessions().filter((s) => s.events.includes('0 BOOTSTRAP'))).toHaveLength(1)
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  })

  it('a bad config exits non-zero with one line naming the field', async () => {
    const dir = tempDir()
    const cases: [Record<string, unknown> | string, RegExp][] = [
      [{ acsUrl: 'http://127.0.0.1:9/', periodicInformInterval: 'abc' }, /periodicInformInterval must be an integer ≥ 1/],
      [{ acsUrl: 'ftp://acs/' }, /acsUrl must be an http:\/\/ or https:\/\/ URL/],
      [{ acsUrl: 'http://127.0.0.1:9/', wanInterface: 'eth-nope' }, /wanInterface must be/],
      [{ acsUrl: 'http://127.0.0.1:9/', model: { csv: 'missing.csv' } }, /model\.csv must be a data model/],
      [{ acsUrl: 'http://127.0.0.1:9/', periodicInformIntervall: 5 }, /periodicInformIntervall must be one of the settings/],
      ['{ not json', /\(file\) must be JSON/],
    ]
    // One at a time: each is a Node process on a shared machine.
    for (const [i, [content, message]] of cases.entries()) {
      const file = join(dir, `bad-${i}.json`)
      writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content))
      const d = daemon(['cpe', '--config', file])
      expect(await d.exited).toBe(1)
      const lines = d.stderr.trim().split('\n')
      expect(lines, d.stderr).toHaveLength(1)
      expect(lines[0]).toMatch(message)
      expect(lines[0]).toMatch(/^cwmp cpe: /)
    }
  })

  it('a simulated model\'s refused option names it; --seed without a simulated --model is a usage error (in process)', async () => {
    const dir = tempDir()
    const file = join(dir, 'bad-oui.json')
    write(file, { acsUrl: 'http://127.0.0.1:9/', model: { tr181: { oui: 'x' } } })
    const bad = io()
    expect(await main(['cpe', '--config', file], bad)).toBe(1)
    expect(bad.err.trim().split('\n')).toHaveLength(1)
    expect(bad.err).toMatch(/^cwmp cpe: .*model\.tr181\.oui must be a value of Device\.DeviceInfo\.ManufacturerOUI/)
    const usage = io()
    expect(await main(['cpe', '--config', file, '--model', 'sample', '--seed', '2'], usage)).toBe(2)
    expect(usage.err).toMatch(/--seed and --instances go with --model tr181 or --model tr098/)
  })

  it('model sources: --model tr181 --seed 3 over the file\'s model, and "model": { "tr098": … } answering a GPV of a subtree with the definitions\' types', async () => {
    const sim = await simulator()
    const dir = tempDir()
    const igdKey = formatCpeUsername({ oui: 'AABBCC', productClass: 'SimulatedIGD', serialNumber: 'IGD1' })
    sim.queue(igdKey, { method: 'GetParameterValues', parameterNames: ['InternetGatewayDevice.LANDevice.1.'] })
    const file181 = join(dir, 'tr181.json')
    write(file181, { acsUrl: sim.url, model: 'sample' })
    const file098 = join(dir, 'tr098.json')
    write(file098, { acsUrl: sim.url, model: { tr098: { serialNumber: 'IGD1', instances: 2 } } })
    const a = daemon(['cpe', '--config', file181, '--model', 'tr181', '--seed', '3'])
    const b = daemon(['cpe', '--config', file098])
    await sim.waitFor(() => sim.sessions().filter((s) => s.outcome === 'done').length === 2, 30_000)
    const serial181 = (simulatedModelDefinition(tr181, { seed: 3 }).parameters['Device.DeviceInfo.SerialNumber'] as { value: string }).value
    expect(sim.sessions().map((s) => `${s.deviceId.productClass}/${s.deviceId.serialNumber}`).sort()).toEqual([`SimulatedDevice/${serial181}`, 'SimulatedIGD/IGD1'])
    const answer = sim.messages.map((m) => m.message).find((m): m is GetParameterValuesResponse => m?.method === 'GetParameterValuesResponse')
    const list = answer?.parameterList ?? []
    expect(list.length).toBeGreaterThan(100)
    expect(list.filter((p) => p.type !== tr098.xsdType(p.name)).map((p) => `${p.name} ${p.type}`)).toEqual([])
    expect(list.find((p) => p.name === 'InternetGatewayDevice.LANDevice.1.LANEthernetInterfaceNumberOfEntries')?.value).toBe('2')
    a.child.kill('SIGTERM')
    b.child.kill('SIGTERM')
    expect([await a.exited, await b.exited]).toEqual([0, 0])
  })

  it('model sources: a CSV file (genieacs-sim format, relative to the config) and a parameter map', async () => {
    const sim = await simulator()
    const dir = tempDir()
    writeFileSync(join(dir, 'device.csv'), readFileSync(join(root, 'fixtures/data-models/small-igd.csv')))
    const csvFile = join(dir, 'csv.json')
    write(csvFile, { acsUrl: sim.url, model: { csv: 'device.csv' } })
    const mapFile = join(dir, 'map.json')
    write(mapFile, {
      acsUrl: sim.url,
      model: {
        parameters: {
          'Device.DeviceInfo.Manufacturer': 'Map Inc',
          'Device.DeviceInfo.ManufacturerOUI': '001122',
          'Device.DeviceInfo.ProductClass': 'MAP',
          'Device.DeviceInfo.SerialNumber': 'MAP1',
        },
      },
    })
    const csv = daemon(['cpe', '--config', csvFile])
    const map = daemon(['cpe', '--config', mapFile])
    await sim.waitFor(() => sim.sessions().filter((s) => s.outcome === 'done').length === 2, 30_000)
    expect(sim.sessions().map((s) => s.deviceId.serialNumber).sort()).toEqual(['EX100-0001', 'MAP1'])
    const igdInform = sim.messages
      .map((m) => m.message)
      .find((m): m is Inform => m?.method === 'Inform' && m.deviceId.serialNumber === 'EX100-0001')
    expect(igdInform?.parameterList.map((p) => p.name)).toEqual(
      expect.arrayContaining(['InternetGatewayDevice.ManagementServer.ConnectionRequestURL', 'InternetGatewayDevice.ManagementServer.ParameterKey']),
    )
    csv.child.kill('SIGTERM')
    map.child.kill('SIGTERM')
    expect([await csv.exited, await map.exited]).toEqual([0, 0])
  })
})
