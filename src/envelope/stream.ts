/*
 * The streaming envelope decoder: the body of an HTTP request or response in chunks, as it arrives.
 *
 * It is decodeEnvelope fed piece by piece: the same charset rules (stream-text.ts), the same XML
 * producer (saxes, which takes text in pieces), the same tree consumer (tree.ts) and the same
 * envelope decoder at the end, so its result, warnings and errors are decodeEnvelope's. What it
 * adds is delivery as it reads: the header once the Body's element has started (its namespace gives
 * the version the header is read for), and, when asked, the items of the method's SOAP arrays one at
 * a time instead of in the message, so that what it holds does not grow with their number.
 */
import { ConfigError, DecodeError } from '../errors.js'
import type { EnvelopeHeader } from '../types/envelope.js'
import { NS, versionOfNamespace, type CwmpVersion } from '../types/version.js'
import { DecodeContext, type DecodeWarning } from '../rpc/context.js'
import type { ArrayField } from '../rpc/schema.js'
import { DEFAULT_LIMITS, type DecodeLimits } from '../xml/events.js'
import type { XmlElement } from '../xml/reader.js'
import { createXmlEventReader, type XmlEventReader } from '../xml/saxes-events.js'
import { bodyCodec, decodeHeader, decodeTree, envelopeVersion, withRequest, type DecodedEnvelope, type DecodeOptions } from './decode.js'
import { StreamText } from './stream-text.js'
import { EnvelopeTree } from './tree.js'

/**
 * One item of a SOAP array of the message (a `ParameterValueStruct` of a ParameterList, a
 * `ParameterInfoStruct`, a `ParameterAttributeStruct`, a name of `ParameterNames`, …), handed over
 * by {@link createEnvelopeDecoder} as soon as it has been read.
 *
 * @category Codec
 */
export interface EnvelopeItem {
  /** The message property the item belongs to, e.g. `parameterList`. */
  readonly key: string
  /** Its index in that list. */
  readonly index: number
  /** The decoded item, e.g. a `ParameterValueStruct`. */
  readonly value: unknown
  /** The leniencies used to read this item; they are not repeated in the result's `warnings`. */
  readonly warnings: readonly DecodeWarning[]
}

/**
 * Options of {@link createEnvelopeDecoder} and {@link decodeEnvelopeStream}: those of
 * {@link decodeEnvelope}, and what to deliver while reading.
 *
 * @category Codec
 */
export interface StreamDecodeOptions extends DecodeOptions {
  /**
   * Called once with the decoded header, as soon as the Body's element has started (before any
   * item), or at the end when the version cannot be told earlier (a SOAP Fault). Not called when
   * the header does not decode: the decoding then fails at the end with the error decodeEnvelope
   * reports.
   */
  readonly onHeader?: (header: EnvelopeHeader, version: CwmpVersion) => void
  /**
   * When set, each item of the message's SOAP arrays is handed here as soon as it has been read and
   * is not kept: the result's arrays are then empty, and each item's warnings come with it. What the
   * decoder holds no longer grows with the number of items. A thrown error stops the decoding and
   * comes out of the `write` or `end` call that delivered the item.
   */
  readonly onItem?: (item: EnvelopeItem) => void
}

/**
 * A streaming envelope decoder from {@link createEnvelopeDecoder}.
 *
 * @category Codec
 */
export interface EnvelopeDecoder {
  /**
   * Read the next chunk of the body: all chunks bytes (`Uint8Array`) or all text. A chunk may end
   * anywhere, inside a multi-byte character too.
   *
   * @throws {@link DecodeError} at the first error in the input, and again on every later call
   */
  write(chunk: Uint8Array | string): void
  /**
   * The body is complete: the decoded envelope, equal to {@link decodeEnvelope}'s for the same
   * bytes when `onItem` is not set.
   *
   * @throws {@link DecodeError}
   */
  end(): DecodedEnvelope
}

/**
 * Decode a CWMP SOAP envelope given in chunks, as an HTTP body arrives: the same result, warnings,
 * limits and errors as {@link decodeEnvelope}, with the header delivered early and, with `onItem`,
 * the items of large lists one at a time, so that a 100,000-parameter response is decoded in memory
 * that does not depend on its size.
 *
 * Differences from decodeEnvelope, all on bad input: the decoder stops at the first error it reads,
 * so of several errors it may report an earlier one (decodeEnvelope checks `maxBytes` and the
 * charset before it reads); a `maxBytes` error does not say the total size; and bytes that are not
 * valid UTF-8 (or the declared charset) after non-ASCII text are an error, where decodeEnvelope
 * reads the whole message again as ISO-8859-1.
 *
 * @param options - those of decodeEnvelope, and `onHeader` / `onItem`
 *
 * @throws {@link ConfigError} naming `options` when it is not an object
 *
 * @example
 * ```ts
 * const decoder = createEnvelopeDecoder({
 *   onItem: ({ value }) => void store(value as ParameterValueStruct),
 * })
 * for (const chunk of chunks) decoder.write(chunk)
 * const { body } = decoder.end()
 * ```
 *
 * @category Codec
 */
