// The generalised No-U-Turn criterion (Betancourt 2017), as Stan's base_nuts::compute_criterion.

/**
 * True while a (sub)trajectory should keep growing: both ends' velocities p♯ = Σ p still point
 * along the summed momentum ρ, i.e. p♯₋·ρ > 0 and p♯₊·ρ > 0.
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
