// Prediction for new data: posterior predictive draws for new rows, with new groups drawn from the fitted population distribution.
import { checkInferenceData } from '../posterior/inferenceDataArgument.js';
import type { Group, InferenceData } from '../posterior/inferenceData.js';
import { dataGroup } from './constantData.js';
import { forwardDraws } from './forwardDraws.js';
import { ForwardModel } from './forwardModel.js';
import { forwardSpec } from './forwardSpec.js';
import { modelSpecOf, type HasModelSpec } from './modelSpecOf.js';
import { resolveNewData, type NewDataValue } from './newData.js';
import { posteriorFiller } from './posteriorSource.js';
import { resolveSeed } from './seed.js';
import { pickVariables } from './varNames.js';

/** Options of {@link predict}. */
export interface PredictOptions {
  /** New values of the model's data containers (`m.data`), by name; a group index may be given as labels. */
  data: Readonly<Record<string, NewDataValue>>;
  /** Seed; the same seed gives the same draws. Default: from the clock (recorded in attrs). */
  seed?: number;
  /**
   * Allow labels of groups not in the fitted data (brms's `allow_new_levels`): each new group's
   * parameters are drawn, per posterior draw, from their prior given the fitted population
   * parameters (brms's `sample_new_levels = "gaussian"`). Default false: an unknown label is an error.
   */
  allowNewLevels?: boolean;
  /** Variables to return (default: every observed variable); deterministics and free variables (e.g. a new group's effect) too. */
  varNames?: readonly string[];
}

/**
 * Posterior predictive draws for new data (PyMC's `set_data` + `sample_posterior_predictive(…,
 * predictions=True)`, brms's `posterior_predict(fit, newdata)`): the model's data containers are
 * replaced by `options.data`, shapes follow (a new number of rows is fine), and for each posterior
 * draw the observed variables are drawn given it. Returns a new InferenceData with ArviZ's groups
 * `predictions` and `predictions_constant_data`, dims re-labelled 0…n−1 where their length changed
 * and new group labels appended to their dim's coords.
 *
 * @param model - the `Model` (or `CompiledModel`) that `idata` was sampled or fitted from
 * @param idata - results holding a `posterior` group
 * @param options - new data, seed, new levels, variable names
 * @returns the predictions, with the same chains and draws as `idata`
 * @throws OptionError naming the culprit: an unknown data name, a wrong shape, a non-finite value,
 *   an out-of-range position, a label of an unseen group without `allowNewLevels`; ModelError when
 *   data of one dim are given different numbers of rows
 * @example
 * ```ts
 * import { Model, Normal, HalfNormal, sample, predict } from 'nutmeg';
 * const m = new Model({ coords: { county: ['A', 'B'] } });
 * const floor = m.data('floor', [0, 1, 0, 1], { dims: 'obs_id' });
 * const county = m.data('county', ['A', 'A', 'B', 'B'], { dims: 'obs_id', indexInto: 'county' });
 * const mu = m.rv('mu', Normal({ mu: 0, sigma: 5 }));
 * const tau = m.rv('tau', HalfNormal({ sigma: 1 }));
 * const alpha = m.rv('alpha', Normal({ mu, sigma: tau }), { dims: 'county' });
 * const beta = m.rv('beta', Normal({ mu: 0, sigma: 1 }));
 * m.rv('y', Normal({ mu: alpha.at(county).add(beta.mul(floor)), sigma: 0.5 }), { observed: [1.1, 0.6, 1.9, 1.2], dims: 'obs_id' });
 * const idata = await sample(m.compile(), { draws: 300, tune: 300, chains: 2, seed: 1 });
 * // A house in county A, and one in a county with no data (its intercept drawn from Normal(mu, tau)):
 * const pred = predict(m, idata, { data: { floor: [0, 0], county: ['A', 'Z'] }, allowNewLevels: true, seed: 2 });
 * pred.groups.predictions?.vars.y.shape; // [2]
 * pred.coords.county; // ['A', 'B', 'Z']
 * ```
 */
export function predict(model: HasModelSpec, idata: InferenceData, options: PredictOptions): InferenceData {
  const spec = modelSpecOf(model, 'predict');
  checkInferenceData(idata, 'predict');
  const seed = resolveSeed(options?.seed);
  const { data, newLevels } = resolveNewData(spec, options?.data, options?.allowNewLevels === true);
  const forward = forwardSpec(spec, { data, newLevels });
  const chosen = pickVariables(forward.spec, options.varNames, ['observed', 'deterministic', 'free']);
  const out = forwardDraws(new ForwardModel(forward), chosen, idata.nChains * idata.nDraws, seed, posteriorFiller(idata, forward.slots));
  const groups: Partial<Record<string, Group>> = { predictions: out.group({ seed }) };
  const constant = dataGroup(forward.spec, 'data');
  if (constant) groups.predictions_constant_data = constant;
  return { nChains: idata.nChains, nDraws: idata.nDraws, groups, coords: forward.coords, attrs: { seed, created_by: 'predict', new_levels: newLevels } };
}
