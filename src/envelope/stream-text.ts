/*
 * Bytes in chunks → text, by the rules `bytesToText` (xml/charset.ts) applies to a whole message:
 * byte order mark, then the caller's charset (HTTP `Content-Type`), then the XML declaration's
 * `encoding` (read from the first 256 bytes, which are held until they have arrived), then UTF-8.
 * test/codec/stream.test.ts checks that both give the same text for every charset case.
 *
 * Bytes that are not valid in the charset make a whole message read as ISO-8859-1 with a warning.
 * A stream can do the same only while the text before them is ASCII (it is then the same in both);
 * after non-ASCII text it is an error, since that text has been handed over.
 */
import { DecodeError } from '../errors.js'
import { latin1 } from '../xml/charset.js'

/** How many bytes the XML declaration's `encoding` is looked for in (as xml/charset.ts does). */
const HEAD = 256
const DECLARED = /^\s*<\?xml\s[^>]*?encoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/

const LATIN1_LABELS: ReadonlySet<string> = new Set([
  'iso-8859-1',
  'iso8859-1',
  'iso_8859-1',
  'latin1',
  'latin-1',
  'l1',
  'us-ascii',
  'ascii',
])

/** @internal */
export class StreamText {
  /** Set once the bytes were read as ISO-8859-1 because they are not valid in this charset. */
  fallback: string | undefined
  readonly #charset: string | undefined
  /** The first bytes, until the charset is known. */
  #head: Uint8Array[] | undefined = []
  #headLength = 0
  #decoder: InstanceType<typeof TextDecoder> | undefined
  /** Read every byte as ISO-8859-1. */
  #latin1 = false
  /** The decoder is fatal: invalid bytes switch to ISO-8859-1 while the text so far is ASCII. */
  #fatal = false
  #label = ''
  /** The text so far is ASCII: bytes read as ISO-8859-1 would give the same. */
  #ascii = true
  /** Bytes given to the decoder, and characters it returned (equal counts while the text is ASCII). */
  #fed = 0
  #emitted = 0
  /** The last bytes given to the decoder: it may hold the start of a character there. */
  #tail: Uint8Array = new Uint8Array(0)

  constructor(charset: string | undefined) {
    this.#charset = charset
  }

  /** The text of `bytes` that can be told so far. */
  push(bytes: Uint8Array): string {
    if (this.#head !== undefined) {
      this.#head.push(bytes)
      this.#headLength += bytes.length
      if (this.#headLength < HEAD) return ''
      return this.#start()
    }
    return this.#decode(bytes, true)
  }

  /** The rest of the text, once every byte has been pushed. */
  end(): string {
    const text = this.#head !== undefined ? this.#start() : ''
    if (this.#latin1 || this.#decoder === undefined) return text
    return text + this.#decode(new Uint8Array(0), false)
  }

  /** The charset is known from the first bytes: set the decoder up and decode them. */
  #start(): string {
    const parts = this.#head as Uint8Array[]
    this.#head = undefined
    let bytes: Uint8Array
    if (parts.length === 1) {
      bytes = parts[0] as Uint8Array
    } else {
      bytes = new Uint8Array(this.#headLength)
      let at = 0
      for (const p of parts) {
        bytes.set(p, at)
        at += p.length
      }
    }
    if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      this.#utf8('UTF-8 (byte order mark)')
      return this.#decode(bytes.subarray(3), true)
    }
    if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
      this.#decoder = new TextDecoder('utf-16le')
      return this.#decode(bytes.subarray(2), true)
    }
    if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
      this.#decoder = new TextDecoder('utf-16be')
      return this.#decode(bytes.subarray(2), true)
    }
    const declared = DECLARED.exec(latin1(bytes.subarray(0, HEAD)))?.[2]
    const label = (this.#charset ?? declared ?? 'utf-8').trim().toLowerCase()
    if (label === 'utf-8' || label === 'utf8') {
      this.#utf8('UTF-8')
    } else if (LATIN1_LABELS.has(label)) {
      this.#latin1 = true
    } else {
      try {
        this.#decoder = new TextDecoder(label, { fatal: true })
      } catch {
        throw new DecodeError('ERR_CWMP_XML_MALFORMED', `unsupported character encoding ${label}`, { line: 1, column: 1 })
      }
      this.#fatal = true
      this.#label = label
    }
    return this.#decode(bytes, true)
  }

  #utf8(label: string): void {
    this.#decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
    this.#fatal = true
    this.#label = label
  }

  #decode(bytes: Uint8Array, stream: boolean): string {
    if (this.#latin1) return latin1(bytes)
    const decoder = this.#decoder as InstanceType<typeof TextDecoder>
    if (!this.#fatal) return decoder.decode(bytes, { stream })
    let text: string
    try {
      text = decoder.decode(bytes, { stream })
    } catch {
      // The bytes the decoder holds (the start of a character) were not returned yet: read them too.
      const held = this.#fed - this.#emitted
      if (!this.#ascii || held < 0 || held > this.#tail.length) {
        throw new DecodeError(
          'ERR_CWMP_XML_MALFORMED',
          `bytes are not valid ${this.#label}; a stream cannot be read again as ISO-8859-1 after non-ASCII text`,
        )
      }
      this.#latin1 = true
      this.fallback = this.#label
      return latin1(this.#tail.subarray(this.#tail.length - held)) + latin1(bytes)
    }
    if (this.#ascii) {
      if (NON_ASCII.test(text)) {
        this.#ascii = false
      } else {
        this.#fed += bytes.length
        this.#emitted += text.length
        this.#tail = keepTail(this.#tail, bytes)
      }
    }
    return text
  }
}

const NON_ASCII = /[^\x00-\x7f]/
/** The most bytes a decoder holds back at the end of a chunk (the start of one character). */
const TAIL = 4

function keepTail(tail: Uint8Array, bytes: Uint8Array): Uint8Array {
  if (bytes.length >= TAIL) return bytes.slice(bytes.length - TAIL)
  const joined = new Uint8Array(Math.min(TAIL, tail.length + bytes.length))
  const fromTail = joined.length - bytes.length
  joined.set(tail.subarray(tail.length - fromTail), 0)
  joined.set(bytes, fromTail)
  return joined
}
