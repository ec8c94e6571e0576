/**
 * The CWMP side of each request (TR-069 §3.7, SESSION-RULES §3 and §10, D400–D403): begin a session
 * at an authenticated Inform, resume one by its stored record, answer with the hooks, the queue and
 * the defaults, save the record after each answer or end the session, and sweep idle sessions. The
 * state lives in the parts of {@link SessionFlowContext}: the session store (what any instance needs
 * to go on), the session registry (what this instance saw), the device registry and the request
 * queues. While a request is handled its session is one {@link LiveSession}.
 *
 * @module
 */

import { makeFault } from '../faults.js'
import {
  createAcsSession,
  resumeAcsSession,
  type AcsSession,
  type AcsSessionOptions,
  type AcsSessionStep,
} from '../session/acs-session.js'
import { isEmptyBody } from '../session/http.js'
import type { HttpRequest, HttpResponse } from '../types/http.js'
import type { Fault } from '../types/messages.js'
import type { DeviceIdStruct } from '../types/structs.js'
import type { CpeAuthenticator } from './cpe-authenticator.js'
import type { DeviceRegistry } from './device-registry.js'
import { defaultAcsResponse, type AcsSimulatorContext, type AcsTurnCause, type CpeOwnRequest, type SessionHooks } from './hooks.js'
import type { KeyedLock } from './keyed-lock.js'
import { noteReceived, type ExchangeNotes } from './recorder.js'
import type { RequestQueues } from './request-queues.js'
import type { SessionCookie } from './session-cookie.js'
import type { SessionEnd, SessionRegistry } from './session-registry.js'
import type { AcsSessionOutcome, SessionStore, StoredAcsSession } from './session-store.js'

/**
 * The parts and settings the session flow works with.
 *
 * @internal
 */
export interface SessionFlowContext {
  /** Where sessions live between requests (shared by instances). */
  readonly store: SessionStore
  /** What this instance saw of each session; the open session of each device. */
  readonly sessions: SessionRegistry
  /** What this instance knows of each device. */
  readonly devices: DeviceRegistry
  /** Requests waiting per device. */
  readonly queues: RequestQueues
  /** Per-session serialisation (the sweep takes it too). */
  readonly lock: KeyedLock
  /** Authenticates the Inform that begins a session. */
  readonly authenticator: CpeAuthenticator
  /** The session cookie. */
  readonly cookie: SessionCookie
  /** The user's hooks. */
  readonly hooks: SessionHooks
  /** Options of every session machine. */
  readonly machine: Pick<AcsSessionOptions, 'versions' | 'decode'>
  /** The key of a device. */
  readonly deviceKeyOf: (deviceId: DeviceIdStruct) => string
  /** The least idle timeout of a session (ms). */
  readonly timeoutMs: number
  /** Clock, ms since the epoch. */
  readonly now: () => number
  /** A new session id (the cookie value). */
  readonly newSessionId: () => string
  /** Told about errors in hooks. */
  readonly reportError: (error: unknown) => void
  /** Something changed that {@link AcsSimulator.waitFor} may wait for. */
  readonly notify: () => void
}

/**
 * One live session while one of its requests is handled: its id, its record as read or begun, and
 * its machine.
 *
 * @internal
 */
export interface LiveSession {
  /** The session id. */
  readonly id: string
  /** The stored record this request started from. */
  readonly record: StoredAcsSession
  /** The session machine, resumed from `record.session`. */
  readonly machine: AcsSession
}

const NO_CONTENT: HttpResponse = { status: 204, headers: {}, body: '' }
const BAD_REQUEST: HttpResponse = { status: 400, headers: { 'content-length': '0' }, body: '' }
const TIMED_OUT = 'no request within the session timeout'

/**
 * Handle a POST: resume the session its cookie names (under that session's lock), or treat it as a
 * request without a live session.
 *
 * @param ctx - the parts
 * @param req - the request
 * @param notes - the exchange's notes
 * @param t0 - when it arrived
 * @internal
 */
export function handleCwmpPost(ctx: SessionFlowContext, req: HttpRequest, notes: ExchangeNotes, t0: number): Promise<HttpResponse> {
  const sid = ctx.cookie.read(req.headers)
  return sid === undefined ? begin(ctx, req, notes, t0) : ctx.lock.run(sid, () => resume(ctx, sid, req, notes, t0))
}

/**
 * End a session: unsent requests back to the device's queue (unless it ended well), the tombstone
 * in the store, the outcome in the registry.
 */
async function finish(
  ctx: SessionFlowContext,
  sessionId: string,
  stored: StoredAcsSession,
  outcome: Exclude<AcsSessionOutcome, 'active'>,
  reason: string | undefined,
): Promise<void> {
  const at = ctx.now()
  if (outcome !== 'done') ctx.queues.putBack(stored.deviceKey, stored.session.queue)
  const ended: SessionEnd = reason === undefined ? { outcome, at } : { outcome, at, reason }
  await ctx.store.set(sessionId, { ...stored, session: { ...stored.session, queue: [] }, ended }, stored.timeoutMs)
  ctx.sessions.ended(sessionId, stored, ended)
  ctx.notify()
}

