// ADVI on the hierarchical radon model (the second tutorial's priors) against NUTS: means close, mean-field sds visibly small.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fit } from '../../src/workflow/fit.js';
import { sample } from '../../src/workflow/sample.js';
import { loadRadon } from '../../../cli/src/radon/data.js';
import { hierarchicalCentered, hierarchicalNonCentered } from '../../../cli/src/radon/models.js';
import type { InferenceData } from '../../src/posterior/inferenceData.js';

/** Posterior mean and sd of each element of a variable over all chains and draws. */
function moments(idata: InferenceData, name: string): { mean: Float64Array; sd: Float64Array } {
  const v = idata.groups.posterior!.vars[name];
  const k = v.values.length / (idata.nChains * idata.nDraws);
  const n = idata.nChains * idata.nDraws;
  const mean = new Float64Array(k);
  const sd = new Float64Array(k);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) mean[j] += v.values[i * k + j] / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) sd[j] += (v.values[i * k + j] - mean[j]) ** 2 / (n - 1);
  for (let j = 0; j < k; j++) sd[j] = Math.sqrt(sd[j]);
  return { mean, sd };
}

test('radon (flat priors): ADVI means within 0.05 (hyper-means, eps) and 0.1 on average (alpha) of NUTS', async () => {
  const data = loadRadon();
  // NUTS on the non-centred form (same posterior for these quantities, no funnel): the reference.
  // 2 × 600 draws: MCSE of the means ≈ sd/√ESS ≲ 0.1/30, negligible beside the 0.05 tolerance.
  const nuts = await sample(hierarchicalNonCentered(data, 'flat').compile(), { chains: 2, draws: 600, tune: 600, seed: 11, progress: false, cores: 1 });
  // ADVI on the centred model, as the tutorial fits it.
  const approx = fit(hierarchicalCentered(data, 'flat').compile(), { method: 'advi', n: 100000, seed: 11 });
  assert.ok(approx.converged, approx.message);
  assert.match(approx.message, /ELBO converged/);
  for (const name of ['mu_alpha', 'mu_beta', 'eps']) {
    const ref = moments(nuts, name);
    const diff = Math.abs(approx.means[name][0] - ref.mean[0]);
    assert.ok(diff < 0.05, `${name}: ADVI ${approx.means[name][0].toFixed(3)} vs NUTS ${ref.mean[0].toFixed(3)}`);
  }
  const alphaRef = moments(nuts, 'alpha');
  let sumAbs = 0;
  for (let c = 0; c < alphaRef.mean.length; c++) sumAbs += Math.abs(approx.means.alpha[c] - alphaRef.mean[c]);
  const meanAbs = sumAbs / alphaRef.mean.length;
  assert.ok(meanAbs < 0.1, `alpha: mean |ADVI − NUTS| = ${meanAbs.toFixed(3)}`);
  // Mean-field under-dispersion: ignoring the correlation of the hyper-means with the county
  // effects, their sds come out well below NUTS's (≈ 0.7× and 0.5× in the bench).
  for (const name of ['mu_alpha', 'mu_beta']) {
    const ref = moments(nuts, name);
    assert.ok(approx.sds[name][0] < ref.sd[0], `${name}: ADVI sd ${approx.sds[name][0].toFixed(3)} vs NUTS ${ref.sd[0].toFixed(3)}`);
  }
  // sample() gives the same variables as NUTS's posterior.
  const idata = approx.sample(100);
  for (const name of Object.keys(nuts.groups.posterior!.vars)) {
    if (name.endsWith('_offset')) continue; // the non-centred model's own parameters
    assert.ok(name in idata.groups.posterior!.vars, `missing ${name}`);
  }
});
