// Fuzzing the model builder and the options of sample()/fit() (fast-check): every input either works (finite log density, gradient matching finite differences) or fails with a typed nutmeg error naming the culprit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainError, InputError, ModelError, OptionError } from '../../src/core/errors.js';
import { Model } from '../../src/model/model.js';
import * as D from '../../src/distributions/factories.js';
import type { DistributionSpec } from '../../src/distributions/factories.js';
import type { Tensor } from '../../src/graph/tensor.js';
import * as math from '../../src/graph/tensor.js';
import { sample, SAMPLE_OPTION_KEYS, type SampleOptions } from '../../src/workflow/sample.js';
import { fit, FIT_OPTION_KEYS } from '../../src/workflow/fit.js';
import { AdviError } from '../../src/inference/vi/advi.js';
import { fuzzRuns } from '../helpers/fuzzRuns.js';

/** Errors a caller may get from nutmeg for bad input: typed, with a message that names the culprit. */
function isTypedNutmegError(e: unknown): boolean {
  return e instanceof ModelError || e instanceof OptionError || e instanceof InputError || e instanceof DomainError || e instanceof AdviError;
}

/** Rethrows anything that is not a typed nutmeg error, with the input that caused it. */
function expectTyped(e: unknown, input: unknown): void {
  if (isTypedNutmegError(e)) {
    assert.ok((e as Error).message.length > 0);
    // A ModelError about a variable names it in its message.
    if (e instanceof ModelError && e.variable !== undefined) assert.ok(e.message.includes(e.variable), `'${e.variable}' not in: ${e.message}`);
    return;
  }
  const shown = JSON.stringify(input, (_, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v));
  throw new Error(`untyped error ${(e as Error)?.name}: ${(e as Error)?.message} for ${shown}`, { cause: e });
}

