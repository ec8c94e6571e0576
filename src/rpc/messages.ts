/**
 * The schema of every CWMP method, in `cwmp-1-2.xsd` sequence order (with the 1.0 and 1.1 facets
 * applied by the version-aware scalar types).
 *
 * @module
 */
import type * as M from '../types/messages.js'
import type * as S from '../types/structs.js'
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
  compileStruct,
  decodeScalar,
  decodeStruct,
  defineMethod,
  encodeFields,
  field,
  isCwmpNamespace,
  struct,
  writeScalar,
  type Fields,
  type Item,
  type MethodCodec,
  type StructSpec,
} from './schema.js'
import { parameterValueStruct } from './parameter-value-codec.js'

const { scalar, array, repeat } = field
const s = <V>(type: Scalar<V>): Item<V> => ({ kind: 'scalar', type })
const st = <V>(spec: StructSpec<V>): Item<V> => ({ kind: 'struct', struct: spec })
const PVS: Item<S.ParameterValueStruct> = { kind: 'custom', codec: parameterValueStruct }

const status = integer('Status', { min: -2147483648, max: 2147483647, oneOf: [0, 1] })
const transferState = integer('State', { min: -2147483648, max: 2147483647, oneOf: [1, 2, 3] })
const instanceNumber = integer('InstanceNumber', { min: 0, max: 4294967295, facet: (v) => v >= 1 })
const accessListEntry = str('AccessList', { maxLength: 64, pattern: () => /^Subscriber$/ })
const ANY_URI = { test: isAnyUri }
const uri1024 = str('URL', { maxLength: 1024, pattern: () => ANY_URI })

// ---------------------------------------------------------------------------------------------
// Structs

const deviceIdStruct = struct<S.DeviceIdStruct>('DeviceIdStruct', {
  manufacturer: scalar('Manufacturer', string(64)),
  oui: scalar('OUI', oui),
  productClass: scalar('ProductClass', string(64)),
  serialNumber: scalar('SerialNumber', string(64)),
})

const eventStruct = struct<S.EventStruct>('EventStruct', {
  eventCode: scalar('EventCode', eventCode),
  commandKey: scalar('CommandKey', key32),
})

const parameterInfoStruct = struct<S.ParameterInfoStruct>('ParameterInfoStruct', {
  name: scalar('Name', name(256)),
  writable: scalar('Writable', bool),
})

const accessList = array('AccessList', 'string', 'xsd:string', s(accessListEntry))

const setParameterAttributesStruct = struct<S.SetParameterAttributesStruct>('SetParameterAttributesStruct', {
  name: scalar('Name', name(256)),
  notificationChange: scalar('NotificationChange', bool),
  notification: scalar('Notification', notification),
  accessListChange: scalar('AccessListChange', bool),
  accessList,
})

/**
 * A SetParameterAttributesStruct. GenieACS sends `NotificationChange` false with an empty
 * `Notification` when it changes only the access list; TR-069 ignores Notification then, so that
 * struct is read with Notification 0 and a `NOTIFICATION_EMPTY` warning (an error in strict mode, where
 * the schema's int rules), instead of failing the whole request (D41).
 */
