// Design matrices of a formula on a data table: population-level columns (treatment coding, brms names), group indices and columns.

import { objectArgument } from '../core/argumentChecks.js';
import { InputError, OptionError } from '../core/errors.js';
import { describeValue, optionsObject } from '../core/optionChecks.js';
import type { ArithNode, FormulaNode } from './ast.js';
import { brmsNames } from './brmsNames.js';
import { columnsOf, evaluateNumeric, type EvaluationContext, type ScaleParameters } from './evaluate.js';
import { combinedFactor, makeFactor, type Factor } from './factor.js';
import { parseFormula } from './parse.js';
import { deparseArith } from './print.js';
import { completeRows, getColumn, type DataTable } from './table.js';
import { expandFormula, type ExpandedFormula, type FormulaTerm, type TermList } from './terms.js';

/** How to read the table. */
export interface DesignOptions {
  /** Numeric columns to treat as categorical (levels in numeric order); string columns always are. */
  readonly categorical?: readonly string[];
  /** Drop rows with a missing value in a used column (counted in `droppedRows`) instead of failing. */
  readonly dropMissing?: boolean;
  /**
   * The encoding of an earlier design (its `encoding`), for new data: the same factor levels and
   * `scale()` parameters. A population-level factor value not among the levels is an error; a new
   * group level gets index −1.
   */
  readonly encoding?: DesignEncoding;
}

/** What a design fixed from its data: factor levels by variable or group, and `scale()` parameters by call text. */
export interface DesignEncoding {
  readonly levels: ReadonlyMap<string, readonly string[]>;
  readonly scales: ReadonlyMap<string, ScaleParameters>;
}

/** One design column: brms's name, R's name, the term it belongs to, and its values per row. */
export interface DesignColumn {
  /** brms's name (`floor`, `logx`, `groupB:x`, `Intercept`): the coefficient is `b_<name>` / `r_g[level,<name>]`. */
  readonly name: string;
  /** R's `model.matrix` column name (`log(x)`, `groupB:x`, `(Intercept)`). */
  readonly rName: string;
  /** The term label (`group:x`), or `(Intercept)`. */
  readonly term: string;
  readonly values: Float64Array;
}

/** Population-level design: the columns without the intercept, and their means (brms centres them). */
export interface PopulationDesign {
  /** Whether the model has an intercept (brms's `b_Intercept`, sampled on centred predictors). */
  readonly intercept: boolean;
  /** The non-intercept columns of `X` (brms's `b_<name>`). */
  readonly columns: readonly DesignColumn[];
  /**
   * Column means (brms's `means_X`): with an intercept brms fits `Intercept` on `X − means`,
   * and `b_Intercept = Intercept − Σ means[k]·b[k]`.
   */
  readonly means: Float64Array;
}

/** One group-level term's design: the grouping factor's levels, each row's level, and the term's columns. */
export interface GroupDesign {
  /** The grouping factor as brms names it: `county`, `g1:g2`. */
  readonly group: string;
  readonly groupColumns: readonly string[];
  /** `|` (correlated, brms's `cor_` parameters) or `||`. */
  readonly correlated: boolean;
  /** The levels in R's factor order (`g1:g2` levels as `a_x`): the coords of `r_<group>`. */
  readonly levels: readonly string[];
  /** Each row's level (0-based; −1 for a level not in `options.encoding`). */
  readonly index: Int32Array;
  /** The term's columns (`Intercept` first when present): brms's `sd_<group>__<name>`. */
  readonly columns: readonly DesignColumn[];
}

