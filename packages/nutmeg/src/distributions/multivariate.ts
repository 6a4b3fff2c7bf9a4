// Multivariate distributions (MvNormal, Dirichlet), whose log densities are built from graph ops.
import { ModelError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';
import { cholesky } from '../math/linalg.js';
import { LOG_2PI } from '../math/special.js';
import * as draw from '../math/random.js';
import type { GraphBuilder } from '../graph/graphBuilder.js';
import { sum, type Tensor } from '../graph/tensor.js';
import type { Support } from './distribution.js';
import { log } from '../core/libm/index.js';

/**
 * A distribution whose log density is not elementwise: it builds its log density from graph ops
 * and kernels; the compiler differentiates and fuses those like any other expression.
 */
export interface CompositeDistribution {
  readonly name: string;
  readonly paramSets: readonly (readonly string[])[];
  readonly discrete: false;
  readonly support: Support;
  /** Shape of a draw given the parameters. */
  defaultShape(g: GraphBuilder, p: Readonly<Record<string, Tensor>>): number[];
  /** Tensors whose element sums add up to the log density of `value`. */
  buildTerms(g: GraphBuilder, value: Tensor, p: Readonly<Record<string, Tensor>>, variable: string): Tensor[];
  /**
   * Random draws filling `shape` (its last axis is one event: a vector or a simplex), each
   * parameter's values broadcast over the leading axes by repetition (length a divisor of the
   * size). Checks the parameters first; throws ModelError naming the parameter and position.
   */
  sample(rng: Rng, p: Readonly<Record<string, Float64Array>>, shape: readonly number[]): Float64Array;
}

function dataValues(g: GraphBuilder, t: Tensor, what: string, variable: string): Float64Array {
  const node = g.nodes[t.id];
  if (node.kind === 'data') return node.values;
  if (node.kind === 'const') return Float64Array.of(node.value);
  throw new ModelError(`${what} must be data (fixed numbers), not an expression of random variables`, variable);
}

function choleskyOf(g: GraphBuilder, p: Readonly<Record<string, Tensor>>, variable: string): { L: Float64Array; k: number } {
  const given = p.chol ?? p.cov;
  const which = p.chol ? 'chol' : 'cov';
  if (given.shape.length !== 2 || given.shape[0] !== given.shape[1]) {
    throw new ModelError(`MvNormal '${variable}': ${which} must be a square matrix, got shape [${given.shape.join(', ')}]`, variable);
  }
  const k = given.shape[0];
  const values = dataValues(g, given, `MvNormal '${variable}': ${which}`, variable);
  if (p.chol) {
    for (let i = 0; i < k; i++) {
      if (!(values[i * k + i] > 0)) throw new ModelError(`MvNormal '${variable}': chol must have a positive diagonal (chol[${i},${i}] = ${values[i * k + i]})`, variable);
    }
    return { L: values, k };
  }
  try {
    return { L: cholesky(values, k), k };
  } catch (e) {
    throw new ModelError(`MvNormal '${variable}': cov is not positive definite (${(e as Error).message})`, variable);
  }
}

/** MvNormal(mu, cov) or MvNormal(mu, chol): multivariate normal over the last axis. */
export const MvNormal: CompositeDistribution = {
  name: 'MvNormal',
  paramSets: [['mu', 'cov'], ['mu', 'chol']],
  discrete: false,
  support: { kind: 'real' },
  defaultShape: (_g, p) => [...(p.mu.shape.length > 0 ? p.mu.shape : [(p.cov ?? p.chol).shape[0]])],
  buildTerms(g, value, p, variable) {
    const { L, k } = choleskyOf(g, p, variable);
    if (value.shape[value.shape.length - 1] !== k) {
      throw new ModelError(`MvNormal '${variable}': the last axis has length ${value.shape[value.shape.length - 1]} but the covariance is ${k}×${k}`, variable);
    }
    const rows = value.size / k;
    const r = g.ew('sub', [value, p.mu]);
    const z = g.kernel('solveLowerRows', [r], r.shape, { L, k });
    let logDiag = 0;
    for (let i = 0; i < k; i++) logDiag += log(L[i * k + i]);
    const constant = g.constant(-rows * (logDiag + 0.5 * k * LOG_2PI));
    return [g.ew('mul', [g.constant(-0.5), g.ew('square', [z])]), constant];
  },
  sample(rng, p, shape) {
    const k = shape[shape.length - 1];
    const L = choleskyForDraws(p, k);
    const mu = p.mu;
    mu.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new ModelError(`MvNormal: parameter 'mu' must be finite (violated at element ${i}: ${v})`);
    });
    const out = new Float64Array(shape.reduce((a, b) => a * b, 1));
    const z = new Float64Array(k);
    for (let r = 0; r < out.length / k; r++) {
      rng.fillNormal(z);
      for (let i = 0; i < k; i++) {
        let s = 0;
        for (let j = 0; j <= i; j++) s += L[i * k + j] * z[j];
        out[r * k + i] = (mu.length === 1 ? mu[0] : mu[(r * k + i) % mu.length]) + s;
      }
    }
    return out;
  },
};

