// The chunked ArviZ JSON writer: byte for byte the text of the reference writer (one JSON.stringify of the whole document), in chunks of bounded size, produced lazily.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { OptionError } from '../../src/core/errors.js';
import { arvizJsonChunks, fromArvizJson, toArvizJson } from '../../src/io/arvizJson.js';
import { NUMBERS_PER_PIECE } from '../../src/io/textChunks.js';
import type { InferenceData, VariableArray } from '../../src/posterior/inferenceData.js';
import { referenceArvizJson } from './fixtures/arvizJsonReference.js';
import { makeIdata } from './makeIdata.js';

/** A sampled variable whose values run through the awkward numbers. */
function awkward(nChains: number, nDraws: number, shape: number[], dims: string[]): VariableArray {
  const special = [NaN, Infinity, -Infinity, -0, 0, 5e-324, -1e308, 1 / 3, -2.5e-7, 123456789012345680000, 1e21];
  const size = nChains * nDraws * shape.reduce((a, b) => a * b, 1);
  const values = Float64Array.from({ length: size }, (_, i) => (i % 5 === 0 ? special[(i / 5) % special.length] : Math.sin(i) * 10 ** ((i % 9) - 4)));
  return { dims, shape, values };
}

/** Results with every group `nutmeg fit` writes, awkward numbers, names and attrs. */
function richIdata(nChains = 3, nDraws = 40): InferenceData {
  const base = makeIdata(nChains, nDraws);
  const n = 7;
  const yValues = Float64Array.from({ length: n }, (_, i) => (i === 2 ? NaN : i === 4 ? -0 : i * 1.25 - 3));
  const posterior: Record<string, VariableArray> = { ...base.groups.posterior!.vars, 'theta[odd] "name"\u2028': awkward(nChains, nDraws, [2], ['pair']), '1': awkward(nChains, nDraws, [], []) };
  Object.defineProperty(posterior, '__proto__', { value: awkward(nChains, nDraws, [2, 1, 3], ['a', 'b', 'c']), enumerable: true, writable: true, configurable: true });
  return {
    nChains,
    nDraws,
    groups: {
      posterior: { vars: posterior, attrs: { created_at: '2026-12-07', nested: { list: [1, NaN, -0, null, 'x'], when: new Date(0) }, gone: undefined } },
      posterior_predictive: { vars: { y: awkward(nChains, nDraws, [n], ['obs']) }, attrs: {} },
      log_likelihood: { vars: { y: awkward(nChains, nDraws, [n], ['obs']) }, attrs: { note: 'é€𝄞' } },
      sample_stats: base.groups.sample_stats!,
      observed_data: { vars: { y: { dims: ['obs'], shape: [n], values: yValues }, scalar: { dims: [], shape: [], values: Float64Array.of(-0) } }, attrs: {} },
      constant_data: { vars: {}, attrs: undefined as unknown as Record<string, unknown> },
    },
    coords: { ...base.coords, obs: ['a', 'b"', 'c\\', 'd\n', '\ud800', 'f', 'g'], pair: [0.5, -0], a: [1, 2] },
    attrs: { seed: 42, tune: 100, nutmeg_version: '0.1.0', inf: Infinity, incomplete: true },
  };
}

/** The chunks and their joined text. */
function chunked(idata: InferenceData, chunkChars?: number): { chunks: string[]; text: string } {
  const chunks = [...arvizJsonChunks(idata, chunkChars === undefined ? {} : { chunkChars })];
  return { chunks, text: chunks.join('') };
}

test('the chunks join to exactly the reference text: every group fit writes, NaN/±Infinity as null, -0 as 0, awkward names, attrs and coords', () => {
  const idata = richIdata();
  const reference = referenceArvizJson(idata);
  assert.equal(toArvizJson(idata), reference);
  for (const chunkChars of [undefined, 1, 7, 100, 4096]) assert.equal(chunked(idata, chunkChars).text, reference, `chunkChars ${chunkChars}`);
  assert.match(reference, /"observed_data":\{"y":\[-3,-1\.75,null,0\.75,0,3\.25,4\.5\],"scalar":0\}/);
  assert.match(reference, /"constant_data":\{\}(?!,"constant_data_attrs")/);
  // It reads back as what was written (non-finite values as NaN).
  const back = fromArvizJson(chunked(idata, 100).text);
  const theta = back.groups.posterior!.vars['theta[odd] "name"\u2028'];
  const want = [...idata.groups.posterior!.vars['theta[odd] "name"\u2028'].values].map((v) => (Number.isFinite(v) ? v + 0 : NaN)); // -0 is written as 0
  assert.deepEqual([...theta.values], want);
});

