// Public exports of src/inference: the NUTS kernel, the sampler registry, warm-up adaptation, the sample() driver.
export { NUTS_DEFAULTS } from './hmc/settings.js';
export type { NutsOptions } from './hmc/settings.js';
export { buildNuts } from './hmc/nuts.js';
export type { HmcState, NutsInfo, NutsParams, NutsKernel, DivergenceInfo } from './hmc/nuts.js';
export { SAMPLERS, SAMPLER_NAMES, getSampler } from './samplers/registry.js';
export type { SamplerName } from './samplers/registry.js';
export type { Sampler, SamplerKernel, TransitionInfo, Adaptation } from './samplers/sampler.js';
export { nutsSampler, NUTS_STAT_NAMES } from './samplers/nuts.js';
export { hmcWindowAdaptation } from './samplers/hmcAdaptation.js';
export { diagMetric, denseMetric, unitMetric } from './hmc/metric.js';
export type { Metric } from './hmc/metric.js';
export { leapfrog } from './hmc/integrators.js';
export { noUTurn } from './hmc/termination.js';
export { ADAPTATION_DEFAULTS } from './adaptation/settings.js';
export type { AdaptationOptions } from './adaptation/settings.js';
export { windowSchedule } from './adaptation/schedule.js';
export type { Stage, ScheduleOptions } from './adaptation/schedule.js';
export { dualAveraging } from './adaptation/dualAveraging.js';
export type { DualAveragingState, DualAveragingOptions } from './adaptation/dualAveraging.js';
export { welfordVariance, welfordCovariance } from './adaptation/welford.js';
export { initStepSize } from './adaptation/initStepSize.js';
export { windowAdaptation } from './adaptation/windowAdaptation.js';
export type { AdaptedParams, WindowAdaptationOptions } from './adaptation/windowAdaptation.js';
export { sample } from '../workflow/sample.js';
export type { SampleOptions } from '../workflow/sample.js';
export { runChain } from './chain/chain.js';
export type { ChainJob, ChainResult, ChainSettings, ChainHooks } from './chain/chain.js';
/** NUTS's sample_stats names under their former name (samplers now declare their own: `Sampler.statNames`). */
export { NUTS_STAT_NAMES as SAMPLE_STAT_NAMES } from './samplers/nuts.js';
export { sequentialRunner } from '../workflow/runner.js';
export type { ChainRunner, RunningChains } from '../workflow/runner.js';
export type { SamplingPlatform } from '../workflow/platform.js';
export { progressView, progressLine, formatDuration } from './chain/progress.js';
export type { ChainProgress, ChainProgressView, ProgressSink } from './chain/progress.js';
export type { InitOption } from '../workflow/init.js';
export { NUTMEG_VERSION } from '../workflow/version.js';
// ADVI (owned by the ADVI helper).
export * from './vi/index.js';
