// Gaussian variational families on the unconstrained space: mean-field and full-rank, with reparameterisation gradients.

import { lowerTimesTranspose } from '../../math/linalg.js';
import { LOG_2PI } from '../../math/special.js';
import { exp, log } from '../../core/libm/index.js';

/** Which Gaussian family: independent coordinates, or a full covariance through its Cholesky factor. */
export type FamilyKind = 'meanfield' | 'fullrank';

/**
 * A Gaussian q(θ) = N(μ, LLᵀ) on the unconstrained space, its parameters kept in one flat vector
 * `params` so that optimisers treat both families alike:
 *
 * - mean-field: `params = [μ (d), ω (d)]` with L = diag(exp ω);
 * - full-rank: `params = [μ (d), ω (d), off-diagonal of L (d(d−1)/2, row-major strict lower)]`
 *   with L_ii = exp ω_i.
 *
 * Keeping the log of L's diagonal (as Stan's mean-field does with ω, where Stan's full-rank keeps
 * L_ii itself) holds L positive definite and puts scale parameters on the same footing in both
 * families. Draws are θ = μ + L·η with η ~ N(0, I) (the reparameterisation trick of Kucukelbir et
 * al. 2017). All methods write into caller-provided buffers and allocate nothing.
 */
export class GaussianFamily {
  /** Mean-field or full-rank. */
  readonly kind: FamilyKind;
  /** Dimension of the unconstrained space. */
  readonly dim: number;
  /** Number of variational parameters. */
  readonly nParams: number;
  /** The variational parameters (see the class comment for the layout). Mutated by optimisers. */
  readonly params: Float64Array;
  /** exp(ω) as of the last {@link transform} (saves an exp per coordinate in {@link accumulateGrad}). */
  private readonly scale: Float64Array;

  /**
   * @param kind - 'meanfield' or 'fullrank'
   * @param dim - dimension d of the unconstrained space
   */
  constructor(kind: FamilyKind, dim: number) {
    this.kind = kind;
    this.dim = dim;
    this.nParams = kind === 'meanfield' ? 2 * dim : 2 * dim + (dim * (dim - 1)) / 2;
    this.params = new Float64Array(this.nParams);
    this.scale = new Float64Array(dim);
  }

  /**
   * Sets q to N(mean, diag(scale²)) (off-diagonals zero).
   *
   * @param mean - length d
   * @param scale - standard deviations, length d (default 1, Stan's initial ω = 0)
   */
  reset(mean: Float64Array, scale?: Float64Array): void {
    const d = this.dim;
    this.params.fill(0);
    this.params.set(mean, 0);
    if (scale) for (let i = 0; i < d; i++) this.params[d + i] = log(scale[i]);
  }

  /** Writes θ = μ + L·η into `out`. */
  transform(eta: Float64Array, out: Float64Array): void {
    const d = this.dim;
    const p = this.params;
    const sc = this.scale;
    if (this.kind === 'meanfield') {
      for (let i = 0; i < d; i++) {
        const e = (sc[i] = exp(p[d + i]));
        out[i] = p[i] + e * eta[i];
      }
      return;
    }
    let off = 2 * d;
    for (let i = 0; i < d; i++) {
      const e = (sc[i] = exp(p[d + i]));
      let s = p[i] + e * eta[i];
      for (let j = 0; j < i; j++) s += p[off + j] * eta[j];
      off += i;
      out[i] = s;
    }
  }

  /** Entropy of q: d/2·(1 + log 2π) + Σ ω_i. */
  entropy(): number {
    const d = this.dim;
    let s = 0.5 * d * (1 + LOG_2PI);
    for (let i = 0; i < d; i++) s += this.params[d + i];
    return s;
  }

  /**
   * log q(θ) at θ = μ + L·η, given η: −|η|²/2 − Σ ω_i − d/2·log 2π.
   *
   * @param eta - the standard normal draw that produced θ
   */
  logDensityOfDraw(eta: Float64Array): number {
    const d = this.dim;
    let s = -0.5 * d * LOG_2PI;
    for (let i = 0; i < d; i++) s -= 0.5 * eta[i] * eta[i] + this.params[d + i];
    return s;
  }

  /**
   * Adds `weight` × the reparameterisation gradient of log p(θ) with respect to the variational
   * parameters, where θ = μ + L·η and `gradLogp` = ∇ log p(θ): ∂/∂μ = g, ∂/∂ω_i = g_i·η_i·e^{ω_i},
   * ∂/∂L_ij = g_i·η_j (i > j). Must follow the {@link transform} of the same η with the
   * parameters unchanged (it reuses the scales that call computed).
   */
  accumulateGrad(eta: Float64Array, gradLogp: Float64Array, weight: number, gradOut: Float64Array): void {
    const d = this.dim;
    const sc = this.scale;
    for (let i = 0; i < d; i++) {
      const g = weight * gradLogp[i];
      gradOut[i] += g;
      gradOut[d + i] += g * eta[i] * sc[i];
    }
    if (this.kind === 'fullrank') {
      let off = 2 * d;
      for (let i = 1; i < d; i++) {
        const g = weight * gradLogp[i];
        for (let j = 0; j < i; j++) gradOut[off + j] += g * eta[j];
        off += i;
      }
    }
  }

  /** Adds the gradient of the entropy (1 for each ω_i, 0 elsewhere). */
  addEntropyGrad(gradOut: Float64Array): void {
    const d = this.dim;
    for (let i = 0; i < d; i++) gradOut[d + i] += 1;
  }

  /** Copies the mean μ into `out` (length d). */
  mean(out: Float64Array): Float64Array {
    out.set(this.params.subarray(0, this.dim));
    return out;
  }

  /** Writes the marginal standard deviations √(LLᵀ)_ii into `out` (length d). */
  std(out: Float64Array): Float64Array {
    const d = this.dim;
    const p = this.params;
    let off = 2 * d;
    for (let i = 0; i < d; i++) {
      const lii = exp(p[d + i]);
      let s = lii * lii;
      if (this.kind === 'fullrank') {
        for (let j = 0; j < i; j++) s += p[off + j] * p[off + j];
        off += i;
      }
      out[i] = Math.sqrt(s);
    }
    return out;
  }

  /** The covariance LLᵀ as a dense row-major d×d matrix (allocates; for results, not the hot loop). */
  covariance(): Float64Array {
    const d = this.dim;
    return lowerTimesTranspose(this.choleskyFactor(), d, new Float64Array(d * d));
  }

  /** The lower-triangular factor L as a dense row-major d×d matrix (allocates). */
  choleskyFactor(): Float64Array {
    const d = this.dim;
    const p = this.params;
    const l = new Float64Array(d * d);
    let off = 2 * d;
    for (let i = 0; i < d; i++) {
      l[i * d + i] = exp(p[d + i]);
      if (this.kind === 'fullrank') {
        for (let j = 0; j < i; j++) l[i * d + j] = p[off + j];
        off += i;
      }
    }
    return l;
  }
}
