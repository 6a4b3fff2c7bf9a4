// Random draws from a distribution with numeric parameters (PyMC's `pm.draw`), and the allocation-free element loop the predictive samplers share.
import { ModelError, OptionError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { Tensor, type TensorLike } from '../graph/tensor.js';
import type { ElementwiseDistribution, ParamDomain } from './distribution.js';
import type { DistributionSpec } from './factories.js';
import type { CompositeDistribution } from './multivariate.js';

/** Options of {@link draw}. */
export interface DrawOptions {
  /** Number of independent draws of the whole variable (default 1): the leading axis of the result. */
  readonly draws?: number;
  /** Seed of a new `Rng` (give `seed` or `rng`, not both). */
  readonly seed?: number;
  /** The generator to draw from; it advances, so successive calls give new draws. */
  readonly rng?: Rng;
  /** Shape of one draw of the variable (default: the parameters' shapes broadcast together). */
  readonly shape?: number | readonly number[];
}

/** Options of {@link drawElements}. */
export interface DrawElementsOptions {
  /** Name of the variable, for error messages. */
  readonly variable?: string;
}

/** A numeric parameter: its values in row-major order and its shape. */
interface NumericParam {
  readonly values: Float64Array;
  readonly shape: readonly number[];
}

/**
 * Random draws from a distribution whose parameters are numbers, arrays or nested arrays, as
 * PyMC's `pm.draw(pm.Normal.dist(...), draws=…)`. Parameters broadcast together by NumPy's rules;
 * the result holds `draws` draws of a variable of that shape (or `options.shape`), row-major, so
 * element `e` of draw `d` is `result[d * size + e]`. For MvNormal and Dirichlet the last axis of
 * the shape is the event (a vector, a simplex).
 *
 * @param dist - a distribution, e.g. `Normal({ mu: 0, sigma: [1, 2, 3] })`.
 * @param options - `draws` (default 1), `seed` or `rng`, and `shape`.
 * @returns a Float64Array of length draws × (size of the shape).
 * @throws ModelError if a parameter is a model Tensor, has a ragged or non-broadcastable shape, or
 *   is invalid (the message names the parameter and the position), or if the family is improper.
 * @throws OptionError if `draws`, `shape`, `seed` or `rng` is invalid.
 * @example
 * ```ts
 * const x = draw(Normal({ mu: 0, sigma: [1, 2, 3] }), { draws: 1000, seed: 42 }); // 1000 × 3
 * const counts = draw(Poisson({ mu: 4 }), { shape: [2, 5], seed: 1 });              // one 2 × 5 draw
 * ```
 */
export function draw(dist: DistributionSpec, options: DrawOptions = {}): Float64Array {
  const draws = options.draws ?? 1;
  if (!(Number.isInteger(draws) && draws >= 0)) throw new OptionError('draws', `must be a non-negative integer, got ${String(draws)}`);
  const rng = rngOf(options);
  const explicitShape = shapeOption(options.shape);
  const family = dist.family;
  const names = resolveParamSet(family, Object.keys(dist.params).filter((k) => dist.params[k] !== undefined));
  const given: Record<string, NumericParam> = {};
  for (const name of names) {
    const value = dist.params[name] ?? defaultsOf(family)[name];
    given[name] = numericParam(family.name, name, value);
  }
  if ('buildTerms' in family) return drawComposite(family, given, draws, explicitShape, rng);
  if (family.improper) throw improperError(family);
  for (const name of names) checkDomain(family, name, given[name].values, (i) => `${name}${positionOf(i, given[name].shape)}`);
  const shape = explicitShape ?? broadcastShapes(family.name, names.map((n) => [n, given[n].shape]));
  const size = sizeOf(shape);
  const arrays = names.map((name) => {
    const p = given[name];
    if (explicitShape) checkBroadcastsTo(family.name, name, p.shape, shape);
    return p.values.length === 1 ? p.values : expand(p.values, p.shape, shape);
  });
  checkCrossDomains(family, names, arrays, (i) => (shape.length > 0 ? `element ${positionOf(i, shape)}` : 'the only element'), size);
  const out = new Float64Array(draws * size);
  const fill = elementFiller(family, names, arrays);
  for (let d = 0; d < draws; d++) fill(out, d * size, size, rng);
  return out;
}

/**
 * Fills `out` with one draw per element of an elementwise family, given its parameters already
 * broadcast: each array has length 1 (shared by every element) or `out.length` (one per element).
 * Every value is checked against the family's `paramDomains` first. The loop allocates nothing
 * (one parameter record is reused), so it suits posterior predictive sampling of millions of
 * elements: call it once per posterior draw with that draw's parameter arrays.
 *
 * @param family - an elementwise family (e.g. the `family` of `Normal({...})`; not MvNormal or Dirichlet).
 * @param params - one parameter set of the family under its names (e.g. `{ mu, sigma }` or
 *   `{ mu, tau }`); parameters with defaults may be omitted.
 * @param out - the buffer to fill; its length is the number of elements.
 * @param rng - the generator; draws are taken in element order.
 * @param options - `variable`, named in error messages.
 * @returns `out`.
 * @throws ModelError if the family is improper or composite, a parameter is missing, unknown, of the wrong
 *   length or invalid (the message names it and the element).
 * @example
 * ```ts
 * const out = new Float64Array(3);
 * drawElements(Normal({ sigma: 1 }).family, { mu: Float64Array.of(0, 10, 20), sigma: Float64Array.of(0.5) }, out, new Rng(7));
 * ```
 */
export function drawElements(
  family: ElementwiseDistribution | CompositeDistribution,
  params: Readonly<Record<string, Float64Array>>,
  out: Float64Array,
  rng: Rng,
  options: DrawElementsOptions = {},
): Float64Array {
  const label = options.variable === undefined ? family.name : `${family.name} '${options.variable}'`;
  if ('buildTerms' in family) throw new ModelError(`${label}: drawElements draws elementwise families; ${family.name} draws whole events (use its sample(rng, params, shape))`, options.variable);
  if (family.improper) throw improperError(family, options.variable);
  const names = resolveParamSet(family, Object.keys(params).filter((k) => params[k] !== undefined), label);
  const defaults = defaultsOf(family);
  const arrays = names.map((name) => params[name] ?? Float64Array.of(defaults[name]));
  const n = out.length;
  names.forEach((name, j) => {
    if (arrays[j].length !== 1 && arrays[j].length !== n) {
      throw new ModelError(`${label}: parameter '${name}' has ${arrays[j].length} values; expected 1 or ${n} (one per element)`, options.variable);
    }
    checkDomain(family, name, arrays[j], (i) => `element ${i}`, label, options.variable);
  });
  checkCrossDomains(family, names, arrays, (i) => `element ${i}`, n, label, options.variable);
  if (family.sampleInto) {
    const byName: Record<string, Float64Array> = {};
    names.forEach((name, j) => (byName[name] = arrays[j]));
    family.sampleInto(rng, byName, out);
  } else elementFiller(family, names, arrays)(out, 0, n, rng);
  return out;
}

/**
 * The inner loop, built once per parameter set: `fill(out, start, n, rng)` sets out[start + i] to
 * one draw given element i of every parameter (length-1 arrays shared by all), reusing one record.
 */
function elementFiller(
  family: ElementwiseDistribution,
  names: readonly string[],
  arrays: readonly Float64Array[],
): (out: Float64Array, start: number, n: number, rng: Rng) => void {
  const p: Record<string, number> = {};
  const varyingNames: string[] = [];
  const varying: Float64Array[] = [];
  names.forEach((name, j) => {
    p[name] = arrays[j][0];
    if (arrays[j].length > 1) {
      varyingNames.push(name);
      varying.push(arrays[j]);
    }
  });
  const sample = family.sample;
  const m = varying.length;
  if (m === 0) {
    return (out, start, n, rng) => {
      for (let i = 0; i < n; i++) out[start + i] = sample(rng, p);
    };
  }
  if (m === 1) {
    const [k0] = varyingNames;
    const [a0] = varying;
    return (out, start, n, rng) => {
      for (let i = 0; i < n; i++) {
        p[k0] = a0[i];
        out[start + i] = sample(rng, p);
      }
    };
  }
  if (m === 2) {
    const [k0, k1] = varyingNames;
    const [a0, a1] = varying;
    return (out, start, n, rng) => {
      for (let i = 0; i < n; i++) {
        p[k0] = a0[i];
        p[k1] = a1[i];
        out[start + i] = sample(rng, p);
      }
    };
  }
  return (out, start, n, rng) => {
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) p[varyingNames[j]] = varying[j][i];
      out[start + i] = sample(rng, p);
    }
  };
}

