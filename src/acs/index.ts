/**
 * The ACS simulator: a scriptable, recording ACS on `node:http` built on the sans-I/O ACS session,
 * with sessions kept as plain JSON in a pluggable store.
 *
 * Public names only; the parts behind them (request handler, session flow, session and device
 * registries, request queues, keyed lock, recorder, authenticator, session cookie, HTTP listener,
 * waiters) are internal (D405).
 *
 * @module
 */

export { MIN_ACS_SESSION_TIMEOUT_MS, createAcsSimulator, defaultDeviceKey } from './simulator.js'
export type { AcsSimulator, AcsSimulatorOptions } from './simulator.js'
export { DEFAULT_SESSION_COOKIE } from './session-cookie.js'
export type { AcsSimulatorAuth } from './cpe-authenticator.js'
export { defaultAcsResponse } from './hooks.js'
export type { AcsScript, AcsSimulatorContext, AcsTurn, AcsTurnCause, CpeOwnRequest } from './hooks.js'
export { formatAcsMessage } from './recorder.js'
export type { AcsLogStream, AcsRecordedMessage, FormatAcsMessageOptions } from './recorder.js'
export type { AcsSimulatorSession } from './session-registry.js'
export type { AcsDeviceRecord, ConnectionRequestCredentials } from './device-registry.js'
export type { AcsConnectionRequestOptions, AcsConnectionRequestOutcome } from './connection-requests.js'
export { createMemorySessionStore } from './session-store.js'
export type {
  AcsSessionOutcome,
  MemorySessionStore,
  MemorySessionStoreOptions,
  SessionStore,
  StoredAcsSession,
} from './session-store.js'
