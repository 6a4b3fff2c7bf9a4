// nutpie's warm-up: a diagonal metric estimated from the draws and their gradients, in overlapping windows, beside dual averaging.
import type { LogDensity } from '../../core/types.js';
import type { Rng } from '../../core/rng.js';
import type { HmcState } from '../hmc/nuts.js';
import { diagMetric, type Metric } from '../hmc/metric.js';
import { ADAPTATION_DEFAULTS, GRADIENT_ADAPTATION_DEFAULTS, type AdaptationOptions } from './settings.js';
import { dualAveraging, type DualAveragingState } from './dualAveraging.js';
import { welfordVariance, type WelfordState } from './welford.js';
import { initStepSize } from './initStepSize.js';
import type { AdaptedParams } from './windowAdaptation.js';
import { exp } from '../../core/libm/index.js';
import { VectorSlab } from '../hmc/vectorSlab.js';

/** Running moments of the draws and of their gradients over one window (plain data). */
export interface DrawGradMoments {
  readonly draws: WelfordState;
  readonly grads: WelfordState;
}

/**
 * Everything {@link gradientAdaptation} carries between iterations, as plain data
 * (structured-cloneable; arrays are copies): a checkpoint restores the warm-up exactly.
 */
export interface GradientAdaptationState {
  /** Warm-up iterations folded in so far. */
  readonly iteration: number;
  /** The current (not averaged) step size. */
  readonly stepSize: number;
  readonly dualAveraging: DualAveragingState;
  /** The window the metric is estimated from, and the younger one that replaces it at the next switch. */
  readonly foreground: DrawGradMoments;
  readonly background: DrawGradMoments;
  /** Length of the next main-phase window (grows at each switch). */
  readonly windowSize: number;
  /** The iteration of the last metric update. */
  readonly lastUpdate: number;
  /** True until the metric is first estimated from draws (the step size is searched afresh then). */
  readonly firstEstimatePending: boolean;
  /** The previous draw (a draw equal to it, a rejected transition, is not folded in). */
  readonly previous: Float64Array;
  /** The current diagonal inverse metric. */
  readonly inverseMetric: Float64Array;
}

/** Options of {@link gradientAdaptation}: dual averaging's, and the window fractions of nuts-rs. */
export interface GradientAdaptationOptions extends AdaptationOptions {
  /** Starting inverse metric (diagonal); default: 1/|∇ log p| at the starting point, as nuts-rs. */
  initialInverseMetric?: Float64Array;
  earlyWindow?: number;
  stepSizeWindow?: number;
  earlySwitchFreq?: number;
  switchFreq?: number;
  windowGrowth?: number;
}

