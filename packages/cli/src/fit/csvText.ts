// Parses CSV text into a formula data table (no file system: the CLI and the web app share it): csv-parse for the syntax, a type per column.
import { InputError, type DataTable } from 'nutmeg';
import { parse } from 'csv-parse/sync';
import { quote } from './quote.js';

/** Cells read as missing (after trimming white space): empty, and R's `NA`. */
const MISSING_TOKENS = new Set(['', 'NA']);

/** A decimal number as R's read.csv accepts it (no hex, no `Infinity`). */
const NUMBER_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/** A CSV file read as a data table. */
export interface CsvTable {
  /** The file, as named on the command line. */
  readonly file: string;
  /** Column names in file order. */
  readonly columns: readonly string[];
  /** Columns by name: numbers (numeric columns) or strings, `null` where missing. */
  readonly table: DataTable;
  /** The columns read as numbers. */
  readonly numeric: ReadonlySet<string>;
  /** The file's line number (1-based, the header on line 1) of each data row. */
  readonly lines: readonly number[];
  /** The raw text of every cell, by row (for writing rows back out unchanged). */
  readonly records: readonly (readonly string[])[];
}

/**
 * Parses CSV text (RFC 4180, comma-separated, a header row, optional UTF-8 BOM). A column is numeric
 * when every non-missing cell is a decimal number; otherwise its cells stay strings. Empty cells, blank
 * cells and `NA` are missing (`null`). An unnamed column (a pandas index) is called `...N` after its
 * position, as readr names it.
 *
 * @param text - the CSV text
 * @param file - the name used in messages
 * @returns the table
 * @throws InputError for CSV syntax errors (with the line), an empty text, a header without data rows,
 *   a repeated column name
 */
export function parseCsvTable(text: string, file: string): CsvTable {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, { bom: true, skip_empty_lines: true, info: true, relax_quotes: false }) as unknown as typeof parsed;
  } catch (e) {
    throw new InputError(`${file}: not a valid CSV file: ${(e as Error).message.split('\n')[0]}`);
  }
  if (parsed.length === 0) throw new InputError(`${file}: the file is empty (expected a header row and data rows)`);
  const columns = parsed[0].record.map((name, j) => (name.trim() === '' ? `...${j + 1}` : name));
  checkHeader(columns, file);
  const rows = parsed.slice(1);
  if (rows.length === 0) throw new InputError(`${file}: there is a header but no data rows`);
  const records = rows.map((r) => r.record);
  const numeric = new Set<string>();
  const entries = columns.map((name, j): [string, (number | string | null)[]] => {
    const cells = records.map((r) => r[j]);
    const isNumeric = cells.every((c) => isMissingCell(c) || NUMBER_RE.test(c.trim()));
    if (isNumeric && cells.some((c) => !isMissingCell(c))) {
      numeric.add(name);
      return [name, cells.map((c) => (isMissingCell(c) ? null : Number(c.trim())))];
    }
    return [name, cells.map((c) => (isMissingCell(c) ? null : c))];
  });
  // Object.fromEntries defines own properties, so a column called `__proto__` stays a column.
  return { file, columns, table: Object.fromEntries(entries), numeric, lines: rows.map((r) => r.info.lines), records };
}

/** Whether a cell's text is missing: empty, blank or `NA`. */
export function isMissingCell(cell: string): boolean {
  return MISSING_TOKENS.has(cell.trim());
}

/** No column name is repeated. */
function checkHeader(columns: readonly string[], file: string): void {
  const seen = new Map<string, number>();
  columns.forEach((name, j) => {
    const first = seen.get(name);
    if (first !== undefined) throw new InputError(`${file}: the column name ${quote(name)} appears twice (columns ${first + 1} and ${j + 1})`);
    seen.set(name, j);
  });
}
