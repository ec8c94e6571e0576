/**
 * Run under --expose-gc: decodes 30 messages of about 2 MB, each with Value start tags no other
 * message has, keeps none of the results, and prints the heap in use after a collection. The raw
 * reader remembers tags across messages (D29); a tag kept as a V8 slice would keep its whole message
 * alive. Used by raw-items.test.ts.
 */
import { decodeEnvelope } from '../../../src/index.js'

const gc = (globalThis as { gc?: () => void }).gc as () => void
const HEAD =
  '<soap-env:Envelope xmlns:soap-env="http://schemas.xmlsoap.org/soap/envelope/" xmlns:soap-enc="http://schemas.xmlsoap.org/soap/encoding/" ' +
  'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:cwmp="urn:dslforum-org:cwmp-1-2">' +
  '<soap-env:Body><cwmp:GetParameterValuesResponse><ParameterList soap-enc:arrayType="cwmp:ParameterValueStruct[2]">'
const TAIL = '</ParameterList></cwmp:GetParameterValuesResponse></soap-env:Body></soap-env:Envelope>'
let items = 0
gc()
const before = process.memoryUsage().heapUsed
for (let m = 0; m < 30; m++) {
  // White space varied per message: a tag of its own, read raw twice (so it is also given a regular expression).
  const tag = `<Value${' '.repeat(1 + m)}xsi:type="xsd:string">`
  const big = 'x'.repeat(2_000_000 + m)
  const xml = `${HEAD}<ParameterValueStruct><Name>Device.A</Name>${tag}${big}</Value></ParameterValueStruct><ParameterValueStruct><Name>Device.B</Name>${tag}v</Value></ParameterValueStruct>${TAIL}`
  const body = decodeEnvelope(xml).body as unknown as { parameterList: unknown[] }
  items += body.parameterList.length
}
gc()
console.log(JSON.stringify({ items, grownMB: (process.memoryUsage().heapUsed - before) / 1e6 }))
