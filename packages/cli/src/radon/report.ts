// The radon report: sections of text, figures and tables assembled into one self-contained HTML page.
import { NUTMEG_VERSION, renderReport, type ReportBlock, type ReportSection, type ReportTable } from 'nutmeg';
import type { RadonData } from './data.js';
import { elementMeans, parameterStats, type ParameterStats } from './analysis.js';
import type { FigureOut, FittedModel, RadonOptions } from './run.js';
import { THREE_COUNTIES } from './figures.js';
import { KNOWN_COUNTY, NEW_COUNTY } from './prediction.js';
import type { WorkflowResults } from './workflow.js';

/** Input of {@link buildReport}. */
export interface ReportData {
  readonly data: RadonData;
  readonly options: RadonOptions;
  readonly models: readonly FittedModel[];
  readonly figures: readonly FigureOut[];
  /** LOO, its comparison, the posterior predictive check and the new-house predictions. */
  readonly workflow: WorkflowResults;
  readonly timings: Record<string, number>;
}

const STAT_COLUMNS = ['mean', 'sd', 'hdi_3%', 'hdi_97%', 'mcse_mean', 'mcse_sd', 'ess_bulk', 'ess_tail', 'r_hat'] as const;

function statsTable(caption: string, rows: [string, ParameterStats][]): ReportTable {
  return {
    caption,
    columns: ['parameter', ...STAT_COLUMNS],
    rows: rows.map(([label, s]) => [label, ...STAT_COLUMNS.map((c) => (c === 'ess_bulk' || c === 'ess_tail') && s[c] !== null ? Math.round(s[c]!) : s[c])]),
    decimals: [undefined, 3, 3, 3, 3, 3, 3, 0, 0, 2],
  };
}

const MODEL_TEXT: Record<string, string> = {
  pooled: 'log_radon[i] ~ Normal(alpha + beta · floor[i], eps)\nalpha, beta ~ Normal(0, 1);  eps ~ HalfCauchy(1)',
  unpooled:
    'for each county c separately (85 fits):\nlog_radon[i] ~ Normal(alpha[c] + beta[c] · floor[i], eps[c])\nalpha[c], beta[c] ~ Normal(0, 1);  eps[c] ~ HalfCauchy(1)',
  hierarchical:
    'log_radon[i] ~ Normal(alpha[c[i]] + beta[c[i]] · floor[i], eps)\nalpha[c] ~ Normal(mu_alpha, sigma_alpha);  beta[c] ~ Normal(mu_beta, sigma_beta)\n{PRIORS}',
  hierarchical_noncentered:
    'log_radon[i] ~ Normal(alpha[c[i]] + beta[c[i]] · floor[i], eps)\nalpha[c] = mu_alpha + sigma_alpha · alpha_offset[c];  alpha_offset[c] ~ Normal(0, 1)\nbeta[c]  = mu_beta + sigma_beta · beta_offset[c];    beta_offset[c] ~ Normal(0, 1)\n{PRIORS}',
};

function priorsText(p: RadonOptions['priors']): string {
  return p === 'flat'
    ? 'mu_alpha, mu_beta ~ Normal(0, sd = 10⁴);  sigma_alpha, sigma_beta, eps ~ Uniform(0, 100)   (the second tutorial\'s flat priors)'
    : 'mu_alpha, mu_beta ~ Normal(0, 1);  sigma_alpha, sigma_beta, eps ~ HalfCauchy(1)   (the first tutorial\'s priors)';
}

function fmt(x: number | undefined | null, d = 2): string {
  return x === undefined || x === null || !Number.isFinite(x) ? 'NaN' : x.toFixed(d);
}

function maxRhat(m: FittedModel): number {
  const rh = Object.values(m.stats ?? parameterStats(m.idata))
    .map((s) => s.r_hat ?? NaN)
    .filter(Number.isFinite);
  return rh.length > 0 ? Math.max(...rh) : NaN;
}

function figureBlocks(figs: readonly FigureOut[], section: FigureOut['section']): ReportBlock[] {
  return figs
    .filter((f) => f.section === section)
    .map((f) => ({ kind: 'figure' as const, svg: f.svg, caption: `${f.caption} (figures/${f.name}.svg, .png)`, id: `fig-${f.name}` }));
}

