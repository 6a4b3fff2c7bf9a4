// `nutmeg fit --by COLUMN`: one fit per level through mapFits, one summary table over all fits, failing groups named, per-group draws reproducible.
import { strict as assert } from 'node:assert';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { fitSeed, formulaModel, runFitTask, summaryToJson } from 'nutmeg';
import { parseCsvTable } from '../src/fit/csvTable.js';
import { splitByColumn } from '../src/fit/groups.js';
import { fitResults } from '../src/fit/results.js';
import { fit, tempDir, writeText } from './fitHelpers.js';

const dir = tempDir('fit-by');
const SEED = 11;
const SETTINGS = { chains: 2, draws: 60, tune: 60 };
const FAST = ['--chains', '2', '--draws', '60', '--tune', '60', '--seed', String(SEED)];
/** Levels in file order; code-point order is B, a, b, c (upper case first, as R's C locale sorts). */
const FILE_LEVELS = ['b', 'a', 'c', 'B'];
const LEVELS = ['B', 'a', 'b', 'c'];
const SLOPES: Record<string, number> = { b: 1, a: 2, c: 3, B: -1 };

/** 4 groups of 12 rows: y = 1 + slope·x + noise, a second grouping column h with 3 levels in every group, counts n. */
function byCsv(): string {
  const rows = ['y,x,g,h,n'];
  for (let i = 0; i < 48; i++) {
    const g = FILE_LEVELS[i % 4];
    const x = (Math.floor(i / 4) % 12) / 11;
    const y = 1 + SLOPES[g] * x + 0.3 * Math.sin(i * 1.7);
    // Group c has a negative count: the poisson family rejects its rows, the other groups fit.
    const n = g === 'c' && i > 40 ? -1 : i % 5;
    rows.push(`${y.toFixed(4)},${x.toFixed(4)},${g},h${i % 3},${n}`);
  }
  return rows.join('\n') + '\n';
}
const text = byCsv();
const data = writeText(dir, 'data.csv', text);

test('the table: columns group, parameter, az.summary; one row per group and parameter, groups in level order, r_ elements included', async () => {
  const r = await fit([data, 'y ~ x + (1 | h)', '--by', 'g', ...FAST, '--out', join(dir, 'out-table')]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.match(lines[0], /^group\s+parameter\s+mean\s+sd\s+hdi_3%\s+hdi_97%\s+mcse_mean\s+mcse_sd\s+ess_bulk\s+ess_tail\s+r_hat$/);
  const params = ['b_Intercept', 'b_x', 'sd_h__Intercept', 'sigma', 'r_h[h0,Intercept]', 'r_h[h1,Intercept]', 'r_h[h2,Intercept]'];
  const body = lines.slice(1, 1 + LEVELS.length * params.length).map((l) => l.split(/\s+/).slice(0, 2));
  assert.deepEqual(body, LEVELS.flatMap((g) => params.map((p) => [g, p])));
  // Each group's slope is found (posterior sd of b_x is about 0.15 here).
  for (const [i, g] of LEVELS.entries()) {
    const slope = Number(lines[1 + i * params.length + 1].split(/\s+/)[2]);
    assert.ok(Math.abs(slope - SLOPES[g]) < 0.6, `${g}: ${slope}`);
  }
  assert.match(r.err, /4 of 4 groups fitted \(seed 11\)/);
  const out = join(dir, 'out-table');
  // b and B would be one file on a case-insensitive file system: the later one gets its group number.
  assert.deepEqual(readdirSync(join(out, 'fits')).sort(), ['B.json', 'a.json', 'b_3.json', 'c.json'].sort());
  const csv = parse(readFileSync(join(out, 'summary.csv'), 'utf8')) as string[][];
  assert.deepEqual(csv[0].slice(0, 4), ['group', 'parameter', 'mean', 'sd']);
  assert.equal(csv.length, 1 + LEVELS.length * params.length);
  assert.deepEqual(csv.slice(1).map((row) => row.slice(0, 2)), body);
  const idata = JSON.parse(readFileSync(join(out, 'fits', 'a.json'), 'utf8')) as Record<string, unknown>;
  for (const group of ['posterior', 'sample_stats', 'log_likelihood', 'posterior_predictive']) assert.ok(group in idata, group);
});

test('--json: only {"<level>": {"<param>": stats}} on stdout, and each group bit-identical to its rows fitted alone with fitSeed(seed, index)', async () => {
  const out = join(dir, 'out-json');
  const r = await fit([data, 'y ~ x', '--by', 'g', ...FAST, '--json', '--out', out]);
  assert.equal(r.code, 0, r.err);
  const json = JSON.parse(r.out) as Record<string, Record<string, Record<string, number | null>>>;
  assert.deepEqual(Object.keys(json), LEVELS);
  for (const g of LEVELS) assert.deepEqual(Object.keys(json[g]), ['b_Intercept', 'b_x', 'sigma']);
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')), json);

  const groups = splitByColumn(parseCsvTable(text, 'data.csv'), 'g', false);
  assert.deepEqual(groups.map((g) => g.level), LEVELS);
  for (const [index, group] of groups.entries()) {
    const fm = formulaModel('y ~ x', group.csv.table);
    const seed = fitSeed(SEED, index);
    const idata = await runFitTask({ index, name: group.level, seed, job: { model: fm.model.spec, options: SETTINGS } });
    const alone = JSON.parse(summaryToJson(fitResults(fm, idata, seed % 4294967296).rows)) as unknown;
    assert.deepEqual(json[group.level], alone, group.level);
  }
});

test('a group whose data cannot be fitted is named with its error; the others are written; exit code 1', async () => {
  const out = join(dir, 'out-failing');
  const r = await fit([data, 'n ~ x', '--family', 'poisson', '--by', 'g', ...FAST, '--json', '--out', out]);
  assert.equal(r.code, 1, r.err);
  assert.deepEqual(Object.keys(JSON.parse(r.out) as object), ['B', 'a', 'b']);
  assert.match(r.err, /group c \(--by g\) failed: family poisson needs non-negative integer counts .* on line \d+ of .*data\.csv/);
  assert.match(r.err, /3 of 4 groups fitted/);
  assert.deepEqual(readdirSync(join(out, 'fits')).sort(), ['B.json', 'a.json', 'b_3.json']);
  assert.ok(existsSync(join(out, 'summary.csv')));
});

test('an unknown --by column: exit 2 naming it, nothing fitted', async () => {
  const r = await fit([data, 'y ~ x', '--by', 'group', ...FAST, '--out', join(dir, 'out-unknown')]);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.match(r.err, /--by "group": no such column in .*data\.csv/);
  assert.ok(!existsSync(join(dir, 'out-unknown')));
});

test('an error every group shares (an unknown column in the formula) is bad input: exit 2, said once', async () => {
  const r = await fit([data, 'y ~ z', '--by', 'g', ...FAST, '--out', join(dir, 'out-shared')]);
  assert.equal(r.code, 2);
  assert.equal(r.out, '');
  assert.equal(r.err.split('\n').filter((l) => l !== '').length, 1, r.err);
  assert.match(r.err, /unknown column "z"/);
});
