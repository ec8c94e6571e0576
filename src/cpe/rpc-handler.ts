/**
 * The CPE side of every ACS request: a function from a decoded request to the response or `Fault`
 * to send back, built from a {@link DataModel} and optional hooks. No I/O, no session state: the
 * CPE session calls it once per request.
 *
 * @module
 */
import { ConfigError, isCwmpError } from '../errors.js'
import { createFault, makeFault, toFault } from '../faults.js'
import type {
  AcsRequest,
  ApplyStatus,
  CancelTransfer,
  ChangeDUState,
  CpeMethodName,
  CpeResponse,
  Download,
  Fault,
  Reboot,
  ScheduleDownload,
  ScheduleInform,
  Upload,
  VendorMessage,
} from '../types/messages.js'
import type { AllQueuedTransferStruct, DateTimeString, OptionStruct, QueuedTransferStruct } from '../types/structs.js'
import { isDateTime } from '../values/lexical.js'
import { CPE_METHODS } from '../types/catalogue.js'
import { UNKNOWN_TIME, formatDateTime } from '../values/convert.js'
import { isDataModelFault, type DataModel, type MaybePromise } from './data-model.js'

/**
 * What a Download or Upload hook reports.
 *
 * @category CPE client
 */
export interface TransferResult {
  /**
   * 0: the transfer completed (and, for a download, was applied) before the response; 1: it has not
   * completed yet, and the CPE sends TransferComplete later (in this session or another).
   */
  readonly status: ApplyStatus
  /** When the transfer started (status 0 only; default: the handler's clock). Ignored for status 1. */
  readonly startTime?: DateTimeString | Date
  /** When the transfer completed (status 0 only; default: the handler's clock). Ignored for status 1. */
  readonly completeTime?: DateTimeString | Date
}

/**
 * Hooks for the CPE methods that act on the device rather than on the data model. Each hook is
 * called while the session is in progress, with the request; it accepts the request by returning
 * (or resolving) and refuses it by throwing a {@link DataModelFault} (e.g. 9001 Request denied,
 * 9010–9019 transfer failures, 9021 cancel not permitted). A method whose hook is absent is
 * answered 9000 Method not supported and left out of GetRPCMethods.
 *
 * Hooks must not do anything that ends the session: Reboot and FactoryReset are carried out after
 * the session ends, by whoever drives it (see {@link followUpOf}).
 *
 * @category CPE client
 */
export interface CpeHooks {
  /**
   * Reboot: accept a reboot, to happen after the session. The Inform after it carries `1 BOOT` and
   * `M Reboot` with this CommandKey.
   *
   * @param commandKey - the request's CommandKey
   * @param request - the whole request
   */
  reboot?(commandKey: string, request: Reboot): MaybePromise<void>
  /** FactoryReset: accept a reset to factory defaults, to happen after the session (then `0 BOOTSTRAP`). */
  factoryReset?(): MaybePromise<void>
  /**
   * Download: start (or do) a download.
   *
   * @param request - URL, credentials, file type, size, target name, delay, CommandKey
   * @returns status 0 when done and applied, 1 when TransferComplete follows later
   */
  download?(request: Download): MaybePromise<TransferResult>
  /**
   * Upload: start (or do) an upload.
   *
   * @param request - URL, credentials, file type, delay, CommandKey
   * @returns status 0 when done, 1 when TransferComplete follows later
   */
  upload?(request: Upload): MaybePromise<TransferResult>
  /**
   * ScheduleInform: arrange an Inform with `3 SCHEDULED` and `M ScheduleInform` after `delaySeconds`.
   *
   * @param delaySeconds - seconds from now
   * @param commandKey - the request's CommandKey
   * @param request - the whole request
   */
  scheduleInform?(delaySeconds: number, commandKey: string, request: ScheduleInform): MaybePromise<void>
  /**
   * ScheduleDownload (CWMP 1.2+): queue a download within the time windows; TransferComplete follows.
   *
   * @param request - the whole request
   */
  scheduleDownload?(request: ScheduleDownload): MaybePromise<void>
  /**
   * CancelTransfer (CWMP 1.2+): cancel a queued transfer.
   *
   * @param commandKey - the CommandKey of the transfer
   * @param request - the whole request
   */
  cancelTransfer?(commandKey: string, request: CancelTransfer): MaybePromise<void>
  /**
   * ChangeDUState (CWMP 1.2+): accept deployment-unit operations; DUStateChangeComplete follows.
   *
   * @param request - the operations and CommandKey
   */
  changeDuState?(request: ChangeDUState): MaybePromise<void>
  /** GetQueuedTransfers (deprecated): the transfers this ACS requested (at most 16). */
  getQueuedTransfers?(): MaybePromise<readonly QueuedTransferStruct[]>
  /** GetAllQueuedTransfers (CWMP 1.1+): every queued transfer (at most 16). */
  getAllQueuedTransfers?(): MaybePromise<readonly AllQueuedTransferStruct[]>
  /**
   * SetVouchers (deprecated): install option vouchers.
   *
   * @param voucherList - the vouchers, base64
   */
  setVouchers?(voucherList: readonly string[]): MaybePromise<void>
  /**
   * GetOptions (deprecated): the installed options.
   *
   * @param optionName - an option name, or empty for all
   */
  getOptions?(optionName: string): MaybePromise<readonly OptionStruct[]>
}

