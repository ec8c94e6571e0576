/**
 * One interface per SOAP body element of CWMP 1.0–1.4: the 27 methods, request and response,
 * and `Fault`. The discriminant `method` is the exact XML element name.
 *
 * @module
 */
import type {
  AllQueuedTransferStruct,
  ArgStruct,
  AutonOpResultStruct,
  DateTimeString,
  DeviceIdStruct,
  EventStruct,
  OperationStruct,
  OpResultStruct,
  OptionStruct,
  ParameterAttributeStruct,
  ParameterInfoStruct,
  ParameterValueStruct,
  QueuedTransferStruct,
  SetParameterAttributesStruct,
  SetParameterValuesFaultStruct,
  TimeWindowStruct,
  TransferCompleteFaultStruct,
} from './structs.js'

// ---------------------------------------------------------------------------------------------
// Methods the CPE implements (ACS → CPE), Annex A.3.2 and A.4.1

/**
 * GetRPCMethods: ask the peer which methods it supports. Sent by either side. Annex A.3.1.1.
 *
 * @category Codec
 */
export interface GetRPCMethods {
  /** Discriminant: the XML element name. */
  readonly method: 'GetRPCMethods'
}

/**
 * The methods the sender supports.
 *
 * @category Codec
 */
export interface GetRPCMethodsResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'GetRPCMethodsResponse'
  /** Method names, at most 64 characters each; the schema requires at least one. */
  readonly methodList: readonly string[]
}

/**
 * SetParameterValues: set one or more parameters atomically. Annex A.3.2.1.
 *
 * @category Codec
 */
export interface SetParameterValues {
  /** Discriminant: the XML element name. */
  readonly method: 'SetParameterValues'
  /** Parameters and their new values. */
  readonly parameterList: readonly ParameterValueStruct[]
  /** Value the CPE stores in `ParameterKey` when the change is applied. At most 32 characters. */
  readonly parameterKey: string
}

/**
 * Status of a configuration change: 0 applied, 1 committed but applied only after a reboot or later.
 *
 * @category Codec
 */
export type ApplyStatus = 0 | 1

/**
 * Result of a SetParameterValues.
 *
 * @category Codec
 */
export interface SetParameterValuesResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'SetParameterValuesResponse'
  /** 0 applied, 1 committed but not yet applied. */
  readonly status: ApplyStatus
}

/**
 * GetParameterValues: read parameters (full paths, or partial paths ending in a dot). Annex A.3.2.2.
 *
 * @category Codec
 */
export interface GetParameterValues {
  /** Discriminant: the XML element name. */
  readonly method: 'GetParameterValues'
  /** Names or partial paths; the schema requires at least one. */
  readonly parameterNames: readonly string[]
}

/**
 * The values read.
 *
 * @category Codec
 */
export interface GetParameterValuesResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'GetParameterValuesResponse'
  /** Every parameter found, with its value. */
  readonly parameterList: readonly ParameterValueStruct[]
}

/**
 * GetParameterNames: discover the data model. Annex A.3.2.3.
 *
 * @category Codec
 */
export interface GetParameterNames {
  /** Discriminant: the XML element name. */
  readonly method: 'GetParameterNames'
  /** Full or partial path; empty for the root. At most 256 characters. */
  readonly parameterPath: string
  /** True to list only the next level below a partial path. */
  readonly nextLevel: boolean
}

/**
 * The names found.
 *
 * @category Codec
 */
export interface GetParameterNamesResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'GetParameterNamesResponse'
  /** Names and whether each is writable. */
  readonly parameterList: readonly ParameterInfoStruct[]
}

/**
 * SetParameterAttributes: change notification and access attributes. Annex A.3.2.4.
 *
 * @category Codec
 */
export interface SetParameterAttributes {
  /** Discriminant: the XML element name. */
  readonly method: 'SetParameterAttributes'
  /** The attribute changes; the schema requires at least one. */
  readonly parameterList: readonly SetParameterAttributesStruct[]
}