/**
 * Sessions this instance last saw active and that have been idle too long: ask the store whether
 * they are over (another instance may have gone on with them).
 *
 * @param ctx - the parts
 * @param now - ms since the epoch
 * @internal
 */
export async function sweepIdleSessions(ctx: SessionFlowContext, now: number): Promise<void> {
  for (const sessionId of ctx.sessions.idle(now)) {
    await ctx.lock.run(sessionId, async () => {
      if (!ctx.sessions.isActive(sessionId)) return
      const stored = await ctx.store.get(sessionId)
      if (stored === undefined) {
        ctx.sessions.markEnded(sessionId, { outcome: 'timeout', at: now, reason: TIMED_OUT })
      } else if (stored.ended !== undefined) {
        ctx.sessions.markEnded(sessionId, stored.ended)
      } else if (now - stored.lastActivity > stored.timeoutMs) {
        await finish(ctx, sessionId, stored, 'timeout', TIMED_OUT)
      } else {
        ctx.sessions.sawActivity(sessionId, stored.lastActivity)
      }
    })
  }
  ctx.notify()
}

function contextOf(live: LiveSession): AcsSimulatorContext {
  return { deviceKey: live.record.deviceKey, sessionId: live.id, inform: live.record.inform, version: live.machine.version }
}

/** The queued requests of the device join the session. */
function takeQueued(ctx: SessionFlowContext, live: LiveSession): void {
  const waiting = ctx.queues.takeAll(live.record.deviceKey)
  // In slices: a spread argument lives on the stack, and a queue can be longer than it holds.
  const SLICE = 4096
  for (let i = 0; i < waiting.length; i += SLICE) live.machine.enqueue(...waiting.slice(i, i + SLICE))
}

async function answerInform(
  ctx: SessionFlowContext,
  live: LiveSession,
  step: Extract<AcsSessionStep, { type: 'inform' }>,
  notes: ExchangeNotes,
): Promise<HttpResponse> {
  const acs = live.machine
  if (step.incompatible) {
    const fault = makeFault('acs', 'VersionIncompatible')
    notes.sent = fault
    return acs.respond(fault)
  }
  if (ctx.hooks.informFault !== undefined) {
    const fault = await ctx.hooks.informFault(step.inform, { ...contextOf(live), retries: acs.toJSON().flags.retries })
    if (fault !== undefined) {
      notes.sent = fault
      return acs.respond(fault)
    }
  }
  takeQueued(ctx, live)
  notes.sent = { method: 'InformResponse', maxEnvelopes: 1 }
  return acs.informResponse()
}

/** The ACS's turn: the script first, then the queue; 204 when both have nothing. */
async function acsTurn(ctx: SessionFlowContext, live: LiveSession, last: AcsTurnCause, notes: ExchangeNotes): Promise<HttpResponse> {
  const acs = live.machine
  takeQueued(ctx, live)
  const chosen =
    ctx.hooks.script === undefined ? undefined : await ctx.hooks.script({ ...contextOf(live), last, queue: acs.toJSON().queue })
  const reply = chosen === undefined ? acs.next() : acs.request(chosen)
  const out = acs.toJSON().outstanding
  if (reply.status === 200 && out !== undefined) {
    notes.sent = out.request
    ctx.sessions.sent(live.id, live.record, out.request)
  }
  return reply
}

/** Run the answer, then save the session (or end it). Errors in hooks abort the session with 400. */
async function settle(
  ctx: SessionFlowContext,
  live: LiveSession,
  notes: ExchangeNotes,
  answer: () => Promise<HttpResponse>,
  t0: number,
): Promise<HttpResponse> {
  const acs = live.machine
  let reply: HttpResponse
  let reason: string | undefined
  try {
    reply = await answer()
  } catch (err) {
    ctx.reportError(err)
    reason = `hook error: ${err instanceof Error ? err.message : String(err)}`
    notes.sent = undefined
    notes.sentNote = reason
    reply = acs.abort()
  }
  const state = acs.toJSON()
  const next: StoredAcsSession = { ...live.record, session: state, lastActivity: t0 }
  ctx.sessions.touched(live.id, next)
  if (acs.finished) {
    const why =
      reason ??
      notes.receivedError ??
      (notes.sent?.method === 'Fault' ? `Inform answered with fault ${(notes.sent as Fault).faultCode}` : undefined)
    await finish(ctx, live.id, next, state.state === 'done' ? 'done' : 'failed', state.state === 'done' ? undefined : why)
  } else {
    // Kept twice the timeout, so that a late request still finds it and learns it expired.
    await ctx.store.set(live.id, next, 2 * next.timeoutMs)
  }
  return reply
}

/**
 * A request without a live session. An empty POST gets 204 (a stray one after a session that
 * ended well, or from a CPE that lost its cookie), except with the cookie of a session that ended
 * unsuccessfully: that gets 400, so the CPE too considers its session failed and retries it.
 * Anything else must authenticate, and must be an Inform.
 */
