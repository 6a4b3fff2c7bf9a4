// sample({ adaptation }): the option is validated, 'nutpie' tunes 300 draws by default, refuses a dense metric, and records itself in attrs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OptionError } from '../../src/core/errors.js';
import { sample } from '../../src/workflow/sample.js';
import { scaledNormal } from './fixtures/gaussians.js';

test("sample: adaptation must be 'stan' or 'nutpie', and 'nutpie' is diagonal only", async () => {
  await assert.rejects(sample(scaledNormal({ sds: [1] }), { adaptation: 'pymc' as 'stan', progress: false }), (e: unknown) => e instanceof OptionError && /adaptation/.test(e.message) && /'stan' or 'nutpie'/.test(e.message));
  await assert.rejects(sample(scaledNormal({ sds: [1] }), { adaptation: 'nutpie', metric: 'dense', progress: false }), (e: unknown) => e instanceof OptionError && /diagonal/.test(e.message));
  await assert.rejects(sample(scaledNormal({ sds: [1] }), { adaptaton: 'nutpie', progress: false } as never), OptionError);
});

test("sample: adaptation 'nutpie' tunes 300 draws unless told, and adapts the metric to the scales", async () => {
  const sds = [0.1, 1, 10];
  const idata = await sample(scaledNormal({ sds }), { adaptation: 'nutpie', draws: 100, chains: 2, seed: 3, progress: false, cores: 1 });
  assert.equal(idata.attrs.tuning_steps, 300);
  assert.equal((idata.attrs.settings as { adaptation: string }).adaptation, 'nutpie');
  // On a diagonal Gaussian the gradient-based estimate is exact (see gradientAdaptation.test.ts).
  for (const inv of idata.attrs.inverse_metric as number[][]) sds.forEach((s, i) => assert.ok(Math.abs(inv[i] / (s * s) - 1) < 1e-9, `${inv[i]} vs ${s * s}`));
  const short = await sample(scaledNormal({ sds }), { adaptation: 'nutpie', tune: 120, draws: 10, chains: 1, seed: 3, progress: false });
  assert.equal(short.attrs.tuning_steps, 120);
});