/**
 * Acknowledges a SetParameterAttributes.
 *
 * @category Codec
 */
export interface SetParameterAttributesResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'SetParameterAttributesResponse'
}

/**
 * GetParameterAttributes: read notification and access attributes. Annex A.3.2.5.
 *
 * @category Codec
 */
export interface GetParameterAttributes {
  /** Discriminant: the XML element name. */
  readonly method: 'GetParameterAttributes'
  /** Names or partial paths; the schema requires at least one. */
  readonly parameterNames: readonly string[]
}

/**
 * The attributes read.
 *
 * @category Codec
 */
export interface GetParameterAttributesResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'GetParameterAttributesResponse'
  /** Attributes of every parameter found. */
  readonly parameterList: readonly ParameterAttributeStruct[]
}

/**
 * AddObject: create a new instance of a multi-instance object. Annex A.3.2.6.
 *
 * @category Codec
 */
export interface AddObject {
  /** Discriminant: the XML element name. */
  readonly method: 'AddObject'
  /** Path of the collection, ending in a dot, e.g. `Device.IP.Interface.`. */
  readonly objectName: string
  /** Value the CPE stores in `ParameterKey`. At most 32 characters. */
  readonly parameterKey: string
}

/**
 * The new instance.
 *
 * @category Codec
 */
export interface AddObjectResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'AddObjectResponse'
  /** Instance number of the new object (at least 1). */
  readonly instanceNumber: number
  /** 0 applied, 1 committed but not yet applied. */
  readonly status: ApplyStatus
}

/**
 * DeleteObject: remove an object instance. Annex A.3.2.7.
 *
 * @category Codec
 */
export interface DeleteObject {
  /** Discriminant: the XML element name. */
  readonly method: 'DeleteObject'
  /** Path of the instance, ending in a dot, e.g. `Device.IP.Interface.3.`. */
  readonly objectName: string
  /** Value the CPE stores in `ParameterKey`. At most 32 characters. */
  readonly parameterKey: string
}

/**
 * Result of a DeleteObject.
 *
 * @category Codec
 */
export interface DeleteObjectResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'DeleteObjectResponse'
  /** 0 applied, 1 committed but not yet applied. */
  readonly status: ApplyStatus
}

/**
 * Download: fetch a file (firmware, configuration, …). Annex A.3.2.8.
 *
 * @category Codec
 */
export interface Download {
  /** Discriminant: the XML element name. */
  readonly method: 'Download'
  /** Echoed in TransferComplete and the `M Download` event. At most 32 characters. */
  readonly commandKey: string
  /** e.g. `1 Firmware Upgrade Image`, `3 Vendor Configuration File`. */
  readonly fileType: string
  /** Where to fetch the file. At most 256 characters. */
  readonly url: string
  /** File server user name (may be empty). */
  readonly username: string
  /** File server password (may be empty). */
  readonly password: string
  /** File size in bytes, 0 when unknown. */
  readonly fileSize: number
  /** Name to store the file under (may be empty). */
  readonly targetFileName: string
  /** Seconds to wait before starting. */
  readonly delaySeconds: number
  /** URL to redirect a browser-based user to on success (may be empty). */
  readonly successUrl: string
  /** URL to redirect a browser-based user to on failure (may be empty). */
  readonly failureUrl: string
}

/**
 * Result of a Download.
 *
 * @category Codec
 */
export interface DownloadResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'DownloadResponse'
  /** 0 completed and applied, 1 not yet completed (TransferComplete follows). */
  readonly status: ApplyStatus
  /** When the transfer started; the Unknown Time when status is 1. */
  readonly startTime: DateTimeString
  /** When the transfer completed; the Unknown Time when status is 1. */
  readonly completeTime: DateTimeString
}

/**
 * Reboot the CPE. Annex A.3.2.9.
 *
 * @category Codec
 */
