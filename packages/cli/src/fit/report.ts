// report.html of a formula fit: the formula, family and priors, the summary, warnings, figures and LOO, on one self-contained page.
import { formatLoo, NUTMEG_VERSION, omittedNote, PLOT_LIMITS, renderReport, selectSummaryRows, type ReportBlock, type ReportSection, type ReportTable, type SummaryRow } from 'nutmeg';
import type { FormulaModel } from 'nutmeg';
import type { Figure } from './figures.js';
import type { FitOptions } from './options.js';
import type { FitResults } from './results.js';

/** Input of {@link fitReport}. */
export interface FitReportInput {
  readonly fm: FormulaModel;
  readonly results: FitResults;
  readonly figures: readonly Figure[];
  readonly options: FitOptions;
  readonly dataFile: string;
  /** The seed sample() used. */
  readonly seed: number;
}

const STAT_COLUMNS = ['mean', 'sd', 'hdi_3%', 'hdi_97%', 'mcse_mean', 'mcse_sd', 'ess_bulk', 'ess_tail', 'r_hat'] as const;

/**
 * The summary rows as a report table (ESS rounded, R̂ with two decimals, as az.summary prints),
 * bounded: beyond {@link PLOT_LIMITS}.maxTableRows rows, the scalars and the worst-mixing
 * elements, with a caption pointing to summary.json for the rest.
 */
function summaryTable(all: readonly SummaryRow[]): ReportTable {
  const { rows } = selectSummaryRows(all, { max: PLOT_LIMITS.maxTableRows });
  const note = omittedNote(rows.length, all.length, { what: 'rows', where: 'summary.json' });
  return {
    caption: `Posterior summary (as az.summary): brms parameter names, 94% HDI${note ? `. ${note}` : ''}`,
    columns: ['parameter', ...STAT_COLUMNS],
    rows: rows.map((r) => [r.label, ...STAT_COLUMNS.map((c) => r.stats[c])]),
    decimals: [undefined, 3, 3, 3, 3, 3, 3, 0, 0, 2],
  };
}

/** A figure as a report block. */
function figureBlock(figures: readonly Figure[], name: string): ReportBlock[] {
  return figures.filter((f) => f.name === name).map((f) => ({ kind: 'figure' as const, svg: f.svg, caption: f.caption, id: `fig-${f.name}` }));
}

/**
 * The HTML report of a fit.
 *
 * @param input - model, results, figures, options
 * @returns a self-contained HTML page (every name and label escaped by renderReport)
 */
export function fitReport(input: FitReportInput): string {
  const { fm, results, figures, options } = input;
  const design = fm.design;
  const sections: ReportSection[] = [
    {
      heading: 'Model',
      blocks: [
        { kind: 'code', code: fm.formula },
        {
          kind: 'list',
          items: [
            `family: ${fm.family}`,
            `data: ${input.dataFile}, ${design.nRows} rows used${design.droppedRows > 0 ? `, ${design.droppedRows} dropped for missing values` : ''}`,
            `NUTS: ${options.chains} chains, ${options.tune} tuning and ${options.draws} draws each, seed ${input.seed}`,
          ],
        },
      ],
    },
    {
      heading: 'Priors',
      tables: [{ caption: 'Priors (as brms prior_summary)', columns: ['prior', 'class', 'coef', 'group', 'source'], rows: fm.priors.map((p) => [p.prior, p.class, p.coef, p.group, p.source]) }],
    },
    { heading: 'Summary', tables: [summaryTable(results.rows)] },
    {
      heading: 'Warnings',
      blocks:
        results.warnings.length === 0
          ? [{ kind: 'paragraph', text: 'No sampling warnings.' }]
          : results.warnings.map((w) => ({ kind: 'callout' as const, level: w.severity === 'info' ? 'info' : w.severity, text: `${w.message} ${w.advice}` })),
    },
    { heading: 'Trace and forest plots', blocks: [...figureBlock(figures, 'trace'), ...figureBlock(figures, 'forest')] },
    { heading: 'Posterior predictive check', blocks: figureBlock(figures, 'ppc') },
    {
      heading: 'LOO',
      blocks:
        'error' in results.loo
          ? [{ kind: 'callout', level: 'warning', text: `PSIS-LOO could not be computed: ${results.loo.error}` }]
          : [{ kind: 'code', code: formatLoo(results.loo) }, ...figureBlock(figures, 'pareto_k')],
    },
  ];
  return renderReport({
    title: 'nutmeg fit',
    subtitle: fm.formula,
    meta: [
      { label: 'nutmeg', value: NUTMEG_VERSION },
      { label: 'family', value: fm.family },
      { label: 'seed', value: String(input.seed) },
    ],
    sections,
    footer: 'Made by `nutmeg fit`.',
  });
}
