// Wrong arguments to the public API users touch first (Model, rv, summary, fromStanCsv) give typed errors naming the argument, never a raw TypeError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ModelError, OptionError } from '../../src/core/errors.js';
import { Model, MAX_VARIABLE_SIZE } from '../../src/model/model.js';
import { Normal, HalfNormal } from '../../src/distributions/factories.js';
import * as D from '../../src/distributions/factories.js';
import type { DistributionSpec } from '../../src/distributions/factories.js';
import { formatSummaryTable, summary } from '../../src/posterior/summary.js';
import { stackFits } from '../../src/workflow/stackFits.js';
import { fromStanCsv } from '../../src/io/stanCsv.js';
import { makeIdata } from '../io/makeIdata.js';
import type { InferenceData } from '../../src/posterior/inferenceData.js';

/** Asserts a ModelError about `variable` whose message matches `pattern`. */
function modelError(run: () => unknown, variable: string | undefined, pattern: RegExp): void {
  assert.throws(run, (e: unknown) => {
    assert.ok(e instanceof ModelError, `expected ModelError, got ${String(e)}`);
    assert.equal(e.variable, variable);
    assert.match(e.message, pattern);
    return true;
  });
}

test('rv: a params object where a distribution is expected says where the parameters go', () => {
  modelError(() => new Model().rv('a', { mu: 0, sigma: 1 } as unknown as DistributionSpec), 'a', /'a': the second argument must be a distribution such as Normal\(\{ mu: 0, sigma: 1 \}\), got an object \{mu, sigma\} \(parameters such as \{mu, sigma\} go inside a distribution/);
  modelError(() => new Model().rv('a', undefined as unknown as DistributionSpec), 'a', /got undefined/);
  modelError(() => new Model().rv('a', Normal(null as never)), 'a', /parameters must be an object/);
  modelError(() => new Model().rv('a', Normal({ mu: 0, sigma: 1 }), 7 as never), 'a', /options must be an object/);
});

test('rv: observed: [] is refused with the variable name (it would silently fit the prior)', () => {
  modelError(() => new Model().rv('y', Normal({ mu: 0, sigma: 1 }), { observed: [] }), 'y', /'y': observed data is empty/);
  modelError(() => new Model().rv('y', Normal({ mu: 0, sigma: 1 }), { observed: new Float64Array(0) }), 'y', /observed data is empty/);
  modelError(() => new Model().rv('y', Normal({ mu: 0, sigma: 1 }), { observed: [[], []] }), 'y', /observed data is empty/);
});

test('shapes and dims: negative, fractional, non-array and oversized shapes, and non-string dims, are ModelErrors naming the variable', () => {
  modelError(() => new Model().rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [-1] }), 'b', /'b': shape \[-1\] has -1 at axis 0; lengths must be integers ≥ 0/);
  modelError(() => new Model().rv('b', Normal({ mu: 0, sigma: 1 }), { shape: [2, 1.5] }), 'b', /has 1.5 at axis 1/);
  modelError(() => new Model().rv('b', Normal({ mu: 0, sigma: 1 }), { shape: 3 as never }), 'b', /shape must be an array/);
  modelError(() => new Model().rv('b', HalfNormal({ sigma: 1 }), { shape: [1e9] }), 'b', new RegExp(`more than the limit of ${MAX_VARIABLE_SIZE}`));
  modelError(() => new Model().data('x', [1, 2], { shape: [-2] }), 'x', /lengths must be integers ≥ 0/);
  modelError(() => new Model().rv('b', Normal({ mu: 0, sigma: 1 }), { dims: 5 as never }), 'b', /dims must be a dim name or an array of dim names, got 5/);
});

test('Model coords: labels must be arrays', () => {
  modelError(() => new Model({ coords: { county: 3 as never } }), undefined, /coords 'county' must be an array of labels/);
  modelError(() => new Model({ coords: 'county' as never }), undefined, /coords must be an object/);
  modelError(() => new Model({ coords: { g: [{}] as never } }), undefined, /coords 'g'/);
});

test('summary: varNames as one string is accepted as ArviZ does; wrong types and misspelt options are OptionErrors', () => {
  const idata = makeIdata();
  assert.deepEqual(summary(idata, { varNames: 'mu' }), summary(idata, { varNames: ['mu'] }));
  assert.throws(() => summary(idata, { varNames: 5 as never }), (e: unknown) => e instanceof OptionError && e.option === 'varNames' && /got 5/.test(e.message));
  assert.throws(() => summary(idata, { varNames: [1] as never }), (e: unknown) => e instanceof OptionError && e.option === 'varNames');
  assert.throws(() => summary(idata, { var_names: ['mu'] } as never), (e: unknown) => e instanceof OptionError && /did you mean `varNames`/.test(e.message));
  assert.throws(() => summary(null as unknown as InferenceData), (e: unknown) => e instanceof OptionError && e.option === 'idata');
  assert.throws(() => summary(idata, { group: 'toString' as never }), (e: unknown) => e instanceof OptionError && e.option === 'group');
});

test('fromStanCsv: a wrong argument names it and shows the expected form', () => {
  for (const [arg, pattern] of [
    ['a,b\n1,2', /got a string \(wrap it: \[\{ name, text \}\]\)/],
    [null, /got null/],
    [{ name: 'x', text: '' }, /got object/],
    [[{ name: 'x' }], /element 0 is an object whose text is undefined/],
    [[{ text: 'a' }], /element 0 is an object whose name is undefined/],
    [['a,b'], /element 0 is string/],
  ] as const) {
    assert.throws(() => fromStanCsv(arg as never), (e: unknown) => e instanceof OptionError && e.option === 'texts' && pattern.test(e.message), String(arg));
  }
});

test('Dirichlet with no concentrations, or a simplex transform on a scalar, is a ModelError (found by fuzzing: a RangeError)', () => {
  modelError(() => new Model().rv('p', D.Dirichlet({ a: [] })), 'p', /'p': the simplex transform does not apply to shape \[0\] \(a simplex is a vector of length ≥ 1/);
  modelError(() => new Model().rv('s', Normal({ mu: 0, sigma: 1 }), { transform: 'simplex' }), 's', /the simplex transform does not apply to shape \[\]/);
});

test('deterministic and potential need a tensor of this model; a number was a TypeError at build or compile time', () => {
  const m = new Model();
  modelError(() => m.deterministic('d', 5 as never), 'd', /deterministic 'd': the value must be a tensor of this model .* got 5/);
  modelError(() => m.potential('p', 5 as never), 'p', /potential 'p': the value must be a tensor of this model/);
  const other = new Model().rv('z', Normal({ mu: 0, sigma: 1 }));
  modelError(() => m.potential('q', other), 'q', /tensor of this model/);
});

test('summary tables and stackFits name a wrong argument instead of a TypeError', () => {
  assert.throws(() => formatSummaryTable(null as never), (e: unknown) => e instanceof OptionError && e.option === 'rows');
  assert.throws(() => stackFits(null as never, { dim: 'g' }), (e: unknown) => e instanceof OptionError && e.option === 'fits' && /got null/.test(e.message));
  assert.throws(() => stackFits([makeIdata(), 3 as never], { dim: 'g' }), (e: unknown) => e instanceof OptionError && /element 1 is 3/.test(e.message));
  assert.throws(() => stackFits([makeIdata()], undefined as never), (e: unknown) => e instanceof OptionError && e.option === 'options');
});
