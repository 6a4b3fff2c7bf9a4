// stackFits(): the InferenceData of many fits of one model as one, along a new dim (one fit per county, per group…).
import { InputError, OptionError } from '../core/errors.js';
import { describeValue } from '../core/optionChecks.js';
import type { CoordValues, Group, GroupName, InferenceData, VariableArray } from '../posterior/inferenceData.js';
import { shapeSize } from '../posterior/inferenceData.js';

/** Options of {@link stackFits}. */
export interface StackFitsOptions {
  /** Name of the new dim, one position per fit (e.g. `county`). */
  readonly dim: string;
  /** Labels of the new dim, one per fit (default 0, 1, …). */
  readonly coords?: CoordValues;
  /** Attributes of the result (default: the first fit's, plus `stacked_fits`). */
  readonly attrs?: Record<string, unknown>;
}

/** Groups with a chain and a draw axis (stacked along the new dim); the others hold data and are concatenated. */
const SAMPLED_GROUPS: readonly GroupName[] = ['posterior', 'sample_stats', 'log_likelihood', 'posterior_predictive', 'prior'];

function stackVariable(name: string, parts: readonly VariableArray[], nChains: number, nDraws: number, dim: string, partDraws: readonly number[]): VariableArray {
  const first = parts[0];
  const size = shapeSize(first.shape);
  parts.forEach((p, k) => {
    if (p.shape.length !== first.shape.length || p.shape.some((s, j) => s !== first.shape[j])) {
      throw new InputError(`stackFits: '${name}' has shape [${p.shape.join(', ')}] in fit ${k} but [${first.shape.join(', ')}] in fit 0`);
    }
  });
  const K = parts.length;
  const values = new Float64Array(nChains * nDraws * K * size);
  for (let k = 0; k < K; k++) {
    const src = parts[k].values;
    for (let c = 0; c < nChains; c++) {
      for (let d = 0; d < nDraws; d++) {
        const from = (c * partDraws[k] + d) * size;
        const to = ((c * nDraws + d) * K + k) * size;
        // An element loop, not set(subarray(…)): a view per draw (4000 draws × 85 fits × every
        // variable) was most of the cost for the small variables stacked here.
        for (let j = 0; j < size; j++) values[to + j] = src[from + j];
      }
    }
  }
  return { dims: [dim, ...first.dims], shape: [K, ...first.shape], values };
}

function concatVariable(parts: readonly VariableArray[], dim: string): VariableArray {
  const first = parts[0];
  const rest = first.shape.slice(1);
  const values = new Float64Array(parts.reduce((n, p) => n + p.values.length, 0));
  let at = 0;
  for (const p of parts) {
    values.set(p.values, at);
    at += p.values.length;
  }
  const length = values.length / Math.max(1, shapeSize(rest));
  // Scalars (one value per fit) become a vector along the new dim.
  if (first.shape.length === 0) return { dims: [dim], shape: [values.length], values };
  return { dims: [...first.dims], shape: [length, ...rest], values };
}

/**
 * Combines the results of many fits of the same model (e.g. {@link mapFits} over groups) into one
 * InferenceData, as `xarray.concat(fits, dim=…)` does: each variable of a sampled group
 * (`posterior`, `sample_stats`, …) gains the new dim first, so a scalar `alpha` of 85 county fits
 * becomes `alpha` with dims `[county]` and shape `[85]`. Variables of `observed_data` and
 * `constant_data` (one value per observation) are concatenated fit after fit along their first
 * axis. A group or variable missing from any fit is left out. Every fit must have the same number
 * of chains; draws are cut to the shortest fit's.
 *
 * @param fits - the fits' InferenceData, one per position of the new dim
 * @param options - the new dim's name and labels, attributes
 * @returns the combined InferenceData
 * @throws InputError when there are no fits, the chain counts differ, a variable's shape differs
 *   between fits, or `coords` does not have one label per fit
 * @example
 * ```ts
 * declare const jobs: FitJob[], countyNames: string[]; // one job per county
 * const outcomes = await mapFits(jobs, { seed: 1 });
 * const fitted = outcomes.flatMap((o) => (o.ok ? [o.idata] : []));
 * const all = stackFits(fitted, { dim: 'county', coords: countyNames });
 * all.groups.posterior!.vars.alpha.shape; // [85]
 * ```
 */
export function stackFits(fits: readonly InferenceData[], options: StackFitsOptions): InferenceData {
  if (!Array.isArray(fits)) throw new OptionError('fits', `stackFits needs an array of InferenceData (the idata of each fit), got ${describeValue(fits)}`);
  fits.forEach((f: unknown, k) => {
    const groups = (f as InferenceData | null)?.groups;
    if (f === null || typeof f !== 'object' || groups === null || typeof groups !== 'object') throw new OptionError('fits', `element ${k} is ${describeValue(f)}, not InferenceData`);
  });
  if (options === null || typeof options !== 'object' || typeof options.dim !== 'string') {
    throw new OptionError('options', `stackFits needs options { dim: 'group', coords?: [...] }, got ${describeValue(options)}`);
  }
  if (fits.length === 0) throw new InputError('stackFits: no fits to stack');
  const { dim } = options;
  const nChains = fits[0].nChains;
  fits.forEach((f, k) => {
    if (f.nChains !== nChains) throw new InputError(`stackFits: fit ${k} has ${f.nChains} chains but fit 0 has ${nChains}`);
  });
  if (options.coords && options.coords.length !== fits.length) {
    throw new InputError(`stackFits: ${options.coords.length} coords for dim '${dim}' but ${fits.length} fits`);
  }
  const nDraws = Math.min(...fits.map((f) => f.nDraws));
  const partDraws = fits.map((f) => f.nDraws);
  const groups: Partial<Record<GroupName, Group>> = {};
  const names = Object.keys(fits[0].groups) as GroupName[];
  for (const g of names) {
    if (!fits.every((f) => f.groups[g] !== undefined)) continue;
    const sampled = SAMPLED_GROUPS.includes(g);
    const vars: Record<string, VariableArray> = {};
    for (const v of Object.keys(fits[0].groups[g]!.vars)) {
      const parts = fits.map((f) => f.groups[g]!.vars[v]);
      if (parts.some((p) => p === undefined)) continue;
      vars[v] = sampled ? stackVariable(v, parts, nChains, nDraws, dim, partDraws) : concatVariable(parts, dim);
    }
    groups[g] = { vars, attrs: { ...fits[0].groups[g]!.attrs } };
  }
  const coords: Record<string, CoordValues> = { ...fits[0].coords, [dim]: options.coords ?? fits.map((_, k) => k) };
  const attrs = options.attrs ?? { ...fits[0].attrs, stacked_fits: fits.length };
  return { nChains, nDraws, groups, coords, attrs };
}
