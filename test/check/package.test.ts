// The published package as a consumer sees it: tsup builds a copy of the package in a temporary
// directory (the working tree's dist/ is left alone), publint and attw check the packed result,
// Node loads both the ESM and the CommonJS entry through the exports map, and typedoc checks that
// every export is documented.
import { execFile } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..')
const bin = (name: string) => join(root, 'node_modules/.bin', name)

interface RunResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

function run(cmd: string, args: readonly string[], cwd: string): Promise<RunResult> {
  return new Promise((done) => {
    execFile(
      cmd,
      args,
      { cwd, encoding: 'utf8', timeout: 180_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (err, stdout, stderr) =>
        done({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 1, stdout, stderr }),
    )
  })
}

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '')

let pkg = ''
let build: RunResult | undefined

beforeAll(async () => {
  pkg = mkdtempSync(join(tmpdir(), 'cwmp-pkg-'))
  for (const f of ['package.json', 'tsconfig.json', 'tsup.config.ts', 'LICENSE', 'NOTICE', 'README.md', 'CHANGELOG.md']) {
    if (existsSync(join(root, f))) cpSync(join(root, f), join(pkg, f))
  }
  for (const d of ['src', 'tr181', 'tr098', 'redis']) cpSync(join(root, d), join(pkg, d), { recursive: true })
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'), 'dir')
  build = await run(bin('tsup'), [], pkg)
}, 240_000)

afterAll(() => {
  if (pkg !== '') rmSync(pkg, { recursive: true, force: true })
})

