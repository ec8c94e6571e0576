/**
 * fast-check arbitraries for every CWMP message, producing values that the Broadband Forum schemas
 * of the chosen version accept: maximum lengths counted in code points, characters beyond the BMP,
 * `\r`, empty strings, 64-bit parameter values, every `xsi:type` with valid lexical forms, and the
 * facets that change with the version (closed event-code / file-type / fault-code lists in 1.0 and
 * 1.1, Notification 3–6 from 1.2, methods only in versions that define them).
 *
 * Two deliberate limits, both documented in docs/conformance.md:
 * - fields the decoder trims (parameter names, paths, event codes, UUIDs) get no surrounding
 *   whitespace: a surrounding space would be schema-valid but comes back trimmed, with a warning;
 * - `xsd:int`/`long`/…/`dateTime` values get no surrounding whitespace either: XSD collapses it, but
 *   libxml2 (the reference validator) rejects it for these types.
 */
import fc from 'fast-check'
import type {
  AllQueuedTransferStruct,
  ArgStruct,
  AutonOpResultStruct,
  CwmpMethod,
  CwmpVersion,
  DecodedEnvelope,
  DeviceIdStruct,
  EnvelopeHeader,
  EventStruct,
  MessageOf,
  OperationStruct,
  OpResultStruct,
  OptionStruct,
  ParameterAttributeStruct,
  ParameterInfoStruct,
  ParameterValueStruct,
  QueuedTransferStruct,
  SetParameterAttributesStruct,
  SetParameterValuesFaultStruct,
  TimeWindowStruct,
  TransferCompleteFaultStruct,
} from '../../src/index.js'
import { CWMP_VERSIONS, compareVersions } from '../../src/index.js'

// ---------------------------------------------------------------------------------------------
// Characters and strings

const cp = (min: number, max: number): fc.Arbitrary<string> =>
  fc.integer({ min, max }).map((c) => String.fromCodePoint(c))

/** One character XML 1.0 can carry (a single code point) that is not XML whitespace. */
export const nonWsChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 12, arbitrary: cp(0x21, 0x7e) },
  { weight: 3, arbitrary: fc.constantFrom('<', '>', '&', '"', "'", ']', '\u00a0', '\u0085', '\u2028', '\u3000', '\ufeff') },
  { weight: 1, arbitrary: cp(0x80, 0x9f) },
  { weight: 2, arbitrary: cp(0xa0, 0xd7ff) },
  { weight: 1, arbitrary: cp(0xe000, 0xfffd) },
  { weight: 3, arbitrary: cp(0x10000, 0x10ffff) },
)

/** One character XML 1.0 can carry (a single code point), biased towards the interesting ones. */
export const xmlChar: fc.Arbitrary<string> = fc.oneof(
  { weight: 20, arbitrary: nonWsChar },
  { weight: 3, arbitrary: fc.constantFrom(' ', ' ', '\t', '\n', '\r') },
)

/** A character XSD's `\S` matches (not space, tab, CR, LF). */
const sChar = nonWsChar
/** A character XSD's `.` matches (not CR, LF). */
const dotChar: fc.Arbitrary<string> = fc.oneof({ weight: 10, arbitrary: nonWsChar }, { weight: 2, arbitrary: fc.constantFrom(' ', '\t') })

function str(unit: fc.Arbitrary<string>, minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit, minLength, maxLength })
}

/**
 * An `xs:string` with at most `max` code points (`undefined`: unbounded, kept short). Empty strings,
 * strings of exactly `max` code points and everything between are produced.
 */
export function text(max?: number): fc.Arbitrary<string> {
  if (max === undefined) return fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 6, arbitrary: str(xmlChar, 0, 30) })
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 6, arbitrary: str(xmlChar, 0, Math.min(max, 20)) },
    { weight: 1, arbitrary: str(xmlChar, max, max) },
  )
}

/** Like {@link text}, without whitespace at either end (fields the decoder trims). */
export function trimmed(max = 40, unit: fc.Arbitrary<string> = xmlChar): fc.Arbitrary<string> {
  const inner = (n: number): fc.Arbitrary<string> =>
    fc.tuple(nonWsChar, str(unit, Math.max(0, n - 2), Math.max(0, n - 2)), nonWsChar).map(([a, b, c]) => a + b + c)
  return fc.oneof(
    { weight: 1, arbitrary: fc.constant('') },
    { weight: 1, arbitrary: nonWsChar },
    {
      weight: 6,
      arbitrary: fc
        .tuple(nonWsChar, str(unit, 0, Math.min(max, 20) - 2), nonWsChar)
        .map(([a, b, c]) => a + b + c),
    },
    { weight: 1, arbitrary: inner(max) },
  )
}

/** A TR-069 parameter path such as `Device.IP.Interface.1.Enable` (or a partial path ending in a dot). */
export const tr069Path: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.stringMatching(/^[A-Z][A-Za-z0-9]{0,12}$/), fc.integer({ min: 1, max: 99 }).map(String)), {
    minLength: 1,
    maxLength: 6,
  })
  .chain((segs) => fc.boolean().map((partial) => `Device.${segs.join('.')}${partial ? '.' : ''}`))

/** A parameter name: mostly TR-069 paths, sometimes any trimmed string of up to 256 characters. */
export const parameterPath: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: tr069Path },
  { weight: 1, arbitrary: trimmed(256) },
)

