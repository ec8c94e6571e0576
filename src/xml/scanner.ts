/*
 * The scanner producer of XML events (events.ts): a hand-written XML 1.0 scanner for whole messages
 * (a string; bytes are decoded first with charset.ts). It reports exactly what saxes-events.ts
 * reports for the same text (test/xml/differential.test.ts), faster (docs/decisions.md D20).
 *
 * Elements, attributes, namespaces (resolved as saxes-events.ts does), the predefined entities and
 * character references, CDATA, comments, processing instructions and the XML declaration. A DOCTYPE
 * is refused where it is seen. Every limit is checked while scanning, at the character that crosses
 * it, and every loop moves forward (indexOf or a charCodeAt loop), so the cost is linear in the
 * input. Only what is reported is sliced out of the input.
 *
 * Stricter than saxes where XML 1.0 says so: docs/conformance.md.
 */
import { DecodeError } from '../errors.js'
import { ROOT_SCOPE, declarePrefix, resolvePrefix, type DecodeLimits, type NsScope, type XmlAttr, type XmlHandler } from './events.js'

/** ASCII classes: 1 = NameStartChar, 2 = NameChar, 4 = white space. */
const ASCII = new Uint8Array(128)
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c)
  if (/[A-Za-z_:]/.test(ch)) ASCII[c] = 3
  else if (/[0-9.-]/.test(ch)) ASCII[c] = 2
  else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) ASCII[c] = 4
}

/** NameStartChar of XML 1.0 (fifth edition) for one UTF-16 code unit above ASCII (pairs: caller). */
function isNameStartBmp(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0xd6) || (c >= 0xd8 && c <= 0xf6) || (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) || (c >= 0x37f && c <= 0x1fff) || c === 0x200c || c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) || (c >= 0x2c00 && c <= 0x2fef) || (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) || (c >= 0xfdf0 && c <= 0xfffd)
  )
}

