// sample() and fit() options validated up front: each bad value refused by name, value and range; misspelt keys; seeds; memory and time limits; draws: 0; an uncompiled Model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/rng.js';
import { Model } from '../../src/model/model.js';
import { Normal } from '../../src/distributions/factories.js';
import { sample, SAMPLE_OPTION_KEYS, type SampleOptions } from '../../src/workflow/sample.js';
import { fit, FIT_OPTION_KEYS } from '../../src/workflow/fit.js';
import { checkKnownKeys, closestName, SEED_LIMIT } from '../../src/core/optionChecks.js';
import { DEFAULT_MEMORY_LIMIT } from '../../src/workflow/resourceLimits.js';
import { formatCount } from '../../src/core/formatCount.js';
import fc from 'fast-check';
import type { SamplingPlatform } from '../../src/workflow/platform.js';
import type { LogDensity } from '../../src/core/types.js';
import { scaledNormal } from '../inference/fixtures/gaussians.js';

function smallModel(): Model {
  const m = new Model();
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 1 }));
  m.rv('y', Normal({ mu, sigma: 1 }), { observed: [0.5, 1.5, -0.2] });
  return m;
}
const compiled = smallModel().compile();
const QUIET: SampleOptions = { progress: false, cores: 1, chains: 1, draws: 20, tune: 20 };

/** Asserts an OptionError for `option` whose message matches every pattern. */
async function refused(run: () => Promise<unknown> | unknown, option: string, ...patterns: RegExp[]): Promise<void> {
  await assert.rejects(async () => run(), (e: unknown) => {
    assert.ok(e instanceof OptionError, `expected OptionError, got ${String(e)}`);
    assert.equal(e.option, option, e.message);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  });
}

test('sample: draws, tune and chains must be integers in range; the message names the option, the value and the range', async () => {
  for (const [option, value, range] of [
    ['draws', -1, /integer ≥ 0/],
    ['draws', 1.5, /integer ≥ 0/],
    ['draws', NaN, /integer ≥ 0/],
    ['draws', '10', /integer ≥ 0/],
    ['tune', -5, /integer ≥ 0/],
    ['tune', Infinity, /integer ≥ 0/],
    ['chains', 0, /integer ≥ 1/],
    ['chains', 2.5, /integer ≥ 1/],
    ['cores', 0, /integer ≥ 1/],
    ['maxTreeDepth', 0, /integer in \[1, 30\]/],
    ['maxTreeDepth', 1e9, /integer in \[1, 30\]/],
  ] as const) {
    await refused(() => sample(compiled, { ...QUIET, [option]: value }), option, range, new RegExp(`got ${value === '10' ? '"10"' : String(value)}`));
  }
  for (const t of [0, 1, -0.5, NaN, 1.2]) await refused(() => sample(compiled, { ...QUIET, targetAccept: t }), 'targetAccept', /\(0, 1\)/);
  await refused(() => sample(compiled, { ...QUIET, divergenceThreshold: -1 }), 'divergenceThreshold', /> 0/);
  await refused(() => sample(compiled, { ...QUIET, computeConvergenceChecks: 'yes' as unknown as boolean }), 'computeConvergenceChecks', /true or false/);
  await refused(() => sample(compiled, { ...QUIET, logLikelihood: 1 as unknown as boolean }), 'logLikelihood', /true or false/);
  await refused(() => sample(compiled, { ...QUIET, init: 42 as unknown as 'advi' }), 'init', /got 42/);
  await refused(() => sample(compiled, { ...QUIET, progress: 'yes' as unknown as boolean }), 'progress', /sink/);
  await refused(() => sample(compiled, { ...QUIET, signal: {} as AbortSignal }), 'signal', /AbortSignal/);
  await refused(() => sample(compiled, null as unknown as SampleOptions), 'options', /must be an object/);
});

test('sample: seeds are integers in [0, 2^32); 1.5, 2^60, 2^32, -1 and NaN are refused, not rounded', async () => {
  for (const seed of [1.5, 2 ** 60, 2 ** 32, -1, NaN, Infinity]) {
    await refused(() => sample(compiled, { ...QUIET, seed }), 'seed', /integer in \[0, 2\^32 − 1 = 4294967295\]/);
  }
  const top = await sample(compiled, { ...QUIET, seed: SEED_LIMIT - 1 });
  assert.equal(top.attrs.seed, 4294967295);
});

test('Rng: the accepted seed range is exactly the range of distinct streams (why 2^32 is the limit)', () => {
  const first = (seed: number): number[] => {
    const r = new Rng(seed);
    return [r.nextUint32(), r.nextUint32(), r.nextUint32()];
  };
  // A fraction is truncated: 1.5 gives seed 1's stream.
  assert.deepEqual(first(1.5), first(1));
  // 2^32 folds its high word into the same 32 bits: it repeats the stream of a seed below 2^32.
  const fmix32 = (h: number): number => {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  };
  const twin = (fmix32(0x7f4a7c15) ^ fmix32(1 + 0x7f4a7c15)) >>> 0;
  assert.ok(twin < SEED_LIMIT);
  assert.deepEqual(first(2 ** 32), first(twin));
  // Below 2^32, neighbouring seeds and the extremes differ.
  assert.notDeepEqual(first(0), first(1));
  assert.notDeepEqual(first(SEED_LIMIT - 1), first(SEED_LIMIT - 2));
});

