// Up-front estimates of what a run will hold in memory (refused above a stated limit) and how long it may take (warned about).
import { formatCount } from '../core/formatCount.js';
import { OptionError } from '../core/errors.js';
import type { CompiledModel } from '../compiler/compiledModel.js';
import { shapeSize } from '../posterior/inferenceData.js';

/**
 * The memory limit where the platform states none (a browser, a custom platform) and for `fit`
 * (which is synchronous and cannot ask the platform): 2 GiB. Arbitrary: below what a 64-bit
 * browser tab or a small container lets one process allocate, far above any ordinary run (the
 * radon model's 4 × 1000 draws hold about 12 MB). In Node, `sample` uses half the machine's
 * memory instead (platform/node). Override with the `memoryLimit` option.
 */
export const DEFAULT_MEMORY_LIMIT = 2 * 1024 ** 3;

/** Run time above which `sample` prints its estimate before starting (one hour; arbitrary). */
export const LONG_RUN_SECONDS = 3600;

/**
 * Gradient evaluations per NUTS iteration assumed by the time estimate: 8, a tree of depth 3, the
 * typical depth Stan reports on well-adapted posteriors of moderate dimension. A rough figure: hard
 * posteriors take up to 2^maxTreeDepth, easy ones 1–3.
 */
export const TYPICAL_GRADIENTS_PER_ITERATION = 8;

/** A memory estimate: the total, and how it was made (for the message). */
export interface MemoryEstimate {
  readonly bytes: number;
  /** e.g. '4 chains × 1000 draws × 13 numbers × 8 bytes'. */
  readonly formula: string;
}

/** Numbers kept per draw of `model`: constrained values of free and deterministic variables. */
function constrainedSize(model: CompiledModel): number {
  return model.variables.reduce((n, v) => n + shapeSize(v.shape), 0);
}

/**
 * Memory `sample` needs for its draws: each chain's unconstrained positions and statistics (held
 * twice at the end: in the chain's result and, from a worker, in its copy), the constrained
 * posterior and `sample_stats` of the InferenceData, and the `log_likelihood` group when asked for.
 * Warm-up (`tune`) iterations are not stored and cost no memory.
 *
 * @param model - the model's layout
 * @param run - chains, draws, sampler statistics per draw, whether the log-likelihood is added
 * @returns bytes and the formula
 */
export function sampleMemory(model: CompiledModel, run: { chains: number; draws: number; nStats: number; logLikelihood: boolean }): MemoryEstimate {
  const observations = run.logLikelihood ? model.observed.reduce((n, o) => n + shapeSize(o.shape), 0) : 0;
  const perDraw = 2 * (model.dim + run.nStats) + constrainedSize(model) + run.nStats + observations;
  return {
    bytes: run.chains * run.draws * perDraw * 8,
    formula: `${formatCount(run.chains)} chain${run.chains === 1 ? '' : 's'} × ${formatCount(run.draws)} draws × ${formatCount(perDraw)} numbers × 8 bytes`,
  };
}

/**
 * Memory ADVI (`fit`) needs: the ELBO history (one number per iteration), the optimiser's
 * parameters (mean and scale, or the full-rank factor, each kept about six times), and the draws of
 * its constrained summaries and Pareto-k diagnostic.
 *
 * @param model - the model's layout
 * @param s - the resolved ADVI settings that size it
 * @returns bytes and the formula
 */
export function adviMemory(model: CompiledModel, s: { method: string; n: number; psisDraws: number; summaryDraws: number }): MemoryEstimate {
  const d = model.dim;
  const params = s.method === 'fullrank_advi' ? d + (d * (d + 1)) / 2 : 2 * d;
  const draws = s.psisDraws * (d + 1) + s.summaryDraws * (d + constrainedSize(model));
  const numbers = s.n + 6 * params + draws;
  return {
    bytes: numbers * 8,
    formula: `(${formatCount(s.n)} iterations + 6 × ${formatCount(params)} variational parameters + ${formatCount(draws)} numbers of draws) × 8 bytes`,
  };
}

/**
 * The `memoryLimit` option: a number of bytes > 0 (Infinity turns the check off), or the default.
 *
 * @throws OptionError naming `memoryLimit`
 */
export function memoryLimitOption(value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !(value > 0)) throw new OptionError('memoryLimit', `must be a number of bytes > 0 (Infinity turns the check off), got ${String(value)}`);
  return value;
}

/**
 * Refuses a run whose estimate exceeds the limit, naming the option that sized it.
 *
 * @param option - the option to blame (e.g. 'draws', 'n')
 * @param estimate - the memory estimate
 * @param limit - the limit in bytes
 * @param limitSource - where the limit comes from (for the message)
 * @throws OptionError with the estimate, its formula and the limit
 */
