// Public exports of src/model.
export { Model } from './model.js';
export type { RvOptions, NamedOptions, DataOptions } from './model.js';
export { Tensor, exp, log, log1p, expm1, sqrt, square, abs, logistic, invlogit, softplus, tanh, lgamma, pow, add, sub, mul, div, sum, dot, matvec } from '../graph/tensor.js';
export type { TensorLike } from '../graph/tensor.js';
export { compileModelSpec } from '../compiler/compile.js';
export { logp } from './logp.js';
export type { ModelSpec, GraphNode, TermSpec, VariableSpec } from '../graph/graph.js';
