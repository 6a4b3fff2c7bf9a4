// The static HMC entry of the sampler registry: fixed path length, Metropolis accept, the same windowed warm-up as NUTS.
import { buildStaticHmc, type StaticHmcInfo } from '../hmc/staticHmc.js';
import { STATIC_HMC_DEFAULTS } from '../hmc/settings.js';
import { hmcWindowAdaptation } from './hmcAdaptation.js';
import type { Sampler } from './sampler.js';

/**
 * Static HMC as the chain loop runs it: {@link buildStaticHmc} with the chain's `pathLength` and
 * `divergenceThreshold`, Stan's window adaptation (toward an acceptance of 0.65 unless told
 * otherwise), and per draw the statistics PyMC's HamiltonianMC reports under ArviZ's names
 * (`lp`, `acceptance_rate`, `step_size`, `n_steps`, `diverging`, `energy`, `energy_error`,
 * `accepted`).
 */
export const staticHmcSampler: Sampler<StaticHmcInfo> = {
  name: 'hmc',
  label: 'HMC',
  defaultTargetAccept: STATIC_HMC_DEFAULTS.targetAccept,
  statNames: ['lp', 'acceptance_rate', 'step_size', 'n_steps', 'diverging', 'energy', 'energy_error', 'accepted'],
  build(logDensity, settings) {
    return buildStaticHmc(logDensity, {
      divergenceThreshold: settings.divergenceThreshold,
      ...(settings.pathLength !== undefined ? { pathLength: settings.pathLength } : {}),
    });
  },
  adaptation: hmcWindowAdaptation,
  recordDraw(stats, i, state, info, params) {
    stats.lp[i] = state.logDensity;
    stats.acceptance_rate[i] = info.acceptanceRate;
    stats.step_size[i] = params.stepSize;
    stats.n_steps[i] = info.nSteps;
    stats.diverging[i] = info.diverging ? 1 : 0;
    stats.energy[i] = info.energy;
    stats.energy_error[i] = info.energyError;
    stats.accepted[i] = info.accepted ? 1 : 0;
  },
};
