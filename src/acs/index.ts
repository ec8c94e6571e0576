/**
 * The ACS simulator: a scriptable, recording ACS on `node:http` built on the sans-I/O ACS session,
 * with sessions kept as plain JSON in a pluggable store.
 *
 * @module
 */

export {
  DEFAULT_SESSION_COOKIE,
  MIN_ACS_SESSION_TIMEOUT_MS,
  createAcsSimulator,
  defaultAcsResponse,
  defaultDeviceKey,
  formatAcsMessage,
} from './simulator.js'
export type {
  AcsConnectionRequestOptions,
  AcsConnectionRequestOutcome,
  AcsDeviceRecord,
  AcsLogStream,
  AcsRecordedMessage,
  AcsScript,
  AcsSimulator,
  AcsSimulatorAuth,
  AcsSimulatorContext,
  AcsSimulatorOptions,
  AcsSimulatorSession,
  AcsTurn,
  AcsTurnCause,
  ConnectionRequestCredentials,
  CpeOwnRequest,
  FormatAcsMessageOptions,
} from './simulator.js'
export { createMemorySessionStore } from './session-store.js'
export type {
  AcsSessionOutcome,
  MemorySessionStore,
  MemorySessionStoreOptions,
  SessionStore,
  StoredAcsSession,
} from './session-store.js'
