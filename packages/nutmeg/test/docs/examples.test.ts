// Every @example in the library's TSDoc, and the README's TypeScript, type-checks as a user's module importing `nutmeg`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkExamples, readmeBlocks, tsdocExamples } from './docExamples.js';

test('the TSDoc examples are found, fenced or not', () => {
  const examples = tsdocExamples();
  assert.ok(examples.length >= 100, `only ${examples.length} examples`);
  const model = examples.find((e) => e.where.startsWith('packages/nutmeg/src/model/model.ts'));
  assert.ok(model?.code.includes("import { Model, Normal, HalfCauchy } from 'nutmeg';"), 'the Model example, without its comment stars');
  const hdi = examples.find((e) => e.where.startsWith('packages/nutmeg/src/diagnostics/hdi.ts'));
  assert.equal(hdi?.code.trim(), 'hdi([[1, 2, 3, 4, 100]], 0.5); // [1, 3]', 'an unfenced example ends at the blank line');
});

test('every @example in src/ compiles against the public entry points', () => {
  const errors = checkExamples(tsdocExamples());
  assert.deepEqual(errors.map((e) => `${e.where}: ${e.message}`), []);
});

test("the README's TypeScript compiles as one script", () => {
  const blocks = readmeBlocks();
  assert.ok(blocks.length >= 5, `only ${blocks.length} ts blocks in README.md`);
  const errors = checkExamples([{ where: 'README.md:1', code: blocks.map((b) => b.code).join('\n') }]);
  assert.deepEqual(errors.map((e) => `${e.where}: ${e.message}`), []);
});

test('the check fails on a broken example, naming its line', () => {
  const errors = checkExamples([
    { where: 'src/fake.ts:10', code: "import { Model, Normal } from 'nutmeg';\nconst m = new Model();\nm.rv('x', Normal({ mu: 0, sd: 1 }));" },
    { where: 'src/fake.ts:20', code: 'rhat([[1, 2, 3]]);\nnotAFunction(1);' },
  ]);
  assert.equal(errors.length, 2, JSON.stringify(errors));
  assert.equal(errors[0].where, 'src/fake.ts:12');
  assert.match(errors[0].message, /sd/);
  assert.equal(errors[1].where, 'src/fake.ts:21', 'rhat was imported automatically; the unknown name is reported on its own line');
  assert.match(errors[1].message, /notAFunction/);
});
