// Public exports of src/distributions.
export * from './factories.js';
export type { ElementwiseDistribution, Support, LogpIr, ParamDomain } from './distribution.js';
export type { CompositeDistribution } from './multivariate.js';
export { draw, drawElements, type DrawOptions, type DrawElementsOptions } from './draw.js';
