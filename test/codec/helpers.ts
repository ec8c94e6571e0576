/**
 * Small helpers shared by the codec tests.
 */
import type { CwmpVersion, EnvelopeHeader } from '../../src/index.js'

/**
 * The version a decoder infers from the namespace the encoder writes for `version` (1.2–1.4 share
 * `cwmp-1-2`) plus the header entries: SessionTimeout raises 1.2 to 1.3, SupportedCWMPVersions or
 * UseCWMPVersion to 1.4.
 */
export function impliedVersion(version: CwmpVersion, header: EnvelopeHeader): CwmpVersion {
  if (version === '1.0' || version === '1.1') return version
  if (header.supportedCwmpVersions !== undefined || header.useCwmpVersion !== undefined) return '1.4'
  return header.sessionTimeout !== undefined ? '1.3' : '1.2'
}

/** The header without the decode-only entries (NoMoreRequests, notUnderstood), which are never encoded. */
export function encodableHeader(header: EnvelopeHeader): EnvelopeHeader {
  const { noMoreRequests: _n, notUnderstood: _u, ...rest } = header
  return rest
}

/** What `fn` throws, or undefined when it returns. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (e) {
    return e
  }
  return undefined
}