const uint32 = fc.oneof(fc.integer({ min: 0, max: 4294967295 }), fc.constantFrom(0, 1, 4294967295))
const int32 = fc.oneof(fc.integer({ min: -2147483648, max: 2147483647 }), fc.constantFrom(-2147483648, -1, 0, 2147483647))

const HEX = '0123456789ABCDEF'
const hexDigit = fc.constantFrom(...HEX.split(''))
const hexString = (n: number): fc.Arbitrary<string> => str(hexDigit, n, n)
/** Six upper-case hexadecimal digits. */
export const oui: fc.Arbitrary<string> = hexString(6)

const uuid: fc.Arbitrary<string> = fc
  .tuple(
    fc.uuid(),
    fc.array(fc.boolean(), { minLength: 36, maxLength: 36 }),
  )
  .map(([u, caps]) => [...u].map((c, i) => (caps[i] === true ? c.toUpperCase() : c)).join(''))

// ---------------------------------------------------------------------------------------------
// Lexical forms

function pad2(n: number): string {
  return String(n).padStart(2, '0')
}

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

/** A valid `xs:dateTime` (XSD 1.0), with or without zone and fraction, 24:00:00 and leap days included. */
export const dateTime: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .record({
        year: fc.oneof(fc.integer({ min: 1, max: 9999 }), fc.constantFrom(1, 1970, 2000, 2024, 2100)),
        month: fc.integer({ min: 1, max: 12 }),
        day: fc.integer({ min: 1, max: 31 }),
        time: fc.oneof(
          { weight: 9, arbitrary: fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })) },
          { weight: 1, arbitrary: fc.constant([24, 0, 0] as [number, number, number]) },
        ),
        fraction: fc.option(fc.stringMatching(/^[0-9]{1,6}$/), { nil: undefined }),
        zone: fc.oneof(
          fc.constant(''),
          fc.constant('Z'),
          fc
            .tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 59 }))
            .map(([s, h, m]) => `${s}${pad2(h)}:${pad2(m)}`),
          fc.constantFrom('+14:00', '-14:00', '+00:00'),
        ),
      })
      .map(({ year, month, day, time, fraction, zone }) => {
        const d = Math.min(day, daysIn(year, month))
        const [h, mi, s] = time
        const frac = fraction === undefined ? '' : `.${h === 24 ? '0'.repeat(fraction.length) : fraction}`
        return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}${frac}${zone}`
      }),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '0001-01-01T00:00:00Z',
      '0001-01-01T00:01:30',
      '2024-02-29T23:59:59.999+14:00',
      '2000-02-29T24:00:00',
      '1970-01-01T00:00:00Z',
      '9999-12-31T23:59:59-14:00',
    ),
  },
)

const bytes = fc.uint8Array({ maxLength: 40 })
/** Canonical base64 of random bytes (empty included). */
export const base64: fc.Arbitrary<string> = bytes.map((b) => Buffer.from(b).toString('base64'))

const bigIntIn = (min: bigint, max: bigint): fc.Arbitrary<string> =>
  fc.oneof({ weight: 4, arbitrary: fc.bigInt({ min, max }) }, { weight: 1, arbitrary: fc.constantFrom(min, max, min <= 0n && 0n <= max ? 0n : min) }).map(String)

/**
 * An integer lexical form with optional leading zeros, and for signed types an optional `+`
 * (XSD 1.0 gives the unsigned types no sign).
 */
const withZeros = (lex: fc.Arbitrary<string>, signed: boolean): fc.Arbitrary<string> =>
  fc.tuple(lex, fc.nat(3), fc.boolean()).map(([s, zeros, plus]) => {
    const neg = s.startsWith('-')
    const digits = neg ? s.slice(1) : s
    return `${neg ? '-' : plus && signed ? '+' : ''}${'0'.repeat(zeros)}${digits}`
  })

const P63 = 2n ** 63n
const decimal = fc
  .tuple(fc.constantFrom('', '-', '+'), fc.stringMatching(/^[0-9]{0,12}$/), fc.option(fc.stringMatching(/^[0-9]{0,8}$/), { nil: undefined }))
  .filter(([, i, f]) => i !== '' || (f !== undefined && f !== ''))
  .map(([s, i, f]) => `${s}${i}${f === undefined ? '' : `.${f}`}`)
const float = fc.oneof(
  decimal,
  fc.tuple(decimal, fc.constantFrom('e', 'E'), fc.integer({ min: -40, max: 40 })).map(([d, e, x]) => `${d}${e}${x}`),
  fc.constantFrom('INF', '-INF', 'NaN', '0', '-0', '1.5E3'),
)
const date = dateTime.map((dt) => {
  const m = /^(-?\d{4,}-\d{2}-\d{2})T[^Z+-]*(Z|[+-]\d{2}:\d{2})?$/.exec(dt)
  return m === null ? '2000-01-01' : `${m[1] as string}${m[2] ?? ''}`
})
const time = dateTime.map((dt) => dt.slice(dt.indexOf('T') + 1))
const URI_CHAR = fc.constantFrom(...'abcXYZ019-._~!$&\'()*+,;=:@%20'.split('').filter((c) => c !== '%'), '%20', '%C3%A9', 'é', '😀')
/** A URI the XSD `anyURI` type (and libxml2's check of it) accepts. */
export const anyUri: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('http', 'https', 'ftp', 'urn', 'x-vendor'),
      fc.stringMatching(/^[a-z0-9-]{1,12}(\.[a-z0-9-]{1,8}){0,2}$/),
      fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
      fc.array(str(URI_CHAR, 0, 8), { maxLength: 4 }),
      fc.option(str(URI_CHAR, 0, 8), { nil: undefined }),
    )
    .map(([scheme, host, port, path, query]) =>
      scheme === 'urn'
        ? `urn:${host}:${path.join('/')}`
        : `${scheme}://${host}${port === undefined ? '' : `:${port}`}/${path.join('/')}${query === undefined ? '' : `?${query}`}`,
    ),
  fc.constantFrom('', 'http://acs.example.com:7547/cwmp', 'relative/path', '#frag', 'http://[2001:db8::1]/x'),
)