describe('package', { timeout: 180_000 }, () => {
  it('tsup builds index, tr181 and tr098 as .js, .cjs, .d.ts and .d.cts', () => {
    expect(build?.stderr ?? 'not built').not.toMatch(/error/i)
    expect(build?.code).toBe(0)
    for (const entry of ['index', 'tr181', 'tr098']) {
      for (const ext of ['js', 'cjs', 'd.ts', 'd.cts']) {
        expect(existsSync(join(pkg, 'dist', `${entry}.${ext}`)), `${entry}.${ext}`).toBe(true)
      }
    }
  })

  it('the core entry holds no data-model table; each data-model entry holds its own and the licence notice', () => {
    const core = ['index.js', 'index.cjs', ...readdirSync(join(pkg, 'dist')).filter((f) => /^chunk-.*\.js$/.test(f))]
    const importedByCore = new Set([...readFileSync(join(pkg, 'dist/index.js'), 'utf8').matchAll(/from "\.\/(chunk-[^"]+)"/g)].map((m) => m[1]))
    for (const f of core.filter((f) => !f.startsWith('chunk-') || importedByCore.has(f))) {
      const text = readFileSync(join(pkg, 'dist', f), 'utf8')
      expect(text, f).not.toContain('Device:2.17')
      expect(text, f).not.toContain('InternetGatewayDevice:1.14')
    }
    for (const [entry, model] of [['tr181', 'Device:2.17'], ['tr098', 'InternetGatewayDevice:1.14']] as const) {
      for (const ext of ['js', 'cjs']) {
        const text = readFileSync(join(pkg, 'dist', `${entry}.${ext}`), 'utf8')
        expect(text, `${entry}.${ext}`).toContain(model)
        expect(text, `${entry}.${ext}`).toContain('THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS')
      }
    }
  })

  it('publint finds nothing, suggestions included', async () => {
    const { messages, pkg: manifest } = await publint({ pkgDir: pkg, level: 'suggestion', pack: 'npm' })
    expect(messages.map((m) => `${m.type}: ${formatMessage(m, manifest, { color: false }) ?? m.code}`)).toEqual([])
  })

  it('attw resolves types for node10, node16 (CJS and ESM) and bundler with no problem', async () => {
    const r = await run(bin('attw'), ['--pack', pkg, '--format', 'json'], root)
    const report = JSON.parse(r.stdout) as {
      analysis: {
        problems: unknown[]
        entrypoints: Record<string, { resolutions: Record<string, { resolution?: { fileName: string } }> }>
      }
    }
    expect(report.analysis.problems).toEqual([])
    const types = Object.fromEntries(
      Object.entries(report.analysis.entrypoints['.']?.resolutions ?? {}).map(([mode, r]) => [
        mode,
        r.resolution?.fileName.replace(/^.*\/dist\//, 'dist/'),
      ]),
    )
    expect(types).toEqual({
      node10: 'dist/index.d.cts',
      'node16-cjs': 'dist/index.d.cts',
      'node16-esm': 'dist/index.d.ts',
      bundler: 'dist/index.d.ts',
    })
    for (const entry of ['tr181', 'tr098']) {
      const resolved = Object.fromEntries(
        Object.entries(report.analysis.entrypoints[`./${entry}`]?.resolutions ?? {}).map(([mode, r]) => [
          mode,
          r.resolution?.fileName.replace(/^.*\/dist\//, 'dist/'),
        ]),
      )
      // node10 ignores the exports map: tr181/package.json and tr098/package.json point it at the CommonJS build.
      expect(resolved, entry).toEqual({
        node10: `dist/${entry}.d.cts`,
        'node16-cjs': `dist/${entry}.d.cts`,
        'node16-esm': `dist/${entry}.d.ts`,
        bundler: `dist/${entry}.d.ts`,
      })
    }
    expect(r.code).toBe(0)
  })

  it('Node loads cwmp/tr181 and cwmp/tr098 through the exports map, as ESM and as CommonJS', async () => {
    const script = join(pkg, 'check-datamodels.mjs')
    writeFileSync(
      script,
      `import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const out = {}
for (const entry of ['tr181', 'tr098']) {
  const esm = await import('cwmp/' + entry)
  const cjs = require('cwmp/' + entry)
  const root = entry === 'tr181' ? 'Device.DeviceInfo.UpTime' : 'InternetGatewayDevice.DeviceInfo.UpTime'
  out[entry] = {
    esm: import.meta.resolve('cwmp/' + entry),
    cjs: require.resolve('cwmp/' + entry),
    model: esm[entry].model,
    same: cjs[entry].model === esm[entry].model,
    xsd: esm.xsdType(root),
    readOnly: cjs.validate(root, '1').faultCode,
  }
}
console.log(JSON.stringify(out))
`,
    )
    const r = await run(process.execPath, [script], pkg)
    expect(r.stderr).toBe('')
    const out = JSON.parse(r.stdout) as Record<string, Record<string, unknown>>
    expect(out).toEqual({
      tr181: { esm: `file://${join(pkg, 'dist/tr181.js')}`, cjs: join(pkg, 'dist/tr181.cjs'), model: 'Device:2.17', same: true, xsd: 'xsd:unsignedInt', readOnly: 9008 },
      tr098: { esm: `file://${join(pkg, 'dist/tr098.js')}`, cjs: join(pkg, 'dist/tr098.cjs'), model: 'InternetGatewayDevice:1.14', same: true, xsd: 'xsd:unsignedInt', readOnly: 9008 },
    })
  })

  it('Node loads the CommonJS entry with require("cwmp")', async () => {
    const script = join(pkg, 'check.cjs')
    writeFileSync(
      script,
      `const m = require('cwmp')
let error
try { m.decodeEnvelope('<not-xml') } catch (e) { error = e }
console.log(JSON.stringify({
  resolved: require.resolve('cwmp'),
  names: Object.keys(m).sort(),
  code: error && error.code,
  recognised: m.isCwmpError(error),
}))
`,
    )
    const r = await run(process.execPath, [script], pkg)
    expect(r.stderr).toBe('')
    const out = JSON.parse(r.stdout) as { resolved: string; names: string[]; code: string; recognised: boolean }
    expect(out.resolved).toBe(join(pkg, 'dist/index.cjs'))
    expect(out.names).toEqual(expect.arrayContaining(['decodeEnvelope', 'encodeEnvelope', 'isCwmpError', 'CwmpError', 'makeFault', 'createCpeSession', 'createAcsSession', 'CPE_FAULTS']))
    expect(out.code).toBe('ERR_CWMP_XML_MALFORMED')
    expect(out.recognised).toBe(true)
  })

  it('the ESM and CommonJS copies export the same names and recognise each other\'s errors', async () => {
    const script = join(pkg, 'check.mjs')
    writeFileSync(
      script,
      `import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const esm = await import('cwmp')
const cjs = require('cwmp')
const thrown = (m) => { try { m.decodeEnvelope('<not-xml') } catch (e) { return e } }
const esmError = thrown(esm)
const cjsError = thrown(cjs)
console.log(JSON.stringify({
  esmResolved: import.meta.resolve('cwmp'),
  cjsResolved: require.resolve('cwmp'),
  esmNames: Object.keys(esm).filter((k) => k !== 'default' && k !== 'module.exports').sort(),
  cjsNames: Object.keys(cjs).sort(),
  twoCopies: esm.CwmpError !== cjs.CwmpError,
  esmCode: esmError.code,
  cjsCode: cjsError.code,
  cjsRecognisesEsm: cjs.isCwmpError(esmError),
  esmRecognisesCjs: esm.isCwmpError(cjsError),
  dataModelFault: esm.isDataModelFault(new cjs.DataModelFault('InvalidParameterName'))
    && cjs.isDataModelFault(new esm.DataModelFault('InvalidParameterName')),
  faultFromOtherCopy: cjs.toFault(esmError, 'cpe').faultCode,
}))
`,
    )
    const r = await run(process.execPath, [script], pkg)
    expect(r.stderr).toBe('')
    const out = JSON.parse(r.stdout) as Record<string, unknown> & { esmNames: string[]; cjsNames: string[] }
    expect(out.esmResolved).toBe(`file://${join(pkg, 'dist/index.js')}`)
    expect(out.cjsResolved).toBe(join(pkg, 'dist/index.cjs'))
    expect(out.esmNames.length).toBeGreaterThan(100)
    expect(out.esmNames).toEqual(out.cjsNames)
    // The dual-package hazard is real here (two classes), and isCwmpError sees through it.
    expect(out.twoCopies).toBe(true)
    expect(out).toMatchObject({
      esmCode: 'ERR_CWMP_XML_MALFORMED',
      cjsCode: 'ERR_CWMP_XML_MALFORMED',
      cjsRecognisesEsm: true,
      esmRecognisesCjs: true,
      dataModelFault: true,
      // A malformed-XML error from the other copy maps through its faultKind, not to 9002.
      faultFromOtherCopy: 9003,
    })
  })

  it('cwmp/redis loads through the exports map from ESM and CommonJS (ioredis stays a peer: not bundled)', async () => {
    const script = join(pkg, 'redis-check.mjs')
    writeFileSync(
      script,
      `import { createRequire } from 'node:module'
const require = createRequire(import.meta.url)
const esm = await import('cwmp/redis')
const cjs = require('cwmp/redis')
console.log(JSON.stringify({ esm: Object.keys(esm).filter((k) => k !== 'default' && k !== 'module.exports').sort(), cjs: Object.keys(cjs).sort(), resolved: require.resolve('cwmp/redis') }))
`,
    )
    const r = await run(process.execPath, [script], pkg)
    expect(r.stderr).toBe('')
    expect(JSON.parse(r.stdout)).toEqual({ esm: ['createRedisAcsStores'], cjs: ['createRedisAcsStores'], resolved: join(pkg, 'dist/redis.cjs') })
    for (const f of ['redis.js', 'redis.cjs']) expect(readFileSync(join(pkg, 'dist', f), 'utf8')).not.toMatch(/class Redis\b|ioredis\/built/)
  })

  it('the package exports the same names as src/index.ts', async () => {
    const src = (await import('../../src/index.js')) as Record<string, unknown>
    const built = JSON.parse(
      (await run(process.execPath, ['-e', "console.log(JSON.stringify(Object.keys(require('cwmp')).sort()))"], pkg))
        .stdout,
    ) as string[]
    expect(built).toEqual(Object.keys(src).sort())
  })

  it('the cwmp bin is a built file that runs, also through the symlink npm installs for it', async () => {
    const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { bin: Record<string, string> }
    const target = join(pkg, manifest.bin.cwmp as string)
    expect(readFileSync(target, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    const direct = await run(process.execPath, [target, '--help'], pkg)
    expect(direct.code).toBe(0)
    expect(direct.stdout).toContain('cpe')
    // As installed: node_modules/.bin/cwmp -> ../cwmp/dist/cli.js, run from elsewhere.
    const app = mkdtempSync(join(tmpdir(), 'cwmp-app-'))
    try {
      const installed = join(app, 'node_modules/cwmp')
      cpSync(join(pkg, 'dist'), join(installed, 'dist'), { recursive: true })
      cpSync(join(pkg, 'package.json'), join(installed, 'package.json'))
      symlinkSync(join(root, 'node_modules/saxes'), join(app, 'node_modules/saxes'), 'dir')
      symlinkSync(join(root, 'node_modules/xmlchars'), join(app, 'node_modules/xmlchars'), 'dir')
      const binDir = join(app, 'node_modules/.bin')
      mkdirSync(binDir)
      symlinkSync(join('..', 'cwmp', manifest.bin.cwmp as string), join(binDir, 'cwmp'))
      chmodSync(join(installed, manifest.bin.cwmp as string), 0o755)
      const viaLink = await run(join(binDir, 'cwmp'), ['cpe', '--help'], app)
      expect(viaLink.stderr).toBe('')
      expect(viaLink.code).toBe(0)
      expect(viaLink.stdout).toContain('--config FILE')
      const bad = await run(join(binDir, 'cwmp'), ['nope'], app)
      expect(bad.code).toBe(2)
    } finally {
      rmSync(app, { recursive: true, force: true })
    }
  })

  it('typedoc documents every export and renders the site with no warning (npm run docs, into a temp dir)', async () => {
    // Rendering finds problems --emit none does not (links, code-block languages): render for real.
    const out = mkdtempSync(join(tmpdir(), 'cwmp-docs-'))
    const r = await run(bin('typedoc'), ['--out', out], root)
    rmSync(out, { recursive: true, force: true })
    const output = stripAnsi(`${r.stdout}${r.stderr}`)
    expect(output.split('\n').filter((l) => /\[(warning|error)\]/.test(l))).toEqual([])
    expect(r.code).toBe(0)
  })
})
