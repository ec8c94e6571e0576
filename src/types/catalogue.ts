/**
 * Protocol constants: event codes and the fault catalogue (TR-069 Amendment 6 Corrigendum 1,
 * Table 8 and Tables 87–88).
 *
 * @module
 */
import type { AcsMethodName, CpeMethodName } from './messages.js'

/**
 * The standard single event codes (TR-069 Table 8), keyed by a readable name.
 *
 * @category Sessions
 */
export const EVENT_CODES = {
  /**
   * First connection from the factory, after a factory reset, or after the ACS URL changed. Never
   * discarded; discards all other undelivered events.
   */
  BOOTSTRAP: '0 BOOTSTRAP',
  /** The CPE booted (power-on or reboot). Retried until the next reboot. */
  BOOT: '1 BOOT',
  /** The periodic Inform interval elapsed. */
  PERIODIC: '2 PERIODIC',
  /** A ScheduleInform came due; always sent with `M ScheduleInform`. */
  SCHEDULED: '3 SCHEDULED',
  /**
   * A parameter with notification on was changed by something other than the ACS. Retried until the
   * next reboot.
   */
  VALUE_CHANGE: '4 VALUE CHANGE',
  /** Deprecated: the CPE is about to call Kicked (delivered by KickedResponse). */
  KICKED: '5 KICKED',
  /** The session answers a Connection Request. Never retried. */
  CONNECTION_REQUEST: '6 CONNECTION REQUEST',
  /**
   * A transfer finished; sent with `M Download`, `M ScheduleDownload` or `M Upload` (delivered by
   * TransferCompleteResponse).
   */
  TRANSFER_COMPLETE: '7 TRANSFER COMPLETE',
  /** A diagnostic test the ACS started finished. Retried until the next reboot. */
  DIAGNOSTICS_COMPLETE: '8 DIAGNOSTICS COMPLETE',
  /** The CPE is about to call RequestDownload (delivered by RequestDownloadResponse). */
  REQUEST_DOWNLOAD: '9 REQUEST DOWNLOAD',
  /** A transfer the ACS did not request finished (delivered by AutonomousTransferCompleteResponse). */
  AUTONOMOUS_TRANSFER_COMPLETE: '10 AUTONOMOUS TRANSFER COMPLETE',
  /** A ChangeDUState finished; sent with `M ChangeDUState` (delivered by DUStateChangeCompleteResponse). */
  DU_STATE_CHANGE_COMPLETE: '11 DU STATE CHANGE COMPLETE',
  /**
   * A deployment-unit change the ACS did not request finished (delivered by
   * AutonomousDUStateChangeCompleteResponse).
   */
  AUTONOMOUS_DU_STATE_CHANGE_COMPLETE: '12 AUTONOMOUS DU STATE CHANGE COMPLETE',
  /** The CPE woke from standby. Retried until the next reboot. */
  WAKEUP: '13 WAKEUP',
  /** The heartbeat interval elapsed (Annex O); no other event may share the Inform. */
  HEARTBEAT: '14 HEARTBEAT',
} as const

/**
 * The standard method ("M") event codes (TR-069 Table 8); they carry the RPC's CommandKey.
 *
 * @category Sessions
 */
export const METHOD_EVENT_CODES = {
  /** Sent after a Reboot the ACS requested, with its CommandKey (and `1 BOOT`). */
  REBOOT: 'M Reboot',
  /** Sent when a ScheduleInform comes due, with its CommandKey (and `3 SCHEDULED`). */
  SCHEDULE_INFORM: 'M ScheduleInform',
  /** Sent with `7 TRANSFER COMPLETE` when a Download finished, with its CommandKey. */
  DOWNLOAD: 'M Download',
  /** Sent with `7 TRANSFER COMPLETE` when a ScheduleDownload finished, with its CommandKey. */
  SCHEDULE_DOWNLOAD: 'M ScheduleDownload',
  /** Sent with `7 TRANSFER COMPLETE` when an Upload finished, with its CommandKey. */
  UPLOAD: 'M Upload',
  /** Sent with `11 DU STATE CHANGE COMPLETE` when a ChangeDUState finished, with its CommandKey. */
  CHANGE_DU_STATE: 'M ChangeDUState',
} as const

/**
 * How an undelivered event is treated when a session fails or the CPE reboots (Table 8, Retry/Discard).
 *
 * @category Sessions
 */
