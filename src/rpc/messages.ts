/**
 * The schema of every CWMP method, in `cwmp-1-2.xsd` sequence order (with the 1.0 and 1.1 facets
 * applied by the version-aware scalar types).
 *
 * @module
 */
import type * as M from '../types/messages.js'
import type { OperationStruct } from '../types/structs.js'
import { lookupPrefix } from '../xml/events.js'
import type { XmlElement } from '../xml/reader.js'
import type { DecodeContext } from './context.js'
import { isAnyUri } from '../values/lexical.js'
import {
  bool,
  dateTime,
  duFaultCode,
  downloadFileType,
  enumeration,
  eventCode,
  int,
  integer,
  key32,
  name,
  notification,
  objectName,
  oui,
  str,
  string,
  transferFaultCode,
  transferFileType,
  unsignedInt,
  uploadFileType,
  uuid,
  windowMode,
  base64,
  type Scalar,
} from './scalars.js'
import {
  checkAttrs,
  decodeScalar,
  decodeStruct,
  defineMethod,
  encodeFields,
  field,
  isCwmpNamespace,
  struct,
  writeScalar,
  type Item,
  type MethodCodec,
  type StructSpec,
} from './schema.js'
import { parameterValueStruct } from './parameter-value-codec.js'

const { scalar, array, repeat } = field
const s = (type: Scalar<unknown>): Item => ({ kind: 'scalar', type })
const st = (spec: StructSpec): Item => ({ kind: 'struct', struct: spec })
const PVS: Item = { kind: 'custom', codec: parameterValueStruct as never }

const status = integer<0 | 1>('Status', { min: -2147483648, max: 2147483647, oneOf: [0, 1] })
const transferState = integer<1 | 2 | 3>('State', { min: -2147483648, max: 2147483647, oneOf: [1, 2, 3] })
const instanceNumber = integer('InstanceNumber', { min: 0, max: 4294967295, facet: (v) => v >= 1 })
const accessListEntry = str('AccessList', { maxLength: 64, pattern: () => /^Subscriber$/ })
const ANY_URI = { test: isAnyUri }
const uri1024 = str('URL', { maxLength: 1024, pattern: () => ANY_URI })

// ---------------------------------------------------------------------------------------------
// Structs

const deviceIdStruct = struct('DeviceIdStruct', [
  scalar('manufacturer', 'Manufacturer', string(64)),
  scalar('oui', 'OUI', oui),
  scalar('productClass', 'ProductClass', string(64)),
  scalar('serialNumber', 'SerialNumber', string(64)),
])

const eventStruct = struct('EventStruct', [
  scalar('eventCode', 'EventCode', eventCode),
  scalar('commandKey', 'CommandKey', key32),
])

const parameterInfoStruct = struct('ParameterInfoStruct', [
  scalar('name', 'Name', name(256)),
  scalar('writable', 'Writable', bool),
])

const accessList = (): ReturnType<typeof array> =>
  array('accessList', 'AccessList', 'string', 'xsd:string', s(accessListEntry))

const setParameterAttributesStruct = struct('SetParameterAttributesStruct', [
  scalar('name', 'Name', name(256)),
  scalar('notificationChange', 'NotificationChange', bool),
  scalar('notification', 'Notification', notification),
  scalar('accessListChange', 'AccessListChange', bool),
  accessList(),
])

const parameterAttributeStruct = struct('ParameterAttributeStruct', [
  scalar('name', 'Name', name(256)),
  scalar('notification', 'Notification', notification),
  accessList(),
])

const queuedTransferStruct = struct('QueuedTransferStruct', [
  scalar('commandKey', 'CommandKey', key32),
  scalar('state', 'State', transferState),
])

const allQueuedTransferStruct = struct('AllQueuedTransferStruct', [
  scalar('commandKey', 'CommandKey', key32),
  scalar('state', 'State', transferState),
  scalar('isDownload', 'IsDownload', bool),
  scalar('fileType', 'FileType', transferFileType),
  scalar('fileSize', 'FileSize', unsignedInt),
  scalar('targetFileName', 'TargetFileName', string(256)),
])

const transferCompleteFaultStruct = struct('TransferCompleteFaultStruct', [
  scalar('faultCode', 'FaultCode', transferFaultCode),
  scalar('faultString', 'FaultString', string(256)),
])

