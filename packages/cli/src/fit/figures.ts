// The figures of a formula fit (trace, forest, posterior predictive check, Pareto k) as SVG for report.html.
import {
  forestRows,
  omittedNote,
  plotForest,
  plotParetoK,
  plotPpc,
  plotTrace,
  PLOT_LIMITS,
  renderSvg,
  selectSummaryRows,
  summaryRowTraces,
  traceVariables,
  type ForestRow,
  type InferenceData,
  type SummaryRow,
  type VegaLiteSpec,
} from 'nutmeg';
import type { FormulaModel } from 'nutmeg';
import type { FitResults } from './results.js';
import { checkInterrupt, unlessInterrupted } from '../interrupt.js';

/** A rendered figure. */
export interface Figure {
  readonly name: string;
  readonly caption: string;
  readonly svg: string;
}

/** Most posterior predictive replicates drawn in the PPC. */
const PPC_REPLICATES = 60;

/**
 * The population-level and family parameters (b_, sd_, cor_, sigma…): every parameter but the r_ group effects.
 *
 * @param fm - the formula model
 * @returns their names
 */
export function mainParameters(fm: FormulaModel): string[] {
  return fm.parameters.filter((p) => !p.startsWith('r_'));
}

/** `count` replicates of the observed variable, evenly spaced over the pooled posterior predictive draws. */
function replicates(idata: InferenceData, name: string, count: number): Float64Array[] {
  const v = idata.groups.posterior_predictive?.vars[name];
  if (!v) return [];
  const n = v.values.length / (idata.nChains * idata.nDraws);
  const total = idata.nChains * idata.nDraws;
  const step = Math.max(1, Math.floor(total / count));
  const out: Float64Array[] = [];
  for (let s = 0; s < total && out.length < count; s += step) out.push(v.values.slice(s * n, (s + 1) * n));
  return out;
}

/** A summary row as a forest row: its mean and 94% HDI (the summary's own columns, not computed again). */
function forestRowOf(row: SummaryRow): ForestRow {
  return { label: row.label, mean: row.stats.mean, lo: row.stats['hdi_3%'], hi: row.stats['hdi_97%'] };
}

/**
 * The trace and forest figures of the main parameters. A formula with many predictors has many
 * of them: beyond {@link PLOT_LIMITS} (40 trace rows, 100 forest rows) the figures draw the scalars
 * first and then the worst-mixing elements (`selectSummaryRows`), and the caption says how many of
 * how many are shown and that all are in summary.json.
 */
function mainFigureSpecs(main: readonly string[], r: FitResults): { name: string; caption: string; spec: () => VegaLiteSpec }[] {
  const mainSet = new Set(main);
  const mainRows = r.rows.filter((row) => mainSet.has(row.variable));
  const traced = selectSummaryRows(mainRows, { max: PLOT_LIMITS.maxPanels });
  const forested = selectSummaryRows(mainRows, { max: PLOT_LIMITS.maxForestRows });
  const note = (shown: number): string => {
    const text = omittedNote(shown, mainRows.length, { where: 'summary.json' });
    return text ? ` ${text}` : '';
  };
  const forestTitle = 'Population, scale and correlation parameters';
  return [
    {
      name: 'trace',
      caption: `Trace and density of the population-level and family parameters, per chain.${note(traced.rows.length)}`,
      spec: () => plotTrace(traced.truncated ? summaryRowTraces(r.idata, traced.rows) : traceVariables(r.idata, main, { maxElements: 8 })),
    },
    {
      name: 'forest',
      caption: `Posterior means and 94% HDIs of the population-level and family parameters.${note(forested.rows.length)}`,
      spec: () =>
        plotForest(forested.truncated ? forested.rows.map(forestRowOf) : main.flatMap((p) => forestRows(r.idata, p)), { title: forestTitle }),
    },
  ];
}

/**
 * The figures' specifications: trace and forest of the main parameters (bounded: at most 40 trace
 * rows and 100 forest rows, whatever the formula), PPC, Pareto k.
 *
 * @param fm - the formula model
 * @param r - the fit
 * @returns name, caption and a function making the spec, per figure
 */
export function figureSpecs(fm: FormulaModel, r: FitResults): { name: string; caption: string; spec: () => VegaLiteSpec }[] {
  const main = mainParameters(fm);
  const observed = r.idata.groups.observed_data?.vars[fm.response]?.values;
  const specs = mainFigureSpecs(main, r);
  if (observed) {
    specs.push({
      name: 'ppc',
      caption: `Posterior predictive check: densities of replicated ${fm.design.response?.label ?? fm.response} against the observed.`,
      spec: () => plotPpc(observed, replicates(r.idata, fm.response, PPC_REPLICATES), { xTitle: fm.design.response?.label ?? fm.response, maxReplicates: PPC_REPLICATES }),
    });
  }
  const l = r.loo;
  if ('diagnostics' in l) specs.push({ name: 'pareto_k', caption: 'Pareto k of each observation (PSIS-LOO reliability).', spec: () => plotParetoK(l.diagnostics.paretoK) });
  return specs;
}

/**
 * Renders the figures to SVG.
 *
 * @param fm - the formula model
 * @param r - the fit
 * @param signal - Ctrl-C: checked before each figure
 * @returns the figures, in report order
 * @throws Interrupted when `signal` is aborted
 */
export async function renderFigures(fm: FormulaModel, r: FitResults, signal?: AbortSignal): Promise<Figure[]> {
  const out: Figure[] = [];
  for (const f of figureSpecs(fm, r)) {
    await checkInterrupt(signal);
    out.push({ name: f.name, caption: f.caption, svg: await unlessInterrupted(renderSvg(f.spec()), signal) });
  }
  return out;
}
