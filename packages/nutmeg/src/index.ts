// nutmeg's public API, named one by one: build a model, sample or fit it, read, check, save and plot the results.
// Low-level samplers are in `nutmeg/kernels`, Node.js adapters in `nutmeg/node`; everything else is internal.
import * as math from './model/math.js';
import * as special from './math/special.js';
import * as random from './math/random.js';

// ── Model building ────────────────────────────────────────────────────────────────────────────
export { Model, MAX_VARIABLE_SIZE } from './model/model.js';
export type { RvOptions, NamedOptions, DataOptions } from './model/model.js';
export { Tensor } from './graph/tensor.js';
export type { TensorLike } from './graph/tensor.js';
export { logp } from './model/logp.js';
/** Tensor functions for models (as `pm.math`): `math.exp`, `math.log`, `math.sum`, `math.dot`, `math.matvec`, `math.invlogit`, … */
export { math };

// Distributions, with PyMC's names and parameters.
export {
  Normal,
  HalfNormal,
  HalfCauchy,
  Cauchy,
  StudentT,
  Uniform,
  Exponential,
  Gamma,
  InverseGamma,
  Beta,
  LogNormal,
  Laplace,
  Weibull,
  Flat,
  HalfFlat,
  Bernoulli,
  Binomial,
  Poisson,
  NegativeBinomial,
  MvNormal,
  Dirichlet,
  LKJCholeskyCorr,
} from './distributions/factories.js';
export type { DistributionSpec, DistributionParams } from './distributions/factories.js';

// The model as plain data (`Model.spec`, `CompiledModel.spec`): what crosses to worker threads and fit jobs.
export type { ModelSpec, GraphNode, TermSpec, VariableSpec } from './graph/graph.js';

// Compiled models and hand-written log densities.
export type { LogDensity, Shape, NamedArrays } from './core/types.js';
export type { CompiledModel, VariableInfo, ObservedInfo } from './compiler/compiledModel.js';
export type { CompileOptions } from './compiler/context.js';
export { constrainRowsByRecord } from './compiler/compiledModel.js';

// ── Formulas: brms-style formulas over a data table → an ordinary Model ─────────────────────────
export { formulaModel, formatPriorSummary, FAMILIES, parseFormula, FormulaSyntaxError, designFromFormula, brmsName, compareCodePoints } from './formula/index.js';
export type { FormulaModel, FormulaModelOptions, FamilyName, PriorRow, FormulaDesign, DesignOptions, DataTable, Cell } from './formula/index.js';
export { parsePrior, priorsFromStrings, PriorSyntaxError } from './formula/index.js';
export type { ParsedPrior } from './formula/index.js';

