import fc from 'fast-check'
import { describe, expect, it, vi } from 'vitest'
import {
  createCpeRpcHandler,
  createSampleDeviceModel,
  DataModelFault,
  DecodeError,
  decodeEnvelope,
  encodeEnvelope,
  EncodeError,
  followUpOf,
  UNKNOWN_TIME,
  type AcsRequest,
  type CpeFollowUp,
  type CpeHooks,
  type CpeMethodName,
  type CpeResponse,
  type DataModel,
  type Fault,
  type MessageOf,
} from '../../src/index.js'
import { testModel } from './helpers.js'

const NOW = new Date(Date.UTC(2026, 10, 25, 6, 0, 0))

/** One well-formed request per CPE method. */
const REQUESTS: { readonly [M in CpeMethodName]: MessageOf<M> } = {
  GetRPCMethods: { method: 'GetRPCMethods' },
  SetParameterValues: {
    method: 'SetParameterValues',
    parameterList: [{ name: 'Device.Test.UInt', value: '42', type: 'xsd:unsignedInt' }],
    parameterKey: 'spv-1',
  },
  GetParameterValues: { method: 'GetParameterValues', parameterNames: ['Device.Test.', 'Device.DeviceInfo.SerialNumber'] },
  GetParameterNames: { method: 'GetParameterNames', parameterPath: '', nextLevel: false },
  SetParameterAttributes: {
    method: 'SetParameterAttributes',
    parameterList: [{ name: 'Device.Test.Int', notificationChange: true, notification: 1, accessListChange: false, accessList: [] }],
  },
  GetParameterAttributes: { method: 'GetParameterAttributes', parameterNames: ['Device.Test.'] },
  AddObject: { method: 'AddObject', objectName: 'Device.Table.Row.', parameterKey: 'add-1' },
  DeleteObject: { method: 'DeleteObject', objectName: 'Device.Table.Row.1.', parameterKey: 'del-1' },
  Download: {
    method: 'Download',
    commandKey: 'dl-1',
    fileType: '1 Firmware Upgrade Image',
    url: 'http://192.0.2.9/fw.bin',
    username: '',
    password: '',
    fileSize: 1024,
    targetFileName: 'fw.bin',
    delaySeconds: 0,
    successUrl: '',
    failureUrl: '',
  },
  Reboot: { method: 'Reboot', commandKey: 'reboot-1' },
  GetQueuedTransfers: { method: 'GetQueuedTransfers' },
  ScheduleInform: { method: 'ScheduleInform', delaySeconds: 30, commandKey: 'si-1' },
  SetVouchers: { method: 'SetVouchers', voucherList: ['AAEC'] },
  GetOptions: { method: 'GetOptions', optionName: '' },
  Upload: {
    method: 'Upload',
    commandKey: 'up-1',
    fileType: '2 Vendor Log File',
    url: 'http://192.0.2.9/upload',
    username: 'u',
    password: 'p',
    delaySeconds: 5,
  },
  FactoryReset: { method: 'FactoryReset' },
  GetAllQueuedTransfers: { method: 'GetAllQueuedTransfers' },
  ScheduleDownload: {
    method: 'ScheduleDownload',
    commandKey: 'sd-1',
    fileType: '1 Firmware Upgrade Image',
    url: 'http://192.0.2.9/fw.bin',
    username: '',
    password: '',
    fileSize: 0,
    targetFileName: '',
    timeWindowList: [{ windowStart: 0, windowEnd: 3600, windowMode: '1 At Any Time', userMessage: '', maxRetries: -1 }],
  },
  CancelTransfer: { method: 'CancelTransfer', commandKey: 'dl-1' },
  ChangeDUState: {
    method: 'ChangeDUState',
    operations: [{ type: 'InstallOpStruct', url: 'http://192.0.2.9/du.ipk' }],
    commandKey: 'du-1',
  },
}

const ALL_METHODS = Object.keys(REQUESTS) as CpeMethodName[]