function isNameCharBmp(c: number): boolean {
  return isNameStartBmp(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040
}

// Character codes.
const TAB = 9
const LF = 10
const CR = 13
const SPACE = 32
const BANG = 33
const QUOT = 34
const HASH = 35
const AMP = 38
const APOS = 39
const DASH = 45
const SLASH = 47
const SEMI = 59
const LT = 60
const EQ = 61
const GT = 62
const QUESTION = 63
const RBRACKET = 93

/**
 * The buffer text with references is copied into, and its decoder: made on first use and shared by
 * every scan (a scan per message made an 8 KB buffer and an ICU converter for each: about 3 % of an
 * Inform's decode, D28). ignoreBOM: a U+FEFF at the start of a text is a character of it, not a byte-order mark.
 */
let referenceUnits: Uint16Array | undefined
let utf16: InstanceType<typeof TextDecoder> | undefined

/** Reused between calls: the raw attribute names, values, start offsets and colon positions of the tag being read. */
const attrNames: string[] = []
const attrValues: string[] = []
const attrStarts: number[] = []
const attrColons: number[] = []

/**
 * Scan `xml` and report it to `handler`, or throw a {@link DecodeError}.
 *
 * @internal
 */
export function scanXmlEvents(xml: string, limits: DecodeLimits, handler: XmlHandler): void {
  const { maxDepth, maxElements, maxTextLength, maxAttributes } = limits
  const len = xml.length
  if (len > limits.maxBytes) {
    throw new DecodeError('ERR_CWMP_LIMIT_EXCEEDED', `input of ${len} characters exceeds maxBytes ${limits.maxBytes}`)
  }

  // Positions: a cursor that only moves forward, so computing every start tag's position is linear.
  // Lines end at LF, CR LF or CR; columns count code points, as saxes does.
  let pOff = 0
  let pLine = 1
  let pCol = 0
  // Without CR and surrogates (the usual message) a column is an offset from the line's start, and
  // lines are found with indexOf; otherwise every character is looked at once.
  // Pure: no CR, no surrogate and no character XML 1.0 disallows (the usual message). Text then
  // needs no per-character look: the next `&` and `]]>` are found with indexOf, once each (D23).
  const pure = isPure(xml)
  const simple = pure || !/[\r\ud800-\udfff]/.test(xml)
  let lineStart = 0
  let nextNl = -1
  const lfFrom = (from: number): number => {
    const nl = xml.indexOf('\n', from)
    return nl === -1 ? len : nl
  }
  const moveTo = (to: number): void => {
    if (to < pOff) {
      pOff = 0
      pLine = 1
      pCol = 0
      lineStart = 0
      nextNl = -1
    }
    if (simple) {
      // nextNl: the first LF at or after pOff (len when none), found once per line.
      if (nextNl < pOff) nextNl = lfFrom(pOff)
      while (nextNl < to) {
        pLine++
        lineStart = nextNl + 1
        nextNl = lfFrom(lineStart)
      }
      pOff = to
      pCol = to - lineStart
      return
    }
    let line = pLine
    let col = pCol
    for (let i = pOff; i < to; i++) {
      const c = xml.charCodeAt(i)
      if (c === LF) {
        line++
        col = 0
      } else if (c === CR) {
        if (xml.charCodeAt(i + 1) !== LF) {
          line++
          col = 0
        }
      } else if ((c & 0xfc00) !== 0xdc00 || i === 0 || (xml.charCodeAt(i - 1) & 0xfc00) !== 0xd800) {
        col++
      }
    }
    pOff = to
    pLine = line
    pCol = col
  }
  const error = (code: 'ERR_CWMP_XML_MALFORMED' | 'ERR_CWMP_LIMIT_EXCEEDED' | 'ERR_CWMP_DOCTYPE', at: number, message: string): never => {
    moveTo(Math.min(at, len))
    throw new DecodeError(code, message, { line: pLine, column: pCol + 1 })
  }
  const fail = (at: number, message: string): never => error('ERR_CWMP_XML_MALFORMED', at, message)
  const limit = (at: number, message: string): never => error('ERR_CWMP_LIMIT_EXCEEDED', at, message)

  /** The index of the first character of `xml[from, to)` that is not an XML 1.0 Char, or -1. */
  const badChar = (from: number, to: number): number => {
    for (let i = from; i < to; i++) {
      const c = xml.charCodeAt(i)
      if (c >= 0x20) {
        if (c < 0xd800) continue
        if (c <= 0xdbff) {
          const d = xml.charCodeAt(i + 1)
          if (i + 1 < to && d >= 0xdc00 && d <= 0xdfff) {
            i++
            continue
          }
          return i
        }
        if (c <= 0xdfff || c >= 0xfffe) return i
      } else if (c !== TAB && c !== LF && c !== CR) {
        return i
      }
    }
    return -1
  }
  const checkChars = (from: number, to: number): void => {
    if (pure) return
    const bad = badChar(from, to)
    if (bad !== -1) fail(bad, 'disallowed character.')
  }

  /** Where the last name scanned has its first colon (an index in the input), or -1. */
  let nameColon = -1
  /** The end of the Name starting at `i`, which must start one; sets {@link nameColon}. */
  const scanName = (i: number): number => {
    nameColon = -1
    let c = xml.charCodeAt(i)
    if (c < 128) {
      if (((ASCII[c] as number) & 1) === 0) fail(i, 'disallowed character in name.')
      if (c === 0x3a) nameColon = i
      i++
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const d = xml.charCodeAt(i + 1)
      if (!(d >= 0xdc00 && d <= 0xdfff) || c > 0xdb7f) fail(i, 'disallowed character in name.')
      i += 2
    } else if (isNameStartBmp(c)) {
      i++
    } else {
      fail(i, 'disallowed character in name.')
    }
    for (; i < len; i++) {
      c = xml.charCodeAt(i)
      if (c < 128) {
        if (((ASCII[c] as number) & 2) === 0) return i
        // The first colon, found here rather than by a second pass over the name (D28).
        if (c === 0x3a && nameColon === -1) nameColon = i
      } else if (c >= 0xd800 && c <= 0xdbff) {
        const d = xml.charCodeAt(i + 1)
        if (!(d >= 0xdc00 && d <= 0xdfff) || c > 0xdb7f) return i
        i++
      } else if (!isNameCharBmp(c)) {
        return i
      }
    }
    return i
  }
  const skipSpace = (i: number): number => {
    while (i < len) {
      const c = xml.charCodeAt(i)
      if (c !== SPACE && c !== LF && c !== TAB && c !== CR) break
      i++
    }
    return i
  }

  /**
   * The character a reference at `amp` stands for; sets `refEnd` to the index after its `;`.
   *
   * A character reference may have any number of leading zeros (XML 1.0 [66]), so its digits are read
   * up to the first non-digit, never searched for a `;` ahead. Its length is bounded by maxTextLength
   * (or 12, the longest reference without leading zeros, whichever is larger): a limit, not a
   * malformation. Once the value is above 0x10FFFF it stops accumulating, so it cannot lose precision.
   */
  let refEnd = 0
  const reference = (amp: number): string => {
    if (xml.charCodeAt(amp + 1) === HASH) {
      const hex = xml.charCodeAt(amp + 2) === 0x78
      const from = hex ? amp + 3 : amp + 2
      const base = hex ? 16 : 10
      let code = 0
      let i = from
      for (; i < len; i++) {
        const c = xml.charCodeAt(i)
        let digit: number
        if (c >= 0x30 && c <= 0x39) digit = c - 0x30
        else if (hex && c >= 0x61 && c <= 0x66) digit = c - 0x57
        else if (hex && c >= 0x41 && c <= 0x46) digit = c - 0x37
        else break
        if (code <= 0x10ffff) code = code * base + digit
      }
      if (i - amp > 12 && i - amp > maxTextLength) {
        limit(amp, `character reference longer than maxTextLength ${maxTextLength}`)
      }
      if (i >= len) fail(amp, 'unterminated entity reference.')
      if (i === from || xml.charCodeAt(i) !== SEMI) fail(amp, 'malformed character entity.')
      refEnd = i + 1
      if (
        !(code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0xd7ff) ||
          (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff))
      ) {
        fail(amp, 'malformed character entity.')
      }
      return String.fromCodePoint(code)
    }
    // The three predefined entities text escapes, read without a slice.
    const c1 = xml.charCodeAt(amp + 1)
    const c2 = xml.charCodeAt(amp + 2)
    const c3 = xml.charCodeAt(amp + 3)
    if (c3 === SEMI && c2 === 0x74 && (c1 === 0x6c || c1 === 0x67)) {
      refEnd = amp + 4
      return c1 === 0x6c ? '<' : '>'
    }
    if (c1 === 0x61 && c2 === 0x6d && c3 === 0x70 && xml.charCodeAt(amp + 4) === SEMI) {
      refEnd = amp + 5
      return '&'
    }
    const semi = xml.indexOf(';', amp + 1)
    // The longest entity reference is &quot; (6 characters): a `;` further away is not this reference's.
    if (semi === -1 || semi - amp > 12) fail(amp, 'unterminated entity reference.')
    refEnd = semi + 1
    switch (xml.slice(amp + 1, semi)) {
      case 'amp': return '&'
      case 'lt': return '<'
      case 'gt': return '>'
      case 'quot': return '"'
      case 'apos': return "'"
      default: return fail(amp, 'undefined entity.')
    }
  }

  /** For each open element, its raw name, namespace scope and the element count before it opened. */
  const names: string[] = []
  const scopes: NsScope[] = []
  const counts: number[] = []
  const textLengths: number[] = []
  let current: NsScope = ROOT_SCOPE
  let textLength = 0
  let elements = 0
  let depth = 0
  let sawRoot = false

  const emitText = (text: string, at: number): void => {
    const length = textLength + text.length
    if (length > maxTextLength) limit(at, `character data longer than maxTextLength ${maxTextLength}`)
    textLength = length
    handler.text(text)
  }

  /** In pure input: the next `&` and `]]>` at or after the text being read (len when none). */
  let nextAmp = -1
  let nextCdataEnd = -1
  const indexFrom = (what: string, from: number): number => {
    const at = xml.indexOf(what, from)
    return at === -1 ? len : at
  }

  /** Read character data from `i` to the next `<` (or the end), report it; returns the `<`'s index. */
  const scanText = (i: number): number => {
    if (depth === 0) {
      // Outside the root element only white space may appear.
      const j = skipSpace(i)
      if (j < len && xml.charCodeAt(j) !== LT) fail(j, 'text data outside of root node.')
      return j
    }
    if (pure) {
      let lt = xml.indexOf('<', i)
      if (lt === -1) lt = len
      if (nextAmp < i) nextAmp = indexFrom('&', i)
      if (nextAmp < lt) return scanTextWithReferences(i, nextAmp)
      if (nextCdataEnd < i) nextCdataEnd = indexFrom(']]>', i)
      if (nextCdataEnd < lt) fail(nextCdataEnd, 'the string "]]>" is disallowed in char data.')
      const over = textLength + (lt - i) - maxTextLength
      if (over > 0) limit(lt - over, `character data longer than maxTextLength ${maxTextLength}`)
      emitText(xml.slice(i, lt), lt)
      return lt
    }
    let start = i
    let out = ''
    let hasCr = false
    for (;;) {
      if (i >= len) break
      const c = xml.charCodeAt(i)
      if (c === LT) break
      if (c === AMP) return scanTextWithReferences(start, i)
      if (c >= 0x20) {
        if (c === RBRACKET) {
          if (xml.charCodeAt(i + 1) === RBRACKET && xml.charCodeAt(i + 2) === GT) {
            fail(i, 'the string "]]>" is disallowed in char data.')
          }
        } else if (c >= 0xd800) {
          if (c <= 0xdbff) {
            const d = xml.charCodeAt(i + 1)
            if (d >= 0xdc00 && d <= 0xdfff) {
              i += 2
              continue
            }
            fail(i, 'disallowed character.')
          } else if (c <= 0xdfff || c >= 0xfffe) {
            fail(i, 'disallowed character.')
          }
        }
      } else if (c === CR) {
        hasCr = true
      } else if (c !== LF && c !== TAB) {
        fail(i, 'disallowed character.')
      }
      i++
    }
    if (start !== i) {
      // Checked before the slice is made: the character that crosses the limit is the error's.
      const over = textLength + out.length + (i - start) - maxTextLength
      if (over > 0 && !hasCr) limit(i - over, `character data longer than maxTextLength ${maxTextLength}`)
      const rest = hasCr ? crlf(xml.slice(start, i)) : xml.slice(start, i)
      out = out.length === 0 ? rest : out + rest
    }
    if (out.length !== 0) emitText(out, i)
    return i
  }

  /**
   * The rest of {@link scanText} once a reference is met at `amp` (the text began at `start`): the
   * characters are copied, as they are checked, into one UTF-16 buffer with the references'
   * characters and line ends normalised, then decoded once. Appending a string per reference cost
   * about 10× plain text for a text of `&amp;`s (D439).
   */
  const scanTextWithReferences = (start: number, amp: number): number => {
    let units = referenceUnits ??= new Uint16Array(4096)
    let n = 0
    const room = (more: number): void => {
      if (n + more <= units.length) return
      const next = new Uint16Array(Math.max(units.length * 2, n + more))
      next.set(units.subarray(0, n))
      units = next
      // The grown buffer is kept for the next text up to 64 K units; a larger one is this text's only.
      if (next.length <= 65536) referenceUnits = next
    }
    // What came before the reference, as scanText checked it; line ends normalised.
    room(amp - start)
    for (let k = start; k < amp; k++) {
      const c = xml.charCodeAt(k)
      if (c === CR) {
        if (xml.charCodeAt(k + 1) !== LF) units[n++] = LF
      } else {
        units[n++] = c
      }
    }
    let i = amp
    for (;;) {
      if (i >= len) break
      const c = xml.charCodeAt(i)
      if (c === LT) break
      if (c === AMP) {
        const ch = reference(i)
        room(2)
        units[n++] = ch.charCodeAt(0)
        if (ch.length === 2) units[n++] = ch.charCodeAt(1)
        if (textLength + n > maxTextLength) limit(i, `character data longer than maxTextLength ${maxTextLength}`)
        i = refEnd
        continue
      }
      if (textLength + n >= maxTextLength) limit(i, `character data longer than maxTextLength ${maxTextLength}`)
      if (n === units.length) room(1)
      if (c >= 0x20) {
        if (c === RBRACKET) {
          if (xml.charCodeAt(i + 1) === RBRACKET && xml.charCodeAt(i + 2) === GT) {
            fail(i, 'the string "]]>" is disallowed in char data.')
          }
        } else if (c >= 0xd800) {
          if (c <= 0xdbff) {
            const d = xml.charCodeAt(i + 1)
            if (d >= 0xdc00 && d <= 0xdfff) {
              room(2)
              units[n++] = c
              units[n++] = d
              i += 2
              continue
            }
            fail(i, 'disallowed character.')
          } else if (c <= 0xdfff || c >= 0xfffe) {
            fail(i, 'disallowed character.')
          }
        }
        units[n++] = c
      } else if (c === CR) {
        if (xml.charCodeAt(i + 1) !== LF) units[n++] = LF
      } else if (c === LF || c === TAB) {
        units[n++] = c
      } else {
        fail(i, 'disallowed character.')
      }
      i++
    }
    // Decoded into a string before emitText hands it to the handler: a handler that scans another
    // document meanwhile (an onItem callback decoding) cannot see this buffer half-written.
    if (n !== 0) emitText((utf16 ??= new TextDecoder('utf-16le', { ignoreBOM: true })).decode(units.subarray(0, n)), i)
    return i
  }

  /** Read an attribute value whose opening quote is at `q`; returns the index after the closing quote. */
  let attrValue = ''
  const scanAttrValue = (q: number): number => {
    const quote = xml.charCodeAt(q)
    if (quote !== QUOT && quote !== APOS) fail(q, 'unquoted attribute value.')
    const end = xml.indexOf(quote === QUOT ? '"' : "'", q + 1)
    if (end === -1) fail(len, 'unclosed tag.')
    let start = q + 1
    let out = ''
    let i = start
    for (; i < end; i++) {
      const c = xml.charCodeAt(i)
      if (c >= 0x20) {
        if (c === LT) fail(i, 'disallowed character.')
        if (c === AMP) {
          const ch = reference(i)
          if (refEnd > end) fail(i, 'unterminated entity reference.')
          out += xml.slice(start, i) + ch
          i = refEnd - 1
          start = refEnd
        } else if (c >= 0xd800) {
          if (c <= 0xdbff) {
            const d = xml.charCodeAt(i + 1)
            if (i + 1 < end && d >= 0xdc00 && d <= 0xdfff) {
              i++
              continue
            }
            fail(i, 'disallowed character.')
          } else if (c <= 0xdfff || c >= 0xfffe) {
            fail(i, 'disallowed character.')
          }
        }
      } else if (c === TAB || c === LF || c === CR) {
        // Attribute-value normalisation: each white-space character (CR LF as one) becomes a space.
        out += xml.slice(start, i) + ' '
        if (c === CR && xml.charCodeAt(i + 1) === LF) i++
        start = i + 1
      } else {
        fail(i, 'disallowed character.')
      }
    }
    attrValue = out.length === 0 ? xml.slice(start, end) : out + xml.slice(start, end)
    return end + 1
  }

  /** Read a start tag whose `<` is at `lt`; returns the index after its `>`. */
  const startTag = (lt: number): number => {
    if (depth === 0 && sawRoot) fail(lt, 'documents may contain only one root.')
    const nameEnd = scanName(lt + 1)
    const qname = xml.slice(lt + 1, nameEnd)
    const colon = nameColon === -1 ? -1 : nameColon - lt - 1
    let i = nameEnd
    let count = 0
    let selfClosing = false
    for (;;) {
      const j = skipSpace(i)
      const c = xml.charCodeAt(j)
      if (c === GT) {
        i = j + 1
        break
      }
      if (c === SLASH) {
        if (xml.charCodeAt(j + 1) !== GT) fail(j + 1, 'forward-slash in opening tag not followed by >.')
        selfClosing = true
        i = j + 2
        break
      }
      if (j >= len) fail(len, `unclosed tag: ${qname}`)
      if (j === i) fail(j, 'no whitespace between attributes.')
      if (++count > maxAttributes) limit(j, `more than maxAttributes ${maxAttributes} attributes on <${qname}>`)
      const an = scanName(j)
      const name = xml.slice(j, an)
      attrColons[count - 1] = nameColon === -1 ? -1 : nameColon - j
      let k = skipSpace(an)
      if (xml.charCodeAt(k) !== EQ) fail(k, 'attribute without value.')
      k = skipSpace(k + 1)
      i = scanAttrValue(k)
      // Duplicate raw names (saxes's check); bounded by maxAttributes, and a Set past a few.
      if (count <= 8) {
        for (let a = 0; a < count - 1; a++) if (attrNames[a] === name) fail(j, `duplicate attribute: ${name}.`)
      } else if (count === 9) {
        seen.clear()
        for (let a = 0; a < 8; a++) seen.add(attrNames[a] as string)
      }
      if (count > 8) {
        if (seen.has(name)) fail(j, `duplicate attribute: ${name}.`)
        seen.add(name)
      }
      attrNames[count - 1] = name
      attrValues[count - 1] = attrValue
      attrStarts[count - 1] = j
    }
    if (++elements > maxElements) limit(i - 1, `more than maxElements ${maxElements} elements`)
    if (depth >= maxDepth) limit(i - 1, `nesting deeper than maxDepth ${maxDepth}`)
    counts.push(elements - 1)
    const parentScope = current
    let scope = parentScope
    let others = 0
    for (let a = 0; a < count; a++) {
      const name = attrNames[a] as string
      if (name.charCodeAt(0) === 0x78 && (name === 'xmlns' || name.startsWith('xmlns:'))) {
        if (scope === parentScope) scope = { parent: parentScope, bindings: new Map(), defaultNs: parentScope.defaultNs }
        errAt = attrStarts[a] as number
        const prefix = name === 'xmlns' ? '' : name.slice(6)
        if (name !== 'xmlns' && prefix === '') failHere('xmlns: declares no prefix')
        const value = attrValues[a] as string
        declarePrefix(scope.bindings as Map<string, string>, prefix, value, failHere)
        if (prefix === '') (scope as { defaultNs: string }).defaultNs = scope.bindings.get('') as string
      } else {
        others++
      }
    }
    let ns: string
    let local: string
    if (colon === -1) {
      ns = scope.defaultNs
      local = qname
    } else {
      errAt = lt + 1
      ns = resolvePrefix(qname, colon, scope, failHere)
      local = qname.slice(colon + 1)
    }
    let attrs: XmlAttr[] | undefined
    if (others !== 0) {
      attrs = []
      // Prefixed names compared one by one while few (bounded by 8), in a Set past that.
      let expanded: Set<string> | undefined
      let prefixed = 0
      for (let n = 0; n < count; n++) {
        const name = attrNames[n] as string
        if (name.charCodeAt(0) === 0x78 && (name === 'xmlns' || name.startsWith('xmlns:'))) continue
        const c = attrColons[n] as number
        const value = attrValues[n] as string
        errAt = attrStarts[n] as number
        const a: XmlAttr =
          c === -1
            ? { ns: '', local: name, value }
            : { ns: resolvePrefix(name, c, scope, failHere), local: name.slice(c + 1), value }
        // Unprefixed names are unique already (raw names were checked): compare prefixed ones only.
        if (c !== -1) {
          if (++prefixed <= 8) {
            for (const b of attrs) if (a.local === b.local && a.ns === b.ns) failHere(`duplicate attribute {${a.ns}}${a.local}`)
          } else {
            if (expanded === undefined) {
              expanded = new Set()
              for (const b of attrs) if (b.ns !== '') expanded.add(`{${b.ns}}${b.local}`)
            }
            const key = `{${a.ns}}${a.local}`
            if (expanded.has(key)) failHere(`duplicate attribute ${key}`)
            expanded.add(key)
          }
        }
        attrs.push(a)
      }
    }
    for (let a = 0; a < count; a++) attrValues[a] = ''
    sawRoot = true
    names.push(qname)
    scopes.push(scope)
    current = scope
    if (depth !== 0) textLengths.push(textLength)
    textLength = 0
    depth++
    moveTo(i)
    handler.startElement(ns, local, attrs, scope, pLine, pCol + 1)
    if (selfClosing) endElement()
    return i
  }
  const seen = new Set<string>()
  /** Where a namespace error found after the tag was read is reported: the name it is about. */
  let errAt = 0
  const failHere = (message: string): never => fail(errAt, message)

  const endElement = (): void => {
    names.pop()
    scopes.pop()
    const before = counts.pop() as number
    depth--
    current = depth === 0 ? ROOT_SCOPE : (scopes[depth - 1] as NsScope)
    textLength = depth === 0 ? 0 : (textLengths.pop() as number)
    if (handler.endElement()) elements = before
  }

  /** Read an end tag whose `<` is at `lt`; returns the index after its `>`. */
  const endTag = (lt: number): number => {
    const top = names[depth - 1]
    const from = lt + 2
    // The usual end tag, `</name>` of the open element: `>` is not a name character, so the name is that one.
    // Compared with indexOf from where it must be: 26 ns for a name of 20 characters, against 85 ns
    // for a loop of charCodeAt and 70 ns for startsWith (D29). Where the name is not there, indexOf
    // looks further, but only once: that end tag is an error.
    if (top !== undefined && xml.charCodeAt(from + top.length) === GT && xml.indexOf(top, from) === from) {
      endElement()
      return from + top.length + 1
    }
    const end = scanName(from)
    if (top === undefined || end - from !== top.length || !xml.startsWith(top, from)) fail(end, 'unexpected close tag.')
    const gt = skipSpace(end)
    if (gt >= len) fail(len, `unclosed tag: ${top as string}`)
    if (xml.charCodeAt(gt) !== GT) fail(gt, 'disallowed character in closing tag.')
    endElement()
    return gt + 1
  }

  const comment = (lt: number): number => {
    const from = lt + 4
    let k = from
    for (;;) {
      k = xml.indexOf('--', k)
      if (k === -1) fail(len, 'unclosed comment.')
      if (xml.charCodeAt(k + 2) === GT) break
      fail(k, 'malformed comment.')
    }
    checkChars(from, k)
    return k + 3
  }

  const cdata = (lt: number): number => {
    if (depth === 0) fail(lt, 'text data outside of root node.')
    const from = lt + 9
    const end = xml.indexOf(']]>', from)
    if (end === -1) fail(len, 'unclosed CDATA section.')
    checkChars(from, end)
    if (end !== from) {
      const raw = xml.slice(from, end)
      emitText(raw.indexOf('\r') === -1 ? raw : crlf(raw), end)
    }
    return end + 3
  }

  const pi = (lt: number, atStart: boolean): number => {
    const from = lt + 2
    const nameEnd = scanName(from)
    const target = xml.slice(from, nameEnd)
    if (target.length === 3 && target.toLowerCase() === 'xml') {
      if (!atStart || target !== 'xml') fail(nameEnd, 'an XML declaration must be at the start of the document.')
      return xmlDecl(nameEnd)
    }
    const end = xml.indexOf('?>', nameEnd)
    if (end === -1) fail(len, 'unclosed processing instruction.')
    if (end !== nameEnd) {
      const c = xml.charCodeAt(nameEnd)
      if (c !== SPACE && c !== LF && c !== TAB && c !== CR) fail(nameEnd, 'processing instruction without whitespace after target.')
      checkChars(nameEnd, end)
    }
    return end + 2
  }

  const xmlDecl = (i: number): number => {
    const end = xml.indexOf('?>', i)
    if (end === -1) fail(len, 'unclosed XML declaration.')
    checkChars(i, end)
    const body = xml.slice(i, end)
    const m = /^(?:[ \t\r\n]+version[ \t\r\n]*=[ \t\r\n]*(?:"(1\.[0-9]+)"|'(1\.[0-9]+)'))(?:[ \t\r\n]+encoding[ \t\r\n]*=[ \t\r\n]*(?:"[A-Za-z][A-Za-z0-9._-]*"|'[A-Za-z][A-Za-z0-9._-]*'))?(?:[ \t\r\n]+standalone[ \t\r\n]*=[ \t\r\n]*(?:"(?:yes|no)"|'(?:yes|no)'))?[ \t\r\n]*$/.exec(body)
    if (m === null) fail(i, 'malformed XML declaration.')
    return end + 2
  }

  // Elements the handler reads straight from the text (events.ts, D29): pure input only, where a
  // text needs no per-character look.
  const rawDepth = pure && handler.readRaw !== undefined ? (handler.rawDepth ?? -1) : -1

  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0
  const start = i
  while (i < len) {
    const c = xml.charCodeAt(i)
    if (c !== LT) {
      i = scanText(i)
      continue
    }
    const d = xml.charCodeAt(i + 1)
    if (d === SLASH) {
      if (depth === 0) fail(i + 1, 'unexpected close tag.')
      i = endTag(i)
    } else if (d === BANG) {
      if (xml.startsWith('--', i + 2)) i = comment(i)
      else if (xml.startsWith('[CDATA[', i + 2)) i = cdata(i)
      else if (xml.startsWith('DOCTYPE', i + 2)) {
        error('ERR_CWMP_DOCTYPE', i, 'document type declarations are not allowed in a SOAP message')
      } else fail(i + 2, 'malformed markup declaration.')
    } else if (d === QUESTION) {
      i = pi(i, i === start)
    } else {
      if (depth === rawDepth) {
        const end = (handler.readRaw as NonNullable<XmlHandler['readRaw']>)(xml, i, current, maxElements - elements, maxDepth - depth, limits)
        if (end !== -1) {
          i = end
          continue
        }
      }
      i = startTag(i)
    }
  }
  if (depth !== 0) fail(len, `unclosed tag: ${names[depth - 1] as string}`)
  if (!sawRoot) fail(len, 'no root element')
}

