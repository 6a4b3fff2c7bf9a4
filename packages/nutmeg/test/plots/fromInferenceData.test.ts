// Adapters from InferenceData to chart inputs: element labels from coords, means and HDIs, pooled draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { InferenceData } from '../../src/posterior/inferenceData.js';
import { forestRows, pooledDraws, traceVariables } from '../../src/plots/fromInferenceData.js';
import { InputError } from '../../src/core/errors.js';

// 2 chains × 3 draws; mu scalar, a over county (2 counties)
const idata: InferenceData = {
  nChains: 2,
  nDraws: 3,
  coords: { county: ['CASS', 'FREEBORN'] },
  attrs: {},
  groups: {
    posterior: {
      attrs: {},
      vars: {
        mu: { dims: [], shape: [], values: Float64Array.from([1, 2, 3, 4, 5, 6]) },
        // (chain, draw, county)
        a: { dims: ['county'], shape: [2], values: Float64Array.from([1, 10, 2, 20, 3, 30, 4, 40, 5, 50, 6, 60]) },
      },
    },
  },
};

test('traceVariables: scalars as draws per chain, vectors as labelled elements', () => {
  const [mu, a] = traceVariables(idata, ['mu', 'a']);
  assert.deepEqual(mu.draws?.map((c) => Array.from(c)), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(a.elements?.map((e) => e.label), ['a[CASS]', 'a[FREEBORN]']);
  assert.deepEqual(Array.from(a.elements?.[1].draws[1] ?? []), [40, 50, 60]);
  assert.deepEqual(traceVariables(idata, ['a'], { useCoords: false })[0].elements?.map((e) => e.label), ['a[0]', 'a[1]']);
  assert.equal(traceVariables(idata).length, 2);
  assert.throws(() => traceVariables(idata, ['nope']), InputError);
});

test('forestRows: mean and HDI per element, labelled by coordinate', () => {
  const rows = forestRows(idata, 'a', { hdiProb: 0.5, series: 'hierarchical' });
  assert.deepEqual(rows.map((r) => r.label), ['CASS', 'FREEBORN']);
  assert.equal(rows[0].mean, 3.5);
  assert.equal(rows[1].mean, 35);
  assert.equal(rows[0].group, 'hierarchical');
  // 6 sorted draws, k = floor(0.5 * 6) = 3: narrowest of [1,4],[2,5],[3,6] is the first
  assert.deepEqual([rows[0].lo, rows[0].hi], [1, 4]);
  assert.deepEqual([...pooledDraws(idata, 'a', 1)], [10, 20, 30, 40, 50, 60]);
});
