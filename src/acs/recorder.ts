/**
 * The recording of every HTTP exchange the simulator answers ({@link AcsSimulator.messages}): two
 * {@link AcsRecordedMessage}s per exchange (request and response), bounded in count, each also
 * written to the log when one is configured; and {@link formatAcsMessage}, the console form of one.
 *
 * @module
 */

import type { AcsSessionStep } from '../session/acs-session.js'
import { formatXml } from '../transport/format.js'
import type { HttpRequestInfo } from '../transport/http-server.js'
import { bodyText, type HttpHeaders, type HttpRequest, type HttpResponse } from '../types/http.js'
import type { CwmpMessage, VendorMessage } from '../types/messages.js'

/**
 * One HTTP message, as the simulator recorded it.
 *
 * @category ACS simulator
 */
export interface AcsRecordedMessage {
  /** Exchange number, shared by a request and its response (from 1). */
  readonly seq: number
  /** When it was received or sent (ms since the epoch). */
  readonly time: number
  /** `in`: an HTTP request from the CPE; `out`: the simulator's HTTP response. */
  readonly direction: 'in' | 'out'
  /** The device key, once known (not for a 401 or a request that is not an Inform). */
  readonly deviceKey: string | undefined
  /** The session id, once known. */
  readonly sessionId: string | undefined
  /** The peer's IP address. */
  readonly remoteAddress: string | undefined
  /** The peer's TCP port: a new port means a new TCP connection. */
  readonly remotePort: number | undefined
  /** HTTP method (requests). */
  readonly method?: string
  /** Request-target (requests). */
  readonly url?: string
  /** HTTP status (responses). */
  readonly status?: number
  /** Header fields, names in lower case. */
  readonly headers: HttpHeaders
  /** The decoded SOAP body; undefined for an empty body, an unread body (401) or an unreadable one. */
  readonly message: CwmpMessage | VendorMessage | undefined
  /** Why the message was refused or could not be read. */
  readonly error?: string
  /**
   * The body as text (UTF-8); empty when the body was not read (a request refused from its head) or
   * not kept (longer than `maxRecordedBytes`, see `rawLength`).
   */
  readonly raw: string
  /** Set when the body was longer than `maxRecordedBytes` and not kept: its length. */
  readonly rawLength?: number
}

/**
 * Where the log goes: anything with `write(text)`, such as `process.stdout` or a file stream.
 *
 * @category ACS simulator
 */
export interface AcsLogStream {
  /**
   * Write some text.
   *
   * @param text - one formatted message
   */
  write(text: string): unknown
}

/**
 * Options of {@link formatAcsMessage}.
 *
 * @category ACS simulator
 */
export interface FormatAcsMessageOptions {
  /** Print header fields (authorization and cookies redacted). Default false. */
  readonly headers?: boolean
}

/**
 * Render a recorded message for a console: a start line (direction, exchange, method or status,
 * device and session), optional header fields, and the XML body indented with {@link formatXml}.
 *
 * @param message - the message
 * @param options - layout
 * @returns the text, ending with a line break
 * @category ACS simulator
 */
export function formatAcsMessage(message: AcsRecordedMessage, options: FormatAcsMessageOptions = {}): string {
  const who = [message.deviceKey, message.sessionId === undefined ? undefined : `session ${message.sessionId}`]
    .filter((x) => x !== undefined)
    .join(', ')
  const head =
    message.direction === 'in'
      ? `CPE -> ACS #${message.seq} ${message.method ?? ''} ${message.url ?? ''}`
      : `ACS -> CPE #${message.seq} ${message.status ?? ''}`
  const lines = [`${head}${who === '' ? '' : ` [${who}]`}${message.error === undefined ? '' : ` (${message.error})`}`]
  if (options.headers === true) {
    for (const [name, value] of Object.entries(message.headers)) {
      for (const v of typeof value === 'string' ? [value] : value) lines.push(`${name}: ${redact(name, v)}`)
    }
    lines.push('')
  }
  if (message.raw.trim() !== '') lines.push(formatXml(message.raw))
  else lines.push('(empty)')
  return `${lines.join('\n')}\n`
}

