/** fromRawHeaders: lower-case names, repeated fields as arrays, and a `__proto__` field from the wire stays data. */
import { describe, expect, it } from 'vitest'
import { fromRawHeaders } from '../../src/transport/node-http.js'

describe('fromRawHeaders', () => {
  it('lower-cases names, keeps repeated fields in order, and never lets a field name set the prototype', () => {
    const h = fromRawHeaders(['Host', 'a', 'WWW-Authenticate', 'one', 'www-authenticate', 'two', '__proto__', 'x', '__PROTO__', 'y'])
    expect(Object.getPrototypeOf(h)).toBe(Object.prototype)
    expect(Object.keys(h)).toEqual(['host', 'www-authenticate', '__proto__'])
    expect(h['www-authenticate']).toEqual(['one', 'two'])
    expect(Object.getOwnPropertyDescriptor(h, '__proto__')?.value).toEqual(['x', 'y'])
  })
})
