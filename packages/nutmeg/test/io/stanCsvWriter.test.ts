// The chunked CmdStan CSV writer: byte for byte the text of the reference writer (all lines joined into one string), in chunks of bounded size, with argument errors from the call.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors.js';
import { stanCsvChunks, toStanCsv } from '../../src/io/stanCsv.js';
import type { InferenceData } from '../../src/posterior/inferenceData.js';
import { referenceStanCsv } from './fixtures/stanCsvReference.js';
import { makeIdata } from './makeIdata.js';

/** makeIdata with awkward numbers, a wide vector and run attributes. */
function idata(nChains: number, nDraws: number): InferenceData {
  const base = makeIdata(nChains, nDraws);
  const special = [NaN, Infinity, -Infinity, -0, 5e-324, 1e21, 1 / 3];
  const wide = Float64Array.from({ length: nChains * nDraws * 40 }, (_, i) => (i % 3 === 0 ? special[(i / 3) % special.length] : Math.cos(i) * 10 ** ((i % 7) - 3)));
  base.groups.posterior!.vars.wide = { dims: ['w'], shape: [40], values: wide };
  return { ...base, attrs: { ...base.attrs, model_name: 'm', target_accept: 0.9, max_tree_depth: 8 } };
}

test('the chunks join to exactly the reference text for every chain, at any chunk size', () => {
  const d = idata(3, 60);
  for (let c = 0; c < d.nChains; c++) {
    const reference = referenceStanCsv(d, c);
    assert.equal(toStanCsv(d, c), reference);
    for (const chunkChars of [undefined, 1, 500, 10_000]) {
      const chunks = [...stanCsvChunks(d, c, chunkChars === undefined ? {} : { chunkChars })];
      assert.equal(chunks.join(''), reference, `chain ${c}, chunkChars ${chunkChars}`);
      if (chunkChars === 500) assert.ok(chunks.length > 10, `${chunks.length} chunks`);
    }
  }
  assert.match(referenceStanCsv(d, 0), /,nan,|,inf,|,-inf,|,-0,/);
});

test('a row wider than a piece (10,000 columns) is cut into pieces: the same text, and chunks of about chunkChars', () => {
  const d = idata(1, 6);
  d.groups.posterior!.vars.many = { dims: ['k'], shape: [10_000], values: Float64Array.from({ length: 6 * 10_000 }, (_, i) => (i % 11 === 0 ? NaN : i / 3)) };
  const chunks = [...stanCsvChunks(d, 0, { chunkChars: 1000 })];
  assert.equal(chunks.join(''), referenceStanCsv(d, 0));
  // Piece by piece: a chunk holds at most chunkChars plus one piece of 4,096 numbers, never a whole 200 KB row.
  const longest = Math.max(...chunks.map((c) => c.length));
  assert.ok(longest < 1000 + 4096 * 25, `a chunk of ${longest} characters`);
  assert.ok(chunks.length >= 6 * 3, `${chunks.length} chunks`);
});

test('pieces of finite numbers (formatted by JSON.stringify) and pieces with -0, NaN or ±Infinity (one by one) give the reference text', () => {
  const d = makeIdata(2, 30);
  const values = Float64Array.from({ length: 2 * 30 * 5000 }, (_, i) => Math.sin(i) * 10 ** ((i % 13) - 6));
  // Row 3 of chain 0 has a -0, row 4 an Infinity, row 5 a NaN: their pieces take the slow path, the others the fast one.
  values[3 * 5000 + 17] = -0;
  values[4 * 5000 + 4999] = Infinity;
  values[5 * 5000] = NaN;
  d.groups.posterior!.vars.many = { dims: ['k'], shape: [5000], values };
  for (let c = 0; c < 2; c++) assert.equal([...stanCsvChunks(d, c, { chunkChars: 3000 })].join(''), referenceStanCsv(d, c));
  const rows = toStanCsv(d, 0).split('\n');
  const first = rows.findIndex((r) => /^-?\d/.test(r));
  assert.match(rows[first + 3], /,-0,/);
  assert.match(rows[first + 4], /,inf$/);
  assert.match(rows[first + 5], /,nan,/);
});

test('no draws: the header and the column names only, as before', () => {
  const d = { ...idata(1, 5), nDraws: 0 };
  for (const g of Object.values(d.groups)) for (const v of Object.values(g.vars)) Object.assign(v, { values: new Float64Array(0) });
  assert.equal([...stanCsvChunks(d, 0)].join(''), referenceStanCsv(d, 0));
});

test('argument errors come from the call, named after stanCsvChunks', () => {
  assert.throws(() => stanCsvChunks(makeIdata(2, 3), 2), (e: unknown) => e instanceof InputError && /^stanCsvChunks: chain 2 does not exist/.test(e.message));
  const noPosterior = { ...makeIdata(), groups: {} };
  assert.throws(() => stanCsvChunks(noPosterior, 0), /stanCsvChunks: the results have no 'posterior' group/);
  assert.throws(() => stanCsvChunks(makeIdata(), 0, { chunkChars: -1 }), RangeError);
});
