// Nothing quadratic after sampling: summary, the sampling warnings, the writers and the figure inputs read each draw a bounded number of times, whatever the number of parameters (counted, not timed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import type { InferenceData } from '../../src/posterior/inferenceData.js';
import { summary } from '../../src/posterior/summary.js';
import { samplingWarnings } from '../../src/posterior/warnings.js';
import { toArvizJson } from '../../src/io/arvizJson.js';
import { toStanCsv } from '../../src/io/stanCsv.js';
import { toDrawsJson } from '../../src/io/drawsJson.js';
import { traceVariables } from '../../src/plots/fromInferenceData.js';
import { selectSummaryRows } from '../../src/plots/panelSelection.js';

const CHAINS = 2;
const DRAWS = 20;

/** Reads of the draws' values, by every counted array. */
const reads = { count: 0 };

/** A Float64Array whose element reads are counted (a Proxy: slow, so the sizes stay small). */
function counted(values: Float64Array): Float64Array {
  return new Proxy(values, {
    get(target, p) {
      if (typeof p === 'string' && p.length > 0 && p.charCodeAt(0) >= 48 && p.charCodeAt(0) <= 57) reads.count++;
      const v = Reflect.get(target, p) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}

/** A radon-shaped posterior of `groups` groups (2 vectors and 3 scalars) with NUTS statistics; draws counted. */
function posterior(groups: number): InferenceData {
  const rng = new Rng(groups);
  const draws = (k: number): Float64Array => counted(Float64Array.from({ length: CHAINS * DRAWS * k }, () => rng.normal()));
  const stat = (f: (i: number) => number): { dims: string[]; shape: number[]; values: Float64Array } => ({ dims: [], shape: [], values: Float64Array.from({ length: CHAINS * DRAWS }, (_, i) => f(i)) });
  return {
    nChains: CHAINS,
    nDraws: DRAWS,
    coords: { g: Array.from({ length: groups }, (_, k) => `g${k}`) },
    attrs: {},
    groups: {
      posterior: {
        attrs: {},
        vars: {
          mu: { dims: [], shape: [], values: draws(1) },
          tau: { dims: [], shape: [], values: draws(1) },
          z_a: { dims: ['g'], shape: [groups], values: draws(groups) },
          z_b: { dims: ['g'], shape: [groups], values: draws(groups) },
          sigma: { dims: [], shape: [], values: draws(1) },
        },
      },
      sample_stats: {
        attrs: {},
        vars: {
          // 8 divergences (at least WARNING_THRESHOLDS.minDivergencesToLocate): the warning then
          // looks for the parameters where they concentrate, reading every element again.
          diverging: stat((i) => (i % 5 === 3 ? 1 : 0)),
          tree_depth: stat(() => 3),
          acceptance_rate: stat(() => 0.8),
          energy: stat((i) => Math.sin(i)),
          lp: stat((i) => Math.cos(i)),
          n_steps: stat(() => 7),
        },
      },
    },
  };
}

/** Reads per posterior value of one step at `groups` groups. */
function readsPerValue(groups: number, step: (idata: InferenceData) => unknown): number {
  const idata = posterior(groups);
  reads.count = 0;
  step(idata);
  return reads.count / (CHAINS * DRAWS * (2 * groups + 3));
}

const STEPS: [string, (idata: InferenceData) => unknown][] = [
  ['summary', (d) => summary(d)],
  ['samplingWarnings', (d) => samplingWarnings(d, { targetAccept: 0.8, maxTreeDepth: 10 })],
  ['toArvizJson', (d) => toArvizJson(d)],
  ['toStanCsv', (d) => toStanCsv(d, 0) + toStanCsv(d, 1)],
  ['toDrawsJson', (d) => toDrawsJson(d)],
  ['traceVariables (8 elements a vector)', (d) => traceVariables(d, undefined, { maxElements: 8 })],
];

for (const [name, step] of STEPS) {
  test(`${name}: reads per draw the same at 250 and 2,000 groups (linear work), at most a few`, () => {
    const small = readsPerValue(250, step);
    const large = readsPerValue(2000, step);
    assert.ok(small > 0 || name.startsWith('traceVariables'), `${name} reads the draws`);
    // A scan of every element per element would read 8× more per value at 8× the groups.
    assert.ok(large <= small * 1.05 + 1e-9, `${name}: ${large.toFixed(3)} reads a value at 2,000 groups vs ${small.toFixed(3)} at 250`);
    assert.ok(large <= 4, `${name}: ${large.toFixed(3)} reads a value`);
  });
}

test('selectSummaryRows scores each row once: the work for 40 of n rows grows with n, not n × 40', () => {
  const rows = summary(posterior(2000));
  let scored = 0;
  // Count the reads of each row's statistics (the score reads r_hat, ess_bulk and ess_tail once).
  const watched = rows.map((r) => ({ ...r, stats: new Proxy(r.stats, { get: (t, p) => (scored++, Reflect.get(t, p)) }) }));
  const pick = selectSummaryRows(watched);
  assert.equal(pick.rows.length, 40);
  assert.ok(scored <= 3 * rows.length, `${scored} reads of ${rows.length} rows' statistics`);
});
