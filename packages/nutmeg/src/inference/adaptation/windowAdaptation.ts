// Stan's windowed warm-up: composes the schedule, dual averaging and Welford estimators around a kernel.
import type { LogDensity } from '../../core/types.js';
import type { Rng } from '../../core/rng.js';
import type { HmcState } from '../hmc/nuts.js';
import { denseMetric, diagMetric, type Metric } from '../hmc/metric.js';
import { ADAPTATION_DEFAULTS, type AdaptationOptions } from './settings.js';
import { windowSchedule, type Stage } from './schedule.js';
import { dualAveraging, type DualAveragingState } from './dualAveraging.js';
import { welfordCovariance, welfordVariance, type WelfordState } from './welford.js';
import { initStepSize } from './initStepSize.js';
import { exp } from '../../core/libm/index.js';

/** Step size and metric, as adaptation hands them to the kernel. */
export interface AdaptedParams {
  readonly stepSize: number;
  readonly metric: Metric;
}

/**
 * Everything {@link windowAdaptation} carries between iterations, as plain data (structured-cloneable):
 * with it a checkpoint restores the warm-up exactly where it stopped. Arrays are copies.
 */
export interface WindowAdaptationState {
  /** Warm-up iterations folded in so far. */
  readonly iteration: number;
  /** The schedule stage of the last iteration (an index into `stages`). */
  readonly stageIndex: number;
  /** The current (not averaged) step size. */
  readonly stepSize: number;
  readonly dualAveraging: DualAveragingState;
  /** The Welford estimator of the current slow window. */
  readonly welford: { readonly n: number; readonly mean: Float64Array; readonly m2: Float64Array };
  /** The current metric's inverse (diagonal, or d×d row-major for a dense metric). */
  readonly inverseMetric: Float64Array;
}

/** Options of {@link windowAdaptation}. */
export interface WindowAdaptationOptions extends AdaptationOptions {
  /** 'diag' (default) or 'dense' metric estimation. */
  metric?: 'diag' | 'dense';
  /** Starting metric (default: the identity). */
  initialMetric?: Metric;
}

/**
 * The warm-up driver. Observes the kernel only through what it needs of each transition: the
 * acceptance statistic, for the dual-averaging step size, and the new state (the draw, for the
 * Welford estimates; position, log density and gradient for the step-size heuristic). Any kernel
 * with a step size and a Euclidean metric can use it (NUTS, static HMC). Inside slow windows it
 * accumulates positions, and at each slow window's end it sets the metric to the regularised
 * (co)variance estimate, re-runs the step-size heuristic and restarts dual averaging at
 * log(10 ε). After warm-up, `final()` gives exp(x̄) and the last metric.
 *
 * @param logDensity - the target (for the step-size heuristic)
 * @param numWarmup - warm-up iterations
 * @param options - dual averaging constants, buffers, metric kind
 * @returns an object with `start`, `update` (call once per warm-up iteration, in order), `final`
 * @example
 * ```ts
 * const ld: LogDensity = { dim: 1, logDensityGrad: (x, g) => { g[0] = -x[0]; return -0.5 * x[0] * x[0]; } };
 * const kernel = buildNuts(ld);
 * const rng = new Rng(1);
 * let state = kernel.init(new Float64Array(1));
 * const adapt = windowAdaptation(ld, 1000);
 * let params = adapt.start(rng, state);
 * for (let i = 0; i < 1000; i++) {
 *   const [s, info] = kernel.step(rng, state, params); state = s;
 *   params = adapt.update(rng, state, info.acceptanceRate);
 * }
 * const tuned = adapt.final();
 * ```
 *
 * References: Stan Reference Manual, "Automatic parameter tuning"; stan-dev/stan
 * src/stan/mcmc/hmc/nuts/adapt_diag_e_nuts.hpp, windowed_adaptation.hpp.
 */
export function windowAdaptation(logDensity: LogDensity, numWarmup: number, options: WindowAdaptationOptions = {}) {
  const dim = logDensity.dim;
  const kind = options.metric ?? 'diag';
  const stages: Stage[] = windowSchedule(numWarmup, options);
  const da = dualAveraging(options);
  const estimator = kind === 'dense' ? welfordCovariance(dim) : welfordVariance(dim);
  let metric: Metric = options.initialMetric ?? (kind === 'dense' ? denseMetric(identity(dim), dim) : diagMetric(new Float64Array(dim).fill(1)));
  let daState: DualAveragingState = da.init(options.initialStepSize ?? ADAPTATION_DEFAULTS.initialStepSize);
  let welford: WelfordState = estimator.init();
  let stepSize = options.initialStepSize ?? ADAPTATION_DEFAULTS.initialStepSize;
  let iteration = 0;
  let stageIndex = 0;

  return {
    /** The schedule this adaptation follows. */
    stages,
    /** Initial step size by Stan's heuristic at the starting state; returns the first params. */
    start(rng: Rng, state: HmcState): AdaptedParams {
      stepSize = initStepSize(logDensity, metric, rng, state, stepSize);
      daState = da.init(stepSize);
      return { stepSize, metric };
    },
    /**
     * Folds in warm-up transition `iteration` (0-based), given the state it reached and its
     * acceptance statistic; returns the params for the next one.
     */
    update(rng: Rng, state: HmcState, acceptanceRate: number): AdaptedParams {
      daState = da.update(daState, acceptanceRate);
      stepSize = exp(daState.x);
      while (stageIndex < stages.length && iteration >= stages[stageIndex].end) stageIndex++;
      const stage = stages[stageIndex];
      if (stage !== undefined && stage.kind === 'slow') {
        estimator.update(welford, state.position);
        if (iteration === stage.end - 1) {
          const est = estimator.final(welford);
          metric = kind === 'dense' ? denseMetric(est, dim) : diagMetric(est);
          welford = estimator.init();
          stepSize = initStepSize(logDensity, metric, rng, state, stepSize);
          daState = da.init(stepSize);
        }
      }
      iteration++;
      return { stepSize, metric };
    },
    /** The tuned step size exp(x̄) and the last metric (before any update: the starting values). */
    final(): AdaptedParams {
      return { stepSize: daState.count > 0 ? da.final(daState) : stepSize, metric };
    },
    /** The adaptation's state as plain data (copies), for a checkpoint. */
    snapshot(): WindowAdaptationState {
      return {
        iteration,
        stageIndex,
        stepSize,
        dualAveraging: { ...daState },
        welford: { n: welford.n, mean: Float64Array.from(welford.mean), m2: Float64Array.from(welford.m2) },
        inverseMetric: Float64Array.from(metric.inverseMetric),
      };
    },
    /**
     * Continues from a {@link WindowAdaptationState} taken by `snapshot()` of an adaptation with the
     * same settings; the following updates are then bit-identical to the original's.
     */
    restore(saved: WindowAdaptationState): void {
      iteration = saved.iteration;
      stageIndex = saved.stageIndex;
      stepSize = saved.stepSize;
      daState = { ...saved.dualAveraging };
      welford = estimator.init();
      welford.n = saved.welford.n;
      welford.mean.set(saved.welford.mean);
      welford.m2.set(saved.welford.m2);
      const inv = Float64Array.from(saved.inverseMetric);
      metric = kind === 'dense' ? denseMetric(inv, dim) : diagMetric(inv);
    },
  };
}

function identity(d: number): Float64Array {
  const m = new Float64Array(d * d);
  for (let i = 0; i < d; i++) m[i * d + i] = 1;
  return m;
}
