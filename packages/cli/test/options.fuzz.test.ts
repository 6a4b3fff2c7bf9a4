// Property-based tests of the command line (fast-check): random arguments to every subcommand, run in this process, never crash, hang or print a stack trace.
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { main } from '../src/main.js';
import { fuzzRuns } from '../../nutmeg/test/helpers/fuzzRuns.js';
import { gaussianCsv } from './fitHelpers.js';

// Defaults such as --out out/fit are relative: keep them in a temporary folder.
const root = mkdtempSync(join(tmpdir(), 'nutmeg-cli-fuzz-'));
process.chdir(root);
const goodCsv = join(root, 'data.csv');
writeFileSync(goodCsv, gaussianCsv());
writeFileSync(join(root, 'empty.csv'), '');
writeFileSync(join(root, 'header.csv'), 'y,x,g\n');
writeFileSync(join(root, 'binary.bin'), Buffer.from([0, 159, 146, 150, 0, 255, 10, 0, 44, 34]));
writeFileSync(join(root, 'new.csv'), 'x,g\n0.5,a\n1,zz\n');
writeFileSync(join(root, 'loglik.json'), JSON.stringify({ log_lik: [[[-1, -2], [-1.5, -2.5], [-1.2, -2.2]], [[-1.1, -2.1], [-1.3, -2.3], [-1.4, -2.4]]] }));
writeFileSync(join(root, 'draws.json'), JSON.stringify({ mu: [[0.1, 0.2, 0.3, 0.1], [0.2, 0.1, 0.0, 0.3]] }));
writeFileSync(join(root, 'bad.json'), '{"log_lik": [[1, 2], [3]]');
mkdirSync(join(root, 'a-folder'));

/** Files of every kind: good, empty, binary, a folder, missing, odd names. */
const file = fc.constantFrom(goodCsv, 'empty.csv', 'header.csv', 'binary.bin', 'new.csv', 'loglik.json', 'draws.json', 'bad.json', 'a-folder', 'missing.csv', '', '-', 'ünï cødé.csv', join(goodCsv, 'below'));
/** Numbers as a user might mistype them. */
const number = fc.oneof(
  { arbitrary: fc.constantFrom('1', '2', '3', '1e1'), weight: 3 },
  fc.constantFrom('0', '1', '2', '3', '-1', '1.5', 'NaN', 'Infinity', '-0', '1e9', '1e400', '1e2', '99999999999999999999', '9007199254740993', '0x10', ' 2 ', '', '２', '1_000', '1e-3', '+1', '٣', '129', '1000000000'),
  fc.integer({ min: -5, max: 4 }).map(String),
  fc.string({ maxLength: 6 }),
);
const text = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', ' ', '\u2028', '\u0000', '<script>', '"q"', 'é', '🙂', '--json'));
const outDir = fc.constantFrom(join(root, 'out1'), join(root, 'n', 'e', 's', 't'), join(goodCsv, 'sub'), '', join(root, 'ünï cødé'), 'a-folder', '/proc/nutmeg-cannot');
const formula = fc.oneof(fc.constantFrom('y ~ x', 'y ~ x + (1 | g)', 'y ~ 1', 'y ~', '~ x', 'y ~ x + (1 | ', 'y ~ z', 'g ~ x', 'y ~ x + (x || g)', 'y ~ poly(x)', ''), text);

/** A flag with a value drawn from `value`, as two tokens. */
const withValue = (flag: string, value: fc.Arbitrary<string>): fc.Arbitrary<string[]> => value.map((v) => [flag, v]);
const bare = (flag: string): fc.Arbitrary<string[]> => fc.constant([flag]);
const junk = fc.oneof(bare('--frobnicate'), bare('--draw'), bare('--chain'), bare('-x'), bare('--'), text.map((t) => [t]), bare('--help'), bare('--version'));

