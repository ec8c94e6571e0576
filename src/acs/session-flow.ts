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
import type { AcsRequest, Fault } from '../types/messages.js'
import type { DeviceIdStruct } from '../types/structs.js'
import type { CpeAuthenticator, CpeAuthResult } from './cpe-authenticator.js'
import { connectionRequestUrlIn, learntFrom, type DeviceStore } from './device-registry.js'
import { defaultAcsResponse, type AcsSimulatorContext, type AcsTurnCause, type CpeOwnRequest, type SessionHooks } from './hooks.js'
import type { AcsLocks } from './keyed-lock.js'
import { noteReceived, type ExchangeNotes } from './recorder.js'
import type { RequestQueueStore } from './request-queues.js'
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
  /** What this instance saw of each session. */
  readonly sessions: SessionRegistry
  /** The devices and their open sessions (shared by instances). */
  readonly devices: DeviceStore
  /** Requests waiting per device (shared by instances). */
  readonly queues: RequestQueueStore
  /** Per-session and per-device serialisation (the sweep takes it too). */
  readonly lock: AcsLocks
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
  /** Bound a wait on user code (a hook, `auth.authorize`): {@link boundWait} with the simulator's `userCodeTimeoutMs`. */
  readonly bound: <T>(operation: string, value: T | PromiseLike<T>) => T | Promise<T>
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
  /** Its version in the store (undefined: a new session, not yet written). */
  readonly version: number | undefined
  /** The session machine, resumed from `record.session`. */
  readonly machine: AcsSession
  /** Requests taken from the device's queue while handling this request (put back if it cannot be saved). */
  readonly taken: AcsRequest[]
  /** A request sent in this request, for the record. */
  sent: AcsRequest | undefined
}

/**
 * What the request head admitted a request as ({@link AcsRequestHandler.judge}).
 *
 * @internal
 */
export interface Admission {
  /** The session id its cookie names, if any. */
  readonly sessionId: string | undefined
  /** Its credentials, when they were checked from its head (undefined: check them if needed). */
  readonly who: Extract<CpeAuthResult, { ok: true }> | undefined
}

const NO_CONTENT: HttpResponse = { status: 204, headers: {}, body: '' }
const FORBIDDEN: HttpResponse = { status: 403, headers: { 'content-length': '0' }, body: '' }
const BAD_REQUEST: HttpResponse = { status: 400, headers: { 'content-length': '0' }, body: '' }
const TIMED_OUT = 'no request within the session timeout'
/** Another instance changed the session's record meanwhile (its lock's lease ran out): nothing was saved. */
const CONFLICT: HttpResponse = { status: 503, headers: { 'retry-after': '1', 'content-length': '0' }, body: '' }

/**
 * Handle a POST: resume the session its cookie names (under that session's lock), or treat it as a
 * request without a live session.
 *
 * @param ctx - the parts
 * @param req - the request
 * @param admission - what its head admitted it as
 * @param notes - the exchange's notes
 * @param t0 - when it arrived
 * @internal
 */
export function handleCwmpPost(
  ctx: SessionFlowContext,
  req: HttpRequest,
  admission: Admission,
  notes: ExchangeNotes,
  t0: number,
): Promise<HttpResponse> {
  const sid = admission.sessionId
  return sid === undefined
    ? begin(ctx, req, notes, t0, undefined, admission.who)
    : ctx.lock.run(sid, () => resume(ctx, sid, req, admission.who, notes, t0))
}

/** The lock key of a device (session ids are base64url, so the two never meet). */
const deviceLock = (deviceKey: string): string => `device\u0000${deviceKey}`

/**
 * End a session by compare-and-set of its tombstone: unsent requests back to the device's queue
 * (unless it ended well), the device's open session cleared, the outcome in the registry. With
 * `notes`, the registry learns the outcome once the exchange is recorded (so that a waiter never
 * sees a session over before its last exchange).
 *
 * @returns false when the record had changed meanwhile (nothing done)
 */
