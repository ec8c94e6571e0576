/**
 * The TypeScript path types of a data model, generated from its table (scripts/datamodels.ts).
 *
 * The generated files use the keyed form ({@link renderKeyed}): interfaces keyed by template path
 * (`'Device.WiFi.SSID.{i}.SSID': string`), read through `TemplatePath<P>` in src/datamodel/typed.ts.
 * The other forms exist so that `bench/datamodel-types.ts` can measure what each costs `tsc`
 * (docs/decisions.md D355):
 *
 * - `union`: one template-literal union of every path (`` `Device.WiFi.SSID.${number}.SSID` ``);
 * - `flat`: interfaces with template-literal index signatures;
 * - `nested`: one interface per object, walked by a recursive conditional type, segment by segment;
 * - `overloads`: one overload per parameter of a `valueOf(path)` function.
 */
import type { TableJson } from '../src/datamodel/table.js'
import type { ScalarSyntax, ValueSyntax } from '../src/datamodel/types.js'
import type { ModelSource } from './datamodels.js'

/** A representation of the path types. */
export type TypeRepresentation = 'keyed' | 'flat' | 'union' | 'nested' | 'overloads'

/** One parameter, as the type generators see it. */
interface TypedParameter {
  /** Template path, `{i}` for instance numbers. */
  readonly path: string
  /** The TypeScript type of a value read (GetParameterValues). */
  readonly read: string
  /** The TypeScript type of a value set (SetParameterValues); undefined when read-only. */
  readonly write: string | undefined
}

const READ: Readonly<Record<string, string>> = {
  string: 'string',
  boolean: 'boolean',
  int: 'number',
  unsignedInt: 'number',
  long: 'bigint',
  unsignedLong: 'bigint',
  decimal: 'string',
  dateTime: 'DateTimeValue',
  base64: 'Uint8Array',
  hexBinary: 'Uint8Array',
  list: 'string',
}

const WRITE: Readonly<Record<string, string>> = {
  ...READ,
  long: 'number | bigint',
  unsignedLong: 'number | bigint',
  decimal: 'number | string',
  dateTime: 'Date | string',
}

function literalUnion(values: readonly string[]): string {
  return values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(' | ')
}

function valueTypes(syntax: ValueSyntax, writable: boolean): { read: string; write: string | undefined } {
  const scalar: ScalarSyntax | undefined = syntax.type === 'list' ? undefined : syntax
  if (scalar?.type === 'string' && scalar.enumeration !== undefined) {
    const settable = scalar.enumeration.filter((v) => !(scalar.readOnlyValues ?? []).includes(v))
    return { read: literalUnion(scalar.enumeration), write: writable ? literalUnion(settable.length > 0 ? settable : scalar.enumeration) : undefined }
  }
  return { read: READ[syntax.type] as string, write: writable ? (WRITE[syntax.type] as string) : undefined }
}

/** The parameters of a table with their TypeScript value types. */
export function typedParameters(table: TableJson): TypedParameter[] {
  const out: TypedParameter[] = []
  for (const [objectPath, , , , , params] of table.objects) {
    for (const [name, syntaxIndex, flags] of params) {
      const syntax = table.syntaxes[syntaxIndex] as ValueSyntax
      const writable = (flags & 3) !== 0
      out.push({ path: `${objectPath}${name}`, ...valueTypes(syntax, writable) })
    }
  }
  return out
}

/** A template path as a TypeScript string type: `{i}` becomes `${number}`. */
function pathType(path: string): string {
  return path.includes('{i}') ? `\`${path.replaceAll('{i}', '${number}')}\`` : `'${path}'`
}

function member(path: string, type: string, optional = false): string {
  return path.includes('{i}') ? `  [path: ${pathType(path)}]: ${type}` : `  '${path}'${optional ? '?' : ''}: ${type}`
}

const HEADER = [`import type { DateTimeValue } from '../values/convert.js'`, '']

/** The flat representation: fixed paths as properties, paths with instance numbers as template-literal index signatures. */
export function renderFlat(prefix: string, model: string, params: readonly TypedParameter[], objectPaths: readonly string[]): string {
  const tables = objectPaths.filter((p) => p.endsWith('.{i}.')).map((p) => p.slice(0, -'{i}.'.length))
  return [
    ...HEADER,
    `/**`,
    ` * The value read (GetParameterValues) of each ${model} parameter, by path: \`\${number}\` stands`,
    ` * for an instance number.`,
    ` *`,
    ` * @category Data models`,
    ` */`,
    `export interface ${prefix}ParameterValues {`,
    ...params.map((p) => member(p.path, p.read)),
    `}`,
    '',
    `/**`,
    ` * The value set (SetParameterValues) of each writable ${model} parameter, by path.`,
    ` *`,
    ` * @category Data models`,
    ` */`,
    `export interface ${prefix}WritableValues {`,
    ...params.filter((p) => p.write !== undefined).map((p) => member(p.path, p.write as string, true)),
    `}`,
    '',
    `/**`,
    ` * Every ${model} object path (partial path), instances included (\`Device.WiFi.SSID.\${number}.\`), and`,
    ` * the tables above them (\`Device.WiFi.SSID.\`).`,
    ` *`,
    ` * @category Data models`,
    ` */`,
    `export type ${prefix}ObjectPath =`,
    ...[...objectPaths, ...tables].map((p) => `  | ${pathType(p)}`),
    '',
  ].join('\n')
}