/** Hooks for every method, recording their calls. */
function recordingHooks() {
  const calls: unknown[][] = []
  const record =
    <R>(name: string, result: R) =>
    (...args: unknown[]): R => {
      calls.push([name, ...args])
      return result
    }
  const hooks: Required<CpeHooks> = {
    reboot: record('reboot', undefined),
    factoryReset: record('factoryReset', undefined),
    download: record('download', { status: 1 as const }),
    upload: record('upload', { status: 0 as const, startTime: '2026-11-25T05:59:00Z', completeTime: new Date(NOW) }),
    scheduleInform: record('scheduleInform', undefined),
    scheduleDownload: record('scheduleDownload', undefined),
    cancelTransfer: record('cancelTransfer', undefined),
    changeDuState: record('changeDuState', undefined),
    getQueuedTransfers: record('getQueuedTransfers', [{ commandKey: 'dl-1', state: 2 as const }]),
    getAllQueuedTransfers: record('getAllQueuedTransfers', [
      { commandKey: 'dl-1', state: 1 as const, isDownload: true, fileType: '1 Firmware Upgrade Image', fileSize: 0, targetFileName: '' },
    ]),
    setVouchers: record('setVouchers', undefined),
    getOptions: record('getOptions', [
      { optionName: 'Opt', voucherSn: 1, state: 1 as const, mode: 2 as const, startDate: '2026-01-01T00:00:00Z', isTransferable: 0 as const },
    ]),
  }
  return { hooks, calls }
}

function fullHandler(extra: Partial<Parameters<typeof createCpeRpcHandler>[0]> = {}) {
  const model = testModel()
  const { hooks, calls } = recordingHooks()
  const followUps: CpeFollowUp[] = []
  const errors: unknown[] = []
  const handle = createCpeRpcHandler({
    model,
    hooks,
    now: () => NOW,
    onFollowUp: (f) => followUps.push(f),
    onError: (e) => errors.push(e),
    ...extra,
  })
  return { handle, model, calls, followUps, errors }
}

const asFault = (r: CpeResponse | Fault): Fault => {
  expect(r.method).toBe('Fault')
  return r as Fault
}

