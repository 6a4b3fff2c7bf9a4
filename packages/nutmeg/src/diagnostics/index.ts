// Public exports of src/diagnostics: convergence diagnostics and Pareto-k (PSIS) as pure functions over draws.
export type { Draws } from './draws.js';
export { quantileSorted, medianSorted, splitChains } from './draws.js';
export { zScale, foldDraws } from './rankNormalize.js';
export { rhat, rhatBasic, rhatOfChains } from './rhat.js';
export type { SplitOptions } from './ess.js';
export { essBasic, essBulk, essTail, essMean, essSd, essQuantile, essMedian, essOfChains } from './ess.js';
export { mcseMean, mcseSd, mcseQuantile, mcseMedian } from './mcse.js';
export { hdi, hdiColumnNames, DEFAULT_HDI_PROB } from './hdi.js';
export { ebfmi } from './ebfmi.js';
export type { ChainCounts } from './divergences.js';
export { countDivergences, countTreeDepthSaturation } from './divergences.js';
export { meanAutocovariance } from './autocovariance.js';
export type { ConvergenceDiagnostics } from './convergence.js';
export { convergenceDiagnostics } from './convergence.js';
export type { DrawsSummary } from './summarizeDraws.js';
export { summarizeDraws } from './summarizeDraws.js';
export type { PsisOptions, PsisResult, GpdFit, ParetoKHat } from './psis.js';
export { psis, psisTailLength, gpdQuantile, gpdFit, paretoKHat, paretoKThreshold } from './psis.js';
