// CmdStan CSV read by its header, on real CmdStan output from stan-dev's cmdstanpy, cmdstanr and cmdstan test data.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { InputError, OptionError } from '../../src/core/errors.js';
import { fromStanCsv } from '../../src/io/stanCsv.js';
import { readStanCsvChain } from '../../src/io/stanCsvChain.js';

const DIR = join(import.meta.dirname, '..', 'fixtures', 'cmdstan');
const file = (name: string): { name: string; text: string } => ({ name, text: readFileSync(join(DIR, name), 'utf8') });

/** The draw rows of a file, found independently of the reader: the lines that start with a number. */
function numericRows(text: string): number[][] {
  return text.split('\n').filter((l) => /^[-0-9]/.test(l)).map((l) => l.split(',').map(Number));
}

/** Asserts that reading `files` throws an InputError whose message matches `re`. */
function refuses(files: string[], re: RegExp): void {
  assert.throws(() => fromStanCsv(files.map(file)), (e: unknown) => e instanceof InputError && re.test(e.message), re.source);
}

test('a good 4-chain run (cmdstanpy runset-good): header typed, every draw read', () => {
  const files = [1, 2, 3, 4].map((c) => file(`cmdstanpy-bern-${c}.csv`));
  const idata = fromStanCsv(files);
  assert.equal(idata.nChains, 4);
  assert.equal(idata.nDraws, 100);
  const theta = idata.groups.posterior!.vars.theta.values;
  files.forEach((f, c) => {
    const rows = numericRows(f.text);
    assert.equal(rows.length, 100);
    rows.forEach((r, d) => assert.equal(theta[c * 100 + d], r[7]));
  });
  assert.deepEqual(Object.keys(idata.groups.sample_stats!.vars), ['lp', 'acceptance_rate', 'step_size', 'tree_depth', 'n_steps', 'diverging', 'energy']);
  assert.equal(idata.attrs.model_name, 'bernoulli_model');
  assert.equal(idata.attrs.target_accept, 0.95);
  assert.equal(idata.attrs.max_tree_depth, 11);
  const h = readStanCsvChain(files[0].name, files[0].text).header;
  assert.equal(h.stanVersion, '2.19.1');
  assert.equal(h.method, 'sample');
  assert.deepEqual(
    { ...h.sample },
    { numSamples: 100, numWarmup: 1000, saveWarmup: false, thin: 1, algorithm: 'hmc', engine: 'nuts', metric: 'diag_e', maxDepth: 11, adaptEngaged: true, delta: 0.95 },
  );
  assert.equal(h.id, 1);
  assert.equal(h.seed, '12345');
  assert.deepEqual(h.adaptation, { stepSize: 0.738376, inverseMetric: [[0.524282]] });
});

test('save_warmup = 1 (cmdstanr model1-*-warmup): the warm-up rows are dropped, elapsed times read', () => {
  const files = [file('cmdstanr-model1-1-warmup.csv'), file('cmdstanr-model1-2-warmup.csv')];
  const idata = fromStanCsv(files);
  assert.equal(idata.nDraws, 100);
  const mu = idata.groups.posterior!.vars.mu.values;
  files.forEach((f, c) => {
    // The sampling draws follow the "Adaptation terminated" comment CmdStan writes after warm-up.
    const after = f.text.slice(f.text.indexOf('# Adaptation terminated'));
    const rows = numericRows(after);
    assert.equal(rows.length, 100);
    rows.forEach((r, d) => assert.equal(mu[c * 100 + d], r[7]));
  });
  const h = readStanCsvChain(files[0].name, files[0].text);
  assert.equal(h.warmupRowsDropped, 100);
  assert.deepEqual(h.header.elapsedSeconds, { 'warm-up': 0.038029, sampling: 0.030711, total: 0.06874 });
});

test('thin = 10 with save_warmup (cmdstan bern_fitted_params_thin): ceil(1000/10) warm-up rows dropped, 100 draws kept', () => {
  const f = file('cmdstan-bern_fitted_params_thin.csv');
  const chain = readStanCsvChain(f.name, f.text);
  assert.equal(chain.header.sample!.thin, 10);
  assert.equal(chain.warmupRowsDropped, 100);
  assert.equal(chain.rows.length, 100);
  const want = numericRows(f.text.slice(f.text.indexOf('# Adaptation terminated')));
  assert.deepEqual(chain.rows.map((r) => [...r]), want);
  assert.equal(fromStanCsv([f]).attrs.thin, 10);
});