/** The `xsi:type`s the encoder writes, with a generator of valid lexical values for each. */
export const VALUE_TYPES = {
  'xsd:string': text(),
  'xsd:normalizedString': text(),
  'xsd:token': text(),
  'xsd:anySimpleType': text(),
  'xsd:boolean': fc.tuple(fc.constantFrom('0', '1', 'true', 'false'), fc.constantFrom('', ' ', '\n')).map(([b, w]) => `${w}${b}${w}`),
  'xsd:int': withZeros(bigIntIn(-(2n ** 31n), 2n ** 31n - 1n), true),
  'xsd:unsignedInt': withZeros(bigIntIn(0n, 2n ** 32n - 1n), false),
  'xsd:long': withZeros(bigIntIn(-P63, P63 - 1n), true),
  'xsd:unsignedLong': withZeros(bigIntIn(0n, 2n ** 64n - 1n), false),
  'xsd:short': bigIntIn(-32768n, 32767n),
  'xsd:byte': bigIntIn(-128n, 127n),
  'xsd:unsignedShort': bigIntIn(0n, 65535n),
  'xsd:unsignedByte': bigIntIn(0n, 255n),
  // libxml2 handles xs:integer only up to 24 digits; XSD sets no bound.
  'xsd:integer': bigIntIn(-(10n ** 24n) + 1n, 10n ** 24n - 1n),
  'xsd:nonNegativeInteger': bigIntIn(0n, 10n ** 24n - 1n),
  'xsd:positiveInteger': bigIntIn(1n, 10n ** 24n - 1n),
  'xsd:nonPositiveInteger': bigIntIn(-(10n ** 24n) + 1n, 0n),
  'xsd:negativeInteger': bigIntIn(-(10n ** 24n) + 1n, -1n),
  'xsd:decimal': decimal,
  'xsd:float': float,
  'xsd:double': float,
  'xsd:dateTime': dateTime,
  'xsd:date': date,
  'xsd:time': time,
  'xsd:hexBinary': fc.tuple(bytes, fc.boolean()).map(([b, lower]) => {
    const h = Buffer.from(b).toString('hex')
    return lower ? h : h.toUpperCase()
  }),
  'xsd:base64Binary': base64,
  'soap-enc:base64': base64,
  'xsd:anyURI': anyUri,
} as const satisfies Record<string, fc.Arbitrary<string>>

/** Every value type name the encoder accepts. */
export type GeneratedValueType = keyof typeof VALUE_TYPES

/** A ParameterValueStruct with any value type. */
export const parameterValueStruct: fc.Arbitrary<ParameterValueStruct> = fc
  .tuple(fc.constantFrom(...(Object.keys(VALUE_TYPES) as GeneratedValueType[])), parameterPath)
  .chain(([type, name]) => VALUE_TYPES[type].map((value): ParameterValueStruct => ({ name, value, type })))

// ---------------------------------------------------------------------------------------------
// Version-dependent simple types

const isV10 = (v: CwmpVersion): boolean => v === '1.0'
const isPre12 = (v: CwmpVersion): boolean => v === '1.0' || v === '1.1'

const digitsNz = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.stringMatching(/^[0-9]{0,2}$/)).map(([a, b]) => `${a}${b}`)
const sWord = (max: number): fc.Arbitrary<string> => str(sChar, 1, max)
/** `( \S+)+` */
const sWords = fc.array(sWord(6), { minLength: 1, maxLength: 4 }).map((ws) => ws.map((w) => ` ${w}`).join(''))
/** `.+` without trailing XML whitespace (trailing whitespace would be trimmed for event codes) */
const dotsTrimmed = (min: number): fc.Arbitrary<string> =>
  fc.tuple(str(dotChar, Math.max(0, min - 1), 12), nonWsChar).map(([a, b]) => a + b)
const dots = (min: number): fc.Arbitrary<string> => str(dotChar, min, 14)

const atMost = (max: number) => (s: string): boolean => [...s].length <= max

/** A vendor form `X <OUI> …` (1.0/1.1 allow `.*`, 1.2 needs `.+`) or `X <token> …` (1.2). */
function vendorForm(version: CwmpVersion, tail: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const byOui = fc.tuple(oui, tail).map(([o, t]) => `X ${o} ${t}`)
  if (isPre12(version)) return byOui
  return fc.oneof(byOui, fc.tuple(sWord(10), tail).map(([v, t]) => `X ${v} ${t}`))
}

