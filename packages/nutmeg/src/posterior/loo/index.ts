// Public exports of src/posterior/loo: PSIS-LOO, WAIC, relative efficiency and model comparison over pointwise log-likelihoods.
export type { LogLikInput, LogLikOptions } from './logLik.js';
export type { Estimate } from './estimate.js';
export type { LooOptions, LooPointwise, LooResult } from './loo.js';
export { loo } from './loo.js';
export type { WaicPointwise, WaicResult } from './waic.js';
export { waic } from './waic.js';
export { relativeEff } from './relativeEff.js';
export type { LooComparable, LooCompareRow } from './looCompare.js';
export { looCompare } from './looCompare.js';
export type { ParetoKBin } from './paretoKTable.js';
export { paretoKTable, formatParetoKTable, PARETO_K_BREAKS } from './paretoKTable.js';
export { formatLoo, formatWaic, formatLooCompare } from './format.js';
export type { LooPitInput } from './looPit.js';
export { looPit } from './looPit.js';