/** What every section reads: the report's input, the models by role, and the homes per county. */
interface SectionContext extends ReportData {
  readonly unpooled?: FittedModel;
  readonly centered?: FittedModel;
  readonly nonCentered?: FittedModel;
  /** The hierarchical model the text discusses: non-centered if fitted, else centered. */
  readonly hierarchical?: FittedModel;
  readonly advi?: FittedModel;
  /** Homes per county, in county_code order. */
  readonly counts: number[];
}

function sectionContext(r: ReportData): SectionContext {
  const byKind = (k: string): FittedModel | undefined => r.models.find((m) => m.kind === k);
  const centered = byKind('hierarchical');
  const nonCentered = byKind('hierarchical_noncentered');
  const counts = new Array<number>(r.data.counties.length).fill(0);
  r.data.county.forEach((c) => counts[c]++);
  return { ...r, unpooled: byKind('unpooled'), centered, nonCentered, hierarchical: nonCentered ?? centered, advi: byKind('advi'), counts };
}

/** The key findings, one item each: county intercepts, the floor effect, CASS, and the centered model's trouble. */
function findings(c: SectionContext, hier: FittedModel): string[] {
  const { data: d, unpooled: unp, centered: hc, nonCentered: hnc } = c;
  const mb = elementMeans(hier.idata, 'mu_beta')[0];
  const ma = elementMeans(hier.idata, 'mu_alpha')[0];
  return [
    `Basement radon differs between counties: the hierarchical model's county intercepts alpha range from ${fmt(Math.min(...elementMeans(hier.idata, 'alpha')))} to ${fmt(Math.max(...elementMeans(hier.idata, 'alpha')))} (population mean mu_alpha = ${fmt(ma)}).`,
    `First floors have less radon: the population slope mu_beta = ${fmt(mb)} (exp(${fmt(mb)}) ≈ ${fmt(Math.exp(mb))}, i.e. about ${Math.round(100 * (1 - Math.exp(mb)))}% less radon than in the basement), and the hierarchical county slopes cluster near it.`,
    ...(unp
      ? [
          `Without pooling, counties with little data get wild estimates: CASS has no first-floor measurement, so its unpooled slope (${fmt(elementMeans(unp.idata, 'beta')[d.counties.indexOf('CASS')])}) is the prior's guess with a wide interval; the hierarchical model borrows strength from the other counties (${fmt(elementMeans(hier.idata, 'beta')[d.counties.indexOf('CASS')])}).`,
        ]
      : []),
    ...(hc && hnc
      ? [
          `The centered hierarchical model samples badly: ${hc.sampler.divergences} divergent transitions, largest R-hat ${fmt(maxRhat(hc))}, bulk ESS of sigma_beta ${fmt(hc.stats?.sigma_beta?.ess_bulk, 0)}; ` +
            `the non-centered one fixes it: ${hnc.sampler.divergences} divergences, largest R-hat ${fmt(maxRhat(hnc))}, bulk ESS of sigma_beta ${fmt(hnc.stats?.sigma_beta?.ess_bulk, 0)}.`,
        ]
      : []),
  ];
}

/** Overview: the data and the tutorials, the key findings (when a hierarchical model ran), and the models fitted. */
function overviewSection(c: SectionContext): ReportSection {
  const { data: d, models, counts } = c;
  const overview: ReportBlock[] = [
    {
      kind: 'paragraph',
      text:
        `The Minnesota radon data: ${d.logRadon.length} homes in ${d.counties.length} counties (1 to ${Math.max(...counts)} homes per county), ` +
        'log radon measured in the basement (floor = 0) or on the first floor (floor = 1). This report reproduces the two PyMC3 tutorials on ' +
        'hierarchical linear regression by Thomas Wiecki and Danne Elbers ("The best of both worlds: hierarchical linear regression in PyMC3" ' +
        'and "Why hierarchical models are awesome, tricky, and Bayesian") with nutmeg: complete pooling, no pooling (a separate regression per county) ' +
        'and partial pooling (hierarchical, centered and non-centered).',
    },
  ];
  if (c.hierarchical) overview.push({ kind: 'list', items: findings(c, c.hierarchical) });
  overview.push({
    kind: 'table',
    caption: 'Models fitted in this run',
    columns: ['model (summary.json key)', 'method', 'chains', 'draws', 'tune', 'divergences', 'time (s)', 'gradient evaluations'],
    rows: models.map((m) => [m.key, m.sampler.method, m.sampler.chains, m.sampler.draws, m.sampler.tune, m.sampler.divergences, m.sampler.sampling_s, m.sampler.grad_evals]),
    decimals: [undefined, undefined, 0, 0, 0, 0, 2, 0],
  });
  return { heading: 'Overview', blocks: overview };
}

