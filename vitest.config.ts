import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

// `npm test`: unit, property, peer and docs-example tests. The slow packaging and API-docs checks
// (test/check/) run with `npm run check` (vitest.check.config.ts); .ci/run runs both.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/check/**', '**/node_modules/**'],
    // Many test files wait on loopback peers and child processes rather than on the CPU, so two
    // workers even on a 2-core machine (vitest's default there is one): see docs/decisions.md D504.
    maxWorkers: Math.max(2, availableParallelism()),
    // The `cwmp` bin, built once per run for the tests that spawn it (test/cli/build-bin.ts, D700).
    globalSetup: ['test/cli/build-bin.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
