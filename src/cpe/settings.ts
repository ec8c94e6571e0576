/**
 * The CPE client's settings, as a router's "TR-069 Client" page shows them, and the one place they
 * are checked: {@link changeSettings} merges a change into the current settings and refuses any
 * value its rule does not allow with a {@link ConfigError} naming the field and the rule, so a
 * refused change leaves everything as it was. Pure: the network interfaces that `wanInterface` may
 * name and the random Connection Request path are passed in.
 *
 * @module
 */
import { isIP } from 'node:net'
import type { ConnectionRequestPolicyOptions } from '../connreq/policy.js'
import { ConfigError } from '../errors.js'
import type { ConnectionLimits } from '../transport/connection-guard.js'
import { UNKNOWN_TIME } from '../values/convert.js'
import { codePointLength, isDateTime } from '../values/lexical.js'

/**
 * The retry wait parameters (TR-069 §3.2.1.1, Table 3): `ManagementServer.CWMPRetryMinimumWaitInterval`
 * and `CWMPRetryIntervalMultiplier`.
 *
 * @category CPE client
 */
export interface CpeRetrySettings {
  /** m, seconds: an integer from 1 to 65535 (default 5). */
  readonly minimumWaitInterval: number
  /** k, thousandths: an integer from 1000 to 65535 (default 2000, doubling each wait). */
  readonly intervalMultiplier: number
}

/**
 * The Connection Request settings (TR-069 §3.2.2): how the ACS wakes the CPE up.
 *
 * @category CPE client
 */
export interface ConnectionRequestSettings {
  /**
   * "Connection Request Authentication": Digest-authenticate the ACS (default true, as TR-069
   * requires). `false` accepts a GET on the path without credentials; see `docs/cpe-firmware.md`
   * for what that risks.
   */
  readonly authentication: boolean
  /** "Connection Request User Name", ManagementServer.ConnectionRequestUsername: at most 256 characters. */
  readonly username: string
  /** "Connection Request Password", ManagementServer.ConnectionRequestPassword: at most 256 characters. */
  readonly password: string
  /** The port to listen on, 0–65535 (default 0: any free port; 7547 is customary and stays the same across restarts). */
  readonly port: number
  /**
   * The path of the Connection Request URL, starting with `/` (default a random `/cwmp-cr-…`:
   * TR-069 says it SHOULD be random and unique per CPE).
   */
  readonly path: string
  /** Listen on this address instead of the WAN interface's (e.g. `0.0.0.0`). */
  readonly host?: string
  /** Report this host in ConnectionRequestURL instead of the WAN address (e.g. a port-forwarding router's public address). */
  readonly urlHost?: string
  /** Rate limit and what to do with a request during a session (see the connreq policy). */
  readonly policy?: ConnectionRequestPolicyOptions
  /** Connection limits of the listener (default `DEFAULT_CONNECTION_REQUEST_LIMITS`). */
  readonly limits?: ConnectionLimits
}

/**
 * Every setting of the client, as a router's "TR-069 Client" page shows them, with what TR-069
 * ties to them (PeriodicInformTime, the retry parameters). {@link CpeClient.settings} returns them
 * with what the ACS set included; {@link CpeClient.configure} changes them while the client runs.
 * Plain JSON: save it where the device keeps its configuration.
 *
 * @category CPE client
 */