test('sample: a misspelt option is refused with a suggestion; an unknown one lists the options', async () => {
  await refused(() => sample(compiled, { ...QUIET, draw: 10 } as SampleOptions), 'draw', /not an option of sample \(did you mean `draws`\?\)/);
  await refused(() => sample(compiled, { ...QUIET, target_accept: 0.9 } as SampleOptions), 'target_accept', /did you mean `targetAccept`\?/);
  await refused(() => sample(compiled, { ...QUIET, chians: 2 } as SampleOptions), 'chians', /did you mean `chains`\?/);
  await refused(() => sample(compiled, { ...QUIET, frobnicate: 1 } as SampleOptions), 'frobnicate', /options of sample: sampler, pathLength, draws/);
  assert.equal(closestName('Seed', Object.keys(SAMPLE_OPTION_KEYS)), 'seed');
  assert.equal(closestName('xyz', Object.keys(SAMPLE_OPTION_KEYS)), undefined);
  assert.doesNotThrow(() => checkKnownKeys({ draws: 1 }, SAMPLE_OPTION_KEYS, 'sample'));
});

test('sample: draws: 0 runs the warm-up only and says so (as PyMC warns), never a silent all-NaN result', async () => {
  const printed: string[] = [];
  const platform: SamplingPlatform = { createProgress: () => ({ update() {}, finish() {} }), printWarnings: (t) => printed.push(t) };
  const idata = await sample(compiled, { ...QUIET, progress: true, platform, draws: 0, tune: 30, seed: 3 });
  assert.equal(idata.nDraws, 0);
  const warnings = idata.attrs.warnings as string[];
  assert.match(warnings[0], /^draws: 0, so no draws were kept: only the warm-up ran/);
  assert.ok(Number.isFinite((idata.attrs.step_size as number[])[0]), 'the adapted step size is there');
  assert.ok(printed.some((t) => /draws: 0/.test(t)), 'printed where progress was shown');
});

test('sample: a run needing more memory than the limit is refused before it starts, with the estimate and the limit', async () => {
  const started: number[] = [];
  const runner = { start: () => { started.push(1); throw new Error('must not start'); } };
  await refused(() => sample(compiled, { ...QUIET, draws: 1e9, chains: 4, runner }), 'draws', /about [\d.]+ GiB of memory \(4 chains × 1,000,000,000 draws × \d+ numbers × 8 bytes\), more than the limit of/, /memoryLimit/);
  await refused(() => sample(compiled, { ...QUIET, draws: 1000, memoryLimit: 10_000, runner }), 'draws', /limit of 9.77 KiB \(the memoryLimit option\)/);
  await refused(() => sample(compiled, { ...QUIET, memoryLimit: -1 }), 'memoryLimit', /bytes > 0/);
  // The log-likelihood counts: 3 observations more per draw.
  await refused(() => sample(compiled, { ...QUIET, draws: 100, logLikelihood: true, memoryLimit: 100 * (2 * (1 + 10) + 1 + 10) * 8 + 1 }), 'draws');
  assert.equal(started.length, 0);
  // Where the platform states no limit, the default applies.
  await refused(() => sample(compiled, { ...QUIET, draws: DEFAULT_MEMORY_LIMIT / 8, platform: {} }), 'draws', /the default for this platform/);
});

test('formatCount writes counts as toLocaleString("en-US") does (its hand-made replacement, without ICU)', () => {
  fc.assert(
    fc.property(fc.oneof(fc.integer({ min: -1e15 + 1, max: 1e15 - 1 }), fc.nat(9999), fc.double({ min: -1e20, max: 1e20, noNaN: true })).filter((n) => !Object.is(n, -0)), (n) => {
      // (-0, never a count, is written 0 rather than toLocaleString's -0)
      const expected = Number.isInteger(n) && n < 1e15 ? n.toLocaleString('en-US') : n.toPrecision(3);
      assert.equal(formatCount(n), expected);
    }),
    { seed: 17, numRuns: 2000 },
  );
});

test('sample: tune: 1e14 is not refused (it stores nothing) but warned about with a time estimate before it starts', async () => {
  const printed: string[] = [];
  const platform: SamplingPlatform = { createProgress: () => ({ update() {}, finish() {} }), printWarnings: (t) => printed.push(t) };
  const idata = await sample(scaledNormal({ sds: [1, 2] }), { progress: true, platform, chains: 1, draws: 10, tune: 1e14, seed: 1, signal: AbortSignal.abort() });
  assert.equal(idata.attrs.incomplete, true);
  assert.match(printed[0], /^sample: this run may take about [\d.]+ (days|years) \(a rough estimate: 1 chain on 1 thread × 100,000,000,000,010 iterations \(tune \+ draws\) × ~8 gradients of [\d.]+ µs\)/);
});

