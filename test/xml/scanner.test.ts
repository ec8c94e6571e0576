/*
 * The XML scanner (src/xml/scanner.ts): malformed inputs with their error code and the position of
 * the offending character, and the costly shapes of issue 9 item 5 (limits checked while scanning,
 * work linear in the input: asserted by what is reported and where it stops, never by time).
 */
import { describe, expect, it } from 'vitest'
import { decodeEnvelope } from '../../src/envelope/decode.js'
import { isCwmpError } from '../../src/errors.js'
import { DEFAULT_LIMITS, type DecodeLimits, type XmlHandler } from '../../src/xml/events.js'
import { readXmlEvents } from '../../src/xml/saxes-events.js'
import { scanXmlEvents } from '../../src/xml/scanner.js'

function errorOf(fn: () => unknown): { code: string; line?: number; column?: number; message: string } {
  try {
    fn()
  } catch (e) {
    if (isCwmpError(e)) return e as unknown as { code: string; line?: number; column?: number; message: string }
    throw e
  }
  throw new Error('expected an error')
}

/** A handler that counts what it is given. */
function counter(): XmlHandler & { starts: number; texts: number; chars: number; ends: number } {
  return {
    starts: 0,
    texts: 0,
    chars: 0,
    ends: 0,
    startElement() {
      this.starts++
    },
    text(t: string) {
      this.texts++
      this.chars += t.length
    },
    endElement() {
      this.ends++
      return false
    },
  }
}

const scan = (xml: string, limits: DecodeLimits = DEFAULT_LIMITS) => errorOf(() => scanXmlEvents(xml, limits, counter()))

