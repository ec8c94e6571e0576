import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { createDigestServer, parseAuthorization } from '../../src/index.js'
import {
  composeTransport,
  createHttpTransport,
  withAuth,
  withCookies,
  type HttpRequest,
  type HttpTransport,
  type Transport,
} from '../../src/index.js'
import { closeAllServers, readBody, startServer } from './helpers.js'

const transports: HttpTransport[] = []
function http(): HttpTransport {
  const t = createHttpTransport()
  transports.push(t)
  return t
}
afterEach(async () => {
  for (const t of transports.splice(0)) t.close()
  await closeAllServers()
})

const USER = '00D09E-Router-123'
const PASS = 'Circle Of Life'
const SECRET = 'a-nonce-secret-of-32-bytes-------'

const md5 = (s: string): string => createHash('md5').update(s).digest('hex')

/** RFC 2617 §3.2.2 computed by hand, independently of src/auth. */
function rfc2617Valid(header: string, method: string, password: string): boolean {
  const p = parseAuthorization(header).params
  const ha1 = md5(`${p['username']}:${p['realm']}:${password}`)
  const ha2 = md5(`${method}:${p['uri']}`)
  return md5(`${ha1}:${p['nonce']}:${p['nc']}:${p['cnonce']}:${p['qop']}:${ha2}`) === p['response']
}

interface Seen {
  readonly status: number
  readonly authorization: string | undefined
  readonly socket: number
}

/** An ACS that checks Digest with src/auth's stateless verifier. */
async function digestAcs(options: { closeOn401?: boolean; now?: () => number; secret?: () => string; extraChallenge?: string } = {}) {
  const seen: Seen[] = []
  let secret = SECRET
  let server: Awaited<ReturnType<typeof startServer>> | undefined
  let digest = createDigestServer({ realm: 'cwmp', secret, lookup: () => ({ password: PASS }), ...(options.now ? { now: options.now } : {}) })
  const handler = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req)
    if (options.secret !== undefined && options.secret() !== secret) {
      secret = options.secret()
      digest = createDigestServer({ realm: 'cwmp', secret, lookup: () => ({ password: PASS }) })
    }
    const result = digest.verify({ method: req.method ?? '', uri: req.url ?? '', authorization: req.headers.authorization, body })
    const socket = server?.sockets.indexOf(req.socket) ?? -1
    if (!result.ok) {
      seen.push({ status: 401, authorization: req.headers.authorization, socket })
      const challenges = options.extraChallenge === undefined ? result.challenge : [options.extraChallenge, ...result.challenge]
      res.writeHead(401, [
        ...challenges.map((c): [string, string] => ['WWW-Authenticate', c]),
        ['Content-Length', '0'],
        ...(options.closeOn401 === true ? [['Connection', 'close'] as [string, string]] : []),
      ])
      res.end()
      return
    }
    seen.push({ status: 200, authorization: req.headers.authorization, socket })
    res.writeHead(200, { 'content-type': 'text/xml' }).end('<ok/>')
  }
  server = await startServer((req, res) => void handler(req, res))
  return { server, seen, url: `${server.origin}/acs?id=1` }
}

const post = (url: string, body = '<Inform/>'): HttpRequest => ({ method: 'POST', url, headers: {}, body })

