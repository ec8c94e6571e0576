/**
 * Inform event bookkeeping: TR-069 Amendment 6 Corrigendum 1, §3.7.1.5 and Table 8 "Event Types".
 *
 * @module
 */

/** How an undelivered event is treated when a session fails or the CPE reboots (Table 8, Retry/Discard). */
export type EventRetryPolicy =
  /** Kept until delivered; discarded only on BOOTSTRAP. */
  | 'until-delivered'
  /** Retried until the CPE reboots, then discarded (and on BOOTSTRAP). */
  | 'until-reboot'
  /** Never retried: dropped when the session that carried it fails (6 CONNECTION REQUEST). */
  | 'never'
  /** The CPE MAY retry at its discretion: this library keeps it until the next reboot. */
  | 'discretion'

/** One row of Table 8. */
export interface EventRule {
  /** Single (at most one instance pending) or Multiple (every occurrence kept). */
  readonly cumulative: 'single' | 'multiple'
  /** The response that confirms delivery: `InformResponse` or the response to a CPE request. */
  readonly deliveredBy: string
  /** Retry/discard policy. */
  readonly retry: EventRetryPolicy
}

/** TR-069 Table 8, one row per standard event code. */
export const EVENT_RULES: Readonly<Record<string, EventRule>> = {
  '0 BOOTSTRAP': { cumulative: 'single', deliveredBy: 'InformResponse', retry: 'until-delivered' },
  '1 BOOT': { cumulative: 'single', deliveredBy: 'InformResponse', retry: 'until-reboot' },
  '2 PERIODIC': { cumulative: 'single', deliveredBy: 'InformResponse', retry: 'until-delivered' },
  '3 SCHEDULED': { cumulative: 'single', deliveredBy: 'InformResponse', retry: 'until-delivered' },
  '4 VALUE CHANGE': { cumulative: 'single', deliveredBy: 'InformResponse', retry: 'until-reboot' },
  '5 KICKED': { cumulative: 'single', deliveredBy: 'KickedResponse', retry: 'discretion' },
  '6 CONNECTION REQUEST': { cumulative: 'single', deliveredBy: 'InformResponse', retry: 'never' },
  '7 TRANSFER COMPLETE': { cumulative: 'single', deliveredBy: 'TransferCompleteResponse', retry: 'until-delivered' },
  '8 DIAGNOSTICS COMPLETE': { cumulative: 'single', deliveredBy: 'InformResponse', retry: 'until-reboot' },
  '9 REQUEST DOWNLOAD': { cumulative: 'single', deliveredBy: 'RequestDownloadResponse', retry: 'discretion' },
  '10 AUTONOMOUS TRANSFER COMPLETE': {
    cumulative: 'single',
    deliveredBy: 'AutonomousTransferCompleteResponse',
    retry: 'until-delivered',
  },
  '11 DU STATE CHANGE COMPLETE': {
    cumulative: 'single',
    deliveredBy: 'DUStateChangeCompleteResponse',
    retry: 'until-delivered',
  },
  '12 AUTONOMOUS DU STATE CHANGE COMPLETE': {
    cumulative: 'single',
    deliveredBy: 'AutonomousDUStateChangeCompleteResponse',
    retry: 'until-delivered',
  },
  '13 WAKEUP': { cumulative: 'single', deliveredBy: 'InformResponse', retry: 'until-reboot' },
  '14 HEARTBEAT': { cumulative: 'single', deliveredBy: 'InformResponse', retry: 'until-reboot' },
  'M Reboot': { cumulative: 'multiple', deliveredBy: 'InformResponse', retry: 'until-delivered' },
  'M ScheduleInform': { cumulative: 'multiple', deliveredBy: 'InformResponse', retry: 'until-delivered' },
  'M Download': { cumulative: 'multiple', deliveredBy: 'TransferCompleteResponse', retry: 'until-delivered' },
  'M ScheduleDownload': { cumulative: 'multiple', deliveredBy: 'TransferCompleteResponse', retry: 'until-delivered' },
  'M Upload': { cumulative: 'multiple', deliveredBy: 'TransferCompleteResponse', retry: 'until-delivered' },
  'M ChangeDUState': { cumulative: 'multiple', deliveredBy: 'DUStateChangeCompleteResponse', retry: 'until-delivered' },
}

/**
 * The rule for any event code. Vendor events (`X …`, `M X_…`) are vendor-defined in TR-069; this
 * library treats `M X_…` as Multiple and `X …` as Single, delivered by InformResponse, kept until
 * delivered.
 *
 * @param code - an event code
 */
