// PSIS-LOO: expected log pointwise predictive density by Pareto-smoothed importance sampling, with SEs, pointwise values and the Pareto k diagnostic, as R loo 2.5.1's loo().
import { OptionError } from '../../core/errors.js';
import { logsumexp } from '../../math/special.js';
import { psisInto, psisTailLength } from '../../diagnostics/psis.js';
import { essOfFlat } from '../../diagnostics/chainEss.js';
import { expInto, log } from '../../core/libm/index.js';
import { sumWithSe, type Estimate } from './estimate.js';
import { logLikMatrix, type LogLikInput, type LogLikMatrix, type LogLikOptions } from './logLik.js';
import { mcseElpd, mcseElpdOfRelativeSd } from './mcseElpd.js';
import { paretoKTable, paretoKWarnings, PARETO_K_BREAKS, type ParetoKBin } from './paretoKTable.js';

/** Options of {@link loo}. */
export interface LooOptions extends LogLikOptions {
  /**
   * Relative efficiency of the draws, one per observation or one for all (default: computed from
   * the chains by {@link relativeEff}, as R loo's documentation recommends; pass 1 for
   * independent draws). Observations whose computed r_eff is NaN (constant likelihood) use 1.
   */
  rEff?: number | ArrayLike<number>;
  /**
   * Keep each observation's smoothed log weights in `logWeights` (R loo's `save_psis = TRUE`), so
   * that `looPit` or a LOO expectation can use them without running PSIS again. Default false
   * (n × S numbers).
   */
  saveLogWeights?: boolean;
  /**
   * Keep each observation's normalised weights themselves in `weights` (R loo's
   * `weights(psis, log = FALSE)`): the exponentials PSIS computed anyway, for a LOO expectation
   * Σ_s w_s·f(θ_s) or `looPit` without an exponential per draw. Default false (n × S numbers).
   */
  saveWeights?: boolean;
}

/** Pointwise PSIS-LOO values, one per observation (R loo's `pointwise` columns). */
export interface LooPointwise {
  /** elpd_loo_i = log p(y_i | y_−i), estimated. */
  readonly elpdLoo: Float64Array;
  /** Monte Carlo SE of elpd_loo_i. */
  readonly mcseElpdLoo: Float64Array;
  /** p_loo_i = lpd_i − elpd_loo_i (lpd_i the log of the mean likelihood). */
  readonly pLoo: Float64Array;
  /** −2·elpd_loo_i. */
  readonly looic: Float64Array;
  /** Pareto k of the observation's importance ratios (its influence). */
  readonly influenceParetoK: Float64Array;
}

/** The result of {@link loo}. */
export interface LooResult {
  readonly method: 'psis_loo';
  /** Σ elpd_loo_i with its SE. */
  readonly elpdLoo: Estimate;
  /** Effective number of parameters Σ p_loo_i with its SE. */
  readonly pLoo: Estimate;
  /** LOO information criterion −2·elpd_loo with its SE. */
  readonly looic: Estimate;
  /** Monte Carlo SE of elpd_loo, √Σ mcse_i² (NaN when some k > 0.7, as loo's NA). */
  readonly mcseElpdLoo: number;
  readonly pointwise: LooPointwise;
  /** Pareto k, PSIS n_eff and the r_eff used, per observation. */
  readonly diagnostics: { readonly paretoK: Float64Array; readonly nEff: Float64Array; readonly rEff: Float64Array };
  /** Counts of k per bin (good ≤ 0.5 < ok ≤ 0.7 < bad ≤ 1 < very bad) with the smallest n_eff. */
  readonly paretoKTable: ParetoKBin[];
  /** Warnings (k too high, tails too short), as loo gives them. */
  readonly warnings: string[];
  /** Number of draws S (chains × draws). */
  readonly nDraws: number;
  /** Number of observations. */
  readonly nObs: number;
  /** The normalised PSIS log weights of each observation (S each), with `saveLogWeights` only. */
  readonly logWeights?: Float64Array[];
  /**
   * The normalised PSIS weights of each observation (S each, summing to 1), with `saveWeights`
   * only: equal to exp(logWeights) within about 2 + ln S ulps.
   */
  readonly weights?: Float64Array[];
}

/** The r_eff given in the options, one per observation, checked; undefined when they are to be computed from the chains. */
function givenREff(opts: LooOptions, nObs: number): Float64Array | undefined {
  const given = opts.rEff;
  if (given === undefined) return undefined;
  let r: Float64Array;
  if (typeof given === 'number') r = new Float64Array(nObs).fill(given);
  else {
    if (given.length !== nObs) throw new OptionError('loo: rEff', `needs one value per observation (${nObs}), got ${given.length}`);
    r = Float64Array.from(given);
  }
  for (let i = 0; i < nObs; i++) if (!(r[i] > 0)) throw new OptionError('loo: rEff', `must be positive (observation ${i}: ${r[i]})`);
  return r;
}

