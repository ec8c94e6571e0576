import { runCodecBench } from './codec.js'

const only = process.argv[2]
if (only === undefined || only === 'codec') runCodecBench(console.log)
