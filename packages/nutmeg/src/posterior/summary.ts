// summary(idata): ArviZ's az.summary table (one row per parameter element), printed, or as JSON or CSV.
import { arrayArgument } from '../core/argumentChecks.js';
import { OptionError } from '../core/errors.js';
import { checkKnownKeys, describeValue, optionsObject } from '../core/optionChecks.js';
import { DEFAULT_HDI_PROB, hdiColumnNames } from '../diagnostics/hdi.js';
import { type DrawsSummary, summarizeDraws } from '../diagnostics/summarizeDraws.js';
import { elementDraws, elementLabel, type GroupName, type InferenceData, shapeSize } from './inferenceData.js';
import { drawsHash, recalledConvergence } from './convergenceMemo.js';

/** The statistics ArviZ's `az.summary` shows by default, in its order (`hdi` stands for both bounds). */
export const STATS_COLUMNS = ['mean', 'sd', 'hdi'] as const;
export const DIAGNOSTIC_COLUMNS = ['mcse_mean', 'mcse_sd', 'ess_bulk', 'ess_tail', 'r_hat'] as const;
/** Further statistics that can be asked for by name. */
export const EXTRA_COLUMNS = ['median', 'mcse_median', 'ess_mean', 'ess_sd', 'ess_median'] as const;

/** A statistic that `summary` can show; `hdi` shows the two HDI bounds. */
export type SummaryStatistic =
  | (typeof STATS_COLUMNS)[number]
  | (typeof DIAGNOSTIC_COLUMNS)[number]
  | (typeof EXTRA_COLUMNS)[number];

/** Options of `summary`. */
export interface SummaryOptions {
  /** HDI probability (default 0.94, ArviZ's: columns `hdi_3%`, `hdi_97%`). */
  hdiProb?: number;
  /**
   * Variables to show (default all of the group). A name prefixed with `~` is left out instead,
   * as in ArviZ's `var_names`. One name may be given as a string (`'mu'`), as ArviZ accepts.
   */
  varNames?: string | readonly string[];
  /**
   * Which statistics: `'all'` (default: ArviZ's columns), `'stats'` (mean, sd, HDI),
   * `'diagnostics'` (MCSE, ESS, R̂), or a list of statistic names in the order to show.
   */
  statistics?: 'all' | 'stats' | 'diagnostics' | readonly SummaryStatistic[];
  /** Label elements by their coords (`alpha[CASS]`) instead of 0-based indices (`alpha[0]`). */
  useCoords?: boolean;
  /** Group to summarise (default `posterior`). */
  group?: GroupName;
}

/** Every option of `summary`: a misspelt one is refused with a suggestion. */
const SUMMARY_OPTION_KEYS = {
  hdiProb: true,
  varNames: true,
  statistics: true,
  useCoords: true,
  group: true,
} as const satisfies Record<keyof SummaryOptions, true>;

/** One row of a summary: a parameter element and its statistics, in column order. */
export interface SummaryRow {
  /** Row label: `mu`, `alpha[0]`, or with coords `alpha[CASS]`. */
  readonly label: string;
  /** The variable the element belongs to. */
  readonly variable: string;
  /** Flat (row-major) index of the element within the variable. */
  readonly element: number;
  /** Column name → value, in the column order (NaN where undefined). */
  readonly stats: Readonly<Record<string, number>>;
}

const ALL_KNOWN: readonly string[] = [...STATS_COLUMNS, ...DIAGNOSTIC_COLUMNS, ...EXTRA_COLUMNS];

function resolveStatistics(statistics: SummaryOptions['statistics']): SummaryStatistic[] {
  if (statistics === undefined || statistics === 'all') return [...STATS_COLUMNS, ...DIAGNOSTIC_COLUMNS];
  if (statistics === 'stats') return [...STATS_COLUMNS];
  if (statistics === 'diagnostics') return [...DIAGNOSTIC_COLUMNS];
  if (!Array.isArray(statistics) || statistics.length === 0) {
    throw new OptionError('statistics', `expected 'all', 'stats', 'diagnostics' or a non-empty list of: ${ALL_KNOWN.join(', ')}`);
  }
  for (const s of statistics) {
    if (!ALL_KNOWN.includes(s)) {
      throw new OptionError('statistics', `unknown statistic '${String(s)}'; known: ${ALL_KNOWN.join(', ')}`);
    }
  }
  return [...statistics];
}

