// The WebAssembly SIMD loops of exp and log1p (core/libm/libmKernels.wat) give exactly the bits of exp and log1p term by term, on every path, at odd and even lengths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exp, expInto, log1p, log1pInto, log1pSum, log1pSums } from '../../src/core/libm/index.js';
import { wasmExpInto, wasmLog1pSums } from '../../src/core/libm/libmKernels.js';
import { libmArguments } from '../helpers/libmArguments.js';

/** The arguments tried (the thresholds of exp and log1p; helpers/libmArguments.ts adds the rest). */
const argumentsToTry = (): number[] => libmArguments([708, -708, 709, -709, 709.78, -745.1, -746, 2 ** 53, -(2 ** 53), 2 ** -28, 2 ** -29, 2 ** -54, 0.3465735912322998, 1.0397205352783203, 0.41421350836753845, -0.2928932188134524, -0.29289321881345254, 0.4142135623730951]);

test('WebAssembly SIMD is available here, so the tests below check the kernels (not the JS loops they fall back to)', () => {
  assert.equal(wasmExpInto(new Float64Array(2), Float64Array.of(0, 1), 1, 0), true);
  assert.equal(wasmLog1pSums(Float64Array.of(1), Float64Array.of(0, 1), new Float64Array(1)), true);
});

test('wasmExpInto: the bits of exp(a·x − b) at every argument tried, at odd and even lengths, in place too', () => {
  const all = Float64Array.from(argumentsToTry());
  for (const x of [all, all.subarray(0, all.length - 1), all.subarray(3, 4), all.subarray(0, 0)]) {
    const out = new Float64Array(x.length);
    for (const [a, b] of [[1, 0], [2, 0], [1, 3.5], [1, -700], [2, 1e-3]]) {
      assert.ok(wasmExpInto(out, x, a, b));
      for (let i = 0; i < x.length; i++) assert.ok(Object.is(out[i], exp(a * x[i] - b)), `exp(${a}·${x[i]} − ${b}): ${out[i]}, exp gives ${exp(a * x[i] - b)}`);
    }
  }
  const y = all.slice();
  wasmExpInto(y, y, 1, 0);
  for (let i = 0; i < y.length; i++) assert.ok(Object.is(y[i], exp(all[i])));
});

test('expInto below the WebAssembly length (its JS loop) gives the same bits', () => {
  const all = Float64Array.from(argumentsToTry());
  const out = new Float64Array(63);
  for (let at = 0; at + 63 <= all.length; at += 63) {
    const x = all.subarray(at, at + 63);
    expInto(out, x, 1, 0.25);
    for (let i = 0; i < 63; i++) assert.ok(Object.is(out[i], exp(x[i] - 0.25)));
  }
});

test('wasmLog1pSums, one term at a time: log1p(c) + log1p(c) has the bits of 2·log1p(c) for every argument tried', () => {
  const c = Float64Array.from(argumentsToTry());
  const out = new Float64Array(c.length);
  assert.ok(wasmLog1pSums(c, Float64Array.of(1, 1), out));
  for (let j = 0; j < c.length; j++) {
    const want = 0 + log1p(c[j]) + log1p(c[j]);
    assert.ok(Object.is(out[j], want), `log1p(${c[j]}) twice: ${out[j]}, log1p gives ${want}`);
  }
});

test('log1pSums(c, x): the bits of log1pSum(c_j, x) for every scale, at odd and even lengths (0 and 1 included)', () => {
  const xs = Float64Array.from(argumentsToTry().filter((v) => Number.isFinite(v) && v >= 0 && v < 1e6));
  const c = Float64Array.of(-1, -0.999, -0.37, -1e-3, -1e-9, 0, 1e-9, 1e-3, 0.37, 2.5, 1e4, NaN);
  const out = new Float64Array(c.length);
  for (const x of [xs, xs.subarray(1), xs.subarray(5, 6), xs.subarray(0, 0), xs.subarray(100, 290)]) {
    log1pSums(c, x, out);
    for (let j = 0; j < c.length; j++) {
      const want = log1pSum(c[j], x);
      assert.ok(Object.is(out[j], want), `c = ${c[j]}, n = ${x.length}: ${out[j]}, log1pSum gives ${want}`);
    }
  }
});

test('log1pInto: the bits of log1p(c·x_i) term by term, at odd and even lengths, for scales on every path', () => {
  const xs = Float64Array.from(argumentsToTry().filter((v) => Number.isFinite(v)));
  for (const c of [1, -1, 0.37, -0.999, 1e-12, 0, NaN, 3e5]) {
    for (const x of [xs, xs.subarray(1), xs.subarray(7, 8), xs.subarray(0, 0)]) {
      const out = log1pInto(new Float64Array(x.length), c, x);
      for (let i = 0; i < x.length; i++) assert.ok(Object.is(out[i], log1p(c * x[i])), `log1p(${c}·${x[i]}): ${out[i]}, log1p gives ${log1p(c * x[i])}`);
    }
  }
});