export interface Reboot {
  /** Discriminant: the XML element name. */
  readonly method: 'Reboot'
  /** Echoed in the `M Reboot` event of the Inform after the reboot. At most 32 characters. */
  readonly commandKey: string
}

/**
 * Acknowledges a Reboot (the reboot happens after the session).
 *
 * @category Codec
 */
export interface RebootResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'RebootResponse'
}

/**
 * GetQueuedTransfers: list queued transfers requested by this ACS (deprecated). Annex A.4.1.1.
 *
 * @category Codec
 */
export interface GetQueuedTransfers {
  /** Discriminant: the XML element name. */
  readonly method: 'GetQueuedTransfers'
}

/**
 * The queued transfers.
 *
 * @category Codec
 */
export interface GetQueuedTransfersResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'GetQueuedTransfersResponse'
  /** At most 16 entries. */
  readonly transferList: readonly QueuedTransferStruct[]
}

/**
 * ScheduleInform: ask for a one-off Inform later. Annex A.4.1.2.
 *
 * @category Codec
 */
export interface ScheduleInform {
  /** Discriminant: the XML element name. */
  readonly method: 'ScheduleInform'
  /** Seconds from now. */
  readonly delaySeconds: number
  /** Echoed in the `M ScheduleInform` event. At most 32 characters. */
  readonly commandKey: string
}

/**
 * Acknowledges a ScheduleInform.
 *
 * @category Codec
 */
export interface ScheduleInformResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'ScheduleInformResponse'
}

/**
 * SetVouchers: install option vouchers (deprecated). Annex A.4.1.3.
 *
 * @category Codec
 */
export interface SetVouchers {
  /** Discriminant: the XML element name. */
  readonly method: 'SetVouchers'
  /** Vouchers as lexical base64; the schema requires at least one. */
  readonly voucherList: readonly string[]
}

/**
 * Acknowledges a SetVouchers.
 *
 * @category Codec
 */
export interface SetVouchersResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'SetVouchersResponse'
}

/**
 * GetOptions: list the options installed by vouchers (deprecated). Annex A.4.1.4.
 *
 * @category Codec
 */
export interface GetOptions {
  /** Discriminant: the XML element name. */
  readonly method: 'GetOptions'
  /** An option name, or empty for all. At most 64 characters. */
  readonly optionName: string
}

/**
 * The options.
 *
 * @category Codec
 */
export interface GetOptionsResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'GetOptionsResponse'
  /** One entry per option. */
  readonly optionList: readonly OptionStruct[]
}

/**
 * Upload: send a file (configuration, log) to a server. Annex A.4.1.5.
 *
 * @category Codec
 */
export interface Upload {
  /** Discriminant: the XML element name. */
  readonly method: 'Upload'
  /** Echoed in TransferComplete and the `M Upload` event. At most 32 characters. */
  readonly commandKey: string
  /** e.g. `1 Vendor Configuration File`, `2 Vendor Log File`. */
  readonly fileType: string
  /** Where to send the file. At most 256 characters. */
  readonly url: string
  /** File server user name (may be empty). */
  readonly username: string
  /** File server password (may be empty). */
  readonly password: string
  /** Seconds to wait before starting. */
  readonly delaySeconds: number
}

/**
 * Result of an Upload.
 *
 * @category Codec
 */
export interface UploadResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'UploadResponse'
  /** 0 completed, 1 not yet completed (TransferComplete follows). */
  readonly status: ApplyStatus
  /** When the transfer started. */
  readonly startTime: DateTimeString
  /** When the transfer completed. */
  readonly completeTime: DateTimeString
}

/**
 * FactoryReset: reset the CPE to its factory defaults. Annex A.4.1.6.
 *
 * @category Codec
 */
export interface FactoryReset {
  /** Discriminant: the XML element name. */
  readonly method: 'FactoryReset'
}

