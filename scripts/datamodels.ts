/**
 * Generates the data-model definition tables from the Broadband Forum DM Schema XML.
 *
 * Reads `$CWMP_DATAMODELS_DIR` (`tr-181-2-17-0-cwmp-full.xml`, `tr-098-1-8-0-full.xml`,
 * `tr-106-types.xml`) and writes, for each model, `src/datamodel/<id>.generated.ts` (the table) and
 * `src/datamodel/<id>-paths.generated.d.ts` (the TypeScript path types, a declaration file so that
 * `tsc` does not check its 10,000 members on every run), plus `NOTICE` (the Broadband
 * Forum licence the data comes under).
 *
 * Usage: `npm run datamodels` to write the files, `npm run datamodels -- --check` to exit 1 when a
 * committed file is stale. test/datamodel/generator.test.ts runs the same check.
 *
 * What is kept: objects (access, min/maxEntries, numEntriesParameter, enableParameter, status,
 * version) and parameters (syntax with its facets, access, forcedInform, activeNotify, hidden or
 * secured, command, status, version, default). What is not: descriptions, units, profiles, unique
 * keys, bibliography, `deleted` items. Anything the XML holds that the tables cannot represent makes
 * the generator fail, so nothing is dropped silently.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { SaxesParser, type SaxesTagPlain } from 'saxes'
import { xsdPattern } from '../src/values/lexical.js'
import type {
  ActiveNotify,
  DataModelType,
  DefinitionStatus,
  LengthRange,
  ListSyntax,
  ParameterAccess,
  ScalarSyntax,
  ValueRange,
  ValueSyntax,
} from '../src/datamodel/types.js'
import { FLAG, TABLE_FORMAT, type TableJson, type TableObject, type TableParameter } from '../src/datamodel/table.js'
import { renderPathTypes } from './datamodel-types.js'

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** One model to generate. */
export interface ModelSource {
  /** Short id, used in file names: `tr181`. */
  readonly id: string
  /** The flattened ("full") model file. */
  readonly file: string
  /** Prefix of the TypeScript type names: `Tr181`. */
  readonly typePrefix: string
}

/** The models this repository ships. */
export const MODELS: readonly ModelSource[] = [
  { id: 'tr181', file: 'tr-181-2-17-0-cwmp-full.xml', typePrefix: 'Tr181' },
  { id: 'tr098', file: 'tr-098-1-8-0-full.xml', typePrefix: 'Tr098' },
]

/** The TR-106 named data types. */
export const TYPES_FILE = 'tr-106-types.xml'

// ---------------------------------------------------------------------------------------------
// XML: a small element tree (descriptions skipped), read with saxes.

interface El {
  readonly name: string
  readonly attrs: Readonly<Record<string, string>>
  readonly children: El[]
  readonly line: number
}

interface XmlDocument {
  readonly root: El
  /** The first comment of the document: the licence header. */
  readonly header: string
}

/** Elements whose content the tables do not use (their subtree is not built). */
const SKIPPED = new Set(['description', 'bibliography', 'profile', 'uniqueKey', 'units', 'import', 'component', 'template'])

function readXml(text: string, fileName: string): XmlDocument {
  const parser = new SaxesParser({ xmlns: false, position: true, fileName })
  const stack: El[] = []
  let root: El | undefined
  let header: string | undefined
  let skipDepth = 0
  parser.on('comment', (c) => {
    if (header === undefined && root === undefined) header = c
  })
  parser.on('doctype', (doctype) => {
    // tr-106-types.xml declares internal entities used in patterns (&octet; …).
    for (const m of doctype.matchAll(/<!ENTITY\s+(\S+)\s+"([^"]*)"\s*>/g)) {
      parser.ENTITIES[m[1] as string] = m[2] as string
    }
  })
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (skipDepth > 0 || SKIPPED.has(tag.name)) {
      if (!tag.isSelfClosing) skipDepth++
      return
    }
    const el: El = { name: tag.name, attrs: { ...tag.attributes }, children: [], line: parser.line }
    const parent = stack[stack.length - 1]
    if (parent === undefined) root = el
    else parent.children.push(el)
    if (!tag.isSelfClosing) stack.push(el)
  })
  parser.on('closetag', (tag) => {
    if (skipDepth > 0) {
      if (!tag.isSelfClosing) skipDepth--
      return
    }
    if (!tag.isSelfClosing) stack.pop()
  })
  parser.on('error', (e) => {
    throw new Error(`${fileName}: ${e.message}`)
  })
  parser.write(text).close()
  if (root === undefined) throw new Error(`${fileName}: no root element`)
  if (header === undefined) throw new Error(`${fileName}: no header comment (the licence)`)
  return { root, header }
}

