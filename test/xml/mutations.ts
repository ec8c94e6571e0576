/*
 * Mutations of XML text for the differential tests (the scanner against saxes, raw items against
 * the generic decoder): insert, delete or replace characters, swap two tags, rename a prefix, or
 * inject a hostile token.
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'

/** Tokens a mutation injects: references good and bad, markup, reserved names, characters XML forbids. */
export const INJECT: readonly string[] = ['&', '<', '>', ']]>', '&amp;', '&#x41;', '&#x00000000041;', '&#0000000000000000065;', '&#x0000000000110000;', '&#0;', '&#xD800;', '&lt', '\ud800', '\udc00', '\ud83d\ude00', '\ufffe', '\u0001', '\r', '\r\n', '"', "'", '=', ' ', '/', '<!--', '-->', '--', '<![CDATA[', '<?', '?>', '<?xml version="1.0"?>', ':', 'xmlns:', 'xmlns=""', 'xmlns:p=""', ' xmlns:x="urn:x"', ' x:a="1"', ' a="1"', 'xml:', 'xmlns:xml="urn:no"', '<!DOCTYPE', '</', '/>', '<x>', '</x>', '\t']

/** The item `i` of `xs`, cyclically. */
export const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T

/** A mutation: insert, delete or replace characters, swap two tags, or inject a hostile token. */
export type Mutation = (s: string) => string
export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.nat()).map(([at, n, t]): Mutation => (s) => {
    const i = at % (s.length + 1)
    return s.slice(0, i) + pick(INJECT, t).repeat(1 + (n % 3)) + s.slice(i)
  }),
  fc.tuple(fc.nat(), fc.nat({ max: 20 })).map(([at, n]): Mutation => (s) => {
    const i = at % (s.length + 1)
    return s.slice(0, i) + s.slice(i + 1 + n)
  }),
  fc.tuple(fc.nat(), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })).map(([at, r]): Mutation => (s) => {
    const i = at % (s.length + 1)
    return s.slice(0, i) + r + s.slice(i + r.length)
  }),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (s) => {
    // Swap two tags (start or end tags): mismatched nesting, or moved namespace declarations.
    const tags = [...s.matchAll(/<\/?[^<>!?]+>/g)]
    if (tags.length < 2) return s
    const x = pick(tags, a)
    const y = pick(tags, b)
    if (x.index === y.index) return s
    const [p, q] = (x.index as number) < (y.index as number) ? [x, y] : [y, x]
    const pi = p.index as number
    const qi = q.index as number
    return s.slice(0, pi) + q[0] + s.slice(pi + p[0].length, qi) + p[0] + s.slice(qi + q[0].length)
  }),
  fc.tuple(fc.nat(), fc.constantFrom('', 'x', 'xml', 'xmlns', 'soap-env', 'cwmp', 'a:b')).map(([n, to]): Mutation => (s) => {
    // Rename one prefix occurrence: unbound, reserved, or two colons.
    const m = [...s.matchAll(/[A-Za-z][\w.-]*:/g)]
    if (m.length === 0) return s
    const hit = pick(m, n)
    const i = hit.index as number
    return s.slice(0, i) + (to === '' ? '' : `${to}:`) + s.slice(i + hit[0].length)
  }),
)


/** The `.xml` files under `dir`, in a stable order. */
export function xmlFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...xmlFiles(p))
    else if (name.endsWith('.xml')) out.push(p)
  }
  return out
}
