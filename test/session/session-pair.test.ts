/**
 * An in-memory CPE↔ACS pair driven by random scripts (h11's ConnectionPair idea): both sides agree on
 * every message, every request is answered, the session ends cleanly, and illegal moves throw
 * without changing state.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  createAcsSession,
  createCpeSession,
  decodeEnvelope,
  isCwmpError,
  makeFault,
  type AcsSession,
  type CpeSession,
} from '../../src/index.js'
import type { HttpRequest, HttpResponse } from '../../src/types/http.js'
import { ACS_REQUESTS, ACS_URL, CPE_REQUESTS, acsResponseFor, cpeResponseFor, inform } from './helpers.js'

interface Script {
  readonly cpeRequests: readonly number[]
  readonly acsRequests: readonly number[]
  /** Per CPE request: 0 response, 1 fault, 2 retry (8005) first. */
  readonly acsAnswers: readonly number[]
  /** Per ACS request: true answers with a fault. */
  readonly cpeFaults: readonly boolean[]
  /** HoldRequests values the ACS sends, used in turn. */
  readonly holds: readonly boolean[]
  readonly informRetry: boolean
  /** Illegal calls to try at each step. */
  readonly probes: readonly number[]
}

const script: fc.Arbitrary<Script> = fc.record({
  cpeRequests: fc.array(fc.nat(CPE_REQUESTS.length - 1), { maxLength: 4 }),
  acsRequests: fc.array(fc.nat(ACS_REQUESTS.length - 1), { maxLength: 6 }),
  acsAnswers: fc.array(fc.nat(2), { minLength: 4, maxLength: 4 }),
  cpeFaults: fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
  holds: fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
  informRetry: fc.boolean(),
  probes: fc.array(fc.nat(5), { minLength: 1, maxLength: 10 }),
})

function describeHttp(m: HttpRequest | HttpResponse): unknown {
  const body = m.body
  if ((typeof body === 'string' ? body : new TextDecoder().decode(body)).trim() === '') return 'empty'
  return decodeEnvelope(body).body
}

/** Try an illegal call; it must throw ERR_CWMP_PROTOCOL_LOCAL and leave the state as it was. */
function probeIllegal(probe: number, cpe: CpeSession, acs: AcsSession): void {
  const before = { cpe: structuredClone(cpe.snapshot), acs: structuredClone(acs.toJSON()) }
  const attempts: (() => unknown)[] = [
    () => cpe.start(),
    () => cpe.respond({ method: 'RebootResponse' }),
    () => acs.informResponse(),
    () => acs.request({ method: 'Reboot', commandKey: 'x' }),
    () => acs.end(),
    () => acs.respond({ method: 'TransferCompleteResponse' }),
  ]
  const call = attempts[probe % attempts.length] as () => unknown
  let legal = true
  try {
    // Only probe calls that are illegal right now: a legal one would advance the session.
    const cpeState = cpe.state
    const acsState = acs.state
    if (probe % 6 === 0) legal = cpeState === 'idle'
    else if (probe % 6 === 1) legal = cpeState === 'acs-request-sent'
    else if (probe % 6 === 2) legal = acsState === 'inform-sent'
    else if (probe % 6 === 3 || probe % 6 === 4) legal = acsState === 'acs-turn'
    else legal = acsState === 'cpe-request-sent'
    if (legal) return
    call()
  } catch (err) {
    expect(isCwmpError(err) && err.code).toBe('ERR_CWMP_PROTOCOL_LOCAL')
    expect(cpe.snapshot).toEqual(before.cpe)
    expect(acs.toJSON()).toEqual(before.acs)
    return
  }
  throw new Error(`illegal probe ${probe} did not throw`)
}

