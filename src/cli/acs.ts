/**
 * `cwmp acs`: the ACS simulator as a program. It listens on `--host`/`--port` with the
 * authentication options of `createAcsSimulator`, prints one line per session to stdout as each
 * ends (device, events, requests sent, outcome; `--json` for JSON lines), queues the requests of a
 * `--script` file for devices as they inform, and serves a JSON control endpoint on `--control PORT`
 * (`acs-control.ts`). Status lines go to stderr. SIGINT and SIGTERM stop it within a few seconds
 * with exit code 0. Usage errors exit 2; a file or port that cannot be used exits 1.
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import { createAcsSimulator, MIN_ACS_SESSION_TIMEOUT_MS, type AcsSimulator, type AcsSimulatorOptions } from '../acs/simulator.js'
import { DEFAULT_SOURCE_LIMITS } from '../acs/source-limits.js'
import type { AcsSimulatorAuth } from '../acs/cpe-authenticator.js'
import type { AcsSimulatorSession } from '../acs/session-registry.js'
import { DIGEST_ALGORITHMS, type DigestAlgorithm } from '../auth/digest.js'
import { ConfigError, isCwmpError } from '../errors.js'
import { startControl, type Control } from './acs-control.js'
import { parseAcsScript, queueAll, scriptFor, type AcsScriptFile } from './acs-script.js'
import { parseFlags, UsageError, type CliCommand, type CliIo } from './command.js'

const HELP = `Usage: cwmp acs [--host HOST] [--port PORT] [auth options] [--script FILE]
                [--control PORT] [--json] [--log-soap]

Run the ACS simulator until SIGINT or SIGTERM. Each session is printed on stdout when it
ends, one line each: time, device key, outcome, duration, Inform events, requests sent.

Options:
  --host HOST             address to listen on (default 127.0.0.1; 0.0.0.0 for every one)
  --port PORT             TCP port (default 7547; 0 for a free one, printed on stderr)
  --json                  one JSON object per session line instead of text
  --log-soap              every SOAP message, indented, on stderr
  --session-timeout SECS  idle time that ends a session (default and minimum 30)
  --source-refusals N     refusals (wrong credentials, 403, unreadable messages, …) an address
                          may collect a minute before its requests are held 10 s, then closed
                          (default 50; 0 turns it off, e.g. for many CPEs behind one NAT)
  --source-requests N     requests of any kind an address may send a minute (default 0: no limit)

Authentication of CPEs (default none):
  --auth none|digest|basic  scheme (default digest when a password or credentials are given)
  --username NAME         the one accepted user name (default: any, with --password)
  --password PASS         the shared password
  --credentials FILE      per-device passwords: a JSON object { "user name": "password" },
                          user names OUI-ProductClass-SerialNumber (TR-069 3.4.4)
  --algorithms LIST       Digest algorithms offered, strongest first, comma-separated
                          (${DIGEST_ALGORITHMS.join(', ')}; default MD5)
  --authorize any|cpe-username
                          which devices a user may Inform as (default: cpe-username with
                          --credentials, any with a shared --password)
  --realm REALM           the realm (default cwmp-acs)

Connection Requests to CPEs:
  --cr-username NAME      user name for every device (default: what the ACS set on the device)
  --cr-password PASS      its password

Requests:
  --script FILE           JSON requests queued for devices as they inform:
                          { "all": [requests for every device],
                            "devices": { "DEVICE-KEY or SERIAL": [requests] },
                            "when": "first-inform" (default) or "every-inform" }
  --control PORT          a JSON control endpoint on a second port (0 for a free one)
  --control-host HOST     its address (default 127.0.0.1; it has no authentication)
  -h, --help              this help

Control endpoint (ID: a device key, or the serial number of a device that has informed):
  GET  /devices                          the devices, with their queued-request counts
  GET  /devices/ID                       one device, with its queued requests
  POST /devices/ID/queue                 queue a request (JSON object, or an array of them)
  POST /devices/ID/connection-request    send the device a Connection Request
  GET  /sessions[?device=ID]             the sessions, oldest first

Examples:
  cwmp acs --port 7547 --control 7548
  cwmp acs --auth digest --username cpe --password secret --algorithms SHA-256,MD5
  cwmp acs --credentials cpe-passwords.json --script script.json --json > sessions.jsonl
  curl -s -X POST localhost:7548/devices/SN0001/queue \\
       -d '{"method":"GetParameterValues","parameterNames":["Device.DeviceInfo."]}'
  curl -s -X POST localhost:7548/devices/SN0001/connection-request
  curl -s localhost:7548/sessions
`

/** How long a stop may take before the command exits anyway. */
const STOP_DEADLINE_MS = 4000

