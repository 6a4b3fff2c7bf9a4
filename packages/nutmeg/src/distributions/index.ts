// Public exports of src/distributions.
export * from './factories.js';
export type { ElementwiseDistribution, Support, LogpIr } from './distribution.js';
export type { CompositeDistribution } from './multivariate.js';
