/**
 * Prints whether code from strings is allowed here, then the encoding of a few bench messages, as
 * JSON: the parent test runs it with and without `--disallow-code-generation-from-strings` (D27).
 */
import { encodeEnvelope } from '../../../src/index.js'
import { gpnResponseEnvelope, gpvEnvelope, informEnvelope, spaEnvelope, spvEnvelope } from '../../../bench/messages.js'

let codeFromStrings = true
try {
  new Function('return 1')
} catch {
  codeFromStrings = false
}
const envelopes = [informEnvelope(), gpvEnvelope(20), spvEnvelope(20), gpnResponseEnvelope(20), spaEnvelope(20)]
console.log(JSON.stringify({ codeFromStrings, xml: envelopes.map((e) => encodeEnvelope(e)) }))
