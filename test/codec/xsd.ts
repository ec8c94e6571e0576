/**
 * Strict schema validation of complete CWMP envelopes with xmllint, in batches.
 *
 * It reproduces the three stages of the reference validator (`validate.sh`) using nothing but the
 * schema folder named by `CWMP_XSD_DIR`:
 *
 * - stage A: the whole envelope against `cwmp-envelope-wrapper.xsd` (SOAP 1.1 envelope + encoding
 *   + every cwmp namespace in one schema set). Header, Body and Fault `detail` are `lax` there, so
 *   an element without a global declaration is silently skipped;
 * - stage B: every Header child, every Body child and every Fault `detail` child is copied into a
 *   document of its own (with the namespace declarations in scope at that point, so QName-valued
 *   content such as `xsi:type="xsd:string"` keeps resolving) and validated as the ROOT against the
 *   same schema set, so an undeclared element is an error ("No matching global declaration");
 * - stage C: what XSD cannot say: exactly one Body child, a SOAP Fault with a detail child,
 *   `SupportedCWMPVersions` with mustUnderstand 0 if present, `UseCWMPVersion` with mustUnderstand 1.
 *
 * Unlike `validate.sh`, an undeclared header entry without mustUnderstand="1" is an error too:
 * our encoder never writes one. The non-standard cwmp-1-3/1-4 namespaces have no schema and fail.
 */
import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { SaxesParser, type SaxesTagPlain } from 'saxes'

const SOAP_ENV = 'http://schemas.xmlsoap.org/soap/envelope/'
const CWMP_NS = /^urn:dslforum-org:cwmp-1-[0-4]$/

/** The outcome of validating one envelope. */
export interface ValidationResult {
  readonly valid: boolean
  /** xmllint and stage C messages, empty when valid. */
  readonly errors: readonly string[]
}

/** True when `xmllint` can be run. */
export function hasXmllint(): boolean {
  const r = spawnSync('xmllint', ['--version'], { encoding: 'utf8' })
  return r.error === undefined && r.status === 0
}

interface Part {
  readonly label: string
  readonly xml: string
}

interface Split {
  readonly parts: Part[]
  readonly stageC: string[]
}

interface OpenElement {
  readonly uri: string
  readonly local: string
  readonly start: number
  /** Namespace declarations written on this element, as `[name, value]` (`xmlns` or `xmlns:p`). */
  readonly decls: readonly (readonly [string, string])[]
  readonly attributes: Readonly<Record<string, string>>
}

