// The Pareto k diagnostic of PSIS-LOO: counts per k bin with the smallest PSIS n_eff, its warnings and its print-out, with loo 2.5's thresholds.
import { OptionError } from '../../core/errors.js';
import { arrayArgument, numbersArgument } from '../../core/argumentChecks.js';
import { formatFixed, printTable } from './rFormat.js';

/** One bin of the Pareto k table. */
export interface ParetoKBin {
  /** R loo's interval label, e.g. `(-Inf, 0.5]`. */
  readonly interval: string;
  /** `good`, `ok`, `bad` or `very bad`. */
  readonly label: 'good' | 'ok' | 'bad' | 'very bad';
  /** Observations whose k falls in the bin. */
  readonly count: number;
  /** count / number of observations. */
  readonly proportion: number;
  /** Smallest PSIS n_eff in the bin (NaN for an empty bin). */
  readonly minNEff: number;
}

/** Upper bounds of the bins (loo 2.5: (−∞, 0.5], (0.5, 0.7], (0.7, 1], (1, ∞)). */
export const PARETO_K_BREAKS = { good: 0.5, ok: 0.7, bad: 1 } as const;

const BINS = [
  { interval: '(-Inf, 0.5]', label: 'good', upper: PARETO_K_BREAKS.good },
  { interval: '(0.5, 0.7]', label: 'ok', upper: PARETO_K_BREAKS.ok },
  { interval: '(0.7, 1]', label: 'bad', upper: PARETO_K_BREAKS.bad },
  { interval: '(1, Inf)', label: 'very bad', upper: Infinity },
] as const;

/** Help pointer loo prints after the table and warnings. */
export const K_HELP = "See help('pareto-k-diagnostic') for details.";

/**
 * The Pareto k table (R loo's `pareto_k_table`): how many observations have k in each bin, and
 * the smallest PSIS n_eff among them. NaN k values are in no bin.
 *
 * @param k - Pareto k per observation
 * @param nEff - PSIS n_eff per observation
 * @returns the four bins, good to very bad
 */
export function paretoKTable(k: ArrayLike<number>, nEff: ArrayLike<number>): ParetoKBin[] {
  numbersArgument(k, 'k', 'paretoKTable');
  numbersArgument(nEff, 'nEff', 'paretoKTable');
  return BINS.map((bin, b) => {
    const lower = b === 0 ? -Infinity : BINS[b - 1].upper;
    let count = 0;
    let minNEff = NaN;
    for (let i = 0; i < k.length; i++) {
      if (k[i] > lower && k[i] <= bin.upper) {
        count++;
        if (!(nEff[i] >= minNEff)) minNEff = nEff[i];
      }
    }
    return { interval: bin.interval, label: bin.label, count, proportion: count / k.length, minNEff };
  });
}

/**
 * The warnings loo 2.5.1 gives for Pareto k values (`throw_pareto_warnings`), with the counts.
 *
 * @param k - Pareto k per observation
 * @returns zero or one message
 */
export function paretoKWarnings(k: ArrayLike<number>): string[] {
  let high = 0;
  let tooHigh = 0;
  for (let i = 0; i < k.length; i++) {
    if (k[i] > PARETO_K_BREAKS.ok) tooHigh++;
    else if (k[i] > PARETO_K_BREAKS.good) high++;
  }
  if (tooHigh > 0) {
    return [
      `Some Pareto k diagnostic values are too high (${tooHigh} of ${k.length} observations with k > 0.7): ` +
        `their elpd_loo estimates are unreliable; refit without them (exact LOO) or use K-fold cross-validation. ${K_HELP}`,
    ];
  }
  if (high > 0) return [`Some Pareto k diagnostic values are slightly high (${high} of ${k.length} observations with 0.5 < k ≤ 0.7). ${K_HELP}`];
  return [];
}

/**
 * The Pareto k table as R loo 2.5.1 prints it (`print.pareto_k_table`, digits = 1), or the
 * one-line "All Pareto k estimates are good" message. Trailing blanks are trimmed.
 *
 * @param table - from {@link paretoKTable}
 * @returns the text (no trailing newline)
 */
export function formatParetoKTable(table: readonly ParetoKBin[]): string {
  arrayArgument(table, 'table', 'formatParetoKTable', 'bins from paretoKTable()');
  if (table.length !== BINS.length) throw new OptionError('table', `formatParetoKTable needs the ${BINS.length} bins of paretoKTable(), got ${table.length}`);
  if (table[1].count + table[2].count + table[3].count === 0) return 'All Pareto k estimates are good (k < 0.5).';
  const counts = formatFixed(table.map((b) => b.count), 0);
  const pct = formatFixed(table.map((b) => 100 * b.proportion), 1).map((p) => p + '%');
  const width = Math.max(...table.map((b) => b.interval.length));
  const rows = table.map((b) => b.interval.padStart(width));
  const cells = table.map((b, i) => ['', `(${b.label})`, counts[i], pct[i], Number.isNaN(b.minNEff) ? '<NA>' : String(Math.round(b.minNEff))]);
  let out = 'Pareto k diagnostic values:\n' + printTable(rows, [' ', ' ', 'Count', 'Pct.   ', 'Min. n_eff'], cells);
  if (table[2].count + table[3].count === 0) out += '\n\nAll Pareto k estimates are ok (k < 0.7).';
  return out;
}

