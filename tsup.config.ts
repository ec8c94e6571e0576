import { defineConfig } from 'tsup'

export default defineConfig({
  // The library, and the `cwmp` bin (package.json `bin`; src/cli/bin.ts keeps its #! line).
  entry: { index: 'src/index.ts', cli: 'src/cli/bin.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
})
