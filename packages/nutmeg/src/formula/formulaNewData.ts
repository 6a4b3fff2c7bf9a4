// The data containers of a formula model for a new table: the same coding as the fit, group levels as labels (new ones allowed).
import { InputError } from '../core/errors.js';
import { designFromFormula, type FormulaDesign } from './design.js';
import { columnsOf } from './evaluate.js';
import { levelLabel } from './factor.js';
import type { Cell, DataTable } from './table.js';

/**
 * The values of the formula model's data containers (`X_k`, `J_g`, `Z_g_k`, `offset`, `trials`)
 * that the model has (`containers`) for the rows of `table`, coded as the fitted `design` (factor levels, `scale()` parameters).
 * Group indices are given as level labels, so that `predict` maps a level not in the fitted data
 * to a new level. The response column is not needed.
 *
 * @throws InputError naming the column or row (unknown columns, missing values, a factor level the fit did not have)
 */
export function formulaNewData(design: FormulaDesign, table: DataTable, categorical: readonly string[] | undefined, containers: ReadonlySet<string>): Record<string, Float64Array | string[]> {
  const response = design.formula.response;
  const filled: Record<string, ArrayLike<Cell>> = { ...table };
  const n = rowCount(table);
  // The response is not known for new rows: a placeholder column keeps the design's response defined.
  if (response) for (const c of columnsOf(response.value)) if (!Object.prototype.hasOwnProperty.call(table, c)) filled[c] = new Float64Array(n).fill(1);
  const fresh = designFromFormula(design.formula, filled, { categorical, encoding: design.encoding });
  if (fresh.droppedRows > 0) throw new InputError(`new data: ${fresh.droppedRows} rows have missing values`);
  const out: Record<string, Float64Array | string[]> = {};
  fresh.population.columns.forEach((c, k) => (out[`X_${k + 1}`] = c.values));
  fresh.groups.forEach((g, gi) => {
    const fitted = design.groups[gi];
    out[`J_${gi + 1}`] = Array.from(g.index, (level, i) => (level >= 0 ? fitted.levels[level] : g.groupColumns.map((c) => levelLabel(table[c][fresh.rows[i]])).join('_')));
    g.columns.forEach((c, k) => {
      if (c.rName !== '(Intercept)') out[`Z_${gi + 1}_${k + 1}`] = c.values;
    });
  });
  if (fresh.offset) out.offset = fresh.offset;
  if (fresh.trials) out.trials = fresh.trials;
  // Only the containers the model has (a column folded into a group's effects, or a column of
  // ones, needs none).
  return Object.fromEntries(Object.entries(out).filter(([name]) => containers.has(name)));
}

function rowCount(table: DataTable): number {
  const first = Object.values(table)[0];
  return first ? first.length : 0;
}