async function begin(
  ctx: SessionFlowContext,
  req: HttpRequest,
  notes: ExchangeNotes,
  t0: number,
  ended?: StoredAcsSession['ended'],
): Promise<HttpResponse> {
  if (isEmptyBody(req.body)) {
    if (ended !== undefined && ended.outcome !== 'done') {
      notes.receivedError = `empty POST in a session that ended: ${ended.outcome}`
      return BAD_REQUEST
    }
    notes.sentNote = 'empty POST outside a session'
    return NO_CONTENT
  }
  const who = ctx.authenticator.authenticate(req)
  if (!who.ok) {
    notes.receivedError = `not authenticated (${who.why})`
    return who.reply
  }
  const sessionId = ctx.newSessionId()
  const acs = createAcsSession({ sessionId, ...ctx.machine })
  const { step } = acs.receive(req)
  noteReceived(notes, step)
  if (step.type !== 'inform') {
    notes.receivedError ??= 'no session: only an Inform can begin one'
    return step.type === 'invalid' ? step.reply : acs.abort()
  }
  const inform = step.inform
  const deviceKey = ctx.deviceKeyOf(inform.deviceId)
  notes.deviceKey = deviceKey
  notes.sessionId = sessionId

  // A session of this device still open here: the CPE has given up on it.
  const previous = ctx.sessions.openSessionOf(deviceKey)
  if (previous !== undefined) {
    const old = await ctx.store.get(previous)
    if (old !== undefined && old.ended === undefined) await finish(ctx, previous, old, 'replaced', 'the device began a new session')
  }

  ctx.devices.informed(deviceKey, inform, t0)
  const cpeTimeout = (step.header.sessionTimeout ?? 0) * 1000
  const record: StoredAcsSession = {
    session: acs.toJSON(),
    deviceKey,
    inform,
    ...(who.username === undefined ? {} : { username: who.username }),
    startedAt: t0,
    lastActivity: t0,
    timeoutMs: Math.max(ctx.timeoutMs, cpeTimeout),
  }
  // Tracking the new session makes it the device's open session.
  ctx.sessions.track(sessionId, record)
  const live: LiveSession = { id: sessionId, record, machine: acs }
  const reply = await settle(ctx, live, notes, () => answerInform(ctx, live, step, notes), t0)
  return { ...reply, headers: { ...reply.headers, 'set-cookie': ctx.cookie.setCookie(sessionId) } }
}

/** A request with the cookie of a session: go on with it if it is live, else as without a session. */
async function resume(ctx: SessionFlowContext, sessionId: string, req: HttpRequest, notes: ExchangeNotes, t0: number): Promise<HttpResponse> {
  let stored = await ctx.store.get(sessionId)
  let ended: StoredAcsSession['ended']
  if (stored !== undefined && stored.ended === undefined && t0 - stored.lastActivity > stored.timeoutMs) {
    ended = { outcome: 'timeout', at: t0 }
    await finish(ctx, sessionId, stored, 'timeout', TIMED_OUT)
    stored = undefined
  }
  if (stored === undefined || stored.ended !== undefined) return begin(ctx, req, notes, t0, ended ?? stored?.ended)
  const record = stored
  notes.sessionId = sessionId
  notes.deviceKey = record.deviceKey
  ctx.sessions.track(sessionId, record)
  const live: LiveSession = { id: sessionId, record, machine: resumeAcsSession(record.session, ctx.machine) }
  const acs = live.machine
  const { step } = acs.receive(req)
  noteReceived(notes, step)
  if (step.type === 'invalid' && step.reason === 'out-of-turn' && step.method === 'Inform') {
    // A new Inform: the CPE has abandoned this session and begins another.
    await finish(ctx, sessionId, { ...record, session: acs.toJSON(), lastActivity: t0 }, 'replaced', 'a new Inform in the session')
    notes.receivedError = undefined
    notes.received = undefined
    return begin(ctx, req, notes, t0)
  }
  return settle(
    ctx,
    live,
    notes,
    async () => {
      switch (step.type) {
        case 'inform': {
          // The same Inform again, after fault 8005. The cookie again, unchanged, on its answer.
          const reply = await answerInform(ctx, live, step, notes)
          return { ...reply, headers: { ...reply.headers, 'set-cookie': ctx.cookie.setCookie(sessionId) } }
        }
        case 'request': {
          const request = step.request as CpeOwnRequest
          const custom = await ctx.hooks.onCpeRequest?.(request, contextOf(live))
          const answer = custom ?? defaultAcsResponse(request)
          notes.sent = answer
          return acs.respond(answer)
        }
        case 'response':
          ctx.devices.answered(record.deviceKey, step.request, step.response)
          return acsTurn(ctx, live, { type: 'response', request: step.request, response: step.response }, notes)
        case 'fault':
          return acsTurn(ctx, live, { type: 'fault', request: step.request, fault: step.fault }, notes)
        case 'empty':
          return acsTurn(ctx, live, { type: 'empty' }, notes)
        case 'invalid':
          // A Fault 8000/8003 to a CPE request the machine could not take (the session goes on), or 400.
          if (step.replyFault !== undefined) notes.sent = step.replyFault
          return step.reply
      }
    },
    t0,
  )
}
