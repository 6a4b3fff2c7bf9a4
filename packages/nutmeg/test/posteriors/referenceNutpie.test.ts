// Known posteriors with nutpie's warm-up (`adaptation: 'nutpie'`, 300 tuning draws): the same reference comparison as Stan's warm-up passes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sample } from '../../src/workflow/sample.js';
import { REFERENCE_MODELS, loadData } from './models.js';
import { compareWithReference } from './reference.js';

/** NUTMEG_LONG=1 keeps 1000 draws per chain; by default 400 (as reference.test.ts). Tuning is nutpie's 300 either way. */
const LONG = process.env.NUTMEG_LONG === '1';
const DRAWS = LONG ? 1000 : 400;

// As in reference.test.ts (same reasons), except kidiq: nutpie adapts a diagonal metric only, and
// its gradient-based diagonal copes with kidiq's correlated coefficients (Stan's needs a dense one).
const options: Record<string, { targetAccept?: number; draws?: number }> = {
  'radon_mn-radon_variable_intercept_slope_noncentered': { draws: LONG ? 1000 : 800, targetAccept: 0.95 },
  'eight_schools-eight_schools_noncentered': { targetAccept: 0.9 },
  // 85 county intercepts, each compared: with 400 draws per chain 3–4 of 60 seeds (1–60) had one
  // mean or sd just outside its tolerance, with either momentum generator (polar 3, ziggurat 4);
  // with 800, 1 of 60.
  'radon_mn-radon_hierarchical_intercept_noncentered': { draws: LONG ? 1000 : 800 },
};
for (const name of Object.keys(REFERENCE_MODELS)) {
  if (name.startsWith('radon_mn-')) options[name] = { targetAccept: 0.95, ...options[name] };
}

for (const [posterior, build] of Object.entries(REFERENCE_MODELS)) {
  if (posterior === 'eight_schools-eight_schools_centered') continue;
  test(`reference posterior ${posterior}, nutpie warm-up`, async () => {
    const model = build(loadData(posterior)).compile();
    const { draws = DRAWS, ...rest } = options[posterior] ?? {};
    const idata = await sample(model, { seed: 2024, draws, adaptation: 'nutpie', chains: 4, progress: false, ...rest });
    assert.equal(idata.attrs.tuning_steps, 300);
    compareWithReference(posterior, idata);
    assert.equal(idata.attrs.divergences, 0, `${posterior}: divergences`);
  });
}