const setParameterAttributesItem: Item<S.SetParameterAttributesStruct> = {
  kind: 'custom',
  codec: {
    decode(el: XmlElement, ctx: DecodeContext): S.SetParameterAttributesStruct {
      if (el.attrs !== undefined) checkAttrs(el, 'none', ctx)
      let change: XmlElement | undefined
      let notif: XmlElement | undefined
      for (const c of el.children) {
        if (c.local === 'NotificationChange' && change === undefined) change = c
        else if (c.local === 'Notification' && notif === undefined) notif = c
      }
      const empty = notif !== undefined && notif.children.length === 0 && /^[ \t\r\n]*$/.test(notif.text)
      const off = change !== undefined && change.children.length === 0 && /^[ \t\r\n]*(0|false)[ \t\r\n]*$/.test(change.text)
      if (!empty || !off) return decodeStruct(setParameterAttributesStruct, el, ctx)
      const blank = notif as XmlElement
      ctx.warn('NOTIFICATION_EMPTY', 'an empty Notification with NotificationChange false is read as 0 (TR-069 ignores it then)', blank, 'Notification')
      const children = el.children.map((c) => (c === blank ? { ...blank, text: '0' } : c))
      return decodeStruct(setParameterAttributesStruct, { ...el, children }, ctx)
    },
    encode(value, elName, out, ctx): void {
      // The message of a struct item that is not an object, as for the other structs (was a TypeError).
      if (typeof value !== 'object' || value === null) ctx.fail('expected an object for SetParameterAttributesStruct')
      out.s += `<${elName}>`
      encodeFields(setParameterAttributesStruct.fields, value, out, ctx)
      out.s += `</${elName}>`
    },
    compile: (el) => compileStruct(setParameterAttributesStruct, el),
  },
}

const parameterAttributeStruct = struct<S.ParameterAttributeStruct>('ParameterAttributeStruct', {
  name: scalar('Name', name(256)),
  notification: scalar('Notification', notification),
  accessList,
})

const queuedTransferStruct = struct<S.QueuedTransferStruct>('QueuedTransferStruct', {
  commandKey: scalar('CommandKey', key32),
  state: scalar('State', transferState),
})

const allQueuedTransferStruct = struct<S.AllQueuedTransferStruct>('AllQueuedTransferStruct', {
  commandKey: scalar('CommandKey', key32),
  state: scalar('State', transferState),
  isDownload: scalar('IsDownload', bool),
  fileType: scalar('FileType', transferFileType),
  fileSize: scalar('FileSize', unsignedInt),
  targetFileName: scalar('TargetFileName', string(256)),
})

const transferCompleteFaultStruct = struct<S.TransferCompleteFaultStruct>('TransferCompleteFaultStruct', {
  faultCode: scalar('FaultCode', transferFaultCode),
  faultString: scalar('FaultString', string(256)),
})

const timeWindowStruct = struct<S.TimeWindowStruct>('TimeWindowStruct', {
  windowStart: scalar('WindowStart', unsignedInt),
  windowEnd: scalar('WindowEnd', unsignedInt),
  windowMode: scalar('WindowMode', windowMode),
  userMessage: scalar('UserMessage', string(256)),
  maxRetries: scalar('MaxRetries', int),
})

const argStruct = struct<S.ArgStruct>('ArgStruct', { name: scalar('Name', string(64)), value: scalar('Value', string(256)) })

const optionStruct = struct<S.OptionStruct>('OptionStruct', {
  optionName: scalar('OptionName', string(64)),
  voucherSn: scalar('VoucherSN', unsignedInt),
  state: scalar('State', integer('State', { min: 0, max: 4294967295, oneOf: [0, 1, 2, 3] })),
  mode: scalar('Mode', integer('Mode', { min: -2147483648, max: 2147483647, oneOf: [0, 1, 2] })),
  startDate: scalar('StartDate', dateTime),
  expirationDate: scalar('ExpirationDate', dateTime, { optional: true }),
  isTransferable: scalar('IsTransferable', integer('IsTransferable', { min: -2147483648, max: 2147483647, oneOf: [0, 1] })),
})

const deploymentUnitFaultStruct = struct<S.DeploymentUnitFaultStruct>('DeploymentUnitFaultStruct', {
  faultCode: scalar('FaultCode', duFaultCode),
  faultString: scalar('FaultString', string(), { optional: true }),
})

