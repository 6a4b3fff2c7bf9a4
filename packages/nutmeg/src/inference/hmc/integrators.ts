// The leapfrog (velocity Verlet) integrator, in place on preallocated buffers: the reference leapfrog of nutmeg.
//
// The NUTS kernel runs these functions as they are for a dense metric; for a diagonal metric it
// runs fast copies of the same arithmetic in `vectorArena.ts` (`kickDrift`, `finishLeaf`, JS
// loops) and `vectorKernels.wat` (WebAssembly), which test/inference/termination.test.ts checks
// against `kickDrift`, `halfKick` and `velocity` here.
//
// Sign convention (inside hmc/ only): the Hamiltonian is H(q, p) = −log π(q) + K(p), so the
// "force" on the momentum is +∇ log π(q), which is what `LogDensity.logDensityGrad` returns.
import type { LogDensity } from '../../core/types.js';
import { isRecoverable } from '../../core/errors.js';
import type { Metric } from './metric.js';

/** A point in phase space: position, momentum, and the log density and its gradient at the position. */
export interface PhasePoint {
  readonly q: Float64Array;
  readonly p: Float64Array;
  readonly grad: Float64Array;
  logDensity: number;
  /** Message of a DomainError thrown by the log density at this point, if any (then logDensity = −∞). */
  error?: string;
}

/** A phase point with freshly allocated buffers of length `dim`. */
export function newPhasePoint(dim: number): PhasePoint {
  return { q: new Float64Array(dim), p: new Float64Array(dim), grad: new Float64Array(dim), logDensity: NaN, error: undefined };
}

/**
 * Evaluates the log density and gradient at `z.q`. NaN and a thrown `DomainError` become −∞
 * (recoverable: inside a trajectory, a divergence), the error's message kept in `z.error`.
 *
 * @param logDensity - the target
 * @param z - the phase point; its `grad`, `logDensity` and `error` are set
 * @returns the log density (−∞ where it is undefined)
 * @throws whatever the log density throws other than a DomainError (a bug or a fatal problem
 *   stops the chain instead of passing for a divergence)
 */
export function evaluate(logDensity: LogDensity, z: PhasePoint): number {
  const lp = evaluateAt(logDensity, z.q, z.grad, z);
  z.logDensity = lp;
  return lp;
}

/**
 * {@link evaluate} at a position `q` with the gradient written to `grad`, for callers that keep
 * positions apart from a phase point (the NUTS trajectory): the DomainError's message, or
 * undefined, goes to `errorOut.error`.
 *
 * @param logDensity - the target
 * @param q - the position
 * @param grad - where the gradient is written
 * @param errorOut - receives the message of a DomainError thrown at `q` (else undefined)
 * @returns the log density (−∞ where it is undefined)
 * @throws whatever the log density throws other than a DomainError
 */
export function evaluateAt(logDensity: LogDensity, q: Float64Array, grad: Float64Array, errorOut: { error?: string }): number {
  let lp: number;
  try {
    lp = logDensity.logDensityGrad(q, grad);
    errorOut.error = undefined;
  } catch (e) {
    if (!isRecoverable(e)) throw e;
    lp = -Infinity;
    errorOut.error = e.message;
  }
  return Number.isNaN(lp) ? -Infinity : lp;
}

/**
 * The first half of a leapfrog step: half kick p ← p + (ε/2)∇log π(q), drift q ← q + ε Σ p, and a
 * new gradient at q. Finish with {@link halfKick}. Split so that NUTS can fuse the final half kick
 * with its own per-leaf vector work.
 *
 * @param logDensity - the target
 * @param metric - the metric (Σ = inverse mass matrix)
 * @param z - the phase point, updated in place
 * @param stepSize - signed step size ε (negative integrates backwards in time)
 * @param scratch - a buffer of length d (dense metric only)
 * @returns the new log density
 */
export function kickDrift(logDensity: LogDensity, metric: Metric, z: PhasePoint, stepSize: number, scratch: Float64Array): number {
  const { q, p, grad } = z;
  const d = q.length;
  const h = 0.5 * stepSize;
  if (metric.kind === 'diag') {
    const m = metric.inverseMetric;
    for (let i = 0; i < d; i++) {
      const pi = p[i] + h * grad[i];
      p[i] = pi;
      q[i] += stepSize * m[i] * pi;
    }
  } else {
    for (let i = 0; i < d; i++) p[i] += h * grad[i];
    const S = metric.inverseMetric;
    for (let i = 0; i < d; i++) {
      let s = 0;
      const row = i * d;
      for (let j = 0; j < d; j++) s += S[row + j] * p[j];
      scratch[i] = s;
    }
    for (let i = 0; i < d; i++) q[i] += stepSize * scratch[i];
  }
  return evaluate(logDensity, z);
}

/** Half kick p ← p + (ε/2)∇log π(q) with the gradient stored in `z`. */
export function halfKick(z: PhasePoint, stepSize: number): void {
  const { p, grad } = z;
  const h = 0.5 * stepSize;
  for (let i = 0; i < p.length; i++) p[i] += h * grad[i];
}

/**
 * One full leapfrog step, in place.
 *
 * @param logDensity - the target
 * @param metric - the metric
 * @param z - the phase point (must hold the gradient at z.q)
 * @param stepSize - signed step size
 * @param scratch - a buffer of length d
 * @returns the log density at the new position
 * @example
 * ```ts
 * const stdNormal: LogDensity = {
 *   dim: 1,
 *   logDensityGrad: (x, g) => { g[0] = -x[0]; return -0.5 * x[0] * x[0]; },
 * };
 * const z = newPhasePoint(1); z.q[0] = 1; z.p[0] = 0;
 * evaluate(stdNormal, z);
 * leapfrog(stdNormal, unitMetric(1), z, 0.1, new Float64Array(1));
 * ```
 */
export function leapfrog(logDensity: LogDensity, metric: Metric, z: PhasePoint, stepSize: number, scratch: Float64Array): number {
  const lp = kickDrift(logDensity, metric, z, stepSize, scratch);
  halfKick(z, stepSize);
  return lp;
}
