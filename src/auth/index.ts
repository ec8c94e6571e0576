/**
 * HTTP authentication for CWMP: header parsing, Digest (RFC 7616 / 2617 / 2069) client and
 * server, Basic, and the TR-069 CPE user name convention. Pure functions over header strings;
 * hashing and randomness come from `node:crypto` and can be injected where it matters.
 *
 * @module
 */

export {
  DEFAULT_AUTH_HEADER_MAX_LENGTH,
  isHeaderToken,
  parseAuthorization,
  parseWwwAuthenticate,
  quoteHeaderValue,
} from './header.js'
export type { AuthChallenge, AuthHeaderParseOptions } from './header.js'

export {
  DIGEST_ALGORITHMS,
  DIGEST_QOPS,
  computeDigestHa1,
  computeDigestResponse,
  computeDigestUserhash,
  digestAlgorithmStrength,
  formatDigestAuthorization,
  formatDigestChallenge,
  formatNonceCount,
  parseDigestAuthorization,
  parseDigestChallenges,
  selectDigestChallenge,
  toDigestAlgorithm,
  toDigestChallenge,
  toDigestCredentials,
} from './digest.js'
export type {
  DigestAlgorithm,
  DigestAuthorizationInit,
  DigestChallenge,
  DigestChallengeInit,
  DigestChallengeSelectOptions,
  DigestCredentials,
  DigestQop,
  DigestResponseInput,
} from './digest.js'

export { createDigestAuthorization, createDigestClient } from './digest-client.js'
export type {
  DigestAuthorizationParams,
  DigestClient,
  DigestClientCredentials,
  DigestClientOptions,
  DigestRequest,
  DigestResponseInfo,
  DigestResponseOutcome,
} from './digest-client.js'

export { createDigestServer } from './digest-server.js'
export type {
  DigestFailureReason,
  DigestServer,
  DigestServerOptions,
  DigestUserQuery,
  DigestUserSecret,
  DigestVerifyRequest,
  DigestVerifyResult,
} from './digest-server.js'

export type { HashInput } from './hash.js'

export { createMemoryNonceStore } from './nonce-store.js'
export type { DigestNonceCheck, DigestNonceStore, DigestNonceUse, MemoryNonceStoreOptions } from './nonce-store.js'

export {
  checkBasicAuthorization,
  createBasicAuthorization,
  createBasicChallenge,
  formatCpeUsername,
  parseBasicAuthorization,
  parseCpeUsername,
} from './basic.js'
export type { BasicCredentials, CpeIdentity } from './basic.js'