describe('createCpeRpcHandler: every method', () => {
  it('GetRPCMethods lists all 20 methods when a model and every hook are given', async () => {
    const { handle } = fullHandler()
    expect(await handle(REQUESTS.GetRPCMethods)).toEqual({ method: 'GetRPCMethodsResponse', methodList: [
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
    ] })
  })

  it.each([
    ['nothing', {}, ['GetRPCMethods']],
    ['a model only', { model: testModel() }, ['GetRPCMethods', 'SetParameterValues', 'GetParameterValues', 'GetParameterNames', 'SetParameterAttributes', 'GetParameterAttributes', 'AddObject', 'DeleteObject']],
    ['two hooks', { hooks: { reboot: () => {}, factoryReset: () => {} } }, ['GetRPCMethods', 'Reboot', 'FactoryReset']],
    ['a method restriction', { model: testModel(), hooks: { reboot: () => {} }, methods: ['GetParameterValues', 'Reboot', 'Download'] as CpeMethodName[] }, ['GetRPCMethods', 'GetParameterValues', 'Reboot']],
  ])('GetRPCMethods with %s lists only what is supported, and everything else is 9000', async (_, options, expected) => {
    const handle = createCpeRpcHandler(options)
    const r = await handle(REQUESTS.GetRPCMethods)
    expect(r).toEqual({ method: 'GetRPCMethodsResponse', methodList: expected })
    for (const m of ALL_METHODS) {
      const answer = await handle(REQUESTS[m])
      if (expected.includes(m)) expect(answer.method).toBe(`${m}Response`)
      else expect(answer).toMatchObject({ method: 'Fault', faultCode: 9000, soapFaultCode: 'Server' })
    }
  })

  it('GetParameterValues, GetParameterNames and GetParameterAttributes answer from the model', async () => {
    const { handle, model } = fullHandler()
    expect(await handle(REQUESTS.GetParameterValues)).toEqual({
      method: 'GetParameterValuesResponse',
      parameterList: model.getParameterValues(['Device.Test.', 'Device.DeviceInfo.SerialNumber']),
    })
    expect(await handle(REQUESTS.GetParameterNames)).toEqual({
      method: 'GetParameterNamesResponse',
      parameterList: model.getParameterNames('', false),
    })
    expect(await handle(REQUESTS.GetParameterAttributes)).toEqual({
      method: 'GetParameterAttributesResponse',
      parameterList: model.getParameterAttributes(['Device.Test.']),
    })
  })

  it('SetParameterValues, SetParameterAttributes, AddObject and DeleteObject change the model', async () => {
    const { handle, model } = fullHandler()
    expect(await handle(REQUESTS.SetParameterValues)).toEqual({ method: 'SetParameterValuesResponse', status: 0 })
    expect(model.get('Device.Test.UInt')).toBe('42')
    expect(model.parameterKey).toBe('spv-1')
    expect(await handle(REQUESTS.SetParameterAttributes)).toEqual({ method: 'SetParameterAttributesResponse' })
    expect(model.getParameterAttributes(['Device.Test.Int'])[0]?.notification).toBe(1)
    expect(await handle(REQUESTS.AddObject)).toEqual({ method: 'AddObjectResponse', instanceNumber: 2, status: 0 })
    expect(await handle(REQUESTS.DeleteObject)).toEqual({ method: 'DeleteObjectResponse', status: 0 })
    expect(model.has('Device.Table.Row.1.')).toBe(false)
    expect(model.parameterKey).toBe('del-1')
  })

  it('works with an asynchronous data model', async () => {
    const m = testModel()
    const asyncModel: DataModel = {
      getParameterValues: async (n) => m.getParameterValues(n),
      setParameterValues: async (l, k) => m.setParameterValues(l, k),
      getParameterNames: async (p, n) => m.getParameterNames(p, n),
      getParameterAttributes: async (n) => m.getParameterAttributes(n),
      setParameterAttributes: async (l) => m.setParameterAttributes(l),
      addObject: async (o, k) => m.addObject(o, k),
      deleteObject: async (o, k) => m.deleteObject(o, k),
    }
    const handle = createCpeRpcHandler({ model: asyncModel })
    expect(await handle(REQUESTS.AddObject)).toEqual({ method: 'AddObjectResponse', instanceNumber: 2, status: 0 })
    expect(asFault(await handle({ method: 'GetParameterValues', parameterNames: ['Nope.'] })).faultCode).toBe(9005)
  })

  it('the hook methods call their hook with the request and answer its result', async () => {
    const { handle, calls } = fullHandler()
    expect(await handle(REQUESTS.Reboot)).toEqual({ method: 'RebootResponse' })
    expect(await handle(REQUESTS.FactoryReset)).toEqual({ method: 'FactoryResetResponse' })
    expect(await handle(REQUESTS.Download)).toEqual({
      method: 'DownloadResponse',
      status: 1,
      startTime: UNKNOWN_TIME,
      completeTime: UNKNOWN_TIME,
    })
    expect(await handle(REQUESTS.Upload)).toEqual({
      method: 'UploadResponse',
      status: 0,
      startTime: '2026-11-25T05:59:00Z',
      completeTime: '2026-11-25T06:00:00Z',
    })
    expect(await handle(REQUESTS.ScheduleInform)).toEqual({ method: 'ScheduleInformResponse' })
    expect(await handle(REQUESTS.ScheduleDownload)).toEqual({ method: 'ScheduleDownloadResponse' })
    expect(await handle(REQUESTS.CancelTransfer)).toEqual({ method: 'CancelTransferResponse' })
    expect(await handle(REQUESTS.ChangeDUState)).toEqual({ method: 'ChangeDUStateResponse' })
    expect(await handle(REQUESTS.GetQueuedTransfers)).toEqual({
      method: 'GetQueuedTransfersResponse',
      transferList: [{ commandKey: 'dl-1', state: 2 }],
    })
    expect((await handle(REQUESTS.GetAllQueuedTransfers)).method).toBe('GetAllQueuedTransfersResponse')
    expect(await handle(REQUESTS.SetVouchers)).toEqual({ method: 'SetVouchersResponse' })
    expect((await handle(REQUESTS.GetOptions)).method).toBe('GetOptionsResponse')
    expect(calls).toEqual([
      ['reboot', 'reboot-1', REQUESTS.Reboot],
      ['factoryReset'],
      ['download', REQUESTS.Download],
      ['upload', REQUESTS.Upload],
      ['scheduleInform', 30, 'si-1', REQUESTS.ScheduleInform],
      ['scheduleDownload', REQUESTS.ScheduleDownload],
      ['cancelTransfer', 'dl-1', REQUESTS.CancelTransfer],
      ['changeDuState', REQUESTS.ChangeDUState],
      ['getQueuedTransfers'],
      ['getAllQueuedTransfers'],
      ['setVouchers', ['AAEC']],
      ['getOptions', ''],
    ])
  })

  it('a completed transfer without times takes both from the clock; status 1 ignores given times', async () => {
    const handle = createCpeRpcHandler({
      hooks: { download: () => ({ status: 0 }), upload: () => ({ status: 1, startTime: NOW, completeTime: NOW }) },
      now: () => NOW,
    })
    expect(await handle(REQUESTS.Download)).toEqual({
      method: 'DownloadResponse',
      status: 0,
      startTime: '2026-11-25T06:00:00Z',
      completeTime: '2026-11-25T06:00:00Z',
    })
    expect(await handle(REQUESTS.Upload)).toMatchObject({ status: 1, startTime: UNKNOWN_TIME, completeTime: UNKNOWN_TIME })
  })
})

