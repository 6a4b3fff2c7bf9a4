// The model builder: named random variables, data, deterministics and potentials, no global context.
import { ModelError } from '../core/errors.js';
import type { DistributionSpec } from '../distributions/factories.js';
import type { ElementwiseDistribution } from '../distributions/distribution.js';
import type { CompositeDistribution } from '../distributions/multivariate.js';
import type { CoordValues } from '../core/types.js';
import { bijectTo, TRANSFORMS } from '../transforms/bijectTo.js';
import type { CompiledModel } from '../compiler/compiledModel.js';
import { compileModelSpec } from '../compiler/compile.js';
import type { CompileOptions } from '../compiler/context.js';
import { broadcastShapes, formatShape, sizeOf, type ModelSpec, type TermSpec, type VariableSpec } from '../graph/graph.js';
import { GraphBuilder, toFlatArray } from '../graph/graphBuilder.js';
import { Tensor, type TensorLike } from '../graph/tensor.js';

/** Options of {@link Model.rv}. */
export interface RvOptions {
  /** Shape of the variable (default: from `dims`, `observed` or the parameters' broadcast shape). */
  shape?: readonly number[];
  /** Dim names, one per axis; each must be in the model's coords (or `shape` must be given). */
  dims?: string | readonly string[];
  /** Observed data: makes this a likelihood term instead of a free parameter. */
  observed?: number | ArrayLike<number> | readonly (readonly number[])[];
  /** Override the transform to the unconstrained space ('identity', 'log', 'logit', 'simplex', 'choleskyCorr'). */
  transform?: string;
  /**
   * A lower bound for a free variable (Stan's `<lower=L>`): the prior's density is used above it,
   * unnormalised (as Stan does; the constant does not change the posterior). brms's `nu > 1`.
   */
  lower?: number;
}

/** Options of {@link Model.data} and {@link Model.deterministic}. */
export interface NamedOptions {
  dims?: string | readonly string[];
  shape?: readonly number[];
}

/** Options of {@link Model.data}. */
export interface DataOptions extends NamedOptions {
  /**
   * The data are positions into the coords of this dim (a group index such as each home's
   * county): values may then be given as labels of those coords, prediction accepts labels (and,
   * with `allowNewLevels`, labels of groups not in the data), and out-of-range positions are errors.
   */
  indexInto?: string;
}

/** The node ids of a distribution's parameter tensors, by parameter name. */
function nodeIds(params: Record<string, Tensor>): Record<string, number> {
  const ids: Record<string, number> = {};
  for (const [k, t] of Object.entries(params)) ids[k] = t.id;
  return ids;
}

/**
 * Variable names: anything printable without whitespace, quotes, commas or brackets (those would
 * break element labels such as `alpha[CASS]` and CSV headers), up to 256 characters. brms's names
 * (`b_YEAR96:cHEIGHT`, `sd_g1:g2__Intercept`) qualify. Names never reach generated code.
 */
const NAME_RE = /^[^\s\p{C}[\],"']{1,256}$/u;

/**
 * Most elements of one variable or data container: 2^27 (1 GiB as float64). Arbitrary but safe:
 * compiling keeps several buffers of every variable and sampling one row per draw, so a larger
 * variable cannot be sampled in the memory of an ordinary machine; a clear error at build time
 * beats an allocation failure later.
 */
export const MAX_VARIABLE_SIZE = 2 ** 27;

/** Throws unless `shape` is an array of non-negative integers whose product is at most {@link MAX_VARIABLE_SIZE}. */
function checkShape(name: string, shape: unknown, what = 'shape'): void {
  if (!Array.isArray(shape)) throw new ModelError(`'${name}': ${what} must be an array of lengths such as [3] or [2, 4], got ${describe(shape)}`, name);
  shape.forEach((n: unknown, k) => {
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new ModelError(`'${name}': ${what} ${formatShape(shape as number[])} has ${describe(n)} at axis ${k}; lengths must be integers ≥ 0`, name);
    }
  });
  const size = sizeOf(shape as number[]);
  if (size > MAX_VARIABLE_SIZE) {
    throw new ModelError(`'${name}': ${what} ${formatShape(shape as number[])} has ${size.toPrecision(3)} elements, more than the limit of ${MAX_VARIABLE_SIZE} (2^27, 1 GiB per copy)`, name);
  }
}

