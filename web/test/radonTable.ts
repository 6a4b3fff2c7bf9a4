// The radon CSV parsed as the page parses it, read from disk for tests that run in Node (the page embeds it at build time).
import { readFileSync } from 'node:fs';
import { parseCsvTable, type CsvTable } from '../../packages/cli/src/fit/csvText.js';

/** The radon table (919 rows). */
export function radonTable(): CsvTable {
  return parseCsvTable(readFileSync(new URL('../../packages/cli/data/radon.csv', import.meta.url), 'utf8'), 'radon.csv');
}
