/**
 * The compact form of a generated definition table (`*.generated.ts`) and its decoding into
 * definitions. The generator (`scripts/datamodels.ts`) writes it; nothing else should.
 *
 * A table is JSON: distinct syntaxes once (a parameter names its syntax by index), objects in the
 * XML's order, each with its parameters as short rows. Flags are bits (see {@link FLAG}).
 *
 * @module
 */
import type {
  ActiveNotify,
  DataModelXsdType,
  DefaultValue,
  DefinitionStatus,
  ObjectDefinition,
  ParameterAccess,
  ParameterDefinition,
  Definition,
  TableDefinition,
  ValueSyntax,
} from './types.js'

/** Version of the table format; the decoder refuses another. @internal */
export const TABLE_FORMAT = 1

/** Bits of the flags of objects and parameters. @internal */
export const FLAG = {
  readWrite: 1,
  writeOnce: 2,
  forcedInform: 4,
  forceEnabled: 8,
  forceDefaultEnabled: 16,
  canDeny: 24,
  deprecated: 32,
  obsoleted: 64,
  hidden: 128,
  command: 256,
} as const

const ACCESS_MASK = 3
const NOTIFY_MASK = 24
const STATUS_MASK = 96

/**
 * A parameter row: name, syntax index, flags, then optionally the version (when it differs from the
 * object's; 0 when not), the default value and its type (0 object, 1 factory, 2 implementation).
 * @internal
 */
export type TableParameter = [string, number, number, ...([] | [string | 0] | [string | 0, string, number])]

/**
 * An object row: template path, flags, minEntries, maxEntries (-1 unbounded), version (0 when the
 * XML gives none), parameters,
 * then optionally numEntriesParameter and enableParameter names (0 when absent).
 * @internal
 */
export type TableObject = [string, number, number, number, string | 0, TableParameter[], ...([] | [string | 0, string | 0])]

/** A whole table. @internal */
export interface TableJson {
  readonly format: number
  readonly model: string
  readonly spec: string
  readonly file: string
  readonly syntaxes: readonly ValueSyntax[]
  readonly objects: readonly TableObject[]
}

const XSD: Readonly<Record<string, DataModelXsdType>> = {
  string: 'xsd:string',
  boolean: 'xsd:boolean',
  int: 'xsd:int',
  unsignedInt: 'xsd:unsignedInt',
  long: 'xsd:long',
  unsignedLong: 'xsd:unsignedLong',
  decimal: 'xsd:decimal',
  dateTime: 'xsd:dateTime',
  base64: 'xsd:base64Binary',
  hexBinary: 'xsd:hexBinary',
  list: 'xsd:string',
}

const DEFAULT_TYPES: readonly DefaultValue['type'][] = ['object', 'factory', 'implementation']

function access(flags: number): ParameterAccess {
  const a = flags & ACCESS_MASK
  return a === FLAG.readWrite ? 'readWrite' : a === FLAG.writeOnce ? 'writeOnceReadOnly' : 'readOnly'
}

function notify(flags: number): ActiveNotify {
  const n = flags & NOTIFY_MASK
  return n === FLAG.canDeny ? 'canDeny' : n === FLAG.forceEnabled ? 'forceEnabled' : n === FLAG.forceDefaultEnabled ? 'forceDefaultEnabled' : 'normal'
}

function status(flags: number): DefinitionStatus {
  const s = flags & STATUS_MASK
  return s === FLAG.deprecated ? 'deprecated' : s === FLAG.obsoleted ? 'obsoleted' : 'current'
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v)
    Object.freeze(value)
  }
  return value
}

/** The name of an object path's last segment (`SSID` for `Device.WiFi.SSID.{i}.`). */
function objectName(path: string): string {
  const segments = path.slice(0, -1).split('.')
  const last = segments[segments.length - 1] as string
  return last === '{i}' ? (segments[segments.length - 2] as string) : last
}

/** The path of the table above an instance path: `Device.WiFi.SSID.` for `Device.WiFi.SSID.{i}.`. */
function tablePath(instancePath: string): string {
  return instancePath.slice(0, -'{i}.'.length)
}

/** The object holding a node: `Device.WiFi.` for `Device.WiFi.SSID.` and for `Device.WiFi.Radio.`. */
function holder(path: string): string | undefined {
  const body = path.slice(0, -1)
  const dot = body.lastIndexOf('.')
  return dot === -1 ? undefined : body.slice(0, dot + 1)
}

/** A table's objects and their parameters, decoded as they are asked for. @internal */
interface ObjectEntry {
  readonly row: TableObject
  readonly definition: ObjectDefinition
  /** Parameter rows by name, built on first use. */
  index?: Map<string, number>
  /** Parameter definitions by row index, built as they are asked for. */
  readonly parameters: (ParameterDefinition | undefined)[]
  /** The child objects and tables, in the XML's order. */
  readonly childNodes: (ObjectDefinition | TableDefinition)[]
  childList?: readonly Definition[]
}

/**
 * A decoded table: the objects decoded at once (a few hundred), each parameter definition built
 * when first asked for (decoding all 6,466 TR-181 parameters up front cost 40–150 ms on this
 * machine; the index costs a few).
 * @internal
 */
export class DecodedTable {
  readonly model: string
  readonly spec: string
  readonly root: string
  readonly #syntaxes: readonly ValueSyntax[]
  readonly #objects = new Map<string, ObjectEntry>()
  readonly #tables = new Map<string, TableDefinition>()
  readonly #rootList: readonly Definition[]
  #allParameters: readonly ParameterDefinition[] | undefined
  readonly #allObjects: readonly ObjectDefinition[]

