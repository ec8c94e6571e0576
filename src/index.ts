/**
 * `cwmp`: TR-069 (CPE WAN Management Protocol) for TypeScript.
 *
 * Every public name is listed here, grouped by role as the API docs are (`@category`). Anything not
 * listed is internal and may change in any release.
 *
 * @packageDocumentation
 */

// --- Codec -------------------------------------------------------------------------------------------
export { decodeEnvelope, DEFAULT_DECODE_LIMITS } from './envelope/decode.js'
export type { DecodedEnvelope, DecodeOptions } from './envelope/decode.js'
export { createEnvelopeDecoder, decodeEnvelopeStream } from './envelope/stream.js'
export type { EnvelopeDecoder, EnvelopeItem, StreamDecodeOptions } from './envelope/stream.js'
export { encodeEnvelope } from './envelope/encode.js'
export type { EncodeOptions } from './envelope/encode.js'
export { ConfigError, CwmpError, DecodeError, EncodeError, isCwmpError } from './errors.js'
export type {
  AnyCwmpError,
  ConfigErrorCode,
  CwmpErrorCode,
  CwmpErrorOptions,
  DecodeErrorCode,
  DecodeErrorLocation,
  EncodeErrorCode,
} from './errors.js'
export type { DecodeWarning, WarningCode } from './rpc/context.js'
export { lexicalValue } from './rpc/context.js'
export { createCodecRegistry, defineVendorMethod } from './rpc/registry.js'
export type { CodecRegistry, VendorFieldSpec, VendorMethodSpec, VendorScalarType } from './rpc/registry.js'
export type { MethodCodec } from './rpc/schema.js'
export { ACS_METHODS, CPE_METHODS, responseMethodOf } from './types/catalogue.js'
export type { Envelope, EnvelopeHeader, UnknownHeaderEntry } from './types/envelope.js'
export type {
  AcsMethodName,
  AcsRequest,
  AcsResponse,
  AddObject,
  AddObjectResponse,
  ApplyStatus,
  AutonomousDUStateChangeComplete,
  AutonomousDUStateChangeCompleteResponse,
  AutonomousTransferComplete,
  AutonomousTransferCompleteResponse,
  CancelTransfer,
  CancelTransferResponse,
  ChangeDUState,
  ChangeDUStateResponse,
  CpeMethodName,
  CpeRequest,
  CpeResponse,
  CwmpMessage,
  CwmpMethod,
  DeleteObject,
  DeleteObjectResponse,
  Download,
  DownloadResponse,
  DUStateChangeComplete,
  DUStateChangeCompleteResponse,
  FactoryReset,
  FactoryResetResponse,
  Fault,
  GetAllQueuedTransfers,
  GetAllQueuedTransfersResponse,
  GetOptions,
  GetOptionsResponse,
  GetParameterAttributes,
  GetParameterAttributesResponse,
  GetParameterNames,
  GetParameterNamesResponse,
  GetParameterValues,
  GetParameterValuesResponse,
  GetQueuedTransfers,
  GetQueuedTransfersResponse,
  GetRPCMethods,
  GetRPCMethodsResponse,
  Inform,
  InformResponse,
  Kicked,
  KickedResponse,
  MessageOf,
  Reboot,
  RebootResponse,
  RequestDownload,
  RequestDownloadResponse,
  RequestMessage,
  ResponseMessage,
  ResponseTo,
  ScheduleDownload,
  ScheduleDownloadResponse,
  ScheduleInform,
  ScheduleInformResponse,
  SetParameterAttributes,
  SetParameterAttributesResponse,
  SetParameterValues,
  SetParameterValuesResponse,
  SetVouchers,
  SetVouchersResponse,
  TransferComplete,
  TransferCompleteResponse,
  Upload,
  UploadResponse,
  VendorMessage,
} from './types/messages.js'
export type {
  AccessListEntry,
  AllQueuedTransferStruct,
  ArgStruct,
  AutonOpResultStruct,
  DateTimeString,
  DeploymentUnitFaultStruct,
  DeploymentUnitState,
  DeviceIdStruct,
  EventCode,
  EventStruct,
  InstallOpStruct,
  Notification,
  OperationStruct,
  OpResultStruct,
  OptionState,
  OptionStruct,
  ParameterAttributeStruct,
  ParameterInfoStruct,
  ParameterValueStruct,
  QueuedTransferStruct,
  SetParameterAttributesStruct,
  SetParameterValuesFaultStruct,
  TimeWindowStruct,
  TransferCompleteFaultStruct,
  TransferState,
  UninstallOpStruct,
  UpdateOpStruct,
  ValueType,
} from './types/structs.js'
export {
  compareVersions,
  CWMP_VERSIONS,
  isCwmpVersion,
  namespaceForVersion,
  NS,
  versionOfNamespace,
} from './types/version.js'
export type { CwmpVersion } from './types/version.js'
export type { DecodeLimits } from './xml/events.js'