// ---------------------------------------------------------------------------------------------
// Licence notice.

/**
 * The copyright notice, the conditions and the disclaimer from a file's header comment: from the
 * first `Copyright` line to the end of the licence text (the moral-rights paragraph).
 */
export function licenceNotice(header: string, fileName: string): string {
  const lines = header.split('\n').map((l) => l.replace(/\s+$/, ''))
  const start = lines.findIndex((l) => /Copyright \(c\)/.test(l))
  const end = lines.findIndex((l) => /deemed granted under this license\./.test(l))
  if (start === -1 || end < start) throw new Error(`${fileName}: licence text not found in the header comment`)
  const body = lines.slice(start, end + 1)
  const text = body.join('\n')
  for (const must of ['Redistribution and use in source and binary forms', 'THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS']) {
    if (!text.includes(must)) throw new Error(`${fileName}: licence text incomplete (${must})`)
  }
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)?.[0].length ?? 0))
  return body.map((l) => l.slice(indent)).join('\n')
}

// ---------------------------------------------------------------------------------------------
// Syntax: built-in types, named data types, facets.

const BUILTIN: ReadonlySet<string> = new Set<DataModelType>([
  'string',
  'boolean',
  'int',
  'unsignedInt',
  'long',
  'unsignedLong',
  'decimal',
  'dateTime',
  'base64',
  'hexBinary',
])
const NUMERIC: ReadonlySet<string> = new Set(['int', 'unsignedInt', 'long', 'unsignedLong', 'decimal'])
const FACETS = new Set(['size', 'range', 'enumeration', 'pattern', 'pathRef', 'enumerationRef', 'instanceRef'])

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

function fail(el: El, file: string, message: string): never {
  throw new Error(`${file}:${el.line}: <${el.name}> ${message}`)
}

function isDeleted(el: El): boolean {
  return el.attrs.status === 'deleted'
}

function num(el: El, file: string, attr: string): number | undefined {
  const v = el.attrs[attr]
  if (v === undefined) return undefined
  const n = Number(v)
  if (v.trim() === '' || !Number.isFinite(n) || (!Number.isSafeInteger(n) && Number.isInteger(n))) {
    fail(el, file, `${attr}="${v}" is not a number the tables can hold`)
  }
  return n
}

class SyntaxCompiler {
  readonly #named = new Map<string, { el: El; file: string }>()
  readonly #resolved = new Map<string, ValueSyntax>()
  readonly #resolving = new Set<string>()

  /** Register the `<dataType name=…>` definitions of a document; later documents override earlier ones. */
  addDataTypes(root: El, file: string): void {
    for (const el of root.children) {
      if (el.name === 'dataType' && el.attrs.name !== undefined) this.#named.set(el.attrs.name, { el, file })
    }
  }

