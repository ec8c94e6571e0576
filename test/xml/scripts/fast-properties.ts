/**
 * Run under --allow-natives-syntax: prints whether the saxes parser of createXmlEventReader, and a
 * parser given one more handler, keep V8's fast properties (D425). Used by saxes-events.test.ts.
 */
import { DEFAULT_LIMITS, type XmlHandler } from '../../../src/xml/events.js'
import { createXmlEventReader } from '../../../src/xml/saxes-events.js'

const hasFastProperties = new Function('o', 'return %HasFastProperties(o)') as (o: unknown) => boolean
const handler: XmlHandler = { startElement() {}, text() {}, endElement: () => false }
const reader = createXmlEventReader(DEFAULT_LIMITS, handler)
reader.write('<a x="1"><b>t</b></a>')
reader.close()
const ours = hasFastProperties(reader.parser)
const another = createXmlEventReader(DEFAULT_LIMITS, handler)
another.parser.on('comment', () => {})
console.log(JSON.stringify({ ours, withOneMore: hasFastProperties(another.parser) }))
