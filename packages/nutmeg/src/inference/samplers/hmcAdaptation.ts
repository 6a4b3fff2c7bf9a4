// The warm-up of the HMC-family samplers configured from a chain's settings: Stan's windowed adaptation, or nutpie's gradient-based one.
import type { LogDensity } from '../../core/types.js';
import { denseMetric, diagMetric, type Metric } from '../hmc/metric.js';
import { windowAdaptation } from '../adaptation/windowAdaptation.js';
import { gradientAdaptation } from '../adaptation/gradientAdaptation.js';
import { OptionError } from '../../core/errors.js';
import type { ChainSettings } from './chainSettings.js';
import type { Adaptation } from './sampler.js';

/**
 * The warm-up adaptation of a chain: with `settings.adaptation` 'nutpie', nutpie's
 * {@link gradientAdaptation} (diagonal metric only); otherwise Stan's window adaptation: `settings.tune` warm-up iterations toward
 * `settings.targetAccept`, estimating a `settings.metric` ('diag' or 'dense') metric, starting from
 * `settings.initialInverseMetric` and `settings.initialStepSize` when given (else the identity and 1).
 * With no warm-up, `final()` gives those starting values.
 *
 * @param logDensity - the target (for the step-size heuristic)
 * @param settings - the chain's settings
 * @returns the adaptation
 * @throws OptionError when the initial inverse metric is not positive (definite), or for
 *   `adaptation: 'nutpie'` with a dense metric
 */
export function hmcWindowAdaptation(logDensity: LogDensity, settings: ChainSettings): Adaptation {
  if (settings.adaptation === 'nutpie') {
    if (settings.metric === 'dense') throw new OptionError('adaptation', "'nutpie' adapts a diagonal metric only: use metric 'diag' or adaptation 'stan'");
    const m = settings.initialInverseMetric;
    return gradientAdaptation(logDensity, settings.tune, {
      targetAccept: settings.targetAccept,
      ...(m !== undefined ? { initialInverseMetric: m } : {}),
      ...(settings.initialStepSize !== undefined ? { initialStepSize: settings.initialStepSize } : {}),
    });
  }
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
