// The per-element log density of an elementwise family as one generated loop: what pointwise log-likelihoods (LOO, WAIC) need.
import type { ElementwiseDistribution } from '../distributions/distribution.js';
import { emitFusedLoop } from '../ir/fusedLoop.js';
import { IrBuilder, type SNode } from '../ir/scalarIr.js';
import { Environment } from './environment.js';

/**
 * Writes `out[i] = log p(x[i] | params)` for `i < n`; each parameter array holds one value (shared)
 * or `n` values. Returns false, leaving `out` partly written, when a domain check fails (a value
 * outside the support, a parameter outside its domain).
 */
export type PointwiseLogp = (x: Float64Array, params: readonly Float64Array[], out: Float64Array, n: number) => boolean;

const cache = new Map<string, PointwiseLogp>();

/**
 * Compiles the per-element log density of `family` (with its normalising constants, as SciPy's
 * `logpdf`/`logpmf`), from the same IR the model's log density is generated from. Compiled once
 * per family, parameter names and which parameters are shared.
 *
 * @param family - an elementwise family
 * @param paramNames - the parameter names given (one of the family's parameter sets)
 * @param shared - per parameter, true when it holds one value for all elements
 * @returns the generated function
 */
export function compilePointwiseLogp(family: ElementwiseDistribution, paramNames: readonly string[], shared: readonly boolean[]): PointwiseLogp {
  const key = `${family.name}|${paramNames.join(',')}|${shared.map(Number).join('')}`;
  const found = cache.get(key);
  if (found) return found;
  const b = new IrBuilder();
  const i = b.index('i');
  const x = b.load({ array: 'x', offset: 0, param: true }, i);
  const p: Record<string, SNode> = {};
  paramNames.forEach((name, k) => (p[name] = b.load({ array: `p${k}`, offset: 0, param: true }, shared[k] ? undefined : i)));
  const { terms, checks } = family.logp(b, x, p);
  const loop = emitFusedLoop(b, { n: b.size('n'), stores: [{ node: b.sum(terms), array: 'out', offset: 0 }], gradient: false, checks, onCheckFail: 'return false;' });
  const unpack = paramNames.map((_, k) => `const p${k} = params[${k}];`).join('\n');
  const fn = new Environment().compile<PointwiseLogp>(['x', 'params', 'out', 'n'], `${unpack}\n${loop}\nreturn true;`);
  cache.set(key, fn);
  return fn;
}
