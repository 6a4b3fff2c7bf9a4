// Relative efficiency r_eff = ESS / S of each observation's likelihood draws, as R loo's relative_eff with chain ids.
import { essOfFlat } from '../../diagnostics/chainEss.js';
import { logLikMatrix, observationColumn, type LogLikInput, type LogLikOptions } from './logLik.js';
import { expInto } from '../../core/libm/index.js';

/**
 * Relative efficiency of each observation's likelihood draws p(y_i | θ_s): the (non-split,
 * not rank-normalised) ESS of exp(log-lik) over the chains, divided by the number of draws S; as
 * R loo's `relative_eff(exp(log_lik), chain_id)` (its `ess_rfun` is the ESS the library's
 * `essBasic(draws, { split: false })` computes). PSIS uses it for the tail length and loo for the
 * MCSE of elpd_loo. Each column is scaled by its largest likelihood first (ESS is scale
 * invariant) so that large log-likelihoods cannot overflow.
 *
 * @param logLik - log-likelihood values (see {@link LogLikInput}); takes the log scale, unlike R
 *   loo's `relative_eff`, which takes the likelihood
 * @param opts - `varName` for InferenceData input
 * @returns r_eff per observation (NaN where the draws are constant)
 * @throws OptionError for malformed input (see `logLikMatrix`)
 * @example
 * ```ts
 * declare const idata: InferenceData; // with a log_likelihood group
 * const rEff = relativeEff(idata); // e.g. Float64Array [1.01, 0.93, …]
 * ```
 */
export function relativeEff(logLik: LogLikInput, opts: LogLikOptions = {}): Float64Array {
  const m = logLikMatrix(logLik, opts, 'relativeEff');
  const s = m.nChains * m.nDraws;
  const col = new Float64Array(s);
  const out = new Float64Array(m.nObs);
  for (let i = 0; i < m.nObs; i++) {
    observationColumn(m, i, col);
    let max = -Infinity;
    for (let d = 0; d < s; d++) if (col[d] > max) max = col[d];
    expInto(col, col, 1, max);
    out[i] = essOfFlat(col, m.nChains, m.nDraws) / s;
  }
  return out;
}
