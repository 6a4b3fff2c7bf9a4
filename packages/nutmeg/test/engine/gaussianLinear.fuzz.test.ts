// Fuzzing the sufficient-statistics rewrite (fast-check): over random groups, columns and scales, it gives the row loop's log density and gradient.
//
// Cases (gaussianLinearCases.ts randomCase): 1–8 groups (one with a single row, one empty), K = 1–3
// columns (intercepts, random columns, columns constant within a group, columns zero in some
// groups, columns near-collinear with the intercept), per-group or shared coefficients, per-group or
// shared sigma, a data offset, and data offsets up to 1e6 (y ≈ 1e6 + noise: the cancellation case).
// Tolerances: gaussianLinearCases.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Rng } from '../../src/index.js';
import { fuzzRuns } from '../helpers/fuzzRuns.js';
import { evaluate, linearModel, linearTheta, linearTolerances, randomCase, rewrittenTerms, type CaseShape, type ColumnKind } from './gaussianLinearCases.js';

const column = fc.record({
  kind: fc.constantFrom<ColumnKind>('intercept', 'random', 'groupConstant', 'zeroInSomeGroups', 'nearCollinear'),
  perGroup: fc.boolean(),
});

const shapes: fc.Arbitrary<CaseShape> = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  groups: fc.integer({ min: 1, max: 8 }),
  columns: fc.array(column, { minLength: 1, maxLength: 3 }),
  extraRows: fc.integer({ min: 0, max: 60 }),
  offset: fc.constantFrom(0, 1, 1e3, 1e6),
  dataOffset: fc.boolean(),
  sigmaPerGroup: fc.boolean(),
});

test('per-group statistics agree with the row loop over random groups, columns and scales', () => {
  fc.assert(
    fc.property(shapes, (shape) => {
      const c = randomCase(shape, new Rng(shape.seed));
      assert.equal(rewrittenTerms(linearModel(c)), 1, 'the rewrite applies');
      const off = linearModel(c).compile({ sufficientStatistics: false });
      const on = linearModel(c).compile({ wasm: shape.seed % 2 === 0 });
      const theta = linearTheta(off, c);
      const ref = evaluate(off, theta);
      const got = evaluate(on, theta);
      const tol = linearTolerances(off, c, theta, ref.grad);
      assert.ok(Number.isFinite(ref.lp), `row loop: ${ref.lp}`);
      assert.ok(Math.abs(got.lp - ref.lp) <= tol.lp, `log density ${got.lp} vs ${ref.lp} (tolerance ${tol.lp})`);
      assert.ok(Math.abs(got.value - ref.lp) <= tol.lp, `logDensity ${got.value} vs ${ref.lp}`);
      for (let j = 0; j < on.dim; j++) assert.ok(Math.abs(got.grad[j] - ref.grad[j]) <= tol.grad, `gradient ${j}: ${got.grad[j]} vs ${ref.grad[j]} (tolerance ${tol.grad})`);
    }),
    { numRuns: fuzzRuns() },
  );
});
