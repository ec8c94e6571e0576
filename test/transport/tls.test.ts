import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TLSSocket } from 'node:tls'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createHttpTransport, type HttpTransport } from '../../src/index.js'
import { closeAllServers, startServer } from './helpers.js'

function hasOpenssl(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const OPENSSL = hasOpenssl()
if (!OPENSSL) console.warn('test/transport/tls.test.ts: skipped, no `openssl` on PATH to make test certificates')

interface Pem {
  readonly cert: string
  readonly key: string
}

let dir = ''
function selfSigned(name: string, cn: string): Pem {
  const key = join(dir, `${name}.key`)
  const cert = join(dir, `${name}.crt`)
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
      '-days', '2', '-subj', `/CN=${cn}`, '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'],
    { stdio: 'ignore' },
  )
  return { cert: readFileSync(cert, 'utf8'), key: readFileSync(key, 'utf8') }
}

describe.skipIf(!OPENSSL)('createHttpTransport over TLS', () => {
  let acs: Pem
  let stranger: Pem
  let device: Pem
  const transports: HttpTransport[] = []
  const client = (tls: Parameters<typeof createHttpTransport>[0]): HttpTransport => {
    const t = createHttpTransport(tls)
    transports.push(t)
    return t
  }

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cwmp-tls-'))
    acs = selfSigned('acs', 'acs.test')
    stranger = selfSigned('stranger', 'stranger.test')
    device = selfSigned('device', 'cpe.test')
  })
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true })
  })
  afterEach(async () => {
    for (const t of transports.splice(0)) t.close()
    await closeAllServers()
  })

  const hello = async (options: { requestCert?: boolean } = {}) =>
    startServer(
      (req, res) => {
        const socket = req.socket as TLSSocket
        const peer = socket.getPeerCertificate()
        res.writeHead(200, { 'content-type': 'text/plain' })
        res.end(socket.authorized ? `client:${peer.subject?.CN ?? ''}` : 'anonymous')
      },
      {
        tls: {
          cert: acs.cert,
          key: acs.key,
          ...(options.requestCert === true ? { requestCert: true, rejectUnauthorized: false, ca: [device.cert] } : {}),
        },
      },
    )

  it('trusts the server when its CA is given', async () => {
    const server = await hello()
    const r = await client({ tls: { ca: acs.cert } }).send({ method: 'POST', url: `${server.origin}/`, headers: {}, body: '' })
    expect(r.status).toBe(200)
    expect(Buffer.from(r.body).toString()).toBe('anonymous')
  })

  it('rejects a server certificate from an unknown CA (default roots, or another CA)', async () => {
    const server = await hello()
    for (const options of [{}, { tls: { ca: stranger.cert } }]) {
      const err = await client(options)
        .send({ method: 'POST', url: `${server.origin}/`, headers: {}, body: '' })
        .catch((e: unknown) => e)
      expect((err as { code?: string }).code).toBe('ERR_CWMP_TRANSPORT')
      expect((err as { cause?: { code?: string } }).cause?.code).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/)
    }
  })

  it('checks the name against servername', async () => {
    const server = await hello()
    const err = await client({ tls: { ca: acs.cert, servername: 'wrong.example' } })
      .send({ method: 'POST', url: `${server.origin}/`, headers: {}, body: '' })
      .catch((e: unknown) => e)
    expect((err as { code?: string }).code).toBe('ERR_CWMP_TRANSPORT')
    expect((err as { cause?: { code?: string } }).cause?.code).toBe('ERR_TLS_CERT_ALTNAME_INVALID')
  })

  it('connects without verification only when rejectUnauthorized is false', async () => {
    const server = await hello()
    const r = await client({ tls: { rejectUnauthorized: false } }).send({ method: 'POST', url: `${server.origin}/`, headers: {}, body: '' })
    expect(r.status).toBe(200)
  })

  it('presents a client certificate', async () => {
    const server = await hello({ requestCert: true })
    const r = await client({ tls: { ca: acs.cert, cert: device.cert, key: device.key } }).send({
      method: 'POST',
      url: `${server.origin}/`,
      headers: {},
      body: '',
    })
    expect(Buffer.from(r.body).toString()).toBe('client:cpe.test')
  })

  it('keeps the TLS connection alive across requests', async () => {
    const server = await hello()
    const t = client({ tls: { ca: acs.cert } })
    for (let i = 0; i < 3; i++) await t.send({ method: 'POST', url: `${server.origin}/`, headers: {}, body: 'x' })
    expect(server.sockets).toHaveLength(1)
  })
})
