/** An in-process `CliIo` for `main(...)` that keeps what a command writes, and ignores signals. */
import type { CliIo } from '../../src/cli/main.js'

export function io(): CliIo & { out: string; err: string } {
  const r = {
    out: '',
    err: '',
    stdout: { write: (t: string) => (r.out += t) },
    stderr: { write: (t: string) => (r.err += t) },
    onSignal: () => () => undefined,
  }
  return r
}
