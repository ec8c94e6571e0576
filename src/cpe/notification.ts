/**
 * The Notification attribute of a parameter (TR-069 SetParameterAttributes): its values, 0–6, and
 * what each asks of the CPE when the parameter's value changes.
 *
 * @module
 */
import type { Notification } from '../types/structs.js'

/** True for a Notification value, 0–6. @internal */
export function isNotification(n: unknown): n is Notification {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 6
}

/** True for the values that ask for active notification of a kind: 2 (active), 5 (active lightweight), 6 (passive and active lightweight). @internal */
export function isActiveNotification(n: Notification): boolean {
  return n === 2 || n === 5 || n === 6
}

/** True for the values that put a changed parameter in the Inform: 1, 4, 6 passive; 2 active. @internal */
export function notifiesInInform(n: Notification): boolean {
  return n === 1 || n === 2 || n === 4 || n === 6
}
