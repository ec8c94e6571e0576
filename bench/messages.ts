/** Benchmark inputs: realistic messages of the sizes issue #2 names. */
import type {
  Envelope,
  GetParameterNamesResponse,
  GetParameterValues,
  GetParameterValuesResponse,
  Inform,
  ParameterValueStruct,
  SetParameterAttributes,
  SetParameterValues,
} from '../src/index.js'

const TYPES = ['xsd:string', 'xsd:unsignedInt', 'xsd:boolean', 'xsd:dateTime', 'xsd:int'] as const

function value(i: number): ParameterValueStruct {
  const type = TYPES[i % TYPES.length] as (typeof TYPES)[number]
  const v =
    type === 'xsd:string'
      ? `value <${i}> & "text" for parameter ${i}`
      : type === 'xsd:unsignedInt'
        ? String(i * 7)
        : type === 'xsd:boolean'
          ? String(i % 2)
          : type === 'xsd:dateTime'
            ? '2026-11-25T06:00:00Z'
            : String(-i)
  return { name: `Device.Services.VoiceService.1.VoiceProfile.${i % 7}.Line.${i}.Stats.Param${i}`, type, value: v }
}

export function parameters(n: number): ParameterValueStruct[] {
  return Array.from({ length: n }, (_, i) => value(i))
}

export function informEnvelope(): Envelope<Inform> {
  return {
    version: '1.4',
    header: { id: '1', supportedCwmpVersions: ['1.0', '1.1', '1.2', '1.3', '1.4'] },
    body: {
      method: 'Inform',
      deviceId: { manufacturer: 'Acme Networks', oui: '00D09E', productClass: 'HomeGateway', serialNumber: 'AC0012345678' },
      event: [
        { eventCode: '1 BOOT', commandKey: '' },
        { eventCode: 'M Reboot', commandKey: 'reboot-42' },
      ],
      maxEnvelopes: 1,
      currentTime: '2026-11-25T06:00:00Z',
      retryCount: 0,
      parameterList: parameters(15),
    },
  }
}

export function gpvResponseEnvelope(n: number): Envelope<GetParameterValuesResponse> {
  return { version: '1.2', header: { id: 'gpv-1' }, body: { method: 'GetParameterValuesResponse', parameterList: parameters(n) } }
}

export function spvEnvelope(n: number): Envelope<SetParameterValues> {
  return {
    version: '1.2',
    header: { id: 'spv-1' },
    body: { method: 'SetParameterValues', parameterList: parameters(n), parameterKey: 'key-1' },
  }
}

/** GetParameterValues of the names of {@link parameters} (the ACS's side of the GPV above). */
export function gpvEnvelope(n: number): Envelope<GetParameterValues> {
  return { version: '1.2', header: { id: 'gpv-1' }, body: { method: 'GetParameterValues', parameterNames: parameters(n).map((p) => p.name) } }
}

export function gpnResponseEnvelope(n: number): Envelope<GetParameterNamesResponse> {
  return {
    version: '1.2',
    header: { id: 'gpn-1' },
    body: { method: 'GetParameterNamesResponse', parameterList: parameters(n).map((p, i) => ({ name: p.name, writable: i % 3 === 0 })) },
  }
}

export function spaEnvelope(n: number): Envelope<SetParameterAttributes> {
  return {
    version: '1.2',
    header: { id: 'spa-1' },
    body: {
      method: 'SetParameterAttributes',
      parameterList: parameters(n).map((p, i) => ({
        name: p.name,
        notificationChange: i % 2 === 0,
        notification: (i % 3) as 0 | 1 | 2,
        accessListChange: i % 4 === 0,
        accessList: i % 4 === 0 ? ['Subscriber'] : [],
      })),
    },
  }
}