/**
 * nutpie's warm-up (nuts-rs `GlobalStrategy` with its diagonal `DiagAdaptStrategy`), as a
 * `{start, update, final}` reducer over the chain's states, like {@link windowAdaptation}.
 *
 * The metric: for a Gaussian target N(μ, Σ) with diagonal Σ, Var(x_i) = Σ_ii and
 * Var(∂_i log p) = 1/Σ_ii, so √(Var(x_i) / Var(∂_i log p)) estimates Σ_ii from both sides at once;
 * for other targets it is the diagonal minimising the Fisher divergence between the target and a
 * Gaussian with that scale. The gradients come free with every draw, and the
 * estimate settles after far fewer draws than the variance alone: nutpie tunes for 300 draws.
 *
 * The schedule (fractions of `numWarmup`): the metric starts at 1/|∇ log p(x₀)|; every draw that
 * moved is folded into two estimators, a foreground one the metric is computed from after every
 * draw and a background one that replaces it when it holds a window's worth of draws (10 in the
 * first 30% of warm-up, then 80 growing by 1.5× per switch, never a switch whose next window would
 * not fit). In the last 15% the metric is fixed and only the step size adapts. Dual averaging runs
 * throughout toward `targetAccept`; the step size is searched afresh (Stan's heuristic) only when the
 * metric is first estimated from draws, and `final()` gives exp(x̄).
 *
 * Departures from nuts-rs, on purpose: the step-size search is Stan's (ours, {@link initStepSize});
 * dual averaging reads the kernel's acceptance statistic (Stan's) where nuts-rs switches to a
 * symmetric one late in warm-up; the step size is not jittered; a draw counts as having moved when
 * it differs from the previous draw (nuts-rs asks the tree whether the draw is its starting point).
 *
 * @param logDensity - the target (for the step-size heuristic)
 * @param numWarmup - warm-up iterations
 * @param options - dual averaging constants, window fractions, starting metric
 * @returns `start`, `update` (once per warm-up iteration, in order), `final`, `snapshot`, `restore`
 * @example
 * ```ts
 * const ld: LogDensity = { dim: 1, logDensityGrad: (x, g) => { g[0] = -x[0] / 4; return -x[0] * x[0] / 8; } };
 * const kernel = buildNuts(ld);
 * const rng = new Rng(1);
 * let state = kernel.init(new Float64Array([1]));
 * const adapt = gradientAdaptation(ld, 300);
 * let params = adapt.start(rng, state);
 * for (let i = 0; i < 300; i++) {
 *   const [s, info] = kernel.step(rng, state, params); state = s;
 *   params = adapt.update(rng, state, info.acceptanceRate);
 * }
 * adapt.final().metric.inverseMetric; // ≈ [4], the variance
 * ```
 *
 * References: pymc-devs/nuts-rs src/adapt_strategy.rs,
 * src/transform/adapt/diagonal.rs, src/math/cpu_math.rs (`array_update_var_inv_std_draw_grad`);
 * pymc-devs/nutpie (`tune=300`).
 */
