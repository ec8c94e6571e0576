/**
 * The `ManagementServer` object the CPE client serves itself, whatever the data model: each
 * parameter's syntax and where its value comes from (a setting, the client's state, a constant),
 * its attributes, and what a SetParameterValues on it means (a settings change applied when the
 * session ends). Sans I/O: the merging with the user's model is `managed-model.ts`.
 *
 * Parameters of TR-181 `Device.ManagementServer.` and TR-098 `InternetGatewayDevice.ManagementServer.`
 * (Broadband Forum data models, tr-181-2-17 and tr-098-1-8): the ones TR-069 gives the client a job
 * for, plus the few every ACS reads. Other names below the object (HeartbeatPolicy., InformParameter.{i}.,
 * STUN…) go to the model.
 *
 * @module
 */
import { CPE_FAULTS } from '../types/catalogue.js'
import type {
  Notification,
  ParameterAttributeStruct,
  ParameterInfoStruct,
  ParameterValueStruct,
  SetParameterAttributesStruct,
  SetParameterValuesFaultStruct,
} from '../types/structs.js'
import { checkValue, normaliseValueType, sameValueType, type ValueSyntax } from '../values/syntax.js'
import { ConfigError } from '../errors.js'
import { modelFault, parameterFault } from './data-model.js'
import { isActiveNotification, isNotification } from './notification.js'
import {
  changeSettings,
  mergeSettingsChanges,
  type CpeSettingName,
  type CpeSettings,
  type CpeSettingsChange,
  type SettingsEnvironment,
} from './settings.js'

/**
 * What the client keeps of its ManagementServer object besides the settings: the ParameterKey,
 * the values of the parameters that are only stored, and the attributes the ACS set. Plain JSON,
 * part of {@link CpeClientState}.
 *
 * @category CPE client
 */
export interface ManagementServerState {
  /** ManagementServer.ParameterKey: the key of the last successful SetParameterValues, AddObject or DeleteObject. */
  readonly parameterKey: string
  /** Values of the stored parameters (UpgradesManaged, DefaultActiveNotificationThrottle), by relative name. */
  readonly values: Readonly<Record<string, string>>
  /** Notification attributes that differ from the default, by relative name. */
  readonly notifications: Readonly<Record<string, Notification>>
  /** Access lists that are not empty, by relative name. */
  readonly accessLists: Readonly<Record<string, readonly string[]>>
}

/** What a parameter's value is read from. */
interface Source {
  readonly settings: CpeSettings
  readonly connectionRequestUrl: string
  readonly state: ManagementServerState
}

interface OwnedParameter {
  readonly syntax: ValueSyntax
  readonly writable: boolean
  /** Always read as empty (passwords). */
  readonly hidden?: boolean
  /** The Notification attribute by default (ConnectionRequestURL: active, "forceDefaultEnabled"). */
  readonly notification?: Notification
  /** Active notification may be refused ("canDeny"): ParameterKey. */
  readonly denyActive?: boolean
  /** Only in this root's object (TR-181 or TR-098). */
  readonly roots?: readonly string[]
  read(source: Source): string
  /** The settings change a value means (writable settings-backed parameters). */
  toChange?(value: string): CpeSettingsChange
  /** The setting behind it, so a refused change names this parameter. */
  readonly setting?: CpeSettingName
  /** A stored parameter: its default value. */
  readonly stored?: string
}

const bool = (b: boolean): string => (b ? '1' : '0')
const isTrue = (v: string): boolean => v === '1' || v === 'true'
const string = (maxLength = 256): ValueSyntax => ({ type: 'xsd:string', maxLength })
const unsignedInt = (minimum?: number, maximum?: number): ValueSyntax => ({
  type: 'xsd:unsignedInt',
  ...(minimum === undefined ? {} : { minimum: BigInt(minimum) }),
  ...(maximum === undefined ? {} : { maximum: BigInt(maximum) }),
})
const BOOLEAN: ValueSyntax = { type: 'xsd:boolean' }
const cr = (s: CpeSettings) => (s.connectionRequest === false ? undefined : s.connectionRequest)