// Values at and beyond parameter limits: ordinary, zero, negative, tiny, huge, non-finite.
const ORDINARY = fc.oneof(fc.double({ min: -3, max: 3, noNaN: true }), fc.constantFrom(0.5, 1, 2));
const EXTREME = fc.constantFrom(0, -0, -1, 1e-300, 5e-324, 1e300, Number.MAX_VALUE, NaN, Infinity, -Infinity);
const scalar = fc.oneof({ weight: 8, arbitrary: ORDINARY }, { weight: 1, arbitrary: EXTREME });
const rareBad = <T>(good: fc.Arbitrary<T>, bad: fc.Arbitrary<unknown>, odds = 12): fc.Arbitrary<unknown> => fc.oneof({ weight: odds, arbitrary: good }, { weight: 1, arbitrary: bad });
const paramValue = fc.oneof(
  { weight: 30, arbitrary: scalar },
  { weight: 3, arbitrary: fc.array(scalar, { minLength: 0, maxLength: 4 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('a', null, undefined, {}, [[1, 2], [3]], true) },
);

/** Families with their parameter names (continuous ones can be free; all can be observed). */
const FAMILIES: Record<string, { make: (p: never) => DistributionSpec; params: string[]; discrete?: boolean }> = {
  Normal: { make: D.Normal, params: ['mu', 'sigma'] },
  HalfNormal: { make: D.HalfNormal, params: ['sigma'] },
  StudentT: { make: D.StudentT, params: ['nu', 'mu', 'sigma'] },
  Gamma: { make: D.Gamma, params: ['alpha', 'beta'] },
  Beta: { make: D.Beta, params: ['alpha', 'beta'] },
  Uniform: { make: D.Uniform, params: ['lower', 'upper'] },
  Exponential: { make: D.Exponential, params: ['lam'] },
  LogNormal: { make: D.LogNormal, params: ['mu', 'sigma'] },
  Cauchy: { make: D.Cauchy, params: ['alpha', 'beta'] },
  Laplace: { make: D.Laplace, params: ['mu', 'b'] },
  InverseGamma: { make: D.InverseGamma, params: ['alpha', 'beta'] },
  Poisson: { make: D.Poisson, params: ['mu'], discrete: true },
  Bernoulli: { make: D.Bernoulli, params: ['p'], discrete: true },
};
const familyName = fc.constantFrom(...Object.keys(FAMILIES));

const shapeArb = fc.oneof(
  { weight: 16, arbitrary: fc.constant(undefined) },
  { weight: 6, arbitrary: fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 2 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>([-1], [1.5], 'x', [NaN], [1e9], [2 ** 40, 2 ** 40]) },
);

/** A recipe for one random model: coords, free variables, a data container, an observed variable. */
const recipe = fc.record({
  coords: rareBad(
    fc
      .tuple(fc.integer({ min: 1, max: 4 }), fc.dictionary(fc.constantFrom('obs', 'k'), fc.integer({ min: 0, max: 4 }), { maxKeys: 2 }))
      .map(([g, others]) => Object.fromEntries([['g', g], ...Object.entries(others)].map(([k, n]) => [k, Array.from({ length: n as number }, (_, i) => `L${i}`)]))),
    fc.constantFrom<unknown>({ g: 3 }, 'g', null, { g: [null] }),
    25,
  ),
  free: fc.array(
    fc.record({
      family: familyName,
      // Values for the family's own parameters, in order; now and then one left out or a stranger added.
      values: fc.array(paramValue, { minLength: 3, maxLength: 3 }),
      omit: rareBad(fc.constant(-1), fc.nat(2), 20),
      extra: rareBad(fc.constant(undefined), fc.constantFrom('zeta', 'tau', 'sd'), 20),
      shape: shapeArb,
      dims: fc.oneof({ weight: 16, arbitrary: fc.constant(undefined) }, { weight: 4, arbitrary: fc.constantFrom<unknown>('g', 'obs', ['g', 'k']) }, { weight: 1, arbitrary: fc.constantFrom<unknown>('nope', 7, [null]) }),
      transform: rareBad(fc.constant(undefined), fc.constantFrom<unknown>('log', 'identity', 'logit', 'bogus', 3), 20),
    }),
    { minLength: 0, maxLength: 3 },
  ),
  data: fc.oneof(fc.constant(undefined), fc.array(rareBad(ORDINARY, EXTREME, 20), { maxLength: 5 })),
  observed: fc.record({
    family: familyName,
    // The location: a constant, a free variable, or a gather of one by an index (in or out of range, fractional).
    location: fc.oneof(
      fc.constant({ kind: 'const' as const, which: 0, index: [] as number[] }),
      fc.record({ kind: fc.constant('free' as const), which: fc.nat(3), index: fc.constant([] as number[]) }),
      fc.record({ kind: fc.constant('gather' as const), which: fc.nat(3), index: fc.array(rareBad(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 5, 0.5, NaN), 20), { maxLength: 6 }) }),
    ),
    values: rareBad(
      // Inside every family's support (discrete families round them) unless an extreme value slips in.
      fc.array(rareBad(fc.double({ min: 0.05, max: 0.95, noNaN: true }), scalar, 20), { minLength: 1, maxLength: 6 }),
      fc.constantFrom<unknown>([], [[1, 2], [3]], 'abc', null, {}),
      10,
    ),
    shape: fc.oneof({ weight: 10, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: shapeArb }),
  }),
  // Tensor ops, deterministics and potentials over what was built, with odd operands and names now and then.
  extras: fc.array(
    fc.record({
      kind: fc.constantFrom('deterministic', 'potential', 'op'),
      op: fc.constantFrom('add', 'mul', 'div', 'sub', 'exp', 'log', 'sum', 'at', 'pow'),
      operand: fc.oneof({ weight: 6, arbitrary: scalar }, { weight: 2, arbitrary: fc.constant('tensor') }, { weight: 1, arbitrary: paramValue }),
      index: fc.array(rareBad(fc.integer({ min: 0, max: 3 }), fc.constantFrom(-1, 9, 0.5, NaN, '1'), 15), { maxLength: 4 }),
      name: rareBad(fc.constantFrom('d0', 'd1', 'd2'), fc.constantFrom('', 'a b', 'v0', 'y', 'x[0]', 42), 15),
      dims: fc.oneof({ weight: 12, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom<unknown>('g', 'obs', 'nope', 3) }),
    }),
    { maxLength: 3 },
  ),
  // A group index by labels of coords 'g' (unknown labels, positions out of range, a dim that is not there).
  groupIndex: fc.option(
    fc.record({
      labels: fc.array(rareBad(fc.constantFrom('L0', 0), fc.constantFrom('L3', 'Z', -1, 7, 1.5, null), 12), { maxLength: 5 }),
      into: rareBad(fc.constant('g'), fc.constantFrom('nope', 'obs'), 8),
    }),
    { freq: 2 },
  ),
  multivariate: fc.option(
    fc.oneof(
      fc.record({ kind: fc.constant('mvnormal' as const), r: fc.double({ min: -1.5, max: 1.5, noNaN: true }), sd: rareBad(fc.constantFrom(1, 2), EXTREME, 8) }),
      fc.record({ kind: fc.constant('dirichlet' as const), a: fc.array(rareBad(fc.double({ min: 0.1, max: 5, noNaN: true }), EXTREME, 8), { maxLength: 4 }) }),
    ),
    { freq: 2 },
  ),
  point: fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 64, maxLength: 64 }),
  runSampler: fc.integer({ min: 0, max: 19 }).map((k) => k === 0),
});
type Recipe = typeof recipe extends fc.Arbitrary<infer R> ? R : never;

