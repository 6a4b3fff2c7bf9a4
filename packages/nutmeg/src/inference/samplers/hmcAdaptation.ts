// Stan's windowed warm-up (step size and Euclidean metric) configured from a chain's settings, for the HMC-family samplers.
import type { LogDensity } from '../../core/types.js';
import { denseMetric, diagMetric, type Metric } from '../hmc/metric.js';
import { windowAdaptation } from '../adaptation/windowAdaptation.js';
import type { ChainSettings } from './chainSettings.js';
import type { Adaptation } from './sampler.js';

/**
 * The window adaptation of a chain: `settings.tune` warm-up iterations toward
 * `settings.targetAccept`, estimating a `settings.metric` ('diag' or 'dense') metric, starting from
 * `settings.initialInverseMetric` and `settings.initialStepSize` when given (else the identity and 1).
 * With no warm-up, `final()` gives those starting values.
 *
 * @param logDensity - the target (for the step-size heuristic)
 * @param settings - the chain's settings
 * @returns the adaptation
 * @throws OptionError when the initial inverse metric is not positive (definite)
 */
export function hmcWindowAdaptation(logDensity: LogDensity, settings: ChainSettings): Adaptation {
  const initialMetric = initialMetricOf(settings, logDensity.dim);
  return windowAdaptation(logDensity, settings.tune, {
    targetAccept: settings.targetAccept,
    metric: settings.metric,
    ...(initialMetric !== undefined ? { initialMetric } : {}),
    ...(settings.initialStepSize !== undefined ? { initialStepSize: settings.initialStepSize } : {}),
  });
}

/** The starting metric from `settings.initialInverseMetric` (a diagonal is expanded for a dense metric). */
function initialMetricOf(settings: ChainSettings, d: number): Metric | undefined {
  const m = settings.initialInverseMetric;
  if (m === undefined) return undefined;
  if (settings.metric === 'dense') {
    if (m.length === d) {
      const full = new Float64Array(d * d);
      for (let i = 0; i < d; i++) full[i * d + i] = m[i];
      return denseMetric(full, d);
    }
    return denseMetric(Float64Array.from(m), d);
  }
  return diagMetric(Float64Array.from(m));
}
