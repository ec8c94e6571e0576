// Every exported create*/start*/compose*/with* function of the public API, called with bad arguments
// (undefined, null, {}, 42 in each position, and each field of a valid options object replaced by null
// or 42), returns or throws/rejects a CwmpError: never a raw TypeError/RangeError from inside. Where the
// argument is configuration, the error is a ConfigError naming the field.
import { describe, expect, it } from 'vitest'
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
    { realm: 'cwmp', nonce: 'abc', algorithm: 'MD5', qop: ['auth'], stale: false },
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

/** What the call did: `ok`, or the error's class name and message when it is not a CwmpError. */
async function outcome(fn: (...args: unknown[]) => unknown, args: unknown[]): Promise<string> {
  try {
    let result = fn(...args)
    if (result instanceof Promise) result = await result
    await release(result)
  } catch (error) {
    if (error instanceof lib.CwmpError) return 'ok'
    return `${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`
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

  it.each(NAMES.filter((name) => VALID[name] !== undefined))('%s: returns or throws a CwmpError', async (name) => {
    const fn = (lib as unknown as Record<string, (...args: unknown[]) => unknown>)[name]!
    const failures: string[] = []
    for (const call of badCalls(VALID[name]!)) {
      const got = await outcome(fn, call.args())
      if (got !== 'ok') failures.push(`${call.label}: ${got}`)
    }
    expect(failures).toEqual([])
  })

  it('a ConfigError names the field as a dotted path and hides a secret', () => {
    const error = (() => {
      try {
        lib.createDigestServer({ realm: 'cwmp', secret: 42 as never, lookup: () => undefined })
      } catch (e) {
        return e
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(lib.ConfigError)
    expect(error).toMatchObject({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'secret' })
    expect((error as Error).message).not.toContain('42')
  })
})