/** Builds the model of a recipe (throws whatever the builder throws). */
function build(r: Recipe): Model {
  const m = new Model({ coords: r.coords as Record<string, string[]> });
  const free: Tensor[] = [];
  r.free.forEach((v, i) => {
    const fam = FAMILIES[v.family];
    if (fam.discrete) return;
    const params: Record<string, unknown> = {};
    fam.params.forEach((k, j) => {
      if (j !== v.omit) params[k] = v.values[j];
    });
    if (v.extra !== undefined) params[v.extra as string] = 1;
    const options: Record<string, unknown> = {};
    if (v.shape !== undefined) options.shape = v.shape;
    if (v.dims !== undefined) options.dims = v.dims;
    if (v.transform !== undefined) options.transform = v.transform;
    free.push(m.rv(`v${i}`, fam.make(params as never), options));
  });
  if (r.data !== undefined) m.data('x', r.data as number[]);
  if (r.groupIndex) {
    const gi = m.data('gi', r.groupIndex.labels as string[], { indexInto: r.groupIndex.into as string });
    if (free.length > 0) free.push(free[0].at(gi));
  }
  if (r.multivariate?.kind === 'mvnormal') {
    const { r: rho, sd } = r.multivariate;
    const s2 = (sd as number) ** 2;
    free.push(m.rv('mv', D.MvNormal({ mu: [0, 0], cov: [[s2, rho * s2], [rho * s2, s2]] })));
  } else if (r.multivariate?.kind === 'dirichlet') {
    free.push(m.rv('dir', D.Dirichlet({ a: r.multivariate.a as number[] })));
  }
  for (const [k, e] of r.extras.entries()) {
    if (free.length === 0) break;
    const t = free[k % free.length];
    const operand = e.operand === 'tensor' ? free[(k + 1) % free.length] : e.operand;
    let out: Tensor;
    switch (e.op) {
      case 'exp': out = math.exp(t); break;
      case 'log': out = math.log(t); break;
      case 'sum': out = t.sum(); break;
      case 'at': out = t.at(e.index as number[]); break;
      case 'pow': out = math.pow(t, operand as never); break;
      default: out = t[e.op as 'add' | 'mul' | 'div' | 'sub'](operand as never);
    }
    if (e.kind === 'deterministic') m.deterministic(e.name as string, out, e.dims === undefined ? {} : { dims: e.dims as string });
    else if (e.kind === 'potential') m.potential(e.name as string, out);
    free.push(out);
  }
  const o = r.observed;
  const fam = FAMILIES[o.family];
  const params: Record<string, unknown> = {};
  for (const k of fam.params) params[k] = k === 'lower' ? 0 : k === 'p' ? 0.5 : 1;
  const first = fam.params[0];
  const source = free.length > 0 ? free[(o.location.kind === 'const' ? 0 : o.location.which) % free.length] : undefined;
  if (source && o.location.kind === 'free') params[first] = source;
  if (source && o.location.kind === 'gather') params[first] = source.at(o.location.index as number[]);
  const values = fam.discrete && Array.isArray(o.values) ? o.values.map((v) => (typeof v === 'number' && Math.abs(v) < 1e6 ? Math.round(v) : v)) : o.values;
  const options: Record<string, unknown> = { observed: values };
  if (o.shape !== undefined) options.shape = o.shape;
  m.rv('y', fam.make(params as never), options);
  return m;
}

