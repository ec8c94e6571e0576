/**
 * Which local address the operating system uses to reach a peer: the address of the interface
 * that routes to it. Found by connecting a UDP socket (no packet is sent), so the answer is the
 * kernel's route and source-address choice without opening a TCP connection.
 *
 * @module
 */

import * as dgram from 'node:dgram'
import { isIP } from 'node:net'

/**
 * The local address the route to `url`'s host uses, or `undefined` when there is no route, the
 * host cannot be resolved, or no answer comes within `timeoutMs`. Never rejects.
 *
 * @param url - an absolute http(s) URL, e.g. the ACS URL
 * @param timeoutMs - the longest wait (name resolution included); default 5000
 * @internal
 */
export async function localAddressTowards(url: string, timeoutMs = 5000): Promise<string | undefined> {
  let host: string
  let port: number
  try {
    const u = new URL(url)
    host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname
    port = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port)
  } catch {
    return undefined
  }
  if (host === '') return undefined
  const family = isIP(host)
  const types: readonly ('udp4' | 'udp6')[] = family === 4 ? ['udp4'] : family === 6 ? ['udp6'] : ['udp4', 'udp6']
  for (const type of types) {
    const address = await probe(type, host, port, timeoutMs)
    if (address !== undefined) return address
  }
  return undefined
}

function probe(type: 'udp4' | 'udp6', host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket(type)
    let done = false
    const finish = (address: string | undefined): void => {
      if (done) return
      done = true
      clearTimeout(timer)
      try {
        socket.close()
      } catch {
        // already closed
      }
      resolve(address)
    }
    const timer = setTimeout(() => finish(undefined), timeoutMs)
    timer.unref()
    socket.on('error', () => finish(undefined))
    try {
      socket.connect(port, host, () => {
        try {
          const { address } = socket.address()
          // A failed lookup can still "connect" the socket to nothing: the wildcard is no answer.
          finish(address === '0.0.0.0' || address === '::' ? undefined : address)
        } catch {
          finish(undefined)
        }
      })
    } catch {
      finish(undefined)
    }
  })
}
