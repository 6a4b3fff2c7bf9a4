// Checks that the response suits the family (counts for poisson, 0/1 for bernoulli, positive for gamma…), naming the first bad row.
import { InputError } from 'nutmeg';
import type { FamilyName, FormulaDesignView } from './builder.js';

/** What each family needs of the response, as a test and its description. */
const SUPPORT: Partial<Record<FamilyName, { ok: (y: number, trials: number) => boolean; needs: string }>> = {
  poisson: { ok: (y) => Number.isInteger(y) && y >= 0, needs: 'counts (whole numbers ≥ 0)' },
  negbinomial: { ok: (y) => Number.isInteger(y) && y >= 0, needs: 'counts (whole numbers ≥ 0)' },
  binomial: { ok: (y, n) => Number.isInteger(y) && y >= 0 && y <= n, needs: 'whole numbers of successes between 0 and trials(n)' },
  bernoulli: { ok: (y) => y === 0 || y === 1, needs: '0 or 1' },
  gamma: { ok: (y) => y > 0, needs: 'positive values' },
  lognormal: { ok: (y) => y > 0, needs: 'positive values' },
};

/**
 * Throws when a response value is outside the family's support.
 *
 * @param family - the brms family
 * @param design - the model's design (response values, trials, and the table row of each)
 * @param rowName - the name of a 0-based table row in messages (e.g. `line 5 of data.csv`)
 * @throws InputError naming the family, the value and the row
 */
export function checkResponseFitsFamily(family: FamilyName, design: FormulaDesignView, rowName: (row: number) => string): void {
  const support = SUPPORT[family];
  const r = design.response;
  if (!support || r === null) return;
  for (let i = 0; i < r.values.length; i++) {
    const trials = design.trials ? design.trials[i] : Infinity;
    if (!support.ok(r.values[i], trials)) {
      throw new InputError(`the ${family} family needs ${support.needs} as the response, but ${r.label} is ${r.values[i]} on ${rowName(design.rows[i])}; choose another --family`);
    }
  }
}