  /** The syntax of a named data type, its base types and facets resolved. */
  named(name: string, from: El, file: string): ValueSyntax {
    const done = this.#resolved.get(name)
    if (done !== undefined) return done
    const def = this.#named.get(name)
    if (def === undefined) fail(from, file, `refers to the unknown data type ${name}`)
    if (this.#resolving.has(name)) fail(def.el, def.file, `${name} derives from itself`)
    this.#resolving.add(name)
    const { el } = def
    let syntax: ValueSyntax
    const base = el.attrs.base
    if (base !== undefined) {
      syntax = this.#refine(this.named(base, el, def.file), el.children, def.file, el)
    } else {
      syntax = this.syntax(el.children, def.file, el)
    }
    syntax = { ...syntax, dataType: name }
    this.#resolving.delete(name)
    this.#resolved.set(name, syntax)
    return syntax
  }

  /** The syntax described by the children of `<syntax>` or of a `<dataType name=…>`. */
  syntax(children: readonly El[], file: string, at: El): ValueSyntax {
    let list: El | undefined
    let typeEl: El | undefined
    for (const c of children) {
      if (c.name === 'list') {
        if (list !== undefined) fail(c, file, 'appears twice')
        list = c
      } else if (BUILTIN.has(c.name) || c.name === 'dataType') {
        if (typeEl !== undefined) fail(c, file, 'second type in one syntax')
        typeEl = c
      } else if (c.name !== 'default') {
        fail(c, file, 'is not handled here')
      }
    }
    if (typeEl === undefined) fail(at, file, 'has no type')
    let item: ValueSyntax
    if (typeEl.name === 'dataType') {
      // <dataType ref="X"/> uses a named type; <dataType base="X">facets</dataType> refines one in place.
      const ref = typeEl.attrs.ref ?? typeEl.attrs.base
      if (ref === undefined) fail(typeEl, file, 'without ref or base')
      item = this.named(ref, typeEl, file)
      if (typeEl.children.length > 0) item = this.#refine(item, typeEl.children, file, typeEl)
    } else {
      item = this.#refine({ type: typeEl.name as DataModelType }, typeEl.children, file, typeEl)
    }
    if (list === undefined) return item
    const out: Mutable<ListSyntax> = { type: 'list', item }
    const minItems = num(list, file, 'minItems')
    const maxItems = num(list, file, 'maxItems')
    if (minItems !== undefined && minItems > 0) out.minItems = minItems
    if (maxItems !== undefined) out.maxItems = maxItems
    const nested = list.attrs.nestedBrackets
    if (nested !== undefined) {
      if (nested !== 'legal' && nested !== 'required') fail(list, file, `nestedBrackets="${nested}" is not handled`)
      out.nestedBrackets = nested
    }
    for (const c of list.children) {
      if (c.name !== 'size') fail(c, file, 'inside <list> is not handled')
    }
    const sizes = this.#sizes(list.children, file)
    if (sizes !== undefined) out.sizes = sizes
    for (const k of Object.keys(list.attrs)) {
      if (!['minItems', 'maxItems', 'nestedBrackets'].includes(k)) fail(list, file, `attribute ${k} is not handled`)
    }
    return out
  }

  #sizes(els: readonly El[], file: string): LengthRange[] | undefined {
    const sizes: LengthRange[] = []
    let seen = false
    for (const el of els) {
      if (el.name !== 'size' || isDeleted(el)) continue
      seen = true
      const minLength = num(el, file, 'minLength')
      const maxLength = num(el, file, 'maxLength')
      if (minLength === undefined && maxLength === undefined) continue
      const s: Mutable<LengthRange> = {}
      if (minLength !== undefined && minLength > 0) s.minLength = minLength
      if (maxLength !== undefined) s.maxLength = maxLength
      sizes.push(s)
    }
    return seen && sizes.length > 0 ? sizes : undefined
  }

