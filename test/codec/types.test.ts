/**
 * Type-level tests of the message types. They are checked by `tsc --noEmit` (the repository's
 * typecheck); at run time `expectTypeOf` does nothing, so a few runtime checks keep the file honest.
 */
import { describe, expect, expectTypeOf, it } from 'vitest'
import {
  decodeEnvelope,
  encodeEnvelope,
  makeFault,
  type AcsMethodName,
  type AcsRequest,
  type AcsResponse,
  type ChangeDUState,
  type CpeMethodName,
  type CpeRequest,
  type CpeResponse,
  type CwmpMessage,
  type CwmpMethod,
  type DecodedEnvelope,
  type Download,
  type Envelope,
  type Fault,
  type GetRPCMethods,
  type GetRPCMethodsResponse,
  type Inform,
  type InformResponse,
  type MessageOf,
  type OperationStruct,
  type ParameterValueStruct,
  type Reboot,
  type RebootResponse,
  type RequestMessage,
  type ResponseMessage,
  type ResponseTo,
  type SetParameterValues,
  type TransferComplete,
  type TransferCompleteResponse,
  type VendorMessage,
} from '../../src/index.js'

describe('message types', () => {
  it('ResponseTo maps a request to its response', () => {
    expectTypeOf<ResponseTo<Reboot>>().toEqualTypeOf<RebootResponse>()
    expectTypeOf<ResponseTo<Inform>>().toEqualTypeOf<InformResponse>()
    expectTypeOf<ResponseTo<TransferComplete>>().toEqualTypeOf<TransferCompleteResponse>()
    expectTypeOf<ResponseTo<GetRPCMethods>>().toEqualTypeOf<GetRPCMethodsResponse>()
    expectTypeOf<ResponseTo<ChangeDUState>>().toEqualTypeOf<MessageOf<'ChangeDUStateResponse'>>()
    // A response has no response, and neither has a Fault.
    expectTypeOf<ResponseTo<RebootResponse>>().toBeNever()
    expectTypeOf<ResponseTo<Fault>>().toBeNever()
  })

  it('MessageOf names a message by its element', () => {
    expectTypeOf<MessageOf<'Reboot'>>().toEqualTypeOf<Reboot>()
    expectTypeOf<MessageOf<'Fault'>>().toEqualTypeOf<Fault>()
    expectTypeOf<MessageOf<'Download'>>().toEqualTypeOf<Download>()
    expectTypeOf<MessageOf<'Download'>['method']>().toEqualTypeOf<'Download'>()
    // @ts-expect-error not a CWMP element
    expectTypeOf<MessageOf<'Rebooot'>>().toBeNever()
  })

  it('has 55 body elements, discriminated by method', () => {
    // Every element name, and nothing else: the tuple's element type must be exactly the union.
    const names = [
      'GetRPCMethods', 'GetRPCMethodsResponse', 'SetParameterValues', 'SetParameterValuesResponse', 'GetParameterValues',
      'GetParameterValuesResponse', 'GetParameterNames', 'GetParameterNamesResponse', 'SetParameterAttributes',
      'SetParameterAttributesResponse', 'GetParameterAttributes', 'GetParameterAttributesResponse', 'AddObject',
      'AddObjectResponse', 'DeleteObject', 'DeleteObjectResponse', 'Download', 'DownloadResponse', 'Reboot', 'RebootResponse',
      'GetQueuedTransfers', 'GetQueuedTransfersResponse', 'ScheduleInform', 'ScheduleInformResponse', 'SetVouchers',
      'SetVouchersResponse', 'GetOptions', 'GetOptionsResponse', 'Upload', 'UploadResponse', 'FactoryReset',
      'FactoryResetResponse', 'GetAllQueuedTransfers', 'GetAllQueuedTransfersResponse', 'ScheduleDownload',
      'ScheduleDownloadResponse', 'CancelTransfer', 'CancelTransferResponse', 'ChangeDUState', 'ChangeDUStateResponse',
      'Inform', 'InformResponse', 'TransferComplete', 'TransferCompleteResponse', 'AutonomousTransferComplete',
      'AutonomousTransferCompleteResponse', 'Kicked', 'KickedResponse', 'RequestDownload', 'RequestDownloadResponse',
      'DUStateChangeComplete', 'DUStateChangeCompleteResponse', 'AutonomousDUStateChangeComplete',
      'AutonomousDUStateChangeCompleteResponse', 'Fault',
    ] as const satisfies readonly CwmpMethod[]
    expectTypeOf<(typeof names)[number]>().toEqualTypeOf<CwmpMethod>()
    expect(new Set(names).size).toBe(55)
  })

  it('names messages by sender', () => {
    // ACS → CPE requests and their CPE responses.
    expectTypeOf<Reboot>().toMatchTypeOf<AcsRequest>()
    expectTypeOf<Download>().toMatchTypeOf<AcsRequest>()
    expectTypeOf<RebootResponse>().toMatchTypeOf<CpeResponse>()
    expectTypeOf<AcsRequest['method']>().toEqualTypeOf<CpeMethodName>()
    // CPE → ACS requests and their ACS responses; GetRPCMethods goes both ways.
    expectTypeOf<Inform>().toMatchTypeOf<CpeRequest>()
    expectTypeOf<GetRPCMethods>().toMatchTypeOf<CpeRequest>()
    expectTypeOf<GetRPCMethods>().toMatchTypeOf<AcsRequest>()
    expectTypeOf<InformResponse>().toMatchTypeOf<AcsResponse>()
    expectTypeOf<CpeRequest['method']>().toEqualTypeOf<AcsMethodName>()
    // And not the other way round.
    expectTypeOf<Inform>().not.toMatchTypeOf<AcsRequest>()
    expectTypeOf<Reboot>().not.toMatchTypeOf<CpeRequest>()
    expectTypeOf<InformResponse>().not.toMatchTypeOf<CpeResponse>()
    expectTypeOf<Fault>().not.toMatchTypeOf<ResponseMessage>()
    expectTypeOf<Fault>().not.toMatchTypeOf<RequestMessage>()
    expectTypeOf<RequestMessage | ResponseMessage | Fault>().toEqualTypeOf<CwmpMessage>()
  })

  it('narrows on method and keeps struct fields typed', () => {
    const decoded = decodeEnvelope(
      encodeEnvelope({ version: '1.2', header: { id: 'x' }, body: { method: 'Reboot', commandKey: 'k' } }),
    )
    expectTypeOf(decoded).toEqualTypeOf<DecodedEnvelope>()
    const body = decoded.body
    if (body.method === 'Reboot') {
      expectTypeOf(body).toEqualTypeOf<Reboot>()
      expect(body.commandKey).toBe('k')
    } else {
      expect.unreachable()
    }
    expectTypeOf<SetParameterValues['parameterList'][number]>().toEqualTypeOf<ParameterValueStruct>()
    expectTypeOf<OperationStruct['type']>().toEqualTypeOf<'InstallOpStruct' | 'UpdateOpStruct' | 'UninstallOpStruct'>()
    expectTypeOf<VendorMessage['method']>().toEqualTypeOf<`X_${string}`>()
  })

  it('rejects malformed messages at compile time', () => {
    const ok: Envelope = { version: '1.4', header: {}, body: makeFault('cpe', 'InvalidParameterName') }
    expect(ok.body.method).toBe('Fault')
    // @ts-expect-error Reboot has no parameterList
    const extra: Reboot = { method: 'Reboot', commandKey: '', parameterList: [] }
    // @ts-expect-error commandKey is required
    const missing: Reboot = { method: 'Reboot' }
    // @ts-expect-error not a version
    const version: Envelope = { version: '2.0', header: {}, body: { method: 'FactoryReset' } }
    // @ts-expect-error exactOptionalPropertyTypes: an optional field is omitted, never undefined
    const undef: ChangeDUState = { method: 'ChangeDUState', operations: [], commandKey: undefined }
    expect(() =>
      // @ts-expect-error an ACS fault name is not a CPE fault name
      makeFault('cpe', 'RetryRequest'),
    ).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'name' }))
    expect([extra, missing, version, undef].length).toBe(4)
  })
})

describe('makeFault with a name the catalogue lacks', () => {
  it('is a ConfigError naming `name` (or `role`), never a TypeError', () => {
    expect(() => makeFault('cpe', 'NoSuchFault' as 'InternalError')).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'name' }))
    expect(() => makeFault('acs', 'InvalidParameterName' as 'RetryRequest')).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'name' }))
    expect(() => makeFault('both' as 'acs', 'RetryRequest')).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'role' }))
    expect(makeFault('acs', 'RetryRequest').faultCode).toBe(8005)
  })
})
