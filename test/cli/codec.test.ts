/**
 * `cwmp decode`, `encode` and `pretty`, in process: decode of fixture files equals the library's
 * output (the fixture JSON), exit codes and one-line messages with line:column on malformed input
 * and bad flags, encode of the decoded JSON, the SOAP log's redaction in pretty.
 */
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { main, type CliIo } from '../../src/cli/main.js'
import { decodeEnvelope } from '../../src/index.js'

const root = resolve(import.meta.dirname, '../..')

function io(stdin = ''): CliIo & { out: string; err: string } {
  const r = {
    out: '',
    err: '',
    stdout: { write: (t: string) => (r.out += t) },
    stderr: { write: (t: string) => (r.err += t) },
    readStdin: () => Promise.resolve(new TextEncoder().encode(stdin)),
    onSignal: () => () => undefined,
  }
  return r
}

describe('cwmp decode / encode / pretty', () => {
  it('decode of fixture files (ISO-8859-1, quirks) equals decodeEnvelope of the bytes; warnings on stderr with paths', async () => {
    for (const f of ['Inform/quirk-iso-8859-1', 'Inform/quirk-thomson-style', 'GetParameterValuesResponse/canonical']) {
      const file = join(root, 'fixtures/envelopes', `${f}.xml`)
      const r = io()
      expect(await main(['decode', file], r), f).toBe(0)
      const expected = decodeEnvelope(readFileSync(file))
      expect(JSON.parse(r.out)).toEqual(JSON.parse(JSON.stringify(expected)))
      expect(r.err.trim().split('\n').filter((l) => l !== '')).toHaveLength(expected.warnings.length)
      for (const w of expected.warnings) expect(r.err).toContain(`warning ${w.code}: ${w.message} (at ${w.path})`)
    }
  })

  it('malformed input: exit 1, code and line:column, an excerpt with a caret; --strict refuses a quirk', async () => {
    const file = join(root, 'fixtures/invalid/malformed-unclosed-tag.xml')
    const r = io()
    expect(await main(['decode', file], r)).toBe(1)
    const [head, text, caret] = r.err.split('\n')
    expect(head).toMatch(/malformed-unclosed-tag\.xml:\d+:\d+: ERR_CWMP_XML_MALFORMED: /)
    expect(text).toContain('</')
    expect(caret).toMatch(/^ +\^$/)
    const s = io()
    expect(await main(['decode', '--strict', join(root, 'fixtures/envelopes/Inform/quirk-thomson-style.xml')], s)).toBe(1)
    expect(s.err).toMatch(/ERR_CWMP_STRICT/)
    const missing = io()
    expect(await main(['decode', join(root, 'no-such.xml')], missing)).toBe(1)
    expect(missing.err).toBe(`cannot read ${join(root, 'no-such.xml')}: no such file\n`)
  })

  it('bad flags and stray arguments: one line, exit 2', async () => {
    for (const argv of [['decode', '--bogus'], ['decode', 'a', 'b'], ['decode', '--charset'], ['encode', '--strict'], ['pretty', '-x']]) {
      const r = io()
      expect(await main(argv, r), argv.join(' ')).toBe(2)
      expect(r.err.trim().split('\n'), argv.join(' ')).toHaveLength(1)
      expect(r.err).toMatch(new RegExp(`^cwmp ${argv[0]}: `))
    }
    for (const name of ['decode', 'encode', 'pretty']) {
      const r = io()
      expect(await main([name, '--help'], r)).toBe(0)
      expect(r.out).toContain('Examples:')
    }
  })

  it('encode: decoded JSON back to XML (stdin); bad JSON names its line:column; pretty redacts passwords', async () => {
    const canonical = join(root, 'fixtures/envelopes/GetParameterValuesResponse/canonical')
    const r = io(readFileSync(`${canonical}.json`, 'utf8'))
    expect(await main(['encode', '-'], r)).toBe(0)
    expect(r.out).toBe(`${readFileSync(`${canonical}.xml`, 'utf8')}\n`)
    const bad = io('{\n  "body": ,\n}')
    expect(await main(['encode'], bad)).toBe(1)
    expect(bad.err.split('\n')[0]).toMatch(/^<stdin>(:2:11)?: ERR_JSON: /)
    const spv = '{"version":"1.2","header":{"id":"1"},"body":{"method":"SetParameterValues","parameterKey":"","parameterList":[{"name":"Device.ManagementServer.ConnectionRequestPassword","value":"s3cret","type":"xsd:string"}]}}'
    const enc = io(spv)
    expect(await main(['encode'], enc)).toBe(0)
    const p = io(enc.out)
    expect(await main(['pretty'], p)).toBe(0)
    expect(p.out).not.toContain('s3cret')
    expect(p.out).toContain('[redacted]')
    expect(p.out.split('\n').length).toBeGreaterThan(10)
  })
})
