// Times a compiled model's log density + gradient: the one timer every benchmark uses (grad, nuts, scale, many).
import type { CompiledModel } from 'nutmeg';

/** How a gradient is timed: warm-up, block length and rounds. */
export interface GradientTimingOptions {
  /** Evaluations run first to let the JIT tier up (stopped after `warmUpMs`); default 20,000. */
  readonly warmUpEvals?: number;
  /** Most milliseconds the warm-up may take; default 3,000. */
  readonly warmUpMs?: number;
  /** A timed block lasts at least this many milliseconds; default 1 (the baselines' method). */
  readonly blockMs?: number;
  /** Timed blocks; the fastest counts; default 5. */
  readonly rounds?: number;
}

/**
 * Nanoseconds per `logDensityGrad` call: min over `rounds` of the mean time of one block of
 * evaluations (the method of ../shared/baselines/limit), at a point near the initial one.
 *
 * @param cm - the compiled model
 * @param options - warm-up, block length and rounds
 * @returns nanoseconds per evaluation
 */
export function nsPerGradient(cm: CompiledModel, options: GradientTimingOptions = {}): number {
  const { warmUpEvals = 20000, warmUpMs = 3000, blockMs = 1, rounds = 5 } = options;
  const th = cm.initialPoint();
  for (let i = 0; i < th.length; i++) th[i] += 0.1 * Math.sin(1.3 * i);
  const g = new Float64Array(cm.dim);
  let sink = 0;
  const w0 = performance.now();
  for (let k = 0; k < warmUpEvals && performance.now() - w0 < warmUpMs; k++) sink += cm.logDensityGrad(th, g);
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let k = 0; k < reps; k++) sink += cm.logDensityGrad(th, g);
    if (performance.now() - t0 > blockMs) break;
    reps *= 2;
  }
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let k = 0; k < reps; k++) sink += cm.logDensityGrad(th, g);
    best = Math.min(best, ((performance.now() - t0) * 1e6) / reps);
  }
  if (sink === 42) console.error('');
  return best;
}
