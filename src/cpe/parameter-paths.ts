/**
 * The grammar of parameter paths (TR-106): names separated by dots, instance
 * numbers, a trailing dot for an object (a partial path), and `{i}` for any instance in the paths of
 * a definition (multi-instance object templates).
 *
 * @module
 */

const SEGMENT = /^(?:[A-Za-z_][A-Za-z0-9_-]*|[0-9]+|\{i\})$/
const INSTANCE = /^[0-9]+$/

/** True for an object path (with its trailing dot) or the empty path (the whole tree). @internal */
export function isPartialPath(name: string): boolean {
  return name === '' || name.endsWith('.')
}

/** True when a path segment is an instance number. @internal */
export function isInstanceNumber(segment: string): boolean {
  return INSTANCE.test(segment)
}

function segments(path: string): string[] {
  return (path.endsWith('.') ? path.slice(0, -1) : path).split('.')
}

/**
 * True when `path` is a well-formed path of a definition: an object path (ending with a dot) when
 * `object`, else a parameter path; segments are names, instance numbers or `{i}`, the first a name.
 *
 * @internal
 */
export function isDefinitionPath(path: string, object: boolean): boolean {
  if (object !== path.endsWith('.')) return false
  const segs = segments(path)
  const first = segs[0] as string
  return first !== '' && !INSTANCE.test(first) && first !== '{i}' && segs.every((s) => SEGMENT.test(s))
}

/** The template path of a path: every instance number replaced by `{i}`. @internal */
export function templatePathOf(path: string): string {
  return path.replace(/(^|\.)[0-9]+(?=\.|$)/g, '$1{i}')
}

/** The path of the object holding a parameter or object (with its trailing dot; empty for a root). @internal */
export function parentPath(path: string): string {
  const body = path.endsWith('.') ? path.slice(0, -1) : path
  const i = body.lastIndexOf('.')
  return i === -1 ? '' : body.slice(0, i + 1)
}

/** The last segment of a path, without dots. @internal */
export function lastSegment(path: string): string {
  const segs = segments(path)
  return segs[segs.length - 1] as string
}