/** Everything a model builder needs from a formula and a table. */
export interface FormulaDesign {
  readonly formula: ExpandedFormula;
  /** Rows used. */
  readonly nRows: number;
  /** The table row (0-based) of each used row. */
  readonly rows: Int32Array;
  /** Rows dropped for missing values (with `dropMissing`). */
  readonly droppedRows: number;
  /** The response values (`null` for a one-sided formula). */
  readonly response: { readonly label: string; readonly values: Float64Array } | null;
  /** `trials(n)` per row, for binomial responses. */
  readonly trials: Float64Array | null;
  /** The sum of the `offset()` terms per row. */
  readonly offset: Float64Array | null;
  readonly population: PopulationDesign;
  readonly groups: readonly GroupDesign[];
  /** Levels and scales fixed by this data: pass as `options.encoding` to build a design for new data. */
  readonly encoding: DesignEncoding;
}

/** A variable's values: numbers, or a factor. */
type VariableValues = { kind: 'numeric'; values: Float64Array } | { kind: 'factor'; label: string; factor: Factor };

/** Shared state of one design computation. */
interface Build {
  readonly ctx: EvaluationContext;
  readonly options: DesignOptions;
  readonly levels: Map<string, readonly string[]>;
}

/** Every column the formula reads. */
function usedColumns(f: ExpandedFormula): string[] {
  const nodes: ArithNode[] = [...f.offsets, ...[...f.variables.values()].map((v) => v.value)];
  if (f.response !== null) nodes.push(f.response.value, ...(f.response.trials === null ? [] : [f.response.trials]));
  return [...new Set([...nodes.flatMap(columnsOf), ...f.groupTerms.flatMap((g) => g.groupColumns)])];
}

/** Numeric values with every row finite, or an InputError naming the row and the expression. */
function finiteValues(node: ArithNode, b: Build, what: string): Float64Array {
  const values = evaluateNumeric(node, b.ctx);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw new InputError(`${what} ${JSON.stringify(deparseArith(node))} is ${values[bad]} at data row ${b.ctx.rows[bad] + 1}`);
  return values;
}

/** A factor over the selected rows, with the levels of `options.encoding` when given (`newLevel`: −1 or an error). */
function factorOf(key: string, make: () => Factor, b: Build, allowNewLevels: boolean): Factor {
  const fixed = b.options.encoding?.levels.get(key);
  const own = make();
  if (fixed === undefined) {
    b.levels.set(key, own.levels);
    return own;
  }
  const position = new Map(fixed.map((l, i) => [l, i]));
  const codes = own.codes.map((c) => {
    const at = position.get(own.levels[c]);
    if (at !== undefined) return at;
    if (allowNewLevels) return -1;
    throw new InputError(`${key}: level ${JSON.stringify(own.levels[c])} was not in the data the design was built from`);
  });
  b.levels.set(key, fixed);
  return { levels: fixed, codes };
}

/** Values of every predictor variable: factors for categorical columns, numbers otherwise. */
function variableValues(f: ExpandedFormula, b: Build): Map<string, VariableValues> {
  const out = new Map<string, VariableValues>();
  for (const [label, v] of f.variables) {
    if (v.value.kind === 'name' && b.ctx.categorical.has(v.value.name)) {
      const name = v.value.name;
      const factor = factorOf(label, () => makeFactor(name, getColumn(b.ctx.table, name), b.ctx.rows), b, false);
      out.set(label, { kind: 'factor', label, factor });
    } else {
      out.set(label, { kind: 'numeric', values: finiteValues(v.value, b, 'predictor') });
    }
  }
  return out;
}

/** Indicator columns of a factor's levels (all, or all but the reference level for treatment contrasts). */
function factorColumns(v: Extract<VariableValues, { kind: 'factor' }>, contrasts: boolean): { rName: string; values: Float64Array }[] {
  const { levels, codes } = v.factor;
  const used = contrasts ? levels.slice(1).map((l, i) => [l, i + 1] as const) : levels.map((l, i) => [l, i] as const);
  return used.map(([level, k]) => ({ rName: v.label + level, values: Float64Array.from(codes, (c) => (c === k ? 1 : 0)) }));
}