// ── Inference ─────────────────────────────────────────────────────────────────────────────────
export { sample } from './workflow/sample.js';
export type { SampleOptions } from './workflow/sample.js';
export type { InitOption } from './workflow/init.js';
export type { ChainProgress, ProgressSink } from './inference/chain/progress.js';
export type { SamplingPlatform } from './workflow/platform.js';
export type { ChainRunner, RunningChains, RunOptions } from './workflow/runner.js';
export { failedChainResult } from './workflow/runner.js';
export type { ChainFailure } from './inference/chain/chain.js';
export { CHECKPOINT_DEFAULTS } from './workflow/checkpoint.js';
export type { CheckpointOptions, CheckpointStore, CheckpointRun } from './workflow/checkpoint.js';
export { SEED_LIMIT } from './core/optionChecks.js';
export { DEFAULT_MEMORY_LIMIT } from './workflow/resourceLimits.js';
export { fit } from './workflow/fit.js';
export type { FitOptions } from './workflow/fit.js';
export { Approximation } from './workflow/approximation.js';
export type { ParetoDiagnostic, ApproximationSampleOptions } from './workflow/approximation.js';
export type { AdviOptions, AdviMethod } from './inference/vi/settings.js';
export type { OptimizerKind } from './inference/vi/optimizer.js';
export type { AdviEvent, AdviStartEvent, AdviAdaptEvent, AdviIterationEvent, AdviEndEvent, AdviProgressCallback } from './inference/vi/progress.js';
export type { SamplerName } from './inference/samplers/registry.js';
// Many independent fits (one model per group, simulation studies): plain-data jobs, seeds by Rng.split, any executor.
export { mapFits, fitSeed } from './workflow/mapFits.js';
export type { MapFitsOptions, FitOutcome, FitsProgress } from './workflow/mapFits.js';
export type { FitJob, FitTask, NutsJobOptions, AdviJobOptions } from './workflow/fitJob.js';
export { stackFits } from './workflow/stackFits.js';
export type { StackFitsOptions } from './workflow/stackFits.js';
export { FitError } from './workflow/fitError.js';
// The executor contract, for running fit tasks elsewhere (the Node worker-thread executor is in nutmeg/node).
export { inThreadExecutor } from './workflow/fitExecutor.js';
export { runFitTask } from './workflow/fitJob.js';
export type { FitExecutor, FitExecutorHooks, FitTaskResult } from './workflow/fitExecutor.js';
export { NUTMEG_VERSION } from './workflow/version.js';

// ── After sampling: predictive checks, log-likelihood, prediction for new data ──────────────────
export { samplePriorPredictive, samplePosteriorPredictive, computeLogLikelihood, predict } from './predictive/index.js';
export type { PriorPredictiveOptions, PosteriorPredictiveOptions, LogLikelihoodOptions, PredictOptions, NewDataValue, HasModelSpec } from './predictive/index.js';

// ── Results ───────────────────────────────────────────────────────────────────────────────────
export type { InferenceData, Group, GroupName, VariableArray, CoordValues } from './posterior/inferenceData.js';
export { elementDraws, elementLabel, shapeSize } from './posterior/inferenceData.js';
export { pooledDraws } from './plots/fromInferenceData.js';

// ── Diagnostics ───────────────────────────────────────────────────────────────────────────────
export type { Draws } from './diagnostics/draws.js';
export { rhat, rhatBasic } from './diagnostics/rhat.js';
export { essBulk, essTail, essBasic, essMean, essSd, essQuantile, essMedian } from './diagnostics/ess.js';
export type { SplitOptions } from './diagnostics/ess.js';
export { mcseMean, mcseSd, mcseQuantile, mcseMedian } from './diagnostics/mcse.js';
export { hdi } from './diagnostics/hdi.js';
export { ebfmi } from './diagnostics/ebfmi.js';
export { paretoKHat } from './diagnostics/psis.js';
export type { ParetoKHat } from './diagnostics/psis.js';
export { summary, formatSummaryTable, summaryToJson, summaryToCsv } from './posterior/summary.js';
export type { SummaryOptions, SummaryRow, SummaryStatistic } from './posterior/summary.js';
export { samplingWarnings, formatWarnings, WARNING_THRESHOLDS } from './posterior/warnings.js';
export type { SamplingWarning, SamplingWarningOptions, WarningCode } from './posterior/warnings.js';
// Model comparison: PSIS-LOO, WAIC and loo_compare as R's loo package computes them.
export { loo, waic, looCompare, relativeEff, paretoKTable, formatLoo, formatWaic, formatLooCompare, formatParetoKTable, PARETO_K_BREAKS } from './posterior/loo/index.js';
export type { LooResult, LooOptions, LooPointwise, WaicResult, WaicPointwise, LooCompareRow, LooComparable, ParetoKBin, Estimate, LogLikInput, LogLikOptions } from './posterior/loo/index.js';
export { looPit } from './posterior/loo/index.js';
export type { LooPitInput } from './posterior/loo/index.js';
export { psis } from './diagnostics/psis.js';
export type { PsisOptions, PsisResult } from './diagnostics/psis.js';

