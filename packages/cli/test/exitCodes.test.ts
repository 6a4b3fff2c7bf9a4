// Exit codes and one-line messages of the command line: limits refused before any work, seeds never rounded, help, and a bug reported with a log file.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { OptionError } from 'nutmeg';
import { exitCodeOf } from '../src/cliRun.js';
import { checkSampleLimits, LIMITS } from '../src/limits.js';
import { main } from '../src/main.js';
import { gaussianCsv, tempDir, writeText } from './fitHelpers.js';

const dir = tempDir('exit-codes');
const data = writeText(dir, 'data.csv', gaussianCsv());

async function nutmeg(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { code, out, err };
}

test('nutmeg help and nutmeg help help: the help on stdout, exit 0; help of an unknown command: exit 2', async () => {
  for (const argv of [['help'], ['help', 'help']]) {
    const r = await nutmeg(argv);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /radon\s+the radon case study/);
    assert.equal(r.err, '');
  }
  const r = await nutmeg(['help', 'nonsense']);
  assert.equal(r.code, 2);
  assert.equal(r.err, 'nutmeg: unknown command "nonsense" (the commands: radon, fit, loo, compare, worker, summary)\n');
});

const refused: [string, string[], RegExp][] = [
  ['a seed beyond 2^53 (never rounded)', ['fit', data, 'y ~ x', '--seed', '99999999999999999999'], /--seed <N>' argument '99999999999999999999' is invalid\. expected a whole number ≤ 4294967295/],
  ['radon: a seed beyond 2^53', ['radon', '--seed', '9007199254740993'], /--seed <N>' argument '9007199254740993' is invalid\. expected a whole number ≤ 4294967295/],
  ['a seed of 2^32 (seeds are 32-bit: it would repeat seed 0)', ['fit', data, 'y ~ x', '--seed', '4294967296'], /--seed <N>' argument '4294967296' is invalid\. expected a whole number ≤ 4294967295/],
  ['a fractional number', ['radon', '--draws', '1.5'], /expected a whole number ≥ 1, got '1\.5'/],
  ['NaN', ['fit', data, 'y ~ x', '--chains', 'NaN'], /expected a whole number ≥ 1, got 'NaN'/],
  ['1000 chains', ['radon', '--chains', '1000'], /--chains: 1000 chains is more than the limit of 128/],
  ['a billion warm-up iterations', ['fit', data, 'y ~ x', '--tune', '1e9'], /--tune: 1\.0e\+9 warm-up iterations per chain is more than the limit of 1,000,000/],
  ['radon: a billion draws', ['radon', '--draws', '1e9'], /--draws: 1\.0e\+9 draws per chain is more than the limit of 1\.0e\+7/],
  ['radon: draws that fill the memory', ['radon', '--draws', '1e6', '--chains', '8'], /--draws\/--chains: 8 chains × 1,000,000 draws × [\d,]+ numbers per draw would keep [\d.]+ GB of draws in memory; the limit is [\d.]+ [GM]B/],
  ['fit: draws that fill the memory', ['fit', data, 'y ~ x', '--draws', '1e7'], /--draws\/--chains: 4 chains × 1\.0e\+7 draws × \d+ numbers per draw would keep [\d.]+ GB of draws in memory; the limit is [\d.]+ [GM]B/],
];

for (const [what, argv, message] of refused) {
  test(`refused before any work: ${what} (exit 2, one line, no output folder)`, async () => {
    const out = join(dir, `out-${what.replace(/\W+/g, '-')}`);
    const start = Date.now();
    const r = await nutmeg([...argv, '--out', out]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, message);
    assert.equal(r.err.split('\n').filter((l) => l !== '').length, 1, r.err);
    assert.equal(r.out, '');
    assert.equal(existsSync(out), false, 'nothing written');
    assert.ok(Date.now() - start < 5000);
  });
}

test('files are no limit: a fit of 1,000 groups, 10,000 rows and 4 × 1000 draws (88 million numbers, idata.json ≈ 1.7 GB) is refused only when its draws exceed the memory limit', () => {
  // It was refused above 2·10^7 numbers, the most one JSON string held; idata.json is now written chunk by chunk.
  const run = { chains: 4, draws: 1000, tune: 1000 };
  const memory = /would keep [\d.]+ [GM]B of draws in memory/;
  for (const perDraw of [2 * 1000 + 12 + 2 * 10_000, 20_000 + 12, Math.ceil(LIMITS.memoryBytes / 8 / 4000) + 1]) {
    const numbers = 4 * 1000 * perDraw;
    if (numbers * 8 <= LIMITS.memoryBytes) assert.doesNotThrow(() => checkSampleLimits(run, perDraw), `${numbers} numbers`);
    else assert.throws(() => checkSampleLimits(run, perDraw), (e: unknown) => e instanceof OptionError && memory.test(e.message));
  }
  // On any machine with 3 GB or more (a quarter is 704 MB), the 88 million numbers pass.
  if (LIMITS.memoryBytes >= 704e6) assert.doesNotThrow(() => checkSampleLimits(run, 2 * 1000 + 12 + 2 * 10_000));
});

test('--draws 1e2 is a hundred (an exponent is a whole number)', async () => {
  const r = await nutmeg(['fit', data, 'y ~ x', '--draws', '1e2', '--tune', '1e2', '--chains', '1', '--seed', '1', '--json', '--out', join(dir, 'exp')]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /sampling 1 chain × \(100 warm-up \+ 100 draws\)/);
});

test('an unexpected error (a bug): one line naming a log file that holds the stack, exit 1', () => {
  let err = '';
  const code = exitCodeOf('nutmeg fit', new TypeError('cannot read properties of undefined'), ['data.csv', 'y ~ x'], { out: () => undefined, err: (s) => void (err += s) });
  assert.equal(code, 1);
  const m = /^nutmeg fit: unexpected error: cannot read properties of undefined \(a bug in nutmeg; details in (.+nutmeg-error-[^)]+\.log)\)\n$/.exec(err);
  assert.ok(m, err);
  const log = readFileSync(m[1], 'utf8');
  assert.match(log, /^nutmeg fit "data\.csv" "y ~ x"/);
  assert.match(log, /TypeError: cannot read properties of undefined\n\s+at /);
});
