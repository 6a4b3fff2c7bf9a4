// The log transform, for variables bounded below: x = lower + exp(y) (lower 0 by default), log|J| = y.
import type { Transform } from './transform.js';
import { exp, log } from '../core/libm/index.js';

/** x = lower + e^y for x > lower (Stan's `<lower=0>`, or `<lower=L>` with a lower bound). */
export const logTransform: Transform = {
  name: 'log',
  unconstrainedShape: (shape) => [...shape],
  build: (g, y, bounds) => ({ value: bounds.lower ? g.ew('add', [bounds.lower, g.ew('exp', [y])]) : g.ew('exp', [y]), logDetJacobian: y }),
  forward: (y, b) => y.map((v) => (b?.lower ?? 0) + exp(v)),
  inverse: (x, b) => x.map((v) => log(v - (b?.lower ?? 0))),
  logAbsDetJacobian: (y) => y.reduce((s, v) => s + v, 0),
};
