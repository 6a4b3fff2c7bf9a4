// The data a formula is applied to: a table of named columns, column lookup with suggestions, missing values, row selection.

import { InputError } from '../core/errors.js';

/** One cell: a number, a string (categorical), or missing (`null`, `undefined`, `NaN`, `''`). */
export type Cell = number | string | null | undefined;

/** A data table by column: every column the same length (e.g. the columns of a parsed CSV). */
export type DataTable = Readonly<Record<string, ArrayLike<Cell>>>;

/**
 * Whether a cell is missing: `null`, `undefined`, `NaN` or an empty (or all-blank) string.
 *
 * @param cell - one value of a column
 * @returns true when the value is missing
 *
 * @example
 * ```ts
 * isMissing(''); // true
 * isMissing(0); // false
 * ```
 */
export function isMissing(cell: Cell): boolean {
  return cell === null || cell === undefined || (typeof cell === 'number' && Number.isNaN(cell)) || (typeof cell === 'string' && cell.trim() === '');
}

/** Levenshtein distance, for "did you mean" suggestions (names are short; the quadratic cost is fine). */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The columns most like `name` (same ignoring case, or within a third of its length in edits), closest first.
 *
 * @param name - the unknown column name
 * @param columns - the table's column names
 * @returns up to three suggestions
 *
 * @example
 * ```ts
 * similarColumns('flor', ['floor', 'county', 'log_radon']); // ['floor']
 * ```
 */
export function similarColumns(name: string, columns: readonly string[]): string[] {
  const limit = Math.max(1, Math.floor(name.length / 3));
  const scored = columns
    .map((c) => ({ c, d: c.toLowerCase() === name.toLowerCase() ? 0 : editDistance(name.slice(0, 200), c.slice(0, 200)) }))
    .filter((s) => s.d <= limit)
    .sort((a, b) => a.d - b.d);
  return scored.slice(0, 3).map((s) => s.c);
}

/**
 * A column of the table, or an InputError naming it and listing similar columns.
 * Looks up own properties only, so names such as `__proto__` or `constructor` are plain data.
 *
 * @param table - the data
 * @param name - the column
 * @returns the column's values
 * @throws InputError when there is no such column
 */
export function getColumn(table: DataTable, name: string): ArrayLike<Cell> {
  if (Object.hasOwn(table, name)) return table[name];
  const similar = similarColumns(name, Object.keys(table));
  const hint = similar.length > 0 ? `; similar: ${similar.map((s) => JSON.stringify(s)).join(', ')}` : '';
  const count = Object.keys(table).length;
  throw new InputError(`unknown column ${JSON.stringify(name)} in the formula (the data has ${count} column${count === 1 ? '' : 's'}${hint})`);
}

/**
 * The number of rows shared by the named columns.
 *
 * @param table - the data
 * @param names - the columns in use (at least one)
 * @returns their common length
 * @throws InputError when the columns differ in length
 */
export function rowCount(table: DataTable, names: readonly string[]): number {
  const lengths = names.map((n) => getColumn(table, n).length);
  const n = lengths.length > 0 ? lengths[0] : Math.max(0, ...Object.values(table).map((c) => c.length));
  const bad = lengths.findIndex((l) => l !== n);
  if (bad >= 0) throw new InputError(`column ${JSON.stringify(names[bad])} has ${lengths[bad]} rows, column ${JSON.stringify(names[0])} has ${n}`);
  return n;
}

/** Rows kept after the missing-value check, as indices into the table. */
export interface RowSelection {
  readonly rows: Int32Array;
  readonly dropped: number;
}

/**
 * The rows with no missing value in the named columns: an error at the first missing value, or, with
 * `dropMissing`, those rows dropped and counted.
 *
 * @param table - the data
 * @param names - the columns the formula uses
 * @param dropMissing - drop incomplete rows instead of failing
 * @returns the kept rows (0-based) and how many were dropped
 * @throws InputError naming the row (1-based data row) and the column of the first missing value
 */
export function completeRows(table: DataTable, names: readonly string[], dropMissing: boolean): RowSelection {
  const n = rowCount(table, names);
  const keep = new Uint8Array(n).fill(1);
  for (const name of names) {
    const column = getColumn(table, name);
    for (let i = 0; i < n; i++) {
      if (!isMissing(column[i])) continue;
      if (!dropMissing) throw new InputError(`missing value in column ${JSON.stringify(name)} at data row ${i + 1} (rows counted from 1); drop incomplete rows with the dropMissing option`);
      keep[i] = 0;
    }
  }
  const rows: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i] === 1) rows.push(i);
  return { rows: Int32Array.from(rows), dropped: n - rows.length };
}
