/*
 * The CWMP session protocol as one table.
 *
 * Theory of operation
 * ===================
 * Rule 1: every change of session state is a row of TRANSITIONS. The CPE and the ACS machines
 *         apply the same table from opposite sides: each knows which inputs it produces
 *         (`cpe:*` for the CPE, `acs:*` for the ACS) and which it receives.
 * Rule 2: what does not fit a finite table is kept next to it as plain data in `SessionFlags`
 *         (HoldRequests, whether the CPE has finished its requests, the outstanding request) and
 *         checked by `guard`.
 * Rule 3: the state objects are plain JSON: a session can be saved and resumed anywhere.
 *
 * A session (TR-069 §3.7): the CPE POSTs an Inform; the ACS answers InformResponse. Then the CPE
 * POSTs its own requests one at a time while allowed (§3.7.1.3), then an empty POST; the ACS then
 * sends its requests, one per HTTP response, each answered in the next POST; it ends with an empty
 * HTTP response (204) once the CPE has sent an empty POST while HoldRequests was false (§3.7.1.4).
 */

/**
 * States of a CWMP session, shared by both sides.
 *
 * @category Sessions
 */
export type SessionState =
  /** Nothing sent yet (or an Inform is to be re-sent after fault 8005). */
  | 'idle'
  /** The CPE has sent Inform; the ACS must answer InformResponse or a Fault. */
  | 'inform-sent'
  /** The CPE is to POST: one of its requests, or an empty POST. */
  | 'cpe-turn'
  /** The CPE has sent one of its requests; the ACS must answer it. */
  | 'cpe-request-sent'
  /** The CPE has sent a response or an empty POST; the ACS sends a request or an empty response. */
  | 'acs-turn'
  /** The ACS has sent a request; the CPE must answer it (response or Fault). */
  | 'acs-request-sent'
  /** Terminated successfully. */
  | 'done'
  /** Terminated unsuccessfully. */
  | 'failed'

/**
 * Moves of the session protocol, labelled by the side that makes them.
 *
 * @category Sessions
 */
export type SessionInput =
  /** CPE POSTs an Inform. */
  | 'cpe:inform'
  /** ACS answers with InformResponse. */
  | 'acs:inform-response'
  /** ACS answers a CPE request (Inform included) with fault 8005: the CPE re-sends it. */
  | 'acs:retry'
  /** ACS answers a CPE request with another fault. */
  | 'acs:fault'
  /** CPE POSTs one of its requests. */
  | 'cpe:request'
  /** ACS answers the CPE's request. */
  | 'acs:response'
  /** CPE POSTs an empty body. */
  | 'cpe:empty'
  /** ACS sends a request. */
  | 'acs:request'
  /** CPE answers the ACS request (a response or a Fault). */
  | 'cpe:response'
  /** ACS sends an empty response while the CPE may still have requests. */
  | 'acs:empty'
  /** ACS sends the final empty response: the CPE has finished its requests. */
  | 'acs:end'
  /** Either side gives up (timeout, HTTP error, bad message, version mismatch …). */
  | 'fail'

/**
 * The transition table. A move missing from a state's row is illegal in that state.
 *
 * @category Sessions
 */
export const TRANSITIONS: {
  readonly [S in SessionState]: Readonly<Partial<Record<SessionInput, SessionState>>>
} = {
  idle: { 'cpe:inform': 'inform-sent', fail: 'failed' },
  'inform-sent': { 'acs:inform-response': 'cpe-turn', 'acs:retry': 'idle', 'acs:fault': 'failed', fail: 'failed' },
  'cpe-turn': { 'cpe:request': 'cpe-request-sent', 'cpe:empty': 'acs-turn', fail: 'failed' },
  'cpe-request-sent': { 'acs:response': 'cpe-turn', 'acs:retry': 'cpe-turn', 'acs:fault': 'cpe-turn', fail: 'failed' },
  'acs-turn': { 'acs:request': 'acs-request-sent', 'acs:empty': 'cpe-turn', 'acs:end': 'done', fail: 'failed' },
  'acs-request-sent': { 'cpe:response': 'acs-turn', fail: 'failed' },
  done: {},
  failed: {},
}

/**
 * Session data the table cannot hold. Plain JSON.
 *
 * @category Sessions
 */
