// The outputs of a radon run stopped by Ctrl-C: summary.json and report.html that say so, with what is complete, what was interrupted and what did not run.
import { NUTMEG_VERSION, renderReport, type ReportSection } from 'nutmeg';
import { join } from 'node:path';
import type { OutputFolder } from '../outputFolder.js';
import type { RadonData } from './data.js';
import { looSummary, type FittedModel, type LooSummary, type RadonOptions, type RunRecord, type SamplerRecord } from './run.js';
import type { ParameterStats } from './analysis.js';

/** How a run was interrupted. */
export interface InterruptedRun {
  /** The stage that was running (a model's key, `advi`, `loo & predictive`, `summaries`, `figures`, `png`, `report`). */
  readonly stage: string;
  /** How far it got, e.g. `137 of 1000 draws per chain kept in 4 of 4 chains`. */
  readonly detail?: string;
  /** The stages after it, which did not run. */
  readonly notRun: readonly string[];
  /** The files written (relative to the output folder). */
  readonly written: readonly string[];
}

/** A model in the summary.json of an interrupted run. */
export type InterruptedModelSummary =
  | {
      readonly incomplete: false;
      /** null when the run stopped before the summaries stage. */
      readonly parameters: Record<string, ParameterStats> | null;
      readonly rmsd: number | null;
      readonly rmsd_loo: number | null;
      readonly loo: LooSummary | null;
      readonly sampler: SamplerRecord;
      readonly warnings: string[];
    }
  | { readonly incomplete: true; readonly detail: string | null };

/** summary.json of an interrupted run: the markers, then one entry per model fitted or interrupted. */
export type InterruptedSummary = {
  readonly incomplete: true;
  readonly interrupted_stage: string;
  readonly interrupted_detail: string | null;
  readonly stages_not_run: readonly string[];
} & Record<string, unknown>;

/** What {@link interruptedOutputs} needs. */
export interface InterruptedInput {
  readonly data: RadonData;
  readonly options: RadonOptions;
  readonly record: RunRecord;
  readonly interrupted: InterruptedRun;
  readonly out: OutputFolder;
  /** Seconds since the run started. */
  readonly elapsed: number;
}

const r4 = (x: number): number => Number(x.toFixed(4));

/**
 * The summary.json of an interrupted run: `incomplete: true`, the stage interrupted and how far it
 * got, the stages not run, each completely fitted model (`incomplete: false`, its parameters when
 * the summaries were computed, else null) and the interrupted model (`incomplete: true`).
 *
 * @param input - the run's record and how it was interrupted
 * @returns the JSON object
 */
export function interruptedSummary(input: Pick<InterruptedInput, 'record' | 'interrupted'>): InterruptedSummary {
  const { record, interrupted } = input;
  const summary: InterruptedSummary = {
    incomplete: true,
    interrupted_stage: interrupted.stage,
    interrupted_detail: interrupted.detail ?? null,
    stages_not_run: interrupted.notRun,
  };
  const withStats = new Map((record.models ?? []).map((m) => [m.key, m]));
  for (const f of record.fitted) {
    const m: FittedModel = withStats.get(f.key) ?? (record.workflow?.loo[f.key] ? { ...f, loo: record.workflow.loo[f.key] } : f);
    const entry: InterruptedModelSummary = {
      incomplete: false,
      parameters: m.stats ?? null,
      rmsd: m.rmsd ? r4(m.rmsd.inSample) : null,
      rmsd_loo: m.rmsd ? r4(m.rmsd.loo) : null,
      loo: record.workflow ? looSummary(m, record.workflow) : null,
      sampler: m.sampler,
      warnings: m.warnings,
    };
    summary[m.key] = entry;
  }
  const fitting = !(interrupted.stage in summary) && !['loo & predictive', 'summaries', 'figures', 'png', 'report'].includes(interrupted.stage);
  if (fitting) summary[interrupted.stage] = { incomplete: true, detail: interrupted.detail ?? null } satisfies InterruptedModelSummary;
  return summary;
}

