/**
 * `cwmp fleet --acs URL --cpes N`: N simulated CPEs in this process against any ACS, for a
 * duration or until SIGINT/SIGTERM; a live status line on a terminal, a summary table at the end
 * (or one JSON object with `--json`). The engine is `src/fleet/` (D720); this module reads the
 * flags and the model file and prints.
 *
 * Exit codes: 0 every session ended well, 1 some failed (the summary says which device, why), 2
 * a usage error or a bad value (one line).
 *
 * @module
 */
import { ConfigError, isCwmpError } from '../errors.js'
import { createFleet, type Fleet, type FleetOptions, type FleetSummary } from '../fleet/fleet.js'
import { parseFlags, UsageError, type CliCommand, type CliIo } from './command.js'
import { readModelSource } from './model-source.js'

const HELP = `Usage: cwmp fleet --acs URL --cpes N [options]

Run N simulated CPEs in this process against an ACS: each with its own serial number,
credentials, data model and Connection Request URL; periodic Informs; a summary at the end.

Devices:
  --acs URL             the ACS URL (required)
  --cpes N              number of devices (default 1)
  --first N             the number {n} of the first device (default 1)
  --serial PATTERN      serial numbers (default 'SIM{n:06}' → SIM000001, SIM000002, …)
  --model SOURCE        sample (default: a small TR-181 gateway), tr181 or tr098 (the whole
                        Broadband Forum model, every current parameter with a plausible value),
                        csv:FILE (genieacs-sim CSV), or json:FILE (a JSON object of parameters,
                        or { "parameters": …, "objects": … }); FILE.csv and FILE.json as well
  --seed N              the values of a tr181/tr098 model (default 1: the same model every run)
  --instances N         instances of every tr181/tr098 table, within its min/maxEntries (default 1)
To the ACS:
  --username PATTERN    ACS user name (default '{cpe}', the TR-069 OUI-ProductClass-Serial)
  --password PATTERN    ACS password; without it no credentials are sent
  --auth digest|basic   digest (default; a Basic challenge is not answered) or basic (sent
                        with every request, also over http)
  --connection MODE     shared (default: one keep-alive pool for all sessions) or session
                        (a connection per session, closed at its end)
  --timeout SECONDS     wait for each ACS response at most this long (default 30)
Connection Requests (one listener, a path per device: /cr/<serial>):
  --cr-username PATTERN Connection Request user name (default '{serial}')
  --cr-password PATTERN Connection Request password (default 'cr-{serial}')
  --cr-auth digest|none check Connection Requests with Digest (default digest)
  --cr-host ADDRESS     address to listen on (default 127.0.0.1)
  --cr-port PORT        port of the listener (default 0: a free one)
  --cr-port-range       one port per device instead, from --cr-port up
  --cr-url-host HOST    host in the ConnectionRequestURLs (default --cr-host)
Timing:
  --interval SECONDS    PeriodicInformInterval (default 300; 0: no periodic Informs)
  --jitter SECONDS      send each periodic Inform up to this much late, at random (default 0)
  --rate N              devices started per second (default 100)
  --duration SECONDS    stop after this long (default: run until SIGINT or SIGTERM)
  --max-sessions N      sessions in progress at once, at most (default 1000)
Output:
  --json                print the summary as one JSON object on stdout
  --max-failures N      failures listed with their device (default 1000; the rest are counted)
  -h, --help            this help

Patterns: {n} the device number, {n:06} zero-padded, {i} the 0-based index, {serial},
{oui}, {productClass}, {cpe} (OUI-ProductClass-SerialNumber); {{ and }} are braces.

Exit code 0 when every session ended well, 1 when some failed, 2 for a usage error.

Examples:
  cwmp fleet --acs http://127.0.0.1:7547/ --cpes 1000 --rate 200 --interval 60 --jitter 10
  cwmp fleet --acs https://acs.example/cwmp --cpes 50 --serial 'LAB{n:04}' \\
      --password 'secret-{serial}' --model csv:device.csv --duration 600 --json
  cwmp fleet --acs http://127.0.0.1:7547/ --cpes 20 --model tr181 --seed 7 --duration 60
  cwmp fleet --acs http://acs:7547/ --cpes 200 --cr-host 0.0.0.0 --cr-url-host 192.0.2.10 \\
      --cr-port 7548 --cr-username acs --cr-password 'cr-{n}'
`

