import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import {
  CookieJar,
  composeTransport,
  createHttpTransport,
  parseCookieHeader,
  withCookies,
  type HttpRequest,
  type HttpResponse,
  type HttpTransport,
  type Transport,
} from '../../src/index.js'
import { closeAllServers, readBody, startServer } from './helpers.js'

const transports: HttpTransport[] = []
afterEach(async () => {
  for (const t of transports.splice(0)) t.close()
  await closeAllServers()
})

/** An in-memory transport that records requests and answers from a script (no node:http). */
function scripted(answer: (req: HttpRequest) => Partial<HttpResponse>): Transport & { readonly seen: HttpRequest[] } {
  const seen: HttpRequest[] = []
  return {
    seen,
    send(request) {
      seen.push(request)
      return Promise.resolve({ status: 200, headers: {}, body: '', ...answer(request) })
    },
  }
}

describe('withCookies over real HTTP', () => {
  it('returns both cookies (Path style and RFC 2109 style) on the next three requests, empty POST included; Max-Age=0 deletes', async () => {
    const cookies: (string | undefined)[] = []
    let n = 0
    const server = await startServer(async (req, res) => {
      await readBody(req)
      cookies.push(req.headers.cookie)
      n += 1
      const headers: [string, string][] = []
      if (n === 1) {
        headers.push(['Set-Cookie', 'session=s3cr3t-0123456789; Path=/acs; HttpOnly'])
        headers.push(['Set-Cookie', 'legacy="v1"; Version="1"; Path="/"; Discard'])
      }
      if (n === 4) headers.push(['Set-Cookie', 'session=; Max-Age=0; Path=/acs'])
      res.writeHead(n === 1 ? 200 : 204, headers)
      res.end(n === 1 ? '<InformResponse/>' : undefined)
    })
    const cookieMiddleware = withCookies()
    const http = createHttpTransport()
    transports.push(http)
    const t = composeTransport(http, cookieMiddleware)
    const url = `${server.origin}/acs`
    await t.send({ method: 'POST', url, headers: { 'content-type': 'text/xml' }, body: '<Inform/>' })
    await t.send({ method: 'POST', url, headers: {}, body: '' }) // the empty POST
    await t.send({ method: 'POST', url, headers: { 'content-type': 'text/xml' }, body: '<GetParameterValuesResponse/>' })
    await t.send({ method: 'POST', url, headers: {}, body: '' }) // answered with Max-Age=0 for `session`
    await t.send({ method: 'POST', url, headers: {}, body: '' })

    expect(cookies[0]).toBeUndefined()
    for (const header of cookies.slice(1, 4)) {
      const parsed = parseCookieHeader(header)
      expect(parsed.get('session')).toBe('s3cr3t-0123456789')
      expect(parsed.get('legacy')).toBe('v1')
      // One Cookie field, longest path first, the RFC 2109 value sent back exactly as received.
      expect(header).toBe('session=s3cr3t-0123456789; legacy="v1"')
    }
    expect(cookies[4]).toBe('legacy="v1"')
    expect(cookieMiddleware.jar.size).toBe(1)
    cookieMiddleware.jar.clear()
    expect(cookieMiddleware.jar.cookieHeader(url)).toBeUndefined()
  })
})

