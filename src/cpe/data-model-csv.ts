/**
 * Data models from CSV: the format of genieacs-sim data models and GenieACS device exports, read
 * into a {@link MemoryModelDefinition}. No I/O: the CSV comes in as a string.
 *
 * @module
 */
import type { DeviceIdStruct } from '../types/structs.js'
import type { MemoryModelDefinition, MemoryObjectDefinition, MemoryParameterDefinition } from './memory-definition.js'
import { isNotification } from './notification.js'

/**
 * Options of {@link parseDataModelCsv}.
 *
 * @category Data models
 */
export interface ParseCsvOptions {
  /** Root objects whose rows are kept; default `Device` and `InternetGatewayDevice`. Other rows (GenieACS `Events.*`, `Tags.*`, …) are skipped. */
  readonly roots?: readonly string[]
}

/** Split RFC 4180 CSV text into rows of fields. */
function csvRows(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0
  let line = 1
  let fieldStart = true
  const endRow = (): void => {
    row.push(field)
    if (row.length > 1 || row[0] !== '') rows.push(row)
    row = []
    field = ''
    fieldStart = true
  }
  for (; i < text.length; i++) {
    const c = text[i] as string
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"'
          i++
        } else quoted = false
      } else {
        if (c === '\n') line++
        field += c
      }
      continue
    }
    if (c === '"' && fieldStart) {
      quoted = true
      fieldStart = false
    } else if (c === '"') {
      throw new SyntaxError(`CSV line ${line}: a double quote inside an unquoted field`)
    } else if (c === ',') {
      row.push(field)
      field = ''
      fieldStart = true
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++
      endRow()
      line++
    } else {
      field += c
      fieldStart = false
    }
  }
  if (quoted) throw new SyntaxError(`CSV line ${line}: unterminated quoted field`)
  if (field !== '' || row.length > 0) endRow()
  return rows
}

function csvBoolean(s: string, what: string, line: number): boolean {
  const t = s.trim().toLowerCase()
  if (t === 'true' || t === '1') return true
  if (t === 'false' || t === '0' || t === '') return false
  throw new SyntaxError(`CSV row ${line}: ${what} must be true or false, not ${JSON.stringify(s)}`)
}

const DEVICE_ID_FIELDS: Readonly<Record<string, keyof DeviceIdStruct>> = {
  Manufacturer: 'manufacturer',
  OUI: 'oui',
  ProductClass: 'productClass',
  SerialNumber: 'serialNumber',
}

/**
 * Read the CSV format of genieacs-sim data models (and GenieACS device exports): a header row with
 * at least `Parameter,Object,Writable,Value,Value type` (columns found by name; `Notification` and
 * `Access list` are used when present, other columns ignored), one row per object (`Object` true,
 * path without the trailing dot) or parameter. `DeviceID.Manufacturer`, `.OUI`, `.ProductClass`
 * and `.SerialNumber` rows become the definition's `deviceId`. A parameter with an empty type is a
 * string. Rows with `{i}` segments are templates (an extension of this library).
 *
 * @param text - the CSV text (RFC 4180: quoted fields, doubled quotes, CRLF or LF)
 * @param options - which roots to keep
 * @returns a definition for {@link createMemoryDataModel}
 * @throws SyntaxError for malformed CSV or a missing column
 * @category Data models
 */
export function parseDataModelCsv(text: string, options: ParseCsvOptions = {}): MemoryModelDefinition {
  const rows = csvRows(text)
  const header = rows.shift()
  if (header === undefined) throw new SyntaxError('CSV: no header row')
  const col = (name: string, required: boolean): number => {
    const i = header.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase())
    if (i === -1 && required) throw new SyntaxError(`CSV: no "${name}" column`)
    return i
  }
  const cParam = col('Parameter', true)
  const cObject = col('Object', true)
  const cWritable = col('Writable', true)
  const cValue = col('Value', true)
  const cType = col('Value type', true)
  const cNotification = col('Notification', false)
  const cAccess = col('Access list', false)
  const roots = new Set(options.roots ?? ['Device', 'InternetGatewayDevice'])
  const parameters: Record<string, MemoryParameterDefinition> = {}
  const objects: Record<string, MemoryObjectDefinition> = {}
  const deviceId: { -readonly [K in keyof DeviceIdStruct]?: string } = {}
  rows.forEach((row, index) => {
    const line = index + 2
    const cell = (i: number): string => (i === -1 ? '' : (row[i] ?? ''))
    let name = cell(cParam).trim()
    if (name === '') return
    if (name.startsWith('DeviceID.')) {
      const key = DEVICE_ID_FIELDS[name.slice('DeviceID.'.length)]
      if (key !== undefined) deviceId[key] = cell(cValue)
      return
    }
    if (!roots.has(name.split('.')[0] as string)) return
    const writable = csvBoolean(cell(cWritable), 'Writable', line)
    if (csvBoolean(cell(cObject), 'Object', line)) {
      if (!name.endsWith('.')) name = `${name}.`
      objects[name] = { writable }
      return
    }
    const def: { -readonly [K in keyof MemoryParameterDefinition]: MemoryParameterDefinition[K] } = {
      type: cell(cType).trim() === '' ? 'xsd:string' : cell(cType).trim(),
      value: cell(cValue),
      writable,
    }
    const n = cell(cNotification).trim()
    if (n !== '') {
      const v = Number(n)
      if (!isNotification(v)) throw new SyntaxError(`CSV row ${line}: Notification must be 0–6, not ${JSON.stringify(n)}`)
      def.notification = v
    }
    const access = cell(cAccess)
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '')
    if (access.length > 0) def.accessList = access
    parameters[name] = def
  })
  const out: { -readonly [K in keyof MemoryModelDefinition]: MemoryModelDefinition[K] } = { parameters, objects }
  if (Object.keys(deviceId).length > 0) out.deviceId = deviceId
  return out
}