/** The Cholesky factor of numeric MvNormal parameters, checked: a k×k symmetric positive definite cov or a chol with a positive diagonal. */
function choleskyForDraws(p: Readonly<Record<string, Float64Array>>, k: number): Float64Array {
  const which = p.chol ? 'chol' : 'cov';
  const given = p.chol ?? p.cov;
  if (given.length !== k * k) throw new ModelError(`MvNormal: parameter '${which}' must be a ${k}×${k} matrix (the last axis has length ${k}), got ${given.length} numbers`);
  given.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new ModelError(`MvNormal: parameter '${which}' must be finite (violated at [${Math.floor(i / k)}, ${i % k}]: ${v})`);
  });
  if (p.chol) {
    for (let i = 0; i < k; i++) {
      if (!(given[i * k + i] > 0)) throw new ModelError(`MvNormal: parameter 'chol' must have a positive diagonal (violated at [${i}, ${i}]: ${given[i * k + i]})`);
    }
    return given;
  }
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < i; j++) {
      const a = given[i * k + j], b = given[j * k + i];
      if (Math.abs(a - b) > 1e-8 * Math.max(Math.abs(a), Math.abs(b), 1e-300)) {
        throw new ModelError(`MvNormal: parameter 'cov' must be symmetric (cov[${i}, ${j}] = ${a} but cov[${j}, ${i}] = ${b})`);
      }
    }
  }
  try {
    return cholesky(given, k);
  } catch (e) {
    throw new ModelError(`MvNormal: parameter 'cov' is not positive definite (${(e as Error).message})`);
  }
}

/** Dirichlet(a) on the simplex of length len(a). */
export const Dirichlet: CompositeDistribution = {
  name: 'Dirichlet',
  paramSets: [['a']],
  discrete: false,
  support: { kind: 'simplex' },
  defaultShape: (_g, p) => [...p.a.shape],
  buildTerms(g, value, p, variable) {
    if (value.shape.length !== 1) throw new ModelError(`Dirichlet '${variable}': only a single simplex (a vector) is supported, got shape [${value.shape.join(', ')}]`, variable);
    if (p.a.shape.length !== 1 || p.a.shape[0] !== value.shape[0]) {
      throw new ModelError(`Dirichlet '${variable}': a has shape [${p.a.shape.join(', ')}] but the value has shape [${value.shape.join(', ')}]`, variable);
    }
    // Data-only arguments are validated here (a composite density has no runtime domain checks).
    const aNode = g.nodes[p.a.id];
    if (aNode.kind === 'data') {
      aNode.values.forEach((v, i) => {
        if (!(v > 0)) throw new ModelError(`Dirichlet '${variable}': parameter 'a' must be > 0 (violated at element ${i}: ${v})`, variable);
      });
    }
    const xNode = g.nodes[value.id];
    if (xNode.kind === 'data') {
      let total = 0;
      xNode.values.forEach((v, i) => {
        if (!(v >= 0)) throw new ModelError(`Dirichlet '${variable}': observed value must be >= 0 (violated at element ${i}: ${v})`, variable);
        total += v;
      });
      // SciPy's tolerance for a point on the simplex.
      if (!(Math.abs(total - 1) <= 1e-9)) throw new ModelError(`Dirichlet '${variable}': observed value must sum to 1 (it sums to ${total})`, variable);
    }
    const one = g.constant(1);
    const perElement = g.ew('sub', [g.ew('mul', [g.ew('sub', [p.a, one]), g.ew('log', [value])]), g.ew('lgamma', [p.a])]);
    return [perElement, g.ew('lgamma', [sum(p.a)])];
  },
  sample(rng, p, shape) {
    const a = p.a;
    const k = shape.length > 0 ? shape[shape.length - 1] : a.length;
    a.forEach((v, i) => {
      if (!(v > 0 && v < Infinity)) throw new ModelError(`Dirichlet: parameter 'a' must be finite and > 0 (violated at element ${i}: ${v})`);
    });
    if (a.length % k !== 0) throw new ModelError(`Dirichlet: parameter 'a' has ${a.length} elements, not a multiple of the simplex length ${k}`);
    const out = new Float64Array(shape.reduce((x, y) => x * y, 1));
    for (let r = 0; r < out.length / k; r++) {
      const start = (r * k) % a.length;
      draw.dirichlet(rng, a.length === k ? a : a.subarray(start, start + k), out.subarray(r * k, r * k + k));
    }
    return out;
  },
};