/** Draws of a composite family: the event is the last axis; parameters are expanded to one event shape, the family repeats them over draws. */
function drawComposite(family: CompositeDistribution, given: Record<string, NumericParam>, draws: number, explicitShape: number[] | undefined, rng: Rng): Float64Array {
  let vectorParam: string;
  let k: number;
  if (family.name === 'MvNormal') {
    const matrixName = given.chol ? 'chol' : 'cov';
    const matrix = given[matrixName];
    if (matrix.shape.length !== 2 || matrix.shape[0] !== matrix.shape[1]) {
      throw new ModelError(`MvNormal: parameter '${matrixName}' must be one square matrix, got shape [${matrix.shape.join(', ')}]`);
    }
    vectorParam = 'mu';
    k = matrix.shape[0];
  } else {
    vectorParam = 'a';
    k = given.a.shape[given.a.shape.length - 1] ?? 1;
  }
  const vector = given[vectorParam];
  const shape = explicitShape ?? broadcastShapes(family.name, [[vectorParam, vector.shape], ['the event', [k]]]);
  if (shape.length === 0 || shape[shape.length - 1] !== k) {
    throw new ModelError(`${family.name}: the last axis of the shape [${shape.join(', ')}] must be the event length ${k}`);
  }
  checkBroadcastsTo(family.name, vectorParam, vector.shape, shape);
  const p: Record<string, Float64Array> = {};
  for (const [name, value] of Object.entries(given)) p[name] = value.values;
  if (vector.values.length !== 1) p[vectorParam] = expand(vector.values, vector.shape, shape);
  if (draws === 0 || sizeOf(shape) === 0) return new Float64Array(0);
  return family.sample(rng, p, [draws, ...shape]);
}

