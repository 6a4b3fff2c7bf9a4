// The radon case study end to end: fit the models, compute summaries and RMSDs, write figures, report.html and summary.json.
import { access, mkdir, stat, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { OptionError, samplingWarnings, type InferenceData, type SamplingWarning, type VegaLiteSpec } from 'nutmeg';
// The Node figure writer (SVG + PNG files) lives in nutmeg's platform layer, which the package root does not export.
import { writeFigure } from 'nutmeg/node';
import { loadRadon, RADON_CSV, type RadonData } from './data.js';
import { hierarchicalCentered, hierarchicalNonCentered, pooled, type Priors } from './models.js';
import { fitAdvi, fitModel, type Method, type ModelFit } from './fit.js';
import { fitUnpooled, type UnpooledFit } from './unpooled.js';
import { elementMeans, parameterStats, replicates, rmsdOf, type ParameterStats, type RmsdResult } from './analysis.js';
import { adviFigure, elboFigure, forestFigure, funnelFigure, ppcFigure, shrinkageFigure, threeCountyFigure, traceFigure } from './figures.js';
import { buildReport } from './report.js';

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

/** One model in summary.json. */
export interface ModelSummary {
  readonly parameters: Record<string, ParameterStats>;
  readonly rmsd: number | null;
  readonly rmsd_loo: number | null;
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
}

/** A figure written to the output folder. */
export interface FigureOut {
  readonly name: string;
  readonly title: string;
  readonly caption: string;
  readonly svg: string;
  readonly section: 'diagnostics' | 'traces' | 'comparison' | 'prediction' | 'advi';
}

/** What {@link runRadon} produced. */
export interface RadonResult {
  readonly summary: Record<string, ModelSummary>;
  readonly models: readonly FittedModel[];
  readonly figures: readonly FigureOut[];
  readonly reportPath: string;
  readonly summaryPath: string;
  readonly digest: string;
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

/**
 * Runs the radon case study: fits the chosen models, then writes `summary.json`, `report.html` and
 * every figure as SVG and PNG (`figures/`) into `o.out`.
 *
 * @param o - models, priors, method, chains, draws, tune, seed, output folder, progress callback
 * @returns the summaries, fits, figures, paths, a plain-text digest and timings
 * @throws OptionError when the output folder cannot be written
 */
export async function runRadon(o: RadonOptions): Promise<RadonResult> {
  const t0 = performance.now();
  const elapsed = (): number => (performance.now() - t0) / 1000;
  const progress = (stage: string, message: string, done?: number, total?: number): void =>
    o.onProgress?.({ stage, message, elapsed: elapsed(), ...(done !== undefined ? { done, total } : {}) });
  const timings: Record<string, number> = {};
  const timed = async <T>(name: string, f: () => Promise<T> | T): Promise<T> => {
    const s = performance.now();
    const r = await f();
    timings[name] = r4((performance.now() - s) / 1000);
    return r;
  };

  await checkOutputDir(o.out);
  const csv = o.csv ?? RADON_CSV;
  const d: RadonData = loadRadon(csv);
  const settings = { method: o.method, chains: o.chains, draws: o.draws, tune: o.tune, seed: o.seed };
  const suffix = o.priors === 'flat' ? '_flat' : '';
  const fitted: FittedModel[] = [];

  // sample() keeps its ranked warnings (with advice) in attrs.warning_details; computed here only if missing.
  const nutsWarnings = (f: ModelFit): SamplingWarning[] => {
    if (f.method === 'advi') return [];
    const kept = f.idata.attrs.warning_details;
    const all = Array.isArray(kept) ? (kept as SamplingWarning[]) : samplingWarnings(f.idata, { targetAccept: f.targetAccept, maxTreeDepth: f.maxTreeDepth });
    return all.filter((w) => w.severity !== 'info');
  };

  if (o.models.includes('unpooled')) {
    const K = d.counties.length;
    let done = 0;
    progress('unpooled', `unpooled: fitting ${K} counties separately (${o.method})`, 0, K);
    const u = await timed('unpooled', () =>
      fitUnpooled(d, settings, { ...(o.threads !== undefined ? { threads: o.threads } : {}), onDone: () => progress('unpooled', 'unpooled', ++done, K) }),
    );
    const withDiv = u.fits.filter((f) => f.divergences > 0);
    const warnings =
      withDiv.length > 0
        ? [
            `${withDiv.length} of ${K} county fits had divergent transitions (${u.divergences} in all), mostly counties with few homes, ` +
              'where eps and the coefficients are barely identified: ' +
              withDiv
                .sort((a, b) => b.divergences - a.divergences)
                .slice(0, 5)
                .map((f) => `${d.counties[f.county]} (${f.divergences})`)
                .join(', ') +
              (withDiv.length > 5 ? ', …' : ''),
          ]
        : [];
    fitted.push({
      key: 'unpooled',
      kind: 'unpooled',
      idata: u.idata,
      sampler: { method: o.method, chains: o.method === 'advi' ? 1 : o.chains, draws: u.idata.nDraws, tune: o.method === 'advi' ? 0 : o.tune, divergences: u.divergences, sampling_s: r4(u.seconds), grad_evals: u.gradEvals },
      warnings,
      detailed: [],
      unpooled: u,
    });
  }

  const builders: [ModelName, string, () => ReturnType<typeof pooled>][] = [
    ['pooled', 'pooled', () => pooled(d)],
    ['hierarchical', `hierarchical${suffix}`, () => hierarchicalCentered(d, o.priors)],
    ['hierarchical_noncentered', `hierarchical_noncentered${suffix}`, () => hierarchicalNonCentered(d, o.priors)],
  ];
  for (const [kind, key, build] of builders) {
    if (!o.models.includes(kind)) continue;
    progress(key, `${key}: ${o.method === 'advi' ? 'fitting ADVI' : `sampling ${o.chains} chains × (${o.tune} + ${o.draws})`}`);
    const f = await timed(key, () => fitModel(build().compile(), settings, {}, (done, total) => progress(key, key, done, total)));
    const detailed = nutsWarnings(f);
    fitted.push({ key, kind, idata: f.idata, sampler: samplerOf(f), warnings: detailed.length > 0 ? detailed.map((w) => w.message) : f.warnings, detailed, fit: f });
  }

  // ADVI on the hierarchical model, for comparison with NUTS (the non-centered one if it was fitted).
  const advTarget = fitted.find((m) => m.kind === 'hierarchical_noncentered') ?? fitted.find((m) => m.kind === 'hierarchical');
  let advi: FittedModel | undefined;
  if (advTarget) {
    if (o.method === 'advi') {
      advi = { ...advTarget, key: 'advi', kind: 'advi' };
    } else {
      progress('advi', `advi: mean-field ADVI on the ${advTarget.key} model`);
      const build = advTarget.kind === 'hierarchical_noncentered' ? hierarchicalNonCentered : hierarchicalCentered;
      const f = await timed('advi', () => fitAdvi(build(d, o.priors).compile(), o.seed, o.chains * o.draws));
      advi = { key: 'advi', kind: 'advi', idata: f.idata, sampler: samplerOf(f), warnings: f.warnings, detailed: [], fit: f };
    }
    fitted.push(advi);
  }

  // Figures.
  const get = (k: ModelName | 'advi'): FittedModel | undefined => fitted.find((m) => m.kind === k);
  const unp = get('unpooled');
  const hc = get('hierarchical');
  const hnc = get('hierarchical_noncentered');
  const hier = hnc ?? hc;
  const specs: { name: string; title: string; caption: string; section: FigureOut['section']; spec: () => VegaLiteSpec }[] = [];
  const hierName = (m: FittedModel): string => (m.kind === 'hierarchical' ? 'hierarchical (centered)' : 'hierarchical (non-centered)');
  if (hc && hnc && o.method !== 'advi') {
    const counts = new Array<number>(d.counties.length).fill(0);
    d.county.forEach((c) => counts[c]++);
    // The county whose slope is least informed by its own data: the funnel is widest there.
    const k = counts.indexOf(Math.min(...counts));
    specs.push({
      name: 'funnel',
      title: 'Divergences of the centered model and the non-centered fix',
      caption: `Draws of beta[${d.counties[k]}] (a county with ${counts[k]} home${counts[k] === 1 ? '' : 's'}) against log(sigma_beta); divergent transitions in red. ` +
        'Small sigma_beta forces every county slope towards mu_beta: the neck of the funnel. The centered model either diverges there or never reaches it (a chain stuck at small sigma_beta, or none going below it); the non-centered model explores it.',
      section: 'diagnostics',
      spec: () => funnelFigure(d, [{ name: 'centered', idata: hc.idata }, { name: 'non-centered', idata: hnc.idata }], k),
    });
  }
  for (const m of [hc, hnc, get('pooled')]) {
    if (!m) continue;
    specs.push({
      name: `trace_${m.key}`,
      title: `Trace plot: ${m.key}`,
      caption: `Trace plot of the ${m.key} model: left, the marginal density of each chain; right, the draws of each chain. Vector variables show 6 counties.`,
      section: 'traces',
      spec: () => traceFigure(m.idata, `Trace plot: ${m.key} model`),
    });
  }
  if (unp && hier) {
    specs.push({
      name: 'three_counties',
      title: 'Three counties',
      caption: 'CASS, CROW WING and FREEBORN: measurements (jittered), thin lines from 80 posterior draws, thick lines at the posterior mean. CASS has no first-floor measurement, so its unpooled slope is set by the prior alone.',
      section: 'comparison',
      spec: () => threeCountyFigure(d, [{ name: 'unpooled', idata: unp.idata }, { name: hierName(hier), idata: hier.idata }]),
    });
    specs.push({
      name: 'shrinkage',
      title: 'Shrinkage',
      caption: 'Each arrow starts at a county\'s unpooled posterior mean of (intercept, slope) and ends at its hierarchical posterior mean: the estimates of counties with little data are pulled towards the population mean.',
      section: 'comparison',
      spec: () => shrinkageFigure(d, unp.idata, hier.idata),
    });
  }
  const forestFits = [unp, hier].filter((m): m is FittedModel => m !== undefined);
  if (forestFits.some((m) => m.idata.groups.posterior!.vars.alpha.shape.length > 0)) {
    const list = forestFits.filter((m) => m.idata.groups.posterior!.vars.alpha.shape.length > 0);
    const ref = hier ? elementMeans(hier.idata, 'mu_alpha')[0] : undefined;
    specs.push({
      name: 'forest_alpha',
      title: 'County intercepts',
      caption: 'Posterior mean and 94% HDI of each county\'s intercept alpha' + (ref !== undefined ? `; the vertical line is the hierarchical model's mu_alpha (${ref.toFixed(2)}).` : '.'),
      section: 'comparison',
      spec: () => forestFigure(list.map((m) => ({ name: m.kind === 'unpooled' ? 'unpooled' : hierName(m), idata: m.idata })), ref),
    });
  }
  const ppcModel = hier ?? get('pooled') ?? unp;
  if (ppcModel) {
    specs.push({
      name: 'ppc',
      title: 'Posterior predictive check',
      caption: `Density of the 919 observed log radon values (thick) against 60 data sets replicated from the ${ppcModel.key} posterior (thin) and their mean (dashed).`,
      section: 'prediction',
      spec: () => ppcFigure(d.logRadon, replicates(d, ppcModel.idata, 60, o.seed), ppcModel.key),
    });
  }
  if (advi && advTarget && o.method !== 'advi') {
    specs.push({
      name: 'advi_vs_nuts',
      title: 'ADVI vs NUTS',
      caption: `Mean-field ADVI (curves, ${advi.idata.nDraws} draws from the approximation) over NUTS (histograms) for the ${advTarget.key} model.`,
      section: 'advi',
      spec: () => adviFigure(d, advTarget.idata, advi.idata),
    });
  }
  if (advi?.fit?.approx) {
    const approx = advi.fit.approx;
    specs.push({ name: 'elbo', title: 'ADVI convergence', caption: `ELBO by iteration. ${approx.message}`, section: 'advi', spec: () => elboFigure(approx) });
  }
  const figures: FigureOut[] = [];
  await timed('figures', async () => {
    let i = 0;
    for (const s of specs) {
      progress('figures', `figure ${s.name}`, i++, specs.length);
      const { svg } = await writeFigure(s.spec(), join(o.out, 'figures', s.name));
      figures.push({ name: s.name, title: s.title, caption: s.caption, svg, section: s.section });
    }
    progress('figures', 'figures', specs.length, specs.length);
  });

  // Summaries and RMSDs, in this thread (on a worker thread beside the figures they saved ~1 s of a ~10 s run; measured in the commit).
  progress('summaries', 'summaries and RMSDs');
  const computed = await timed('summaries', () => Object.fromEntries(fitted.map((m) => [m.key, { stats: parameterStats(m.idata), rmsd: rmsdOf(d, m.idata) }])));
  const summaryJson: Record<string, ModelSummary> = {};
  for (let i = 0; i < fitted.length; i++) {
    const m = fitted[i];
    const { stats, rmsd: rm } = computed[m.key];
    fitted[i] = { ...m, rmsd: rm, stats };
    summaryJson[m.key] = { parameters: stats, rmsd: r4(rm.inSample), rmsd_loo: r4(rm.loo), sampler: m.sampler, warnings: m.warnings };
  }

  // summary.json, report.html.
  const summaryPath = join(o.out, 'summary.json');
  const reportPath = join(o.out, 'report.html');
  const html = buildReport({ data: d, options: o, models: fitted, figures, timings: { ...timings, total: r4(elapsed()) } });
  await writeFile(summaryPath, JSON.stringify(summaryJson, null, 2) + '\n', 'utf8');
  await writeFile(reportPath, html, 'utf8');
  timings.total = r4(elapsed());
  const digest = buildDigest(d, fitted, reportPath, timings);
  return { summary: summaryJson, models: fitted, figures, reportPath, summaryPath, digest, timings };
}

function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? 'NaN' : x.toFixed(digits);
}

/** The plain-text digest printed at the end of a run. */
export function buildDigest(d: RadonData, models: readonly FittedModel[], reportPath: string, timings: Record<string, number>): string {
  const lines: string[] = [];
  lines.push(`Radon: ${d.logRadon.length} homes in ${d.counties.length} Minnesota counties.`);
  lines.push('');
  lines.push('model                            method     time(s)  diverg.  RMSD  RMSD(LOO)  key estimates');
  for (const m of models) {
    const p = m.idata.groups.posterior!.vars;
    const mean = (n: string): number => elementMeans(m.idata, n)[0];
    let est = '';
    if (p.mu_beta) est = `mu_alpha ${fmt(mean('mu_alpha'))}, mu_beta ${fmt(mean('mu_beta'))}, sigma_beta ${fmt(mean('sigma_beta'))}, eps ${fmt(mean('eps'))}`;
    else if (p.alpha.shape.length === 0) est = `alpha ${fmt(mean('alpha'))}, beta ${fmt(mean('beta'))}, eps ${fmt(mean('eps'))}`;
    else {
      const k = d.counties.indexOf('CASS');
      if (k >= 0) est = `beta[CASS] ${fmt(elementMeans(m.idata, 'beta')[k])}`;
    }
    lines.push(
      `${m.key.padEnd(32)} ${m.sampler.method.padEnd(9)} ${fmt(m.sampler.sampling_s, 1).padStart(8)}  ${String(m.sampler.divergences).padStart(7)}  ${fmt(m.rmsd?.inSample)}  ${fmt(m.rmsd?.loo).padStart(9)}  ${est}`,
    );
  }
  const warned = models.filter((m) => m.warnings.length > 0);
  if (warned.length > 0) {
    lines.push('');
    lines.push('Warnings:');
    for (const m of warned) for (const w of m.warnings) lines.push(`  ${m.key}: ${w}`);
  }
  lines.push('');
  const stages = Object.entries(timings)
    .filter(([k]) => k !== 'total')
    .map(([k, v]) => `${k} ${fmt(v, 1)}`)
    .join(', ');
  lines.push(`Done in ${fmt(timings.total, 1)} s (${stages}).`);
  lines.push(`Report: ${reportPath}`);
  return lines.join('\n');
}
