/**
 * Writes the documentation's runnable examples to test/docs/.examples/ (see test/docs/examples.ts), so
 * that `tsc --noEmit` type-checks them with the rest of the tree. `npm test` runs it first.
 */
import { relative } from 'node:path'
import { ROOT, writeExamples } from '../test/docs/examples.js'

const files = writeExamples()
console.log(`doc examples: ${files.length} written to ${relative(ROOT, files[0] ?? 'test/docs/.examples/').replace(/[^/]*$/, '')}`)
