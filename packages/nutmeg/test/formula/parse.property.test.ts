// Property tests of the parser (fast-check): random trees round-trip through the printer; random text fails only with FormulaSyntaxError.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import fc from 'fast-check';
import type { ArithNode, FormulaNode, NameNode, TermNode } from '../../src/formula/ast.js';
import { parseFormula } from '../../src/formula/parse.js';
import { printFormula } from '../../src/formula/print.js';
import { FormulaSyntaxError } from '../../src/formula/syntaxError.js';

const SPAN = { start: 0, end: 0 };
const FUNCTIONS = ['log', 'log2', 'log10', 'log1p', 'exp', 'sqrt', 'abs', 'scale', 'I'] as const;

const name: fc.Arbitrary<NameNode> = fc
  .oneof(fc.constantFrom('x', 'y', 'g', 'log', 'I', 'a.b', '.z', 'x_1', 'if', 'trials'), fc.string({ maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 4 }))
  .map((n) => ({ kind: 'name', name: n, quoted: false, span: SPAN }));

const number: fc.Arbitrary<ArithNode> = fc
  .tuple(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 4 }))
  .map(([m, d]) => ({ kind: 'number', value: m / 10 ** d, span: SPAN }));

const { arith } = fc.letrec<{ arith: ArithNode }>((tie) => ({
  arith: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    name,
    number,
    fc.record({ kind: fc.constant('call' as const), fn: fc.constantFrom(...FUNCTIONS), args: tie('arith').map((a) => [a]), span: fc.constant(SPAN) }),
    fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom('+', '-', '*', '/', '^' as const), left: tie('arith'), right: tie('arith'), span: fc.constant(SPAN) }),
    fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom('+', '-' as const), operand: tie('arith'), span: fc.constant(SPAN) }),
  ),
}));

const call = fc.record({ kind: fc.constant('call' as const), fn: fc.constantFrom(...FUNCTIONS), args: arith.map((a) => [a]), span: fc.constant(SPAN) });
const value = fc.oneof(name, call);

const { term } = fc.letrec<{ term: TermNode }>((tie) => {
  const binary = (kind: 'add' | 'remove' | 'cross' | 'nest' | 'interaction') =>
    fc.record({ kind: fc.constant(kind), left: tie('term'), right: tie('term'), span: fc.constant(SPAN) });
  return {
    term: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      value.map((v) => ({ kind: 'variable' as const, value: v, span: SPAN })),
      fc.boolean().map((present) => ({ kind: 'intercept' as const, present, span: SPAN })),
      arith.map((a) => ({ kind: 'offset' as const, value: a, span: SPAN })),
      binary('add'),
      binary('remove'),
      fc.record({ kind: fc.constant('remove' as const), left: fc.constant(null), right: tie('term'), span: fc.constant(SPAN) }),
      binary('cross'),
      binary('nest'),
      binary('interaction'),
      fc.record({ kind: fc.constant('power' as const), base: tie('term'), exponent: fc.integer({ min: 1, max: 3 }), span: fc.constant(SPAN) }),
      fc.record({
        kind: fc.constant('group' as const),
        terms: tie('term'),
        correlated: fc.boolean(),
        group: fc.array(fc.array(name, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }).map((nesting) => ({ nesting, span: SPAN })),
        span: fc.constant(SPAN),
      }),
    ),
  };
});

const formula: fc.Arbitrary<FormulaNode> = fc.record({
  kind: fc.constant('formula' as const),
  response: fc.option(fc.record({
    kind: fc.constant('response' as const),
    value,
    additions: fc.array(arith.map((arg) => ({ kind: 'addition' as const, fn: 'trials' as const, arg, span: SPAN })), { maxLength: 2 }),
    span: fc.constant(SPAN),
  })),
  rhs: term,
  span: fc.constant(SPAN),
});

/** The tree without spans, `quoted` flags and parentheses: what printing and parsing must preserve. */
function normalise(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalise);
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  if (record.kind === 'paren') return normalise(record.inner);
  return Object.fromEntries(Object.entries(record).filter(([k]) => k !== 'span' && k !== 'quoted').map(([k, v]) => [k, normalise(v)]));
}

test('random formula trees print to text that parses back to the same tree', () => {
  fc.assert(
    fc.property(formula, (f) => {
      const text = printFormula(f);
      assert.deepEqual(normalise(parseFormula(text)), normalise(f), text);
    }),
    { numRuns: 400, seed: 20261206 },
  );
});

/** Text that fails must fail with a FormulaSyntaxError whose position lies inside the text. */
function parsesOrFailsCleanly(text: string): void {
  try {
    parseFormula(text);
  } catch (e) {
    if (!(e instanceof FormulaSyntaxError)) throw e;
    assert.ok(e.offset >= 0 && e.offset <= text.length, `offset ${e.offset} outside ${text.length}`);
    assert.equal(e.format().split('\n').length, 3);
  }
}

test('random text from the formula alphabet never fails with anything but FormulaSyntaxError', () => {
  const unit = fc.constantFrom('y', 'x', 'g', '~', '+', '-', '*', '/', ':', '^', '|', '(', ')', '0', '1', '2', '.', ' ', '`', '\\', ',', 'log', 'I', 'trials', 'offset', '\n', '\u2028', '"');
  fc.assert(fc.property(fc.string({ unit, maxLength: 30 }), parsesOrFailsCleanly), { numRuns: 2000, seed: 7 });
});

test('arbitrary Unicode text and mutated valid formulas fail only with FormulaSyntaxError', () => {
  fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 40 }), parsesOrFailsCleanly), { numRuns: 500, seed: 11 });
  const mutated = fc.tuple(formula.map(printFormula), fc.nat(), fc.nat(), fc.string({ maxLength: 2 })).map(([text, at, length, insert]) => {
    const i = at % (text.length + 1);
    return text.slice(0, i) + insert + text.slice(i + (length % 3));
  });
  fc.assert(fc.property(mutated, parsesOrFailsCleanly), { numRuns: 500, seed: 13 });
});