  /** Apply facets to a syntax: each facet kind given replaces the base's facets of that kind. */
  #refine(base: ValueSyntax, els: readonly El[], file: string, at: El): ValueSyntax {
    const facets = els.filter((e) => FACETS.has(e.name) || e.name === 'size')
    for (const e of els) {
      if (!FACETS.has(e.name) && e.name !== 'list' && !BUILTIN.has(e.name) && e.name !== 'dataType') {
        fail(e, file, 'is not a facet the tables hold')
      }
    }
    if (facets.length === 0) return base
    if (base.type === 'list') fail(at, file, 'refines a list data type (not handled)')
    const out: Mutable<ScalarSyntax> = { ...base }
    const sizes = this.#sizes(facets, file)
    if (facets.some((f) => f.name === 'size' && !isDeleted(f) && Object.keys(f.attrs).some((k) => k !== 'status'))) {
      if (sizes === undefined) delete out.sizes
      else out.sizes = sizes
    }
    const ranges: ValueRange[] = []
    const enumeration: string[] = []
    const readOnlyValues: string[] = []
    const patterns: string[] = []
    for (const f of facets) {
      if (isDeleted(f)) continue
      switch (f.name) {
        case 'range': {
          if (!NUMERIC.has(base.type)) fail(f, file, `range on ${base.type}`)
          const r: Mutable<ValueRange> = {}
          const min = num(f, file, 'minInclusive')
          const max = num(f, file, 'maxInclusive')
          const step = num(f, file, 'step')
          if (min !== undefined) r.minInclusive = min
          if (max !== undefined) r.maxInclusive = max
          if (step !== undefined && step !== 1) r.step = step
          for (const k of Object.keys(f.attrs)) {
            if (!['minInclusive', 'maxInclusive', 'step', 'status'].includes(k)) fail(f, file, `attribute ${k}`)
          }
          ranges.push(r)
          break
        }
        case 'enumeration': {
          const v = f.attrs.value
          if (v === undefined) fail(f, file, 'without value')
          enumeration.push(v)
          if (f.attrs.access === 'readOnly') readOnlyValues.push(v)
          else if (f.attrs.access !== undefined && f.attrs.access !== 'readWrite') fail(f, file, `access="${f.attrs.access}"`)
          break
        }
        case 'pattern': {
          const v = f.attrs.value
          if (v === undefined) fail(f, file, 'without value')
          try {
            xsdPattern(v)
          } catch (e) {
            fail(f, file, `pattern ${JSON.stringify(v)} does not compile: ${(e as Error).message}`)
          }
          patterns.push(v)
          break
        }
        case 'pathRef':
        case 'instanceRef':
          out.pathRef = true
          break
        case 'enumerationRef': {
          const t = f.attrs.targetParam
          if (t === undefined) fail(f, file, 'without targetParam')
          out.enumerationRef = t
          break
        }
        default:
          break
      }
    }
    if (ranges.length > 0) out.ranges = ranges
    if (enumeration.length > 0) {
      out.enumeration = enumeration
      if (readOnlyValues.length > 0) out.readOnlyValues = readOnlyValues
      else delete out.readOnlyValues
    }
    if (patterns.length > 0) out.patterns = patterns
    if (out.enumeration !== undefined && out.patterns !== undefined) {
      fail(at, file, 'has both an enumeration and patterns (their combination is not defined here)')
    }
    return out
  }
}

// ---------------------------------------------------------------------------------------------
// The model: objects and parameters.

const ACCESS: Readonly<Record<string, number>> = { readOnly: 0, readWrite: FLAG.readWrite, writeOnceReadOnly: FLAG.writeOnce }
const NOTIFY: Readonly<Record<ActiveNotify, number>> = {
  normal: 0,
  forceEnabled: FLAG.forceEnabled,
  forceDefaultEnabled: FLAG.forceDefaultEnabled,
  canDeny: FLAG.canDeny,
}
const STATUS: Readonly<Record<DefinitionStatus, number>> = { current: 0, deprecated: FLAG.deprecated, obsoleted: FLAG.obsoleted }
const DEFAULT_TYPES: Readonly<Record<string, number>> = { object: 0, factory: 1, implementation: 2 }

