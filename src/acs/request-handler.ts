/**
 * The simulator's whole-message handler ({@link AcsSimulator.handler}): numbers the exchange, starts
 * the idle sweep at most once a second, answers anything but a POST with 405, hands a POST to the
 * session flow, turns a failure of the store (or a bug) into a bare 500, then records the exchange
 * and wakes the waiters. No sockets and no timers: the HTTP listener, or a test, calls it.
 *
 * @module
 */

import type { HttpRequestInfo } from '../transport/http-server.js'
import type { HttpRequest, HttpResponse } from '../types/http.js'
import { newExchangeNotes, type Recorder } from './recorder.js'
import { handleCwmpPost, sweepIdleSessions, type SessionFlowContext } from './session-flow.js'

/**
 * What the handler needs besides the session flow's parts.
 *
 * @internal
 */
export interface RequestHandlerContext extends SessionFlowContext {
  /** Where exchanges are recorded. */
  readonly recorder: Recorder
}

/**
 * A whole HTTP request in, the whole response out.
 *
 * @internal
 */
export type AcsRequestHandler = (request: HttpRequest, info?: Partial<HttpRequestInfo>) => Promise<HttpResponse>

/** How often, at most, a request starts a sweep of idle sessions (ms). */
const SWEEP_INTERVAL_MS = 1000

/**
 * The handler over a set of parts.
 *
 * @param ctx - the parts
 * @internal
 */
export function createRequestHandler(ctx: RequestHandlerContext): AcsRequestHandler {
  let exchanges = 0
  let nextSweep = 0
  return async (req, info = {}) => {
    const t0 = ctx.now()
    const seq = ++exchanges
    const notes = newExchangeNotes()
    if (t0 >= nextSweep) {
      nextSweep = t0 + SWEEP_INTERVAL_MS
      sweepIdleSessions(ctx, t0).catch(ctx.reportError)
    }
    let res: HttpResponse
    try {
      if (req.method !== 'POST') {
        notes.receivedError = 'not a POST'
        res = { status: 405, headers: { allow: 'POST', 'content-length': '0' }, body: '' }
      } else {
        res = await handleCwmpPost(ctx, req, notes, t0)
      }
    } catch (err) {
      // The store failed (or a bug): 500, and the client sees nothing of it.
      ctx.reportError(err)
      notes.sentNote = `internal error: ${err instanceof Error ? err.message : String(err)}`
      res = { status: 500, headers: { 'content-length': '0' }, body: '' }
    }
    ctx.recorder.record({ seq, receivedAt: t0, request: req, response: res, info, notes })
    ctx.notify()
    return res
  }
}
