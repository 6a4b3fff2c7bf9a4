// summary(idata) as az.summary: rows per element, columns, options, and the table/JSON/CSV renderings.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { OptionError } from '../../src/core/errors.js';
import { elementDraws } from '../../src/posterior/inferenceData.js';
import { essBulk, essTail, hdi, mcseMean, mcseSd, rhat, summarizeDraws, mcseMedian, essSd, essMean, essMedian } from '../../src/diagnostics/index.js';
import { formatSummaryTable, summary, summaryToCsv, summaryToJson } from '../../src/posterior/index.js';
import { makeIdata } from '../io/makeIdata.js';

const ARVIZ_COLUMNS = ['mean', 'sd', 'hdi_3%', 'hdi_97%', 'mcse_mean', 'mcse_sd', 'ess_bulk', 'ess_tail', 'r_hat'];

test('one row per element, 0-based labels, ArviZ columns in ArviZ order', () => {
  const rows = summary(makeIdata());
  assert.deepEqual(rows.map((r) => r.label), ['mu', 'alpha[0]', 'alpha[1]', 'alpha[2]', 'L[0,0]', 'L[0,1]', 'L[1,0]', 'L[1,1]']);
  for (const r of rows) assert.deepEqual(Object.keys(r.stats), ARVIZ_COLUMNS);
});

test('every number equals the single-purpose diagnostic', () => {
  const idata = makeIdata(4, 120, 9);
  const rows = summary(idata);
  const alpha = idata.groups.posterior!.vars.alpha;
  const x = elementDraws(alpha, 4, 120, 2);
  const r = rows.find((row) => row.label === 'alpha[2]')!.stats;
  const flat = x.flatMap((c) => [...c]);
  const m = flat.reduce((a, b) => a + b, 0) / flat.length;
  assert.ok(Math.abs(r.mean - m) < 1e-12);
  assert.deepEqual([r['hdi_3%'], r['hdi_97%']], hdi(x));
  assert.equal(r.mcse_mean, mcseMean(x));
  assert.equal(r.mcse_sd, mcseSd(x));
  assert.equal(r.ess_bulk, essBulk(x));
  assert.equal(r.ess_tail, essTail(x));
  assert.equal(r.r_hat, rhat(x));
  const s = summarizeDraws(x, { extras: true });
  assert.equal(s.mcse_median, mcseMedian(x));
  assert.equal(s.ess_sd, essSd(x));
  assert.equal(s.ess_mean, essMean(x));
  assert.equal(s.ess_median, essMedian(x));
});

test('options: HDI probability, variable filter (with ~ exclusion), statistics, coord labels', () => {
  const idata = makeIdata();
  const r95 = summary(idata, { hdiProb: 0.95, varNames: ['mu'] });
  assert.equal(r95.length, 1);
  assert.ok('hdi_2.5%' in r95[0].stats && 'hdi_97.5%' in r95[0].stats);
  assert.deepEqual(summary(idata, { varNames: ['~alpha', '~L'] }).map((r) => r.label), ['mu']);
  assert.deepEqual(Object.keys(summary(idata, { statistics: 'stats' })[0].stats), ['mean', 'sd', 'hdi_3%', 'hdi_97%']);
  assert.deepEqual(Object.keys(summary(idata, { statistics: 'diagnostics' })[0].stats), ['mcse_mean', 'mcse_sd', 'ess_bulk', 'ess_tail', 'r_hat']);
  assert.deepEqual(Object.keys(summary(idata, { statistics: ['r_hat', 'median'] })[0].stats), ['r_hat', 'median']);
  assert.deepEqual(
    summary(idata, { varNames: ['alpha'], useCoords: true }).map((r) => r.label),
    ['alpha[AITKIN]', 'alpha[ANOKA]', 'alpha[BECKER]'],
  );
  assert.equal(summary(idata, { group: 'sample_stats', varNames: ['energy'] })[0].label, 'energy');
});

test('bad options are refused with a message naming the option and the choices', () => {
  const idata = makeIdata();
  assert.throws(() => summary(idata, { varNames: ['beta'] }), (e: unknown) => e instanceof OptionError && /unknown variable 'beta'.*available: mu, alpha, L/.test(e.message));
  assert.throws(() => summary(idata, { hdiProb: 1.5 }), /hdiProb/);
  assert.throws(() => summary(idata, { statistics: ['mode' as 'mean'] }), /unknown statistic 'mode'/);
  assert.throws(() => summary(idata, { group: 'prior' }), /no 'prior' group/);
});

test('the table is aligned: header and rows have the same width, numbers right-aligned', () => {
  const table = formatSummaryTable(summary(makeIdata()));
  const lines = table.trimEnd().split('\n');
  assert.equal(lines.length, 9);
  assert.match(lines[0], /^\s+mean\s+sd\s+hdi_3%\s+hdi_97%\s+mcse_mean\s+mcse_sd\s+ess_bulk\s+ess_tail\s+r_hat$/);
  const widths = new Set(lines.map((l) => l.length));
  assert.equal(widths.size, 1, table);
  assert.match(lines[2], /^alpha\[0\]\s+-?\d+\.\d{3}\s/);
  assert.match(lines[2], /\s\d+\.\d{2}$/);
});

test('JSON output is {label: {column: value}} with null for NaN', () => {
  const idata = makeIdata();
  idata.groups.posterior!.vars.mu.values[3] = NaN;
  const obj = JSON.parse(summaryToJson(summary(idata))) as Record<string, Record<string, number | null>>;
  assert.deepEqual(Object.keys(obj['alpha[1]']), ARVIZ_COLUMNS);
  assert.equal(obj.mu.r_hat, null);
  assert.equal(typeof obj['alpha[1]'].ess_bulk, 'number');
});

test('CSV output: pandas layout, quoted labels with commas, empty cells for NaN', () => {
  const idata = makeIdata();
  idata.groups.posterior!.vars.mu.values[3] = NaN;
  const lines = summaryToCsv(summary(idata)).trimEnd().split('\n');
  assert.equal(lines[0], ',' + ARVIZ_COLUMNS.join(','));
  assert.match(lines[1], /^mu,,+$/);
  assert.ok(lines[5].startsWith('"L[0,0]",'));
  assert.equal(lines[5].split(',').length, 2 + ARVIZ_COLUMNS.length); // the quoted label has one comma
});

test('constant draws: mean and zero sd, HDI at the value, NaN diagnostics', () => {
  const idata = makeIdata(2, 10);
  idata.groups.posterior!.vars.mu.values.fill(3);
  const r = summary(idata, { varNames: ['mu'] })[0].stats;
  assert.equal(r.mean, 3);
  assert.equal(r.sd, 0);
  assert.equal(r['hdi_3%'], 3);
  assert.ok(Number.isNaN(r.r_hat) && Number.isNaN(r.ess_bulk) && Number.isNaN(r.mcse_mean));
});