function escapeAttr(s: string): string {
  return s.replace(/[&<>"\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`)
}

/**
 * Cut an envelope into its stage-B parts and check the stage-C rules. The input must be
 * well-formed (xmllint reports it otherwise, in stage A).
 */
export function splitEnvelope(xml: string): Split {
  const parts: Part[] = []
  const stageC: string[] = []
  const parser = new SaxesParser({ xmlns: true, position: true })
  const stack: OpenElement[] = []
  let tagStart = 0
  let bodyChildren = 0
  let detailChildren = 0
  let sawFault = false
  parser.on('opentagstart', () => {
    tagStart = xml.lastIndexOf('<', parser.position - 1)
  })
  parser.on('opentag', (tag) => {
    const t = tag as unknown as SaxesTagPlain & { uri: string; local: string; ns: Record<string, string> }
    const decls: [string, string][] = []
    const attributes: Record<string, string> = {}
    for (const [name, raw] of Object.entries(t.attributes)) {
      const a = raw as unknown as { value: string; uri: string; local: string }
      if (name === 'xmlns' || name.startsWith('xmlns:')) decls.push([name, a.value])
      else attributes[a.uri === SOAP_ENV ? `{soap}${a.local}` : name] = a.value
    }
    stack.push({ uri: t.uri, local: t.local, start: tagStart, decls, attributes })
    const path = stack.map((e) => e.local).join('/')
    if (stack.length === 3 && path === 'Envelope/Body/Fault' && t.uri === SOAP_ENV) sawFault = true
    if (stack.length === 3 && stack[1]?.local === 'Body') bodyChildren++
    if (stack.length === 5 && path.startsWith('Envelope/Body/Fault/detail/')) detailChildren++
    if (stack.length === 3 && stack[1]?.local === 'Header' && CWMP_NS.test(t.uri)) {
      const mu = attributes['{soap}mustUnderstand']
      if (t.local === 'SupportedCWMPVersions' && mu !== undefined && mu !== '0') {
        stageC.push(`C: SupportedCWMPVersions mustUnderstand="${mu}" (must be 0)`)
      }
      if (t.local === 'UseCWMPVersion' && mu !== '1') stageC.push(`C: UseCWMPVersion mustUnderstand="${mu ?? ''}" (must be 1)`)
    }
  })
  parser.on('closetag', () => {
    const el = stack[stack.length - 1] as OpenElement
    const path = stack.map((e) => e.local).join('/')
    const depth = stack.length
    const isPart =
      (depth === 3 && (stack[1]?.local === 'Header' || stack[1]?.local === 'Body')) ||
      (depth === 5 && path.startsWith('Envelope/Body/Fault/detail/'))
    if (isPart) {
      // Copy the element with every namespace declaration in scope that it does not make itself.
      const own = new Set(el.decls.map(([n]) => n))
      const inherited = new Map<string, string>()
      for (const anc of stack.slice(0, -1)) for (const [n, v] of anc.decls) inherited.set(n, v)
      let extra = ''
      for (const [n, v] of inherited) if (!own.has(n)) extra += ` ${n}="${escapeAttr(v)}"`
      const text = xml.slice(el.start, parser.position)
      const nameEnd = text.search(/[\s/>]/)
      const label = depth === 5 ? 'detail' : (stack[1] as OpenElement).local === 'Header' ? 'header' : 'body'
      parts.push({ label: `${label} <${el.local}>`, xml: text.slice(0, nameEnd) + extra + text.slice(nameEnd) })
    }
    stack.pop()
  })
  try {
    parser.write(xml).close()
  } catch (e) {
    stageC.push(`not well-formed: ${(e as Error).message}`)
    return { parts: [], stageC }
  }
  if (bodyChildren !== 1) stageC.push(`C: Body has ${bodyChildren} child elements (CWMP requires exactly one)`)
  if (sawFault && detailChildren === 0) stageC.push('C: SOAP Fault without a detail child')
  return { parts, stageC }
}

interface Job {
  readonly file: string
  readonly owner: number
  readonly label: string
}

function runXmllint(xsdDir: string, files: readonly string[]): Promise<Map<string, string[]>> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'xmllint',
      ['--nonet', '--noout', '--schema', join(xsdDir, 'cwmp-envelope-wrapper.xsd'), ...files],
      { env: { ...process.env, XML_CATALOG_FILES: join(xsdDir, 'catalog.xml') } },
    )
    let err = ''
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (d: string) => {
      err += d
    })
    child.stdout.resume()
    child.on('error', reject)
    child.on('close', () => {
      const verdict = new Map<string, string[]>()
      const seen = new Set<string>()
      for (const f of files) verdict.set(f, [])
      for (const line of err.split('\n')) {
        if (line === '') continue
        const ok = / validates$/.exec(line)
        if (ok !== null && verdict.has(line.slice(0, -' validates'.length))) {
          seen.add(line.slice(0, -' validates'.length))
          continue
        }
        if (line.endsWith(' fails to validate')) {
          const f = line.slice(0, -' fails to validate'.length)
          seen.add(f)
          const v = verdict.get(f)
          if (v !== undefined && v.length === 0) v.push('fails to validate')
          continue
        }
        const f = files.find((name) => line.startsWith(`${name}:`))
        if (f !== undefined) (verdict.get(f) as string[]).push(line.slice(f.length + 1))
        else if (!/parser warning|^\s|^\^/.test(line)) {
          // Anything else (a schema that does not compile, a missing file) fails every file.
          for (const v of verdict.values()) v.push(line)
        }
      }
      for (const f of files) if (!seen.has(f)) (verdict.get(f) as string[]).push('xmllint gave no verdict')
      resolve(verdict)
    })
  })
}

/**
 * Validate envelopes strictly (stages A, B and C). One result per input, in order.
 *
 * @param xsdDir - the folder of the schemas (`CWMP_XSD_DIR`)
 * @param envelopes - complete envelopes as text
 * @param batchSize - files per xmllint run (the schema set is compiled once per run)
 */
export async function validateEnvelopes(
  xsdDir: string,
  envelopes: readonly string[],
  batchSize = 400,
): Promise<ValidationResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'cwmp-xsd-'))
  try {
    const errors: string[][] = envelopes.map(() => [])
    const jobs: Job[] = []
    envelopes.forEach((xml, i) => {
      const file = join(dir, `e${i}.xml`)
      writeFileSync(file, xml)
      jobs.push({ file, owner: i, label: 'A' })
      const { parts, stageC } = splitEnvelope(xml)
      ;(errors[i] as string[]).push(...stageC)
      parts.forEach((p, j) => {
        const pf = join(dir, `e${i}-p${j}.xml`)
        writeFileSync(pf, p.xml)
        jobs.push({ file: pf, owner: i, label: `B: ${p.label}` })
      })
    })
    const batches: Job[][] = []
    for (let i = 0; i < jobs.length; i += batchSize) batches.push(jobs.slice(i, i + batchSize))
    const width = Math.max(1, Math.min(availableParallelism(), 4))
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < batches.length) {
        const batch = batches[next++] as Job[]
        const verdict = await runXmllint(
          xsdDir,
          batch.map((j) => j.file),
        )
        for (const j of batch) {
          for (const e of verdict.get(j.file) ?? ['no verdict']) {
            ;(errors[j.owner] as string[]).push(`${j.label}: ${e}`)
          }
        }
      }
    }
    await Promise.all(Array.from({ length: width }, worker))
    return errors.map((e) => ({ valid: e.length === 0, errors: e }))
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