export interface CpeSettings {
  /** "ACS URL", ManagementServer.URL: `http://` or `https://` with a host, at most 256 characters. */
  readonly acsUrl: string
  /** "ACS User Name", ManagementServer.Username: at most 256 characters; empty for no authentication. */
  readonly acsUsername: string
  /** "ACS Password", ManagementServer.Password: at most 256 characters. */
  readonly acsPassword: string
  /** "Inform" (Disable / Enable), ManagementServer.PeriodicInformEnable (default false). */
  readonly periodicInformEnable: boolean
  /** "Inform Interval", ManagementServer.PeriodicInformInterval: seconds, an integer ≥ 1 (default 3600). */
  readonly periodicInformInterval: number
  /**
   * ManagementServer.PeriodicInformTime: the phase of periodic Informs, an `xsd:dateTime`. The
   * Unknown Time `0001-01-01T00:00:00Z` (the default) lets the CPE pick it.
   */
  readonly periodicInformTime: string
  /** CWMPRetryMinimumWaitInterval and CWMPRetryIntervalMultiplier. */
  readonly retry: CpeRetrySettings
  /**
   * "WAN Interface used by TR-069 Client": `any` (the page's `Any_WAN`, the default), an interface
   * name as `os.networkInterfaces()` names it, or an IP address. Requests to the ACS are sent from
   * its address, the Connection Request listener listens on it and ConnectionRequestURL names it.
   */
  readonly wanInterface: string
  /** "Display SOAP messages on serial console" (default false). */
  readonly logSoap: boolean
  /** The Connection Request listener and its credentials; `false` for none. */
  readonly connectionRequest: ConnectionRequestSettings | false
}

/**
 * A change of {@link CpeSettings} for {@link CpeClient.configure} ("Apply/Save"): the fields to
 * change, the others are kept. `retry` and `connectionRequest` merge field by field;
 * `connectionRequest: false` turns the listener off. An optional field given as `undefined`
 * (`host`, `urlHost`, `policy`, `limits`) goes back to its default.
 *
 * @category CPE client
 */
export interface CpeSettingsChange {
  /** See {@link CpeSettings.acsUrl}. */
  readonly acsUrl?: string
  /** See {@link CpeSettings.acsUsername}. */
  readonly acsUsername?: string
  /** See {@link CpeSettings.acsPassword}. */
  readonly acsPassword?: string
  /** See {@link CpeSettings.periodicInformEnable}. */
  readonly periodicInformEnable?: boolean
  /** See {@link CpeSettings.periodicInformInterval}. */
  readonly periodicInformInterval?: number
  /** See {@link CpeSettings.periodicInformTime}. */
  readonly periodicInformTime?: string
  /** See {@link CpeSettings.retry}. */
  readonly retry?: Partial<CpeRetrySettings>
  /** See {@link CpeSettings.wanInterface}. */
  readonly wanInterface?: string
  /** See {@link CpeSettings.logSoap}. */
  readonly logSoap?: boolean
  /** See {@link CpeSettings.connectionRequest}. */
  readonly connectionRequest?: ConnectionRequestSettingsChange | false
}

/**
 * A change of {@link ConnectionRequestSettings}.
 *
 * @category CPE client
 */
export type ConnectionRequestSettingsChange = {
  readonly [K in keyof ConnectionRequestSettings]?: ConnectionRequestSettings[K] | undefined
}

/**
 * The name of a changed setting: a field of {@link CpeSettings}, dotted below `retry` and
 * `connectionRequest` (`connectionRequest` alone when the listener is turned on or off).
 *
 * @category CPE client
 */
export type CpeSettingName =
  | Exclude<keyof CpeSettings, 'retry' | 'connectionRequest'>
  | `retry.${keyof CpeRetrySettings}`
  | 'connectionRequest'
  | `connectionRequest.${keyof ConnectionRequestSettings}`

/**
 * What {@link changeSettings} needs from outside: the network interfaces and a random path.
 *
 * @internal
 */
export interface SettingsEnvironment {
  /** The interfaces, as `os.networkInterfaces()` returns them. */
  readonly interfaces: () => Readonly<Record<string, readonly { readonly address: string; readonly family: string | number }[] | undefined>>
  /** A new random Connection Request path. */
  readonly randomPath: () => string
}

/** The longest user name, password and URL TR-098 / TR-181 allow (string(256)). */
const MAX_STRING = 256

