// `nutmeg fit` on bad input: every error is one clear line naming the culprit (a caret for syntax errors), exit code 2, no stack trace, nothing sampled.
import { strict as assert } from 'node:assert';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fit, gaussianCsv, tempDir, writeText } from './fitHelpers.js';

const dir = tempDir('fit-errors');
const data = writeText(dir, 'data.csv', gaussianCsv());

/** Runs a command that must fail: exit 2, stderr matching `message`, no stack trace, nothing on stdout. */
async function fails(argv: string[], message: RegExp): Promise<string> {
  const r = await fit(argv);
  assert.equal(r.code, 2, `${argv.join(' ')}: exit code (stderr: ${r.err})`);
  assert.match(r.err, message, argv.join(' '));
  assert.match(r.err, /^nutmeg fit: /);
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  assert.equal(r.out, '');
  return r.err;
}

test('a missing file, an empty file, a header without rows, a repeated column name', async () => {
  await fails([join(dir, 'nope.csv'), 'y ~ x'], /nope\.csv: no such file/);
  await fails([writeText(dir, 'empty.csv', ''), 'y ~ x'], /empty\.csv: the file is empty/);
  await fails([writeText(dir, 'header.csv', 'y,x\n'), 'y ~ x'], /header\.csv: there is a header but no data rows/);
  await fails([writeText(dir, 'dup.csv', 'y,x,y\n1,2,3\n'), 'y ~ x'], /the column name "y" appears twice \(columns 1 and 3\)/);
  await fails([writeText(dir, 'ragged.csv', 'y,x\n1,2\n3\n'), 'y ~ x'], /ragged\.csv: not a valid CSV file/);
});

test('an unknown column is named, with similar columns suggested', async () => {
  await fails([data, 'y ~ xx + (1 | g)'], /unknown column "xx" .*similar: "x"/);
  await fails([data, 'y ~ x', '--categorical', 'gg'], /unknown column "gg"/);
});

test('a formula syntax error prints the formula with a caret under the position', async () => {
  const err = await fails([data, 'y ~ x + (1 | g'], /formula syntax error at line 1, column 15/);
  const lines = err.split('\n');
  assert.equal(lines[1], '  y ~ x + (1 | g');
  assert.equal(lines[2].indexOf('^'), 2 + 14);
});

test('a bad prior string prints it with a caret; a prior for no parameter names the key', async () => {
  const err = await fails([data, 'y ~ x', '--prior', 'normal(0 1): b'], /prior syntax error at column 10/);
  assert.equal(err.split('\n')[2].indexOf('^'), 2 + 9);
  await fails([data, 'y ~ x', '--prior', 'normal(0, 1): b_z'], /--prior for "b_z": matches no parameter/);
  await fails([data, 'y ~ x', '--prior', 'normal(0, 1): b', '--prior', 'normal(0, 2): b'], /a second prior for "b"/);
});

test('a response the family cannot take: the family, the value and the line of the file', async () => {
  const counts = writeText(dir, 'counts.csv', 'y,x\n1,0\n3,1\n-2,1\n0,0\n');
  await fails([counts, 'y ~ x', '--family', 'poisson'], /family poisson needs .* but y is -2 on line 4 of .*counts\.csv/);
  await fails([counts, 'y ~ x', '--family', 'negbinomial'], /family negbinomial .* y is -2 on line 4/);
  await fails([data, 'y ~ x', '--family', 'poisson'], /family poisson .* on line 2 of/);
  await fails([writeText(dir, 'binary.csv', 'y,x\n1,0\n0,1\n2,1\n'), 'y ~ x', '--family', 'bernoulli'], /family bernoulli .* y is 2 on line 4/);
  await fails([writeText(dir, 'positive.csv', 'y,x\n1,0\n0,1\n2,1\n'), 'y ~ x', '--family', 'gamma'], /family gamma .* y is 0 on line 3/);
  await fails([writeText(dir, 'binomial.csv', 'k,n,x\n1,3,0\n2.5,3,1\n'), 'k | trials(n) ~ x', '--family', 'binomial'], /family binomial .* on line 3/);
});

