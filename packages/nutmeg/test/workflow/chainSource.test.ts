// How workers get a log density: a spec compiled once per key and reused by the next run of the same model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Model } from '../../src/model/model.js';
import { Normal } from '../../src/distributions/factories.js';
import { loadChainSource, specKey } from '../../src/workflow/chainSource.js';

function tinyModel(y: number[]) {
  const m = new Model();
  const mu = m.rv('mu', Normal({ mu: 0, sigma: 1 }));
  m.rv('y', Normal({ mu, sigma: 1 }), { observed: y });
  return m.compile();
}

test('specKey: one name per spec object, the same on every call; another compile of the same model is another spec', () => {
  const a = tinyModel([0.5]);
  const again = tinyModel([0.5]);
  assert.equal(specKey(a.spec as object), specKey(a.spec as object));
  assert.notEqual(specKey(a.spec as object), specKey(again.spec as object));
});

test('loadChainSource: the spec built last is reused for its key (and only for it); a spec without a key is compiled afresh', async () => {
  const a = tinyModel([0.5, 1.5]);
  const b = tinyModel([-3]);
  const x = Float64Array.of(0.25);
  const g = new Float64Array(1);
  const source = (spec: unknown) => ({ kind: 'spec' as const, spec: structuredClone(spec), key: specKey(spec as object) });
  const first = await loadChainSource(source(a.spec));
  assert.equal(await loadChainSource(source(a.spec)), first);
  // The reused density is the model's: its value is the main thread's.
  assert.equal(first.logDensityGrad(x, g), a.logDensityGrad(x, new Float64Array(1)));
  const other = await loadChainSource(source(b.spec));
  assert.notEqual(other, first);
  assert.equal(other.logDensityGrad(x, g), b.logDensityGrad(x, new Float64Array(1)));
  // Only the last one is kept: a is compiled again after b.
  assert.notEqual(await loadChainSource(source(a.spec)), first);
  const unkeyed = { kind: 'spec' as const, spec: structuredClone(a.spec) };
  assert.notEqual(await loadChainSource(unkeyed), await loadChainSource(unkeyed));
});
