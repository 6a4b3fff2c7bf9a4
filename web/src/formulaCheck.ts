// Checks a formula, family and priors against a table as the user types: the model they build, or the error with the position to point at.
import { FormulaSyntaxError, PriorSyntaxError, type FamilyName, type PriorRow } from 'nutmeg';
import type { CsvTable } from '@nutmeg/cli/browser';
import { prepareModel } from './fitModel.js';

/** Where an error is: which text and the 0-based offset in it. */
export interface ErrorPosition {
  /** The formula or one prior string (by its index among the priors). */
  readonly field: 'formula' | 'prior';
  readonly priorIndex?: number;
  /** The text the offset points into. */
  readonly text: string;
  readonly offset: number;
}

/** The result of a check. */
export type FormulaCheck =
  | { readonly ok: true; readonly priors: readonly PriorRow[]; readonly parameters: readonly string[] }
  | { readonly ok: false; readonly message: string; readonly position?: ErrorPosition };

/**
 * Builds the formula model to see whether it is valid (syntax, columns, family, priors).
 *
 * @param formula - the brms formula
 * @param family - the family
 * @param priors - prior strings, one per line of the priors box
 * @param table - the data
 * @returns the priors brms would use (prior_summary) and the parameter names, or the error
 */
export function checkFormula(formula: string, family: FamilyName, priors: readonly string[], table: CsvTable): FormulaCheck {
  if (formula.trim() === '') return { ok: false, message: 'Write a formula, e.g. y ~ x + (1 | g).' };
  try {
    const p = prepareModel({ kind: 'formula', formula, family, priors, table });
    const fm = p.formula;
    return { ok: true, priors: fm?.priors ?? [], parameters: fm?.parameters ?? [] };
  } catch (e) {
    if (e instanceof FormulaSyntaxError) return { ok: false, message: e.message, position: { field: 'formula', text: e.formula, offset: e.offset } };
    if (e instanceof PriorSyntaxError) {
      const index = priors.indexOf(e.prior);
      return { ok: false, message: e.message, position: { field: 'prior', priorIndex: index, text: e.prior, offset: e.offset } };
    }
    return { ok: false, message: (e as Error).message };
  }
}