test('a dense metric (cmdstanr dense_e) is read as a matrix', () => {
  const f = file('cmdstanr-model1-1-dense_e_metric.csv');
  const h = readStanCsvChain(f.name, f.text).header;
  assert.equal(h.sample!.metric, 'dense_e');
  assert.equal(h.adaptation!.stepSize, 0.11757);
  assert.equal(h.adaptation!.inverseMetric.length, 10);
  assert.ok(h.adaptation!.inverseMetric.every((r) => r.length === 10));
  assert.equal(h.adaptation!.inverseMetric[1][0], -0.189148);
});

test('a truncated chain is refused naming the file and the counts (cmdstanpy output_bad_rows: 9 rows, num_samples = 10)', () => {
  refuses(['cmdstanpy-output_bad_rows.csv'], /^cmdstanpy-output_bad_rows\.csv: 9 draw rows where the header \(num_samples = 10\) means 10: the chain is incomplete/);
  refuses(['cmdstanpy-bern-1.csv', 'cmdstanr-model1-3-no-samples.csv'], /cmdstanr-model1-3-no-samples\.csv: 0 draw rows where the header \(num_samples = 100\) means 100/);
  refuses(['cmdstanr-model1-3-diff_args.csv'], /cmdstanr-model1-3-diff_args\.csv: 2 draw rows where the header \(num_samples = 1\) means 1: the file has extra rows/);
});

test('chains of another model or other sampler settings are refused naming both files and the key', () => {
  refuses(['cmdstanpy-bern-1.csv', 'cmdstanpy-bad-hdr-bern-4.csv'], /cmdstanpy-bad-hdr-bern-4\.csv and cmdstanpy-bern-1\.csv are not chains of one run: their headers differ in 'model' \("foo" vs "bernoulli_model"\)/);
  refuses(['cmdstanr-model1-1-warmup.csv', 'cmdstanr-model1-2-no-warmup.csv'], /differ in 'save_warmup' \("0" vs "1"\)/);
  refuses(['cmdstanpy-bern-1.csv', 'cmdstanr-model1-2-no-warmup.csv'], /differ in 'model'/);
});

test('output of other methods is refused, naming the method and what its rows are', () => {
  const cases: [string, RegExp][] = [
    ['cmdstanpy-rosenbrock_mle.csv', /'optimize' output: a point estimate .* R-hat and ESS do not apply/],
    ['cmdstanpy-rosenbrock_mle_iters.csv', /'optimize' output/],
    ['cmdstanr-bernoulli-1-optimize.csv', /'optimize' output/],
    ['cmdstanr-bernoulli-1-variational.csv', /'variational' output: ADVI output: the first row is the approximation's mean/],
    ['cmdstanpy-bernoulli-pathfinder.csv', /'pathfinder' output: approximate draws from Pathfinder/],
    ['cmdstanr-bernoulli-1-laplace.csv', /'laplace' output: independent draws from a normal approximation/],
    ['cmdstanr-logistic-diagnose.csv', /'diagnose' output: a gradient check/],
    ['cmdstanr-bernoulli_ppc-1-gq.csv', /'generate_quantities' output: generated quantities/],
  ];
  for (const [name, re] of cases) {
    refuses([name], new RegExp(`^${name.replace(/[.]/g, '\\.')}: CmdStan ${re.source}.*Only 'method = sample' output is read as MCMC draws`));
  }
});

test("sampler columns are those ending in '__': lp/accept_stat without it are refused in a file without sampler columns", () => {
  const bare = 'lp,accept_stat,theta\n-7,0.9,0.2\n-7.1,0.8,0.3\n';
  assert.throws(
    () => fromStanCsv([{ name: 'bare.csv', text: bare }]),
    (e: unknown) => e instanceof InputError && /bare\.csv: column 'lp' is named like CmdStan's sampler column 'lp__' but lacks the '__'/.test(e.message),
  );
  assert.throws(() => fromStanCsv([{ name: 'e.csv', text: 'energy,theta\n1,2\n' }]), /column 'energy' is named like/);
  // Beside real sampler columns, `lp` is a model variable, as in Stan (only `lp__` is reserved).
  const both = fromStanCsv([{ name: 'both.csv', text: 'lp__,accept_stat__,lp,theta\n-7,0.9,1.5,0.2\n' }]);
  assert.deepEqual(Object.keys(both.groups.posterior!.vars), ['lp', 'theta']);
  assert.deepEqual(Object.keys(both.groups.sample_stats!.vars), ['lp', 'acceptance_rate']);
  assert.equal(both.groups.posterior!.vars.lp.values[0], 1.5);
  assert.equal(both.groups.sample_stats!.vars.lp.values[0], -7);
});

test('a wrong fromStanCsv argument is an OptionError naming it, not a TypeError', () => {
  for (const bad of [null, 'out.csv', [{ name: 'a.csv' }], [null], [{ name: 1, text: '' }]]) {
    assert.throws(() => fromStanCsv(bad as never), (e: unknown) => e instanceof OptionError && e.option === 'texts');
  }
});
