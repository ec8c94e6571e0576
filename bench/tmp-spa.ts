import { readFileSync } from 'node:fs'
import { decodeEnvelope } from '../src/index.js'
import { useRawItems } from '../src/envelope/tree.js'
const xml = readFileSync('/tmp/spa100.xml', 'utf8')
useRawItems(process.argv[2] === 'on')
let n = 0; const t0 = performance.now(); while (performance.now() - t0 < 4000) { decodeEnvelope(xml); n++ }
console.log(process.argv[2], ((performance.now() - t0) * 1000 / n).toFixed(1), 'us')
