/**
 * What the codec commands read: a file, or standard input for `-` (or no argument), as bytes, so
 * that the decoder honours the byte order mark, the XML declaration and `--charset`.
 *
 * @module
 */
import { promises as fsPromises } from 'node:fs'
import type { CliIo } from './command.js'

/** Most bytes read from a file or stdin (the decoder's own default `maxBytes` is smaller still). */
const MAX_INPUT_BYTES = 64 * 1024 * 1024

/**
 * Read the whole of stdin, bounded.
 *
 * @internal
 */
export async function readProcessStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size > MAX_INPUT_BYTES) throw new Error(`standard input is longer than ${MAX_INPUT_BYTES} bytes`)
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/**
 * The input of a command: `{ name, bytes }`, the name as messages show it (`-` for stdin).
 *
 * @param file - the positional argument, `-` or undefined for stdin
 * @throws Error with a one-line message when the file cannot be read
 * @internal
 */
export async function readInput(file: string | undefined, io: CliIo): Promise<{ readonly name: string; readonly bytes: Uint8Array }> {
  if (file === undefined || file === '-') return { name: '<stdin>', bytes: await (io.readStdin ?? readProcessStdin)() }
  try {
    const bytes = await fsPromises.readFile(file)
    if (bytes.length > MAX_INPUT_BYTES) throw new Error(`longer than ${MAX_INPUT_BYTES} bytes`)
    return { name: file, bytes }
  } catch (error) {
    const e = error as NodeJS.ErrnoException
    throw new Error(`cannot read ${file}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`)
  }
}
