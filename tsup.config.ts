import { defineConfig } from 'tsup'

export default defineConfig({
  // The data models are entries of their own (cwmp/tr181, cwmp/tr098): the core bundle does not hold
  // them. `cli` is the `cwmp` bin (package.json `bin`; src/cli/bin.ts keeps its #! line).
  entry: { index: 'src/index.ts', tr181: 'src/datamodel/tr181.ts', tr098: 'src/datamodel/tr098.ts', cli: 'src/cli/bin.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', tr181: 'src/datamodel/tr181.ts', tr098: 'src/datamodel/tr098.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
})
