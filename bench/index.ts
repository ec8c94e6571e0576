import { runCodecBench } from './codec.js'
import { runLoadBench } from './load.js'

const only = process.argv[2]
if (only === undefined || only === 'codec') runCodecBench(console.log)
if (only === undefined || only === 'load') await runLoadBench(console.log)