function redact(name: string, value: string): string {
  const lower = name.toLowerCase()
  if (lower === 'authorization') return `${value.split(' ')[0] ?? ''} [redacted]`
  if (lower === 'cookie' || lower === 'set-cookie') return value.replace(/=([^;]*)/, '=…')
  return value
}

/**
 * What the handling of one exchange learnt, for its recording: filled in while the request is
 * handled, read once the response is known.
 *
 * @internal
 */
export interface ExchangeNotes {
  /** The device key, once known. */
  deviceKey: string | undefined
  /** The session id, once known. */
  sessionId: string | undefined
  /** The CPE's message, once decoded. */
  received: CwmpMessage | VendorMessage | undefined
  /** Why the request was refused or could not be read. */
  receivedError: string | undefined
  /**
   * A refusal an honest CPE does not provoke, charged to the source address (the simulator's
   * `sourceLimits`): refused credentials were presented, the message could not be read or came
   * out of turn, the user may not be the device (403), the method is not POST (405), or an empty
   * POST's cookie named no known session. Not a 400 the ACS sends for its own reasons (a hook
   * failed, the session had already failed).
   */
  refused: boolean
  /** The message the response carries. */
  sent: CwmpMessage | VendorMessage | undefined
  /** A note on the response (why it is what it is). */
  sentNote: string | undefined
  /** What to do once the exchange is recorded (a session's end is told after its last exchange). */
  afterRecord: (() => void)[] | undefined
}

/**
 * Blank notes for a new exchange.
 *
 * @internal
 */
export function newExchangeNotes(): ExchangeNotes {
  return {
    deviceKey: undefined,
    sessionId: undefined,
    received: undefined,
    receivedError: undefined,
    refused: false,
    sent: undefined,
    sentNote: undefined,
    afterRecord: undefined,
  }
}

/**
 * Note what a session machine made of the request: the message it read, or why it could not.
 *
 * @param notes - the exchange's notes
 * @param step - what {@link AcsSession.receive} returned
 * @internal
 */
export function noteReceived(notes: ExchangeNotes, step: AcsSessionStep): void {
  switch (step.type) {
    case 'inform':
      notes.received = step.inform
      break
    case 'request':
      notes.received = step.request
      break
    case 'response':
      notes.received = step.response
      break
    case 'fault':
      notes.received = step.fault
      break
    case 'empty':
      notes.received = undefined
      break
    case 'invalid':
      // The CPE's message could not be read, or came out of turn: a refusal of its source.
      notes.received = undefined
      notes.receivedError = `${step.reason}: ${step.message}`
      notes.refused = true
      break
  }
}

/**
 * One answered exchange, as the recorder takes it.
 *
 * @internal
 */
export interface AnsweredExchange {
  /** Exchange number. */
  readonly seq: number
  /** When the request arrived (ms since the epoch). */
  readonly receivedAt: number
  /** The request. */
  readonly request: HttpRequest
  /** The response. */
  readonly response: HttpResponse
  /** Where the request came from. */
  readonly info: Partial<HttpRequestInfo>
  /** What handling it learnt. */
  readonly notes: ExchangeNotes
}

/**
 * Options of {@link createRecorder}.
 *
 * @internal
 */
export interface RecorderOptions {
  /** Most messages kept; the oldest go first. */
  readonly maxMessages: number
  /**
   * Most memory the messages kept may take, estimated by {@link recordedCost}; the oldest messages
   * go first. A single body whose text alone would cost more is kept without it (`raw` empty,
   * `rawLength` its length).
   */
  readonly maxRecordedBytes: number
  /** A stream for {@link formatAcsMessage} output, or a function given each message. */
  readonly log?: AcsLogStream | ((message: AcsRecordedMessage) => void) | undefined
  /** Print header fields in the stream log. */
  readonly logHeaders: boolean
  /** Clock (the time of the response message). */
  readonly now: () => number
  /** Told when the log throws. */
  readonly onError: (error: unknown) => void
}

