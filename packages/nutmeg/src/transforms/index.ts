// Public exports of src/transforms.
export type { Transform, TransformBounds } from './transform.js';
export { identityTransform } from './identity.js';
export { logTransform } from './log.js';
export { logitIntervalTransform } from './logitInterval.js';
export { simplexTransform } from './simplex.js';
export { choleskyCorrTransform } from './choleskyCorr.js';
export { bijectTo, TRANSFORMS } from './bijectTo.js';