/** One sentence saying what was interrupted, for the digest, the report and the closing line. */
export function interruptedSentence(i: InterruptedRun): string {
  return `interrupted (Ctrl-C) during ${i.stage}${i.detail ? ` (${i.detail})` : ''}`;
}

/** The report of an interrupted run: a warning at the top, the models' status, the stages not run, the figures written. */
function interruptedReport(input: InterruptedInput, summary: InterruptedSummary): string {
  const { record, interrupted, options: o } = input;
  const rows = record.fitted.map((m) => [m.key, 'complete', m.sampler.method, m.sampler.chains, m.sampler.draws, m.sampler.sampling_s]);
  const partial = summary[interrupted.stage] as InterruptedModelSummary | undefined;
  if (partial?.incomplete === true) rows.push([interrupted.stage, `incomplete: ${interrupted.detail ?? 'interrupted'}`, o.method, o.chains, o.draws, '']);
  const sections: ReportSection[] = [
    {
      heading: 'Interrupted',
      blocks: [
        {
          kind: 'callout',
          level: 'error',
          title: 'This run is incomplete',
          text: `The run was ${interruptedSentence(interrupted)}. Not run: ${interrupted.notRun.join(', ') || 'nothing'}. This page lists what was complete; it is not the case study's report. Run nutmeg radon again for the full report.`,
        },
      ],
    },
    { heading: 'Models', tables: [{ caption: 'Models of the run and their state', columns: ['model', 'state', 'method', 'chains', 'draws', 'time (s)'], rows, decimals: [undefined, undefined, undefined, 0, 0, 1] }] },
  ];
  if (record.figures.length > 0) {
    sections.push({
      heading: 'Figures written before the interrupt',
      blocks: record.figures.map((f) => ({ kind: 'figure' as const, svg: f.svg, caption: `${f.title}. ${f.caption}`, id: `fig-${f.name}` })),
    });
  }
  return renderReport({
    title: 'Radon case study: interrupted',
    subtitle: `${input.data.logRadon.length} homes in ${input.data.counties.length} counties; incomplete run`,
    meta: [
      { label: 'nutmeg', value: NUTMEG_VERSION },
      { label: 'seed', value: String(o.seed) },
      { label: 'state', value: 'incomplete' },
    ],
    sections,
    footer: 'Made by `nutmeg radon`, interrupted.',
  });
}

/** The digest printed after an interrupted run. */
function interruptedDigest(input: InterruptedInput, reportPath: string): string {
  const { record, interrupted, elapsed } = input;
  const complete = record.fitted.map((m) => `${m.key} (${m.sampler.method}, ${m.sampler.sampling_s.toFixed(1)} s)`);
  return [
    `Radon: ${interruptedSentence(interrupted)} after ${elapsed.toFixed(1)} s.`,
    `Complete: ${complete.length > 0 ? complete.join(', ') : 'no model'}.`,
    `Not run: ${interrupted.notRun.length > 0 ? interrupted.notRun.join(', ') : 'nothing'}.`,
    `Report (marked incomplete): ${reportPath}`,
  ].join('\n');
}

/**
 * Writes summary.json and report.html of an interrupted run (both marked incomplete) and makes its digest.
 *
 * @param input - the run's record and how it was interrupted
 * @returns the paths, the summary and the digest
 * @throws OutputError when a file cannot be written
 */
export async function interruptedOutputs(input: InterruptedInput): Promise<{ summary: InterruptedSummary; summaryPath: string; reportPath: string; digest: string }> {
  const summary = interruptedSummary(input);
  const summaryPath = join(input.out.dir, 'summary.json');
  const reportPath = join(input.out.dir, 'report.html');
  await input.out.write('summary.json', JSON.stringify(summary, null, 2) + '\n');
  await input.out.write('report.html', interruptedReport(input, summary));
  return { summary, summaryPath, reportPath, digest: interruptedDigest(input, reportPath) };
}
