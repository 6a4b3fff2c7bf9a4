// The Minnesota radon data embedded in the page (the CLI's data/radon.csv, read at build time), parsed as `nutmeg fit` parses a CSV file.
import radonCsv from '@nutmeg/cli/data/radon.csv?raw';
import { parseCsvTable, type CsvTable } from '@nutmeg/cli/browser';

/** The radon table (919 homes, 30 columns). */
export function radonTable(): CsvTable {
  return parseCsvTable(radonCsv, 'radon.csv');
}