const opResultFields: Fields<S.OpResultStruct> = {
  uuid: scalar('UUID', uuid),
  deploymentUnitRef: scalar('DeploymentUnitRef', string()),
  version: scalar('Version', string(32)),
  currentState: scalar('CurrentState', enumeration('CurrentState', ['Installed', 'Uninstalled', 'Failed'])),
  resolved: scalar('Resolved', bool),
  executionUnitRefList: scalar('ExecutionUnitRefList', string()),
  startTime: scalar('StartTime', dateTime),
  completeTime: scalar('CompleteTime', dateTime),
  fault: field.struct('Fault', deploymentUnitFaultStruct),
}
const opResultStruct = struct<S.OpResultStruct>('OpResultStruct', opResultFields)
const autonOpResultStruct = struct<S.AutonOpResultStruct>('AutonOpResultStruct', {
  ...opResultFields,
  operationPerformed: scalar('OperationPerformed', string()),
})

const OPERATION_SPECS = {
  InstallOpStruct: struct<Omit<S.InstallOpStruct, 'type'>>('InstallOpStruct', {
    url: scalar('URL', uri1024),
    uuid: scalar('UUID', uuid, { optional: true }),
    username: scalar('Username', string(256), { optional: true }),
    password: scalar('Password', string(256), { optional: true }),
    executionEnvRef: scalar('ExecutionEnvRef', string(256), { optional: true }),
  }),
  UpdateOpStruct: struct<Omit<S.UpdateOpStruct, 'type'>>('UpdateOpStruct', {
    uuid: scalar('UUID', uuid, { optional: true }),
    version: scalar('Version', string(32), { optional: true }),
    url: scalar('URL', uri1024, { optional: true }),
    username: scalar('Username', string(256), { optional: true }),
    password: scalar('Password', string(256), { optional: true }),
  }),
  UninstallOpStruct: struct<Omit<S.UninstallOpStruct, 'type'>>('UninstallOpStruct', {
    uuid: scalar('UUID', uuid),
    version: scalar('Version', string(32), { optional: true }),
    executionEnvRef: scalar('ExecutionEnvRef', string(256), { optional: true }),
  }),
} as const

type OperationType = keyof typeof OPERATION_SPECS

function isOperationType(local: string): local is OperationType {
  return Object.hasOwn(OPERATION_SPECS, local)
}

// ---------------------------------------------------------------------------------------------
// Arrays shared by several methods

const parameterList = array('ParameterList', 'ParameterValueStruct', 'cwmp:ParameterValueStruct', PVS)
const parameterNames = array('ParameterNames', 'string', 'xsd:string', s(name(256)), { min: 1 })
const commandKey = scalar('CommandKey', key32)
const parameterKey = scalar('ParameterKey', key32)
const statusField = scalar('Status', status)
/** URL, Username, Password of a transfer (Download, ScheduleDownload, Upload). */
const fileServer = {
  url: scalar('URL', string(256)),
  username: scalar('Username', string(256)),
  password: scalar('Password', string(256)),
}
/** The fields Download and ScheduleDownload begin with. */
const downloadHead = {
  commandKey,
  fileType: scalar('FileType', downloadFileType),
  ...fileServer,
  fileSize: scalar('FileSize', unsignedInt),
  targetFileName: scalar('TargetFileName', string(256)),
}

// ---------------------------------------------------------------------------------------------
// ChangeDUState: operations are an abstract type selected by xsi:type. Real peers also send them
// nested as <Operations><InstallOpStruct>…</InstallOpStruct></Operations>; both are accepted.

