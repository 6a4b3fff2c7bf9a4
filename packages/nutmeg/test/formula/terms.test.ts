// expandFormula against R's terms() (fixtures/formula/brms-designs.json, made by make-brms-designs.R), and group-term expansion.
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parseFormula } from '../../src/formula/parse.js';
import { expandFormula } from '../../src/formula/terms.js';
import { InputError } from '../../src/core/errors.js';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/formula/brms-designs.json', import.meta.url), 'utf8')) as {
  terms: { formula: string; labels: string[]; intercept: boolean }[];
};
const expand = (text: string) => expandFormula(parseFormula(text));

for (const r of fixture.terms) {
  test(`terms of ${r.formula} as R's terms()`, () => {
    const e = expand(r.formula);
    assert.deepEqual(e.population.terms.map((t) => t.label), r.labels);
    assert.equal(e.population.intercept, r.intercept);
  });
}

test('group terms: / expands to g1 and g1:g2, || is uncorrelated, the lhs has its own intercept', () => {
  const e = expand('y ~ x + (1 + x || g1/g2) + (0 + x | g3) + (x | g4:g5)');
  assert.deepEqual(e.groupTerms.map((g) => [g.group, g.groupColumns, g.correlated, g.intercept, g.terms.map((t) => t.label)]), [
    ['g1', ['g1'], false, true, ['x']],
    ['g1:g2', ['g1', 'g2'], false, true, ['x']],
    ['g3', ['g3'], true, false, ['x']],
    ['g4:g5', ['g4', 'g5'], true, true, ['x']],
  ]);
  assert.deepEqual(e.population.terms.map((t) => t.label), ['x']);
});

test('three-level nesting (1 | a/b/c) gives a, a:b, a:b:c', () => {
  assert.deepEqual(expand('y ~ (1 | a/b/c)').groupTerms.map((g) => g.group), ['a', 'a:b', 'a:b:c']);
});

test('response, trials and offsets are collected; offsets are not predictors', () => {
  const e = expand('s | trials(n) ~ x + offset(log(t)) + offset(z)');
  assert.equal(e.response?.label, 's');
  assert.deepEqual(e.response?.trials, { kind: 'name', name: 'n', quoted: false, span: { start: 11, end: 12 } });
  assert.equal(e.offsets.length, 2);
  assert.deepEqual([...e.variables.keys()], ['x']);
});

test('group terms and offsets inside an interaction are errors with the position', () => {
  assert.throws(() => expand('y ~ x:(1 | g)'), (e: unknown) => e instanceof InputError && /group-level term/.test(e.message) && /characters 7–13/.test(e.message));
  assert.throws(() => expand('y ~ x*offset(t)'), /offset\(\) must be added/);
});

test('a variable written twice is one variable (by its R text); backquoted names are backquoted in labels', () => {
  const e = expand('y ~ `my var` + log(x) + `my var`:log(x)');
  assert.deepEqual(e.population.terms.map((t) => t.label), ['`my var`', 'log(x)', '`my var`:log(x)']);
});