/** A value in a message: numbers and strings as written, other things by kind. */
function describe(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'boolean' || v === null || v === undefined) return String(v);
  if (typeof v === 'string') return JSON.stringify(v.slice(0, 40));
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return `an object {${Object.keys(v).slice(0, 5).join(', ')}}`;
  return typeof v;
}

/** Throws unless `dist` is what a distribution factory returns (`Normal({ mu: 0, sigma: 1 })`). */
function checkDistribution(name: string, dist: unknown): asserts dist is DistributionSpec {
  const d = dist as Partial<DistributionSpec> | null;
  const family = d && typeof d === 'object' ? (d.family as { paramSets?: unknown } | undefined) : undefined;
  if (!family || typeof family !== 'object' || !Array.isArray(family.paramSets)) {
    const hint = d && typeof d === 'object' && !('family' in d) ? ` (parameters such as {${Object.keys(d).join(', ')}} go inside a distribution: Normal({ mu: 0, sigma: 1 }))` : '';
    throw new ModelError(`'${name}': the second argument must be a distribution such as Normal({ mu: 0, sigma: 1 }), got ${describe(dist)}${hint}`, name);
  }
  if (d!.params === null || typeof d!.params !== 'object') {
    throw new ModelError(`'${name}': the distribution's parameters must be an object such as { mu: 0, sigma: 1 }, got ${describe(d!.params)}`, name);
  }
}

/**
 * A Bayesian model, built explicitly (no hidden global context as in PyMC's `with pm.Model()`):
 * declare random variables with {@link Model.rv}, combine them with tensor ops, observe data, then
 * {@link Model.compile} to a {@link CompiledModel} that samplers and ADVI use.
 *
 * @example
 * ```ts
 * import { Model, Normal, HalfCauchy } from 'nutmeg';
 * const county = [0, 0, 1, 2, 2, 2];
 * const floor = [0, 1, 0, 0, 1, 0];
 * const y = [1.2, 0.4, 1.9, 1.5, 0.8, 1.4];
 * const m = new Model({ coords: { county: ['A', 'B', 'C'] } });
 * const muA = m.rv('mu_alpha', Normal({ mu: 0, sigma: 1 }));
 * const sA = m.rv('sigma_alpha', HalfCauchy({ beta: 1 }));
 * const alpha = m.rv('alpha', Normal({ mu: muA, sigma: sA }), { dims: 'county' });
 * const beta = m.rv('beta', Normal({ mu: 0, sigma: 1 }));
 * const eps = m.rv('eps', HalfCauchy({ beta: 1 }));
 * m.rv('y', Normal({ mu: alpha.at(county).add(beta.mul(floor)), sigma: eps }), { observed: y });
 * const compiled = m.compile();
 * compiled.dim; // 6 unconstrained coordinates
 * ```
 */
export class Model {
  private readonly g = new GraphBuilder();
  private readonly terms: TermSpec[] = [];
  private readonly variables: VariableSpec[] = [];
  private readonly names = new Set<string>();
  readonly coords: Record<string, CoordValues>;

  /**
   * @param options - `coords`: the labels of each dim, e.g. `{ county: ['A', 'B'] }`
   * @throws ModelError when `coords` is not an object of arrays of labels
   */
  constructor(options: { coords?: Record<string, CoordValues> } = {}) {
    const coords: unknown = options?.coords ?? {};
    if (coords === null || typeof coords !== 'object' || Array.isArray(coords)) {
      throw new ModelError(`coords must be an object of label arrays such as { county: ['A', 'B'] }, got ${describe(coords)}`);
    }
    for (const [dim, labels] of Object.entries(coords)) {
      if (!Array.isArray(labels) || labels.some((l) => typeof l !== 'string' && typeof l !== 'number')) {
        throw new ModelError(`coords '${dim}' must be an array of labels (strings or numbers), got ${describe(labels)}`);
      }
    }
    this.coords = { ...(coords as Record<string, CoordValues>) };
  }