/** The variables of a group selected by ArviZ-style `var_names` (with `~` exclusions). */
function selectVariables(available: readonly string[], given: string | readonly string[] | undefined, group: string): string[] {
  if (given !== undefined && typeof given !== 'string' && (!Array.isArray(given) || given.some((n) => typeof n !== 'string'))) {
    throw new OptionError('varNames', `must be a variable name or an array of names such as ['mu', 'tau'], got ${describeValue(given)}`);
  }
  const varNames: readonly string[] | undefined = typeof given === 'string' ? [given] : given;
  if (varNames === undefined || varNames.length === 0) return [...available];
  const include = varNames.filter((n) => !n.startsWith('~'));
  const exclude = varNames.filter((n) => n.startsWith('~')).map((n) => n.slice(1));
  for (const n of [...include, ...exclude]) {
    if (!available.includes(n)) {
      throw new OptionError('varNames', `unknown variable '${n}' in group '${group}'; available: ${available.join(', ') || '(none)'}`);
    }
  }
  const base = include.length > 0 ? include : available;
  return base.filter((n) => !exclude.includes(n));
}

/**
 * A summary of the draws of a group, like ArviZ's `az.summary`: one row per parameter element
 * (`alpha[0]`, … 0-based, or coord labels with `useCoords`), with columns `mean`, `sd`,
 * `hdi_3%`, `hdi_97%`, `mcse_mean`, `mcse_sd`, `ess_bulk`, `ess_tail`, `r_hat` by default.
 * Diagnostics are computed as R posterior 1.4 computes them (see `summarizeDraws`).
 *
 * @param idata - results of sampling
 * @param opts - HDI probability, variable filter, statistics shown, coord labels, group
 * @returns the rows, in variable order then row-major element order
 * @throws OptionError for an unknown variable, statistic, group or option (a misspelt one with a
 *   suggestion), an HDI probability outside (0, 1], `varNames` that is neither a name nor a list of
 *   names (one name as a string is accepted, as in ArviZ), or `idata` that is not InferenceData
 * @example
 * declare const idata: InferenceData; // e.g. from sample()
 * const rows = summary(idata, { varNames: ['mu', 'tau'] });
 * console.log(formatSummaryTable(rows));
 */
export function summary(idata: InferenceData, opts?: SummaryOptions): SummaryRow[] {
  if (idata === null || typeof idata !== 'object' || typeof idata.groups !== 'object' || idata.groups === null) {
    throw new OptionError('idata', `summary needs InferenceData (the result of sample(), fromStanCsv(), …), got ${describeValue(idata)}`);
  }
  opts = optionsObject(opts, 'summary');
  checkKnownKeys(opts, SUMMARY_OPTION_KEYS, 'summary');
  const hdiProb = opts.hdiProb ?? DEFAULT_HDI_PROB;
  const groupName = opts.group ?? 'posterior';
  if (typeof groupName !== 'string') throw new OptionError('group', `must be a group name such as 'posterior', got ${describeValue(groupName)}`);
  const group = Object.hasOwn(idata.groups, groupName) ? idata.groups[groupName] : undefined;
  if (!group) {
    const have = Object.keys(idata.groups).join(', ') || '(none)';
    throw new OptionError('group', `the results have no '${groupName}' group; groups: ${have}`);
  }
  const columns = resolveStatistics(opts.statistics);
  const [hdiLo, hdiHi] = hdiColumnNames(hdiProb);
  const names = selectVariables(Object.keys(group.vars), opts.varNames, groupName);
  const extras = columns.some((c) => c === 'mcse_median' || c === 'ess_sd' || c === 'ess_median');
  const rows: SummaryRow[] = [];
  for (const name of names) {
    const v = group.vars[name];
    const k = shapeSize(v.shape);
    for (let e = 0; e < k; e++) {
      const draws = elementDraws(v, idata.nChains, idata.nDraws, e);
      // R̂ and ESS computed for sampling's warnings on these very draws are not computed again.
      const convergence = recalledConvergence(v.values, e, drawsHash(draws));
      const s = summarizeDraws(draws, { hdiProb, extras, ...(convergence ? { convergence } : {}) });
      const stats: Record<string, number> = {};
      for (const c of columns) {
        if (c === 'hdi') {
          stats[hdiLo] = s.hdiLower;
          stats[hdiHi] = s.hdiUpper;
        } else {
          stats[c] = s[c as keyof DrawsSummary];
        }
      }
      rows.push({ label: elementLabel(name, v, e, opts.useCoords ? idata.coords : undefined), variable: name, element: e, stats });
    }
  }
  return rows;
}

