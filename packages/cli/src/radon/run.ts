// The radon case study end to end: fit the models, compute LOO and predictions, summaries and RMSDs, write figures, report.html and summary.json.
import { join } from 'node:path';
import { samplingWarnings, type VegaLiteSpec, type InferenceData, type LooResult, type Model, type SamplingWarning, type FitExecutor } from 'nutmeg';
import { nodePlatform } from 'nutmeg/node';
import { checkInterrupt, Interrupted, unlessInterrupted } from '../interrupt.js';
import { checkSampleLimits } from '../limits.js';
import { OutputFolder } from '../outputFolder.js';
import { interruptedOutputs, type InterruptedRun, type InterruptedSummary } from './interrupted.js';
import { loadRadon, RADON_CSV, type RadonData } from './data.js';
import { hierarchicalCentered, hierarchicalNonCentered, pooled, type Priors } from './models.js';
import { fitAdvi, fitModel, type FitSettings, type Method, type ModelFit } from './fit.js';
import { fitUnpooled, type UnpooledFit } from './unpooled.js';
import { parameterStats, rmsdOf, type ParameterStats, type RmsdResult } from './analysis.js';
import { planFigures, type FigurePlan } from './figurePlan.js';
import { startFigureRenderer, type FigureRenderer, type RenderedFigure } from './figureRenderer.js';
import { buildDigest } from './digest.js';
import { buildReport } from './report.js';
import { runWorkflow, type WorkflowResults } from './workflow.js';
import { namedFitsLine } from '../fitsWarnings.js';

/** The models of the case study, in the order a run fits them (fitStage: the county fits, then the joint models). */
export const MODEL_NAMES = ['unpooled', 'pooled', 'hierarchical', 'hierarchical_noncentered'] as const;
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
  /**
   * PNG pixels per SVG pixel (default {@link DEFAULT_PNG_SCALE}). report.html embeds the SVGs, which are sharp at any
   * size; 2 gives PNGs for high-DPI screens at about 4× the rasterising time (~2 s more CPU on
   * the 14 figures of a full run).
   */
  readonly pngScale?: number;
  /** The radon CSV (default: the one shipped with nutmeg). */
  readonly csv?: string;
  /** Threads of the unpooled fits (default 2 on a machine with 2 or more cores). */
  readonly threads?: number;
  /** Run the unpooled fits on this executor instead (e.g. a Redis queue), described by `where`. */
  readonly executor?: { readonly executor: FitExecutor; readonly where: string };
  /** Progress messages while running. */
  readonly onProgress?: (e: RadonProgress) => void;
  /** Ctrl-C: the run stops at the next check and writes what is complete (`RadonResult.interrupted`). */
  readonly signal?: AbortSignal;
  /**
   * `performance.now()` when the command started (the `nutmeg` process passes 0, its own start):
   * the time before the run, loading the program, is then its first stage, `start-up`, and the
   * total counts from there. Default: the run's own start.
   */
  readonly startedAt?: number;
}

/** PNG pixels per SVG pixel when a run does not say (`--png-scale`'s default). */
export const DEFAULT_PNG_SCALE = 1;

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
  /** summary.json's content (with `incomplete: true` and the interrupt's markers when `interrupted` is set). */
  readonly summary: Record<string, ModelSummary> | InterruptedSummary;
  readonly models: readonly FittedModel[];
  readonly figures: readonly FigureOut[];
  readonly reportPath: string;
  readonly summaryPath: string;
  readonly digest: string;
  /** LOO, its comparison, the posterior predictive check and the new-house predictions. */
  readonly workflow: WorkflowResults;
  /** Seconds per stage, and `total`. */
  readonly timings: Record<string, number>;
  /** Set when the run was interrupted: the stage, how far it got, the stages not run, the files written. */
  readonly interrupted?: InterruptedRun;
}

const r4 = (x: number): number => Number(x.toFixed(4));

function samplerOf(f: ModelFit): SamplerRecord {
  return { method: f.method, chains: f.chains, draws: f.draws, tune: f.tune, divergences: f.divergences, sampling_s: r4(f.seconds), grad_evals: f.gradEvals };
}

