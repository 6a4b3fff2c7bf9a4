// Evaluates a distribution's log density at given values, outside any model (PyMC's pm.logp).
import { describeValue } from '../core/optionChecks.js';
import { IrBuilder } from '../ir/scalarIr.js';
import '../ir/scalarOps.js';
import { ModelError, OptionError } from '../core/errors.js';
import { Model } from './model.js';
import type { DistributionSpec } from '../distributions/factories.js';

/**
 * The log density (or log mass) of `dist` at `value`, as numbers: `-Infinity` outside the support
 * or for invalid parameters (unlike a model, which rejects such data at build time).
 * Elementwise distributions broadcast `value` against their parameters and return the sum.
 *
 * @example
 * ```ts
 * import { logp, Normal, Poisson } from 'nutmeg';
 * logp(Normal({ mu: 0, sigma: 1 }), 0);  // -0.9189385332046727
 * logp(Poisson({ mu: 3 }), -1);           // -Infinity
 * ```
 */
export function logp(dist: DistributionSpec, value: number | ArrayLike<number> | readonly (readonly number[])[]): number {
  if (dist === null || typeof dist !== 'object' || typeof (dist as Partial<DistributionSpec>).family !== 'object') {
    throw new OptionError('dist', `logp needs a distribution such as Normal({ mu: 0, sigma: 1 }), got ${describeValue(dist)}`);
  }
  const family = dist.family;
  if ('buildTerms' in family) {
    // Outside the support (or with invalid parameters) a model refuses the data at build time;
    // as a density evaluation that is -Infinity.
    try {
      const m = new Model();
      m.rv('x', dist, { observed: value });
      return m.compile().logDensity!(new Float64Array(0));
    } catch (e) {
      if (e instanceof ModelError) return -Infinity;
      throw e;
    }
  }
  const xs = typeof value === 'number' ? [value] : Array.from(value as ArrayLike<number>);
  const params: Record<string, number[]> = {};
  for (const [k, v] of Object.entries(dist.params)) {
    if (typeof v === 'number') params[k] = [v];
    else if (v && typeof v === 'object' && 'length' in v) params[k] = Array.from(v as ArrayLike<number>);
    else throw new TypeError(`logp: parameter '${k}' must be a number or an array of numbers`);
  }
  for (const [k, v] of Object.entries(family.defaults ?? {})) if (!(k in params)) params[k] = [v];
  const n = Math.max(xs.length, ...Object.values(params).map((p) => p.length));
  let total = 0;
  for (let i = 0; i < n; i++) {
    const b = new IrBuilder();
    const p: Record<string, ReturnType<IrBuilder['c']>> = {};
    for (const [k, v] of Object.entries(params)) p[k] = b.c(v[i % v.length]);
    const r = family.logp(b, b.c(xs[i % xs.length]), p);
    for (const c of r.checks) {
      const x = c.node.value as number;
      const bound = c.bound.value as number;
      const ok = c.op === 'integer' ? Number.isInteger(x) : c.op === '>' ? x > bound : c.op === '>=' ? x >= bound : c.op === '<' ? x < bound : x <= bound;
      if (!ok) return -Infinity;
    }
    for (const t of r.terms) total += t.value as number;
  }
  return Number.isNaN(total) ? -Infinity : total;
}