/** The column names of rows (from the first row). */
function columnsOf(rows: readonly SummaryRow[]): string[] {
  return rows.length > 0 ? Object.keys(rows[0].stats) : [];
}

/** A value as the table prints it: ESS as integers, R̂ to 2 decimals, others to `digits` decimals (scientific when tiny or huge). */
function formatCell(column: string, v: number, digits: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (column.startsWith('ess_')) return Math.round(v).toFixed(0);
  if (column === 'r_hat') return v.toFixed(2);
  const a = Math.abs(v);
  if (a !== 0 && (a < 10 ** -digits || a >= 1e7)) return v.toExponential(Math.max(digits - 1, 1));
  return v.toFixed(digits);
}

/**
 * The summary as an aligned text table (labels left, numbers right), as ArviZ prints it.
 *
 * @param rows - rows from `summary`
 * @param opts - `digits`: decimals of the statistics (default 3)
 * @returns the table, ending with a newline
 */
export function formatSummaryTable(rows: readonly SummaryRow[], opts: { digits?: number } = {}): string {
  if (!Array.isArray(rows)) throw new OptionError('rows', `formatSummaryTable needs the rows of summary(idata), got ${describeValue(rows)}`);
  const digits = opts.digits ?? 3;
  const columns = columnsOf(rows);
  const cells = rows.map((r) => columns.map((c) => formatCell(c, r.stats[c], digits)));
  const labelWidth = Math.max(0, ...rows.map((r) => r.label.length));
  const widths = columns.map((c, j) => Math.max(c.length, ...cells.map((row) => row[j].length)));
  const line = (label: string, vals: string[]): string =>
    [label.padEnd(labelWidth), ...vals.map((s, j) => s.padStart(widths[j]))].join('  ').trimEnd();
  return [line('', columns), ...rows.map((r, i) => line(r.label, cells[i]))].join('\n') + '\n';
}

/**
 * The summary as JSON: `{"<label>": {"mean": …, "sd": …, "hdi_3%": …, …}, …}`. NaN and infinite
 * values are written as `null` (JSON has no NaN).
 *
 * @param rows - rows from `summary`
 * @param indent - indentation passed to JSON.stringify (default 2)
 */
export function summaryToJson(rows: readonly SummaryRow[], indent = 2): string {
  arrayArgument(rows, 'rows', 'summaryToJson', 'summary rows from summary()');
  const obj: Record<string, Record<string, number | null>> = {};
  for (const r of rows) {
    const o: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(r.stats)) o[k] = Number.isFinite(v) ? v : null;
    obj[r.label] = o;
  }
  return JSON.stringify(obj, null, indent);
}

/** Quotes a CSV field when it holds a comma, quote or newline (RFC 4180). */
function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A number as pandas writes it to CSV: empty for NaN, `inf`/`-inf`, otherwise full precision. */
function csvNumber(v: number): string {
  if (Number.isNaN(v)) return '';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  return String(v);
}

/**
 * The summary as CSV, laid out as pandas writes ArviZ's summary DataFrame: an unnamed first
 * column of labels, one column per statistic, full precision, empty cells for NaN.
 *
 * @param rows - rows from `summary`
 * @returns CSV text ending with a newline
 */
export function summaryToCsv(rows: readonly SummaryRow[]): string {
  arrayArgument(rows, 'rows', 'summaryToCsv', 'summary rows from summary()');
  const columns = columnsOf(rows);
  const lines = [['', ...columns].map(csvField).join(',')];
  for (const r of rows) {
    lines.push([csvField(r.label), ...columns.map((c) => csvNumber(r.stats[c]))].join(','));
  }
  return lines.join('\n') + '\n';
}