/** The settings before any is given; `acsUrl` must be. @internal */
export const DEFAULT_SETTINGS: CpeSettings = {
  acsUrl: '',
  acsUsername: '',
  acsPassword: '',
  periodicInformEnable: false,
  periodicInformInterval: 3600,
  periodicInformTime: UNKNOWN_TIME,
  retry: { minimumWaitInterval: 5, intervalMultiplier: 2000 },
  wanInterface: 'any',
  logSoap: false,
  connectionRequest: false,
}

/** The fields of {@link CpeSettings}, in order. @internal */
export const SETTING_FIELDS: readonly (keyof CpeSettings)[] = [
  'acsUrl',
  'acsUsername',
  'acsPassword',
  'periodicInformEnable',
  'periodicInformInterval',
  'periodicInformTime',
  'retry',
  'wanInterface',
  'logSoap',
  'connectionRequest',
]
const RETRY_FIELDS: readonly (keyof CpeRetrySettings)[] = ['minimumWaitInterval', 'intervalMultiplier']
const CR_FIELDS: readonly (keyof ConnectionRequestSettings)[] = [
  'authentication',
  'username',
  'password',
  'port',
  'path',
  'host',
  'urlHost',
  'policy',
  'limits',
]
const CR_OPTIONAL: ReadonlySet<string> = new Set(['host', 'urlHost', 'policy', 'limits'])

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

function unknownFields(value: Record<string, unknown>, known: readonly string[], prefix: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) throw new ConfigError(`${prefix}${key}`, `one of the settings (${known.join(', ')})`)
  }
}

function checkString(field: string, v: unknown, secret = false): string {
  if (typeof v !== 'string' || codePointLength(v) > MAX_STRING) {
    throw new ConfigError(field, `a string of at most ${MAX_STRING} characters`, v, { secret })
  }
  return v
}

function checkBoolean(field: string, v: unknown): boolean {
  if (typeof v !== 'boolean') throw new ConfigError(field, 'true or false', v)
  return v
}

function checkInteger(field: string, v: unknown, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw new ConfigError(field, max === 4294967295 ? `an integer ≥ ${min}` : `an integer from ${min} to ${max}`, v)
  }
  return v
}

