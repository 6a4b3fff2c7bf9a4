// Reads a CSV file into a formula data table (the parsing itself is csvText.ts, shared with the web app).
import { InputError } from 'nutmeg';
import { readFile } from 'node:fs/promises';
import { parseCsvTable, type CsvTable } from './csvText.js';

export { parseCsvTable, isMissingCell, type CsvTable } from './csvText.js';

/**
 * Reads a CSV file (RFC 4180, comma-separated, a header row, optional UTF-8 BOM). A column is numeric
 * when every non-missing cell is a decimal number; otherwise its cells stay strings. Empty cells, blank
 * cells and `NA` are missing (`null`). An unnamed column (a pandas index) is called `...N` after its
 * position, as readr names it.
 *
 * @param file - path of the CSV file
 * @returns the table with its columns, types and line numbers
 * @throws InputError for a missing or unreadable file, CSV syntax errors (with the line), an empty file,
 *   a header without data rows, a repeated column name
 */
export async function readCsvTable(file: string): Promise<CsvTable> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${code ?? (e as Error).message})`);
  }
  return parseCsvTable(text, file);
}

