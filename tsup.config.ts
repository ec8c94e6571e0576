import { defineConfig } from 'tsup'

export default defineConfig({
  // The data models and the Redis stores are entries of their own (cwmp/tr181, cwmp/tr098, cwmp/redis):
  // the core bundle does not hold them; ioredis, a peer dependency, stays external. `cli` is the
  // `cwmp` bin (package.json `bin`; src/cli/bin.ts keeps its #! line).
  entry: {
    index: 'src/index.ts',
    tr181: 'src/datamodel/tr181.ts',
    tr098: 'src/datamodel/tr098.ts',
    redis: 'src/redis/index.ts',
    cli: 'src/cli/bin.ts',
  },
  format: ['esm', 'cjs'],
  dts: { entry: { index: 'src/index.ts', tr181: 'src/datamodel/tr181.ts', tr098: 'src/datamodel/tr098.ts', redis: 'src/redis/index.ts' } },
  sourcemap: true,
  clean: true,
  target: 'node20',
})
