// log1pSum (core/libm/log1pSum.ts) gives exactly the bits of summing log1p term by term, on every path of log1p.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { log1p, log1pSum } from '../../src/core/libm/index.js';
import { libmArguments } from '../helpers/libmArguments.js';

/** The arguments tried (log1p's thresholds: 2^53 (1 + v rounds to v), 2^-29 (tiny), √2 − 1 and 1 − √2/2 (no reduction) and their neighbours; helpers/libmArguments.ts adds the rest). */
const argumentsToTry = (): number[] => libmArguments([2 ** 53, 2 ** 53 - 1, -(2 ** 53), 2 ** -29, -(2 ** -29), 2 ** -54, 0.41421350836753845, -0.2928932188134524, -0.29289321881345254, 0.4142135623730951]);

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
