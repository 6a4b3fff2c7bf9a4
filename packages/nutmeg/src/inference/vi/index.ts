// Public exports of src/inference/vi: ADVI (mean-field / full-rank), its approximation, PSIS k-hat, progress events.
export { fit } from '../../workflow/fit.js';
export { Approximation } from '../../workflow/approximation.js';
export type { ParetoDiagnostic, ApproximationSampleOptions } from '../../workflow/approximation.js';
export { runAdvi, AdviError } from './advi.js';
export type { AdviRun, AdviStart, AdviStop } from './advi.js';
export { ADVI_DEFAULTS, resolveAdviSettings } from './settings.js';
export type { AdviOptions, AdviSettings, AdviMethod } from './settings.js';
export { GaussianFamily } from './family.js';
export type { FamilyKind } from './family.js';
export { stanStepSequence, adamStep } from './optimizer.js';
export type { AscentStep, OptimizerKind } from './optimizer.js';
export { RelativeElboWindow, relativeParamChange } from './convergence.js';
export { formatAdviEvent } from './progress.js';
export type { AdviEvent, AdviStartEvent, AdviAdaptEvent, AdviIterationEvent, AdviEndEvent, AdviProgressCallback } from './progress.js';