/**
 * Whether each variable of each term is coded by treatment contrasts (true) or an indicator per level
 * (false), by R's rule (stats/src/model.c, TermCode and modelmatrix): a variable gets contrasts when
 * the term without it is empty or contained in a preceding term; without an intercept, the first
 * factor of the first term that has one gets indicators.
 */
function contrastCoding(list: TermList, vars: Map<string, VariableValues>): boolean[][] {
  const coding = list.terms.map((term, j) => term.variables.map((label) => {
    const margin = term.variables.filter((x) => x !== label);
    return margin.length === 0 || list.terms.slice(0, j).some((t) => margin.every((m) => t.variables.includes(m)));
  }));
  if (!list.intercept) {
    const j = list.terms.findIndex((t) => t.variables.some((l) => vars.get(l)!.kind === 'factor'));
    if (j >= 0) coding[j][list.terms[j].variables.findIndex((l) => vars.get(l)!.kind === 'factor')] = false;
  }
  return coding;
}

/** A term's columns as R's model.matrix makes them: products over the variables, the first varying fastest. */
function termColumns(term: FormulaTerm, contrasts: readonly boolean[], vars: Map<string, VariableValues>): { rName: string; values: Float64Array }[] {
  let product: { rName: string; values: Float64Array }[] = [{ rName: '', values: new Float64Array(0) }];
  term.variables.forEach((label, k) => {
    const v = vars.get(label)!;
    const own = v.kind === 'numeric' ? [{ rName: label, values: v.values }] : factorColumns(v, contrasts[k]);
    product = own.flatMap((o) => product.map((p) => ({
      rName: p.rName === '' ? o.rName : `${p.rName}:${o.rName}`,
      values: p.rName === '' ? o.values : p.values.map((x, i) => x * o.values[i]),
    })));
  });
  return product;
}

/** All columns of a term list (intercept first when `withIntercept`), with brms names. */
function listColumns(list: TermList, vars: Map<string, VariableValues>, nRows: number, withIntercept: boolean): DesignColumn[] {
  const raw: { rName: string; term: string; values: Float64Array }[] = [];
  if (withIntercept && list.intercept) raw.push({ rName: '(Intercept)', term: '(Intercept)', values: new Float64Array(nRows).fill(1) });
  const coding = contrastCoding(list, vars);
  list.terms.forEach((term, j) => raw.push(...termColumns(term, coding[j], vars).map((c) => ({ ...c, term: term.label }))));
  const names = brmsNames(raw.map((c) => c.rName));
  return raw.map((c, i) => ({ name: names[i], rName: c.rName, term: c.term, values: c.values }));
}

function columnMeans(columns: readonly DesignColumn[]): Float64Array {
  return Float64Array.from(columns, (c) => c.values.reduce((s, v) => s + v, 0) / c.values.length);
}

/** Each group-level term's grouping factor and columns. */
function groupDesigns(f: ExpandedFormula, vars: Map<string, VariableValues>, b: Build): GroupDesign[] {
  const { table, rows } = b.ctx;
  return f.groupTerms.map((g) => {
    const make = () => g.groupColumns.length === 1
      ? makeFactor(g.group, getColumn(table, g.groupColumns[0]), rows)
      : combinedFactor(g.groupColumns, g.groupColumns.map((c) => getColumn(table, c)), rows);
    const factor = factorOf(g.group, make, b, true);
    return { group: g.group, groupColumns: g.groupColumns, correlated: g.correlated, levels: factor.levels, index: factor.codes, columns: listColumns(g, vars, rows.length, true) };
  });
}

/** Columns that hold strings among the used rows, plus those declared categorical. */
function categoricalColumns(table: DataTable, names: readonly string[], rows: Int32Array, declared: readonly string[]): Set<string> {
  const out = new Set(declared);
  for (const name of names) {
    const column = getColumn(table, name);
    if (rows.some((r) => typeof column[r] === 'string')) out.add(name);
  }
  return out;
}

