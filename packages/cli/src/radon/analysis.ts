// What the report computes from the fits: summary rows as JSON, per-home predictions, RMSDs (in-sample and PSIS-LOO).
import { psis, summary, type InferenceData } from 'nutmeg';
import type { RadonData } from './data.js';

/** The statistics of one parameter element in summary.json (ArviZ's column names; null for NaN). */
export type ParameterStats = Record<'mean' | 'sd' | 'hdi_3%' | 'hdi_97%' | 'mcse_mean' | 'mcse_sd' | 'ess_bulk' | 'ess_tail' | 'r_hat', number | null>;

const COLUMNS = ['mean', 'sd', 'hdi_3%', 'hdi_97%', 'mcse_mean', 'mcse_sd', 'ess_bulk', 'ess_tail', 'r_hat'] as const;

/**
 * az.summary of every posterior variable, keyed by 0-based element label (`alpha[0]`, `eps`).
 *
 * @param idata - a fit's results
 * @param varNames - variables to include (default all)
 */
export function parameterStats(idata: InferenceData, varNames?: readonly string[]): Record<string, ParameterStats> {
  // The non-centered model's standardised offsets are left out: alpha and beta (its deterministics) carry the same information.
  const names = varNames ?? Object.keys(idata.groups.posterior!.vars).filter((n) => !n.endsWith('_offset'));
  const rows = summary(idata, { varNames: names });
  const out: Record<string, ParameterStats> = {};
  for (const r of rows) {
    const s = {} as ParameterStats;
    for (const c of COLUMNS) {
      const v = r.stats[c];
      s[c] = v === undefined || !Number.isFinite(v) ? null : v;
    }
    out[r.label] = s;
  }
  return out;
}

/**
 * Draws of the regression line of every home, in a form shared by all models: per draw s,
 * intercept `a[s·K + k]`, slope `b[s·K + k]`, noise sd `e[s·E + k]` (K = E = 1 for the pooled
 * model, 85 for the county models; E = 1 when one eps is shared).
 */
export interface LineDraws {
  readonly S: number;
  readonly K: number;
  readonly E: number;
  readonly a: Float64Array;
  readonly b: Float64Array;
  readonly e: Float64Array;
}

/** Reads alpha, beta, eps from a fit (layout chain, draw, element → draw s = chain·nDraws + draw). */
export function lineDraws(idata: InferenceData): LineDraws {
  const v = idata.groups.posterior!.vars;
  const S = idata.nChains * idata.nDraws;
  const K = v.alpha.shape.length === 0 ? 1 : v.alpha.shape[0];
  const E = v.eps.shape.length === 0 ? 1 : v.eps.shape[0];
  return { S, K, E, a: v.alpha.values, b: v.beta.values, e: v.eps.values };
}

/** Posterior mean of each home's expected log radon, mu_i = alpha[c_i] + beta[c_i] · floor_i. */
export function muMeans(d: RadonData, L: LineDraws): Float64Array {
  const n = d.logRadon.length;
  const ma = new Float64Array(L.K);
  const mb = new Float64Array(L.K);
  for (let s = 0; s < L.S; s++) {
    for (let k = 0; k < L.K; k++) {
      ma[k] += L.a[s * L.K + k];
      mb[k] += L.b[s * L.K + k];
    }
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const k = L.K === 1 ? 0 : d.county[i];
    out[i] = (ma[k] + mb[k] * d.floor[i]) / L.S;
  }
  return out;
}

/** sqrt(mean((y − ŷ)²)). */
export function rmsd(y: ArrayLike<number>, yhat: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += (y[i] - yhat[i]) ** 2;
  return Math.sqrt(s / y.length);
}

/** Leave-one-out predictions: per home the PSIS-LOO estimate of E[mu_i | y_−i], and its k-hat. */
export interface LooPredictions {
  readonly mu: Float64Array;
  readonly k: Float64Array;
}

/** PSIS weights already computed for every home (by `loo(…, { saveWeights: true })`): normalised weights and Pareto k. */
export interface HomeWeights {
  readonly weights: readonly Float64Array[];
  readonly paretoK: ArrayLike<number>;
}

/**
 * PSIS-LOO posterior mean of each home's mu_i: the full-data draws reweighted by
 * 1 / p(y_i | θ_s) (Pareto-smoothed), which approximates the posterior without home i.
 *
 * @param d - the data
 * @param L - line draws of a fit
 * @param weights - the PSIS weights of PSIS-LOO for the same draws, when it ran (the pooled and
 *   hierarchical models): used as they are, so that PSIS runs once per model and the RMSD, LOO
 *   and LOO-PIT rest on the same weights (r_eff from the chains); without them, each home's
 *   weights are computed here with r_eff = 1 (ADVI's independent draws; the unpooled fits, which
 *   have no joint log-likelihood)
 * @returns per-home LOO means of mu and the k-hat of each home's weights (> 0.7: unreliable)
 */
