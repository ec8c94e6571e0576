// Issue 12's multi-process cases with 100 CPEs (bounded for `npm test`); the 1,000-CPE variant is
// test/check/multiprocess-1000.test.ts (`npm run check`).
import { multiprocessSuite } from './multiprocess-suite.js'

multiprocessSuite({ cpes: Number(process.env['CWMP_REDIS_CPES'] ?? 100) })
