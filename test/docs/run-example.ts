// Runs one extracted documentation example in this process (no child process, no second compile of
// the sources) and collects what it prints: stdout from console.log/info/debug/dir and
// process.stdout.write, stderr from console.error/warn and process.stderr.write.
import { formatWithOptions, inspect } from 'node:util'
import { pathToFileURL } from 'node:url'

export interface ExampleRun {
  readonly stdout: string
  readonly stderr: string
}

const fmt = (args: unknown[]): string => `${formatWithOptions({ colors: false }, ...args)}\n`

export async function runExample(file: string): Promise<ExampleRun> {
  let stdout = ''
  let stderr = ''
  const saved = {
    log: console.log,
    info: console.info,
    debug: console.debug,
    dir: console.dir,
    warn: console.warn,
    error: console.error,
    out: process.stdout.write,
    err: process.stderr.write,
  }
  const toOut = (...a: unknown[]): void => {
    stdout += fmt(a)
  }
  const toErr = (...a: unknown[]): void => {
    stderr += fmt(a)
  }
  console.log = toOut
  console.info = toOut
  console.debug = toOut
  console.dir = (v: unknown) => {
    stdout += `${inspect(v, { colors: false })}\n`
  }
  console.warn = toErr
  console.error = toErr
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
    return true
  }) as typeof process.stdout.write
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString()
    return true
  }) as typeof process.stderr.write
  try {
    await import(pathToFileURL(file).href)
  } finally {
    console.log = saved.log
    console.info = saved.info
    console.debug = saved.debug
    console.dir = saved.dir
    console.warn = saved.warn
    console.error = saved.error
    process.stdout.write = saved.out
    process.stderr.write = saved.err
  }
  return { stdout, stderr }
}