// ── Saving and loading ────────────────────────────────────────────────────────────────────────
export { toArvizJson, arvizJsonChunks, fromArvizJson, looksLikeArvizJson } from './io/arvizJson.js';
export { toStanCsv, stanCsvChunks, fromStanCsv, fromStanCsvChains } from './io/stanCsv.js';
export type { ChunkOptions } from './io/textChunks.js';
export { StanCsvChainReader, readStanCsvChain } from './io/stanCsvChain.js';
export type { StanCsvChain } from './io/stanCsvChain.js';
export type { StanCsvHeader, StanSampleConfig, StanMethod } from './io/stanCsvHeader.js';
export { toDrawsJson, fromDrawsJson } from './io/drawsJson.js';
export { parseJsonText } from './io/nestedArrays.js';

// ── Plots: pure functions to Vega-Lite specs (ArviZ's names), and SVG rendering ────────────────
export type { VegaLiteSpec } from './plots/spec.js';
export { PALETTE, VEGA_LITE_SCHEMA } from './plots/spec.js';
export { plotTrace } from './plots/trace.js';
export type { TraceVariable, TraceElement, TracePlotOptions } from './plots/trace.js';
export { plotForest } from './plots/forest.js';
export type { ForestRow, ForestPlotOptions } from './plots/forest.js';
export { plotPpc } from './plots/ppc.js';
export type { PpcPlotOptions } from './plots/ppc.js';
export { plotLooPit } from './plots/looPit.js';
export type { LooPitPlotOptions } from './plots/looPit.js';
export { plotParetoK } from './plots/paretoK.js';
export type { ParetoKPlotOptions } from './plots/paretoK.js';
export { plotCompare } from './plots/compare.js';
export type { ComparePlotOptions } from './plots/compare.js';
export { plotElbo } from './plots/elbo.js';
export type { ElboPlotOptions } from './plots/elbo.js';
export { plotShrinkage } from './plots/shrinkage.js';
export type { ShrinkageRow, ShrinkagePlotOptions, XY } from './plots/shrinkage.js';
export { plotRegression } from './plots/regression.js';
export type { RegressionPanel, PanelFit, LineDraws, RegressionPlotOptions } from './plots/regression.js';
export { plotMarginals } from './plots/marginals.js';
export type { MarginalComparison, ApproxMarginal, MarginalsOptions } from './plots/marginals.js';
export { traceVariables, forestRows, summaryRowTraces } from './plots/fromInferenceData.js';
export { PLOT_LIMITS, selectSummaryRows, omittedNote } from './plots/panelSelection.js';
export type { SummaryRowSelection, OmittedNoteOptions } from './plots/panelSelection.js';
export { kde } from './plots/kde.js';
export type { KdeOptions, KdeResult, BandwidthRule } from './plots/kde.js';
export { renderSvg } from './plots/render.js';
export type { RenderSvgOptions } from './plots/render.js';

// ── Report: a self-contained HTML page of sections, tables and figures ──────────────────────────
export { renderReport, inlineSvg } from './report/html.js';
export type { ReportInput, ReportSection, ReportFigure, ReportTable, ReportBlock, ReportCell } from './report/html.js';

// ── Errors ────────────────────────────────────────────────────────────────────────────────────
export { ModelError, OptionError, InputError, DomainError, isRecoverable } from './core/errors.js';
export { AdviError } from './inference/vi/advi.js';

// ── Randomness and special functions ──────────────────────────────────────────────────────────
export { Rng } from './core/rng.js';
export type { RngState } from './core/rng.js';
/** Random variates on numbers, from an {@link Rng}: `random.normal(rng, mu, sigma)`, `random.poisson(rng, mu)`, … (for simulated data). */
export { random };
/** Special functions on numbers (as `scipy.special`): `special.lgamma`, `special.logsumexp`, `special.expit`, `special.erf`, … */
export { special };
