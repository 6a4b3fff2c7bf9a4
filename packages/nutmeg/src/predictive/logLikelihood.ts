// Pointwise log-likelihood of every observation at every posterior draw: the log_likelihood group that LOO and WAIC read.
import { checkInferenceData } from '../posterior/inferenceDataArgument.js';
import { optionsObject } from '../core/optionChecks.js';
import type { InferenceData } from '../posterior/inferenceData.js';
import { DrawsGroup } from './drawsGroup.js';
import { ForwardModel } from './forwardModel.js';
import { forwardSpec } from './forwardSpec.js';
import { modelSpecOf, type HasModelSpec } from './modelSpecOf.js';
import { posteriorFiller } from './posteriorSource.js';
import { pickVariables } from './varNames.js';

/** Options of {@link computeLogLikelihood}. */
export interface LogLikelihoodOptions {
  /** Observed variables to score (default: all of them). */
  varNames?: readonly string[];
}

/**
 * Computes log p(y_i | θ_s) for every element i of each observed variable and every posterior draw
 * s, with the normalising constants (as PyMC's `compute_log_likelihood` and Stan's `log_lik`), and
 * returns `idata` with the `log_likelihood` group added: one variable per observed variable, with
 * its dims. The densities come from the same IR the model's log density is generated from.
 *
 * @param model - the `Model` (or `CompiledModel`) that `idata` was sampled or fitted from
 * @param idata - results holding a `posterior` group
 * @param options - which observed variables
 * @returns a new InferenceData: `idata`'s groups plus `log_likelihood`
 * @throws OptionError when the posterior does not belong to the model or a name is not observed;
 *   ModelError for a multivariate observation (its density is not elementwise)
 * @example
 * ```ts
 * import { Model, Normal, sample, computeLogLikelihood, loo } from 'nutmeg';
 * const m = new Model();
 * const mu = m.rv('mu', Normal({ mu: 0, sigma: 10 }));
 * m.rv('y', Normal({ mu, sigma: 1 }), { observed: [0.2, -0.5, 1.1, 0.4] });
 * const idata = computeLogLikelihood(m, await sample(m.compile(), { draws: 500, chains: 2, seed: 1 }));
 * loo(idata).elpdLoo.estimate; // about −5.6
 * ```
 */
export function computeLogLikelihood(model: HasModelSpec, idata: InferenceData, options: LogLikelihoodOptions = {}): InferenceData {
  const spec = modelSpecOf(model, 'computeLogLikelihood');
  checkInferenceData(idata, 'computeLogLikelihood');
  options = optionsObject(options, 'computeLogLikelihood');
  const forward = forwardSpec(spec);
  const chosen = pickVariables(forward.spec, options.varNames, ['observed']);
  const fm = new ForwardModel(forward);
  const fill = posteriorFiller(idata, forward.slots);
  const rows = idata.nChains * idata.nDraws;
  const out = new DrawsGroup(chosen, rows);
  for (let r = 0; r < rows; r++) {
    fill(fm.theta, r);
    fm.evaluate();
    for (const v of chosen) fm.logLikelihood(v, out.row(v.name, r));
  }
  return { ...idata, groups: { ...idata.groups, log_likelihood: out.group() } };
}