/** Models: the formula of each fitted model. */
function modelsSection({ models, options: o }: SectionContext): ReportSection {
  return {
    heading: 'Models',
    blocks: [
      { kind: 'paragraph', text: 'c[i] is the county of home i. Written with nutmeg\'s model API in `packages/cli/src/radon/models.ts`.' },
      ...models
        .filter((m) => m.kind !== 'advi')
        .flatMap((m): ReportBlock[] => [
          { kind: 'paragraph', text: `${m.key}:` },
          { kind: 'code', code: (MODEL_TEXT[m.kind] ?? '').replace('{PRIORS}', priorsText(o.priors)) },
        ]),
    ],
  };
}

/** One row of the diagnostics table: divergences, largest R-hat, smallest bulk and tail ESS, number of warnings. */
function diagnosticsRow(m: FittedModel): (string | number | null)[] {
  const stats = Object.values(m.stats ?? parameterStats(m.idata));
  const rh = stats.map((s) => s.r_hat ?? NaN).filter(Number.isFinite);
  const eb = stats.map((s) => s.ess_bulk ?? NaN).filter(Number.isFinite);
  const et = stats.map((s) => s.ess_tail ?? NaN).filter(Number.isFinite);
  return [m.key, m.sampler.method, m.sampler.divergences, rh.length ? Math.max(...rh) : null, eb.length ? Math.round(Math.min(...eb)) : null, et.length ? Math.round(Math.min(...et)) : null, m.warnings.length];
}

/** Each model's warnings as callouts (NUTS's structured ones with their advice), or one saying there were none. */
function warningCallouts(models: readonly FittedModel[]): ReportBlock[] {
  const blocks: ReportBlock[] = [];
  for (const m of models) {
    if (m.detailed.length > 0) {
      for (const w of m.detailed) {
        blocks.push({ kind: 'callout', level: w.severity === 'info' ? 'info' : w.severity === 'error' ? 'error' : 'warning', title: `${m.key}: ${w.code}`, text: `${w.message} ${w.advice}` });
      }
    } else {
      for (const w of m.warnings) blocks.push({ kind: 'callout', level: 'warning', title: m.key, text: w });
    }
  }
  if (models.every((m) => m.warnings.length === 0)) blocks.push({ kind: 'callout', level: 'info', text: 'No warnings: every model converged.' });
  return blocks;
}

/** Diagnostics and warnings: the diagnostics table, the funnel explained (when both hierarchical models ran), its figure, the warnings. */
function diagnosticsSection(c: SectionContext): ReportSection {
  const { models, figures, centered: hc, nonCentered: hnc } = c;
  const diag: ReportBlock[] = [
    {
      kind: 'paragraph',
      text:
        'Convergence diagnostics over every parameter of each model: the largest rank-normalised split R-hat (should be below 1.01) and the smallest bulk and tail effective sample sizes (should exceed 100 per chain). ' +
        'A divergent transition means the sampler met curvature too sharp for its step size; the draws may then miss part of the posterior.',
    },
    { kind: 'table', caption: 'Diagnostics per model', columns: ['model', 'method', 'divergences', 'max r_hat', 'min ess_bulk', 'min ess_tail', 'warnings'], rows: models.map(diagnosticsRow), decimals: [undefined, undefined, 0, 3, 0, 0, 0] },
  ];
  if (hc && hnc) {
    diag.push({
      kind: 'paragraph',
      text:
        `The centered model draws each county's slope from Normal(mu_beta, sigma_beta). When sigma_beta is small the slopes must all be close to mu_beta; when it is large they may spread: the posterior is a funnel, narrow at the bottom, and no single step size suits both ends. ` +
        `NUTS reports this as divergences (${hc.sampler.divergences} here), or, when the step size adapts small enough to avoid them, as chains that get stuck in the neck or never enter it: low E-BFMI, large R-hat and small ESS for sigma_beta (here max R-hat ${fmt(maxRhat(hc))}, min bulk ESS of sigma_beta ${fmt(hc.stats?.sigma_beta?.ess_bulk, 0)}). ` +
        `The non-centered model samples standardised offsets and scales them by sigma_beta, which turns the funnel into a round blob: ${hnc.sampler.divergences} divergences, max R-hat ${fmt(maxRhat(hnc))}, bulk ESS of sigma_beta ${fmt(hnc.stats?.sigma_beta?.ess_bulk, 0)}.`,
    });
  }
  diag.push(...figureBlocks(figures, 'diagnostics'), ...warningCallouts(models));
  return { heading: 'Diagnostics and warnings', blocks: diag };
}