  private claim(name: string): void {
    if (typeof name !== 'string' || !NAME_RE.test(name)) throw new ModelError(`invalid variable name ${JSON.stringify(name)} (names may not contain whitespace, quotes, commas or brackets, and have at most 256 characters)`, String(name));
    if (this.names.has(name)) throw new ModelError(`duplicate variable name '${name}'`, name);
    this.names.add(name);
  }

  private resolveDims(name: string, dims: string | readonly string[] | undefined, shape: readonly number[] | undefined): { shape: number[] | undefined; dims: string[] | undefined } {
    if (shape !== undefined) checkShape(name, shape);
    if (dims === undefined) return { shape: shape ? [...shape] : undefined, dims: undefined };
    if (typeof dims !== 'string' && (!Array.isArray(dims) || dims.some((d) => typeof d !== 'string'))) {
      throw new ModelError(`'${name}': dims must be a dim name or an array of dim names, got ${describe(dims)}`, name);
    }
    const list = typeof dims === 'string' ? [dims] : [...dims];
    const fromCoords = list.map((d, k) => {
      const c = this.coords[d];
      if (c) return c.length;
      if (shape && shape[k] !== undefined) return shape[k];
      throw new ModelError(`'${name}': unknown dim '${d}' (model coords: ${Object.keys(this.coords).join(', ') || 'none'}; give coords or a shape)`, name);
    });
    if (shape && (shape.length !== list.length || shape.some((s, k) => s !== fromCoords[k]))) {
      throw new ModelError(`'${name}': shape ${formatShape(shape)} disagrees with dims (${list.join(', ')}) of lengths ${formatShape(fromCoords)}`, name);
    }
    return { shape: fromCoords, dims: list };
  }

  private defaultDims(name: string, shape: readonly number[], dims: string[] | undefined): string[] {
    return dims ?? shape.map((_, k) => `${name}_dim_${k}`);
  }

  /**
   * Registers data (constant during inference; PyMC's `pm.Data`), kept in results as the
   * `constant_data` group and replaceable for prediction (see `predict`). A group index is data
   * with `indexInto`: `alpha.at(m.data('county', countyNames, { indexInto: 'county' }))`.
   *
   * @throws ModelError on NaN/Infinity (naming the position), a shape that disagrees with dims, or
   *   (with `indexInto`) a label not in the coords or a position out of range.
   * @example
   * ```ts
   * import { Model, Normal } from 'nutmeg';
   * const m = new Model({ coords: { county: ['A', 'B'] } });
   * const floor = m.data('floor', [0, 1, 0], { dims: 'obs_id' });
   * const county = m.data('county', ['A', 'A', 'B'], { dims: 'obs_id', indexInto: 'county' });
   * const alpha = m.rv('alpha', Normal({ mu: 0, sigma: 1 }), { dims: 'county' });
   * m.rv('y', Normal({ mu: alpha.at(county).add(floor), sigma: 1 }), { observed: [0.3, 1.2, -0.4], dims: 'obs_id' });
   * ```
   */
  data(name: string, values: number | ArrayLike<number> | readonly (readonly number[])[] | readonly string[], options: DataOptions = {}): Tensor {
    this.claim(name);
    const flat = options.indexInto === undefined ? toFlatArray(values, `data '${name}'`) : this.levelPositions(name, values, options.indexInto);
    for (let i = 0; i < flat.values.length; i++) {
      if (!Number.isFinite(flat.values[i])) throw new ModelError(`data '${name}': element ${i} is ${flat.values[i]}; data must be finite numbers`, name);
    }
    const r = this.resolveDims(name, options.dims, options.shape ?? flat.shape);
    const shape = r.shape ?? flat.shape;
    if (sizeOf(shape) !== flat.values.length) throw new ModelError(`data '${name}': ${flat.values.length} values do not fill shape ${formatShape(shape)}`, name);
    const t = this.g.data(flat.values, shape, name);
    const indexInto = options.indexInto === undefined ? {} : { indexInto: options.indexInto };
    this.variables.push({ name, kind: 'data', node: t.id, shape, dims: this.defaultDims(name, shape, r.dims), ...indexInto });
    return t;
  }