/** Central finite differences of the log density in each coordinate vs the gradient. */
function checkGradient(ld: { dim: number; logDensityGrad(x: Float64Array, g: Float64Array): number }, x: Float64Array, lp: number, grad: Float64Array, r: Recipe): void {
  const g2 = new Float64Array(ld.dim);
  for (let i = 0; i < Math.min(ld.dim, 8); i++) {
    const h = 1e-5 * Math.max(1, Math.abs(x[i]));
    const xp = Float64Array.from(x);
    const xm = Float64Array.from(x);
    xp[i] += h;
    xm[i] -= h;
    let fp: number, fm: number;
    try {
      fp = ld.logDensityGrad(xp, g2);
      fm = ld.logDensityGrad(xm, g2);
    } catch {
      continue; // a DomainError next to the point: no difference to compare
    }
    if (!Number.isFinite(fp) || !Number.isFinite(fm)) continue;
    const fd = (fp - fm) / (2 * h);
    const tol = 1e-3 * (1 + Math.abs(grad[i])) + (1e-9 * (1 + Math.abs(lp))) / h;
    // Where the one-sided slopes disagree, a difference says nothing: a kink (Laplace's |x − mu| at
    // x = mu), a pole within h (log(x²) at x = 1e-155), or an extremum where the slope is ~0 anyway.
    const right = (fp - lp) / h;
    const left = (lp - fm) / h;
    if (Math.abs(right - left) > 0.01 * (Math.abs(right) + Math.abs(left)) + (1e-8 * (1 + Math.abs(lp))) / h) continue;
    assert.ok(Math.abs(fd - grad[i]) <= tol, `coordinate ${i}: gradient ${grad[i]} vs finite difference ${fd} (lp ${lp}) for ${JSON.stringify(r)}`);
  }
}

