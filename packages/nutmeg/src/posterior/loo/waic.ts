// WAIC, the widely applicable information criterion, with SEs and pointwise values, as R loo 2.5.1's waic().
import { sumWithSe, type Estimate } from './estimate.js';
import { formatFixed } from './rFormat.js';
import { logLikMatrix, logMeanExp, observationColumn, type LogLikInput, type LogLikOptions } from './logLik.js';

/** Pointwise WAIC values, one per observation. */
export interface WaicPointwise {
  /** elpd_waic_i = lpd_i − p_waic_i. */
  readonly elpdWaic: Float64Array;
  /** p_waic_i = Var_s log p(y_i | θ_s) (n − 1 denominator). */
  readonly pWaic: Float64Array;
  /** −2·elpd_waic_i. */
  readonly waic: Float64Array;
}

/** The result of {@link waic}. */
export interface WaicResult {
  readonly method: 'waic';
  readonly elpdWaic: Estimate;
  readonly pWaic: Estimate;
  readonly waic: Estimate;
  readonly pointwise: WaicPointwise;
  /** loo's warning when some p_waic_i > 0.4. */
  readonly warnings: string[];
  readonly nDraws: number;
  readonly nObs: number;
}

/** p_waic_i above which WAIC is unreliable (loo's `throw_pwaic_warnings`). */
const P_WAIC_LIMIT = 0.4;

/**
 * WAIC (Watanabe 2010) as R loo 2.5.1's `waic()`: lpd_i = log mean_s p(y_i | θ_s),
 * p_waic_i = Var_s log p(y_i | θ_s), elpd_waic_i = lpd_i − p_waic_i, waic_i = −2·elpd_waic_i; sums
 * with SEs √(n·Var). PSIS-LOO ({@link loo}) is the more reliable estimate and has diagnostics;
 * a p_waic_i above 0.4 gives a warning to use it.
 *
 * @param logLik - log-likelihood values (see {@link LogLikInput})
 * @param opts - `varName` for InferenceData input
 * @returns estimates, pointwise values and warnings
 * @throws OptionError for malformed input
 * @example
 * ```ts
 * declare const idata: InferenceData; // with a log_likelihood group
 * waic(idata).elpdWaic; // { estimate: -70.60, se: 5.03 }
 * ```
 * References: Watanabe, S. (2010), JMLR 11, 3571–3594; Vehtari, Gelman & Gabry (2017),
 * Statistics and Computing 27, 1413–1432.
 */
export function waic(logLik: LogLikInput, opts: LogLikOptions = {}): WaicResult {
  const m = logLikMatrix(logLik, opts, 'waic');
  const { nObs } = m;
  const S = m.nChains * m.nDraws;
  const pw = { elpdWaic: new Float64Array(nObs), pWaic: new Float64Array(nObs), waic: new Float64Array(nObs) };
  const ll = new Float64Array(S);
  let bad = 0;
  for (let i = 0; i < nObs; i++) {
    observationColumn(m, i, ll);
    let mean = 0;
    for (let s = 0; s < S; s++) mean += ll[s];
    mean /= S;
    let ss = 0;
    for (let s = 0; s < S; s++) ss += (ll[s] - mean) ** 2;
    const p = ss / (S - 1);
    pw.pWaic[i] = p;
    pw.elpdWaic[i] = logMeanExp(ll) - p;
    pw.waic[i] = -2 * pw.elpdWaic[i];
    if (p > P_WAIC_LIMIT) bad++;
  }
  const warnings =
    bad > 0
      ? [`${bad} (${formatFixed([(100 * bad) / nObs], 1)[0]}%) p_waic estimates greater than ${P_WAIC_LIMIT}. We recommend trying loo instead.`]
      : [];
  return {
    method: 'waic',
    elpdWaic: sumWithSe(pw.elpdWaic),
    pWaic: sumWithSe(pw.pWaic),
    waic: sumWithSe(pw.waic),
    pointwise: pw,
    warnings,
    nDraws: S,
    nObs,
  };
}
