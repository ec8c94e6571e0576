/*
 * No spread or `apply` over an array of unbounded length in src/ (issue 9 item 3): a call's
 * arguments live on the stack, so `push(...list)`, `Math.min(...list)` or
 * `String.fromCharCode(...bytes)` throw `RangeError: Maximum call stack size exceeded` from about
 * 125,000 elements. Every spread argument and `.apply` in src/ is found with the TypeScript parser;
 * each one must be listed below with the reason its length is bounded.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve, sep } from 'node:path'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const SRC = resolve(import.meta.dirname, '../../src')

/** `file: call` → why the spread is bounded. */
const BOUNDED: Record<string, string> = {
  'acs/bounded.ts: method.apply(target, args)': "the arguments of one store method call (at most four)",
  'acs/session-flow.ts: live.machine.enqueue(...waiting.slice(i, i + SLICE))': 'slices of 4,096 requests',
  'redis/index.ts: redis.evalsha(s.sha, keys.length, ...keys, ...args)': "a script's few keys and arguments",
  'redis/index.ts: redis.eval(s.text, keys.length, ...keys, ...args)': "a script's few keys and arguments",
  'redis/index.ts: p.zrem(index, ...part)': 'slices of 4,096',
  "redis/index.ts: m.rpush(key('q', deviceKey), ...part)": 'slices of 4,096',
  "redis/index.ts: m.lpush(key('q', deviceKey), ...part)": 'slices of 4,096',
  'cpe/client.ts: composeTransport(http, ...middleware)': 'the middleware list of the configuration',
  'cpe/client.ts: (hook as (...a: unknown[]) => unknown).apply(hooks, args)': 'the few arguments of one hook call',
  'cli/acs-script.ts: sim.queue(deviceKey, ...requests.slice(i, i + SLICE))': 'slices of 4,096 requests',
  'cli/main.ts: Math.max(...COMMANDS.map((c) => c.name.length))': 'the fixed command table',
  'datamodel/check.ts: xsdPattern(...patterns)': "the patterns of one parameter's syntax",
  'datamodel/check.ts: Math.max(...sizes.map((s) => s.maxLength ?? Infinity))': "the size facets of one parameter's syntax",
  'xml/charset.ts: String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[])': 'chunks of 8,192 bytes',
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  )
}

/** The calls of `file` that spread an argument or use `.apply`, as `file: call`. */
function spreadingCalls(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true)
  const name = relative(SRC, file).split(sep).join('/')
  const out: string[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const spread = (node.arguments ?? []).some(ts.isSpreadElement)
      const apply = ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'apply'
      if (spread || apply) out.push(`${name}: ${node.getText(source).replace(/\s+/g, ' ')}`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return out
}

describe('architecture: no spread over an unbounded array', () => {
  const calls = sources(SRC).flatMap(spreadingCalls)

  it('every spread argument and apply in src/ is one whose length is bounded', () => {
    expect(calls.filter((c) => BOUNDED[c] === undefined)).toEqual([])
  })

  it('the list names no call that is gone, and the search finds calls', () => {
    expect(Object.keys(BOUNDED).filter((c) => !calls.includes(c))).toEqual([])
    // Guards against a search that finds nothing (the first test would then pass vacuously).
    expect(spreadingCalls(join(SRC, 'xml/charset.ts'))).toHaveLength(1)
  })
})
