/**
 * `cwmp decode`, `cwmp encode` and `cwmp pretty`: the codec on captured envelopes. `decode` prints
 * what `decodeEnvelope` returns as JSON (the warnings, with their element paths, inside it and one
 * line each on stderr); `encode` turns that JSON back into XML; `pretty` indents XML with the SOAP
 * log's redaction of passwords. Exit codes: 0 done, 1 the input cannot be decoded or encoded (one
 * line with the code and line:column, then a short excerpt), 2 a usage error.
 *
 * @module
 */
import { isCwmpError, DecodeError } from '../errors.js'
import { decodeEnvelope } from '../envelope/decode.js'
import { encodeEnvelope } from '../envelope/encode.js'
import type { Envelope } from '../types/envelope.js'
import type { CwmpMessage, VendorMessage } from '../types/messages.js'
import { formatXml } from '../transport/format.js'
import { redactSoapBody } from '../transport/logging.js'
import { bytesToText } from '../xml/charset.js'
import { parseFlags, UsageError, type CliCommand, type CliIo } from './command.js'
import { readInput } from './input.js'

const DECODE_HELP = `Usage: cwmp decode [FILE|-] [--strict] [--charset NAME] [--compact]

Decode a captured CWMP SOAP envelope (a file, or standard input for - or no FILE) and print
the library's typed JSON: { version, header, body, warnings }. The bytes are read as the
device sent them: a byte order mark, --charset (the HTTP Content-Type charset) or the XML
declaration decide the character set. Each warning (a leniency the decoder applied) is also
printed on stderr with its element path and line:column.

Options:
  --strict          refuse every deviation from the schemas (exit 1 on the first one)
  --charset NAME    charset of the bytes, as an HTTP Content-Type header would give it
  --compact         one line of JSON instead of indented JSON
  -h, --help        this help

Exit codes: 0 decoded, 1 not decodable (code, line:column and an excerpt on stderr), 2 usage.

Examples:
  cwmp decode capture/inform.xml
  curl -s http://acs.example/last.xml | cwmp decode - --strict
  cwmp decode inform.xml | cwmp encode -
`

const ENCODE_HELP = `Usage: cwmp encode [FILE|-] [--lenient] [--no-declaration] [--pretty]

Encode the JSON of an envelope ({ version, header, body }, as cwmp decode prints it; a
"warnings" field is ignored) as CWMP SOAP XML, valid against the schemas of its version.

Options:
  --lenient         write values outside their facets as they are (what a lenient decode
                    kept), still escaped and well-formed
  --no-declaration  leave out <?xml version="1.0" encoding="UTF-8"?>
  --pretty          indent the XML (for reading; a parser sees the indentation as text)
  -h, --help        this help

Exit codes: 0 encoded, 1 not encodable (the JSON's line:column, or the field), 2 usage.

Examples:
  echo '{"version":"1.2","header":{"id":"1"},"body":{"method":"GetRPCMethods"}}' | cwmp encode
  cwmp decode inform.xml | cwmp encode - --lenient
`

const PRETTY_HELP = `Usage: cwmp pretty [FILE|-] [--charset NAME]

Print XML indented, with passwords redacted exactly as in the SOAP log (the text of Password
elements, and the Value after a Name ending in Password, Passphrase, PreSharedKey, WEPKey or
Secret). Malformed XML is indented as far as it can be read; nothing else is changed.

Options:
  --charset NAME    charset of the bytes, as an HTTP Content-Type header would give it
  -h, --help        this help

Examples:
  cwmp pretty capture/set-parameter-values.xml
  tcpdump -A ... | cwmp pretty -
`

/** `--charset`: a name the decoder knows (checked on no bytes), else a usage error. */
function checkCharset(charset: string | undefined): void {
  if (charset === undefined) return
  if (charset === '') throw new UsageError('--charset needs a charset name, e.g. iso-8859-1')
  try {
    bytesToText(new Uint8Array(0), charset)
  } catch {
    throw new UsageError(`--charset: unsupported character encoding ${JSON.stringify(charset)} (e.g. utf-8, iso-8859-1, windows-1252)`)
  }
}

/** The positional argument: at most one. */
function fileOf(positionals: readonly string[]): string | undefined {
  if (positionals.length > 1) throw new UsageError(`one FILE at most (got ${positionals.length}: ${positionals.join(' ')})`)
  return positionals[0]
}

/** The text of `line` (1-based) around `column`, with a caret under it: at most ~70 characters. */
export function excerpt(text: string, line: number, column: number): string {
  const lines = text.split(/\r\n|\r|\n/)
  const source = lines[line - 1]
  if (source === undefined) return ''
  const at = Math.max(0, Math.min(column - 1, source.length))
  const from = Math.max(0, at - 35)
  const to = Math.min(source.length, at + 35)
  // Tabs and control characters would shift the caret.
  const shown = source.slice(from, to).replace(/[\t\u0000-\u001f]/g, ' ')
  const prefix = from > 0 ? '…' : ''
  const suffix = to < source.length ? '…' : ''
  return `  ${prefix}${shown}${suffix}\n  ${' '.repeat(prefix.length + at - from)}^\n`
}

/** `name:line:column: CODE message` for a decode error, and the excerpt. */
function decodeFailure(name: string, error: DecodeError, text: string): string {
  const where = error.line === undefined ? name : `${name}:${error.line}:${error.column ?? 1}`
  const path = error.path === undefined ? '' : ` (at ${error.path})`
  const head = `${where}: ${error.code}: ${error.message}${path}\n`
  return error.line === undefined ? head : head + excerpt(text, error.line, error.column ?? 1)
}

