// The CPE's Connection Request handler behind a real node:http server on 127.0.0.1, driven by
// curl (an independent Digest client playing the ACS) and by the library's own ACS client over
// Node's http client.
import http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type ConnectionRequestDecision,
  createConnectionRequestClient,
  createConnectionRequestHandler,
} from '../../src/index.js'
import { findTool, listen, request, run, toolVersionLine } from '../auth/peers.js'

const CURL = findTool('curl')
if (CURL === undefined) console.warn('curl Connection Request tests SKIPPED: curl is not installed (apt-get install curl)')

const PATH = '/cr/a9f3e1'
const CREDS = { username: 'acs', password: 'pw-of-the-cpe' }
const cr = createConnectionRequestHandler({ path: PATH, ...CREDS, algorithms: ['SHA-256', 'MD5'], rateLimit: null })
const session = { active: false }
const decisions: ConnectionRequestDecision[] = []

const server = http.createServer((req, res) => {
  req.resume()
  req.on('end', () => {
    const d = cr.handle({ method: req.method ?? '', url: req.url ?? '', headers: req.headers }, { now: Date.now(), inSession: session.active })
    decisions.push(d)
    res.writeHead(d.response.status, d.response.headers).end(d.response.body)
  })
})
let port = 0
beforeAll(async () => {
  port = await listen(server)
})
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()))
})

describe('ACS client (node http) against the CPE handler (node http)', () => {
  it('GET, 401, authenticated GET, 200 with an empty body; the CPE starts one session', async () => {
    decisions.length = 0
    const acs = createConnectionRequestClient({ url: `http://127.0.0.1:${port}${PATH}`, ...CREDS })
    let result = ''
    for (let i = 0; i < 3 && result === ''; i++) {
      const req = acs.request()
      const res = await request(port, new URL(req.url).pathname, { headers: { ...req.headers } })
      expect(res.body).toBe('')
      const step = acs.handleResponse({ status: res.status, headers: res.headers })
      if (step.done) result = step.result
    }
    expect(result).toBe('accepted')
    expect(decisions.map((d) => d.response.status)).toEqual([401, 200])
    expect(decisions.filter((d) => d.startSession)).toHaveLength(1)
    expect(decisions[1]?.auth).toMatchObject({ ok: true, algorithm: 'SHA-256' })
    cr.sessionStarted()
  })
})

describe.skipIf(CURL === undefined)(
  `curl as the ACS against the CPE handler${CURL === undefined ? ' [SKIPPED: curl not installed]' : ` (${toolVersionLine(CURL, '--version').split(' ').slice(0, 2).join(' ')})`}`,
  () => {
    const curl = async (args: string[]) => {
      const r = await run(CURL ?? 'curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code} %{size_download}', ...args])
      return r.stdout
    }

    it('curl --digest GET is accepted: 200, zero-length body, one session', async () => {
      decisions.length = 0
      expect(await curl(['--digest', '-u', `${CREDS.username}:${CREDS.password}`, `http://127.0.0.1:${port}${PATH}`])).toBe('200 0')
      expect(decisions.map((d) => d.outcome)).toEqual(['unauthorized', 'accepted'])
      expect(decisions[1]).toMatchObject({ startSession: true })
    })

    it('a second curl before the session starts: 200 again, but no second session', async () => {
      decisions.length = 0
      expect(await curl(['--digest', '-u', `${CREDS.username}:${CREDS.password}`, `http://127.0.0.1:${port}${PATH}`])).toBe('200 0')
      expect(decisions.at(-1)).toMatchObject({ outcome: 'accepted-pending', startSession: false })
      cr.sessionStarted()
    })

    it('during the session: accepted and queued (default policy), one session after it', async () => {
      session.active = true
      decisions.length = 0
      expect(await curl(['--digest', '-u', `${CREDS.username}:${CREDS.password}`, `http://127.0.0.1:${port}${PATH}`])).toBe('200 0')
      expect(decisions.at(-1)).toMatchObject({ outcome: 'accepted-queued', sessionAfterCurrent: true })
      session.active = false
      expect(cr.sessionEnded()).toEqual({ startSession: true })
      cr.sessionStarted()
    })

    it('wrong password: 401 and no session; POST: 405; wrong path: 404', async () => {
      decisions.length = 0
      expect(await curl(['--digest', '-u', `${CREDS.username}:nope`, `http://127.0.0.1:${port}${PATH}`])).toBe('401 0')
      expect(decisions.every((d) => !d.startSession)).toBe(true)
      expect(await curl(['-X', 'POST', '-d', 'x', `http://127.0.0.1:${port}${PATH}`])).toBe('405 0')
      expect(await curl([`http://127.0.0.1:${port}/elsewhere`])).toBe('404 0')
    })
  },
)