/** The clock of one run: seconds elapsed, progress events and the seconds each stage took. */
interface RunClock {
  readonly elapsed: () => number;
  readonly progress: (stage: string, message: string, done?: number, total?: number) => void;
  /** Runs `f`, recording its seconds under `name` (with those of `name`'s earlier parts). */
  readonly timed: <T>(name: string, f: () => Promise<T> | T) => Promise<T>;
  /** Runs `f`, a part of stage `name` done ahead of it: its seconds are added to the stage's when the stage itself is timed. */
  readonly timedPart: <T>(name: string, f: () => Promise<T> | T) => Promise<T>;
  /** Seconds per stage, in the order the stages ran (the stages done). */
  readonly timings: Record<string, number>;
  /** The stage running now, or the last one started. */
  readonly current: () => string | undefined;
}

function startClock(onProgress: RadonOptions['onProgress'], startedAt?: number): RunClock {
  const now = performance.now();
  const t0 = startedAt !== undefined && startedAt <= now ? startedAt : now;
  const elapsed = (): number => (performance.now() - t0) / 1000;
  const timings: Record<string, number> = {};
  if (t0 < now) timings['start-up'] = r4((now - t0) / 1000);
  const parts: Record<string, number> = {};
  let current: string | undefined;
  return {
    elapsed,
    timings,
    current: () => current,
    progress: (stage, message, done, total) => onProgress?.({ stage, message, elapsed: elapsed(), ...(done !== undefined ? { done, total } : {}) }),
    timed: async (name, f) => {
      current = name;
      const s = performance.now();
      const r = await f();
      timings[name] = r4((performance.now() - s) / 1000 + (parts[name] ?? 0));
      return r;
    },
    timedPart: async (name, f) => {
      const s = performance.now();
      const r = await f();
      parts[name] = (parts[name] ?? 0) + (performance.now() - s) / 1000;
      return r;
    },
  };
}

/** What a run has finished so far: kept for the outputs of an interrupted run. */
export interface RunRecord {
  /** The models fitted completely, in the order they finished. */
  readonly fitted: FittedModel[];
  workflow?: WorkflowResults;
  /** The figures written. */
  readonly figures: FigureOut[];
  /** The models with their summaries, once the summaries stage finished. */
  models?: FittedModel[];
  /** The PNG files still to be rasterised and written. */
  pngs?: Promise<void>;
  /** The PNG files being written at this moment (waited for after Ctrl-C, so that none is left half-written). */
  pngWrites?: () => Promise<void>;
}

