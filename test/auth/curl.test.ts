// curl as the HTTP Digest client, against the library's Digest server behind node:http on
// 127.0.0.1. Proves the server side (an ACS checking CPEs) against an independent implementation.
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DigestAlgorithm,
  type DigestQop,
  type DigestServer,
  computeDigestUserhash,
  createDigestServer,
  parseDigestAuthorization,
} from '../../src/index.js'
import { atLeast, findTool, listen, request, run, toolVersionLine, versionOf } from './peers.js'

const CURL = findTool('curl')
const CURL_VERSION = CURL === undefined ? '' : toolVersionLine(CURL, '--version')
const V = versionOf(CURL_VERSION)
if (CURL === undefined) console.warn('curl interop tests SKIPPED: curl is not installed (apt-get install curl)')
else console.info(`curl interop tests use ${CURL_VERSION}`)

const REALM = 'cwmp-acs'
const USER = 'cpe-00D09E'
const PASSWORD = 'Circle of Life'

interface Seen {
  readonly path: string
  readonly authorization: string | undefined
  readonly outcome: string
}

// One Digest server per path prefix, so each test chooses the algorithms and qop offered.
const clock = { t: 1_750_000_000_000 }
const seen: Seen[] = []
function digestFor(algorithms: DigestAlgorithm[], qop: DigestQop[] = ['auth'], extra: { userhash?: boolean; nonceLifetimeMs?: number } = {}): DigestServer {
  return createDigestServer({
    realm: REALM,
    secret: 'curl-interop-secret-0123456789',
    algorithms,
    qop,
    now: () => clock.t,
    userhash: extra.userhash ?? false,
    nonceLifetimeMs: extra.nonceLifetimeMs ?? 300_000,
    lookup: ({ username, userhash, algorithm, realm }) => {
      const name = userhash ? (computeDigestUserhash(algorithm, USER, realm) === username ? USER : undefined) : username
      return name === USER ? { username: USER, password: PASSWORD } : undefined
    },
  })
}
const routes: Record<string, DigestServer> = {
  md5: digestFor(['MD5']),
  sha256: digestFor(['SHA-256']),
  both: digestFor(['SHA-256', 'MD5']),
  md5sess: digestFor(['MD5-sess']),
  sha256sess: digestFor(['SHA-256-sess']),
  sha512: digestFor(['SHA-512-256']),
  authint: digestFor(['MD5'], ['auth-int']),
  userhash: digestFor(['SHA-256'], ['auth'], { userhash: true }),
  stale: digestFor(['MD5'], ['auth'], { nonceLifetimeMs: 60_000 }),
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = []
  req.on('data', (c: Buffer) => chunks.push(c))
  req.on('end', () => {
    const url = req.url ?? '/'
    const route = routes[url.split('/')[1] ?? '']
    if (route === undefined) {
      res.writeHead(404).end()
      return
    }
    const result = route.verify({
      method: req.method ?? 'GET',
      uri: url,
      authorization: req.headers.authorization,
      body: Buffer.concat(chunks),
    })
    seen.push({ path: url, authorization: req.headers.authorization, outcome: result.ok ? 'ok' : result.reason })
    if (result.ok) {
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`ok ${result.algorithm} ${result.qop ?? 'none'} ${url}`)
    } else {
      // The stale test: after the first challenge is sent, the clock passes the 60 s nonce lifetime,
      // so curl's answer to that challenge arrives with an expired nonce.
      if (url.startsWith('/stale/') && result.reason === 'missing') clock.t += 61_000
      res.writeHead(401, { 'WWW-Authenticate': result.challenge, 'Content-Length': '0' }).end()
    }
  })
})
let port = 0

beforeAll(async () => {
  if (CURL !== undefined) port = await listen(server)
})
afterAll(async () => {
  if (server.listening) await new Promise<void>((r) => server.close(() => r()))
})

function outcomes(prefix: string): string[] {
  return seen.filter((s) => s.path.startsWith(prefix)).map((s) => s.outcome)
}

async function curl(args: string[]): Promise<{ code: number; stdout: string; status: string }> {
  const r = await run(CURL ?? 'curl', ['-sS', '-w', '\n%{http_code}', ...args])
  const lines = r.stdout.split('\n')
  return { code: r.code, status: lines.at(-1) ?? '', stdout: lines.slice(0, -1).join('\n') }
}

const url = (path: string) => `http://127.0.0.1:${port}${path}`

