/**
 * Building faults to send: from the catalogue, from a code, or from an error.
 *
 * @module
 */
import { ConfigError, isCwmpError, type FaultKind } from './errors.js'
import type { Fault } from './types/messages.js'
import type { SetParameterValuesFaultStruct } from './types/structs.js'
import {
  ACS_FAULTS,
  CPE_FAULTS,
  faultDefinition,
  type AcsFaultName,
  type CpeFaultName,
} from './types/catalogue.js'

/**
 * Who sends a fault: a CPE sends 9xxx codes, an ACS 8xxx codes.
 *
 * @category Faults
 */
export type FaultRole = 'cpe' | 'acs'

/**
 * The `faultstring` TR-069 requires on every CWMP fault.
 *
 * @category Faults
 */
export const CWMP_FAULT_STRING = 'CWMP fault'

/**
 * Build a fault from a code. The SOAP `faultcode` (Client or Server) comes from the catalogue;
 * vendor and unknown codes are `Server`.
 *
 * @param faultCode - a CWMP fault code (8000–8899 or 9000–9899)
 * @param faultString - description; defaults to the catalogue text
 * @param setParameterValuesFault - per-parameter faults, for a SetParameterValues fault (9003)
 *
 * @throws {@link ConfigError} naming `faultCode` when it is not an integer, `faultString` when it is not a
 * string or `setParameterValuesFault` when it is not an array
 *
 * @category Faults
 */
export function createFault(
  faultCode: number,
  faultString?: string,
  setParameterValuesFault?: readonly SetParameterValuesFaultStruct[],
): Fault {
  if (!Number.isInteger(faultCode)) throw new ConfigError('faultCode', 'an integer', faultCode)
  if (faultString !== undefined && typeof faultString !== 'string') throw new ConfigError('faultString', 'a string', faultString)
  if (setParameterValuesFault !== undefined && !Array.isArray(setParameterValuesFault)) {
    throw new ConfigError('setParameterValuesFault', 'an array', setParameterValuesFault)
  }
  const def = faultDefinition(faultCode)
  const text = faultString ?? def?.text
  const fault: { -readonly [K in keyof Fault]: Fault[K] } = {
    method: 'Fault',
    soapFaultCode: def?.soap ?? 'Server',
    soapFaultString: CWMP_FAULT_STRING,
    faultCode,
  }
  if (text !== undefined) fault.faultString = text
  if (setParameterValuesFault !== undefined && setParameterValuesFault.length > 0) {
    fault.setParameterValuesFault = setParameterValuesFault
  }
  return fault
}

/**
 * Build a CPE fault from the catalogue by name, e.g. `makeFault('cpe', 'InvalidParameterName')` (9005).
 *
 * @param role - `cpe` for 9xxx codes
 * @param name - the fault's name in {@link CPE_FAULTS}
 * @param faultString - description; defaults to the catalogue text
 * @param setParameterValuesFault - per-parameter faults (CPE only, for SetParameterValues)
 * @throws {@link ConfigError} naming `name` when the catalogue has no fault of that name
 *
 * @category Faults
 */
export function makeFault(
  role: 'cpe',
  name: CpeFaultName,
  faultString?: string,
  setParameterValuesFault?: readonly SetParameterValuesFaultStruct[],
): Fault
/**
 * Build an ACS fault from the catalogue by name, e.g. `makeFault('acs', 'RetryRequest')` (8005).
 *
 * @param role - `acs` for 8xxx codes
 * @param name - the fault's name in {@link ACS_FAULTS}
 * @param faultString - description; defaults to the catalogue text
 * @throws {@link ConfigError} naming `name` when the catalogue has no fault of that name
 *
 * @category Faults
 */
export function makeFault(role: 'acs', name: AcsFaultName, faultString?: string): Fault
export function makeFault(
  role: FaultRole,
  name: CpeFaultName | AcsFaultName,
  faultString?: string,
  setParameterValuesFault?: readonly SetParameterValuesFaultStruct[],
): Fault {
  const table: Readonly<Record<string, { readonly code: number }>> = role === 'cpe' ? CPE_FAULTS : ACS_FAULTS
  const def = Object.hasOwn(table, name) ? table[name] : undefined
  if (role !== 'cpe' && role !== 'acs') throw new ConfigError('role', "'cpe' or 'acs'", role)
  if (def === undefined) throw new ConfigError('name', `a fault name in ${role === 'cpe' ? 'CPE_FAULTS' : 'ACS_FAULTS'}`, name)
  return createFault(def.code, faultString, setParameterValuesFault)
}

const KIND_CODES: { readonly [K in FaultKind]: readonly [cpe: number, acs: number] } = {
  MethodNotSupported: [9000, 8000],
  RequestDenied: [9001, 8001],
  InternalError: [9002, 8002],
  InvalidArguments: [9003, 8003],
  ResourcesExceeded: [9004, 8004],
}

/**
 * Turn any error into the fault to send back: a library error maps through its `faultKind`
 * (an unknown method becomes 9000/8000, a bad argument 9003/8003, a limit 9004/8004…), anything
 * else becomes Internal error (9002/8002) without revealing its message.
 *
 * @param error - anything caught
 * @param role - `cpe` when we answer an ACS (9xxx), `acs` when we answer a CPE (8xxx)
 *
 * @category Faults
 */
export function toFault(error: unknown, role: FaultRole): Fault {
  if (isCwmpError(error)) {
    const [cpe, acs] = KIND_CODES[error.faultKind]
    const code = role === 'cpe' ? cpe : acs
    return createFault(code, `${faultDefinition(code)?.text ?? 'Fault'}: ${error.message}`)
  }
  return createFault(role === 'cpe' ? 9002 : 8002)
}
