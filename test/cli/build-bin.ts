/**
 * Vitest global setup: builds the `cwmp` bin once per test run (tsup, ES module, no types) into a
 * temporary folder, and provides its path as `cwmpBin` (`inject('cwmpBin')`), so that tests spawn
 * `node that.js` instead of loading the sources through tsx in every child process (D700).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { build } from 'tsup'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built `cwmp` bin (an ES module): `spawn(process.execPath, [cwmpBin, …])`. */
    cwmpBin: string
  }
}

const root = resolve(import.meta.dirname, '../..')

export default async function setup(project: TestProject): Promise<() => void> {
  const outDir = mkdtempSync(join(tmpdir(), 'cwmp-bin-'))
  await build({
    config: false,
    entry: { cwmp: join(root, 'src/cli/bin.ts') },
    outDir,
    format: ['esm'],
    platform: 'node',
    target: 'node20',
    dts: false,
    sourcemap: false,
    splitting: false,
    clean: false,
    silent: true,
    // Bundle saxes too: the temporary folder has no node_modules to resolve it from.
    noExternal: [/./],
    // A .mjs file: the temporary folder has no package.json saying "type": "module".
    outExtension: () => ({ js: '.mjs' }),
  })
  project.provide('cwmpBin', join(outDir, 'cwmp.mjs'))
  return () => rmSync(outDir, { recursive: true, force: true })
}
