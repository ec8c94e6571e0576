/**
 * What the simulator's hooks see and return: the context of a session, the argument of the
 * per-turn {@link AcsScript}, and {@link defaultAcsResponse}, the answer to a CPE request when the
 * `onCpeRequest` hook gives none.
 *
 * @module
 */

import type { AcsRequest, AcsResponse, CpeRequest, CpeResponse, Fault, Inform, VendorMessage } from '../types/messages.js'
import { ACS_METHODS, responseMethodOf } from '../types/catalogue.js'
import type { CwmpVersion } from '../types/version.js'

/**
 * Who the simulator is talking to, as hooks see it.
 *
 * @category ACS simulator
 */
export interface AcsSimulatorContext {
  /** The device key. */
  readonly deviceKey: string
  /** The session id (cookie value). */
  readonly sessionId: string
  /** The Inform that opened the session. */
  readonly inform: Inform
  /** The session's CWMP version. */
  readonly version: CwmpVersion
}

/**
 * What the CPE last said when it is the ACS's turn.
 *
 * @category ACS simulator
 */
export type AcsTurnCause =
  /** An empty POST. */
  | {
      /** Discriminant. */
      readonly type: 'empty'
    }
  /** The answer to the ACS's last request. */
  | {
      /** Discriminant. */
      readonly type: 'response'
      /** The ACS's request. */
      readonly request: AcsRequest
      /** The CPE's response. */
      readonly response: CpeResponse | VendorMessage
    }
  /** A fault in answer to the ACS's last request. */
  | {
      /** Discriminant. */
      readonly type: 'fault'
      /** The ACS's request. */
      readonly request: AcsRequest
      /** The CPE's fault. */
      readonly fault: Fault
    }

/**
 * The argument of an {@link AcsScript}: one ACS turn.
 *
 * @category ACS simulator
 */
export interface AcsTurn extends AcsSimulatorContext {
  /** What the CPE last sent. */
  readonly last: AcsTurnCause
  /** The requests queued for this session, sent in order when the script returns nothing. */
  readonly queue: readonly AcsRequest[]
}

/**
 * Called at every ACS turn (after the CPE's empty POST, response or fault). Return a request to
 * send it now, ahead of the queue; return undefined to send the next queued request, or the empty
 * 204 response when the queue is empty. A script that depends only on its argument works
 * unchanged when several processes share the session store.
 *
 * @category ACS simulator
 */
export type AcsScript = (turn: AcsTurn) => AcsRequest | undefined | Promise<AcsRequest | undefined>

/**
 * A CPE request other than Inform.
 *
 * @category ACS simulator
 */
export type CpeOwnRequest = Exclude<CpeRequest, Inform>

/**
 * The hooks a session consults (the options of the same names of {@link createAcsSimulator}).
 *
 * @internal
 */
export interface SessionHooks {
  /** Called at every ACS turn. */
  readonly script?: AcsScript | undefined
  /** Answers a CPE request, or leaves it to {@link defaultAcsResponse}. */
  readonly onCpeRequest?:
    | ((request: CpeOwnRequest, context: AcsSimulatorContext) => AcsResponse | Fault | undefined | Promise<AcsResponse | Fault | undefined>)
    | undefined
  /** Told of an Inform about to be answered with InformResponse, before the device's queue joins the session. */
  readonly onInform?: ((inform: Inform, context: AcsSimulatorContext) => void | Promise<void>) | undefined
  /** Answers an Inform with a fault instead of InformResponse. */
  readonly informFault?:
    | ((inform: Inform, context: AcsSimulatorContext & { readonly retries: number }) => Fault | undefined | Promise<Fault | undefined>)
    | undefined
}

/**
 * The default answer to a CPE request: the matching response (GetRPCMethods lists the methods an
 * ACS implements, KickedResponse sends the CPE's `next` URL back).
 *
 * @param request - the CPE's request
 * @category ACS simulator
 */
export function defaultAcsResponse(request: CpeOwnRequest): AcsResponse {
  switch (request.method) {
    case 'GetRPCMethods':
      return { method: 'GetRPCMethodsResponse', methodList: ACS_METHODS }
    case 'Kicked':
      return { method: 'KickedResponse', nextUrl: request.next }
    default:
      // TransferComplete, RequestDownload, …: responses without arguments (tsc checks each).
      return { method: responseMethodOf(request.method) }
  }
}
