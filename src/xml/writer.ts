/**
 * A small XML string writer. Output is deterministic (fixed prefixes, no indentation) and every
 * text and attribute value is escaped; characters XML 1.0 cannot carry are refused.
 *
 * @module
 */

// Characters that need escaping in attributes, plus every character XML 1.0 forbids (and U+FFFE/U+FFFF).
const ATTR_SPECIAL = /[&<>"\t\n\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/
const TEXT_ATTENTION = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/

/** Thrown by the escape functions for a character XML 1.0 cannot represent. @internal */
export class InvalidXmlCharacter extends Error {
  override name = 'InvalidXmlCharacter'
}

function forbidden(c: number): never {
  throw new InvalidXmlCharacter(
    c >= 0xd800 && c <= 0xdfff
      ? 'lone surrogate cannot be represented in XML 1.0'
      : `character U+${c.toString(16).toUpperCase().padStart(4, '0')} cannot be represented in XML 1.0`,
  )
}

function check(s: string): void {
  const m = FORBIDDEN.exec(s)
  if (m !== null) forbidden((m[0] as string).charCodeAt(0))
}

function wellFormed(s: string): void {
  if (!s.isWellFormed()) forbidden(0xd800)
}

const ATTR_REPLACEMENTS: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
  '\r': '&#13;',
}

/**
 * Escape character data. `\r` becomes `&#13;` so that end-of-line normalisation on the reader's side
 * does not turn it into `\n`. One pass over the string; the common case allocates nothing.
 *
 * @throws InvalidXmlCharacter for characters XML 1.0 cannot carry (controls, U+FFFE, U+FFFF, lone surrogates)
 * @internal
 */
export function escapeText(s: string): string {
  // Fast path: a regex scan is quicker than a JavaScript loop when nothing needs doing.
  if (!TEXT_ATTENTION.test(s)) return s
  let out: string | undefined
  let last = 0
  const n = s.length
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c > 0x3e && c < 0xd800) continue
    let rep: string
    if (c >= 0xd800) {
      if (c <= 0xdbff) {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0
        if (d < 0xdc00 || d > 0xdfff) forbidden(c)
        i++
        continue
      }
      if (c <= 0xdfff || c === 0xfffe || c === 0xffff) forbidden(c)
      continue
    }
    if (c === 0x26) rep = '&amp;'
    else if (c === 0x3c) rep = '&lt;'
    else if (c === 0x3e) rep = '&gt;'
    else if (c === 0x0d) rep = '&#13;'
    else if (c < 0x20 && c !== 0x09 && c !== 0x0a) forbidden(c)
    else continue
    out = out === undefined ? s.slice(0, i) + rep : out + s.slice(last, i) + rep
    last = i + 1
  }
  return out === undefined ? s : last === n ? out : out + s.slice(last)
}

/** The characters below U+0100 that escapeText escapes or refuses: & < > CR and the C0 controls but TAB and LF. */
const SPECIAL_LATIN: readonly string[] = ['&', '<', '>', '\r'].concat(
  Array.from({ length: 0x20 }, (_, c) => String.fromCharCode(c)).filter((c) => c !== '\t' && c !== '\n' && c !== '\r'),
)
/** Any surrogate, U+FFFE, U+FFFF: on a one-byte string V8 answers without reading it. */
const NON_LATIN_ATTENTION = /[\ud800-\udfff\ufffe\uffff]/
/** Below this length one regular-expression pass is cheaper than a search per character. */
const LONG_TEXT = 1500

/**
 * True when {@link escapeText} would change `s` or refuse it (and also for a surrogate pair, which it
 * keeps: the caller then takes the per-text path). For a long string this is one `includes` per
 * character that needs attention: each is a vectorised search, together a fraction of the time of
 * one regular-expression pass over the string (D22).
 *
 * @internal
 */
export function needsEscape(s: string): boolean {
  if (s.length < LONG_TEXT) return TEXT_ATTENTION.test(s)
  if (NON_LATIN_ATTENTION.test(s)) return true
  for (let i = 0; i < SPECIAL_LATIN.length; i++) if (s.includes(SPECIAL_LATIN[i] as string)) return true
  return false
}

/**
 * Escape an attribute value (for double quotes). Tabs and line breaks are written as character
 * references so that attribute-value normalisation keeps them.
 *
 * @throws InvalidXmlCharacter for characters XML 1.0 cannot carry
 * @internal
 */
export function escapeAttr(s: string): string {
  wellFormed(s)
  if (!ATTR_SPECIAL.test(s)) return s
  check(s)
  return s.replace(/[&<>"\t\n\r]/g, (c) => ATTR_REPLACEMENTS[c] as string)
}
