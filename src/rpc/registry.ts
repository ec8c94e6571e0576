/**
 * Method codec lookup, and the registration of vendor-specific methods.
 *
 * @module
 */
import { ConfigError } from '../errors.js'
import type { VendorMessage } from '../types/messages.js'
import type { CwmpVersion } from '../types/version.js'
import { faultCodec } from './fault-codec.js'
import { METHOD_CODECS } from './messages.js'
import { base64, bool, dateTime, int, string, unsignedInt, type Scalar } from './scalars.js'
import { defineMethodOfFields, field, structOfFields, type Field, type Item, type MethodCodec } from './schema.js'

const BUILTIN: ReadonlyMap<string, MethodCodec> = new Map<string, MethodCodec>(
  Object.values(METHOD_CODECS).map((c): [string, MethodCodec] => [c.method, c]),
)

/** The codec of the SOAP Fault. */
const FAULT_CODEC: MethodCodec = faultCodec

/**
 * The codec of a message by its `method` (its element name): the SOAP Fault for `Fault`, a
 * built-in method, or a vendor method (`X_…`) registered in `registry`. Built-in names cannot be
 * overridden; the lookup is safe for any string (no prototype keys).
 *
 * @internal
 */
export function codecFor(method: string, registry: CodecRegistry | undefined): MethodCodec | undefined {
  if (method === 'Fault') return FAULT_CODEC
  return BUILTIN.get(method) ?? (method.startsWith('X_') ? registry?.get(method) : undefined)
}

/**
 * A set of vendor method codecs, passed to {@link decodeEnvelope} and {@link encodeEnvelope} as
 * `codecs`. Create it with {@link createCodecRegistry}.
 *
 * @category Codec
 */
export interface CodecRegistry {
  /** The codec registered for a vendor method element name, if any. */
  get(method: string): MethodCodec | undefined
  /** The registered method names. */
  readonly methods: readonly string[]
}

/**
 * Register codecs for vendor-specific methods (`X_<OUI or domain>_<Name>`). Built-in method names
 * cannot be overridden.
 *
 * @param codecs - codecs built with {@link defineVendorMethod}
 * @throws {@link ConfigError} naming `codecs` when it is not an array, or `codecs.N.method` for a name that
 * is not `X_<vendor>_<name>` or is registered twice
 * @throws TypeError when a name does not start with `X_` or is registered twice
 *
 * @example
 * ```ts
 * const registry = createCodecRegistry([
 *   defineVendorMethod('X_ACME_Ping', { fields: { target: { element: 'Target', type: 'string' } } }),
 * ])
 * decodeEnvelope(xml, { codecs: registry })
 * ```
 *
 * @category Codec
 */
export function createCodecRegistry(codecs: readonly MethodCodec[]): CodecRegistry {
  if (!Array.isArray(codecs)) throw new ConfigError('codecs', 'an array of method codecs', codecs)
  const map = new Map<string, MethodCodec>()
  for (const [i, c] of codecs.entries()) {
    if (typeof c !== 'object' || c === null || typeof c.method !== 'string') throw new ConfigError(`codecs.${i}`, 'a method codec', c)
    if (!/^X_[A-Za-z0-9_-]+$/.test(c.method)) throw new ConfigError(`codecs.${i}.method`, 'a vendor method name X_<vendor>_<name>', c.method)
    if (map.has(c.method)) throw new ConfigError(`codecs.${i}.method`, 'a vendor method not registered twice', c.method)
    map.set(c.method, c)
  }
  return { get: (m) => map.get(m), methods: [...map.keys()] }
}

/**
 * The scalar types a vendor field can have.
 *
 * @category Codec
 */
export type VendorScalarType = 'string' | 'boolean' | 'int' | 'unsignedInt' | 'dateTime' | 'base64'

/**
 * One field of a vendor method or vendor struct.
 *
 * @category Codec
 */
export interface VendorFieldSpec {
  /** The element name on the wire. */
  readonly element: string
  /** A scalar type, or the fields of a nested struct. */
  readonly type:
    | VendorScalarType
    | {
        /** The nested struct's fields, in element order. */
        readonly fields: Readonly<Record<string, VendorFieldSpec>>
      }
  /** The element may be absent (the property is then omitted). */
  readonly optional?: boolean
  /** The element may repeat; the property is an array (omitted when there are none). */
  readonly repeated?: boolean
  /** Maximum length of a string value, in characters. */
  readonly maxLength?: number
}

/**
 * The declaration of a vendor method for {@link defineVendorMethod}.
 *
 * @category Codec
 */
export interface VendorMethodSpec {
  /** The first CWMP version the method is used with (default `1.0`). */
  readonly since?: CwmpVersion
  /** Properties of the message, in element order. */
  readonly fields: Readonly<Record<string, VendorFieldSpec>>
}

function vendorScalar(type: VendorScalarType, maxLength: number | undefined): Scalar<unknown> {
  switch (type) {
    case 'string':
      return string(maxLength)
    case 'boolean':
      return bool
    case 'int':
      return int
    case 'unsignedInt':
      return unsignedInt
    case 'dateTime':
      return dateTime
    case 'base64':
      return base64
  }
}

function vendorFields(name: string, fields: Readonly<Record<string, VendorFieldSpec>>): Field[] {
  return Object.entries(fields).map(([key, spec]) => {
    const item: Item =
      typeof spec.type === 'string'
        ? { kind: 'scalar', type: vendorScalar(spec.type, spec.maxLength) }
        : { kind: 'struct', struct: structOfFields(`${name}/${spec.element}`, vendorFields(name, spec.type.fields)) }
    if (spec.repeated === true) return { ...field.repeat(spec.element, item, { min: spec.optional === true ? 0 : 1 }), key }
    return { kind: 'single', key, el: spec.element, optional: spec.optional === true, item }
  })
}

/**
 * Declare the codec of a vendor-specific method from a description of its fields. Vendor method
 * elements live in the cwmp namespace like the standard ones; their content is unqualified.
 *
 * @param method - the element name, `X_<vendor>_<name>`
 * @param spec - the fields
 *
 * @category Codec
 */
export function defineVendorMethod<T extends VendorMessage>(
  method: T['method'],
  spec: VendorMethodSpec,
): MethodCodec<T> {
  return defineMethodOfFields<T>(method, spec.since ?? '1.0', vendorFields(method, spec.fields))
}
