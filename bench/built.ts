/**
 * The library as a user runs it: `src/index.ts` (and the internals a bench measures beside it)
 * bundled once per run with esbuild, as tsup builds `dist`, and imported from there. Run through
 * tsx, the TypeScript gets a `__name` call for every function it makes, and the scanner makes about
 * 25 per message: the Inform decoded 1.28–1.35× slower than built, the 1,000-parameter response
 * 1.04–1.13× (D424). `CWMP_BENCH_TSX=1` measures the TypeScript through tsx instead (to profile it).
 */
import { rmSync } from 'node:fs'
import { fileURLToPath, pathToFileURL } from 'node:url'

export type BuiltLibrary = typeof import('./built-entry.js')

/** Where the measured code comes from, for the bench's header line. */
export const builtFrom = (): string => (process.env['CWMP_BENCH_TSX'] === '1' ? 'the TypeScript through tsx (CWMP_BENCH_TSX=1)' : 'the library bundled with esbuild, as built')

let built: Promise<BuiltLibrary> | undefined

export function builtLibrary(): Promise<BuiltLibrary> {
  built ??= (async () => {
    if (process.env['CWMP_BENCH_TSX'] === '1') return import('./built-entry.js')
    const { build } = await import('esbuild')
    const entry = fileURLToPath(new URL('./built-entry.ts', import.meta.url))
    // Inside the checkout, so that the bundle's `saxes` resolves from its node_modules.
    const outfile = fileURLToPath(new URL(`../node_modules/.cache/cwmp-bench/library-${process.pid}.mjs`, import.meta.url))
    await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, external: ['saxes', 'ioredis'], logLevel: 'error' })
    process.once('exit', () => rmSync(outfile, { force: true }))
    return (await import(pathToFileURL(outfile).href)) as BuiltLibrary
  })()
  return built
}