/** An integer flag within [min, max]. */
function integer(value: string | undefined, flag: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max} (got ${JSON.stringify(value)})`)
  }
  return Number(value)
}

/** One of a set of words. */
function oneOf<T extends string>(value: string | undefined, flag: string, words: readonly T[]): T | undefined {
  if (value === undefined) return undefined
  if (!(words as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${words.join(', ')} (got ${JSON.stringify(value)})`)
  return value as T
}

/** A JSON object of user name → password. */
function readCredentials(file: string): Map<string, string> {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new ConfigError('--credentials', `a readable JSON file (${error instanceof Error ? error.message : String(error)})`)
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError('--credentials', 'a JSON object of user name to password')
  }
  const map = new Map<string, string>()
  for (const [user, password] of Object.entries(parsed)) {
    if (typeof password !== 'string') throw new ConfigError(`--credentials ${JSON.stringify(user)}`, 'a password string', undefined)
    map.set(user, password)
  }
  return map
}

function readScript(file: string): AcsScriptFile {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    throw new ConfigError('--script', `a readable file (${error instanceof Error ? error.message : String(error)})`)
  }
  try {
    return parseAcsScript(text)
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(`--script ${error.field}`, error.rule)
    throw error
  }
}

type Flags = ReturnType<typeof flagsOf>

function flagsOf(argv: readonly string[]) {
  return parseFlags(argv, {
    host: { type: 'string' },
    port: { type: 'string' },
    json: { type: 'boolean' },
    'log-soap': { type: 'boolean' },
    'session-timeout': { type: 'string' },
    'source-refusals': { type: 'string' },
    'source-requests': { type: 'string' },
    auth: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    credentials: { type: 'string' },
    algorithms: { type: 'string' },
    authorize: { type: 'string' },
    realm: { type: 'string' },
    'cr-username': { type: 'string' },
    'cr-password': { type: 'string' },
    script: { type: 'string' },
    control: { type: 'string' },
    'control-host': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  }).values
}

/** The `auth` option from the flags (usage errors for what does not go together). */
function authOf(values: Flags): AcsSimulatorAuth | undefined {
  const scheme = oneOf(values.auth, '--auth', ['none', 'digest', 'basic'] as const)
  const hasSecret = values.password !== undefined || values.credentials !== undefined
  if (scheme === 'none') {
    for (const flag of ['username', 'password', 'credentials', 'algorithms', 'authorize', 'realm'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs authentication, not --auth none`)
    }
    return undefined
  }
  if (!hasSecret) {
    if (scheme !== undefined) throw new UsageError(`--auth ${scheme} needs --password or --credentials FILE`)
    for (const flag of ['username', 'algorithms', 'authorize', 'realm'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --password or --credentials FILE`)
    }
    return undefined
  }
  if (values.password !== undefined && values.credentials !== undefined) throw new UsageError('--password and --credentials exclude each other')
  if (values.username !== undefined && values.credentials !== undefined) throw new UsageError('--username and --credentials exclude each other')
  if (values.algorithms !== undefined && scheme === 'basic') throw new UsageError('--algorithms is for Digest, not --auth basic')
  let algorithms: DigestAlgorithm[] | undefined
  if (values.algorithms !== undefined) {
    algorithms = values.algorithms.split(',').map((a) => a.trim())
      .map((a) => oneOf(a, '--algorithms', DIGEST_ALGORITHMS) as DigestAlgorithm)
  }
  const authorize = oneOf(values.authorize, '--authorize', ['any', 'cpe-username'] as const)
  if (values.realm === '') throw new UsageError('--realm must not be empty')
  const credentials = values.credentials === undefined ? undefined : readCredentials(values.credentials)
  return {
    scheme: scheme ?? 'digest',
    ...(credentials === undefined ? {} : { credentials: (user: string) => credentials.get(user) }),
    ...(values.password === undefined ? {} : { password: values.password }),
    ...(values.username === undefined ? {} : { username: values.username }),
    ...(algorithms === undefined ? {} : { algorithms }),
    ...(authorize === undefined ? {} : { authorize }),
    ...(values.realm === undefined ? {} : { realm: values.realm }),
  }
}

/** The text line of a session. */
function sessionLine(s: AcsSimulatorSession): string {
  const end = s.endedAt ?? s.lastActivity
  const outcome = s.reason === undefined ? s.outcome : `${s.outcome} (${s.reason})`
  return `${new Date(end).toISOString()} ${s.deviceKey} ${outcome} in ${end - s.startedAt} ms events [${s.events.join(', ')}] requests [${s.requests.map((r) => r.method).join(', ')}]\n`
}

/** The JSON line of a session. */
function sessionJson(s: AcsSimulatorSession): string {
  return `${JSON.stringify({
    time: new Date(s.endedAt ?? s.lastActivity).toISOString(),
    deviceKey: s.deviceKey,
    serialNumber: s.deviceId.serialNumber,
    sessionId: s.sessionId,
    outcome: s.outcome,
    reason: s.reason ?? null,
    durationMs: (s.endedAt ?? s.lastActivity) - s.startedAt,
    events: s.events,
    requests: s.requests.map((r) => r.method),
  })}\n`
}

