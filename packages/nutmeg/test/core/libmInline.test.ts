// The inline templates of core/libm/inline.ts give exactly the bits of the functions they stand for (exp, log1p, softplus, logistic), on every path.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exp, log1p } from '../../src/core/libm/index.js';
import { LIBM_INLINE_SCOPE, inlineExp, inlineExpit, inlineLog1p, inlineLog1pexp, type FreshName } from '../../src/core/libm/inline.js';
import { expit, log1pexp } from '../../src/math/special.js';
import { libmArguments } from '../helpers/libmArguments.js';

/** A function of x compiled from a template, with the scope generated code gives it. */
function compileTemplate(template: (out: string, x: string, fresh: FreshName) => string): (x: number) => number {
  let n = 0;
  const body = `let out = 0; ${template('out', 'x', () => String(n++))} return out;`;
  const make = new Function('exp', 'log1p', 'libmPow2', 'libmWords', 'libmWordsHigh', `return function (x) { ${body} };`) as (...a: unknown[]) => (x: number) => number;
  return make(exp, log1p, LIBM_INLINE_SCOPE.libmPow2, LIBM_INLINE_SCOPE.libmWords, LIBM_INLINE_SCOPE.libmWordsHigh);
}

/** The arguments tried (the thresholds of exp, log1p, softplus and the logistic function; helpers/libmArguments.ts adds the rest). */
const argumentsToTry = (): number[] => libmArguments([18, -18, 33.3, -37, 709, -709, 709.78, -745.1, 2 ** 53, 2 ** 53 - 1, 2 ** -29, 2 ** -28, 0.41421350836753845, 0.3465735912322998, 1.0397205352783203]);

const CASES = [
  ['exp', inlineExp, exp],
  ['log1p', inlineLog1p, log1p],
  ['log1pexp', inlineLog1pexp, log1pexp],
  ['expit', inlineExpit, expit],
] as const;

for (const [name, template, reference] of CASES) {
  test(`inline ${name}: the same bits as ${name} at every argument tried`, () => {
    const f = compileTemplate(template);
    const xs = argumentsToTry();
    for (const x of xs) {
      const got = f(x);
      const want = reference(x);
      assert.ok(Object.is(got, want), `inline ${name}(${x}) = ${got}, ${name} gives ${want}`);
    }
  });
}

test('inline templates nest without shadowing (softplus of an expression that is itself inlined)', () => {
  let n = 0;
  const fresh = (): string => String(n++);
  const body = `let a = 0; ${inlineExp('a', 'x', fresh)} let b = 0; ${inlineLog1pexp('b', 'a', fresh)} let c = 0; ${inlineExpit('c', 'b', fresh)} return c;`;
  const f = new Function('exp', 'log1p', 'libmPow2', 'libmWords', 'libmWordsHigh', `return function (x) { ${body} };`)(exp, log1p, LIBM_INLINE_SCOPE.libmPow2, LIBM_INLINE_SCOPE.libmWords, LIBM_INLINE_SCOPE.libmWordsHigh) as (x: number) => number;
  for (const x of [-3, -0.5, 0, 0.25, 2]) assert.ok(Object.is(f(x), expit(log1pexp(exp(x)))));
});
