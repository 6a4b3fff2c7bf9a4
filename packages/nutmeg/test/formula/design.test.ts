// designFromFormula on small tables: interactions, level order, missing values, unknown columns, new data, hostile names.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors.js';
import { designFromFormula } from '../../src/formula/design.js';
import { compareCodePoints } from '../../src/formula/factor.js';
import { FormulaSyntaxError } from '../../src/formula/syntaxError.js';

const TABLE = {
  y: [1, 2, 3, 4, 5, 6],
  x: [0.5, 1, 1.5, 2, 2.5, 3],
  g: ['b', 'a', 'c', 'a', 'b', 'c'],
  site: ['s2', 's1', 's2', 's1', 's3', 's3'],
};
const names = (d: ReturnType<typeof designFromFormula>) => d.population.columns.map((c) => c.name);

test('categorical × numeric interaction: treatment coding against the first level, products of columns', () => {
  const d = designFromFormula('y ~ g * x', TABLE);
  assert.deepEqual(names(d), ['gb', 'gc', 'x', 'gb:x', 'gc:x']);
  assert.deepEqual([...d.population.columns[0].values], [1, 0, 0, 0, 1, 0]);
  assert.deepEqual([...d.population.columns[3].values], [0.5, 0, 0, 0, 2.5, 0]);
  assert.deepEqual([...d.population.columns[4].values], [0, 0, 1.5, 0, 0, 3]);
  assert.equal(d.population.columns[3].rName, 'gb:x');
  assert.deepEqual([...d.population.means], [2 / 6, 2 / 6, 1.75, 3 / 6, 4.5 / 6]);
});

test('group levels, 0-based index and the nested g:site factor labelled with _', () => {
  const d = designFromFormula('y ~ 1 + (1 + x | g) + (1 | g/site)', TABLE);
  assert.deepEqual(d.groups.map((g) => g.group), ['g', 'g', 'g:site']);
  assert.deepEqual(d.groups[0].levels, ['a', 'b', 'c']);
  assert.deepEqual([...d.groups[0].index], [1, 0, 2, 0, 1, 2]);
  assert.deepEqual(d.groups[0].columns.map((c) => c.name), ['Intercept', 'x']);
  assert.deepEqual(d.groups[2].levels, ['a_s1', 'b_s2', 'b_s3', 'c_s2', 'c_s3']);
  assert.deepEqual([...d.groups[2].index], [1, 0, 3, 0, 2, 4]);
});

test('levels: strings by code point (R in the C locale); numbers declared categorical in numeric order', () => {
  const d = designFromFormula('y ~ k + h', { y: [1, 2, 3, 4], k: [10, 2, 33, 2], h: ['b', 'B', 'a', '\u{1F600}'] }, { categorical: ['k'] });
  assert.deepEqual(names(d), ['k10', 'k33', 'ha', 'hb', 'h\u{1F600}']);
  assert.equal(d.encoding.levels.get('h')?.[0], 'B');
  // U+FF5E sorts before U+1F600 by code point, after it by UTF-16 code unit.
  assert.deepEqual(['\u{1F600}', '\uFF5E'].sort(compareCodePoints), ['\uFF5E', '\u{1F600}']);
});

test('scale() centres and divides by the n − 1 sd, as R', () => {
  const d = designFromFormula('y ~ scale(x)', TABLE);
  const v = d.population.columns[0].values;
  const sd = Math.sqrt([...TABLE.x].reduce((s, x) => s + (x - 1.75) ** 2, 0) / 5);
  assert.ok(Math.abs(v[0] - (0.5 - 1.75) / sd) < 1e-15);
  assert.equal(d.population.columns[0].name, 'scalex');
  assert.deepEqual(d.encoding.scales.get('scale(x)'), { center: 1.75, scale: sd });
});

test('missing values: an error naming the row and column, or dropped and counted with dropMissing', () => {
  const t = { ...TABLE, x: [0.5, null, 1.5, NaN, 2.5, 3], g: ['b', 'a', '', 'a', 'b', 'c'] };
  assert.throws(() => designFromFormula('y ~ x + g', t), (e: unknown) => e instanceof InputError && /column "x" at data row 2/.test(e.message));
  const d = designFromFormula('y ~ x + g', t, { dropMissing: true });
  assert.equal(d.droppedRows, 3);
  assert.deepEqual([...d.rows], [0, 4, 5]);
  assert.deepEqual([...d.response!.values], [1, 5, 6]);
  assert.deepEqual(names(d), ['x', 'gc'], 'levels come from the kept rows');
  assert.throws(() => designFromFormula('y ~ x', { y: [1, 2], x: [null, NaN] }, { dropMissing: true }), /no rows to fit \(all 2 rows have a missing value\)/);
});

