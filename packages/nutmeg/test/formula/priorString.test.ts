// parsePrior: every Stan/brms distribution name → its nutmeg factory with Stan's parameters, every target class, and bad strings with positions.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors.js';
import * as F from '../../src/distributions/factories.js';
import type { DistributionSpec } from '../../src/distributions/factories.js';
import { PRIOR_FAMILIES, parsePrior, priorsFromStrings } from '../../src/formula/priorString.js';
import { PriorSyntaxError } from '../../src/formula/priorSyntaxError.js';

/** Prior string → the distribution it must give (Stan's parameterisation in nutmeg's names). */
const MAPPING: [string, DistributionSpec][] = [
  ['normal(1, 2.5)', F.Normal({ mu: 1, sigma: 2.5 })],
  ['student_t(3, -1, 2.5)', F.StudentT({ nu: 3, mu: -1, sigma: 2.5 })],
  ['cauchy(0.5, 2)', F.Cauchy({ alpha: 0.5, beta: 2 })],
  ['double_exponential(0, 3)', F.Laplace({ mu: 0, b: 3 })],
  ['exponential(1.5)', F.Exponential({ lam: 1.5 })],
  ['gamma(2, 0.1)', F.Gamma({ alpha: 2, beta: 0.1 })],
  ['inv_gamma(3, 4)', F.InverseGamma({ alpha: 3, beta: 4 })],
  ['lognormal(0, 1e-1)', F.LogNormal({ mu: 0, sigma: 0.1 })],
  ['uniform(-2, 5)', F.Uniform({ lower: -2, upper: 5 })],
  ['beta(2, 3)', F.Beta({ alpha: 2, beta: 3 })],
  ['half_normal(2)', F.HalfNormal({ sigma: 2 })],
  ['half_cauchy(5)', F.HalfCauchy({ beta: 5 })],
  ['flat()', F.Flat()],
];

test('each Stan distribution name gives the nutmeg factory with the same parameters', () => {
  for (const [dist, expected] of MAPPING) {
    const p = parsePrior(`${dist}: b`);
    assert.equal(p.prior.family, expected.family, dist);
    assert.deepEqual(p.prior.params, expected.params, dist);
    assert.equal(p.target, 'b');
  }
  // Every name in the table is covered here or by the LKJ test below.
  const covered = new Set([...MAPPING.map(([d]) => d.slice(0, d.indexOf('('))), 'lkj', 'lkj_corr_cholesky']);
  assert.deepEqual(Object.keys(PRIOR_FAMILIES).sort(), [...covered].sort());
});

test('lkj(eta) and lkj_corr_cholesky(eta) give LKJCholeskyCorr with a placeholder n = 2, on correlation targets only', () => {
  for (const text of ['lkj(2): cor', 'lkj_corr_cholesky(1.5): cor_county']) {
    const p = parsePrior(text);
    assert.equal(p.prior.family, F.LKJCholeskyCorr({ eta: 1, n: 2 }).family);
    assert.equal(p.prior.params.n, 2);
  }
  assert.equal(parsePrior('lkj(2): cor').prior.params.eta, 2);
  assert.throws(() => parsePrior('lkj(2): b'), /lkj\(\) is a prior for correlations/);
  assert.throws(() => parsePrior('normal(0, 1): cor_county'), /correlations take an lkj\(eta\) prior/);
});

test('targets: brms classes and class-prefixed names, white space around the parts ignored', () => {
  const targets = ['b', 'b_floor', 'b_floor:x', 'b_IxE2', 'Intercept', 'sd', 'sd_county', 'sd_county__Intercept', 'sigma', 'nu', 'shape'];
  for (const t of targets) assert.equal(parsePrior(`  normal( 0 ,1 ) :   ${t}  `).target, t);
  assert.deepEqual(parsePrior('normal(+0.5, .5e1): b').args, [0.5, 5]);
  // A target with odd characters stays a string: nothing is evaluated.
  const odd = 'b_x"}</script>\\\u2028${1}';
  assert.equal(parsePrior(`normal(0, 1): ${odd}`).target, odd);
});

test('priorsFromStrings: a record by target; a second prior for the same target is an error', () => {
  const r = priorsFromStrings(['normal(0, 1): b', 'exponential(1): sigma']);
  assert.deepEqual(Object.keys(r), ['b', 'sigma']);
  assert.equal(r.sigma.family, F.Exponential({ lam: 1 }).family);
  assert.throws(() => priorsFromStrings(['normal(0, 1): b', 'normal(0, 2): b']), /a second prior for "b"/);
});

/** Bad string → the 0-based offset of the error and a fragment of the message. */
const BAD: [string, number, RegExp][] = [
  ['', 0, /expected a distribution .* but found the end of the prior/],
  ['normal(0, 1)', 12, /expected ":"/],
  ['normal(0, 1) b', 13, /expected ":" but found "b"/],
  ['normal(0 1): b', 9, /expected "\)" or ","/],
  ['normal(0, 1: b', 11, /expected "\)" or ","/],
  ['normal(0, x): b', 10, /a number/],
  ['normal(0, 1):', 13, /expected a parameter class/],
  ['foo(1): b', 0, /unknown distribution "foo"/],
  ['constructor(1): b', 0, /unknown distribution "constructor"/],
  ['normal(0): b', 0, /normal\(\) takes 2 arguments \(mu, sigma\), got 1/],
  ['flat(1): b', 0, /flat\(\) takes no arguments, got 1/],
  ['normal(0, -1): b', 10, /sigma must be positive, got -1/],
  ['normal(0, 0): b', 10, /sigma must be positive/],
  ['gamma(2, 1e999): b', 9, /rate must be a finite number/],
  ['uniform(3, 1): b', 8, /lower bound must be below/],
  ['normal(0, 1): beta', 14, /unknown parameter class "beta"/],
  ['normal(0, 1): b_', 14, /unknown parameter class "b_"/],
  ['normal(0, 1): __proto__', 14, /unknown parameter class/],
];

test('bad strings: PriorSyntaxError (an InputError) at the right column, with a caret under it', () => {
  for (const [text, offset, message] of BAD) {
    assert.throws(
      () => parsePrior(text),
      (e: unknown) => {
        assert.ok(e instanceof PriorSyntaxError && e instanceof InputError, text);
        assert.equal(e.offset, offset, `${JSON.stringify(text)}: ${e.message}`);
        assert.match(e.message, message, text);
        assert.match(e.message, new RegExp(`^prior syntax error at column ${offset + 1}: `));
        const lines = e.format().split('\n');
        assert.equal(lines.length, 3);
        assert.equal(lines[2].indexOf('^'), 2 + offset, `${text}: caret`);
        return true;
      },
    );
  }
  assert.throws(() => parsePrior('normal(0, 1): b' + ' '.repeat(20_000)), /longer than 10000 characters/);
});

test('the caret display replaces line separators, so it stays on three lines', () => {
  const e = (() => {
    try {
      parsePrior('normal(0,\u2028 x): b');
    } catch (error) {
      return error as PriorSyntaxError;
    }
    throw new Error('no error');
  })();
  assert.equal(e.format().split(/\n|\u2028/).length, 3);
});