describe('createCpeRpcHandler: faults', () => {
  it.each([
    ['GPV unknown name', { method: 'GetParameterValues', parameterNames: ['Device.Nope'] }, 9005, 'Client'],
    ['GPN NextLevel on a parameter', { method: 'GetParameterNames', parameterPath: 'Device.Test.Int', nextLevel: true }, 9003, 'Client'],
    ['GPN unknown path', { method: 'GetParameterNames', parameterPath: 'Device.Nope.', nextLevel: false }, 9005, 'Client'],
    ['GPA unknown name', { method: 'GetParameterAttributes', parameterNames: ['Device.Nope.'] }, 9005, 'Client'],
    [
      'SPA refused notification',
      { method: 'SetParameterAttributes', parameterList: [{ name: 'Device.DeviceInfo.UpTime', notificationChange: true, notification: 2, accessListChange: false, accessList: [] }] },
      9009,
      'Server',
    ],
    ['AddObject on a non-table', { method: 'AddObject', objectName: 'Device.Test.', parameterKey: '' }, 9005, 'Client'],
    ['DeleteObject of a missing instance', { method: 'DeleteObject', objectName: 'Device.Table.Row.5.', parameterKey: '' }, 9005, 'Client'],
  ] as [string, AcsRequest, number, string][])('%s', async (_, request, code, soap) => {
    const { handle } = fullHandler()
    const f = asFault(await handle(request))
    expect(f).toMatchObject({ faultCode: code, soapFaultCode: soap, soapFaultString: 'CWMP fault' })
    expect(f.setParameterValuesFault).toBeUndefined()
  })

  it('AddObject on a full table → 9004 (Server)', async () => {
    const handle = createCpeRpcHandler({ model: testModel() })
    for (let i = 0; i < 3; i++) await handle(REQUESTS.AddObject)
    expect(asFault(await handle(REQUESTS.AddObject))).toMatchObject({ faultCode: 9004, soapFaultCode: 'Server' })
  })

  it('SetParameterValues failures → 9003 (Client) with one SetParameterValuesFault per failing parameter', async () => {
    const { handle, model } = fullHandler()
    const f = asFault(
      await handle({
        method: 'SetParameterValues',
        parameterKey: 'never',
        parameterList: [
          { name: 'Device.Test.Nope', value: 'x', type: 'xsd:string' },
          { name: 'Device.Test.Int', value: '1', type: 'xsd:string' },
          { name: 'Device.Test.UInt', value: '-1', type: 'xsd:unsignedInt' },
          { name: 'Device.Test.ReadOnly', value: 'x', type: 'xsd:string' },
          { name: 'Device.Test.String', value: 'fine', type: 'xsd:string' },
        ],
      }),
    )
    expect(f).toMatchObject({ faultCode: 9003, soapFaultCode: 'Client', faultString: 'Invalid arguments' })
    expect(f.setParameterValuesFault?.map((e) => [e.parameterName, e.faultCode])).toEqual([
      ['Device.Test.Nope', 9005],
      ['Device.Test.Int', 9006],
      ['Device.Test.UInt', 9007],
      ['Device.Test.ReadOnly', 9008],
    ])
    expect(model.get('Device.Test.String')).toBe('abc')
    expect(model.parameterKey).toBe('initial')
  })

  it('per-parameter entries are sent for SetParameterValues only', async () => {
    const spvFault = DataModelFault.forParameters([{ parameterName: 'X', faultCode: 9007 }])
    const model = { ...testModel(), getParameterValues: () => { throw spvFault } } as unknown as DataModel
    const f = asFault(await createCpeRpcHandler({ model })(REQUESTS.GetParameterValues))
    expect(f.faultCode).toBe(9003)
    expect(f.setParameterValuesFault).toBeUndefined()
  })

  it.each([
    ['a vendor method', { method: 'X_0A1B2C_Frobnicate' }],
    ['an ACS method', { method: 'Inform' }],
    ['a response', { method: 'GetRPCMethodsResponse', methodList: ['x'] }],
    ['no method', {}],
    ['not an object', null],
    ['a prototype key', { method: 'constructor' }],
  ])('%s → 9000 Method not supported (Server)', async (_, request) => {
    const handle = fullHandler().handle
    expect(asFault(await handle(request as AcsRequest))).toMatchObject({ faultCode: 9000, soapFaultCode: 'Server', faultString: 'Method not supported' })
  })

  it('a DataModelFault thrown by a hook becomes its fault, message as FaultString', async () => {
    const handle = createCpeRpcHandler({
      hooks: {
        download: () => { throw new DataModelFault('UnsupportedFileTransferProtocol', 'ftp is not supported') },
        cancelTransfer: async () => { throw new DataModelFault(9021) },
        reboot: () => { throw new DataModelFault(9850, 'vendor says no') },
      },
    })
    expect(asFault(await handle(REQUESTS.Download))).toEqual({
      method: 'Fault',
      soapFaultCode: 'Server',
      soapFaultString: 'CWMP fault',
      faultCode: 9013,
      faultString: 'ftp is not supported',
    })
    expect(asFault(await handle(REQUESTS.CancelTransfer))).toMatchObject({ faultCode: 9021, soapFaultCode: 'Client' })
    expect(asFault(await handle(REQUESTS.Reboot))).toMatchObject({ faultCode: 9850, soapFaultCode: 'Server', faultString: 'vendor says no' })
  })

  it('any other error becomes 9002 Internal error without its message, and is reported to onError', async () => {
    const onError = vi.fn()
    const secret = new Error('cannot open /etc/secret: password=hunter2')
    const handle = createCpeRpcHandler({
      hooks: { reboot: () => { throw secret }, factoryReset: () => Promise.reject(new TypeError('boom')), setVouchers: () => { throw 'a string' } },
      onError,
    })
    for (const r of [REQUESTS.Reboot, REQUESTS.FactoryReset, REQUESTS.SetVouchers]) {
      const f = asFault(await handle(r))
      expect(f).toEqual({ method: 'Fault', soapFaultCode: 'Server', soapFaultString: 'CWMP fault', faultCode: 9002, faultString: 'Internal error' })
    }
    expect(onError).toHaveBeenCalledTimes(3)
    expect(onError).toHaveBeenCalledWith(secret, REQUESTS.Reboot)
  })

  it('a library error becomes the fault of its kind', async () => {
    const handle = createCpeRpcHandler({
      hooks: {
        reboot: () => { throw new DecodeError('ERR_CWMP_ARGUMENT_INVALID', 'bad thing') },
        factoryReset: () => { throw new EncodeError('cannot encode') },
      },
    })
    expect(asFault(await handle(REQUESTS.Reboot))).toMatchObject({ faultCode: 9003, soapFaultCode: 'Client' })
    expect(asFault(await handle(REQUESTS.FactoryReset))).toMatchObject({ faultCode: 9002, soapFaultCode: 'Server' })
  })

  it.each([
    ['download status 2', { download: () => ({ status: 2 }) }, 'Download'],
    ['download returning nothing', { download: () => undefined }, 'Download'],
    ['upload with an invalid time', { upload: () => ({ status: 0, startTime: 'yesterday' }) }, 'Upload'],
    ['upload with an invalid Date', { upload: () => ({ status: 0, completeTime: new Date(Number.NaN) }) }, 'Upload'],
    ['queued transfers not an array', { getQueuedTransfers: () => 'none' }, 'GetQueuedTransfers'],
    ['options not an array', { getOptions: () => undefined }, 'GetOptions'],
  ] as [string, CpeHooks, CpeMethodName][])('a hook result the response cannot carry (%s) → 9002', async (_, hooks, method) => {
    const onError = vi.fn()
    const f = asFault(await createCpeRpcHandler({ hooks, onError })(REQUESTS[method]))
    expect(f.faultCode).toBe(9002)
    expect(onError).toHaveBeenCalledOnce()
  })

  it.each([
    ['status 3 from setParameterValues', { setParameterValues: () => 3 }, 'SetParameterValues'],
    ['instance number 0 from addObject', { addObject: () => ({ instanceNumber: 0, status: 0 }) }, 'AddObject'],
    ['no result from addObject', { addObject: () => undefined }, 'AddObject'],
    ['status "0" from deleteObject', { deleteObject: () => '0' }, 'DeleteObject'],
    ['a non-array from getParameterNames', { getParameterNames: () => ({}) }, 'GetParameterNames'],
  ] as [string, Partial<Record<keyof DataModel, () => unknown>>, CpeMethodName][])(
    'a model result the response cannot carry (%s) → 9002',
    async (_, overrides, method) => {
      const base = testModel()
      const model = {
        getParameterValues: (n: readonly string[]) => base.getParameterValues(n),
        setParameterValues: () => 0,
        getParameterNames: () => [],
        getParameterAttributes: () => [],
        setParameterAttributes: () => {},
        addObject: () => ({ instanceNumber: 1, status: 0 }),
        deleteObject: () => 0,
        ...overrides,
      } as unknown as DataModel
      expect(asFault(await createCpeRpcHandler({ model })(REQUESTS[method])).faultCode).toBe(9002)
    },
  )

  it('never rejects, whatever the request', async () => {
    const { handle } = fullHandler()
    const methods = fc.constantFrom<string>(...ALL_METHODS, 'Inform', 'X_ACME_Y', '')
    await fc.assert(
      fc.asyncProperty(methods, fc.dictionary(fc.string({ maxLength: 12 }), fc.anything()), async (method, fields) => {
        const r = await handle({ ...fields, method } as unknown as AcsRequest)
        expect(typeof r.method).toBe('string')
        if (r.method === 'Fault') expect(r.faultCode).toBeGreaterThanOrEqual(9000)
      }),
    )
  })
})