/**
 * Acknowledges a FactoryReset.
 *
 * @category Codec
 */
export interface FactoryResetResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'FactoryResetResponse'
}

/**
 * GetAllQueuedTransfers: list every queued transfer (CWMP 1.1+). Annex A.4.1.7.
 *
 * @category Codec
 */
export interface GetAllQueuedTransfers {
  /** Discriminant: the XML element name. */
  readonly method: 'GetAllQueuedTransfers'
}

/**
 * Every queued transfer.
 *
 * @category Codec
 */
export interface GetAllQueuedTransfersResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'GetAllQueuedTransfersResponse'
  /** At most 16 entries. */
  readonly transferList: readonly AllQueuedTransferStruct[]
}

/**
 * ScheduleDownload: download within time windows (CWMP 1.2+). Annex A.4.1.8.
 *
 * @category Codec
 */
export interface ScheduleDownload {
  /** Discriminant: the XML element name. */
  readonly method: 'ScheduleDownload'
  /** Echoed in TransferComplete and the `M ScheduleDownload` event. At most 32 characters. */
  readonly commandKey: string
  /** e.g. `1 Firmware Upgrade Image`. */
  readonly fileType: string
  /** Where to fetch the file. At most 256 characters. */
  readonly url: string
  /** File server user name (may be empty). */
  readonly username: string
  /** File server password (may be empty). */
  readonly password: string
  /** File size in bytes, 0 when unknown. */
  readonly fileSize: number
  /** Name to store the file under (may be empty). */
  readonly targetFileName: string
  /** One or two time windows. */
  readonly timeWindowList: readonly TimeWindowStruct[]
}

/**
 * Acknowledges a ScheduleDownload.
 *
 * @category Codec
 */
export interface ScheduleDownloadResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'ScheduleDownloadResponse'
}

/**
 * CancelTransfer: cancel a queued transfer (CWMP 1.2+). Annex A.4.1.9.
 *
 * @category Codec
 */
export interface CancelTransfer {
  /** Discriminant: the XML element name. */
  readonly method: 'CancelTransfer'
  /** CommandKey of the transfer to cancel. At most 32 characters. */
  readonly commandKey: string
}

/**
 * Acknowledges a CancelTransfer.
 *
 * @category Codec
 */
export interface CancelTransferResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'CancelTransferResponse'
}

/**
 * ChangeDUState: install, update or uninstall deployment units (CWMP 1.2+). Annex A.4.1.10.
 *
 * @category Codec
 */
export interface ChangeDUState {
  /** Discriminant: the XML element name. */
  readonly method: 'ChangeDUState'
  /** One or more operations, applied in order. */
  readonly operations: readonly OperationStruct[]
  /** Echoed in DUStateChangeComplete and the `M ChangeDUState` event. At most 32 characters. */
  readonly commandKey?: string
}

/**
 * Acknowledges a ChangeDUState.
 *
 * @category Codec
 */
export interface ChangeDUStateResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'ChangeDUStateResponse'
}

// ---------------------------------------------------------------------------------------------
// Methods the ACS implements (CPE → ACS), Annex A.3.3 and A.4.2

/**
 * Inform: the first message of every session. Annex A.3.3.1.
 *
 * @category Codec
 */
export interface Inform {
  /** Discriminant: the XML element name. */
  readonly method: 'Inform'
  /** Who the CPE is. */
  readonly deviceId: DeviceIdStruct
  /** Why the session is opened; at most 64 events. */
  readonly event: readonly EventStruct[]
  /** Always 1 (and ignored on receipt). */
  readonly maxEnvelopes: number
  /** The CPE's current date and time. */
  readonly currentTime: DateTimeString
  /** Number of prior attempts to establish this session; 0 after a successful session. */
  readonly retryCount: number
  /** Forced inform parameters and changed parameters. */
  readonly parameterList: readonly ParameterValueStruct[]
}

