// Stan's heuristic search for a first step size: double or halve until one leapfrog step's acceptance crosses 0.8.
import type { LogDensity } from '../../core/types.js';
import type { Rng } from '../../core/rng.js';
import { ModelError } from '../../core/errors.js';
import type { HmcState } from '../hmc/nuts.js';
import { sampleMomentum, velocity, type Metric } from '../hmc/metric.js';
import { leapfrog, newPhasePoint } from '../hmc/integrators.js';
import { log } from '../../core/libm/index.js';

/**
 * Stan's `init_stepsize`: from `state`, take one leapfrog step with a fresh momentum; if the
 * acceptance probability exp(H0 − h) is above 0.8 keep doubling the step size until it falls
 * below, otherwise keep halving until it rises above. Each trial draws a new momentum.
 *
 * @param logDensity - the target
 * @param metric - the current metric
 * @param rng - random numbers (momenta)
 * @param state - the current state (position, log density and gradient)
 * @param stepSize - the starting step size
 * @returns the new step size (unchanged when it is 0, NaN or > 1e7, as in Stan)
 * @throws ModelError when the step size grows beyond 1e7 (improper posterior) or shrinks to 0
 *
 * References: stan-dev/stan src/stan/mcmc/hmc/base_hmc.hpp (`init_stepsize`).
 */
export function initStepSize(logDensity: LogDensity, metric: Metric, rng: Rng, state: HmcState, stepSize: number): number {
  if (stepSize === 0 || stepSize > 1e7 || Number.isNaN(stepSize)) return stepSize;
  const d = logDensity.dim;
  const z = newPhasePoint(d);
  const v = new Float64Array(d);
  const threshold = log(0.8);
  const trial = (eps: number): number => {
    z.q.set(state.position);
    z.grad.set(state.grad);
    z.logDensity = state.logDensity;
    sampleMomentum(metric, rng, z.p, v);
    const h0 = velocity(metric, z.p, v) - state.logDensity;
    const lp = leapfrog(logDensity, metric, z, eps, v);
    let h = velocity(metric, z.p, v) - lp;
    if (Number.isNaN(h)) h = Infinity;
    return h0 - h;
  };
  let eps = stepSize;
  const direction = trial(eps) > threshold ? 1 : -1;
  for (;;) {
    const dH = trial(eps);
    if (direction === 1 && !(dH > threshold)) break;
    if (direction === -1 && !(dH < threshold)) break;
    eps = direction === 1 ? 2 * eps : 0.5 * eps;
    if (eps > 1e7) {
      throw new ModelError('Posterior is improper: the step size search grew beyond 1e7. Please check your model.');
    }
    if (eps === 0) {
      throw new ModelError('No acceptably small step size could be found. Perhaps the posterior is not continuous?');
    }
  }
  return eps;
}
