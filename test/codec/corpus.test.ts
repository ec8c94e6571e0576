/**
 * The public corpus of real and test envelopes (../shared/corpus, 192 files; never copied into the
 * repository). Runs when CWMP_CORPUS_DIR names the folder, skips with a note otherwise.
 *
 * - every well-formed envelope decodes in lenient mode, and decode(encode(decoded, { strict: false }))
 *   has the same body and header (minus the decode-only entries);
 * - strict mode accepts no file the reference validator (validate.sh, corpus/VALIDATION.md) rejects,
 *   and accepts every file it calls strict-VALID, save the ones listed below.
 *
 * Every exception is in CORPUS_EXCEPTIONS, with its reason; docs/conformance.md has the same table.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createCodecRegistry,
  decodeEnvelope,
  defineVendorMethod,
  encodeEnvelope,
  isCwmpError,
  lexicalValue,
  type DecodeErrorCode,
  type DecodedEnvelope,
  type VendorMessage,
  type WarningCode,
} from '../../src/index.js'
import { encodableHeader, impliedVersion } from './helpers.js'

const CORPUS_DIR = process.env.CWMP_CORPUS_DIR ?? ''
if (CORPUS_DIR === '') {
  console.info('corpus.test.ts skipped: set CWMP_CORPUS_DIR to the folder of the CWMP corpus (../shared/corpus) to run it')
}

interface CorpusException {
  /** Lenient decoding fails with this code: no round trip is possible. */
  readonly lenient?: DecodeErrorCode
  /** validate.sh calls the file strict-VALID, but strict decoding stops at this (first) warning. */
  readonly strict?: WarningCode
  readonly reason: string
}

/** The one table of corpus exceptions (same as in docs/conformance.md). */
const CORPUS_EXCEPTIONS: Readonly<Record<string, CorpusException>> = {
  'catawampus__GetAllQueuedTransfersResponse.xml': {
    lenient: 'ERR_CWMP_ARGUMENT_MISSING',
    reason:
      'test data: one <TransferList> per transfer with the struct fields directly inside (no arrayType, no AllQueuedTransferStruct items), IsDownload "True", FileType "FileType"',
  },
  'catawampus__GetQueuedTransfersResponse.xml': {
    lenient: 'ERR_CWMP_ARGUMENT_MISSING',
    reason: 'test data: one <TransferList> per transfer with the QueuedTransferStruct fields directly inside',
  },
  'catawampus__NoSuchMethod.xml': {
    lenient: 'ERR_CWMP_METHOD_UNKNOWN',
    reason: 'negative test: a method that does not exist (a CPE answers 9000)',
  },
  'cwmpex__DownloadResponse_3.xml': {
    lenient: 'ERR_CWMP_ARGUMENT_MISSING',
    reason: 'negative test: StartTime missing (a dateTime has no empty value to fall back to)',
  },
  'cwmpex__UploadResponse_3.xml': { lenient: 'ERR_CWMP_ARGUMENT_MISSING', reason: 'negative test: StartTime missing' },
  'jdalberg__AutonomousDUStateChangeComplete.xml': {
    lenient: 'ERR_CWMP_ARGUMENT_MISSING',
    reason:
      'Results written as a SOAP array of <AutonOpResultStruct> items with Fault/FaultStruct nested (the XSD repeats <Results> holding the fields); CurrentState "curState" and UUID "some-uuid" are outside their types anyway',
  },
  'jdalberg__DUStateChangeComplete.xml': {
    lenient: 'ERR_CWMP_ARGUMENT_MISSING',
    reason: 'the same nested Results shape with <OpResultStruct> items, CurrentState "curState"',
  },
  'jdalberg__Download_2.xml': {
    lenient: 'ERR_CWMP_ARGUMENT_MISSING',
    reason: 'Username … FailureURL absent: the strings would read as empty, but DelaySeconds (xs:unsignedInt) has no empty value',
  },
  'jdalberg__Upload_2.xml': {
    lenient: 'ERR_CWMP_ARGUMENT_MISSING',
    reason: 'Username, Password, DelaySeconds absent: DelaySeconds has no empty value',
  },
  'jdalberg__bogus_inform_1.xml': {
    lenient: 'ERR_CWMP_XML_MALFORMED',
    reason: 'deliberately truncated: not well-formed (validate.sh: NOT-WF)',
  },
  'simulatr69__AutonomousTransferComplete.xml': {
    lenient: 'ERR_CWMP_ARGUMENT_MISSING',
    reason: '<FaultStruct>0</FaultStruct>: the struct written as a bare number, so FaultCode (xs:unsignedInt) is missing',
  },
  'cwmpex__SetVouchers.xml': {
    strict: 'ARRAY_TYPE_MISMATCH',
    reason:
      'soap-enc:arrayType "base64[1]" names an item type in no namespace (SOAP 1.1 §5.4.2 wants the QName soap-enc:base64); the XSD declares arrayType as a plain xs:string',
  },
  'jdalberg__SetVouchers.xml': { strict: 'ARRAY_TYPE_MISMATCH', reason: 'arrayType "base64[1]", as above' },
  'ibnhatab-testdata__GetRPCMethodsResponse.xml': { strict: 'ARRAY_TYPE_MISMATCH', reason: 'arrayType "string[09]": item type in no namespace, as above' },
  'perlcwmp-acs__GetParameterValues.xml': {
    strict: 'HEADER_DEPRECATED',
    reason:
      'NoMoreRequests with mustUnderstand="0": schema-valid as an ignorable unknown header, but deprecated since TR-069 Amendment 1; strict mode reports it (the file also has arrayType "string[…]")',
  },
  'perlcwmp-acs__GetRPCMethods.xml': { strict: 'HEADER_DEPRECATED', reason: 'NoMoreRequests, as above' },
  'perlcwmp-acs__InformResponse.xml': { strict: 'HEADER_DEPRECATED', reason: 'NoMoreRequests, as above' },
  'perlcwmp-acs__SetParameterValues.xml': {
    strict: 'HEADER_DEPRECATED',
    reason: 'NoMoreRequests, as above; its Values also lack xsi:type (schema-valid, VALUE_TYPE_MISSING)',
  },
  'ibnhatab-testdata__Fault.xml': { strict: 'HEADER_DEPRECATED', reason: 'NoMoreRequests, as above' },
  'freeacs__GetParameterNamesResponse.xml': {
    strict: 'WHITESPACE_TRIMMED',
    reason:
      'line breaks around <Name>: xs:string keeps them, a parameter path cannot hold them; the decoder trims and strict mode reports it',
  },
}

