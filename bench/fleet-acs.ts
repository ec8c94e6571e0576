/**
 * The ACS simulator in a process of its own for `npm run bench -- fleet`: Digest with one shared
 * password, recording off; prints its URL, then on stdin EOF prints its CPU seconds and exits.
 */
import { createAcsSimulator } from '../src/index.js'

const sim = await createAcsSimulator({ auth: { password: 'bench-pw' }, maxMessages: 0, maxSessions: 1000, maxDevices: 200_000 })
process.stdout.write(`${sim.url}\n`)
process.stdin.resume()
process.stdin.on('end', () => {
  const cpu = process.cpuUsage()
  process.stdout.write(`${JSON.stringify({ cpuSeconds: (cpu.user + cpu.system) / 1e6, rssBytes: process.memoryUsage.rss() })}\n`)
  void sim.close().then(() => process.exit(0))
})
