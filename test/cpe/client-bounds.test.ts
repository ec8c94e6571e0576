/**
 * Issue 9, item 4, as attacks: user code that never settles (a hook, a data-model call, a
 * callback). Every wait on it is bounded (`userCodeTimeoutMs`, short here), the bound passing is a
 * reported TimeoutError (the ACS gets 9002), and stop() settles whatever the hooks do, with the
 * Connection Request listener closed first.
 */
import { describe, expect, it } from 'vitest'
import {
  createSampleDeviceModel,
  type CpeClientActivity,
  type Fault,
  type TimeoutError,
} from '../../src/index.js'
import { bareGet, client, sampleKey, sendConnectionRequest, simulator, within } from './loopback.js'

const never = <T>(): Promise<T> => new Promise<T>(() => undefined)

function errorsOf(list: unknown[]): { code?: string; operation?: string; timeoutMs?: number }[] {
  return list as { code?: string; operation?: string; timeoutMs?: number }[]
}

describe('every wait on user code is bounded', () => {
  it('a hook that never settles: after the bound the ACS gets 9002, the TimeoutError is reported, the session goes on', async () => {
    const sim = await simulator()
    sim.queue(sampleKey('SNLOOP'), {
      method: 'Download',
      commandKey: 'dl',
      fileType: '1 Firmware Upgrade Image',
      url: 'http://files.test/fw.bin',
      username: '',
      password: '',
      fileSize: 0,
      targetFileName: '',
      delaySeconds: 0,
      successUrl: '',
      failureUrl: '',
    })
    const errors: unknown[] = []
    const c = client({
      acsUrl: sim.url,
      userCodeTimeoutMs: 200,
      hooks: { download: () => never() },
      onActivity: (e: CpeClientActivity) => e.type === 'error' && errors.push(e.error),
    })
    const first = c.nextSession()
    await c.start()
    expect(await within(first)).toMatchObject({ ok: true, requests: ['Download'] })
    const fault = sim.messages.find((m) => m.direction === 'in' && m.message?.method === 'Fault')?.message as Fault
    expect(fault.faultCode).toBe(9002)
    expect(errorsOf(errors)).toContainEqual(expect.objectContaining({ code: 'ERR_CWMP_TIMEOUT', operation: 'hooks.download', timeoutMs: 200 }))
  })

  it('a data-model call that never settles: the same, and the next session runs normally', async () => {
    const sim = await simulator()
    sim.queue(sampleKey('SNLOOP'), { method: 'GetParameterValues', parameterNames: ['Device.WiFi.'] })
    const model = createSampleDeviceModel({ serialNumber: 'SNLOOP' })
    const gpv = model.getParameterValues.bind(model)
    ;(model as { getParameterValues: unknown }).getParameterValues = (names: readonly string[]) => (names.includes('Device.WiFi.') ? never() : gpv(names))
    const errors: unknown[] = []
    const c = client({ acsUrl: sim.url, model, userCodeTimeoutMs: 200, onActivity: (e: CpeClientActivity) => e.type === 'error' && errors.push(e.error) })
    const first = c.nextSession()
    await c.start()
    expect(await within(first)).toMatchObject({ ok: true, requests: ['GetParameterValues'] })
    expect((sim.messages.find((m) => m.direction === 'in' && m.message?.method === 'Fault')?.message as Fault).faultCode).toBe(9002)
    expect(errorsOf(errors)).toContainEqual(expect.objectContaining({ code: 'ERR_CWMP_TIMEOUT', operation: 'model.getParameterValues' }))
    const second = c.nextSession()
    c.addEvent('8 DIAGNOSTICS COMPLETE')
    expect(await within(second)).toMatchObject({ ok: true })
  })

  it('stop() settles while a hook never settles (a long bound), and the Connection Request listener is closed first', async () => {
    const sim = await simulator()
    sim.queue(sampleKey('SNLOOP'), { method: 'ScheduleInform', delaySeconds: 5, commandKey: 'si' })
    let entered: () => void = () => undefined
    const inHook = new Promise<void>((resolve) => {
      entered = resolve
    })
    const errors: unknown[] = []
    const c = client({
      acsUrl: sim.url,
      userCodeTimeoutMs: 600_000,
      connectionRequest: { username: 'acs', password: 'cr-pass', host: '127.0.0.1' },
      hooks: {
        scheduleInform: () => {
          entered()
          return never()
        },
      },
      onActivity: (e: CpeClientActivity) => e.type === 'error' && errors.push(e.error),
    })
    await c.start()
    await within(inHook)
    const url = c.connectionRequestUrl as string
    // While the hook hangs, the listener still answers.
    expect(await sendConnectionRequest(url, 'acs', 'cr-pass')).toBe(200)
    const stopping = c.stop()
    await within(stopping, 5000)
    expect(await bareGet(url)).toBe('ECONNREFUSED')
    expect(c.connectionRequestUrl).toBeUndefined()
    const abandoned = errorsOf(errors).find((e) => e.operation === 'hooks.scheduleInform') as TimeoutError | undefined
    expect(abandoned).toMatchObject({ code: 'ERR_CWMP_TIMEOUT', timeoutMs: undefined })
  })

  it('onReboot that never settles (short bound): the reboot goes on after the bound, and 1 BOOT with M Reboot follows', async () => {
    const sim = await simulator()
    sim.queue(sampleKey('SNLOOP'), { method: 'Reboot', commandKey: 'rb' })
    const errors: unknown[] = []
    const c = client({ acsUrl: sim.url, userCodeTimeoutMs: 200, onReboot: () => never(), onActivity: (e: CpeClientActivity) => e.type === 'error' && errors.push(e.error) })
    const first = c.nextSession()
    await c.start()
    await within(first)
    expect(await within(c.nextSession())).toMatchObject({ ok: true, events: ['1 BOOT', 'M Reboot'] })
    expect(errorsOf(errors)).toContainEqual(expect.objectContaining({ code: 'ERR_CWMP_TIMEOUT', operation: 'onReboot' }))
  })

  it('onSettingsChange that never settles: configure() resolves after the bound, the settings applied, the error reported', async () => {
    const sim = await simulator()
    const errors: unknown[] = []
    const c = client({ acsUrl: sim.url, userCodeTimeoutMs: 200, onSettingsChange: () => never(), onActivity: (e: CpeClientActivity) => e.type === 'error' && errors.push(e.error) })
    await c.start()
    expect((await within(c.configure({ periodicInformInterval: 60 }))).periodicInformInterval).toBe(60)
    expect(errorsOf(errors)).toContainEqual(expect.objectContaining({ code: 'ERR_CWMP_TIMEOUT', operation: 'onSettingsChange' }))
  })

  it('the bound itself is a checked option', () => {
    for (const v of [0, -1, 1.5, Number.NaN]) {
      expect(() => client({ acsUrl: 'http://127.0.0.1:1/', userCodeTimeoutMs: v })).toThrow(expect.objectContaining({ code: 'ERR_CWMP_CONFIG_INVALID', field: 'userCodeTimeoutMs' }))
    }
  })
})