/** What generation found, for the report. */
export interface GenerationStats {
  readonly model: string
  readonly objects: number
  readonly parameters: number
  readonly syntaxes: number
  readonly deletedObjects: number
  readonly deletedParameters: number
  readonly deprecated: number
  readonly obsoleted: number
  /** Errors in the XML worked around (each dropped a reference). */
  readonly anomalies: readonly string[]
}

/** A compiled model: the table, ready to be written. */
export interface CompiledModel {
  readonly table: TableJson
  readonly notices: readonly string[]
  readonly stats: GenerationStats
}

function statusOf(el: El, file: string): DefinitionStatus | 'deleted' {
  const s = el.attrs.status ?? 'current'
  if (s !== 'current' && s !== 'deprecated' && s !== 'obsoleted' && s !== 'deleted') fail(el, file, `status="${s}"`)
  return s
}

const OBJECT_ATTRS = new Set([
  'name',
  'access',
  'minEntries',
  'maxEntries',
  'version',
  'numEntriesParameter',
  'enableParameter',
  'status',
  // Not needed for CWMP behaviour: previous-item hints, SNMP ids, union discriminators.
  'dmr:previousObject',
  'dmr:noUniqueKeys',
  'dmr:fixedObject',
  'discriminatorParameter',
  'dmr:noDiscriminatorParameter',
  'id',
])
const PARAMETER_ATTRS = new Set([
  'name',
  'access',
  'activeNotify',
  'forcedInform',
  'version',
  'status',
  // Report-tool hints and SNMP ids.
  'dmr:previousParameter',
  'dmr:customNumEntriesParameter',
  'id',
])

