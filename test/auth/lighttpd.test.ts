// lighttpd (mod_auth + mod_authn_file, htdigest backend) as the HTTP Digest server, and the
// library's Digest client as the client, over Node's http client on 127.0.0.1. Proves the client
// side (a CPE answering its ACS, an ACS answering a CPE) against an independent implementation.
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DigestAlgorithm,
  computeDigestHa1,
  computeDigestUserhash,
  createDigestAuthorization,
  createDigestClient,
  selectDigestChallenge,
} from '../../src/index.js'
import { findTool, freePort, request, toolVersionLine, waitForPort } from './peers.js'

const LIGHTTPD = findTool('lighttpd')
const LIGHTTPD_VERSION = LIGHTTPD === undefined ? '' : toolVersionLine(LIGHTTPD, '-v')
if (LIGHTTPD === undefined) console.warn('lighttpd interop tests SKIPPED: lighttpd is not installed (apt-get install lighttpd)')
else console.info(`lighttpd interop tests use ${LIGHTTPD_VERSION}`)

const REALM = 'cwmp-lighttpd'
// lighttpd's htdigest backend picks the first line whose user and realm match and whose hash has
// the length of the algorithm's digest. SHA-256 and SHA-512-256 are both 64 hex digits, so each of
// those two gets its own user.
const alice = { username: 'alice', password: 'Circle of Life' } // MD5 and SHA-256
const bob = { username: 'bob', password: 'p\u00e4ssw\u00f6rd' } // SHA-512-256, UTF-8 password
const carol = { username: 'carol', password: 'c4r0l' } // SHA-256 with userhash

let dir = ''
let port = 0
let child: ChildProcess | undefined
let exited = false

beforeAll(async () => {
  if (LIGHTTPD === undefined) return
  dir = mkdtempSync(join(tmpdir(), 'cwmp-lighttpd-'))
  const www = join(dir, 'www')
  for (const d of ['md5', 'sha256', 'sha512', 'both', 'userhash']) {
    mkdirSync(join(www, d), { recursive: true })
    writeFileSync(join(www, d, 'file.txt'), `secret ${d}\n`)
  }
  const line = (u: { username: string; password: string }, a: DigestAlgorithm, userhash = false) =>
    `${u.username}:${REALM}:${computeDigestHa1(a, u.username, REALM, u.password)}${userhash ? `:${computeDigestUserhash(a, u.username, REALM)}` : ''}`
  writeFileSync(
    join(dir, 'htdigest'),
    [line(alice, 'MD5'), line(alice, 'SHA-256'), line(bob, 'SHA-512-256'), line(carol, 'SHA-256', true), ''].join('\n'),
  )
  port = await freePort()
  const req = (algorithm: string, extra = '') =>
    `("method" => "digest", "realm" => "${REALM}", "algorithm" => "${algorithm}", "require" => "valid-user"${extra})`
  writeFileSync(
    join(dir, 'lighttpd.conf'),
    [
      `server.document-root = "${www}"`,
      `server.bind = "127.0.0.1"`,
      `server.port = ${port}`,
      `server.errorlog = "${join(dir, 'error.log')}"`,
      `server.modules = ("mod_auth", "mod_authn_file")`,
      `auth.backend = "htdigest"`,
      `auth.backend.htdigest.userfile = "${join(dir, 'htdigest')}"`,
      'auth.require = (',
      `  "/md5/" => ${req('MD5')},`,
      `  "/sha256/" => ${req('SHA-256')},`,
      `  "/sha512/" => ${req('SHA-512-256')},`,
      `  "/both/" => ${req('SHA-256|MD5')},`,
      `  "/userhash/" => ${req('SHA-256', ', "userhash" => "enable"')},`,
      ')',
      '',
    ].join('\n'),
  )
  child = spawn(LIGHTTPD, ['-D', '-f', join(dir, 'lighttpd.conf')], { stdio: 'ignore' })
  child.on('exit', () => {
    exited = true
  })
  await waitForPort(port, () => !exited)
})

afterAll(async () => {
  if (child?.pid !== undefined && !exited) {
    const done = new Promise((r) => child?.once('exit', r))
    process.kill(child.pid, 'SIGTERM')
    await done
  }
  if (dir !== '') rmSync(dir, { recursive: true, force: true })
})

