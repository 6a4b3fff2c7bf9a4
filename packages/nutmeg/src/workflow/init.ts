// Starting points for chains: PyMC's jitter+adapt_diag (uniform(−1, 1) jitter, bounded retries) and friends.
import type { LogDensity } from '../core/types.js';
import type { Rng } from '../core/rng.js';
import { isRecoverable, ModelError, OptionError, type DomainError } from '../core/errors.js';
import { fit } from './fit.js';
import { describeValue } from '../core/optionChecks.js';
import { asCompiledModel, isCompiledModel } from './layout.js';

/**
 * How chains start. `'jitter+adapt_diag'` (default, PyMC's): the model's initial point plus
 * uniform(−1, 1) jitter in the unconstrained space, retried when the log density or its gradient is
 * not finite. `'adapt_diag'`: the initial point, no jitter. `'advi'`: a mean-field ADVI fit; each
 * chain starts at the fitted mean plus jitter scaled by the fitted sd, and the metric starts at the
 * fitted variances. A `Float64Array`: that unconstrained point for every chain. A record: constrained
 * values by variable name (the others from the initial point).
 */
export type InitOption = 'jitter+adapt_diag' | 'adapt_diag' | 'advi' | Float64Array | Record<string, number | ArrayLike<number>>;

/** Retries of a jittered start whose log density is not finite (PyMC's `jitter_max_retries`). */
export const JITTER_MAX_RETRIES = 10;

/**
 * Whether the log density and its gradient are finite at `x`. A DomainError counts as not finite
 * (kept in `failure.error` for the message); any other exception is the caller's to see: it propagates.
 */
function finiteAt(ld: LogDensity, x: Float64Array, grad: Float64Array, failure: { error?: DomainError }): boolean {
  let lp: number;
  try {
    lp = ld.logDensityGrad(x, grad);
  } catch (e) {
    if (!isRecoverable(e)) throw e;
    failure.error = e;
    return false;
  }
  failure.error = undefined;
  if (!Number.isFinite(lp)) return false;
  for (let i = 0; i < grad.length; i++) if (!Number.isFinite(grad[i])) return false;
  return true;
}

/** A message naming the variables whose log density term is not finite at `x`. */
export function describeNonFinite(ld: LogDensity, x: Float64Array): string {
  if (!isCompiledModel(ld)) return `log density at the start is not finite (no variable names: a hand-written log density)`;
  let terms: Record<string, number>;
  try {
    terms = ld.logDensityByVariable(x);
  } catch (e) {
    return `evaluating the log density failed: ${(e as Error).message}`;
  }
  const bad = Object.entries(terms).filter(([, v]) => !Number.isFinite(v));
  if (bad.length === 0) return 'every variable\'s log density is finite, but the gradient is not';
  return `variables with a non-finite log density: ${bad.map(([k, v]) => `${k} (${v})`).join(', ')}`;
}

/**
 * The base point of the unconstrained space: the model's initial point (the origin for a
 * hand-written log density, see {@link asCompiledModel}), or constrained values given by name, or
 * an explicit vector.
 */
export function basePoint(ld: LogDensity, init: InitOption): Float64Array {
  if (init instanceof Float64Array) {
    if (init.length !== ld.dim) throw new OptionError('init', `expected ${ld.dim} unconstrained values, got ${init.length}`);
    return Float64Array.from(init);
  }
  if (typeof init === 'object') {
    if (!isCompiledModel(ld)) throw new OptionError('init', 'values by name need a compiled model, not a hand-written log density');
    const defaults = ld.constrain(ld.initialPoint());
    const free = new Set(ld.variables.filter((v) => v.kind === 'free').map((v) => v.name));
    for (const [k, v] of Object.entries(init)) {
      if (!free.has(k)) throw new OptionError('init', `'${k}' is not a free variable of the model`);
      const list: unknown[] = typeof v === 'number' ? [v] : Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<unknown>) : [v];
      if (list.some((x) => typeof x !== 'number' || !Number.isFinite(x))) {
        throw new OptionError('init', `'${k}' must be a finite number or an array of finite numbers (constrained values), got ${describeValue(v)}`);
      }
    }
    const values: Record<string, number | ArrayLike<number>> = {};
    for (const name of free) values[name] = init[name] ?? defaults[name];
    return ld.unconstrain(values);
  }
  return Float64Array.from(asCompiledModel(ld).initialPoint());
}

/**
 * A chain's starting point: `base` plus uniform(−scale, scale) jitter (scale 1, or per coordinate)
 * when `jitter`, retried up to {@link JITTER_MAX_RETRIES} times until the log density and gradient are finite.
 *
 * @param ld - the target
 * @param base - the point to jitter around
 * @param rng - random numbers for the jitter
 * @param jitter - whether to jitter
 * @param chain - chain index (for the message)
 * @param scale - jitter scale per coordinate (default 1)
 * @returns a start with a finite log density and gradient
 * @throws ModelError naming the variables whose log density is not finite (or quoting the
 *   DomainError the log density raised, also its `cause`); any other exception of the log density
 *   as it was thrown
 */
export function chainStart(ld: LogDensity, base: Float64Array, rng: Rng, jitter: boolean, chain: number, scale?: Float64Array): Float64Array {
  const d = ld.dim;
  const grad = new Float64Array(d);
  const x = new Float64Array(d);
  const tries = jitter ? JITTER_MAX_RETRIES + 1 : 1;
  const failure: { error?: DomainError } = {};
  for (let t = 0; t < tries; t++) {
    for (let i = 0; i < d; i++) x[i] = base[i] + (jitter ? (2 * rng.uniform() - 1) * (scale ? scale[i] : 1) : 0);
    if (finiteAt(ld, x, grad, failure)) return x;
  }
  const how = jitter ? `after ${tries} jittered tries` : 'at the given start';
  const why = failure.error ? `the log density raised ${failure.error.name}: ${failure.error.message}` : describeNonFinite(ld, x);
  throw new ModelError(`chain ${chain}: cannot start sampling ${how}: ${why}.`, undefined, failure.error ? { cause: failure.error } : undefined);
}

/**
 * Fits mean-field ADVI for `init: 'advi'` (the ADVI module's public `fit`), quietly.
 *
 * @param model - the model or log density
 * @param seed - the run's seed
 * @returns the unconstrained mean and sd of the fitted approximation
 * @throws AdviError when ADVI cannot start
 */
export function adviStart(model: LogDensity, seed: number): { mean: Float64Array; std: Float64Array } {
  const approx = fit(model, { method: 'advi', seed, progress: false });
  return { mean: approx.mean, std: approx.std };
}