/** The parameters the client serves, by name relative to `<root>ManagementServer.`, in GetParameterNames order. */
const OWNED: ReadonlyMap<string, OwnedParameter> = new Map<string, OwnedParameter>([
  ['EnableCWMP', { syntax: BOOLEAN, writable: false, read: () => '1' }],
  [
    'URL',
    { syntax: string(), writable: true, setting: 'acsUrl', read: (s) => s.settings.acsUrl, toChange: (v) => ({ acsUrl: v }) },
  ],
  [
    'Username',
    { syntax: string(), writable: true, setting: 'acsUsername', read: (s) => s.settings.acsUsername, toChange: (v) => ({ acsUsername: v }) },
  ],
  [
    'Password',
    { syntax: string(), writable: true, hidden: true, setting: 'acsPassword', read: (s) => s.settings.acsPassword, toChange: (v) => ({ acsPassword: v }) },
  ],
  [
    'PeriodicInformEnable',
    {
      syntax: BOOLEAN,
      writable: true,
      setting: 'periodicInformEnable',
      read: (s) => bool(s.settings.periodicInformEnable),
      toChange: (v) => ({ periodicInformEnable: isTrue(v) }),
    },
  ],
  [
    'PeriodicInformInterval',
    {
      syntax: unsignedInt(1),
      writable: true,
      setting: 'periodicInformInterval',
      read: (s) => String(s.settings.periodicInformInterval),
      toChange: (v) => ({ periodicInformInterval: Number(v) }),
    },
  ],
  [
    'PeriodicInformTime',
    {
      syntax: { type: 'xsd:dateTime' },
      writable: true,
      setting: 'periodicInformTime',
      read: (s) => s.settings.periodicInformTime,
      toChange: (v) => ({ periodicInformTime: v }),
    },
  ],
  ['ParameterKey', { syntax: string(32), writable: false, denyActive: true, read: (s) => s.state.parameterKey }],
  ['ConnectionRequestURL', { syntax: string(), writable: false, notification: 2, read: (s) => s.connectionRequestUrl }],
  [
    'ConnectionRequestUsername',
    {
      syntax: string(),
      writable: true,
      setting: 'connectionRequest.username',
      read: (s) => cr(s.settings)?.username ?? '',
      toChange: (v) => ({ connectionRequest: { username: v } }),
    },
  ],
  [
    'ConnectionRequestPassword',
    {
      syntax: string(),
      writable: true,
      hidden: true,
      setting: 'connectionRequest.password',
      read: (s) => cr(s.settings)?.password ?? '',
      toChange: (v) => ({ connectionRequest: { password: v } }),
    },
  ],
  ['UpgradesManaged', { syntax: BOOLEAN, writable: true, stored: '0', read: (s) => s.state.values.UpgradesManaged ?? '0' }],
  ['KickURL', { syntax: string(), writable: false, read: () => '' }],
  ['DownloadProgressURL', { syntax: string(), writable: false, read: () => '' }],
  [
    'DefaultActiveNotificationThrottle',
    { syntax: unsignedInt(), writable: true, stored: '0', read: (s) => s.state.values.DefaultActiveNotificationThrottle ?? '0' },
  ],
  [
    'CWMPRetryMinimumWaitInterval',
    {
      syntax: unsignedInt(1, 65535),
      writable: true,
      setting: 'retry.minimumWaitInterval',
      read: (s) => String(s.settings.retry.minimumWaitInterval),
      toChange: (v) => ({ retry: { minimumWaitInterval: Number(v) } }),
    },
  ],
  [
    'CWMPRetryIntervalMultiplier',
    {
      syntax: unsignedInt(1000, 65535),
      writable: true,
      setting: 'retry.intervalMultiplier',
      read: (s) => String(s.settings.retry.intervalMultiplier),
      toChange: (v) => ({ retry: { intervalMultiplier: Number(v) } }),
    },
  ],
  ['SupportedConnReqMethods', { syntax: string(), writable: false, roots: ['Device.'], read: () => 'HTTP' }],
])

/**
 * The ManagementServer parameter names that a local change of these settings changes, relative
 * to the object (for their value-change notification).
 *
 * @internal
 */
export function parametersOfSettings(changed: readonly CpeSettingName[]): string[] {
  const out: string[] = []
  for (const [name, p] of OWNED) if (p.setting !== undefined && changed.includes(p.setting)) out.push(name)
  return out
}

/**
 * The empty state: no ParameterKey, defaults everywhere.
 *
 * @internal
 */
export const EMPTY_MANAGEMENT_SERVER_STATE: ManagementServerState = { parameterKey: '', values: {}, notifications: {}, accessLists: {} }

