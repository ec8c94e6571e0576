/**
 * `cwmp acs` as a child process (the bin built once per run, test/cli/build-bin.ts): sessions of
 * real CPEs (`createCpeClient`, and a `cwmp cpe` child) printed one line each, a `--script` file
 * delivered per device, the curl examples of docs/cli.md run with curl against the control
 * endpoint (queue, a Connection Request to a real CPE, list), Digest with per-device credentials,
 * bad flags and values (exit 2) and bad files (exit 1), a clean stop on SIGTERM.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { createCpeClient, createSampleDeviceModel, type CpeClient } from '../../src/index.js'

const root = resolve(import.meta.dirname, '../..')
const BIN = inject('cwmpBin')

interface Child {
  readonly child: ChildProcess
  stdout: string
  stderr: string
  readonly exited: Promise<number | string>
  /** Waits for a line of `stream` matching `re`, at or after line `from`. */
  line(stream: 'stdout' | 'stderr', re: RegExp, from?: number): Promise<string>
}

let cleanup: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanup.reverse()) await c()
  cleanup = []
})

function run(args: readonly string[]): Child {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
  const waiters: (() => void)[] = []
  const c: Child = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((done) => child.on('exit', (code, signal) => done(code ?? signal ?? -1))),
    line(stream, re, from = 0) {
      return new Promise((done, reject) => {
        const check = (): boolean => {
          const found = c[stream].split('\n').slice(from).find((l) => re.test(l))
          if (found === undefined) return false
          clearTimeout(timer)
          done(found)
          return true
        }
        const timer = setTimeout(() => reject(new Error(`no ${stream} line matching ${re} within 20 s:\n${c.stdout}\n${c.stderr}`)), 20_000)
        if (!check()) waiters.push(() => void check())
      })
    },
  }
  const wake = (): void => {
    for (const w of waiters) w()
  }
  child.stdout?.on('data', (b: Buffer) => {
    c.stdout += b.toString()
    wake()
  })
  child.stderr?.on('data', (b: Buffer) => {
    c.stderr += b.toString()
    wake()
  })
  cleanup.push(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await c.exited
    }
  })
  return c
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cwmp-acs-'))
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** `cwmp acs` on free ports; resolves once it listens, with its URLs. */
async function acs(args: readonly string[]): Promise<{ acs: Child; url: string; control: string }> {
  const c = run(['acs', '--port', '0', '--control', '0', ...args])
  const url = /listening on (\S+)/.exec(await c.line('stderr', /listening on /))?.[1] ?? ''
  const control = /control endpoint on (\S+)/.exec(await c.line('stderr', /control endpoint on /))?.[1] ?? ''
  return { acs: c, url, control }
}

async function cpe(url: string, serialNumber: string, extra: { acsUsername?: string; acsPassword?: string } = {}): Promise<CpeClient> {
  const client = createCpeClient({
    acsUrl: url,
    ...extra,
    connectionRequest: { username: 'acs', password: 'cr-pass', host: '127.0.0.1' },
    model: createSampleDeviceModel({ serialNumber }),
  })
  cleanup.push(() => client.stop())
  await client.start()
  return client
}

interface SessionLine {
  deviceKey: string
  serialNumber: string
  outcome: string
  reason: string | null
  events: string[]
  requests: string[]
}
const sessionsOf = (stdout: string): SessionLine[] =>
  stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as SessionLine)

/** Run a shell command line (curl) with CONTROL set; its stdout as JSON. */
function sh(line: string, control: string): Promise<unknown> {
  return new Promise((done, reject) => {
    execFile('bash', ['-c', line], { env: { ...process.env, CONTROL: control.replace(/\/$/, '') }, timeout: 20_000 }, (error, stdout) => {
      if (error !== null) reject(error)
      else done(JSON.parse(stdout))
    })
  })
}