test('a missing value in a used column names the line and the column; --drop-missing says how many rows went', async () => {
  const holes = writeText(dir, 'holes.csv', 'y,x,g,unused\n1,0,a,\n2,NA,b,1\n3,1,a,\n4,0, ,2\n5,1,b,\n');
  await fails([holes, 'y ~ x'], /missing value in column "x" on line 3 of .*holes\.csv; --drop-missing/);
  await fails([holes, 'y ~ x + (1 | g)'], /missing value in column "x" on line 3/);
  // A column the formula does not use may have holes.
  const r = await fit([holes, 'y ~ x + (1 | g)', '--drop-missing', '--print-priors']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /dropped 2 of 5 rows with a missing value/);
});

test('bad numbers for --chains, --draws, --tune, --seed and an unknown family are usage errors', async () => {
  for (const [flag, value] of [['--chains', '0'], ['--chains', 'two'], ['--draws', '-5'], ['--tune', '1.5'], ['--seed', 'x'], ['--draws', '']]) {
    await fails([data, 'y ~ x', flag, value], new RegExp(`option '${flag} <N>' argument .* is invalid`));
  }
  await fails([data, 'y ~ x', '--family', 'weibull'], /argument 'weibull' is invalid\. expected one of gaussian, student/);
});

test('an unwritable --out fails before sampling', async () => {
  const start = Date.now();
  await fails([data, 'y ~ x', '--out', join(data, 'sub')], /--out: cannot write to '.*data\.csv.sub': '.*data\.csv' is not a folder \(ENOTDIR\)/);
  assert.ok(Date.now() - start < 5000);
});

test('--predict with a file that does not fit the model fails before sampling', async () => {
  const out = join(dir, 'out-predict');
  await fails([data, 'y ~ x + (1 | g)', '--predict', join(dir, 'none.csv'), '--out', out], /none\.csv: no such file/);
  await fails([data, 'y ~ x + (1 | g)', '--predict', writeText(dir, 'new.csv', 'z,g\n1,a\n'), '--out', out], /unknown column "x"/);
  assert.equal(existsSync(out), false);
});

test('--print-priors prints brms prior_summary, exits 0 and samples nothing', async () => {
  const out = join(dir, 'out-priors');
  const r = await fit([data, 'y ~ x + (1 | g)', '--print-priors', '--prior', 'normal(0, 1): b', '--out', out]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trimEnd().split('\n');
  assert.match(lines[0], /prior\s+class\s+coef\s+group\s+source/);
  assert.ok(lines.some((l) => /\bb\s+x\s+user$/.test(l)), r.out);
  assert.ok(lines.some((l) => /student_t\(3, 0, 2\.5\)\s+sigma\s+default$/.test(l)), r.out);
  assert.ok(lines.some((l) => /\bsd\s+Intercept\s+g\s+default$/.test(l)), r.out);
  assert.equal(existsSync(out), false);
});

test('--prior reaches the builder for every class: lkj on cor, a half-normal on one sd, sigma', async () => {
  const r = await fit([data, 'y ~ x + (1 + x | g)', '--print-priors', '--prior', 'lkj(2): cor', '--prior', 'half_normal(1): sd_g__x', '--prior', 'exponential(1): sigma']);
  assert.equal(r.code, 0, r.err);
  const user = r.out.split('\n').filter((l) => l.endsWith(' user'));
  assert.equal(user.length, 3, r.out);
  // Shown as brms shows priors: Stan's names, a half-normal as the normal its bound truncates.
  assert.ok(user.some((l) => /lkj\(2\)\s+cor\s+g\s+user$/.test(l)), r.out);
  assert.ok(user.some((l) => /normal\(0, 1\)\s+sd\s+x\s+g\s+user$/.test(l)), r.out);
  assert.ok(user.some((l) => /exponential\(1\)\s+sigma\s+user$/.test(l)), r.out);
});