describe.skipIf(CURL === undefined)(`curl --digest against createDigestServer${CURL === undefined ? ' [SKIPPED: curl not installed]' : ` (${CURL_VERSION.split(' ').slice(0, 2).join(' ')})`}`, () => {
  it.each([
    ['md5', 'MD5'],
    ['sha256', 'SHA-256'],
    ['md5sess', 'MD5-sess'],
    ['sha256sess', 'SHA-256-sess'],
  ])('/%s: curl --digest is accepted with %s, qop=auth', async (route, algorithm) => {
    const r = await curl(['--digest', '-u', `${USER}:${PASSWORD}`, url(`/${route}/x`)])
    expect(r.status).toBe('200')
    expect(r.stdout).toBe(`ok ${algorithm} auth /${route}/x`)
    expect(outcomes(`/${route}/x`)).toEqual(['missing', 'ok'])
  })

  it('offered SHA-256 and MD5 (two challenges), curl answers one of them and is accepted', async () => {
    const r = await curl(['--digest', '-u', `${USER}:${PASSWORD}`, url('/both/x')])
    expect(r.status).toBe('200')
    expect(r.stdout).toMatch(/^ok (SHA-256|MD5) auth \/both\/x$/)
  })

  it('qop=auth-int (GET, empty body): curl is accepted', async () => {
    const r = await curl(['--digest', '-u', `${USER}:${PASSWORD}`, url('/authint/x')])
    expect(r.status).toBe('200')
    expect(r.stdout).toBe('ok MD5 auth-int /authint/x')
  })

  it('userhash=true with SHA-256: curl sends the hashed user name and is accepted', async () => {
    const r = await curl(['--digest', '-u', `${USER}:${PASSWORD}`, url('/userhash/x')])
    expect(r.status).toBe('200')
    const sent = seen.filter((s) => s.path === '/userhash/x').at(-1)?.authorization ?? ''
    const parsed = parseDigestAuthorization(sent)
    expect(parsed.userhash).toBe(true)
    expect(parsed.username).toBe(computeDigestUserhash('SHA-256', USER, REALM))
  })

  it('a wrong password is rejected (401, bad-response)', async () => {
    const r = await curl(['--digest', '-u', `${USER}:wrong`, url('/md5/wrong')])
    expect(r.status).toBe('401')
    expect(outcomes('/md5/wrong')).toEqual(['missing', 'bad-response'])
  })

  it('a replayed request (the same Authorization header again) is rejected, via curl -H and via node', async () => {
    const ok = await curl(['--digest', '-u', `${USER}:${PASSWORD}`, url('/md5/replay')])
    expect(ok.status).toBe('200')
    const header = seen.filter((s) => s.path === '/md5/replay' && s.outcome === 'ok').at(-1)?.authorization
    expect(header).toMatch(/^Digest /)
    const again = await curl(['-H', `Authorization: ${header ?? ''}`, url('/md5/replay')])
    expect(again.status).toBe('401')
    const raw = await request(port, '/md5/replay', { headers: { Authorization: header ?? '' } })
    expect(raw.status).toBe(401)
    expect(outcomes('/md5/replay')).toEqual(['missing', 'ok', 'replay', 'replay'])
  })

  it('after the nonce expired, the server answers stale=true and curl retries and succeeds', async () => {
    const r = await curl(['--digest', '-u', `${USER}:${PASSWORD}`, url('/stale/x')])
    expect(r.status).toBe('200')
    expect(r.stdout).toBe('ok MD5 auth /stale/x')
    const tries = seen.filter((s) => s.path === '/stale/x')
    expect(tries.map((s) => s.outcome)).toEqual(['missing', 'stale', 'ok'])
    const [, staleTry, retry] = tries.map((s) => (s.authorization === undefined ? undefined : parseDigestAuthorization(s.authorization)))
    expect(retry?.nonce).not.toBe(staleTry?.nonce)
  })

  // curl before 8.8.0 labels SHA-512-256 but hashes with SHA-256 (measured with 7.88.1: its response
  // equals the SHA-256 computation). Our server must refuse that response.
  it.skipIf(atLeast(V, [8, 8, 0]))(
    `SHA-512-256: curl < 8.8.0 computes it with SHA-256, and the server refuses the wrong hash${atLeast(V, [8, 8, 0]) ? ' [SKIPPED: curl >= 8.8.0]' : ''}`,
    async () => {
      const r = await curl(['--digest', '-u', `${USER}:${PASSWORD}`, url('/sha512/x')])
      expect(r.status).toBe('401')
      expect(outcomes('/sha512/x')).toEqual(['missing', 'bad-response'])
    },
  )

  it.skipIf(!atLeast(V, [8, 8, 0]))(
    `SHA-512-256: curl >= 8.8.0 is accepted${atLeast(V, [8, 8, 0]) ? '' : ' [SKIPPED: needs curl >= 8.8.0]'}`,
    async () => {
      const r = await curl(['--digest', '-u', `${USER}:${PASSWORD}`, url('/sha512/y')])
      expect(r.status).toBe('200')
    },
  )
})
