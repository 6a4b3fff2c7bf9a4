// The ModelSpec behind a Model or a CompiledModel, or a clear error for a hand-written log density.
import { OptionError } from '../core/errors.js';
import type { ModelSpec } from '../graph/graph.js';

/** Anything that carries a model graph: a `Model` or the `CompiledModel` it compiled to. */
export interface HasModelSpec {
  readonly spec: unknown;
}

/**
 * The model graph of `model`.
 *
 * @throws OptionError when `model` has none (a hand-written `LogDensity` cannot generate data)
 */
export function modelSpecOf(model: HasModelSpec, what: string): ModelSpec {
  const spec = (model as { spec?: Partial<ModelSpec> } | undefined)?.spec;
  if (!spec || !Array.isArray(spec.nodes) || !Array.isArray(spec.variables)) {
    throw new OptionError('model', `${what} needs a model built with Model (a hand-written log density has no generative model)`);
  }
  return spec as ModelSpec;
}
