// Defaults of Stan's windowed warm-up (step size and metric adaptation), each with where it comes from.

/** Typed defaults of warm-up adaptation. */
export const ADAPTATION_DEFAULTS = {
  /** Target mean acceptance statistic (Stan's `adapt_delta`, PyMC's `target_accept`): 0.8 in Stan's manual. */
  targetAccept: 0.8,
  /** Dual averaging regularisation scale γ (Stan `gamma` 0.05; Hoffman & Gelman 2014 §3.2). */
  gamma: 0.05,
  /** Dual averaging relaxation exponent κ (Stan `kappa` 0.75). */
  kappa: 0.75,
  /** Dual averaging iteration offset t₀ (Stan `t0` 10). */
  t0: 10,
  /** Initial fast (step-size only) buffer, Stan `init_buffer` 75. */
  initBuffer: 75,
  /** Final fast buffer, Stan `term_buffer` 50. */
  termBuffer: 50,
  /** First slow window length, doubled at each window, Stan `window` 25. */
  baseWindow: 25,
  /** Starting step size before the first heuristic search, Stan `stepsize` 1 (arbitrary). */
  initialStepSize: 1,
  /** Below this many warm-up iterations Stan adapts no metric (windowed_adaptation.hpp). */
  minWarmupForMetric: 20,
  /**
   * Metric regularisation toward 1e-3·I with weight 5/(n+5) (Stan's diag_e/dense_e adaptation);
   * the constants are Stan's and arbitrary.
   */
  regularisationScale: 1e-3,
  regularisationCount: 5,
} as const;

/** Options of warm-up adaptation. */
export interface AdaptationOptions {
  targetAccept?: number;
  gamma?: number;
  kappa?: number;
  t0?: number;
  initBuffer?: number;
  termBuffer?: number;
  baseWindow?: number;
  initialStepSize?: number;
}
