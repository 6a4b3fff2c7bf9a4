// Pointwise log-likelihood as LOO, WAIC and relative efficiency take it: from InferenceData's log_likelihood group or a plain array, as a [chain][draw][obs] block.
import { describeValue, optionsObject } from '../../core/optionChecks.js';
import { OptionError } from '../../core/errors.js';
import { shapeSize, type InferenceData } from '../inferenceData.js';
import { log, sumExp } from '../../core/libm/index.js';

/**
 * Pointwise log-likelihood values log p(y_i | θ_s): an InferenceData with a `log_likelihood`
 * group, a nested array `[chain][draw][observation]` (InferenceData's order), or a matrix
 * `[draw][observation]` of one chain (R loo's matrix input).
 */
export type LogLikInput = InferenceData | readonly (readonly ArrayLike<number>[])[] | readonly ArrayLike<number>[];

/** Options that pick the log-likelihood out of an InferenceData. */
export interface LogLikOptions {
  /**
   * The variable of the `log_likelihood` group (default: its only variable; required when it has
   * several, as in ArviZ). Its elements, flattened row-major, are the observations.
   */
  varName?: string;
}

/** Log-likelihood values of S = nChains·nDraws draws for nObs observations, row-major (chain, draw, observation). */
export interface LogLikMatrix {
  readonly nChains: number;
  readonly nDraws: number;
  readonly nObs: number;
  readonly values: Float64Array;
}

function isInferenceData(x: LogLikInput): x is InferenceData {
  return !Array.isArray(x) && typeof x === 'object' && x !== null && 'groups' in x;
}

function fromInferenceData(idata: InferenceData, opts: LogLikOptions, fn: string): LogLikMatrix {
  const group = idata.groups.log_likelihood;
  if (!group) throw new OptionError(`${fn}: idata`, 'has no log_likelihood group');
  const names = Object.keys(group.vars);
  const name = opts.varName ?? (names.length === 1 ? names[0] : undefined);
  if (name === undefined) {
    throw new OptionError(`${fn}: varName`, `the log_likelihood group has ${names.length} variables (${names.join(', ')}); say which one`);
  }
  const v = group.vars[name];
  if (!v) throw new OptionError(`${fn}: varName`, `no log_likelihood variable '${name}' (have ${names.join(', ')})`);
  return { nChains: idata.nChains, nDraws: idata.nDraws, nObs: shapeSize(v.shape), values: v.values };
}

function fromNested(x: readonly (readonly ArrayLike<number>[])[], fn: string): LogLikMatrix {
  const nChains = x.length;
  const nDraws = nChains > 0 ? x[0].length : 0;
  const nObs = nDraws > 0 ? x[0][0].length : 0;
  const values = new Float64Array(nChains * nDraws * nObs);
  let o = 0;
  for (let c = 0; c < nChains; c++) {
    if (x[c].length !== nDraws) throw new OptionError(`${fn}: logLik`, `chain ${c} has ${x[c].length} draws, chain 0 has ${nDraws}`);
    for (let d = 0; d < nDraws; d++) {
      const row = x[c][d];
      if (row.length !== nObs) throw new OptionError(`${fn}: logLik`, `chain ${c} draw ${d} has ${row.length} observations, not ${nObs}`);
      for (let i = 0; i < nObs; i++) values[o++] = row[i];
    }
  }
  return { nChains, nDraws, nObs, values };
}

/**
 * The log-likelihood block of an input, checked: every value finite (as R loo's `validate_ll`).
 *
 * @param input - see {@link LogLikInput}
 * @param opts - `varName` for InferenceData input
 * @param fn - the calling function, for error messages
 * @returns the values as a (chain, draw, observation) block
 * @throws OptionError for a missing group or variable, ragged arrays, fewer than 2 draws, or non-finite values
 */
export function logLikMatrix(input: LogLikInput, opts: LogLikOptions = {}, fn = 'loo'): LogLikMatrix {
  opts = optionsObject(opts, fn);
  if (!isInferenceData(input) && !Array.isArray(input)) {
    throw new OptionError(`${fn}: logLik`, `must be InferenceData with a log_likelihood group, or draws as [chain][draw][observation] or [draw][observation] arrays, got ${describeValue(input)}`);
  }
  let m: LogLikMatrix;
  if (isInferenceData(input)) m = fromInferenceData(input, opts, fn);
  else if (input.length > 0 && typeof input[0][0] === 'number') m = fromNested([input as readonly ArrayLike<number>[]], fn);
  else m = fromNested(input as readonly (readonly ArrayLike<number>[])[], fn);
  if (m.nChains * m.nDraws < 2 || m.nObs === 0) {
    throw new OptionError(`${fn}: logLik`, `needs at least 2 draws and 1 observation (got ${m.nChains * m.nDraws} draws, ${m.nObs} observations)`);
  }
  for (let j = 0; j < m.values.length; j++) {
    if (!Number.isFinite(m.values[j])) throw new OptionError(`${fn}: logLik`, 'all values must be finite');
  }
  return m;
}

/**
 * The draws of observation `i`, chain by chain (R loo's `llarray_to_matrix` column).
 *
 * @param m - the block
 * @param i - observation index
 * @param out - array of length nChains·nDraws to fill
 * @returns `out`
 */
export function observationColumn(m: LogLikMatrix, i: number, out: Float64Array): Float64Array {
  const s = m.nChains * m.nDraws;
  for (let d = 0; d < s; d++) out[d] = m.values[d * m.nObs + i];
  return out;
}

/** log((1/S)·Σ exp(x_s)), stably. */
export function logMeanExp(x: ArrayLike<number>): number {
  let max = -Infinity;
  for (let s = 0; s < x.length; s++) if (x[s] > max) max = x[s];
  if (!Number.isFinite(max)) return max;
  return max + log(sumExp(x, max) / x.length);
}
