// Public exports of src/predictive: prior and posterior predictive draws, pointwise log-likelihood, prediction for new data.
export { samplePriorPredictive } from './priorPredictive.js';
export type { PriorPredictiveOptions } from './priorPredictive.js';
export { samplePosteriorPredictive } from './posteriorPredictive.js';
export type { PosteriorPredictiveOptions } from './posteriorPredictive.js';
export { computeLogLikelihood } from './logLikelihood.js';
export type { LogLikelihoodOptions } from './logLikelihood.js';
export { predict } from './predict.js';
export type { PredictOptions } from './predict.js';
export type { NewDataValue } from './newData.js';
export type { HasModelSpec } from './modelSpecOf.js';
