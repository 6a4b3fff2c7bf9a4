// The radon run's `loo & predictive` stage on short fits: LOO of the three joint models in loo_compare's order, the digest's LOO table, predictive replicates, LOO-PIT, and a new county predicted more uncertainly than CASS.
import { strict as assert } from 'node:assert';
import { before, test } from 'node:test';
import { sample, type InferenceData, type Model } from 'nutmeg';
import { loadRadon, RADON_CSV } from '../../src/radon/data.js';
import { hierarchicalCentered, hierarchicalNonCentered, pooled } from '../../src/radon/models.js';
import { runWorkflow, type WorkflowResults } from '../../src/radon/workflow.js';
import { KNOWN_COUNTY, NEW_COUNTY } from '../../src/radon/prediction.js';
import { buildDigest } from '../../src/radon/digest.js';
import { lineDraws, looMu } from '../../src/radon/analysis.js';
import type { FittedModel } from '../../src/radon/run.js';

const d = loadRadon(RADON_CSV);
const KINDS = [
  ['pooled', pooled],
  ['hierarchical', hierarchicalCentered],
  ['hierarchical_noncentered', hierarchicalNonCentered],
] as const;

let fitted: { key: string; kind: string; model: Model; idata: InferenceData }[];
let w: WorkflowResults;

before(async () => {
  fitted = [];
  for (const [kind, build] of KINDS) {
    const model = build(d);
    const idata = await sample(model.compile(), { chains: 2, draws: 150, tune: 150, seed: 11, progress: false });
    fitted.push({ key: kind, kind, model, idata });
  }
  w = await runWorkflow(d, fitted, 11);
});

test('LOO of the three joint models, compared best first; the pooled model loses by over 3 se_diff', () => {
  assert.deepEqual(Object.keys(w.loo).sort(), ['hierarchical', 'hierarchical_noncentered', 'pooled']);
  const rows = w.compare!;
  assert.equal(rows.length, 3);
  for (let j = 1; j < rows.length; j++) assert.ok(rows[j - 1].elpd.estimate >= rows[j].elpd.estimate, 'ordered by elpd_loo');
  assert.equal(rows[0].elpdDiff, 0);
  const p = rows.find((r) => r.name === 'pooled')!;
  assert.equal(rows[2].name, 'pooled');
  assert.ok(p.elpdDiff < -3 * p.seDiff, `pooled: elpd_diff ${p.elpdDiff}, se_diff ${p.seDiff}`);
  // Centered and non-centered are one model: their elpd_loo agree within a few se_diff.
  assert.ok(Math.abs(rows[1].elpdDiff) < 4 * rows[1].seDiff + 1, `hierarchical models: ${rows[1].elpdDiff} ± ${rows[1].seDiff}`);
});

test('the digest prints the LOO table in loo_compare order, with elpd_loo per model', () => {
  const models = fitted.map((f) => ({ ...f, sampler: { method: 'nuts', chains: 2, draws: 150, tune: 150, divergences: 0, sampling_s: 0, grad_evals: 0 }, warnings: [], detailed: [] })) as FittedModel[];
  const digest = buildDigest(d, models, 'report.html', { total: 1 }, w);
  const lines = digest.split('\n');
  const at = lines.findIndex((l) => l.startsWith('PSIS-LOO of the 919 homes'));
  assert.ok(at > 0, digest);
  assert.match(lines[at + 1], /elpd_diff\s+se_diff/);
  const names = lines.slice(at + 2, at + 5).map((l) => l.trim().split(/\s+/)[0]);
  assert.deepEqual(names, w.compare!.map((r) => r.name));
  assert.match(lines[at + 2], /\s0\.0\s+0\.0$/);
  for (const r of w.compare!) assert.ok(digest.includes(`  ${r.name}: elpd_loo ${r.elpd.estimate.toFixed(1)} (SE ${r.elpd.se.toFixed(1)})`), r.name);
  assert.ok(lines.indexOf('', at) < lines.findIndex((l) => l.startsWith('Done in')), 'LOO table before the timing line');
});

test('posterior predictive replicates of the non-centered model and its LOO-PIT', () => {
  const c = w.check!;
  assert.equal(c.key, 'hierarchical_noncentered');
  assert.equal(c.yRep.length, 2 * 150);
  for (const r of c.yRep) assert.equal(r.length, d.logRadon.length);
  // Replicates follow the data: their overall mean within 0.1 of the observed mean (sd of one replicate's mean ≈ 0.8/√919 ≈ 0.03).
  let sum = 0;
  for (const r of c.yRep) for (const v of r) sum += v;
  const obs = d.logRadon.reduce((a, b) => a + b, 0) / d.logRadon.length;
  assert.ok(Math.abs(sum / (c.yRep.length * d.logRadon.length) - obs) < 0.1);
  assert.equal(c.pit.length, d.logRadon.length);
  for (const p of c.pit) assert.ok(p >= 0 && p <= 1);
  // Calibrated enough: the mean PIT of 919 roughly uniform values is 0.5 with SE 0.29/√919 ≈ 0.01.
  const meanPit = c.pit.reduce((a, b) => a + b, 0) / c.pit.length;
  assert.ok(Math.abs(meanPit - 0.5) < 0.05, `mean PIT ${meanPit}`);
});

test('a new house in a county with no data has wider intervals than one in CASS', () => {
  const p = w.prediction!;
  assert.equal(p.rows.length, 6);
  const row = (county: string, quantity: string) => p.rows.find((r) => r.county === county && r.quantity === quantity)!;
  for (const q of ['new house, basement', 'new house, first floor', 'intercept alpha']) {
    const known = row(KNOWN_COUNTY, q);
    const fresh = row(NEW_COUNTY, q);
    assert.ok(fresh.hi94 - fresh.lo94 > known.hi94 - known.lo94, `${q}: ${NEW_COUNTY} ${fresh.lo94}…${fresh.hi94}, ${KNOWN_COUNTY} ${known.lo94}…${known.hi94}`);
    for (const r of [known, fresh]) assert.ok(r.lo94 < r.lo50 && r.lo50 < r.mean && r.mean < r.hi50 && r.hi50 < r.hi94, `${r.county} ${q}: ordered`);
  }
  // First floors have less radon (mu_beta ≈ −0.65).
  assert.ok(row(KNOWN_COUNTY, 'new house, first floor').mean < row(KNOWN_COUNTY, 'new house, basement').mean - 0.3);
  // The new county's intercept is centred on mu_alpha.
  const muAlpha = fitted[2].idata.groups.posterior!.vars.mu_alpha.values;
  const mean = muAlpha.reduce((a, b) => a + b, 0) / muAlpha.length;
  assert.ok(Math.abs(row(NEW_COUNTY, 'intercept alpha').mean - mean) < 0.1);
});

test("each joint model's LOO means of mu come from PSIS-LOO's own weights: its k, and close to a separate PSIS with r_eff = 1", () => {
  for (const f of fitted) {
    const shared = w.looMu![f.key];
    assert.deepEqual(Array.from(shared.k), Array.from(w.loo[f.key].diagnostics.paretoK), `${f.key}: LOO's Pareto k`);
    // A separate PSIS differs only in the tail length (r_eff = 1 instead of the chains' r_eff):
    // the two LOO means agree to well within the posterior sd of mu (~0.1–0.3).
    const own = looMu(d, lineDraws(f.idata));
    let worst = 0;
    for (let i = 0; i < own.mu.length; i++) worst = Math.max(worst, Math.abs(own.mu[i] - shared.mu[i]));
    assert.ok(worst < 0.05, `${f.key}: largest difference ${worst}`);
  }
});