/** GET path with the digest client: unauthenticated first, then the answer to lighttpd's challenge. */
async function fetchWithDigest(path: string, creds: { username: string; password: string }, options: { algorithms?: DigestAlgorithm[] } = {}) {
  const client = createDigestClient(creds, options)
  const first = await request(port, path)
  expect(first.status).toBe(401)
  const step = client.handleResponse({ status: first.status, wwwAuthenticate: first.headers['www-authenticate'] })
  expect(step.retry).toBe(true)
  const authorization = client.authorization({ method: 'GET', uri: path }) ?? ''
  const second = await request(port, path, { headers: { Authorization: authorization } })
  return { client, first, second, authorization }
}

describe.skipIf(LIGHTTPD === undefined)(`createDigestClient against lighttpd${LIGHTTPD === undefined ? ' [SKIPPED: lighttpd not installed]' : ` (${LIGHTTPD_VERSION.split(' ')[0]})`}`, () => {
  it.each([
    ['/md5/file.txt', alice, 'MD5'],
    ['/sha256/file.txt', alice, 'SHA-256'],
    ['/sha512/file.txt', bob, 'SHA-512-256'],
  ] as const)('GET %s: lighttpd accepts our %s response (qop=auth) on a new connection', async (path, creds, algorithm) => {
    const { second, authorization, client } = await fetchWithDigest(path, creds)
    expect(authorization).toContain(`algorithm=${algorithm},`)
    expect(second.status).toBe(200)
    expect(second.body).toBe(`secret ${path.split('/')[1] ?? ''}\n`)
    // The next request reuses the nonce with nc=2 (a fresh TCP connection again).
    const third = await request(port, path, { headers: { Authorization: client.authorization({ method: 'GET', uri: path }) ?? '' } })
    expect(third.status).toBe(200)
  })

  it('offered SHA-256 and MD5 in two WWW-Authenticate headers, the client picks SHA-256', async () => {
    const { first, second, authorization } = await fetchWithDigest('/both/file.txt', alice)
    expect(first.headers['www-authenticate']).toContain('algorithm=MD5')
    expect(authorization).toContain('algorithm=SHA-256,')
    expect(second.status).toBe(200)
    // And a client limited to MD5 answers the MD5 challenge.
    const md5 = await fetchWithDigest('/both/file.txt', alice, { algorithms: ['MD5'] })
    expect(md5.authorization).toContain('algorithm=MD5,')
    expect(md5.second.status).toBe(200)
  })

  it('userhash=true: lighttpd accepts the hashed user name', async () => {
    const { first, second, authorization } = await fetchWithDigest('/userhash/file.txt', carol)
    expect(selectDigestChallenge(first.headers['www-authenticate'] ?? '').userhash).toBe(true)
    expect(authorization).toContain(`username="${computeDigestUserhash('SHA-256', 'carol', REALM)}"`)
    expect(authorization).toContain('userhash=true')
    expect(second.status).toBe(200)
  })

  // lighttpd offers only the plain algorithms but also accepts the -sess variant of an offered
  // algorithm (mod_auth.c starts each require's algorithm set with its SESS flag). That lets us
  // check our -sess computation against it.
  it.each([
    ['/md5/file.txt', alice, 'MD5-sess'],
    ['/sha256/file.txt', alice, 'SHA-256-sess'],
    ['/sha512/file.txt', bob, 'SHA-512-256-sess'],
  ] as const)('GET %s answered with %s is accepted', async (path, creds, algorithm) => {
    const first = await request(port, path)
    const challenge = selectDigestChallenge(first.headers['www-authenticate'] ?? '')
    const authorization = createDigestAuthorization({ ...challenge, algorithm }, creds, { method: 'GET', uri: path }, { nc: 1, cnonce: 'b6f1a0c3d2e5' })
    const second = await request(port, path, { headers: { Authorization: authorization } })
    expect(second.status).toBe(200)
  })

  it('an RFC 2069 response (no qop) is accepted by lighttpd too', async () => {
    const first = await request(port, '/md5/file.txt')
    const challenge = selectDigestChallenge(first.headers['www-authenticate'] ?? '')
    const authorization = createDigestAuthorization({ ...challenge, qop: [] }, alice, { method: 'GET', uri: '/md5/file.txt' }, { nc: 1, cnonce: 'x' })
    expect(authorization).not.toContain('qop=')
    expect((await request(port, '/md5/file.txt', { headers: { Authorization: authorization } })).status).toBe(200)
  })

  it('a wrong password gets a second 401, and the client says do not retry', async () => {
    const { second, client } = await fetchWithDigest('/sha256/file.txt', { username: 'alice', password: 'nope' })
    expect(second.status).toBe(401)
    expect(client.handleResponse({ status: second.status, wwwAuthenticate: second.headers['www-authenticate'] })).toEqual({
      retry: false,
      reason: 'rejected',
    })
  })
})