describe('withAuth (Digest) over real HTTP', () => {
  it('authenticates on a NEW TCP connection after a 401 with Connection: close, then pre-emptively with nc+1', async () => {
    const acs = await digestAcs({ closeOn401: true })
    const t = composeTransport(http(), withAuth({ username: USER, password: PASS }))
    const r = await t.send(post(acs.url))
    expect(r.status).toBe(200)
    expect(acs.seen.map((s) => [s.status, s.socket])).toEqual([
      [401, 0],
      [200, 1],
    ])
    expect(acs.server.sockets).toHaveLength(2)
    const first = acs.seen[1]?.authorization ?? ''
    expect(rfc2617Valid(first, 'POST', PASS)).toBe(true)
    expect(parseAuthorization(first).params['uri']).toBe('/acs?id=1')

    // Later requests of the session (empty POST included) authenticate at once, nc counting up.
    for (const body of ['', '<GetParameterValuesResponse/>', '']) expect((await t.send(post(acs.url, body))).status).toBe(200)
    expect(acs.seen.slice(2).map((s) => s.status)).toEqual([200, 200, 200])
    expect(acs.seen.slice(1).map((s) => parseAuthorization(s.authorization ?? '').params['nc'])).toEqual([
      '00000001',
      '00000002',
      '00000003',
      '00000004',
    ])
    for (const s of acs.seen.slice(1)) expect(rfc2617Valid(s.authorization ?? '', 'POST', PASS)).toBe(true)
    expect(acs.server.sockets).toHaveLength(2)
  })

  it('answers a stale nonce once and goes on with the new nonce', async () => {
    let now = 1_000_000
    const acs = await digestAcs({ now: () => now })
    const t = composeTransport(http(), withAuth({ username: USER, password: PASS }))
    expect((await t.send(post(acs.url))).status).toBe(200)
    now += 10 * 60_000 // past the 5 minute nonce lifetime
    expect((await t.send(post(acs.url))).status).toBe(200)
    expect(acs.seen.map((s) => s.status)).toEqual([401, 200, 401, 200])
    const nonces = acs.seen.map((s) => (s.authorization === undefined ? undefined : parseAuthorization(s.authorization).params['nonce']))
    expect(nonces[2]).toBe(nonces[1])
    expect(nonces[3]).not.toBe(nonces[2])
    expect(parseAuthorization(acs.seen[3]?.authorization ?? '').params['nc']).toBe('00000001')
  })

  it('answers once when the server no longer knows the nonce (not stale), e.g. after a restart', async () => {
    let secret = SECRET
    const acs = await digestAcs({ secret: () => secret })
    const t = composeTransport(http(), withAuth({ username: USER, password: PASS }))
    expect((await t.send(post(acs.url))).status).toBe(200)
    secret = 'another-secret-after-a-restart-----'
    expect((await t.send(post(acs.url))).status).toBe(200)
    expect(acs.seen.map((s) => s.status)).toEqual([401, 200, 401, 200])
  })

  it('returns the second 401 as it is (wrong password): exactly one resend', async () => {
    const acs = await digestAcs()
    const t = composeTransport(http(), withAuth({ username: USER, password: 'wrong' }))
    const r = await t.send(post(acs.url))
    expect(r.status).toBe(401)
    expect(acs.seen).toHaveLength(2)
  })

  it('prefers Digest over Basic and the strongest algorithm offered', async () => {
    const digest = createDigestServer({ realm: 'cwmp', secret: SECRET, algorithms: ['MD5', 'SHA-256'], lookup: () => ({ password: PASS }) })
    const auths: (string | undefined)[] = []
    const server = await startServer((req, res) => {
      auths.push(req.headers.authorization)
      const result = digest.verify({ method: req.method ?? '', uri: req.url ?? '', authorization: req.headers.authorization })
      if (result.ok) return void res.writeHead(200, { 'content-length': '0' }).end()
      res.writeHead(401, [['WWW-Authenticate', 'Basic realm="cwmp"'], ...result.challenge.map((c): [string, string] => ['WWW-Authenticate', c])])
      res.end()
    })
    const t = composeTransport(http(), withAuth({ username: USER, password: PASS }))
    expect((await t.send(post(`${server.origin}/`))).status).toBe(200)
    const sent = parseAuthorization(auths[1] ?? '')
    expect(sent.scheme).toBe('Digest')
    expect(sent.params['algorithm']).toBe('SHA-256')
  })

  it('lets the authenticated resend carry the cookies the 401 set (auth outside, cookies inside)', async () => {
    const cookies: (string | undefined)[] = []
    const digest = createDigestServer({ realm: 'cwmp', secret: SECRET, lookup: () => ({ password: PASS }) })
    const server = await startServer((req, res) => {
      cookies.push(req.headers.cookie)
      const result = digest.verify({ method: req.method ?? '', uri: req.url ?? '', authorization: req.headers.authorization })
      if (result.ok) return void res.writeHead(200, { 'content-length': '0' }).end()
      res.writeHead(401, [['Set-Cookie', 'sid=1'], ...result.challenge.map((c): [string, string] => ['WWW-Authenticate', c])])
      res.end()
    })
    const t = composeTransport(http(), withAuth({ username: USER, password: PASS }), withCookies())
    expect((await t.send(post(`${server.origin}/`))).status).toBe(200)
    expect(cookies).toEqual([undefined, 'sid=1'])
  })
})

