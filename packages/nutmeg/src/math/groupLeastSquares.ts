// Per-group least-squares statistics of a linear model (Householder QR): what a Gaussian likelihood needs instead of its rows.
//
// For the rows X_g (n_g × K) and values y_g of each group g, and any coefficients V:
//   Q_g(V) = ‖y_g − X_g V‖² = RSS_g − 2 dᵀc_g + ‖R_g d‖²,   d = V − V̂_g,
// exactly, where V̂_g is a least-squares centre, RSS_g = ‖y_g − X_g V̂_g‖², c_g = X_gᵀ(y_g − X_g V̂_g)
// and R_g the triangular factor of X_g (R_gᵀR_g = X_gᵀX_g). RSS_g and c_g are computed by a direct
// pass over the rows (never as Σy² − …, which cancels), and R_g by Householder reflections of X_g
// itself (never from the Gram matrix, whose entries cancel when columns are nearly collinear).
// References: Golub & Van Loan, "Matrix Computations", 4th ed., §5.2 (Householder QR), §5.4.1
// (column pivoting, the basic solution of a rank-deficient problem).

/** Doubles per group in {@link groupLeastSquares}' output: n, RSS, c (K), V̂ (K), R's upper triangle (K(K+1)/2). */
export const groupStatisticsStride = (k: number): number => 2 + 2 * k + (k * (k + 1)) / 2;

/**
 * Relative size below which a pivot of the pivoted QR counts as zero (the column lies in the span
 * of the ones before it): V̂'s component is then 0. Arbitrary: rounding leaves a dependent column ~1e-16·√n of the first pivot, a real one is far above.
 */
const RANK_TOLERANCE = 1e-12;

/** Rows per block of the incremental QR (arbitrary: large enough to amortise the K×K rows carried along). */
const BLOCK = 1024;

/**
 * Householder QR of the n × k column-major matrix `a` in place (R in its upper triangle), applying
 * the same reflections to `y` when given. With `perm`, columns are pivoted by largest remaining
 * norm (`perm[j]` is the original column at position j).
 */
function householder(a: Float64Array, n: number, k: number, y: Float64Array | null, perm: Int32Array | null): void {
  const steps = Math.min(n, k);
  for (let j = 0; j < steps; j++) {
    const cj = j * n;
    if (perm) {
      let best = j;
      let bestNorm = -1;
      for (let q = j; q < k; q++) {
        let s = 0;
        for (let i = j; i < n; i++) s += a[q * n + i] * a[q * n + i];
        if (s > bestNorm) {
          bestNorm = s;
          best = q;
        }
      }
      if (best !== j) {
        for (let i = 0; i < n; i++) {
          const t = a[cj + i];
          a[cj + i] = a[best * n + i];
          a[best * n + i] = t;
        }
        const t = perm[j];
        perm[j] = perm[best];
        perm[best] = t;
      }
    }
    // The reflection v = x − αe₀ with α = −sign(x₀)‖x‖ (no cancellation in v₀); ‖x‖ scaled against overflow.
    let scale = 0;
    for (let i = j; i < n; i++) {
      const v = Math.abs(a[cj + i]);
      if (v > scale) scale = v;
    }
    if (scale === 0) continue; // a zero column: nothing to reflect
    const inv = 1 / scale;
    let norm2 = 0;
    for (let i = j; i < n; i++) {
      const v = a[cj + i] * inv;
      norm2 += v * v;
    }
    const alpha = -(a[cj + j] >= 0 ? 1 : -1) * scale * Math.sqrt(norm2);
    a[cj + j] -= alpha;
    let vv = 0;
    for (let i = j; i < n; i++) vv += a[cj + i] * a[cj + i];
    const twoOverVv = 2 / vv;
    for (let q = j + 1; q < k; q++) {
      const cq = q * n;
      let s = 0;
      for (let i = j; i < n; i++) s += a[cj + i] * a[cq + i];
      const f = s * twoOverVv;
      for (let i = j; i < n; i++) a[cq + i] -= f * a[cj + i];
    }
    if (y) {
      let s = 0;
      for (let i = j; i < n; i++) s += a[cj + i] * y[i];
      const f = s * twoOverVv;
      for (let i = j; i < n; i++) y[i] -= f * a[cj + i];
    }
    a[cj + j] = alpha;
    for (let i = j + 1; i < n; i++) a[cj + i] = 0;
  }
}

/** Back substitution R₁₁ x = z₁ over the first `rank` pivots of a QR in `a` (column-major, n rows), into x at positions perm[j]. */
function backSubstitute(a: Float64Array, n: number, rank: number, z: Float64Array, perm: Int32Array, x: Float64Array): void {
  for (let j = rank - 1; j >= 0; j--) {
    let s = z[j];
    for (let q = j + 1; q < rank; q++) s -= a[q * n + j] * x[perm[q]];
    x[perm[j]] = s / a[j * n + j];
  }
}

