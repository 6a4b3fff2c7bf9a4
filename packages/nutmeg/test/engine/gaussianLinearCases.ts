// Gaussian-linear test models and the tolerance of the sufficient-statistics form against the row loop, for gaussianLinear*.test.ts.
//
// Tolerance. Both paths compute Σ_i log N(y_i | μ_i, σ_i) in floating point. The row loop's residual
// r_i = y_i − off_i − Σ_k x_ik V_k carries an error of ~K·u·m_i, m_i = |y_i| + |off_i| + Σ_k |x_ik V_k|
// (u = 2⁻⁵³), so each r_i²/(2σ²) is off by ~K·u·|r_i|·m_i/σ², and the sums by ~n·u of their terms; the
// per-group form's error is of the same order (ir/gaussianLinearKernel.ts). So the log densities must
// agree within 1e-12·(1 + Σ_v |log density term v| + Σ_i |r_i|·m_i/σ_i²) (1e-12 ≈ 4500·u covers K ≤ 3,
// n ≤ 10³ and both paths' errors), and each gradient component within 1e-12·(1 + max|g| + n +
// Σ_i (1 + max_k |x_ik|)·m_i·(1 + |r_i|)/σ_i²). A raw-sums form (Σy² − 2VΣy + …) is off by ~u·Σ_i m_i²/σ²,
// ~1e-4·m/|r| times the tolerance: with y ≈ 10⁶ and residuals ≈ σ, ~100 times (gaussianLinear.test.ts
// checks that such a form fails there).
import { HalfNormal, Model, Normal, type CompiledModel, type Tensor } from '../../src/index.js';
import { createContext } from '../../src/compiler/context.js';
import { foldDataOnly } from '../../src/compiler/fold.js';
import { gaussianLinearTerms } from '../../src/compiler/gaussianLinear.js';

/** A Gaussian-linear data set and model: y_i ~ Normal(off_i + Σ_k x_ik V_k[g_i], σ[g_i]). */
export interface LinearCase {
  readonly y: Float64Array;
  readonly index: Int32Array;
  /** Length of per-group vectors (index values are below it; some may be unused). */
  readonly groups: number;
  /** Columns: values per row (null: the constant 1, written without a product), and whether V_k is per group. */
  readonly columns: readonly { readonly values: Float64Array | null; readonly perGroup: boolean }[];
  readonly offset?: Float64Array;
  readonly sigmaPerGroup: boolean;
  /** The V_k's values (per group: `groups` values; else one) and σ's (one, or `groups`). */
  readonly v: readonly Float64Array[];
  readonly sigma: Float64Array;
  /** Prior centre and scale of every V_k (near the data's scale, so that priors do not swamp the likelihood's magnitude). */
  readonly priorCentre: number;
  readonly priorScale: number;
}

/** The model of a case (V_k named v0, v1, …; σ named sigma). */
export function linearModel(c: LinearCase): Model {
  const m = new Model();
  let mu: Tensor | undefined;
  c.columns.forEach((col, k) => {
    const v = m.rv(`v${k}`, Normal({ mu: c.priorCentre, sigma: c.priorScale }), col.perGroup ? { shape: [c.groups] } : {});
    const at = col.perGroup ? v.at(c.index) : v;
    const term = col.values ? at.mul(m.data(`x${k}`, col.values)) : at;
    mu = mu ? mu.add(term) : term;
  });
  if (c.offset) mu = mu!.add(m.data('off', c.offset));
  const sigma = m.rv('sigma', HalfNormal({ sigma: 2 }), c.sigmaPerGroup ? { shape: [c.groups] } : {});
  m.rv('y', Normal({ mu: mu!, sigma: c.sigmaPerGroup ? sigma.at(c.index) : sigma }), { observed: c.y });
  return m;
}

/** The unconstrained point of a case's values. */
export function linearTheta(cm: CompiledModel, c: LinearCase): Float64Array {
  const values: Record<string, ArrayLike<number>> = { sigma: c.sigma };
  c.v.forEach((v, k) => (values[`v${k}`] = v));
  return cm.unconstrain(values);
}

