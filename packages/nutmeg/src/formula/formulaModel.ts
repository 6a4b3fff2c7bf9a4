// A brms-style formula and a data table → an ordinary nutmeg Model with brms's parameterisation, default priors and names.
import { InputError, OptionError } from '../core/errors.js';
import { Flat, LKJCholeskyCorr, Normal, type DistributionSpec } from '../distributions/factories.js';
import { matmul, matvec, reshape, sum, transpose, type Tensor } from '../graph/tensor.js';
import { Model } from '../model/model.js';
import { defaultPriors, type DefaultPriors } from './defaultPriors.js';
import { designFromFormula, type FormulaDesign, type GroupDesign } from './design.js';
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
  return {
    model,
    formula,
    family: family.name,
    design,
    priors: builder.book.rows,
    parameters,
    response,
    newData: (table) => formulaNewData(design, withInterceptColumn(expanded, table), options.categorical),
  };
}

/** The state of building one formula model. */
class Builder {
  readonly parameters: string[] = [];
  private readonly m: Model;
  private eta: Tensor | undefined;

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

  /** Intercept on centred predictors, b_<coef> per column, b_Intercept recovered. */
  private population(): void {
    const { columns, intercept, means } = this.design.population;
    const centred = intercept;
    const intercepts = intercept ? this.m.rv('Intercept', this.book.pick(['Intercept'], this.defaults.Intercept, { class: 'Intercept', coef: '', group: '' }).dist) : undefined;
    if (intercepts) this.add(intercepts);
    const bs = columns.map((c, k) => {
      const { dist } = this.book.pick([`b_${c.name}`, 'b'], this.defaults.b, { class: 'b', coef: c.name, group: '' });
      const b = this.m.rv(variableName(`b_${c.name}`), dist);
      const x = this.m.data(`X_${k + 1}`, c.values, { dims: 'obs_id' });
      this.add(b.mul(centred ? x.sub(means[k]) : x));
      return b;
    });
    if (intercepts) {
      let bIntercept = intercepts;
      bs.forEach((b, k) => (bIntercept = bIntercept.sub(b.mul(means[k]))));
      this.m.deterministic('b_Intercept', bIntercept);
      this.parameters.push('b_Intercept');
    }
    this.parameters.push(...columns.map((c) => variableName(`b_${c.name}`)));
  }

  /** Non-centred group effects r = (diag(sd) · L · z)ᵀ of one grouping term (brms's `scale_r_cor`). */
  private groupEffects(g: GroupDesign, id: number): void {
    const K = g.columns.length;
    const G = g.levels.length;
    const sds = g.columns.map((c) => {
      const name = variableName(`sd_${g.group}__${c.name}`);
      const { dist } = this.book.pick([name, `sd_${g.group}`, 'sd'], this.defaults.sd, { class: 'sd', coef: c.name, group: g.group });
      this.parameters.push(name);
      return this.m.rv(name, dist, halfOptions(dist));
    });
    const dims = [g.group, coefDim(g)];
    const z = this.m.rv(`z_${id}`, Normal({ mu: 0, sigma: 1 }), { dims });
    const sdRow = K === 1 ? sds[0] : sds.map((s, k) => s.mul(oneHot(K, k))).reduce((a, b) => a.add(b));
    let scaled: Tensor;
    if (g.correlated && K > 1) {
      const eta = this.corEta(g);
      const L = this.m.rv(`L_${id}`, LKJCholeskyCorr({ eta, n: K }));
      scaled = matmul(z, transpose(L)).mul(sdRow);
      this.correlations(g, L);
    } else scaled = z.mul(sdRow);
    const r = this.m.deterministic(variableName(`r_${g.group}`), scaled, { dims });
    const index = this.m.data(`J_${id}`, g.index, { dims: 'obs_id', indexInto: g.group });
    g.columns.forEach((c, k) => {
      const rk = K === 1 ? reshape(r, [G]) : matvec(r, oneHot(K, k));
      const perRow = rk.at(index);
      this.add(c.rName === '(Intercept)' ? perRow : perRow.mul(this.m.data(`Z_${id}_${k + 1}`, c.values, { dims: 'obs_id' })));
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
