// plotLooPit, plotParetoK and plotCompare: spec structure and data values, and each renders to SVG without warnings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Rng } from '../../src/core/rng.js';
import { plotCompare, plotLooPit, plotParetoK, renderSvg, type VegaLiteSpec } from '../../src/plots/index.js';
import { loo, looCompare } from '../../src/posterior/loo/index.js';

async function render(spec: VegaLiteSpec): Promise<string> {
  const warnings: string[] = [];
  const svg = await renderSvg(spec, { onWarning: (m) => warnings.push(m) });
  assert.deepEqual(warnings, [], 'vega-lite / vega warnings');
  assert.match(svg, /^<svg[^>]+width="\d+(\.\d+)?" height="\d+(\.\d+)?"/);
  return svg;
}
const texts = (svg: string): string[] => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
type Row = Record<string, number | string>;
const rowsOf = (spec: VegaLiteSpec): Row[] => (spec.data as { values: Row[] }).values;
const layerValues = (spec: VegaLiteSpec, i: number): Row[] => ((spec.layer as VegaLiteSpec[])[i].data as { values: Row[] }).values;

const fx = JSON.parse(readFileSync(new URL('../fixtures/testvectors/loo.json', import.meta.url), 'utf8')) as {
  cases: { log_lik: number[][][]; pareto_k: number[] }[];
  comparisons: { log_lik: Record<string, number[][][]>; order: string[] }[];
};

test('plotLooPit: the exact ECDF − x path and the binomial band (SciPy binom.ppf), rendered', async () => {
  const spec = plotLooPit([0.7, 0.2, 0.2]);
  const ecdf = rowsOf(spec).filter((v) => v.series === 'ecdf').map((v) => [v.x, v.diff]);
  const r = (x: number): number => Number(x.toPrecision(6));
  assert.deepEqual(ecdf, [[0, 0], [0.2, -0.2], [0.2, r(2 / 3 - 0.2)], [0.7, r(2 / 3 - 0.7)], [0.7, r(0.3)], [1, 0]]);
  // n = 200: band at x = 0.1, 0.5, 0.97 from scipy.stats.binom.ppf(0.03 / 0.97, 200, x) = (12, 28), (87, 113), (189, 198).
  const rng = new Rng(5);
  const pit = Array.from({ length: 200 }, () => rng.uniform());
  const big = plotLooPit(pit);
  const band = new Map(rowsOf(big).filter((v) => v.series === 'band').map((v) => [v.x, v]));
  assert.equal(band.size, 201);
  for (const [x, lo, hi] of [[0.1, 12, 28], [0.5, 87, 113], [0.97, 189, 198]]) {
    const b = band.get(x)!;
    assert.ok(Math.abs((b.lo as number) - (lo / 200 - x)) < 1e-9 && Math.abs((b.hi as number) - (hi / 200 - x)) < 1e-9, `band at ${x}: ${b.lo}, ${b.hi}`);
  }
  assert.deepEqual([band.get(0)!.lo, band.get(0)!.hi, band.get(1)!.lo, band.get(1)!.hi], [0, 0, 0, 0]);
  // Small n: scipy binom.ppf(0.03 / 0.97, 7, 0.3) = 0, 4.
  const small = rowsOf(plotLooPit([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7])).find((v) => v.series === 'band' && v.x === 0.3)!;
  assert.ok(Math.abs((small.lo as number) + 0.3) < 1e-9 && Math.abs((small.hi as number) - (4 / 7 - 0.3)) < 1e-6);
  // A wider band for a higher probability.
  const wide = new Map(rowsOf(plotLooPit(pit, { prob: 0.99 })).filter((v) => v.series === 'band').map((v) => [v.x, v]));
  assert.ok((wide.get(0.5)!.hi as number) > (band.get(0.5)!.hi as number));
  const svg = await render(big);
  for (const t of ['LOO-PIT', 'ECDF − uniform CDF']) assert.ok(texts(svg).includes(t), t);
  assert.throws(() => plotLooPit([]), RangeError);
  assert.throws(() => plotLooPit([0.5, 1.2]), /\[0, 1\]/);
  assert.throws(() => plotLooPit([0.5], { prob: 1 }), RangeError);
});

test('plotParetoK: one point per observation coloured by loo bin, lines at 0.5, 0.7 and 1, rendered', async () => {
  const k = [0.1, 0.5, 0.6, 0.7, 0.9, 1.0, 1.2, NaN];
  const spec = plotParetoK(k, { labels: k.map((_, i) => `obs ${i}`) });
  assert.deepEqual(layerValues(spec, 0).map((v) => v.threshold), [0.5, 0.7, 1]);
  const points = layerValues(spec, 2);
  assert.deepEqual(points.map((v) => v.bin), ['good', 'good', 'ok', 'ok', 'bad', 'bad', 'very bad'], 'NaN is left out; bins are (a, b]');
  assert.deepEqual(points.map((v) => v.i), [0, 1, 2, 3, 4, 5, 6]);
  assert.equal(points[6].label, 'obs 6');
  assert.match(JSON.stringify(spec.title), /2 good, 2 ok, 2 bad, 1 very bad/);
  // On a fixture case: the k values of R loo.
  const c = fx.cases[1];
  const real = plotParetoK(loo(c.log_lik).diagnostics.paretoK);
  layerValues(real, 2).forEach((v, i) => assert.ok(Math.abs((v.k as number) - c.pareto_k[i]) < 1e-5));
  const svg = await render(real);
  for (const t of ['Pareto k', 'observation', 'good', 'very bad', '0.7']) assert.ok(texts(svg).includes(t), t);
  assert.throws(() => plotParetoK([]), RangeError);
  assert.throws(() => plotParetoK([0.1], { labels: ['a', 'b'] }), /2 labels for 1 values/);
});

test('plotCompare: models in loo_compare order, elpd ± se and elpd_diff ± se_diff, rendered', async () => {
  const c = fx.comparisons[0];
  const rows = looCompare(Object.fromEntries(Object.entries(c.log_lik).map(([n, ll]) => [n, loo(ll)])));
  const spec = plotCompare(rows);
  const values = layerValues(spec, 1);
  const elpd = values.filter((v) => v.series === 'elpd_loo ± SE');
  const diff = values.filter((v) => v.series !== 'elpd_loo ± SE');
  assert.deepEqual(elpd.map((v) => v.model), c.order);
  assert.deepEqual(diff.map((v) => v.model), c.order.slice(1), 'no difference bar for the best model');
  const r = (x: number): number => Number(x.toPrecision(6));
  rows.forEach((row, j) => {
    assert.deepEqual([elpd[j].x, elpd[j].lo, elpd[j].hi], [r(row.elpd.estimate), r(row.elpd.estimate - row.elpd.se), r(row.elpd.estimate + row.elpd.se)]);
    if (j > 0) assert.deepEqual([diff[j - 1].lo, diff[j - 1].hi], [r(row.elpd.estimate - row.seDiff), r(row.elpd.estimate + row.seDiff)]);
  });
  assert.deepEqual(layerValues(spec, 0), [{ best: r(rows[0].elpd.estimate) }]);
  const svg = await render(spec);
  for (const t of [...c.order, 'elpd_loo (log)', 'elpd_loo ± SE']) assert.ok(texts(svg).includes(t), t);
  assert.throws(() => plotCompare([]), RangeError);
});
