// The worker's gate: a queued job's payload is checked against a data-only schema of a fit task before anything else touches it.
//
// A payload is JSON written by encodeWire: a fit task whose model is a ModelSpec (nodes of the
// known kinds, elementwise ops, kernels, distributions and transforms by name), its numeric data
// as base64 typed arrays, and NUTS or ADVI settings within bounds. Everything else is refused with
// a reason naming the offending path: unknown keys or names, strings that are not plain names,
// keys such as `__proto__`, arrays or shapes beyond the size limits, node references that point
// forward. Only a payload that passes is decoded and compiled.
import type { FitTask } from 'nutmeg';
import { decodeWire, isTypedTag, typedLength, type TypedTag } from './wireCodec.js';

/** Elementwise ops of `ew` nodes (the library's SCALAR_OPS; a test checks the lists agree). */
export const EW_OPS: ReadonlySet<string> = new Set(['add', 'sub', 'mul', 'div', 'neg', 'recip', 'square', 'exp', 'log', 'log1p', 'expm1', 'sqrt', 'pow', 'abs', 'sign', 'lgamma', 'digamma', 'trigamma', 'log1pexp', 'logistic', 'tanh', 'sin', 'cos']);
/** Ops of `kernel` nodes (the library's KERNELS). */
export const KERNEL_OPS: ReadonlySet<string> = new Set(['sum', 'dot', 'matvec', 'stickBreaking', 'stickBreakingLogDet', 'solveLowerRows', 'matmul', 'transpose', 'reshape', 'diagonal', 'choleskyCorr', 'choleskyCorrLogDet']);
/** Distribution families (the library's FAMILIES). */
export const DISTRIBUTIONS: ReadonlySet<string> = new Set(['Beta', 'Cauchy', 'Exponential', 'Flat', 'Gamma', 'HalfCauchy', 'HalfFlat', 'HalfNormal', 'InverseGamma', 'Laplace', 'LogNormal', 'Normal', 'StudentT', 'Uniform', 'Weibull', 'Bernoulli', 'Binomial', 'NegativeBinomial', 'Poisson', 'Dirichlet', 'MvNormal', 'LKJCholeskyCorr']);
/** Transforms of free variables (the library's TRANSFORMS). */
export const TRANSFORMS: ReadonlySet<string> = new Set(['identity', 'log', 'logit', 'simplex', 'choleskyCorr']);

/** Size limits of a payload. */
export const PAYLOAD_LIMITS = {
  /** Nodes of a model graph. */
  nodes: 200_000,
  /** Elements of one array or shape (2^24: 128 MiB of doubles). */
  elements: 1 << 24,
  /** Dimensions of a shape. */
  rank: 8,
  /** Characters of a name (a variable, a dim, a coordinate label, a job's name). */
  nameLength: 200,
  /** Nesting depth of the JSON. */
  depth: 12,
  /** draws × chains × unconstrained dimension of a fit's output. */
  outputElements: 1 << 26,
} as const;

/** A payload the worker refuses, with the reason (which names the path of the offending value). */
export class PayloadRejected extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PayloadRejected';
  }
}

/** Keys that could reach a prototype if any code ever merged the payload into an object. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A plain name: letters, digits, spaces and `_ . - ' [ ] , /`; no quotes, parentheses, braces,
 * operators or semicolons, so that no string of a payload reads as code.
 */
