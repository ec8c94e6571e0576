/**
 * A minimal ACS for the CPE client tests, on plain node:http so a test can drop connections:
 * sessions by cookie over the sans-I/O AcsSession, optional Digest authentication.
 */
import { randomBytes } from 'node:crypto'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  createAcsSession,
  createDigestServer,
  type AcsRequest,
  type AcsSession,
  type AcsSessionStep,
  type Inform,
} from '../../src/index.js'

export interface TestAcsOptions {
  readonly username?: string
  readonly password?: string
  /** RPCs for each session, by session number (0-based). */
  readonly script?: (sessionNumber: number, inform: Inform) => readonly AcsRequest[]
  /** Return true to destroy the socket instead of answering this POST (counted over all POSTs). */
  readonly drop?: (post: number, event: AcsSessionStep | undefined) => boolean
  /** Return true to never answer this POST. */
  readonly hang?: (post: number) => boolean
  /** Return an HTTP status to answer this POST with it (empty body) instead of the session's reply. */
  readonly status?: (post: number) => number | undefined
}

export interface TestAcs {
  readonly url: string
  readonly informs: Inform[]
  readonly events: AcsSessionStep[]
  readonly statuses: number[]
  readonly cookiesSeen: (string | undefined)[]
  readonly connections: number
  close(): Promise<void>
}

export async function startTestAcs(options: TestAcsOptions = {}): Promise<TestAcs> {
  const sessions = new Map<string, AcsSession>()
  const informs: Inform[] = []
  const events: AcsSessionStep[] = []
  const statuses: number[] = []
  const cookiesSeen: (string | undefined)[] = []
  let posts = 0
  let connections = 0
  const digest =
    options.password === undefined
      ? undefined
      : createDigestServer({
          realm: 'test-acs',
          secret: randomBytes(32),
          lookup: ({ username }) => (username === options.username ? { password: options.password as string } : undefined),
        })
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const post = posts++
      if (options.hang?.(post) === true) return
      const forced = options.status?.(post)
      if (forced !== undefined) {
        statuses.push(forced)
        res.writeHead(forced, { 'content-length': '0' }).end()
        return
      }
      if (digest !== undefined) {
        const v = digest.verify({ method: req.method ?? 'POST', uri: req.url ?? '/', authorization: req.headers.authorization })
        if (!v.ok) {
          statuses.push(401)
          res.writeHead(401, { 'www-authenticate': v.challenge, 'content-length': '0', connection: 'close' }).end()
          return
        }
      }
      cookiesSeen.push(req.headers.cookie)
      const sid = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? '')?.[1]
      let acs = sid === undefined ? undefined : sessions.get(sid)
      if (acs === undefined || acs.finished) {
        acs = createAcsSession()
        sessions.set(acs.sessionId, acs)
      }
      const { step: event } = acs.receive({ method: 'POST', url: req.url ?? '/', headers: {}, body })
      events.push(event)
      if (options.drop?.(post, event) === true) {
        req.socket.destroy()
        return
      }
      let reply
      switch (event.type) {
        case 'inform':
          informs.push(event.inform)
          acs.enqueue(...(options.script?.(informs.length - 1, event.inform) ?? []))
          reply = acs.informResponse()
          break
        case 'request':
          reply = acs.respond({ method: `${event.request.method}Response` } as never)
          break
        case 'invalid':
          reply = event.reply
          break
        default:
          reply = acs.next()
      }
      statuses.push(reply.status)
      const headers: Record<string, string> = { 'set-cookie': `sid=${acs.sessionId}; Path=/` }
      for (const [k, v] of Object.entries(reply.headers)) headers[k] = String(v)
      const out = Buffer.from(typeof reply.body === 'string' ? reply.body : Buffer.from(reply.body))
      if (reply.status !== 204) headers['content-length'] = String(out.byteLength)
      res.writeHead(reply.status, headers).end(out)
    })
  })
  server.on('connection', () => connections++)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}/acs`,
    informs,
    events,
    statuses,
    cookiesSeen,
    get connections() {
      return connections
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
