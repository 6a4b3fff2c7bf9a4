// Degenerate input gives NaN or a clear message, never a crash or a wrong number.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { OptionError } from '../../src/core/errors.js';
import {
  essBasic,
  essBulk,
  essMean,
  essQuantile,
  essSd,
  essTail,
  hdi,
  mcseMean,
  mcseQuantile,
  mcseSd,
  rhat,
  rhatBasic,
} from '../../src/diagnostics/index.js';
import { Rng } from '../../src/core/rng.js';

type Fn = (x: number[][]) => number;
const scalarDiagnostics: Record<string, Fn> = {
  rhat,
  rhatBasic: (x) => rhatBasic(x),
  essBulk,
  essTail,
  essBasic: (x) => essBasic(x),
  essMean,
  essSd,
  essMedian: (x) => essQuantile(x, 0.5),
  mcseMean,
  mcseSd,
  mcseQuantile: (x) => mcseQuantile(x, 0.05),
};

function normals(nChains: number, nDraws: number, seed = 1): number[][] {
  const rng = new Rng(seed);
  return Array.from({ length: nChains }, () => Array.from({ length: nDraws }, () => rng.normal()));
}

test('constant draws give NaN, and an HDI of zero width', () => {
  const x = [Array(100).fill(2.5), Array(100).fill(2.5)];
  for (const [name, f] of Object.entries(scalarDiagnostics)) {
    assert.ok(Number.isNaN(f(x)), `${name} of constant draws should be NaN, got ${f(x)}`);
  }
  assert.deepEqual(hdi(x), [2.5, 2.5]);
});

test('a NaN or infinite draw gives NaN', () => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    const x = normals(4, 50);
    x[2][17] = bad;
    for (const [name, f] of Object.entries(scalarDiagnostics)) {
      assert.ok(Number.isNaN(f(x)), `${name} with a ${bad} draw should be NaN, got ${f(x)}`);
    }
    assert.ok(hdi(x).every(Number.isNaN));
  }
});

test('fewer than 4 draws per chain give NaN', () => {
  for (let n = 0; n < 4; n++) {
    const x = normals(4, n);
    for (const [name, f] of Object.entries(scalarDiagnostics)) {
      assert.ok(Number.isNaN(f(x)), `${name} with ${n} draws should be NaN, got ${f(x)}`);
    }
  }
});

test('no chains at all gives NaN', () => {
  for (const [name, f] of Object.entries(scalarDiagnostics)) assert.ok(Number.isNaN(f([])), name);
  assert.ok(hdi([]).every(Number.isNaN));
});

test('chains of unequal length are refused with a message that says so', () => {
  const x = normals(3, 100);
  x[1] = x[1].slice(0, 98);
  for (const [name, f] of Object.entries(scalarDiagnostics)) {
    assert.throws(
      () => f(x),
      (e: unknown) => e instanceof OptionError && /unequal lengths.*chain 1 has 98/.test(e.message),
      name,
    );
  }
});

test('a non-array input is refused clearly', () => {
  assert.throws(() => rhat('abc' as unknown as number[][]), OptionError);
  assert.throws(() => essBulk([1, 2, 3] as unknown as number[][]), /chain 0 is not an array/);
});

test('quantile probabilities outside [0, 1] and HDI probabilities outside (0, 1] are refused', () => {
  const x = normals(2, 50);
  assert.throws(() => essQuantile(x, 1.5), /prob/);
  assert.throws(() => mcseQuantile(x, -0.1), /prob/);
  assert.throws(() => hdi(x, 0), /\(0, 1\]/);
  assert.throws(() => hdi(x, 1.2), /\(0, 1\]/);
});

test('halves that are each constant but differ give an infinite basic R-hat, as posterior does', () => {
  const x = [[...Array(50).fill(0), ...Array(50).fill(1)]];
  // Within-half variance is 0 while the halves differ: the chains have certainly not mixed.
  assert.equal(rhatBasic(x), Infinity);
});

test('Float64Array chains are accepted as well as plain arrays', () => {
  const x = normals(4, 200, 7);
  const y = x.map((c) => Float64Array.from(c));
  assert.equal(rhat(y), rhat(x));
  assert.equal(essBulk(y), essBulk(x));
});