export function enforceMemoryLimit(option: string, estimate: MemoryEstimate, limit: number, limitSource: string): void {
  if (estimate.bytes <= limit) return;
  throw new OptionError(
    option,
    `the run would need about ${formatBytes(estimate.bytes)} of memory (${estimate.formula}), more than the limit of ${formatBytes(limit)} (${limitSource}); ` +
      `ask for fewer draws or chains, or raise the limit with the memoryLimit option (bytes) if the machine has the memory`,
  );
}

/** Bytes in a readable unit (1024-based: KiB, MiB, GiB, TiB). */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${u === 0 ? v : v.toPrecision(3)} ${units[u]}`;
}

/** Seconds in a readable unit. */
export function formatDuration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 2 * 86400) return `${(seconds / 3600).toFixed(1)} h`;
  if (seconds < 2 * 365 * 86400) return `${(seconds / 86400).toFixed(1)} days`;
  return `${(seconds / (365 * 86400)).toPrecision(3)} years`;
}

/**
 * A rough run time: `iterations` per chain, `chains` chains on `workers` threads, each iteration
 * {@link TYPICAL_GRADIENTS_PER_ITERATION} gradients of `secondsPerGradient`.
 *
 * @returns seconds and the formula
 */
export function runTimeEstimate(run: { chains: number; workers: number; iterations: number; secondsPerGradient: number }): { seconds: number; formula: string } {
  const waves = Math.ceil(run.chains / Math.max(1, run.workers));
  const seconds = waves * run.iterations * TYPICAL_GRADIENTS_PER_ITERATION * run.secondsPerGradient;
  const us = run.secondsPerGradient * 1e6;
  return {
    seconds,
    formula: `${formatCount(run.chains)} chain${run.chains === 1 ? '' : 's'} on ${run.workers} thread${run.workers === 1 ? '' : 's'} × ${formatCount(run.iterations)} iterations (tune + draws) × ~${TYPICAL_GRADIENTS_PER_ITERATION} gradients of ${us < 10 ? us.toFixed(2) : us.toFixed(0)} µs`,
  };
}

/**
 * Most log-density evaluations `fit` starts: 10^10 (hours even for a tiny model at 1 µs per
 * gradient; PyMC's and Stan's defaults use about 10^4–10^5). `fit` runs synchronously and cannot be
 * stopped midway, so a run that size is a mistake (`elboSamples: 2 ** 53` would never return).
 */
export const MAX_ADVI_EVALUATIONS = 1e10;

/**
 * Refuses an ADVI fit that would evaluate the log density more than {@link MAX_ADVI_EVALUATIONS}
 * times: `n × gradSamples` for the steps, `elboSamples` per ELBO estimate (every `evalElbo` steps, at
 * the start and end, and two per step-size candidate), and the
 * step-size search (5 candidates × `adaptIterations` × `gradSamples` when `eta: 'adapt'`), naming
 * the option furthest above its default.
 *
 * @throws OptionError with the estimate and the limit
 */
export function enforceAdviWork(s: { n: number; gradSamples: number; elboSamples: number; evalElbo: number; adaptIterations: number; eta: number | 'adapt' }): void {
  const parts: [string, number][] = [
    ['n', s.n * s.gradSamples],
    // ELBO estimates: one per `evalElbo` steps, the initial one and the two at the end (the last
    // iterate's and the average's), and two per step-size candidate (5, Stan's adapt_eta grid).
    ['elboSamples', (Math.floor(s.n / s.evalElbo) + 3 + (s.eta === 'adapt' ? 2 * 5 : 0)) * s.elboSamples],
    ['adaptIterations', s.eta === 'adapt' ? 5 * s.adaptIterations * s.gradSamples : 0],
  ];
  const total = parts.reduce((sum, [, v]) => sum + v, 0);
  if (total <= MAX_ADVI_EVALUATIONS) return;
  // Blame the option furthest above its default (ADVI_DEFAULTS: n 10,000, gradSamples 1, elboSamples 100, adaptIterations 100).
  const ratios: [string, number][] = [
    ['n', s.n / 10000],
    ['gradSamples', s.gradSamples],
    ['elboSamples', s.elboSamples / 100],
    ['adaptIterations', s.eta === 'adapt' ? s.adaptIterations / 100 : 0],
  ];
  const [blamed] = ratios.reduce((a, b) => (b[1] > a[1] ? b : a));
  throw new OptionError(
    blamed,
    `the fit would evaluate the log density about ${total.toPrecision(3)} times (n × gradSamples = ${parts[0][1].toPrecision(3)}, ELBO checks ${parts[1][1].toPrecision(3)}, step-size search ${parts[2][1].toPrecision(3)}), more than the limit of ${MAX_ADVI_EVALUATIONS.toPrecision(1)}; fit cannot be stopped midway, so ask for less`,
  );
}
