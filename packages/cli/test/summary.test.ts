// `nutmeg summary`: outputs for each input format, and exit code 2 with a located message for bad input.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../src/summary.js';
import { toArvizJson, toDrawsJson, toStanCsv } from 'nutmeg';
import { makeIdata } from '../../nutmeg/test/io/makeIdata.js';

const dir = mkdtempSync(join(tmpdir(), 'nutmeg-summary-'));
const idata = makeIdata(4, 100, 3);
const files = {
  draws: join(dir, 'draws.json'),
  arviz: join(dir, 'idata.json'),
  csv: [0, 1, 2, 3].map((c) => join(dir, `out-${c + 1}.csv`)),
};
writeFileSync(files.draws, toDrawsJson(idata));
writeFileSync(files.arviz, toArvizJson(idata));
files.csv.forEach((f, c) => writeFileSync(f, toStanCsv(idata, c)));

async function call(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await run(argv, { out: (s) => (out += s), err: (s) => (err += s) });
  return { code, out, err };
}

const COLUMNS = ['mean', 'sd', 'hdi_3%', 'hdi_97%', 'mcse_mean', 'mcse_sd', 'ess_bulk', 'ess_tail', 'r_hat'];

test('the three input formats give the same JSON summary', async () => {
  const a = await call([files.draws, '--json']);
  const b = await call([files.arviz, '--json']);
  const c = await call([...files.csv, '--json']);
  for (const r of [a, b, c]) assert.equal(r.code, 0, r.err);
  const ja = JSON.parse(a.out) as Record<string, Record<string, number>>;
  assert.deepEqual(Object.keys(ja), ['mu', 'alpha[0]', 'alpha[1]', 'alpha[2]', 'L[0,0]', 'L[0,1]', 'L[1,0]', 'L[1,1]']);
  assert.deepEqual(Object.keys(ja.mu), COLUMNS);
  assert.deepEqual(JSON.parse(b.out), ja);
  assert.deepEqual(JSON.parse(c.out), ja);
});

test('table by default; --hdi-prob, --var and --coords change it', async () => {
  const t = await call([files.arviz]);
  assert.equal(t.code, 0);
  assert.match(t.out.split('\n')[0], /^\s+mean\s+sd\s+hdi_3%\s+hdi_97%/);
  const v = await call([files.arviz, '--hdi-prob', '0.9', '--var', 'alpha', '--coords', '--json']);
  const jv = JSON.parse(v.out) as Record<string, Record<string, number>>;
  assert.deepEqual(Object.keys(jv), ['alpha[AITKIN]', 'alpha[ANOKA]', 'alpha[BECKER]']);
  assert.ok('hdi_5%' in jv['alpha[ANOKA]']);
  const csv = await call([files.draws, '--csv', '--var', 'mu']);
  assert.equal(csv.out.split('\n')[0], ',' + COLUMNS.join(','));
});

test('malformed input: exit 2 and a message naming the file, variable and position', async () => {
  const bad = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const cases: [string[], RegExp][] = [
    [[bad('syntax.json', '{"mu": [[1, 2],\n  [3 4]]}')], /syntax\.json: invalid JSON at line 2, column 6/],
    [[bad('ragged.json', '{"mu": [[1, 2, 3], [4, 5]]}')], /ragged\.json: variable 'mu': ragged array: at chain 1 there are 2 draws where the first has 3/],
    [[bad('cell.json', '{"mu": [[1, 2, 3], [4, "five", 6]]}')], /cell\.json: variable 'mu': at chain 1, draw 1: expected a number, got "five"/],
    [[files.draws, '--var', 'beta'], /draws\.json: unknown variable 'beta' \(variables: mu, alpha, L\)/],
    [[bad('cell.csv', 'lp__,theta\n-1,0.5\n-2,x\n')], /cell\.csv: line 3, column 2 \('theta'\): expected a number, got "x"/],
    [[join(dir, 'missing.json')], /missing\.json: cannot read: no such file/],
    [[files.draws, '--hdi-prob', '1.5'], /--hdi-prob.*invalid/],
    [[], /missing required argument/],
    [[files.draws, '--frobnicate'], /unknown option '--frobnicate'/],
  ];
  for (const [argv, re] of cases) {
    const r = await call(argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
    assert.match(r.err, /^nutmeg summary: /);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    assert.equal(r.out, '');
  }
});

test('convergence warnings go to stderr, and --no-warnings silences them', async () => {
  const bad = makeIdata(4, 100, 3);
  const mu = bad.groups.posterior!.vars.mu.values;
  for (let i = 0; i < 100; i++) mu[i] += 5; // chain 0 elsewhere
  const p = join(dir, 'unmixed.json');
  writeFileSync(p, toArvizJson(bad));
  const r = await call([p, '--var', 'mu']);
  assert.equal(r.code, 0);
  assert.match(r.err, /R-hat is above 1\.01/);
  assert.match(r.err, /divergences|diverged/);
  const q = await call([p, '--no-warnings']);
  assert.equal(q.err, '');
});

test('through the real entry point: the subcommand is dispatched and bad input exits 2 without a stack trace', () => {
  const script = `import('./packages/cli/src/main.ts').then((m) => m.main(process.argv.slice(1))).then((c) => { process.exitCode = c; });`;
  const ok = spawnSync(process.execPath, ['--conditions=development', '--import', 'tsx', '-e', script, 'summary', files.draws, '--json', '--var', 'mu'], { encoding: 'utf8' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.ok('mu' in JSON.parse(ok.stdout));
  const bad = spawnSync(process.execPath, ['--conditions=development', '--import', 'tsx', '-e', script, 'summary', join(dir, 'ragged.json')], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /ragged\.json: variable 'mu'/);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});
