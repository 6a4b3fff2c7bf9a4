// `nutmeg fit`'s figures and report.html for a formula with thousands of parameters: at most 40 trace rows, 100 forest and 100 summary-table rows, with captions that say what was left out.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { formulaModel, Normal, sample, type VegaLiteSpec } from 'nutmeg';
import { figureSpecs, renderFigures } from '../src/fit/figures.js';
import type { FitOptions } from '../src/fit/options.js';
import { fitReport } from '../src/fit/report.js';
import { fitResults } from '../src/fit/results.js';

const PREDICTORS = 60;
const GROUPS = 2000;

/** 2 rows a group; 60 predictors: `y ~ x0 + … + x59 + (1 | g)` has 63 main parameters and 2,000 r_ elements. */
function data(): Record<string, ArrayLike<number | string>> {
  const n = 2 * GROUPS;
  const table: Record<string, ArrayLike<number | string>> = { g: Array.from({ length: n }, (_, i) => `g${i % GROUPS}`) };
  for (let j = 0; j < PREDICTORS; j++) table[`x${j}`] = Float64Array.from({ length: n }, (_, i) => Math.sin(i * (j + 1)));
  table.y = Float64Array.from({ length: n }, (_, i) => Math.cos(i) + (i % GROUPS) / GROUPS);
  return table;
}

test('figures and report of a 2,063-parameter fit stay bounded and say what they leave out', async () => {
  const formula = `y ~ ${Array.from({ length: PREDICTORS }, (_, j) => `x${j}`).join(' + ')} + (1 | g)`;
  const fm = formulaModel(formula, data(), { prior: { b: Normal({ mu: 0, sigma: 1 }) } });
  // A short run (the figures only need draws, not good ones).
  const drawn = await sample(fm.model.compile(), { chains: 2, draws: 20, tune: 20, maxTreeDepth: 4, seed: 3, progress: false });
  const results = fitResults(fm, drawn, 1);
  assert.equal(results.rows.length, PREDICTORS + 3 + GROUPS);

  const specs = figureSpecs(fm, results);
  const trace = specs.find((s) => s.name === 'trace');
  const forest = specs.find((s) => s.name === 'forest');
  assert.ok(trace && forest);
  assert.equal(((trace.spec() as VegaLiteSpec).concat as unknown[]).length / 2, 40, 'trace rows');
  assert.match(trace.caption, /Showing 40 of 63 parameters \(scalars first, then the worst R̂\/ESS\); all are in summary\.json\./);
  // 63 forest rows fit (the forest's bound, 100, is tested in the library's manyParameters test).
  assert.equal((((forest.spec() as VegaLiteSpec).data as { values: unknown[] }).values).length, 63, 'forest rows');
  assert.doesNotMatch(forest.caption, /Showing/);

  const figures = await renderFigures(fm, results);
  assert.deepEqual(figures.map((f) => f.name), specs.map((s) => s.name));
  const options: FitOptions = { prior: [], chains: 2, draws: 20, tune: 20, out: '', json: false, printPriors: false, categorical: [], dropMissing: false, resume: false };
  const html = fitReport({ fm, results, figures, options, dataFile: 'many.csv', seed: 1 });
  // The summary table: 100 rows (the priors table has its own), and the caption points to summary.json.
  const summaryTable = html.slice(html.indexOf('Posterior summary'), html.indexOf('</table>', html.indexOf('Posterior summary')));
  assert.equal((summaryTable.match(/<tr>/g) ?? []).length - 1, 100, 'summary table rows (header excluded)');
  assert.match(summaryTable, /Showing 100 of 2,063 rows \(scalars first, then the worst R̂\/ESS\); all are in summary\.json\./);
  for (const p of ['b_Intercept', 'sd_g__Intercept', 'sigma']) assert.ok(summaryTable.includes(`>${p}<`), p);
  assert.ok(html.includes('Showing 40 of 63 parameters'));
  // The 37 rows after the 63 scalars are r_ elements (the worst-mixing ones).
  assert.equal((summaryTable.match(/>r_g\[/g) ?? []).length, 37);
});