/** EventCodeType of the version. */
export function eventCode(version: CwmpVersion): fc.Arbitrary<string> {
  const common = ['0 BOOTSTRAP', '1 BOOT', '2 PERIODIC', '3 SCHEDULED', '4 VALUE CHANGE', '5 KICKED', '6 CONNECTION REQUEST', '7 TRANSFER COMPLETE', '8 DIAGNOSTICS COMPLETE', '9 REQUEST DOWNLOAD', 'M Reboot', 'M ScheduleInform', 'M Download', 'M Upload']
  const methodX = sWord(20).map((w) => `M X_${w}`)
  // `.*` would allow an empty or blank tail in 1.0/1.1, but the decoder trims event codes.
  const vendor = vendorForm(version, dotsTrimmed(1))
  if (isV10(version)) return fc.oneof(fc.constantFrom(...common), methodX, vendor).filter(atMost(64))
  const later = ['10 AUTONOMOUS TRANSFER COMPLETE', '11 DU STATE CHANGE COMPLETE', '12 AUTONOMOUS DU STATE CHANGE COMPLETE', '13 WAKEUP', '14 HEARTBEAT', 'M ScheduleDownload', 'M ChangeDUState']
  const numbered = fc.tuple(fc.stringMatching(/^[0-9]{1,3}$/), sWords).map(([d, w]) => `${d}${w}`)
  const methodAny = sWord(20).map((w) => `M ${w}`)
  return fc.oneof(fc.constantFrom(...common, ...later), numbered, methodAny, methodX, vendor).filter(atMost(64))
}

function fileType(version: CwmpVersion, closed: readonly string[], instance: boolean): fc.Arbitrary<string> {
  if (isPre12(version)) return fc.oneof(fc.constantFrom(...closed), vendorForm(version, dots(0))).filter(atMost(64))
  const open = fc.tuple(digitsNz, sWords).map(([d, w]) => `${d}${w}`)
  const inst = fc.tuple(digitsNz, sWords, digitsNz).map(([d, w, i]) => `${d}${w} ${i}`)
  return fc
    .oneof(fc.constantFrom(...closed, '4 Tone File', '5 Ringer File'), open, ...(instance ? [inst] : []), vendorForm(version, dots(1)))
    .filter(atMost(64))
}

const DOWNLOAD_TYPES = ['1 Firmware Upgrade Image', '2 Web Content', '3 Vendor Configuration File']
const UPLOAD_TYPES = ['1 Vendor Configuration File', '2 Vendor Log File', '3 Vendor Configuration File 1', '4 Vendor Log File 2']

/** DownloadFileType (Download, ScheduleDownload, RequestDownload). */
export const downloadFileType = (v: CwmpVersion): fc.Arbitrary<string> => fileType(v, DOWNLOAD_TYPES, false)
/** UploadFileType. */
export const uploadFileType = (v: CwmpVersion): fc.Arbitrary<string> =>
  fileType(v, isPre12(v) ? UPLOAD_TYPES.slice(0, 2) : UPLOAD_TYPES, true)
/** TransferFileType (1.1+). */
export const transferFileType = (v: CwmpVersion): fc.Arbitrary<string> =>
  fileType(v, isPre12(v) ? [...DOWNLOAD_TYPES, '4 Vendor Log File'] : [...DOWNLOAD_TYPES, ...UPLOAD_TYPES], true)

const range = (min: number, max: number): fc.Arbitrary<number> => fc.integer({ min, max })

/** FaultCode of a cwmp:Fault. */
export function faultCode(version: CwmpVersion): fc.Arbitrary<number> {
  if (isV10(version)) return fc.oneof(range(9000, 9013), range(9800, 9899), range(8000, 8005), range(8800, 8899))
  return fc.oneof(range(9000, 9032), range(9033, 9899), range(8000, 8006), range(8007, 8899))
}
/** FaultCode of a SetParameterValuesFault entry. */
export function spvFaultCode(version: CwmpVersion): fc.Arbitrary<number> {
  return isPre12(version) ? faultCode(version) : fc.oneof(range(9000, 9032), range(9033, 9899))
}
/** FaultCode of TransferComplete / AutonomousTransferComplete. */
export function transferFaultCode(version: CwmpVersion): fc.Arbitrary<number> {
  const base = [0, 9001, 9002, 9010, 9011, 9012]
  if (isV10(version)) return fc.constantFrom(...base)
  if (version === '1.1') return fc.oneof(fc.constantFrom(...base, 9014, 9019), range(9014, 9899))
  return fc.oneof(fc.constantFrom(...base, 9014, 9015, 9016, 9017, 9018, 9019, 9020), range(9033, 9899))
}
const duFaultCode = fc.oneof(
  fc.constantFrom(0, 9001, 9003, 9012, 9013, 9015, 9016, 9017, 9018, 9022, 9023, 9024, 9025, 9026, 9027, 9028, 9029, 9030, 9031, 9032),
  range(9033, 9899),
)
const notification = (v: CwmpVersion): fc.Arbitrary<0 | 1 | 2 | 3 | 4 | 5 | 6> =>
  isPre12(v) ? fc.constantFrom(0, 1, 2) : fc.constantFrom(0, 1, 2, 3, 4, 5, 6)

const timeWindowMode: fc.Arbitrary<string> = fc
  .oneof(
    fc.constantFrom('1 At Any Time', '2 Immediately', '3 When Idle', '4 Confirmation Needed'),
    fc.tuple(digitsNz, sWords).map(([d, w]) => `${d}${w}`),
    vendorForm('1.2', dots(1)),
  )
  .filter(atMost(64))