/** A planned SetParameterValues on the owned parameters, to commit once the model's part succeeded. */
export interface OwnedSetPlan {
  /** The settings change, applied when the session ends. */
  readonly change: CpeSettingsChange | undefined
  /** Stored values, by relative name. */
  readonly values: Readonly<Record<string, string>>
}

/** A planned SetParameterAttributes on the owned parameters. */
export interface OwnedAttributesPlan {
  readonly steps: readonly { readonly name: string; readonly notification?: Notification; readonly accessList?: readonly string[] }[]
}

/**
 * The client's ManagementServer object for one root (`Device.` or `InternetGatewayDevice.`).
 *
 * @internal
 */
export class ManagementServer {
  /** The object's path, e.g. `Device.ManagementServer.`. */
  readonly path: string
  readonly #names: readonly string[]
  #state: ManagementServerState
  /** What the ACS set in the session in progress: applied when it ends. */
  #staged: CpeSettingsChange | undefined

  /**
   * @param root - `Device.` or `InternetGatewayDevice.`
   * @param state - saved state
   */
  constructor(root: string, state: ManagementServerState = EMPTY_MANAGEMENT_SERVER_STATE) {
    this.path = `${root}ManagementServer.`
    this.#names = [...OWNED].filter(([, p]) => p.roots === undefined || p.roots.includes(root)).map(([n]) => `${this.path}${n}`)
    this.#state = state
  }

  /** The state to save. */
  get state(): ManagementServerState {
    return this.#state
  }

  /** ManagementServer.ParameterKey. */
  get parameterKey(): string {
    return this.#state.parameterKey
  }

  /** Every owned parameter, full names, in order. */
  get names(): readonly string[] {
    return this.#names
  }

  /** The full name of an owned parameter given relative to the object. */
  nameOf(relative: string): string {
    return `${this.path}${relative}`
  }

  /** True for the full name of a parameter the client serves. */
  owns(name: string): boolean {
    return name.startsWith(this.path) && this.#names.includes(name)
  }

  /** True when `name` is a partial path (or the empty path) the object lies below or is. */
  covers(name: string): boolean {
    return name === '' || (name.endsWith('.') && this.path.startsWith(name))
  }

