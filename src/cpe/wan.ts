/**
 * The WAN interface setting, sans I/O: which address the client sends from and listens on, when
 * the Connection Request listener must be rebound, and the ConnectionRequestURL it reports. The
 * interfaces (`os.networkInterfaces()`) and the route's local address are passed in.
 *
 * @module
 */
import { isIP } from 'node:net'
import type { ConnectionLimits } from '../transport/connection-guard.js'
import type { CpeSettings } from './settings.js'

/**
 * One address of an interface, as `os.networkInterfaces()` gives it.
 *
 * @internal
 */
export interface InterfaceAddress {
  readonly address: string
  readonly family: string | number
  readonly internal?: boolean
}

/**
 * The interfaces by name.
 *
 * @internal
 */
export type Interfaces = Readonly<Record<string, readonly InterfaceAddress[] | undefined>>

const isV4 = (a: InterfaceAddress): boolean => a.family === 'IPv4' || a.family === 4
const isUsableV6 = (a: InterfaceAddress): boolean => (a.family === 'IPv6' || a.family === 6) && !/^fe80:/i.test(a.address)

/**
 * The address the client binds to for `wanInterface`: `undefined` for `any` (the system picks per
 * route), the address itself for an IP, an interface's first IPv4 address (else its first IPv6
 * address that is not link-local) for a name; `null` when the named interface has no such address
 * now (it is down, or gone).
 *
 * @internal
 */
export function wanAddressOf(wanInterface: string, interfaces: Interfaces): string | undefined | null {
  if (wanInterface === 'any') return undefined
  if (isIP(wanInterface) !== 0) return wanInterface
  const addresses = interfaces[wanInterface] ?? []
  return (addresses.find(isV4) ?? addresses.find(isUsableV6))?.address ?? null
}

/**
 * Where the Connection Request listener listens: a change of any field means a new listener.
 *
 * @internal
 */
export interface ListenerPlan {
  /** Address to listen on; `undefined`: every interface. */
  readonly host: string | undefined
  /** Port asked for (0: any free one). */
  readonly port: number
  /** Connection limits. */
  readonly limits: ConnectionLimits | undefined
}

/**
 * The listener the settings ask for, or `undefined` for none.
 *
 * @param settings - the settings
 * @param wanAddress - from {@link wanAddressOf}
 * @internal
 */
export function listenerPlanOf(settings: CpeSettings, wanAddress: string | undefined): ListenerPlan | undefined {
  const cr = settings.connectionRequest
  if (cr === false) return undefined
  return { host: cr.host ?? wanAddress, port: cr.port, limits: cr.limits }
}

/**
 * True when two plans need the same listener.
 *
 * @internal
 */
export function sameListenerPlan(a: ListenerPlan | undefined, b: ListenerPlan | undefined): boolean {
  if (a === undefined || b === undefined) return a === b
  return a.host === b.host && a.port === b.port && JSON.stringify(a.limits ?? {}) === JSON.stringify(b.limits ?? {})
}

const isWildcard = (host: string | undefined): boolean => host === undefined || host === '' || host === '0.0.0.0' || host === '::'

/**
 * The host ConnectionRequestURL names: `urlHost` when set; else the address listened on; else, with
 * `wanInterface: 'any'`, the local address of the route to the ACS; else an address of an interface
 * that is not loopback; 127.0.0.1 only when nothing else is known.
 *
 * @param settings - the settings
 * @param wanAddress - from {@link wanAddressOf}
 * @param routeAddress - the local address the route to the ACS uses, if known
 * @param interfaces - the interfaces now
 * @internal
 */
export function urlHostOf(
  settings: CpeSettings,
  wanAddress: string | undefined,
  routeAddress: string | undefined,
  interfaces: Interfaces,
): string {
  const cr = settings.connectionRequest
  if (cr !== false && cr.urlHost !== undefined) return cr.urlHost
  if (cr !== false && !isWildcard(cr.host)) return cr.host as string
  if (wanAddress !== undefined) return wanAddress
  if (routeAddress !== undefined) return routeAddress
  const external = Object.values(interfaces).flatMap((list) => (list ?? []).filter((a) => a.internal !== true))
  return (external.find(isV4) ?? external.find(isUsableV6))?.address ?? '127.0.0.1'
}

/**
 * `http://host:port/path`, an IPv6 host in brackets.
 *
 * @internal
 */
export function connectionRequestUrlOf(host: string, port: number, path: string): string {
  const h = isIP(host) === 6 ? `[${host}]` : host
  return `http://${h}:${port}${path.startsWith('/') ? path : `/${path}`}`
}