test('sample(m) on an uncompiled Model compiles it, as pm.sample needs no compile step; anything else is refused by name', async () => {
  const idata = await sample(smallModel(), { ...QUIET, seed: 5 });
  const direct = await sample(smallModel().compile(), { ...QUIET, seed: 5 });
  assert.deepEqual(idata.groups.posterior!.vars.mu.values, direct.groups.posterior!.vars.mu.values);
  await refused(() => sample(42 as unknown as LogDensity, QUIET), 'model', /needs a Model, a compiled model \(m.compile\(\)\) or a LogDensity/);
  await refused(() => sample({ dim: 2 } as unknown as LogDensity, QUIET), 'model', /got an object \{dim\}/);
});

test('fit: misspelt options, seeds and memory are checked as in sample; a Model is compiled', async () => {
  await refused(() => fit(compiled, { nn: 100 } as never), 'nn', /did you mean `n`\?/);
  await refused(() => fit(compiled, { methd: 'advi' } as never), 'methd', /did you mean `method`\?/);
  for (const seed of [1.5, 2 ** 40, -3]) await refused(() => fit(compiled, { seed }), 'seed', /\[0, 2\^32 − 1/);
  await refused(() => fit(compiled, { n: 1e9 }), 'n', /about 7.45 GiB of memory \(\(1,000,000,000 iterations/, /limit of 2.00 GiB \(the default for fit\)/);
  await refused(() => fit(compiled, { n: 1000, memoryLimit: 1000 }), 'n', /the memoryLimit option/);
  await refused(() => fit(compiled, 'advi' as never), 'options', /must be an object/);
  const a = fit(smallModel(), { seed: 2, n: 2000 });
  const b = fit(compiled, { seed: 2, n: 2000 });
  assert.deepEqual(a.mean, b.mean);
  assert.deepEqual(Object.keys(FIT_OPTION_KEYS).sort(), ['adaptIterations', 'convergenceWindow', 'elboSamples', 'eta', 'evalElbo', 'gradSamples', 'init', 'initScale', 'iterateAveraging', 'memoryLimit', 'method', 'n', 'optimizer', 'paramTolerance', 'progress', 'psisDraws', 'seed', 'summaryDraws', 'tolerance']);
});

test('fit: a fit that could never finish (elboSamples, gradSamples or adaptIterations of 2^53) is refused before it starts (found by fuzzing: it hung)', async () => {
  await refused(() => fit(compiled, { elboSamples: 2 ** 53, n: 200 }), 'elboSamples', /evaluate the log density about 1.35e\+17 times .* more than the limit of 1e\+10/);
  // Fewer steps than evalElbo: no ELBO check in the loop, but the ELBO is still estimated at the start and end.
  await refused(() => fit(compiled, { elboSamples: 2 ** 53, n: 5, eta: 0.1 }), 'elboSamples', /ELBO checks 2.70e\+16/);
  await refused(() => fit(compiled, { gradSamples: 2 ** 53, n: 200 }), 'gradSamples', /limit of 1e\+10/);
  await refused(() => fit(compiled, { adaptIterations: 2 ** 53 }), 'adaptIterations', /step-size search 4.50e\+16/);
  // A fixed eta skips the search, so its iterations do not count.
  assert.doesNotThrow(() => fit(compiled, { adaptIterations: 2 ** 53, eta: 0.1, n: 200, seed: 1 }));
});

test('sample: init values by name must be finite numbers (a string was reported as a NaN outside the support)', async () => {
  await refused(() => sample(compiled, { ...QUIET, init: { mu: 'x' } as never }), 'init', /'mu' must be a finite number or an array of finite numbers \(constrained values\), got "x"/);
  await refused(() => sample(compiled, { ...QUIET, init: { mu: NaN } }), 'init', /got NaN/);
  await refused(() => sample(compiled, { ...QUIET, init: { sigma: 1 } }), 'init', /'sigma' is not a free variable/);
});

test('Approximation.sample: a number of draws beyond the memory limit is refused, not an out-of-memory crash; seeds as in fit', () => {
  const approx = fit(compiled, { n: 300, seed: 1 });
  assert.throws(() => approx.sample(1e9), (e: unknown) => e instanceof OptionError && e.option === 'n' && /about 14.9 GiB of memory \(1,000,000,000 draws × 2 numbers × 8 bytes\), more than the limit of 2.00 GiB/.test(e.message));
  assert.throws(() => approx.sample(10, { seed: 2 ** 32 }), (e: unknown) => e instanceof OptionError && e.option === 'seed');
  assert.equal(approx.sample(10, { memoryLimit: 1e6 }).nDraws, 10);
});

test('sample: chains: 1e6 is refused by memory naming chains (the larger factor)', async () => {
  await refused(() => sample(compiled, { ...QUIET, chains: 1e6, draws: 100, memoryLimit: 2 ** 30 }), 'chains', /1,000,000 chains × 100 draws/);
});
