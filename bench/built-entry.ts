/** What the benches measure, bundled by built.ts: the public API and the internals measured beside it. */
export { decodeEnvelope, encodeEnvelope } from '../src/index.js'
export { scanXmlEvents } from '../src/xml/scanner.js'
export { DEFAULT_LIMITS } from '../src/xml/events.js'
