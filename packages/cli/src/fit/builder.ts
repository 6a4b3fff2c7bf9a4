// The formula model builder the command uses (nutmeg's formulaModel), behind an interface so tests can give their own.
import * as nutmeg from 'nutmeg';
import type { DataTable, DistributionSpec, Model, NewDataValue } from 'nutmeg';

/** brms's family names. */
export type FamilyName = 'gaussian' | 'student' | 'bernoulli' | 'binomial' | 'poisson' | 'negbinomial' | 'gamma' | 'lognormal';

/** The families, for the help text and option checking. */
export const FAMILY_NAMES: readonly FamilyName[] = ['gaussian', 'student', 'bernoulli', 'binomial', 'poisson', 'negbinomial', 'gamma', 'lognormal'];

/** Options of the builder. */
export interface FormulaModelOptions {
  family?: FamilyName;
  prior?: Readonly<Record<string, DistributionSpec>>;
  categorical?: readonly string[];
  dropMissing?: boolean;
}

/** One row of brms's prior_summary. */
export interface PriorRow {
  readonly prior: string;
  readonly class: string;
  readonly coef: string;
  readonly group: string;
  readonly source: 'default' | 'user';
}

/** The parts of the formula design the command reads. */
export interface FormulaDesignView {
  readonly nRows: number;
  /** The table row (0-based) of each used row. */
  readonly rows: ArrayLike<number>;
  readonly droppedRows: number;
  readonly response: { readonly label: string; readonly values: ArrayLike<number> } | null;
  readonly trials: ArrayLike<number> | null;
}

/** A model built from a formula (the library's FormulaModel, the fields the command uses). */
export interface FormulaModel {
  readonly model: Model;
  readonly formula: string;
  readonly family: FamilyName;
  readonly design: FormulaDesignView;
  readonly priors: readonly PriorRow[];
  /** Result variables with brms names: b_*, sd_*, cor_*, sigma/nu/shape, r_<group>. */
  readonly parameters: readonly string[];
  /** The observed variable's name in the model. */
  readonly response: string;
  newData(table: DataTable): Record<string, NewDataValue>;
}

/** What the command needs of the library's formula layer. */
export interface FormulaBuilder {
  formulaModel(formula: string, data: DataTable, options?: FormulaModelOptions): FormulaModel;
  formatPriorSummary(priors: readonly PriorRow[]): string;
}

/**
 * nutmeg's own builder.
 *
 * @returns formulaModel and formatPriorSummary of the library
 * @throws Error when this build of nutmeg has no formulaModel
 */
export function libraryBuilder(): FormulaBuilder {
  const lib = nutmeg as unknown as Partial<FormulaBuilder>;
  if (typeof lib.formulaModel !== 'function' || typeof lib.formatPriorSummary !== 'function') {
    throw new Error('this version of the nutmeg library has no formulaModel');
  }
  return { formulaModel: lib.formulaModel, formatPriorSummary: lib.formatPriorSummary };
}