  #def(name: string): OwnedParameter {
    return OWNED.get(name.slice(this.path.length)) as OwnedParameter
  }

  /** The settings as the session in progress sees them: the current ones with what the ACS set in it. */
  effective(settings: CpeSettings, env: SettingsEnvironment): CpeSettings {
    return this.#staged === undefined ? settings : changeSettings(settings, this.#staged, env)
  }

  /** GetParameterValues of an owned parameter (passwords read as empty). */
  value(name: string, settings: CpeSettings, connectionRequestUrl: string): ParameterValueStruct {
    const def = this.#def(name)
    return {
      name,
      value: def.hidden === true ? '' : def.read({ settings, connectionRequestUrl, state: this.#state }),
      type: def.syntax.type,
    }
  }

  /** GetParameterNames of an owned parameter. */
  info(name: string, settings: CpeSettings): ParameterInfoStruct {
    const def = this.#def(name)
    const writable = def.writable && !(settings.connectionRequest === false && def.setting?.startsWith('connectionRequest.') === true)
    return { name, writable }
  }

  /** GetParameterAttributes of an owned parameter. */
  attributes(name: string): ParameterAttributeStruct {
    const rel = name.slice(this.path.length)
    return {
      name,
      notification: this.#state.notifications[rel] ?? this.#def(name).notification ?? 0,
      accessList: [...(this.#state.accessLists[rel] ?? [])],
    }
  }

  /**
   * Check a SetParameterValues on owned parameters: the faults, or what it will change. Types and
   * lexical forms as any parameter (9006, 9007), not writable (9008), then the settings rules
   * (9007 naming the rule).
   *
   * @param list - the owned part of the request
   * @param settings - the current settings (what the session already set is added here)
   * @param env - for the settings check
   */
  planSet(
    list: readonly ParameterValueStruct[],
    settings: CpeSettings,
    env: SettingsEnvironment,
  ): { readonly faults: readonly SetParameterValuesFaultStruct[]; readonly plan: OwnedSetPlan } {
    const faults: SetParameterValuesFaultStruct[] = []
    let change: CpeSettingsChange = {}
    const values: Record<string, string> = {}
    const byField = new Map<string, string>()
    for (const { name, value, type } of list) {
      const def = this.#def(name)
      if (!this.info(name, settings).writable) {
        faults.push(parameterFault(name, 'NonWritableParameter'))
        continue
      }
      // An ACS that sends every value as xsd:string is common; the value must still be valid.
      const incoming = normaliseValueType(type) ?? type
      if (!sameValueType(incoming, def.syntax.type) && incoming !== 'xsd:string') {
        faults.push(parameterFault(name, 'InvalidParameterType', `expected ${def.syntax.type}`))
        continue
      }
      const checked = checkValue(def.syntax, value, 'numeric')
      if (!checked.ok) {
        faults.push(parameterFault(name, 'InvalidParameterValue', checked.reason))
        continue
      }
      if (def.stored !== undefined) values[name.slice(this.path.length)] = checked.value
      if (def.toChange !== undefined) {
        change = mergeSettingsChanges(change, def.toChange(checked.value))
        if (def.setting !== undefined) byField.set(def.setting, name)
      }
    }
    const staged = this.#staged === undefined ? change : mergeSettingsChanges(this.#staged, change)
    if (faults.length === 0 && Object.keys(change).length > 0) {
      try {
        changeSettings(settings, staged, env)
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error
        const name = byField.get(error.field) ?? list[0]?.name ?? this.path
        faults.push({ parameterName: name, faultCode: CPE_FAULTS.InvalidParameterValue.code, faultString: `${CPE_FAULTS.InvalidParameterValue.text}: ${error.message}` })
      }
    }
    return { faults, plan: { change: Object.keys(change).length > 0 ? staged : undefined, values } }
  }

  /** Commit a checked SetParameterValues: stored values now, the settings change when the session ends. */
  commitSet(plan: OwnedSetPlan): void {
    if (plan.change !== undefined) this.#staged = plan.change
    if (Object.keys(plan.values).length > 0) this.#state = { ...this.#state, values: { ...this.#state.values, ...plan.values } }
  }

  /** A successful SetParameterValues, AddObject or DeleteObject sets ParameterKey. */
  setParameterKey(key: string): void {
    this.#state = { ...this.#state, parameterKey: key }
  }

  /** What the ACS set in the session that ends, and forget it. */
  takeStaged(): CpeSettingsChange | undefined {
    const staged = this.#staged
    this.#staged = undefined
    return staged
  }

  /**
   * Check a SetParameterAttributes on owned parameters: an exact name gets 9009 for a refused
   * notification change (active notification on ParameterKey), a partial path skips it.
   *
   * @param items - the owned items: exact names, or a partial path with the owned names below it
   * @throws {@link DataModelFault} 9003 for a notification outside 0–6, 9009 for a refused one
   */
  planAttributes(items: readonly { readonly request: SetParameterAttributesStruct; readonly names: readonly string[] }[]): OwnedAttributesPlan {
    const steps: { name: string; notification?: Notification; accessList?: readonly string[] }[] = []
    for (const { request, names } of items) {
      if (request.notificationChange && !isNotification(request.notification)) {
        throw modelFault('InvalidArguments', `notification ${String(request.notification)}`)
      }
      const partial = request.name === '' || request.name.endsWith('.')
      for (const name of names) {
        const step: { name: string; notification?: Notification; accessList?: readonly string[] } = { name }
        if (request.notificationChange) {
          if (this.#def(name).denyActive === true && isActiveNotification(request.notification)) {
            if (!partial) throw modelFault('NotificationRequestRejected', name)
          } else step.notification = request.notification
        }
        if (request.accessListChange) step.accessList = [...request.accessList]
        steps.push(step)
      }
    }
    return { steps }
  }

  /** Commit a checked SetParameterAttributes. */
  commitAttributes(plan: OwnedAttributesPlan): void {
    const notifications: Record<string, Notification> = { ...this.#state.notifications }
    const accessLists: Record<string, readonly string[]> = { ...this.#state.accessLists }
    for (const step of plan.steps) {
      const rel = step.name.slice(this.path.length)
      if (step.notification !== undefined) {
        if (step.notification === (this.#def(step.name).notification ?? 0)) delete notifications[rel]
        else notifications[rel] = step.notification
      }
      if (step.accessList !== undefined) {
        if (step.accessList.length === 0) delete accessLists[rel]
        else accessLists[rel] = step.accessList
      }
    }
    this.#state = { ...this.#state, notifications, accessLists }
  }
}
