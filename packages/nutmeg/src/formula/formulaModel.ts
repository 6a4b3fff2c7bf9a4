// A brms-style formula and a data table → an ordinary nutmeg Model with brms's parameterisation, default priors and names.
import { InputError, OptionError } from '../core/errors.js';
import { Flat, LKJCholeskyCorr, Normal, type DistributionSpec } from '../distributions/factories.js';
import { matmul, reshape, sum, transpose, type Tensor } from '../graph/tensor.js';
import { Model } from '../model/model.js';
import { defaultPriors, type DefaultPriors } from './defaultPriors.js';
import { designFromFormula, type DesignColumn, type FormulaDesign, type GroupDesign } from './design.js';
import { parseFormula } from './parse.js';
import { expandFormula, type ExpandedFormula } from './terms.js';
import { checkResponse, familyNamed, type Family, type FamilyName } from './families.js';
import { formulaNewData } from './formulaNewData.js';
import { PriorBook, type PriorRow } from './priors.js';
import type { DataTable } from './table.js';

/** Options of {@link formulaModel}. */
export interface FormulaModelOptions {
  /** brms's family name (default 'gaussian'), with its default link. */
  family?: FamilyName;
  /**
   * Priors by brms class, most specific key wins: `b`, `b_<coef>`, `Intercept`, `sd`, `sd_<group>`,
   * `sd_<group>__<coef>`, `cor`, `cor_<group>` (an `LKJCholeskyCorr({ eta, n })`; n is set by the
   * model), `sigma`, `nu`, `shape`. A real-line prior on a bounded parameter (sd, sigma) is
   * truncated at its bound, as brms does (`student_t(3, 0, 2.5)` on sd is a half-t).
   */
  prior?: Readonly<Record<string, DistributionSpec>>;
  /** Numeric columns to treat as categorical (string columns always are). */
  categorical?: readonly string[];
  /** Drop rows with a missing value in a used column (`design.droppedRows` says how many) instead of failing. */
  dropMissing?: boolean;
}

/** A formula model: the Model, and what is needed to read, report and predict with it as brms does. */
export interface FormulaModel {
  /** An ordinary nutmeg Model: compile, sample, fit, predict and LOO work on it as on any other. */
  readonly model: Model;
  readonly formula: string;
  readonly family: FamilyName;
  readonly design: FormulaDesign;
  /** Every parameter's prior, as brms's `prior_summary`. */
  readonly priors: readonly PriorRow[];
  /**
   * The result variables under brms's names: `b_Intercept`, `b_<coef>`, `sd_<group>__<coef>`,
   * `cor_<group>__<a>__<b>`, `sigma`/`nu`/`shape`, and `r_<group>` (levels × coefficients, whose
   * elements a summary with coords labels `r_county[CASS,Intercept]`).
   */
  readonly parameters: readonly string[];
  /** The observed variable's name in the model (the response column, or `y`). */
  readonly response: string;
  /**
   * The data of a new table for `predict(fm.model, idata, { data: fm.newData(table), allowNewLevels: true })`:
   * the same coding (factor levels, scale() parameters); a group level not in the fitted data is a new level.
   */
  newData(table: DataTable): Record<string, Float64Array | string[]>;
}

