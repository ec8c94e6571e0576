export { TRANSITIONS, INITIAL_FLAGS, MAX_RETRY_REQUESTS, apply, guard, sessionDiagram } from './state.js'
export type { SessionFlags, SessionInput, SessionState } from './state.js'
export { CpeSession, createCpeSession, isAcsRequest } from './cpe-session.js'
export type {
  CpeFailureReason,
  CpeReceiveResult,
  CpeSessionEvent,
  CpeSessionOptions,
  CpeSessionSnapshot,
} from './cpe-session.js'
export { AcsSession, createAcsSession, resumeAcsSession } from './acs-session.js'
export type { AcsReplyOptions, AcsSessionEvent, AcsSessionOptions, AcsSessionState } from './acs-session.js'
export { SOAP_CONTENT_TYPE } from './http.js'
