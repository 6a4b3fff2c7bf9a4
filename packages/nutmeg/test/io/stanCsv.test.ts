// CmdStan CSV: column names and order, round trip, saved warm-up, and errors naming file, line and column.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors.js';
import { fromStanCsv, toStanCsv } from '../../src/io/index.js';
import { makeIdata } from './makeIdata.js';

test('toStanCsv writes CmdStan columns: sampler columns, then 1-based column-major elements', () => {
  const csv = toStanCsv(makeIdata(2, 5), 1);
  const lines = csv.trimEnd().split('\n');
  assert.ok(lines[0].startsWith('#'));
  assert.ok(lines.some((l) => l === '# id = 2'));
  const header = lines.find((l) => !l.startsWith('#'))!;
  assert.equal(
    header,
    'lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,mu,alpha.1,alpha.2,alpha.3,L.1.1,L.2.1,L.1.2,L.2.2',
  );
  assert.equal(lines.filter((l) => !l.startsWith('#')).length, 1 + 5);
});

test('toStanCsv → fromStanCsv round-trips posterior and sample stats exactly (0-based names back)', () => {
  const idata = makeIdata(3, 40);
  idata.groups.posterior!.vars.mu.values[5] = NaN;
  const files = Array.from({ length: 3 }, (_, c) => ({ name: `out-${c + 1}.csv`, text: toStanCsv(idata, c) }));
  const back = fromStanCsv(files);
  assert.equal(back.nChains, 3);
  assert.equal(back.nDraws, 40);
  for (const g of ['posterior', 'sample_stats'] as const) {
    for (const [vn, v] of Object.entries(idata.groups[g]!.vars)) {
      const bv = back.groups[g]!.vars[vn];
      assert.ok(bv, `${g}.${vn} read back`);
      assert.deepEqual(bv.shape, v.shape);
      assert.deepEqual([...bv.values], [...v.values], `${g}.${vn}`);
    }
  }
  assert.equal(back.attrs.num_warmup, 100);
});

const CMDSTAN = `# stan_version_major = 2
# model = bernoulli_model
# method = sample (Default)
#   sample
#     num_samples = 3
#     num_warmup = 2
#     save_warmup = 1
#     thin = 1 (Default)
lp__,accept_stat__,stepsize__,treedepth__,n_leapfrog__,divergent__,energy__,theta,z.1,z.2
-9,0.5,1,1,1,0,9.5,0.9,1,2
-8,0.6,1,1,3,0,8.5,0.8,1,2
# Adaptation terminated
# Step size = 0.93
# Diagonal elements of inverse mass matrix:
# 0.53
-7.1,0.95,0.93,2,3,0,7.3,0.25,0.1,0.2
-6.9,0.99,0.93,1,1,1,7.0,0.30,0.3,0.4
-7.0,0.80,0.93,2,3,0,7.2,0.28,0.5,0.6
#
#  Elapsed Time: 0.005 seconds (Warm-up)
`;

test('reads a CmdStan file with saved warm-up: warm-up rows dropped, ArviZ names, 0-based elements', () => {
  const idata = fromStanCsv([{ name: 'b-1.csv', text: CMDSTAN }]);
  assert.equal(idata.nDraws, 3);
  const s = idata.groups.sample_stats!.vars;
  assert.deepEqual(Object.keys(s), ['lp', 'acceptance_rate', 'step_size', 'tree_depth', 'n_steps', 'diverging', 'energy']);
  assert.deepEqual([...s.diverging.values], [0, 1, 0]);
  const z = idata.groups.posterior!.vars.z;
  assert.deepEqual(z.shape, [2]);
  assert.deepEqual([...z.values], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]);
  assert.equal(idata.attrs.model_name, 'bernoulli_model');
});

test('CmdStan files with problems get errors naming the file, line, column and variable', () => {
  const ok = 'lp__,theta\n-1,0.5\n-2,0.6\n';
  const cases: [{ name: string; text: string }[], RegExp][] = [
    [[{ name: 'a.csv', text: 'lp__,theta\n-1,0.5\n-2,abc\n' }], /a\.csv: line 3, column 2 \('theta'\): expected a number, got "abc"/],
    [[{ name: 'a.csv', text: 'lp__,theta\n-1,0.5,7\n' }], /a\.csv: line 2: 3 values where the header has 2 columns/],
    [[{ name: 'a.csv', text: 'lp__,theta\n-1,\n' }], /a\.csv: line 2, column 2 \('theta'\): expected a number, got ""/],
    [[{ name: 'a.csv', text: ok }, { name: 'b.csv', text: 'lp__,theta\n-1,0.5\n' }], /b\.csv: 1 draws, but a\.csv has 2/],
    [[{ name: 'a.csv', text: ok }, { name: 'b.csv', text: 'lp__,mu\n-1,0.5\n-2,0.6\n' }], /b\.csv: its columns differ from a\.csv's \(missing: theta; extra: mu\)/],
    [[{ name: 'a.csv', text: 'lp__,z.1,z.3\n-1,0.5,1\n' }], /a\.csv: variable 'z': column z\.2 is missing/],
    [[{ name: 'a.csv', text: '# only comments\n' }], /a\.csv: no header row/],
    [[], /no files/],
  ];
  for (const [files, re] of cases) {
    assert.throws(() => fromStanCsv(files), (e: unknown) => e instanceof InputError && re.test(e.message), re.source);
  }
});

test('toStanCsv refuses a chain that does not exist', () => {
  assert.throws(() => toStanCsv(makeIdata(2, 5), 2), /chain 2 does not exist/);
});