const timeWindowStruct = struct('TimeWindowStruct', [
  scalar('windowStart', 'WindowStart', unsignedInt),
  scalar('windowEnd', 'WindowEnd', unsignedInt),
  scalar('windowMode', 'WindowMode', windowMode),
  scalar('userMessage', 'UserMessage', string(256)),
  scalar('maxRetries', 'MaxRetries', int),
])

const argStruct = struct('ArgStruct', [scalar('name', 'Name', string(64)), scalar('value', 'Value', string(256))])

const optionStruct = struct('OptionStruct', [
  scalar('optionName', 'OptionName', string(64)),
  scalar('voucherSn', 'VoucherSN', unsignedInt),
  scalar('state', 'State', integer('State', { min: 0, max: 4294967295, oneOf: [0, 1, 2, 3] })),
  scalar('mode', 'Mode', integer('Mode', { min: -2147483648, max: 2147483647, oneOf: [0, 1, 2] })),
  scalar('startDate', 'StartDate', dateTime),
  scalar('expirationDate', 'ExpirationDate', dateTime, { optional: true }),
  scalar('isTransferable', 'IsTransferable', integer('IsTransferable', { min: -2147483648, max: 2147483647, oneOf: [0, 1] })),
])

const deploymentUnitFaultStruct = struct('DeploymentUnitFaultStruct', [
  scalar('faultCode', 'FaultCode', duFaultCode),
  scalar('faultString', 'FaultString', string(), { optional: true }),
])

const opResultFields = [
  scalar('uuid', 'UUID', uuid),
  scalar('deploymentUnitRef', 'DeploymentUnitRef', string()),
  scalar('version', 'Version', string(32)),
  scalar('currentState', 'CurrentState', enumeration('CurrentState', ['Installed', 'Uninstalled', 'Failed'])),
  scalar('resolved', 'Resolved', bool),
  scalar('executionUnitRefList', 'ExecutionUnitRefList', string()),
  scalar('startTime', 'StartTime', dateTime),
  scalar('completeTime', 'CompleteTime', dateTime),
  field.struct('fault', 'Fault', deploymentUnitFaultStruct),
]
const opResultStruct = struct('OpResultStruct', opResultFields)
const autonOpResultStruct = struct('AutonOpResultStruct', [
  ...opResultFields,
  scalar('operationPerformed', 'OperationPerformed', string()),
])

const OPERATION_SPECS = {
  InstallOpStruct: struct('InstallOpStruct', [
    scalar('url', 'URL', uri1024),
    scalar('uuid', 'UUID', uuid, { optional: true }),
    scalar('username', 'Username', string(256), { optional: true }),
    scalar('password', 'Password', string(256), { optional: true }),
    scalar('executionEnvRef', 'ExecutionEnvRef', string(256), { optional: true }),
  ]),
  UpdateOpStruct: struct('UpdateOpStruct', [
    scalar('uuid', 'UUID', uuid, { optional: true }),
    scalar('version', 'Version', string(32), { optional: true }),
    scalar('url', 'URL', uri1024, { optional: true }),
    scalar('username', 'Username', string(256), { optional: true }),
    scalar('password', 'Password', string(256), { optional: true }),
  ]),
  UninstallOpStruct: struct('UninstallOpStruct', [
    scalar('uuid', 'UUID', uuid),
    scalar('version', 'Version', string(32), { optional: true }),
    scalar('executionEnvRef', 'ExecutionEnvRef', string(256), { optional: true }),
  ]),
} as const

type OperationType = keyof typeof OPERATION_SPECS

function isOperationType(local: string): local is OperationType {
  return Object.hasOwn(OPERATION_SPECS, local)
}

// ---------------------------------------------------------------------------------------------
// Arrays shared by several methods

const parameterValueList = (): ReturnType<typeof array> =>
  array('parameterList', 'ParameterList', 'ParameterValueStruct', 'cwmp:ParameterValueStruct', PVS)
const parameterNames = (): ReturnType<typeof array> =>
  array('parameterNames', 'ParameterNames', 'string', 'xsd:string', s(name(256)), { min: 1 })