/** The input as text, as the decoder would read it (for excerpts and `pretty`). */
function textOf(bytes: Uint8Array, charset: string | undefined): string {
  try {
    const t = bytesToText(bytes, charset).text
    return t.charCodeAt(0) === 0xfeff ? t.slice(1) : t
  } catch {
    return new TextDecoder('latin1').decode(bytes)
  }
}

/**
 * `cwmp decode`.
 *
 * @internal
 */
export const decodeCommand: CliCommand = {
  name: 'decode',
  summary: 'decode a captured SOAP envelope to typed JSON, with warnings',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(
      argv,
      { strict: { type: 'boolean' }, charset: { type: 'string' }, compact: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      true,
    )
    if (values.help === true) {
      io.stdout.write(DECODE_HELP)
      return 0
    }
    checkCharset(values.charset)
    const { name, bytes } = await readSafely(fileOf(positionals), io)
    if (bytes === undefined) return 1
    try {
      const decoded = decodeEnvelope(bytes, {
        strict: values.strict === true,
        ...(values.charset === undefined ? {} : { charset: values.charset }),
      })
      io.stdout.write(`${JSON.stringify(decoded, null, values.compact === true ? undefined : 2)}\n`)
      for (const w of decoded.warnings) {
        const where = w.line === undefined ? name : `${name}:${w.line}:${w.column ?? 1}`
        io.stderr.write(`${where}: warning ${w.code}: ${w.message} (at ${w.path})\n`)
      }
      return 0
    } catch (error) {
      if (error instanceof DecodeError) {
        io.stderr.write(decodeFailure(name, error, textOf(bytes, values.charset)))
        return 1
      }
      throw error
    }
  },
}

/** Read the input; a file that cannot be read is one line and exit 1. */
async function readSafely(file: string | undefined, io: CliIo): Promise<{ name: string; bytes: Uint8Array | undefined }> {
  try {
    return await readInput(file, io)
  } catch (error) {
    io.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
    return { name: file ?? '<stdin>', bytes: undefined }
  }
}

/** Line and column of a character offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n')
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 }
}

/** Parse JSON; a syntax error names its line:column (from the engine's "position N"). */
function parseJson(name: string, text: string): { value: unknown } | { error: string } {
  try {
    return { value: JSON.parse(text) as unknown }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const m = /position (\d+)/.exec(message)
    if (m === null) return { error: `${name}: ERR_JSON: ${message}\n` }
    const { line, column } = position(text, Number(m[1]))
    return { error: `${name}:${line}:${column}: ERR_JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}\n${excerpt(text, line, column)}` }
  }
}

/**
 * `cwmp encode`.
 *
 * @internal
 */
export const encodeCommand: CliCommand = {
  name: 'encode',
  summary: 'encode envelope JSON (as decode prints it) to CWMP SOAP XML',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(
      argv,
      {
        lenient: { type: 'boolean' },
        'no-declaration': { type: 'boolean' },
        pretty: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      true,
    )
    if (values.help === true) {
      io.stdout.write(ENCODE_HELP)
      return 0
    }
    const { name, bytes } = await readSafely(fileOf(positionals), io)
    if (bytes === undefined) return 1
    const text = new TextDecoder().decode(bytes)
    const parsed = parseJson(name, text)
    if ('error' in parsed) {
      io.stderr.write(parsed.error)
      return 1
    }
    const v = parsed.value
    if (typeof v !== 'object' || v === null || Array.isArray(v) || !('body' in v)) {
      io.stderr.write(`${name}: ERR_JSON: not an envelope: a JSON object with "version", "header" and "body" is expected\n`)
      return 1
    }
    try {
      const xml = encodeEnvelope(v as Envelope<CwmpMessage | VendorMessage>, {
        strict: values.lenient !== true,
        xmlDeclaration: values['no-declaration'] !== true,
      })
      io.stdout.write(`${values.pretty === true ? formatXml(xml) : xml}\n`)
      return 0
    } catch (error) {
      if (isCwmpError(error)) {
        const field = (error as { path?: unknown }).path
        io.stderr.write(`${name}: ${error.code}: ${error.message}${typeof field === 'string' && field !== '' ? ` (at ${field})` : ''}\n`)
        return 1
      }
      // The encoder reads whatever JSON it is given: a shape it cannot walk is the input's fault.
      io.stderr.write(`${name}: ERR_JSON: not an envelope the encoder can read (${error instanceof Error ? error.message : String(error)})\n`)
      return 1
    }
  },
}

/**
 * `cwmp pretty`.
 *
 * @internal
 */
export const prettyCommand: CliCommand = {
  name: 'pretty',
  summary: 'indent XML, passwords redacted as in the SOAP log',
  async run(argv: readonly string[], io: CliIo): Promise<number> {
    const { values, positionals } = parseFlags(argv, { charset: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, true)
    if (values.help === true) {
      io.stdout.write(PRETTY_HELP)
      return 0
    }
    checkCharset(values.charset)
    const { bytes } = await readSafely(fileOf(positionals), io)
    if (bytes === undefined) return 1
    const text = textOf(bytes, values.charset)
    io.stdout.write(`${formatXml(redactSoapBody(text)).trimEnd()}\n`)
    return 0
  },
}