export function looMu(d: RadonData, L: LineDraws, weights?: HomeWeights): LooPredictions {
  const n = d.logRadon.length;
  const S = L.S;
  const mu = new Float64Array(n);
  const kh = new Float64Array(n);
  const lr = new Float64Array(S);
  // The draws county by county (column k at [k·S, (k + 1)·S)): a home reads its county's draws
  // contiguously, not one cache line per draw at a stride of K doubles. log eps once per draw.
  const a = byColumn(L.a, S, L.K);
  const b = byColumn(L.b, S, L.K);
  const e = weights ? undefined : byColumn(L.e, S, L.E);
  const logSd = e?.map(Math.log);
  // One pair of weight arrays for every home's PSIS: fresh ones (64 KB a home) kept the figure thread's collector busy.
  const out = weights ? undefined : { logWeights: new Float64Array(S), weights: new Float64Array(S) };
  for (let i = 0; i < n; i++) {
    const k = (L.K === 1 ? 0 : d.county[i]) * S;
    const ke = (L.E === 1 ? 0 : d.county[i]) * S;
    const x = d.floor[i];
    let acc = 0;
    if (weights) {
      const w = weights.weights[i];
      for (let s = 0; s < S; s++) acc += w[s] * (a[k + s] + b[k + s] * x);
      kh[i] = weights.paretoK[i];
    } else {
      const y = d.logRadon[i];
      for (let s = 0; s < S; s++) {
        const z = (y - (a[k + s] + b[k + s] * x)) / e![ke + s];
        lr[s] = 0.5 * z * z + logSd![ke + s]; // −log p(y_i | θ_s) up to a constant
      }
      const { weights: w, k: khat } = psis(lr, { out });
      for (let s = 0; s < S; s++) acc += w[s] * (a[k + s] + b[k + s] * x);
      kh[i] = khat;
    }
    mu[i] = acc;
  }
  return { mu, k: kh };
}

/** A draws × columns block (row-major) as columns × draws. */
function byColumn(v: Float64Array, rows: number, cols: number): Float64Array {
  if (cols === 1) return v;
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = v[r * cols + c];
  return out;
}

/** RMSDs of one model. */
export interface RmsdResult {
  /** In-sample: observed vs posterior mean of mu_i, over all homes. */
  readonly inSample: number;
  /** Leave-one-out: observed vs PSIS-LOO mean of mu_i, over all homes. */
  readonly loo: number;
  /** Homes whose LOO weights have k-hat > 0.7 (their LOO estimate is unreliable). */
  readonly looBadK: number;
  /** In-sample RMSD per county (for the tutorial's per-county view). */
  readonly perCountyMean: number;
}

/**
 * The RMSDs of a fit (see {@link RmsdResult}). `perCountyMean` is the mean over counties of the
 * in-sample RMSD within each county.
 *
 * @param d - the data
 * @param idata - a fit's results
 * @param loo - the fit's leave-one-out predictions, when computed already (default: {@link looMu} with PSIS run here)
 * @returns the RMSDs
 */
export function rmsdOf(d: RadonData, idata: InferenceData, loo: LooPredictions = looMu(d, lineDraws(idata))): RmsdResult {
  const L = lineDraws(idata);
  const mu = muMeans(d, L);
  const K = d.counties.length;
  const ss = new Float64Array(K);
  const cnt = new Float64Array(K);
  for (let i = 0; i < mu.length; i++) {
    ss[d.county[i]] += (d.logRadon[i] - mu[i]) ** 2;
    cnt[d.county[i]]++;
  }
  let per = 0;
  let used = 0;
  for (let c = 0; c < K; c++) {
    if (cnt[c] > 0) {
      per += Math.sqrt(ss[c] / cnt[c]);
      used++;
    }
  }
  let bad = 0;
  for (const k of loo.k) if (k > 0.7) bad++;
  return { inSample: rmsd(d.logRadon, mu), loo: rmsd(d.logRadon, loo.mu), looBadK: bad, perCountyMean: per / used };
}

/** Posterior means of a vector variable's elements (chains pooled). */
export function elementMeans(idata: InferenceData, name: string): Float64Array {
  const v = idata.groups.posterior!.vars[name];
  const K = v.shape.length === 0 ? 1 : v.shape[0];
  const S = idata.nChains * idata.nDraws;
  const m = new Float64Array(K);
  for (let s = 0; s < S; s++) for (let k = 0; k < K; k++) m[k] += v.values[s * K + k];
  for (let k = 0; k < K; k++) m[k] /= S;
  return m;
}
