// Figures of models with thousands of parameters stay bounded: at most 40 trace rows and 100 forest rows, chosen sensibly, with captions saying what was left out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { OptionError } from '../../src/core/errors.js';
import type { InferenceData } from '../../src/posterior/inferenceData.js';
import { summary, type SummaryRow } from '../../src/posterior/summary.js';
import { forestRows, summaryRowTraces, traceVariables } from '../../src/plots/fromInferenceData.js';
import { plotForest } from '../../src/plots/forest.js';
import { omittedNote, PLOT_LIMITS, selectSummaryRows } from '../../src/plots/panelSelection.js';
import { plotTrace } from '../../src/plots/trace.js';
import { plotParetoK } from '../../src/plots/paretoK.js';
import { plotMarginals } from '../../src/plots/marginals.js';
import type { VegaLiteSpec } from '../../src/plots/spec.js';

const CHAINS = 2;
const DRAWS = 50;
const GROUPS = 5000;

/**
 * 2 chains × 50 draws of 3 scalars and two vectors of 5,000 elements (20,003 parameter elements
 * in all, as a radon-shaped model with 5,000 groups has 10,003); element 4321 of `z_b` has chains
 * centred 3 apart (R̂ far above 1), so it is the one element a user must be shown.
 */
function manyParameters(): InferenceData {
  const rng = new Rng(17);
  const scalar = (): Float64Array => Float64Array.from({ length: CHAINS * DRAWS }, () => rng.normal());
  const vector = (bad?: number): Float64Array => {
    const v = new Float64Array(CHAINS * DRAWS * GROUPS);
    for (let c = 0; c < CHAINS; c++) {
      for (let d = 0; d < DRAWS; d++) {
        for (let e = 0; e < GROUPS; e++) v[(c * DRAWS + d) * GROUPS + e] = rng.normal() + (e === bad ? 3 * c : 0);
      }
    }
    return v;
  };
  const groups = Array.from({ length: GROUPS }, (_, k) => `g${k}`);
  return {
    nChains: CHAINS,
    nDraws: DRAWS,
    coords: { group: groups },
    attrs: {},
    groups: {
      posterior: {
        attrs: {},
        vars: {
          mu: { dims: [], shape: [], values: scalar() },
          z_a: { dims: ['group'], shape: [GROUPS], values: vector() },
          tau: { dims: [], shape: [], values: scalar() },
          z_b: { dims: ['group'], shape: [GROUPS], values: vector(4321) },
          sigma: { dims: [], shape: [], values: scalar() },
        },
      },
    },
  };
}

const idata = manyParameters();
const rows: SummaryRow[] = summary(idata);

/** The rows of a trace plot (each row is a density cell and a trace cell). */
const traceRows = (spec: VegaLiteSpec): number => (spec.concat as unknown[]).length / 2;
const subtitleOf = (spec: VegaLiteSpec): string => String((spec.title as { subtitle?: string } | undefined)?.subtitle ?? '');

test('selectSummaryRows: 40 of 10,003 rows, the scalars first, then the worst R-hat, in the input order', () => {
  assert.equal(rows.length, 2 * GROUPS + 3);
  const pick = selectSummaryRows(rows);
  assert.equal(PLOT_LIMITS.maxPanels, 40);
  assert.equal(pick.rows.length, 40);
  assert.equal(pick.total, rows.length);
  assert.equal(pick.truncated, true);
  const labels = pick.rows.map((r) => r.label);
  for (const s of ['mu', 'tau', 'sigma']) assert.ok(labels.includes(s), s);
  assert.ok(labels.includes('z_b[4321]'), 'the element whose chains disagree is shown');
  // The input order is kept: row indices increase.
  const index = new Map(rows.map((r, i) => [r, i]));
  const at = pick.rows.map((r) => index.get(r) ?? -1);
  assert.deepEqual(at, [...at].sort((a, b) => a - b));
  // Every vector element kept is at least as bad (by R-hat) as... the worst one is kept, and a
  // small selection keeps the scalars before any vector element.
  assert.deepEqual(selectSummaryRows(rows, { max: 3 }).rows.map((r) => r.label), ['mu', 'tau', 'sigma']);
  assert.deepEqual(selectSummaryRows(rows, { max: 4 }).rows.map((r) => r.label), ['mu', 'tau', 'z_b[4321]', 'sigma']);
  assert.equal(selectSummaryRows(rows.slice(0, 10)).truncated, false);
});

test('omittedNote: what was left out and where all of it is, or nothing', () => {
  assert.equal(omittedNote(40, 20002, { where: 'summary.csv' }), 'Showing 40 of 20,002 parameters (scalars first, then the worst R̂/ESS); all are in summary.csv.');
  assert.equal(omittedNote(5, 5), '');
});

