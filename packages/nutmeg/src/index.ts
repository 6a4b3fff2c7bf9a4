// nutmeg's public API: models, distributions, inference, diagnostics, results, plots.
export type { LogDensity, Shape, NamedArrays } from './core/types.js';
export { ModelError, OptionError, InputError } from './core/errors.js';
export { Rng } from './core/rng.js';
export type { RngState } from './core/rng.js';
export * from './posterior/inferenceData.js';
export type { CompiledModel, VariableInfo, ObservedInfo } from './compiler/compiledModel.js';
export { constrainRowsByRecord } from './compiler/compiledModel.js';
export * as special from './math/index.js';
export * from './model/index.js';
export * from './distributions/index.js';
export * from './transforms/index.js';
export * from './inference/index.js';
export * from './diagnostics/index.js';
export * from './posterior/index.js';
export * from './io/index.js';
export * from './plots/index.js';
export * from './report/index.js';
