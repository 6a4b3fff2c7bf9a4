// expInto and sumExp (core/libm/expArray.ts) give exactly the bits of exp term by term, on every path of exp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exp, expInto, sumExp } from '../../src/core/libm/index.js';

/** Arguments covering every branch of exp: special values, the thresholds and their neighbours, a dense sweep and random magnitudes. */
function argumentsToTry(): number[] {
  const xs = [0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5, 2, 709, -709, 709.78, -745.1, -746, 1e-300, 5e-324, 2 ** -28, 3.725290298461914e-9, 0.3465735912322998, 1.0397205352783203, 708.9999999999999];
  for (const t of [...xs]) if (Number.isFinite(t)) for (const d of [1 - 2 ** -52, 1 + 2 ** -52]) xs.push(t * d, -t * d);
  for (let k = -60; k <= 9; k++) xs.push(2 ** k, -(2 ** k), 2 ** k * (1 + 2 ** -52));
  for (let i = -8000; i <= 8000; i++) xs.push(i / 100, i / 11 + 1e-3);
  let s = 12345;
  for (let i = 0; i < 20000; i++) {
    s = (s * 16807) % 2147483647;
    xs.push((s / 2147483647 - 0.5) * 2 * 10 ** (((i % 13) - 6) / 2) * (i % 3 === 0 ? 100 : 1));
  }
  return xs;
}

test('expInto: the bits of exp(a·x − b) at every argument tried, for a = 1, 2 and shifts of either sign', () => {
  const x = Float64Array.from(argumentsToTry());
  const out = new Float64Array(x.length);
  for (const [a, b] of [[1, 0], [2, 0], [1, 3.5], [1, -700], [2, 1e-3]]) {
    expInto(out, x, a, b);
    for (let i = 0; i < x.length; i++) assert.ok(Object.is(out[i], exp(a * x[i] - b)), `exp(${a}·${x[i]} − ${b}): ${out[i]}, exp gives ${exp(a * x[i] - b)}`);
  }
  expInto(x, x, 1, 0); // in place
  const again = Float64Array.from(argumentsToTry());
  for (let i = 0; i < x.length; i++) assert.ok(Object.is(x[i], exp(again[i])));
});

test('sumExp: the bits of Σ exp(x_i − b) added in order, over a range', () => {
  const x = Float64Array.from(argumentsToTry().filter((v) => Number.isFinite(v) && v < 700));
  for (const b of [0, 12.5, -3]) {
    let want = 0;
    for (let i = 10; i < x.length - 5; i++) want += exp(x[i] - b);
    assert.ok(Object.is(sumExp(x, b, 10, x.length - 5), want), `shift ${b}`);
  }
  assert.equal(sumExp([], 0), 0);
});
