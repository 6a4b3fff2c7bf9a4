// LKJCholeskyCorr(eta, n): the LKJ density of a correlation matrix, on its lower Cholesky factor (Stan's lkj_corr_cholesky).
import { ModelError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { LN_PI } from '../math/special.js';
import * as draw from '../math/random.js';
import type { GraphBuilder } from '../graph/graphBuilder.js';
import { sum, type Tensor } from '../graph/tensor.js';
import type { CompositeDistribution } from './multivariate.js';

/** Tolerance on an observed factor's unit rows and zero upper triangle. */
const OBSERVED_TOL = 1e-8;

/** The order n of the matrix: a fixed integer ≥ 2. */
function orderOf(g: GraphBuilder, n: Tensor, variable: string): number {
  const node = g.nodes[n.id];
  const v = node.kind === 'const' ? node.value : node.kind === 'data' && node.values.length === 1 ? node.values[0] : Number.NaN;
  if (!Number.isInteger(v) || v < 2) throw new ModelError(`LKJCholeskyCorr '${variable}': n must be a fixed integer >= 2 (the matrix is n×n), got ${node.kind === 'const' || node.kind === 'data' ? v : 'an expression'}`, variable);
  return v;
}

/** Checks that an observed value is a Cholesky factor of a correlation matrix. */
function checkObserved(values: Float64Array, K: number, variable: string): void {
  for (let i = 0; i < K; i++) {
    let norm = 0;
    for (let j = 0; j < K; j++) {
      const v = values[i * K + j];
      if (j > i && Math.abs(v) > OBSERVED_TOL) throw new ModelError(`LKJCholeskyCorr '${variable}': observed value must be lower-triangular (element [${i}, ${j}] is ${v})`, variable);
      if (j <= i) norm += v * v;
    }
    if (!(values[i * K + i] > 0)) throw new ModelError(`LKJCholeskyCorr '${variable}': observed value must have a positive diagonal (element [${i}, ${i}] is ${values[i * K + i]})`, variable);
    if (!(Math.abs(norm - 1) <= OBSERVED_TOL)) throw new ModelError(`LKJCholeskyCorr '${variable}': row ${i} of the observed value must have unit norm (its squared norm is ${norm})`, variable);
  }
}

/**
 * The log normalising constant of LKJ(η) on K×K correlation matrices as graph terms (Lewandowski,
 * Kurowicka & Joe 2009, theorem 5, as Stan's do_lkj_constant computes it for η ≠ 1; at η = 1 the
 * same formula gives Stan's closed form): (K−1)·lgamma(η + (K−1)/2) − Σ_{k=1}^{K−1} [k/2·log π + lgamma(η + (K−1−k)/2)].
 */
function logConstantTerms(g: GraphBuilder, eta: Tensor, K: number): Tensor[] {
  const offsets = Float64Array.from({ length: K - 1 }, (_, k) => (K - 2 - k) / 2);
  const head = g.ew('mul', [g.constant(K - 1), g.ew('lgamma', [g.ew('add', [eta, g.constant((K - 1) / 2)])])]);
  const tail = g.ew('neg', [g.ew('lgamma', [g.ew('add', [eta, g.data(offsets, [K - 1], 'lkj_offsets')])])]);
  return [head, tail, g.constant(-((K * (K - 1)) / 4) * LN_PI)];
}

/**
 * LKJCholeskyCorr(eta, n): the lower-triangular Cholesky factor L (n×n) of a correlation matrix
 * Ω = LLᵀ with Ω ~ LKJ(η). log p(L) = Σ_{k=2..n} (n − k + 2η − 2)·log L_kk + log c(η, n) (Stan's
 * `lkj_corr_cholesky_lpdf`, normalising constant included). Free variables use the
 * `choleskyCorr` transform.
 */
export const LKJCholeskyCorr: CompositeDistribution = {
  name: 'LKJCholeskyCorr',
  paramSets: [['eta', 'n']],
  discrete: false,
  support: { kind: 'choleskyCorr' },
  defaultShape: (g, p) => {
    const K = orderOf(g, p.n, 'LKJCholeskyCorr');
    return [K, K];
  },
  buildTerms(g, value, p, variable) {
    const K = orderOf(g, p.n, variable);
    if (value.shape.length !== 2 || value.shape[0] !== K || value.shape[1] !== K) {
      throw new ModelError(`LKJCholeskyCorr '${variable}': the value must have shape [${K}, ${K}] (n = ${K}), got [${value.shape.join(', ')}]`, variable);
    }
    if (p.eta.size !== 1) throw new ModelError(`LKJCholeskyCorr '${variable}': eta must be a scalar, got shape [${p.eta.shape.join(', ')}]`, variable);
    const etaNode = g.nodes[p.eta.id];
    const etaValue = etaNode.kind === 'const' ? etaNode.value : etaNode.kind === 'data' ? etaNode.values[0] : undefined;
    if (etaValue !== undefined && !(etaValue > 0)) throw new ModelError(`LKJCholeskyCorr '${variable}': parameter 'eta' must be > 0 (got ${etaValue})`, variable);
    const valueNode = g.nodes[value.id];
    if (valueNode.kind === 'data') checkObserved(valueNode.values, K, variable);
    // Σ_d (K − 1 − d + 2(η − 1))·log L_dd over d = 0 … K−1 (log L_00 = 0).
    const base = Float64Array.from({ length: K }, (_, d) => K - 1 - d);
    const coef = g.ew('add', [g.data(base, [K], 'lkj_powers'), g.ew('mul', [g.constant(2), g.ew('sub', [p.eta, g.constant(1)])])]);
    const logDiag = g.ew('log', [g.kernel('diagonal', [value], [K], {})]);
    return [sum(g.ew('mul', [coef, logDiag])), ...logConstantTerms(g, p.eta, K)];
  },
  sample: (rng, p) => sampleCholeskyCorr(rng, p.eta[0], p.n[0]),
};

/**
 * One draw of L by canonical partial correlations (Lewandowski, Kurowicka & Joe 2009, the C-vine
 * method): the partial correlation of (i, j) given 0…j−1 is 2·Beta(β_j, β_j) − 1 with
 * β_j = η + (K − 2 − j)/2, independently; L follows by the choleskyCorr map from those.
 *
 * @param rng - random number generator
 * @param eta - shape η > 0
 * @param K - order of the matrix
 * @returns L, K×K row-major
 */
export function sampleCholeskyCorr(rng: Rng, eta: number, K: number): Float64Array {
  const L = new Float64Array(K * K);
  for (let i = 0; i < K; i++) {
    let rest = 1;
    for (let j = 0; j < i; j++) {
      const b = eta + (K - 2 - j) / 2;
      const z = 2 * draw.beta(rng, b, b) - 1;
      const v = z * Math.sqrt(rest);
      L[i * K + j] = v;
      rest -= v * v;
    }
    L[i * K + i] = Math.sqrt(Math.max(rest, 0));
  }
  return L;
}