// ---------------------------------------------------------------------------------------------
// Structs

const list = <T>(item: fc.Arbitrary<T>, min = 0, max = 5): fc.Arbitrary<T[]> => fc.array(item, { minLength: min, maxLength: max })

const key32 = text(32)

const deviceId: fc.Arbitrary<DeviceIdStruct> = fc.record({
  manufacturer: text(64),
  oui,
  productClass: text(64),
  serialNumber: text(64),
}, { noNullPrototype: true })

const eventStruct = (v: CwmpVersion): fc.Arbitrary<EventStruct> => fc.record({ eventCode: eventCode(v), commandKey: key32 }, { noNullPrototype: true })

const parameterInfo: fc.Arbitrary<ParameterInfoStruct> = fc.record({ name: parameterPath, writable: fc.boolean() }, { noNullPrototype: true })

const accessList = list(fc.constant('Subscriber'), 0, 2)

const setParameterAttributesStruct = (v: CwmpVersion): fc.Arbitrary<SetParameterAttributesStruct> =>
  fc.record({
    name: parameterPath,
    notificationChange: fc.boolean(),
    notification: notification(v),
    accessListChange: fc.boolean(),
    accessList,
  }, { noNullPrototype: true })

const parameterAttributeStruct = (v: CwmpVersion): fc.Arbitrary<ParameterAttributeStruct> =>
  fc.record({ name: parameterPath, notification: notification(v), accessList }, { noNullPrototype: true })

const transferState = fc.constantFrom<1 | 2 | 3>(1, 2, 3)

const queuedTransfer: fc.Arbitrary<QueuedTransferStruct> = fc.record({ commandKey: key32, state: transferState }, { noNullPrototype: true })

const allQueuedTransfer = (v: CwmpVersion): fc.Arbitrary<AllQueuedTransferStruct> =>
  fc.record({
    commandKey: key32,
    state: transferState,
    isDownload: fc.boolean(),
    fileType: transferFileType(v),
    fileSize: uint32,
    targetFileName: text(256),
  }, { noNullPrototype: true })

const transferFault = (v: CwmpVersion): fc.Arbitrary<TransferCompleteFaultStruct> =>
  fc.record({ faultCode: transferFaultCode(v), faultString: text(256) }, { noNullPrototype: true })

const timeWindow: fc.Arbitrary<TimeWindowStruct> = fc.record({
  windowStart: uint32,
  windowEnd: uint32,
  windowMode: timeWindowMode,
  userMessage: text(256),
  maxRetries: int32,
}, { noNullPrototype: true })

const argStruct: fc.Arbitrary<ArgStruct> = fc.record({ name: text(64), value: text(256) }, { noNullPrototype: true })

const optionStruct: fc.Arbitrary<OptionStruct> = fc.record(
  {
    optionName: text(64),
    voucherSn: uint32,
    state: fc.constantFrom<0 | 1 | 2 | 3>(0, 1, 2, 3),
    mode: fc.constantFrom<0 | 1 | 2>(0, 1, 2),
    startDate: dateTime,
    expirationDate: dateTime,
    isTransferable: fc.constantFrom<0 | 1>(0, 1),
  },
  { requiredKeys: ['optionName', 'voucherSn', 'state', 'mode', 'startDate', 'isTransferable'], noNullPrototype: true },
)

const operation: fc.Arbitrary<OperationStruct> = fc.oneof(
  fc
    .record(
      {
        url: anyUri.filter(atMost(1024)),
        uuid,
        username: text(256),
        password: text(256),
        executionEnvRef: text(256),
      },
      { requiredKeys: ['url'], noNullPrototype: true },
    )
    .map((o): OperationStruct => ({ type: 'InstallOpStruct', ...o })),
  fc
    .record(
      { uuid, version: text(32), url: anyUri.filter(atMost(1024)), username: text(256), password: text(256) },
      { requiredKeys: [], noNullPrototype: true },
    )
    .map((o): OperationStruct => ({ type: 'UpdateOpStruct', ...o })),
  fc
    .record({ uuid, version: text(32), executionEnvRef: text(256) }, { requiredKeys: ['uuid'], noNullPrototype: true })
    .map((o): OperationStruct => ({ type: 'UninstallOpStruct', ...o })),
)

const opResultFields = {
  uuid,
  deploymentUnitRef: text(),
  version: text(32),
  currentState: fc.constantFrom<'Installed' | 'Uninstalled' | 'Failed'>('Installed', 'Uninstalled', 'Failed'),
  resolved: fc.boolean(),
  executionUnitRefList: text(),
  startTime: dateTime,
  completeTime: dateTime,
  fault: fc.record({ faultCode: duFaultCode, faultString: text() }, { requiredKeys: ['faultCode'], noNullPrototype: true }),
}
const opResult: fc.Arbitrary<OpResultStruct> = fc.record(opResultFields, { noNullPrototype: true })
const autonOpResult: fc.Arbitrary<AutonOpResultStruct> = fc.record({
  ...opResultFields,
  operationPerformed: fc.oneof(fc.constantFrom('Install', 'Update', 'Uninstall'), text()),
}, { noNullPrototype: true })

const spvFault = (v: CwmpVersion): fc.Arbitrary<SetParameterValuesFaultStruct> =>
  fc.record(
    { parameterName: parameterPath, faultCode: spvFaultCode(v), faultString: text() },
    { requiredKeys: ['parameterName', 'faultCode'], noNullPrototype: true },
  )