describe('withAuth (Basic) over real HTTP', () => {
  async function basicAcs() {
    const auths: (string | undefined)[] = []
    const expected = `Basic ${Buffer.from(`${USER}:${PASS}`).toString('base64')}`
    const server = await startServer((req, res) => {
      auths.push(req.headers.authorization)
      if (req.headers.authorization === expected) return void res.writeHead(200, { 'content-length': '0' }).end()
      res.writeHead(401, { 'www-authenticate': 'Basic realm="cwmp"', 'content-length': '0' }).end()
    })
    return { server, auths, expected }
  }

  it('answers a Basic challenge over http only when allowed, then sends Basic at once on later requests', async () => {
    const acs = await basicAcs()
    // By default the password is never sent in clear over http: the 401 is returned unanswered.
    const refused = composeTransport(http(), withAuth({ username: USER, password: PASS }))
    expect((await refused.send(post(`${acs.server.origin}/`))).status).toBe(401)
    expect(acs.auths).toEqual([undefined])
    const t = composeTransport(http(), withAuth({ username: USER, password: PASS, basicOverHttp: true }))
    expect((await t.send(post(`${acs.server.origin}/`))).status).toBe(200)
    expect((await t.send(post(`${acs.server.origin}/`, ''))).status).toBe(200)
    expect(acs.auths).toEqual([undefined, undefined, acs.expected, acs.expected])
  })

  it('does not fall back to Basic in the middle of a Digest session over http', async () => {
    // A Digest origin that suddenly asks for Basic (a downgrade by someone on the path) gets nothing.
    const t = composeTransport(
      {
        send: async (req) =>
          req.headers.authorization === undefined
            ? { status: 401, headers: { 'www-authenticate': 'Basic realm="acs"' }, body: '' }
            : { status: 200, headers: {}, body: '' },
      },
      withAuth({ username: USER, password: PASS }),
    )
    const r = await t.send(post('http://h/'))
    expect(r.status).toBe(401)
  })

  it('sends Basic on the first request when pre-emptive, and never when disabled', async () => {
    const acs = await basicAcs()
    const pre = composeTransport(http(), withAuth({ username: USER, password: PASS, basic: 'preemptive' }))
    expect((await pre.send(post(`${acs.server.origin}/`))).status).toBe(200)
    expect(acs.auths).toEqual([acs.expected])
    const never = composeTransport(http(), withAuth({ username: USER, password: PASS, basic: 'never' }))
    expect((await never.send(post(`${acs.server.origin}/`))).status).toBe(401)
    expect(acs.auths).toEqual([acs.expected, undefined])
  })
})

describe('withAuth edge cases', () => {
  function scripted(answers: ((req: HttpRequest) => { status: number; headers?: Record<string, string | string[]> })[]) {
    const seen: HttpRequest[] = []
    let closed = 0
    const transport: Transport = {
      send(request) {
        seen.push(request)
        const a = answers[Math.min(seen.length - 1, answers.length - 1)]?.(request) ?? { status: 200 }
        return Promise.resolve({ status: a.status, headers: a.headers ?? {}, body: '' })
      },
      close() {
        closed += 1
      },
    }
    return { transport, seen, closed: () => closed }
  }

  it('returns a 401 without a usable challenge unchanged, after one request', async () => {
    for (const headers of [{}, { 'www-authenticate': 'Negotiate abc' }, { 'www-authenticate': 'Digest realm="x", nonce=' }]) {
      const s = scripted([() => ({ status: 401, headers })])
      const r = await composeTransport(s.transport, withAuth({ username: USER, password: PASS })).send(post('http://h/'))
      expect(r.status).toBe(401)
      expect(s.seen).toHaveLength(1)
    }
  })

  it('adopts nextnonce from Authentication-Info, passes explicit Authorization through, forwards close and resets', async () => {
    const s = scripted([
      () => ({ status: 401, headers: { 'www-authenticate': 'Digest realm="r", nonce="n1", qop="auth"' } }),
      () => ({ status: 200, headers: { 'authentication-info': 'nextnonce="n2"' } }),
      () => ({ status: 200 }),
    ])
    const auth = withAuth({ username: USER, password: PASS, digest: { cnonce: () => 'c0ffee' } })
    const t = composeTransport(s.transport, auth)
    await t.send(post('http://h/acs'))
    await t.send(post('http://h/acs'))
    const third = parseAuthorization(String(s.seen[2]?.headers['authorization'])).params
    expect([third['nonce'], third['nc']]).toEqual(['n2', '00000001'])
    await t.send({ ...post('http://h/acs'), headers: { Authorization: 'Bearer x' } })
    expect(s.seen[3]?.headers).toEqual({ Authorization: 'Bearer x' })
    // Another origin gets no pre-emptive credentials.
    await t.send(post('http://other/acs'))
    expect(s.seen[4]?.headers['authorization']).toBeUndefined()
    auth.reset()
    expect(auth.digest.challenge).toBeUndefined()
    await t.send(post('http://h/acs'))
    expect(s.seen[5]?.headers['authorization']).toBeUndefined()
    await t.close?.()
    expect(s.closed()).toBe(1)
  })
})