/** Compile one model document (with the TR-106 types) into its table. */
export function compileModel(modelText: string, modelFile: string, typesText: string): CompiledModel {
  const types = readXml(typesText, TYPES_FILE)
  const doc = readXml(modelText, modelFile)
  const compiler = new SyntaxCompiler()
  compiler.addDataTypes(types.root, TYPES_FILE)
  compiler.addDataTypes(doc.root, modelFile)
  const models = doc.root.children.filter((c) => c.name === 'model')
  if (models.length !== 1) fail(doc.root, modelFile, `holds ${models.length} models, one expected`)
  const model = models[0] as El

  const syntaxIndex = new Map<string, number>()
  const syntaxes: ValueSyntax[] = []
  const objects: TableObject[] = []
  const kept = new Set<string>()
  let parameters = 0
  let deletedObjects = 0
  let deletedParameters = 0
  let deprecated = 0
  let obsoleted = 0
  const anomalies: string[] = []

  for (const o of model.children) {
    if (o.name === 'parameter') fail(o, modelFile, 'directly under <model> is not handled')
    if (o.name !== 'object') continue
    for (const k of Object.keys(o.attrs)) if (!OBJECT_ATTRS.has(k)) fail(o, modelFile, `attribute ${k} is not handled`)
    const path = o.attrs.name
    if (path === undefined || !path.endsWith('.')) fail(o, modelFile, 'name must end with "."')
    const status = statusOf(o, modelFile)
    const parent = parentPath(path)
    if (status === 'deleted' || (parent !== undefined && !kept.has(parent))) {
      deletedObjects++
      deletedParameters += o.children.filter((c) => c.name === 'parameter').length
      continue
    }
    kept.add(path)
    if (status === 'deprecated') deprecated++
    if (status === 'obsoleted') obsoleted++
    const access = o.attrs.access ?? 'readOnly'
    if (access !== 'readOnly' && access !== 'readWrite') fail(o, modelFile, `access="${access}"`)
    // TR-181 files give each object its version; TR-098 files give none.
    const version = o.attrs.version ?? 0
    const minEntries = num(o, modelFile, 'minEntries') ?? 1
    const maxText = o.attrs.maxEntries ?? '1'
    const maxEntries = maxText === 'unbounded' ? -1 : (num(o, modelFile, 'maxEntries') as number)
    const multi = path.endsWith('.{i}.')
    if (multi !== (maxEntries === -1 || maxEntries > 1)) {
      // A {i} object may be limited to one instance (maxEntries="1") and stay multi-instance;
      // the other way (a fixed object with several entries) cannot be addressed.
      if (!multi) fail(o, modelFile, `maxEntries=${maxText} without {i}`)
    }
    const params: TableParameter[] = []
    for (const p of o.children) {
      if (p.name === 'command' || p.name === 'event') fail(p, modelFile, 'is a USP element')
      if (p.name !== 'parameter') continue
      for (const k of Object.keys(p.attrs)) if (!PARAMETER_ATTRS.has(k)) fail(p, modelFile, `attribute ${k} is not handled`)
      const pStatus = statusOf(p, modelFile)
      if (pStatus === 'deleted') {
        deletedParameters++
        continue
      }
      if (pStatus === 'deprecated') deprecated++
      if (pStatus === 'obsoleted') obsoleted++
      const given = p.attrs.name ?? fail(p, modelFile, 'has no name')
      const name = given.trim()
      if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) fail(p, modelFile, `name ${JSON.stringify(given)}`)
      if (name !== given) anomalies.push(`${modelFile}:${p.line}: parameter name ${JSON.stringify(given)} has spaces: trimmed`)
      const syntaxEls = p.children.filter((c) => c.name === 'syntax')
      if (syntaxEls.length !== 1) fail(p, modelFile, `has ${syntaxEls.length} <syntax>`)
      const syntaxEl = syntaxEls[0] as El
      for (const k of Object.keys(syntaxEl.attrs)) {
        if (!['hidden', 'secured', 'command'].includes(k)) fail(syntaxEl, modelFile, `attribute ${k} is not handled`)
      }
      const syntax = compiler.syntax(syntaxEl.children, modelFile, syntaxEl)
      const key = JSON.stringify(syntax)
      let index = syntaxIndex.get(key)
      if (index === undefined) {
        index = syntaxes.length
        syntaxes.push(syntax)
        syntaxIndex.set(key, index)
      }
      const pAccess = p.attrs.access ?? 'readOnly'
      if (!(pAccess in ACCESS)) fail(p, modelFile, `access="${pAccess}"`)
      const notify = (p.attrs.activeNotify ?? 'normal') as ActiveNotify
      if (!(notify in NOTIFY)) fail(p, modelFile, `activeNotify="${notify}"`)
      const forced = p.attrs.forcedInform ?? 'false'
      if (forced !== 'true' && forced !== 'false') fail(p, modelFile, `forcedInform="${forced}"`)
      let flags = (ACCESS[pAccess as ParameterAccess] ?? 0) | NOTIFY[notify] | STATUS[pStatus]
      if (forced === 'true') flags |= FLAG.forcedInform
      if (syntaxEl.attrs.hidden === 'true' || syntaxEl.attrs.secured === 'true') flags |= FLAG.hidden
      if (syntaxEl.attrs.command === 'true') flags |= FLAG.command
      const row: TableParameter = [name, index, flags]
      const pVersion = p.attrs.version !== undefined && p.attrs.version !== version ? p.attrs.version : 0
      const defaults = syntaxEl.children.filter((c) => c.name === 'default' && !isDeleted(c))
      if (defaults.length > 1) fail(syntaxEl, modelFile, 'has several defaults')
      const dflt = defaults[0]
      if (dflt !== undefined) {
        const t = dflt.attrs.type ?? 'object'
        const code = DEFAULT_TYPES[t]
        const value = dflt.attrs.value
        if (code === undefined || value === undefined) fail(dflt, modelFile, 'type or value not handled')
        row.push(pVersion, value, code)
      } else if (pVersion !== 0) {
        row.push(pVersion)
      }
      params.push(row)
      parameters++
    }
    const numEntries = o.attrs.numEntriesParameter
    const enable = o.attrs.enableParameter
    const row: TableObject = [path, (access === 'readWrite' ? FLAG.readWrite : 0) | STATUS[status], minEntries, maxEntries, version, params]
    if (numEntries !== undefined || enable !== undefined) row.push(numEntries ?? 0, enable ?? 0)
    objects.push(row)
  }
  anomalies.push(...checkReferences(objects, modelFile))

  const table: TableJson = {
    format: TABLE_FORMAT,
    model: model.attrs.name ?? fail(model, modelFile, 'has no name'),
    spec: doc.root.attrs.spec ?? fail(doc.root, modelFile, 'has no spec'),
    file: modelFile,
    syntaxes,
    objects,
  }
  const stats: GenerationStats = {
    model: table.model,
    objects: objects.length,
    parameters,
    syntaxes: syntaxes.length,
    deletedObjects,
    deletedParameters,
    deprecated,
    obsoleted,
    anomalies,
  }
  return {
    table,
    notices: [
      `${modelFile}:\n\n${licenceNotice(doc.header, modelFile)}`,
      `${TYPES_FILE}:\n\n${licenceNotice(types.header, TYPES_FILE)}`,
    ],
    stats,
  }
}

