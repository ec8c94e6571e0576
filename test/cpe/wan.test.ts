/**
 * The WAN interface setting without sockets: the address to send from and listen on, when the
 * listener is rebound, and the host ConnectionRequestURL names.
 */
import { describe, expect, it } from 'vitest'
import { connectionRequestUrlOf, listenerPlanOf, sameListenerPlan, urlHostOf, wanAddressOf, type Interfaces } from '../../src/cpe/wan.js'
import { settings } from './core-driver.js'

const IFACES: Interfaces = {
  lo: [
    { address: '127.0.0.1', family: 'IPv4', internal: true },
    { address: '::1', family: 'IPv6', internal: true },
  ],
  wan0: [
    { address: 'fe80::1', family: 'IPv6' },
    { address: '2001:db8::7', family: 'IPv6' },
    { address: '192.0.2.7', family: 'IPv4' },
  ],
  v6only: [{ address: '2001:db8::9', family: 6 }],
  down: [],
}

describe('WAN interface', () => {
  it('the address to bind: none for any, the IP itself, an interface\'s IPv4 first, then a global IPv6; null when down', () => {
    expect(wanAddressOf('any', IFACES)).toBeUndefined()
    expect(wanAddressOf('127.0.0.2', IFACES)).toBe('127.0.0.2')
    expect(wanAddressOf('wan0', IFACES)).toBe('192.0.2.7')
    expect(wanAddressOf('v6only', IFACES)).toBe('2001:db8::9')
    expect(wanAddressOf('down', IFACES)).toBeNull()
    expect(wanAddressOf('gone', IFACES)).toBeNull()
  })

  it('the listener follows the WAN address unless a host is set; a new plan (address, port, limits) means a rebind', () => {
    const s = settings({ wanInterface: 'wan0', connectionRequest: { port: 7547 } })
    const plan = listenerPlanOf(s, '192.0.2.7')
    expect(plan).toEqual({ host: '192.0.2.7', port: 7547, limits: undefined })
    expect(sameListenerPlan(plan, listenerPlanOf(s, '192.0.2.7'))).toBe(true)
    expect(sameListenerPlan(plan, listenerPlanOf(s, '192.0.2.8'))).toBe(false)
    expect(sameListenerPlan(plan, listenerPlanOf(settings({ wanInterface: 'wan0', connectionRequest: { port: 7547, limits: { maxConnections: 4 } } }), '192.0.2.7'))).toBe(false)
    expect(listenerPlanOf(settings({ connectionRequest: { host: '0.0.0.0' } }), '192.0.2.7')?.host).toBe('0.0.0.0')
    expect(listenerPlanOf(settings(), undefined)).toBeUndefined()
    expect(sameListenerPlan(undefined, undefined)).toBe(true)
    expect(sameListenerPlan(plan, undefined)).toBe(false)
  })

  it('the URL names urlHost, else the address listened on, else the route to the ACS, else a non-loopback address', () => {
    expect(urlHostOf(settings({ connectionRequest: { urlHost: 'cpe.example' } }), '192.0.2.7', '10.0.0.1', IFACES)).toBe('cpe.example')
    expect(urlHostOf(settings({ connectionRequest: { host: '127.0.0.5' } }), undefined, '10.0.0.1', IFACES)).toBe('127.0.0.5')
    expect(urlHostOf(settings({ connectionRequest: {}, wanInterface: 'wan0' }), '192.0.2.7', '10.0.0.1', IFACES)).toBe('192.0.2.7')
    expect(urlHostOf(settings({ connectionRequest: {} }), undefined, '10.0.0.1', IFACES)).toBe('10.0.0.1')
    // No route known: never 127.0.0.1 while an outside address exists.
    expect(urlHostOf(settings({ connectionRequest: {} }), undefined, undefined, IFACES)).toBe('192.0.2.7')
    expect(urlHostOf(settings({ connectionRequest: {} }), undefined, undefined, { lo: IFACES.lo })).toBe('127.0.0.1')
    expect(connectionRequestUrlOf('2001:db8::7', 7547, '/cr')).toBe('http://[2001:db8::7]:7547/cr')
    expect(connectionRequestUrlOf('192.0.2.7', 7547, 'cr')).toBe('http://192.0.2.7:7547/cr')
  })
})
