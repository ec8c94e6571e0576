// Every exported create*/start*/compose*/with* function of the public API, called with bad arguments
// (undefined, null, {}, 42 in each position, and each field, two levels deep, of a valid argument object
// replaced by null or 42), returns or throws/rejects a ConfigError naming the field: never a raw
// TypeError/RangeError from inside, nor another error class for an argument of the wrong type.
import { describe, expect, it } from 'vitest'
import { tr098 } from '../../src/datamodel/tr098.js'
import { tr181 } from '../../src/datamodel/tr181.js'
import * as lib from '../../src/index.js'

const BAD: readonly unknown[] = [undefined, null, {}, 42]
const FIELD_BAD: readonly unknown[] = [null, 42]

const definition = (): lib.MemoryModelDefinition => ({
  parameters: { 'Device.DeviceInfo.SerialNumber': { value: 'SN1', type: 'string' } },
})

const inform = (): lib.Inform => ({
  method: 'Inform',
  deviceId: { manufacturer: 'Acme', oui: '00D09E', productClass: 'Router', serialNumber: 'SN1' },
  event: [{ eventCode: '1 BOOT', commandKey: '' }],
  maxEnvelopes: 1,
  currentTime: '2026-11-25T06:00:00Z',
  retryCount: 0,
  parameterList: [],
})

/**
 * One valid call of every function (fresh arguments each time). A new export without an entry fails the
 * first test, so that it gets covered. Arguments after the listed ones are not tried.
 */
const VALID: Record<string, () => readonly unknown[]> = {
  composeTransport: () => [lib.createHttpTransport(), lib.withLogging(() => {})],
  createAcsSession: () => [{}],
  createAcsSimulator: () => [{ host: '127.0.0.1' }],
  createBasicAuthorization: () => [{ username: 'u', password: 'p' }],
  createBasicChallenge: () => ['cwmp'],
  createCodecRegistry: () => [[]],
  createConnectionRequestClient: () => [{ url: 'http://127.0.0.1:7547/cr', username: 'u', password: 'p' }, {}],
  createConnectionRequestHandler: () => [{ path: '/cr', username: 'u', password: 'p' }],
  createConnectionRequestPolicy: () => [{}],
  createCpeAgent: () => [{}],
  createCpeClient: () => [{ acsUrl: 'http://127.0.0.1:7547/acs', model: lib.createSampleDeviceModel() }],
  createCpeRpcHandler: () => [{ model: lib.createMemoryDataModel(definition()) }],
  createCpeSession: () => [{ url: 'http://127.0.0.1:7547/acs', inform: inform() }],
  createDefinedModel: () => [{ definitions: tr181, get: () => undefined, set: () => {} }],
  createDigestAuthorization: () => [
    { realm: 'cwmp', nonce: 'abc', algorithm: 'MD5', qop: ['auth'], stale: false, userhash: false },
    { username: 'u', password: 'p' },
    { method: 'POST', uri: '/acs' },
    { nc: 1, cnonce: '0a4f113b' },
  ],
  createDigestClient: () => [{ username: 'u', password: 'p' }, {}],
  createDigestServer: () => [{ realm: 'cwmp', secret: 'x'.repeat(32), lookup: () => undefined }],
  createEnvelopeDecoder: () => [{}],
  createFault: () => [9002, 'Internal error', undefined],
  createHttpServerAdapter: () => [() => ({ status: 204, headers: {}, body: new Uint8Array(0) }), {}],
  createHttpTransport: () => [{}],
  createMemoryAcsStores: () => [{}],
  createMemoryDataModel: () => [definition(), {}],
  createMemoryDeviceStore: () => [{}],
  createMemoryLocks: () => [],
  createMemoryNonceStore: () => [{}],
  createMemoryRequestQueues: () => [],
  createMemorySessionStore: () => [{}],
  createSampleDeviceModel: () => [{}],
  // The smaller table: each call builds a whole model.
  createSimulatedModel: () => [tr098, { seed: 1 }],
  createStreamLogSink: () => [{ write: () => true }, {}],
  createTr111BindingRequest: () => [{ transactionId: new Uint8Array(16) }],
  startConnectionRequestListener: () => [
    { host: '127.0.0.1', path: '/cr', handler: () => ({ response: { status: 204, headers: {} } }) },
  ],
  withAuth: () => [{ username: 'u', password: 'p' }],
  withCookies: () => [new lib.CookieJar(), {}],
  withLogging: () => [() => {}],
}

