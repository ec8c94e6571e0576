import { defineConfig } from 'vitest/config'

// `npm test`: unit, property, peer and docs-example tests. The slow packaging and API-docs checks
// (test/check/) run with `npm run check` (vitest.check.config.ts); .ci/run runs both.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/check/**', '**/node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