test('unknown columns: an error naming the column and listing similar ones', () => {
  assert.throws(() => designFromFormula('y ~ X + (1 | sites)', TABLE), (e: unknown) => e instanceof InputError && /unknown column "X".*similar: "x"/.test(e.message));
  assert.throws(() => designFromFormula('y ~ x + (1 | sites)', TABLE), /unknown column "sites".*similar: "site"/);
  assert.throws(() => designFromFormula('y ~ x', TABLE, { categorical: ['gg'] }), /unknown column "gg"/);
  assert.throws(() => designFromFormula('y ~ constructor + `__proto__`', TABLE), /unknown column "constructor"/);
});

test('non-finite transforms, text in arithmetic, mixed columns, syntax errors: clear errors', () => {
  assert.throws(() => designFromFormula('y ~ log(x - 1)', TABLE), /predictor "log\(x - 1\)" is NaN at data row 1/);
  assert.throws(() => designFromFormula('y ~ log(g)', TABLE), /column "g" is categorical/);
  assert.throws(() => designFromFormula('g ~ x', TABLE), /column "g" is categorical/);
  assert.throws(() => designFromFormula('y ~ m', { y: [1, 2], m: [1, 'a'] }), /mixes numbers and strings/);
  assert.throws(() => designFromFormula('y ~ x +', TABLE), FormulaSyntaxError);
  assert.throws(() => designFromFormula('y ~ x', { y: [1, 2], x: [1] }), /column "y" has 2 rows, column "x" has 1/);
  assert.throws(() => designFromFormula('y ~ `__proto__`', { y: [1, 2] }), /unknown column "__proto__"/);
});

test('trials and offsets; no intercept gives full indicator coding of the first factor', () => {
  const d = designFromFormula('y | trials(10) ~ 0 + g + offset(log(x)) + offset(x)', TABLE);
  assert.deepEqual([...d.trials!], [10, 10, 10, 10, 10, 10]);
  assert.ok(Math.abs(d.offset![0] - (Math.log(0.5) + 0.5)) < 1e-15);
  assert.equal(d.population.intercept, false);
  assert.deepEqual(names(d), ['ga', 'gb', 'gc']);
});

test('new data with the encoding of the fitted design: same levels and scale, new group levels get −1', () => {
  const fitted = designFromFormula('y ~ g + scale(x) + (1 | site)', TABLE);
  const fresh = { y: [0, 0], x: [1.75, 3], g: ['c', 'a'], site: ['s9', 's2'] };
  const d = designFromFormula('y ~ g + scale(x) + (1 | site)', fresh, { encoding: fitted.encoding });
  assert.deepEqual(names(d), ['gb', 'gc', 'scalex']);
  assert.deepEqual([...d.population.columns[1].values], [1, 0]);
  assert.equal(d.population.columns[2].values[0], 0, 'centred with the fitted mean');
  assert.deepEqual(d.groups[0].levels, ['s1', 's2', 's3']);
  assert.deepEqual([...d.groups[0].index], [-1, 1]);
  assert.throws(() => designFromFormula('y ~ g', { y: [0], g: ['z'] }, { encoding: fitted.encoding }), /level "z" was not in the data/);
});

test('hostile column names and levels stay plain data, with brms renaming where R would', () => {
  const hostile = ['"; alert(1); //', '</script><script>x()</script>', 'a\\b{c}', 'line\u2028sep', 'x'.repeat(5000)];
  const table: Record<string, (number | string)[]> = { y: [1, 2, 3] };
  hostile.forEach((n, i) => (table[n] = [i, i + 1, i + 3]));
  table.lvl = hostile.slice(0, 3);
  const formula = `y ~ ${hostile.map((n) => '`' + n.replace(/[\\`]/g, (c) => '\\' + c) + '`').join(' + ')} + lvl + (1 | lvl)`;
  const d = designFromFormula(formula, table);
  assert.equal(d.population.columns.length, hostile.length + 2);
  assert.equal(d.population.columns[0].rName, '`"; alert(1); //`');
  assert.equal(d.population.columns[0].name, '`;alert1;DD`');
  assert.equal(d.population.columns[1].name, '`<Dscript><script>x<Dscript>`');
  assert.equal(d.population.columns[2].rName, '`a\\\\b{c}`', 'backslashes escaped as R deparses them');
  assert.equal(d.population.columns[4].name, 'x'.repeat(5000));
  assert.deepEqual(d.groups[0].levels, [...hostile.slice(0, 3)].sort(compareCodePoints));
});
