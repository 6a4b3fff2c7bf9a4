// ArviZ JSON: round trip, ArviZ's own layout (NaN tokens, boolean diverging), and clear errors.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors.js';
import { fromArvizJson, toArvizJson } from '../../src/io/index.js';
import { makeIdata } from './makeIdata.js';

test('toArvizJson → fromArvizJson round-trips groups, shapes, values, dims, coords and attrs', () => {
  const idata = makeIdata();
  idata.groups.posterior!.vars.mu.values[7] = NaN;
  const back = fromArvizJson(toArvizJson(idata));
  assert.equal(back.nChains, idata.nChains);
  assert.equal(back.nDraws, idata.nDraws);
  assert.deepEqual(Object.keys(back.groups).sort(), Object.keys(idata.groups).sort());
  for (const [gname, g] of Object.entries(idata.groups)) {
    const bg = back.groups[gname as keyof typeof idata.groups]!;
    assert.deepEqual(bg.attrs, g.attrs);
    for (const [vn, v] of Object.entries(g.vars)) {
      const bv = bg.vars[vn];
      assert.deepEqual(bv.shape, v.shape, `${gname}.${vn} shape`);
      assert.deepEqual(bv.dims, v.dims, `${gname}.${vn} dims`);
      assert.deepEqual([...bv.values], [...v.values], `${gname}.${vn} values`);
    }
  }
  assert.deepEqual(back.coords, idata.coords);
  assert.deepEqual(back.attrs, idata.attrs);
});

test('the JSON has ArviZ to_dict layout: groups, <group>_attrs, coords, dims, attrs; nested chain × draw lists', () => {
  const obj = JSON.parse(toArvizJson(makeIdata(2, 3))) as Record<string, Record<string, unknown>>;
  for (const k of ['posterior', 'posterior_attrs', 'sample_stats', 'sample_stats_attrs', 'observed_data', 'coords', 'dims', 'attrs']) {
    assert.ok(k in obj, k);
  }
  const alpha = obj.posterior.alpha as number[][][];
  assert.equal(alpha.length, 2);
  assert.equal(alpha[0].length, 3);
  assert.equal(alpha[0][0].length, 3);
  assert.deepEqual(obj.dims.alpha, ['county']);
  assert.deepEqual(obj.observed_data.y, [1.5, -2, 0, 3.25]);
});

test('reads what Python writes: bare NaN/Infinity tokens and boolean diverging', () => {
  const text = `{"posterior": {"x": [[1.0, NaN, 3.0], [Infinity, -Infinity, 0.5]]},
    "posterior_attrs": {"inference_library": "pymc", "note": "NaN in a string stays"},
    "sample_stats": {"diverging": [[false, true, false], [false, false, false]]},
    "sample_stats_attrs": {}, "coords": {}, "dims": {}, "attrs": {}}`;
  const idata = fromArvizJson(text, 'py.json');
  assert.equal(idata.nChains, 2);
  assert.equal(idata.nDraws, 3);
  const x = [...idata.groups.posterior!.vars.x.values];
  assert.ok(Number.isNaN(x[1]));
  assert.equal(x[3], Infinity);
  assert.equal(x[4], -Infinity);
  assert.deepEqual([...idata.groups.sample_stats!.vars.diverging.values], [0, 1, 0, 0, 0, 0]);
  assert.equal(idata.groups.posterior!.attrs.note, 'NaN in a string stays');
  assert.deepEqual(idata.groups.posterior!.vars.x.dims, []);
});

test('a sampled group with other chain and draw counts (a prior) is skipped and noted', () => {
  const idata = fromArvizJson('{"posterior": {"x": [[1, 2], [3, 4]]}, "prior": {"x": [[1, 2, 3]]}}');
  assert.deepEqual(Object.keys(idata.groups), ['posterior']);
  assert.match(String(idata.attrs.skipped_groups), /prior \(1 chains × 3 draws, posterior\.x has 2 × 2\)/);
});

test('variables without dims get ArviZ default dim names', () => {
  const idata = fromArvizJson('{"posterior": {"b": [[[1, 2], [3, 4]]]}}');
  assert.deepEqual(idata.groups.posterior!.vars.b.dims, ['b_dim_0']);
  assert.deepEqual(idata.groups.posterior!.vars.b.shape, [2]);
});

test('malformed files get errors naming the file, variable and position', () => {
  const cases: [string, RegExp][] = [
    ['{"posterior": {"x": [[1, 2], [3]]}}', /f\.json: posterior\.x: ragged array: at chain 1 there are 1 draws where the first has 2/],
    ['{"posterior": {"x": [[1, "a"]]}}', /f\.json: posterior\.x: at chain 0, draw 1: expected a number, got "a"/],
    ['{"posterior": {"x": [[1, 2]], "y": [[1, 2, 3]]}}', /posterior\.y has 1 chains × 3 draws, but posterior\.x has 1 × 2/],
    ['{"posterior": {"x": [[1, 2],\n [3, 4]}', /f\.json: invalid JSON at line 2, column 8/],
    ['{"posterior": {"x": [[1, 2]]}, "dims": {"x": ["a"]}}', /dims\.x: expected 0 dim names/],
    ['[1, 2]', /expected an ArviZ InferenceData JSON object/],
    ['{"foo": 1}', /no InferenceData groups/],
  ];
  for (const [text, re] of cases) {
    assert.throws(() => fromArvizJson(text, 'f.json'), (e: unknown) => e instanceof InputError && re.test(e.message), text);
  }
});