async function finish(
  ctx: SessionFlowContext,
  sessionId: string,
  stored: StoredAcsSession,
  version: number | undefined,
  outcome: Exclude<AcsSessionOutcome, 'active'>,
  reason: string | undefined,
  notes: ExchangeNotes | undefined,
): Promise<boolean> {
  const at = ctx.now()
  const ended: SessionEnd = reason === undefined ? { outcome, at } : { outcome, at, reason }
  const unsent = stored.session.queue
  // The tombstone is kept for `timeoutMs` and read only for the device, events, version, requests
  // and outcome: without the Inform's ParameterList, and copied, so that the strings cut out of the
  // request text (the DeviceId's, the device key built from them) do not keep that text alive
  // (10.3 KB a tombstone before, D437). The record is plain JSON (StoredAcsSession).
  const tombstone = JSON.parse(
    JSON.stringify({ ...stored, inform: { ...stored.inform, parameterList: [] }, session: { ...stored.session, queue: [] }, ended }),
  ) as StoredAcsSession
  if ((await ctx.store.compareAndSet(sessionId, version, tombstone, stored.timeoutMs)) === undefined) return false
  if (outcome !== 'done' && unsent.length > 0) await ctx.queues.putBack(stored.deviceKey, unsent)
  await ctx.devices.closeSession(stored.deviceKey, sessionId)
  if (notes === undefined) {
    ctx.sessions.ended(sessionId, stored, ended)
    ctx.notify()
  } else {
    ;(notes.afterRecord ??= []).push(() => ctx.sessions.ended(sessionId, stored, ended))
  }
  return true
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
      const got = await ctx.store.get(sessionId)
      const stored = got?.record
      if (stored === undefined) {
        ctx.sessions.markEnded(sessionId, { outcome: 'timeout', at: now, reason: TIMED_OUT })
      } else if (stored.ended !== undefined) {
        ctx.sessions.markEnded(sessionId, stored.ended)
      } else if (now - stored.lastActivity > stored.timeoutMs) {
        await finish(ctx, sessionId, stored, got?.version, 'timeout', TIMED_OUT, undefined)
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

/**
 * The queued requests of the device join the session. In slices: a spread argument lives on the stack,
 * and each `enqueue` copies the session's queue, so one call per request is quadratic (16,000 requests
 * took 12 s that way); slices of 4,096 keep both bounded.
 */
async function takeQueued(ctx: SessionFlowContext, live: LiveSession): Promise<void> {
  const waiting = await ctx.queues.takeAll(live.record.deviceKey)
  const SLICE = 4096
  for (let i = 0; i < waiting.length; i += SLICE) live.machine.enqueue(...waiting.slice(i, i + SLICE))
  for (const request of waiting) live.taken.push(request)
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
    const fault = await ctx.bound('informFault', ctx.hooks.informFault(step.inform, { ...contextOf(live), retries: acs.toJSON().flags.retries }))
    if (fault !== undefined) {
      notes.sent = fault
      return acs.respond(fault)
    }
  }
  if (ctx.hooks.onInform !== undefined) await ctx.bound('onInform', ctx.hooks.onInform(step.inform, contextOf(live)))
  await takeQueued(ctx, live)
  notes.sent = { method: 'InformResponse', maxEnvelopes: 1 }
  return acs.informResponse()
}

/** The ACS's turn: the script first, then the queue; 204 when both have nothing. */
async function acsTurn(ctx: SessionFlowContext, live: LiveSession, last: AcsTurnCause, notes: ExchangeNotes): Promise<HttpResponse> {
  const acs = live.machine
  await takeQueued(ctx, live)
  const chosen =
    ctx.hooks.script === undefined ? undefined : await ctx.bound('script', ctx.hooks.script({ ...contextOf(live), last, queue: acs.toJSON().queue }))
  const reply = chosen === undefined ? acs.next() : acs.request(chosen)
  const out = reply.status === 200 ? acs.toJSON().outstanding?.request : undefined
  if (out !== undefined) {
    notes.sent = out
    live.sent = out
    ctx.sessions.sent(live.id, live.record, out)
  }
  return reply
}

/**
 * Run the answer, then save the session (or end it) by compare-and-set. Errors in hooks abort the
 * session with 400. When the record changed meanwhile (another instance handled a request of this
 * session after this one's lock lease ran out), nothing is saved, the requests taken from the queue
 * go back, and the CPE gets 503.
 */
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
  const sent = live.sent === undefined ? live.record.sent : [...(live.record.sent ?? []), live.sent]
  const next: StoredAcsSession = { ...live.record, session: state, lastActivity: t0, ...(sent === undefined ? {} : { sent }) }
  ctx.sessions.touched(live.id, next)
  let saved: boolean
  if (acs.finished) {
    const why =
      reason ??
      notes.receivedError ??
      (notes.sent?.method === 'Fault' ? `Inform answered with fault ${(notes.sent as Fault).faultCode}` : undefined)
    saved = await finish(ctx, live.id, next, live.version, state.state === 'done' ? 'done' : 'failed', state.state === 'done' ? undefined : why, notes)
  } else {
    // Kept twice the timeout, so that a late request still finds it and learns it expired.
    saved = (await ctx.store.compareAndSet(live.id, live.version, next, 2 * next.timeoutMs)) !== undefined
  }
  if (!saved) {
    if (live.taken.length > 0) await ctx.queues.putBack(live.record.deviceKey, live.taken)
    notes.sent = undefined
    notes.sentNote = 'the session was changed by another instance meanwhile: nothing saved'
    return CONFLICT
  }
  return reply
}

/**
 * A request without a live session. An empty POST gets 204 (a stray one after a session that
 * ended well, or from a CPE that lost its cookie), except with the cookie of a session that ended
 * unsuccessfully: that gets 400, so the CPE too considers its session failed and retries it.
 * Anything else must authenticate (unless its head already did), must be an Inform, and its user
 * must be allowed to be the Inform's device (403 otherwise, and nothing changes). The rest runs
 * under the device's lock, so that two Informs of one device never both open a session: the later
 * one replaces the earlier.
 */