/** Trace plots, when any were drawn. */
function tracesSection({ figures }: SectionContext): ReportSection | undefined {
  const traceBlocks = figureBlocks(figures, 'traces');
  return traceBlocks.length > 0 ? { heading: 'Trace plots', blocks: traceBlocks } : undefined;
}

/** The three counties' posterior means of intercept and slope, unpooled and hierarchical. */
function threeCountyRows({ data: d, counts }: SectionContext, unp: FittedModel, hier: FittedModel): (string | number | null)[][] {
  const ua = elementMeans(unp.idata, 'alpha');
  const ub = elementMeans(unp.idata, 'beta');
  const ha = elementMeans(hier.idata, 'alpha');
  const hb = elementMeans(hier.idata, 'beta');
  return THREE_COUNTIES.map((name) => {
    const k = d.counties.indexOf(name);
    const first = d.floor.filter((_, i) => d.county[i] === k && d.floor[i] === 1).length;
    return [name, counts[k], first, ua[k], ub[k], ha[k], hb[k]];
  });
}

/** Unpooled vs hierarchical: the comparison figures and the three counties' table, when the figures were drawn. */
function comparisonSection(c: SectionContext): ReportSection | undefined {
  const cmp = figureBlocks(c.figures, 'comparison');
  if (cmp.length === 0) return undefined;
  const rows = c.unpooled && c.hierarchical ? threeCountyRows(c, c.unpooled, c.hierarchical) : [];
  return {
    heading: 'Unpooled vs hierarchical',
    blocks: [
      {
        kind: 'paragraph',
        text:
          'Fitting each county on its own (unpooled) trusts a county\'s few homes completely; the hierarchical model learns how much counties differ and pulls each county\'s estimates towards the population, more so the less data the county has.',
      },
      ...cmp,
      ...(rows.length > 0
        ? [
            {
              kind: 'table' as const,
              caption: 'The three counties: posterior means of intercept and slope',
              columns: ['county', 'homes', 'first-floor homes', 'alpha unpooled', 'beta unpooled', 'alpha hierarchical', 'beta hierarchical'],
              rows,
              decimals: [undefined, 0, 0, 2, 2, 2, 2],
            },
          ]
        : []),
    ],
  };
}

/** Prediction: RMSD defined, its table, why the tutorial's numbers differ, the posterior predictive check and LOO-PIT. */
function predictionSection({ models, figures, workflow }: SectionContext): ReportSection {
  const withRmsd = models.filter((m) => m.rmsd);
  return {
    heading: 'Prediction: RMSD and posterior predictive check',
    blocks: [
      {
        kind: 'paragraph',
        text:
          'RMSD (in-sample) = sqrt( (1/919) · Σᵢ (log_radon[i] − E[mu_i | data])² ) over all 919 homes, where mu_i = alpha[c[i]] + beta[c[i]] · floor[i] and E[·| data] is the posterior mean (over all draws). ' +
          'RMSD (LOO) is the same with E[mu_i | data without home i], estimated by Pareto-smoothed importance sampling (PSIS-LOO, Vehtari et al.): it measures how well a model predicts a home it has not seen.',
      },
      {
        kind: 'table',
        caption: 'Root mean squared deviation of the predictions (log radon)',
        columns: ['model', 'RMSD in-sample', 'RMSD LOO', 'homes with PSIS k̂ > 0.7', 'mean of per-county RMSDs'],
        rows: withRmsd.map((m) => [m.key, m.rmsd!.inSample, m.rmsd!.loo, m.rmsd!.looBadK, m.rmsd!.perCountyMean]),
        decimals: [undefined, 3, 3, 0, 3],
      },
      {
        kind: 'paragraph',
        text:
          'The tutorial reports an RMSD of 0.13 for the individual (unpooled) model and 0.08 for the hierarchical one, without showing the code. Those numbers cannot be a per-home deviation of the data from the predictions: the residual sd (eps ≈ 0.7) bounds any such RMSD from below at about 0.7. They were probably computed on some aggregate (for example per-county means of the predictions, or the spread of the predictions across draws); we could not reconstruct them, and report what we define above instead. ' +
          'In-sample, the unpooled model fits its own data at least as closely as the hierarchical one (it has a free intercept, slope and noise per county); out of sample (LOO) the hierarchical model predicts better, because a county\'s few homes are poor evidence on their own. ' +
          'PSIS-LOO is unreliable for homes with k̂ > 0.7 (mostly homes that are alone, or nearly, in their county in the unpooled model: removing them removes all of that county\'s data).',
      },
      ...(Object.keys(workflow.loo).length > 0
        ? [
            {
              kind: 'paragraph' as const,
              text:
                'The RMSD table is the tutorial\'s measure. The modern answer to "which model predicts better" is the expected log predictive density of a new home, estimated by PSIS-LOO (next section): ' +
                'it scores the whole predictive distribution, not only its mean, and comes with a standard error for the difference between two models.',
            },
          ]
        : []),
      ...figureBlocks(figures, 'prediction'),
    ],
  };
}

