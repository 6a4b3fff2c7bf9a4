// Text print-outs of LOO, WAIC and model comparisons, laid out as R loo 2.5.1 prints them.
import { OptionError } from '../../core/errors.js';
import { describeValue } from '../../core/optionChecks.js';
import { arrayArgument } from '../../core/argumentChecks.js';
import type { Estimate } from './estimate.js';
import type { LooResult } from './loo.js';
import type { LooCompareRow } from './looCompare.js';
import { formatParetoKTable, K_HELP } from './paretoKTable.js';
import { formatFixed, printTable } from './rFormat.js';
import type { WaicResult } from './waic.js';

function estimatesTable(rows: readonly [string, Estimate][]): string {
  const est = formatFixed(rows.map(([, e]) => e.estimate), 1);
  const se = formatFixed(rows.map(([, e]) => e.se), 1);
  return printTable(rows.map(([name]) => name), ['Estimate', 'SE'], rows.map((_, i) => [est[i], se[i]]), true);
}

/**
 * A PSIS-LOO result as R loo 2.5.1's `print.psis_loo` shows it: dimensions, the estimates table
 * (one decimal), the Monte Carlo SE of elpd_loo, the Pareto k table and the help pointer.
 *
 * @param l - from `loo`
 * @returns the text (no leading or trailing blank line)
 * @example
 * ```ts
 * declare const idata: InferenceData; // with a log_likelihood group
 * console.log(formatLoo(loo(idata)));
 * // Computed from 1600 by 50 log-likelihood matrix
 * //
 * //          Estimate  SE
 * // elpd_loo    -70.6 5.0
 * // …
 * ```
 */
export function formatLoo(l: LooResult): string {
  if ((l as Partial<LooResult> | null)?.method !== 'psis_loo') throw new OptionError('loo', `formatLoo needs the result of loo(), got ${describeValue(l)}`);
  return [
    `Computed from ${l.nDraws} by ${l.nObs} log-likelihood matrix`,
    '',
    estimatesTable([
      ['elpd_loo', l.elpdLoo],
      ['p_loo', l.pLoo],
      ['looic', l.looic],
    ]),
    '------',
    `Monte Carlo SE of elpd_loo is ${formatFixed([l.mcseElpdLoo], 1)[0]}.`,
    '',
    formatParetoKTable(l.paretoKTable),
    K_HELP,
  ].join('\n');
}

/**
 * A WAIC result as R loo 2.5.1's `print.waic` shows it, with its p_waic warning if any.
 *
 * @param w - from `waic`
 * @returns the text
 */
export function formatWaic(w: WaicResult): string {
  if ((w as Partial<WaicResult> | null)?.method !== 'waic') throw new OptionError('waic', `formatWaic needs the result of waic(), got ${describeValue(w)}`);
  const lines = [
    `Computed from ${w.nDraws} by ${w.nObs} log-likelihood matrix`,
    '',
    estimatesTable([
      ['elpd_waic', w.elpdWaic],
      ['p_waic', w.pWaic],
      ['waic', w.waic],
    ]),
  ];
  if (w.warnings.length > 0) lines.push('', ...w.warnings);
  return lines.join('\n');
}

/**
 * A comparison as R loo 2.5.1's `print.compare.loo` shows it: elpd_diff and se_diff, one decimal.
 *
 * @param rows - from `looCompare`
 * @returns the text
 */
export function formatLooCompare(rows: readonly LooCompareRow[]): string {
  arrayArgument(rows, 'rows', 'formatLooCompare', 'rows from looCompare()');
  const d = formatFixed(rows.map((r) => r.elpdDiff), 1);
  const s = formatFixed(rows.map((r) => r.seDiff), 1);
  return printTable(rows.map((r) => r.name), ['elpd_diff', 'se_diff'], rows.map((_, i) => [d[i], s[i]]), true);
}