/** ObjectNameType: at most 256 characters matching `.*\.` (no CR or LF, ends with a dot). */
const objectName: fc.Arbitrary<string> = fc.oneof(
  tr069Path.map((p) => (p.endsWith('.') ? p : `${p}.`)),
  trimmed(255, dotChar).map((s) => `${s}.`),
)
const methodName = fc.oneof(fc.constantFrom('GetRPCMethods', 'Inform', 'X_ACME_Ping'), trimmed(64))

// ---------------------------------------------------------------------------------------------
// Messages

/** The first version whose schema defines each body element. */
export const SINCE: { readonly [M in CwmpMethod]: CwmpVersion } = {
  GetRPCMethods: '1.0',
  GetRPCMethodsResponse: '1.0',
  SetParameterValues: '1.0',
  SetParameterValuesResponse: '1.0',
  GetParameterValues: '1.0',
  GetParameterValuesResponse: '1.0',
  GetParameterNames: '1.0',
  GetParameterNamesResponse: '1.0',
  SetParameterAttributes: '1.0',
  SetParameterAttributesResponse: '1.0',
  GetParameterAttributes: '1.0',
  GetParameterAttributesResponse: '1.0',
  AddObject: '1.0',
  AddObjectResponse: '1.0',
  DeleteObject: '1.0',
  DeleteObjectResponse: '1.0',
  Download: '1.0',
  DownloadResponse: '1.0',
  Reboot: '1.0',
  RebootResponse: '1.0',
  GetQueuedTransfers: '1.0',
  GetQueuedTransfersResponse: '1.0',
  ScheduleInform: '1.0',
  ScheduleInformResponse: '1.0',
  SetVouchers: '1.0',
  SetVouchersResponse: '1.0',
  GetOptions: '1.0',
  GetOptionsResponse: '1.0',
  Upload: '1.0',
  UploadResponse: '1.0',
  FactoryReset: '1.0',
  FactoryResetResponse: '1.0',
  GetAllQueuedTransfers: '1.1',
  GetAllQueuedTransfersResponse: '1.1',
  ScheduleDownload: '1.2',
  ScheduleDownloadResponse: '1.2',
  CancelTransfer: '1.2',
  CancelTransferResponse: '1.2',
  ChangeDUState: '1.2',
  ChangeDUStateResponse: '1.2',
  Inform: '1.0',
  InformResponse: '1.0',
  TransferComplete: '1.0',
  TransferCompleteResponse: '1.0',
  AutonomousTransferComplete: '1.1',
  AutonomousTransferCompleteResponse: '1.1',
  Kicked: '1.0',
  KickedResponse: '1.0',
  RequestDownload: '1.0',
  RequestDownloadResponse: '1.0',
  DUStateChangeComplete: '1.2',
  DUStateChangeCompleteResponse: '1.2',
  AutonomousDUStateChangeComplete: '1.2',
  AutonomousDUStateChangeCompleteResponse: '1.2',
  Fault: '1.0',
}

/** Every body element name. */
export const METHODS = Object.keys(SINCE) as CwmpMethod[]

/** The versions whose schemas define `method`. */
export function versionsOf(method: CwmpMethod): CwmpVersion[] {
  return CWMP_VERSIONS.filter((v) => compareVersions(SINCE[method], v) <= 0)
}

const empty = <M extends CwmpMethod>(method: M): fc.Arbitrary<MessageOf<M>> => fc.constant({ method } as MessageOf<M>)

/**
 * One arbitrary per body element for a given version. The `satisfies` clause makes a missing
 * message type a compile error.
 */
