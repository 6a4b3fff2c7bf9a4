// Reads each draw of a fitted posterior into the forward model's vector of constrained values.
import { OptionError } from '../core/errors.js';
import { sizeOf } from '../graph/graph.js';
import type { InferenceData, VariableArray } from '../posterior/inferenceData.js';
import type { FreeSlot } from './forwardSpec.js';

/**
 * A function that writes row `r` (chain-major: r = chain · nDraws + draw) of the posterior into
 * `theta` at each slot's fitted positions (fresh positions are left alone).
 *
 * @throws OptionError when the posterior lacks a free variable or holds it in another size
 */
export function posteriorFiller(idata: InferenceData, slots: readonly FreeSlot[]): (theta: Float64Array, r: number) => void {
  const posterior = idata.groups.posterior;
  if (!posterior) throw new OptionError('idata', 'has no posterior group (sample or fit the model first)');
  const sources = slots.map((slot) => {
    const v = slot.variable;
    const found: VariableArray | undefined = posterior.vars[v.name];
    if (!found) throw new OptionError('idata', `the posterior has no variable '${v.name}': was it sampled from this model?`);
    const size = sizeOf(v.shape);
    if (sizeOf(found.shape) !== size) {
      throw new OptionError('idata', `the posterior's '${v.name}' has shape [${found.shape.join(', ')}] but the model's is [${v.shape.join(', ')}]: was it sampled from this model?`);
    }
    return { slot, values: found.values, size };
  });
  return (theta, r) => {
    for (const { slot, values, size } of sources) {
      const base = r * size;
      const to = slot.offset;
      const pos = slot.fittedPosition;
      for (let j = 0; j < pos.length; j++) if (pos[j] >= 0) theta[to + j] = values[base + pos[j]];
    }
  };
}
