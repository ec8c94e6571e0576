export { TRANSITIONS, INITIAL_FLAGS, MAX_RETRY_REQUESTS, apply, guard, sessionDiagram } from './state.js'
export type { SessionFlags, SessionInput, SessionState } from './state.js'
export { CpeSession, createCpeSession, isAcsRequest } from './cpe-session.js'
export type {
  CpeFailureReason,
  CpeOutstandingRequest,
  CpeReceiveResult,
  CpeSessionStep,
  CpeSessionOptions,
  CpeSessionSnapshot,
} from './cpe-session.js'
export { AcsSession, createAcsSession, resumeAcsSession } from './acs-session.js'
export type { AcsReplyOptions, AcsSessionStep, AcsSessionOptions, AcsSessionState } from './acs-session.js'
export { SOAP_CONTENT_TYPE } from './http.js'
export { CpeAgent, createCpeAgent } from './cpe-agent.js'
export type {
  CpeAgentAction,
  CpeAgentOptions,
  CpeAgentState,
  HeartbeatSettings,
  PendingRequest,
  PeriodicSettings,
  SessionStart,
} from './cpe-agent.js'
export {
  MAX_EVENTS,
  addPendingEvent,
  deliverEvents,
  eventsAfterFailure,
  eventsAfterReboot,
  selectInformEvents,
} from './inform-events.js'
export type { PendingEvent } from './inform-events.js'
export { nextPeriodicInform, periodicReference, retryWait, retryWaitRange } from './schedule.js'
export type { RetryParameters } from './schedule.js'
