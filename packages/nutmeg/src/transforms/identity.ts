// The identity transform, for variables on the whole real line.
import type { Transform } from './transform.js';

/** x = y. */
export const identityTransform: Transform = {
  name: 'identity',
  unconstrainedShape: (shape) => [...shape],
  build: (_g, y) => ({ value: y, logDetJacobian: null }),
  forward: (y) => y.slice(),
  inverse: (x) => x.slice(),
  logAbsDetJacobian: () => 0,
};