describe('follow-ups', () => {
  it('followUpOf gives what the agent must do after each successful answer', () => {
    const ok = <M extends CpeMethodName>(m: M, extra: object = {}) => ({ method: `${m}Response`, ...extra }) as CpeResponse
    expect(followUpOf(REQUESTS.Reboot, ok('Reboot'))).toEqual({ kind: 'reboot', commandKey: 'reboot-1' })
    expect(followUpOf(REQUESTS.FactoryReset, ok('FactoryReset'))).toEqual({ kind: 'factory-reset' })
    expect(followUpOf(REQUESTS.ScheduleInform, ok('ScheduleInform'))).toEqual({ kind: 'schedule-inform', delaySeconds: 30, commandKey: 'si-1' })
    expect(followUpOf(REQUESTS.Download, ok('Download', { status: 1 }))).toEqual({ kind: 'transfer-pending', eventCode: 'M Download', commandKey: 'dl-1' })
    expect(followUpOf(REQUESTS.Download, ok('Download', { status: 0 }))).toBeUndefined()
    expect(followUpOf(REQUESTS.Upload, ok('Upload', { status: 1 }))).toEqual({ kind: 'transfer-pending', eventCode: 'M Upload', commandKey: 'up-1' })
    expect(followUpOf(REQUESTS.ScheduleDownload, ok('ScheduleDownload'))).toEqual({ kind: 'transfer-pending', eventCode: 'M ScheduleDownload', commandKey: 'sd-1' })
    expect(followUpOf(REQUESTS.ChangeDUState, ok('ChangeDUState'))).toEqual({ kind: 'du-state-change-pending', commandKey: 'du-1' })
    expect(followUpOf({ method: 'ChangeDUState', operations: [] }, ok('ChangeDUState'))).toEqual({ kind: 'du-state-change-pending', commandKey: '' })
    expect(followUpOf(REQUESTS.Reboot, { method: 'Fault', soapFaultCode: 'Server', soapFaultString: 'CWMP fault', faultCode: 9001 })).toBeUndefined()
    expect(followUpOf(REQUESTS.Reboot, ok('FactoryReset'))).toBeUndefined()
    for (const m of ['GetRPCMethods', 'SetParameterValues', 'AddObject', 'CancelTransfer', 'GetOptions'] as const) {
      expect(followUpOf(REQUESTS[m], ok(m))).toBeUndefined()
    }
  })

  it('the handler reports follow-ups of successful answers only; a throwing listener does not change the answer', async () => {
    const { handle, followUps } = fullHandler()
    await handle(REQUESTS.Reboot)
    await handle(REQUESTS.Download)
    await handle(REQUESTS.Upload)
    await handle(REQUESTS.GetParameterValues)
    expect(followUps).toEqual([
      { kind: 'reboot', commandKey: 'reboot-1' },
      { kind: 'transfer-pending', eventCode: 'M Download', commandKey: 'dl-1' },
    ])
    const errors: unknown[] = []
    const h2 = createCpeRpcHandler({
      hooks: { reboot: () => { throw new DataModelFault(9001) }, factoryReset: () => {} },
      onFollowUp: () => { throw new Error('listener bug') },
      onError: (e) => errors.push(e),
    })
    expect(asFault(await h2(REQUESTS.Reboot)).faultCode).toBe(9001)
    expect(await h2(REQUESTS.FactoryReset)).toEqual({ method: 'FactoryResetResponse' })
    expect(errors).toEqual([expect.objectContaining({ message: 'listener bug' })])
  })
})

