// What a distribution is to the engine: a log density in scalar IR, its support and its checks.
import type { Rng } from '../core/rng.js';
import type { DomainCheck } from '../ir/fusedLoop.js';
import type { IrBuilder, SNode } from '../ir/scalarIr.js';

/** Where a distribution puts its mass; chooses the default transform of a free variable. */
export type Support =
  | { readonly kind: 'real' }
  | { readonly kind: 'positive' }
  | { readonly kind: 'unit' }
  | { readonly kind: 'interval'; readonly lower: string; readonly upper: string }
  | { readonly kind: 'simplex' }
  /** Lower-triangular Cholesky factors of correlation matrices (unit-norm rows, positive diagonal). */
  | { readonly kind: 'choleskyCorr' }
  | { readonly kind: 'count' }
  | { readonly kind: 'binary' };

/**
 * The values a numeric parameter may take, checked before random draws: `real` (finite),
 * `positive` (finite, > 0), `probability` (in [0, 1]), `count` (a non-negative integer), or
 * `{ above }` (finite and greater than the named parameter, as Uniform's upper > lower).
 */
export type ParamDomain = 'real' | 'positive' | 'probability' | 'count' | { readonly above: string };

/** The per-element log density of an elementwise distribution, as IR. */
export interface LogpIr {
  /** Additive terms whose sum is the log density of one element. */
  readonly terms: SNode[];
  /** Conditions on the value and the parameters; violated → log density -Infinity. */
  readonly checks: DomainCheck[];
}

/**
 * An elementwise distribution: the value and every parameter broadcast together and the log
 * density is the sum over elements. Parameters arrive under the names the user gave (one of
 * `paramSets`), e.g. Normal takes `{mu, sigma}` or `{mu, tau}`.
 */
export interface ElementwiseDistribution {
  /** PyMC's name of the family. */
  readonly name: string;
  /** Accepted parameter sets (PyMC's names); the first is the canonical one. */
  readonly paramSets: readonly (readonly string[])[];
  /** Parameters that may be omitted, with their defaults. */
  readonly defaults?: Readonly<Record<string, number>>;
  readonly discrete: boolean;
  readonly support: Support;
  /** The log density of one element `x` given parameters (already broadcast, as IR). */
  logp(b: IrBuilder, x: SNode, p: Readonly<Record<string, SNode>>): LogpIr;
  /** The domain of every parameter of every set, checked before random draws (see `drawElements`). */
  readonly paramDomains: Readonly<Record<string, ParamDomain>>;
  /** True for an improper density (Flat, HalfFlat), which has no random draws. */
  readonly improper?: boolean;
  /**
   * One random draw given numeric parameters (under the names the user gave), assumed valid
   * (callers check them against `paramDomains` first). Allocation-free: it runs once per element.
   */
  sample(rng: Rng, p: Readonly<Record<string, number>>): number;
  /**
   * Optional vectorised draws: `out[i]` from element i of each parameter array (length 1: shared),
   * the same numbers as `out.length` calls of `sample` in order, only faster. Parameters are
   * already checked.
   */
  sampleInto?(rng: Rng, p: Readonly<Record<string, Float64Array>>, out: Float64Array): void;
}

/** Helper for checks: `x > 0`-style constraints. */
export function check(node: SNode, op: DomainCheck['op'], bound: SNode): DomainCheck {
  return { node, op, bound };
}
