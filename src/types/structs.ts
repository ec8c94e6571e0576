/**
 * The structures carried inside CWMP methods (TR-069 Annex A, `cwmp-1-2.xsd` complex types).
 *
 * Conventions: field names are the XSD element names in lowerCamelCase; optional elements are
 * `?:` and omitted (never `undefined`); `xs:dateTime` values stay lexical strings so that the
 * Unknown Time `0001-01-01T00:00:00Z`, values without a zone and fraction digits survive a round trip.
 *
 * @module
 */
import type { StandardEventCode } from './catalogue.js'

/**
 * A lexical `xs:dateTime`, for example `2026-11-25T06:00:00Z`, or the Unknown Time
 * `0001-01-01T00:00:00Z`. Use {@link parseDateTime} to interpret it.
 *
 * @category Codec
 */
export type DateTimeString = string

/**
 * The `xsi:type` of a parameter value. Types in the XML Schema namespace are written with the
 * `xsd:` prefix and types in the SOAP encoding namespace with `soap-enc:`, whatever prefix the
 * peer used; any other namespace is written in Clark notation, `{uri}local`.
 *
 * @category Codec
 */
export type ValueType =
  | 'xsd:string'
  | 'xsd:int'
  | 'xsd:unsignedInt'
  | 'xsd:long'
  | 'xsd:unsignedLong'
  | 'xsd:boolean'
  | 'xsd:dateTime'
  | 'xsd:base64Binary'
  | 'xsd:hexBinary'
  | 'xsd:decimal'
  | 'soap-enc:base64'
  | (string & {})

/**
 * `ParameterValueStruct`: a parameter name with its value. The value is kept lexically, next to
 * its `xsi:type`, so nothing is lost; {@link parseParameterValue} and {@link toParameterValue}
 * convert to and from typed values.
 *
 * ```xml
 * <xs:complexType name="ParameterValueStruct"><xs:sequence>
 *   <xs:element name="Name"> <!-- string(256) --> </xs:element>
 *   <xs:element name="Value" type="xs:anySimpleType"/>
 * </xs:sequence></xs:complexType>
 * ```
 *
 * @category Codec
 */
export interface ParameterValueStruct {
  /** Full parameter path, e.g. `Device.DeviceInfo.SoftwareVersion`. At most 256 characters. */
  readonly name: string
  /** The lexical value exactly as carried on the wire. */
  readonly value: string
  /** The value's `xsi:type`. A `Value` that arrives without one decodes as `xsd:string` (with a warning). */
  readonly type: ValueType
}

/**
 * `DeviceIdStruct`: who the CPE is. Annex A.3.3.1.
 *
 * @category Codec
 */
export interface DeviceIdStruct {
  /** Manufacturer name, at most 64 characters. */
  readonly manufacturer: string
  /** Organizationally Unique Identifier: six upper-case hexadecimal digits. */
  readonly oui: string
  /** Product class, at most 64 characters. */
  readonly productClass: string
  /** Serial number, at most 64 characters. */
  readonly serialNumber: string
}

/**
 * An Inform event code. The standard ones are listed in {@link EVENT_CODES}; method events are
 * `M <method>` and vendor events `X <OUI> <name>`.
 *
 * @category Codec
 */
export type EventCode = StandardEventCode | (string & {})

/**
 * `EventStruct`: one event reported in an Inform.
 *
 * @category Codec
 */
export interface EventStruct {
  /** The event code, e.g. `1 BOOT` or `M Reboot`. At most 64 characters. */
  readonly eventCode: EventCode
  /** The CommandKey of the RPC behind an `M …` event; empty for other events. At most 32 characters. */
  readonly commandKey: string
}

/**
 * `ParameterInfoStruct`: one entry of a GetParameterNamesResponse.
 *
 * @category Codec
 */
export interface ParameterInfoStruct {
  /** Parameter or object path (objects end with a dot). At most 256 characters. */
  readonly name: string
  /** Whether the parameter (or object, for AddObject/DeleteObject) can be written. */
  readonly writable: boolean
}

/**
 * A notification attribute: 0 off, 1 passive, 2 active, 3 passive lightweight, 4 passive
 * with passive lightweight, 5 active lightweight, 6 passive with active lightweight.
 * Values 3 to 6 are CWMP 1.2 and later.
 *
 * @category Codec
 */
export type Notification = 0 | 1 | 2 | 3 | 4 | 5 | 6