/** One line for an error: a setting names its field. */
function line(error: unknown): string {
  if (error instanceof ConfigError || isCwmpError(error)) return error.message
  const e = error as NodeJS.ErrnoException
  if (e.code === 'EADDRINUSE') return `the port is in use (${e.message})`
  return error instanceof Error ? error.message : String(error)
}

/**
 * The `acs` command.
 *
 * @internal
 */
export const acsCommand: CliCommand = {
  name: 'acs',
  summary: 'run the ACS simulator: one line per session, a script, a JSON control port',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const values = flagsOf(argv)
    if (values.help === true) {
      io.stdout.write(HELP)
      return 0
    }
    const status = (text: string): void => {
      io.stderr.write(`cwmp acs: ${text}\n`)
    }
    const port = integer(values.port, '--port', 0, 65_535, 7547)
    const controlPort = values.control === undefined ? undefined : integer(values.control, '--control', 0, 65_535, 0)
    const timeoutSecs = integer(values['session-timeout'], '--session-timeout', MIN_ACS_SESSION_TIMEOUT_MS / 1000, 86_400, 30)
    const sourceLimits = {
      refusals: integer(values['source-refusals'], '--source-refusals', 0, 1_000_000, DEFAULT_SOURCE_LIMITS.refusals),
      requests: integer(values['source-requests'], '--source-requests', 0, 1_000_000, DEFAULT_SOURCE_LIMITS.requests),
    }
    if (values.host === '') throw new UsageError('--host must not be empty')
    if (values['control-host'] !== undefined && controlPort === undefined) throw new UsageError('--control-host needs --control PORT')
    if ((values['cr-username'] === undefined) !== (values['cr-password'] === undefined)) {
      throw new UsageError('--cr-username and --cr-password go together')
    }

    let auth: AcsSimulatorAuth | undefined
    let script: AcsScriptFile | undefined
    try {
      auth = authOf(values)
      script = values.script === undefined ? undefined : readScript(values.script)
    } catch (error) {
      if (error instanceof UsageError) throw error
      status(line(error))
      return 1
    }

    const json = values.json === true
    // Devices whose script requests were queued (first-inform).
    const scripted = new Set<string>()
    let sim: AcsSimulator | undefined
    const sessions = { ok: 0, failed: 0 }
    const options: AcsSimulatorOptions = {
      host: values.host ?? '127.0.0.1',
      port,
      sessionTimeoutMs: timeoutSecs * 1000,
      sourceLimits,
      ...(auth === undefined ? {} : { auth }),
      ...(values['cr-username'] === undefined || values['cr-password'] === undefined
        ? {}
        : { connectionRequest: { username: values['cr-username'], password: values['cr-password'] } }),
      ...(values['log-soap'] === true ? { log: io.stderr } : {}),
      // Nothing reads the recording: the session lines come from onSessionEnd.
      maxMessages: 0,
      onSessionEnd: (s) => {
        if (s.outcome === 'done') sessions.ok++
        else sessions.failed++
        io.stdout.write(json ? sessionJson(s) : sessionLine(s))
      },
      ...(script === undefined
        ? {}
        : {
            onInform: async (inform, context) => {
              const s = script as AcsScriptFile
              if (s.when === 'first-inform') {
                if (scripted.has(context.deviceKey)) return
                scripted.add(context.deviceKey)
              }
              const requests = scriptFor(s, context.deviceKey, inform.deviceId)
              if (requests.length > 0 && sim !== undefined) await queueAll(sim, context.deviceKey, requests)
            },
          }),
      onError: (error) => status(`error: ${line(error)}`),
    }

    let control: Control | undefined
    try {
      sim = await createAcsSimulator(options)
      status(`listening on ${sim.url}${auth === undefined ? ' (no authentication)' : ` (${auth.scheme ?? 'digest'} authentication)`}`)
      if (controlPort !== undefined) {
        control = await startControl({ simulator: sim, host: values['control-host'] ?? '127.0.0.1', port: controlPort, onAction: status })
        status(`control endpoint on ${control.url}`)
      }
    } catch (error) {
      status(line(error))
      await sim?.close()
      return 1
    }
    const running = sim

    return new Promise<number>((done) => {
      let stopping = false
      const stop = (): void => {
        if (stopping) return
        stopping = true
        for (const off of listeners) off()
        const deadline = setTimeout(() => {
          status('stop took too long; exiting')
          done(0)
        }, STOP_DEADLINE_MS)
        void Promise.allSettled([control?.close(), running.close()]).then(() => {
          clearTimeout(deadline)
          status(`stopped after ${sessions.ok + sessions.failed} sessions (${sessions.ok} ok, ${sessions.failed} failed)`)
          done(0)
        })
      }
      const listeners = [io.onSignal('SIGINT', stop), io.onSignal('SIGTERM', stop)]
    })
  },
}
