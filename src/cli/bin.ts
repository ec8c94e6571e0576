#!/usr/bin/env node
/**
 * The `cwmp` executable: runs {@link main} with the process's arguments, output and signals.
 *
 * @module
 */
import { main } from './main.js'

void main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stderrIsTty: process.stderr.isTTY === true,
  onSignal: (signal, listener) => {
    process.on(signal, listener)
    return () => process.off(signal, listener)
  },
}).then(
  (code) => {
    process.exitCode = code
    // Exit when everything is closed; if something still holds the event loop, do not hang on it.
    setTimeout(() => process.exit(code), 1000).unref()
  },
  (error: unknown) => {
    process.stderr.write(`cwmp: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    process.exit(1)
  },
)