export function messageArbitraries(v: CwmpVersion) {
  return {
    GetRPCMethods: empty('GetRPCMethods'),
    GetRPCMethodsResponse: fc.record({
      method: fc.constant('GetRPCMethodsResponse'),
      methodList: list(methodName, 1, 6),
    }, { noNullPrototype: true }),
    SetParameterValues: fc.record({
      method: fc.constant('SetParameterValues'),
      parameterList: list(parameterValueStruct, 0, 6),
      parameterKey: key32,
    }, { noNullPrototype: true }),
    SetParameterValuesResponse: fc.record({ method: fc.constant('SetParameterValuesResponse'), status: fc.constantFrom<0 | 1>(0, 1) }, { noNullPrototype: true }),
    GetParameterValues: fc.record({ method: fc.constant('GetParameterValues'), parameterNames: list(parameterPath, 1, 5) }, { noNullPrototype: true }),
    GetParameterValuesResponse: fc.record({
      method: fc.constant('GetParameterValuesResponse'),
      parameterList: list(parameterValueStruct, 0, 8),
    }, { noNullPrototype: true }),
    GetParameterNames: fc.record({
      method: fc.constant('GetParameterNames'),
      parameterPath: fc.oneof(fc.constant(''), parameterPath),
      nextLevel: fc.boolean(),
    }, { noNullPrototype: true }),
    GetParameterNamesResponse: fc.record({
      method: fc.constant('GetParameterNamesResponse'),
      parameterList: list(parameterInfo, 0, 6),
    }, { noNullPrototype: true }),
    SetParameterAttributes: fc.record({
      method: fc.constant('SetParameterAttributes'),
      parameterList: list(setParameterAttributesStruct(v), 1, 4),
    }, { noNullPrototype: true }),
    SetParameterAttributesResponse: empty('SetParameterAttributesResponse'),
    GetParameterAttributes: fc.record({ method: fc.constant('GetParameterAttributes'), parameterNames: list(parameterPath, 1, 5) }, { noNullPrototype: true }),
    GetParameterAttributesResponse: fc.record({
      method: fc.constant('GetParameterAttributesResponse'),
      parameterList: list(parameterAttributeStruct(v), 0, 4),
    }, { noNullPrototype: true }),
    AddObject: fc.record({ method: fc.constant('AddObject'), objectName, parameterKey: key32 }, { noNullPrototype: true }),
    AddObjectResponse: fc.record({
      method: fc.constant('AddObjectResponse'),
      instanceNumber: fc.oneof(fc.integer({ min: 1, max: 4294967295 }), fc.constantFrom(1, 4294967295)),
      status: fc.constantFrom<0 | 1>(0, 1),
    }, { noNullPrototype: true }),
    DeleteObject: fc.record({ method: fc.constant('DeleteObject'), objectName, parameterKey: key32 }, { noNullPrototype: true }),
    DeleteObjectResponse: fc.record({ method: fc.constant('DeleteObjectResponse'), status: fc.constantFrom<0 | 1>(0, 1) }, { noNullPrototype: true }),
    Download: fc.record({
      method: fc.constant('Download'),
      commandKey: key32,
      fileType: downloadFileType(v),
      url: text(256),
      username: text(256),
      password: text(256),
      fileSize: uint32,
      targetFileName: text(256),
      delaySeconds: uint32,
      successUrl: text(256),
      failureUrl: text(256),
    }, { noNullPrototype: true }),
    DownloadResponse: fc.record({
      method: fc.constant('DownloadResponse'),
      status: fc.constantFrom<0 | 1>(0, 1),
      startTime: dateTime,
      completeTime: dateTime,
    }, { noNullPrototype: true }),
    Reboot: fc.record({ method: fc.constant('Reboot'), commandKey: key32 }, { noNullPrototype: true }),
    RebootResponse: empty('RebootResponse'),
    GetQueuedTransfers: empty('GetQueuedTransfers'),
    GetQueuedTransfersResponse: fc.record({
      method: fc.constant('GetQueuedTransfersResponse'),
      transferList: list(queuedTransfer, 0, 16),
    }, { noNullPrototype: true }),
    ScheduleInform: fc.record({ method: fc.constant('ScheduleInform'), delaySeconds: uint32, commandKey: key32 }, { noNullPrototype: true }),
    ScheduleInformResponse: empty('ScheduleInformResponse'),
    SetVouchers: fc.record({ method: fc.constant('SetVouchers'), voucherList: list(base64, 1, 3) }, { noNullPrototype: true }),
    SetVouchersResponse: empty('SetVouchersResponse'),
    GetOptions: fc.record({ method: fc.constant('GetOptions'), optionName: text(64) }, { noNullPrototype: true }),
    GetOptionsResponse: fc.record({ method: fc.constant('GetOptionsResponse'), optionList: list(optionStruct, 0, 3) }, { noNullPrototype: true }),
    Upload: fc.record({
      method: fc.constant('Upload'),
      commandKey: key32,
      fileType: uploadFileType(v),
      url: text(256),
      username: text(256),
      password: text(256),
      delaySeconds: uint32,
    }, { noNullPrototype: true }),
    UploadResponse: fc.record({
      method: fc.constant('UploadResponse'),
      status: fc.constantFrom<0 | 1>(0, 1),
      startTime: dateTime,
      completeTime: dateTime,
    }, { noNullPrototype: true }),
    FactoryReset: empty('FactoryReset'),
    FactoryResetResponse: empty('FactoryResetResponse'),
    GetAllQueuedTransfers: empty('GetAllQueuedTransfers'),
    GetAllQueuedTransfersResponse: fc.record({
      method: fc.constant('GetAllQueuedTransfersResponse'),
      transferList: list(allQueuedTransfer(v), 0, 16),
    }, { noNullPrototype: true }),
    ScheduleDownload: fc.record({
      method: fc.constant('ScheduleDownload'),
      commandKey: key32,
      fileType: downloadFileType(v),
      url: text(256),
      username: text(256),
      password: text(256),
      fileSize: uint32,
      targetFileName: text(256),
      timeWindowList: list(timeWindow, 1, 2),
    }, { noNullPrototype: true }),
    ScheduleDownloadResponse: empty('ScheduleDownloadResponse'),
    CancelTransfer: fc.record({ method: fc.constant('CancelTransfer'), commandKey: key32 }, { noNullPrototype: true }),
    CancelTransferResponse: empty('CancelTransferResponse'),
    ChangeDUState: fc.record(
      { method: fc.constant('ChangeDUState'), operations: list(operation, 1, 4), commandKey: key32 },
      { requiredKeys: ['method', 'operations'], noNullPrototype: true },
    ),
    ChangeDUStateResponse: empty('ChangeDUStateResponse'),
    Inform: fc.record({
      method: fc.constant('Inform'),
      deviceId,
      event: fc.oneof({ weight: 8, arbitrary: list(eventStruct(v), 0, 4) }, { weight: 1, arbitrary: list(eventStruct(v), 64, 64) }),
      maxEnvelopes: fc.oneof(fc.constant(1), uint32),
      currentTime: dateTime,
      retryCount: uint32,
      parameterList: list(parameterValueStruct, 0, 8),
    }, { noNullPrototype: true }),
    InformResponse: fc.record({ method: fc.constant('InformResponse'), maxEnvelopes: fc.oneof(fc.constant(1), uint32) }, { noNullPrototype: true }),
    TransferComplete: fc.record({
      method: fc.constant('TransferComplete'),
      commandKey: key32,
      faultStruct: transferFault(v),
      startTime: dateTime,
      completeTime: dateTime,
    }, { noNullPrototype: true }),
    TransferCompleteResponse: empty('TransferCompleteResponse'),
    AutonomousTransferComplete: fc.record({
      method: fc.constant('AutonomousTransferComplete'),
      announceUrl: text(1024),
      transferUrl: text(1024),
      isDownload: fc.boolean(),
      fileType: transferFileType(v),
      fileSize: uint32,
      targetFileName: text(256),
      faultStruct: transferFault(v),
      startTime: dateTime,
      completeTime: dateTime,
    }, { noNullPrototype: true }),
    AutonomousTransferCompleteResponse: empty('AutonomousTransferCompleteResponse'),
    Kicked: fc.record({ method: fc.constant('Kicked'), command: text(32), referer: text(64), arg: text(256), next: text(1024) }, { noNullPrototype: true }),
    KickedResponse: fc.record({ method: fc.constant('KickedResponse'), nextUrl: text(1024) }, { noNullPrototype: true }),
    RequestDownload: fc.record({
      method: fc.constant('RequestDownload'),
      fileType: downloadFileType(v),
      fileTypeArg: list(argStruct, 0, 16),
    }, { noNullPrototype: true }),
    RequestDownloadResponse: empty('RequestDownloadResponse'),
    DUStateChangeComplete: fc.record(
      { method: fc.constant('DUStateChangeComplete'), results: list(opResult, 1, 3), commandKey: key32 },
      { requiredKeys: ['method', 'results'], noNullPrototype: true },
    ),
    DUStateChangeCompleteResponse: empty('DUStateChangeCompleteResponse'),
    AutonomousDUStateChangeComplete: fc.record({
      method: fc.constant('AutonomousDUStateChangeComplete'),
      results: list(autonOpResult, 1, 3),
    }, { noNullPrototype: true }),
    AutonomousDUStateChangeCompleteResponse: empty('AutonomousDUStateChangeCompleteResponse'),
    Fault: fc.record(
      {
        method: fc.constant('Fault'),
        soapFaultCode: fc.constantFrom('Client', 'Server'),
        soapFaultString: fc.oneof(fc.constant('CWMP fault'), text()),
        faultCode: faultCode(v),
        faultString: text(),
        setParameterValuesFault: list(spvFault(v), 1, 3),
      },
      { requiredKeys: ['method', 'soapFaultCode', 'soapFaultString', 'faultCode'], noNullPrototype: true },
    ),
  } satisfies { [M in CwmpMethod]: fc.Arbitrary<MessageOf<M>> }
}

