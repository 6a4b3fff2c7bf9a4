// The library's data errors restated for the command line: rows as lines of the CSV file, options as flags.
import { InputError } from 'nutmeg';
import type { CsvTable } from './csvTable.js';

/** The library's missing-value message (formula/table.ts completeRows). */
const MISSING_RE = /^missing value in column (.*) at data row (\d+) \(rows counted from 1\)/;

/**
 * The name of a 0-based data row of the CSV file in messages.
 *
 * @param csv - the table read
 * @param row - 0-based data row
 * @returns e.g. `line 5 of data.csv`
 */
export function rowName(csv: CsvTable, row: number): string {
  return `line ${csv.lines[row] ?? row + 2} of ${csv.file}`;
}

/**
 * Restates an InputError of the formula layer in the command's terms, when it is one it knows.
 *
 * @param e - the error
 * @param csv - the data file
 * @returns the error to report (the same one when nothing needs restating)
 */
export function restateDataError(e: unknown, csv: CsvTable): unknown {
  if (!(e instanceof InputError)) return e;
  const missing = MISSING_RE.exec(e.message);
  if (missing) {
    const row = Number(missing[2]) - 1;
    return new InputError(`missing value in column ${missing[1]} on ${rowName(csv, row)}; --drop-missing drops incomplete rows`);
  }
  return e;
}
