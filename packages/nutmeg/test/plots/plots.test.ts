// Each chart builder yields a Vega-Lite spec that compiles without warnings and renders to SVG with the expected labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import {
  plotRegression,
  plotElbo,
  plotForest,
  plotMarginals,
  plotPpc,
  renderSvg,
  plotShrinkage,
  plotTrace,
  type VegaLiteSpec,
} from '../../src/plots/index.js';
import { dejavuTextWidth } from '../../src/plots/textWidth.js';
import { countyNames, fakeDraws, pool, syntheticRadon } from './synthetic.js';

async function render(spec: VegaLiteSpec): Promise<string> {
  const json = JSON.stringify(spec);
  const warnings: string[] = [];
  const svg = await renderSvg(spec, { onWarning: (m) => warnings.push(m) });
  assert.deepEqual(warnings, [], 'vega-lite / vega warnings');
  assert.match(svg, /^<svg[^>]+width="\d+(\.\d+)?" height="\d+(\.\d+)?"/);
  // the spec is plain JSON (it can go to vega-embed in a browser as it is) and rendering leaves it unchanged
  assert.deepEqual(JSON.parse(json), spec);
  assert.equal(JSON.stringify(spec), json);
  return svg;
}

/** Text of all <text> elements of an SVG. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

function hasText(svg: string, t: string): boolean {
  return texts(svg).some((x) => x === t);
}

const data = syntheticRadon(3);
const counties = countyNames();

test('plotTrace: densities and traces per chain; vector variables show a selection with element labels', async () => {
  const rng = new Rng(1);
  const spec = plotTrace([
    { name: 'mu_a', draws: fakeDraws(rng, 1.45, 0.05, 4, 200) },
    { name: 'a', elements: counties.map((c, j) => ({ label: `a[${c}]`, draws: fakeDraws(rng, data.a[j], 0.2, 2, 100) })) },
  ], { maxElements: 5 });
  const svg = await render(spec);
  for (const t of ['mu_a', 'density', 'draw', 'chain', '0', '3', 'a[CASS]', 'a (5 of 85 elements shown)']) assert.ok(hasText(svg, t), t);
  assert.ok(!hasText(svg, 'a[COUNTY 05]'), 'elements beyond the selection are not drawn');
  assert.throws(() => plotTrace({ name: 'x' }), RangeError);
});

test('plotForest: one row per county with names on the axis, reference line, grouped comparison', async () => {
  const rows = counties.map((label, j) => ({ label, mean: data.a[j], lo: data.a[j] - 0.3, hi: data.a[j] + 0.3 }));
  const svg = await render(plotForest(rows, { xTitle: 'county intercept a', reference: 1.45 }));
  const t = texts(svg);
  for (const c of counties) assert.ok(t.includes(c), c);
  assert.ok(t.includes('county intercept a'));
  assert.ok(t.includes('posterior mean (dot) and 94% HDI (line)'));
  const grouped = await render(
    plotForest(counties.slice(0, 4).flatMap((label, j) => [
      { label, group: 'unpooled', mean: data.a[j], lo: data.a[j] - 0.5, hi: data.a[j] + 0.5 },
      { label, group: 'hierarchical', mean: data.a[j], lo: data.a[j] - 0.3, hi: data.a[j] + 0.3 },
    ])),
  );
  for (const t2 of ['unpooled', 'hierarchical', 'CASS']) assert.ok(hasText(grouped, t2), t2);
  assert.throws(() => plotForest([]), RangeError);
});

test('plotShrinkage: axis titles and a legend naming both estimates', async () => {
  const rows = counties.map((label, j) => ({ label, from: { x: data.a[j] + 0.2, y: data.b[j] - 0.3 }, to: { x: data.a[j], y: data.b[j] } }));
  const svg = await render(plotShrinkage(rows, { xTitle: 'intercept a', yTitle: 'slope b' }));
  for (const t of ['intercept a', 'slope b', 'unpooled', 'hierarchical', 'Shrinkage of the estimates']) assert.ok(hasText(svg, t), t);
  // one arrow head per county, rotated
  assert.ok((svg.match(/rotate\(/g) ?? []).length >= counties.length);
});

test('plotRegression: three county panels, floor tick labels, legend of models', async () => {
  const rng = new Rng(2);
  const panels = ['CASS', 'CROW WING', 'FREEBORN'].map((title) => {
    const j = counties.indexOf(title);
    const x: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < data.county.length; i++) if (data.county[i] === j) { x.push(data.floor[i]); y.push(data.logRadon[i]); }
    const draws = (m: number): { intercept: Float64Array; slope: Float64Array } => ({ intercept: pool(fakeDraws(rng, m, 0.2, 2, 50)), slope: pool(fakeDraws(rng, -0.6, 0.2, 2, 50)) });
    return { title, x, y, fits: [{ name: 'unpooled', draws: draws(data.a[j]) }, { name: 'hierarchical', draws: draws(1.45) }] };
  });
  const svg = await render(plotRegression(panels, { title: 'Three counties' }));
  for (const t of ['CASS', 'CROW WING', 'FREEBORN', 'basement', 'first floor', 'floor', 'log radon', 'unpooled', 'hierarchical', 'Three counties']) {
    assert.ok(hasText(svg, t), t);
  }
  assert.throws(() => plotRegression([{ title: 'X', x: [0, 1], y: [1], fits: [] }]), RangeError);
});

test('plotPpc: observed, replicated and mean densities with a legend', async () => {
  const rng = new Rng(3);
  const reps = Array.from({ length: 30 }, () => Float64Array.from(data.logRadon, (v) => v + 0.3 * rng.normal()));
  const svg = await render(plotPpc(data.logRadon, reps, { xTitle: 'log radon', maxReplicates: 10 }));
  for (const t of ['observed', 'posterior predictive', 'posterior predictive mean', 'log radon', 'density', '30 replicated data sets (10 drawn)']) {
    assert.ok(hasText(svg, t), t);
  }
  assert.throws(() => plotPpc(data.logRadon, []), RangeError);
});

test('plotElbo: binned history with a zoomed panel', async () => {
  const rng = new Rng(4);
  const h = Float64Array.from({ length: 5000 }, (_, i) => -1100 - 5000 * Math.exp(-i / 300) + 10 * rng.normal());
  const svg = await render(plotElbo(h));
  for (const t of ['ELBO', 'iteration', 'all iterations', 'last half']) assert.ok(hasText(svg, t), t);
  const short = await render(plotElbo([-5, -3, -2, -1.5], { zoom: false }));
  assert.ok(hasText(short, '4 iterations'));
  assert.throws(() => plotElbo([NaN, NaN]), RangeError);
});

test('plotMarginals: Gaussian and draws-based approximations over histograms, one panel per parameter', async () => {
  const rng = new Rng(5);
  const svg = await render(
    plotMarginals([
      { name: 'mu_a', reference: pool(fakeDraws(rng, 1.45, 0.05)), approx: { mean: 1.46, sd: 0.04 } },
      { name: 'sigma_y', reference: pool(fakeDraws(rng, 0.72, 0.02)), approx: pool(fakeDraws(rng, 0.72, 0.02, 1, 500, 0)) },
    ]),
  );
  for (const t of ['mu_a', 'sigma_y', 'NUTS', 'ADVI', 'density']) assert.ok(hasText(svg, t), t);
  assert.throws(() => plotMarginals([{ name: 'x', reference: [1, 2], approx: { mean: 0, sd: 0 } }]), RangeError);
});

test('dejavuTextWidth: advance widths of DejaVu Sans', () => {
  // 'CASS' = C 698 + A 684 + S 635 + S 635 = 2652 / 1000 em
  assert.ok(Math.abs(dejavuTextWidth('CASS', 10) - 26.52) < 1e-9);
  assert.ok(dejavuTextWidth('CASS', 10, true) > dejavuTextWidth('CASS', 10));
});