const commandKey = scalar('commandKey', 'CommandKey', key32)
const parameterKey = scalar('parameterKey', 'ParameterKey', key32)
const statusField = scalar('status', 'Status', status)
/** URL, Username, Password of a transfer (Download, ScheduleDownload, Upload). */
const fileServer = [
  scalar('url', 'URL', string(256)),
  scalar('username', 'Username', string(256)),
  scalar('password', 'Password', string(256)),
]
/** The fields Download and ScheduleDownload begin with. */
const downloadHead = [
  commandKey,
  scalar('fileType', 'FileType', downloadFileType),
  ...fileServer,
  scalar('fileSize', 'FileSize', unsignedInt),
  scalar('targetFileName', 'TargetFileName', string(256)),
]

// ---------------------------------------------------------------------------------------------
// ChangeDUState: operations are an abstract type selected by xsi:type. Real peers also send them
// nested as <Operations><InstallOpStruct>…</InstallOpStruct></Operations>; both are accepted.

function decodeOperation(type: OperationType, el: XmlElement, ctx: DecodeContext): OperationStruct {
  return { type, ...decodeStruct(OPERATION_SPECS[type], el, ctx) } as unknown as OperationStruct
}

function decodeOperations(el: XmlElement, ctx: DecodeContext): OperationStruct[] {
  const { xsiType } = checkAttrs(el, 'operation', ctx)
  if (xsiType !== undefined) {
    const q = xsiType.trim()
    const colon = q.indexOf(':')
    const local = colon === -1 ? q : q.slice(colon + 1)
    const ns = lookupPrefix(el.scope, colon === -1 ? '' : q.slice(0, colon))
    if (!isOperationType(local)) return ctx.invalid(`unknown operation type xsi:type="${xsiType}"`, el)
    if (ns === undefined || !isCwmpNamespace(ns)) {
      ctx.warn('VALUE_TYPE_UNKNOWN', `xsi:type="${xsiType}" is not in a cwmp namespace`, el)
    }
    return [decodeOperation(local, el, ctx)]
  }
  const nested = el.children.filter((c) => isOperationType(c.local))
  if (nested.length === 0) return ctx.invalid('Operations has neither xsi:type nor a nested operation struct', el)
  ctx.warn('OPERATIONS_NESTED', 'operations nested inside <Operations> instead of selected by xsi:type', el)
  for (const c of el.children) {
    if (!isOperationType(c.local)) ctx.warn('UNKNOWN_ELEMENT', `<${c.local}> ignored`, c, c.local)
  }
  return nested.map((c) => {
    if (c.ns !== '' && isCwmpNamespace(c.ns)) ctx.warn('QUALIFIED_CHILD', `<${c.local}> is namespace-qualified`, c)
    ctx.path.push(c.local)
    const op = decodeOperation(c.local as OperationType, c, ctx)
    ctx.path.pop()
    return op
  })
}

const changeDUState: MethodCodec<M.ChangeDUState> = {
  method: 'ChangeDUState',
  since: '1.2',
  decode(el, ctx) {
    const operations: OperationStruct[] = []
    let commandKeyValue: string | undefined
    let sawKey = false
    for (const c of el.children) {
      if (c.ns !== '') {
        if (!isCwmpNamespace(c.ns)) {
          ctx.warn('UNKNOWN_ELEMENT', `<{${c.ns}}${c.local}> ignored`, c)
          continue
        }
        ctx.warn('QUALIFIED_CHILD', `<${c.local}> is namespace-qualified`, c)
      }
      ctx.path.push(c.local)
      if (c.local === 'Operations') {
        if (sawKey) ctx.warn('ELEMENT_ORDER', 'Operations after CommandKey', c)
        operations.push(...decodeOperations(c, ctx))
      } else if (c.local === 'CommandKey') {
        if (sawKey) ctx.warn('DUPLICATE_ELEMENT', '<CommandKey> occurs more than once; the first is used', c)
        else commandKeyValue = decodeScalar(key32, c, ctx)
        sawKey = true
      } else {
        ctx.warn('UNKNOWN_ELEMENT', `<${c.local}> is not part of ChangeDUState`, c)
      }
      ctx.path.pop()
    }
    if (operations.length === 0) ctx.missing('Operations', el)
    return commandKeyValue === undefined
      ? { method: 'ChangeDUState', operations }
      : { method: 'ChangeDUState', operations, commandKey: commandKeyValue }
  },
  encodeContent(message, out, ctx) {
    const ops = message.operations
    ctx.path.push('operations')
    if (!Array.isArray(ops) || ops.length === 0) ctx.fail('ChangeDUState needs at least one operation')
    for (let i = 0; i < ops.length; i++) {
      const op = ops[i] as OperationStruct
      ctx.path.push(i)
      if (typeof op !== 'object' || op === null || !isOperationType(op.type)) ctx.fail('unknown operation type')
      out.s += `<Operations xsi:type="cwmp:${op.type}">`
      encodeFields(OPERATION_SPECS[op.type].fields, op as unknown as Record<string, unknown>, out, ctx)
      out.s += '</Operations>'
      ctx.path.pop()
    }
    ctx.path.pop()
    if (message.commandKey !== undefined) {
      ctx.path.push('commandKey')
      writeScalar(out, 'CommandKey', key32.encode(message.commandKey, ctx), ctx)
      ctx.path.pop()
    }
  },
}

