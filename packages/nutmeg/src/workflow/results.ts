// Turns chain results into InferenceData: constrained posterior with dims, the sampler's sample_stats, observed_data, attrs.
import type { Group, InferenceData, VariableArray } from '../posterior/inferenceData.js';
import { shapeSize } from '../posterior/inferenceData.js';
import type { CompiledModel } from '../compiler/compiledModel.js';
import type { ChainResult } from '../inference/chain/chain.js';
import type { ModelSpec } from '../graph/graph.js';
import { dataGroup } from '../predictive/constantData.js';

/**
 * The number of draws every chain completed (all of them, unless sampling was stopped).
 *
 * @param results - one result per chain
 * @returns the common number of draws
 */
export function commonDraws(results: readonly ChainResult[]): number {
  return results.length === 0 ? 0 : Math.min(...results.map((r) => r.nDraws));
}

/**
 * The `posterior` group: every free variable and deterministic of the model, constrained (via
 * `CompiledModel.constrainRows`; a hand-written log density comes through `asCompiledModel` as
 * one vector `x`).
 *
 * @param model - the sampled model's layout
 * @param results - chain results
 * @param nDraws - draws per chain to keep
 * @returns the group
 */
export function posteriorGroup(model: CompiledModel, results: readonly ChainResult[], nDraws: number): Group {
  const nChains = results.length;
  const vars: Record<string, VariableArray> = {};
  const buffers = model.variables.map((v) => new Float64Array(nChains * nDraws * shapeSize(v.shape)));
  results.forEach((r, c) => model.constrainRows(r.positions, nDraws, buffers, c * nDraws));
  model.variables.forEach((v, k) => {
    vars[v.name] = { dims: [...v.dims], shape: [...v.shape], values: buffers[k] };
  });
  return { vars, attrs: {} };
}

/**
 * The `sample_stats` group: the statistics the sampler declares (`Sampler.statNames`, ArviZ's
 * names; for NUTS `lp`, `acceptance_rate`, `step_size`, `tree_depth`, `n_steps`, `diverging`,
 * `energy`, `energy_error`, `max_energy_error`, `reached_max_treedepth`); booleans are stored as 0/1.
 *
 * @param results - chain results
 * @param nDraws - draws per chain to keep
 * @param statNames - the sampler's statistic names, in order
 * @returns the group
 */
export function sampleStatsGroup(results: readonly ChainResult[], nDraws: number, statNames: readonly string[]): Group {
  const vars: Record<string, VariableArray> = {};
  for (const name of statNames) {
    const values = new Float64Array(results.length * nDraws);
    results.forEach((r, c) => values.set(r.stats[name].subarray(0, nDraws), c * nDraws));
    vars[name] = { dims: [], shape: [], values };
  }
  return { vars, attrs: {} };
}

/** The `observed_data` group of a model (undefined when it has no observed data, as a hand-written log density). */
export function observedGroup(model: CompiledModel): Group | undefined {
  if (model.observed.length === 0) return undefined;
  const vars: Record<string, VariableArray> = {};
  for (const o of model.observed) vars[o.name] = { dims: [...o.dims], shape: [...o.shape], values: o.values };
  return { vars, attrs: {} };
}

/** The `constant_data` group: the model's data containers (`m.data`), when it was built with `Model`. */
export function constantDataGroup(model: CompiledModel): Group | undefined {
  const spec = model.spec as Partial<ModelSpec> | undefined;
  return spec && Array.isArray(spec.variables) && Array.isArray(spec.nodes) ? dataGroup(spec as ModelSpec, 'data') : undefined;
}

/**
 * Assembles the InferenceData of an MCMC run.
 *
 * @param model - the sampled model's layout (`asCompiledModel(model)`)
 * @param results - one result per chain
 * @param statNames - the sampler's per-draw statistics (`Sampler.statNames`)
 * @param attrs - run attributes (seed, settings, timings, version)
 * @returns the InferenceData (`posterior`, `sample_stats`, and `observed_data` / `constant_data` when the model has data)
 */
export function buildInferenceData(
  model: CompiledModel,
  results: readonly ChainResult[],
  statNames: readonly string[],
  attrs: Record<string, unknown>,
): InferenceData {
  const nDraws = commonDraws(results);
  const groups: InferenceData['groups'] = {
    posterior: posteriorGroup(model, results, nDraws),
    sample_stats: sampleStatsGroup(results, nDraws, statNames),
  };
  const obs = observedGroup(model);
  if (obs) (groups as Record<string, Group>).observed_data = obs;
  const constant = constantDataGroup(model);
  if (constant) (groups as Record<string, Group>).constant_data = constant;
  const coords = { ...model.coords };
  return { nChains: results.length, nDraws, groups, coords, attrs };
}
