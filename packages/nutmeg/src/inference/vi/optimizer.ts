// Stochastic-gradient ascent steps for ADVI: Stan's adaptive step-size sequence, and Adam.
import { pow } from '../../core/libm/index.js';

/** Which step-size rule drives the ascent. */
export type OptimizerKind = 'stan' | 'adam';

/** An in-place ascent step on a flat parameter vector; `reset` forgets the gradient history. */
export interface AscentStep {
  /** Forgets accumulated gradient statistics (used between step-size trials). */
  reset(): void;
  /**
   * Moves `params` uphill along `grad` (both length nParams).
   *
   * @param iteration - 1-based iteration count since the last reset
   */
  step(params: Float64Array, grad: Float64Array, iteration: number): void;
}

/** √10: the largest normalised step Stan's rule can take (|g|/√(0.1·g²)). */
const MAX_NORMALISED_STEP = Math.sqrt(10);

/**
 * Stan's ADVI step-size sequence (Kucukelbir et al. 2017, eq. 10):
 * ρ_k = η · k^{−1/2} / (τ + √s_{k−1}), s_0 = g_1², s_k = 0.1·g_k² + 0.9·s_{k−1}, τ = 1 (Stan uses
 * s_k in place of s_{k−1}; see the comment in `step` for why nutmeg lags it by one step, and
 * clips the normalised step at √10, the bound Stan's rule has built in). Per
 * coordinate, like RMSprop, but with a decreasing k^{−1/2} factor, so the iterates settle instead of
 * jittering forever at a fixed learning rate as Adam does (the paper writes k^{−1/2+ε}; Stan's code,
 * like this one, uses k^{−1/2}, just short of the Robbins–Monro conditions — one more reason nutmeg
 * averages the iterates); η comes from Stan's grid search over {100, 10, 1, 0.1, 0.01}.
 *
 * @param nParams - length of the parameter vector
 * @param eta - the scale η of the sequence
 * @returns the step rule; allocation-free after construction
 * References: Kucukelbir, A., Tran, D., Ranganath, R., Gelman, A. & Blei, D. M. (2017), Automatic
 * differentiation variational inference, JMLR 18(14); Stan's `advi::stochastic_gradient_ascent`.
 */
export function stanStepSequence(nParams: number, eta: number): AscentStep {
  const s = new Float64Array(nParams);
  const tau = 1; // Stan's τ (arbitrary, keeps the first steps bounded)
  const pre = 0.9; // Stan's weight of the history (arbitrary)
  const post = 0.1; // Stan's weight of the new squared gradient
  return {
    reset() {
      s.fill(0);
    },
    step(params, grad, iteration) {
      const scaled = eta / Math.sqrt(iteration);
      if (iteration === 1) {
        for (let i = 0; i < nParams; i++) s[i] = grad[i] * grad[i];
      }
      for (let i = 0; i < nParams; i++) {
        const g = grad[i];
        // The step is scaled by the history *before* this gradient joins it. Stan folds g_k into
        // s_k first, which correlates the step with its own gradient: large gradients are damped
        // more than small ones, and as the log-sd gradient 1 − η² is skewed that biases the
        // fitted sds upwards by several percent (measured: +3–5% on a Gaussian target after
        // 10⁵ iterations). Using s_{k−1} makes each step unbiased given the past.
        // Stan's rule bounds the normalised step by √10 (since s_k ≥ 0.1·g_k²); with the lagged
        // history that bound must be imposed, or one outlying gradient after a quiet spell throws
        // the iterate far away (seen on radon: μ_α ran off to 165).
        let r = g / (tau + Math.sqrt(s[i]));
        if (r > MAX_NORMALISED_STEP) r = MAX_NORMALISED_STEP;
        else if (r < -MAX_NORMALISED_STEP) r = -MAX_NORMALISED_STEP;
        params[i] += scaled * r;
        if (iteration > 1) s[i] = pre * s[i] + post * g * g;
      }
    },
  };
}

/**
 * Adam (Kingma & Ba 2015) as an ascent step, with the usual β₁ = 0.9, β₂ = 0.999, ε = 1e−8 and a
 * fixed learning rate `lr`. Offered for comparison; nutmeg's default is {@link stanStepSequence}.
 *
 * @param nParams - length of the parameter vector
 * @param lr - learning rate
 * @returns the step rule; allocation-free after construction
 * References: Kingma, D. P. & Ba, J. (2015), Adam: a method for stochastic optimization, ICLR.
 */
export function adamStep(nParams: number, lr: number): AscentStep {
  const m = new Float64Array(nParams);
  const v = new Float64Array(nParams);
  const beta1 = 0.9;
  const beta2 = 0.999;
  const eps = 1e-8;
  return {
    reset() {
      m.fill(0);
      v.fill(0);
    },
    step(params, grad, iteration) {
      const c1 = 1 - pow(beta1, iteration);
      const c2 = 1 - pow(beta2, iteration);
      for (let i = 0; i < nParams; i++) {
        const g = grad[i];
        m[i] = beta1 * m[i] + (1 - beta1) * g;
        v[i] = beta2 * v[i] + (1 - beta2) * g * g;
        params[i] += (lr * (m[i] / c1)) / (Math.sqrt(v[i] / c2) + eps);
      }
    },
  };
}