/**
 * The widest spread of an observation's log-likelihood (max − min over the draws) for which
 * elpd_loo is computed from exp(ll_s − max): beyond it the smallest likelihoods, which carry the
 * largest weights, would underflow (exp(−708) is the smallest normal double), and the log-scale
 * route is taken.
 */
const LIK_RANGE = 600;

/** Observations transposed at a time by {@link observationBlock}: 32 × S draws, 1 MB at S = 4000. */
const BLOCK = 32;

/**
 * Observations i0 … i0 + count − 1 of the log-likelihood block laid out observation by
 * observation in `out` (row j holds the S draws of observation i0 + j): a cache-blocked transpose
 * of a few observations at a time, so that LOO needs no n × S copy of the whole block.
 */
function observationBlock(m: LogLikMatrix, i0: number, count: number, out: Float64Array): void {
  const S = m.nChains * m.nDraws;
  const n = m.nObs;
  const v = m.values;
  const B = 32;
  for (let s0 = 0; s0 < S; s0 += B) {
    const s1 = Math.min(S, s0 + B);
    for (let s = s0; s < s1; s++) for (let j = 0; j < count; j++) out[j * S + s] = v[s * n + i0 + j];
  }
}

/**
 * Leave-one-out cross-validation by Pareto-smoothed importance sampling (PSIS-LOO), as R loo
 * 2.5.1's `loo()`: for each observation, the draws are reweighted by PSIS with log ratios
 * −log p(y_i | θ_s) ({@link psis}, tail length from r_eff), giving elpd_loo_i = log Σ_s w_s p(y_i | θ_s),
 * p_loo_i = lpd_i − elpd_loo_i and looic_i = −2·elpd_loo_i; sums with SEs √(n·Var), Monte Carlo
 * SEs, and the Pareto k of each observation. k > 0.7 marks observations whose estimate is
 * unreliable (highly influential); see `warnings` and `paretoKTable`.
 *
 * @param logLik - the log_likelihood group of an InferenceData, or an array `[chain][draw][obs]`
 *   or `[draw][obs]` (see {@link LogLikInput})
 * @param opts - `rEff` (default from the chains), `varName`, `saveLogWeights`, `saveWeights`
 * @returns estimates, pointwise values and diagnostics
 * @throws OptionError for malformed input or rEff
 * @example
 * ```ts
 * declare const idata: InferenceData; // with a log_likelihood group
 * const l = loo(idata);
 * l.elpdLoo; // { estimate: -70.61, se: 5.03 }
 * l.warnings; // [] when every k ≤ 0.7
 * ```
 * References: Vehtari, A., Gelman, A. & Gabry, J. (2017), Practical Bayesian model evaluation
 * using leave-one-out cross-validation and WAIC, Statistics and Computing 27, 1413–1432;
 * Vehtari et al. (2024), Pareto smoothed importance sampling, JMLR 25(72).
 */
