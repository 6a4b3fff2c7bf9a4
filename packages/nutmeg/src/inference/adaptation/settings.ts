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

/**
 * Typed defaults of nutpie's gradient-based warm-up ({@link gradientAdaptation}), each as nuts-rs
 * sets it (pymc-devs/nuts-rs src/adapt_strategy.rs `EuclideanAdaptOptions::default`,
 * src/transform/adapt/diagonal.rs); nutpie itself adds the 300 tuning draws. The window constants
 * are nuts-rs's choices, tuned by its authors on posteriordb, not derived.
 */
export const GRADIENT_ADAPTATION_DEFAULTS = {
  /** Tuning draws when `adaptation: 'nutpie'` is asked for without `tune` (nutpie's `tune=300`). */
  tune: 300,
  /** Fraction of warm-up in the early phase, with short metric windows (nuts-rs `early_window` 0.3). */
  earlyWindow: 0.3,
  /** Fraction of warm-up at the end with the metric fixed and only the step size adapting (`step_size_window` 0.15). */
  stepSizeWindow: 0.15,
  /** Draws per estimator window in the early phase (`early_mass_matrix_switch_freq` 10). */
  earlySwitchFreq: 10,
  /** First window length of the main phase (`mass_matrix_switch_freq` 80). */
  switchFreq: 80,
  /** Growth of the main-phase window at each switch (`mass_matrix_window_growth` 1.5). */
  windowGrowth: 1.5,
  /** The metric is re-estimated every this many draws (`mass_matrix_update_freq` 1). */
  updateFreq: 1,
  /** Clamp of every inverse-metric entry (nuts-rs `LOWER_LIMIT`/`UPPER_LIMIT`, 1e-20 and 1e20; arbitrary). */
  minInverseMetric: 1e-20,
  maxInverseMetric: 1e20,
} as const;