test('fuzz: random models build, compile and evaluate, or fail with a typed error naming the culprit', async () => {
  const outcomes = { refused: 0, evaluated: 0, gradientChecked: 0, sampled: 0 };
  const reasons = new Map<string, number>();
  await fc.assert(
    fc.asyncProperty(recipe, async (r) => {
      let compiled;
      try {
        compiled = build(r).compile();
      } catch (e) {
        expectTyped(e, r);
        outcomes.refused++;
        const key = (e as Error).message.replace(/'[^']*'|\d+(\.\d+)?(e[+-]?\d+)?|\[[^\]]*\]|\{[^}]*\}/g, '…').slice(0, 70);
        reasons.set(key, (reasons.get(key) ?? 0) + 1);
        return;
      }
      outcomes.evaluated++;
      const x = Float64Array.from({ length: compiled.dim }, (_, i) => r.point[i % r.point.length]);
      const grad = new Float64Array(compiled.dim);
      let lp: number;
      try {
        lp = compiled.logDensityGrad(x, grad);
      } catch (e) {
        expectTyped(e, r);
        return;
      }
      assert.equal(typeof lp, 'number');
      const ordinary = JSON.stringify(r.free.map((v) => v.values)).match(/e[+-]\d{3}|null|"|Infinity|NaN/) === null;
      if (Number.isFinite(lp) && grad.every(Number.isFinite) && ordinary) {
        checkGradient(compiled, x, lp, grad, r);
        outcomes.gradientChecked++;
      }
      if (r.runSampler && compiled.dim > 0) {
        try {
          const idata = await sample(compiled, { draws: 5, tune: 5, chains: 1, cores: 1, progress: false, seed: 1 });
          assert.equal(idata.nDraws, 5);
          outcomes.sampled++;
        } catch (e) {
          expectTyped(e, r);
        }
      }
    }),
    { numRuns: fuzzRuns() },
  );
  if (process.env.NUTMEG_FUZZ_STATS) console.log(outcomes, [...reasons].sort((a, b) => b[1] - a[1]).slice(0, 25));
  // Not vacuous: a fair share of the random models (about a sixth) get through to an evaluation and a gradient check.
  const total = outcomes.refused + outcomes.evaluated;
  assert.ok(outcomes.evaluated >= 0.08 * total && outcomes.gradientChecked >= 0.04 * total, JSON.stringify(outcomes));
});

// Option values: valid ones (kept small so runs stay short) mixed with wrong types and out-of-range values.
const anyWrong = fc.constantFrom<unknown>(-1, 0, 1.5, NaN, Infinity, -Infinity, 2 ** 53, '10', null, true, {}, [], () => 1);
function optionValue(key: string): fc.Arbitrary<unknown> {
  const valid: Record<string, fc.Arbitrary<unknown>> = {
    draws: fc.integer({ min: 0, max: 15 }),
    tune: fc.integer({ min: 0, max: 15 }),
    chains: fc.integer({ min: 1, max: 2 }),
    cores: fc.integer({ min: 1, max: 4 }),
    seed: fc.oneof(fc.nat(), fc.constantFrom(0, 2 ** 32 - 1, 2 ** 32, 2 ** 60, -1, 1.5)),
    targetAccept: fc.double({ min: -0.5, max: 1.5, noNaN: false }),
    maxTreeDepth: fc.integer({ min: -1, max: 40 }),
    metric: fc.constantFrom('diag', 'dense', 'full'),
    adaptation: fc.constantFrom('stan', 'nutpie', 'pymc'),
    init: fc.constantFrom<unknown>('jitter+adapt_diag', 'adapt_diag', 'advi', 'bogus', new Float64Array(1), new Float64Array(3), { mu: 0.5 }, { nope: 1 }, { mu: NaN }),
    sampler: fc.constantFrom('nuts', 'hmc', 'metropolis'),
    pathLength: fc.constantFrom(0.5, 2, 0, -1),
    divergenceThreshold: fc.constantFrom(1000, 1, 0, -5),
    computeConvergenceChecks: fc.boolean(),
    logLikelihood: fc.boolean(),
    memoryLimit: fc.constantFrom(1e12, 100, Infinity, 0),
    progress: fc.constantFrom<unknown>(false, { update() {}, finish() {} }),
  };
  return fc.oneof({ weight: 6, arbitrary: valid[key] ?? fc.constant(undefined) }, { weight: 1, arbitrary: anyWrong });
}
const FUZZED_SAMPLE_KEYS = Object.keys(SAMPLE_OPTION_KEYS).filter((k) => !['signal', 'platform', 'runner'].includes(k));
const sampleOptions = fc.record({
  // A few options at a time (all of them at once would nearly always hold a wrong one).
  options: fc
    .uniqueArray(fc.constantFrom(...FUZZED_SAMPLE_KEYS), { maxLength: 4 })
    .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, optionValue(k)])))),
  misspelt: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constantFrom('draw', 'Draws', 'chain', 'target_accept', 'sed', 'x') }),
});

function optionModel(): Model {
  const m = new Model();
  const mu = m.rv('mu', D.Normal({ mu: 0, sigma: 1 }));
  m.rv('y', D.Normal({ mu, sigma: 1 }), { observed: [0.1, -0.3] });
  return m;
}

