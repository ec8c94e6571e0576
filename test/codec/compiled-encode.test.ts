/**
 * The compiled encoders (D22; generated code or closures, D27) against the generic field walk they replace on the success path:
 * for generated messages, valid and with one field replaced by a wrong value, both write the same
 * bytes or both throw the same EncodeError (code, message, path), in strict and lenient mode.
 * And `needsEscape`, the batched check of the texts left unescaped: when it says no, escapeText
 * indeed leaves the text as it is.
 */
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { defineVendorMethod, EncodeError, type CwmpVersion, type VendorMessage } from '../../src/index.js'
import { EncodeContext } from '../../src/rpc/context.js'
import { METHOD_CODECS } from '../../src/rpc/messages.js'
import { encodeFields, encodeFieldsFast, useGeneratedEncoders, type Field, type Out } from '../../src/rpc/schema.js'
import { escapeText, needsEscape } from '../../src/xml/writer.js'
import { anyEnvelope, xmlChar } from './arbitraries.js'

type Outcome = { readonly xml: string } | { readonly code: string; readonly message: string; readonly path: string | undefined }

function run(write: (out: Out, ctx: EncodeContext) => void, version: CwmpVersion, strict: boolean): Outcome {
  const out: Out = { s: '' }
  const ctx = new EncodeContext(version, strict)
  try {
    write(out, ctx)
  } catch (e) {
    if (!(e instanceof EncodeError)) throw e
    return { code: e.code, message: e.message, path: e.path }
  }
  expect(ctx.path).toEqual(['body'])
  expect(ctx.unchecked).toBe('')
  return { xml: out.s }
}

function fieldsOf(method: string): readonly Field[] | undefined {
  return (METHOD_CODECS as Record<string, { readonly fields?: readonly Field[] }>)[method]?.fields
}

/** Both encoders agree on `body` (any value) for a method defined by its fields. */
function agree(fields: readonly Field[], body: object, version: CwmpVersion): void {
  for (const strict of [true, false]) {
    const generic = run((out, ctx) => encodeFields(fields, body, out, ctx), version, strict)
    const fast = run((out, ctx) => encodeFieldsFast(fields, body, out, ctx), version, strict)
    expect(fast).toEqual(generic)
  }
}

/** Wrong values for any field: wrong types, bad characters, over-long text, out-of-range numbers. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null, true, 0, -1, 1.5, 7, 4294967296, '', 'Subscriber', 'x', [], {}, ['x'], [1]),
  fc.constantFrom('a&b', '<', 'a\u0001', '\r', '\ud800', 'x\udc00', '\ufffe', '\uffff', '\u{1F600}', 'A'.repeat(300)),
  fc.string({ unit: xmlChar, maxLength: 8 }),
)

/** Every place in a value where a leaf or a subtree can be replaced: paths of keys and indices. */
function places(v: unknown, at: (string | number)[] = [], acc: (string | number)[][] = []): (string | number)[][] {
  if (typeof v !== 'object' || v === null) return acc
  for (const [k, child] of Object.entries(v)) {
    if (k === 'method') continue
    const p = [...at, Array.isArray(v) ? Number(k) : k]
    acc.push(p)
    places(child, p, acc)
  }
  return acc
}

function replaced(v: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value
  const [head, ...rest] = path as [string | number, ...(string | number)[]]
  if (Array.isArray(v)) {
    const copy: unknown[] = [...(v as unknown[])]
    copy[head as number] = replaced(copy[head as number], rest, value)
    return copy
  }
  const copy: Record<string, unknown> = { ...(v as Record<string, unknown>) }
  copy[head] = replaced(copy[head], rest, value)
  return copy
}