export type EventRetryPolicy =
  /** Kept until delivered; discarded only on BOOTSTRAP. */
  | 'until-delivered'
  /** Retried until the CPE reboots, then discarded (and on BOOTSTRAP). */
  | 'until-reboot'
  /** Never retried: dropped when the session that carried it fails (6 CONNECTION REQUEST). */
  | 'never'
  /** The CPE MAY retry at its discretion: this library keeps it until the next reboot. */
  | 'discretion'

/**
 * One row of TR-069 Table 8 "Event Types".
 *
 * @category Sessions
 */
export interface EventRule {
  /** Single (at most one instance pending) or Multiple (every occurrence kept). */
  readonly cumulative: 'single' | 'multiple'
  /** The response that confirms delivery: `InformResponse` or the response to a CPE request. */
  readonly deliveredBy: 'InformResponse' | `${AcsMethodName}Response`
  /** Retry/discard policy. */
  readonly retry: EventRetryPolicy
}

/**
 * A standard event code of Table 8 (single or method event).
 *
 * @category Sessions
 */
export type StandardEventCode =
  | (typeof EVENT_CODES)[keyof typeof EVENT_CODES]
  | (typeof METHOD_EVENT_CODES)[keyof typeof METHOD_EVENT_CODES]

const rule = (
  cumulative: EventRule['cumulative'],
  deliveredBy: EventRule['deliveredBy'],
  retry: EventRetryPolicy,
): EventRule => ({ cumulative, deliveredBy, retry })

const E = EVENT_CODES
const M = METHOD_EVENT_CODES

/**
 * TR-069 Amendment 6 Corrigendum 1, Table 8 "Event Types": for every standard event code its cumulative
 * behaviour, the response that confirms its delivery and its retry/discard policy. The one declaration
 * of the table: the CPE agent's bookkeeping ({@link eventRule}, {@link requestEventCode}) reads it.
 *
 * @category Sessions
 */
export const EVENT_RULES: Readonly<Record<string, EventRule>> = {
  [E.BOOTSTRAP]: rule('single', 'InformResponse', 'until-delivered'),
  [E.BOOT]: rule('single', 'InformResponse', 'until-reboot'),
  [E.PERIODIC]: rule('single', 'InformResponse', 'until-delivered'),
  [E.SCHEDULED]: rule('single', 'InformResponse', 'until-delivered'),
  [E.VALUE_CHANGE]: rule('single', 'InformResponse', 'until-reboot'),
  [E.KICKED]: rule('single', 'KickedResponse', 'discretion'),
  [E.CONNECTION_REQUEST]: rule('single', 'InformResponse', 'never'),
  [E.TRANSFER_COMPLETE]: rule('single', 'TransferCompleteResponse', 'until-delivered'),
  [E.DIAGNOSTICS_COMPLETE]: rule('single', 'InformResponse', 'until-reboot'),
  [E.REQUEST_DOWNLOAD]: rule('single', 'RequestDownloadResponse', 'discretion'),
  [E.AUTONOMOUS_TRANSFER_COMPLETE]: rule('single', 'AutonomousTransferCompleteResponse', 'until-delivered'),
  [E.DU_STATE_CHANGE_COMPLETE]: rule('single', 'DUStateChangeCompleteResponse', 'until-delivered'),
  [E.AUTONOMOUS_DU_STATE_CHANGE_COMPLETE]: rule('single', 'AutonomousDUStateChangeCompleteResponse', 'until-delivered'),
  [E.WAKEUP]: rule('single', 'InformResponse', 'until-reboot'),
  [E.HEARTBEAT]: rule('single', 'InformResponse', 'until-reboot'),
  [M.REBOOT]: rule('multiple', 'InformResponse', 'until-delivered'),
  [M.SCHEDULE_INFORM]: rule('multiple', 'InformResponse', 'until-delivered'),
  [M.DOWNLOAD]: rule('multiple', 'TransferCompleteResponse', 'until-delivered'),
  [M.SCHEDULE_DOWNLOAD]: rule('multiple', 'TransferCompleteResponse', 'until-delivered'),
  [M.UPLOAD]: rule('multiple', 'TransferCompleteResponse', 'until-delivered'),
  [M.CHANGE_DU_STATE]: rule('multiple', 'DUStateChangeCompleteResponse', 'until-delivered'),
} satisfies Record<StandardEventCode, EventRule>

/**
 * The rule for any event code. Vendor events (`X …`, `M X_…`) are vendor-defined in TR-069; this
 * library treats `M X_…` as Multiple and `X …` as Single, delivered by InformResponse, kept until
 * delivered.
 *
 * @param code - an event code
 *
 * @category Sessions
 */
