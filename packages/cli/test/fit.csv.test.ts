// The CSV reader of `nutmeg fit`: a type per column, missing cells, BOM, unnamed columns, file line numbers.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { parseCsvTable } from '../src/fit/csvTable.js';

test('numeric when every non-missing cell is a decimal number; otherwise text; empty, blank and NA are missing', () => {
  const t = parseCsvTable('\ufeff,n,s,mixed,hex\n1,1.5,a,1,0x10\n2,NA,b,x,1\n3, ,NA,2,2\n4,-2e3,"c, d",3,3\n', 'f.csv');
  assert.deepEqual(t.columns, ['...1', 'n', 's', 'mixed', 'hex']);
  assert.deepEqual([...t.numeric].sort(), ['...1', 'n']);
  assert.deepEqual(Array.from(t.table.n), [1.5, null, null, -2000]);
  assert.deepEqual(Array.from(t.table.s), ['a', 'b', null, 'c, d']);
  assert.deepEqual(Array.from(t.table.mixed), ['1', 'x', '2', '3']);
  assert.deepEqual(Array.from(t.table.hex), ['0x10', '1', '2', '3'], 'no hex numbers, as R');
  assert.deepEqual(t.records[3], ['4', '-2e3', 'c, d', '3', '3'], 'raw cells kept for writing back');
});

test('line numbers are the file lines of the rows (header on line 1, blank lines skipped)', () => {
  const t = parseCsvTable('y,x\n1,2\n\n3,4\n5,6\n', 'f.csv');
  assert.deepEqual(t.lines, [2, 4, 5]);
});

test('a column named __proto__ is an ordinary column', () => {
  const t = parseCsvTable('__proto__,y\n1,2\n', 'f.csv');
  assert.ok(Object.hasOwn(t.table, '__proto__'));
  assert.deepEqual(Array.from(t.table.__proto__ as ArrayLike<number>), [1]);
});