const NAME = /^[\p{L}\p{N}_.\-' [\],/]*$/u;

/**
 * A label (a node's expression text such as `exp(s)`, a coordinate label, a job's name): printable
 * text without braces, semicolons, backticks, backslashes or `$`, and without `=>` or the words
 * `function`, `import`, `require`, `eval`, so that it cannot read as a function body. Labels are
 * only ever printed, never evaluated; the rule keeps code out of payloads altogether.
 */
const LABEL = /^[^\p{Cc}{};`\\$]*$/u;
const CODE_WORDS = /=>|\b(function|import|require|eval|process|globalThis)\b/;

type Json = unknown;

function fail(path: string, what: string): never {
  throw new PayloadRejected(`${path}: ${what}`);
}

function record(v: Json, path: string, allowed: readonly string[], required: readonly string[] = []): Record<string, Json> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) fail(path, 'expected an object');
  const r = v as Record<string, Json>;
  for (const k of Object.keys(r)) if (!allowed.includes(k)) fail(path, `unexpected key ${JSON.stringify(k)}`);
  for (const k of required) if (!(k in r)) fail(path, `missing ${k}`);
  return r;
}

function name(v: Json, path: string): string {
  if (typeof v !== 'string') fail(path, 'expected a name');
  if (v.length > PAYLOAD_LIMITS.nameLength) fail(path, `a name longer than ${PAYLOAD_LIMITS.nameLength} characters`);
  if (!NAME.test(v)) fail(path, `${JSON.stringify(v.slice(0, 40))} is not a plain name`);
  return v;
}

function label(v: Json, path: string): string {
  if (typeof v !== 'string') fail(path, 'expected a label');
  if (v.length > PAYLOAD_LIMITS.nameLength) fail(path, `a label longer than ${PAYLOAD_LIMITS.nameLength} characters`);
  if (!LABEL.test(v) || CODE_WORDS.test(v)) fail(path, `${JSON.stringify(v.slice(0, 40))} looks like code, not a label`);
  return v;
}

function oneOf(v: Json, path: string, known: ReadonlySet<string>, what: string): string {
  if (typeof v !== 'string' || !known.has(v)) fail(path, `unknown ${what} ${JSON.stringify(typeof v === 'string' ? v.slice(0, 40) : typeof v)}`);
  return v;
}

function int(v: Json, path: string, min: number, max: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) fail(path, `expected an integer in [${min}, ${max}]`);
  return v;
}

function num(v: Json, path: string, min = -Infinity, max = Infinity, openMin = false): number {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const r = record(v, path, ['$num'], ['$num']);
    if (!['NaN', 'Infinity', '-Infinity', '-0'].includes(r.$num as string)) fail(path, 'malformed tagged number');
    return Number(r.$num);
  }
  if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, 'expected a number');
  if (v < min || v > max || (openMin && v === min)) fail(path, `expected a number in ${openMin ? '(' : '['}${min}, ${max}]`);
  return v;
}

function bool(v: Json, path: string): boolean {
  if (typeof v !== 'boolean') fail(path, 'expected true or false');
  return v;
}

function shape(v: Json, path: string): number {
  if (!Array.isArray(v) || v.length > PAYLOAD_LIMITS.rank) fail(path, `expected a shape of at most ${PAYLOAD_LIMITS.rank} dimensions`);
  let size = 1;
  v.forEach((s: Json, k) => {
    size *= int(s, `${path}[${k}]`, 0, PAYLOAD_LIMITS.elements);
  });
  if (size > PAYLOAD_LIMITS.elements) fail(path, `${size} elements exceed the limit of ${PAYLOAD_LIMITS.elements}`);
  return size;
}

function typed(v: Json, path: string, tag: TypedTag, length?: number): number {
  const r = record(v, path, ['$typed', 'b64'], ['$typed', 'b64']);
  if (!isTypedTag(r.$typed) || r.$typed !== tag) fail(path, `expected a ${tag} array`);
  if (typeof r.b64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(r.b64) || r.b64.length % 4 !== 0) fail(path, 'malformed base64');
  const n = typedLength(tag, r.b64);
  if (!Number.isInteger(n) || n > PAYLOAD_LIMITS.elements) fail(path, `an array of ${n} elements (limit ${PAYLOAD_LIMITS.elements})`);
  if (length !== undefined && n !== length) fail(path, `${n} values for ${length} elements`);
  return n;
}

function ref(v: Json, path: string, below: number): number {
  return int(v, path, 0, below - 1);
}

function refs(v: Json, path: string, below: number): void {
  if (!Array.isArray(v) || v.length > 64) fail(path, 'expected a list of at most 64 node ids');
  v.forEach((a: Json, k) => ref(a, `${path}[${k}]`, below));
}

function refRecord(v: Json, path: string, below: number): void {
  const r = record(v, path, Object.keys(v !== null && typeof v === 'object' ? v : {}));
  for (const [k, a] of Object.entries(r)) {
    name(k, `${path} key`);
    ref(a, `${path}.${k}`, below);
  }
}

/** Rejects forbidden keys and over-deep nesting anywhere in the payload, before its shape is looked at. */
function scan(v: Json, path: string, depth: number): void {
  if (depth > PAYLOAD_LIMITS.depth) fail(path, `nested deeper than ${PAYLOAD_LIMITS.depth}`);
  if (v === null || typeof v !== 'object') {
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean' && v !== null) fail(path, `a ${typeof v} is not data`);
    return;
  }
  if (Array.isArray(v)) {
    if (v.length > PAYLOAD_LIMITS.elements) fail(path, 'array too long');
    v.forEach((x: Json, k) => scan(x, `${path}[${k}]`, depth + 1));
    return;
  }
  const proto = Object.getPrototypeOf(v) as unknown;
  if (proto !== Object.prototype && proto !== null) fail(path, 'not a plain object');
  for (const k of Object.keys(v)) {
    if (FORBIDDEN_KEYS.has(k)) fail(path, `forbidden key ${JSON.stringify(k)}`);
    scan((v as Record<string, Json>)[k], `${path}.${k}`, depth + 1);
  }
}

function node(v: Json, id: number, dim: number): void {
  const path = `model.nodes[${id}]`;
  const base = ['kind', 'id', 'shape', 'label'];
  const kind = (v !== null && typeof v === 'object' ? (v as Record<string, Json>).kind : undefined);
  const keys: Record<string, string[]> = {
    param: ['offset'], data: ['values'], const: ['value'], ew: ['op', 'args'], gather: ['src', 'index', 'indexNode'], kernel: ['op', 'args', 'attrs'],
  };
  if (typeof kind !== 'string' || !Object.hasOwn(keys, kind)) fail(`${path}.kind`, `unknown node kind ${JSON.stringify(typeof kind === 'string' ? kind.slice(0, 40) : typeof kind)}`);
  const r = record(v, path, [...base, ...keys[kind]], [...base, ...keys[kind].filter((k) => k !== 'indexNode')]);
  if (r.id !== id) fail(`${path}.id`, `expected ${id}`);
  const size = shape(r.shape, `${path}.shape`);
  label(r.label, `${path}.label`);
  switch (kind) {
    case 'param':
      int(r.offset, `${path}.offset`, 0, Math.max(0, dim - size));
      break;
    case 'data':
      typed(r.values, `${path}.values`, 'f64', size);
      break;
    case 'const':
      num(r.value, `${path}.value`);
      break;
    case 'ew':
      oneOf(r.op, `${path}.op`, EW_OPS, 'op');
      refs(r.args, `${path}.args`, id);
      break;
    case 'gather':
      ref(r.src, `${path}.src`, id);
      typed(r.index, `${path}.index`, 'i32', size);
      if (r.indexNode !== undefined) ref(r.indexNode, `${path}.indexNode`, id);
      break;
    default: {
      oneOf(r.op, `${path}.op`, KERNEL_OPS, 'kernel');
      refs(r.args, `${path}.args`, id);
      const attrs = record(r.attrs, `${path}.attrs`, Object.keys(r.attrs !== null && typeof r.attrs === 'object' ? r.attrs : {}));
      for (const [k, a] of Object.entries(attrs)) {
        name(k, `${path}.attrs key`);
        if (typeof a === 'string') name(a, `${path}.attrs.${k}`);
        else if (a !== null && typeof a === 'object' && '$typed' in a) typed(a, `${path}.attrs.${k}`, 'f64');
        else num(a, `${path}.attrs.${k}`);
      }
    }
  }
}

function variable(v: Json, path: string, nodes: number, dim: number): void {
  const r = record(v, path, ['name', 'kind', 'node', 'shape', 'dims', 'paramNode', 'transform', 'dist', 'initialUnconstrained', 'params', 'lower', 'indexInto'], ['name', 'kind', 'node', 'shape', 'dims']);
  name(r.name, `${path}.name`);
  oneOf(r.kind, `${path}.kind`, new Set(['free', 'deterministic', 'observed', 'data']), 'variable kind');
  ref(r.node, `${path}.node`, nodes);
  shape(r.shape, `${path}.shape`);
  if (!Array.isArray(r.dims) || r.dims.length > PAYLOAD_LIMITS.rank) fail(`${path}.dims`, 'expected a list of dim names');
  r.dims.forEach((d: Json, k) => name(d, `${path}.dims[${k}]`));
  if (r.paramNode !== undefined) ref(r.paramNode, `${path}.paramNode`, nodes);
  if (r.transform !== undefined) oneOf(r.transform, `${path}.transform`, TRANSFORMS, 'transform');
  if (r.dist !== undefined) oneOf(r.dist, `${path}.dist`, DISTRIBUTIONS, 'distribution');
  if (r.initialUnconstrained !== undefined) typed(r.initialUnconstrained, `${path}.initialUnconstrained`, 'f64');
  if (r.params !== undefined) refRecord(r.params, `${path}.params`, nodes);
  if (r.lower !== undefined) num(r.lower, `${path}.lower`);
  if (r.indexInto !== undefined) name(r.indexInto, `${path}.indexInto`);
  void dim;
}

function term(v: Json, path: string, nodes: number): void {
  const kind = v !== null && typeof v === 'object' ? (v as Record<string, Json>).kind : undefined;
  if (kind === 'dist') {
    const r = record(v, path, ['kind', 'variable', 'dist', 'value', 'params'], ['kind', 'variable', 'dist', 'value', 'params']);
    name(r.variable, `${path}.variable`);
    oneOf(r.dist, `${path}.dist`, DISTRIBUTIONS, 'distribution');
    ref(r.value, `${path}.value`, nodes);
    refRecord(r.params, `${path}.params`, nodes);
  } else if (kind === 'sum') {
    const r = record(v, path, ['kind', 'variable', 'expr'], ['kind', 'variable', 'expr']);
    name(r.variable, `${path}.variable`);
    ref(r.expr, `${path}.expr`, nodes);
  } else {
    fail(`${path}.kind`, 'unknown term kind');
  }
}

/** Checks a ModelSpec (as wire JSON); returns its unconstrained dimension. */
function modelSpec(v: Json): number {
  const r = record(v, 'model', ['nodes', 'terms', 'variables', 'coords', 'dim'], ['nodes', 'terms', 'variables', 'coords', 'dim']);
  const dim = int(r.dim, 'model.dim', 0, PAYLOAD_LIMITS.elements);
  if (!Array.isArray(r.nodes) || r.nodes.length > PAYLOAD_LIMITS.nodes) fail('model.nodes', `expected at most ${PAYLOAD_LIMITS.nodes} nodes`);
  r.nodes.forEach((n: Json, id) => node(n, id, dim));
  const n = r.nodes.length;
  if (!Array.isArray(r.terms) || r.terms.length > PAYLOAD_LIMITS.nodes) fail('model.terms', 'expected a list of terms');
  r.terms.forEach((t: Json, k) => term(t, `model.terms[${k}]`, n));
  if (!Array.isArray(r.variables) || r.variables.length > PAYLOAD_LIMITS.nodes) fail('model.variables', 'expected a list of variables');
  r.variables.forEach((x: Json, k) => variable(x, `model.variables[${k}]`, n, dim));
  const coords = record(r.coords, 'model.coords', Object.keys(r.coords !== null && typeof r.coords === 'object' ? r.coords : {}));
  for (const [dimName, labels] of Object.entries(coords)) {
    name(dimName, 'model.coords key');
    if (!Array.isArray(labels) || labels.length > PAYLOAD_LIMITS.elements) fail(`model.coords.${dimName}`, 'expected a list of labels');
    labels.forEach((l: Json, k) => (typeof l === 'number' ? num(l, `model.coords.${dimName}[${k}]`) : label(l, `model.coords.${dimName}[${k}]`)));
  }
  return dim;
}

const NUTS_KEYS = ['draws', 'tune', 'chains', 'targetAccept', 'maxTreeDepth', 'metric', 'init', 'divergenceThreshold', 'computeConvergenceChecks'];
const ADVI_KEYS = ['draws', 'lp', 'n', 'tolerance', 'paramTolerance', 'initScale', 'convergenceWindow', 'gradSamples', 'elboSamples', 'evalElbo', 'eta', 'adaptIterations', 'optimizer', 'iterateAveraging', 'psisDraws', 'summaryDraws', 'init'];

function nutsOptions(v: Json, dim: number): void {
  const r = record(v, 'job.options', NUTS_KEYS);
  const draws = r.draws === undefined ? 1000 : int(r.draws, 'job.options.draws', 1, 1_000_000);
  if (r.tune !== undefined) int(r.tune, 'job.options.tune', 0, 1_000_000);
  const chains = r.chains === undefined ? 4 : int(r.chains, 'job.options.chains', 1, 64);
  if (r.targetAccept !== undefined) num(r.targetAccept, 'job.options.targetAccept', 0, 0.9999, true);
  if (r.maxTreeDepth !== undefined) int(r.maxTreeDepth, 'job.options.maxTreeDepth', 1, 20);
  if (r.metric !== undefined) oneOf(r.metric, 'job.options.metric', new Set(['diag', 'dense']), 'metric');
  if (r.init !== undefined) {
    if (typeof r.init === 'string') oneOf(r.init, 'job.options.init', new Set(['jitter+adapt_diag', 'adapt_diag', 'advi']), 'init');
    else typed(r.init, 'job.options.init', 'f64', dim);
  }
  if (r.divergenceThreshold !== undefined) num(r.divergenceThreshold, 'job.options.divergenceThreshold', 0, 1e9, true);
  if (r.computeConvergenceChecks !== undefined) bool(r.computeConvergenceChecks, 'job.options.computeConvergenceChecks');
  if (draws * chains * Math.max(1, dim) > PAYLOAD_LIMITS.outputElements) fail('job.options', `draws × chains × dim = ${draws * chains * dim} exceeds ${PAYLOAD_LIMITS.outputElements}`);
}

function adviOptions(v: Json, dim: number): void {
  const r = record(v, 'job.options', ADVI_KEYS);
  const draws = r.draws === undefined ? 1000 : int(r.draws, 'job.options.draws', 1, 1_000_000);
  if (r.lp !== undefined) bool(r.lp, 'job.options.lp');
  for (const k of ['n', 'convergenceWindow', 'gradSamples', 'elboSamples', 'evalElbo', 'adaptIterations', 'psisDraws', 'summaryDraws']) {
    if (r[k] !== undefined) int(r[k], `job.options.${k}`, 0, 10_000_000);
  }
  for (const k of ['tolerance', 'paramTolerance', 'initScale']) if (r[k] !== undefined) num(r[k], `job.options.${k}`, 0, 1e9);
  if (r.eta !== undefined && r.eta !== 'adapt') num(r.eta, 'job.options.eta', 0, 1e9, true);
  if (r.optimizer !== undefined) oneOf(r.optimizer, 'job.options.optimizer', new Set(['stan', 'adam']), 'optimizer');
  if (r.iterateAveraging !== undefined) bool(r.iterateAveraging, 'job.options.iterateAveraging');
  if (r.init !== undefined) typed(r.init, 'job.options.init', 'f64', dim);
  if (draws * Math.max(1, dim) > PAYLOAD_LIMITS.outputElements) fail('job.options', 'too many draws');
}

/**
 * Checks a queued payload (`{ v: 1, task }` as parsed JSON) against the fit-task schema and, only
 * if it passes, decodes it.
 *
 * @param payload - a job's data as BullMQ delivers it (parsed JSON, untrusted)
 * @returns the fit task, ready for `runFitTask`
 * @throws PayloadRejected with the reason (the path of the offending value and what is wrong)
 * @example
 * ```ts
 * try { validateTaskPayload({ v: 1, task: { index: 0 } }); }
 * catch (e) { console.log((e as Error).message); } // "task: missing name"
 * ```
 */
export function validateTaskPayload(payload: unknown): FitTask {
  scan(payload, 'payload', 0);
  const p = record(payload, 'payload', ['v', 'task'], ['v', 'task']);
  if (p.v !== 1) fail('payload.v', 'unknown payload version');
  const t = record(p.task, 'task', ['index', 'name', 'seed', 'job'], ['index', 'name', 'seed', 'job']);
  int(t.index, 'task.index', 0, 100_000_000);
  label(t.name, 'task.name');
  int(t.seed, 'task.seed', 0, Number.MAX_SAFE_INTEGER);
  const j = record(t.job, 'job', ['name', 'model', 'method', 'options'], ['model']);
  if (j.name !== undefined) label(j.name, 'job.name');
  const dim = modelSpec(j.model);
  const method = j.method === undefined ? 'nuts' : oneOf(j.method, 'job.method', new Set(['nuts', 'advi', 'fullrank_advi']), 'method');
  if (j.options !== undefined) (method === 'nuts' ? nutsOptions : adviOptions)(j.options, dim);
  return decodeWire(t) as FitTask;
}