export function eventRule(code: string): EventRule {
  const rule = Object.hasOwn(EVENT_RULES, code) ? EVENT_RULES[code] : undefined
  if (rule !== undefined) return rule
  return {
    cumulative: code.startsWith('M ') ? 'multiple' : 'single',
    deliveredBy: 'InformResponse',
    retry: 'until-delivered',
  }
}

/**
 * The single event that announces a CPE request, from Table 8: the single code whose delivery that
 * request's response confirms (`TransferComplete` → `7 TRANSFER COMPLETE`, `Kicked` → `5 KICKED`, …);
 * `undefined` for requests no event announces (GetRPCMethods, Inform).
 *
 * @param method - a CPE request method
 *
 * @category Sessions
 */
export function requestEventCode(method: AcsMethodName): StandardEventCode | undefined {
  return REQUEST_EVENT.get(`${method}Response`)
}

const REQUEST_EVENT: ReadonlyMap<string, StandardEventCode> = new Map(
  Object.entries(EVENT_RULES)
    .filter(([, r]) => r.cumulative === 'single' && r.deliveredBy !== 'InformResponse')
    .map(([code, r]) => [r.deliveredBy, code as StandardEventCode]),
)

/**
 * The element name of the response to a request: `` `${method}Response` `` (TR-069 Annex A names every
 * response so), typed.
 *
 * @param method - a request method
 *
 * @category Codec
 */
export function responseMethodOf<M extends CpeMethodName | AcsMethodName>(method: M): `${M}Response` {
  return `${method}Response`
}

/**
 * Build a vendor event code, `X <OUI> <name>` (or `X <domain> <name>` with CWMP 1.2+).
 *
 * @param vendor - six upper-case hexadecimal OUI digits, or an upper-case domain with dots replaced
 * @param name - the event name
 *
 * @category Sessions
 */
export function vendorEventCode(vendor: string, name: string): string {
  return `X ${vendor} ${name}`
}

/**
 * Build a vendor method event code, `M X_<vendor>_<method>`.
 *
 * @param vendorMethod - the vendor method name, starting with `X_`
 *
 * @category Sessions
 */
export function vendorMethodEventCode(vendorMethod: `X_${string}`): string {
  return `M ${vendorMethod}`
}

const CPE_METHOD_LIST = [
  'GetRPCMethods',
  'SetParameterValues',
  'GetParameterValues',
  'GetParameterNames',
  'SetParameterAttributes',
  'GetParameterAttributes',
  'AddObject',
  'DeleteObject',
  'Reboot',
  'Download',
  'Upload',
  'FactoryReset',
  'ScheduleInform',
  'GetQueuedTransfers',
  'GetAllQueuedTransfers',
  'ScheduleDownload',
  'CancelTransfer',
  'ChangeDUState',
  'SetVouchers',
  'GetOptions',
] as const satisfies readonly CpeMethodName[]

const ACS_METHOD_LIST = [
  'Inform',
  'GetRPCMethods',
  'TransferComplete',
  'AutonomousTransferComplete',
  'Kicked',
  'RequestDownload',
  'DUStateChangeComplete',
  'AutonomousDUStateChangeComplete',
] as const satisfies readonly AcsMethodName[]

// Compile-time checks: each list names every method of its union.
const cpeMethodsComplete: Exclude<CpeMethodName, (typeof CPE_METHOD_LIST)[number]> extends never ? true : false = true
const acsMethodsComplete: Exclude<AcsMethodName, (typeof ACS_METHOD_LIST)[number]> extends never ? true : false = true
void cpeMethodsComplete
void acsMethodsComplete

/**
 * The 20 methods a CPE implements (the requests an ACS sends), GetRPCMethods first, in the order a
 * CPE lists them in GetRPCMethodsResponse.
 *
 * @category Codec
 */
export const CPE_METHODS: readonly CpeMethodName[] = CPE_METHOD_LIST

/**
 * The 8 methods an ACS implements (the requests a CPE sends), Inform included.
 *
 * @category Codec
 */
export const ACS_METHODS: readonly AcsMethodName[] = ACS_METHOD_LIST

/**
 * SOAP `faultcode` of a CWMP fault: who caused it.
 *
 * @category Faults
 */
export type SoapFaultCode = 'Client' | 'Server'

/**
 * One entry of the fault catalogue.
 *
 * @category Faults
 */
export interface FaultDefinition {
  /** The CWMP FaultCode. */
  readonly code: number
  /** The description given by TR-069. */
  readonly text: string
  /** The SOAP `faultcode` TR-069 assigns to it. */
  readonly soap: SoapFaultCode
  /** The first CWMP version that defines the code. */
  readonly since: '1.0' | '1.1' | '1.2' | '1.4'
}

