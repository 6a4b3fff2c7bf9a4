// Stan's warm-up window schedule as plain data: fast buffer, doubling slow windows, final fast buffer.
import { ADAPTATION_DEFAULTS } from './settings.js';

/**
 * One stage of warm-up, iterations `[start, end)`. In a `fast` stage only the step size adapts; at
 * the end of each `slow` stage the metric is re-estimated from the stage's draws and the step size
 * search restarts.
 */
export interface Stage {
  readonly kind: 'fast' | 'slow';
  readonly start: number;
  readonly end: number;
}

/** Buffer sizes of the schedule (defaults Stan's 75 / 50 / 25). */
export interface ScheduleOptions {
  initBuffer?: number;
  termBuffer?: number;
  baseWindow?: number;
}

/**
 * Stan's windowed adaptation schedule for `numWarmup` iterations.
 *
 * An initial fast buffer (75), slow windows of 25, 50, 100, … (each doubled, the last one stretched
 * to the final buffer when the next would not fit), and a final fast buffer (50). When the three
 * stages do not fit, Stan scales them to 15% / 75% / 10% of the warm-up; below 20 iterations no
 * metric is adapted (a single fast stage). Stan's C++ omits `restart()` after scaling, which leaves
 * its window counter at its constructor values; we apply the scaled windows as its log message
 * describes them.
 *
 * @param numWarmup - warm-up iterations
 * @param options - buffer sizes
 * @returns the stages in order, covering [0, numWarmup)
 * @example
 * ```ts
 * windowSchedule(1000).map((s) => [s.start, s.end]);
 * // [[0,75],[75,100],[100,150],[150,250],[250,450],[450,950],[950,1000]]
 * ```
 *
 * References: Stan Reference Manual, "HMC algorithm parameters / Automatic parameter tuning";
 * stan-dev/stan src/stan/mcmc/windowed_adaptation.hpp.
 */
export function windowSchedule(numWarmup: number, options: ScheduleOptions = {}): Stage[] {
  if (numWarmup <= 0) return [];
  if (numWarmup < ADAPTATION_DEFAULTS.minWarmupForMetric) return [{ kind: 'fast', start: 0, end: numWarmup }];
  let init = options.initBuffer ?? ADAPTATION_DEFAULTS.initBuffer;
  let term = options.termBuffer ?? ADAPTATION_DEFAULTS.termBuffer;
  let base = options.baseWindow ?? ADAPTATION_DEFAULTS.baseWindow;
  if (init + base + term > numWarmup) {
    init = Math.floor(0.15 * numWarmup);
    term = Math.floor(0.1 * numWarmup);
    base = numWarmup - (init + term);
  }
  const stages: Stage[] = [];
  if (init > 0) stages.push({ kind: 'fast', start: 0, end: init });
  const lastSlowEnd = numWarmup - term; // exclusive
  // Mirror windowed_adaptation::compute_next_window on inclusive window ends.
  let size = base;
  let start = init;
  let nextEnd = init + size - 1;
  for (;;) {
    stages.push({ kind: 'slow', start, end: nextEnd + 1 });
    if (nextEnd === lastSlowEnd - 1) break;
    start = nextEnd + 1;
    const counter = nextEnd;
    size *= 2;
    nextEnd = counter + size;
    if (nextEnd !== lastSlowEnd - 1 && nextEnd + 2 * size >= lastSlowEnd) nextEnd = lastSlowEnd - 1;
    if (nextEnd > lastSlowEnd - 1) nextEnd = lastSlowEnd - 1;
  }
  if (term > 0) stages.push({ kind: 'fast', start: lastSlowEnd, end: numWarmup });
  return stages;
}
