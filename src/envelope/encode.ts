/**
 * encodeEnvelope: { version, header, body } → schema-valid SOAP 1.1 XML.
 *
 * @module
 */
import { EncodeError } from '../errors.js'
import type { Envelope, EnvelopeHeader } from '../types/envelope.js'
import type { CwmpMessage, VendorMessage } from '../types/messages.js'
import { NS, compareVersions, isCwmpVersion, namespaceForVersion, type CwmpVersion } from '../types/version.js'
import { EncodeContext, keptLexical } from '../rpc/context.js'
import { codecFor, type CodecRegistry } from '../rpc/registry.js'
import { str, unsignedInt } from '../rpc/scalars.js'
import { definedIn, writeText, type Out } from '../rpc/schema.js'

/**
 * Options of {@link encodeEnvelope}.
 *
 * @category Codec
 */
export interface EncodeOptions {
  /** Start with `<?xml version="1.0" encoding="UTF-8"?>` (default `true`; some CPEs require it). */
  readonly xmlDeclaration?: boolean
  /** Codecs of vendor methods, from {@link createCodecRegistry}. */
  readonly codecs?: CodecRegistry
  /**
   * Refuse anything the schemas of the target version reject (default `true`). With `false`, values
   * outside a facet (a lower-case OUI, an invalid dateTime kept from a lenient decode, a method the
   * version lacks, …) are written as they are, still escaped and well-formed: for proxies and test
   * tools that must re-send what they received.
   */
  readonly strict?: boolean
}

const envelopeOpen = (ns: string): string =>
  `<soap-env:Envelope xmlns:soap-env="${NS.soapEnv}" xmlns:soap-enc="${NS.soapEnc}" xmlns:xsd="${NS.xsd}" xmlns:xsi="${NS.xsi}" xmlns:cwmp="${ns}">`

const ENVELOPE_OPEN: ReadonlyMap<string, string> = new Map(
  [NS.cwmp10, NS.cwmp11, NS.cwmp12].map((ns) => [ns, envelopeOpen(ns)]),
)
const VERSION_TOKEN = /^\d+\.\d+$/
const idType = str('ID')

/**
 * Encode a CWMP envelope as XML that is valid against the Broadband Forum schemas for its version.
 *
 * The output is deterministic: fixed prefixes (`soap-env`, `soap-enc`, `xsd`, `xsi`, `cwmp`), no
 * indentation, `mustUnderstand` on `ID`, `HoldRequests` and `UseCWMPVersion`, an exact
 * `soap-enc:arrayType` on every array, `xsi:type` only on parameter values. Anything the schema of
 * the target version would reject (a method or header entry the version lacks, a value outside its
 * type, a character XML 1.0 cannot carry) throws an {@link EncodeError} naming the field.
 *
 * @param envelope - version, header and body
 * @param options - XML declaration and vendor codecs
 * @throws {@link EncodeError}
 *
 * @example
 * ```ts
 * const xml = encodeEnvelope({
 *   version: '1.2',
 *   header: { id: '42' },
 *   body: { method: 'GetParameterValues', parameterNames: ['Device.DeviceInfo.'] },
 * })
 * ```
 *
 * @category Codec
 */
export function encodeEnvelope(envelope: Envelope<CwmpMessage | VendorMessage>, options: EncodeOptions = {}): string {
  if (typeof envelope !== 'object' || envelope === null) throw new EncodeError('envelope must be an object')
  const { version, header, body } = envelope
  if (typeof version !== 'string' || !isCwmpVersion(version)) {
    throw new EncodeError(`unknown CWMP version ${JSON.stringify(version)}`, 'version')
  }
  if (typeof body !== 'object' || body === null || typeof body.method !== 'string') {
    throw new EncodeError('body must be a message with a method', 'body')
  }
  const method = body.method
  const codec = codecFor(method, options.codecs)
  if (codec === undefined) throw new EncodeError(`unknown method ${method}`, 'body.method')
  const strict = options.strict !== false
  if (strict && !definedIn(codec, version)) {
    throw new EncodeError(`${method} is not defined in CWMP ${version} (since ${codec.since})`, 'body.method')
  }

  const out: Out = { s: options.xmlDeclaration === false ? '' : '<?xml version="1.0" encoding="UTF-8"?>' }
  out.s += ENVELOPE_OPEN.get(namespaceForVersion(version)) as string
  encodeHeader(header ?? {}, version, strict, out)
  out.s += '<soap-env:Body>'
  const ctx = new EncodeContext(version, strict)
  if (method === 'Fault') {
    out.s += '<soap-env:Fault>'
    codec.encodeContent(body, out, ctx)
    out.s += '</soap-env:Fault>'
  } else {
    out.s += `<cwmp:${method}>`
    codec.encodeContent(body, out, ctx)
    out.s += `</cwmp:${method}>`
  }
  out.s += '</soap-env:Body></soap-env:Envelope>'
  return out.s
}

