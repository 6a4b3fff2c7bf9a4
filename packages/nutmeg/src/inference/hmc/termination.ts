// The generalised No-U-Turn criterion (Betancourt 2017) with Stan's checks across subtrees: the reference the kernel's fast copies are tested against.
//
// This file is the readable definition. The NUTS kernel runs the same arithmetic fused into one
// pass per merge, in `vectorArena.ts` (`merge`, JS loops) and `vectorKernels.wat` (WebAssembly);
// test/inference/termination.test.ts checks both against the functions below on random states
// and on real trajectories.

/**
 * True while a (sub)trajectory should keep growing: both ends' velocities p♯ = Σ p still point
 * along the summed momentum ρ, i.e. p♯₋·ρ > 0 and p♯₊·ρ > 0 (Stan's `compute_criterion`).
 * A zero inner product counts as a U-turn.
 *
 * @param pSharpMinus - velocity at the backward end
 * @param pSharpPlus - velocity at the forward end
 * @param rho - summed momentum over the trajectory
 * @returns false when the trajectory makes a U-turn
 * @example
 * ```ts
 * noUTurn(new Float64Array([1]), new Float64Array([1]), new Float64Array([2])); // true
 * noUTurn(new Float64Array([1]), new Float64Array([-1]), new Float64Array([0.5])); // false
 * ```
 *
 * References: M. Betancourt (2017), "A Conceptual Introduction to Hamiltonian Monte Carlo",
 * appendix A.4.2; stan-dev/stan src/stan/mcmc/hmc/nuts/base_nuts.hpp.
 */
export function noUTurn(pSharpMinus: Float64Array, pSharpPlus: Float64Array, rho: Float64Array): boolean {
  let a = 0;
  let b = 0;
  for (let i = 0; i < rho.length; i++) {
    a += pSharpPlus[i] * rho[i];
    b += pSharpMinus[i] * rho[i];
  }
  return a > 0 && b > 0;
}

/**
 * What the criterion needs of a (sub)trajectory, in time order: ρ, the sum of the momenta of all
 * its states, and the momentum p and velocity p♯ = Σp of its first (`beg`, earliest in time) and
 * last (`end`) state. For a one-state trajectory, ρ = pBeg = pEnd and sBeg = sEnd.
 */
export interface TrajectoryEnds {
  readonly rho: Float64Array;
  readonly pBeg: Float64Array;
  readonly sBeg: Float64Array;
  readonly pEnd: Float64Array;
  readonly sEnd: Float64Array;
}

/**
 * Whether the trajectory made of two adjacent subtrajectories, `left` (earlier in time) followed
 * by `right`, keeps going: the criterion over the whole (ρ = ρ_left + ρ_right between the outer
 * ends) and Stan's two extra checks across the seam, which catch U-turns that neither half nor
 * the whole shows on its own:
 * - ρ_left + p_right,beg between left's beginning and right's beginning;
 * - ρ_right + p_left,end between left's end and right's end.
 *
 * @param left - the earlier subtrajectory
 * @param right - the later subtrajectory
 * @param rho - ρ_left + ρ_right (computed when omitted)
 * @returns false when any of the three criteria sees a U-turn
 * @example
 * ```ts
 * const one = (p: number) => {
 *   const v = new Float64Array([p]);
 *   return { rho: v, pBeg: v, sBeg: v, pEnd: v, sEnd: v };
 * };
 * noUTurnAcross(one(1), one(1)); // true: both states move the same way
 * noUTurnAcross(one(1), one(-2)); // false: the second state turned back
 * ```
 *
 * References: stan-dev/stan src/stan/mcmc/hmc/nuts/base_nuts.hpp (`transition` and `build_tree`:
 * `compute_criterion` around the merged subtrees, then twice between them with `rho_extended`).
 */
export function noUTurnAcross(left: TrajectoryEnds, right: TrajectoryEnds, rho: Float64Array = add(left.rho, right.rho)): boolean {
  return (
    noUTurn(left.sBeg, right.sEnd, rho) &&
    noUTurn(left.sBeg, right.sBeg, add(left.rho, right.pBeg)) &&
    noUTurn(left.sEnd, right.sEnd, add(right.rho, left.pEnd))
  );
}

/**
 * Joins two adjacent subtrajectories (`left` earlier in time) and applies {@link noUTurnAcross}.
 *
 * @param left - the earlier subtrajectory
 * @param right - the later subtrajectory
 * @returns the joined trajectory's ends (fresh ρ, the other vectors shared with the inputs) and
 *   whether it keeps going
 */
export function joinTrajectories(left: TrajectoryEnds, right: TrajectoryEnds): { ends: TrajectoryEnds; noUTurn: boolean } {
  const rho = add(left.rho, right.rho);
  return {
    ends: { rho, pBeg: left.pBeg, sBeg: left.sBeg, pEnd: right.pEnd, sEnd: right.sEnd },
    noUTurn: noUTurnAcross(left, right, rho),
  };
}

/** a + b, element by element, in a new vector. */
function add(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] + b[i];
  return out;
}
