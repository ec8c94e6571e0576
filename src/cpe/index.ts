/**
 * The CPE side: the data-model provider interface, an in-memory data model, and the handler that
 * answers every ACS request.
 *
 * @module
 */
export { DataModelFault, isDataModelFault } from './data-model.js'
export type { AddObjectResult, DataModel, DataModelFaultOptions, MaybePromise } from './data-model.js'
export {
  createMemoryDataModel,
  createSampleDeviceModel,
  parseDataModelCsv,
  sampleDeviceDefinition,
} from './memory-model.js'
export type {
  MemoryDataModel,
  MemoryDataModelOptions,
  MemoryModelDefinition,
  MemoryObjectDefinition,
  MemoryParameterDefinition,
  MemoryParameterType,
  MemorySetOptions,
  ParseCsvOptions,
  SampleDeviceOptions,
  ValueChange,
} from './memory-model.js'
export { createCpeRpcHandler, followUpOf } from './rpc-handler.js'
export type { CpeFollowUp, CpeHooks, CpeRpcHandler, CpeRpcHandlerOptions, TransferResult } from './rpc-handler.js'
export { createCpeClient } from './client.js'
export type {
  ConnectionRequestSettings,
  CpeClient,
  CpeClientActivity,
  CpeClientOptions,
  CpeSessionResult,
  SoapLogTarget,
} from './client.js'
