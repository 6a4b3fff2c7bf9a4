// summary() reuses the R̂ and ESS that sampling's warnings computed on the same draws (convergenceMemo), gives the same numbers as without them, and recomputes for draws changed in place.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { samplingWarnings, summary } from '../../src/posterior/index.js';
import { drawsHash, recalledConvergence } from '../../src/posterior/convergenceMemo.js';
import { elementDraws, type InferenceData } from '../../src/posterior/inferenceData.js';
import { convergenceDiagnostics } from '../../src/diagnostics/convergence.js';

/** 4 chains × 300 draws of a vector theta[3] (an AR(1) per element, so R̂ and ESS are not trivial) and sampler statistics. */
function run(): InferenceData {
  const nChains = 4;
  const nDraws = 300;
  const rng = new Rng(5);
  const theta = new Float64Array(nChains * nDraws * 3);
  for (let c = 0; c < nChains; c++) {
    const x = [0, 0, 0];
    for (let d = 0; d < nDraws; d++) for (let e = 0; e < 3; e++) theta[(c * nDraws + d) * 3 + e] = x[e] = 0.3 * e * x[e] + rng.normal() + (c === 0 && e === 2 ? 0.4 : 0);
  }
  const n = nChains * nDraws;
  const stat = (f: () => number) => ({ dims: [], shape: [], values: Float64Array.from({ length: n }, f) });
  return {
    nChains,
    nDraws,
    groups: {
      posterior: { vars: { theta: { dims: ['k'], shape: [3], values: theta } }, attrs: {} },
      sample_stats: { vars: { diverging: stat(() => 0), acceptance_rate: stat(() => 0.8), tree_depth: stat(() => 3), energy: stat(() => rng.normal()) }, attrs: {} },
    },
    coords: {},
    attrs: {},
  };
}

test("summary after samplingWarnings: the warnings' R̂ and ESS are kept and reused, the rows equal a summary without them", () => {
  const fresh = summary(run()); // nothing kept for these draws
  const idata = run();
  const v = idata.groups.posterior!.vars.theta;
  for (let e = 0; e < 3; e++) assert.equal(recalledConvergence(v.values, e, drawsHash(elementDraws(v, 4, 300, e))), undefined);
  samplingWarnings(idata, { targetAccept: 0.8, maxTreeDepth: 10 });
  for (let e = 0; e < 3; e++) {
    const kept = recalledConvergence(v.values, e, drawsHash(elementDraws(v, 4, 300, e)));
    assert.deepEqual(kept, convergenceDiagnostics(elementDraws(v, 4, 300, e)), `element ${e}`);
  }
  assert.deepEqual(summary(idata), fresh);
});

test('draws changed in place after the warnings: summary recomputes R̂ and ESS', () => {
  const idata = run();
  samplingWarnings(idata, { targetAccept: 0.8, maxTreeDepth: 10 });
  const v = idata.groups.posterior!.vars.theta;
  // Chain 0 of element 1 shifted by 3: R̂ must rise well above the kept value.
  for (let d = 0; d < 300; d++) v.values[d * 3 + 1] += 3;
  const rows = summary(idata);
  const now = convergenceDiagnostics(elementDraws(v, 4, 300, 1));
  assert.equal(rows[1].stats.r_hat, now.r_hat);
  assert.equal(rows[1].stats.ess_bulk, now.ess_bulk);
  assert.ok(now.r_hat > 1.1, `r_hat ${now.r_hat}`);
  // Two draws swapped (same values, new order): recomputed too.
  const t = v.values[3 * 10 + 2];
  v.values[3 * 10 + 2] = v.values[3 * 500 + 2];
  v.values[3 * 500 + 2] = t;
  assert.equal(recalledConvergence(v.values, 2, drawsHash(elementDraws(v, 4, 300, 2))), undefined);
  assert.equal(summary(idata)[2].stats.ess_tail, convergenceDiagnostics(elementDraws(v, 4, 300, 2)).ess_tail);
});