  constructor(table: string | TableJson) {
    const json = typeof table === 'string' ? (JSON.parse(table) as TableJson) : table
    if (json.format !== TABLE_FORMAT) throw new Error(`definition table format ${json.format}, ${TABLE_FORMAT} expected`)
    this.model = json.model
    this.spec = json.spec
    // Syntaxes are frozen as parameters using them are decoded (freezing all 758 up front was a third
    // of the decoding time).
    this.#syntaxes = json.syntaxes
    const all: ObjectDefinition[] = []
    for (const row of json.objects) {
      const [path, flags, minEntries, maxEntries, version, params, numEntries, enable] = row
      const multiInstance = path.endsWith('.{i}.')
      const objectAccess = flags & FLAG.readWrite ? 'readWrite' : 'readOnly'
      const definition: ObjectDefinition = {
        kind: 'object',
        path,
        name: objectName(path),
        parent: multiInstance ? tablePath(path) : holder(path),
        multiInstance,
        access: objectAccess,
        writable: multiInstance && objectAccess === 'readWrite',
        minEntries,
        maxEntries: maxEntries === -1 ? undefined : maxEntries,
        ...(typeof numEntries === 'string' ? { numEntriesParameter: `${holder(tablePath(path)) ?? ''}${numEntries}` } : {}),
        ...(typeof enable === 'string' ? { enableParameter: `${path}${enable}` } : {}),
        status: status(flags),
        ...(version !== 0 ? { version } : {}),
        parameters: Object.freeze(params.map((p) => p[0])),
        objects: [],
      }
      all.push(definition)
      this.#objects.set(path, { row, definition, parameters: [], childNodes: [] })
    }
    const first = all[0]
    if (first === undefined) throw new Error('definition table: no objects')
    this.root = first.path
    this.#rootList = Object.freeze([first])
    for (const o of all) {
      let node: ObjectDefinition | TableDefinition = o
      if (o.multiInstance) {
        const table: TableDefinition = Object.freeze({
          kind: 'table',
          path: tablePath(o.path),
          name: o.name,
          parent: holder(tablePath(o.path)) as string,
          instance: o,
          writable: o.access === 'readWrite',
        })
        this.#tables.set(table.path, table)
        node = table
      }
      const above = this.#objects.get(node.parent ?? '')
      if (above !== undefined) {
        above.childNodes.push(node)
        ;(above.definition.objects as string[]).push(node.name)
      }
    }
    for (const o of all) {
      Object.freeze(o.objects)
      Object.freeze(o)
    }
    this.#allObjects = Object.freeze(all)
  }

  #parameter(entry: ObjectEntry, i: number): ParameterDefinition {
    const cached = entry.parameters[i]
    if (cached !== undefined) return cached
    const [name, syntaxIndex, flags, pVersion, defaultValue, defaultType] = entry.row[5][i] as TableParameter
    const syntax = this.#syntaxes[syntaxIndex]
    if (syntax === undefined) throw new Error(`definition table: syntax ${syntaxIndex} missing`)
    deepFreeze(syntax)
    const pAccess = access(flags)
    const version = typeof pVersion === 'string' ? pVersion : entry.definition.version
    const definition: ParameterDefinition = Object.freeze({
      kind: 'parameter',
      path: `${entry.definition.path}${name}`,
      name,
      object: entry.definition.path,
      syntax,
      xsdType: XSD[syntax.type] as DataModelXsdType,
      access: pAccess,
      writable: pAccess !== 'readOnly',
      forcedInform: (flags & FLAG.forcedInform) !== 0,
      activeNotify: notify(flags),
      status: status(flags),
      hidden: (flags & FLAG.hidden) !== 0,
      command: (flags & FLAG.command) !== 0,
      ...(version !== undefined ? { version } : {}),
      ...(defaultValue !== undefined
        ? { default: Object.freeze({ type: DEFAULT_TYPES[defaultType ?? 0] ?? 'object', value: defaultValue }) }
        : {}),
    })
    entry.parameters[i] = definition
    return definition
  }

  /** The definition at a template path. */
  get(path: string): Definition | undefined {
    if (path.endsWith('.')) return this.#objects.get(path)?.definition ?? this.#tables.get(path)
    const dot = path.lastIndexOf('.')
    const entry = this.#objects.get(path.slice(0, dot + 1))
    if (entry === undefined) return undefined
    if (entry.index === undefined) entry.index = new Map(entry.row[5].map((p, i) => [p[0], i]))
    const i = entry.index.get(path.slice(dot + 1))
    return i === undefined ? undefined : this.#parameter(entry, i)
  }

  /** The nodes one level below a template path (`''`: the root). */
  children(path: string): readonly Definition[] {
    if (path === '') return this.#rootList
    const table = this.#tables.get(path)
    if (table !== undefined) return [table.instance]
    const entry = this.#objects.get(path)
    if (entry === undefined) return []
    if (entry.childList === undefined) {
      const params = entry.row[5].map((_, i) => this.#parameter(entry, i))
      entry.childList = Object.freeze([...params, ...entry.childNodes])
    }
    return entry.childList
  }

  /** Every parameter, in the XML's order. */
  parameters(): readonly ParameterDefinition[] {
    if (this.#allParameters === undefined) {
      const out: ParameterDefinition[] = []
      for (const entry of this.#objects.values()) {
        for (let i = 0; i < entry.row[5].length; i++) out.push(this.#parameter(entry, i))
      }
      this.#allParameters = Object.freeze(out)
    }
    return this.#allParameters
  }

  /** Every object, in the XML's order. */
  objects(): readonly ObjectDefinition[] {
    return this.#allObjects
  }
}