/** The control characters XML 1.0 disallows, and CR: each is looked for with indexOf in {@link isPure}. */
const IMPURE_CONTROLS: readonly string[] = Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)).filter(
  (ch) => ch !== '\t' && ch !== '\n',
)
const IMPURE_HIGH = /[\ud800-\udfff\ufffe\uffff]/

/**
 * No CR, no surrogate and no character XML 1.0 disallows. One indexOf per control character (30)
 * took half the time of one character class over the text (47 against 104 µs on 180 KB, 550 against
 * 1,140 µs on 1.8 MB: indexOf is vectorised, a class is not); the high characters are one class,
 * which V8 answers without a look at a text whose characters are all below U+0100 (D29).
 */
function isPure(xml: string): boolean {
  for (let k = 0; k < IMPURE_CONTROLS.length; k++) if (xml.indexOf(IMPURE_CONTROLS[k] as string) !== -1) return false
  return !IMPURE_HIGH.test(xml)
}

/** Line-end normalisation of input text (a CR from `&#13;` is not touched: it is not in the input). */
function crlf(s: string): string {
  return s.replace(/\r\n?/g, '\n')
}



/**
 * The character data of `xml[from, to)`, which holds no `<` and at least one `&`, in input the
 * scanner calls pure (no CR, surrogate or disallowed character), with its references replaced; or
 * `undefined` when a reference is not one of the five predefined entities or a character reference
 * of at most 12 characters to an XML 1.0 Char. For {@link XmlHandler.readRaw}: on `undefined` the
 * handler leaves the element to the scanner, which reports the error. @internal
 */