describe('malformed input: error code and the line:column of the offending character', () => {
  const TABLE: readonly [string, string, number, number][] = [
      ["", 'XML_MALFORMED', 1, 1], // no root element
      ["   ", 'XML_MALFORMED', 1, 4], // no root element
      ["x", 'XML_MALFORMED', 1, 1], // text data outside of root node.
      ["<a>", 'XML_MALFORMED', 1, 4], // unclosed tag: a
      ["<a></b>", 'XML_MALFORMED', 1, 7], // unexpected close tag.
      ["<a>\n  <b></a>", 'XML_MALFORMED', 2, 9], // unexpected close tag.
      ["<a>&</a>", 'XML_MALFORMED', 1, 4], // unterminated entity reference.
      ["<a>x &amp y</a>", 'XML_MALFORMED', 1, 6], // unterminated entity reference.
      ["<a>&bogus;</a>", 'XML_MALFORMED', 1, 4], // undefined entity.
      ["<a>&#0;</a>", 'XML_MALFORMED', 1, 4], // malformed character entity.
      ["<a>&#xD800;</a>", 'XML_MALFORMED', 1, 4], // malformed character entity.
      ["<a>&#x110000;</a>", 'XML_MALFORMED', 1, 4], // malformed character entity.
      ["<a>&#x0000000000110000;</a>", 'XML_MALFORMED', 1, 4], // malformed character entity (leading zeros, too large).
      ["<a>&#99999999999999999999999;</a>", 'XML_MALFORMED', 1, 4], // malformed character entity (beyond 2^53).
      ["<a>&#x000000000000000D800;</a>", 'XML_MALFORMED', 1, 4], // malformed character entity (a surrogate).
      ["<a>&#x0000000000000041 ;</a>", 'XML_MALFORMED', 1, 4], // malformed character entity.
      ["<a x=\"&#x000000000000041\"/>", 'XML_MALFORMED', 1, 7], // malformed character entity (the quote ends it).
      ["<a>&#x000000000000041", 'XML_MALFORMED', 1, 4], // unterminated entity reference.
      ["<a>]]></a>", 'XML_MALFORMED', 1, 4], // the string "]]>" is disallowed in char data.
      ["<a>\u0001</a>", 'XML_MALFORMED', 1, 4], // disallowed character.
      ["<a>\ud800</a>", 'XML_MALFORMED', 1, 4], // disallowed character.
      ["<a>\udc00x</a>", 'XML_MALFORMED', 1, 4], // disallowed character.
      ["<a>￿</a>", 'XML_MALFORMED', 1, 4], // disallowed character.
      ["<!\ud800", 'XML_MALFORMED', 1, 3], // malformed markup declaration.
      ["<!DOCTYPE a><a/>", 'DOCTYPE', 1, 1], // document type declarations are not allowed in a SOAP message
      ["<a/>\n<!DOCTYPE a>", 'DOCTYPE', 2, 1], // document type declarations are not allowed in a SOAP message
      ["<a><!-- a -- b --></a>", 'XML_MALFORMED', 1, 11], // malformed comment.
      ["<a><!-- x", 'XML_MALFORMED', 1, 10], // unclosed comment.
      ["<a><![CDATA[x</a>", 'XML_MALFORMED', 1, 18], // unclosed CDATA section.
      ["<![CDATA[x]]><a/>", 'XML_MALFORMED', 1, 1], // text data outside of root node.
      ["<a x=\"1\"y=\"2\"/>", 'XML_MALFORMED', 1, 9], // no whitespace between attributes.
      ["<a x=\"1\" x=\"2\"/>", 'XML_MALFORMED', 1, 10], // duplicate attribute: x.
      ["<a x=1/>", 'XML_MALFORMED', 1, 6], // unquoted attribute value.
      ["<a x=\"<\"/>", 'XML_MALFORMED', 1, 7], // disallowed character.
      ["<a x=\"1\"", 'XML_MALFORMED', 1, 9], // unclosed tag: a
      ["<a/ >", 'XML_MALFORMED', 1, 4], // forward-slash in opening tag not followed by >.
      ["<1a/>", 'XML_MALFORMED', 1, 2], // disallowed character in name.
      ["<a></a x>", 'XML_MALFORMED', 1, 8], // disallowed character in closing tag.
      ["<a/><b/>", 'XML_MALFORMED', 1, 5], // documents may contain only one root.
      ["<a/>text", 'XML_MALFORMED', 1, 5], // text data outside of root node.
      [" <?xml version=\"1.0\"?><a/>", 'XML_MALFORMED', 1, 7], // an XML declaration must be at the start of the document.
      ["<?xml?><a/>", 'XML_MALFORMED', 1, 6], // malformed XML declaration.
      ["<?XML version=\"1.0\"?><a/>", 'XML_MALFORMED', 1, 6], // an XML declaration must be at the start of the document.
      ["<a><?xml x?></a>", 'XML_MALFORMED', 1, 9], // an XML declaration must be at the start of the document.
      ["<a><?pi x</a>", 'XML_MALFORMED', 1, 14], // unclosed processing instruction.
      ["<p:a/>", 'XML_MALFORMED', 1, 2], // namespace prefix p is not bound
      ["<a xmlns:p=\"\"/>", 'XML_MALFORMED', 1, 4], // prefix p cannot be bound to the empty namespace
      ["<a xmlns:=\"u\"/>", 'XML_MALFORMED', 1, 4], // xmlns: declares no prefix
      ["<a:b:c xmlns:a=\"u\"/>", 'XML_MALFORMED', 1, 2], // a:b:c is not a valid qualified name
      ["<a xmlns:xmlns=\"u\"/>", 'XML_MALFORMED', 1, 4], // the xmlns prefix cannot be declared
      ["<a xmlns:xml=\"urn:x\"/>", 'XML_MALFORMED', 1, 4], // the xml prefix must be bound to http://www.w3.org/XML/1998/namespace
      ["<a xmlns:p=\"http://www.w3.org/XML/1998/namespace\"/>", 'XML_MALFORMED', 1, 4], // the xml namespace cannot be bound to another prefix
      ["<a xmlns:p=\"http://www.w3.org/2000/xmlns/\"/>", 'XML_MALFORMED', 1, 4], // the xmlns namespace cannot be bound
      ["<a q:x=\"1\"/>", 'XML_MALFORMED', 1, 4], // namespace prefix q is not bound
      ["<a xmlns:p=\"u\" xmlns:q=\"u\" p:x=\"1\" q:x=\"2\"/>", 'XML_MALFORMED', 1, 36], // duplicate attribute {u}x
      ["<a>\r\n<b>", 'XML_MALFORMED', 2, 4], // unclosed tag: b
      // Pure input (no CR, surrogate or disallowed character): the next `&` and `]]>` are found once and
      // reused, so a `]]>` or `&` past a CDATA section, a comment or other text is still the error (D23).
      ["<a><![CDATA[x]]>y]]></a>", 'XML_MALFORMED', 1, 18], // the string "]]>" is disallowed in char data.
      ["<a><!-- ]]> -->x<b/>y]]></a>", 'XML_MALFORMED', 1, 22], // the string "]]>" is disallowed in char data.
      ["<a x=\"&amp;\">x<b/>y &amp z</a>", 'XML_MALFORMED', 1, 21], // unterminated entity reference.
      ["<a><![CDATA[&]]>&bogus;</a>", 'XML_MALFORMED', 1, 17], // undefined entity.
      ["<a>x</ab>", 'XML_MALFORMED', 1, 9], // unexpected close tag.
      ["<ab>x</a>", 'XML_MALFORMED', 1, 9], // unexpected close tag.
  ]
  it.each(TABLE)('%j → %s at %i:%i', (xml, code, line, column) => {
    expect(scan(xml)).toMatchObject({ code: `ERR_CWMP_${code}`, line, column })
  })

  it("a lone surrogate after '<!' is a coded error from both producers and from decodeEnvelope, not saxes's RangeError", () => {
    expect(errorOf(() => decodeEnvelope('<!\ud800'))).toMatchObject({ code: 'ERR_CWMP_XML_MALFORMED', line: 1, column: 3 })
    expect(errorOf(() => readXmlEvents('<!\ud800', DEFAULT_LIMITS, counter()))).toMatchObject({ code: 'ERR_CWMP_XML_MALFORMED' })
  })

  it('what is well-formed is reported: references, CDATA, line ends, attribute normalisation, namespaces', () => {
    const seen: string[] = []
    scanXmlEvents(
      '\ufeff<?xml version="1.0" encoding="UTF-8"?><!--c--><p:a xmlns:p="urn:p" xmlns="urn:d" p:x="a\tb\r\nc&#9;" y=\'&quot;\'>x&amp;&lt;&#x1F600;&#65;\r\ny\rz<![CDATA[<&]]><b/><?pi d?></p:a> ',
      DEFAULT_LIMITS,
      {
        startElement(ns, local, attrs, _s, line, column) {
          seen.push(`<{${ns}}${local} ${JSON.stringify(attrs)} ${line}:${column}`)
        },
        text(t) {
          seen.push(JSON.stringify(t))
        },
        endElement() {
          seen.push('>')
          return false
        },
      },
    )
    expect(seen.join(' ')).toBe(
      `<{urn:p}a [{"ns":"urn:p","local":"x","value":"a b c\\t"},{"ns":"","local":"y","value":"\\""}] 2:19 ` +
        `"x&<😀A\\ny\\nz" "<&" <{urn:d}b undefined 4:20 > >`,
    )
  })
})