// --- Values ------------------------------------------------------------------------------------------
export {
  formatDateTime,
  parseBoolean,
  parseDateTime,
  parseInt32,
  parseLong,
  parseParameterValue,
  parseUnsignedInt,
  parseUnsignedLong,
  toParameterValue,
  UNKNOWN_TIME,
} from './values/convert.js'
export type {
  DateTimeValue,
  ParameterValueInput,
  ToParameterValueOptions,
  TypedValue,
} from './values/convert.js'

// --- Faults ------------------------------------------------------------------------------------------
export type { FaultKind } from './errors.js'
export { createFault, CWMP_FAULT_STRING, makeFault, toFault } from './faults.js'
export type { FaultRole } from './faults.js'
export { ACS_FAULTS, CPE_FAULTS, faultDefinition } from './types/catalogue.js'
export type { AcsFaultName, CpeFaultName, FaultDefinition, SoapFaultCode } from './types/catalogue.js'

// --- Sessions ----------------------------------------------------------------------------------------
export { ProtocolError } from './errors.js'
export type { ProtocolErrorCode } from './errors.js'
export { createAcsSession, resumeAcsSession } from './session/acs-session.js'
export type {
  AcsReplyOptions,
  AcsSession,
  AcsSessionOptions,
  AcsSessionState,
  AcsSessionStep,
} from './session/acs-session.js'
export { createCpeAgent } from './session/cpe-agent.js'
export type {
  CpeAgent,
  CpeAgentAction,
  CpeAgentOptions,
  CpeAgentState,
  HeartbeatSettings,
  PendingRequest,
  PeriodicSettings,
  SessionStart,
} from './session/cpe-agent.js'
export { createCpeSession } from './session/cpe-session.js'
export type {
  CpeFailureReason,
  CpeOutstandingRequest,
  CpeReceiveResult,
  CpeSession,
  CpeSessionOptions,
  CpeSessionSnapshot,
  CpeSessionStep,
} from './session/cpe-session.js'
export { SOAP_CONTENT_TYPE } from './session/http.js'
export type { PendingEvent } from './session/inform-events.js'
export { nextPeriodicInform, retryWaitRange } from './session/schedule.js'
export type { RetryParameters } from './session/schedule.js'
export { sessionDiagram, TRANSITIONS } from './session/state.js'
export type { SessionFlags, SessionInput, SessionState } from './session/state.js'
export {
  EVENT_CODES,
  EVENT_RULES,
  eventRule,
  METHOD_EVENT_CODES,
  requestEventCode,
  vendorEventCode,
  vendorMethodEventCode,
} from './types/catalogue.js'
export type { EventRetryPolicy, EventRule, StandardEventCode } from './types/catalogue.js'