const NAMES = Object.entries(lib)
  .filter(([name, value]) => typeof value === 'function' && /^(create|start|compose|with)/.test(name))
  .map(([name]) => name)
  .sort()

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype
}

/** Every argument list to try: bad values per position, then per field (two levels) of plain objects. */
function badCalls(valid: () => readonly unknown[]): { label: string; args: () => unknown[] }[] {
  const calls: { label: string; args: () => unknown[] }[] = []
  const base = valid()
  const positions = Math.max(1, base.length)
  for (let i = 0; i < positions; i++) {
    for (const bad of BAD) {
      calls.push({
        label: `argument ${i} = ${String(JSON.stringify(bad))}`,
        args: () => {
          const args = i === 0 ? [] : [...valid()].slice(0, i)
          args[i] = bad
          return args
        },
      })
    }
    const arg = base[i]
    if (!isPlainObject(arg)) continue
    for (const [key, inner] of Object.entries(arg)) {
      const paths: string[][] = [[key]]
      if (isPlainObject(inner)) for (const sub of Object.keys(inner)) paths.push([key, sub])
      for (const path of paths) {
        for (const bad of FIELD_BAD) {
          calls.push({
            label: `argument ${i}.${path.join('.')} = ${JSON.stringify(bad)}`,
            args: () => {
              const args = [...valid()]
              const top = { ...(args[i] as Record<string, unknown>) }
              args[i] = top
              if (path.length === 1) top[key] = bad
              else top[key] = { ...(top[key] as Record<string, unknown>), [path[1]!]: bad }
              return args
            },
          })
        }
      }
    }
  }
  return calls
}

/** Release whatever a successful call started (a listener, a simulator). */
async function release(result: unknown): Promise<void> {
  if (typeof result !== 'object' || result === null) return
  const r = result as { close?: unknown; stop?: unknown }
  if (typeof r.stop === 'function') await (r.stop as () => unknown).call(r)
  if (typeof r.close === 'function') await (r.close as () => unknown).call(r)
}

/** What the call did: `ok` (it returned, or threw a ConfigError with a field), or what it threw instead. */
async function outcome(fn: (...args: unknown[]) => unknown, args: unknown[]): Promise<string> {
  try {
    let result = fn(...args)
    if (result instanceof Promise) result = await result
    await release(result)
  } catch (error) {
    if (error instanceof lib.ConfigError && error.code === 'ERR_CWMP_CONFIG_INVALID' && error.field !== '') return 'ok'
    return `${(error as Error)?.constructor?.name} ${(error as lib.CwmpError)?.code ?? ''}: ${(error as Error)?.message}`
  }
  return 'ok'
}