const fitFlags = [
  withValue('--family', fc.oneof(fc.constantFrom('gaussian', 'student', 'bernoulli', 'poisson', 'weibull', ''), text)),
  withValue('--prior', fc.oneof(fc.constantFrom('normal(0, 1): b', 'normal(0,): b', 'cauchy(0, -1): sigma', 'foo'), text)),
  withValue('--chains', number),
  withValue('--draws', number),
  withValue('--tune', number),
  withValue('--seed', number),
  withValue('--out', outDir),
  bare('--json'),
  withValue('--predict', file),
  bare('--print-priors'),
  withValue('--categorical', fc.oneof(fc.constantFrom('x', 'g', 'nope'), text)),
  bare('--drop-missing'),
  withValue('--by', fc.oneof(fc.constantFrom('g', 'x', 'nope'), text)),
];
const radonFlags = [
  withValue('--model', fc.oneof(fc.constantFrom('all', 'pooled', 'unpooled', 'pooled,hierarchical', 'bogus', 'pooled,,', ''), text)),
  withValue('--priors', fc.oneof(fc.constantFrom('tutorial', 'flat', 'vague'), text)),
  withValue('--method', fc.oneof(fc.constantFrom('nuts', 'advi', 'advi+nuts', 'gibbs'), text)),
  withValue('--chains', number),
  withValue('--draws', number),
  withValue('--tune', number),
  withValue('--seed', number),
  withValue('--out', outDir),
  withValue('--threads', number),
  bare('--quiet'),
];
const summaryFlags = [bare('--json'), bare('--csv'), withValue('--hdi-prob', fc.oneof(fc.constantFrom('0.94', '0', '1', '1.5', '-0.5'), number)), withValue('--var', text), bare('--coords'), withValue('--group', fc.oneof(fc.constantFrom('posterior', 'prior', 'nope'), text)), withValue('--stats', fc.oneof(fc.constantFrom('all', 'stats', 'x'), text)), bare('--no-warnings')];
const looFlags = [bare('--json'), withValue('--var', fc.oneof(fc.constantFrom('log_lik', 'y'), text))];

/** Some of `flags` in random order, with positional arguments and junk mixed in. */
function args(positional: fc.Arbitrary<string[]>, flags: fc.Arbitrary<string[]>[]): fc.Arbitrary<string[]> {
  return fc
    .tuple(positional, fc.shuffledSubarray(flags), fc.array(junk, { maxLength: 2 }), fc.boolean())
    .chain(([pos, chosen, extra, junkFirst]) =>
      fc.tuple(...chosen.map((f) => f), fc.constant(0)).map((values) => {
        const flagTokens = values.slice(0, -1).flat() as string[];
        const junkTokens = extra.flat();
        return junkFirst ? [...junkTokens, ...pos, ...flagTokens] : [...pos, ...flagTokens, ...junkTokens];
      }),
    );
}

const argv = fc.oneof(
  // Mostly good data and formulas, so that many cases get past reading the input.
  args(fc.tuple(fc.oneof({ arbitrary: fc.constant(goodCsv), weight: 3 }, file), fc.oneof({ arbitrary: fc.constantFrom('y ~ x', 'y ~ x + (1 | g)'), weight: 2 }, formula)).map((p) => [...p]), fitFlags).map((a) => ['fit', ...a]),
  args(fc.constant([]), radonFlags).map((a) => ['radon', ...a]),
  args(fc.array(file, { maxLength: 2 }), summaryFlags).map((a) => ['summary', ...a]),
  args(fc.array(file, { maxLength: 1 }), looFlags).map((a) => ['loo', ...a]),
  args(fc.array(file, { maxLength: 3 }), looFlags).map((a) => ['compare', ...a]),
  fc.array(fc.oneof(text, fc.constantFrom('help', 'radon', 'fit', '--help', '-V', '--version', 'nonsense')), { maxLength: 3 }),
);

/** A case may take at most this long (a hang fails the property). */
const TIME_BOX_MS = 30_000;

/** Runs `nutmeg ARGV` in this process, output captured; sampling is interrupted before it starts (an aborted signal), so that every case is quick. */
async function runCase(a: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io = { out: (s: string) => void (out += s), err: (s: string) => void (err += s), signal: AbortSignal.abort() };
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${TIME_BOX_MS} ms: nutmeg ${JSON.stringify(a)}`)), TIME_BOX_MS);
  });
  try {
    const code = await Promise.race([main(a, io), timeout]);
    return { code, out, err };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Checks one run's outcome: a known exit code, no stack trace, no "unexpected error" (a bug), and
 * a usage or input error said in at most three lines starting with the command's name.
 */
function checkOutcome(a: string[], r: { code: number; out: string; err: string }): void {
  const what = `nutmeg ${JSON.stringify(a)} → ${r.code}\n${r.err}`;
  assert.ok([0, 1, 2, 130].includes(r.code), what);
  assert.doesNotMatch(r.out + r.err, /\n\s+at .+[:(]/, `stack trace: ${what}`);
  assert.doesNotMatch(r.err, /unexpected error/, `a bug: ${what}`);
  if (r.code === 2) {
    const lines = r.err.split('\n').filter((l) => l.trim() !== '');
    assert.ok(lines.length >= 1 && lines.length <= 3, `one-line error: ${what}`);
    assert.match(lines[0], /^nutmeg( \w+)?:? /, what);
  }
}

test('random arguments to every subcommand: exit 0, 1, 2 or 130, no stack trace, no bug, one-line errors, no hang', async () => {
  await fc.assert(
    fc.asyncProperty(argv, async (a) => {
      checkOutcome(a, await runCase(a));
    }),
    { numRuns: fuzzRuns(200), seed: 14 },
  );
});
