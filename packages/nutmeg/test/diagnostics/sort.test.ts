// The fast sorts and argsorts behind the diagnostics agree exactly with Float64Array.prototype.sort, on every path.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { Rng } from '../../src/core/rng.js';
import { argsortFloat64, keyArgsort, selectFloat64, sortFloat64 } from '../../src/diagnostics/sort.js';

/** Data sets that take every path: tiny (comparator), radix with 1, 2 and 3 passes, insertion give-up, shared key bits. */
let memo: [string, Float64Array][] | undefined;

function dataSets(): [string, Float64Array][] {
  if (memo) return memo.slice();
  const rng = new Rng(11);
  const gen = (n: number, f: (i: number) => number): Float64Array => Float64Array.from({ length: n }, (_, i) => f(i));
  memo = [
    ['small', gen(20, () => rng.normal())],
    ['normal 4000', gen(4000, () => rng.normal())],
    ['normal 40000 (two passes)', gen(40000, () => rng.normal() * 10)],
    ['uniform 1.1M (three passes)', gen(1_100_000, () => rng.uniform())],
    ['ties', gen(5000, () => Math.round(rng.normal() * 2))],
    ['signed zeros', gen(3000, (i) => (i % 3 === 0 ? -0 : i % 3 === 1 ? 0 : rng.normal()))],
    ['outlier stretches the range', gen(3000, (i) => (i === 7 ? 1e200 : rng.normal()))],
    ['outlier and ulp-level differences', gen(3000, (i) => (i === 7 ? 1e200 : 1 + Math.round(rng.normal() * 1000) * Number.EPSILON))],
    ['subnormals', gen(3000, () => rng.normal() * 1e-310)],
    ['huge', gen(3000, () => rng.normal() * 1e307)],
    ['mixed infinities', gen(3000, (i) => (i % 100 === 0 ? -Infinity : i % 101 === 0 ? Infinity : rng.normal()))],
  ];
  return memo.slice();
}

function checkArgsort(name: string, x: Float64Array, order: Uint32Array, sorted: Float64Array): void {
  const expected = x.slice().sort();
  const seen = new Uint8Array(x.length);
  for (let k = 0; k < x.length; k++) {
    if (!Object.is(sorted[k], expected[k])) assert.fail(`${name}: sorted[${k}] = ${sorted[k]}, expected ${expected[k]}`);
    if (!Object.is(x[order[k]], sorted[k])) assert.fail(`${name}: x[order[${k}]] differs from sorted[${k}]`);
    if (seen[order[k]] !== 0) assert.fail(`${name}: index ${order[k]} repeated`);
    seen[order[k]] = 1;
  }
}

test('argsortFloat64 sorts exactly (−0 before +0) and returns a permutation', () => {
  for (const [name, x] of dataSets()) {
    if (name.startsWith('mixed infinities')) continue; // the argsort is for finite values
    const order = new Uint32Array(x.length);
    const sorted = new Float64Array(x.length);
    argsortFloat64(x, order, sorted);
    checkArgsort(name, x, order, sorted);
  }
});

test('the 64-bit key argsort (fallback) is exact too, shared low bits included', () => {
  for (const [name, x] of dataSets()) {
    if (x.length > 100_000 || name.startsWith('mixed infinities')) continue;
    const order = new Uint32Array(x.length);
    const sorted = new Float64Array(x.length);
    keyArgsort(x, order, sorted);
    checkArgsort(name, x, order, sorted);
  }
});

test('sortFloat64 equals Float64Array.prototype.sort bit for bit, NaN and infinities included', () => {
  const sets = dataSets();
  sets.push(['NaN', Float64Array.from({ length: 500 }, (_, i) => (i % 7 === 0 ? NaN : i % 5))]);
  for (const [name, x] of sets) {
    const got = sortFloat64(x.slice());
    const expected = x.slice().sort();
    for (let k = 0; k < x.length; k++) if (!Object.is(got[k], expected[k])) assert.fail(`${name}: element ${k}`);
  }
});

test('selectFloat64 gives the k-th value of a sort, for every k, with ties, infinities and tiny arrays', () => {
  const rng = new Rng(17);
  for (const n of [1, 2, 3, 5, 17, 100, 1001]) {
    for (const ties of [false, true]) {
      const x = new Float64Array(n);
      for (let i = 0; i < n; i++) x[i] = ties ? Math.floor(rng.uniform() * 5) : rng.normal();
      if (n > 3) {
        x[1] = -Infinity;
        x[n - 2] = Infinity;
      }
      const sorted = Float64Array.from(x).sort();
      for (let k = 0; k < n; k++) assert.equal(selectFloat64(Float64Array.from(x), k), sorted[k], `n=${n} ties=${ties} k=${k}`);
    }
  }
  const ascending = Float64Array.from({ length: 500 }, (_, i) => i);
  assert.equal(selectFloat64(Float64Array.from(ascending), 250), 250);
  assert.equal(selectFloat64(Float64Array.from(ascending).reverse(), 3), 3);
});