/** One model's row of the LOO table: elpd_loo, SE, p_loo, elpd_diff, se_diff, looic, homes with k > 0.7. */
function looRow(w: WorkflowResults, key: string): (string | number | null)[] {
  const l = w.loo[key];
  const row = w.compare?.find((r) => r.name === key);
  let bad = 0;
  for (const k of l.diagnostics.paretoK) if (k > 0.7) bad++;
  return [key, l.elpdLoo.estimate, l.elpdLoo.se, l.pLoo.estimate, row?.elpdDiff ?? null, row?.seDiff ?? null, l.looic.estimate, bad];
}

/** Model comparison by PSIS-LOO: what elpd and the Pareto k mean, the table, the comparison and Pareto k figures, loo's warnings. */
function looSection({ data: d, workflow: w, figures }: SectionContext): ReportSection | undefined {
  const keys = w.compare ? w.compare.map((r) => r.name) : Object.keys(w.loo);
  if (keys.length === 0) return undefined;
  const focus = w.focus ? w.loo[w.focus] : undefined;
  const blocks: ReportBlock[] = [
    {
      kind: 'paragraph',
      text:
        `elpd_loo = Σᵢ log p(yᵢ | y₋ᵢ) is the log predictive density of each of the ${d.logRadon.length} homes under the model fitted without it, summed: higher is better. ` +
        'PSIS-LOO estimates it from one fit by reweighting the posterior draws (Pareto-smoothed importance sampling; Vehtari, Gelman & Gabry 2017), as R\'s loo and ArviZ do; the log-likelihood of every home under every draw comes from computeLogLikelihood. ' +
        'p_loo is the effective number of parameters. The models are ordered as loo_compare orders them, best first: elpd_diff is each model\'s elpd_loo minus the best one\'s, and se_diff the standard error of that difference, computed from the paired per-home differences (smaller than either SE of elpd_loo, because the models err on the same homes). ' +
        'A difference of several se_diff is clear; within about two se_diff the models predict equally well. The centered and non-centered models are the same model, so they should tie; the pooled model ignores counties and should lose clearly.',
    },
    {
      kind: 'table',
      caption: 'PSIS-LOO of the models with one joint likelihood (the unpooled model is 85 separate fits; ADVI is an approximation of the hierarchical model)',
      columns: ['model', 'elpd_loo', 'SE', 'p_loo', 'elpd_diff', 'se_diff', 'looic', 'homes with k̂ > 0.7'],
      rows: keys.map((k) => looRow(w, k)),
      decimals: [undefined, 1, 1, 1, 1, 1, 1, 0],
    },
    {
      kind: 'paragraph',
      text:
        'Pareto k̂ tells whether PSIS can be trusted for a home: ≤ 0.5 good, 0.5–0.7 ok, above 0.7 the home is so influential that the posterior without it is too far from the full one and its elpd_loo estimate is unreliable (refit without it, i.e. exact LOO, or use K-fold cross-validation), above 1 the estimate is useless. ' +
        'In the hierarchical model the influential homes are first-floor measurements in counties with few homes (in a default run: CARVER, MCLEOD, COTTONWOOD, KITTSON, …), each nearly the only evidence on its county\'s slope, the more so when extreme, such as the readings of log radon −2.3 (0.1 pCi/L, the smallest value in the data). ' +
          'The centered model, which mixes worse, usually has more homes above 0.7: k̂ also reflects how well the draws cover the posterior.',
    },
  ];
  if (focus) {
    blocks.push({
      kind: 'table',
      caption: `Pareto k table of the ${w.focus} model (R loo's pareto_k_table)`,
      columns: ['k̂ range', 'diagnosis', 'homes', 'proportion', 'min PSIS n_eff'],
      rows: focus.paretoKTable.map((b) => [b.interval, b.label, b.count, b.proportion, Number.isFinite(b.minNEff) ? Math.round(b.minNEff) : null]),
      decimals: [undefined, undefined, 0, 3, 0],
    });
  }
  blocks.push(...figureBlocks(figures, 'loo'));
  for (const k of keys) for (const warning of w.loo[k].warnings) blocks.push({ kind: 'callout', level: 'warning', title: `${k}: PSIS-LOO`, text: warning });
  return { heading: 'Model comparison: PSIS-LOO', blocks };
}