  /** A group index given as labels of `coords[dim]` or as 0-based positions, checked. */
  private levelPositions(name: string, values: unknown, dim: string): { values: Float64Array; shape: number[] } {
    const labels = this.coords[dim];
    if (!labels) throw new ModelError(`data '${name}': indexInto '${dim}' is not a dim of the model's coords (${Object.keys(this.coords).join(', ') || 'none'})`, name);
    // Read in place (a typed array of 10^6 positions is not copied into an array first).
    const list: ArrayLike<unknown> = Array.isArray(values) || ArrayBuffer.isView(values) ? (values as ArrayLike<unknown>) : [values];
    const out = new Float64Array(list.length);
    let positions: Map<string, number> | undefined;
    for (let i = 0; i < list.length; i++) {
      const v = list[i];
      const k = typeof v === 'number' ? v : (positions ??= new Map<string, number>(labels.map((l, j) => [String(l), j]))).get(String(v));
      if (k === undefined) throw new ModelError(`data '${name}': row ${i} holds ${JSON.stringify(v)}, which is not a label of '${dim}'`, name);
      if (!Number.isInteger(k) || k < 0 || k >= labels.length) throw new ModelError(`data '${name}': row ${i} holds ${k}, not a position of '${dim}' (0…${labels.length - 1})`, name);
      out[i] = k;
    }
    return { values: out, shape: [list.length] };
  }

