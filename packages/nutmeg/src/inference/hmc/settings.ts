// Defaults of the NUTS kernel, each with where it comes from.

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
