/**
 * The recorder: two messages per exchange with what handling learnt, bounded in count, to the log
 * as text or objects; a failing log is reported, not thrown; formatAcsMessage redacts credentials.
 */
import { describe, expect, it } from 'vitest'
import { createRecorder, newExchangeNotes, noteReceived, recordedCost, type AnsweredExchange } from '../../src/acs/recorder.js'
import { formatAcsMessage, type AcsRecordedMessage } from '../../src/index.js'

function exchange(seq: number, overrides: Partial<AnsweredExchange> = {}): AnsweredExchange {
  const notes = newExchangeNotes()
  notes.deviceKey = 'dev'
  notes.sessionId = 'sid'
  notes.sent = { method: 'InformResponse', maxEnvelopes: 1 }
  notes.sentNote = 'a note'
  return {
    seq,
    receivedAt: 1000 + seq,
    request: { method: 'POST', url: '/acs', headers: { authorization: 'Digest username="u"' }, body: new TextEncoder().encode('<in/>') },
    response: { status: 200, headers: { 'set-cookie': 'cwmpsid=secret; Path=/' }, body: '<out/>' },
    info: { remoteAddress: '127.0.0.1', remotePort: 40000 },
    notes,
    ...overrides,
  }
}

describe('recorder', () => {
  it('records request then response of each exchange, with the notes, times and peer', () => {
    let now = 5000
    const rec = createRecorder({ maxMessages: 10, maxRecordedBytes: 1e9, logHeaders: false, now: () => now, onError: () => {} })
    const messages = rec.messages
    rec.record(exchange(1))
    now = 6000
    expect(rec.messages).toBe(messages)
    expect(rec.messages).toEqual([
      {
        seq: 1,
        deviceKey: 'dev',
        sessionId: 'sid',
        remoteAddress: '127.0.0.1',
        remotePort: 40000,
        time: 1001,
        direction: 'in',
        method: 'POST',
        url: '/acs',
        headers: { authorization: 'Digest username="u"' },
        message: undefined,
        raw: '<in/>',
      },
      {
        seq: 1,
        deviceKey: 'dev',
        sessionId: 'sid',
        remoteAddress: '127.0.0.1',
        remotePort: 40000,
        time: 5000,
        direction: 'out',
        status: 200,
        headers: { 'set-cookie': 'cwmpsid=secret; Path=/' },
        message: { method: 'InformResponse', maxEnvelopes: 1 },
        error: 'a note',
        raw: '<out/>',
      },
    ])
  })

  it('keeps the newest maxMessages; 0 keeps none but still logs', () => {
    const rec = createRecorder({ maxMessages: 3, maxRecordedBytes: 1e9, logHeaders: false, now: () => 0, onError: () => {} })
    for (let i = 1; i <= 3; i++) rec.record(exchange(i))
    expect(rec.messages.map((m) => `${m.seq}${m.direction}`)).toEqual(['2out', '3in', '3out'])
    const seen: AcsRecordedMessage[] = []
    const none = createRecorder({ maxMessages: 0, maxRecordedBytes: 1e9, log: (m) => seen.push(m), logHeaders: false, now: () => 0, onError: () => {} })
    none.record(exchange(1))
    expect(none.messages).toEqual([])
    expect(seen.map((m) => m.direction)).toEqual(['in', 'out'])
  })

  it('writes formatted text to a stream (headers redacted when asked) and reports a failing log', () => {
    const text: string[] = []
    const rec = createRecorder({ maxMessages: 10, maxRecordedBytes: 1e9, log: { write: (t) => text.push(t) }, logHeaders: true, now: () => 0, onError: () => {} })
    rec.record(exchange(7))
    expect(text[0]).toMatch(/^CPE -> ACS #7 POST \/acs \[dev, session sid\]\nauthorization: Digest \[redacted\]\n/)
    expect(text[1]).toMatch(/^ACS -> CPE #7 200 \[dev, session sid\] \(a note\)\nset-cookie: cwmpsid=…; Path=\/\n/)
    expect(text.join('')).not.toMatch(/secret|username="u"/)

    const errors: unknown[] = []
    const failing = createRecorder({
      maxMessages: 10,
      maxRecordedBytes: 1e9,
      log: () => {
        throw new Error('disk full')
      },
      logHeaders: false,
      now: () => 0,
      onError: (e) => errors.push(e),
    })
    failing.record(exchange(1))
    expect(failing.messages).toHaveLength(2)
    expect(errors).toEqual([new Error('disk full'), new Error('disk full')])
  })

  it('bounds the estimated memory of what it keeps, not only the body text: headers and small bodies count too', () => {
    const bound = 40_000
    const rec = createRecorder({ maxMessages: 100_000, maxRecordedBytes: bound, logHeaders: false, now: () => 0, onError: () => {} })
    // Bodies of 20 bytes with 1 KB of header fields: the body text alone (40 bytes an exchange) would keep 1,000 exchanges.
    const headers = { 'x-pad': 'h'.repeat(1000) }
    for (let i = 1; i <= 1000; i++) rec.record(exchange(i, { request: { method: 'POST', url: '/', headers, body: 'b'.repeat(20) }, response: { status: 401, headers, body: '' } }))
    const total = rec.messages.reduce((n, m) => n + recordedCost(m), 0)
    expect(total).toBeLessThanOrEqual(bound)
    expect(total).toBeGreaterThan(bound - 2 * recordedCost(rec.messages[0] as AcsRecordedMessage))
    expect(rec.messages.at(-1)?.seq).toBe(1000)
    // The estimate: twice the body text, the header names and values and 64 bytes each, 640 bytes.
    expect(recordedCost(rec.messages.at(-2) as AcsRecordedMessage)).toBe(2 * 20 + 'x-pad'.length + 1000 + 64 + 640)
    // A body whose text alone would cost more than the bound is kept without it.
    rec.record(exchange(1001, { request: { method: 'POST', url: '/', headers: {}, body: 'z'.repeat(bound / 2 + 1) } }))
    expect(rec.messages.at(-2)).toMatchObject({ seq: 1001, direction: 'in', raw: '', rawLength: bound / 2 + 1 })
  })

  it('notes what a session machine read, or why it could not', () => {
    const notes = newExchangeNotes()
    noteReceived(notes, { type: 'fault', request: { method: 'GetRPCMethods' }, fault: { method: 'Fault', soapFaultCode: 'Client', soapFaultString: 'CWMP fault', faultCode: 9005, faultString: 'x' } })
    expect(notes.received?.method).toBe('Fault')
    noteReceived(notes, { type: 'invalid', reason: 'malformed', message: 'not XML', reply: { status: 400, headers: {}, body: '' } })
    expect(notes).toMatchObject({ received: undefined, receivedError: 'malformed: not XML' })
    noteReceived(notes, { type: 'empty', cpeDone: true })
    expect(notes.received).toBeUndefined()
  })

  it('formatAcsMessage prints "(empty)" for an empty body and indents XML', () => {
    const base: AcsRecordedMessage = {
      seq: 2, time: 0, direction: 'out', deviceKey: undefined, sessionId: undefined, remoteAddress: undefined,
      remotePort: undefined, status: 204, headers: {}, message: undefined, raw: '',
    }
    expect(formatAcsMessage(base)).toBe('ACS -> CPE #2 204\n(empty)\n')
    expect(formatAcsMessage({ ...base, raw: '<a><b/></a>' })).toBe('ACS -> CPE #2 204\n<a>\n  <b/>\n</a>\n')
  })
})