/**
 * The recording.
 *
 * @internal
 */
export interface Recorder {
  /** Every message kept, oldest first (the same array throughout). */
  readonly messages: readonly AcsRecordedMessage[]
  /** False when nothing is kept or logged (`maxMessages` 0, no log): recording then costs nothing. */
  readonly enabled: boolean
  /**
   * Record an exchange: its request, then its response.
   *
   * @param exchange - the exchange
   */
  record(exchange: AnsweredExchange): void
}

/** Bytes of heap a body's text costs per UTF-16 code unit of `raw`: the text, and as much again for what was decoded from it. */
const RAW_FACTOR = 2
/** Bytes of heap a recorded message costs besides its body and header text (the record object). */
const RECORD_OVERHEAD = 640
/** Bytes of heap a header field costs besides its name and value (its slot and string headers). */
const HEADER_OVERHEAD = 64

/**
 * The heap a recorded message is estimated to hold, in bytes: twice its body text (the text, and
 * the decoded message, which is about as large; or a body of non-Latin-1 text, two bytes a
 * character), its header fields (names, values and 64 bytes each), and 640 bytes per record.
 * Calibrated by `npm run bench -- recorder` on the sample CPE's sessions (D437).
 *
 * @param message - the message
 * @returns estimated bytes
 * @internal
 */
export function recordedCost(message: AcsRecordedMessage): number {
  let headers = 0
  for (const name in message.headers) {
    const value = message.headers[name]
    headers += HEADER_OVERHEAD + name.length + (typeof value === 'string' ? value.length : value === undefined ? 0 : value.join('').length)
  }
  return RAW_FACTOR * message.raw.length + headers + RECORD_OVERHEAD
}

/**
 * A {@link Recorder} keeping at most `maxMessages` messages in memory.
 *
 * @param options - bound, log, clock
 * @internal
 */
export function createRecorder(options: RecorderOptions): Recorder {
  const { maxMessages, maxRecordedBytes, log, onError, now } = options
  const headers = options.logHeaders
  const messages: AcsRecordedMessage[] = []
  /** The estimated cost of each message kept (same order as `messages`), and their sum. */
  const costs: number[] = []
  let kept = 0
  const emit = (message: AcsRecordedMessage): void => {
    if (maxMessages > 0) {
      if (RAW_FACTOR * message.raw.length > maxRecordedBytes) message = { ...message, raw: '', rawLength: message.raw.length }
      const cost = recordedCost(message)
      messages.push(message)
      costs.push(cost)
      kept += cost
      let drop = 0
      while (drop < messages.length && (messages.length - drop > maxMessages || kept > maxRecordedBytes)) {
        kept -= costs[drop] as number
        drop++
      }
      if (drop > 0) {
        messages.splice(0, drop)
        costs.splice(0, drop)
      }
    }
    if (log === undefined) return
    try {
      if (typeof log === 'function') log(message)
      else log.write(`${formatAcsMessage(message, { headers })}\n`)
    } catch (err) {
      onError(err)
    }
  }
  return {
    messages,
    enabled: maxMessages > 0 || log !== undefined,
    record({ seq, receivedAt, request, response, info, notes }) {
      if (maxMessages <= 0 && log === undefined) return
      const common = {
        seq,
        deviceKey: notes.deviceKey,
        sessionId: notes.sessionId,
        remoteAddress: info.remoteAddress,
        remotePort: info.remotePort,
      }
      emit({
        ...common,
        time: receivedAt,
        direction: 'in',
        method: request.method,
        url: request.url,
        headers: request.headers,
        message: notes.received,
        ...(notes.receivedError === undefined ? {} : { error: notes.receivedError }),
        raw: bodyText(request.body),
      })
      emit({
        ...common,
        time: now(),
        direction: 'out',
        status: response.status,
        headers: response.headers,
        message: notes.sent,
        ...(notes.sentNote === undefined ? {} : { error: notes.sentNote }),
        raw: bodyText(response.body),
      })
    },
  }
}