/**
 * Name of a CPE fault in {@link CPE_FAULTS}, e.g. `'InvalidParameterName'` (9005).
 *
 * @category Faults
 */
export type CpeFaultName =
  | 'MethodNotSupported' // 9000
  | 'RequestDenied' // 9001
  | 'InternalError' // 9002
  | 'InvalidArguments' // 9003
  | 'ResourcesExceeded' // 9004
  | 'InvalidParameterName' // 9005
  | 'InvalidParameterType' // 9006
  | 'InvalidParameterValue' // 9007
  | 'NonWritableParameter' // 9008
  | 'NotificationRequestRejected' // 9009
  | 'FileTransferFailure' // 9010
  | 'UploadFailure' // 9011
  | 'FileTransferServerAuthenticationFailure' // 9012
  | 'UnsupportedFileTransferProtocol' // 9013
  | 'MulticastJoinFailure' // 9014
  | 'FileServerUnreachable' // 9015
  | 'FileAccessFailure' // 9016
  | 'DownloadIncomplete' // 9017
  | 'FileCorrupted' // 9018
  | 'FileAuthenticationFailure' // 9019
  | 'TimeWindowsMissed' // 9020
  | 'CancelNotPermitted' // 9021
  | 'InvalidUuidFormat' // 9022
  | 'UnknownExecutionEnvironment' // 9023
  | 'DisabledExecutionEnvironment' // 9024
  | 'ExecutionEnvironmentMismatch' // 9025
  | 'DuplicateDeploymentUnit' // 9026
  | 'SystemResourcesExceeded' // 9027
  | 'UnknownDeploymentUnit' // 9028
  | 'InvalidDeploymentUnitState' // 9029
  | 'DowngradeNotPermitted' // 9030
  | 'UpdateVersionNotSpecified' // 9031
  | 'UpdateVersionExists' // 9032

/**
 * Name of an ACS fault in {@link ACS_FAULTS}, e.g. `'RetryRequest'` (8005).
 *
 * @category Faults
 */
export type AcsFaultName =
  | 'MethodNotSupported' // 8000
  | 'RequestDenied' // 8001
  | 'InternalError' // 8002
  | 'InvalidArguments' // 8003
  | 'ResourcesExceeded' // 8004
  | 'RetryRequest' // 8005
  | 'VersionIncompatible' // 8006

/**
 * Faults a CPE returns (TR-069 Table 87), keyed by a readable name.
 *
 * @category Faults
 */