async function begin(
  ctx: SessionFlowContext,
  req: HttpRequest,
  notes: ExchangeNotes,
  t0: number,
  ended?: StoredAcsSession['ended'],
  checked?: Admission['who'],
): Promise<HttpResponse> {
  if (isEmptyBody(req.body)) {
    if (ended !== undefined && ended.outcome !== 'done') {
      notes.receivedError = `empty POST in a session that ended: ${ended.outcome}`
      return BAD_REQUEST
    }
    notes.sentNote = 'empty POST outside a session'
    return NO_CONTENT
  }
  const who = checked ?? (await ctx.authenticator.authenticate(req))
  if (!who.ok) {
    notes.receivedError = `not authenticated (${who.why})`
    notes.refused = who.presented
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
  if (!(await ctx.bound('auth.authorize', ctx.authenticator.mayBe(who.username, inform.deviceId, deviceKey)))) {
    notes.receivedError = `not authorized: user ${JSON.stringify(who.username)} may not be device ${JSON.stringify(deviceKey)}`
    notes.refused = true
    return FORBIDDEN
  }
  notes.sessionId = sessionId

  return ctx.lock.run(deviceLock(deviceKey), async () => {
    // A session of this device still open: the CPE has given up on it. Its record may change under
    // us (a late request of it on another instance): read it again until the tombstone is written.
    for (let attempt = 0; attempt < 3; attempt++) {
      const previous = (await ctx.devices.get(deviceKey))?.openSession
      if (previous === undefined) break
      const old = await ctx.store.get(previous)
      if (old === undefined || old.record.ended !== undefined) break
      if (await finish(ctx, previous, old.record, old.version, 'replaced', 'the device began a new session', notes)) break
    }

    const crUrl = connectionRequestUrlIn(inform.parameterList)
    await ctx.devices.informed(
      deviceKey,
      { deviceId: inform.deviceId, events: inform.event.map((e) => e.eventCode), ...(crUrl === undefined ? {} : { connectionRequestUrl: crUrl }) },
      t0,
    )
    await ctx.devices.openSession(deviceKey, sessionId)
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
    ctx.sessions.track(sessionId, record)
    const live: LiveSession = { id: sessionId, record, version: undefined, machine: acs, taken: [], sent: undefined }
    const reply = await settle(ctx, live, notes, () => answerInform(ctx, live, step, notes), t0)
    return { ...reply, headers: { ...reply.headers, 'set-cookie': ctx.cookie.setCookie(sessionId) } }
  })
}

/** A request with the cookie of a session: go on with it if it is live, else as without a session. */
async function resume(
  ctx: SessionFlowContext,
  sessionId: string,
  req: HttpRequest,
  checked: Admission['who'],
  notes: ExchangeNotes,
  t0: number,
): Promise<HttpResponse> {
  const got = await ctx.store.get(sessionId)
  let stored = got?.record
  let ended: StoredAcsSession['ended']
  if (stored !== undefined && stored.ended === undefined && t0 - stored.lastActivity > stored.timeoutMs) {
    ended = { outcome: 'timeout', at: t0 }
    await finish(ctx, sessionId, stored, got?.version, 'timeout', TIMED_OUT, notes)
    stored = undefined
  }
  if (got === undefined || stored === undefined || stored.ended !== undefined) {
    // An empty POST with a cookie naming no session known here: a guessed session id (an honest CPE
    // sends one only once, when the ACS lost its session), a refusal for `sourceLimits`. Not an
    // Inform: some CPEs keep the cookie of their last session for the next one.
    if (got === undefined && isEmptyBody(req.body)) notes.refused = true
    return begin(ctx, req, notes, t0, ended ?? stored?.ended, checked)
  }
  const record = stored
  notes.sessionId = sessionId
  notes.deviceKey = record.deviceKey
  ctx.sessions.track(sessionId, record)
  const live: LiveSession = {
    id: sessionId,
    record,
    version: got.version,
    machine: resumeAcsSession(record.session, ctx.machine),
    taken: [],
    sent: undefined,
  }
  const acs = live.machine
  const { step } = acs.receive(req)
  noteReceived(notes, step)
  if (step.type === 'invalid' && step.reason === 'out-of-turn' && step.method === 'Inform') {
    // A new Inform: the CPE has abandoned this session and begins another.
    await finish(ctx, sessionId, { ...record, session: acs.toJSON(), lastActivity: t0 }, got.version, 'replaced', 'a new Inform in the session', notes)
    notes.receivedError = undefined
    notes.received = undefined
    notes.refused = false
    return begin(ctx, req, notes, t0, undefined, checked)
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
          const custom = ctx.hooks.onCpeRequest === undefined ? undefined : await ctx.bound('onCpeRequest', ctx.hooks.onCpeRequest(request, contextOf(live)))
          const answer = custom ?? defaultAcsResponse(request)
          notes.sent = answer
          return acs.respond(answer)
        }
        case 'response': {
          const learnt = learntFrom(step.request, step.response)
          if (learnt !== undefined) await ctx.devices.learnt(record.deviceKey, learnt)
          return acsTurn(ctx, live, { type: 'response', request: step.request, response: step.response }, notes)
        }
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
