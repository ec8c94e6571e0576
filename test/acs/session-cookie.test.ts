/** The session cookie: found among others, written with Path and HttpOnly, name checked. */
import { describe, expect, it } from 'vitest'
import { createSessionCookie } from '../../src/acs/session-cookie.js'
import { DEFAULT_SESSION_COOKIE } from '../../src/index.js'

describe('session cookie', () => {
  it('reads its own cookie among others and writes Set-Cookie with Path=/ and HttpOnly', () => {
    const cookie = createSessionCookie()
    expect(DEFAULT_SESSION_COOKIE).toBe('cwmpsid')
    expect(cookie.read({ cookie: 'a=1; cwmpsid=abc; b=2' })).toBe('abc')
    expect(cookie.read({ cookie: ['x=1', 'cwmpsid=def'] })).toBe('def')
    expect(cookie.read({ cookie: 'other=1' })).toBeUndefined()
    expect(cookie.read({})).toBeUndefined()
    expect(cookie.setCookie('abc')).toBe('cwmpsid=abc; Path=/; HttpOnly')
    expect(createSessionCookie('sid').read({ cookie: 'cwmpsid=x; sid=y' })).toBe('y')
  })

  it('refuses a name that is not an HTTP token', () => {
    for (const bad of ['', 'a b', 'a;b', 'a=b', 'é']) expect(() => createSessionCookie(bad)).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'cookieName' }))
  })
})
