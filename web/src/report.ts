// The downloads of a run: InferenceData JSON (ArviZ), one CmdStan CSV per chain, and the self-contained HTML report (renderReport escapes every name).
import { formatLoo, formatPriorSummary, NUTMEG_VERSION, renderReport, toArvizJson, toStanCsv, type ReportBlock, type ReportSection } from 'nutmeg';
import type { FitOutcome } from './fitRun.js';
import type { RenderedChart } from './charts.js';

/** A file to offer for download. */
export interface Download {
  readonly filename: string;
  readonly type: string;
  /** Made on click (the JSON of a large run is tens of MB). */
  readonly content: () => string;
}

const STAT_COLUMNS = ['mean', 'sd', 'hdi_3%', 'hdi_97%', 'mcse_mean', 'mcse_sd', 'ess_bulk', 'ess_tail', 'r_hat'] as const;

/**
 * The report of a run: model, sampler settings, warnings, summary, figures, LOO.
 *
 * @param o - the run
 * @param charts - its rendered charts
 * @returns a self-contained HTML page
 */
export function reportHtml(o: FitOutcome, charts: readonly RenderedChart[]): string {
  const s = o.settings;
  const figure = (c: RenderedChart): ReportBlock => ({ kind: 'figure', svg: c.svg, caption: c.caption, id: `fig-${c.name}` });
  const drawn = charts.filter((c) => c.svg !== '');
  const fm = o.prepared.formula;
  const sections: ReportSection[] = [
    {
      heading: 'Model',
      blocks: [
        { kind: 'code', code: o.prepared.title },
        {
          kind: 'list',
          items: [
            `NUTS: ${s.chains} chains, ${s.tune} tuning and ${s.draws} draws each, seed ${s.seed}`,
            `sampling took ${o.samplingSeconds.toFixed(2)} s; ${o.divergences} divergences`,
            ...(o.incomplete ? [`stopped early: ${o.idata.nChains} chains with ${o.idata.nDraws} draws each were kept`] : []),
          ],
        },
        ...(fm ? [{ kind: 'code' as const, code: formatPriorSummary(fm.priors) }] : []),
      ],
    },
    {
      heading: 'Warnings',
      blocks:
        o.warnings.length === 0
          ? [{ kind: 'paragraph', text: 'No sampling warnings.' }]
          : o.warnings.map((w) => ({ kind: 'callout' as const, level: w.severity === 'info' ? 'info' : w.severity, text: `${w.message} ${w.advice}` })),
    },
    {
      heading: 'Summary',
      tables: [{ caption: 'Posterior summary (as az.summary), 94% HDI', columns: ['parameter', ...STAT_COLUMNS], rows: o.rows.map((r) => [r.label, ...STAT_COLUMNS.map((c) => r.stats[c])]), decimals: [undefined, 3, 3, 3, 3, 3, 3, 0, 0, 2] }],
    },
    { heading: 'Figures', blocks: drawn.map(figure) },
    { heading: 'LOO', blocks: 'error' in o.loo ? [{ kind: 'callout', level: 'warning', text: `PSIS-LOO could not be computed: ${o.loo.error}` }] : [{ kind: 'code', code: formatLoo(o.loo) }] },
  ];
  return renderReport({
    title: 'nutmeg in the browser',
    subtitle: o.prepared.title,
    meta: [
      { label: 'nutmeg', value: NUTMEG_VERSION },
      { label: 'seed', value: String(s.seed) },
    ],
    sections,
    footer: 'Made by the nutmeg web app.',
  });
}

/**
 * Everything a run offers for download.
 *
 * @param o - the run
 * @param charts - its rendered charts (for the report)
 * @returns the files
 */
export function downloads(o: FitOutcome, charts: readonly RenderedChart[]): Download[] {
  const files: Download[] = [
    { filename: 'idata.json', type: 'application/json', content: () => toArvizJson(o.idata) },
    { filename: 'report.html', type: 'text/html', content: () => reportHtml(o, charts) },
  ];
  for (let c = 0; c < o.idata.nChains; c++) files.push({ filename: `chain-${c + 1}.csv`, type: 'text/csv', content: () => toStanCsv(o.idata, c) });
  return files;
}