export function pureReferencedText(xml: string, from: number, to: number): string | undefined {
  let out = ''
  let start = from
  let amp = xml.indexOf('&', from)
  while (amp !== -1 && amp < to) {
    let semi = amp + 1
    const last = Math.min(amp + 12, to - 1)
    while (semi <= last && xml.charCodeAt(semi) !== SEMI) semi++
    if (semi > last) return undefined
    let ch: string
    if (xml.charCodeAt(amp + 1) === HASH) {
      const hex = xml.charCodeAt(amp + 2) === 0x78
      const digits = xml.slice(hex ? amp + 3 : amp + 2, semi)
      if (!(hex ? /^[0-9A-Fa-f]+$/ : /^[0-9]+$/).test(digits)) return undefined
      const code = parseInt(digits, hex ? 16 : 10)
      if (
        !(code === 9 || code === 10 || code === 13 || (code >= 0x20 && code <= 0xd7ff) ||
          (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff))
      ) {
        return undefined
      }
      ch = String.fromCodePoint(code)
    } else {
      const entity = predefined(xml, amp + 1, semi)
      if (entity === undefined) return undefined
      ch = entity
    }
    out += xml.slice(start, amp) + ch
    start = semi + 1
    amp = xml.indexOf('&', start)
  }
  return start === to ? out : out + xml.slice(start, to)
}

/** The character of the predefined entity named by `xml[from, to)`, read without a slice (a slice and a Map lookup took 4 % of a list's decode). */
function predefined(xml: string, from: number, to: number): string | undefined {
  const c1 = xml.charCodeAt(from)
  const c2 = xml.charCodeAt(from + 1)
  switch (to - from) {
    case 2:
      if (c2 === 0x74 && c1 === 0x6c) return '<' // lt
      if (c2 === 0x74 && c1 === 0x67) return '>' // gt
      return undefined
    case 3:
      return c1 === 0x61 && c2 === 0x6d && xml.charCodeAt(from + 2) === 0x70 ? '&' : undefined // amp
    case 4: {
      const c3 = xml.charCodeAt(from + 2)
      const c4 = xml.charCodeAt(from + 3)
      if (c1 === 0x71 && c2 === 0x75 && c3 === 0x6f && c4 === 0x74) return '"' // quot
      if (c1 === 0x61 && c2 === 0x70 && c3 === 0x6f && c4 === 0x73) return "'" // apos
      return undefined
    }
    default:
      return undefined
  }
}
