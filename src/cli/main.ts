/**
 * The `cwmp` command line: a table of commands and their dispatch, nothing else. Each command is
 * its own module (`cpe.ts`, …) with its name, a one-line summary, its help and `run`. Usage errors
 * (no or an unknown command, an unknown flag, a missing value) are one clear line on stderr and
 * exit code 2; a command's own failures are its business (the `cpe` daemon exits 1 for a bad
 * configuration).
 *
 * @module
 */
import { acsCommand } from './acs.js'
import { cpeCommand } from './cpe.js'
import { decodeCommand, encodeCommand, prettyCommand } from './codec.js'
import { fleetCommand } from './fleet.js'
import { UsageError, type CliCommand, type CliIo } from './command.js'

export type { CliCommand, CliIo } from './command.js'

/**
 * Every command of the bin, in the order `--help` lists them.
 *
 * @internal
 */
export const COMMANDS: readonly CliCommand[] = [
  decodeCommand,
  encodeCommand,
  prettyCommand,
  cpeCommand,
  acsCommand,
  fleetCommand,
]

function help(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    'Usage: cwmp <command> [options]',
    '',
    'TR-069 / CWMP from the command line.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `cwmp <command> --help` for a command\'s options and examples.',
    '',
  ].join('\n')
}

/**
 * Run the command line: `argv` without the node and script paths.
 *
 * @param argv - e.g. `['cpe', '--config', 'cpe.json']`
 * @param io - where output goes, and the process it runs in
 * @returns the exit code
 * @internal
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(help())
    return 0
  }
  if (name === undefined || name === '') {
    io.stderr.write(help())
    return 2
  }
  const command = COMMANDS.find((c) => c.name === name)
  if (command === undefined) {
    const what = name.startsWith('-') ? `unknown option "${name}"` : `unknown command "${name}"`
    io.stderr.write(`cwmp: ${what} (commands: ${COMMANDS.map((c) => c.name).join(', ')}; see cwmp --help)\n`)
    return 2
  }
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`cwmp ${command.name}: ${error.message} (see cwmp ${command.name} --help)\n`)
      return 2
    }
    throw error
  }
}
