// What a chain needs besides its log density, which the chain loop hands to its sampler: plain data, so it crosses to worker threads unchanged.

/** Everything a chain needs besides its log density; plain data (structured-cloneable). */
export interface ChainSettings {
  /**
   * The sampler, by its name in the registry (`inference/samplers/registry.ts`): 'nuts' (default)
   * or 'hmc'. A name, not a function, so that the settings cross worker threads.
   */
  readonly sampler?: string;
  /**
   * Warm-up adaptation: 'stan' (default; Stan's windowed adaptation) or 'nutpie' (the diagonal
   * metric from draws and gradients, `adaptation/gradientAdaptation.ts`; diagonal metric only).
   */
  readonly adaptation?: 'stan' | 'nutpie';
  readonly draws: number;
  readonly tune: number;
  /** NUTS: maximum tree depth. */
  readonly maxTreeDepth: number;
  readonly targetAccept: number;
  readonly metric: 'diag' | 'dense';
  readonly divergenceThreshold: number;
  /** Static HMC: integration time per transition (steps = ⌊pathLength / stepSize⌋, at least 1). */
  readonly pathLength?: number;
  /** Starting inverse metric (diagonal of length d, or d×d for dense); default the identity. */
  readonly initialInverseMetric?: Float64Array;
  /** Starting step size before the heuristic search (default 1). */
  readonly initialStepSize?: number;
  /** Minimum milliseconds between progress reports (default 100). */
  readonly progressIntervalMs?: number;
}