test('plotTrace of every variable of a 10,003-parameter posterior: at most 8 elements per row, and of the selected rows: 40 rows with the note', () => {
  // traceVariables with maxElements copies out 8 elements per vector, not 5,000.
  const vars = traceVariables(idata, undefined, { maxElements: 8 });
  assert.deepEqual(vars.map((v) => v.elements?.length ?? 1), [1, 8, 1, 8, 1]);
  assert.equal(vars[1].totalElements, GROUPS);
  const spec = plotTrace(vars);
  const titles = (spec.concat as { title: { text: string } }[]).map((c) => c.title.text);
  assert.ok(titles.includes(`z_a (8 of ${GROUPS} elements shown)`), titles.join(' | '));

  const pick = selectSummaryRows(rows);
  const bounded = plotTrace(summaryRowTraces(idata, pick.rows), { title: omittedNote(pick.rows.length, pick.total, { where: 'summary.csv' }) });
  assert.equal(traceRows(bounded), 40);
  assert.match(String((bounded.title as string | { text: string })), /Showing 40 of 10,003 parameters/);
});

test('plotTrace draws at most maxRows rows (40 by default, ArviZ plot.max_subplots) and says how many were left out', () => {
  const one = Float64Array.from({ length: DRAWS }, (_, i) => Math.sin(i));
  const many = Array.from({ length: 1000 }, (_, i) => ({ name: `b_x${i}`, draws: [one, one] }));
  const spec = plotTrace(many);
  assert.equal(traceRows(spec), 40);
  assert.equal(subtitleOf(spec), 'Showing 40 of 1,000 variables (the first ones).');
  assert.equal(traceRows(plotTrace(many, { maxRows: 5 })), 5);
  assert.equal(traceRows(plotTrace(many.slice(0, 12))), 12);
  assert.equal(subtitleOf(plotTrace(many.slice(0, 12))), '');
});

test('plotForest of 5,000 group effects: 100 evenly spaced rows (first and last kept) and the note', () => {
  const forest = forestRows(idata, 'z_a');
  assert.equal(forest.length, GROUPS);
  const spec = plotForest(forest);
  const values = (spec.data as { values: { label: string }[] }).values;
  assert.equal(values.length, PLOT_LIMITS.maxForestRows);
  assert.equal(values[0].label, 'g0');
  assert.equal(values[values.length - 1].label, `g${GROUPS - 1}`);
  assert.match(subtitleOf(spec), /Showing 100 of 5,000 rows \(evenly spaced\)\.$/);
  // Grouped forests keep every series of the labels kept.
  const grouped = [...forest.map((r) => ({ ...r, group: 'A' })), ...forest.map((r) => ({ ...r, group: 'B' }))];
  assert.equal((plotForest(grouped, { maxRows: 10 }).data as { values: unknown[] }).values.length, 20);
  // Few rows: all drawn, no note.
  assert.doesNotMatch(subtitleOf(plotForest(forest.slice(0, 85))), /Showing/);
});

test('plotParetoK of 100,000 observations: 5,000 points, every bad one kept, counts of all of them', () => {
  const n = 100_000;
  const k = Float64Array.from({ length: n }, (_, i) => (i % 9973 === 0 ? 0.6 : 0.1 + 0.3 * Math.abs(Math.sin(i))));
  const spec = plotParetoK(k);
  const points = ((spec.layer as { data: { values: { i: number; bin: string }[] } }[])[2]).data.values;
  assert.equal(points.length, PLOT_LIMITS.maxPoints);
  const bad = Array.from({ length: Math.ceil(n / 9973) }, (_, j) => j * 9973);
  assert.deepEqual(points.filter((p) => p.bin === 'ok').map((p) => p.i), bad);
  assert.deepEqual(points.map((p) => p.i), [...points.map((p) => p.i)].sort((a, b) => a - b));
  assert.equal(subtitleOf(spec), `PSIS-LOO Pareto k of 100000 observations: ${n - bad.length} good, ${bad.length} ok, 0 bad, 0 very bad. Showing 5,000 of 100,000 observations (every one above the good bin first, the rest evenly spaced).`);
  assert.equal(((plotParetoK(k.subarray(0, 300)).layer as { data: { values: unknown[] } }[])[2]).data.values.length, 300);
});

test('plotMarginals draws at most 40 panels and says how many were left out', () => {
  const reference = Float64Array.from({ length: 200 }, (_, i) => Math.sin(i));
  const params = Array.from({ length: 300 }, (_, i) => ({ name: `z[${i}]`, reference, approx: { mean: 0, sd: 0.7 } }));
  const spec = plotMarginals(params);
  assert.equal((spec.concat as unknown[]).length, 40);
  assert.match(subtitleOf(spec), /Showing 40 of 300 parameters \(the first ones\)\.$/);
  assert.equal((plotMarginals(params.slice(0, 7)).concat as unknown[]).length, 7);
});

test('omittedNote and selectSummaryRows refuse bad arguments with OptionErrors', () => {
  assert.throws(() => omittedNote(-1, 5), (e: unknown) => e instanceof OptionError && e.option === 'shown');
  assert.throws(() => omittedNote(1, 2.5), (e: unknown) => e instanceof OptionError && e.option === 'total');
  assert.throws(() => selectSummaryRows(rows, { max: 0 }), (e: unknown) => e instanceof OptionError && e.option === 'max');
  assert.throws(() => plotTrace([{ name: 'mu', draws: [Float64Array.of(1, 2)] }], { maxRows: 0 }), (e: unknown) => e instanceof OptionError && e.option === 'maxRows');
});
