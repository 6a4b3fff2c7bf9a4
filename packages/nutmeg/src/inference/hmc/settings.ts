// Defaults of the HMC kernels (NUTS, static HMC), each with where it comes from.

/** Typed defaults of the No-U-Turn kernel (see each field for provenance). */
export const NUTS_DEFAULTS = {
  /** Stan's `max_depth` default (reference manual, "HMC algorithm parameters"); PyMC and BlackJAX use 10 too. */
  maxTreeDepth: 10,
  /**
   * A transition is divergent when the energy error H(z) − H(z0) exceeds this. Stan's `max_deltaH`
   * (base_nuts.hpp) is 1000; the value is arbitrary, chosen large enough to flag only real blow-ups.
   */
  divergenceThreshold: 1000,
} as const;

/** Options of the NUTS kernel. */
export interface NutsOptions {
  /** Maximum tree depth: at most 2^maxTreeDepth leapfrog steps per transition. */
  maxTreeDepth?: number;
  /** Energy error above which a trajectory is divergent. */
  divergenceThreshold?: number;
}

/** Typed defaults of the static HMC kernel (see each field for provenance). */
export const STATIC_HMC_DEFAULTS = {
  /**
   * Integration time per transition; the number of leapfrog steps is ⌊pathLength / stepSize⌋
   * (at least 1). PyMC's `HamiltonianMC(path_length=2.0)`; Stan's `int_time` is 2π. Arbitrary: a
   * fixed path suits targets whose scales the metric has equalised.
   */
  pathLength: 2,
  /** Cap on leapfrog steps per transition: the budget of a depth-10 NUTS tree (arbitrary; tiny early step sizes would otherwise take millions). */
  maxSteps: 1024,
  /**
   * Target acceptance of step-size adaptation: 0.65, the asymptotically optimal acceptance rate of
   * static HMC (Beskos, Pillai, Roberts, Sanz-Serna & Stuart 2013, Bernoulli 19(5A)); PyMC's
   * HamiltonianMC default.
   */
  targetAccept: 0.65,
} as const;

/** Options of the static HMC kernel. */
export interface StaticHmcOptions {
  /** Integration time per transition. */
  pathLength?: number;
  /** Most leapfrog steps per transition. */
  maxSteps?: number;
  /** Energy error above which a trajectory is divergent (as NUTS's). */
  divergenceThreshold?: number;
}
