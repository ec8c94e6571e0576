/**
 * `npm start`: a real CPE and a real ACS talking TR-069 over loopback HTTP.
 *
 * 1. The ACS simulator and a CPE client start on free loopback ports, with HTTP Digest both ways
 *    (CPE → ACS for the sessions, ACS → CPE for the Connection Request).
 * 2. BOOTSTRAP session: the ACS reads parameters (GetParameterNames, GetParameterValues), sets one
 *    (SetParameterValues), adds an object and deletes it again (AddObject, DeleteObject).
 * 3. The ACS sends a Connection Request: a second session (`6 CONNECTION REQUEST`) ends in a Reboot.
 * 4. After the reboot the CPE reports `1 BOOT` and `M Reboot`.
 *
 * Every SOAP message is printed (the CPE's "show SOAP messages" switch), then a summary. The exit
 * code is 0 only if everything above happened.
 */
import {
  createAcsSimulator,
  createCpeClient,
  createSampleDeviceModel,
  type AcsRequest,
  type CpeSessionResult,
} from '../src/index.js'

const out = process.stdout
const rule = (title: string): void => {
  out.write(`\n${'='.repeat(100)}\n== ${title}\n${'='.repeat(100)}\n`)
}

const CPE_PASSWORD = 'demo-acs-password'
const CR_PASSWORD = 'demo-connection-request-password'
const model = createSampleDeviceModel({ serialNumber: 'DEMO000001' })
const device = model.deviceId()
const deviceKey = `${device.oui}-${device.productClass}-${device.serialNumber}`

/** The BOOTSTRAP script: read, set, add, then delete the object just added. */
const bootstrapRpcs: AcsRequest[] = [
  { method: 'GetParameterNames', parameterPath: 'Device.ManagementServer.', nextLevel: true },
  {
    method: 'GetParameterValues',
    parameterNames: ['Device.DeviceInfo.SoftwareVersion', 'Device.ManagementServer.PeriodicInformInterval'],
  },
  {
    method: 'SetParameterValues',
    parameterList: [{ name: 'Device.ManagementServer.PeriodicInformInterval', type: 'xsd:unsignedInt', value: '600' }],
    parameterKey: 'demo-1',
  },
  { method: 'AddObject', objectName: 'Device.NAT.PortMapping.', parameterKey: 'demo-2' },
]

const acs = await createAcsSimulator({
  host: '127.0.0.1',
  auth: { credentials: (username) => (username === deviceKey ? CPE_PASSWORD : undefined) },
  connectionRequest: { username: 'acs', password: CR_PASSWORD },
  script: (turn) => {
    // After AddObject, delete the instance the CPE created.
    if (turn.last.type === 'response' && turn.last.response.method === 'AddObjectResponse') {
      const instance = (turn.last.response as { instanceNumber: number }).instanceNumber
      return { method: 'DeleteObject', objectName: `Device.NAT.PortMapping.${instance}.`, parameterKey: 'demo-3' }
    }
    return undefined
  },
})
acs.queue(deviceKey, ...bootstrapRpcs)

const client = createCpeClient({
  acsUrl: acs.url,
  acsUsername: deviceKey,
  acsPassword: CPE_PASSWORD,
  periodicInformEnable: true,
  periodicInformInterval: 3600,
  connectionRequest: { username: 'acs', password: CR_PASSWORD, host: '127.0.0.1' },
  logSoap: out,
  model,
})

const results: CpeSessionResult[] = []
const failures: string[] = []
const expect = (ok: boolean, what: string): void => {
  if (!ok) failures.push(what)
}

try {
  rule(`ACS simulator on ${acs.url}; CPE ${deviceKey} starts (session 1: BOOTSTRAP)`)
  const first = client.nextSession()
  await client.start()
  results.push(await first)
  out.write(`\nCPE Connection Request URL: ${client.connectionRequestUrl ?? '(none)'}\n`)

  rule('The ACS queues a Reboot and sends a Connection Request (session 2)')
  acs.queue(deviceKey, { method: 'Reboot', commandKey: 'demo-reboot' })
  const second = client.nextSession()
  const third = second.then(() => client.nextSession())
  const cr = await acs.connectionRequest(deviceKey)
  out.write(`Connection Request: HTTP ${cr.status ?? '-'} (${cr.result})\n`)
  results.push(await second)

  rule('The CPE reboots and informs (session 3)')
  results.push(await third)
} finally {
  await client.stop()
  await acs.close()
}

const [s1, s2, s3] = results
expect(s1?.ok === true && s1.events.includes('0 BOOTSTRAP'), 'session 1 is a successful BOOTSTRAP session')
expect(
  JSON.stringify(s1?.requests) ===
    JSON.stringify(['GetParameterNames', 'GetParameterValues', 'SetParameterValues', 'AddObject', 'DeleteObject']),
  'session 1 reads, sets, adds and deletes',
)
expect(s2?.ok === true && s2.events.includes('6 CONNECTION REQUEST') && s2.requests.includes('Reboot'), 'session 2 is the Connection Request session with the Reboot')
expect(s3?.ok === true && s3.events.includes('1 BOOT') && s3.events.includes('M Reboot'), 'session 3 reports 1 BOOT and M Reboot')
expect(client.settings.periodicInformInterval === 600, 'PeriodicInformInterval was set to 600')

rule('Summary')
const sessions = acs.sessions()
for (const [i, s] of sessions.entries()) {
  out.write(
    `session ${i + 1}: ${s.outcome.padEnd(8)} events [${s.events.join(', ')}]  RPCs [${s.requests.map((r) => r.method).join(', ')}]\n`,
  )
}
out.write(`SOAP messages recorded by the ACS: ${acs.messages.length}\n`)
out.write(`PeriodicInformInterval on the CPE now: ${client.settings.periodicInformInterval} s\n`)
if (failures.length > 0) {
  out.write(`\nFAILED:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`)
  process.exitCode = 1
} else {
  out.write('\nAll steps completed: BOOTSTRAP with GPN/GPV/SPV/AddObject/DeleteObject, Connection Request, Reboot, M Reboot.\n')
}
