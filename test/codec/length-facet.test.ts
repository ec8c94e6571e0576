import { describe, expect, it } from 'vitest'
import { EncodeContext } from '../../src/rpc/context.js'
import { oui } from '../../src/rpc/scalars.js'

// The exact-length facet (OUI, length 6) counts code points, not UTF-16 units (D42).
describe('exact-length facet on encode', () => {
  const enc = (s: string): string => oui.encode(s, new EncodeContext('1.2'))
  it('accepts six hex digits', () => {
    expect(enc('00D09E')).toBe('00D09E')
  })
  it('refuses five or seven characters by length', () => {
    expect(() => enc('00D09')).toThrow(/not exactly 6 characters/)
    expect(() => enc('00D09E0')).toThrow(/not exactly 6 characters/)
  })
  it('counts a surrogate pair as one character', () => {
    // 7 UTF-16 units, 6 code points: passes the length facet, fails the pattern.
    expect(() => enc('00D09\u{1F600}')).toThrow(/not matching the OUI pattern/)
    // 6 UTF-16 units, 5 code points: fails the length facet.
    expect(() => enc('00D0\u{1F600}')).toThrow(/not exactly 6 characters/)
  })
  it('counts a lone surrogate as one character', () => {
    expect(() => enc('00D09\ud800')).toThrow(/not matching the OUI pattern/)
  })
})