/**
 * The ACS's answer to an Inform.
 *
 * @category Codec
 */
export interface InformResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'InformResponse'
  /** Always 1 (and ignored on receipt). */
  readonly maxEnvelopes: number
}

/**
 * TransferComplete: the outcome of a Download, ScheduleDownload or Upload. Annex A.3.3.2.
 *
 * @category Codec
 */
export interface TransferComplete {
  /** Discriminant: the XML element name. */
  readonly method: 'TransferComplete'
  /** CommandKey of the transfer. At most 32 characters. */
  readonly commandKey: string
  /** faultCode 0 on success. */
  readonly faultStruct: TransferCompleteFaultStruct
  /** When the transfer started. */
  readonly startTime: DateTimeString
  /** When the transfer completed. */
  readonly completeTime: DateTimeString
}

/**
 * Acknowledges a TransferComplete.
 *
 * @category Codec
 */
export interface TransferCompleteResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'TransferCompleteResponse'
}

/**
 * AutonomousTransferComplete: a transfer the ACS did not ask for (CWMP 1.1+). Annex A.4.2.1.
 *
 * @category Codec
 */
export interface AutonomousTransferComplete {
  /** Discriminant: the XML element name. */
  readonly method: 'AutonomousTransferComplete'
  /** URL on which the transfer was announced (may be empty). At most 1024 characters. */
  readonly announceUrl: string
  /** URL the file was transferred from or to. At most 1024 characters. */
  readonly transferUrl: string
  /** True for a download. */
  readonly isDownload: boolean
  /** File type. */
  readonly fileType: string
  /** File size in bytes. */
  readonly fileSize: number
  /** Target file name (may be empty). */
  readonly targetFileName: string
  /** faultCode 0 on success. */
  readonly faultStruct: TransferCompleteFaultStruct
  /** When the transfer started. */
  readonly startTime: DateTimeString
  /** When the transfer completed. */
  readonly completeTime: DateTimeString
}

/**
 * Acknowledges an AutonomousTransferComplete.
 *
 * @category Codec
 */
export interface AutonomousTransferCompleteResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'AutonomousTransferCompleteResponse'
}

/**
 * Kicked: a web-based "kick" of the CPE (deprecated). Annex A.4.2.2.
 *
 * @category Codec
 */
export interface Kicked {
  /** Discriminant: the XML element name. */
  readonly method: 'Kicked'
  /** Generic argument for the ACS; at most 32 characters. */
  readonly command: string
  /** Content of the HTTP Referer header of the kick; at most 64 characters. */
  readonly referer: string
  /** Generic argument for the ACS; at most 256 characters. */
  readonly arg: string
  /** URL the user's browser goes to next; at most 1024 characters. */
  readonly next: string
}

/**
 * The ACS's answer to Kicked.
 *
 * @category Codec
 */
export interface KickedResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'KickedResponse'
  /** URL to redirect the user's browser to; at most 1024 characters. */
  readonly nextUrl: string
}

/**
 * RequestDownload: the CPE asks to be sent a file (Annex A.4.2.3).
 *
 * @category Codec
 */
export interface RequestDownload {
  /** Discriminant: the XML element name. */
  readonly method: 'RequestDownload'
  /** File type wanted. */
  readonly fileType: string
  /** Up to 16 name/value arguments. */
  readonly fileTypeArg: readonly ArgStruct[]
}

/**
 * Acknowledges a RequestDownload.
 *
 * @category Codec
 */
export interface RequestDownloadResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'RequestDownloadResponse'
}

/**
 * DUStateChangeComplete: results of a ChangeDUState (CWMP 1.2+). Annex A.4.2.4.
 *
 * @category Codec
 */
export interface DUStateChangeComplete {
  /** Discriminant: the XML element name. */
  readonly method: 'DUStateChangeComplete'
  /** One result per operation (at least one). */
  readonly results: readonly OpResultStruct[]
  /** CommandKey of the ChangeDUState. */
  readonly commandKey?: string
}