/**
 * The keyed representation: interfaces keyed by template path (`Device.WiFi.SSID.{i}.SSID`), and a
 * type that turns a concrete path into its template (instance numbers to `{i}`, segment by segment),
 * so that a lookup is one property access.
 */
export function renderKeyed(prefix: string, model: string, params: readonly TypedParameter[], objectPaths: readonly string[]): string {
  const tables = objectPaths.filter((p) => p.endsWith('.{i}.')).map((p) => p.slice(0, -'{i}.'.length))
  const quote = (p: string) => `'${p}'`
  return [
    ...HEADER,
    `/**`,
    ` * The value read (GetParameterValues) of each ${model} parameter, by template path.`,
    ` *`,
    ` * @category Data models`,
    ` */`,
    `export interface ${prefix}ParameterValues {`,
    ...params.map((p) => `  ${quote(p.path)}: ${p.read}`),
    `}`,
    '',
    `/**`,
    ` * The value set (SetParameterValues) of each writable ${model} parameter, by template path.`,
    ` *`,
    ` * @category Data models`,
    ` */`,
    `export interface ${prefix}WritableValues {`,
    ...params.filter((p) => p.write !== undefined).map((p) => `  ${quote(p.path)}: ${p.write as string}`),
    `}`,
    '',
    `/**`,
    ` * Every ${model} object and table path, by template path.`,
    ` *`,
    ` * @category Data models`,
    ` */`,
    `export interface ${prefix}Objects {`,
    ...[...objectPaths, ...tables].map((p) => `  ${quote(p)}: true`),
    `}`,
    '',
  ].join('\n')
}

/** The union representation: one template-literal union of every parameter path. */
export function renderUnion(prefix: string, model: string, params: readonly TypedParameter[]): string {
  return [...HEADER, `/** Every ${model} parameter path. */`, `export type ${prefix}ParameterPath =`, ...params.map((p) => `  | ${pathType(p.path)}`), ''].join('\n')
}

interface TreeNode {
  readonly children: Map<string, TreeNode>
  leaf?: TypedParameter
}

/** The nested representation: one interface per object, leaves as `Leaf<read, write>`. */
export function renderNested(prefix: string, model: string, params: readonly TypedParameter[]): string {
  const root: TreeNode = { children: new Map() }
  for (const p of params) {
    let node = root
    for (const segment of p.path.split('.')) {
      let next = node.children.get(segment)
      if (next === undefined) node.children.set(segment, (next = { children: new Map() }))
      node = next
    }
    node.leaf = p
  }
  const out: string[] = [...HEADER]
  out.push(`/** A parameter: its read and write value types (never when read-only). */`)
  out.push(`export interface ${prefix}Leaf<R, W> { readonly ' r': R; readonly ' w': W }`)
  let n = 0
  const name = (node: TreeNode): string => {
    const id = `${prefix}Node${n++}`
    const lines: string[] = []
    for (const [segment, child] of node.children) {
      const key = segment === '{i}' ? `'{i}'` : `'${segment}'`
      if (child.leaf !== undefined) lines.push(`  ${key}: ${prefix}Leaf<${child.leaf.read}, ${child.leaf.write ?? 'never'}>`)
      else lines.push(`  ${key}: ${name(child)}`)
    }
    out.push(`export interface ${id} {\n${lines.join('\n')}\n}`)
    return id
  }
  const top = name(root)
  out.push(
    `/** The ${model} tree. */`,
    `export type ${prefix}Tree = ${top}`,
    `type At<T, P extends string> = P extends \`\${infer H}.\${infer R}\``,
    `  ? H extends keyof T ? At<T[H], R> : H extends \`\${bigint}\` ? (T extends { '{i}': infer I } ? At<I, R> : never) : never`,
    `  : P extends keyof T ? T[P] : never`,
    `/** The leaf at a concrete path, or never. */`,
    `export type ${prefix}At<P extends string> = At<${prefix}Tree, P>`,
    '',
  )
  return out.join('\n')
}

/** The overloads representation: one `valueOf(path)` signature per parameter. */
export function renderOverloads(prefix: string, model: string, params: readonly TypedParameter[]): string {
  return [
    ...HEADER,
    ...params.map((p) => `export declare function ${prefix.toLowerCase()}ValueOf(path: ${pathType(p.path)}): ${p.read}`),
    '',
  ].join('\n')
}

/** The source of `src/datamodel/<id>-paths.generated.d.ts`. */
export function renderPathTypes(source: ModelSource, table: TableJson, notice: string): string {
  return `${notice}${renderKeyed(source.typePrefix, table.model, typedParameters(table), table.objects.map((o) => o[0]))}`
}
