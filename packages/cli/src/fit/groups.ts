// The rows of a CSV table split by the levels of one column (--by), the levels in the formula layer's factor order.
import { InputError, compareCodePoints } from 'nutmeg';
import type { CsvTable } from './csvTable.js';
import { rowName } from './messages.js';
import { quote } from './quote.js';

/** One level of the --by column and the table of its rows. */
export interface GroupTable {
  /** The level as text (numbers as JavaScript prints them). */
  readonly level: string;
  /** The level's rows, as a table of their own (lines and records kept, so messages name the file's lines). */
  readonly csv: CsvTable;
}

/**
 * Splits a table by the levels of `column`: one table per level, levels sorted as the formula
 * layer sorts a factor's levels (numeric order for a numeric column, code-point order for text).
 *
 * @param csv - the whole table
 * @param column - the --by column
 * @param dropMissing - drop rows where the column is missing (otherwise they are an error)
 * @returns the groups in level order
 * @throws InputError when there is no such column, or (without dropMissing) a row misses its level
 */
export function splitByColumn(csv: CsvTable, column: string, dropMissing: boolean): GroupTable[] {
  if (!Object.hasOwn(csv.table, column)) {
    throw new InputError(`--by ${quote(column)}: no such column in ${csv.file} (columns: ${csv.columns.map(quote).join(', ')})`);
  }
  const cells = csv.table[column];
  const rowsOf = new Map<number | string, number[]>();
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i];
    if (cell === null || cell === undefined) {
      if (dropMissing) continue;
      throw new InputError(`--by ${quote(column)}: missing value on ${rowName(csv, i)}; --drop-missing drops those rows`);
    }
    const rows = rowsOf.get(cell) ?? [];
    rows.push(i);
    rowsOf.set(cell, rows);
  }
  const levels = [...rowsOf.keys()];
  if (csv.numeric.has(column)) (levels as number[]).sort((a, b) => a - b);
  else (levels as string[]).sort(compareCodePoints);
  return levels.map((level) => ({ level: String(level), csv: subTable(csv, rowsOf.get(level)!) }));
}

/** The table of the given rows (0-based) of `csv`. */
function subTable(csv: CsvTable, rows: readonly number[]): CsvTable {
  const table = Object.fromEntries(csv.columns.map((name) => [name, rows.map((i) => csv.table[name][i])]));
  return { file: csv.file, columns: csv.columns, table, numeric: csv.numeric, lines: rows.map((i) => csv.lines[i]), records: rows.map((i) => csv.records[i]) };
}
