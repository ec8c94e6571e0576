import { defineConfig } from 'vitest/config'

// `npm run check`: the published package (tsup build, publint, attw, both entries) and the API docs
// (typedoc with no warning). Slow, so kept out of `npm test`; .ci/run runs it after `npm test`.
export default defineConfig({
  test: {
    include: ['test/check/**/*.test.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
})
