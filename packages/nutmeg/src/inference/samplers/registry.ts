// The samplers the chain loop can run, by name: adding one is a file in this folder and a line here.
import { OptionError } from '../../core/errors.js';
import { nutsSampler } from './nuts.js';
import { staticHmcSampler } from './staticHmc.js';
import type { Sampler } from './sampler.js';

/** Every registered sampler by name; NUTS first (the default). */
export const SAMPLERS = {
  nuts: nutsSampler,
  hmc: staticHmcSampler,
} as const satisfies Record<string, Sampler>;

/** A registered sampler's name: `'nuts'` or `'hmc'`. */
export type SamplerName = keyof typeof SAMPLERS;

/** The registered names, in registry order. */
export const SAMPLER_NAMES = Object.keys(SAMPLERS) as SamplerName[];

/**
 * The sampler registered as `name`.
 *
 * @param name - a registry name (plain data, so that it crosses worker threads)
 * @returns the sampler
 * @throws OptionError (option `sampler`) naming the valid samplers when `name` is not one
 * @example
 * ```ts
 * getSampler('nuts').statNames; // ['lp', 'acceptance_rate', 'step_size', 'tree_depth', …]
 * ```
 */
export function getSampler(name: string): Sampler {
  if (!Object.prototype.hasOwnProperty.call(SAMPLERS, name)) {
    throw new OptionError('sampler', `unknown sampler '${String(name)}' (expected one of ${SAMPLER_NAMES.map((n) => `'${n}'`).join(', ')})`);
  }
  return SAMPLERS[name as SamplerName];
}