const VALID_NAME = /^[^\s\p{C}[\],"']{1,256}$/u;

/** A brms name as a nutmeg variable name: whitespace, control characters, quotes, commas and brackets become '.' (as brms does for whitespace in levels). */
function variableName(name: string): string {
  return name.replace(/[\s\p{C}[\],"']/gu, '.').slice(0, 256);
}

/**
 * Builds the model brms would build for `formula` over `data`: the intercept sampled on centred
 * predictors (`b_Intercept` recovered), population effects `b_<coef>` (flat by default),
 * group-level effects non-centred (`z`, `sd_<group>__<coef>`, and for `(… | g)` a Cholesky factor
 * of their correlation with LKJ(1)), brms's data-dependent default priors, and the family's
 * likelihood with its default link.
 *
 * @param formula - e.g. `log_radon ~ floor + (1 + floor | county)`
 * @param data - the table, by column
 * @param options - family, priors, categorical columns, missing values
 * @returns the model and its brms names, priors and design
 * @throws FormulaSyntaxError (with the position) for a malformed formula; InputError naming the
 *   column or row for unknown columns, missing values, a response the family cannot take;
 *   OptionError for an unknown family option or a prior key that matches no parameter
 * @example
 * ```ts
 * import { formulaModel, sample } from 'nutmeg';
 * const data = { y: [1.2, 0.8, 2.1, 1.7, 0.3, 0.9], x: [0, 1, 0, 1, 0, 1], g: ['a', 'a', 'b', 'b', 'c', 'c'] };
 * const fm = formulaModel('y ~ x + (1 | g)', data);
 * fm.parameters; // ['b_Intercept', 'b_x', 'sd_g__Intercept', 'sigma', 'r_g']
 * const idata = await sample(fm.model.compile(), { draws: 200, tune: 200, chains: 2, seed: 1 });
 * ```
 */
export function formulaModel(formula: string, data: DataTable, options: FormulaModelOptions = {}): FormulaModel {
  if (typeof formula !== 'string') throw new OptionError('formula', 'must be a string such as "y ~ x + (1 | g)"');
  const family = familyNamed(options.family ?? 'gaussian');
  const expanded = expandFormula(parseFormula(formula));
  const design = designFromFormula(expanded, withInterceptColumn(expanded, data), { categorical: options.categorical, dropMissing: options.dropMissing });
  if (!design.response) throw new InputError(`formula '${formula}' has no response: write it as response ~ predictors`);
  if ((family.name === 'binomial') !== (design.trials !== null)) {
    throw new InputError(family.name === 'binomial' ? 'family binomial needs the number of trials: write successes | trials(n) ~ …' : `trials() belongs to family binomial, not ${family.name}`);
  }
  checkResponse(family, design.response.label, design.response.values, design.trials, design.rows);
  const builder = new Builder(family, design, defaultPriors(family, design.response.values, design.offset), new PriorBook(options.prior ?? {}));
  const { model, parameters, response } = builder.build();
  builder.book.checkAllUsed(parameters.filter((p) => !p.startsWith('r_')));
  const containers = new Set(model.spec.variables.filter((v) => v.kind === 'data').map((v) => v.name));
  return {
    model,
    formula,
    family: family.name,
    design,
    priors: builder.book.rows,
    parameters,
    response,
    newData: (table) => formulaNewData(design, withInterceptColumn(expanded, table), options.categorical, containers),
  };
}

/** The state of building one formula model. */
class Builder {
  readonly parameters: string[] = [];
  private readonly m: Model;
  private eta: Tensor | undefined;
  /** b_Intercept (when the formula has an intercept) and the population terms; `folded` once a group's effects carry them. */
  private intercept: { b: Tensor; folded: boolean } | undefined;
  private terms: { b: Tensor; column: DesignColumn; folded: boolean }[] = [];

  constructor(
    private readonly family: Family,
    private readonly design: FormulaDesign,
    private readonly defaults: DefaultPriors,
    readonly book: PriorBook,
  ) {
    const coords: Record<string, string[]> = {};
    for (const g of design.groups) {
      coords[g.group] = [...g.levels];
      coords[coefDim(g)] = g.columns.map((c) => c.name);
    }
    this.m = new Model({ coords });
  }

  build(): { model: Model; parameters: string[]; response: string } {
    this.population();
    this.design.groups.forEach((g, k) => this.groupEffects(g, k + 1));
    // Population terms not folded into a group's effects: b_Intercept, and b_p · x_p on the raw x.
    if (this.intercept && !this.intercept.folded) this.add(this.intercept.b);
    this.terms.forEach((t, k) => {
      if (!t.folded) this.add(t.b.mul(this.m.data(`X_${k + 1}`, t.column.values, { dims: 'obs_id' })));
    });
    if (this.design.offset) this.add(this.m.data('offset', this.design.offset, { dims: 'obs_id' }));
    if (!this.eta) throw new InputError('the formula has no predictors and no intercept: nothing to fit');
    const aux: Record<string, Tensor> = {};
    for (const a of this.family.aux) {
      const { dist } = this.book.pick([a.name], this.defaults[a.name], { class: a.name, coef: '', group: '' });
      aux[a.name] = a.lower === 0 ? this.m.rv(a.name, dist, halfOptions(dist)) : this.m.rv(a.name, dist, { lower: a.lower });
      this.parameters.push(a.name);
    }
    const trials = this.design.trials ? this.m.data('trials', this.design.trials, { dims: 'obs_id' }) : undefined;
    const label = (this.design.response as { label: string }).label;
    const response = VALID_NAME.test(label) && !this.parameters.includes(label) ? label : 'y';
    this.m.rv(response, this.family.likelihood(this.eta, aux, trials), { observed: (this.design.response as { values: Float64Array }).values, dims: 'obs_id' });
    // r_<group> last, as brms lists them after the other parameters.
    this.parameters.push(...this.design.groups.map((g) => variableName(`r_${g.group}`)));
    return { model: this.m, parameters: this.parameters, response };
  }

  private add(t: Tensor): void {
    this.eta = this.eta ? this.eta.add(t) : t;
  }

  /**
   * The intercept, sampled on centred predictors (brms's `Intercept`, with its prior), and b_<coef>
   * per column. The linear predictor uses the identity Intercept + Σ b_p (x_p − m_p) = b_Intercept
   * + Σ b_p x_p, so that b_Intercept and each b_p can be folded into a group's effects of the same
   * column (see groupEffects): the model is brms's, the per-row work the hand-written model's.
   */
  private population(): void {
    const { columns, intercept, means } = this.design.population;
    const centred = intercept ? this.m.rv('Intercept', this.book.pick(['Intercept'], this.defaults.Intercept, { class: 'Intercept', coef: '', group: '' }).dist) : undefined;
    const bs = columns.map((c) => {
      const { dist } = this.book.pick([`b_${c.name}`, 'b'], this.defaults.b, { class: 'b', coef: c.name, group: '' });
      return this.m.rv(variableName(`b_${c.name}`), dist);
    });
    this.terms = columns.map((column, k) => ({ b: bs[k], column, folded: false }));
    if (centred) {
      let bIntercept = centred;
      bs.forEach((b, k) => (bIntercept = bIntercept.sub(b.mul(means[k]))));
      this.intercept = { b: this.m.deterministic('b_Intercept', bIntercept), folded: false };
      this.parameters.push('b_Intercept');
    }
    this.parameters.push(...columns.map((c) => variableName(`b_${c.name}`)));
  }

  /** The population coefficient of the same column as a group's column `c` (b_Intercept for the group intercept), not yet folded. */
  private foldable(c: DesignColumn): { b: Tensor; folded: boolean } | undefined {
    if (c.rName === '(Intercept)' && this.intercept && !this.intercept.folded) return this.intercept;
    return this.terms.find((t) => !t.folded && sameValues(t.column.values, c.values));
  }

  /**
   * Non-centred group effects of one grouping term, r = (diag(sd) · L · z)ᵀ (brms's `scale_r_cor`),
   * column by column: r_k = sd_k · Σ_{j≤k} L[k, j] · z_j with z_j ~ N(0, 1) over the levels (L = I
   * for `||` or one coefficient). Elementwise vectors fuse into the likelihood's loop; `r_<group>`
   * (levels × coefficients) is assembled for the results only.
   */
  private groupEffects(g: GroupDesign, id: number): void {
    const K = g.columns.length;
    const G = g.levels.length;
    const sds = g.columns.map((c) => {
      const name = variableName(`sd_${g.group}__${c.name}`);
      const { dist } = this.book.pick([name, variableName(`sd_${g.group}`), 'sd'], this.defaults.sd, { class: 'sd', coef: c.name, group: g.group });
      this.parameters.push(name);
      return this.m.rv(name, dist, halfOptions(dist));
    });
    const z = g.columns.map((_, j) => this.m.rv(`z_${id}_${j + 1}`, Normal({ mu: 0, sigma: 1 }), { dims: g.group }));
    let columns: Tensor[];
    if (g.correlated && K > 1) {
      const L = this.m.rv(`L_${id}`, LKJCholeskyCorr({ eta: this.corEta(g), n: K }));
      const flatL = reshape(L, [K * K]);
      columns = sds.map((sd, k) => {
        let combo = z[0].mul(sum(flatL.at([k * K])));
        for (let j = 1; j <= k; j++) combo = combo.add(z[j].mul(sum(flatL.at([k * K + j]))));
        return combo.mul(sd);
      });
      this.correlations(g, L);
    } else columns = sds.map((sd, k) => z[k].mul(sd));
    const stacked = columns.map((c, k) => matmul(reshape(c, [G, 1]), [Array.from(oneHot(K, k))])).reduce((a, b) => a.add(b));
    this.m.deterministic(variableName(`r_${g.group}`), stacked, { dims: [g.group, coefDim(g)] });
    const index = this.m.data(`J_${id}`, g.index, { dims: 'obs_id', indexInto: g.group });
    g.columns.forEach((c, k) => {
      // A level's coefficient b + r_k over the levels, then one gather per row (as alpha[county]).
      const pop = this.foldable(c);
      if (pop) pop.folded = true;
      const perRow = (pop ? columns[k].add(pop.b) : columns[k]).at(index);
      const isOnes = c.values.every((v) => v === 1);
      this.add(isOnes ? perRow : perRow.mul(this.m.data(`Z_${id}_${k + 1}`, c.values, { dims: 'obs_id' })));
    });
  }

  /** LKJ's eta for a group's correlations: from `cor_<group>` or `cor` (an LKJCholeskyCorr), else brms's lkj(1). */
  private corEta(g: GroupDesign): number {
    const fallback = { dist: Flat(), text: `lkj(${this.defaults.corEta})` };
    const { dist, user } = this.book.pick([`cor_${g.group}`, 'cor'], fallback, { class: 'cor', coef: '', group: g.group });
    if (!user) return this.defaults.corEta;
    const eta = dist.params.eta;
    if (dist.family.name !== 'LKJCholeskyCorr' || typeof eta !== 'number') throw new OptionError(`prior.cor_${g.group}`, 'a correlation prior must be LKJCholeskyCorr({ eta, n }) with a number eta');
    return eta;
  }

  /** cor_<group>__<a>__<b> = (L Lᵀ)[a, b] for a < b, in brms's order (by b, then a). */
  private correlations(g: GroupDesign, L: Tensor): void {
    const K = g.columns.length;
    const omega = reshape(matmul(L, transpose(L)), [K * K]);
    for (let b = 1; b < K; b++) {
      for (let a = 0; a < b; a++) {
        const name = variableName(`cor_${g.group}__${g.columns[a].name}__${g.columns[b].name}`);
        this.m.deterministic(name, sum(omega.at([a * K + b])));
        this.parameters.push(name);
      }
    }
  }
}

/**
 * brms's `0 + Intercept`: `Intercept` names a column of ones (an ordinary, uncentred coefficient
 * `b_Intercept` of class b) unless the data has a column of that name.
 */
function withInterceptColumn(expanded: ExpandedFormula, data: DataTable): DataTable {
  if (!expanded.variables.has('Intercept') || Object.prototype.hasOwnProperty.call(data, 'Intercept')) return data;
  const n = Object.values(data)[0]?.length ?? 0;
  return { ...data, Intercept: new Float64Array(n).fill(1) };
}

/** Whether two columns hold the same values. */
function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The dim of a group's coefficients: `<group>_coef` (coords: the term's column names). */
function coefDim(g: GroupDesign): string {
  return `${g.group}_coef`;
}

/** Options that bound a scale parameter at 0: a real-line prior becomes its half (log transform). */
function halfOptions(dist: DistributionSpec): { transform?: string } {
  return dist.family.support.kind === 'real' ? { transform: 'log' } : {};
}

/** The k-th unit vector of length K. */
function oneHot(K: number, k: number): Float64Array {
  const e = new Float64Array(K);
  e[k] = 1;
  return e;
}