export function createEnvelopeDecoder(options: StreamDecodeOptions = {}): EnvelopeDecoder {
  if (typeof options !== 'object' || options === null) throw new ConfigError('options', 'an object', options)
  return new StreamDecoder(options)
}

/**
 * Decode a CWMP SOAP envelope from an async iterable of chunks (a Node `IncomingMessage`, a web
 * `ReadableStream`, …): {@link createEnvelopeDecoder} fed with every chunk. Waiting for the chunks
 * is bounded by the stream's own timeouts (e.g. the HTTP server's `requestTimeout`).
 *
 * @param chunks - the body, all bytes or all text
 * @param options - those of decodeEnvelope, and `onHeader` / `onItem`
 * @throws {@link DecodeError}
 *
 * @example
 * ```ts
 * const { header, body } = await decodeEnvelopeStream(request, { charset })
 * ```
 *
 * @category Codec
 */
export async function decodeEnvelopeStream(
  chunks: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  options: StreamDecodeOptions = {},
): Promise<DecodedEnvelope> {
  const decoder = createEnvelopeDecoder(options)
  for await (const chunk of chunks) decoder.write(chunk)
  return decoder.end()
}

/** Items of a message that will fail: not handed over, not kept. */
const dropItem = (): void => {}

/** Text held before the first character that is not whitespace, and this many after it. */
const HEAD_AFTER = 6

class StreamDecoder implements EnvelopeDecoder {
  readonly #options: StreamDecodeOptions
  readonly #limits: DecodeLimits
  readonly #ctx: DecodeContext
  readonly #tree: EnvelopeTree
  readonly #reader: XmlEventReader
  #kind: 'bytes' | 'text' | undefined
  #bytes = 0
  #text: StreamText | undefined
  /** Text before the XML reader gets it, until leading whitespace can be judged. */
  #head: string | undefined = ''
  /** Characters given to the XML reader. */
  #chars = 0
  #headerDone = false
  #error: unknown
  #ended = false

  constructor(options: StreamDecodeOptions) {
    this.#options = options
    this.#limits = options.limits === undefined ? DEFAULT_LIMITS : { ...DEFAULT_LIMITS, ...options.limits }
    const ctx = new DecodeContext(options.strict === true, '1.0')
    this.#ctx = ctx
    const tree = new EnvelopeTree(ctx, (el) => bodyCodec(el, options.codecs))
    this.#tree = tree
    this.#reader = createXmlEventReader(this.#limits, tree)
    if (options.onHeader !== undefined) tree.onMethod = (method) => this.#header(method)
    const onItem = options.onItem
    if (onItem !== undefined) {
      ctx.itemSink = {
        takes: (field) => tree.arrays !== undefined && tree.arrays.get((field as ArrayField).el) === field,
        take: (key, value, index, warnings) => {
          onItem({ key, index, value, warnings })
        },
      }
    }
  }

