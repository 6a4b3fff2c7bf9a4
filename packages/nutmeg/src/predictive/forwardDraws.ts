// The one loop of predictive sampling: per row, fitted values in, fresh values drawn in model order, then the chosen variables recorded.
import { Rng } from '../core/rng.js';
import { sizeOf, type VariableSpec } from '../graph/graph.js';
import { DrawsGroup } from './drawsGroup.js';
import type { ForwardModel } from './forwardModel.js';

/**
 * Runs the forward model `rows` times. Each row: `fill` writes the fitted values (posterior draw
 * `r`), each free variable with fresh positions (new levels; all of them for a prior) is drawn
 * from its distribution given everything before it, then every `chosen` variable is recorded —
 * observed ones drawn, the others (free, deterministic) copied. One seeded stream, in this order,
 * so the same seed gives the same draws.
 *
 * @param fm - the compiled forward model
 * @param chosen - the variables to record, in the order they are drawn
 * @param rows - rows to run (chains × draws)
 * @param seed - the stream's seed
 * @param fill - writes row `r`'s fitted values into `theta` (none for a prior)
 * @returns the recorded draws, one row per run
 */
export function forwardDraws(fm: ForwardModel, chosen: readonly VariableSpec[], rows: number, seed: number, fill?: (theta: Float64Array, r: number) => void): DrawsGroup {
  const out = new DrawsGroup(chosen, rows);
  const rng = new Rng(seed);
  const fresh = fm.forward.slots.filter((s) => s.fresh.length > 0);
  for (let r = 0; r < rows; r++) {
    fill?.(fm.theta, r);
    for (const slot of fresh) {
      fm.evaluate();
      const size = sizeOf(slot.shape);
      fm.draw(slot.variable, rng, fm.theta.subarray(slot.offset, slot.offset + size), slot.fresh.length === size ? undefined : slot.fresh);
    }
    fm.evaluate();
    for (const v of chosen) {
      if (v.kind === 'observed') fm.draw(v, rng, out.row(v.name, r));
      else out.row(v.name, r).set(fm.variableValue(v));
    }
  }
  return out;
}