/** The tolerances of the file comment for a case at its values. */
export function linearTolerances(cm: CompiledModel, c: LinearCase, theta: Float64Array, grad: Float64Array): { lp: number; grad: number } {
  let lpMag = 1;
  for (const t of Object.values(cm.logDensityByVariable(theta))) lpMag += Math.abs(t);
  let gradMag = 1 + c.y.length;
  for (const g of grad) gradMag = Math.max(gradMag, 1 + c.y.length + Math.abs(g));
  let sumLp = 0;
  let sumGrad = 0;
  for (let i = 0; i < c.y.length; i++) {
    const g = c.index[i];
    const sigma = c.sigmaPerGroup ? c.sigma[g] : c.sigma[0];
    let r = c.y[i] - (c.offset ? c.offset[i] : 0);
    let m = Math.abs(c.y[i]) + (c.offset ? Math.abs(c.offset[i]) : 0);
    let xMax = 0;
    c.columns.forEach((col, k) => {
      const x = col.values ? col.values[i] : 1;
      const v = col.perGroup ? c.v[k][g] : c.v[k][0];
      r -= x * v;
      m += Math.abs(x * v);
      xMax = Math.max(xMax, Math.abs(x));
    });
    sumLp += (Math.abs(r) * m) / sigma ** 2;
    sumGrad += ((1 + xMax) * m * (1 + Math.abs(r))) / sigma ** 2;
  }
  return { lp: 1e-12 * (lpMag + sumLp), grad: 1e-12 * (gradMag + sumGrad) };
}

/**
 * The likelihood of a case from raw sums per group (Σy², Xᵀy, XᵀX: the form that cancels), to show
 * that the tolerance catches it.
 */
export function rawSumsLikelihood(c: LinearCase): number {
  const K = c.columns.length;
  const G = c.sigmaPerGroup || c.columns.some((col) => col.perGroup) ? c.groups : 1;
  const yy = new Float64Array(G);
  const xy = new Float64Array(G * K);
  const xx = new Float64Array(G * K * K);
  const count = new Float64Array(G);
  for (let i = 0; i < c.y.length; i++) {
    const g = G === 1 ? 0 : c.index[i];
    const y = c.y[i] - (c.offset ? c.offset[i] : 0);
    count[g]++;
    yy[g] += y * y;
    for (let k = 0; k < K; k++) {
      const xk = c.columns[k].values?.[i] ?? 1;
      xy[g * K + k] += xk * y;
      for (let l = 0; l < K; l++) xx[(g * K + k) * K + l] += xk * (c.columns[l].values?.[i] ?? 1);
    }
  }
  let lp = 0;
  for (let g = 0; g < G; g++) {
    const V = c.columns.map((col, k) => (col.perGroup ? c.v[k][g] : c.v[k][0]));
    let q = yy[g];
    for (let k = 0; k < K; k++) {
      q -= 2 * V[k] * xy[g * K + k];
      for (let l = 0; l < K; l++) q += V[k] * xx[(g * K + k) * K + l] * V[l];
    }
    const sigma = c.sigmaPerGroup ? c.sigma[g] : c.sigma[0];
    lp += -count[g] * Math.log(sigma) - count[g] * 0.9189385332046728 - q / (2 * sigma * sigma);
  }
  return lp;
}

/** How many terms of `m` the sufficient-statistics rewrite applies to. */
export function rewrittenTerms(m: Model): number {
  const ctx = createContext(m.spec);
  foldDataOnly(ctx);
  return gaussianLinearTerms(ctx).size;
}

/** Log density and gradient of a compiled model at `theta`. */
export function evaluate(cm: CompiledModel, theta: Float64Array): { lp: number; grad: Float64Array; value: number } {
  const grad = new Float64Array(cm.dim).fill(NaN);
  const lp = cm.logDensityGrad(theta, grad);
  return { lp, grad, value: cm.logDensity!(theta) };
}

/** How a random case's column is made. */
export type ColumnKind = 'intercept' | 'random' | 'groupConstant' | 'zeroInSomeGroups' | 'nearCollinear';