/**
 * Per-group statistics of the least-squares problems y_g ≈ X_g V, for the sufficient-statistics form
 * of a Gaussian log density (see the file's comment). Each group's slot holds, in order: n_g, RSS_g,
 * c_g (K), V̂_g (K), and R_g's upper triangle by rows (R₀₀, R₀₁, …, R₀,K−1, R₁₁, …). V̂_g is a
 * least-squares solution: from the unpivoted QR when its pivots show full rank, otherwise the basic
 * solution of a column-pivoted QR of R_g, whose components of columns (numerically) in the span of
 * others are 0; so empty columns, columns constant within a group beside an intercept and groups with
 * fewer rows than K are all allowed. R_g comes from an unpivoted QR, so that
 * R_gᵀR_g = X_gᵀX_g in the columns' own order (a backward-stable factor whatever the rank).
 *
 * @param y - the values, one per row
 * @param columns - K columns of X, one value per row each
 * @param rows - the rows in group order (each group's rows contiguous)
 * @param starts - group g's rows are `rows[starts[g] .. starts[g+1])` (length groups + 1)
 * @returns groups × {@link groupStatisticsStride}(K) doubles
 * @example
 * ```ts
 * // One group, an intercept: V̂ = mean, RSS = Σ (y − mean)², R = √n.
 * const s = groupLeastSquares(Float64Array.of(1, 2, 6), [Float64Array.of(1, 1, 1)], Int32Array.of(0, 1, 2), Int32Array.of(0, 3));
 * // s = [3, 14, ~0, 3, −√3] (n, RSS, c, V̂, R: Householder's R₀₀ takes the sign opposite to x₀)
 * ```
 */
export function groupLeastSquares(y: Float64Array, columns: readonly Float64Array[], rows: Int32Array, starts: Int32Array): Float64Array {
  const k = columns.length;
  const groups = starts.length - 1;
  const stride = groupStatisticsStride(k);
  const out = new Float64Array(groups * stride);
  // R_g and z_g = Q_gᵀy_g by blocks of rows: each step is the QR of [R; next rows] (and [z; next values]),
  // so the scratch is (K + BLOCK) × K doubles whatever a group's size (TSQR's sequential form).
  const a = new Float64Array((k + BLOCK) * k);
  const yz = new Float64Array(k + BLOCK);
  const R = new Float64Array(k * k);
  const z = new Float64Array(k);
  const pivoted = new Float64Array(k * k);
  const zPivoted = new Float64Array(k);
  const norms = new Float64Array(k);
  const identity = Int32Array.from({ length: k }, (_, q) => q);
  const perm = new Int32Array(k);
  const vhat = new Float64Array(k);
  for (let g = 0; g < groups; g++) {
    const lo = starts[g];
    const n = starts[g + 1] - lo;
    const base = g * stride;
    out[base] = n;
    if (n === 0) continue;
    R.fill(0);
    z.fill(0);
    norms.fill(0);
    for (let first = 0; first < n; first += BLOCK) {
      const m = Math.min(BLOCK, n - first);
      const h = k + m;
      for (let q = 0; q < k; q++) {
        const col = columns[q];
        for (let j = 0; j < k; j++) a[q * h + j] = R[q * k + j];
        for (let i = 0; i < m; i++) {
          const v = col[rows[lo + first + i]];
          a[q * h + k + i] = v;
          if (Math.abs(v) > norms[q]) norms[q] = Math.abs(v);
        }
      }
      for (let j = 0; j < k; j++) yz[j] = z[j];
      for (let i = 0; i < m; i++) yz[k + i] = y[rows[lo + first + i]];
      householder(a, h, k, yz, null);
      for (let q = 0; q < k; q++) for (let j = 0; j < k; j++) R[q * k + j] = j <= q ? a[q * h + j] : 0;
      for (let j = 0; j < k; j++) z[j] = yz[j];
    }
    // R in the columns' own order (unpivoted) and, when it is of full rank, V̂ from it.
    let at = base + 2 + 2 * k;
    for (let j = 0; j < k; j++) for (let q = j; q < k; q++) out[at++] = R[q * k + j];
    vhat.fill(0);
    let fullRank = n >= k;
    for (let j = 0; j < k && fullRank; j++) fullRank = Math.abs(R[j * k + j]) > RANK_TOLERANCE * Math.sqrt(n) * norms[j];
    if (fullRank) backSubstitute(R, k, k, z, identity, vhat);
    else {
      // Rank-deficient: ‖y − XV‖² = ‖z − RV‖² + const, so the basic solution of a column-pivoted QR
      // of R (rank by the pivots' size) is a least-squares V̂.
      pivoted.set(R);
      zPivoted.set(z);
      perm.set(identity);
      householder(pivoted, k, k, zPivoted, perm);
      const r00 = Math.abs(pivoted[0]);
      let rank = 0;
      while (rank < k && Math.abs(pivoted[rank * k + rank]) > RANK_TOLERANCE * r00) rank++;
      backSubstitute(pivoted, k, rank, zPivoted, perm, vhat);
    }
    // RSS and c by a direct pass over the rows.
    let rss = 0;
    const c = base + 2;
    for (let i = 0; i < n; i++) {
      const row = rows[lo + i];
      let r = y[row];
      for (let q = 0; q < k; q++) r -= columns[q][row] * vhat[q];
      rss += r * r;
      for (let q = 0; q < k; q++) out[c + q] += columns[q][row] * r;
    }
    out[base + 1] = rss;
    for (let q = 0; q < k; q++) out[base + 2 + k + q] = vhat[q];
  }
  return out;
}