// --- CPE client --------------------------------------------------------------------------------------
export type { CpeSessionResult } from './cpe/client-core.js'
export { createCpeClient } from './cpe/client.js'
export type {
  CpeClient,
  CpeClientActivity,
  CpeClientOptions,
  CpeClientState,
  CpeSettingsSource,
  SoapLogTarget,
} from './cpe/client.js'
export type { ManagementServerState } from './cpe/management-server.js'
export type {
  ConnectionRequestSettings,
  ConnectionRequestSettingsChange,
  CpeRetrySettings,
  CpeSettingName,
  CpeSettings,
  CpeSettingsChange,
} from './cpe/settings.js'
export { TimeoutError } from './errors.js'
export type { TimeoutErrorCode } from './errors.js'
export { createCpeRpcHandler, followUpOf } from './cpe/rpc-handler.js'
export type {
  CpeFollowUp,
  CpeHooks,
  CpeRpcHandler,
  CpeRpcHandlerOptions,
  TransferResult,
} from './cpe/rpc-handler.js'

// --- Data models -------------------------------------------------------------------------------------
export { parseDataModelCsv } from './cpe/data-model-csv.js'
export type { ParseCsvOptions } from './cpe/data-model-csv.js'
export { DataModelFault, isDataModelFault } from './cpe/data-model.js'
export type { AddObjectResult, DataModel, DataModelFaultOptions, MaybePromise } from './cpe/data-model.js'
export type {
  MemoryModelDefinition,
  MemoryObjectDefinition,
  MemoryParameterDefinition,
  MemoryParameterType,
} from './cpe/memory-definition.js'
export { createDefinedModel } from './cpe/defined-model.js'
export type { DefinedModelDefinition, DefinedModelDefinitions, DefinedModelOptions } from './cpe/defined-model.js'
export { createMemoryDataModel } from './cpe/memory-model.js'
export type {
  MemoryDataModel,
  MemoryDataModelOptions,
  MemorySetOptions,
  ValueChange,
} from './cpe/memory-model.js'
export { createSampleDeviceModel, sampleDeviceDefinition } from './cpe/sample-device.js'
export type { SampleDeviceOptions } from './cpe/sample-device.js'
export type { DeviceValueOptions } from './cpe/device-options.js'
export { createSimulatedModel, simulatedModelDefinition } from './cpe/simulated-model.js'
export type {
  SimulatedModelDefinitions,
  SimulatedModelOptions,
  SimulatedObjectDefinition,
  SimulatedParameterDefinition,
} from './cpe/simulated-model.js'

// --- ACS simulator -----------------------------------------------------------------------------------
export type { AcsConnectionRequestOptions, AcsConnectionRequestOutcome } from './acs/connection-requests.js'
export type { AcsDeviceAuthorizer, AcsSimulatorAuth } from './acs/cpe-authenticator.js'
export { createMemoryDeviceStore } from './acs/device-registry.js'
export type {
  AcsDeviceRecord,
  ConnectionRequestCredentials,
  DeviceInformUpdate,
  DeviceLearnt,
  DeviceStore,
  MemoryDeviceStore,
  MemoryDeviceStoreOptions,
} from './acs/device-registry.js'
export { defaultAcsResponse } from './acs/hooks.js'
export type { AcsScript, AcsSimulatorContext, AcsTurn, AcsTurnCause, CpeOwnRequest } from './acs/hooks.js'
export { DEFAULT_ACS_CONNECTION_LIMITS } from './acs/http-listener.js'
export { createMemoryLocks } from './acs/keyed-lock.js'
export type { AcsLocks } from './acs/keyed-lock.js'
export { formatAcsMessage } from './acs/recorder.js'
export type { AcsLogStream, AcsRecordedMessage, FormatAcsMessageOptions } from './acs/recorder.js'
export { createMemoryRequestQueues } from './acs/request-queues.js'
export type { MemoryRequestQueues, RequestQueueStore } from './acs/request-queues.js'
export { DEFAULT_SESSION_COOKIE } from './acs/session-cookie.js'
export { DEFAULT_SOURCE_LIMITS } from './acs/source-limits.js'
export type { SourceLimits } from './acs/source-limits.js'
export type { AcsSimulatorSession } from './acs/session-registry.js'
export { createMemorySessionStore } from './acs/session-store.js'
export type {
  AcsSessionOutcome,
  MemorySessionStore,
  MemorySessionStoreOptions,
  SessionStore,
  StoredAcsSession,
  VersionedSession,
} from './acs/session-store.js'
export { createAcsSimulator, defaultDeviceKey, MIN_ACS_SESSION_TIMEOUT_MS } from './acs/simulator.js'
export type { AcsSimulator, AcsSimulatorOptions } from './acs/simulator.js'
export { createMemoryAcsStores } from './acs/stores.js'
export type { AcsStores, MemoryAcsStoresOptions } from './acs/stores.js'