function headerEntry(name: string, mu: '0' | '1' | undefined, text: string, key: string, ctx: EncodeContext): string {
  ctx.path.push(key)
  const o: Out = { s: '' }
  writeText(o, text, ctx)
  ctx.path.pop()
  return `<cwmp:${name}${mu === undefined ? '' : ` soap-env:mustUnderstand="${mu}"`}>${o.s}</cwmp:${name}>`
}

function requireVersion(ctx: EncodeContext, key: string, v: CwmpVersion): void {
  if (ctx.strict && compareVersions(ctx.version, v) < 0) {
    throw new EncodeError(`${key} needs CWMP ${v} or later`, `header.${key}`)
  }
}

function encodeHeader(header: EnvelopeHeader, version: CwmpVersion, strict: boolean, out: Out): void {
  if (typeof header !== 'object' || header === null) throw new EncodeError('header must be an object', 'header')
  const { id, holdRequests, sessionTimeout, supportedCwmpVersions, useCwmpVersion } = header
  if (id === undefined && holdRequests === undefined && sessionTimeout === undefined && supportedCwmpVersions === undefined && useCwmpVersion === undefined) {
    return // noMoreRequests and notUnderstood are decode-only
  }
  const ctx = new EncodeContext(version, strict)
  ctx.path[0] = 'header'
  let s = ''
  if (id !== undefined) s += headerEntry('ID', '1', idType.encode(id, ctx), 'id', ctx)
  if (holdRequests !== undefined) {
    if (typeof holdRequests !== 'boolean') throw new EncodeError('holdRequests must be a boolean', 'header.holdRequests')
    // Non-strict: `True` as received is written back while the value is unchanged (D26).
    const kept = strict ? undefined : keptLexical(header, 'holdRequests', holdRequests)
    s += headerEntry('HoldRequests', '1', kept ?? (holdRequests ? '1' : '0'), 'holdRequests', ctx)
  }
  if (sessionTimeout !== undefined) {
    requireVersion(ctx, 'sessionTimeout', '1.3')
    s += headerEntry('SessionTimeout', undefined, unsignedInt.encode(sessionTimeout, ctx), 'sessionTimeout', ctx)
  }
  if (supportedCwmpVersions !== undefined) {
    requireVersion(ctx, 'supportedCwmpVersions', '1.4')
    const list = supportedCwmpVersions
    if (!Array.isArray(list) || list.length === 0 || !list.every(isVersionToken)) {
      throw new EncodeError('supportedCwmpVersions must be a non-empty list of major.minor versions', 'header.supportedCwmpVersions')
    }
    s += headerEntry('SupportedCWMPVersions', '0', list.join(','), 'supportedCwmpVersions', ctx)
  }
  if (useCwmpVersion !== undefined) {
    requireVersion(ctx, 'useCwmpVersion', '1.4')
    if (!isVersionToken(useCwmpVersion)) {
      throw new EncodeError('useCwmpVersion must be a major.minor version', 'header.useCwmpVersion')
    }
    s += headerEntry('UseCWMPVersion', '1', useCwmpVersion, 'useCwmpVersion', ctx)
  }
  out.s += `<soap-env:Header>${s}</soap-env:Header>`
}

function isVersionToken(v: unknown): boolean {
  return typeof v === 'string' && VERSION_TOKEN.test(v)
}
