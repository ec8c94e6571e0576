/**
 * Regenerates the `.xml` of every canonical fixture (`fixtures/envelopes/<Method>/canonical*.json`)
 * from its hand-written `.json` with the encoder: `npx tsx test/codec/write-canonical.ts`.
 *
 * Run it only after an intended change of the encoder's output, and review the diff: the fixture
 * test compares the encoder with these bytes.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { encodeEnvelope, type DecodedEnvelope } from '../../src/index.js'

const root = join(import.meta.dirname, '../../fixtures/envelopes')
let n = 0
for (const method of readdirSync(root).sort()) {
  for (const file of readdirSync(join(root, method)).sort()) {
    if (!file.startsWith('canonical') || !file.endsWith('.json')) continue
    const envelope = JSON.parse(readFileSync(join(root, method, file), 'utf8')) as DecodedEnvelope
    writeFileSync(join(root, method, file.replace(/\.json$/, '.xml')), encodeEnvelope(envelope))
    n++
  }
}
console.log(`wrote ${n} canonical fixtures`)