/**
 * What the CPE must do after a request was answered successfully, for its event bookkeeping
 * (TR-069 Table 8). `undefined` from {@link followUpOf} means nothing.
 *
 * @category CPE client
 */
export type CpeFollowUp =
  /** Reboot after the session; the next Inform carries `1 BOOT` and `M Reboot` with `commandKey`. */
  | {
      /** Discriminant. */
      readonly kind: 'reboot'
      /** The Reboot's CommandKey. */
      readonly commandKey: string
    }
  /** Factory reset after the session; the next Inform carries `0 BOOTSTRAP` (and `1 BOOT`). */
  | {
      /** Discriminant. */
      readonly kind: 'factory-reset'
    }
  /** Inform after `delaySeconds` with `3 SCHEDULED` and `M ScheduleInform` with `commandKey`. */
  | {
      /** Discriminant. */
      readonly kind: 'schedule-inform'
      /** The ScheduleInform's DelaySeconds. */
      readonly delaySeconds: number
      /** The ScheduleInform's CommandKey. */
      readonly commandKey: string
    }
  /**
   * A transfer answered with status 1 (or a ScheduleDownload): TransferComplete is owed, with
   * `7 TRANSFER COMPLETE` and the method event (`M Download`, `M Upload`, `M ScheduleDownload`).
   */
  | {
      /** Discriminant. */
      readonly kind: 'transfer-pending'
      /** The method event that goes with `7 TRANSFER COMPLETE`. */
      readonly eventCode: 'M Download' | 'M Upload' | 'M ScheduleDownload'
      /** The transfer's CommandKey, echoed in the event and in TransferComplete. */
      readonly commandKey: string
    }
  /** ChangeDUState accepted: DUStateChangeComplete is owed, with `11 DU STATE CHANGE COMPLETE` and `M ChangeDUState`. */
  | {
      /** Discriminant. */
      readonly kind: 'du-state-change-pending'
      /** The ChangeDUState's CommandKey, echoed in the event and in DUStateChangeComplete. */
      readonly commandKey: string
    }

/**
 * The follow-up a successful answer implies: Reboot, FactoryReset, ScheduleInform, a Download or
 * Upload with status 1, ScheduleDownload and ChangeDUState. A pure function of the pair.
 *
 * @param request - the ACS's request
 * @param response - what was answered; a `Fault` implies nothing
 * @category CPE client
 */
