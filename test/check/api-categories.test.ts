// Every public name (src/index.ts) is documented under one of the roles of the API docs, so the
// typedoc index reads by role and nothing lands in "Other".
import { resolve } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const ROLES = [
  'Codec',
  'Values',
  'Faults',
  'Sessions',
  'CPE client',
  'Data models',
  'ACS simulator',
  'Authentication',
  'Connection requests',
  'Transports',
  'Command line',
]

function publicNames(entry: string): { name: string; category: string | undefined }[] {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    noEmit: true,
  })
  const checker = program.getTypeChecker()
  const module = checker.getSymbolAtLocation(program.getSourceFile(entry) as ts.SourceFile) as ts.Symbol
  return checker.getExportsOfModule(module).map((e) => {
    const target = e.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(e) : e
    const decl = target.declarations?.[0]
    const node = decl !== undefined && ts.isVariableDeclaration(decl) ? decl.parent.parent : decl
    const tag = node === undefined ? undefined : ts.getJSDocTags(node).find((t) => t.tagName.text === 'category')
    const text = tag === undefined ? undefined : ts.getTextOfJSDocComment(tag.comment)?.trim()
    return { name: e.name, category: text }
  })
}

describe('API docs by role', () => {
  const names = publicNames(resolve(import.meta.dirname, '../../src/index.ts'))

  it('finds the public names', () => {
    expect(names.length).toBeGreaterThan(300)
  })

  it('every public name has a @category that is one of the roles', () => {
    expect(names.filter((n) => n.category === undefined || !ROLES.includes(n.category)).map((n) => `${n.name}: ${n.category}`)).toEqual([])
  })
})
