/**
 * What a command of the `cwmp` bin is, and how it reads its flags (`node:util` `parseArgs`,
 * strict: an unknown flag or a missing value is a usage error).
 *
 * @module
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'

/**
 * Where a command writes, and the process it runs in (signals, exit).
 *
 * @internal
 */
export interface CliIo {
  /** Output: the SOAP log of `cpe`, help. */
  readonly stdout: { write(text: string): unknown }
  /** Status lines and errors. */
  readonly stderr: { write(text: string): unknown }
  /** The bytes of standard input, for `-` or no file (default: `process.stdin`). */
  readonly readStdin?: () => Promise<Uint8Array>
  /** True when stderr is a terminal (live status lines). Default false. */
  readonly stderrIsTty?: boolean
  /** Called with each signal the command listens for (SIGHUP, SIGINT, SIGTERM); returns a function that stops listening. */
  readonly onSignal: (signal: 'SIGHUP' | 'SIGINT' | 'SIGTERM', listener: () => void) => () => void
}

/**
 * One command: its name, a one-line summary for `cwmp --help`, and `run`.
 *
 * @internal
 */
export interface CliCommand {
  /** The word after `cwmp`. */
  readonly name: string
  /** One line for `cwmp --help`. */
  readonly summary: string
  /**
   * Run it.
   *
   * @param argv - the arguments after the command name
   * @param io - output and signals
   * @returns the exit code
   * @throws {@link UsageError} for a usage error (exit code 2)
   */
  run(argv: readonly string[], io: CliIo): Promise<number>
}

/**
 * A usage error: one line, exit code 2.
 *
 * @internal
 */
export class UsageError extends Error {
  override name = 'UsageError'
}

/**
 * Parse flags strictly: an unknown flag, a missing value or a stray argument is a {@link UsageError}.
 *
 * @internal
 */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(
  argv: readonly string[],
  options: T,
  allowPositionals = false,
): ReturnType<typeof parseArgs<{ options: T; strict: true; allowPositionals: boolean }>> {
  try {
    return parseArgs({ args: [...argv], options, strict: true, allowPositionals })
  } catch (error) {
    // parseArgs' messages are one line already, e.g. "Unknown option '--foo'"; with positionals it
    // adds advice on '--' that reads as noise after a typo: kept out.
    const message = error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error)
    throw new UsageError(message.replace(/\. To specify a positional argument starting with a '-'.*$/, ''))
  }
}