export function eventRule(code: string): EventRule {
  const rule = Object.hasOwn(EVENT_RULES, code) ? EVENT_RULES[code] : undefined
  if (rule !== undefined) return rule
  return {
    cumulative: code.startsWith('M ') ? 'multiple' : 'single',
    deliveredBy: 'InformResponse',
    retry: 'until-delivered',
  }
}

/** An event waiting to be delivered. Plain data. */
export interface PendingEvent {
  /** The event code. */
  readonly eventCode: string
  /** The CommandKey (M events), else ''. */
  readonly commandKey: string
}

/** The most events one Inform may carry (EventStruct[64]). */
export const MAX_EVENTS = 64

/**
 * Add an event to the pending list following Table 8: a Single code already pending is not added
 * again; BOOTSTRAP discards every other undelivered event.
 *
 * @param pending - the current pending events
 * @param event - the new event
 */
export function addPendingEvent(pending: readonly PendingEvent[], event: PendingEvent): PendingEvent[] {
  if (event.eventCode === '0 BOOTSTRAP') {
    return [{ eventCode: '0 BOOTSTRAP', commandKey: '' }]
  }
  if (eventRule(event.eventCode).cumulative === 'single' && pending.some((e) => e.eventCode === event.eventCode)) {
    return [...pending]
  }
  return [...pending, event]
}

/**
 * The events that go into the next Inform: at most 64, discarding the oldest M events first
 * (A.3.3.1). Returns the events to send and the list to keep pending (without the discarded ones).
 *
 * @param pending - the pending events, oldest first
 */
export function selectInformEvents(pending: readonly PendingEvent[]): {
  /** The events for the Inform's Event list, oldest first. */
  send: PendingEvent[]
  /** The pending list to keep until delivery is confirmed: `pending` without the discarded events. */
  keep: PendingEvent[]
} {
  const keep = [...pending]
  while (keep.length > MAX_EVENTS) {
    // The oldest M event; without one, the oldest vendor event (its discard policy is the vendor's),
    // then the oldest other one: never BOOTSTRAP (Table 8: it MUST NOT ever be discarded).
    let i = keep.findIndex((e) => e.eventCode.startsWith('M '))
    if (i === -1) i = keep.findIndex((e) => e.eventCode.startsWith('X '))
    if (i === -1) i = keep.findIndex((e) => e.eventCode !== '0 BOOTSTRAP')
    keep.splice(i, 1)
  }
  return { send: keep, keep }
}

/**
 * The pending list after a reboot: events retried "until reboot" are discarded (Table 8).
 *
 * @param pending - the pending events
 */
export function eventsAfterReboot(pending: readonly PendingEvent[]): PendingEvent[] {
  return pending.filter((e) => {
    const r = eventRule(e.eventCode).retry
    return r !== 'until-reboot' && r !== 'discretion' && r !== 'never'
  })
}

/**
 * The pending list after a failed session: events never retried are dropped.
 *
 * @param pending - the pending events
 */
export function eventsAfterFailure(pending: readonly PendingEvent[]): PendingEvent[] {
  return pending.filter((e) => eventRule(e.eventCode).retry !== 'never')
}

/**
 * Remove the events a response confirms. For InformResponse: every event sent in the Inform that
 * InformResponse delivers. For a CPE request's response: its M event (by CommandKey) and, when no
 * request of that kind is left, its single event (e.g. 7 TRANSFER COMPLETE).
 *
 * @param pending - the pending events
 * @param response - `InformResponse` or the response method name, e.g. `TransferCompleteResponse`
 * @param sent - for InformResponse: the events the Inform carried
 * @param commandKey - for a CPE request: its CommandKey
 * @param moreOfKind - for a CPE request: whether requests of the same kind remain
 */
export function deliverEvents(
  pending: readonly PendingEvent[],
  response: string,
  sent: readonly PendingEvent[],
  commandKey?: string,
  moreOfKind = false,
): PendingEvent[] {
  if (response === 'InformResponse') {
    return pending.filter(
      (e) =>
        eventRule(e.eventCode).deliveredBy !== 'InformResponse' ||
        !sent.some((s) => s.eventCode === e.eventCode && s.commandKey === e.commandKey),
    )
  }
  let removedM = false
  return pending.filter((e) => {
    const rule = eventRule(e.eventCode)
    if (rule.deliveredBy !== response) return true
    if (rule.cumulative === 'multiple') {
      if (!removedM && e.commandKey === (commandKey ?? '')) {
        removedM = true
        return false
      }
      return true
    }
    return moreOfKind
  })
}
