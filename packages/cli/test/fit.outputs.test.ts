// `nutmeg fit` end to end on small CSVs: --json prints only the brms-named summary, the files in --out, --predict with a new level, Ctrl-C.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { FAST, fit, gaussianCsv, tempDir, writeText } from './fitHelpers.js';

const dir = tempDir('fit-outputs');
const data = writeText(dir, 'data.csv', gaussianCsv());
const STATS = ['mean', 'sd', 'hdi_3%', 'hdi_97%', 'mcse_mean', 'mcse_sd', 'ess_bulk', 'ess_tail', 'r_hat'];

test('--json: stdout is one JSON object of every b_, sd_, family and r_ element, and the files are written', async () => {
  const out = join(dir, 'out');
  const newRows = writeText(dir, 'new.csv', 'x,g,note\n0.5,a,first\n0.25,"new, level",second\n');
  const r = await fit([data, 'y ~ x + (1 | g)', ...FAST, '--json', '--out', out, '--predict', newRows]);
  assert.equal(r.code, 0, r.err);
  const summary = JSON.parse(r.out) as Record<string, Record<string, number | null>>;
  const groups = ['a', 'b', 'c', 'd', 'e', 'f'];
  assert.deepEqual(Object.keys(summary), ['b_Intercept', 'b_x', 'sd_g__Intercept', 'sigma', ...groups.map((g) => `r_g[${g},Intercept]`)]);
  for (const row of Object.values(summary)) assert.deepEqual(Object.keys(row), STATS);
  // The data were made with slope 2: the posterior must find it (sd of b_x is about 0.1).
  assert.ok(Math.abs(summary.b_x.mean! - 2) < 0.5, String(summary.b_x.mean));
  assert.match(r.err, /wrote idata\.json, chain_1\.csv, chain_2\.csv, summary\.json, report\.html, predictions\.csv/);

  const idata = JSON.parse(readFileSync(join(out, 'idata.json'), 'utf8')) as Record<string, unknown>;
  for (const g of ['posterior', 'log_likelihood', 'posterior_predictive', 'observed_data', 'constant_data', 'sample_stats']) assert.ok(g in idata, g);
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')), summary);
  for (const c of [1, 2]) {
    const csv = readFileSync(join(out, `chain_${c}.csv`), 'utf8');
    assert.match(csv, /^#/m);
    assert.match(csv, /lp__,.*b_x/);
  }
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  for (const text of ['y ~ x + (1 | g)', 'prior_summary', 'b_x', 'sd_g__Intercept', 'elpd_loo', 'fig-trace', 'fig-forest', 'fig-ppc', 'fig-pareto_k']) assert.ok(html.includes(text), text);
  assert.doesNotMatch(html, /<(script|link|img)[^>]+(src|href)=["']?https?:/i, 'self-contained');

  const predictions = parse(readFileSync(join(out, 'predictions.csv'), 'utf8')) as string[][];
  assert.deepEqual(predictions[0], ['x', 'g', 'note', 'mean', 'sd', 'hdi_3%', 'hdi_97%']);
  assert.deepEqual(predictions.slice(1).map((p) => p.slice(0, 3)), [['0.5', 'a', 'first'], ['0.25', 'new, level', 'second']]);
  const [seen, unseen] = predictions.slice(1).map((p) => p.slice(3).map(Number));
  for (const p of [seen, unseen]) assert.ok(p[2] < p[0] && p[0] < p[3] && p[1] > 0, String(p));
  // A new level adds the group sd's uncertainty: a wider interval than a known level's.
  assert.ok(unseen[1] > seen[1], `sd ${unseen[1]} vs ${seen[1]}`);
});

test('the table output: az.summary columns and brms names on stdout', async () => {
  const r = await fit([data, 'y ~ x', ...FAST, '--out', join(dir, 'out-table')]);
  assert.equal(r.code, 0, r.err);
  const lines = r.out.split('\n');
  assert.match(lines[0], /^\s+mean\s+sd\s+hdi_3%\s+hdi_97%\s+mcse_mean\s+mcse_sd\s+ess_bulk\s+ess_tail\s+r_hat$/);
  assert.deepEqual(lines.slice(1, 4).map((l) => l.split(/\s+/)[0]), ['b_Intercept', 'b_x', 'sigma']);
});

test('Ctrl-C (an aborted run) says "interrupted", exits 130 and writes nothing', async () => {
  const out = join(dir, 'out-interrupted');
  const r = await fit([data, 'y ~ x', ...FAST, '--out', out], { sampleOptions: { progress: false, signal: AbortSignal.abort() } });
  assert.equal(r.code, 130, r.err);
  assert.match(r.err, /interrupted .*nothing written/);
  assert.equal(r.out, '');
  assert.equal(existsSync(join(out, 'idata.json')), false);
  assert.equal(existsSync(join(out, 'report.html')), false);
});
