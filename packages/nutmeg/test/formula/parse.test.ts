// parseFormula: every construct, spans, and syntax errors with their positions, expected tokens and caret display.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { InputError, OptionError } from '../../src/core/errors.js';
import { parseFormula } from '../../src/formula/parse.js';
import { printFormula } from '../../src/formula/print.js';
import { FormulaSyntaxError } from '../../src/formula/syntaxError.js';

/** Parse then print: the canonical text shows the tree's structure. */
const canonical = (text: string) => printFormula(parseFormula(text));

test('every construct parses and prints back canonically', () => {
  const cases: [string, string][] = [
    ['y~x', 'y ~ x'],
    ['y ~ a + b:c + a*b', 'y ~ a + b:c + a * b'],
    ['y ~ 0 + x', 'y ~ 0 + x'],
    ['y ~ x - 1', 'y ~ x - 1'],
    ['y ~ -1 + x', 'y ~ -1 + x'],
    ['y ~ 1 + x', 'y ~ 1 + x'],
    ['y ~ log(x) + exp(x) + sqrt(x) + scale(x)', 'y ~ log(x) + exp(x) + sqrt(x) + scale(x)'],
    ['y ~ I(x^2) + I((x+1)/2 - 3*z) + I(-x^-2)', 'y ~ I(x^2) + I((x + 1)/2 - 3 * z) + I(-x^-2)'],
    ['y ~ x + offset(log(t))', 'y ~ x + offset(log(t))'],
    ['y ~ (1|g)', 'y ~ (1 | g)'],
    ['y ~ (1 + x | g)', 'y ~ (1 + x | g)'],
    ['y ~ (x || g)', 'y ~ (x || g)'],
    ['y ~ (0 + x | g)', 'y ~ (0 + x | g)'],
    ['y ~ (1 | g1:g2)', 'y ~ (1 | g1:g2)'],
    ['y ~ (1 | g1/g2)', 'y ~ (1 | g1/g2)'],
    ['successes | trials(n) ~ x', 'successes | trials(n) ~ x'],
    ['s | trials(10) ~ x', 's | trials(10) ~ x'],
    ['y ~ `my var` + `a\\`b`', 'y ~ `my var` + `a\\`b`'],
    ['y ~ (a + b)^2 + a/b', 'y ~ (a + b)^2 + a / b'],
    ['log(y) ~ x', 'log(y) ~ x'],
    ['~ x', '~ x'],
    ['y ~\n  x +\t(1 | g)', 'y ~ x + (1 | g)'],
    ['y ~ .x + x.y_z + x1', 'y ~ .x + x.y_z + x1'],
  ];
  for (const [input, expected] of cases) assert.equal(canonical(input), expected, input);
});

test('nodes carry their source spans', () => {
  const f = parseFormula('y ~ log(x) + (1 | g)');
  assert.deepEqual(f.span, { start: 0, end: 20 });
  assert.equal(f.rhs.kind, 'add');
  if (f.rhs.kind !== 'add') return;
  assert.deepEqual(f.rhs.left.span, { start: 4, end: 10 });
  assert.deepEqual(f.rhs.right.span, { start: 13, end: 20 });
  assert.equal(f.rhs.right.kind, 'group');
  if (f.rhs.right.kind === 'group') assert.deepEqual(f.rhs.right.group.nesting[0][0].span, { start: 18, end: 19 });
});

test('precedence as R: `:` binds tighter than `*`, `*` tighter than `+`; `-x^2` is -(x^2) inside I()', () => {
  const f = parseFormula('y ~ a + b*c:d');
  assert.equal(f.rhs.kind, 'add');
  if (f.rhs.kind === 'add') {
    assert.equal(f.rhs.right.kind, 'cross');
    if (f.rhs.right.kind === 'cross') assert.equal(f.rhs.right.right.kind, 'interaction');
  }
  const g = parseFormula('y ~ I(-x^2)');
  assert.ok(g.rhs.kind === 'variable' && g.rhs.value.kind === 'call');
  if (g.rhs.kind === 'variable' && g.rhs.value.kind === 'call') assert.equal(g.rhs.value.args[0].kind, 'unary');
});

/** [formula, line, column, message pattern, caret line]. */
const BAD: [string, number, number, RegExp, string][] = [
  ['y ~ x +', 1, 8, /expected "\(", 0 or 1, a column name or a function call but found the end of the formula/, '         ^'],
  ['y ~ foo(x)', 1, 5, /unknown function "foo"/, '      ^'],
  ['y ~ 2 + x', 1, 5, /must be 0 or 1/, '      ^'],
  ['y ~ (a + b', 1, 11, /expected .*"\)".*"\|".* but found the end of the formula/, '            ^'],
  ['y ~ x | g', 1, 7, /expected .*"\+".* or the end of the formula but found "\|"/, '        ^'],
  ['y ~ (x | 1)', 1, 10, /expected a grouping factor but found "1"/, '           ^'],
  ['y x', 1, 3, /expected .*"~" but found "x"/, '    ^'],
  ['y ~ log(x, 2)', 1, 5, /log\(\) takes one argument, got 2/, '      ^'],
  ['y | weights(w) ~ x', 1, 5, /unknown addition term "weights"/, '      ^'],
  ['y ~ x\n  + * z', 2, 5, /line 2, column 5: expected/, '      ^'],
  ['y ~ `unclosed', 1, 14, /a backquoted name is not closed/, '               ^'],
  ['', 1, 1, /expected .*"~"/, '  ^'],
  ['y ~ (x)^0', 1, 9, /expected a whole number/, '          ^'],
];

for (const [text, line, column, pattern, caret] of BAD) {
  test(`syntax error in ${JSON.stringify(text)}: position, expected words and caret`, () => {
    assert.throws(() => parseFormula(text), (e: unknown) => {
      assert.ok(e instanceof FormulaSyntaxError, `not a FormulaSyntaxError: ${String(e)}`);
      assert.ok(e instanceof InputError);
      assert.equal(e.line, line, e.message);
      assert.equal(e.column, column, e.message);
      assert.match(e.message, pattern);
      const shown = e.format().split('\n');
      assert.equal(shown[0], e.message);
      assert.equal(shown[1], `  ${text.split('\n')[line - 1]}`);
      assert.equal(shown[2], caret);
      return true;
    });
  });
}

test('the caret display keeps hostile text inert and aligned (control characters and U+2028 as ?)', () => {
  const text = 'y ~ `a\u2028b` + \u0007';
  assert.throws(() => parseFormula(text), (e: unknown) => {
    assert.ok(e instanceof FormulaSyntaxError);
    const [, line, caret] = e.format().split('\n');
    assert.equal(line, '  y ~ `a?b` + ?');
    assert.equal(caret.indexOf('^'), line.lastIndexOf('?'));
    return true;
  });
});

test('a formula over the length limit is a FormulaSyntaxError, not a hang', () => {
  assert.throws(() => parseFormula('y ~ ' + 'x + '.repeat(30_000) + 'x'), FormulaSyntaxError);
});

test('a non-string is an OptionError naming the formula argument (it was a TypeError, like the other raw TypeErrors of the root API)', () => {
  assert.throws(() => parseFormula(42 as unknown as string), (e: unknown) => e instanceof OptionError && e.option === 'formula' && /parseFormula: formula must be a string such as 'y ~ x \+ \(1 \| g\)', got 42/.test(e.message));
});