/** Template path of the node above an object path (the table of an instance), as the tables key it. */
function parentPath(path: string): string | undefined {
  const body = path.slice(0, -1)
  const dot = body.lastIndexOf('.')
  if (dot === -1) return undefined
  const up = body.slice(0, dot + 1)
  // The parent of `A.B.{i}.` is `A.`; of `A.B.{i}.C.` it is `A.B.{i}.`.
  return body.endsWith('.{i}') ? parentPath(up) : up
}

/**
 * numEntriesParameter and enableParameter must name parameters that exist; a reference that does not
 * is an error in the XML: it is dropped and reported.
 */
function checkReferences(objects: TableObject[], file: string): string[] {
  const anomalies: string[] = []
  const params = new Map<string, Set<string>>()
  for (const o of objects) params.set(o[0], new Set(o[5].map((p) => p[0])))
  for (const o of objects) {
    const [path, , , , , , numEntries, enable] = o
    let keptNumEntries: string | 0 = 0
    let keptEnable: string | 0 = 0
    if (typeof numEntries === 'string') {
      const holder = parentPath(path) as string
      if (path.endsWith('.{i}.') && params.get(holder)?.has(numEntries)) keptNumEntries = numEntries
      else anomalies.push(`${file}: ${path} numEntriesParameter="${numEntries}" names no parameter of ${holder}${path.endsWith('.{i}.') ? '' : ' (and the object is single-instance)'}: dropped`)
    }
    if (typeof enable === 'string') {
      if (params.get(path)?.has(enable)) keptEnable = enable
      else anomalies.push(`${file}: ${path} enableParameter="${enable}" is not one of its parameters: dropped`)
    }
    o.length = 6
    if (keptNumEntries !== 0 || keptEnable !== 0) o.push(keptNumEntries, keptEnable)
  }
  return anomalies
}

// ---------------------------------------------------------------------------------------------
// Output.

const GENERATED = 'Generated by `npm run datamodels` (scripts/datamodels.ts): do not edit.'

function noticeComment(notices: readonly string[], what: string): string {
  const text = [
    `${what}`,
    '',
    GENERATED,
    '',
    'Derived from the Broadband Forum data-model files below, redistributed under their licence',
    '(BSD-3-Clause), whose notice, conditions and disclaimer follow.',
    '',
    ...notices.flatMap((n) => [n, '']),
  ]
  const lines = text.join('\n').split('\n')
  return `/*!\n${lines.map((l) => (l === '' ? ' *' : ` * ${l}`)).join('\n').replace(/\*\//g, '* /')}\n */\n`
}

