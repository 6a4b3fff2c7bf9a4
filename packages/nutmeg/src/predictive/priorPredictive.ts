// Prior and prior predictive draws of a model (PyMC's sample_prior_predictive): every free variable from its prior, then the observations.
import { optionsObject } from '../core/optionChecks.js';
import { OptionError } from '../core/errors.js';
import type { InferenceData, Group } from '../posterior/inferenceData.js';
import { dataGroup } from './constantData.js';
import { forwardDraws } from './forwardDraws.js';
import { ForwardModel } from './forwardModel.js';
import { forwardSpec } from './forwardSpec.js';
import { modelSpecOf, type HasModelSpec } from './modelSpecOf.js';
import { resolveSeed } from './seed.js';

/** Options of {@link samplePriorPredictive}. */
export interface PriorPredictiveOptions {
  /** Number of draws (default 500, as PyMC). */
  draws?: number;
  /** Seed; the same seed gives the same draws. Default: from the clock (recorded in attrs). */
  seed?: number;
}

/**
 * Draws from the prior and the prior predictive distribution: each free variable from its prior
 * given the variables before it, deterministics computed, then each observed variable given them.
 * The result has ArviZ's groups `prior` (free variables and deterministics), `prior_predictive`
 * (observed variables, with their dims), `observed_data` and `constant_data`, as one chain.
 *
 * @param model - a `Model` (or the `CompiledModel` it compiled to)
 * @param options - draws and seed
 * @returns a new InferenceData of 1 chain × `draws`
 * @throws OptionError for bad options; ModelError for an improper prior (Flat, HalfFlat), which has no draws
 * @example
 * ```ts
 * import { Model, Normal, HalfNormal, samplePriorPredictive } from 'nutmeg';
 * const m = new Model();
 * const mu = m.rv('mu', Normal({ mu: 0, sigma: 1 }));
 * const sigma = m.rv('sigma', HalfNormal({ sigma: 1 }));
 * m.rv('y', Normal({ mu, sigma }), { observed: [0.2, -0.5, 1.1] });
 * const prior = samplePriorPredictive(m, { draws: 500, seed: 1 });
 * prior.groups.prior_predictive?.vars.y.values.length; // 1500 (500 draws × 3 observations)
 * ```
 */
export function samplePriorPredictive(model: HasModelSpec, options: PriorPredictiveOptions = {}): InferenceData {
  const spec = modelSpecOf(model, 'samplePriorPredictive');
  options = optionsObject(options, 'samplePriorPredictive');
  const draws = options.draws ?? 500;
  if (!Number.isInteger(draws) || draws < 1) throw new OptionError('draws', `must be a positive integer, got ${draws}`);
  const seed = resolveSeed(options.seed);
  const forward = forwardSpec(spec, { allFresh: true });
  const fm = new ForwardModel(forward);
  const inPrior = forward.spec.variables.filter((v) => v.kind === 'free' || v.kind === 'deterministic');
  const observed = forward.spec.variables.filter((v) => v.kind === 'observed');
  const drawn = forwardDraws(fm, [...inPrior, ...observed], draws, seed);
  const groups: Partial<Record<string, Group>> = {
    prior: drawn.group({}, inPrior.map((v) => v.name)),
    prior_predictive: drawn.group({}, observed.map((v) => v.name)),
  };
  const obs = dataGroup(spec, 'observed');
  const constant = dataGroup(spec, 'data');
  if (obs) groups.observed_data = obs;
  if (constant) groups.constant_data = constant;
  return { nChains: 1, nDraws: draws, groups, coords: { ...spec.coords }, attrs: { seed, created_by: 'samplePriorPredictive' } };
}
