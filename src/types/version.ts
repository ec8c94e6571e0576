/**
 * CWMP protocol versions and the XML namespaces that carry them.
 *
 * @module
 */

/**
 * A CWMP protocol version. 1.0 is TR-069 Amendment 1, 1.4 is Amendments 5 and 6.
 *
 * @category Codec
 */
export type CwmpVersion = '1.0' | '1.1' | '1.2' | '1.3' | '1.4'

/**
 * Every CWMP protocol version, oldest first.
 *
 * @category Codec
 */
export const CWMP_VERSIONS: readonly CwmpVersion[] = ['1.0', '1.1', '1.2', '1.3', '1.4']

/**
 * XML namespace URIs used by CWMP envelopes.
 *
 * @category Codec
 */
export const NS = {
  /** SOAP 1.1 envelope. */
  soapEnv: 'http://schemas.xmlsoap.org/soap/envelope/',
  /** SOAP 1.1 encoding (arrays, `base64`). */
  soapEnc: 'http://schemas.xmlsoap.org/soap/encoding/',
  /** XML Schema datatypes (`xsd:string`, …). */
  xsd: 'http://www.w3.org/2001/XMLSchema',
  /** XML Schema instance (`xsi:type`). */
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  /** CWMP 1.0. */
  cwmp10: 'urn:dslforum-org:cwmp-1-0',
  /** CWMP 1.1. */
  cwmp11: 'urn:dslforum-org:cwmp-1-1',
  /** CWMP 1.2, also used by protocol versions 1.3 and 1.4. */
  cwmp12: 'urn:dslforum-org:cwmp-1-2',
  /** Not defined by any Broadband Forum schema, but sent by some stacks for 1.3. Accepted on decode only. */
  cwmp13: 'urn:dslforum-org:cwmp-1-3',
  /** Not defined by any Broadband Forum schema, but sent by some stacks for 1.4. Accepted on decode only. */
  cwmp14: 'urn:dslforum-org:cwmp-1-4',
} as const

/**
 * The cwmp namespace the schemas define for a protocol version: 1.2, 1.3 and 1.4 share `cwmp-1-2`.
 *
 * @param version - protocol version
 *
 * @category Codec
 */
export function namespaceForVersion(version: CwmpVersion): string {
  switch (version) {
    case '1.0':
      return NS.cwmp10
    case '1.1':
      return NS.cwmp11
    default:
      return NS.cwmp12
  }
}

/**
 * The protocol version a cwmp namespace URI names (`cwmp-1-3` and `cwmp-1-4` are non-standard),
 * or `undefined` when the URI is not a cwmp namespace.
 *
 * @param uri - namespace URI
 *
 * @category Codec
 */
export function versionOfNamespace(uri: string): CwmpVersion | undefined {
  switch (uri) {
    case NS.cwmp10:
      return '1.0'
    case NS.cwmp11:
      return '1.1'
    case NS.cwmp12:
      return '1.2'
    case NS.cwmp13:
      return '1.3'
    case NS.cwmp14:
      return '1.4'
    default:
      return undefined
  }
}

/**
 * Compare two versions: negative when `a` is older than `b`, 0 when equal, positive when newer.
 *
 * @param a - a version
 * @param b - another version
 *
 * @category Codec
 */
export function compareVersions(a: CwmpVersion, b: CwmpVersion): number {
  return CWMP_VERSIONS.indexOf(a) - CWMP_VERSIONS.indexOf(b)
}

/**
 * True when `value` is one of the five CWMP versions.
 *
 * @param value - a string such as `'1.4'`
 *
 * @category Codec
 */
export function isCwmpVersion(value: string): value is CwmpVersion {
  return (CWMP_VERSIONS as readonly string[]).includes(value)
}
