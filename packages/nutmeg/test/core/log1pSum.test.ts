// log1pSum (core/libm/log1pSum.ts) gives exactly the bits of summing log1p term by term, on every path of log1p.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { log1p, log1pSum } from '../../src/core/libm/index.js';

/** Arguments v = c·x covering every branch of log1p: special values, the thresholds and their neighbours, powers of two (and 1 + v next to them), a dense sweep and random magnitudes. */
function argumentsToTry(): number[] {
  const xs = [0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5, -0.5, 2, 2 ** 53, 2 ** 53 - 1, -(2 ** 53), 2 ** -29, -(2 ** -29), 2 ** -54, 1e-300, 5e-324, 0.41421350836753845, -0.2928932188134524, -0.29289321881345254, 0.4142135623730951];
  for (const t of [...xs]) if (Number.isFinite(t)) for (const d of [1 - 2 ** -52, 1 + 2 ** -52]) xs.push(t * d, -t * d);
  for (let k = -60; k <= 60; k++) xs.push(2 ** k, 2 ** k * (1 + 2 ** -52), 2 ** k * (1 - 2 ** -53), -(2 ** k), 2 ** k - 1, 2 ** k - 1 + 2 ** (k - 40), -1 + 2 ** -Math.abs(k));
  for (let i = -4000; i <= 4000; i++) xs.push(i / 100, i / 4001, i / 7 + 1e-3);
  let s = 12345;
  for (let i = 0; i < 20000; i++) {
    s = (s * 16807) % 2147483647;
    const u = s / 2147483647;
    xs.push((u - 0.5) * 2 * 10 ** (((i % 13) - 6) / 2) * (i % 3 === 0 ? 100 : 1));
  }
  return xs;
}

test('log1pSum of one term: the bits of log1p at every argument tried', () => {
  for (const v of argumentsToTry()) {
    const got = log1pSum(1, Float64Array.of(v));
    const want = 0 + log1p(v);
    assert.ok(Object.is(got, want), `log1pSum(1, [${v}]) = ${got}, log1p gives ${want}`);
  }
});

test('log1pSum(c, x): the bits of Σ log1p(c·x_i) added in order, for scales of either sign', () => {
  const xs = Float64Array.from(argumentsToTry().filter((v) => Number.isFinite(v) && v >= 0 && v < 1e6));
  for (const c of [-1, -0.999, -0.37, -1e-3, -1e-9, 1e-9, 1e-3, 0.37, 2.5, 1e4]) {
    let want = 0;
    for (let i = 0; i < xs.length; i++) want += log1p(c * xs[i]);
    const got = log1pSum(c, xs);
    assert.ok(Object.is(got, want), `c = ${c}: ${got}, term by term ${want}`);
  }
});
