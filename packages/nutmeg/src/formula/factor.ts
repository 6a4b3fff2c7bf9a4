// Categorical columns as R factors: levels in R's default order (C-locale string order, numeric order for numbers) and a code per row.

import { InputError } from '../core/errors.js';
import { formatRNumber } from './print.js';
import type { Cell } from './table.js';

/** A categorical variable over the selected rows: its levels and each row's level index (0-based). */
export interface Factor {
  readonly levels: readonly string[];
  readonly codes: Int32Array;
}

/**
 * Compares strings by Unicode code point, as R's `sort` does in the C locale (and as brms's
 * factor levels come out under `LC_COLLATE=C`). JavaScript's `<` compares UTF-16 code units, which
 * differs for characters beyond U+FFFF; `localeCompare` would depend on the machine.
 *
 * @param a - first string
 * @param b - second string
 * @returns negative, zero or positive
 *
 * @example
 * ```ts
 * ['b', 'B', 'a'].sort(compareCodePoints); // ['B', 'a', 'b']
 * ```
 */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    if (x.value !== y.value) return x.value.codePointAt(0)! - y.value.codePointAt(0)!;
  }
}

/** The label of a cell as a level: strings as they are, numbers as R's `as.character`. */
export function levelLabel(cell: Cell): string {
  return typeof cell === 'number' ? formatRNumber(cell) : String(cell);
}

/**
 * A factor from a column's values at the given rows, with R's default level order: numbers in
 * numeric order (labelled as R prints them), strings in code-point order (R's C locale).
 *
 * @param name - the column (for messages)
 * @param column - its values
 * @param rows - the rows to use (no missing values)
 * @returns the levels and a 0-based level index per selected row
 * @throws InputError when the column mixes numbers and strings
 *
 * @example
 * ```ts
 * makeFactor('g', ['b', 'a', 'b'], Int32Array.of(0, 1, 2)); // levels ['a', 'b'], codes [1, 0, 1]
 * ```
 */
export function makeFactor(name: string, column: ArrayLike<Cell>, rows: Int32Array): Factor {
  const values = Array.from(rows, (r) => column[r]);
  const numeric = values.every((v) => typeof v === 'number');
  if (!numeric && values.some((v) => typeof v === 'number')) {
    throw new InputError(`column ${JSON.stringify(name)} mixes numbers and strings; give it one type`);
  }
  const distinct = [...new Set(values)] as (number | string)[];
  const sorted = numeric ? (distinct as number[]).sort((a, b) => a - b) : (distinct as string[]).sort(compareCodePoints);
  const index = new Map<Cell, number>(sorted.map((v, i) => [v, i]));
  return { levels: sorted.map(levelLabel), codes: Int32Array.from(values, (v) => index.get(v)!) };
}

/**
 * The factor of an interaction of grouping columns (`g1:g2`): brms pastes the values with `_`
 * (`a_x`) and takes the sorted distinct strings as levels.
 *
 * @param names - the grouping columns
 * @param columns - their values
 * @param rows - the rows to use
 * @returns levels such as `a_x` and a level index per row
 */
export function combinedFactor(names: readonly string[], columns: readonly ArrayLike<Cell>[], rows: Int32Array): Factor {
  const pasted = Array.from(rows, (r) => columns.map((c) => levelLabel(c[r])).join('_'));
  return makeFactor(names.join(':'), pasted, Int32Array.from(pasted, (_, i) => i));
}