test('fuzz: random sample() options run or fail with an OptionError naming an option that was given', async () => {
  const model = optionModel().compile();
  let ran = 0;
  let refused = 0;
  await fc.assert(
    fc.asyncProperty(sampleOptions, async ({ options, misspelt }) => {
      const given: Record<string, unknown> = { ...options, ...(misspelt ? { [misspelt]: 1 } : {}) };
      // Short runs whatever was generated: defaults would be 4 × 2000 iterations.
      given.draws ??= 5;
      given.tune ??= 5;
      given.chains ??= 1;
      given.progress ??= false;
      if (given.cores === undefined) given.cores = 1;
      try {
        const idata = await sample(model, { ...given, platform: {} } as SampleOptions);
        assert.equal(idata.nDraws, given.draws);
        ran++;
      } catch (e) {
        refused++;
        expectTyped(e, given);
        assert.ok(e instanceof OptionError || e instanceof ModelError || e instanceof AdviError, String(e));
        // A field of a given option may be named (`checkpoint.dir` for `checkpoint: {}`).
        if (e instanceof OptionError) assert.ok(e.option.split('.')[0] in given || e.option === 'model', `option '${e.option}' was not given: ${e.message}`);
      }
    }),
    { numRuns: fuzzRuns() },
  );
  if (process.env.NUTMEG_FUZZ_STATS) console.log({ ran, refused });
  assert.ok(ran >= 0.15 * (ran + refused), `only ${ran} of ${ran + refused} option sets ran`);
});

test('fuzz: random fit() options fit or fail with an OptionError naming an option that was given', async () => {
  const model = optionModel().compile();
  const fitValue: Record<string, fc.Arbitrary<unknown>> = {
    method: fc.constantFrom('advi', 'advi', 'fullrank_advi', 'svgd'),
    n: fc.integer({ min: -1, max: 300 }),
    seed: fc.oneof(fc.nat(), fc.constantFrom(2 ** 32, 1.5, -1)),
    tolerance: fc.constantFrom(0.01, 0.05, 0, 0.1, -1, NaN),
    evalElbo: fc.integer({ min: 0, max: 100 }),
    gradSamples: fc.integer({ min: 1, max: 3 }),
    elboSamples: fc.integer({ min: 0, max: 50 }),
    eta: fc.constantFrom<unknown>('adapt', 'adapt', 0.1, 1, 0, -1, 'fast'),
    optimizer: fc.constantFrom('stan', 'stan', 'adam', 'sgd'),
    psisDraws: fc.integer({ min: -1, max: 50 }),
    summaryDraws: fc.integer({ min: 0, max: 50 }),
    memoryLimit: fc.constantFrom(1e12, 1e12, 1e9, 10, 0),
  };
  const arb = fc
    .uniqueArray(fc.constantFrom(...Object.keys(fitValue)), { maxLength: 4 })
    .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, fc.oneof({ weight: 6, arbitrary: fitValue[k] }, { weight: 1, arbitrary: anyWrong })]))));
  let ran = 0;
  let refused = 0;
  const why = new Map<string, number>();
  await fc.assert(
    fc.property(arb, rareBad(fc.constant(null), fc.constantFrom('N', 'methods', 'seeds'), 5), (options, misspelt) => {
      const given: Record<string, unknown> = { n: 200, adaptIterations: 20, ...options, ...(misspelt ? { [misspelt as string]: 1 } : {}) };
      try {
        fit(model, given as never);
        ran++;
      } catch (e) {
        refused++;
        if (process.env.NUTMEG_FUZZ_STATS) why.set(`${(e as Error).name} ${(e as Error).message.slice(0, 40)}`, (why.get(`${(e as Error).name} ${(e as Error).message.slice(0, 40)}`) ?? 0) + 1);
        expectTyped(e, given);
        // A sub-option (`checkpoint.dir`) names the option given (`checkpoint`).
        if (e instanceof OptionError) assert.ok(e.option.split('.')[0] in given || e.option === 'model', `option '${e.option}' was not given: ${e.message}`);
      }
    }),
    { numRuns: fuzzRuns() },
  );
  if (process.env.NUTMEG_FUZZ_STATS) console.log({ ran, refused }, [...why].sort((a, b) => b[1] - a[1]).slice(0, 10));
  assert.ok(ran >= 0.15 * (ran + refused), `only ${ran} of ${ran + refused} option sets ran`);
  assert.ok(Object.keys(fitValue).every((k) => k in FIT_OPTION_KEYS));
});