function rngOf(options: DrawOptions): Rng {
  if (options.rng !== undefined && options.seed !== undefined) throw new OptionError('seed', 'give seed or rng, not both');
  if (options.rng !== undefined) {
    if (!(options.rng instanceof Rng)) throw new OptionError('rng', 'must be an Rng');
    return options.rng;
  }
  if (options.seed === undefined) throw new OptionError('seed', 'draw() needs a seed or an rng (randomness in nutmeg is explicit)');
  if (!(Number.isInteger(options.seed) && options.seed >= 0)) throw new OptionError('seed', `must be a non-negative integer, got ${String(options.seed)}`);
  return new Rng(options.seed);
}

function shapeOption(shape: DrawOptions['shape']): number[] | undefined {
  if (shape === undefined) return undefined;
  const dims = typeof shape === 'number' ? [shape] : [...shape];
  dims.forEach((d, i) => {
    if (!(Number.isInteger(d) && d >= 0)) throw new OptionError('shape', `must hold non-negative integers, got ${String(d)} at position ${i}`);
  });
  return dims;
}

function defaultsOf(family: ElementwiseDistribution | CompositeDistribution): Readonly<Record<string, number>> {
  return ('defaults' in family ? family.defaults : undefined) ?? {};
}

/** The parameter set the given names select (missing ones must have defaults), as `Model.rv` resolves it. */
function resolveParamSet(family: ElementwiseDistribution | CompositeDistribution, keys: readonly string[], label = family.name): readonly string[] {
  const defaults = defaultsOf(family);
  const set = family.paramSets.find((s) => keys.every((k) => s.includes(k)) && s.every((k) => keys.includes(k) || k in defaults));
  if (set) return set;
  const unknown = keys.filter((k) => !family.paramSets.some((s) => s.includes(k)));
  const expected = family.paramSets.map((s) => `{${s.join(', ')}}`).join(' or ');
  throw new ModelError(
    unknown.length > 0 ? `${label} has no parameter '${unknown[0]}' (expected ${expected})` : `${label} needs parameters ${expected}, got {${keys.join(', ')}}`,
  );
}