/**
 * Acknowledges a DUStateChangeComplete.
 *
 * @category Codec
 */
export interface DUStateChangeCompleteResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'DUStateChangeCompleteResponse'
}

/**
 * AutonomousDUStateChangeComplete: deployment unit changes the ACS did not ask for (CWMP 1.2+).
 *
 * @category Codec
 */
export interface AutonomousDUStateChangeComplete {
  /** Discriminant: the XML element name. */
  readonly method: 'AutonomousDUStateChangeComplete'
  /** One result per operation (at least one). */
  readonly results: readonly AutonOpResultStruct[]
}

/**
 * Acknowledges an AutonomousDUStateChangeComplete.
 *
 * @category Codec
 */
export interface AutonomousDUStateChangeCompleteResponse {
  /** Discriminant: the XML element name. */
  readonly method: 'AutonomousDUStateChangeCompleteResponse'
}

// ---------------------------------------------------------------------------------------------
// Fault

/**
 * A CWMP fault: the SOAP 1.1 `Fault` whose `detail` holds a `cwmp:Fault` (Annex A.5). It answers
 * a request that failed. A fault received from the peer is decoded like any other message; it is
 * never thrown. Build one with {@link makeFault} or {@link toFault}.
 *
 * ```xml
 * <soap-env:Fault>
 *   <faultcode>Client</faultcode><faultstring>CWMP fault</faultstring>
 *   <detail><cwmp:Fault><FaultCode>9005</FaultCode><FaultString>…</FaultString></cwmp:Fault></detail>
 * </soap-env:Fault>
 * ```
 *
 * @category Codec
 */
export interface Fault {
  /** Discriminant: the XML element name. */
  readonly method: 'Fault'
  /**
   * SOAP `faultcode`: `Client` when the requester caused the fault, `Server` when the responder did.
   * A prefixed value in the SOAP envelope namespace decodes to its local part.
   */
  readonly soapFaultCode: 'Client' | 'Server' | (string & {})
  /** SOAP `faultstring`; TR-069 requires `CWMP fault`. */
  readonly soapFaultString: string
  /** CWMP `FaultCode`: 9000–9899 from a CPE, 8000–8899 from an ACS. */
  readonly faultCode: number
  /** CWMP `FaultString`, a human-readable description. */
  readonly faultString?: string
  /** For SetParameterValues only: one entry per parameter that could not be set (omitted when none). */
  readonly setParameterValuesFault?: readonly SetParameterValuesFaultStruct[]
}

// ---------------------------------------------------------------------------------------------
// Unions and helper types

/**
 * Every CWMP body element: 54 method messages plus `Fault`.
 *
 * @category Codec
 */
export type CwmpMessage =
  | GetRPCMethods
  | GetRPCMethodsResponse
  | SetParameterValues
  | SetParameterValuesResponse
  | GetParameterValues
  | GetParameterValuesResponse
  | GetParameterNames
  | GetParameterNamesResponse
  | SetParameterAttributes
  | SetParameterAttributesResponse
  | GetParameterAttributes
  | GetParameterAttributesResponse
  | AddObject
  | AddObjectResponse
  | DeleteObject
  | DeleteObjectResponse
  | Download
  | DownloadResponse
  | Reboot
  | RebootResponse
  | GetQueuedTransfers
  | GetQueuedTransfersResponse
  | ScheduleInform
  | ScheduleInformResponse
  | SetVouchers
  | SetVouchersResponse
  | GetOptions
  | GetOptionsResponse
  | Upload
  | UploadResponse
  | FactoryReset
  | FactoryResetResponse
  | GetAllQueuedTransfers
  | GetAllQueuedTransfersResponse
  | ScheduleDownload
  | ScheduleDownloadResponse
  | CancelTransfer
  | CancelTransferResponse
  | ChangeDUState
  | ChangeDUStateResponse
  | Inform
  | InformResponse
  | TransferComplete
  | TransferCompleteResponse
  | AutonomousTransferComplete
  | AutonomousTransferCompleteResponse
  | Kicked
  | KickedResponse
  | RequestDownload
  | RequestDownloadResponse
  | DUStateChangeComplete
  | DUStateChangeCompleteResponse
  | AutonomousDUStateChangeComplete
  | AutonomousDUStateChangeCompleteResponse
  | Fault