// --- Authentication ----------------------------------------------------------------------------------
export {
  checkBasicAuthorization,
  createBasicAuthorization,
  createBasicChallenge,
  formatCpeUsername,
  parseBasicAuthorization,
  parseCpeUsername,
} from './auth/basic.js'
export type { BasicCredentials, CpeIdentity } from './auth/basic.js'
export { createDigestAuthorization, createDigestClient } from './auth/digest-client.js'
export type {
  DigestAuthorizationParams,
  DigestClient,
  DigestClientCredentials,
  DigestClientOptions,
  DigestRequest,
  DigestResponseInfo,
  DigestResponseOutcome,
} from './auth/digest-client.js'
export { createDigestServer } from './auth/digest-server.js'
export type {
  DigestFailureReason,
  DigestServer,
  DigestServerOptions,
  DigestUserQuery,
  DigestUserSecret,
  DigestVerifyRequest,
  DigestVerifyResult,
} from './auth/digest-server.js'
export {
  computeDigestHa1,
  computeDigestResponse,
  computeDigestUserhash,
  DIGEST_ALGORITHMS,
  DIGEST_QOPS,
  formatDigestAuthorization,
  formatDigestChallenge,
  parseDigestAuthorization,
  parseDigestChallenges,
  selectDigestChallenge,
} from './auth/digest.js'
export type {
  DigestAlgorithm,
  DigestAuthorizationInit,
  DigestChallenge,
  DigestChallengeInit,
  DigestChallengeSelectOptions,
  DigestCredentials,
  DigestQop,
  DigestResponseInput,
} from './auth/digest.js'
export type { HashInput } from './auth/hash.js'
export { DEFAULT_AUTH_HEADER_MAX_LENGTH, parseAuthorization, parseWwwAuthenticate } from './auth/header.js'
export type { AuthChallenge, AuthHeaderParseOptions } from './auth/header.js'
export { createMemoryNonceStore } from './auth/nonce-store.js'
export type {
  DigestNonceCheck,
  DigestNonceCounter,
  DigestNonceStore,
  DigestNonceUse,
  MemoryNonceStoreOptions,
} from './auth/nonce-store.js'
export { AuthError } from './errors.js'
export type { AuthErrorCode } from './errors.js'

