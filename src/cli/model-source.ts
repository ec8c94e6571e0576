/**
 * The data model of `--model SOURCE` (`cwmp fleet`, `cwmp cpe`): `sample` (the library's TR-181
 * gateway), `tr181` / `tr098` (a whole Broadband Forum model with plausible values:
 * `simulatedModelDefinition`, the definitions loaded only when asked for), `csv:FILE` (genieacs-sim
 * CSV), `json:FILE` (a JSON object of parameters, or a whole definition); a bare `FILE` ending in
 * `.csv` or `.json` is read as such.
 *
 * @module
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigError } from '../errors.js'
import { parseDataModelCsv } from '../cpe/data-model-csv.js'
import type { MemoryModelDefinition } from '../cpe/memory-definition.js'
import { sampleDeviceDefinition } from '../cpe/sample-device.js'
import { simulatedModelDefinition, type SimulatedModelDefinitions, type SimulatedModelOptions } from '../cpe/simulated-model.js'
import { UsageError } from './command.js'

/** What `--model` accepts, for messages. @internal */
export const MODEL_SOURCES = 'sample, tr181, tr098, csv:FILE or json:FILE'

/**
 * The definitions of `tr181` or `tr098`, imported when first asked for (the bin does not load the
 * tables for other models or commands).
 *
 * @internal
 */
export async function definitionsOf(which: 'tr181' | 'tr098'): Promise<SimulatedModelDefinitions> {
  return which === 'tr181' ? (await import('../datamodel/tr181.js')).tr181 : (await import('../datamodel/tr098.js')).tr098
}

/**
 * A simulated model of `tr181` or `tr098`; a refused option is a {@link ConfigError} naming it.
 *
 * @internal
 */
export async function simulatedDefinition(which: 'tr181' | 'tr098', options: SimulatedModelOptions): Promise<MemoryModelDefinition> {
  return simulatedModelDefinition(await definitionsOf(which), options)
}

/**
 * Read `--model SOURCE`.
 *
 * @param source - the flag's value
 * @param simulated - seed and instances for `tr181` / `tr098` (the flags `--seed`, `--instances`)
 * @throws {@link UsageError} for an unknown source, a file that cannot be read as a model, or a
 * seed or instance count the simulated model refuses (naming the flag)
 * @internal
 */
export async function readModelSource(source: string, simulated: { readonly seed?: number; readonly instances?: number } = {}): Promise<MemoryModelDefinition> {
  if (source === 'sample') return sampleDeviceDefinition()
  if (source === 'tr181' || source === 'tr098') {
    try {
      return await simulatedDefinition(source, {
        ...(simulated.seed === undefined ? {} : { seed: simulated.seed }),
        ...(simulated.instances === undefined ? {} : { instances: simulated.instances }),
      })
    } catch (error) {
      if (error instanceof ConfigError && (error.field === 'seed' || error.field === 'instances')) {
        throw new UsageError(error.message.replace(error.field, `--${error.field}`))
      }
      throw error
    }
  }
  const colon = source.indexOf(':')
  let kind = colon < 0 ? source : source.slice(0, colon)
  let file = colon < 0 ? '' : source.slice(colon + 1)
  if (colon < 0 && /\.(csv|json)$/i.test(source)) {
    kind = source.slice(source.lastIndexOf('.') + 1).toLowerCase()
    file = source
  }
  if ((kind !== 'csv' && kind !== 'json') || file === '') throw new UsageError(`--model must be ${MODEL_SOURCES} (got "${source}")`)
  let text: string
  try {
    text = readFileSync(resolve(file), 'utf8')
  } catch (error) {
    throw new UsageError(`--model ${source}: cannot read ${file} (${error instanceof Error ? error.message : String(error)})`)
  }
  try {
    if (kind === 'csv') return parseDataModelCsv(text)
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('not a JSON object')
    const o = parsed as Record<string, unknown>
    if (typeof o['parameters'] === 'object' && o['parameters'] !== null) return o as unknown as MemoryModelDefinition
    return { parameters: o as MemoryModelDefinition['parameters'] }
  } catch (error) {
    throw new UsageError(`--model ${source}: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`)
  }
}