export const CPE_FAULTS: Readonly<Record<CpeFaultName, FaultDefinition>> = {
  MethodNotSupported: { code: 9000, text: 'Method not supported', soap: 'Server', since: '1.0' },
  RequestDenied: { code: 9001, text: 'Request denied (no reason specified)', soap: 'Server', since: '1.0' },
  InternalError: { code: 9002, text: 'Internal error', soap: 'Server', since: '1.0' },
  InvalidArguments: { code: 9003, text: 'Invalid arguments', soap: 'Client', since: '1.0' },
  ResourcesExceeded: { code: 9004, text: 'Resources exceeded', soap: 'Server', since: '1.0' },
  InvalidParameterName: { code: 9005, text: 'Invalid parameter name', soap: 'Client', since: '1.0' },
  InvalidParameterType: { code: 9006, text: 'Invalid parameter type', soap: 'Client', since: '1.0' },
  InvalidParameterValue: { code: 9007, text: 'Invalid parameter value', soap: 'Client', since: '1.0' },
  NonWritableParameter: {
    code: 9008,
    text: 'Attempt to set a non-writable parameter',
    soap: 'Client',
    since: '1.0',
  },
  NotificationRequestRejected: {
    code: 9009,
    text: 'Notification request rejected',
    soap: 'Server',
    since: '1.0',
  },
  FileTransferFailure: { code: 9010, text: 'File transfer failure', soap: 'Server', since: '1.0' },
  UploadFailure: { code: 9011, text: 'Upload failure', soap: 'Server', since: '1.0' },
  FileTransferServerAuthenticationFailure: {
    code: 9012,
    text: 'File transfer server authentication failure',
    soap: 'Server',
    since: '1.0',
  },
  UnsupportedFileTransferProtocol: {
    code: 9013,
    text: 'Unsupported protocol for file transfer',
    soap: 'Server',
    since: '1.0',
  },
  MulticastJoinFailure: {
    code: 9014,
    text: 'File transfer failure: unable to join multicast group',
    soap: 'Server',
    since: '1.1',
  },
  FileServerUnreachable: {
    code: 9015,
    text: 'File transfer failure: unable to contact file server',
    soap: 'Server',
    since: '1.1',
  },
  FileAccessFailure: {
    code: 9016,
    text: 'File transfer failure: unable to access file',
    soap: 'Server',
    since: '1.1',
  },
  DownloadIncomplete: {
    code: 9017,
    text: 'File transfer failure: unable to complete download',
    soap: 'Server',
    since: '1.1',
  },
  FileCorrupted: {
    code: 9018,
    text: 'File transfer failure: file corrupted or otherwise unusable',
    soap: 'Server',
    since: '1.1',
  },
  FileAuthenticationFailure: {
    code: 9019,
    text: 'File transfer failure: file authentication failure',
    soap: 'Server',
    since: '1.1',
  },
  TimeWindowsMissed: {
    code: 9020,
    text: 'File transfer failure: unable to complete download within specified time windows',
    soap: 'Client',
    since: '1.2',
  },
  CancelNotPermitted: {
    code: 9021,
    text: 'Cancelation of file transfer not permitted in current transfer state',
    soap: 'Client',
    since: '1.2',
  },
  InvalidUuidFormat: { code: 9022, text: 'Invalid UUID Format', soap: 'Server', since: '1.2' },
  UnknownExecutionEnvironment: {
    code: 9023,
    text: 'Unknown Execution Environment',
    soap: 'Server',
    since: '1.2',
  },
  DisabledExecutionEnvironment: {
    code: 9024,
    text: 'Disabled Execution Environment',
    soap: 'Server',
    since: '1.2',
  },
  ExecutionEnvironmentMismatch: {
    code: 9025,
    text: 'Deployment Unit to Execution Environment Mismatch',
    soap: 'Server',
    since: '1.2',
  },
  DuplicateDeploymentUnit: { code: 9026, text: 'Duplicate Deployment Unit', soap: 'Server', since: '1.2' },
  SystemResourcesExceeded: { code: 9027, text: 'System Resources Exceeded', soap: 'Server', since: '1.2' },
  UnknownDeploymentUnit: { code: 9028, text: 'Unknown Deployment Unit', soap: 'Server', since: '1.2' },
  InvalidDeploymentUnitState: {
    code: 9029,
    text: 'Invalid Deployment Unit State',
    soap: 'Server',
    since: '1.2',
  },
  DowngradeNotPermitted: {
    code: 9030,
    text: 'Invalid Deployment Unit Update – Downgrade not permitted',
    soap: 'Server',
    since: '1.2',
  },
  UpdateVersionNotSpecified: {
    code: 9031,
    text: 'Invalid Deployment Unit Update – Version not specified',
    soap: 'Server',
    since: '1.2',
  },
  UpdateVersionExists: {
    code: 9032,
    text: 'Invalid Deployment Unit Update – Version already exists',
    soap: 'Server',
    since: '1.2',
  },
}

/**
 * Faults an ACS returns (TR-069 Table 88), keyed by a readable name.
 *
 * @category Faults
 */
export const ACS_FAULTS: Readonly<Record<AcsFaultName, FaultDefinition>> = {
  MethodNotSupported: { code: 8000, text: 'Method not supported', soap: 'Server', since: '1.0' },
  RequestDenied: { code: 8001, text: 'Request denied (no reason specified)', soap: 'Server', since: '1.0' },
  InternalError: { code: 8002, text: 'Internal error', soap: 'Server', since: '1.0' },
  InvalidArguments: { code: 8003, text: 'Invalid arguments', soap: 'Client', since: '1.0' },
  ResourcesExceeded: { code: 8004, text: 'Resources exceeded', soap: 'Server', since: '1.0' },
  RetryRequest: { code: 8005, text: 'Retry request', soap: 'Server', since: '1.0' },
  VersionIncompatible: {
    code: 8006,
    text: 'ACS version incompatible with CPE',
    soap: 'Server',
    since: '1.4',
  },
}

const BY_CODE: ReadonlyMap<number, FaultDefinition> = new Map(
  [...Object.values(CPE_FAULTS), ...Object.values(ACS_FAULTS)].map((d) => [d.code, d]),
)

/**
 * Look up a fault code in the catalogue. Vendor codes (8800–8899, 9800–9899) and reserved codes
 * are not in it.
 *
 * @param code - a CWMP FaultCode
 *
 * @category Faults
 */
export function faultDefinition(code: number): FaultDefinition | undefined {
  return BY_CODE.get(code)
}
