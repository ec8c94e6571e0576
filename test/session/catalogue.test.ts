// Table 8 is declared once (src/types/catalogue.ts); these are the facts derived from it.
import { describe, expect, it } from 'vitest'
import { EVENT_CODES, EVENT_RULES, METHOD_EVENT_CODES, eventRule, requestEventCode, responseMethodOf } from '../../src/index.js'

describe('TR-069 Table 8, declared once', () => {
  it('has a rule for every standard code and for nothing else', () => {
    const codes = [...Object.values(EVENT_CODES), ...Object.values(METHOD_EVENT_CODES)].sort()
    expect(Object.keys(EVENT_RULES).sort()).toEqual(codes)
  })

  it('derives the event that announces each CPE request from the delivering response', () => {
    expect(requestEventCode('TransferComplete')).toBe('7 TRANSFER COMPLETE')
    expect(requestEventCode('AutonomousTransferComplete')).toBe('10 AUTONOMOUS TRANSFER COMPLETE')
    expect(requestEventCode('DUStateChangeComplete')).toBe('11 DU STATE CHANGE COMPLETE')
    expect(requestEventCode('AutonomousDUStateChangeComplete')).toBe('12 AUTONOMOUS DU STATE CHANGE COMPLETE')
    expect(requestEventCode('RequestDownload')).toBe('9 REQUEST DOWNLOAD')
    expect(requestEventCode('Kicked')).toBe('5 KICKED')
    expect(requestEventCode('GetRPCMethods')).toBeUndefined()
    expect(requestEventCode('Inform')).toBeUndefined()
  })

  it('treats vendor codes as the library documents', () => {
    expect(eventRule('M X_00D09E_Frob')).toEqual({ cumulative: 'multiple', deliveredBy: 'InformResponse', retry: 'until-delivered' })
    expect(eventRule('X 00D09E Thing')).toEqual({ cumulative: 'single', deliveredBy: 'InformResponse', retry: 'until-delivered' })
  })

  it('names responses after their requests', () => {
    expect(responseMethodOf('GetParameterValues')).toBe('GetParameterValuesResponse')
    expect(responseMethodOf('Inform')).toBe('InformResponse')
  })
})
