/**
 * A small XML string writer. Output is deterministic (fixed prefixes, no indentation) and every
 * text and attribute value is escaped; characters XML 1.0 cannot carry are refused.
 *
 * @module
 */

// Characters that need escaping in text, plus every character XML 1.0 forbids (and U+FFFE/U+FFFF).
const TEXT_SPECIAL = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/
const ATTR_SPECIAL = /[&<>"\t\n\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/
const FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/

/** Thrown by the escape functions for a character XML 1.0 cannot represent. @internal */
export class InvalidXmlCharacter extends Error {
  override name = 'InvalidXmlCharacter'
}

function check(s: string): void {
  if (FORBIDDEN.test(s)) {
    const c = FORBIDDEN.exec(s)?.[0] as string
    throw new InvalidXmlCharacter(`character U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')} cannot be represented in XML 1.0`)
  }
}

function wellFormed(s: string): void {
  if (!s.isWellFormed()) throw new InvalidXmlCharacter('lone surrogate cannot be represented in XML 1.0')
}

const TEXT_REPLACEMENTS: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' }
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
 * does not turn it into `\n`.
 *
 * @throws InvalidXmlCharacter for characters XML 1.0 cannot carry
 * @internal
 */
export function escapeText(s: string): string {
  wellFormed(s)
  if (!TEXT_SPECIAL.test(s)) return s
  check(s)
  return s.replace(/[&<>\r]/g, (c) => TEXT_REPLACEMENTS[c] as string)
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
