// A Gaussian log density from per-group least-squares statistics, as scalar IR over groups: the fused-loop emitter differentiates it and may run it as WebAssembly.
//
// For rows y ≈ X V with X's K columns and V's values constant within a group (math/groupLeastSquares.ts):
//   Σ_rows log N(y | xᵀV, σ) = Σ_g [ −n_g log σ − n_g·½log 2π − Q_g/(2σ²) ],
//   Q_g = RSS_g − 2 dᵀc_g + ‖R_g d‖²,  d = V_g − V̂_g   (exact for any V, whatever V̂_g).
// Rounding: d carries u·|d| (u = 2⁻⁵³), each (R_g d)_j carries ~K·u·Σ_l |R_jl d_l|, so
// |ΔQ_g| ≲ (K + 2)·u·(RSS_g + 2|d|ᵀ|c_g| + ‖|R_g|·|d|‖²) (plus RSS_g's own rounding, once, at compile
// time): of the order of the row loop's error, whose squares (y − xᵀV)² each carry
// ~K·u·|y − xᵀV|·(|y| + Σ|x_k V_k|). No term cancels another catastrophically: RSS_g and ‖R_g d‖² are
// sums of squares and c_g is ~u·‖X_g‖·‖y_g − X_g V̂_g‖ (V̂_g is a least-squares solution).
import type { DomainCheck } from './fusedLoop.js';
import type { IrBuilder, SNode } from './scalarIr.js';

/** One group's inputs, as IR nodes of the loop over groups (loads at the group, or loop invariants). */
export interface GaussianLinearGroup {
  /** V_1 … V_K at the group. */
  readonly coefficients: readonly SNode[];
  readonly sigma: SNode;
  /** The group's statistics (groupLeastSquares' layout): rows n_g, RSS_g, c_g, V̂_g, R_g's upper triangle by rows. */
  readonly rows: SNode;
  readonly rss: SNode;
  readonly c: readonly SNode[];
  readonly vhat: readonly SNode[];
  readonly r: readonly SNode[];
}

/** -½·log(2π), as the Normal family writes it. */
const MINUS_LN_SQRT_2PI = -0.9189385332046728;

/**
 * The log-density terms of one group, Σ_rows log N(y | xᵀV, σ) in sufficient-statistics form, and
 * the check σ > 0.
 *
 * @param b - the loop's IR builder
 * @param s - the group's inputs and statistics
 * @returns additive terms and domain checks, as a distribution's `logp` gives them
 */
export function gaussianLinearGroupLogp(b: IrBuilder, s: GaussianLinearGroup): { terms: SNode[]; checks: DomainCheck[] } {
  const K = s.coefficients.length;
  const d = s.coefficients.map((v, k) => b.sub(v, s.vhat[k]));
  // (R d)_j = Σ_{l ≥ j} R_jl d_l; R's row j starts at j·K − j(j−1)/2.
  let quadratic: SNode | undefined;
  for (let j = 0; j < K; j++) {
    const row = j * K - (j * (j - 1)) / 2;
    let u: SNode | undefined;
    for (let l = j; l < K; l++) {
      const t = b.mul(s.r[row + l - j], d[l]);
      u = u ? b.add(u, t) : t;
    }
    const sq = b.square(u!);
    quadratic = quadratic ? b.add(quadratic, sq) : sq;
  }
  let cross: SNode | undefined;
  for (let k = 0; k < K; k++) {
    const t = b.mul(d[k], s.c[k]);
    cross = cross ? b.add(cross, t) : t;
  }
  const q = b.add(b.sub(s.rss, b.mul(b.c(2), cross!)), quadratic!);
  const invSigma = b.recip(s.sigma);
  return {
    terms: [b.mul(b.mul(b.c(-0.5), b.square(invSigma)), q), b.mul(s.rows, b.sub(b.c(MINUS_LN_SQRT_2PI), b.log(s.sigma)))],
    checks: [{ node: s.sigma, op: '>', bound: b.c(0) }],
  };
}
