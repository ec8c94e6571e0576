// Issue 12, "how it is checked": two and four simulator processes over a real redis-server behind a
// balancer that alternates every request, 1,000 CPEs at once: 0 failed sessions, 0 duplicate RPCs,
// 0 lost queued requests, one session each, every process listing all sessions and devices. The
// cases that do not depend on the CPE count run in `npm test` (test/redis/multiprocess.test.ts).
import { multiprocessSuite } from '../redis/multiprocess-suite.js'

multiprocessSuite({ cpes: 1000, fleetOnly: true })