// --- Connection requests -----------------------------------------------------------------------------
export { createConnectionRequestClient, createConnectionRequestHandler } from './connreq/http.js'
export type {
  ConnectionRequestClient,
  ConnectionRequestClientOptions,
  ConnectionRequestDecision,
  ConnectionRequestHandler,
  ConnectionRequestHandlerOptions,
  ConnectionRequestHandlerUpdate,
  ConnectionRequestResponse,
  ConnectionRequestResult,
  ConnectionRequestStep,
  ConnectionRequestTarget,
  HttpHeaderValues,
  IncomingConnectionRequest,
  OutgoingConnectionRequest,
} from './connreq/http.js'
export { createConnectionRequestPolicy, DEFAULT_CONNECTION_REQUEST_RATE_LIMIT } from './connreq/policy.js'
export type {
  ConnectionRequestAcceptance,
  ConnectionRequestAcceptResult,
  ConnectionRequestContext,
  ConnectionRequestPolicy,
  ConnectionRequestPolicyOptions,
  ConnectionRequestPolicyState,
  ConnectionRequestRateLimit,
  DuringSessionPolicy,
  SessionEndResult,
} from './connreq/policy.js'
export {
  classifyUdpPacket,
  createTr111BindingRequest,
  decodeMappedAddress,
  decodeStunMessage,
  encodeMappedAddress,
  encodeStunMessage,
  readTr111Attributes,
  STUN_ATTRIBUTE,
  STUN_MESSAGE_TYPE,
  TR111_CONNECTION_REQUEST_BINDING_VALUE,
} from './connreq/stun.js'
export type {
  StunAttribute,
  StunIpv4Address,
  StunMessage,
  Tr111BindingInfo,
  Tr111BindingRequestInit,
} from './connreq/stun.js'
export {
  buildUdpConnectionRequest,
  INITIAL_UDP_REPLAY_STATE,
  parseUdpConnectionRequest,
  signUdpConnectionRequest,
  verifyUdpConnectionRequest,
} from './connreq/udp.js'
export type {
  UdpConnectionRequest,
  UdpConnectionRequestFields,
  UdpConnectionRequestInit,
  UdpIgnoreReason,
  UdpParseOptions,
  UdpReplayState,
  UdpVerifyOptions,
  UdpVerifyResult,
} from './connreq/udp.js'
export {
  buildXmppConnectionRequest,
  buildXmppConnectionRequestError,
  buildXmppConnectionRequestResult,
  handleXmppConnectionRequest,
  isJabberIdAllowed,
  parseXmppConnectionRequest,
  verifyXmppConnectionRequest,
  XMPP_CONNREQ_NAMESPACE,
  XMPP_STANZAS_NAMESPACE,
} from './connreq/xmpp.js'
export type {
  XmppConnectionRequest,
  XmppConnectionRequestInit,
  XmppErrorCondition,
  XmppHandleOptions,
  XmppHandleResult,
  XmppParseOptions,
  XmppReplyInit,
  XmppVerifyOptions,
  XmppVerifyResult,
} from './connreq/xmpp.js'

// --- Transports --------------------------------------------------------------------------------------
export { TransportError } from './errors.js'
export type { TransportErrorCode } from './errors.js'
export { withAuth } from './transport/auth.js'
export type { AuthMiddleware, BasicAuthMode, WithAuthOptions } from './transport/auth.js'
export type { ConnectionLimits } from './transport/connection-guard.js'
export {
  DEFAULT_CONNECTION_REQUEST_LIMITS,
  startConnectionRequestListener,
} from './transport/connection-request-listener.js'
export type {
  ConnectionRequestListener,
  ConnectionRequestListenerDecision,
  ConnectionRequestListenerOptions,
} from './transport/connection-request-listener.js'
export { CookieJar, parseCookieHeader, withCookies } from './transport/cookies.js'
export type {
  CookieJarOptions,
  CookieMatchOptions,
  CookieMiddleware,
  StoredCookie,
  WithCookiesOptions,
} from './transport/cookies.js'
export { formatXml } from './transport/format.js'
export type { FormatXmlOptions } from './transport/format.js'
export {
  createHttpTransport,
  DEFAULT_HTTP_TIMEOUT_MS,
  DEFAULT_MAX_RESPONSE_BYTES,
} from './transport/http-client.js'
export type { HttpTlsOptions, HttpTransport, HttpTransportOptions } from './transport/http-client.js'
export {
  createHttpServerAdapter,
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_UNREAD_BODY_BYTES,
} from './transport/http-server.js'
export type {
  HttpBodyDecision,
  HttpHandler,
  HttpRequestHead,
  HttpRequestInfo,
  HttpServerAdapterOptions,
} from './transport/http-server.js'
export { createStreamLogSink, formatTransportLogEntry, withLogging } from './transport/logging.js'
export type { FormatLogOptions, TransportLogEntry, TransportLogSink } from './transport/logging.js'
export { composeTransport } from './transport/types.js'
export type { SendOptions, Transport, TransportMiddleware } from './transport/types.js'
export { headerValue, headerValues } from './types/http.js'
export type { HttpHeaders, HttpRequest, HttpResponse } from './types/http.js'
