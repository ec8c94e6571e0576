/**
 * The sessions one simulator instance has seen ({@link AcsSimulator.sessions}), one record per
 * session, and the rule "one session per CPE": the open session of each device. The session store
 * holds what a session needs to go on (any instance may continue it); this registry holds what this
 * instance saw of it (the requests it sent, how it ended). Every change to a record goes through
 * {@link SessionRegistry}, which also keeps the device → open session index in step, so that a store
 * shared by several processes can serve both later.
 *
 * @module
 */

import type { AcsRequest } from '../types/messages.js'
import type { DeviceIdStruct } from '../types/structs.js'
import type { CwmpVersion } from '../types/version.js'
import type { AcsSessionOutcome, StoredAcsSession } from './session-store.js'

/**
 * One session as this simulator instance saw it.
 *
 * @category ACS simulator
 */
export interface AcsSimulatorSession {
  /** Session id (cookie value). */
  readonly sessionId: string
  /** Device key. */
  readonly deviceKey: string
  /** DeviceId of the Inform. */
  readonly deviceId: DeviceIdStruct
  /** Event codes of the Inform, e.g. `['0 BOOTSTRAP', '1 BOOT']`. */
  readonly events: readonly string[]
  /** The session's CWMP version. */
  readonly version: CwmpVersion
  /** The authenticated user name. */
  readonly username: string | undefined
  /** When the session began (ms since the epoch). */
  readonly startedAt: number
  /** The last request this instance saw (ms since the epoch). */
  readonly lastActivity: number
  /** When it ended. */
  readonly endedAt: number | undefined
  /** How it ended, or `active`. */
  readonly outcome: AcsSessionOutcome
  /** Why it failed. */
  readonly reason: string | undefined
  /** Requests the ACS sent in it (as seen by this instance). */
  readonly requests: readonly AcsRequest[]
}

/**
 * A session as its stored record tells it (for {@link AcsSimulator.allSessions}): the outcome from
 * its tombstone, the requests from `sent`.
 *
 * @param sessionId - the session id
 * @param record - its stored record
 * @internal
 */
export function sessionFromRecord(sessionId: string, record: StoredAcsSession): AcsSimulatorSession {
  return {
    sessionId,
    deviceKey: record.deviceKey,
    deviceId: record.inform.deviceId,
    events: record.inform.event.map((e) => e.eventCode),
    version: record.session.version,
    username: record.username,
    startedAt: record.startedAt,
    lastActivity: record.lastActivity,
    endedAt: record.ended?.at,
    outcome: record.ended?.outcome ?? 'active',
    reason: record.ended?.reason,
    requests: [...(record.sent ?? [])],
  }
}

/**
 * How a session ended (the `ended` of its stored record).
 *
 * @internal
 */
export type SessionEnd = NonNullable<StoredAcsSession['ended']>

/**
 * The sessions one simulator instance has seen, and the open session of each device.
 *
 * @internal
 */
export interface SessionRegistry {
  /**
   * The record of a session; made from its stored record the first time this instance sees it. A
   * new record of a live session becomes its device's open session.
   *
   * @param sessionId - the session id
   * @param stored - its stored record
   */
  track(sessionId: string, stored: StoredAcsSession): void
  /**
   * A request of the session was answered: its last activity and version come from `stored`.
   *
   * @param sessionId - the session id
   * @param stored - the record just written
   */
  touched(sessionId: string, stored: StoredAcsSession): void
  /**
   * This instance sent a request in the session.
   *
   * @param sessionId - the session id
   * @param stored - its stored record
   * @param request - the request
   */
  sent(sessionId: string, stored: StoredAcsSession, request: AcsRequest): void
  /**
   * The session ended here: its outcome (unless it already had one), it is no longer its device's
   * open session, and the oldest ended records beyond the bound are forgotten.
   *
   * @param sessionId - the session id
   * @param stored - its stored record
   * @param end - how and when
   */
  ended(sessionId: string, stored: StoredAcsSession, end: SessionEnd): void
  /**
   * The sessions this instance last saw active whose idle time exceeds their timeout, as of `now`
   * (evaluated lazily: records may change between two items).
   *
   * @param now - ms since the epoch
   * @returns their ids, oldest first
   */
  idle(now: number): Iterable<string>
  /**
   * True while the session has no outcome here.
   *
   * @param sessionId - the session id
   */
  isActive(sessionId: string): boolean
  /**
   * A session found over by asking the store (sweep): its outcome, and it is no longer its device's
   * open session. The outcome is kept when it already had one.
   *
   * @param sessionId - the session id
   * @param end - how and when
   */
  markEnded(sessionId: string, end: SessionEnd): void
  /**
   * A session found still live in the store (sweep): its last activity there.
   *
   * @param sessionId - the session id
   * @param at - the stored last activity
   */
  sawActivity(sessionId: string, at: number): void
  /**
   * The device's open session in this instance, if any.
   *
   * @param deviceKey - the device key
   */
  openSessionOf(deviceKey: string): string | undefined
  /** Every record, oldest first, as {@link AcsSimulator.sessions} returns them. */
  list(): AcsSimulatorSession[]
}