  write(chunk: Uint8Array | string): void {
    if (this.#error !== undefined) throw this.#error
    if (this.#ended) throw new ConfigError('write', 'not called after end()')
    try {
      if (typeof chunk === 'string') {
        this.#kindIs('text')
        this.#feed(chunk)
      } else if (chunk instanceof Uint8Array) {
        this.#kindIs('bytes')
        this.#bytes += chunk.length
        if (this.#bytes > this.#limits.maxBytes) {
          throw new DecodeError('ERR_CWMP_LIMIT_EXCEEDED', `input of more than ${this.#limits.maxBytes} bytes exceeds maxBytes ${this.#limits.maxBytes}`)
        }
        const text = this.#textOf().push(chunk)
        if (this.#fallback()) return
        if (text !== '') this.#feed(text)
      } else {
        throw new DecodeError('ERR_CWMP_NOT_ENVELOPE', 'input must be a string or a Uint8Array')
      }
    } catch (err) {
      this.#error = withRequest(err, this.#tree)
      throw this.#error
    }
    if (this.#error !== undefined) throw this.#error
  }

  end(): DecodedEnvelope {
    if (this.#error !== undefined) throw this.#error
    if (this.#ended) throw new ConfigError('end', 'called once')
    this.#ended = true
    const ctx = this.#ctx
    try {
      if (this.#text !== undefined) {
        const text = this.#text.end()
        if (this.#fallback()) throw this.#error
        if (text !== '') this.#feed(text)
      }
      if (this.#head !== undefined) {
        if (this.#head.trim() === '') throw new DecodeError('ERR_CWMP_NOT_ENVELOPE', 'empty input is not a SOAP envelope')
        this.#startText(this.#head)
      }
      this.#reader.close()
    } catch (err) {
      this.#error ??= withRequest(err, this.#tree)
      throw this.#error
    }
    try {
      const result = decodeTree(this.#tree.root as XmlElement, ctx, this.#options.codecs)
      if (!this.#headerDone && this.#options.onHeader !== undefined) {
        this.#headerDone = true
        this.#options.onHeader(result.header, result.version)
      }
      return result
    } catch (err) {
      this.#error = err
      throw err
    }
  }

  #kindIs(kind: 'bytes' | 'text'): void {
    if (this.#kind === undefined) this.#kind = kind
    else if (this.#kind !== kind) throw new DecodeError('ERR_CWMP_NOT_ENVELOPE', 'chunks must be all strings or all Uint8Arrays')
  }

  #textOf(): StreamText {
    this.#text ??= new StreamText(this.#options.charset)
    return this.#text
  }

  /**
   * The bytes have just been found not valid in their charset: warn first, as decodeEnvelope does.
   * In strict mode that is the error, as decodeEnvelope throws it (before reading, so with no
   * method or request): true then, with the error kept.
   */
  #fallback(): boolean {
    const text = this.#text as StreamText
    if (text.fallback === undefined) return false
    const warnings = this.#ctx.warnings
    const label = text.fallback
    text.fallback = undefined
    try {
      this.#ctx.warn('CHARSET_FALLBACK', `bytes are not valid ${label}; read as ISO-8859-1`)
    } catch (err) {
      this.#error = err
      return true
    }
    warnings.unshift(warnings.pop() as DecodeWarning)
    return false
  }

  #feed(text: string): void {
    if (this.#head === undefined) {
      this.#write(text)
      return
    }
    const head = this.#head + text
    if (head.length > this.#limits.maxBytes) this.#tooLong()
    const first = head.search(/\S/)
    if (first === -1 || head.length - first < HEAD_AFTER) {
      this.#head = head
      return
    }
    this.#startText(head)
  }

  /** The start of the text, as decodeEnvelope judges it: a BOM character, whitespace before `<?xml`. */
  #startText(head: string): void {
    this.#head = undefined
    let text = head.charCodeAt(0) === 0xfeff ? head.slice(1) : head
    if (/^[ \t\r\n]+<\?xml[ \t\r\n]/.test(text)) {
      this.#ctx.warn('LEADING_WHITESPACE', 'whitespace before the XML declaration removed')
      text = text.trimStart()
    }
    this.#write(text)
  }

  #write(text: string): void {
    this.#chars += text.length
    if (this.#kind === 'text' && this.#chars > this.#limits.maxBytes) this.#tooLong()
    this.#reader.write(text)
  }

  #tooLong(): never {
    throw new DecodeError('ERR_CWMP_LIMIT_EXCEEDED', `input of more than ${this.#limits.maxBytes} characters exceeds maxBytes ${this.#limits.maxBytes}`)
  }

  /**
   * The Body's element has started: decode the header (complete, since it comes before the Body)
   * for the version of that element's namespace, as the envelope decoder will at the end.
   */
  #header(method: XmlElement): void {
    const root = this.#tree.root as XmlElement
    if (this.#headerDone || root.local !== 'Envelope' || root.ns !== NS.soapEnv) return
    const v = versionOfNamespace(method.ns) as CwmpVersion
    const ctx = new DecodeContext(this.#ctx.strict, v === '1.3' || v === '1.4' ? '1.2' : v)
    ctx.path.push('Envelope', 'Header')
    let header: EnvelopeHeader = {}
    for (const c of root.children) {
      if (c.ns !== NS.soapEnv) continue
      if (c.local === 'Header') {
        try {
          header = decodeHeader(c, ctx)
        } catch {
          // It fails again at the end, where the envelope decoder reports the first error in order.
          const sink = this.#ctx.itemSink
          if (sink !== undefined) this.#ctx.itemSink = { takes: sink.takes, take: dropItem }
          return
        }
      }
      break
    }
    this.#headerDone = true
    ;(this.#options.onHeader as NonNullable<StreamDecodeOptions['onHeader']>)(header, envelopeVersion(v, header))
  }
}
