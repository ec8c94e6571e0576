/**
 * Default identifiers for the session machines, from the platform's Web Crypto (`globalThis.crypto`)
 * so that this layer imports no Node module. The Node layers (the CPE client, the ACS simulator)
 * inject their own generators.
 *
 * @module
 */

/** `n` random bytes as lower-case hex. @internal */
export function randomHex(n: number): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(n))
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

/** A random RFC 4122 version 4 UUID. @internal */
export function randomUuid(): string {
  return globalThis.crypto.randomUUID()
}
