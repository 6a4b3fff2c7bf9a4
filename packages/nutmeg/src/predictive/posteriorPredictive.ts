// Posterior predictive draws (PyMC's sample_posterior_predictive): for each posterior draw, the observations drawn given it.
import { checkInferenceData } from '../posterior/inferenceDataArgument.js';
import { optionsObject } from '../core/optionChecks.js';
import type { InferenceData } from '../posterior/inferenceData.js';
import { forwardDraws } from './forwardDraws.js';
import { ForwardModel } from './forwardModel.js';
import { forwardSpec } from './forwardSpec.js';
import { modelSpecOf, type HasModelSpec } from './modelSpecOf.js';
import { posteriorFiller } from './posteriorSource.js';
import { resolveSeed } from './seed.js';
import { pickVariables } from './varNames.js';

/** Options of {@link samplePosteriorPredictive}. */
export interface PosteriorPredictiveOptions {
  /** Seed; the same seed gives the same draws. Default: from the clock (recorded in the group's attrs). */
  seed?: number;
  /** Variables to draw (default: every observed variable); deterministics are recomputed per draw. */
  varNames?: readonly string[];
}

/**
 * Draws the observed variables once per posterior draw, given that draw's parameters, and returns
 * `idata` with the `posterior_predictive` group added (same chains and draws as the posterior,
 * each variable with its dims), as PyMC's `sample_posterior_predictive(idata)` and ArviZ expect.
 *
 * @param model - the `Model` (or `CompiledModel`) that `idata` was sampled or fitted from
 * @param idata - results holding a `posterior` group
 * @param options - seed and variable names
 * @returns a new InferenceData: `idata`'s groups plus `posterior_predictive`
 * @throws OptionError when the posterior does not belong to the model or a name is unknown
 * @example
 * ```ts
 * import { Model, Normal, HalfNormal, sample, samplePosteriorPredictive } from 'nutmeg';
 * const m = new Model();
 * const mu = m.rv('mu', Normal({ mu: 0, sigma: 1 }));
 * const sigma = m.rv('sigma', HalfNormal({ sigma: 1 }));
 * m.rv('y', Normal({ mu, sigma }), { observed: [0.2, -0.5, 1.1] });
 * const idata = await sample(m.compile(), { draws: 200, tune: 200, chains: 2, seed: 1 });
 * const withPpc = samplePosteriorPredictive(m, idata, { seed: 2 });
 * withPpc.groups.posterior_predictive?.vars.y.shape; // [3]
 * ```
 */
export function samplePosteriorPredictive(model: HasModelSpec, idata: InferenceData, options: PosteriorPredictiveOptions = {}): InferenceData {
  const spec = modelSpecOf(model, 'samplePosteriorPredictive');
  checkInferenceData(idata, 'samplePosteriorPredictive');
  options = optionsObject(options, 'samplePosteriorPredictive');
  const seed = resolveSeed(options.seed);
  const forward = forwardSpec(spec);
  const chosen = pickVariables(forward.spec, options.varNames, ['observed', 'deterministic']);
  const out = forwardDraws(new ForwardModel(forward), chosen, idata.nChains * idata.nDraws, seed, posteriorFiller(idata, forward.slots));
  return { ...idata, groups: { ...idata.groups, posterior_predictive: out.group({ seed }) } };
}