const OPTIONS = {
  acs: { type: 'string' },
  cpes: { type: 'string' },
  first: { type: 'string' },
  serial: { type: 'string' },
  model: { type: 'string' },
  seed: { type: 'string' },
  instances: { type: 'string' },
  username: { type: 'string' },
  password: { type: 'string' },
  auth: { type: 'string' },
  connection: { type: 'string' },
  timeout: { type: 'string' },
  'cr-username': { type: 'string' },
  'cr-password': { type: 'string' },
  'cr-auth': { type: 'string' },
  'cr-host': { type: 'string' },
  'cr-port': { type: 'string' },
  'cr-port-range': { type: 'boolean' },
  'cr-url-host': { type: 'string' },
  interval: { type: 'string' },
  jitter: { type: 'string' },
  rate: { type: 'string' },
  duration: { type: 'string' },
  'max-sessions': { type: 'string' },
  json: { type: 'boolean' },
  'max-failures': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

/** The flag of each engine option, for error lines. */
const FLAG_OF: Readonly<Record<string, string>> = {
  acsUrl: '--acs',
  cpes: '--cpes',
  first: '--first',
  serial: '--serial',
  username: '--username',
  password: '--password',
  auth: '--auth',
  crUsername: '--cr-username',
  crPassword: '--cr-password',
  crHost: '--cr-host',
  crPort: '--cr-port',
  crUrlHost: '--cr-url-host',
  model: '--model',
  periodicInterval: '--interval',
  jitter: '--jitter',
  rate: '--rate',
  maxSessions: '--max-sessions',
  timeoutMs: '--timeout',
  connection: '--connection',
  maxFailures: '--max-failures',
}

function number(value: string | undefined, flag: string, what: 'integer' | 'number'): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n) || n < 0 || (what === 'integer' && !Number.isSafeInteger(n))) {
    throw new UsageError(`${flag} must be ${what === 'integer' ? 'a whole number' : 'a number'} ≥ 0 (got "${value}")`)
  }
  return n
}

function oneOf<T extends string>(value: string | undefined, flag: string, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag} must be ${allowed.join(' or ')} (got "${value}")`)
  return value as T
}

/**
 * The summary as a table (what `cwmp fleet` prints at the end without `--json`).
 *
 * @param s - the summary
 * @param rssBytes - the process's resident set size
 * @internal
 */
export function formatFleetSummary(s: FleetSummary, rssBytes?: number): string {
  const rows: [string, string][] = [
    ['ACS', s.acs],
    ['devices', `${s.started} of ${s.cpes} started`],
    ['elapsed', `${s.elapsed} s`],
    ['sessions ok', String(s.sessions.ok)],
    ['sessions failed', String(s.sessions.failed)],
    ['sessions/s', String(s.sessions.perSecond)],
    ['session ms', `p50 ${s.latencyMs.p50}  p90 ${s.latencyMs.p90}  p99 ${s.latencyMs.p99}  max ${s.latencyMs.max}`],
    ['HTTP requests', String(s.httpRequests)],
    ['ACS requests', Object.entries(s.acsRequests).map(([m, k]) => `${m} ${k}`).join(', ') || '-'],
    ['CPE faults sent', Object.entries(s.cpeFaults).map(([c, k]) => `${c} ×${k}`).join(', ') || '-'],
    [
      'Connection Requests',
      `${s.connectionRequests.answered} answered, ${s.connectionRequests.challenged} challenged, ${s.connectionRequests.refused} refused, ${s.connectionRequests.notFound} not found`,
    ],
  ]
  if (rssBytes !== undefined) rows.push(['RSS', `${Math.round(rssBytes / 1048576)} MiB`])
  const width = rows.reduce((w, r) => Math.max(w, r[0].length), 0)
  const out = rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`)
  if (s.sessions.failed > 0) {
    out.push('', `failures by kind: ${Object.entries(s.failures.byKind).map(([k, n]) => `${k} ${n}`).join(', ')}`)
    out.push(`${'device'.padEnd(14)} ${'kind'.padEnd(13)} ${'status'.padEnd(6)} ${'fault'.padEnd(5)} message`)
    for (const f of s.failures.list.slice(0, 20)) {
      out.push(`${f.device.padEnd(14)} ${f.kind.padEnd(13)} ${String(f.status ?? '-').padEnd(6)} ${String(f.fault?.code ?? '-').padEnd(5)} ${f.message}`)
    }
    const more = s.failures.list.length - 20 + s.failures.dropped
    if (more > 0) out.push(`… and ${more} more (--json lists ${s.failures.list.length})`)
  }
  return `${out.join('\n')}\n`
}

function statusLine(s: FleetSummary, recentRate: number): string {
  return (
    `${s.started}/${s.cpes} up  sessions ok ${s.sessions.ok} failed ${s.sessions.failed} (${s.sessions.inProgress} open)  ` +
    `${recentRate.toFixed(0)}/s  p50 ${s.latencyMs.p50.toFixed(1)} ms p99 ${s.latencyMs.p99.toFixed(1)} ms  CR ${s.connectionRequests.answered}`
  )
}

/**
 * The `fleet` command.
 *
 * @internal
 */
