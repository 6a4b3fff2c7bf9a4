// brms's renaming of design-column names (R/misc.R `rename()`): `log(x)` → `logx`, `I(x^2)` → `IxE2`, `(Intercept)` → `Intercept`.

import { InputError } from '../core/errors.js';

/**
 * brms's default replacements, applied in this order (brms 2.x, R/misc.R `rename()`): spaces,
 * parentheses, brackets, commas, quotes and `?` removed; `+` → `P`, `-` → `M`, `*` → `MU`,
 * `/` → `D`, `^` → `E`, `=` → `EQ`, `$` → `USD`. `:` (interactions) and backquotes stay.
 */
const BRMS_REPLACEMENTS: readonly (readonly [string, string])[] = [
  [' ', ''], ['(', ''], [')', ''], ['[', ''], [']', ''], [',', ''], ['"', ''], ["'", ''], ['?', ''],
  ['+', 'P'], ['-', 'M'], ['*', 'MU'], ['/', 'D'], ['^', 'E'], ['=', 'EQ'], ['$', 'USD'],
];

/**
 * A model-matrix column name as brms names its coefficient (without the `b_` prefix).
 *
 * @param rName - R's column name (`log(x)`, `I(x^2)`, `groupB:x`, `(Intercept)`)
 * @returns brms's name (`logx`, `IxE2`, `groupB:x`, `Intercept`)
 *
 * @example
 * ```ts
 * brmsName('I(x^2)'); // 'IxE2'
 * brmsName('log(x + 1)'); // 'logxP1'
 * ```
 */
export function brmsName(rName: string): string {
  let out = rName;
  for (const [pattern, replacement] of BRMS_REPLACEMENTS) out = out.split(pattern).join(replacement);
  return out;
}

/**
 * brms's names for a list of R column names, refusing duplicates as brms does (`check_dup`).
 *
 * @param rNames - R's column names
 * @returns brms's names, in the same order
 * @throws InputError when two columns get the same name (e.g. `x+1` and `xP1`)
 */
export function brmsNames(rNames: readonly string[]): string[] {
  const out = rNames.map(brmsName);
  const seen = new Map<string, string>();
  out.forEach((name, i) => {
    const other = seen.get(name);
    if (other !== undefined) {
      throw new InputError(`columns ${JSON.stringify(other)} and ${JSON.stringify(rNames[i])} both become ${JSON.stringify(name)} after brms's renaming; rename a variable`);
    }
    seen.set(name, rNames[i]);
  });
  return out;
}