/** Options of {@link createMemorySessionRegistry}. @internal */
export interface MemorySessionRegistryOptions {
  /** Most records kept; beyond, the oldest ended ones go when a session ends. */
  readonly maxSessions: number
  /** Told once of each session when it gets its outcome here (the simulator's `onSessionEnd`). */
  readonly onEnded?: ((session: AcsSimulatorSession) => void) | undefined
}

interface Entry {
  readonly sessionId: string
  readonly deviceKey: string
  readonly deviceId: DeviceIdStruct
  readonly events: readonly string[]
  version: CwmpVersion
  readonly username: string | undefined
  readonly startedAt: number
  lastActivity: number
  endedAt: number | undefined
  outcome: AcsSessionOutcome
  reason: string | undefined
  readonly timeoutMs: number
  readonly requests: AcsRequest[]
}

/** What {@link AcsSimulator.sessions} shows of a record: a copy. */
function view(s: Entry): AcsSimulatorSession {
  return {
    sessionId: s.sessionId,
    deviceKey: s.deviceKey,
    deviceId: s.deviceId,
    events: s.events,
    version: s.version,
    username: s.username,
    startedAt: s.startedAt,
    lastActivity: s.lastActivity,
    endedAt: s.endedAt,
    outcome: s.outcome,
    reason: s.reason,
    requests: [...s.requests],
  }
}

/**
 * The in-memory {@link SessionRegistry}: records in insertion order, bounded by `maxSessions`.
 *
 * @param options - the bound
 * @returns an empty registry
 * @internal
 */
export function createMemorySessionRegistry(options: MemorySessionRegistryOptions): SessionRegistry {
  const { maxSessions, onEnded } = options
  const sessions = new Map<string, Entry>()
  const openByDevice = new Map<string, string>()

  const track = (sessionId: string, stored: StoredAcsSession): Entry => {
    let entry = sessions.get(sessionId)
    if (entry === undefined) {
      // Copies, so that strings cut out of the decoded Inform do not keep its whole text alive.
      const [deviceId, events] = JSON.parse(JSON.stringify([stored.inform.deviceId, stored.inform.event.map((e) => e.eventCode)])) as [
        DeviceIdStruct,
        string[],
      ]
      entry = {
        sessionId,
        deviceKey: stored.deviceKey,
        deviceId,
        events,
        version: stored.session.version,
        username: stored.username,
        startedAt: stored.startedAt,
        lastActivity: stored.lastActivity,
        endedAt: undefined,
        outcome: 'active',
        reason: undefined,
        timeoutMs: stored.timeoutMs,
        requests: [],
      }
      sessions.set(sessionId, entry)
      if (stored.ended === undefined) openByDevice.set(stored.deviceKey, sessionId)
    }
    return entry
  }

  const markEnded = (entry: Entry, end: SessionEnd): void => {
    const ending = entry.outcome === 'active'
    if (ending) {
      entry.outcome = end.outcome
      entry.endedAt = end.at
      entry.reason = end.reason
    }
    if (openByDevice.get(entry.deviceKey) === entry.sessionId) openByDevice.delete(entry.deviceKey)
    if (ending && onEnded !== undefined) onEnded(view(entry))
  }

  return {
    track(sessionId, stored) {
      track(sessionId, stored)
    },
    touched(sessionId, stored) {
      const entry = track(sessionId, stored)
      entry.lastActivity = stored.lastActivity
      entry.version = stored.session.version
    },
    sent(sessionId, stored, request) {
      track(sessionId, stored).requests.push(request)
    },
    ended(sessionId, stored, end) {
      markEnded(track(sessionId, stored), end)
      if (sessions.size > maxSessions) {
        for (const [id, s] of sessions) {
          if (sessions.size <= maxSessions) break
          if (s.outcome !== 'active') sessions.delete(id)
        }
      }
    },
    *idle(now) {
      for (const entry of sessions.values()) {
        if (entry.outcome === 'active' && now - entry.lastActivity > entry.timeoutMs) yield entry.sessionId
      }
    },
    isActive(sessionId) {
      return sessions.get(sessionId)?.outcome === 'active'
    },
    markEnded(sessionId, end) {
      const entry = sessions.get(sessionId)
      if (entry !== undefined) markEnded(entry, end)
    },
    sawActivity(sessionId, at) {
      const entry = sessions.get(sessionId)
      if (entry !== undefined) entry.lastActivity = at
    },
    openSessionOf(deviceKey) {
      return openByDevice.get(deviceKey)
    },
    list() {
      return [...sessions.values()].map(view)
    },
  }
}