export function loo(logLik: LogLikInput, opts: LooOptions = {}): LooResult {
  const m = logLikMatrix(logLik, opts, 'loo');
  const { nObs } = m;
  const S = m.nChains * m.nDraws;
  const given = givenREff(opts, nObs);
  const rEff = given ?? new Float64Array(nObs);
  const pw = {
    elpdLoo: new Float64Array(nObs),
    mcseElpdLoo: new Float64Array(nObs),
    pLoo: new Float64Array(nObs),
    looic: new Float64Array(nObs),
    influenceParetoK: new Float64Array(nObs),
  };
  const nEff = new Float64Array(nObs);
  const block = new Float64Array(Math.min(BLOCK, nObs) * S);
  const lik = new Float64Array(S);
  const negLl = new Float64Array(S);
  const shortTails: number[] = [];
  // Every observation's log weights in one block when kept (saveLogWeights), and its weights
  // likewise (saveWeights): no array per observation to collect. What is not kept goes to one
  // buffer that serves every observation.
  const logWeightBlock = opts.saveLogWeights === true ? new Float64Array(nObs * S) : undefined;
  const savedLogWeights: Float64Array[] | undefined = logWeightBlock ? [] : undefined;
  const logWeightBuffer = logWeightBlock ? undefined : new Float64Array(S);
  const weightBlock = opts.saveWeights === true ? new Float64Array(nObs * S) : undefined;
  const savedWeights: Float64Array[] | undefined = weightBlock ? [] : undefined;
  const weightBuffer = weightBlock ? undefined : new Float64Array(S);
  for (let i = 0; i < nObs; i++) {
    if (i % BLOCK === 0) observationBlock(m, i, Math.min(BLOCK, nObs - i), block);
    const ll = block.subarray((i % BLOCK) * S, (i % BLOCK + 1) * S);
    // p(y_i | θ_s) / max_s: its mean gives lpd_i (R loo's logMeanExp), its ESS r_eff
    // (relativeEff), and with the PSIS weights elpd_loo_i and its MCSE: the one set of
    // exponentials of the log-likelihood.
    let max = -Infinity;
    let min = Infinity;
    for (let s = 0; s < S; s++) {
      if (ll[s] > max) max = ll[s];
      if (ll[s] < min) min = ll[s];
    }
    expInto(lik, ll, 1, max);
    let sum = 0;
    for (let s = 0; s < S; s++) sum += lik[s];
    const lpd = max + log(sum / S);
    if (!given) {
      const r = essOfFlat(lik, m.nChains, m.nDraws) / S;
      // A constant likelihood has no ESS: its draws count as independent.
      if (Number.isNaN(r)) rEff[i] = 1;
      else if (!(r > 0)) throw new OptionError('loo: rEff', `must be positive (observation ${i}: ${r})`);
      else rEff[i] = r;
    }
    for (let s = 0; s < S; s++) negLl[s] = -ll[s];
    const lw = logWeightBlock ? logWeightBlock.subarray(i * S, (i + 1) * S) : logWeightBuffer!;
    const w = weightBlock ? weightBlock.subarray(i * S, (i + 1) * S) : weightBuffer!;
    const r = psisInto(negLl, rEff[i], lw, w);
    if (r.tailLength < 5) shortTails.push(i);
    savedLogWeights?.push(lw);
    savedWeights?.push(w);
    // elpd_loo_i = log Σ_s w_s·p(y_i | θ_s) (R loo's colLogSumExps(ll + lw)), from the weights and
    // likelihoods PSIS and lpd exponentiated already.
    let elpd: number;
    if (max - min < LIK_RANGE) {
      let wLik = 0;
      for (let s = 0; s < S; s++) wLik += w[s] * lik[s];
      elpd = max + log(wLik);
      pw.mcseElpdLoo[i] = mcseElpd(lik, w, wLik, rEff[i]);
    } else {
      // Likelihoods too far apart for one scale: some exp(ll_s − max) underflow, yet their draws
      // carry the weight. On the log scale, and for the MCSE w_s·(p_s/E − 1) = exp(ll_s + lw_s − elpd) − w_s.
      for (let s = 0; s < S; s++) negLl[s] = ll[s] + lw[s];
      elpd = logsumexp(negLl);
      expInto(lik, negLl, 1, elpd);
      let varRel = 0;
      for (let s = 0; s < S; s++) varRel += (lik[s] - w[s]) ** 2;
      pw.mcseElpdLoo[i] = mcseElpdOfRelativeSd(Math.sqrt(varRel), rEff[i]);
    }
    pw.elpdLoo[i] = elpd;
    pw.pLoo[i] = lpd - elpd;
    pw.looic[i] = -2 * elpd;
    pw.influenceParetoK[i] = r.k;
    nEff[i] = r.nEff;
  }
  const warnings = paretoKWarnings(pw.influenceParetoK);
  if (shortTails.length > 0) {
    warnings.unshift(
      `Not enough tail samples to fit the generalized Pareto distribution (tail length ${psisTailLength(S, rEff[shortTails[0]])} < 5 ` +
        `with ${S} draws) for ${shortTails.length} observation(s); their weights are not smoothed. Use more draws.`,
    );
  }
  let mcseSq = 0;
  let anyBad = false;
  for (let i = 0; i < nObs; i++) {
    mcseSq += pw.mcseElpdLoo[i] ** 2;
    if (pw.influenceParetoK[i] > PARETO_K_BREAKS.ok) anyBad = true;
  }
  return {
    method: 'psis_loo',
    elpdLoo: sumWithSe(pw.elpdLoo),
    pLoo: sumWithSe(pw.pLoo),
    looic: sumWithSe(pw.looic),
    mcseElpdLoo: anyBad ? NaN : Math.sqrt(mcseSq),
    pointwise: pw,
    diagnostics: { paretoK: pw.influenceParetoK, nEff, rEff },
    paretoKTable: paretoKTable(pw.influenceParetoK, nEff),
    warnings,
    nDraws: S,
    nObs,
    ...(savedLogWeights ? { logWeights: savedLogWeights } : {}),
    ...(savedWeights ? { weights: savedWeights } : {}),
  };
}
