/**
 * The only file of `src/auth` and `src/connreq` that touches `node:crypto`.
 *
 * Everything else in those modules is pure string and byte work: hashing, HMAC, constant-time
 * comparison and the default randomness all come from here, so a port to another runtime replaces
 * one file (WebCrypto has no MD5, and MD5 is mandatory in TR-069, hence `node:crypto`).
 *
 * @module
 */

import { createHash, createHmac, randomBytes as nodeRandomBytes, randomFillSync, timingSafeEqual } from 'node:crypto'

/**
 * Hash functions used by HTTP Digest (RFC 7616 §3.2) and by the nonce and UDP signatures.
 *
 * @category Authentication
 */
export type HashName = 'md5' | 'sha256' | 'sha512-256' | 'sha1'

/**
 * Bytes or text; text is hashed as its UTF-8 encoding.
 *
 * @category Authentication
 */
export type HashInput = string | Uint8Array

/**
 * Lower-case hex digest of `data` (text is UTF-8 encoded).
 *
 * @category Authentication
 */
export function hashHex(name: HashName, data: HashInput): string {
  const h = createHash(name)
  if (typeof data === 'string') h.update(data, 'utf8')
  else h.update(data)
  return h.digest('hex')
}

/**
 * HMAC of `data` under `key` (text is UTF-8 encoded), as raw bytes.
 *
 * @category Authentication
 */
export function hmacBytes(name: HashName, key: HashInput, data: HashInput): Uint8Array {
  const m = createHmac(name, typeof key === 'string' ? Buffer.from(key, 'utf8') : key)
  if (typeof data === 'string') m.update(data, 'utf8')
  else m.update(data)
  return new Uint8Array(m.digest())
}

/**
 * HMAC of `data` under `key`, as lower-case hex.
 *
 * @category Authentication
 */
export function hmacHex(name: HashName, key: HashInput, data: HashInput): string {
  return Buffer.from(hmacBytes(name, key, data)).toString('hex')
}

/**
 * Constant-time equality of two byte strings. Unequal lengths return false at once: the lengths
 * compared here are public (hash sizes), so that early exit leaks nothing secret.
 *
 * @category Authentication
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  return timingSafeEqual(a, b)
}

/**
 * Constant-time equality of two strings (compared as UTF-8 bytes). Both sides are first hashed
 * with SHA-256 so that the comparison runs on equal-length inputs and does not reveal the length
 * of the secret side.
 *
 * @category Authentication
 */
export function constantTimeEqualString(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a, 'utf8').digest()
  const hb = createHash('sha256').update(b, 'utf8').digest()
  return timingSafeEqual(ha, hb) && a.length === b.length
}

/**
 * Cryptographically strong random bytes (the default randomness source).
 *
 * @category Authentication
 */
export function randomBytes(size: number): Uint8Array {
  if (size > POOLED_MAX) return new Uint8Array(nodeRandomBytes(size))
  // Small requests (nonce salts, ids) are served from a pool filled 4 KiB at a time: one call into
  // the CSPRNG per few hundred requests instead of one each. Bytes are handed out once, never again.
  if (poolOffset + size > pool.length) {
    randomFillSync(pool)
    poolOffset = 0
  }
  const out = pool.slice(poolOffset, poolOffset + size)
  poolOffset += size
  return out
}

const POOLED_MAX = 64
const pool = new Uint8Array(4096)
let poolOffset = pool.length

/**
 * Cryptographically strong random lower-case hex string of `bytes` bytes.
 *
 * @category Authentication
 */
export function randomHex(bytes: number): string {
  return nodeRandomBytes(bytes).toString('hex')
}
