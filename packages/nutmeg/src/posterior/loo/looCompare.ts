// Model comparison by expected log predictive density: differences to the best model with their SEs, as R loo 2.5.1's loo_compare().
import { describeValue } from '../../core/optionChecks.js';
import { OptionError } from '../../core/errors.js';
import type { Estimate } from './estimate.js';
import type { LooResult } from './loo.js';
import type { WaicResult } from './waic.js';

/** One model's row of {@link looCompare}, best model first. */
export interface LooCompareRow {
  /** The model's name (its key, or `model1`, `model2`, … for an array). */
  readonly name: string;
  /** elpd of this model minus that of the best (0 for the best, ≤ 0 otherwise). */
  readonly elpdDiff: number;
  /** SE of the difference, √n·sd(pointwise differences) (0 for the best). */
  readonly seDiff: number;
  /** elpd_loo (or elpd_waic) with its SE. */
  readonly elpd: Estimate;
  /** p_loo (or p_waic) with its SE. */
  readonly p: Estimate;
  /** looic (or waic) with its SE. */
  readonly ic: Estimate;
}

/** A LOO or WAIC result to compare. */
export type LooComparable = LooResult | WaicResult;

function parts(x: LooComparable): { pointwise: Float64Array; elpd: Estimate; p: Estimate; ic: Estimate } {
  return x.method === 'psis_loo'
    ? { pointwise: x.pointwise.elpdLoo, elpd: x.elpdLoo, p: x.pLoo, ic: x.looic }
    : { pointwise: x.pointwise.elpdWaic, elpd: x.elpdWaic, p: x.pWaic, ic: x.waic };
}

/** √n · sd(x), sd with the n − 1 denominator. */
function seOfSum(x: Float64Array): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i];
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - mean) ** 2;
  return Math.sqrt(n) * Math.sqrt(ss / (n - 1));
}

/**
 * Compares models fitted to the same data by their LOO (or WAIC) elpd, as R loo 2.5.1's
 * `loo_compare()`: models ordered by elpd, best first (ties keep the input order); for each,
 * elpd_diff = Σ_i (elpd_i − elpd_best,i) and se_diff = √n·sd of those pointwise differences, the
 * SE of a sum of n paired terms (more accurate than combining the two models' SEs).
 *
 * @param models - results by model name, or an array (named `model1`, `model2`, …); at least two,
 *   with the same number of observations
 * @returns one row per model, best first
 * @throws OptionError for fewer than two models or differing numbers of observations
 * @example
 * ```ts
 * declare const a: InferenceData, b: InferenceData; // two fits of the same observations
 * const table = looCompare({ pooled: loo(a), hierarchical: loo(b) });
 * table[1].elpdDiff; // e.g. -12.3, with table[1].seDiff ≈ 4.1: the hierarchical model predicts better
 * ```
 * References: Vehtari, Gelman & Gabry (2017), Statistics and Computing 27, 1413–1432, §5.
 */
export function looCompare(models: Record<string, LooComparable> | readonly LooComparable[]): LooCompareRow[] {
  if (models === null || typeof models !== 'object') {
    throw new OptionError('looCompare: models', `must be named results such as { pooled: loo(a), hierarchical: loo(b) } or a list of them, got ${describeValue(models)}`);
  }
  const entries: [string, LooComparable][] = Array.isArray(models)
    ? (models as readonly LooComparable[]).map((m, j) => [`model${j + 1}`, m])
    : Object.entries(models as Record<string, LooComparable>);
  if (entries.length < 2) throw new OptionError('looCompare: models', 'needs at least two models');
  for (const [name, m] of entries) {
    const method = (m as Partial<LooComparable> | null)?.method;
    if (method !== 'psis_loo' && method !== 'waic') throw new OptionError('looCompare: models', `${name} is not a result of loo() or waic(), got ${describeValue(m)}`);
  }
  const n = entries[0][1].nObs;
  for (const [name, m] of entries) {
    if (m.nObs !== n) throw new OptionError('looCompare: models', `not all models have the same number of observations (${name}: ${m.nObs}, ${entries[0][0]}: ${n})`);
  }
  const all = entries.map(([name, m]) => ({ name, ...parts(m) }));
  const order = all.map((_, j) => j).sort((a, b) => all[b].elpd.estimate - all[a].elpd.estimate || a - b);
  const best = all[order[0]].pointwise;
  const diff = new Float64Array(n);
  return order.map((j) => {
    const m = all[j];
    let sum = 0;
    for (let i = 0; i < n; i++) {
      diff[i] = m.pointwise[i] - best[i];
      sum += diff[i];
    }
    return { name: m.name, elpdDiff: sum, seDiff: j === order[0] ? 0 : seOfSum(diff), elpd: m.elpd, p: m.p, ic: m.ic };
  });
}