export function followUpOf(request: AcsRequest, response: CpeResponse | Fault): CpeFollowUp | undefined {
  if (response.method === 'Fault' || response.method !== `${request.method}Response`) return undefined
  switch (request.method) {
    case 'Reboot':
      return { kind: 'reboot', commandKey: request.commandKey }
    case 'FactoryReset':
      return { kind: 'factory-reset' }
    case 'ScheduleInform':
      return { kind: 'schedule-inform', delaySeconds: request.delaySeconds, commandKey: request.commandKey }
    case 'Download':
    case 'Upload':
      if ((response as { readonly status?: unknown }).status !== 1) return undefined
      return {
        kind: 'transfer-pending',
        eventCode: request.method === 'Download' ? 'M Download' : 'M Upload',
        commandKey: request.commandKey,
      }
    case 'ScheduleDownload':
      return { kind: 'transfer-pending', eventCode: 'M ScheduleDownload', commandKey: request.commandKey }
    case 'ChangeDUState':
      return { kind: 'du-state-change-pending', commandKey: request.commandKey ?? '' }
    default:
      return undefined
  }
}

/**
 * Options of {@link createCpeRpcHandler}.
 *
 * @category CPE client
 */
export interface CpeRpcHandlerOptions {
  /** Answers the seven parameter methods; without it they are answered 9000 Method not supported. */
  readonly model?: DataModel
  /** Device actions; each absent hook makes its method unsupported (9000). */
  readonly hooks?: CpeHooks
  /**
   * Restrict the supported methods (e.g. to what a CWMP 1.0 device offers). Methods outside the
   * list are answered 9000 and left out of GetRPCMethods; GetRPCMethods itself is always supported.
   */
  readonly methods?: readonly CpeMethodName[]
  /** The clock for Download/Upload times a hook leaves out; default `() => new Date()`. */
  readonly now?: () => Date
  /**
   * Called with every error that was not a {@link DataModelFault} (answered 9002 Internal error, or
   * the fault of a library error), for logging: the ACS never sees its message.
   */
  readonly onError?: (error: unknown, request: AcsRequest | VendorMessage) => void
  /** Called after each successful answer that implies a follow-up (see {@link followUpOf}). */
  readonly onFollowUp?: (followUp: CpeFollowUp, request: AcsRequest) => void
}

/**
 * Answers one ACS request: never rejects, every failure becomes a `Fault`.
 *
 * @category CPE client
 */
export type CpeRpcHandler = (request: AcsRequest | VendorMessage) => Promise<CpeResponse | Fault>

/** The 20 CPE methods in the order GetRPCMethods lists them. */
const METHOD_ORDER: readonly CpeMethodName[] = CPE_METHODS

const MODEL_METHODS: ReadonlySet<CpeMethodName> = new Set([
  'SetParameterValues',
  'GetParameterValues',
  'GetParameterNames',
  'SetParameterAttributes',
  'GetParameterAttributes',
  'AddObject',
  'DeleteObject',
])

const HOOK_OF: { readonly [M in CpeMethodName]?: keyof CpeHooks } = {
  Reboot: 'reboot',
  FactoryReset: 'factoryReset',
  Download: 'download',
  Upload: 'upload',
  ScheduleInform: 'scheduleInform',
  ScheduleDownload: 'scheduleDownload',
  CancelTransfer: 'cancelTransfer',
  ChangeDUState: 'changeDuState',
  GetQueuedTransfers: 'getQueuedTransfers',
  GetAllQueuedTransfers: 'getAllQueuedTransfers',
  SetVouchers: 'setVouchers',
  GetOptions: 'getOptions',
}

/** A hook or model gave something the response cannot carry: a bug on the CPE side, answered 9002. */
class BadHookResult extends Error {
  override name = 'BadHookResult'
}

function time(value: DateTimeString | Date | undefined, now: () => Date, what: string): DateTimeString {
  if (value === undefined) return formatDateTime(now())
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new BadHookResult(`${what} is an invalid Date`)
    return formatDateTime(value)
  }
  if (typeof value !== 'string' || !isDateTime(value)) throw new BadHookResult(`${what} is not an xs:dateTime`)
  return value
}

function transferTimes(result: TransferResult, now: () => Date): { status: ApplyStatus; startTime: string; completeTime: string } {
  if (typeof result !== 'object' || result === null || (result.status !== 0 && result.status !== 1)) {
    throw new BadHookResult('a transfer hook must return { status: 0 | 1 }')
  }
  if (result.status === 1) return { status: 1, startTime: UNKNOWN_TIME, completeTime: UNKNOWN_TIME }
  return {
    status: 0,
    startTime: time(result.startTime, now, 'startTime'),
    completeTime: time(result.completeTime, now, 'completeTime'),
  }
}