test('the chunks join to the reference text on shapes with empty axes, no chains, scalars, long rows and plain-array values', () => {
  const long = Float64Array.from({ length: 3 * NUMBERS_PER_PIECE + 17 }, (_, i) => (i % 1000 === 999 ? NaN : i / 7));
  const cases: InferenceData[] = [
    { nChains: 0, nDraws: 0, groups: { posterior: { vars: { mu: { dims: [], shape: [], values: new Float64Array(0) } }, attrs: {} } }, coords: {}, attrs: {} },
    { nChains: 2, nDraws: 0, groups: { posterior: { vars: { mu: { dims: ['k'], shape: [3], values: new Float64Array(0) } }, attrs: {} } }, coords: {}, attrs: {} },
    {
      nChains: 2,
      nDraws: 3,
      groups: {
        posterior: { vars: { e: { dims: ['k', 'z'], shape: [2, 0], values: new Float64Array(0) }, w: { dims: ['z'], shape: [0], values: new Float64Array(0) } }, attrs: {} },
        observed_data: { vars: { long: { dims: ['obs'], shape: [long.length], values: long }, empty: { dims: [], shape: [], values: new Float64Array(0) } }, attrs: {} },
      },
      coords: { obs: Array.from({ length: long.length }, (_, i) => `row ${i}`), z: [] },
      attrs: {},
    },
    {
      nChains: 1,
      nDraws: 2,
      groups: { posterior: { vars: { plain: { dims: ['k'], shape: [3], values: [1, NaN, -0, 4, 5] as unknown as Float64Array } }, attrs: {} } },
      coords: { k: ['a', 'b', 'c'] },
      attrs: undefined as unknown as Record<string, unknown>,
    },
    { nChains: 1, nDraws: 1, groups: {}, coords: {}, attrs: {} },
  ];
  for (const [i, idata] of cases.entries()) {
    const reference = referenceArvizJson(idata);
    for (const chunkChars of [undefined, 1, 50, 10_000]) assert.equal(chunked(idata, chunkChars).text, reference, `case ${i}, chunkChars ${chunkChars}`);
  }
});

test('chunks are bounded: at most chunkChars plus one piece of numbers, and the last one shorter', () => {
  const idata = richIdata(4, 500);
  const big = awkward(4, 500, [300], ['k']);
  idata.groups.posterior!.vars.big = big;
  const chunkChars = 20_000;
  const { chunks, text } = chunked(idata, chunkChars);
  assert.equal(text, referenceArvizJson(idata));
  assert.ok(chunks.length > 20, `${chunks.length} chunks`);
  // A piece is at most NUMBERS_PER_PIECE numbers of at most 24 characters and a comma each.
  const bound = chunkChars + NUMBERS_PER_PIECE * 25 + 100;
  for (const c of chunks) assert.ok(c.length <= bound, `a chunk of ${c.length} characters`);
  for (const c of chunks.slice(0, -1)) assert.ok(c.length >= chunkChars, `an early chunk of ${c.length} characters`);
});

test('chunks are made as they are taken: the first arrives before the rest is formatted, and the rest follow from the same state', () => {
  const idata = richIdata(2, 50);
  const values = new Float64Array(2 * 50 * 10_000).fill(1.5);
  idata.groups.posterior!.vars.wide = { dims: ['w'], shape: [10_000], values };
  const it = arvizJsonChunks(idata, { chunkChars: 1000 });
  const first = it.next();
  assert.equal(first.done, false);
  // Changed after the first chunk: the change shows in the text, so the numbers were not formatted yet.
  values.fill(2.5);
  const text = (first.value as string) + [...it].join('');
  assert.equal(text, referenceArvizJson(idata));
  assert.ok(text.includes('2.5,2.5'));
});

test('argument errors come from the call, before any chunk is asked for', () => {
  assert.throws(() => arvizJsonChunks(null as unknown as InferenceData), (e: unknown) => e instanceof OptionError && /arvizJsonChunks needs InferenceData/.test(e.message));
  assert.throws(() => arvizJsonChunks(makeIdata(), { chunkChars: 0 }), /chunkChars must be a whole number ≥ 1, got 0/);
  assert.throws(() => arvizJsonChunks(makeIdata(), { chunkChars: 1.5 }), RangeError);
});
