// nutmeg's own elementary functions (core/libm): within 1 ulp of the exact values (mpmath, 200 bits), JavaScript's special values, and fdlibm's bits (Node 20's Math).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cos, cosh, exp, expm1, log, log1p, pow, sin, tanh } from '../../src/core/libm/index.js';

interface Reference {
  readonly cases: Record<string, string[][]>;
}
const REFERENCE = JSON.parse(readFileSync(new URL('../fixtures/libm/libm_reference.json', import.meta.url), 'utf8')) as Reference;

/** Distance between `a` and the exact value's nearest double `b`, in units of b's last place. */
function ulps(a: number, b: number): number {
  if (Object.is(a, b)) return 0;
  const ulp = b === 0 ? Number.MIN_VALUE : Math.max(2 ** (Math.floor(Math.log2(Math.abs(b))) - 52), Number.MIN_VALUE);
  return Math.abs(a - b) / ulp;
}

const UNARY = { exp, log, log1p, expm1, sin, cos, tanh, cosh } as const;

for (const [name, f] of Object.entries(UNARY)) {
  test(`${name}: within 1 ulp of the exact value at ${REFERENCE.cases[name].length} arguments, and correctly rounded at 80% or more (fdlibm's 85–96%)`, () => {
    let worst = 0;
    let exact = 0;
    for (const [x, nearest] of REFERENCE.cases[name]) {
      const e = ulps(f(Number(x)), Number(nearest));
      worst = Math.max(worst, e);
      if (e === 0) exact++;
      assert.ok(e <= 1, `${name}(${x}) = ${f(Number(x))}, exact value rounds to ${nearest} (${e} ulp)`);
    }
    assert.ok(exact / REFERENCE.cases[name].length >= 0.8, `${name}: ${exact} of ${REFERENCE.cases[name].length} correctly rounded (worst ${worst} ulp)`);
  });
}

test(`pow: within 1 ulp of the exact value at ${REFERENCE.cases.pow.length} argument pairs`, () => {
  let exact = 0;
  for (const [x, y, nearest] of REFERENCE.cases.pow) {
    const e = ulps(pow(Number(x), Number(y)), Number(nearest));
    if (e === 0) exact++;
    assert.ok(e <= 1, `pow(${x}, ${y}) = ${pow(Number(x), Number(y))}, exact value rounds to ${nearest} (${e} ulp)`);
  }
  assert.ok(exact / REFERENCE.cases.pow.length >= 0.8, `pow: ${exact} of ${REFERENCE.cases.pow.length} correctly rounded`);
});

test('special values are JavaScript\'s (those of Math)', () => {
  const specials = [0, -0, 1, -1, 0.5, -0.5, 2, -2, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MIN_VALUE, 1e-310, Number.MAX_VALUE, -Number.MAX_VALUE, 710, -710, 746, -746, 2 ** 53, -(2 ** 53)];
  const pairs: [string, (x: number) => number, (x: number) => number][] = [
    ['exp', exp, Math.exp], ['log', log, Math.log], ['log1p', log1p, Math.log1p], ['expm1', expm1, Math.expm1],
    ['sin', sin, Math.sin], ['cos', cos, Math.cos], ['tanh', tanh, Math.tanh], ['cosh', cosh, Math.cosh],
  ];
  for (const [name, mine, engine] of pairs) {
    for (const x of specials) {
      const [a, b] = [mine(x), engine(x)];
      // Finite results of ordinary arguments are checked for accuracy above; here the class must match.
      if (Number.isFinite(a) && Number.isFinite(b) && a !== 0 && b !== 0) assert.ok(Math.abs(a - b) <= Math.abs(b) * 4e-16, `${name}(${x})`);
      else assert.ok(Object.is(a, b), `${name}(${x}): ${a}, Math gives ${b}`);
    }
  }
  for (const x of specials) {
    for (const y of specials) {
      const [a, b] = [pow(x, y), Math.pow(x, y)];
      if (Number.isFinite(a) && Number.isFinite(b) && a !== 0 && b !== 0) assert.ok(Math.abs(a - b) <= Math.abs(b) * 4e-16, `pow(${x}, ${y})`);
      else assert.ok(Object.is(a, b), `pow(${x}, ${y}): ${a}, Math.pow gives ${b}`);
    }
  }
});

/** Node 20's V8 (11.x) computes Math.exp, log, log1p, expm1, sin, cos, tanh and cosh with fdlibm, as nutmeg does. */
const V8_WITH_FDLIBM = /^11\./.test(process.versions.v8);

test('the same bits as fdlibm (Math in V8 11, Node 20) at 200,000 arguments per function', { skip: V8_WITH_FDLIBM ? false : `V8 ${process.versions.v8} has other Math functions` }, () => {
  let state = 12345;
  const uniform = (): number => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
  const ranges: [string, (x: number) => number, (x: number) => number, (u: number) => number][] = [
    ['exp', exp, Math.exp, (u) => (u - 0.5) * 1500],
    ['log', log, Math.log, (u) => 10 ** ((u - 0.5) * 600)],
    ['log1p', log1p, Math.log1p, (u) => (u - 0.5) * 4],
    ['expm1', expm1, Math.expm1, (u) => (u - 0.5) * 100],
    ['sin', sin, Math.sin, (u) => (u - 0.5) * 1.6e6],
    ['cos', cos, Math.cos, (u) => (u - 0.5) * 20],
    ['tanh', tanh, Math.tanh, (u) => (u - 0.5) * 50],
    ['cosh', cosh, Math.cosh, (u) => (u - 0.5) * 1500],
  ];
  for (const [name, mine, engine, arg] of ranges) {
    for (let i = 0; i < 200_000; i++) {
      const x = arg(uniform());
      if (!Object.is(mine(x), engine(x))) assert.fail(`${name}(${x}): ${mine(x)}, Math.${name} gives ${engine(x)}`);
    }
  }
});