function applyStatus(value: unknown, what: string): ApplyStatus {
  if (value !== 0 && value !== 1) throw new BadHookResult(`${what} must be 0 or 1`)
  return value
}

function list<T>(value: readonly T[] | undefined, what: string): readonly T[] {
  if (!Array.isArray(value)) throw new BadHookResult(`${what} must be an array`)
  return value
}

/**
 * Build the CPE's answer to every ACS request (all 20 CPE methods of TR-069 Annex A.3.2 and A.4.1).
 *
 * - GetRPCMethods lists the methods actually supported: GetRPCMethods, the seven parameter methods
 *   when a model is given, each method whose hook is given, all within `methods` when set.
 * - Parameter methods go to the model; the rest to their hooks. An unsupported or unknown method
 *   (vendor methods included) is answered 9000 Method not supported.
 * - A {@link DataModelFault} thrown by the model or a hook becomes its fault (with the
 *   `SetParameterValuesFault` entries for SetParameterValues only); a library error becomes the
 *   fault of its kind; anything else becomes 9002 Internal error without its message. Every fault
 *   is built by {@link createFault}, so the SOAP `faultcode` (Client or Server) follows TR-069
 *   Table 87.
 * - Download and Upload answered with status 1 carry the Unknown Time as StartTime and CompleteTime.
 *
 * @param options - model, hooks, method restriction, clock and callbacks
 *
 * @throws {@link ConfigError} naming `options` when it is not an object, or `model` when it is not a
 * DataModel
 *
 * @example
 * ```ts
 * const handle = createCpeRpcHandler({
 *   model: createSampleDeviceModel({ serialNumber: 'SN1' }),
 *   hooks: { reboot: () => {}, download: () => ({ status: 1 }) },
 *   onFollowUp: (f) => agent.note(f),
 * })
 * const answer = await handle({ method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.'] })
 * ```
 *
 * @category CPE client
 */
