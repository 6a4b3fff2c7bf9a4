// expInto and sumExp (core/libm/expArray.ts) give exactly the bits of exp term by term, on every path of exp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exp, expInto, sumExp } from '../../src/core/libm/index.js';
import { libmArguments } from '../helpers/libmArguments.js';

/** The arguments tried (exp's thresholds: overflow, underflow, tiny arguments and the reduction's bounds; helpers/libmArguments.ts adds the rest). */
const argumentsToTry = (): number[] => libmArguments([709, -709, 709.78, -745.1, -746, 2 ** -28, 3.725290298461914e-9, 0.3465735912322998, 1.0397205352783203, 708.9999999999999]);

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
