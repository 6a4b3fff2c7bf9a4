// What a fit yields besides the draws: log-likelihood, posterior predictive draws, the summary of the brms parameters, warnings and LOO.
import {
  computeLogLikelihood,
  loo,
  samplePosteriorPredictive,
  samplingWarnings,
  summary,
  type InferenceData,
  type LooResult,
  type SamplingWarning,
  type SummaryRow,
} from 'nutmeg';
import type { FormulaModel } from 'nutmeg';
import { NUTS_SETTINGS } from './options.js';

/** A completed fit and everything derived from it. */
export interface FitResults {
  /** posterior, sample_stats, observed_data, log_likelihood, posterior_predictive (and constant_data when the model has data). */
  readonly idata: InferenceData;
  /** az.summary of the brms-named parameters, elements labelled by coords (`r_county[CASS,Intercept]`). */
  readonly rows: readonly SummaryRow[];
  readonly warnings: readonly SamplingWarning[];
  /** PSIS-LOO, or the reason it could not be computed. */
  readonly loo: LooResult | { readonly error: string };
}

/**
 * Adds the log-likelihood and posterior predictive draws to a fit and summarises it.
 *
 * @param fm - the formula model the draws are from
 * @param sampled - sample()'s result
 * @param seed - seed of the posterior predictive draws
 * @returns the results
 */
export function fitResults(fm: FormulaModel, sampled: InferenceData, seed: number): FitResults {
  const withLogLik = computeLogLikelihood(fm.model, sampled);
  const idata = samplePosteriorPredictive(fm.model, withLogLik, { seed });
  const rows = summary(idata, { varNames: fm.parameters, useCoords: true });
  // Convergence is judged on the parameters brms reports (b_, sd_, cor_, sigma, r_), as the
  // summary shows them, not on internal ones (z, the Cholesky factor, the centred Intercept).
  const posterior = idata.groups.posterior;
  const reported = posterior ? { ...idata, groups: { ...idata.groups, posterior: { ...posterior, vars: Object.fromEntries(fm.parameters.filter((p) => p in posterior.vars).map((p) => [p, posterior.vars[p]])) } } } : idata;
  const warnings = samplingWarnings(reported, NUTS_SETTINGS);
  let looResult: FitResults['loo'];
  try {
    looResult = loo(idata, { varName: fm.response });
  } catch (e) {
    looResult = { error: (e as Error).message };
  }
  return { idata, rows, warnings, loo: looResult };
}