describe('withCookies', () => {
  it('sends the session cookies to a redirected URL on another host and path (TR-069 §3.4.2)', async () => {
    const next = scripted((req) =>
      req.url.startsWith('http://acs.example')
        ? { status: 307, headers: { 'set-cookie': ['a=1; Path=/cwmp', 'b=2; Domain=acs.example'], location: 'x' } }
        : {},
    )
    const t = composeTransport(next, withCookies())
    await t.send({ method: 'POST', url: 'http://acs.example/cwmp', headers: {}, body: '<Inform/>' })
    await t.send({ method: 'POST', url: 'http://10.0.0.9:8080/other', headers: {}, body: '<Inform/>' })
    expect(next.seen[1]?.headers['cookie']).toBe('a=1; b=2')
  })

  it('applies RFC 6265 domain and path matching when asked', async () => {
    const next = scripted((req) =>
      req.url === 'http://acs.example/cwmp' ? { headers: { 'set-cookie': ['a=1; Path=/cwmp', 'b=2'] } } : {},
    )
    const t = composeTransport(next, withCookies(new CookieJar(), { matchDomain: true, matchPath: true }))
    await t.send({ method: 'POST', url: 'http://acs.example/cwmp', headers: {}, body: '' })
    await t.send({ method: 'POST', url: 'http://other.example/cwmp', headers: {}, body: '' })
    await t.send({ method: 'POST', url: 'http://acs.example/elsewhere', headers: {}, body: '' })
    expect(next.seen[1]?.headers['cookie']).toBeUndefined()
    expect(next.seen[2]?.headers['cookie']).toBe('b=2')
  })

  it('appends to a Cookie field the request already has, and forwards close()', async () => {
    let closed = 0
    const base: Transport = {
      send: () => Promise.resolve({ status: 200, headers: { 'set-cookie': 'a=1' }, body: '' }),
      close: () => {
        closed += 1
      },
    }
    const seen: HttpRequest[] = []
    const spy = (next: Transport): Transport => ({
      send: (req, o) => {
        seen.push(req)
        return next.send(req, o)
      },
      ...(next.close === undefined ? {} : { close: () => next.close?.() }),
    })
    const t = composeTransport(base, withCookies(), spy)
    await t.send({ method: 'POST', url: 'http://h/', headers: {}, body: '' })
    await t.send({ method: 'POST', url: 'http://h/', headers: { Cookie: 'mine=x' }, body: '' })
    expect(seen[1]?.headers).toEqual({ cookie: 'mine=x; a=1' })
    await t.close?.()
    expect(closed).toBe(1)
  })
})

describe('CookieJar', () => {
  const url = 'http://acs.example.com/cwmp/acs'

  it('keeps several cookies and far more than 512 bytes', () => {
    const jar = new CookieJar()
    const values = Array.from({ length: 10 }, (_, i) => `${i}`.repeat(300))
    jar.setFromResponse(url, { 'set-cookie': values.map((v, i) => `c${i}=${v}`) })
    const header = jar.cookieHeader(url) ?? ''
    expect(Buffer.byteLength(header)).toBeGreaterThan(3000)
    for (const [i, v] of values.entries()) expect(parseCookieHeader(header).get(`c${i}`)).toBe(v)
  })

  it('reads Expires in RFC 1123, Netscape and asctime forms; a past date deletes', () => {
    let now = Date.UTC(2030, 0, 1)
    const jar = new CookieJar({ now: () => now })
    jar.setFromResponse(url, {
      'set-cookie': [
        'a=1; Expires=Wed, 09 Jun 2032 10:18:14 GMT',
        'b=2; expires=Wednesday, 09-Jun-32 10:18:14 GMT',
        'c=3; Expires=Wed Jun  9 10:18:14 2032',
        'd=4; Expires=Thu, 01 Jan 1970 00:00:00 GMT',
        'e=5; Expires=garbage',
      ],
    })
    expect(jar.cookies().map((c) => [c.name, c.expires])).toEqual([
      ['a', Date.UTC(2032, 5, 9, 10, 18, 14)],
      ['b', Date.UTC(2032, 5, 9, 10, 18, 14)],
      ['c', Date.UTC(2032, 5, 9, 10, 18, 14)],
      ['e', undefined],
    ])
    now = Date.UTC(2033, 0, 1)
    expect(jar.cookieHeader(url)).toBe('e=5')
  })

  it('lets Max-Age win over Expires; Max-Age=0 and negative delete', () => {
    let now = 1_000_000
    const jar = new CookieJar({ now: () => now })
    jar.setFromResponse(url, { 'set-cookie': ['a=1; Max-Age=60; Expires=Thu, 01 Jan 1970 00:00:00 GMT', 'b=2', 'c=3'] })
    expect(jar.cookieHeader(url)).toBe('a=1; b=2; c=3')
    jar.setFromResponse(url, { 'set-cookie': ['b=; Max-Age=0', 'c=x; Max-Age=-1'] })
    expect(jar.cookieHeader(url)).toBe('a=1')
    now += 61_000
    expect(jar.cookieHeader(url)).toBeUndefined()
  })

  it('splits cookies folded with commas without breaking Expires dates', () => {
    const jar = new CookieJar({ now: () => 0 })
    jar.setFromResponse(url, { 'set-cookie': 'a=1; Expires=Wed, 09 Jun 2032 10:18:14 GMT, b=2; Path=/, c=3' })
    // Longest path first: b has Path=/, a and c the default path /cwmp.
    expect(jar.cookieHeader(url)).toBe('a=1; c=3; b=2')
  })

  it('tolerates RFC 2109 / 2965 forms ($Version first, $Path, Set-Cookie2)', () => {
    const jar = new CookieJar()
    jar.setFromResponse(url, {
      'set-cookie': '$Version="1"; ID="abc"; $Path="/cwmp"',
      'set-cookie2': 'S2="x"; Version="1"; Discard; Port="80", T=y',
    })
    const cookies = jar.cookies()
    expect(cookies.find((c) => c.name === 'ID')?.path).toBe('/cwmp')
    expect(jar.cookieHeader(url, { matchPath: true })).toBe('ID="abc"; S2="x"; T=y')
  })

  it('ignores what cannot be a cookie and a Domain that does not match the host', () => {
    const jar = new CookieJar()
    jar.setFromResponse(url, { 'set-cookie': ['novalue', '=x', 'a=1; Domain=evil.example', 'b=2; Domain=.example.com'] })
    expect(jar.cookies().map((c) => [c.name, c.domain, c.hostOnly])).toEqual([['b', 'example.com', false]])
    expect(jar.cookieHeader('http://www.example.com/cwmp/x', { matchDomain: true })).toBe('b=2')
    expect(jar.cookieHeader('http://example.org/cwmp/x', { matchDomain: true })).toBeUndefined()
  })

  it('sends Secure cookies over https only, and uses the default path', () => {
    const jar = new CookieJar()
    jar.setFromResponse('https://acs.example.com/a/b/c', { 'set-cookie': ['s=1; Secure', 'p=2'] })
    expect(jar.cookieHeader('http://acs.example.com/a/b/c')).toBe('p=2')
    expect(jar.cookieHeader('https://acs.example.com/a/b/x')).toBe('s=1; p=2')
    expect(jar.cookies().map((c) => c.path)).toEqual(['/a/b', '/a/b'])
    expect(jar.cookieHeader('https://acs.example.com/a', { matchPath: true })).toBeUndefined()
  })

  it('replaces a cookie of the same name, domain and path', () => {
    const jar = new CookieJar()
    jar.setFromResponse(url, { 'set-cookie': 'a=1; Path=/' })
    jar.setFromResponse(url, { 'set-cookie': 'a=2; Path=/' })
    expect(jar.cookieHeader(url)).toBe('a=2')
  })

  it('bounds the number and size of cookies', () => {
    const jar = new CookieJar({ maxCookies: 3, maxCookieBytes: 600 })
    jar.setFromResponse(url, { 'set-cookie': ['a=1', 'b=2', 'c=3', 'd=4', `big=${'x'.repeat(700)}`] })
    expect(jar.cookieHeader(url)).toBe('b=2; c=3; d=4')
  })

  it('never throws on arbitrary header text', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { maxLength: 5 }), (lines) => {
        const jar = new CookieJar()
        jar.setFromResponse(url, { 'set-cookie': lines })
        const header = jar.cookieHeader(url)
        if (header !== undefined) expect(typeof header).toBe('string')
      }),
    )
  })
})