function checkUrl(field: string, v: unknown): string {
  const rule = `an http:// or https:// URL with a host, at most ${MAX_STRING} characters`
  if (typeof v !== 'string' || codePointLength(v) > MAX_STRING || /\s/.test(v) || !/^https?:\/\/[^/?#]/i.test(v)) {
    throw new ConfigError(field, rule, v)
  }
  let url: URL
  try {
    url = new URL(v)
  } catch {
    throw new ConfigError(field, rule, v)
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') throw new ConfigError(field, rule, v)
  return v
}

function checkHost(field: string, v: unknown): string {
  // A host name (RFC 1123 labels) or an IP address, as it goes into a URL's authority.
  if (typeof v === 'string' && (isIP(v) !== 0 || /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(v))) {
    return v
  }
  throw new ConfigError(field, 'a host name or an IP address', v)
}

function checkPath(field: string, v: unknown): string {
  // RFC 3986 path characters only: no query, fragment or space.
  if (typeof v !== 'string' || codePointLength(v) > MAX_STRING || !/^\/[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/.test(v)) {
    throw new ConfigError(field, `a URL path starting with "/" (no query, fragment or space), at most ${MAX_STRING} characters`, v)
  }
  return v
}

function checkWanInterface(field: string, v: unknown, env: SettingsEnvironment): string {
  if (typeof v !== 'string' || v === '') throw new ConfigError(field, '"any", a network interface name or an IP address', v)
  if (v === 'any' || isIP(v) !== 0) return v
  const interfaces = env.interfaces()
  if (!Object.hasOwn(interfaces, v)) {
    throw new ConfigError(field, `"any", an IP address, or an interface that exists (${Object.keys(interfaces).join(', ')})`, v)
  }
  return v
}

function checkPolicy(field: string, v: unknown): ConnectionRequestPolicyOptions {
  if (!isObject(v)) throw new ConfigError(field, 'an object with rateLimit and duringSession', v)
  unknownFields(v, ['rateLimit', 'duringSession'], `${field}.`)
  const out: { -readonly [K in keyof ConnectionRequestPolicyOptions]: ConnectionRequestPolicyOptions[K] } = {}
  if (v.rateLimit !== undefined) {
    if (v.rateLimit === null) out.rateLimit = null
    else {
      const r = v.rateLimit
      if (!isObject(r)) throw new ConfigError(`${field}.rateLimit`, 'null or { max, windowMs }', r)
      unknownFields(r, ['max', 'windowMs'], `${field}.rateLimit.`)
      out.rateLimit = {
        max: checkInteger(`${field}.rateLimit.max`, r.max, 1, Number.MAX_SAFE_INTEGER),
        windowMs: checkInteger(`${field}.rateLimit.windowMs`, r.windowMs, 1, Number.MAX_SAFE_INTEGER),
      }
    }
  }
  if (v.duringSession !== undefined) {
    if (v.duringSession !== 'queue' && v.duringSession !== 'reject') throw new ConfigError(`${field}.duringSession`, '"queue" or "reject"', v.duringSession)
    out.duringSession = v.duringSession
  }
  return out
}

function checkLimits(field: string, v: unknown): ConnectionLimits {
  if (!isObject(v)) throw new ConfigError(field, 'an object with maxConnections, headersTimeoutMs, requestTimeoutMs', v)
  const keys = ['maxConnections', 'headersTimeoutMs', 'requestTimeoutMs'] as const
  unknownFields(v, keys, `${field}.`)
  const out: { -readonly [K in keyof ConnectionLimits]: ConnectionLimits[K] } = {}
  for (const key of keys) {
    if (v[key] !== undefined) out[key] = checkInteger(`${field}.${key}`, v[key], 1, Number.MAX_SAFE_INTEGER)
  }
  return out
}

function checkConnectionRequest(
  current: ConnectionRequestSettings | false,
  change: unknown,
  env: SettingsEnvironment,
): ConnectionRequestSettings | false {
  if (change === false) return false
  if (!isObject(change)) throw new ConfigError('connectionRequest', 'false or an object of Connection Request settings', change)
  unknownFields(change, CR_FIELDS, 'connectionRequest.')
  const base: ConnectionRequestSettings =
    current === false ? { authentication: true, username: '', password: '', port: 0, path: env.randomPath() } : current
  const merged: Record<string, unknown> = { ...base }
  for (const [key, value] of Object.entries(change)) {
    if (value === undefined) {
      if (!CR_OPTIONAL.has(key)) throw new ConfigError(`connectionRequest.${key}`, 'given (it has no default to go back to)')
      delete merged[key]
    } else merged[key] = value
  }
  const f = (k: string): string => `connectionRequest.${k}`
  const out: { -readonly [K in keyof ConnectionRequestSettings]: ConnectionRequestSettings[K] } = {
    authentication: checkBoolean(f('authentication'), merged.authentication),
    username: checkString(f('username'), merged.username),
    password: checkString(f('password'), merged.password, true),
    port: checkInteger(f('port'), merged.port, 0, 65535),
    path: checkPath(f('path'), merged.path),
  }
  if (merged.host !== undefined) out.host = checkHost(f('host'), merged.host)
  if (merged.urlHost !== undefined) out.urlHost = checkHost(f('urlHost'), merged.urlHost)
  if (merged.policy !== undefined) out.policy = checkPolicy(f('policy'), merged.policy)
  if (merged.limits !== undefined) out.limits = checkLimits(f('limits'), merged.limits)
  return out
}

/**
 * Merge a change into the settings and check every field of the result. Nothing is changed when
 * it throws: the settings given are never modified.
 *
 * @param current - the settings now
 * @param change - the fields to change (from `configure`, the ACS, or the options at creation)
 * @param env - the network interfaces and a random path
 * @returns the new settings
 * @throws {@link ConfigError} naming the first field (dotted) whose value its rule refuses, or an unknown field
 * @internal
 */
export function changeSettings(current: CpeSettings, change: CpeSettingsChange, env: SettingsEnvironment): CpeSettings {
  if (!isObject(change)) throw new ConfigError('settings', 'an object of settings', change)
  unknownFields(change, SETTING_FIELDS, '')
  const c = change as Record<string, unknown>
  const pick = (k: keyof CpeSettings): unknown => (c[k] === undefined ? current[k] : c[k])
  let retry: unknown = current.retry
  if (c.retry !== undefined) {
    if (!isObject(c.retry)) throw new ConfigError('retry', 'an object with minimumWaitInterval and intervalMultiplier', c.retry)
    unknownFields(c.retry, RETRY_FIELDS, 'retry.')
    retry = { ...current.retry, ...Object.fromEntries(Object.entries(c.retry).filter(([, v]) => v !== undefined)) }
  }
  const r = retry as Record<string, unknown>
  const time = pick('periodicInformTime')
  if (typeof time !== 'string' || !isDateTime(time)) {
    throw new ConfigError('periodicInformTime', 'an xsd:dateTime such as 2026-01-01T00:00:00Z (0001-01-01T00:00:00Z: any time)', time)
  }
  return {
    acsUrl: checkUrl('acsUrl', pick('acsUrl')),
    acsUsername: checkString('acsUsername', pick('acsUsername')),
    acsPassword: checkString('acsPassword', pick('acsPassword'), true),
    periodicInformEnable: checkBoolean('periodicInformEnable', pick('periodicInformEnable')),
    periodicInformInterval: checkInteger('periodicInformInterval', pick('periodicInformInterval'), 1, 4294967295),
    periodicInformTime: time,
    retry: {
      minimumWaitInterval: checkInteger('retry.minimumWaitInterval', r.minimumWaitInterval, 1, 65535),
      intervalMultiplier: checkInteger('retry.intervalMultiplier', r.intervalMultiplier, 1000, 65535),
    },
    wanInterface: checkWanInterface('wanInterface', pick('wanInterface'), env),
    logSoap: checkBoolean('logSoap', pick('logSoap')),
    connectionRequest:
      c.connectionRequest === undefined ? current.connectionRequest : checkConnectionRequest(current.connectionRequest, c.connectionRequest, env),
  }
}

/**
 * Merge two changes: `b` wins, `retry` and `connectionRequest` field by field.
 *
 * @internal
 */
export function mergeSettingsChanges(a: CpeSettingsChange, b: CpeSettingsChange): CpeSettingsChange {
  const out: { -readonly [K in keyof CpeSettingsChange]: CpeSettingsChange[K] } = { ...a, ...b }
  if (a.retry !== undefined && b.retry !== undefined) out.retry = { ...a.retry, ...b.retry }
  if (isObject(a.connectionRequest) && isObject(b.connectionRequest)) out.connectionRequest = { ...a.connectionRequest, ...b.connectionRequest }
  return out
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b)
}

/**
 * The settings that differ between two settings, in field order.
 *
 * @internal
 */
export function settingsDiff(a: CpeSettings, b: CpeSettings): CpeSettingName[] {
  const out: CpeSettingName[] = []
  for (const k of SETTING_FIELDS) {
    if (k === 'retry') {
      for (const r of RETRY_FIELDS) if (a.retry[r] !== b.retry[r]) out.push(`retry.${r}`)
    } else if (k === 'connectionRequest') {
      const ca = a.connectionRequest
      const cb = b.connectionRequest
      if (ca === false || cb === false) {
        if (ca !== cb) out.push('connectionRequest')
      } else {
        for (const f of CR_FIELDS) if (!same(ca[f], cb[f])) out.push(`connectionRequest.${f}`)
      }
    } else if (a[k] !== b[k]) out.push(k)
  }
  return out
}
