// The library's data errors restated for the command line: rows as lines of the CSV file, options as flags.
import { InputError, OptionError } from 'nutmeg';
import type { CsvTable } from './csvTable.js';
import { quote } from './quote.js';

/** The library's missing-value message (formula/table.ts completeRows). */
const MISSING_RE = /^missing value in column (.*) at data row (\d+) \(rows counted from 1\)/;
/** A 1-based data row in the library's other messages (a response the family cannot take, bad trials). */
const ROW_RE = /\b(at row|row) (\d+)\b/;

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
  if (e instanceof OptionError && e.option.startsWith('prior.')) {
    return new InputError(`--prior for ${quote(e.option.slice('prior.'.length))}: ${e.message.slice(e.option.length + 2)}`);
  }
  if (!(e instanceof InputError) || e.name !== 'InputError') return e;
  const missing = MISSING_RE.exec(e.message);
  if (missing) {
    const row = Number(missing[2]) - 1;
    return new InputError(`missing value in column ${missing[1]} on ${rowName(csv, row)}; --drop-missing drops incomplete rows`);
  }
  const row = ROW_RE.exec(e.message);
  if (row) return new InputError(e.message.replace(ROW_RE, (_m, at: string, n: string) => `${at === 'at row' ? 'on ' : ''}${rowName(csv, Number(n) - 1)}`));
  return e;
}
