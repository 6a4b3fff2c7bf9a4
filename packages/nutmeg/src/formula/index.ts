// Public exports of src/formula: parse brms/lme4-style formulas and build their design matrices with brms's names.
export { parseFormula, MAX_FORMULA_LENGTH } from './parse.js';
export { FormulaSyntaxError } from './syntaxError.js';
export type { FormulaErrorDetails } from './syntaxError.js';
export { printFormula, deparseArith, formatRNumber } from './print.js';
export { expandFormula } from './terms.js';
export type { ExpandedFormula, FormulaTerm, FormulaVariable, GroupLevelTerm, ResponseSpec, TermList } from './terms.js';
export { designFromFormula } from './design.js';
export type { DesignColumn, DesignEncoding, DesignOptions, FormulaDesign, GroupDesign, PopulationDesign } from './design.js';
export { brmsName } from './brmsNames.js';
export type { ScaleParameters } from './evaluate.js';
export type { Cell, DataTable } from './table.js';
export type * from './ast.js';
export { formulaModel } from './formulaModel.js';
export type { FormulaModel, FormulaModelOptions } from './formulaModel.js';
export { FAMILIES, familyNamed } from './families.js';
export type { FamilyName, Family, LinkName } from './families.js';
export { formatPriorSummary } from './priors.js';
export type { PriorRow } from './priors.js';
export { parsePrior, priorsFromStrings, PRIOR_FAMILIES, MAX_PRIOR_LENGTH } from './priorString.js';
export type { ParsedPrior } from './priorString.js';
export { PriorSyntaxError } from './priorSyntaxError.js';
// The order of a factor's string levels (R's C locale), for tools that split data as the formula layer does.
export { compareCodePoints } from './factor.js';