// ---------------------------------------------------------------------------------------------
// The methods

/** Codecs of every CWMP method except `Fault`, keyed by element name. @internal */
export const METHOD_CODECS = {
  GetRPCMethods: defineMethod<M.GetRPCMethods>('GetRPCMethods', '1.0', []),
  GetRPCMethodsResponse: defineMethod<M.GetRPCMethodsResponse>('GetRPCMethodsResponse', '1.0', [
    array('methodList', 'MethodList', 'string', 'xsd:string', s(name(64)), { min: 1 }),
  ]),
  SetParameterValues: defineMethod<M.SetParameterValues>('SetParameterValues', '1.0', [
    parameterValueList(),
    parameterKey,
  ]),
  SetParameterValuesResponse: defineMethod<M.SetParameterValuesResponse>('SetParameterValuesResponse', '1.0', [
    statusField,
  ]),
  GetParameterValues: defineMethod<M.GetParameterValues>('GetParameterValues', '1.0', [parameterNames()]),
  GetParameterValuesResponse: defineMethod<M.GetParameterValuesResponse>('GetParameterValuesResponse', '1.0', [
    parameterValueList(),
  ]),
  GetParameterNames: defineMethod<M.GetParameterNames>('GetParameterNames', '1.0', [
    scalar('parameterPath', 'ParameterPath', name(256)),
    scalar('nextLevel', 'NextLevel', bool),
  ]),
  GetParameterNamesResponse: defineMethod<M.GetParameterNamesResponse>('GetParameterNamesResponse', '1.0', [
    array('parameterList', 'ParameterList', 'ParameterInfoStruct', 'cwmp:ParameterInfoStruct', st(parameterInfoStruct)),
  ]),
  SetParameterAttributes: defineMethod<M.SetParameterAttributes>('SetParameterAttributes', '1.0', [
    array(
      'parameterList',
      'ParameterList',
      'SetParameterAttributesStruct',
      'cwmp:SetParameterAttributesStruct',
      st(setParameterAttributesStruct),
      { min: 1 },
    ),
  ]),
  SetParameterAttributesResponse: defineMethod<M.SetParameterAttributesResponse>(
    'SetParameterAttributesResponse',
    '1.0',
    [],
  ),
  GetParameterAttributes: defineMethod<M.GetParameterAttributes>('GetParameterAttributes', '1.0', [
    parameterNames(),
  ]),
  GetParameterAttributesResponse: defineMethod<M.GetParameterAttributesResponse>(
    'GetParameterAttributesResponse',
    '1.0',
    [
      array(
        'parameterList',
        'ParameterList',
        'ParameterAttributeStruct',
        'cwmp:ParameterAttributeStruct',
        st(parameterAttributeStruct),
      ),
    ],
  ),
  AddObject: defineMethod<M.AddObject>('AddObject', '1.0', [
    scalar('objectName', 'ObjectName', objectName),
    parameterKey,
  ]),
  AddObjectResponse: defineMethod<M.AddObjectResponse>('AddObjectResponse', '1.0', [
    scalar('instanceNumber', 'InstanceNumber', instanceNumber),
    statusField,
  ]),
  DeleteObject: defineMethod<M.DeleteObject>('DeleteObject', '1.0', [
    scalar('objectName', 'ObjectName', objectName),
    parameterKey,
  ]),
  DeleteObjectResponse: defineMethod<M.DeleteObjectResponse>('DeleteObjectResponse', '1.0', [statusField]),
  Download: defineMethod<M.Download>('Download', '1.0', [
    ...downloadHead,
    scalar('delaySeconds', 'DelaySeconds', unsignedInt),
    scalar('successUrl', 'SuccessURL', string(256)),
    scalar('failureUrl', 'FailureURL', string(256)),
  ]),
  DownloadResponse: defineMethod<M.DownloadResponse>('DownloadResponse', '1.0', [
    statusField,
    scalar('startTime', 'StartTime', dateTime),
    scalar('completeTime', 'CompleteTime', dateTime),
  ]),
  Reboot: defineMethod<M.Reboot>('Reboot', '1.0', [commandKey]),
  RebootResponse: defineMethod<M.RebootResponse>('RebootResponse', '1.0', []),
  GetQueuedTransfers: defineMethod<M.GetQueuedTransfers>('GetQueuedTransfers', '1.0', []),
  GetQueuedTransfersResponse: defineMethod<M.GetQueuedTransfersResponse>('GetQueuedTransfersResponse', '1.0', [
    array('transferList', 'TransferList', 'QueuedTransferStruct', 'cwmp:QueuedTransferStruct', st(queuedTransferStruct), {
      max: 16,
    }),
  ]),
  ScheduleInform: defineMethod<M.ScheduleInform>('ScheduleInform', '1.0', [
    scalar('delaySeconds', 'DelaySeconds', unsignedInt),
    commandKey,
  ]),
  ScheduleInformResponse: defineMethod<M.ScheduleInformResponse>('ScheduleInformResponse', '1.0', []),
  SetVouchers: defineMethod<M.SetVouchers>('SetVouchers', '1.0', [
    array('voucherList', 'VoucherList', 'base64', 'soap-enc:base64', s(base64), { min: 1 }),
  ]),
  SetVouchersResponse: defineMethod<M.SetVouchersResponse>('SetVouchersResponse', '1.0', []),
  GetOptions: defineMethod<M.GetOptions>('GetOptions', '1.0', [scalar('optionName', 'OptionName', string(64))]),
  GetOptionsResponse: defineMethod<M.GetOptionsResponse>('GetOptionsResponse', '1.0', [
    array('optionList', 'OptionList', 'OptionStruct', 'cwmp:OptionStruct', st(optionStruct)),
  ]),
  Upload: defineMethod<M.Upload>('Upload', '1.0', [
    commandKey,
    scalar('fileType', 'FileType', uploadFileType),
    ...fileServer,
    scalar('delaySeconds', 'DelaySeconds', unsignedInt),
  ]),
  UploadResponse: defineMethod<M.UploadResponse>('UploadResponse', '1.0', [
    statusField,
    scalar('startTime', 'StartTime', dateTime),
    scalar('completeTime', 'CompleteTime', dateTime),
  ]),
  FactoryReset: defineMethod<M.FactoryReset>('FactoryReset', '1.0', []),
  FactoryResetResponse: defineMethod<M.FactoryResetResponse>('FactoryResetResponse', '1.0', []),
  GetAllQueuedTransfers: defineMethod<M.GetAllQueuedTransfers>('GetAllQueuedTransfers', '1.1', []),
  GetAllQueuedTransfersResponse: defineMethod<M.GetAllQueuedTransfersResponse>(
    'GetAllQueuedTransfersResponse',
    '1.1',
    [
      array(
        'transferList',
        'TransferList',
        'AllQueuedTransferStruct',
        'cwmp:AllQueuedTransferStruct',
        st(allQueuedTransferStruct),
        { max: 16 },
      ),
    ],
  ),
  ScheduleDownload: defineMethod<M.ScheduleDownload>('ScheduleDownload', '1.2', [
    ...downloadHead,
    array('timeWindowList', 'TimeWindowList', 'TimeWindowStruct', 'cwmp:TimeWindowStruct', st(timeWindowStruct), {
      min: 1,
      max: 2,
    }),
  ]),
  ScheduleDownloadResponse: defineMethod<M.ScheduleDownloadResponse>('ScheduleDownloadResponse', '1.2', []),
  CancelTransfer: defineMethod<M.CancelTransfer>('CancelTransfer', '1.2', [commandKey]),
  CancelTransferResponse: defineMethod<M.CancelTransferResponse>('CancelTransferResponse', '1.2', []),
  ChangeDUState: changeDUState,
  ChangeDUStateResponse: defineMethod<M.ChangeDUStateResponse>('ChangeDUStateResponse', '1.2', []),
  Inform: defineMethod<M.Inform>('Inform', '1.0', [
    field.struct('deviceId', 'DeviceId', deviceIdStruct),
    array('event', 'Event', 'EventStruct', 'cwmp:EventStruct', st(eventStruct), { max: 64 }),
    scalar('maxEnvelopes', 'MaxEnvelopes', unsignedInt),
    scalar('currentTime', 'CurrentTime', dateTime),
    scalar('retryCount', 'RetryCount', unsignedInt),
    parameterValueList(),
  ]),
  InformResponse: defineMethod<M.InformResponse>('InformResponse', '1.0', [
    scalar('maxEnvelopes', 'MaxEnvelopes', unsignedInt),
  ]),
  TransferComplete: defineMethod<M.TransferComplete>('TransferComplete', '1.0', [
    commandKey,
    field.struct('faultStruct', 'FaultStruct', transferCompleteFaultStruct),
    scalar('startTime', 'StartTime', dateTime),
    scalar('completeTime', 'CompleteTime', dateTime),
  ]),
  TransferCompleteResponse: defineMethod<M.TransferCompleteResponse>('TransferCompleteResponse', '1.0', []),
  AutonomousTransferComplete: defineMethod<M.AutonomousTransferComplete>('AutonomousTransferComplete', '1.1', [
    scalar('announceUrl', 'AnnounceURL', string(1024)),
    scalar('transferUrl', 'TransferURL', string(1024)),
    scalar('isDownload', 'IsDownload', bool),
    scalar('fileType', 'FileType', transferFileType),
    scalar('fileSize', 'FileSize', unsignedInt),
    scalar('targetFileName', 'TargetFileName', string(256)),
    field.struct('faultStruct', 'FaultStruct', transferCompleteFaultStruct),
    scalar('startTime', 'StartTime', dateTime),
    scalar('completeTime', 'CompleteTime', dateTime),
  ]),
  AutonomousTransferCompleteResponse: defineMethod<M.AutonomousTransferCompleteResponse>(
    'AutonomousTransferCompleteResponse',
    '1.1',
    [],
  ),
  Kicked: defineMethod<M.Kicked>('Kicked', '1.0', [
    scalar('command', 'Command', string(32)),
    scalar('referer', 'Referer', string(64)),
    scalar('arg', 'Arg', string(256)),
    scalar('next', 'Next', string(1024)),
  ]),
  KickedResponse: defineMethod<M.KickedResponse>('KickedResponse', '1.0', [
    scalar('nextUrl', 'NextURL', string(1024)),
  ]),
  RequestDownload: defineMethod<M.RequestDownload>('RequestDownload', '1.0', [
    scalar('fileType', 'FileType', downloadFileType),
    array('fileTypeArg', 'FileTypeArg', 'ArgStruct', 'cwmp:ArgStruct', st(argStruct), { max: 16 }),
  ]),
  RequestDownloadResponse: defineMethod<M.RequestDownloadResponse>('RequestDownloadResponse', '1.0', []),
  DUStateChangeComplete: defineMethod<M.DUStateChangeComplete>('DUStateChangeComplete', '1.2', [
    repeat('results', 'Results', st(opResultStruct), { min: 1 }),
    scalar('commandKey', 'CommandKey', key32, { optional: true }),
  ]),
  DUStateChangeCompleteResponse: defineMethod<M.DUStateChangeCompleteResponse>(
    'DUStateChangeCompleteResponse',
    '1.2',
    [],
  ),
  AutonomousDUStateChangeComplete: defineMethod<M.AutonomousDUStateChangeComplete>(
    'AutonomousDUStateChangeComplete',
    '1.2',
    [repeat('results', 'Results', st(autonOpResultStruct), { min: 1 })],
  ),
  AutonomousDUStateChangeCompleteResponse: defineMethod<M.AutonomousDUStateChangeCompleteResponse>(
    'AutonomousDUStateChangeCompleteResponse',
    '1.2',
    [],
  ),
} as const satisfies { readonly [K in Exclude<M.CwmpMethod, 'Fault'>]: MethodCodec<M.MessageOf<K>> }
