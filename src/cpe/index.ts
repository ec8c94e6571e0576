/**
 * The CPE side: the data-model provider interface, an in-memory data model (from a plain object or
 * CSV, or the sample device), the handler that answers every ACS request, and the CPE client.
 *
 * @module
 */
export { DataModelFault, isDataModelFault } from './data-model.js'
export type { AddObjectResult, DataModel, DataModelFaultOptions, MaybePromise } from './data-model.js'
export { createMemoryDataModel } from './memory-model.js'
export type { MemoryDataModel, MemoryDataModelOptions, MemorySetOptions, ValueChange } from './memory-model.js'
export type {
  MemoryModelDefinition,
  MemoryObjectDefinition,
  MemoryParameterDefinition,
  MemoryParameterType,
} from './memory-definition.js'
export { parseDataModelCsv } from './data-model-csv.js'
export type { ParseCsvOptions } from './data-model-csv.js'
export { createSampleDeviceModel, sampleDeviceDefinition } from './sample-device.js'
export type { SampleDeviceOptions } from './sample-device.js'
export { createCpeRpcHandler, followUpOf } from './rpc-handler.js'
export type { CpeFollowUp, CpeHooks, CpeRpcHandler, CpeRpcHandlerOptions, TransferResult } from './rpc-handler.js'
export { createCpeClient } from './client.js'
export type {
  CpeClient,
  CpeClientActivity,
  CpeClientOptions,
  CpeClientState,
  CpeSessionResult,
  CpeSettingsSource,
  SoapLogTarget,
} from './client.js'
export type {
  ConnectionRequestSettings,
  ConnectionRequestSettingsChange,
  CpeRetrySettings,
  CpeSettingName,
  CpeSettings,
  CpeSettingsChange,
} from './settings.js'
export type { ManagementServerState } from './management-server.js'