/**
 * An AccessList entry. The schemas define only `Subscriber`.
 *
 * @category Codec
 */
export type AccessListEntry = 'Subscriber' | (string & {})

/**
 * `SetParameterAttributesStruct`: one entry of a SetParameterAttributes request.
 *
 * @category Codec
 */
export interface SetParameterAttributesStruct {
  /** Parameter path, or a partial path ending in a dot. At most 256 characters. */
  readonly name: string
  /** Whether `notification` is to be applied. */
  readonly notificationChange: boolean
  /** The new notification attribute. */
  readonly notification: Notification
  /** Whether `accessList` is to be applied. */
  readonly accessListChange: boolean
  /** Entities, besides the ACS, allowed to write the parameter. */
  readonly accessList: readonly AccessListEntry[]
}

/**
 * `ParameterAttributeStruct`: one entry of a GetParameterAttributesResponse.
 *
 * @category Codec
 */
export interface ParameterAttributeStruct {
  /** Parameter path. At most 256 characters. */
  readonly name: string
  /** The notification attribute. */
  readonly notification: Notification
  /** Entities, besides the ACS, allowed to write the parameter. */
  readonly accessList: readonly AccessListEntry[]
}

/**
 * Transfer state of a queued transfer: 1 not yet started, 2 in progress, 3 completed.
 *
 * @category Codec
 */
export type TransferState = 1 | 2 | 3

/**
 * `QueuedTransferStruct`: one entry of a GetQueuedTransfersResponse.
 *
 * @category Codec
 */
export interface QueuedTransferStruct {
  /** CommandKey of the Download or Upload. At most 32 characters. */
  readonly commandKey: string
  /** Transfer state. */
  readonly state: TransferState
}

/**
 * `AllQueuedTransferStruct`: one entry of a GetAllQueuedTransfersResponse (CWMP 1.1+).
 *
 * @category Codec
 */
export interface AllQueuedTransferStruct {
  /** CommandKey of the transfer. At most 32 characters. */
  readonly commandKey: string
  /** Transfer state. */
  readonly state: TransferState
  /** True for a download, false for an upload. */
  readonly isDownload: boolean
  /** File type, e.g. `1 Firmware Upgrade Image`. */
  readonly fileType: string
  /** File size in bytes (0 when unknown). */
  readonly fileSize: number
  /** Target file name. At most 256 characters. */
  readonly targetFileName: string
}

/**
 * `TransferCompleteFaultStruct` (`FaultStruct` in CWMP 1.0 and 1.1): the outcome of a transfer.
 *
 * @category Codec
 */
export interface TransferCompleteFaultStruct {
  /** 0 on success, otherwise a 9xxx fault code. */
  readonly faultCode: number
  /** Human-readable fault text; empty on success. At most 256 characters. */
  readonly faultString: string
}

/**
 * `TimeWindowStruct`: a time window of a ScheduleDownload (CWMP 1.2+).
 *
 * @category Codec
 */
export interface TimeWindowStruct {
  /** Window start, in seconds after the request was received. */
  readonly windowStart: number
  /** Window end, in seconds after the request was received. */
  readonly windowEnd: number
  /** `1 At Any Time`, `2 Immediately`, `3 When Idle`, `4 Confirmation Needed`, or a vendor mode. */
  readonly windowMode: string
  /** Message to show the user when confirmation is needed. At most 256 characters. */
  readonly userMessage: string
  /** Maximum number of retries; -1 lets the CPE decide. */
  readonly maxRetries: number
}

/**
 * `ArgStruct`: one argument of a RequestDownload.
 *
 * @category Codec
 */
export interface ArgStruct {
  /** Argument name, at most 64 characters. */
  readonly name: string
  /** Argument value, at most 256 characters. */
  readonly value: string
}

/**
 * Option state of an OptionStruct: 0 disabled, 1 enabled, 2 disabled by the ACS, 3 expired.
 *
 * @category Codec
 */
export type OptionState = 0 | 1 | 2 | 3

/**
 * `OptionStruct`: one option of a GetOptionsResponse.
 *
 * @category Codec
 */
