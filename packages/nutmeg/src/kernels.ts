// nutmeg/kernels: the low-level samplers (as BlackJAX's low level) — pure kernels and reducers over a LogDensity, for users who compose their own loops.
import * as linalg from './math/linalg.js';

// ── NUTS: kernel, integrator, metric, U-turn criterion, defaults ────────────────────────────────
export { buildNuts } from './inference/hmc/nuts.js';
export type { HmcState, NutsInfo, NutsParams, NutsKernel, DivergenceInfo } from './inference/hmc/nuts.js';
export { NUTS_DEFAULTS } from './inference/hmc/settings.js';
export type { NutsOptions } from './inference/hmc/settings.js';
export { leapfrog, newPhasePoint } from './inference/hmc/integrators.js';
export type { PhasePoint } from './inference/hmc/integrators.js';
export { diagMetric, denseMetric, unitMetric } from './inference/hmc/metric.js';
export type { Metric } from './inference/hmc/metric.js';
export { noUTurn, noUTurnAcross } from './inference/hmc/termination.js';
export type { TrajectoryEnds } from './inference/hmc/termination.js';

// ── Static HMC and the sampler registry: what `sample({ sampler })` chooses from ──────────────
export { buildStaticHmc } from './inference/hmc/staticHmc.js';
export type { StaticHmcInfo, StaticHmcKernel } from './inference/hmc/staticHmc.js';
export { STATIC_HMC_DEFAULTS } from './inference/hmc/settings.js';
export type { StaticHmcOptions } from './inference/hmc/settings.js';
export { SAMPLERS, SAMPLER_NAMES, getSampler } from './inference/samplers/registry.js';
export type { Sampler, SamplerKernel, TransitionInfo, Adaptation } from './inference/samplers/sampler.js';
export { nutsSampler, NUTS_STAT_NAMES } from './inference/samplers/nuts.js';
export { staticHmcSampler } from './inference/samplers/staticHmc.js';
export { hmcWindowAdaptation } from './inference/samplers/hmcAdaptation.js';

// ── Warm-up adaptation: Stan's windows as data, nutpie's gradient-based estimate, dual averaging and Welford as reducers ─
export { ADAPTATION_DEFAULTS, GRADIENT_ADAPTATION_DEFAULTS } from './inference/adaptation/settings.js';
export type { AdaptationOptions } from './inference/adaptation/settings.js';
export { windowSchedule } from './inference/adaptation/schedule.js';
export type { Stage, ScheduleOptions } from './inference/adaptation/schedule.js';
export { dualAveraging } from './inference/adaptation/dualAveraging.js';
export type { DualAveragingState, DualAveragingOptions } from './inference/adaptation/dualAveraging.js';
export { welfordVariance, welfordCovariance } from './inference/adaptation/welford.js';
export type { WelfordState } from './inference/adaptation/welford.js';
export { initStepSize } from './inference/adaptation/initStepSize.js';
export { windowAdaptation } from './inference/adaptation/windowAdaptation.js';
export type { AdaptedParams, WindowAdaptationOptions, WindowAdaptationState } from './inference/adaptation/windowAdaptation.js';
export { gradientAdaptation } from './inference/adaptation/gradientAdaptation.js';
export type { GradientAdaptationOptions, GradientAdaptationState, DrawGradMoments } from './inference/adaptation/gradientAdaptation.js';
export type { ChainCheckpoint, ChainBlock, ChainResume, CheckpointSchedule, IterationRows } from './inference/chain/checkpoint.js';
export { finishedChainResult } from './workflow/checkpoint.js';

// ── One chain: warm-up then draws, with progress and cancellation hooks ────────────────────────
export { runChain } from './inference/chain/chain.js';
export type { ChainJob, ChainResult, ChainSettings, ChainHooks } from './inference/chain/chain.js';
export { sequentialRunner } from './workflow/runner.js';

// ── ADVI building blocks: the optimisation loop, Gaussian families, step sequences, convergence ─
export { runAdvi } from './inference/vi/advi.js';
export type { AdviRun, AdviStart, AdviStop } from './inference/vi/advi.js';
export { ADVI_DEFAULTS, resolveAdviSettings } from './inference/vi/settings.js';
export type { AdviSettings } from './inference/vi/settings.js';
export { GaussianFamily } from './inference/vi/family.js';
export type { FamilyKind } from './inference/vi/family.js';
export { stanStepSequence, adamStep } from './inference/vi/optimizer.js';
export type { AscentStep } from './inference/vi/optimizer.js';
export { RelativeElboWindow, relativeParamChange } from './inference/vi/convergence.js';

// ── Pareto smoothing: the generalised Pareto fit behind k-hat ───────────────────────────────────
export { gpdFit, gpdQuantile, psisTailLength, paretoKThreshold } from './diagnostics/psis.js';
export type { GpdFit } from './diagnostics/psis.js';

// ── Dense linear algebra on row-major Float64Arrays (cholesky, solves, matVec, …) ──────────────
/** Small dense linear algebra on row-major `Float64Array`s: `linalg.cholesky`, `linalg.solveLower`, `linalg.matVec`, … */
export { linalg };

// ── A model's plain-data spec compiled again (what a worker thread does with `CompiledModel.spec`) ─
export { compileModelSpec } from './compiler/compile.js';
export type { CompileOptions } from './compiler/context.js';

// ── Errors as plain data and back, for your own worker pools (class, message, stack and fields survive postMessage) ─
export { serializeError, deserializeError } from './core/errorTransfer.js';
export type { SerializedError } from './core/errorTransfer.js';