describe('wire format', () => {
  it('every answer, for every method, encodes as a CWMP 1.4 envelope; faults decode back unchanged', async () => {
    const answers: (CpeResponse | Fault)[] = []
    const { handle } = fullHandler()
    for (const m of ALL_METHODS) answers.push(await handle(REQUESTS[m]))
    const bare = createCpeRpcHandler({})
    for (const m of ALL_METHODS) answers.push(await bare(REQUESTS[m]))
    answers.push(
      await handle({
        method: 'SetParameterValues',
        parameterKey: 'k',
        parameterList: [
          { name: 'Device.Nope', value: 'x', type: 'xsd:string' },
          { name: 'Device.Test.Int', value: 'x', type: 'xsd:int' },
        ],
      }),
    )
    answers.push(await createCpeRpcHandler({ hooks: { reboot: () => { throw new Error('x') } } })(REQUESTS.Reboot))
    expect(answers.filter((a) => a.method === 'Fault').length).toBeGreaterThan(20)
    for (const body of answers) {
      const xml = encodeEnvelope({ version: '1.4', header: { id: '1' }, body })
      const decoded = decodeEnvelope(xml)
      expect(decoded.warnings).toEqual([])
      if (body.method === 'Fault') expect(decoded.body).toEqual(body)
      else expect(decoded.body.method).toBe(body.method)
    }
  })

  it('GetParameterValues of the whole sample device (every value type) encodes and decodes back', async () => {
    const model = createSampleDeviceModel({ acsPassword: 'pw' })
    model.addObject('Device.NAT.PortMapping.', 'k')
    model.set('Device.Ethernet.Interface.1.Stats.BytesSent', 2n ** 64n - 1n)
    const handle = createCpeRpcHandler({ model })
    for (const request of [
      { method: 'GetParameterValues', parameterNames: [''] },
      { method: 'GetParameterNames', parameterPath: '', nextLevel: false },
      { method: 'GetParameterAttributes', parameterNames: ['Device.'] },
    ] as AcsRequest[]) {
      const body = await handle(request)
      expect(body.method).toBe(`${request.method}Response`)
      expect(decodeEnvelope(encodeEnvelope({ version: '1.4', header: {}, body })).body).toEqual(body)
    }
  })
})

describe('GenieACS changing only an access list (NotificationChange false, empty Notification)', () => {
  it('is decoded and applied by a CPE: SetParameterAttributesResponse, the access list changed, the notification kept', async () => {
    const { readFileSync } = await import('node:fs')
    const { decodeEnvelope, createSampleDeviceModel, createCpeRpcHandler } = await import('../../src/index.js')
    const bytes = readFileSync(new URL('../../fixtures/envelopes/SetParameterAttributes/quirk-empty-notification.xml', import.meta.url))
    const request = decodeEnvelope(bytes).body
    expect(request.method).toBe('SetParameterAttributes')
    const model = createSampleDeviceModel({ serialNumber: 'SN1' })
    const handle = createCpeRpcHandler({ model })
    const answer = await handle(request as Parameters<typeof handle>[0])
    expect(answer).toEqual({ method: 'SetParameterAttributesResponse' })
    const attrs = await handle({ method: 'GetParameterAttributes', parameterNames: ['Device.DeviceInfo.ProvisioningCode'] })
    expect(attrs).toMatchObject({
      method: 'GetParameterAttributesResponse',
      parameterList: [{ name: 'Device.DeviceInfo.ProvisioningCode', notification: 2, accessList: ['Subscriber'] }],
    })
  })
})