/** What every stage of a run reads: the options, the data, the clock, the output folder, Ctrl-C, and the record of what is done. */
interface RunContext {
  readonly o: RadonOptions;
  readonly d: RadonData;
  readonly clock: RunClock;
  readonly out: OutputFolder;
  readonly signal: AbortSignal | undefined;
  readonly record: RunRecord;
  /** Renders the figures (on a thread of its own, started with the run so that it loads Vega while the models sample). */
  readonly renderer: FigureRenderer;
  /** RMSDs of the fits without a joint log-likelihood (unpooled, ADVI), computed on the figure thread as soon as each fit is done, by key. */
  readonly earlyRmsd: Map<string, Promise<RmsdResult>>;
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
async function fitUnpooledStage({ o, d, clock, signal }: RunContext): Promise<FittedModel> {
  const K = d.counties.length;
  let done = 0;
  clock.progress('unpooled', `unpooled: fitting ${K} counties separately (${o.method})`, 0, K);
  const u = await clock.timed('unpooled', () =>
    fitUnpooled(d, fitSettings(o), {
      ...(o.threads !== undefined ? { threads: o.threads } : {}),
      ...(o.executor ? { executor: o.executor } : {}),
      ...(signal ? { signal } : {}),
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
async function fitJointModels({ o, d, clock, signal, record }: RunContext): Promise<FittedModel[]> {
  const suffix = o.priors === 'flat' ? '_flat' : '';
  const builders: [ModelName, string, () => Model][] = [
    ['pooled', 'pooled', () => pooled(d)],
    ['hierarchical', `hierarchical${suffix}`, () => hierarchicalCentered(d, o.priors)],
    ['hierarchical_noncentered', `hierarchical_noncentered${suffix}`, () => hierarchicalNonCentered(d, o.priors)],
  ];
  const fitted: FittedModel[] = [];
  for (const [kind, key, build] of builders) {
    if (!o.models.includes(kind)) continue;
    await checkInterrupt(signal);
    clock.progress(key, `${key}: ${o.method === 'advi' ? 'fitting ADVI' : `sampling ${o.chains} chains × (${o.tune} + ${o.draws})`}`);
    const model = build();
    // Ctrl-C is the command's: the library's own handler would print a second notice.
    const stoppable = { ...(signal ? { signal } : {}), platform: { ...nodePlatform, onInterrupt: undefined } };
    const f = await clock.timed(key, async () => {
      const r = await fitModel(model.compile(), fitSettings(o), stoppable, (done, total) => clock.progress(key, key, done, total));
      // Thrown inside the stage, so that the stage is not recorded as done.
      if (r.idata.attrs.incomplete === true) {
        const n = r.idata.nDraws;
        throw new Interrupted(n === 0 ? `during warm-up, no draws kept` : `${n} of ${o.draws} draws per chain kept in ${r.idata.nChains} of ${o.chains} chains`);
      }
      return r;
    });
    const detailed = nutsWarnings(f);
    const m: FittedModel = { key, kind, idata: f.idata, sampler: samplerOf(f), warnings: detailed.length > 0 ? detailed.map((w) => w.message) : f.warnings, detailed, fit: f, model };
    fitted.push(m);
    record.fitted.push(m);
  }
  return fitted;
}

/**
 * ADVI on `target` (a hierarchical model), for comparison with NUTS (stage `advi`); when the run's
 * method is ADVI already, the target's fit is reused.
 */
async function fitAdviComparison({ o, d, clock, signal }: RunContext, target: FittedModel): Promise<FittedModel> {
  if (o.method === 'advi') return { ...target, key: 'advi', kind: 'advi' };
  await checkInterrupt(signal);
  clock.progress('advi', `advi: mean-field ADVI on the ${target.key} model`);
  const build = target.kind === 'hierarchical_noncentered' ? hierarchicalNonCentered : hierarchicalCentered;
  const f = await clock.timed('advi', () => fitAdvi(build(d, o.priors).compile(), o.seed, o.chains * o.draws));
  return { key: 'advi', kind: 'advi', idata: f.idata, sampler: samplerOf(f), warnings: f.warnings, detailed: [], fit: f };
}

/**
 * Starts the RMSDs of a fit that has no joint log-likelihood (so its LOO RMSD needs a PSIS of its
 * own, ~0.3 s) on the figure thread, beside the sampling of the next models; the summaries stage
 * takes them from there.
 */
function startRmsd({ d, renderer, earlyRmsd }: RunContext, m: FittedModel): void {
  const r = renderer.rmsd(d, m.idata);
  r.catch(() => undefined); // awaited in the summaries stage, which computes them here if this failed
  earlyRmsd.set(m.key, r);
}

/** The fitting stage: unpooled, pooled, hierarchical models, then ADVI on the non-centered hierarchical model (else the centered one). */
async function fitStage(ctx: RunContext): Promise<{ fitted: FittedModel[]; adviTarget?: FittedModel }> {
  await checkInterrupt(ctx.signal); // before worker threads start only to stop
  const fitted: FittedModel[] = [];
  if (ctx.o.models.includes('unpooled')) {
    const u = await fitUnpooledStage(ctx);
    fitted.push(u);
    ctx.record.fitted.push(u);
    startRmsd(ctx, u);
  }
  fitted.push(...(await fitJointModels(ctx)));
  const adviTarget = fitted.find((m) => m.kind === 'hierarchical_noncentered') ?? fitted.find((m) => m.kind === 'hierarchical');
  if (!adviTarget) return { fitted };
  const advi = await fitAdviComparison(ctx, adviTarget);
  // Recorded before looking for Ctrl-C: a fit that finished is kept (ADVI runs to its end once started).
  fitted.push(advi);
  ctx.record.fitted.push(advi);
  await checkInterrupt(ctx.signal);
  startRmsd(ctx, advi);
  return { fitted, adviTarget };
}

/**
 * The `loo & predictive` stage: log-likelihood and PSIS-LOO of the pooled and hierarchical models,
 * their comparison, the posterior predictive check with LOO-PIT, and predictions for a new house.
 *
 * @returns the results, and the models with `loo` filled in
 */
async function workflowStage({ o, d, clock, signal, record }: RunContext, fitted: readonly FittedModel[]): Promise<{ workflow: WorkflowResults; fitted: FittedModel[] }> {
  clock.progress('loo & predictive', 'log-likelihood, PSIS-LOO, posterior predictive and predictions');
  const workflow = await clock.timed('loo & predictive', () => runWorkflow(d, fitted, o.seed, () => checkInterrupt(signal)));
  record.workflow = workflow;
  return { workflow, fitted: fitted.map((m) => (workflow.loo[m.key] ? { ...m, loo: workflow.loo[m.key] } : m)) };
}

/** Figures being drawn ahead of the figures stage, by name. */
type EarlyFigures = ReadonlyMap<string, RenderedFigure>;

/** Starts drawing a figure; a failure is only seen where the figure is awaited. */
function startFigure(renderer: FigureRenderer, spec: VegaLiteSpec): RenderedFigure {
  const f = renderer.render(spec);
  f.svg.catch(() => undefined);
  f.png.catch(() => undefined);
  return f;
}

/**
 * Hands the figure thread every chart that needs only the fits (funnel, traces, counties,
 * shrinkage, forest, ADVI), before LOO runs here: they are drawn beside it. Their SVGs are kept
 * in memory; the figures stage writes them (so a Ctrl-C during LOO leaves no figure files).
 * The specs are built here (part of the figures stage's time).
 */
async function startEarlyFigures({ o, d, clock, renderer }: RunContext, fitted: readonly FittedModel[], adviTarget: FittedModel | undefined): Promise<EarlyFigures> {
  return clock.timedPart('figures', () => {
    const plans = planFigures({ data: d, fitted, ...(adviTarget ? { adviTarget } : {}), method: o.method, workflow: { loo: {} } });
    const early = new Map<string, RenderedFigure>();
    for (const s of plans) early.set(s.name, startFigure(renderer, s.spec()));
    return early;
  });
}

/** Every chart of the run in the plan's order, each being drawn (by the figure thread, or here when it cannot run). */
type DrawnFigures = ReadonlyMap<FigurePlan, RenderedFigure>;

/**
 * Hands the figure thread the charts that needed LOO and the predictive checks (those that need
 * only the fits are being drawn already), and from now on rasterises their PNGs here: this
 * thread, done with LOO, computes the summaries and then only waits, so the PNGs use its core
 * while the figure thread draws the SVGs. Timed as part of the figures stage.
 */
async function drawLateFigures(
  { o, d, clock, signal, renderer }: RunContext,
  fitted: readonly FittedModel[],
  adviTarget: FittedModel | undefined,
  workflow: WorkflowResults,
  early: EarlyFigures,
): Promise<DrawnFigures> {
  return clock.timedPart('figures', async () => {
    renderer.rasteriseHere();
    const plans = planFigures({ data: d, fitted, ...(adviTarget ? { adviTarget } : {}), method: o.method, workflow });
    const drawn = new Map<FigurePlan, RenderedFigure>();
    for (const s of plans) {
      let f = early.get(s.name);
      if (!f) {
        await checkInterrupt(signal);
        f = startFigure(renderer, s.spec());
      }
      drawn.set(s, f);
    }
    return drawn;
  });
}

/**
 * The figures stage: every chart was handed to the figure thread (those that need only the fits
 * while LOO ran, the rest before the summaries); its SVG is written here in the plan's order, and
 * its PNG when it comes. `pngs` settles when every PNG file is written.
 */
async function figuresStage({ clock, out, signal, record }: RunContext, drawn: DrawnFigures): Promise<{ figures: FigureOut[]; pngs: Promise<void> }> {
  const figures = record.figures;
  const pending: Promise<void>[] = [];
  /** PNG files being written now: after Ctrl-C only these are waited for (not the rasterising still queued). */
  const writing = new Set<Promise<void>>();
  const settled = (): Promise<void> => Promise.all(pending).then(() => undefined);
  try {
    await clock.timed('figures', async () => {
      let i = 0;
      for (const [s, f] of drawn) {
        await checkInterrupt(signal);
        clock.progress('figures', `figure ${s.name}`, i++, drawn.size);
        const base = `figures/${s.name}`;
        // Ctrl-C stops waiting for the figure thread (and ends it).
        const svg = await unlessInterrupted(f.svg, signal);
        await out.write(`${base}.svg`, svg);
        const png = f.png.then(async (bytes) => {
          if (signal?.aborted) return;
          const write = out.write(`${base}.png`, bytes);
          writing.add(write);
          await write.finally(() => writing.delete(write));
        });
        png.catch(() => undefined); // awaited with the others; until then a failure must not count as unhandled
        pending.push(png);
        figures.push({ name: s.name, title: s.title, caption: s.caption, svg, section: s.section });
      }
      clock.progress('figures', 'figures', drawn.size, drawn.size);
    });
  } finally {
    record.pngs = settled();
    record.pngs.catch(() => undefined);
    record.pngWrites = () => Promise.all(writing).then(() => undefined);
  }
  return { figures, pngs: record.pngs };
}

/**
 * The summaries stage: az.summary and the RMSDs of every model (in this thread, but for the
 * unpooled and ADVI RMSDs, computed on the figure thread while the later models sampled). R̂ and
 * ESS of the NUTS models are those sample()'s warnings computed (kept by the library).
 *
 * @returns the models with `stats` and `rmsd` filled in, and summary.json's content
 */
async function summariesStage({ d, clock, signal, record, earlyRmsd }: RunContext, fitted: readonly FittedModel[], workflow: WorkflowResults): Promise<{ models: FittedModel[]; summary: Record<string, ModelSummary> }> {
  clock.progress('summaries', 'summaries and RMSDs');
  const models: FittedModel[] = [];
  await clock.timed('summaries', async () => {
    for (const m of fitted) {
      await checkInterrupt(signal);
      // PSIS-LOO's weights where it ran (one PSIS per model); else PSIS on the figure thread (or here).
      const looPredictions = workflow.looMu?.[m.key];
      const early = earlyRmsd.get(m.key);
      const rmsd = looPredictions
        ? rmsdOf(d, m.idata, looPredictions)
        : early
          ? await unlessInterrupted(early.catch(() => rmsdOf(d, m.idata)), signal)
          : rmsdOf(d, m.idata);
      // One variable at a time (a county vector takes ~0.1–0.5 s), so that Ctrl-C is seen within a second.
      const names = Object.keys(m.idata.groups.posterior!.vars).filter((n) => !n.endsWith('_offset'));
      const stats: Record<string, ParameterStats> = {};
      for (const name of names) {
        await checkInterrupt(signal);
        Object.assign(stats, parameterStats(m.idata, [name]));
      }
      models.push({ ...m, rmsd, stats });
    }
  });
  record.models = models;
  const summary: Record<string, ModelSummary> = {};
  for (const m of models) {
    summary[m.key] = { parameters: m.stats!, rmsd: r4(m.rmsd!.inSample), rmsd_loo: r4(m.rmsd!.loo), loo: looSummary(m, workflow), sampler: m.sampler, warnings: m.warnings };
  }
  return { models, summary };
}

/** A model's PSIS-LOO for summary.json, or null when it has none. */
export function looSummary(m: FittedModel, w: WorkflowResults): LooSummary | null {
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
  { o, d, clock, out }: RunContext,
  models: readonly FittedModel[],
  figures: readonly FigureOut[],
  summary: Record<string, ModelSummary>,
  workflow: WorkflowResults,
): Promise<{ summaryPath: string; reportPath: string }> {
  const summaryPath = join(o.out, 'summary.json');
  const reportPath = join(o.out, 'report.html');
  const html = buildReport({ data: d, options: o, models, figures, workflow, timings: { ...clock.timings, total: r4(clock.elapsed()) } });
  await out.write('summary.json', JSON.stringify(summary, null, 2) + '\n');
  await out.write('report.html', html);
  return { summaryPath, reportPath };
}

/**
 * The stages a run will go through, in order (the keys of `timings`, and `report`).
 *
 * @param o - the run's options
 * @returns the stage names
 */
export function plannedStages(o: Pick<RadonOptions, 'models' | 'priors' | 'method'>): string[] {
  const suffix = o.priors === 'flat' ? '_flat' : '';
  const fits = MODEL_NAMES.filter((m) => o.models.includes(m)).map((m) => (m === 'unpooled' || m === 'pooled' ? m : `${m}${suffix}`));
  // With --method advi the comparison reuses the hierarchical fit: no stage of its own.
  const advi = o.method !== 'advi' && (o.models.includes('hierarchical') || o.models.includes('hierarchical_noncentered')) ? ['advi'] : [];
  return [...fits, ...advi, 'loo & predictive', 'summaries', 'figures', 'png', 'report'];
}

/**
 * The numbers a run keeps for each draw of one chain, over all its models at once (an upper
 * bound): parameters, sampler statistics, and for the joint models the pointwise log-likelihood
 * and posterior predictive draws of every home.
 */
function numbersPerDraw(d: RadonData): number {
  const homes = d.logRadon.length;
  const counties = d.counties.length;
  // unpooled 3 per county; pooled 3 + log-lik; centered 2 per county + 4 + log-lik + predictive;
  // non-centered twice the county terms + log-lik + predictive; ADVI a copy of one; ~12 statistics per NUTS model.
  return 3 * counties + (3 + homes) + (2 * counties + 4 + 2 * homes) + (4 * counties + 4 + 2 * homes) + 4 * counties + 4 * 12;
}

/**
 * Runs the radon case study: fits the chosen models, then writes `summary.json`, `report.html` and
 * every figure as SVG and PNG (`figures/`) into `o.out`. The folder is checked and cleared of an
 * earlier nutmeg run's files before any work. When `o.signal` aborts (Ctrl-C) the run stops at the
 * next check, waits for the files being written, and writes what is complete: summary.json and a
 * report.html that say the run is incomplete, what was interrupted and what did not run.
 *
 * @param o - models, priors, method, chains, draws, tune, seed, output folder, progress callback, signal
 * @returns the summaries, fits, figures, paths, a plain-text digest and timings; `interrupted` when stopped
 * @throws OptionError when the settings exceed the limits or the output folder cannot be written; OutputError when a file cannot be written
 */
export async function runRadon(o: RadonOptions): Promise<RadonResult> {
  const clock = startClock(o.onProgress, o.startedAt);
  const d = loadRadon(o.csv ?? RADON_CSV);
  checkSampleLimits(o, numbersPerDraw(d));
  const out = await OutputFolder.open(o.out, 'nutmeg radon');
  await out.clearPrevious();
  const record: RunRecord = { fitted: [], figures: [] };
  const renderer = startFigureRenderer({ pngScale: o.pngScale ?? DEFAULT_PNG_SCALE });
  const ctx: RunContext = { o, d, clock, out, signal: o.signal, record, renderer, earlyRmsd: new Map() };
  try {
    return await runStages(ctx);
  } catch (e) {
    if (!(e instanceof Interrupted)) throw e;
    await record.pngWrites?.().catch(() => undefined);
    // The stages run in the planned order: the interrupted one is the first not finished.
    const stages = plannedStages(o);
    const k = Math.max(0, stages.findIndex((s) => !(s in clock.timings)));
    const interrupted: InterruptedRun = { stage: stages[k], ...(e.detail !== undefined ? { detail: e.detail } : {}), notRun: stages.slice(k + 1), written: [] };
    const files = await interruptedOutputs({ data: d, options: o, record, interrupted, out, elapsed: clock.elapsed() });
    return { ...files, figures: record.figures, models: record.models ?? record.fitted, workflow: record.workflow ?? { loo: {} }, timings: clock.timings, interrupted: { ...interrupted, written: [...out.written()] } };
  } finally {
    await renderer.close();
  }
}

/** The stages of a run, one after another. */
async function runStages(ctx: RunContext): Promise<RadonResult> {
  const { clock } = ctx;
  const fit = await fitStage(ctx);
  const early = await startEarlyFigures(ctx, fit.fitted, fit.adviTarget);
  const { workflow, fitted } = await workflowStage(ctx, fit.fitted);
  const adviTarget = fit.adviTarget ? fitted.find((m) => m.key === fit.adviTarget!.key) : undefined;
  const drawn = await drawLateFigures(ctx, fitted, adviTarget, workflow, early);
  // The summaries here while the figure thread draws; then the figures as they come.
  const { models, summary } = await summariesStage(ctx, fitted, workflow);
  const { figures, pngs } = await figuresStage(ctx, drawn);
  // What is left of rasterising the PNGs once the figures are written.
  await clock.timed('png', () => pngs);
  await checkInterrupt(ctx.signal);
  const { summaryPath, reportPath } = await clock.timed('report', () => writeOutputs(ctx, models, figures, summary, workflow));
  const timings = clock.timings;
  timings.total = r4(clock.elapsed());
  const digest = buildDigest(ctx.d, models, reportPath, timings, workflow);
  return { summary, models, figures, reportPath, summaryPath, digest, workflow, timings };
}