// ---------------------------------------------------------------------------------------------
// Headers and envelopes

const versionToken = fc.oneof(
  fc.constantFrom('1.0', '1.1', '1.2', '1.3', '1.4'),
  fc.tuple(fc.nat(99), fc.nat(99)).map(([a, b]) => `${a}.${b}`),
)

/**
 * A header whose entries imply exactly `version` on decode: SessionTimeout for 1.3 (and none of
 * the 1.4 entries), at least one 1.4 entry for 1.4, none of them before.
 */
export function header(version: CwmpVersion): fc.Arbitrary<EnvelopeHeader> {
  const base = { id: text(), holdRequests: fc.boolean() }
  switch (version) {
    case '1.3':
      return fc.record({ ...base, sessionTimeout: uint32 }, { requiredKeys: ['sessionTimeout'], noNullPrototype: true })
    case '1.4':
      return fc
        .record(
          {
            ...base,
            sessionTimeout: uint32,
            supportedCwmpVersions: fc.array(versionToken, { minLength: 1, maxLength: 5 }),
            useCwmpVersion: versionToken,
          },
          { requiredKeys: [], noNullPrototype: true },
        )
        .filter((h) => h.supportedCwmpVersions !== undefined || h.useCwmpVersion !== undefined)
    default:
      return fc.record(base, { requiredKeys: [], noNullPrototype: true })
  }
}

/** An envelope of a given body element and version; the decode of its encoding must equal it. */
export function envelopeOf<M extends CwmpMethod>(
  method: M,
  version: CwmpVersion,
): fc.Arbitrary<DecodedEnvelope<MessageOf<M>>> {
  const body = messageArbitraries(version)[method] as unknown as fc.Arbitrary<MessageOf<M>>
  return fc.record({ version: fc.constant(version), header: header(version), body, warnings: fc.constant([]) }, { noNullPrototype: true })
}

/** Every (body element, version) pair the schemas define: 251 of them. */
export const METHOD_VERSIONS: readonly (readonly [CwmpMethod, CwmpVersion])[] = METHODS.flatMap((m) =>
  versionsOf(m).map((v) => [m, v] as const),
)

/** Any envelope: any body element, any version that defines it. */
export const anyEnvelope: fc.Arbitrary<DecodedEnvelope> = fc
  .constantFrom(...METHOD_VERSIONS)
  .chain(([m, v]) => envelopeOf(m, v) as fc.Arbitrary<DecodedEnvelope>)
