// The interval transform: x = lower + (upper − lower)·logistic(y), for Uniform and Beta variables.
import { expit, log1pexp, logit } from '../math/special.js';
import type { Transform } from './transform.js';
import { log } from '../core/libm/index.js';

/**
 * x = a + (b − a)·σ(y) on (a, b); log|J| = log(b − a) − softplus(−y) − softplus(y).
 * Bounds may be tensors (a Uniform whose upper bound is another parameter).
 */
export const logitIntervalTransform: Transform = {
  name: 'logit',
  unconstrainedShape: (shape) => [...shape],
  build(g, y, bounds) {
    const lower = bounds.lower ?? g.constant(0);
    const upper = bounds.upper ?? g.constant(1);
    const width = g.ew('sub', [upper, lower]);
    const value = g.ew('add', [lower, g.ew('mul', [width, g.ew('logistic', [y])])]);
    const softplusSum = g.ew('add', [g.ew('log1pexp', [y]), g.ew('log1pexp', [g.ew('neg', [y])])]);
    const logDet = g.ew('sub', [g.ew('log', [width]), softplusSum]);
    return { value, logDetJacobian: logDet };
  },
  forward: (y, b) => y.map((v) => (b?.lower ?? 0) + ((b?.upper ?? 1) - (b?.lower ?? 0)) * expit(v)),
  inverse: (x, b) => x.map((v) => logit((v - (b?.lower ?? 0)) / ((b?.upper ?? 1) - (b?.lower ?? 0)))),
  logAbsDetJacobian: (y, b) =>
    y.reduce((s, v) => s + log((b?.upper ?? 1) - (b?.lower ?? 0)) - log1pexp(-v) - log1pexp(v), 0),
};