export interface OptionStruct {
  /** Option name, at most 64 characters. */
  readonly optionName: string
  /** Serial number of the voucher that enabled the option. */
  readonly voucherSn: number
  /** Option state (see {@link OptionState}). */
  readonly state: OptionState
  /** 0 disabled, 1 enabled with expiration, 2 enabled without expiration. */
  readonly mode: 0 | 1 | 2
  /** When the option was enabled. */
  readonly startDate: DateTimeString
  /** When the option expires, for options with an expiry. */
  readonly expirationDate?: DateTimeString
  /** 1 when the option can be transferred to another CPE, 0 otherwise. */
  readonly isTransferable: 0 | 1
}

/**
 * `InstallOpStruct`: install a deployment unit (ChangeDUState, CWMP 1.2+).
 *
 * @category Codec
 */
export interface InstallOpStruct {
  /** Discriminant: the XSD type name. */
  readonly type: 'InstallOpStruct'
  /** Where to fetch the deployment unit. At most 1024 characters. */
  readonly url: string
  /** Deployment unit UUID (`8-4-4-4-12` hexadecimal). */
  readonly uuid?: string
  /** File server user name. */
  readonly username?: string
  /** File server password. */
  readonly password?: string
  /** Path of the execution environment to install into. */
  readonly executionEnvRef?: string
}

/**
 * `UpdateOpStruct`: update a deployment unit (ChangeDUState, CWMP 1.2+).
 *
 * @category Codec
 */
export interface UpdateOpStruct {
  /** Discriminant: the XSD type name. */
  readonly type: 'UpdateOpStruct'
  /** Deployment unit UUID. */
  readonly uuid?: string
  /** Version to update; at most 32 characters. */
  readonly version?: string
  /** Where to fetch the new version. */
  readonly url?: string
  /** File server user name. */
  readonly username?: string
  /** File server password. */
  readonly password?: string
}

/**
 * `UninstallOpStruct`: uninstall a deployment unit (ChangeDUState, CWMP 1.2+).
 *
 * @category Codec
 */
export interface UninstallOpStruct {
  /** Discriminant: the XSD type name. */
  readonly type: 'UninstallOpStruct'
  /** Deployment unit UUID. */
  readonly uuid: string
  /** Version to uninstall; at most 32 characters. */
  readonly version?: string
  /** Path of the execution environment. */
  readonly executionEnvRef?: string
}

/**
 * One operation of a ChangeDUState, discriminated by `type` (the `xsi:type` of `Operations`).
 *
 * @category Codec
 */
export type OperationStruct = InstallOpStruct | UpdateOpStruct | UninstallOpStruct

/**
 * `DeploymentUnitFaultStruct`: the outcome of one deployment unit operation.
 *
 * @category Codec
 */
export interface DeploymentUnitFaultStruct {
  /** 0 on success, otherwise a 9xxx fault code. */
  readonly faultCode: number
  /** Human-readable fault text. */
  readonly faultString?: string
}

/**
 * State of a deployment unit after an operation.
 *
 * @category Codec
 */
export type DeploymentUnitState = 'Installed' | 'Uninstalled' | 'Failed'

/**
 * `OpResultStruct`: the result of one ChangeDUState operation (CWMP 1.2+).
 *
 * @category Codec
 */
export interface OpResultStruct {
  /** Deployment unit UUID. */
  readonly uuid: string
  /** Path of the DeploymentUnit object, or empty. */
  readonly deploymentUnitRef: string
  /** Deployment unit version; at most 32 characters. */
  readonly version: string
  /** State after the operation. */
  readonly currentState: DeploymentUnitState
  /** Whether all dependencies are resolved. */
  readonly resolved: boolean
  /** Comma-separated paths of the execution units. */
  readonly executionUnitRefList: string
  /** When the operation started. */
  readonly startTime: DateTimeString
  /** When the operation completed. */
  readonly completeTime: DateTimeString
  /** The operation's outcome. */
  readonly fault: DeploymentUnitFaultStruct
}

/**
 * `AutonOpResultStruct`: an OpResultStruct plus the operation performed autonomously.
 *
 * @category Codec
 */
export interface AutonOpResultStruct extends OpResultStruct {
  /** `Install`, `Update`, `Uninstall`, or another string. */
  readonly operationPerformed: 'Install' | 'Update' | 'Uninstall' | (string & {})
}

/**
 * One `SetParameterValuesFault` entry of a Fault: why one parameter could not be set.
 *
 * @category Codec
 */
export interface SetParameterValuesFaultStruct {
  /** The parameter that could not be set. */
  readonly parameterName: string
  /** 9xxx fault code for that parameter. */
  readonly faultCode: number
  /** Human-readable fault text. */
  readonly faultString?: string
}
