// Which parameters a figure or report table shows when a model has too many to draw: scalars first, then the worst-diagnosed elements, within a fixed bound.
import { arrayArgument } from '../core/argumentChecks.js';
import { integerOption, optionsObject } from '../core/optionChecks.js';
import { formatCount } from '../core/formatCount.js';
import type { SummaryRow } from '../posterior/summary.js';

/**
 * Bounds on what one figure or report table draws, so a model with 20,000 parameters gives a
 * readable page in bounded time; what is left out is named in the caption.
 */
export const PLOT_LIMITS = {
  /**
   * Most panels (rows of a trace plot, parameters of a report figure). ArviZ's rcParams
   * `plot.max_subplots` default (40): `plot_trace` and friends draw that many and warn.
   */
  maxPanels: 40,
  /**
   * Most rows of a forest plot. Arbitrary: ArviZ draws every row; 100 rows of 12 px are about
   * one screen and a half, and the radon example's 85 counties fit.
   */
  maxForestRows: 100,
  /**
   * Most rows of a report's summary table (the full table goes to a file). Arbitrary: a few
   * screens; a model of up to 100 parameter elements keeps its whole table in the report.
   */
  maxTableRows: 100,
  /**
   * Most points of a per-observation figure (Pareto k). Arbitrary: more points than a 520 px
   * wide plot has pixel columns several times over; 100,000 points made a 28 MB SVG.
   */
  maxPoints: 5000,
} as const;

/** The rows chosen by {@link selectSummaryRows}, and how many there were. */
export interface SummaryRowSelection {
  /** The chosen rows, in the order of the input. */
  readonly rows: SummaryRow[];
  /** How many rows the input had. */
  readonly total: number;
  /** True when rows were left out. */
  readonly truncated: boolean;
}

/** How badly a row's chains agree: R̂'s excess over 1, or a low ESS, as one score (higher is worse; NaN is worst). */
function badness(r: SummaryRow): number {
  const rHat = r.stats.r_hat;
  const ess = Math.min(r.stats.ess_bulk ?? Infinity, r.stats.ess_tail ?? Infinity);
  if (Number.isNaN(rHat) || Number.isNaN(ess)) return Infinity;
  const fromRhat = rHat === undefined ? 0 : rHat - 1;
  // An ESS of 100 scores as R̂ 1.01 does (both are the warning thresholds).
  const fromEss = Number.isFinite(ess) ? 1 / Math.max(ess, 1) : 0;
  return Math.max(fromRhat, fromEss);
}

/**
 * Chooses at most `max` summary rows to show when there are more: every scalar parameter first
 * (in order, as many as fit), then the elements of vector parameters whose diagnostics are worst
 * (highest R̂ or lowest ESS; a row without diagnostics counts as fine), so the parameters a user
 * must look at are the ones drawn. The result keeps the input's order. One pass to score and a
 * partial selection: O(n log max) for n rows.
 *
 * @param rows - summary rows (e.g. from `summary(idata)`)
 * @param options - `max`: most rows kept (default {@link PLOT_LIMITS}.maxPanels, ArviZ's `plot.max_subplots`)
 * @returns the chosen rows, the total and whether rows were left out
 * @throws OptionError if `rows` is not an array or `max` is not a positive integer
 * @example
 * ```ts
 * declare const idata: InferenceData; // e.g. from sample()
 * const pick = selectSummaryRows(summary(idata), { max: 40 });
 * const note = omittedNote(pick.rows.length, pick.total, { where: 'summary.csv' }); // '' when none was left out
 * ```
 */
export function selectSummaryRows(rows: readonly SummaryRow[], options: { max?: number } = {}): SummaryRowSelection {
  arrayArgument(rows, 'rows', 'selectSummaryRows', 'summary(idata)');
  options = optionsObject(options, 'selectSummaryRows');
  const max = options.max ?? PLOT_LIMITS.maxPanels;
  integerOption('max', max, 1, Number.MAX_SAFE_INTEGER);
  if (rows.length <= max) return { rows: [...rows], total: rows.length, truncated: false };
  const keep = new Uint8Array(rows.length);
  let kept = 0;
  // Scalars: a variable with one element whose label is its name.
  for (let i = 0; i < rows.length && kept < max; i++) {
    if (rows[i].label === rows[i].variable) {
      keep[i] = 1;
      kept++;
    }
  }
  // The worst of the rest: a bounded list kept sorted (worst first), ties to the earlier row.
  const room = max - kept;
  const worst: { i: number; score: number }[] = [];
  for (let i = 0; i < rows.length && room > 0; i++) {
    if (keep[i] === 1) continue;
    const score = badness(rows[i]);
    if (worst.length === room && !(score > worst[room - 1].score)) continue;
    let at = worst.length;
    while (at > 0 && score > worst[at - 1].score) at--;
    worst.splice(at, 0, { i, score });
    if (worst.length > room) worst.pop();
  }
  for (const w of worst) keep[w.i] = 1;
  return { rows: rows.filter((_, i) => keep[i] === 1), total: rows.length, truncated: true };
}

/** What {@link omittedNote} says. */
export interface OmittedNoteOptions {
  /** What is counted. Default `parameters`. */
  readonly what?: string;
  /** How the shown ones were chosen. Default `scalars first, then the worst R̂/ESS` ({@link selectSummaryRows}). */
  readonly how?: string;
  /** Where all of them are (a file name), if anywhere. */
  readonly where?: string;
}

/**
 * The caption sentence saying what a bounded figure or table left out:
 * `Showing 40 of 20,002 parameters (scalars first, then the worst R̂/ESS); all are in summary.csv.`
 *
 * @param shown - how many are drawn
 * @param total - how many there are
 * @param options - what is counted, how the shown ones were chosen, where all of them are
 * @returns the sentence, or an empty string when nothing was left out
 * @throws OptionError if `shown` or `total` is not a whole number ≥ 0, or `options` not an object
 * @example
 * ```ts
 * omittedNote(40, 20002, { where: 'summary.csv' });
 * // 'Showing 40 of 20,002 parameters (scalars first, then the worst R̂/ESS); all are in summary.csv.'
 * ```
 */
export function omittedNote(shown: number, total: number, options: OmittedNoteOptions = {}): string {
  integerOption('shown', shown, 0);
  integerOption('total', total, 0);
  options = optionsObject(options, 'omittedNote');
  if (shown >= total) return '';
  const how = options.how ?? 'scalars first, then the worst R̂/ESS';
  return `Showing ${formatCount(shown)} of ${formatCount(total)} ${options.what ?? 'parameters'} (${how})${options.where ? `; all are in ${options.where}` : ''}.`;
}