describe('parseCookieHeader', () => {
  it('reads the Thomson RFC 2109 form and plain cookies', () => {
    const c = parseCookieHeader('$Version="0"; ID=abc;$Path=/')
    expect([...c]).toEqual([['ID', 'abc']])
    expect([...parseCookieHeader('a=1; b="two"; a=3; junk; =x')]).toEqual([
      ['a', '1'],
      ['b', 'two'],
    ])
    expect([...parseCookieHeader(['a=1', 'b=2'])]).toEqual([
      ['a', '1'],
      ['b', '2'],
    ])
    expect(parseCookieHeader(undefined).size).toBe(0)
  })

  it('is safe with names like __proto__', () => {
    const c = parseCookieHeader('__proto__=x; constructor=y')
    expect(c.get('__proto__')).toBe('x')
    expect(c.get('constructor')).toBe('y')
  })

  it('reads back what the jar sends', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({
            name: fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/),
            value: fc.stringMatching(/^[A-Za-z0-9!#%&'()*+./:<>?@[\]^_`{|}~-]{0,20}$/),
          }),
          { selector: (c) => c.name, maxLength: 6 },
        ),
        (cookies) => {
          const jar = new CookieJar()
          jar.setFromResponse('http://h/', { 'set-cookie': cookies.map((c) => `${c.name}=${c.value}`) })
          const parsed = parseCookieHeader(jar.cookieHeader('http://h/'))
          expect(new Map(cookies.map((c) => [c.name, c.value]))).toEqual(parsed)
        },
      ),
    )
  })
})
