/**
 * The codec of the SOAP `Fault` body element with its `cwmp:Fault` detail (TR-069 Annex A.5).
 *
 * @module
 */
import type { Fault } from '../types/messages.js'
import type { SetParameterValuesFaultStruct } from '../types/structs.js'
import { NS } from '../types/version.js'
import { lookupPrefix } from '../xml/events.js'
import type { XmlElement } from '../xml/reader.js'
import { copyLexical, type DecodeContext } from './context.js'
import { trimXml } from '../values/lexical.js'
import { faultCode, spvFaultCode, str, string } from './scalars.js'
import {
  checkAttrs,
  decodeStruct,
  encodeFields,
  field,
  isCwmpNamespace,
  struct,
  writeScalar,
  type MethodCodec,
} from './schema.js'

const setParameterValuesFaultStruct = struct<SetParameterValuesFaultStruct>('SetParameterValuesFault', {
  parameterName: field.scalar('ParameterName', str('ParameterName', { trim: true })),
  faultCode: field.scalar('FaultCode', spvFaultCode),
  faultString: field.scalar('FaultString', string(), { optional: true }),
})

/** The `cwmp:Fault` detail: what a Fault message holds besides the SOAP faultcode and faultstring. */
type CwmpFaultDetail = Omit<Fault, 'method' | 'soapFaultCode' | 'soapFaultString'>

const cwmpFault = struct<CwmpFaultDetail>('Fault', {
  faultCode: field.scalar('FaultCode', faultCode),
  faultString: field.scalar('FaultString', string(), { optional: true }),
  setParameterValuesFault: field.repeat(
    'SetParameterValuesFault',
    { kind: 'struct', struct: setParameterValuesFaultStruct },
    { min: 0 },
  ),
})

const NCNAME_LIKE = /^[A-Za-z_][A-Za-z0-9_.-]*$/

function soapFaultCodeOf(text: string, el: XmlElement, ctx: DecodeContext): string {
  const q = trimXml(text)
  const colon = q.indexOf(':')
  if (colon === -1) return q
  const ns = lookupPrefix(el.scope, q.slice(0, colon))
  if (ns === NS.soapEnv) return q.slice(colon + 1)
  if (ns === undefined) ctx.warn('FAULT_SHAPE', `faultcode prefix in "${q}" is not bound`, el)
  return q
}

/** @internal */
export const faultCodec: MethodCodec<Fault> = {
  method: 'Fault',
  since: '1.0',
  decode(el, ctx) {
    let code: string | undefined
    let text: string | undefined
    let detail: XmlElement | undefined
    for (const c of el.children) {
      if (c.ns !== '') {
        ctx.warn('FAULT_SHAPE', `<${c.local}> of a SOAP Fault must be unqualified`, c)
      }
      switch (c.local) {
        case 'faultcode':
          code ??= soapFaultCodeOf(c.text, c, ctx)
          break
        case 'faultstring':
          text ??= c.text
          break
        case 'faultactor':
          break
        case 'detail':
          for (const d of c.children) {
            if (d.local === 'Fault' && isCwmpNamespace(d.ns)) detail ??= d
            else ctx.warn('UNKNOWN_ELEMENT', `<${d.local}> in the fault detail ignored`, d)
          }
          break
        default:
          ctx.warn('UNKNOWN_ELEMENT', `<${c.local}> is not part of a SOAP Fault`, c, c.local)
      }
    }
    if (code === undefined) return ctx.missing('faultcode', el)
    if (text === undefined) return ctx.missing('faultstring', el)
    if (detail === undefined) return ctx.missing('detail/cwmp:Fault', el)
    ctx.path.push('detail', 'Fault')
    if (detail.attrs !== undefined) checkAttrs(detail, 'none', ctx)
    const d = decodeStruct(cwmpFault, detail, ctx)
    ctx.path.pop()
    ctx.path.pop()
    const fault = { method: 'Fault' as const, soapFaultCode: code, soapFaultString: text, ...d }
    copyLexical(d, fault) // a FaultCode `abc` keeps its text (D26)
    return fault
  },
  encodeContent(message, out, ctx) {
    ctx.path.push('soapFaultCode')
    if (typeof message.soapFaultCode !== 'string' || !NCNAME_LIKE.test(message.soapFaultCode)) {
      ctx.fail(`soapFaultCode ${JSON.stringify(message.soapFaultCode)} is not Client, Server or another NCName`)
    }
    writeScalar(out, 'faultcode', message.soapFaultCode, ctx)
    ctx.path.pop()
    ctx.path.push('soapFaultString')
    if (typeof message.soapFaultString !== 'string') ctx.fail('soapFaultString must be a string')
    writeScalar(out, 'faultstring', message.soapFaultString, ctx)
    ctx.path.pop()
    out.s += '<detail><cwmp:Fault>'
    encodeFields(cwmpFault.fields, message, out, ctx)
    out.s += '</cwmp:Fault></detail>'
  },
}