// Both kinds of compiled encoder (D27): generated code, and the closures used where the platform
// forbids code from strings.
describe.each([
  ['generated code', true],
  ['closures', false],
] as const)('compiled encoders (%s)', (_kind, generated) => {
  beforeAll(() => useGeneratedEncoders(generated))
  afterAll(() => useGeneratedEncoders(true))

  it('write what the generic walk writes, for every method and version', () => {
    fc.assert(
      fc.property(anyEnvelope, (env) => {
        const fields = fieldsOf(env.body.method)
        if (fields !== undefined) agree(fields, env.body, env.version)
      }),
      { numRuns: 200 },
    )
  })

  it('fail as the generic walk fails (same code, message and path) when one field is wrong', () => {
    fc.assert(
      fc.property(anyEnvelope, fc.nat(), junk, (env, pick, value) => {
        const fields = fieldsOf(env.body.method)
        if (fields === undefined) return
        const spots = places(env.body)
        const body = spots.length === 0 ? { ...env.body, extra: value } : replaced(env.body, spots[pick % spots.length] as (string | number)[], value)
        agree(fields, body as object, env.version)
      }),
      { numRuns: 500 },
    )
  })

  it('agree on long lists whose texts take the batched check, with one bad character anywhere', () => {
    const bad = fc.constantFrom('&', '<', '>', '\r', '\u0000', '\u0008', '\u000b', '\u001f', '\ud800', '\udfff', '\ufffe', '\uffff', '\u{10000}', 'é')
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 800 }), fc.nat(), fc.nat(), bad, (n, where, offset, c) => {
        const names = Array.from({ length: n }, (_, i) => `Device.Services.VoiceService.1.Line.${i}.Stats.Param${i}`)
        const i = where % n
        const name = names[i] as string
        const k = offset % (name.length + 1)
        names[i] = name.slice(0, k) + c + name.slice(k)
        agree(fieldsOf('GetParameterValues') as readonly Field[], { method: 'GetParameterValues', parameterNames: names }, '1.2')
        const pvs = names.map((nm) => ({ name: nm, value: 'v', type: 'xsd:string' }))
        agree(fieldsOf('SetParameterValues') as readonly Field[], { method: 'SetParameterValues', parameterList: pvs, parameterKey: 'k' }, '1.2')
      }),
      { numRuns: 100, endOnFailure: true },
    )
  })
})

describe('generated encoders and what a vendor schema names (D27)', () => {
  it('paste no name into code: keys and element names with quotes, backslashes, line separators and comment marks', () => {
    // Keys and element names are the user's (defineVendorMethod); neither may change the code made.
    const odd = ['q"uote', "s'ingle", 'back\\slash', 'line\u2028sep', 'end*/', '${x}', 'a-b', 'constructor', '0lead']
    const fields = Object.fromEntries(odd.map((k, i) => [k, { element: `E${i}${k}`, type: 'string' as const, optional: true }]))
    const codec = defineVendorMethod<VendorMessage>('X_ACME_Odd', { fields })
    const body = { method: 'X_ACME_Odd', ...Object.fromEntries(odd.map((k, i) => [k, `v${i}`])) }
    const outs = [true, false].map((generated) => {
      useGeneratedEncoders(generated)
      return run((out, ctx) => (codec as unknown as { encodeContent: (m: object, o: Out, c: EncodeContext) => void }).encodeContent(body, out, ctx), '1.2', false)
    })
    useGeneratedEncoders(true)
    expect(outs[0]).toEqual(outs[1])
    expect(outs[0]).toEqual(run((out, ctx) => encodeFields((codec as { fields?: readonly Field[] }).fields as readonly Field[], body, out, ctx), '1.2', false))
    for (const [i, k] of odd.entries()) expect((outs[0] as { xml: string }).xml).toContain(`<E${i}${k}>v${i}</E${i}${k}>`)
  })
})

describe('where code from strings is forbidden (D27)', () => {
  it('encodes the same bytes with the closures', () => {
    const script = join(import.meta.dirname, 'scripts/encode-samples.ts')
    const run = (flags: string[]): { codeFromStrings: boolean; xml: string[] } =>
      JSON.parse(execFileSync(process.execPath, [...flags, '--import', 'tsx', script], { encoding: 'utf8' })) as { codeFromStrings: boolean; xml: string[] }
    const allowed = run([])
    const forbidden = run(['--disallow-code-generation-from-strings'])
    expect([allowed.codeFromStrings, forbidden.codeFromStrings]).toEqual([true, false])
    expect(forbidden.xml).toEqual(allowed.xml)
    expect(allowed.xml).toHaveLength(5)
  }, 30_000)
})

describe('needsEscape', () => {
  const long = fc.string({ unit: fc.oneof({ weight: 40, arbitrary: fc.constantFrom('a', 'B', '.', '1', ' ') }, { weight: 1, arbitrary: xmlChar }, { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 1 }) }), minLength: 1400, maxLength: 2000 })
  it('says no only for a text escapeText leaves as it is, short or long', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), long), (s) => {
        let escaped: string | undefined
        try {
          escaped = escapeText(s)
        } catch {
          escaped = undefined
        }
        if (!needsEscape(s)) expect(escaped).toBe(s)
        if (escaped !== s) expect(needsEscape(s)).toBe(true)
      }),
      { numRuns: 1000, endOnFailure: true },
    )
  })
})