function decodeOperation(type: OperationType, el: XmlElement, ctx: DecodeContext): OperationStruct {
  switch (type) {
    case 'InstallOpStruct':
      return { type, ...decodeStruct(OPERATION_SPECS.InstallOpStruct, el, ctx) }
    case 'UpdateOpStruct':
      return { type, ...decodeStruct(OPERATION_SPECS.UpdateOpStruct, el, ctx) }
    case 'UninstallOpStruct':
      return { type, ...decodeStruct(OPERATION_SPECS.UninstallOpStruct, el, ctx) }
  }
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
        for (const op of decodeOperations(c, ctx)) operations.push(op) // no push(...): any number of them
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
      encodeFields(OPERATION_SPECS[op.type].fields, op, out, ctx)
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
  GetRPCMethods: defineMethod<M.GetRPCMethods>('GetRPCMethods', '1.0', {}),
  GetRPCMethodsResponse: defineMethod<M.GetRPCMethodsResponse>('GetRPCMethodsResponse', '1.0', {
    methodList: array('MethodList', 'string', 'xsd:string', s(name(64)), { min: 1 }),
  }),
  SetParameterValues: defineMethod<M.SetParameterValues>('SetParameterValues', '1.0', {
    parameterList,
    parameterKey,
  }),
  SetParameterValuesResponse: defineMethod<M.SetParameterValuesResponse>('SetParameterValuesResponse', '1.0', {
    status: statusField,
  }),
  GetParameterValues: defineMethod<M.GetParameterValues>('GetParameterValues', '1.0', { parameterNames }),
  GetParameterValuesResponse: defineMethod<M.GetParameterValuesResponse>('GetParameterValuesResponse', '1.0', {
    parameterList,
  }),
  GetParameterNames: defineMethod<M.GetParameterNames>('GetParameterNames', '1.0', {
    parameterPath: scalar('ParameterPath', name(256)),
    nextLevel: scalar('NextLevel', bool),
  }),
  GetParameterNamesResponse: defineMethod<M.GetParameterNamesResponse>('GetParameterNamesResponse', '1.0', {
    parameterList: array('ParameterList', 'ParameterInfoStruct', 'cwmp:ParameterInfoStruct', st(parameterInfoStruct)),
  }),
  SetParameterAttributes: defineMethod<M.SetParameterAttributes>('SetParameterAttributes', '1.0', {
    parameterList: array(
      'ParameterList',
      'SetParameterAttributesStruct',
      'cwmp:SetParameterAttributesStruct',
      setParameterAttributesItem,
      { min: 1 },
    ),
  }),
  SetParameterAttributesResponse: defineMethod<M.SetParameterAttributesResponse>(
    'SetParameterAttributesResponse',
    '1.0',
    {},
  ),
  GetParameterAttributes: defineMethod<M.GetParameterAttributes>('GetParameterAttributes', '1.0', {
    parameterNames,
  }),
  GetParameterAttributesResponse: defineMethod<M.GetParameterAttributesResponse>(
    'GetParameterAttributesResponse',
    '1.0',
    {
      parameterList: array(
        'ParameterList',
        'ParameterAttributeStruct',
        'cwmp:ParameterAttributeStruct',
        st(parameterAttributeStruct),
      ),
    },
  ),
  AddObject: defineMethod<M.AddObject>('AddObject', '1.0', {
    objectName: scalar('ObjectName', objectName),
    parameterKey,
  }),
  AddObjectResponse: defineMethod<M.AddObjectResponse>('AddObjectResponse', '1.0', {
    instanceNumber: scalar('InstanceNumber', instanceNumber),
    status: statusField,
  }),
  DeleteObject: defineMethod<M.DeleteObject>('DeleteObject', '1.0', {
    objectName: scalar('ObjectName', objectName),
    parameterKey,
  }),
  DeleteObjectResponse: defineMethod<M.DeleteObjectResponse>('DeleteObjectResponse', '1.0', { status: statusField }),
  Download: defineMethod<M.Download>('Download', '1.0', {
    ...downloadHead,
    delaySeconds: scalar('DelaySeconds', unsignedInt),
    successUrl: scalar('SuccessURL', string(256)),
    failureUrl: scalar('FailureURL', string(256)),
  }),
  DownloadResponse: defineMethod<M.DownloadResponse>('DownloadResponse', '1.0', {
    status: statusField,
    startTime: scalar('StartTime', dateTime),
    completeTime: scalar('CompleteTime', dateTime),
  }),
  Reboot: defineMethod<M.Reboot>('Reboot', '1.0', { commandKey }),
  RebootResponse: defineMethod<M.RebootResponse>('RebootResponse', '1.0', {}),
  GetQueuedTransfers: defineMethod<M.GetQueuedTransfers>('GetQueuedTransfers', '1.0', {}),
  GetQueuedTransfersResponse: defineMethod<M.GetQueuedTransfersResponse>('GetQueuedTransfersResponse', '1.0', {
    transferList: array('TransferList', 'QueuedTransferStruct', 'cwmp:QueuedTransferStruct', st(queuedTransferStruct), {
      max: 16,
    }),
  }),
  ScheduleInform: defineMethod<M.ScheduleInform>('ScheduleInform', '1.0', {
    delaySeconds: scalar('DelaySeconds', unsignedInt),
    commandKey,
  }),
  ScheduleInformResponse: defineMethod<M.ScheduleInformResponse>('ScheduleInformResponse', '1.0', {}),
  SetVouchers: defineMethod<M.SetVouchers>('SetVouchers', '1.0', {
    voucherList: array('VoucherList', 'base64', 'soap-enc:base64', s(base64), { min: 1 }),
  }),
  SetVouchersResponse: defineMethod<M.SetVouchersResponse>('SetVouchersResponse', '1.0', {}),
  GetOptions: defineMethod<M.GetOptions>('GetOptions', '1.0', { optionName: scalar('OptionName', string(64)) }),
  GetOptionsResponse: defineMethod<M.GetOptionsResponse>('GetOptionsResponse', '1.0', {
    optionList: array('OptionList', 'OptionStruct', 'cwmp:OptionStruct', st(optionStruct)),
  }),
  Upload: defineMethod<M.Upload>('Upload', '1.0', {
    commandKey,
    fileType: scalar('FileType', uploadFileType),
    ...fileServer,
    delaySeconds: scalar('DelaySeconds', unsignedInt),
  }),
  UploadResponse: defineMethod<M.UploadResponse>('UploadResponse', '1.0', {
    status: statusField,
    startTime: scalar('StartTime', dateTime),
    completeTime: scalar('CompleteTime', dateTime),
  }),
  FactoryReset: defineMethod<M.FactoryReset>('FactoryReset', '1.0', {}),
  FactoryResetResponse: defineMethod<M.FactoryResetResponse>('FactoryResetResponse', '1.0', {}),
  GetAllQueuedTransfers: defineMethod<M.GetAllQueuedTransfers>('GetAllQueuedTransfers', '1.1', {}),
  GetAllQueuedTransfersResponse: defineMethod<M.GetAllQueuedTransfersResponse>(
    'GetAllQueuedTransfersResponse',
    '1.1',
    {
      transferList: array(
        'TransferList',
        'AllQueuedTransferStruct',
        'cwmp:AllQueuedTransferStruct',
        st(allQueuedTransferStruct),
        { max: 16 },
      ),
    },
  ),
  ScheduleDownload: defineMethod<M.ScheduleDownload>('ScheduleDownload', '1.2', {
    ...downloadHead,
    timeWindowList: array('TimeWindowList', 'TimeWindowStruct', 'cwmp:TimeWindowStruct', st(timeWindowStruct), {
      min: 1,
      max: 2,
    }),
  }),
  ScheduleDownloadResponse: defineMethod<M.ScheduleDownloadResponse>('ScheduleDownloadResponse', '1.2', {}),
  CancelTransfer: defineMethod<M.CancelTransfer>('CancelTransfer', '1.2', { commandKey }),
  CancelTransferResponse: defineMethod<M.CancelTransferResponse>('CancelTransferResponse', '1.2', {}),
  ChangeDUState: changeDUState,
  ChangeDUStateResponse: defineMethod<M.ChangeDUStateResponse>('ChangeDUStateResponse', '1.2', {}),
  Inform: defineMethod<M.Inform>('Inform', '1.0', {
    deviceId: field.struct('DeviceId', deviceIdStruct),
    event: array('Event', 'EventStruct', 'cwmp:EventStruct', st(eventStruct), { max: 64 }),
    maxEnvelopes: scalar('MaxEnvelopes', unsignedInt),
    currentTime: scalar('CurrentTime', dateTime),
    retryCount: scalar('RetryCount', unsignedInt),
    parameterList,
  }),
  InformResponse: defineMethod<M.InformResponse>('InformResponse', '1.0', {
    maxEnvelopes: scalar('MaxEnvelopes', unsignedInt),
  }),
  TransferComplete: defineMethod<M.TransferComplete>('TransferComplete', '1.0', {
    commandKey,
    faultStruct: field.struct('FaultStruct', transferCompleteFaultStruct),
    startTime: scalar('StartTime', dateTime),
    completeTime: scalar('CompleteTime', dateTime),
  }),
  TransferCompleteResponse: defineMethod<M.TransferCompleteResponse>('TransferCompleteResponse', '1.0', {}),
  AutonomousTransferComplete: defineMethod<M.AutonomousTransferComplete>('AutonomousTransferComplete', '1.1', {
    announceUrl: scalar('AnnounceURL', string(1024)),
    transferUrl: scalar('TransferURL', string(1024)),
    isDownload: scalar('IsDownload', bool),
    fileType: scalar('FileType', transferFileType),
    fileSize: scalar('FileSize', unsignedInt),
    targetFileName: scalar('TargetFileName', string(256)),
    faultStruct: field.struct('FaultStruct', transferCompleteFaultStruct),
    startTime: scalar('StartTime', dateTime),
    completeTime: scalar('CompleteTime', dateTime),
  }),
  AutonomousTransferCompleteResponse: defineMethod<M.AutonomousTransferCompleteResponse>(
    'AutonomousTransferCompleteResponse',
    '1.1',
    {},
  ),
  Kicked: defineMethod<M.Kicked>('Kicked', '1.0', {
    command: scalar('Command', string(32)),
    referer: scalar('Referer', string(64)),
    arg: scalar('Arg', string(256)),
    next: scalar('Next', string(1024)),
  }),
  KickedResponse: defineMethod<M.KickedResponse>('KickedResponse', '1.0', {
    nextUrl: scalar('NextURL', string(1024)),
  }),
  RequestDownload: defineMethod<M.RequestDownload>('RequestDownload', '1.0', {
    fileType: scalar('FileType', downloadFileType),
    fileTypeArg: array('FileTypeArg', 'ArgStruct', 'cwmp:ArgStruct', st(argStruct), { max: 16 }),
  }),
  RequestDownloadResponse: defineMethod<M.RequestDownloadResponse>('RequestDownloadResponse', '1.0', {}),
  DUStateChangeComplete: defineMethod<M.DUStateChangeComplete>('DUStateChangeComplete', '1.2', {
    results: repeat('Results', st(opResultStruct), { min: 1 }),
    commandKey: scalar('CommandKey', key32, { optional: true }),
  }),
  DUStateChangeCompleteResponse: defineMethod<M.DUStateChangeCompleteResponse>(
    'DUStateChangeCompleteResponse',
    '1.2',
    {},
  ),
  AutonomousDUStateChangeComplete: defineMethod<M.AutonomousDUStateChangeComplete>(
    'AutonomousDUStateChangeComplete',
    '1.2',
    { results: repeat('Results', st(autonOpResultStruct), { min: 1 }) },
  ),
  AutonomousDUStateChangeCompleteResponse: defineMethod<M.AutonomousDUStateChangeCompleteResponse>(
    'AutonomousDUStateChangeCompleteResponse',
    '1.2',
    {},
  ),
} as const satisfies { readonly [K in Exclude<M.CwmpMethod, 'Fault'>]: MethodCodec<M.MessageOf<K>> }
