// designFromFormula against brms 2.18's make_standata on a small table (fixtures/formula/brms-designs.json, made by make-brms-designs.R).
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { designFromFormula } from '../../src/formula/design.js';
import type { DataTable } from '../../src/formula/table.js';

interface BrmsGroup { group: string; correlated: boolean; coefs: string[]; levels: string[]; J: number[]; Z: number[][] }
interface BrmsCase {
  formula: string; categorical: string[]; X_names: string[]; X_columns: number[][]; Y: number[];
  groups: BrmsGroup[]; trials?: number[]; offsets?: number[];
}
const fixture = JSON.parse(readFileSync(new URL('../fixtures/formula/brms-designs.json', import.meta.url), 'utf8')) as { data: DataTable; cases: BrmsCase[] };

function assertClose(actual: ArrayLike<number>, expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Math.abs(actual[i] - expected[i]) <= 1e-12 * Math.max(1, Math.abs(expected[i])), `${what}[${i}]: ${actual[i]} vs brms ${expected[i]}`);
  }
}

for (const c of fixture.cases) {
  test(`brms design of ${c.formula}`, () => {
    const d = designFromFormula(c.formula, fixture.data, { categorical: c.categorical });
    const intercept = c.X_names[0] === 'Intercept';
    assert.equal(d.population.intercept, intercept);
    const xNames = c.X_names.slice(intercept ? 1 : 0);
    assert.deepEqual(d.population.columns.map((col) => col.name), xNames);
    d.population.columns.forEach((col, j) => assertClose(col.values, c.X_columns[j + (intercept ? 1 : 0)], col.name));
    assertClose(d.response!.values, c.Y, 'Y');
    if (c.trials) assertClose(d.trials!, c.trials, 'trials');
    if (c.offsets) assertClose(d.offset!, c.offsets, 'offsets');
    assert.equal(d.groups.length, c.groups.length);
    d.groups.forEach((g, k) => {
      const ref = c.groups[k];
      assert.equal(g.group, ref.group);
      assert.equal(g.correlated, ref.correlated);
      assert.deepEqual(g.levels, ref.levels);
      assert.deepEqual([...g.index].map((i) => i + 1), ref.J, `${g.group}: level index`);
      assert.deepEqual(g.columns.map((col) => col.name), ref.coefs);
      g.columns.forEach((col, j) => assertClose(col.values, ref.Z[j], `${g.group} ${col.name}`));
    });
  });
}

test('the centring means are the column means of the non-intercept design (brms means_X)', () => {
  const c = fixture.cases[0];
  const d = designFromFormula(c.formula, fixture.data);
  d.population.columns.forEach((col, j) => {
    const ref = c.X_columns[j + 1];
    assert.ok(Math.abs(d.population.means[j] - ref.reduce((s, v) => s + v, 0) / ref.length) < 1e-12, col.name);
  });
});