/** Vendor method seen in the corpus (Google Fiber catawampus), registered to show vendor codecs on real data. */
interface AddObjects extends VendorMessage {
  readonly method: 'X_CATAWAMPUS_ORG_AddObjects'
  readonly objects: readonly { readonly objectName: string; readonly count: number }[]
  readonly parameterKey: string
}

const codecs = createCodecRegistry([
  defineVendorMethod<AddObjects>('X_CATAWAMPUS_ORG_AddObjects', {
    since: '1.2',
    fields: {
      objects: {
        element: 'Object',
        repeated: true,
        type: { fields: { objectName: { element: 'ObjectName', type: 'string', maxLength: 256 }, count: { element: 'Count', type: 'unsignedInt' } } },
      },
      parameterKey: { element: 'ParameterKey', type: 'string', maxLength: 32 },
    },
  }),
])

function files(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.xml'))
    .sort()
}

function read(file: string): Uint8Array {
  return new Uint8Array(readFileSync(join(CORPUS_DIR, file)))
}

function errorOf(fn: () => unknown): unknown {
  try {
    fn()
  } catch (e) {
    return e
  }
  return undefined
}

/** strict-VALID files according to corpus/VALIDATION.md (the validate.sh verdicts). */
function strictValidFiles(): Set<string> {
  const valid = new Set<string>()
  for (const line of readFileSync(join(CORPUS_DIR, 'VALIDATION.md'), 'utf8').split('\n')) {
    const m = /^\| (\S+\.xml) \| \w+ \| (VALID|INVALID|NOT-WF) \|/.exec(line)
    if (m?.[2] === 'VALID') valid.add(m[1] as string)
  }
  return valid
}