describe('cwmp acs', () => {
  it('prints each session of a real CPE; the --script file is queued per device at its first Inform; SIGTERM exits 0', async () => {
    const dir = tempDir()
    const script = join(dir, 'script.json')
    writeFileSync(
      script,
      JSON.stringify({
        all: [{ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.SoftwareVersion'] }],
        devices: {
          'AABBCC-SampleGateway-SCRIPTA': [{ method: 'GetParameterNames', parameterPath: 'Device.DeviceInfo.', nextLevel: true }],
          'SCRIPTB': { method: 'GetRPCMethods' },
        },
      }),
    )
    const { acs: a, url } = await acs(['--script', script, '--json'])
    const first = await cpe(url, 'SCRIPTA')
    const daemonConfig = join(dir, 'cpe.json')
    writeFileSync(daemonConfig, JSON.stringify({ acsUrl: url, model: { sample: { serialNumber: 'SCRIPTB' } } }))
    const daemon = run(['cpe', '--config', daemonConfig])
    await a.line('stdout', /"serialNumber":"SCRIPTA"/)
    await a.line('stdout', /"serialNumber":"SCRIPTB"/)
    const byDevice = new Map(sessionsOf(a.stdout).map((s) => [s.serialNumber, s]))
    expect(byDevice.get('SCRIPTA')).toMatchObject({
      deviceKey: 'AABBCC-SampleGateway-SCRIPTA',
      outcome: 'done',
      events: ['0 BOOTSTRAP', '1 BOOT'],
      requests: ['GetParameterValues', 'GetParameterNames'],
    })
    expect(byDevice.get('SCRIPTB')).toMatchObject({ outcome: 'done', requests: ['GetParameterValues', 'GetRPCMethods'] })
    expect(await daemon.line('stderr', /session ok/)).toContain('requests [GetParameterValues, GetRPCMethods]')

    // first-inform: the next session of a device gets nothing from the script.
    const lines = a.stdout.split('\n').length - 1
    const next = first.nextSession()
    first.addEvent('8 DIAGNOSTICS COMPLETE')
    expect((await next).requests).toEqual([])
    await a.line('stdout', /"serialNumber":"SCRIPTA"/, lines)

    daemon.child.kill('SIGTERM')
    a.child.kill('SIGTERM')
    expect(await a.exited).toBe(0)
    expect(a.stderr).toMatch(/stopped after 3 sessions \(3 ok, 0 failed\)/)
    expect(await daemon.exited).toBe(0)
  })

  it('the curl examples of docs/cli.md: list, queue, a Connection Request to a real CPE, the sessions', async () => {
    const doc = readFileSync(join(root, 'docs/cli.md'), 'utf8')
    const block = /<!-- test: curl -->\n```sh\n([\s\S]*?)```/.exec(doc)?.[1]
    expect(block).toBeDefined()
    const curls = (block ?? '').split('\n').filter((l) => l.startsWith('curl '))
    expect(curls).toHaveLength(4)
    const [list, queue, connectionRequest, sessions] = curls as [string, string, string, string]

    const { acs: a, url, control } = await acs(['--cr-username', 'acs', '--cr-password', 'cr-pass'])
    const client = await cpe(url, 'SN0001')
    await a.line('stdout', /SN0001 done/)
    expect(await sh(list, control)).toMatchObject([
      { deviceKey: 'AABBCC-SampleGateway-SN0001', lastEvents: ['0 BOOTSTRAP', '1 BOOT'], queued: 0, connectionRequestUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:/) },
    ])
    expect(await sh(queue, control)).toEqual({ deviceKey: 'AABBCC-SampleGateway-SN0001', queued: 1 })
    const woken = client.nextSession()
    expect(await sh(connectionRequest, control)).toMatchObject({ deviceKey: 'AABBCC-SampleGateway-SN0001', result: 'accepted', status: 200 })
    expect(await woken).toMatchObject({ ok: true, events: ['6 CONNECTION REQUEST'], requests: ['GetParameterValues'] })
    expect(await a.line('stdout', /6 CONNECTION REQUEST/)).toMatch(/AABBCC-SampleGateway-SN0001 done in \d+ ms events \[6 CONNECTION REQUEST\] requests \[GetParameterValues\]$/)
    const listed = (await sh(sessions, control)) as { events: string[]; outcome: string; requests: { method: string }[] }[]
    expect(listed.map((s) => [s.events, s.outcome, s.requests.map((r) => r.method)])).toEqual([
      [['0 BOOTSTRAP', '1 BOOT'], 'done', []],
      [['6 CONNECTION REQUEST'], 'done', ['GetParameterValues']],
    ])
    expect(a.stderr).toContain('Connection Request to AABBCC-SampleGateway-SN0001: accepted (200)')

    // Errors are JSON with a status: a bad request, an unknown device, a wrong method.
    const status = (args: string): Promise<unknown> => sh(`curl -s -w '{"status":%{http_code}}' -o /dev/null ${args}`, control)
    expect(await status(`-X POST $CONTROL/devices/SN0001/queue -d '{"method":"Frobnicate"}'`)).toEqual({ status: 400 })
    expect(await sh(`curl -s -X POST $CONTROL/devices/SN0001/queue -d '{"method":"GetParameterValues","parameterNames":"x"}'`, control)).toMatchObject({
      error: expect.stringMatching(/^body\.parameterNames/),
    })
    expect(await status('-X POST $CONTROL/devices/NOPE/connection-request')).toEqual({ status: 404 })
    expect(await status('-X DELETE $CONTROL/sessions')).toEqual({ status: 405 })
  })

  it('cwmp acs with cwmp fleet --cpes 200 --duration 15: 0 failures, a JSON summary, a Connection Request through the control endpoint', async () => {
    const { acs: a, url, control } = await acs(['--password', 'fleet-pw', '--json', '--cr-username', 'cr', '--cr-password', 'cr-pw'])
    const fleet = run(['fleet', '--acs', url, '--cpes', '200', '--duration', '15', '--password', 'fleet-pw', '--rate', '200',
      '--interval', '3', '--jitter', '1', '--cr-username', 'cr', '--cr-password', 'cr-pw', '--json'])
    // Once the first device has informed, the control endpoint wakes it up (the first: the most time
    // left before the fleet stops, on a loaded machine: under a load average of 19 its Connection
    // Request session once did not end before a 10 s fleet stopped).
    await a.line('stdout', /SIM000001/)
    const cr = (await sh('curl -s -X POST $CONTROL/devices/SIM000001/connection-request', control)) as { result: string }
    expect(cr.result).toBe('accepted')
    expect(await fleet.exited).toBe(0)
    const summary = JSON.parse(fleet.stdout) as { started: number; sessions: { ok: number; failed: number }; connectionRequests: { answered: number } }
    expect(summary).toMatchObject({ started: 200, sessions: { failed: 0 }, connectionRequests: { answered: 1 } })
    // 200 bootstraps and periodic Informs every 3 s besides; the ACS printed a done line for each.
    expect(summary.sessions.ok).toBeGreaterThan(200)
    a.child.kill('SIGTERM')
    expect(await a.exited).toBe(0)
    const done = sessionsOf(a.stdout.split('\n').filter((l) => l.startsWith('{')).join('\n')).filter((x) => x.outcome === 'done')
    expect(done.length).toBe(summary.sessions.ok)
    expect(done.some((x) => x.serialNumber === 'SIM000001' && x.events.includes('6 CONNECTION REQUEST'))).toBe(true)
  })

  it('Digest with per-device credentials and SHA-256 only: the right CPE gets in, a wrong password fails', async () => {
    const dir = tempDir()
    const credentials = join(dir, 'credentials.json')
    writeFileSync(credentials, JSON.stringify({ 'AABBCC-SampleGateway-DIGEST1': 'pw-1' }))
    const { acs: a, url } = await acs(['--credentials', credentials, '--algorithms', 'SHA-256'])
    expect(a.stderr).toContain('(digest authentication)')
    await cpe(url, 'DIGEST1', { acsUsername: 'AABBCC-SampleGateway-DIGEST1', acsPassword: 'pw-1' })
    await a.line('stdout', /DIGEST1 done/)
    const bad = createCpeClient({ acsUrl: url, acsUsername: 'AABBCC-SampleGateway-DIGEST1', acsPassword: 'wrong', connectionRequest: false, model: createSampleDeviceModel({ serialNumber: 'DIGEST1' }) })
    cleanup.push(() => bad.stop())
    const refused = bad.nextSession()
    await bad.start()
    expect(await refused).toMatchObject({ ok: false })
    expect(a.stdout.split('\n').filter((l) => l !== '')).toHaveLength(1)
  })

  it('--source-refusals: an address refused that many times is held; 0 turns the limit off', async () => {
    // A forged Digest answer is a refusal (a 401 to presented credentials); the third request of an
    // address allowed two refusals a minute is held (10 s), so it gets no answer within 3 s.
    const forged = 'Digest username="x", realm="cwmp-acs", nonce="AAAA", uri="/", response="00000000000000000000000000000000", qop=auth, nc=00000001, cnonce="c", algorithm=MD5'
    const attempt = async (url: string): Promise<number | 'held'> => {
      try {
        const res = await fetch(url, { method: 'POST', headers: { authorization: forged, 'content-type': 'text/xml' }, body: '<x/>', signal: AbortSignal.timeout(3000) })
        await res.arrayBuffer()
        return res.status
      } catch {
        return 'held'
      }
    }
    const limited = await acs(['--password', 'p', '--source-refusals', '2'])
    const seen: (number | 'held')[] = []
    for (let i = 0; i < 3; i++) seen.push(await attempt(limited.url))
    expect(seen).toEqual([401, 401, 'held'])
    const open = await acs(['--password', 'p', '--source-refusals', '0'])
    const answered: (number | 'held')[] = []
    for (let i = 0; i < 3; i++) answered.push(await attempt(open.url))
    expect(answered).toEqual([401, 401, 401])
  }, 30_000)

  it('bad flags and values: one line, exit 2; files and ports that cannot be used: one line, exit 1', async () => {
    const dir = tempDir()
    const badScript = join(dir, 'bad-script.json')
    writeFileSync(badScript, JSON.stringify({ devices: { SN1: [{ method: 'GetParameterValues', parameterNames: 'Device.' }] } }))
    const busy = createServer()
    await new Promise<void>((done) => busy.listen(0, '127.0.0.1', done))
    cleanup.push(() => new Promise<void>((done) => busy.close(() => done())))
    const busyPort = String((busy.address() as { port: number }).port)
    const cases: [string[], number, RegExp][] = [
      [['acs', '--port', '99999'], 2, /^cwmp acs: --port must be an integer from 0 to 65535 \(got "99999"\)/],
      [['acs', '--bogus'], 2, /^cwmp acs: Unknown option '--bogus'/],
      [['acs', '--auth', 'ntlm'], 2, /^cwmp acs: --auth must be one of none, digest, basic/],
      [['acs', '--auth', 'digest'], 2, /^cwmp acs: --auth digest needs --password or --credentials FILE/],
      [['acs', '--password', 'p', '--algorithms', 'SHA-1'], 2, /^cwmp acs: --algorithms must be one of MD5/],
      [['acs', '--cr-username', 'acs'], 2, /^cwmp acs: --cr-username and --cr-password go together/],
      [['acs', '--session-timeout', '10'], 2, /^cwmp acs: --session-timeout must be an integer from 30/],
      [['acs', '--source-refusals', 'many'], 2, /^cwmp acs: --source-refusals must be an integer from 0 to 1000000 \(got "many"\)/],
      [['acs', 'stray'], 2, /^cwmp acs: Unexpected argument 'stray'/],
      [['acs', '--script', join(dir, 'missing.json')], 1, /^cwmp acs: --script must be a readable file/],
      [['acs', '--script', badScript], 1, /^cwmp acs: --script devices\.SN1\[0\]\.parameterNames must be a valid GetParameterValues/],
      [['acs', '--password', 'p', '--credentials', join(dir, 'missing.json')], 2, /^cwmp acs: --password and --credentials exclude each other/],
      [['acs', '--port', busyPort], 1, /^cwmp acs: the port is in use/],
      [['decode', '--bogus'], 2, /^cwmp decode: Unknown option '--bogus'/],
      [['cpe', '--config'], 2, /^cwmp cpe: Option '--config <value>' argument missing/],
      [['frobnicate'], 2, /^cwmp: unknown command "frobnicate"/],
    ]
    // A few at a time: each is a Node process on a shared machine.
    for (let i = 0; i < cases.length; i += 4) {
      await Promise.all(
        cases.slice(i, i + 4).map(async ([args, code, message]) => {
          const c = run(args)
          expect(await c.exited, args.join(' ')).toBe(code)
          const lines = c.stderr.trim().split('\n')
          expect(lines, `${args.join(' ')}: ${c.stderr}`).toHaveLength(1)
          expect(lines[0], args.join(' ')).toMatch(message)
          expect(c.stdout).toBe('')
        }),
      )
    }
  })
})
