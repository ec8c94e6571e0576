// Issue 9 item 7, user enumeration by timing: an unknown user must cost the server the same work as
// a known user with a wrong password. Timing itself is not asserted (this machine is noisy); the work
// is: every hash and HMAC the server computes is counted through node:crypto, and the counts for the
// two refusals must be equal, for every algorithm, with and without userhash.
import { beforeEach, describe, expect, it, vi } from 'vitest'

const counts = { hash: 0, hmac: 0, compare: 0 }
vi.mock('node:crypto', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:crypto')>()
  return {
    ...real,
    createHash: (...args: Parameters<typeof real.createHash>) => {
      counts.hash++
      return real.createHash(...args)
    },
    createHmac: (...args: Parameters<typeof real.createHmac>) => {
      counts.hmac++
      return real.createHmac(...args)
    },
    timingSafeEqual: (...args: Parameters<typeof real.timingSafeEqual>) => {
      counts.compare++
      return real.timingSafeEqual(...args)
    },
  }
})

const { DIGEST_ALGORITHMS, createDigestAuthorization, createDigestServer, selectDigestChallenge, computeDigestUserhash } =
  await import('../../src/index.js')

beforeEach(() => {
  counts.hash = 0
  counts.hmac = 0
  counts.compare = 0
})

describe('attack: user enumeration by timing (the server does the same work for unknown users)', () => {
  it.each(DIGEST_ALGORITHMS.map((a) => [a] as const))('%s', (algorithm) => {
    for (const userhash of [false, true]) {
      const server = createDigestServer({
        realm: 'acs',
        secret: 'a-nonce-secret-0123456789',
        algorithms: [algorithm],
        userhash,
        lookup: ({ username, userhash: hashed }) => {
          const real = 'cpe-known'
          const match = hashed ? username === computeDigestUserhash(algorithm, real, 'acs') : username === real
          return match ? { password: 'right', username: real } : undefined
        },
      })
      const work = (username: string, password: string) => {
        const challenge = selectDigestChallenge(server.challenge())
        const authorization = createDigestAuthorization(challenge, { username, password }, { method: 'POST', uri: '/acs' }, { nc: 1, cnonce: 'c' })
        counts.hash = 0
        counts.hmac = 0
        counts.compare = 0
        const result = server.verify({ method: 'POST', uri: '/acs', authorization })
        return { result: result.ok ? 'ok' : result.reason, ...counts }
      }
      const wrongPassword = work('cpe-known', 'wrong')
      const unknownUser = work('cpe-ghost', 'wrong')
      expect(wrongPassword.result).toBe('bad-response')
      expect(unknownUser.result).toBe('unknown-user')
      expect({ hash: unknownUser.hash, hmac: unknownUser.hmac, compare: unknownUser.compare }).toEqual({
        hash: wrongPassword.hash,
        hmac: wrongPassword.hmac,
        compare: wrongPassword.compare,
      })
      // The counts are real: a verification hashes at least HA1, HA2 and the response.
      expect(wrongPassword.hash).toBeGreaterThanOrEqual(3)
    }
  })
})
