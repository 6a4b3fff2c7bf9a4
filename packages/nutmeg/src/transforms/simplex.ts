// The stick-breaking transform (Stan's), for simplex-valued variables such as Dirichlet draws.
import { expit } from '../math/special.js';
import type { Transform } from './transform.js';
import { log, log1p } from '../core/libm/index.js';

/**
 * K−1 unconstrained coordinates → a K-simplex: z_k = σ(y_k − log(K−1−k)), x_k = r_k·z_k with
 * r_k the stick left (Stan reference manual, "Unit simplex"). y = 0 maps to the uniform simplex.
 */
export const simplexTransform: Transform = {
  name: 'simplex',
  unconstrainedShape: (shape) => [shape[shape.length - 1] - 1],
  build(g, y) {
    const K = y.shape[0] + 1;
    return {
      value: g.kernel('stickBreaking', [y], [K], {}),
      logDetJacobian: g.kernel('stickBreakingLogDet', [y], [], {}),
    };
  },
  forward(y) {
    const K = y.length + 1;
    const x = new Float64Array(K);
    let rem = 1;
    for (let k = 0; k < K - 1; k++) {
      x[k] = rem * expit(y[k] - log(K - 1 - k));
      rem -= x[k];
    }
    x[K - 1] = rem;
    return x;
  },
  inverse(x) {
    const K = x.length;
    const y = new Float64Array(K - 1);
    let rem = 1;
    for (let k = 0; k < K - 1; k++) {
      const z = x[k] / rem;
      y[k] = log(z) - log1p(-z) + log(K - 1 - k);
      rem -= x[k];
    }
    return y;
  },
  logAbsDetJacobian(y) {
    const K = y.length + 1;
    let rem = 1;
    let s = 0;
    for (let k = 0; k < K - 1; k++) {
      const z = expit(y[k] - log(K - 1 - k));
      s += log(z) + log1p(-z) + log(rem);
      rem -= rem * z;
    }
    return s;
  },
};