describe('public create*/start*/compose*/with* functions on bad arguments', () => {
  it('every such export has a valid call in the table (so a new one is covered)', () => {
    expect(NAMES.length).toBeGreaterThan(30)
    expect(NAMES.filter((name) => VALID[name] === undefined)).toEqual([])
    expect(Object.keys(VALID).filter((name) => !NAMES.includes(name))).toEqual([])
  })

  it.each(NAMES.filter((name) => VALID[name] !== undefined))('%s: the valid call succeeds', async (name) => {
    const fn = (lib as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!
    let result = fn(...VALID[name]!())
    if (result instanceof Promise) result = await result
    await release(result)
  })

  it.each(NAMES.filter((name) => VALID[name] !== undefined))('%s: returns or throws a ConfigError', async (name) => {
    const fn = (lib as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!
    const failures: string[] = []
    for (const call of badCalls(VALID[name]!)) {
      const got = await outcome(fn, call.args())
      if (got !== 'ok') failures.push(`${call.label}: ${got}`)
    }
    expect(failures).toEqual([])
  })

  const t = (): lib.Transport => lib.createHttpTransport()
  const cases: [string, () => unknown, string][] = [
    ['createCpeClient(null)', () => lib.createCpeClient(null as never), 'options'],
    ['createCpeClient model 42', () => lib.createCpeClient({ acsUrl: 'http://127.0.0.1:7547/', model: 42 as never }), 'model'],
    ['createCpeAgent state 42', () => lib.createCpeAgent({}, 42 as never), 'state'],
    ['createAcsSession bad versions', () => lib.createAcsSession({ versions: ['9.9'] as never }), 'versions'],
    ['createCodecRegistry bad name', () => lib.createCodecRegistry([{ method: 'Frob' } as never]), 'codecs.0.method'],
    ['composeTransport bad middleware', () => lib.composeTransport(t(), lib.withCookies(), 42 as never), 'middleware.1'],
    ['createDigestAuthorization qop null', () => lib.createDigestAuthorization(
      { realm: 'r', nonce: 'n', algorithm: 'MD5', qop: null as never, stale: false, userhash: false }, { username: 'u', password: 'p' },
      { method: 'POST', uri: '/' }, { nc: 1, cnonce: 'c' }), 'challenge.qop'],
    ['createConnectionRequestClient url 42', () => lib.createConnectionRequestClient({ url: 42 as never, username: 'u', password: 'p' }), 'target.url'],
    ['createMemoryDataModel({})', () => lib.createMemoryDataModel({} as never), 'definition.parameters'],
    ['createMemoryDataModel bad path', () => lib.createMemoryDataModel({ parameters: { 'Device.A.': 'x' } }), 'definition'],
    ['createTr111BindingRequest({})', () => lib.createTr111BindingRequest({} as never), 'init.transactionId'],
    ['withCookies(42)', () => lib.withCookies(42 as never), 'jar'],
  ]
  it.each(cases)('%s: a ConfigError naming the field', (_, call, field) => {
    expect(call).toThrow(lib.ConfigError)
    expect(call).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field }))
  })

  it('startConnectionRequestListener rejects with a ConfigError naming the field', async () => {
    await expect(lib.startConnectionRequestListener(null as never)).rejects.toMatchObject({ field: 'options' })
    await expect(lib.startConnectionRequestListener({ handler: 42 as never })).rejects.toBeInstanceOf(lib.ConfigError)
  })

  const secrets: [string, (secret: never) => unknown, string][] = [
    ['createBasicAuthorization', (s) => lib.createBasicAuthorization({ username: 'u', password: s }), 'credentials.password'],
    ['createDigestClient', (s) => lib.createDigestClient({ username: 'u', password: s }), 'credentials.password'],
    ['createConnectionRequestHandler', (s) => lib.createConnectionRequestHandler({ path: '/cr', username: 'u', password: s }), 'password'],
    ['createConnectionRequestClient', (s) => lib.createConnectionRequestClient({ url: 'http://127.0.0.1/', username: 'u', password: s }), 'target.password'],
    ['withAuth', (s) => lib.withAuth({ username: 'u', password: s }), 'password'],
    ['createDigestServer', (s) => lib.createDigestServer({ realm: 'cwmp', secret: s, lookup: () => undefined }), 'secret'],
  ]
  it.each(secrets)('%s: a refused secret is named, not shown', (_, call, field) => {
    let error: unknown
    try {
      call(424242 as never)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(lib.ConfigError)
    expect(error).toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID', field })
    expect((error as Error).message).not.toContain('424242')
  })
})
