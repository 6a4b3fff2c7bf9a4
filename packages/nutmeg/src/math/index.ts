// Public exports of src/math: special functions, small dense linear algebra, and (as the namespace `random`) random variate generators.
export * from './special.js';
export * from './linalg.js';
export * as random from './random.js';