export function gradientAdaptation(logDensity: LogDensity, numWarmup: number, options: GradientAdaptationOptions = {}) {
  const dim = logDensity.dim;
  const D = GRADIENT_ADAPTATION_DEFAULTS;
  const earlyEnd = Math.floor((options.earlyWindow ?? D.earlyWindow) * numWarmup);
  const finalWindowStart = numWarmup - Math.floor((options.stepSizeWindow ?? D.stepSizeWindow) * numWarmup);
  const earlySwitch = options.earlySwitchFreq ?? D.earlySwitchFreq;
  const growth = options.windowGrowth ?? D.windowGrowth;
  const da = dualAveraging(options);
  const welford = welfordVariance(dim);
  const fresh = (): DrawGradMoments => ({ draws: welford.init(), grads: welford.init() });

  let stepSize = options.initialStepSize ?? ADAPTATION_DEFAULTS.initialStepSize;
  let daState: DualAveragingState = da.init(stepSize);
  let metric: Metric = diagMetric(options.initialInverseMetric ? Float64Array.from(options.initialInverseMetric) : new Float64Array(dim).fill(1));
  let foreground = fresh();
  let background = fresh();
  let windowSize: number = options.switchFreq ?? D.switchFreq;
  let lastUpdate = 0;
  let firstEstimatePending = true;
  let iteration = 0;
  const previous = new Float64Array(dim);

  // The metrics handed out are fresh vectors, never written again (a metric is a value), carved
  // from shared blocks: a new Float64Array per warm-up draw cost ~1 µs and its garbage.
  const metricVectors = new VectorSlab(dim);

  /** Folds a draw and its gradient into both windows. */
  const fold = (state: HmcState): void => {
    welford.updateBoth(foreground.draws, background.draws, state.position);
    welford.updateBoth(foreground.grads, background.grads, state.grad);
  };

  /** Sets the metric to √(Var(x)/Var(∇)) from the foreground window; false when it has too few draws. */
  const estimate = (): boolean => {
    const n = foreground.draws.n;
    if (n < 3) return false;
    const inv = metricVectors.copyOf(metric.inverseMetric);
    const dm2 = foreground.draws.m2, gm2 = foreground.grads.m2;
    for (let i = 0; i < dim; i++) {
      const v = Math.sqrt(dm2[i] / gm2[i]); // the (n − 1) denominators cancel
      if (Number.isFinite(v) && v > 0) inv[i] = Math.min(D.maxInverseMetric, Math.max(D.minInverseMetric, v));
    }
    metric = diagMetric(inv);
    return true;
  };

  return {
    /**
     * Starts at `state`: the metric 1/|∇ log p| (unless given), the state folded into both
     * windows, and Stan's step-size search under that metric.
     */
    start(rng: Rng, state: HmcState): AdaptedParams {
      if (!options.initialInverseMetric) {
        const inv = new Float64Array(dim);
        for (let i = 0; i < dim; i++) {
          const v = 1 / Math.min(D.maxInverseMetric, Math.max(D.minInverseMetric, Math.abs(state.grad[i])));
          inv[i] = Number.isFinite(v) ? v : 1;
        }
        metric = diagMetric(inv);
      }
      fold(state);
      previous.set(state.position);
      stepSize = initStepSize(logDensity, metric, rng, state, stepSize);
      daState = da.init(stepSize);
      return { stepSize, metric };
    },
    /** Folds in warm-up transition `iteration` (0-based); returns the params for the next one. */
    update(rng: Rng, state: HmcState, acceptanceRate: number): AdaptedParams {
      const draw = iteration++;
      daState = da.update(daState, acceptanceRate);
      stepSize = exp(daState.x);
      if (draw >= finalWindowStart) return { stepSize, metric };
      const early = draw < earlyEnd;
      if (!early && draw === earlyEnd) windowSize = Math.max(windowSize, background.draws.n);
      let moved = false;
      for (let i = 0; i < dim && !moved; i++) moved = state.position[i] !== previous[i];
      previous.set(state.position);
      if (moved) fold(state);
      const switchAt = early ? earlySwitch : windowSize;
      const nextWindow = early ? earlySwitch : Math.max(windowSize + 1, Math.round(windowSize * growth));
      const late = nextWindow + draw > finalWindowStart;
      let switched = false;
      if (background.draws.n >= switchAt && !late) {
        foreground = background;
        background = fresh();
        switched = true;
        if (!early) windowSize = nextWindow;
      }
      const changed = (switched || draw - lastUpdate >= D.updateFreq) && estimate();
      if (changed) lastUpdate = draw;
      if (changed && firstEstimatePending) {
        firstEstimatePending = false;
        stepSize = initStepSize(logDensity, metric, rng, state, stepSize);
        daState = da.init(stepSize);
      }
      return { stepSize, metric };
    },
    /** The tuned step size exp(x̄) and the last metric (before any update: the starting values). */
    final(): AdaptedParams {
      return { stepSize: daState.count > 0 ? da.final(daState) : stepSize, metric };
    },
    /** The adaptation's state as plain data (copies), for a checkpoint. */
    snapshot(): GradientAdaptationState {
      return {
        iteration,
        stepSize,
        dualAveraging: { ...daState },
        foreground: copyMoments(foreground),
        background: copyMoments(background),
        windowSize,
        lastUpdate,
        firstEstimatePending,
        previous: Float64Array.from(previous),
        inverseMetric: Float64Array.from(metric.inverseMetric),
      };
    },
    /** Continues from a state `snapshot()` returned (same settings); later updates are bit-identical. */
    restore(saved: GradientAdaptationState): void {
      iteration = saved.iteration;
      stepSize = saved.stepSize;
      daState = { ...saved.dualAveraging };
      foreground = copyMoments(saved.foreground);
      background = copyMoments(saved.background);
      windowSize = saved.windowSize;
      lastUpdate = saved.lastUpdate;
      firstEstimatePending = saved.firstEstimatePending;
      previous.set(saved.previous);
      metric = diagMetric(Float64Array.from(saved.inverseMetric));
    },
  };
}

function copyMoments(m: DrawGradMoments): DrawGradMoments {
  const copy = (w: WelfordState): WelfordState => ({ n: w.n, mean: Float64Array.from(w.mean), m2: Float64Array.from(w.m2) });
  return { draws: copy(m.draws), grads: copy(m.grads) };
}