export interface SessionFlags {
  /** The most recent HoldRequests value from the ACS (absent header = false). */
  readonly holdRequests: boolean
  /** The CPE has sent an empty POST while HoldRequests was false: it sends no more requests (§3.7.1.3). */
  readonly cpeDone: boolean
  /** Number of 8005 retries in this session (at most 3, TR-069 §3.7.1.6). */
  readonly retries: number
}

/**
 * Flags at the start of a session.
 *
 * @category Sessions
 */
export const INITIAL_FLAGS: SessionFlags = { holdRequests: false, cpeDone: false, retries: 0 }

/**
 * The most 8005 "Retry request" re-sends allowed in one session (TR-069 Amendment 6 §3.7.1.6).
 *
 * @category Sessions
 */
export const MAX_RETRY_REQUESTS = 3

/**
 * Why a move is illegal beyond the table, or `undefined` when it is allowed.
 *
 * @param state - current state
 * @param flags - current flags
 * @param input - the move
 *
 * @category Sessions
 */
export function guard(state: SessionState, flags: SessionFlags, input: SessionInput): string | undefined {
  const next = TRANSITIONS[state][input]
  if (next === undefined) return `${input} is not allowed in state ${state}`
  if (input === 'cpe:request') {
    if (flags.holdRequests) return 'the ACS holds requests (HoldRequests is true)'
    if (flags.cpeDone) return 'the CPE already sent an empty POST while HoldRequests was false'
  }
  if (input === 'acs:empty' && flags.cpeDone) return 'the CPE is done: the empty response ends the session (acs:end)'
  if (input === 'acs:end' && !flags.cpeDone) return 'the session cannot end before the CPE sent an empty POST while not held'
  return undefined
}

/**
 * Apply a move: the next state and flags. Throws nothing; call {@link guard} first.
 *
 * @param state - current state
 * @param flags - current flags
 * @param input - the move
 * @param holdRequests - for ACS moves, the HoldRequests value the ACS sent with it
 *
 * @category Sessions
 */
export function apply(
  state: SessionState,
  flags: SessionFlags,
  input: SessionInput,
  holdRequests?: boolean,
): {
  /** The state after the move. */
  readonly state: SessionState
  /** The flags after the move. */
  readonly flags: SessionFlags
} {
  const next = TRANSITIONS[state][input] as SessionState
  let f = flags
  if (input.startsWith('acs:')) {
    // An empty HTTP response carries HoldRequests=false; an envelope carries its header's value.
    // A retry request (8005) obliges the CPE to re-send at once, so it cannot hold requests.
    const hold = input === 'acs:empty' || input === 'acs:end' || input === 'acs:retry' ? false : holdRequests === true
    if (hold !== f.holdRequests) f = { ...f, holdRequests: hold }
  }
  if (input === 'cpe:empty' && !f.holdRequests && !f.cpeDone) f = { ...f, cpeDone: true }
  if (input === 'acs:retry') f = { ...f, retries: f.retries + 1 }
  return { state: next, flags: f }
}

/**
 * The table as a Mermaid state diagram (docs/sessions.md is generated from it). Mermaid state ids
 * cannot contain `-` and a transition label ends at a `:`, so states are declared with an alias
 * (`state "inform-sent" as inform_sent`) and moves are labelled `CPE inform`, `ACS request`, ….
 *
 * @category Sessions
 */
export function sessionDiagram(): string {
  const id = (state: string): string => state.replaceAll('-', '_')
  const label = (input: string): string => input.replace(/^(cpe|acs):/, (_m, side: string) => `${side.toUpperCase()} `)
  const lines = ['stateDiagram-v2']
  for (const state of Object.keys(TRANSITIONS)) {
    if (state.includes('-')) lines.push(`  state "${state}" as ${id(state)}`)
  }
  lines.push('  [*] --> idle')
  for (const [from, row] of Object.entries(TRANSITIONS)) {
    for (const [input, to] of Object.entries(row)) {
      if (input === 'fail' && from !== 'idle') continue
      lines.push(`  ${id(from)} --> ${id(to)}: ${label(input)}`)
    }
  }
  lines.push('  note right of failed: every state but done moves to failed on fail', '  done --> [*]', '  failed --> [*]')
  return lines.join('\n')
}
