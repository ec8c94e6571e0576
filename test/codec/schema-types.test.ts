/**
 * The field schema is checked against the message types (issue 7, item 2). The cases are in
 * `schema-types.cases.ts`, which `tsc --noEmit` (in `npm test`) checks: each `@ts-expect-error`
 * there marks a mistake that must not compile. This test runs the cases and compiles them again
 * without the directives, checking that each marked line, and no other, is an error with the code
 * its directive names: an unused directive is an error for tsc, but a directive also hides an error
 * of any other kind on its line (a typo in the case itself), which this catches.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { deviceId, mistakes, reboot } from './schema-types.cases.js'

const CASES = join(import.meta.dirname, 'schema-types.cases.ts')

/** Compile each of `texts` as the cases file, with the repository's compiler options: its errors by line. */
function compile(texts: readonly string[]): Map<number, number[]>[] {
  const config = ts.getParsedCommandLineOfConfigFile(join(import.meta.dirname, '../../tsconfig.json'), { types: [] }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'))
    },
  })
  if (config === undefined) throw new Error('tsconfig.json not read')
  const host = ts.createCompilerHost(config.options)
  const getSourceFile = host.getSourceFile.bind(host)
  let text = ''
  host.getSourceFile = (name, version, ...rest) =>
    ts.sys.resolvePath(name) === ts.sys.resolvePath(CASES) ? ts.createSourceFile(name, text, version) : getSourceFile(name, version, ...rest)
  let program: ts.Program | undefined
  return texts.map((t) => {
    text = t
    program = ts.createProgram([CASES], config.options, host, program)
    const source = program.getSourceFile(CASES)
    if (source === undefined) throw new Error('the cases file is not in the program')
    const out = new Map<number, number[]>()
    for (const d of [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]) {
      const line = source.getLineAndCharacterOfPosition(d.start ?? 0).line + 1
      out.set(line, [...(out.get(line) ?? []), d.code])
    }
    return out
  })
}

describe('the field schema is typed against the messages', () => {
  it('a correct schema lists its fields in the order written, keyed by property', () => {
    expect(deviceId.fields.map((f) => [f.key, f.el])).toEqual([
      ['manufacturer', 'Manufacturer'],
      ['oui', 'OUI'],
      ['productClass', 'ProductClass'],
      ['serialNumber', 'SerialNumber'],
    ])
    expect(reboot.method).toBe('Reboot')
    expect(mistakes).toHaveLength(8)
  })

  it('every @ts-expect-error line of the cases is an error of the named code without its directive, and no other line is', () => {
    const original = readFileSync(CASES, 'utf8')
    const lines = original.split('\n')
    const expected = new Map<number, number>()
    const stripped = lines.map((line, i) => {
      const m = /^\s*\/\/ @ts-expect-error TS(\d+) /.exec(line)
      if (m === null) return line
      expected.set(i + 2, Number(m[1])) // the directive covers the next line (1-based)
      return ''
    })
    expect(expected.size).toBe(8)
    const [withDirectives, without] = compile([original, stripped.join('\n')])
    expect(withDirectives).toEqual(new Map())
    expect(without).toEqual(new Map([...expected].map(([line, code]) => [line, [code]])))
  })
})