export const fleetCommand: CliCommand = {
  name: 'fleet',
  summary: 'run N simulated CPEs in one process against an ACS, with a summary',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values } = parseFlags(argv, OPTIONS)
    if (values.help === true) {
      io.stdout.write(HELP)
      return 0
    }
    if (values.acs === undefined) throw new UsageError('--acs URL is required')
    const cpes = number(values.cpes, '--cpes', 'integer')
    const duration = number(values.duration, '--duration', 'number')
    const timeout = number(values.timeout, '--timeout', 'number')
    const first = number(values.first, '--first', 'integer')
    const crPort = number(values['cr-port'], '--cr-port', 'integer')
    const interval = number(values.interval, '--interval', 'number')
    const jitter = number(values.jitter, '--jitter', 'number')
    const rate = number(values.rate, '--rate', 'number')
    const maxSessions = number(values['max-sessions'], '--max-sessions', 'integer')
    const maxFailures = number(values['max-failures'], '--max-failures', 'integer')
    const auth = oneOf(values.auth, '--auth', ['digest', 'basic'] as const)
    const crAuth = oneOf(values['cr-auth'], '--cr-auth', ['digest', 'none'] as const)
    const connection = oneOf(values.connection, '--connection', ['shared', 'session'] as const)
    let seed: number | undefined
    if (values.seed !== undefined) {
      seed = Number(values.seed)
      if (values.seed.trim() === '' || !Number.isSafeInteger(seed)) throw new UsageError(`--seed must be an integer (got "${values.seed}")`)
    }
    const instances = number(values.instances, '--instances', 'integer')
    if ((seed !== undefined || instances !== undefined) && values.model !== 'tr181' && values.model !== 'tr098') {
      throw new UsageError('--seed and --instances go with --model tr181 or --model tr098')
    }
    const model = await readModelSource(values.model ?? 'sample', {
      ...(seed === undefined ? {} : { seed }),
      ...(instances === undefined ? {} : { instances }),
    })

    const options: FleetOptions = {
      acsUrl: values.acs,
      cpes: cpes ?? 1,
      model,
      ...(first === undefined ? {} : { first }),
      ...(values.serial === undefined ? {} : { serial: values.serial }),
      ...(values.username === undefined ? {} : { username: values.username }),
      ...(values.password === undefined ? {} : { password: values.password }),
      ...(auth === undefined ? {} : { auth }),
      ...(connection === undefined ? {} : { connection }),
      ...(timeout === undefined ? {} : { timeoutMs: Math.round(timeout * 1000) }),
      ...(values['cr-username'] === undefined ? {} : { crUsername: values['cr-username'] }),
      ...(values['cr-password'] === undefined ? {} : { crPassword: values['cr-password'] }),
      ...(crAuth === undefined ? {} : { crAuth: crAuth === 'digest' }),
      ...(values['cr-host'] === undefined ? {} : { crHost: values['cr-host'] }),
      ...(crPort === undefined ? {} : { crPort }),
      ...(values['cr-port-range'] === true ? { crPortRange: true } : {}),
      ...(values['cr-url-host'] === undefined ? {} : { crUrlHost: values['cr-url-host'] }),
      ...(interval === undefined ? {} : { periodicInterval: interval }),
      ...(jitter === undefined ? {} : { jitter }),
      ...(rate === undefined ? {} : { rate }),
      ...(maxSessions === undefined ? {} : { maxSessions }),
      ...(maxFailures === undefined ? {} : { maxFailures }),
    }
    let fleet: Fleet
    try {
      fleet = createFleet(options)
      await fleet.start()
    } catch (error) {
      if (error instanceof ConfigError) {
        const flag = FLAG_OF[error.field]
        throw new UsageError(flag === undefined ? error.message : error.message.replace(error.field, flag))
      }
      if (isCwmpError(error)) {
        io.stderr.write(`cwmp fleet: ${error.message}\n`)
        return 1
      }
      throw error
    }

    const live = io.stderrIsTty === true && values.json !== true
    let lastCount = 0
    let lastAt = Date.now()
    const ticker = live
      ? setInterval(() => {
          const s = fleet.summary()
          const t = Date.now()
          const count = s.sessions.ok + s.sessions.failed
          const recent = ((count - lastCount) * 1000) / Math.max(1, t - lastAt)
          lastCount = count
          lastAt = t
          io.stderr.write(`\r\x1b[2K${statusLine(s, recent)}`)
        }, 1000)
      : undefined

    await new Promise<void>((done) => {
      const timer = duration === undefined ? setInterval(() => undefined, 1 << 30) : setTimeout(finish, duration * 1000)
      const offs = [io.onSignal('SIGINT', finish), io.onSignal('SIGTERM', finish)]
      function finish(): void {
        clearTimeout(timer)
        clearInterval(timer)
        for (const off of offs) off()
        done()
      }
    })
    if (ticker !== undefined) clearInterval(ticker)
    await fleet.stop()
    const summary = fleet.summary()
    const rss = process.memoryUsage.rss()
    if (live) io.stderr.write('\r\x1b[2K')
    const cpu = process.cpuUsage()
    const cpuSeconds = Math.round((cpu.user + cpu.system) / 1e4) / 100
    if (values.json === true) io.stdout.write(`${JSON.stringify({ ...summary, rssBytes: rss, cpuSeconds })}\n`)
    else io.stdout.write(formatFleetSummary(summary, rss))
    return summary.sessions.failed === 0 ? 0 : 1
  },
}
