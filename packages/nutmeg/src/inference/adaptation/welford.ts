// Welford's streaming mean and (co)variance, regularised as Stan regularises its metric estimates.
import { ADAPTATION_DEFAULTS } from './settings.js';

/** Running moments of a stream of vectors (mutable buffers; one per estimator). */
export interface WelfordState {
  n: number;
  readonly mean: Float64Array;
  /** Sum of squared deviations: length d (diagonal) or d·d (dense, row-major). */
  readonly m2: Float64Array;
}

/**
 * Welford's algorithm for the per-coordinate variance, as an `{init, update, final}` reducer. The
 * state's buffers are updated in place (no allocation per draw).
 *
 * `final` returns Stan's regularised estimate (n/(n+5))·var + 1e-3·(5/(n+5)), which shrinks toward
 * a small multiple of the identity when few draws are available.
 *
 * @example
 * ```ts
 * const w = welfordVariance(2);
 * const s = w.init();
 * w.update(s, new Float64Array([1, 2]));
 * w.update(s, new Float64Array([3, 6]));
 * w.final(s, false); // sample variance [2, 8]
 * ```
 *
 * References: B. P. Welford (1962), Technometrics 4(3); stan-dev/stan
 * src/stan/mcmc/var_adaptation.hpp and welford_var_estimator.hpp.
 */
export function welfordVariance(dim: number) {
  return {
    init(): WelfordState {
      return { n: 0, mean: new Float64Array(dim), m2: new Float64Array(dim) };
    },
    update(s: WelfordState, x: Float64Array): void {
      s.n++;
      const { mean, m2 } = s;
      const n = s.n;
      for (let i = 0; i < dim; i++) {
        const delta = x[i] - mean[i];
        mean[i] += delta / n;
        m2[i] += (x[i] - mean[i]) * delta;
      }
    },
    /**
     * `update(a, x)` and `update(b, x)` in one pass over x (the same operations on each state: the
     * same results bit for bit), for two estimators fed the same stream, as nutpie's windows are.
     */
    updateBoth(a: WelfordState, b: WelfordState, x: Float64Array): void {
      const na = ++a.n;
      const nb = ++b.n;
      const meanA = a.mean, m2A = a.m2, meanB = b.mean, m2B = b.m2;
      for (let i = 0; i < dim; i++) {
        const xi = x[i];
        const dA = xi - meanA[i];
        meanA[i] += dA / na;
        m2A[i] += (xi - meanA[i]) * dA;
        const dB = xi - meanB[i];
        meanB[i] += dB / nb;
        m2B[i] += (xi - meanB[i]) * dB;
      }
    },
    /** Sample variance (n−1 denominator), regularised as Stan's when `regularise` (default). */
    final(s: WelfordState, regularise = true): Float64Array {
      const out = new Float64Array(dim);
      const n = s.n;
      for (let i = 0; i < dim; i++) out[i] = n > 1 ? s.m2[i] / (n - 1) : 0;
      if (regularise) {
        const c = ADAPTATION_DEFAULTS.regularisationCount;
        const w = n / (n + c);
        const r = ADAPTATION_DEFAULTS.regularisationScale * (c / (n + c));
        for (let i = 0; i < dim; i++) out[i] = w * out[i] + r;
      }
      return out;
    },
  };
}

/**
 * Welford's algorithm for the full covariance (row-major d×d), regularised toward 1e-3·I as Stan's
 * dense metric adaptation does.
 *
 * @example
 * ```ts
 * const w = welfordCovariance(2); const s = w.init();
 * w.update(s, new Float64Array([1, 2])); w.update(s, new Float64Array([3, 6]));
 * w.final(s, false); // [2, 4, 4, 8]
 * ```
 *
 * References: stan-dev/stan src/stan/mcmc/covar_adaptation.hpp, welford_covar_estimator.hpp.
 */
export function welfordCovariance(dim: number) {
  const delta = new Float64Array(dim);
  return {
    init(): WelfordState {
      return { n: 0, mean: new Float64Array(dim), m2: new Float64Array(dim * dim) };
    },
    update(s: WelfordState, x: Float64Array): void {
      s.n++;
      const { mean, m2 } = s;
      const n = s.n;
      for (let i = 0; i < dim; i++) {
        delta[i] = x[i] - mean[i];
        mean[i] += delta[i] / n;
      }
      for (let i = 0; i < dim; i++) {
        const ai = x[i] - mean[i];
        const row = i * dim;
        for (let j = 0; j < dim; j++) m2[row + j] += ai * delta[j];
      }
    },
    final(s: WelfordState, regularise = true): Float64Array {
      const out = new Float64Array(dim * dim);
      const n = s.n;
      for (let i = 0; i < dim * dim; i++) out[i] = n > 1 ? s.m2[i] / (n - 1) : 0;
      // Symmetrise (the update accumulates (x−m_new)(x−m_old)ᵀ, symmetric only in exact arithmetic).
      for (let i = 0; i < dim; i++) {
        for (let j = 0; j < i; j++) {
          const v = 0.5 * (out[i * dim + j] + out[j * dim + i]);
          out[i * dim + j] = v;
          out[j * dim + i] = v;
        }
      }
      if (regularise) {
        const c = ADAPTATION_DEFAULTS.regularisationCount;
        const w = n / (n + c);
        const r = ADAPTATION_DEFAULTS.regularisationScale * (c / (n + c));
        for (let i = 0; i < dim * dim; i++) out[i] *= w;
        for (let i = 0; i < dim; i++) out[i * dim + i] += r;
      }
      return out;
    },
  };
}
