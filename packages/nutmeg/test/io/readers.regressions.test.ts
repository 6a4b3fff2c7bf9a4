// Reader bugs found by fuzzing (readers.fuzz.test.ts) and hostile-input probing, each kept as a plain test.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors.js';
import { fromArvizJson, toArvizJson } from '../../src/io/arvizJson.js';
import { fromDrawsJson, toDrawsJson } from '../../src/io/drawsJson.js';
import { fromStanCsv, toStanCsv } from '../../src/io/stanCsv.js';
import type { InferenceData } from '../../src/posterior/inferenceData.js';

const one = (name: string, values: number[]): InferenceData => {
  const vars = {};
  Object.defineProperty(vars, name, { value: { dims: [], shape: [], values: Float64Array.from(values) }, enumerable: true });
  return { nChains: 1, nDraws: values.length, groups: { posterior: { vars, attrs: {} } }, coords: {}, attrs: {} };
};

test("a variable named '__proto__' or 'constructor' survives JSON (it was dropped: assignment set the prototype)", () => {
  for (const name of ['__proto__', 'constructor', 'toString']) {
    const idata = one(name, [1, 2]);
    for (const back of [fromDrawsJson(toDrawsJson(idata), 'd.json'), fromArvizJson(toArvizJson(idata), 'i.json')]) {
      const vars = back.groups.posterior!.vars;
      assert.deepEqual(Object.keys(vars), [name]);
      assert.deepEqual([...Object.getOwnPropertyDescriptor(vars, name)!.value.values], [1, 2]);
    }
  }
  const parsed = fromArvizJson('{"posterior": {"__proto__": [[1, 2]], "mu": [[3, 4]]}, "dims": {}}', 'p.json');
  assert.deepEqual(Object.keys(parsed.groups.posterior!.vars).sort(), ['__proto__', 'mu']);
});

test("ArviZ dims and coords are looked up as own keys: a variable 'constructor' without dims gets default dims", () => {
  const idata = fromArvizJson('{"posterior": {"constructor": [[[1, 2]]]}}', 'c.json');
  assert.deepEqual(Object.getOwnPropertyDescriptor(idata.groups.posterior!.vars, 'constructor')!.value.dims, ['constructor_dim_0']);
});

test("toStanCsv writes -0 as '-0' (it wrote '0') and refuses a variable ending in '__' (it was read back as a sampler column)", () => {
  const back = fromStanCsv([{ name: 'z.csv', text: toStanCsv(one('x', [-0, 0]), 0) }]);
  assert.ok(Object.is(back.groups.posterior!.vars.x.values[0], -0));
  assert.throws(() => toStanCsv(one('__proto__', [1]), 0), (e: unknown) => e instanceof InputError && /'__proto__' ends in '__'/.test(e.message));
});

test('JSON arrays nested 100,000 deep are an InputError, not a RangeError (stack overflow)', () => {
  const deep = '['.repeat(100000) + '1' + ']'.repeat(100000);
  assert.throws(() => fromDrawsJson(`{"mu": ${deep}}`, 'deep.json'), (e: unknown) => e instanceof InputError && /deep\.json: variable 'mu': arrays nested more than 32 deep/.test(e.message));
  assert.throws(() => fromArvizJson(`{"posterior": {"mu": ${deep}}}`, 'deep.json'), (e: unknown) => e instanceof InputError && /posterior\.mu: arrays nested more than 32 deep/.test(e.message));
});

test('messages stay short: long names and big values from a file are cut (they were copied whole)', () => {
  const long = 'k'.repeat(100000);
  const cases: [() => unknown, RegExp][] = [
    [() => fromDrawsJson(`{"${long}": [[1, 2], [3]]}`, 'l.json'), /variable 'k{40}…': ragged array/],
    [() => fromArvizJson(`{"posterior": {"${long}": [1]}}`, 'l.json'), /posterior\.k{40}…: expected \(chain, draw, …\)/],
    [() => fromArvizJson(`{"posterior": {"mu": [[1]]}, "dims": {"mu": [${'"x",'.repeat(50000)}"y"]}}`, 'l.json'), /dims\.mu: expected 0 dim names for shape \[\], got an array of 50001/],
    [() => fromDrawsJson(`{"mu[${'0,'.repeat(5000)}0]": [[1]], "mu[0]": [[1]]}`, 'l.json'), /elements have different numbers of indices \(mu\[0,0,0,0,0,0,0,0,… \(5001 in all\)\] and mu\[0\]\)/],
    [() => fromDrawsJson('{"a\\u0007b": [[1, 2], [3]]}', 'l.json'), /variable 'a\\u0007b'/],
  ];
  for (const [f, re] of cases) {
    assert.throws(f, (e: unknown) => e instanceof InputError && re.test(e.message) && e.message.length < 200, re.source);
  }
});

test("CmdStan columns: index 0 is refused (it gave 'column  is missing'), and a huge index is reported with the shape it implies, at once", () => {
  assert.throws(() => fromStanCsv([{ name: 'a.csv', text: 'lp__,a.0\n1,2\n' }]), /a\.csv: column "a\.0": indices start at 1/);
  const t0 = performance.now();
  assert.throws(
    () => fromStanCsv([{ name: 'a.csv', text: 'lp__,a.1,a.99999999999\n1,2,3\n' }]),
    /variable 'a': columns are missing: the largest indices imply shape \[99999999999\], 99999999999 elements, but there are 2 columns/,
  );
  assert.ok(performance.now() - t0 < 1000);
});

test('CmdStan header values that are not counts are named with their text', () => {
  assert.throws(() => fromStanCsv([{ name: 'h.csv', text: '# method = sample\n# num_samples = abc\nlp__,a\n1,2\n' }]), /h\.csv: the header's num_samples = "abc" is not a whole number ≥ 0/);
  assert.throws(() => fromStanCsv([{ name: 'h.csv', text: '# method = sample\n# thin = 0\nlp__,a\n1,2\n' }]), /h\.csv: the header's thin = "0" is not a whole number ≥ 1/);
});

test('CRLF line ends, a BOM and NaN/Infinity spellings are read', () => {
  const csv = '\ufefflp__,a\r\n-1,nan\r\n-2,-inf\r\n-3,Infinity\r\n-4,1e999\r\n';
  const a = fromStanCsv([{ name: 'c.csv', text: csv }]).groups.posterior!.vars.a.values;
  assert.ok(Number.isNaN(a[0]));
  assert.deepEqual([...a.subarray(1)], [-Infinity, Infinity, Infinity]);
  const j = fromDrawsJson('{"a": [[NaN, Infinity, -Infinity, null]]}', 'j.json').groups.posterior!.vars.a.values;
  assert.deepEqual([...j].map(String), ['NaN', 'Infinity', '-Infinity', 'NaN']);
});
