/**
 * The simulator's request handling in two phases, so that an unauthenticated body is never read:
 *
 * 1. {@link AcsRequestHandler.judge}, from the request head alone (the server adapter's
 *    `beforeBody`): anything but a POST gets 405; a cookie naming a live session, or an empty
 *    POST, is admitted; anything else must authenticate from its header fields, else it gets its
 *    401 at once and is recorded without its body.
 * 2. {@link AcsRequestHandler.admitted}, with the whole request: the session flow, a failure of the
 *    store (or a bug) as a bare 500, the recording, then the waiters.
 *
 * {@link AcsRequestHandler.handle} runs both on a whole request (for a test, or a server of your
 * own). No sockets and no timers: the HTTP listener, or a test, calls it.
 *
 * @module
 */

import type { HttpRequestHead, HttpRequestInfo } from '../transport/http-server.js'
import { headerValue, type HttpRequest, type HttpResponse } from '../types/http.js'
import { newExchangeNotes, type ExchangeNotes, type Recorder } from './recorder.js'
import { handleCwmpPost, sweepIdleSessions, type Admission, type SessionFlowContext } from './session-flow.js'

/**
 * What the handler needs besides the session flow's parts.
 *
 * @internal
 */
export interface RequestHandlerContext extends SessionFlowContext {
  /** Where exchanges are recorded. */
  readonly recorder: Recorder
  /**
   * Told the source address of each refusal an honest CPE does not provoke (`notes.refused`, for
   * the simulator's `sourceLimits`). Default: nobody.
   */
  readonly refused?: ((address: string | undefined) => void) | undefined
}

/**
 * What {@link AcsRequestHandler.judge} decides from a request head.
 *
 * @internal
 */
export type HeadVerdict =
  | {
      /** Answer at once (405, 401): the body is not read; the exchange is already recorded. */
      readonly respond: HttpResponse
    }
  | {
      /** Read the body and go on with {@link AcsRequestHandler.admitted}. */
      readonly admit: Admission
    }

/**
 * The simulator's request handling.
 *
 * @internal
 */
export interface AcsRequestHandler {
  /**
   * Judge a request from its head (before its body is read).
   *
   * @param head - request line and header fields
   * @param info - the connection
   */
  judge(head: HttpRequestHead, info?: Partial<HttpRequestInfo>): Promise<HeadVerdict>
  /**
   * Handle an admitted request, body and all.
   *
   * @param request - the whole request
   * @param admission - what {@link AcsRequestHandler.judge} admitted it as
   * @param info - the connection
   */
  admitted(request: HttpRequest, admission: Admission, info?: Partial<HttpRequestInfo>): Promise<HttpResponse>
  /**
   * Both phases on a whole request ({@link AcsSimulator.handler}).
   *
   * @param request - the whole request
   * @param info - the connection
   */
  handle(request: HttpRequest, info?: Partial<HttpRequestInfo>): Promise<HttpResponse>
}

/** How often, at most, a request starts a sweep of idle sessions (ms). */
const SWEEP_INTERVAL_MS = 1000

const NOT_A_POST: HttpResponse = { status: 405, headers: { allow: 'POST', 'content-length': '0' }, body: '' }

/** True when a head declares an empty body (no `transfer-encoding`, no or a zero `content-length`). */
function declaresEmptyBody(head: HttpRequestHead): boolean {
  if (headerValue(head.headers, 'transfer-encoding') !== undefined) return false
  const length = headerValue(head.headers, 'content-length')
  return length === undefined || length.trim() === '0'
}

/**
 * The handler over a set of parts.
 *
 * @param ctx - the parts
 * @internal
 */
export function createRequestHandler(ctx: RequestHandlerContext): AcsRequestHandler {
  let exchanges = 0
  let nextSweep = 0

  /** Record the exchange, then apply what waited for the recording (session ends), then wake waiters. */
  const done = (seq: number, t0: number, request: HttpRequest, res: HttpResponse, info: Partial<HttpRequestInfo>, notes: ExchangeNotes): void => {
    if (ctx.recorder.enabled) ctx.recorder.record({ seq, receivedAt: t0, request, response: res, info, notes })
    if (notes.afterRecord !== undefined) for (const f of notes.afterRecord) f()
    if (notes.refused && ctx.refused !== undefined) ctx.refused(info.remoteAddress)
    ctx.notify()
  }

  const judge = async (head: HttpRequestHead, info: Partial<HttpRequestInfo> = {}): Promise<HeadVerdict> => {
    const t0 = ctx.now()
    if (t0 >= nextSweep) {
      nextSweep = t0 + SWEEP_INTERVAL_MS
      sweepIdleSessions(ctx, t0).catch(ctx.reportError)
    }
    let refusal: HttpResponse | undefined
    let delayMs = 0
    const notes = newExchangeNotes()
    try {
      if (head.method !== 'POST') {
        notes.receivedError = 'not a POST'
        notes.refused = true
        refusal = NOT_A_POST
      } else {
        const sid = ctx.cookie.read(head.headers)
        if (sid !== undefined) {
          const stored = await ctx.store.get(sid)
          if (stored !== undefined && stored.record.ended === undefined) return { admit: { sessionId: sid, who: undefined } }
        }
        if (declaresEmptyBody(head) || !ctx.authenticator.enabled) return { admit: { sessionId: sid, who: undefined } }
        const who = await ctx.authenticator.authenticate(head)
        if (who.ok) return { admit: { sessionId: sid, who } }
        notes.receivedError = `not authenticated (${who.why})`
        notes.refused = who.presented
        refusal = who.reply
        delayMs = who.delayMs
      }
    } catch (err) {
      ctx.reportError(err)
      notes.sentNote = `internal error: ${err instanceof Error ? err.message : String(err)}`
      refusal = { status: 500, headers: { 'content-length': '0' }, body: '' }
    }
    done(++exchanges, t0, { ...head, body: '' }, refusal, info, notes)
    // Refused credentials are answered late (auth.failureDelayMs, D440); the timer does not keep the process up.
    if (delayMs > 0) await new Promise<void>((resolve) => setTimeout(resolve, delayMs).unref())
    return { respond: refusal }
  }

  const admitted = async (req: HttpRequest, admission: Admission, info: Partial<HttpRequestInfo> = {}): Promise<HttpResponse> => {
    const t0 = ctx.now()
    const seq = ++exchanges
    const notes = newExchangeNotes()
    let res: HttpResponse
    try {
      res = await handleCwmpPost(ctx, req, admission, notes, t0)
    } catch (err) {
      // The store failed (or a bug): 500, and the client sees nothing of it.
      ctx.reportError(err)
      notes.sentNote = `internal error: ${err instanceof Error ? err.message : String(err)}`
      res = { status: 500, headers: { 'content-length': '0' }, body: '' }
    }
    done(seq, t0, req, res, info, notes)
    return res
  }

  return {
    judge,
    admitted,
    async handle(req, info = {}) {
      const verdict = await judge(req, info)
      return 'respond' in verdict ? verdict.respond : admitted(req, verdict.admit, info)
    },
  }
}