/** Predicting a new house in CASS and in a county with no data, with predict(). */
function newHouseSection({ workflow: w, figures }: SectionContext): ReportSection | undefined {
  const p = w.prediction;
  if (!p) return undefined;
  return {
    heading: 'Predicting a new house',
    blocks: [
      {
        kind: 'paragraph',
        text:
          `predict(model, idata, { data: { floor, county }, allowNewLevels: true }) replaces the model's data (floor, and county given by label) with new rows and draws log radon for each posterior draw. ` +
          `Here: a new house in ${KNOWN_COUNTY} and in '${NEW_COUNTY}', a county the data does not have, each in its basement (floor 0) and on its first floor (floor 1), from the ${w.focus} fit. ` +
          'A new county has no intercept or slope of its own in the posterior: with allowNewLevels they are drawn, per posterior draw, from the fitted population distributions Normal(mu_alpha, sigma_alpha) and Normal(mu_beta, sigma_beta), as brms does with allow_new_levels = TRUE (sample_new_levels = "gaussian"). ' +
          'Without allowNewLevels an unknown label is an error naming the row.',
      },
      {
        kind: 'table',
        caption: `Posterior predictive mean and central intervals of log radon (${p.draws} posterior draws × ${p.copies} predictive draws per case); intercept alpha: the county's expected log radon in a basement`,
        columns: ['county', 'quantity', 'mean', '3%', '25%', '75%', '97%', 'width of 94%'],
        rows: p.rows.map((r) => [r.county, r.quantity, r.mean, r.lo94, r.lo50, r.hi50, r.hi94, r.hi94 - r.lo94]),
        decimals: [undefined, undefined, 2, 2, 2, 2, 2, 2],
      },
      ...figureBlocks(figures, 'newdata'),
    ],
  };
}

/** ADVI vs NUTS: what mean-field ADVI is, how well it fitted, and its figures (when ADVI ran). */
function adviSection({ advi, figures }: SectionContext): ReportSection | undefined {
  if (!advi) return undefined;
  const approx = advi.fit?.approx;
  return {
    heading: 'ADVI vs NUTS',
    blocks: [
      {
        kind: 'paragraph',
        text:
          'Mean-field ADVI approximates the posterior by independent Gaussians in the unconstrained space, fitted by stochastic optimisation. It is fast, and its means are usually close to NUTS\'s; being mean-field it ignores correlations and tends to underestimate spreads, most visibly for the group scales.' +
          (approx ? ` ${approx.message} Pareto k̂ of the approximation: ${fmt(approx.paretoK.k)} (${approx.paretoK.verdict}). ${approx.paretoK.message}` : ''),
      },
      ...figureBlocks(figures, 'advi'),
    ],
  };
}

/** A model's summary table: its scalar parameters and the three counties' coefficients. */
function modelStatsTable(d: RadonData, m: FittedModel): ReportBlock {
  const stats = m.stats ?? parameterStats(m.idata);
  const keys = Object.keys(stats);
  const picked: [string, ParameterStats][] = keys.filter((k) => !k.includes('[')).map((k) => [k, stats[k]]);
  for (const name of THREE_COUNTIES) {
    const c = d.counties.indexOf(name);
    for (const v of ['alpha', 'beta', 'eps']) {
      const k = `${v}[${c}]`;
      if (stats[k]) picked.push([`${v}[${c}] (${name})`, stats[k]]);
    }
  }
  return { kind: 'table', ...statsTable(`${m.key} (${m.sampler.method}): scalar parameters and the three counties' coefficients; all ${keys.length} rows are in summary.json`, picked) };
}