function run(s: Script): void {
  const cpeRequests = s.cpeRequests.map((i) => CPE_REQUESTS[i] as (typeof CPE_REQUESTS)[number])
  const acsRequests = s.acsRequests.map((i) => ACS_REQUESTS[i] as (typeof ACS_REQUESTS)[number])
  let id = 0
  const cpe = createCpeSession({ url: ACS_URL, inform: inform(), requests: cpeRequests, newId: () => `c${++id}` })
  const acs = createAcsSession({ sessionId: 's1', queue: acsRequests })
  const cpeSent: unknown[] = []
  const acsReceived: unknown[] = []
  const acsSent: unknown[] = []
  const cpeReceived: unknown[] = []
  let holdIndex = 0
  const hold = (): boolean => s.holds[holdIndex++ % s.holds.length] as boolean
  let informRetry = s.informRetry
  let cpeRequestIndex = 0
  const retried = new Set<number>()
  let acsRequestIndex = 0
  let answered = 0
  let acsAnswered = 0
  let retries = 0
  let probe = 0

  let req: HttpRequest | undefined = cpe.start()
  for (let step = 0; req !== undefined; step++) {
    if (step > 200) throw new Error('session does not progress')
    probeIllegal(s.probes[probe++ % s.probes.length] as number, cpe, acs)
    cpeSent.push(describeHttp(req))
    const { step: event } = acs.receive(req)
    let res: HttpResponse
    switch (event.type) {
      case 'inform':
        acsReceived.push(event.inform)
        if (informRetry) {
          informRetry = false
          retries++
          res = acs.respond(makeFault('acs', 'RetryRequest'))
        } else {
          res = acs.informResponse({ holdRequests: hold() })
        }
        break
      case 'request': {
        acsReceived.push(event.request)
        const i = cpeRequestIndex
        const answer = s.acsAnswers[i % s.acsAnswers.length] as number
        if (answer === 2 && !retried.has(i) && retries < 3) {
          retried.add(i)
          retries++
          res = acs.respond(makeFault('acs', 'RetryRequest'))
        } else {
          cpeRequestIndex++
          acsAnswered++
          res = acs.respond(answer === 1 ? makeFault('acs', 'RequestDenied') : acsResponseFor(event.request), {
            holdRequests: hold(),
          })
        }
        break
      }
      case 'response':
        acsReceived.push(event.response)
        expect(event.idMismatch).toBe(false)
        res = acs.next({ holdRequests: hold() })
        break
      case 'fault':
        acsReceived.push(event.fault)
        res = acs.next({ holdRequests: hold() })
        break
      case 'empty':
        acsReceived.push('empty')
        res = acs.next({ holdRequests: hold() })
        break
      case 'invalid':
        throw new Error(`ACS rejected a message: ${event.message}`)
    }
    acsSent.push(describeHttp(res))
    const r = cpe.receive(res)
    switch (r.step.type) {
      case 'informed':
        cpeReceived.push(r.step.response)
        req = r.send
        break
      case 'response':
        cpeReceived.push(r.step.response)
        answered++
        req = r.send
        break
      case 'fault':
        cpeReceived.push(r.step.fault)
        answered++
        req = r.send
        break
      case 'retry':
        cpeReceived.push(r.step.fault)
        req = r.send
        break
      case 'request': {
        cpeReceived.push(r.step.request)
        const fault = s.cpeFaults[acsRequestIndex++ % s.cpeFaults.length] === true
        req = cpe.respond(fault ? makeFault('cpe', 'RequestDenied') : cpeResponseFor(r.step.request))
        break
      }
      case 'empty':
        cpeReceived.push('empty')
        req = r.send
        break
      case 'end':
        cpeReceived.push('empty')
        req = undefined
        break
      default:
        throw new Error(`CPE event ${r.step.type}: ${JSON.stringify(r.step)}`)
    }
  }
  expect(cpe.state).toBe('done')
  expect(acs.state).toBe('done')
  expect(acsReceived).toEqual(cpeSent)
  expect(cpeReceived).toEqual(acsSent)
  expect(answered).toBe(cpeRequests.length)
  expect(acsAnswered).toBe(cpeRequests.length)
  expect(acsRequestIndex).toBe(acsRequests.length)
  // The ACS state is plain JSON: it survives a round trip whole.
  expect(JSON.parse(JSON.stringify(acs.toJSON()))).toEqual(acs.toJSON())
}

describe('CPE↔ACS session pair', () => {
  it('agrees on every message and ends cleanly for random scripts', () => {
    fc.assert(fc.property(script, run), { numRuns: 300 })
  })

  it('fails the session after more than three 8005 retries', () => {
    const cpe = createCpeSession({ url: ACS_URL, inform: inform() })
    const acs = createAcsSession()
    let req = cpe.start()
    for (let i = 0; i < 3; i++) {
      acs.receive(req)
      const r = cpe.receive(acs.respond(makeFault('acs', 'RetryRequest')))
      expect(r.step.type).toBe('retry')
      req = r.send as HttpRequest
      expect(describeHttp(req)).toEqual(inform())
    }
    acs.receive(req)
    const r = cpe.receive(acs.respond(makeFault('acs', 'RetryRequest')))
    expect(r.step).toMatchObject({ type: 'failed', reason: 'retry-limit' })
    expect(cpe.state).toBe('failed')
  })
})
