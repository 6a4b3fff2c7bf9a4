// The radon table's columns as the radon models take them: typed arrays, with county names in county_code order.
import { InputError } from 'nutmeg';
import type { CsvTable, RadonData } from '@nutmeg/cli/browser';

/**
 * The columns the radon models use, as typed arrays, with county names in county_code order.
 *
 * @param t - a table with columns county, county_code, floor, log_radon
 * @returns the models' data
 * @throws InputError naming a missing column or the first row whose value is not a number
 */
export function radonData(t: CsvTable): RadonData {
  const numbers = (name: string): Float64Array => {
    if (!t.numeric.has(name)) throw new InputError(`${t.file}: column '${name}' is missing or not numeric`);
    const col = t.table[name];
    return Float64Array.from({ length: col.length }, (_, i) => {
      const v = col[i];
      if (typeof v !== 'number') throw new InputError(`${t.file}: line ${t.lines[i]}, column '${name}' is missing`);
      return v;
    });
  };
  const codes = numbers('county_code');
  const names = t.table.county;
  if (!names) throw new InputError(`${t.file}: column 'county' is missing`);
  const byCode = new Map<number, string>();
  codes.forEach((c, i) => byCode.set(c, String(names[i])));
  const k = Math.max(...codes) + 1;
  return {
    counties: Array.from({ length: k }, (_, c) => byCode.get(c) ?? `county_${c}`),
    county: Int32Array.from(codes),
    floor: numbers('floor'),
    logRadon: numbers('log_radon'),
  };
}