/** Summary tables: az.summary of each model (abridged; summary.json has every row). */
function summaryTablesSection({ data: d, models }: SectionContext): ReportSection {
  return {
    heading: 'Summary tables',
    blocks: [
      { kind: 'paragraph', text: 'As ArviZ\'s az.summary: mean, sd, 94% HDI, Monte Carlo standard errors, bulk and tail ESS, R-hat. Element indices are 0-based in county_code order.' },
      ...models.map((m) => modelStatsTable(d, m)),
    ],
  };
}

/** Speed: seconds per stage, and what the unpooled fits cost here against PyMC3. */
function speedSection({ data: d, options: o, timings, unpooled: unp }: SectionContext): ReportSection {
  const unpTime = unp?.sampler.sampling_s;
  return {
    heading: 'Speed',
    blocks: [
      {
        kind: 'table',
        caption: 'Wall time per stage on this machine (s); total: from the start of the run to writing this report',
        columns: ['stage', 'seconds'],
        rows: Object.entries(timings).map(([k, v]) => [k, v]),
        decimals: [undefined, 2],
      },
      ...(unpTime !== undefined
        ? [
            {
              kind: 'paragraph' as const,
              text: `The ${d.counties.length} unpooled fits (${o.chains} chains × ${o.tune + o.draws} iterations each) took ${fmt(unpTime)} s on ${unp?.unpooled?.where ?? '1 thread'}. The tutorial notes they take about 45 minutes in PyMC3.`,
            },
          ]
        : []),
    ],
  };
}

/** Reproduce: the command line that gives this report again. */
function reproduceSection({ options: o }: SectionContext): ReportSection {
  const modelFlag = o.models.length === 4 ? 'all' : o.models.join(',');
  return {
    heading: 'Reproduce',
    blocks: [
      {
        kind: 'code',
        code: `npx nutmeg radon --model ${modelFlag} --priors ${o.priors} --method ${o.method} --chains ${o.chains} --draws ${o.draws} --tune ${o.tune} --seed ${o.seed} --out ${o.out}`,
      },
      { kind: 'paragraph', text: 'The same seed gives the same draws. summary.json holds every parameter of every model; figures/ holds each figure as SVG and PNG.' },
    ],
  };
}

/**
 * Builds report.html: overview, models, diagnostics and warnings (the centered model's divergences
 * and the non-centered fix), traces, unpooled vs hierarchical (three counties, shrinkage, forest),
 * prediction (RMSD with its definition, posterior predictive check, LOO-PIT), model comparison by
 * PSIS-LOO, predicting a new house (CASS and a new county), ADVI vs NUTS, summary tables,
 * speed, and how to reproduce.
 *
 * @param r - data, options, fitted models, written figures, LOO and predictive results, timings
 * @returns the HTML page (no external resources)
 */
export function buildReport(r: ReportData): string {
  const c = sectionContext(r);
  const { options: o, timings } = r;
  const sections = [
    overviewSection(c),
    modelsSection(c),
    diagnosticsSection(c),
    tracesSection(c),
    comparisonSection(c),
    predictionSection(c),
    looSection(c),
    newHouseSection(c),
    adviSection(c),
    summaryTablesSection(c),
    speedSection(c),
    reproduceSection(c),
  ].filter((s): s is ReportSection => s !== undefined);
  return renderReport({
    title: 'Radon: hierarchical linear regression with nutmeg',
    subtitle: 'Pooled, unpooled and hierarchical models of the Minnesota radon data, after Wiecki & Elbers',
    meta: [
      { label: 'nutmeg', value: NUTMEG_VERSION },
      { label: 'method', value: o.method },
      { label: 'priors', value: o.priors },
      { label: 'seed', value: String(o.seed) },
      { label: 'chains × draws (tune)', value: `${o.chains} × ${o.draws} (${o.tune})` },
      { label: 'total time', value: `${fmt(timings.total, 1)} s` },
    ],
    sections,
    footer: 'Generated by `nutmeg radon`. Self-contained: opens offline.',
  });
}
