// The log transform, for positive variables: x = exp(y), log|J| = y.
import type { Transform } from './transform.js';

/** x = e^y for x > 0 (Stan's `<lower=0>`). */
export const logTransform: Transform = {
  name: 'log',
  unconstrainedShape: (shape) => [...shape],
  build: (g, y) => ({ value: g.ew('exp', [y]), logDetJacobian: y }),
  forward: (y) => y.map(Math.exp),
  inverse: (x) => x.map(Math.log),
  logAbsDetJacobian: (y) => y.reduce((s, v) => s + v, 0),
};
