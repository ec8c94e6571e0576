/**
 * Protocol constants: event codes and the fault catalogue (TR-069 Amendment 6 Corrigendum 1,
 * Table 8 and Tables 87–88).
 *
 * @module
 */

/** The standard single event codes (TR-069 Table 8), keyed by a readable name. */
export const EVENT_CODES = {
  BOOTSTRAP: '0 BOOTSTRAP',
  BOOT: '1 BOOT',
  PERIODIC: '2 PERIODIC',
  SCHEDULED: '3 SCHEDULED',
  VALUE_CHANGE: '4 VALUE CHANGE',
  KICKED: '5 KICKED',
  CONNECTION_REQUEST: '6 CONNECTION REQUEST',
  TRANSFER_COMPLETE: '7 TRANSFER COMPLETE',
  DIAGNOSTICS_COMPLETE: '8 DIAGNOSTICS COMPLETE',
  REQUEST_DOWNLOAD: '9 REQUEST DOWNLOAD',
  AUTONOMOUS_TRANSFER_COMPLETE: '10 AUTONOMOUS TRANSFER COMPLETE',
  DU_STATE_CHANGE_COMPLETE: '11 DU STATE CHANGE COMPLETE',
  AUTONOMOUS_DU_STATE_CHANGE_COMPLETE: '12 AUTONOMOUS DU STATE CHANGE COMPLETE',
  WAKEUP: '13 WAKEUP',
  HEARTBEAT: '14 HEARTBEAT',
} as const

/** The standard method ("M") event codes (TR-069 Table 8); they carry the RPC's CommandKey. */
export const METHOD_EVENT_CODES = {
  REBOOT: 'M Reboot',
  SCHEDULE_INFORM: 'M ScheduleInform',
  DOWNLOAD: 'M Download',
  SCHEDULE_DOWNLOAD: 'M ScheduleDownload',
  UPLOAD: 'M Upload',
  CHANGE_DU_STATE: 'M ChangeDUState',
} as const

/**
 * Build a vendor event code, `X <OUI> <name>` (or `X <domain> <name>` with CWMP 1.2+).
 *
 * @param vendor - six upper-case hexadecimal OUI digits, or an upper-case domain with dots replaced
 * @param name - the event name
 */
export function vendorEventCode(vendor: string, name: string): string {
  return `X ${vendor} ${name}`
}

/**
 * Build a vendor method event code, `M X_<vendor>_<method>`.
 *
 * @param vendorMethod - the vendor method name, starting with `X_`
 */
export function vendorMethodEventCode(vendorMethod: `X_${string}`): string {
  return `M ${vendorMethod}`
}

/** SOAP `faultcode` of a CWMP fault: who caused it. */
export type SoapFaultCode = 'Client' | 'Server'

/** One entry of the fault catalogue. */
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

/** Faults a CPE returns (TR-069 Table 87), keyed by a readable name. */
export const CPE_FAULTS = {
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
} as const satisfies Record<string, FaultDefinition>

/** Faults an ACS returns (TR-069 Table 88), keyed by a readable name. */
export const ACS_FAULTS = {
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
} as const satisfies Record<string, FaultDefinition>

/** Name of a CPE fault in {@link CPE_FAULTS}. */
export type CpeFaultName = keyof typeof CPE_FAULTS
/** Name of an ACS fault in {@link ACS_FAULTS}. */
export type AcsFaultName = keyof typeof ACS_FAULTS

const BY_CODE: ReadonlyMap<number, FaultDefinition> = new Map(
  [...Object.values(CPE_FAULTS), ...Object.values(ACS_FAULTS)].map((d) => [d.code, d]),
)

/**
 * Look up a fault code in the catalogue. Vendor codes (8800–8899, 9800–9899) and reserved codes
 * are not in it.
 *
 * @param code - a CWMP FaultCode
 */
export function faultDefinition(code: number): FaultDefinition | undefined {
  return BY_CODE.get(code)
}