export function createCpeRpcHandler(options: CpeRpcHandlerOptions = {}): CpeRpcHandler {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  const m = options.model
  if (m !== undefined && (typeof m !== 'object' || m === null || typeof m.getParameterValues !== 'function')) {
    throw new ConfigError('model', 'a DataModel (an object with getParameterValues and the other methods)', m)
  }
  const { model, hooks = {}, now = () => new Date(), onError, onFollowUp } = options
  const allowed = options.methods === undefined ? undefined : new Set<CpeMethodName>(options.methods)
  const supported = new Set<string>(
    METHOD_ORDER.filter((m) => {
      if (m === 'GetRPCMethods') return true
      if (allowed !== undefined && !allowed.has(m)) return false
      if (MODEL_METHODS.has(m)) return model !== undefined
      const hook = HOOK_OF[m]
      return hook !== undefined && typeof hooks[hook] === 'function'
    }),
  )
  const methodList = METHOD_ORDER.filter((m) => supported.has(m))

  function report(error: unknown, request: AcsRequest | VendorMessage): void {
    try {
      onError?.(error, request)
    } catch {
      // A failing logger must not turn an answer into a rejection.
    }
  }

  async function answer(request: AcsRequest): Promise<CpeResponse> {
    const m = model as DataModel
    switch (request.method) {
      case 'GetRPCMethods':
        return { method: 'GetRPCMethodsResponse', methodList: [...methodList] }
      case 'GetParameterValues': {
        const parameterList = list(await m.getParameterValues(request.parameterNames), 'getParameterValues()')
        return { method: 'GetParameterValuesResponse', parameterList: [...parameterList] }
      }
      case 'SetParameterValues': {
        const status = applyStatus(await m.setParameterValues(request.parameterList, request.parameterKey), 'setParameterValues()')
        return { method: 'SetParameterValuesResponse', status }
      }
      case 'GetParameterNames': {
        const parameterList = list(await m.getParameterNames(request.parameterPath, request.nextLevel), 'getParameterNames()')
        return { method: 'GetParameterNamesResponse', parameterList: [...parameterList] }
      }
      case 'GetParameterAttributes': {
        const parameterList = list(await m.getParameterAttributes(request.parameterNames), 'getParameterAttributes()')
        return { method: 'GetParameterAttributesResponse', parameterList: [...parameterList] }
      }
      case 'SetParameterAttributes':
        await m.setParameterAttributes(request.parameterList)
        return { method: 'SetParameterAttributesResponse' }
      case 'AddObject': {
        const result = await m.addObject(request.objectName, request.parameterKey)
        const n = (result as { readonly instanceNumber?: unknown } | undefined)?.instanceNumber
        if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 0xffffffff) {
          throw new BadHookResult('addObject() must return an instanceNumber of at least 1')
        }
        return { method: 'AddObjectResponse', instanceNumber: n, status: applyStatus(result.status, 'addObject() status') }
      }
      case 'DeleteObject': {
        const status = applyStatus(await m.deleteObject(request.objectName, request.parameterKey), 'deleteObject()')
        return { method: 'DeleteObjectResponse', status }
      }
      case 'Reboot':
        await hooks.reboot?.(request.commandKey, request)
        return { method: 'RebootResponse' }
      case 'FactoryReset':
        await hooks.factoryReset?.()
        return { method: 'FactoryResetResponse' }
      case 'Download': {
        const result = (await hooks.download?.(request)) as TransferResult
        return { method: 'DownloadResponse', ...transferTimes(result, now) }
      }
      case 'Upload': {
        const result = (await hooks.upload?.(request)) as TransferResult
        return { method: 'UploadResponse', ...transferTimes(result, now) }
      }
      case 'ScheduleInform':
        await hooks.scheduleInform?.(request.delaySeconds, request.commandKey, request)
        return { method: 'ScheduleInformResponse' }
      case 'ScheduleDownload':
        await hooks.scheduleDownload?.(request)
        return { method: 'ScheduleDownloadResponse' }
      case 'CancelTransfer':
        await hooks.cancelTransfer?.(request.commandKey, request)
        return { method: 'CancelTransferResponse' }
      case 'ChangeDUState':
        await hooks.changeDuState?.(request)
        return { method: 'ChangeDUStateResponse' }
      case 'GetQueuedTransfers': {
        const transferList = list(await hooks.getQueuedTransfers?.(), 'getQueuedTransfers()')
        return { method: 'GetQueuedTransfersResponse', transferList: [...transferList] }
      }
      case 'GetAllQueuedTransfers': {
        const transferList = list(await hooks.getAllQueuedTransfers?.(), 'getAllQueuedTransfers()')
        return { method: 'GetAllQueuedTransfersResponse', transferList: [...transferList] }
      }
      case 'SetVouchers':
        await hooks.setVouchers?.(request.voucherList)
        return { method: 'SetVouchersResponse' }
      case 'GetOptions': {
        const optionList = list(await hooks.getOptions?.(request.optionName), 'getOptions()')
        return { method: 'GetOptionsResponse', optionList: [...optionList] }
      }
    }
  }

  return async (request) => {
    const method = typeof request === 'object' && request !== null ? request.method : undefined
    if (typeof method !== 'string' || !supported.has(method)) return makeFault('cpe', 'MethodNotSupported')
    const acsRequest = request as AcsRequest
    let response: CpeResponse
    try {
      response = await answer(acsRequest)
    } catch (error) {
      if (isDataModelFault(error)) {
        const spv = method === 'SetParameterValues' ? error.parameterFaults : undefined
        return createFault(error.faultCode, error.message, spv)
      }
      report(error, request)
      return isCwmpError(error) ? toFault(error, 'cpe') : makeFault('cpe', 'InternalError')
    }
    if (onFollowUp !== undefined) {
      const followUp = followUpOf(acsRequest, response)
      try {
        if (followUp !== undefined) onFollowUp(followUp, acsRequest)
      } catch (error) {
        report(error, request)
      }
    }
    return response
  }
}