/** The source of `src/datamodel/<id>.generated.ts`. */
export function renderTable(source: ModelSource, compiled: CompiledModel): string {
  const json = JSON.stringify(compiled.table)
  return [
    noticeComment(compiled.notices, `@license BSD-3-Clause\n\nThe ${compiled.table.model} definition table (${source.file}).`),
    `import type { TableJson } from './table.js'`,
    '',
    `/** The ${compiled.table.model} table as JSON text (parsed on first use: faster to load than a literal). @internal */`,
    `export const TABLE: string = '${json.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`,
    '',
    '/** Type-only marker of what {@link TABLE} holds. @internal */',
    'export type Table = TableJson',
    '',
  ].join('\n')
}

/** The NOTICE file: the licence of the data the tables derive from. */
export function renderNotice(compiled: readonly { source: ModelSource; compiled: CompiledModel }[]): string {
  const seen = new Set<string>()
  const parts: string[] = []
  for (const { compiled: c } of compiled) {
    for (const n of c.notices) {
      if (seen.has(n)) continue
      seen.add(n)
      parts.push(n)
    }
  }
  return [
    'cwmp is MIT-licensed (see LICENSE). The data-model definitions it ships (src/datamodel/*.generated.ts',
    'and the cwmp/tr181 and cwmp/tr098 entries built from them in dist/) are derived from Broadband Forum',
    'data-model files and are redistributed under the licence of those files (BSD-3-Clause):',
    '',
    ...parts.flatMap((p) => ['-'.repeat(72), p, '']),
  ].join('\n')
}

/** Every generated file, path (relative to the repository root) → content. */
export function renderAll(dir: string): { files: Map<string, string>; stats: GenerationStats[] } {
  const typesText = readFileSync(join(dir, TYPES_FILE), 'utf8')
  const files = new Map<string, string>()
  const done: { source: ModelSource; compiled: CompiledModel }[] = []
  for (const source of MODELS) {
    const compiled = compileModel(readFileSync(join(dir, source.file), 'utf8'), source.file, typesText)
    done.push({ source, compiled })
    files.set(`src/datamodel/${source.id}.generated.ts`, renderTable(source, compiled))
    files.set(
      `src/datamodel/${source.id}-paths.generated.d.ts`,
      renderPathTypes(source, compiled.table, noticeComment(compiled.notices, `The ${compiled.table.model} path types.`)),
    )
  }
  files.set('NOTICE', renderNotice(done))
  return { files, stats: done.map((d) => d.compiled.stats) }
}

function main(args: readonly string[]): number {
  const dir = process.env.CWMP_DATAMODELS_DIR
  if (dir === undefined || dir === '') {
    console.error('CWMP_DATAMODELS_DIR is not set: point it at the Broadband Forum XML (e.g. ../shared/datamodels)')
    return 2
  }
  const started = performance.now()
  const { files, stats } = renderAll(dir)
  const ms = performance.now() - started
  const stale: string[] = []
  for (const [rel, content] of files) {
    const path = join(ROOT, rel)
    let current: string | undefined
    try {
      current = readFileSync(path, 'utf8')
    } catch {
      current = undefined
    }
    if (current === content) continue
    stale.push(rel)
    if (!args.includes('--check')) writeFileSync(path, content)
  }
  for (const s of stats) {
    console.log(
      `${s.model}: ${s.objects} objects, ${s.parameters} parameters, ${s.syntaxes} distinct syntaxes; ` +
        `dropped as deleted ${s.deletedObjects} objects and ${s.deletedParameters} parameters; ` +
        `kept ${s.deprecated} deprecated and ${s.obsoleted} obsoleted`,
    )
    for (const a of s.anomalies) console.log(`  XML anomaly: ${a}`)
  }
  console.log(`generated in ${ms.toFixed(0)} ms`)
  if (args.includes('--check')) {
    if (stale.length === 0) return 0
    console.error(`stale: ${stale.join(', ')} (run \`npm run datamodels\`)`)
    return 1
  }
  console.log(stale.length === 0 ? 'all files up to date' : `wrote ${stale.join(', ')}`)
  return 0
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  process.exitCode = main(process.argv.slice(2))
}
