// ADVI convergence checks: Stan's relative ELBO change over a window, PyMC's relative parameter change.

/**
 * Stan's rolling check of the relative ELBO change |(ELBO_k − ELBO_{k−1}) / ELBO_{k−1}| between
 * successive evaluations, kept in a circular buffer; the fit has converged when the mean or the
 * median of the buffer falls below the tolerance (Stan's "MEAN ELBO CONVERGED" /
 * "MEDIAN ELBO CONVERGED").
 */
export class RelativeElboWindow {
  private readonly buf: Float64Array;
  private readonly scratch: Float64Array;
  private count = 0;
  private next = 0;
  private prev = NaN;

  /** @param size - window length (Stan: max(0.1·n / evalElbo, 2)) */
  constructor(size: number) {
    this.buf = new Float64Array(Math.max(2, Math.floor(size)));
    this.scratch = new Float64Array(this.buf.length);
  }

  /**
   * Records a new ELBO evaluation.
   *
   * @returns the relative change from the previous one (Infinity for the first)
   */
  push(elbo: number): number {
    const rel = Number.isNaN(this.prev) ? Infinity : Math.abs((elbo - this.prev) / this.prev);
    this.prev = elbo;
    this.buf[this.next] = rel;
    this.next = (this.next + 1) % this.buf.length;
    if (this.count < this.buf.length) this.count++;
    return rel;
  }

  /** Mean of the relative changes in the convergence window */
  mean(): number {
    let s = 0;
    for (let i = 0; i < this.count; i++) s += this.buf[i];
    return this.count > 0 ? s / this.count : Infinity;
  }

  /** Median of the relative changes in the convergence window */
  median(): number {
    const n = this.count;
    if (n === 0) return Infinity;
    const a = this.scratch.subarray(0, n);
    a.set(this.buf.subarray(0, n));
    a.sort();
    return n % 2 === 1 ? a[(n - 1) / 2] : 0.5 * (a[n / 2 - 1] + a[n / 2]);
  }
}

/**
 * Relative parameter change, as PyMC's `CheckParametersConvergence` (`diff='relative'`,
 * `ord=inf`) measures it: max_i |c_i − p_i| / (|p_i| + ε), ε = 1e−6. PyMC adds ε to the numerator
 * too, which makes an unchanged parameter at exactly 0 count as a change of 1 (so the check could
 * never pass); nutmeg leaves it out.
 *
 * @param current - parameters now
 * @param previous - parameters at the previous check
 * @returns the largest relative change (NaN if any parameter is NaN)
 */
export function relativeParamChange(current: Float64Array, previous: Float64Array): number {
  const eps = 1e-6;
  let m = 0;
  for (let i = 0; i < current.length; i++) {
    const r = Math.abs(current[i] - previous[i]) / (Math.abs(previous[i]) + eps);
    if (!(r <= m)) m = r;
  }
  return m;
}