/** A number, an array or a rectangular nested array as values and shape; a model Tensor is refused. */
function numericParam(familyName: string, name: string, value: TensorLike): NumericParam {
  if (value instanceof Tensor) {
    throw new ModelError(`${familyName}: parameter '${name}' is a model Tensor; draw() takes numbers, arrays or nested arrays (for draws given a fitted model, use predictive sampling)`);
  }
  if (typeof value === 'number') return { values: Float64Array.of(value), shape: [] };
  const shape: number[] = [];
  let level: unknown = value;
  while (typeof level === 'object' && level !== null && 'length' in level) {
    shape.push((level as ArrayLike<unknown>).length);
    level = (level as ArrayLike<unknown>)[0];
  }
  const values = new Float64Array(sizeOf(shape));
  let next = 0;
  const walk = (node: unknown, depth: number, where: string): void => {
    if (depth === shape.length) {
      if (typeof node !== 'number') throw new ModelError(`${familyName}: parameter '${name}' must hold numbers, got ${typeof node} at ${name}${where}`);
      values[next++] = node;
      return;
    }
    const isArray = typeof node === 'object' && node !== null && 'length' in node;
    if (!isArray || (node as ArrayLike<unknown>).length !== shape[depth]) {
      throw new ModelError(`${familyName}: parameter '${name}' is a ragged array (${name}${where} should have length ${shape[depth]})`);
    }
    for (let i = 0; i < shape[depth]; i++) walk((node as ArrayLike<unknown>)[i], depth + 1, `${where}[${i}]`);
  };
  walk(value, 0, '');
  return { values, shape };
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** `[i][j]…` of flat index `flat` in a row-major array of `shape` (empty for a scalar). */
function positionOf(flat: number, shape: readonly number[]): string {
  if (shape.length === 0) return '';
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]);
    flat = Math.floor(flat / shape[d]);
  }
  return idx.map((i) => `[${i}]`).join('');
}

/** NumPy's broadcasting of several shapes; ModelError naming the parameters that clash. */
function broadcastShapes(familyName: string, shapes: readonly (readonly [string, readonly number[]])[]): number[] {
  const rank = Math.max(0, ...shapes.map(([, s]) => s.length));
  const out = new Array<number>(rank).fill(1);
  const owner = new Array<string>(rank).fill('');
  for (const [name, s] of shapes) {
    for (let i = 0; i < s.length; i++) {
      const axis = rank - s.length + i;
      if (s[i] === 1) continue;
      if (out[axis] !== 1 && out[axis] !== s[i]) {
        throw new ModelError(`${familyName}: parameter shapes do not broadcast: ${owner[axis]} has length ${out[axis]} and ${name} has length ${s[i]} on axis ${axis - rank}`);
      }
      out[axis] = s[i];
      owner[axis] = name;
    }
  }
  return out;
}

function checkBroadcastsTo(familyName: string, name: string, from: readonly number[], to: readonly number[]): void {
  const ok = from.length <= to.length && from.every((d, i) => d === 1 || d === to[to.length - from.length + i]);
  if (!ok) throw new ModelError(`${familyName}: parameter '${name}' of shape [${from.join(', ')}] does not broadcast to the shape [${to.join(', ')}]`);
}

