// What the page fits: a radon tutorial model or a formula over a table, prepared as a Model with the names to summarise, trace and check.
import { formulaModel, priorsFromStrings, type FamilyName, type FormulaModel, type Model } from 'nutmeg';
import type { CsvTable, RadonData } from '@nutmeg/cli/browser';
import { radonMainParameters, radonModel, type RadonModelName } from './radonModels.js';
import { radonData } from './radonData.js';

/** A fit the user asked for. */
export type FitRequest =
  | { readonly kind: 'radon'; readonly name: RadonModelName; readonly table: CsvTable }
  | { readonly kind: 'formula'; readonly formula: string; readonly family: FamilyName; readonly priors: readonly string[]; readonly table: CsvTable };

/** A model ready to sample, with what the results views need to know about it. */
export interface PreparedModel {
  readonly model: Model;
  /** One line saying what is fitted (`hierarchical_noncentered on radon.csv`, the formula). */
  readonly title: string;
  /** Variables of the summary (undefined: every posterior variable). */
  readonly summaryVars: readonly string[] | undefined;
  /** Label elements by coords (`r_county[CASS,Intercept]`), as `nutmeg fit --json` does. */
  readonly useCoords: boolean;
  /** Scalar parameters: traced, and in the forest plot. */
  readonly mainParameters: readonly string[];
  /** A vector parameter to show per group in its own forest plot (county intercepts), if any. */
  readonly groupParameter: string | undefined;
  /** The observed variable (posterior predictive check, LOO). */
  readonly response: string;
  readonly formula: FormulaModel | undefined;
  /** The radon data (for the shrinkage plot of the hierarchical models). */
  readonly radon: RadonData | undefined;
  readonly radonName: RadonModelName | undefined;
}

/**
 * Builds the model of a request.
 *
 * @param req - the request
 * @returns the prepared model
 * @throws FormulaSyntaxError / PriorSyntaxError (with the position), InputError naming a column or
 *   row, OptionError for a prior that matches no parameter
 */
export function prepareModel(req: FitRequest): PreparedModel {
  if (req.kind === 'radon') {
    const d = radonData(req.table);
    const hierarchical = req.name === 'hierarchical' || req.name === 'hierarchical_noncentered';
    return {
      model: radonModel(req.name, d),
      title: `${req.name} on ${req.table.file}`,
      summaryVars: undefined,
      useCoords: false,
      mainParameters: radonMainParameters(req.name),
      groupParameter: req.name === 'pooled' ? undefined : 'alpha',
      response: 'log_radon',
      formula: undefined,
      radon: hierarchical ? d : undefined,
      radonName: req.name,
    };
  }
  const fm = formulaModel(req.formula, req.table.table, { family: req.family, prior: priorsFromStrings(req.priors) });
  const groups = fm.parameters.filter((p) => p.startsWith('r_'));
  return {
    model: fm.model,
    title: `${fm.formula} (${fm.family}) on ${req.table.file}`,
    summaryVars: fm.parameters,
    useCoords: true,
    mainParameters: fm.parameters.filter((p) => !p.startsWith('r_')),
    groupParameter: groups[0],
    response: fm.response,
    formula: fm,
    radon: undefined,
    radonName: undefined,
  };
}