  /**
   * A random variable: a free parameter, or (with `observed`) a likelihood term.
   *
   * @param name - unique name, as it appears in results
   * @param dist - e.g. `Normal({ mu: 0, sigma: 1 })`
   * @param options - shape/dims, observed data, transform override
   * @returns the variable's (constrained) value as a tensor
   * @throws ModelError naming the variable: bad shapes, unknown dims, unknown or missing parameters,
   *   non-finite or empty observed data, duplicate names, a second argument that is not a distribution,
   *   shapes that are not arrays of integers ≥ 0 or have more than MAX_VARIABLE_SIZE elements
   */
  rv(name: string, dist: DistributionSpec, options: RvOptions = {}): Tensor {
    this.claim(name);
    checkDistribution(name, dist);
    if (options === null || typeof options !== 'object') throw new ModelError(`'${name}': options must be an object such as { dims: 'county' }, got ${describe(options)}`, name);
    const family = dist.family;
    const params = this.resolveParams(name, family, dist.params);
    let observed: { values: Float64Array; shape: number[] } | undefined;
    if (options.observed !== undefined) {
      observed = toFlatArray(options.observed, `observed data of '${name}'`);
      if (observed.values.length === 0) {
        throw new ModelError(`'${name}': observed data is empty; an empty observation adds nothing to the likelihood (the fit would be the prior). Pass the data, or leave out observed for a free parameter`, name);
      }
      for (let i = 0; i < observed.values.length; i++) {
        if (!Number.isFinite(observed.values[i])) {
          throw new ModelError(`'${name}': observed data has ${observed.values[i]} at position ${i}; remove or impute missing values`, name);
        }
      }
    }
    // Dims without coords take their lengths from the shape, or else from the observed data.
    const r = this.resolveDims(name, options.dims, options.shape ?? (options.dims !== undefined ? observed?.shape : undefined));
    let shape = r.shape;
    if (observed) {
      if (shape && sizeOf(shape) !== observed.values.length) {
        throw new ModelError(`'${name}': observed data has ${observed.values.length} values but the variable's shape is ${formatShape(shape)}`, name);
      }
      shape = shape ?? observed.shape;
    }
    if (!shape) {
      if ('buildTerms' in family) shape = family.defaultShape(this.g, params);
      else {
        let s: number[] | null = [];
        for (const [k, t] of Object.entries(params)) {
          s = s && broadcastShapes(s, t.shape);
          if (!s) throw new ModelError(`'${name}': parameter '${k}' has shape ${formatShape(t.shape)}, which does not broadcast with the others`, name);
        }
        shape = s ?? [];
      }
    }
    if (!('buildTerms' in family)) {
      for (const [k, t] of Object.entries(params)) {
        const b = broadcastShapes(shape, t.shape);
        if (!b || b.length !== shape.length || b.some((v, i) => v !== shape![i])) {
          throw new ModelError(`'${name}': parameter '${k}' has shape ${formatShape(t.shape)} (${this.g.label(t)}), which does not broadcast to the variable's shape ${formatShape(shape)}`, name);
        }
      }
    }
    const dims = this.defaultDims(name, shape, r.dims);

    if (observed) {
      const value = this.g.data(observed.values, shape, name);
      this.addDensityTerms(name, family, value, params);
      this.variables.push({ name, kind: 'observed', node: value.id, shape, dims, dist: family.name, params: nodeIds(params) });
      return value;
    }

    if (family.discrete) throw new ModelError(`'${name}': ${family.name} is discrete; discrete free parameters cannot be sampled by NUTS or fitted by ADVI (observe it, or marginalise it out)`, name);
    if (options.lower !== undefined && (!Number.isFinite(options.lower) || options.transform !== undefined)) {
      throw new ModelError(`'${name}': lower must be a finite number and cannot be combined with transform`, name);
    }
    const transform = options.lower !== undefined ? TRANSFORMS.log : options.transform !== undefined ? TRANSFORMS[options.transform] : bijectTo(family.support);
    if (!transform) throw new ModelError(`'${name}': unknown transform '${options.transform}' (known: ${Object.keys(TRANSFORMS).join(', ')})`, name);
    const ushape = transform.unconstrainedShape(shape);
    if (ushape.some((n) => !Number.isInteger(n) || n < 0) || (transform.name === 'simplex' && sizeOf(shape) === 0)) {
      throw new ModelError(`'${name}': the ${transform.name} transform does not apply to shape ${formatShape(shape)}${transform.name === 'simplex' ? ' (a simplex is a vector of length ≥ 1: give Dirichlet at least one concentration)' : ''}`, name);
    }
    const y = this.g.param(ushape, name);
    const support = family.support;
    const bounds =
      options.lower !== undefined ? { lower: this.g.constant(options.lower) } : support.kind === 'interval' ? { lower: params[support.lower], upper: params[support.upper] } : {};
    const built = transform.build(this.g, y, bounds);
    this.addDensityTerms(name, family, built.value, params);
    if (built.logDetJacobian) this.terms.push({ kind: 'sum', variable: name, expr: built.logDetJacobian.id });
    this.variables.push({
      name,
      kind: 'free',
      node: built.value.id,
      shape,
      dims,
      paramNode: y.id,
      transform: transform.name,
      dist: family.name,
      initialUnconstrained: this.initialValue(family, params, transform.name, sizeOf(ushape)),
      params: nodeIds(params),
      ...(options.lower === undefined ? {} : { lower: options.lower }),
    });
    return built.value;
  }

  private initialValue(family: ElementwiseDistribution | CompositeDistribution, params: Record<string, Tensor>, transform: string, size: number): Float64Array {
    // Central value (PyMC's "moment" idea, kept simple): a constant location where the family has
    // one and the identity transform applies; otherwise the centre of the unconstrained space
    // (log: 1, logit: the midpoint, simplex: the uniform simplex).
    const out = new Float64Array(size);
    if (transform === 'identity') {
      const loc = params.mu ?? params.alpha;
      const node = loc ? this.g.nodes[loc.id] : undefined;
      if (node && family.name !== 'HalfCauchy' && (node.kind === 'const' || node.kind === 'data')) {
        const v = node.kind === 'const' ? [node.value] : node.values;
        for (let i = 0; i < size; i++) out[i] = v[i % v.length];
      }
    }
    return out;
  }