/** Values of shape `from` repeated to shape `to` (NumPy broadcasting), row-major. */
function expand(values: Float64Array, from: readonly number[], to: readonly number[]): Float64Array {
  const out = new Float64Array(sizeOf(to));
  const offset = to.length - from.length;
  // Stride of each target axis in the source (0 where the source has length 1 or lacks the axis).
  const strides = new Array<number>(to.length).fill(0);
  let stride = 1;
  for (let i = from.length - 1; i >= 0; i--) {
    strides[offset + i] = from[i] === 1 ? 0 : stride;
    stride *= from[i];
  }
  for (let flat = 0; flat < out.length; flat++) {
    let rest = flat, src = 0;
    for (let d = to.length - 1; d >= 0; d--) {
      src += (rest % to[d]) * strides[d];
      rest = Math.floor(rest / to[d]);
    }
    out[flat] = values[src];
  }
  return out;
}

const RULES: Record<Exclude<ParamDomain, { above: string }>, string> = {
  real: 'must be finite',
  positive: 'must be finite and > 0',
  probability: 'must be in [0, 1]',
  count: 'must be a non-negative integer',
};

/** Index of the first value outside `domain`, or -1 (one tight loop per domain: it runs on every element). */
function firstViolation(domain: Exclude<ParamDomain, { above: string }>, values: Float64Array): number {
  const n = values.length;
  switch (domain) {
    case 'real':
      for (let i = 0; i < n; i++) if (!(values[i] - values[i] === 0)) return i;
      return -1;
    case 'positive':
      for (let i = 0; i < n; i++) if (!(values[i] > 0 && values[i] < Infinity)) return i;
      return -1;
    case 'probability':
      for (let i = 0; i < n; i++) if (!(values[i] >= 0 && values[i] <= 1)) return i;
      return -1;
    case 'count':
      for (let i = 0; i < n; i++) if (!(values[i] >= 0 && Math.floor(values[i]) === values[i] && values[i] < Infinity)) return i;
      return -1;
  }
}

/** Checks every value of one parameter against its single-parameter domain ({ above } is checked after broadcasting). */
function checkDomain(
  family: ElementwiseDistribution,
  name: string,
  values: Float64Array,
  where: (i: number) => string,
  label = family.name,
  variable?: string,
): void {
  const domain = family.paramDomains[name];
  if (domain === undefined) throw new ModelError(`${label}: parameter '${name}' has no declared domain (a bug in the family record)`, variable);
  const rule = typeof domain === 'object' ? 'real' : domain;
  const i = firstViolation(rule, values);
  if (i >= 0) throw new ModelError(`${label}: parameter '${name}' ${RULES[rule]} (violated at ${where(i)}: ${values[i]})`, variable);
}

/** Checks `{ above: other }` domains element by element over the broadcast arrays. */
function checkCrossDomains(
  family: ElementwiseDistribution,
  names: readonly string[],
  arrays: readonly Float64Array[],
  where: (i: number) => string,
  n: number,
  label = family.name,
  variable?: string,
): void {
  names.forEach((name, j) => {
    const domain = family.paramDomains[name];
    if (typeof domain !== 'object') return;
    const other = names.indexOf(domain.above);
    const a = arrays[j], b = arrays[other];
    for (let i = 0; i < n; i++) {
      const v = a[a.length === 1 ? 0 : i], bound = b[b.length === 1 ? 0 : i];
      if (!(v > bound)) throw new ModelError(`${label}: parameter '${name}' must be > '${domain.above}' (violated at ${where(i)}: ${name} = ${v}, ${domain.above} = ${bound})`, variable);
    }
  });
}

function improperError(family: ElementwiseDistribution, variable?: string): ModelError {
  return new ModelError(`${family.name} is improper: it has no random draws (give the variable a proper prior to draw from it)`, variable);
}
