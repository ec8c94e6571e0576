/**
 * Bytes to text: byte order mark, then the caller's charset (from HTTP `Content-Type`), then the
 * XML declaration's `encoding`, then UTF-8. Invalid UTF-8 is read as ISO-8859-1 with a warning:
 * real devices (Thomson) declare ISO-8859-1, and others send Latin-1 bytes with no declaration.
 *
 * @module
 */
import { DecodeError } from '../errors.js'

/**
 * Read bytes as ISO-8859-1: each byte is the code point of the same value.
 *
 * @internal
 */
export function latin1(bytes: Uint8Array): string {
  let s = ''
  const CHUNK = 0x2000
  for (let i = 0; i < bytes.length; i += CHUNK) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[])
  }
  return s
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = latin1(bytes.subarray(0, 256))
  const m = /^\s*<\?xml\s[^>]*?encoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/.exec(head)
  return m?.[2]
}

/** Result of {@link bytesToText}. @internal */
export interface DecodedText {
  readonly text: string
  /** Set when the bytes were not valid in the declared charset and were read as ISO-8859-1. */
  readonly fallback?: string
}

/** @internal */
export function bytesToText(bytes: Uint8Array, charset: string | undefined): DecodedText {
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return utf8(bytes.subarray(3), 'UTF-8 (byte order mark)')
  }
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)) }
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)) }
  }
  const label = (charset ?? declaredEncoding(bytes) ?? 'utf-8').trim().toLowerCase()
  switch (label) {
    case 'utf-8':
    case 'utf8':
      return utf8(bytes, 'UTF-8')
    case 'iso-8859-1':
    case 'iso8859-1':
    case 'iso_8859-1':
    case 'latin1':
    case 'latin-1':
    case 'l1':
    case 'us-ascii':
    case 'ascii':
      return { text: latin1(bytes) }
    default: {
      let decoder: InstanceType<typeof TextDecoder>
      try {
        decoder = new TextDecoder(label, { fatal: true })
      } catch {
        throw new DecodeError('ERR_CWMP_XML_MALFORMED', `unsupported character encoding ${label}`, { line: 1, column: 1 })
      }
      try {
        return { text: decoder.decode(bytes) }
      } catch {
        return { text: latin1(bytes), fallback: label }
      }
    }
  }
}

function utf8(bytes: Uint8Array, label: string): DecodedText {
  try {
    return { text: UTF8.decode(bytes) }
  } catch {
    return { text: latin1(bytes), fallback: label }
  }
}