  private resolveParams(name: string, family: ElementwiseDistribution | CompositeDistribution, given: Readonly<Record<string, TensorLike>>): Record<string, Tensor> {
    const keys = Object.keys(given).filter((k) => given[k] !== undefined);
    const defaults = 'defaults' in family ? (family.defaults ?? {}) : {};
    const set = family.paramSets.find((s) => keys.every((k) => s.includes(k)) && s.every((k) => keys.includes(k) || k in defaults));
    if (!set) {
      const unknown = keys.filter((k) => !family.paramSets.some((s) => s.includes(k)));
      const expected = family.paramSets.map((s) => `{${s.join(', ')}}`).join(' or ');
      throw new ModelError(
        unknown.length > 0
          ? `'${name}': ${family.name} has no parameter '${unknown[0]}' (expected ${expected})`
          : `'${name}': ${family.name} needs parameters ${expected}, got {${keys.join(', ')}}`,
        name,
      );
    }
    const out: Record<string, Tensor> = {};
    for (const k of set) {
      const v = given[k] ?? defaults[k];
      try {
        out[k] = this.g.lift(v as TensorLike);
      } catch (e) {
        throw new ModelError(`'${name}': parameter '${k}': ${(e as Error).message}`, name);
      }
    }
    return out;
  }

  private addDensityTerms(name: string, family: ElementwiseDistribution | CompositeDistribution, value: Tensor, params: Record<string, Tensor>): void {
    if ('buildTerms' in family) {
      for (const t of family.buildTerms(this.g, value, params, name)) this.terms.push({ kind: 'sum', variable: name, expr: t.id });
      return;
    }
    this.terms.push({ kind: 'dist', variable: name, dist: family.name, value: value.id, params: nodeIds(params) });
  }

  /** A named function of the parameters, computed for every draw and kept in the results. */
  deterministic(name: string, value: Tensor, options: NamedOptions = {}): Tensor {
    this.claim(name);
    this.checkTensor(name, value, 'deterministic');
    const r = this.resolveDims(name, options.dims, options.shape ?? value.shape);
    const shape = value.shape;
    if (r.shape && sizeOf(r.shape) !== sizeOf(shape)) throw new ModelError(`deterministic '${name}': dims give shape ${formatShape(r.shape)} but the value has shape ${formatShape(shape)}`, name);
    this.variables.push({ name, kind: 'deterministic', node: value.id, shape: r.shape ?? [...shape], dims: this.defaultDims(name, r.shape ?? shape, r.dims) });
    return value;
  }

  /** Throws unless `value` is a tensor of this model (a number, or another model's tensor, would break compiling). */
  private checkTensor(name: string, value: unknown, what: string): void {
    if (!(value instanceof Tensor) || value.graph !== this.g) {
      throw new ModelError(`${what} '${name}': the value must be a tensor of this model (from m.rv, m.data or tensor ops), got ${describe(value)}`, name);
    }
  }

  /** Adds the sum of `value`'s elements to the log density (PyMC's `pm.Potential`). */
  potential(name: string, value: Tensor): void {
    this.claim(name);
    this.checkTensor(name, value, 'potential');
    this.terms.push({ kind: 'sum', variable: name, expr: value.id });
  }

  /** The model as plain, structured-cloneable data. */
  get spec(): ModelSpec {
    return { nodes: this.g.nodes, terms: this.terms, variables: this.variables, coords: this.coords, dim: this.g.dim };
  }

  /**
   * Compiles the model into a log density with gradient on the unconstrained space.
   * @throws ModelError for invalid constant parameters or observed data outside the support,
   *   naming the variable and position.
   * @param options - `{ wasm: false }` keeps every loop of the log density and gradient in JS (default: the
   *   supported loops run as generated WebAssembly where the engine allows it; docs/wasm.md);
   *   `{ sufficientStatistics: false }` keeps an observed Normal with a mean linear in per-group values as a
   *   loop over its rows (default: from per-group statistics; docs/sufficient-statistics.md)
   */
  compile(options: CompileOptions = {}): CompiledModel {
    return compileModelSpec(this.spec, options);
  }
}
