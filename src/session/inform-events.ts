/**
 * Inform event bookkeeping: TR-069 Amendment 6 Corrigendum 1, §3.7.1.5 and Table 8 "Event Types".
 *
 * @module
 */
import { EVENT_CODES, eventRule } from '../types/catalogue.js'

/**
 * An event waiting to be delivered. Plain data.
 *
 * @category Sessions
 */
export interface PendingEvent {
  /** The event code. */
  readonly eventCode: string
  /** The CommandKey (M events), else ''. */
  readonly commandKey: string
}

/**
 * The most events one Inform may carry (EventStruct[64]).
 *
 * @category Sessions
 */
export const MAX_EVENTS = 64

/**
 * Add an event to the pending list following Table 8: a Single code already pending is not added
 * again; BOOTSTRAP discards every other undelivered event.
 *
 * @param pending - the current pending events
 * @param event - the new event
 *
 * @category Sessions
 */
export function addPendingEvent(pending: readonly PendingEvent[], event: PendingEvent): PendingEvent[] {
  if (event.eventCode === EVENT_CODES.BOOTSTRAP) {
    return [{ eventCode: EVENT_CODES.BOOTSTRAP, commandKey: '' }]
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
 *
 * @category Sessions
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
    if (i === -1) i = keep.findIndex((e) => e.eventCode !== EVENT_CODES.BOOTSTRAP)
    keep.splice(i, 1)
  }
  return { send: keep, keep }
}

/**
 * The pending list after a reboot: events retried "until reboot" are discarded (Table 8).
 *
 * @param pending - the pending events
 *
 * @category Sessions
 */
export function eventsAfterReboot(pending: readonly PendingEvent[]): PendingEvent[] {
  return pending.filter((e) => {
    const r = eventRule(e.eventCode).retry
    return r !== 'until-reboot' && r !== 'discretion' && r !== 'never'
  })
}

/**
 * The pending list after a failed session: events never retried (`6 CONNECTION REQUEST`) are
 * dropped, but only those the failed session's Inform carried. One left out of it (a HEARTBEAT
 * Inform goes alone, Annex O.2.1) was never attempted, so it stays for its own session.
 *
 * @param pending - the pending events
 * @param sent - the events the failed session's Inform carried; absent: every pending event counts as sent
 *
 * @category Sessions
 */
export function eventsAfterFailure(pending: readonly PendingEvent[], sent?: readonly PendingEvent[]): PendingEvent[] {
  return pending.filter(
    (e) =>
      eventRule(e.eventCode).retry !== 'never' ||
      (sent !== undefined && !sent.some((s) => s.eventCode === e.eventCode && s.commandKey === e.commandKey)),
  )
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
 *
 * @category Sessions
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