describe('costly shapes (issue 9 item 5): limits checked while scanning, work linear in the input', () => {
  it('a huge attribute list stops at the attribute that crosses maxAttributes, not at the end of the tag', () => {
    const attrs = Array.from({ length: 200_000 }, (_, i) => ` a${i}="v"`).join('')
    const xml = `<r${attrs}/>`
    const err = scan(xml)
    expect(err.code).toBe('ERR_CWMP_LIMIT_EXCEEDED')
    // The 65th attribute starts after "<r" and 64 attributes: the scanner stopped there.
    const at = 2 + Array.from({ length: 64 }, (_, i) => ` a${i}="v"`).join('').length + 2
    expect(err).toMatchObject({ line: 1, column: at })
    // And through decodeEnvelope.
    expect(errorOf(() => decodeEnvelope(xml)).code).toBe('ERR_CWMP_LIMIT_EXCEEDED')
  })

  it('a comment of many "-x" pairs is one pass: accepted whole, or refused at its first "--"', () => {
    for (const n of [10_000, 1_000_000]) {
      const body = '-x'.repeat(n)
      const h = counter()
      scanXmlEvents(`<r><!--${body}--></r>`, DEFAULT_LIMITS, h)
      expect([h.starts, h.texts, h.ends]).toEqual([1, 0, 1])
      // The same pairs with one "--" inside: refused exactly there.
      const bad = `<r><!--${body}--${body}--></r>`
      expect(scan(bad)).toMatchObject({ code: 'ERR_CWMP_XML_MALFORMED', line: 1, column: 8 + body.length })
    }
  })

  it('10 MB of &amp; is refused where the decoded text crosses maxTextLength, and reported in one piece without a limit', () => {
    const n = 2_000_000 // 10 MB of input
    const xml = `<r>${'&amp;'.repeat(n)}</r>`
    const maxTextLength = 1_000_000
    const err = scan(xml, { ...DEFAULT_LIMITS, maxTextLength })
    expect(err.code).toBe('ERR_CWMP_LIMIT_EXCEEDED')
    // The reference that makes the text one character too long: the (max+1)-th, after "<r>".
    expect(err).toMatchObject({ line: 1, column: 4 + 5 * maxTextLength })
    const h = counter()
    scanXmlEvents(xml, { ...DEFAULT_LIMITS, maxTextLength: Infinity }, h)
    expect([h.starts, h.texts, h.chars, h.ends]).toEqual([1, 1, n, 1])
  })

  it('text with references: the same characters as saxes reads, line ends normalised, limits at the crossing character', () => {
    const texts = (xml: string, limits: DecodeLimits = DEFAULT_LIMITS): string[] => {
      const out: string[] = []
      const record: XmlHandler = { startElement: () => undefined, text: (t) => void out.push(t), endElement: () => false }
      scanXmlEvents(xml, limits, record)
      const reference: string[] = []
      readXmlEvents(xml, limits, { ...record, text: (t) => void reference.push(t) })
      expect(out.join('')).toBe(reference.join(''))
      return out
    }
    expect(texts('<r>a&amp;b</r>')).toEqual(['a&b'])
    expect(texts('<r>&lt;x&gt;&quot;&apos;</r>')).toEqual(['<x>"\''])
    expect(texts('<r>a\r\nb&amp;c\rd\r\n\re</r>')).toEqual(['a\nb&c\nd\n\ne'])
    // A U+FEFF first is a character of the text, not a byte-order mark; astral characters stay whole.
    expect(texts('<r>\ufeff&amp;\ud83d\ude00&#x1F600;</r>')).toEqual(['\ufeff&😀😀'])
    expect(texts('<r>&#xFEFF;x</r>')).toEqual(['\ufeffx'])
    // The limit: 5 characters allowed; the 6th is the error, whether a reference or a literal.
    const limits = { ...DEFAULT_LIMITS, maxTextLength: 5 }
    expect(texts('<r>ab&amp;de</r>', limits)).toEqual(['ab&de'])
    expect(scan('<r>ab&amp;def</r>', limits)).toMatchObject({ code: 'ERR_CWMP_LIMIT_EXCEEDED', line: 1, column: 13 })
    expect(scan('<r>ab&amp;de&amp;</r>', limits)).toMatchObject({ code: 'ERR_CWMP_LIMIT_EXCEEDED', line: 1, column: 13 })
    // Checks after a reference are the same as before one.
    expect(scan('<r>&amp;]]></r>')).toMatchObject({ code: 'ERR_CWMP_XML_MALFORMED', column: 9 })
    expect(scan('<r>&amp;\u0001</r>')).toMatchObject({ code: 'ERR_CWMP_XML_MALFORMED', column: 9 })
    expect(scan('<r>&amp;\ud800x</r>')).toMatchObject({ code: 'ERR_CWMP_XML_MALFORMED', column: 9 })
    // A text longer than the first buffer (4,096 units) grows it.
    const long = 'x&amp;'.repeat(10_000)
    expect(texts(`<r>${long}</r>`, { ...DEFAULT_LIMITS, maxTextLength: Infinity })).toEqual(['x&'.repeat(10_000)])
  })

  it('character references with any number of leading zeros are read (XML 1.0 [66]), bounded by maxTextLength', () => {
    const seen: string[] = []
    const record: XmlHandler = {
      startElement(_ns, local, attrs) {
        seen.push(`<${local} ${JSON.stringify(attrs)}`)
      },
      text(t) {
        seen.push(JSON.stringify(t))
      },
      endElement: () => false,
    }
    scanXmlEvents('<a x="&#0000000000000000000065;&#x000000000003C;">&#x00000000041;&#00000000000000000066;&#x000000000001F600;</a>', DEFAULT_LIMITS, record)
    expect(seen).toEqual(['<a [{"ns":"","local":"x","value":"A<"}]', '"AB😀"'])
    expect(readXmlEvents('<a>&#x00000000041;</a>', DEFAULT_LIMITS, counter())).toBeUndefined()
    // A million leading zeros: one character, read in one pass.
    const zeros = '0'.repeat(1_000_000)
    const h = counter()
    scanXmlEvents(`<r>&#x${zeros}41;&#${zeros}66;</r>`, DEFAULT_LIMITS, h)
    expect([h.starts, h.texts, h.chars, h.ends]).toEqual([1, 1, 2, 1])
    // Longer than maxTextLength (and than 12, the longest without leading zeros): a limit, at the '&'. "&#x" and 16 zeros
    // and "41" are 21 characters before the ";"; with 15 zeros, 20, exactly the bound.
    const limits = { ...DEFAULT_LIMITS, maxTextLength: 20 }
    expect(scan(`<r>&#x${'0'.repeat(16)}41;</r>`, limits)).toMatchObject({ code: 'ERR_CWMP_LIMIT_EXCEEDED', line: 1, column: 4 })
    expect(scan(`<r a="&#x${'0'.repeat(16)}41;"/>`, limits)).toMatchObject({ code: 'ERR_CWMP_LIMIT_EXCEEDED', line: 1, column: 7 })
    const ok = counter()
    scanXmlEvents(`<r>&#x${'0'.repeat(15)}41;</r>`, limits, ok)
    expect(ok.chars).toBe(1)
    // A small maxTextLength never refuses a reference of up to 12 characters: &#x1F600; decodes to 2.
    const tiny = counter()
    scanXmlEvents('<r>&#x1F600;</r>', { ...DEFAULT_LIMITS, maxTextLength: 2 }, tiny)
    expect(tiny.chars).toBe(2)
    // Through decodeEnvelope, in a parameter value.
    const env = (v: string) =>
      `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cwmp="urn:dslforum-org:cwmp-1-0"><soap:Body><cwmp:GetParameterNamesResponse><ParameterList><ParameterInfoStruct><Name>${v}</Name><Writable>1</Writable></ParameterInfoStruct></ParameterList></cwmp:GetParameterNamesResponse></soap:Body></soap:Envelope>`
    const msg = decodeEnvelope(env('Device.&#x0000000000000041;')) as unknown as { body: { parameterList: { name: string }[] } }
    expect(msg.body.parameterList[0]?.name).toBe('Device.A')
  })

  it('text, depth, element and byte limits trip at the crossing', () => {
    const limits: DecodeLimits = { maxBytes: 1_000, maxDepth: 3, maxElements: 5, maxTextLength: 10, maxAttributes: 2 }
    expect(scan('<r>01234567890</r>', limits)).toMatchObject({ code: 'ERR_CWMP_LIMIT_EXCEEDED', line: 1, column: 14 })
    expect(scan('<r><a><b><c/></b></a></r>', limits)).toMatchObject({ code: 'ERR_CWMP_LIMIT_EXCEEDED', line: 1, column: 13 })
    expect(scan('<r><a/><a/><a/><a/><a/></r>', limits)).toMatchObject({ code: 'ERR_CWMP_LIMIT_EXCEEDED', line: 1, column: 23 })
    expect(scan(`<r>${' '.repeat(1_000)}</r>`, limits)).toMatchObject({ code: 'ERR_CWMP_LIMIT_EXCEEDED' })
    // Elements a consumer has mapped (endElement returns true) stop counting.
    const mapped: XmlHandler = { startElement() {}, text() {}, endElement: () => true }
    expect(() => scanXmlEvents(`<r>${'<a/>'.repeat(100)}</r>`, limits, mapped)).not.toThrow()
  })

  it('200,000-deep nesting stops at maxDepth without recursion', () => {
    expect(scan('<a>'.repeat(200_000))).toMatchObject({ code: 'ERR_CWMP_LIMIT_EXCEEDED', line: 1, column: 3 * 65 })
  })
})