/** The structure of a random case (fast-check draws these; the numbers come from an Rng seeded by `seed`). */
export interface CaseShape {
  readonly seed: number;
  readonly groups: number;
  readonly columns: readonly { readonly kind: ColumnKind; readonly perGroup: boolean }[];
  readonly extraRows: number;
  /** The data's offset (y ≈ offset + noise: the cancellation case at 1e6). */
  readonly offset: number;
  readonly dataOffset: boolean;
  readonly sigmaPerGroup: boolean;
}

/** A minimal uniform/normal source (the tests pass nutmeg's Rng). */
interface Uniforms {
  uniform(): number;
  normal(): number;
}

/**
 * A random case of a shape: group 1 (when there are ≥ 2 groups) has one row, the last of ≥ 3 groups
 * none, the others at least K + 1 rows, so that the rewrite applies (rows ≥ groups·(K + 1)).
 */
export function randomCase(shape: CaseShape, rng: Uniforms): LinearCase {
  const G = shape.groups;
  const K = shape.columns.length;
  const empty = G >= 3 ? G - 1 : -1;
  const single = G >= 2 ? 1 : -1;
  const index: number[] = [];
  for (let g = 0; g < G; g++) {
    if (g === empty) continue;
    const count = g === single ? 1 : K + 2;
    for (let j = 0; j < count; j++) index.push(g);
  }
  const regular = [...Array(G).keys()].filter((g) => g !== empty && g !== single);
  for (let j = 0; j < shape.extraRows + 2 * G; j++) index.push(regular[Math.floor(rng.uniform() * regular.length)]);
  // Shuffle (the rewrite sorts rows by group itself).
  for (let i = index.length - 1; i > 0; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    [index[i], index[j]] = [index[j], index[i]];
  }
  const n = index.length;
  const idx = Int32Array.from(index);
  const groupValue = Float64Array.from({ length: G }, () => rng.normal());
  let firstIntercept = true;
  const columns = shape.columns.map((col) => {
    let values: Float64Array | null;
    if (col.kind === 'intercept') values = null;
    else if (col.kind === 'random') values = Float64Array.from({ length: n }, () => rng.normal());
    else if (col.kind === 'groupConstant') values = Float64Array.from(idx, (g) => groupValue[g]);
    else if (col.kind === 'zeroInSomeGroups') values = Float64Array.from(idx, (g) => (g % 2 === 0 ? 0 : rng.normal()));
    else values = Float64Array.from({ length: n }, () => 1000 + rng.normal());
    return { values, perGroup: col.perGroup };
  });
  const vTrue = shape.columns.map((col) => {
    const centre = col.kind === 'intercept' && firstIntercept ? shape.offset : 0;
    if (col.kind === 'intercept') firstIntercept = false;
    return Float64Array.from({ length: col.perGroup ? G : 1 }, () => centre + rng.normal());
  });
  const sigmaTrue = Float64Array.from({ length: shape.sigmaPerGroup ? G : 1 }, () => 0.5 + rng.uniform());
  const offset = shape.dataOffset ? Float64Array.from({ length: n }, () => rng.normal() * (1 + 0.01 * shape.offset)) : undefined;
  const y = Float64Array.from({ length: n }, (_, i) => {
    const g = idx[i];
    let mu = offset ? offset[i] : 0;
    columns.forEach((col, k) => (mu += (col.values ? col.values[i] : 1) * (col.perGroup ? vTrue[k][g] : vTrue[k][0])));
    return mu + sigmaTrue[shape.sigmaPerGroup ? g : 0] * rng.normal();
  });
  return {
    y,
    index: idx,
    groups: G,
    columns,
    offset,
    sigmaPerGroup: shape.sigmaPerGroup,
    v: vTrue.map((v) => v.map((x) => x + 0.1 * rng.normal())),
    sigma: sigmaTrue.map((s) => s * Math.exp(0.2 * rng.normal())),
    priorCentre: 0,
    priorScale: 10 * (1 + shape.offset),
  };
}
