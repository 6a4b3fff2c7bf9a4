// Tests of the Gaussian variational families, the step rules and the convergence checks (exact values).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GaussianFamily } from '../../src/inference/vi/family.js';
import { stanStepSequence, adamStep } from '../../src/inference/vi/optimizer.js';
import { RelativeElboWindow, relativeParamChange } from '../../src/inference/vi/convergence.js';
import { fillStandardNormal } from '../../src/inference/vi/normals.js';
import { Rng } from '../../src/core/rng.js';
import { correlatedGaussian } from './targets.js';

for (const kind of ['meanfield', 'fullrank'] as const) {
  test(`${kind}: reparameterisation gradient equals finite differences of log p(μ + Lη) + H[q]`, () => {
    const d = 4;
    const fam = new GaussianFamily(kind, d);
    const rng = new Rng(3);
    for (let i = 0; i < fam.nParams; i++) fam.params[i] = 0.3 * rng.normal();
    const prec = [2, 0.3, 0, 0.1, 0.3, 1, 0.2, 0, 0, 0.2, 1.5, 0.4, 0.1, 0, 0.4, 3];
    const ld = correlatedGaussian([0.5, -1, 2, 0], prec);
    const eta = fillStandardNormal(rng, new Float64Array(d));
    const z = new Float64Array(d);
    const g = new Float64Array(d);
    const f = (): number => {
      fam.transform(eta, z);
      return ld.logDensityGrad(z, g) + fam.entropy();
    };
    f();
    const grad = new Float64Array(fam.nParams);
    fam.accumulateGrad(eta, g, 1, grad);
    fam.addEntropyGrad(grad);
    const h = 1e-6;
    for (let i = 0; i < fam.nParams; i++) {
      const p0 = fam.params[i];
      fam.params[i] = p0 + h;
      const fp = f();
      fam.params[i] = p0 - h;
      const fm = f();
      fam.params[i] = p0;
      const fd = (fp - fm) / (2 * h);
      assert.ok(Math.abs(fd - grad[i]) < 1e-6 * (1 + Math.abs(fd)), `param ${i}: fd ${fd} vs ${grad[i]}`);
    }
  });

  test(`${kind}: log q of a draw, entropy, std and covariance agree`, () => {
    const d = 3;
    const fam = new GaussianFamily(kind, d);
    fam.reset(new Float64Array([1, 2, 3]), new Float64Array([0.5, 1, 2]));
    if (kind === 'fullrank') fam.params[2 * d] = 0.7; // L[1,0]
    const cov = fam.covariance();
    const sd = fam.std(new Float64Array(d));
    for (let i = 0; i < d; i++) assert.ok(Math.abs(sd[i] - Math.sqrt(cov[i * d + i])) < 1e-14);
    if (kind === 'fullrank') {
      assert.ok(Math.abs(cov[1 * d + 0] - 0.5 * 0.7) < 1e-14);
      assert.ok(Math.abs(cov[1 * d + 1] - (1 + 0.49)) < 1e-14);
    }
    // Entropy of N(μ, Σ) = ½ log det(2πe Σ); det Σ = Π L_ii².
    const h = 0.5 * d * (1 + Math.log(2 * Math.PI)) + Math.log(0.5 * 1 * 2);
    assert.ok(Math.abs(fam.entropy() - h) < 1e-12);
    // log q at η = 0 is the density at the mode: −½ log det(2πΣ).
    assert.ok(Math.abs(fam.logDensityOfDraw(new Float64Array(d)) - (-0.5 * d * Math.log(2 * Math.PI) - Math.log(1))) < 1e-12);
  });
}

test('fillStandardNormal: mean 0 and variance 1 within Monte Carlo error', () => {
  const n = 200000;
  const a = fillStandardNormal(new Rng(11), new Float64Array(n));
  let m = 0;
  let v = 0;
  for (const x of a) m += x;
  m /= n;
  for (const x of a) v += (x - m) ** 2;
  v /= n - 1;
  assert.ok(Math.abs(m) < 4 / Math.sqrt(n));
  assert.ok(Math.abs(v - 1) < 4 * Math.sqrt(2 / n));
});

test("stanStepSequence: first step is η·g/(1+|g|), later steps use the lagged history, clipped at √10", () => {
  const step = stanStepSequence(2, 0.5);
  const p = new Float64Array(2);
  step.step(p, new Float64Array([3, -1]), 1);
  assert.ok(Math.abs(p[0] - 0.5 * (3 / 4)) < 1e-15);
  assert.ok(Math.abs(p[1] - 0.5 * (-1 / 2)) < 1e-15);
  // s = [9, 1] now; a huge gradient is clipped to √10 normalised steps.
  const before = p[0];
  step.step(p, new Float64Array([1e6, 0]), 2);
  assert.ok(Math.abs(p[0] - before - (0.5 / Math.sqrt(2)) * Math.sqrt(10)) < 1e-12);
  // Coordinate 1 had s = 1 after step 1 and g = 0 at step 2 (s → 0.9 after it): step 3 with g = 2
  // moves by η/√3 · 2/(1 + √0.9).
  const b2 = p[1];
  step.step(p, new Float64Array([0, 2]), 3);
  assert.ok(Math.abs(p[1] - b2 - ((0.5 / Math.sqrt(3)) * 2) / (1 + Math.sqrt(0.9))) < 1e-12);
});

test('adamStep: first step moves each coordinate by lr·sign(g)', () => {
  const step = adamStep(2, 0.1);
  const p = new Float64Array(2);
  step.step(p, new Float64Array([5, -0.01]), 1);
  assert.ok(Math.abs(p[0] - 0.1) < 1e-6 && Math.abs(p[1] + 0.1) < 1e-4);
});

test("RelativeElboWindow: Stan's relative change, mean and median over a circular window", () => {
  const w = new RelativeElboWindow(3);
  assert.equal(w.push(-100), Infinity);
  assert.ok(Math.abs(w.push(-90) - 0.1) < 1e-15);
  assert.ok(Math.abs(w.push(-99) - 0.1) < 1e-15);
  assert.ok(Math.abs(w.push(-99) - 0) < 1e-15); // the Infinity falls out of the window
  assert.ok(Math.abs(w.mean() - 0.2 / 3) < 1e-15);
  assert.ok(Math.abs(w.median() - 0.1) < 1e-15);
});

test('relativeParamChange: |Δ|/(|prev| + ε), infinity norm; an unchanged zero counts as no change', () => {
  const r = relativeParamChange(new Float64Array([1.1, 0, 5]), new Float64Array([1, 0, 5]));
  assert.ok(Math.abs(r - 0.1 / (1 + 1e-6)) < 1e-12);
});
