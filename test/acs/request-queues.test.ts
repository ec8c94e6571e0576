/**
 * The in-memory per-device request queues, against a model (fast-check): push appends, putBack
 * prepends, takeAll empties, peek copies; devices never see each other's requests.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createMemoryRequestQueues } from '../../src/acs/request-queues.js'
import type { AcsRequest } from '../../src/index.js'

const req = (commandKey: string): AcsRequest => ({ method: 'Reboot', commandKey })

describe('request queues (in memory)', () => {
  it('push appends, putBack goes in front in order, takeAll empties, peek is a copy', () => {
    const q = createMemoryRequestQueues()
    q.push('d', [req('a'), req('b')])
    q.push('d', [req('c')])
    q.putBack('d', [req('x'), req('y')])
    const peeked = q.peek('d')
    peeked.length = 0
    expect(q.peek('d').map((r) => r.method === 'Reboot' && r.commandKey)).toEqual(['x', 'y', 'a', 'b', 'c'])
    expect(q.takeAll('d')).toHaveLength(5)
    expect(q.takeAll('d')).toEqual([])
    expect(q.peek('d')).toEqual([])
    expect(q.peek('other')).toEqual([])
  })

  it('behaves as one list per device (property)', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), device: fc.constantFrom('a', 'b'), keys: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }) }),
      fc.record({ kind: fc.constant('putBack' as const), device: fc.constantFrom('a', 'b'), keys: fc.array(fc.string({ maxLength: 3 }), { maxLength: 3 }) }),
      fc.record({ kind: fc.constant('takeAll' as const), device: fc.constantFrom('a', 'b') }),
    )
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const q = createMemoryRequestQueues()
        const model = new Map<string, string[]>([
          ['a', []],
          ['b', []],
        ])
        for (const o of ops) {
          const m = model.get(o.device) as string[]
          if (o.kind === 'push') {
            q.push(o.device, o.keys.map(req))
            model.set(o.device, [...m, ...o.keys])
          } else if (o.kind === 'putBack') {
            q.putBack(o.device, o.keys.map(req))
            model.set(o.device, [...o.keys, ...m])
          } else {
            expect(q.takeAll(o.device).map((r) => r.method === 'Reboot' && r.commandKey)).toEqual(m)
            model.set(o.device, [])
          }
          for (const d of ['a', 'b']) expect(q.peek(d).map((r) => r.method === 'Reboot' && r.commandKey)).toEqual(model.get(d))
        }
      }),
      { numRuns: 200 },
    )
  })
})
