// Chooses the default transform of a free variable from its distribution's support.
import type { Support } from '../distributions/distribution.js';
import { choleskyCorrTransform } from './choleskyCorr.js';
import { identityTransform } from './identity.js';
import { logTransform } from './log.js';
import { logitIntervalTransform } from './logitInterval.js';
import { simplexTransform } from './simplex.js';
import type { Transform } from './transform.js';

/** Transforms by name, for `{ transform: 'log' }` overrides. */
export const TRANSFORMS: Record<string, Transform> = {
  identity: identityTransform,
  log: logTransform,
  logit: logitIntervalTransform,
  simplex: simplexTransform,
  choleskyCorr: choleskyCorrTransform,
};

/** The transform that maps the real line onto `support` (null for discrete supports). */
export function bijectTo(support: Support): Transform | null {
  switch (support.kind) {
    case 'real':
      return identityTransform;
    case 'positive':
      return logTransform;
    case 'unit':
    case 'interval':
      return logitIntervalTransform;
    case 'simplex':
      return simplexTransform;
    case 'choleskyCorr':
      return choleskyCorrTransform;
    default:
      return null;
  }
}
