// Public exports of src/math.
export * from './special.js';
export * from './linalg.js';
