// The radon case study end to end: fit the models, compute LOO and predictions, summaries and RMSDs, write figures, report.html and summary.json.
import { access, mkdir, stat, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { OptionError, renderSvg, samplingWarnings, type InferenceData, type LooResult, type Model, type SamplingWarning, type FitExecutor } from 'nutmeg';
import { svgToPng } from 'nutmeg/node';
import { loadRadon, RADON_CSV, type RadonData } from './data.js';
import { hierarchicalCentered, hierarchicalNonCentered, pooled, type Priors } from './models.js';
import { fitAdvi, fitModel, type FitSettings, type Method, type ModelFit } from './fit.js';
import { fitUnpooled, type UnpooledFit } from './unpooled.js';
import { parameterStats, rmsdOf, type ParameterStats, type RmsdResult } from './analysis.js';
import { planFigures } from './figurePlan.js';
import { buildDigest } from './digest.js';
import { buildReport } from './report.js';
import { runWorkflow, type WorkflowResults } from './workflow.js';
import { namedFitsLine } from '../fitsWarnings.js';

/** The models of the case study. */
export const MODEL_NAMES = ['pooled', 'unpooled', 'hierarchical', 'hierarchical_noncentered'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

/** Options of {@link runRadon} (the CLI's flags). */
export interface RadonOptions {
  readonly models: readonly ModelName[];
  readonly priors: Priors;
  readonly method: Method;
  readonly chains: number;
  readonly draws: number;
  readonly tune: number;
  readonly seed: number;
  /** Output folder (created if needed). */
  readonly out: string;
  /** The radon CSV (default: the one shipped with nutmeg). */
  readonly csv?: string;
  /** Threads of the unpooled fits (default 2 on a machine with 2 or more cores). */
  readonly threads?: number;
  /** Run the unpooled fits on this executor instead (e.g. a Redis queue), described by `where`. */
  readonly executor?: { readonly executor: FitExecutor; readonly where: string };
  /** Progress messages while running. */
  readonly onProgress?: (e: RadonProgress) => void;
}

/** A progress event: a stage starting or advancing. */
export interface RadonProgress {
  readonly stage: string;
  readonly message: string;
  readonly done?: number;
  readonly total?: number;
  /** Seconds since the run started. */
  readonly elapsed: number;
}

/** The sampler record of a model in summary.json. */
export interface SamplerRecord {
  readonly method: string;
  readonly chains: number;
  readonly draws: number;
  readonly tune: number;
  readonly divergences: number;
  readonly sampling_s: number;
  readonly grad_evals: number;
}

/**
 * PSIS-LOO of a model in summary.json (`loo`): the keys of `nutmeg loo --json`, the number of
 * homes with Pareto k > 0.7, and the model's row of the comparison (elpd_diff and se_diff to the
 * best of pooled, hierarchical and non-centered; null when fewer than two were fitted).
 */
export interface LooSummary {
  readonly elpd_loo: number;
  readonly se_elpd_loo: number;
  readonly p_loo: number;
  readonly se_p_loo: number;
  readonly looic: number;
  readonly se_looic: number;
  readonly pareto_k_above_0_7: number;
  readonly elpd_diff: number | null;
  readonly se_diff: number | null;
}

/** One model in summary.json. */
export interface ModelSummary {
  readonly parameters: Record<string, ParameterStats>;
  readonly rmsd: number | null;
  readonly rmsd_loo: number | null;
  /** PSIS-LOO (pooled and hierarchical models; null for unpooled and ADVI). */
  readonly loo: LooSummary | null;
  readonly sampler: SamplerRecord;
  readonly warnings: string[];
}

/** A fitted model of the run, as the report sees it. */
export interface FittedModel {
  /** Key in summary.json (`hierarchical`, `hierarchical_flat`, `advi`, …). */
  readonly key: string;
  readonly kind: ModelName | 'advi';
  readonly idata: InferenceData;
  readonly sampler: SamplerRecord;
  readonly warnings: string[];
  /** Structured NUTS warnings (with advice), when NUTS ran. */
  readonly detailed: SamplingWarning[];
  readonly rmsd?: RmsdResult;
  /** az.summary of every parameter (0-based labels), computed once. */
  readonly stats?: Record<string, ParameterStats>;
  readonly fit?: ModelFit;
  readonly unpooled?: UnpooledFit;
  /** The model the draws came from (pooled and hierarchical fits): for log-likelihood, predictive draws and predict. */
  readonly model?: Model;
  /** PSIS-LOO of the model, when computed. */
  readonly loo?: LooResult;
}

/** A figure written to the output folder. */
export interface FigureOut {
  readonly name: string;
  readonly title: string;
  readonly caption: string;
  readonly svg: string;
  readonly section: 'diagnostics' | 'traces' | 'comparison' | 'prediction' | 'loo' | 'newdata' | 'advi';
}

/** What {@link runRadon} produced. */
export interface RadonResult {
  readonly summary: Record<string, ModelSummary>;
  readonly models: readonly FittedModel[];
  readonly figures: readonly FigureOut[];
  readonly reportPath: string;
  readonly summaryPath: string;
  readonly digest: string;
  /** LOO, its comparison, the posterior predictive check and the new-house predictions. */
  readonly workflow: WorkflowResults;
  /** Seconds per stage, and `total`. */
  readonly timings: Record<string, number>;
}

/**
 * Checks that `dir` can be created and written to.
 *
 * @throws OptionError naming `--out` when it cannot
 */
export async function checkOutputDir(dir: string): Promise<void> {
  // Created level by level, not with mkdir's `recursive` (which never returns under /proc on Linux).
  const missing: string[] = [];
  let p = resolve(dir);
  for (;;) {
    try {
      const s = await stat(p);
      if (!s.isDirectory()) throw new OptionError('--out', `cannot write to '${dir}': '${p}' is not a folder`);
      break;
    } catch (e) {
      if (e instanceof OptionError) throw e;
      const parent = dirname(p);
      if (parent === p) break;
      missing.unshift(p);
      p = parent;
    }
  }
  try {
    await access(p, constants.W_OK);
    for (const m of missing) await mkdir(m);
    await access(dir, constants.W_OK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EACCES' || code === 'EPERM' || code === 'EROFS' ? 'permission denied' : code === 'ENOENT' ? 'cannot create the folder' : (e as Error).message;
    throw new OptionError('--out', `cannot write to '${dir}': ${why}`);
  }
}

const r4 = (x: number): number => Number(x.toFixed(4));

function samplerOf(f: ModelFit): SamplerRecord {
  return { method: f.method, chains: f.chains, draws: f.draws, tune: f.tune, divergences: f.divergences, sampling_s: r4(f.seconds), grad_evals: f.gradEvals };
}

/** The clock of one run: seconds elapsed, progress events and the seconds each stage took. */
interface RunClock {
  readonly elapsed: () => number;
  readonly progress: (stage: string, message: string, done?: number, total?: number) => void;
  /** Runs `f`, recording its seconds under `name`. */
  readonly timed: <T>(name: string, f: () => Promise<T> | T) => Promise<T>;
  /** Seconds per stage, in the order the stages ran. */
  readonly timings: Record<string, number>;
}

function startClock(onProgress: RadonOptions['onProgress']): RunClock {
  const t0 = performance.now();
  const elapsed = (): number => (performance.now() - t0) / 1000;
  const timings: Record<string, number> = {};
  return {
    elapsed,
    timings,
    progress: (stage, message, done, total) => onProgress?.({ stage, message, elapsed: elapsed(), ...(done !== undefined ? { done, total } : {}) }),
    timed: async (name, f) => {
      const s = performance.now();
      const r = await f();
      timings[name] = r4((performance.now() - s) / 1000);
      return r;
    },
  };
}

/** What every stage of a run reads: the options, the data and the clock. */
interface RunContext {
  readonly o: RadonOptions;
  readonly d: RadonData;
  readonly clock: RunClock;
}

const fitSettings = (o: RadonOptions): FitSettings => ({ method: o.method, chains: o.chains, draws: o.draws, tune: o.tune, seed: o.seed });

/** sample() keeps its ranked warnings (with advice) in attrs.warning_details; computed here only if missing. */
function nutsWarnings(f: ModelFit): SamplingWarning[] {
  if (f.method === 'advi') return [];
  const kept = f.idata.attrs.warning_details;
  const all = Array.isArray(kept) ? (kept as SamplingWarning[]) : samplingWarnings(f.idata, { targetAccept: f.targetAccept, maxTreeDepth: f.maxTreeDepth });
  return all.filter((w) => w.severity !== 'info');
}

/** One warning naming the county fits that diverged (the five worst), or none. */
function unpooledWarnings(d: RadonData, u: UnpooledFit): string[] {
  const withDiv = u.fits.filter((f) => f.divergences > 0);
  if (withDiv.length === 0) return [];
  const what = `had divergent transitions (${u.divergences} in all), mostly counties with few homes, where eps and the coefficients are barely identified`;
  return [namedFitsLine(withDiv.map((f) => ({ name: d.counties[f.county], count: f.divergences })), d.counties.length, 'county fits', what)];
}

/** Fits the 85 counties separately (stage `unpooled`). */
async function fitUnpooledStage({ o, d, clock }: RunContext): Promise<FittedModel> {
  const K = d.counties.length;
  let done = 0;
  clock.progress('unpooled', `unpooled: fitting ${K} counties separately (${o.method})`, 0, K);
  const u = await clock.timed('unpooled', () =>
    fitUnpooled(d, fitSettings(o), {
      ...(o.threads !== undefined ? { threads: o.threads } : {}),
      ...(o.executor ? { executor: o.executor } : {}),
      onDone: () => clock.progress('unpooled', 'unpooled', ++done, K),
    }),
  );
  return {
    key: 'unpooled',
    kind: 'unpooled',
    idata: u.idata,
    sampler: { method: o.method, chains: o.method === 'advi' ? 1 : o.chains, draws: u.idata.nDraws, tune: o.method === 'advi' ? 0 : o.tune, divergences: u.divergences, sampling_s: r4(u.seconds), grad_evals: u.gradEvals },
    warnings: unpooledWarnings(d, u),
    detailed: [],
    unpooled: u,
  };
}

/** Fits the chosen ones of the pooled and the two hierarchical models, one stage each (named by the model's key). */
async function fitJointModels({ o, d, clock }: RunContext): Promise<FittedModel[]> {
  const suffix = o.priors === 'flat' ? '_flat' : '';
  const builders: [ModelName, string, () => Model][] = [
    ['pooled', 'pooled', () => pooled(d)],
    ['hierarchical', `hierarchical${suffix}`, () => hierarchicalCentered(d, o.priors)],
    ['hierarchical_noncentered', `hierarchical_noncentered${suffix}`, () => hierarchicalNonCentered(d, o.priors)],
  ];
  const fitted: FittedModel[] = [];
  for (const [kind, key, build] of builders) {
    if (!o.models.includes(kind)) continue;
    clock.progress(key, `${key}: ${o.method === 'advi' ? 'fitting ADVI' : `sampling ${o.chains} chains × (${o.tune} + ${o.draws})`}`);
    const model = build();
    const f = await clock.timed(key, () => fitModel(model.compile(), fitSettings(o), {}, (done, total) => clock.progress(key, key, done, total)));
    const detailed = nutsWarnings(f);
    fitted.push({ key, kind, idata: f.idata, sampler: samplerOf(f), warnings: detailed.length > 0 ? detailed.map((w) => w.message) : f.warnings, detailed, fit: f, model });
  }
  return fitted;
}

/**
 * ADVI on `target` (a hierarchical model), for comparison with NUTS (stage `advi`); when the run's
 * method is ADVI already, the target's fit is reused.
 */
async function fitAdviComparison({ o, d, clock }: RunContext, target: FittedModel): Promise<FittedModel> {
  if (o.method === 'advi') return { ...target, key: 'advi', kind: 'advi' };
  clock.progress('advi', `advi: mean-field ADVI on the ${target.key} model`);
  const build = target.kind === 'hierarchical_noncentered' ? hierarchicalNonCentered : hierarchicalCentered;
  const f = await clock.timed('advi', () => fitAdvi(build(d, o.priors).compile(), o.seed, o.chains * o.draws));
  return { key: 'advi', kind: 'advi', idata: f.idata, sampler: samplerOf(f), warnings: f.warnings, detailed: [], fit: f };
}

/** The fitting stage: unpooled, pooled, hierarchical models, then ADVI on the non-centered hierarchical model (else the centered one). */
async function fitStage(ctx: RunContext): Promise<{ fitted: FittedModel[]; adviTarget?: FittedModel }> {
  const fitted: FittedModel[] = [];
  if (ctx.o.models.includes('unpooled')) fitted.push(await fitUnpooledStage(ctx));
  fitted.push(...(await fitJointModels(ctx)));
  const adviTarget = fitted.find((m) => m.kind === 'hierarchical_noncentered') ?? fitted.find((m) => m.kind === 'hierarchical');
  if (!adviTarget) return { fitted };
  fitted.push(await fitAdviComparison(ctx, adviTarget));
  return { fitted, adviTarget };
}

/**
 * The `loo & predictive` stage: log-likelihood and PSIS-LOO of the pooled and hierarchical models,
 * their comparison, the posterior predictive check with LOO-PIT, and predictions for a new house.
 *
 * @returns the results, and the models with `loo` filled in
 */
async function workflowStage({ o, d, clock }: RunContext, fitted: readonly FittedModel[]): Promise<{ workflow: WorkflowResults; fitted: FittedModel[] }> {
  clock.progress('loo & predictive', 'log-likelihood, PSIS-LOO, posterior predictive and predictions');
  const workflow = await clock.timed('loo & predictive', () => runWorkflow(d, fitted, o.seed));
  return { workflow, fitted: fitted.map((m) => (workflow.loo[m.key] ? { ...m, loo: workflow.loo[m.key] } : m)) };
}

/**
 * The figures stage: every chart's SVG is rendered (Vega, this thread) and written here; its PNG is
 * rasterised off this thread (resvg on libuv's pool) while the next charts and then the summaries
 * are computed. `pngs` settles when every PNG file is written.
 */
async function figuresStage(
  { o, d, clock }: RunContext,
  fitted: readonly FittedModel[],
  adviTarget: FittedModel | undefined,
  workflow: WorkflowResults,
): Promise<{ figures: FigureOut[]; pngs: Promise<void> }> {
  const plans = planFigures({ data: d, fitted, ...(adviTarget ? { adviTarget } : {}), method: o.method, workflow });
  const figures: FigureOut[] = [];
  const pending: Promise<void>[] = [];
  await clock.timed('figures', async () => {
    await mkdir(join(o.out, 'figures'), { recursive: true });
    let i = 0;
    for (const s of plans) {
      clock.progress('figures', `figure ${s.name}`, i++, plans.length);
      const base = join(o.out, 'figures', s.name);
      const svg = await renderSvg(s.spec());
      await writeFile(`${base}.svg`, svg, 'utf8');
      pending.push(svgToPng(svg).then((png) => writeFile(`${base}.png`, png)));
      figures.push({ name: s.name, title: s.title, caption: s.caption, svg, section: s.section });
    }
    clock.progress('figures', 'figures', plans.length, plans.length);
  });
  const pngs = Promise.all(pending).then(() => undefined);
  pngs.catch(() => undefined); // awaited after the summaries; until then a failure must not count as unhandled
  return { figures, pngs };
}

/**
 * The summaries stage: az.summary and the RMSDs of every model (in this thread: on a worker thread
 * beside the figures they saved ~1 s of a ~10 s run).
 *
 * @returns the models with `stats` and `rmsd` filled in, and summary.json's content
 */
async function summariesStage({ d, clock }: RunContext, fitted: readonly FittedModel[], workflow: WorkflowResults): Promise<{ models: FittedModel[]; summary: Record<string, ModelSummary> }> {
  clock.progress('summaries', 'summaries and RMSDs');
  const computed = await clock.timed('summaries', () => fitted.map((m) => ({ stats: parameterStats(m.idata), rmsd: rmsdOf(d, m.idata) })));
  const models = fitted.map((m, i): FittedModel => ({ ...m, rmsd: computed[i].rmsd, stats: computed[i].stats }));
  const summary: Record<string, ModelSummary> = {};
  for (const m of models) {
    summary[m.key] = { parameters: m.stats!, rmsd: r4(m.rmsd!.inSample), rmsd_loo: r4(m.rmsd!.loo), loo: looSummary(m, workflow), sampler: m.sampler, warnings: m.warnings };
  }
  return { models, summary };
}

/** A model's PSIS-LOO for summary.json, or null when it has none. */
function looSummary(m: FittedModel, w: WorkflowResults): LooSummary | null {
  const l = m.loo;
  if (!l) return null;
  const row = w.compare?.find((r) => r.name === m.key);
  let bad = 0;
  for (const k of l.diagnostics.paretoK) if (k > 0.7) bad++;
  return {
    elpd_loo: r4(l.elpdLoo.estimate),
    se_elpd_loo: r4(l.elpdLoo.se),
    p_loo: r4(l.pLoo.estimate),
    se_p_loo: r4(l.pLoo.se),
    looic: r4(l.looic.estimate),
    se_looic: r4(l.looic.se),
    pareto_k_above_0_7: bad,
    elpd_diff: row ? r4(row.elpdDiff) : null,
    se_diff: row ? r4(row.seDiff) : null,
  };
}

/** Writes summary.json and report.html (the report's total time is taken just before). */
async function writeOutputs(
  { o, d, clock }: RunContext,
  models: readonly FittedModel[],
  figures: readonly FigureOut[],
  summary: Record<string, ModelSummary>,
  workflow: WorkflowResults,
): Promise<{ summaryPath: string; reportPath: string }> {
  const summaryPath = join(o.out, 'summary.json');
  const reportPath = join(o.out, 'report.html');
  const html = buildReport({ data: d, options: o, models, figures, workflow, timings: { ...clock.timings, total: r4(clock.elapsed()) } });
  await writeFile(summaryPath, JSON.stringify(summary, null, 2) + '\n', 'utf8');
  await writeFile(reportPath, html, 'utf8');
  return { summaryPath, reportPath };
}

/**
 * Runs the radon case study: fits the chosen models, then writes `summary.json`, `report.html` and
 * every figure as SVG and PNG (`figures/`) into `o.out`.
 *
 * @param o - models, priors, method, chains, draws, tune, seed, output folder, progress callback
 * @returns the summaries, fits, figures, paths, a plain-text digest and timings
 * @throws OptionError when the output folder cannot be written
 */
export async function runRadon(o: RadonOptions): Promise<RadonResult> {
  const clock = startClock(o.onProgress);
  await checkOutputDir(o.out);
  const ctx: RunContext = { o, d: loadRadon(o.csv ?? RADON_CSV), clock };
  const fit = await fitStage(ctx);
  const { workflow, fitted } = await workflowStage(ctx, fit.fitted);
  const adviTarget = fit.adviTarget ? fitted.find((m) => m.key === fit.adviTarget!.key) : undefined;
  const { figures, pngs } = await figuresStage(ctx, fitted, adviTarget, workflow);
  const { models, summary } = await summariesStage(ctx, fitted, workflow);
  // What is left of rasterising the PNGs once the summaries are done (most of it ran beside them).
  await clock.timed('png', () => pngs);
  const { summaryPath, reportPath } = await writeOutputs(ctx, models, figures, summary, workflow);
  const timings = clock.timings;
  timings.total = r4(clock.elapsed());
  const digest = buildDigest(ctx.d, models, reportPath, timings, workflow);
  return { summary, models, figures, reportPath, summaryPath, digest, workflow, timings };
}
