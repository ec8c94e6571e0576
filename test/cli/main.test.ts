/**
 * The `cwmp` dispatch, in process: help, unknown commands and flags (one line, exit 2), and the
 * pure parts of the `cpe` configuration (what a reload changes, what a restart keeps).
 */
import { describe, expect, it } from 'vitest'
import { COMMANDS, main } from '../../src/cli/main.js'
import { io } from './io.js'
import { parseCpeConfig, reloadChange, startupSettings } from '../../src/cli/cpe-config.js'
import type { CpeClientState, CpeSettings } from '../../src/index.js'


describe('cwmp: the command table', () => {
  it('--help lists every command and exits 0; no command prints it to stderr and exits 2', async () => {
    const a = io()
    expect(await main(['--help'], a)).toBe(0)
    for (const c of COMMANDS) expect(a.out).toMatch(new RegExp(`^  ${c.name} +${c.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'))
    const b = io()
    expect(await main([], b)).toBe(2)
    expect(b.err).toContain('Usage: cwmp <command>')
  })

  it('an unknown command or flag: one clear line, exit 2', async () => {
    for (const argv of [['frobnicate'], ['--frob'], ['cpe', '--bogus'], ['cpe', '--config'], ['cpe', 'stray', '--config', 'x']]) {
      const r = io()
      expect(await main(argv, r), argv.join(' ')).toBe(2)
      expect(r.err.trim().split('\n'), argv.join(' ')).toHaveLength(1)
      expect(r.err).toMatch(/^cwmp( cpe)?: /)
    }
    const r = io()
    await main(['cpe', '--bogus'], r)
    expect(r.err).toContain("'--bogus'")
  })

  it('every command: --help and -h print its usage with examples (exit 0); an unknown flag is one line, exit 2', async () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(expect.arrayContaining(['decode', 'encode', 'pretty', 'cpe', 'acs']))
    for (const c of COMMANDS) {
      for (const flag of ['--help', '-h']) {
        const r = io()
        expect(await main([c.name, flag], r), `${c.name} ${flag}`).toBe(0)
        expect(r.out, c.name).toMatch(new RegExp(`^Usage: cwmp ${c.name}\\b`))
        // Each example is a command line of this command.
        expect(r.out, c.name).toMatch(/^Examples?:\n(  .*\n)+/m)
        expect(r.out.slice(r.out.search(/^Examples?:/m)), c.name).toMatch(new RegExp(`\\bcwmp ${c.name}\\b`))
        expect(r.err).toBe('')
      }
      const bad = io()
      expect(await main([c.name, '--no-such-flag'], bad), c.name).toBe(2)
      expect(bad.err).toBe(`cwmp ${c.name}: Unknown option '--no-such-flag' (see cwmp ${c.name} --help)\n`)
    }
  })

  it('bad values: --charset a decoder does not know, acs ports and schemes: one line, exit 2', async () => {
    for (const argv of [
      ['decode', '--charset', 'nonsense', 'x.xml'],
      ['pretty', '--charset', 'nonsense'],
      ['acs', '--port', '-1'],
      ['acs', '--control', '70000'],
      ['acs', '--auth', 'none', '--password', 'p'],
      ['acs', '--auth', 'basic', '--password', 'p', '--algorithms', 'MD5'],
      ['acs', '--authorize', 'everyone', '--password', 'p'],
    ]) {
      const r = io()
      expect(await main(argv, r), argv.join(' ')).toBe(2)
      expect(r.err.trim().split('\n'), argv.join(' ')).toHaveLength(1)
      expect(r.err).toMatch(new RegExp(`^cwmp ${argv[0]}: .*\\(see cwmp ${argv[0]} --help\\)\n$`))
    }
  })

  it('cwmp cpe --help shows the options and an example; without --config it is a usage error', async () => {
    const a = io()
    expect(await main(['cpe', '--help'], a)).toBe(0)
    expect(a.out).toContain('--config FILE')
    expect(a.out).toContain('--state FILE')
    expect(a.out).toContain('Example:')
    const b = io()
    expect(await main(['cpe'], b)).toBe(2)
    expect(b.err).toBe('cwmp cpe: --config FILE is required (see cwmp cpe --help)\n')
  })
})

describe('cwmp cpe: the configuration file', () => {
  it('reads settings, the model source and the DeviceId; refuses what is not, by field', () => {
    expect(parseCpeConfig('{"acsUrl":"http://a/","model":{"csv":"d.csv"}}')).toEqual({ settings: { acsUrl: 'http://a/' }, model: { kind: 'csv', file: 'd.csv' } })
    expect(parseCpeConfig('{"acsUrl":"http://a/"}').model).toEqual({ kind: 'sample', options: {} })
    expect(parseCpeConfig('{"model":"sample"}').model).toEqual({ kind: 'sample', options: {} })
    expect(parseCpeConfig('{"model":{"parameters":{"Device.X":1}}}').model).toEqual({ kind: 'parameters', parameters: { 'Device.X': 1 } })
    for (const [text, field] of [
      ['[]', '(file)'],
      ['nope', '(file)'],
      ['{"model":{"sql":"x"}}', 'model'],
      ['{"model":{"csv":""}}', 'model.csv'],
      ['{"model":{"sample":1}}', 'model.sample'],
      ['{"deviceId":{"oui":"001122"}}', 'deviceId.manufacturer'],
      ['{"periodicInformIntervall":5}', 'periodicInformIntervall'],
    ] as const) {
      expect(() => parseCpeConfig(text)).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field }))
    }
  })

  it('a reload changes what the file changed; a field taken out goes back to its default', () => {
    expect(reloadChange({ acsUrl: 'http://a/', periodicInformInterval: 1 }, { acsUrl: 'http://a/', periodicInformInterval: 3600 })).toEqual({ periodicInformInterval: 3600 })
    expect(reloadChange({ periodicInformInterval: 5, logSoap: true }, {})).toEqual({ periodicInformInterval: 3600, logSoap: false })
    expect(
      reloadChange(
        { connectionRequest: { username: 'a', password: 'b', urlHost: 'x.example', path: '/p' }, retry: { minimumWaitInterval: 9 } },
        { connectionRequest: { username: 'a', password: 'c' }, retry: {} },
      ),
    ).toEqual({ connectionRequest: { password: 'c', urlHost: undefined }, retry: { minimumWaitInterval: 5 } })
    expect(reloadChange({ connectionRequest: { username: 'a' } }, {})).toEqual({ connectionRequest: false })
  })

  it('a restart keeps the saved value of every field the file did not change since (what the ACS set, the random path)', () => {
    const saved = {
      version: 1 as const,
      state: {} as CpeClientState,
      config: { acsUrl: 'http://a/', periodicInformInterval: 300, connectionRequest: { username: 'acs', password: 'p' } },
      settings: {
        acsUrl: 'http://moved-by-acs/',
        periodicInformInterval: 900,
        connectionRequest: { username: 'acs', password: 'set-by-acs', path: '/cwmp-cr-1234', port: 0, authentication: true },
        logSoap: false,
      } as unknown as CpeSettings,
    }
    // The file changed the interval since: the file wins there, the saved values elsewhere.
    const now = { acsUrl: 'http://a/', periodicInformInterval: 60, connectionRequest: { username: 'acs', password: 'p' } }
    expect(startupSettings(now, saved)).toEqual({
      acsUrl: 'http://moved-by-acs/',
      periodicInformInterval: 60,
      connectionRequest: { username: 'acs', password: 'set-by-acs', path: '/cwmp-cr-1234', port: 0, authentication: true },
      logSoap: false,
    })
    expect(startupSettings(now, undefined)).toBe(now)
  })
})