/**
 * The element name of any CWMP body element.
 *
 * @category Codec
 */
export type CwmpMethod = CwmpMessage['method']

/**
 * The message type for an element name, e.g. `MessageOf<'Reboot'>` is {@link Reboot}.
 *
 * @category Codec
 */
export type MessageOf<M extends CwmpMethod> = Extract<
  CwmpMessage,
  {
    /** The element name to select. */
    method: M
  }
>

/**
 * Methods the CPE implements, i.e. requests an ACS sends (20, GetRPCMethods included).
 *
 * @category Codec
 */
export type CpeMethodName =
  | 'GetRPCMethods'
  | 'SetParameterValues'
  | 'GetParameterValues'
  | 'GetParameterNames'
  | 'SetParameterAttributes'
  | 'GetParameterAttributes'
  | 'AddObject'
  | 'DeleteObject'
  | 'Download'
  | 'Reboot'
  | 'GetQueuedTransfers'
  | 'ScheduleInform'
  | 'SetVouchers'
  | 'GetOptions'
  | 'Upload'
  | 'FactoryReset'
  | 'GetAllQueuedTransfers'
  | 'ScheduleDownload'
  | 'CancelTransfer'
  | 'ChangeDUState'

/**
 * Methods the ACS implements, i.e. requests a CPE sends (8, GetRPCMethods included).
 *
 * @category Codec
 */
export type AcsMethodName =
  | 'GetRPCMethods'
  | 'Inform'
  | 'TransferComplete'
  | 'AutonomousTransferComplete'
  | 'Kicked'
  | 'RequestDownload'
  | 'DUStateChangeComplete'
  | 'AutonomousDUStateChangeComplete'

/**
 * Requests an ACS sends (methods the CPE implements).
 *
 * @category Codec
 */
export type AcsRequest = MessageOf<CpeMethodName>
/**
 * Responses a CPE sends (to {@link AcsRequest}s).
 *
 * @category Codec
 */
export type CpeResponse = MessageOf<`${CpeMethodName}Response`>
/**
 * Requests a CPE sends (methods the ACS implements), Inform included.
 *
 * @category Codec
 */
export type CpeRequest = MessageOf<AcsMethodName>
/**
 * Responses an ACS sends (to {@link CpeRequest}s).
 *
 * @category Codec
 */
export type AcsResponse = MessageOf<`${AcsMethodName}Response`>

/**
 * Any request message.
 *
 * @category Codec
 */
export type RequestMessage = AcsRequest | CpeRequest
/**
 * Any response message (Fault excluded).
 *
 * @category Codec
 */
export type ResponseMessage = CpeResponse | AcsResponse

/**
 * The response type paired with a request type, e.g. `ResponseTo<Reboot>` is {@link RebootResponse}.
 *
 * @category Codec
 */
export type ResponseTo<
  R extends {
    /** The request's element name; the response is the one named `<method>Response`. */
    readonly method: string
  },
> = MessageOf<
  `${R['method']}Response` & CwmpMethod
>

/**
 * A vendor-specific method (`X_<OUI or domain>_<name>`) decoded by a codec registered with
 * {@link createCodecRegistry}.
 *
 * @category Codec
 */
export interface VendorMessage {
  /** Discriminant: the XML element name, starting with `X_`. */
  readonly method: `X_${string}`
  /** Fields, as defined by the vendor codec. */
  readonly [field: string]: unknown
}
