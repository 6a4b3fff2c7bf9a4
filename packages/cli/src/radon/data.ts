// Loads the Minnesota radon data (data/radon.csv) into typed arrays with county names as coords.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';

/** The radon data as the models use it. */
export interface RadonData {
  /** County names in county_code order (AITKIN = 0, …). */
  readonly counties: string[];
  /** 0-based county index per home. */
  readonly county: Int32Array;
  /** 0 basement, 1 first floor. */
  readonly floor: Float64Array;
  readonly logRadon: Float64Array;
}

/** Default location of the CSV shipped with nutmeg (found upwards from this file, in source or built form). */
export const RADON_CSV = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let k = 0; k < 5; k++) {
    const p = join(dir, 'data', 'radon.csv');
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  return join('data', 'radon.csv');
})();

/**
 * Reads radon.csv (columns county, county_code, floor, log_radon among others).
 * @throws Error naming the file, row and column when a value is missing or not a number.
 */
export function loadRadon(path = RADON_CSV): RadonData {
  const rows = parse(readFileSync(path, 'utf8'), { columns: true, skip_empty_lines: true, trim: true }) as Record<string, string>[];
  for (const col of ['county', 'county_code', 'floor', 'log_radon']) {
    if (rows.length === 0 || !(col in rows[0])) throw new Error(`${path}: column '${col}' is missing`);
  }
  const n = rows.length;
  const county = new Int32Array(n);
  const floor = new Float64Array(n);
  const logRadon = new Float64Array(n);
  const names = new Map<number, string>();
  const num = (r: Record<string, string>, col: string, i: number): number => {
    const v = Number(r[col]);
    if (r[col] === '' || !Number.isFinite(v)) throw new Error(`${path}: row ${i + 2}, column '${col}': '${r[col]}' is not a number`);
    return v;
  };
  rows.forEach((r, i) => {
    county[i] = num(r, 'county_code', i);
    floor[i] = num(r, 'floor', i);
    logRadon[i] = num(r, 'log_radon', i);
    names.set(county[i], r.county);
  });
  const k = Math.max(...county) + 1;
  const counties = Array.from({ length: k }, (_, c) => names.get(c) ?? `county_${c}`);
  return { counties, county, floor, logRadon };
}