describe.skipIf(CORPUS_DIR === '')('corpus (CWMP_CORPUS_DIR)', () => {
  it('holds the files the exception table names', () => {
    const all = new Set(files())
    expect(all.size).toBeGreaterThanOrEqual(190)
    expect(Object.keys(CORPUS_EXCEPTIONS).filter((f) => !all.has(f))).toEqual([])
  })

  it('decodes every envelope in lenient mode, except the listed ones, which fail with the listed code', () => {
    const unexpected: string[] = []
    for (const file of files()) {
      const err = errorOf(() => decodeEnvelope(read(file), { codecs }))
      const listed = CORPUS_EXCEPTIONS[file]?.lenient
      if (err === undefined && listed === undefined) continue
      if (err !== undefined && isCwmpError(err) && err.code === listed) continue
      unexpected.push(`${file}: ${err === undefined ? 'decodes' : isCwmpError(err) ? `${err.code} ${err.message}` : String(err)} (listed: ${listed ?? 'none'})`)
    }
    expect(unexpected).toEqual([])
  })

  it('keeps body and header through decode(encode(decoded, { strict: false }))', () => {
    const differ: string[] = []
    for (const file of files()) {
      if (CORPUS_EXCEPTIONS[file]?.lenient !== undefined) continue
      const decoded = decodeEnvelope(read(file), { codecs }) as DecodedEnvelope
      const again = decodeEnvelope(encodeEnvelope(decoded, { strict: false, codecs }), { codecs })
      try {
        expect(again.body).toStrictEqual(decoded.body)
        expect(again.header).toStrictEqual(encodableHeader(decoded.header))
        expect(again.version).toBe(impliedVersion(decoded.version, decoded.header))
        const before = new Set(decoded.warnings.map((w) => w.code))
        expect(again.warnings.filter((w) => !before.has(w.code))).toEqual([])
      } catch (e) {
        differ.push(`${file}: ${(e as Error).message.slice(0, 300)}`)
      }
    }
    expect(differ).toEqual([])
  })

  it('reads a field its type cannot hold as the fallback, with the text kept, and refuses it in strict mode (D26)', () => {
    const negative: [string, string, string, unknown][] = [
      ['cwmpex__DeleteObjectResponse_2.xml', 'status', '2', 0],
      ['cwmpex__DownloadResponse_2.xml', 'status', '2', 0],
      ['cwmpex__UploadResponse_2.xml', 'status', '2', 0],
      ['cwmpex__Download.xml', 'fileSize', 'foo', 0],
    ]
    for (const [file, key, text, fallback] of negative) {
      const d = decodeEnvelope(read(file))
      expect(d.warnings.filter((w) => w.code === 'SCALAR_INVALID').map((w) => w.lexical), file).toEqual([text])
      expect((d.body as unknown as Record<string, unknown>)[key], file).toBe(fallback)
      expect(lexicalValue(d.body, key), file).toBe(text)
      // Re-encoded as received in non-strict mode; strict decoding refuses it.
      expect(encodeEnvelope(d, { strict: false }), file).toContain(`>${text}</`)
      expect(errorOf(() => decodeEnvelope(read(file), { strict: true })), file).toMatchObject({ code: 'ERR_CWMP_ARGUMENT_INVALID' })
    }
  })

  it('decodes the vendor method X_CATAWAMPUS_ORG_AddObjects with a registered codec', () => {
    const file = 'catawampus__X_CATAWAMPUS_ORG_AddObjects.xml'
    expect(errorOf(() => decodeEnvelope(read(file)))).toMatchObject({ code: 'ERR_CWMP_METHOD_UNKNOWN' })
    const d = decodeEnvelope(read(file), { codecs })
    expect(d.body).toEqual({
      method: 'X_CATAWAMPUS_ORG_AddObjects',
      objects: [
        { objectName: 'Item.', count: 2 },
        { objectName: 'Item2.', count: 3 },
      ],
      parameterKey: 'ParameterKey1',
    })
    expect(d.header).toEqual({ id: 'TestCwmpId', holdRequests: false })
    // The catawampus test data omits mustUnderstand on HoldRequests.
    expect(d.warnings.map((w) => w.code)).toEqual(['HEADER_MUST_UNDERSTAND'])
    const again = decodeEnvelope(encodeEnvelope(d, { codecs }), { codecs, strict: true })
    expect(again).toStrictEqual({ ...d, warnings: [] })
  })

  it('accepts in strict mode no file validate.sh rejects, and every strict-VALID one except the listed', () => {
    const valid = strictValidFiles()
    expect(valid.size).toBeGreaterThan(50)
    const acceptedInvalid: string[] = []
    const rejectedValid: string[] = []
    let accepted = 0
    for (const file of files()) {
      const err = errorOf(() => decodeEnvelope(read(file), { strict: true, codecs }))
      if (err === undefined) {
        accepted++
        if (!valid.has(file)) acceptedInvalid.push(file)
        continue
      }
      expect(isCwmpError(err), file).toBe(true)
      if (!valid.has(file)) continue
      const listed = CORPUS_EXCEPTIONS[file]?.strict
      const msg = (err as Error).message
      if (listed === undefined || (err as { code: string }).code !== 'ERR_CWMP_STRICT' || !msg.endsWith(`(${listed})`)) {
        rejectedValid.push(`${file}: ${msg} (listed: ${listed ?? 'none'})`)
      }
    }
    expect(acceptedInvalid).toEqual([])
    expect(rejectedValid).toEqual([])
    const listedStrict = Object.values(CORPUS_EXCEPTIONS).filter((x) => x.strict !== undefined).length
    // Every listed strict exception is really strict-VALID, so accepted + listed = strict-VALID.
    expect(accepted + listedStrict).toBe(valid.size)
  })
})

describe('corpus exception table', () => {
  it('gives every entry a reason and exactly one kind', () => {
    for (const [file, x] of Object.entries(CORPUS_EXCEPTIONS)) {
      expect(x.reason.length, file).toBeGreaterThan(10)
      expect((x.lenient === undefined) !== (x.strict === undefined), file).toBe(true)
    }
  })
  it('is the table in docs/conformance.md', () => {
    const doc = join(import.meta.dirname, '../../docs/conformance.md')
    expect(existsSync(doc)).toBe(true)
    const text = readFileSync(doc, 'utf8')
    for (const [file, x] of Object.entries(CORPUS_EXCEPTIONS)) {
      const row = text.split('\n').find((l) => l.startsWith(`| \`${file}\` |`))
      expect(row, file).toBeDefined()
      expect(row, file).toContain(`\`${x.lenient ?? x.strict}\``)
    }
  })
})
