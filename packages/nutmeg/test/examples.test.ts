// The examples run as a user would run them (public API only), with few draws: examples/radon/radon.ts end to end.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { elementDraws, mcseMean, type InferenceData } from 'nutmeg';
import { DEFAULT_CSV, loadRadon, main } from '../examples/radon/radon.js';

/**
 * The pooled model's posterior mean of (alpha, beta) in closed form: Bayesian linear regression
 * with N(0, 1) priors, given the noise sd at its least-squares estimate (its uncertainty moves the
 * mean by ~1e-5 here): (X'X/s² + I)⁻¹ X'y/s².
 */
function conjugateMean(x: readonly number[], y: readonly number[]): [number, number] {
  const n = x.length;
  let sx = 0, sxx = 0, sy = 0, sxy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sxx += x[i] * x[i];
    sy += y[i];
    sxy += x[i] * y[i];
  }
  const det = n * sxx - sx * sx;
  const slope = (n * sxy - sx * sy) / det;
  const intercept = (sy - slope * sx) / n;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - intercept - slope * x[i]) ** 2;
  const s2 = rss / (n - 2);
  // Solve [[n/s² + 1, sx/s²], [sx/s², sxx/s² + 1]] m = [sy/s², sxy/s²].
  const p11 = n / s2 + 1, p12 = sx / s2, p22 = sxx / s2 + 1;
  const r1 = sy / s2, r2 = sxy / s2;
  const d = p11 * p22 - p12 * p12;
  return [(p22 * r1 - p12 * r2) / d, (p11 * r2 - p12 * r1) / d];
}

function meanAndMcse(idata: InferenceData, name: string): [number, number] {
  const draws = elementDraws(idata.groups.posterior!.vars[name], idata.nChains, idata.nDraws);
  const flat = draws.flatMap((c) => [...c]);
  return [flat.reduce((s, v) => s + v, 0) / flat.length, mcseMean(draws)];
}

test('examples/radon: loads the CSV, fits the four models (unpooled through mapFits), prints their summaries', async () => {
  const d = loadRadon(DEFAULT_CSV);
  assert.equal(d.logRadon.length, 919);
  assert.equal(d.counties.length, 85);
  assert.equal(d.counties[0], 'AITKIN');

  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(args.join(' '));
  let results: Record<string, InferenceData>;
  try {
    results = await main(DEFAULT_CSV, { draws: 200, tune: 200, chains: 2, seed: 1 });
  } finally {
    console.log = log;
  }
  const text = printed.join('\n');
  assert.match(text, /919 homes in 85 counties/);
  for (const name of ['pooled', 'unpooled', 'hierarchical', 'hierarchical_noncentered']) assert.match(text, new RegExp(`^${name}$`, 'm'));
  assert.match(text, /beta\[CASS\]/);

  assert.deepEqual(Object.keys(results).sort(), ['hierarchical', 'hierarchical_noncentered', 'pooled', 'unpooled']);
  const unpooled = results.unpooled;
  assert.deepEqual(unpooled.groups.posterior!.vars.beta.shape, [85]);
  assert.deepEqual(unpooled.coords.county, d.counties);
  assert.equal(unpooled.nDraws, 200);
  assert.deepEqual(results.hierarchical_noncentered.groups.posterior!.vars.alpha.dims, ['county']);

  // The pooled fit agrees with the closed-form posterior mean (1.3608, -0.5825) within 4 MCSE.
  const [a, b] = conjugateMean(d.floor, d.logRadon);
  const [ma, sa] = meanAndMcse(results.pooled, 'alpha');
  const [mb, sb] = meanAndMcse(results.pooled, 'beta');
  assert.ok(Math.abs(ma - a) <= 4 * sa, `alpha ${ma} vs ${a} (MCSE ${sa})`);
  assert.ok(Math.abs(mb - b) <= 4 * sb, `beta ${mb} vs ${b} (MCSE ${sb})`);
});