/**
 * The design of a formula on a data table, with brms's names: the response, `trials()`, offsets,
 * the population-level columns (numeric transforms evaluated, `scale()` as R's, categorical
 * predictors in treatment coding with the first level in R's order as reference, interactions as
 * products) and their means, and per group-level term the grouping levels, a 0-based level index
 * per row and the term's columns.
 *
 * Levels are ordered as R's `factor()` in the C locale (`LC_COLLATE=C`): strings by code point,
 * numbers declared categorical numerically. Hostile column names and labels are only ever data.
 *
 * @param formula - formula text, a tree from {@link parseFormula}, or an {@link ExpandedFormula}
 * @param table - columns by name, all the same length
 * @param options - categorical numeric columns, dropMissing, the encoding of an earlier design
 * @returns the design
 * @throws FormulaSyntaxError for formula text that does not parse
 * @throws InputError for an unknown column (with similar names), a missing value (row and column),
 *   a non-finite transformed value, text in a numeric column, a column mixing numbers and strings
 *
 * @example
 * ```ts
 * const design = designFromFormula('y ~ x * g + (1 | site)', {
 *   y: [1.2, 0.8, 2.3, 1.9], x: [1, 2, 3, 4], g: ['b', 'a', 'b', 'a'], site: ['s1', 's1', 's2', 's2'],
 * });
 * design.population.columns.map((c) => c.name); // ['x', 'gb', 'x:gb']
 * design.groups[0].levels; // ['s1', 's2']
 * ```
 */
export function designFromFormula(formula: string | FormulaNode | ExpandedFormula, table: DataTable, options: DesignOptions = {}): FormulaDesign {
  if (typeof formula !== 'string' && (formula === null || typeof formula !== 'object' || Array.isArray(formula))) {
    throw new OptionError('formula', `designFromFormula needs a formula such as 'y ~ x + (1 | g)' (or its parsed form), got ${describeValue(formula)}`);
  }
  objectArgument(table, 'table', 'designFromFormula', "{ y: [1.2, 0.8], x: [0, 1] } (columns by name)");
  options = optionsObject(options, 'designFromFormula');
  const expanded = typeof formula === 'string' ? expandFormula(parseFormula(formula)) : 'kind' in formula ? expandFormula(formula) : formula;
  const used = usedColumns(expanded);
  for (const name of [...used, ...(options.categorical ?? [])]) getColumn(table, name);
  const { rows, dropped } = completeRows(table, used, options.dropMissing === true);
  if (rows.length === 0) throw new InputError(`no rows to fit${dropped > 0 ? ` (all ${dropped} rows have a missing value)` : ''}`);
  const categorical = categoricalColumns(table, used, rows, options.categorical ?? []);
  const scales = new Map(options.encoding?.scales ?? []);
  const b: Build = { ctx: { table, rows, categorical, scales }, options, levels: new Map() };
  const vars = variableValues(expanded, b);
  const all = listColumns(expanded.population, vars, rows.length, false);
  const r = expanded.response;
  return {
    formula: expanded,
    nRows: rows.length,
    rows,
    droppedRows: dropped,
    response: r === null ? null : { label: r.label, values: finiteValues(r.value, b, 'the response') },
    trials: r === null || r.trials === null ? null : finiteValues(r.trials, b, 'trials'),
    offset: sumOffsets(expanded.offsets, b),
    population: { intercept: expanded.population.intercept, columns: all, means: columnMeans(all) },
    groups: groupDesigns(expanded, vars, b),
    encoding: { levels: b.levels, scales },
  };
}

function sumOffsets(offsets: readonly ArithNode[], b: Build): Float64Array | null {
  if (offsets.length === 0) return null;
  const total = new Float64Array(b.ctx.rows.length);
  for (const o of offsets) finiteValues(o, b, 'offset').forEach((v, i) => (total[i] += v));
  return total;
}
