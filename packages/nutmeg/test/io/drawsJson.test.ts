// The plain draws JSON format: elements gathered into variables, and errors naming file, variable and position.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors.js';
import { fromDrawsJson, toDrawsJson } from '../../src/io/index.js';
import { makeIdata } from './makeIdata.js';

test('scalars and alpha[0], alpha[1] elements are read into variables', () => {
  const text = JSON.stringify({
    mu: [[1, 2, 3], [4, 5, 6]],
    'alpha[1]': [[11, 12, 13], [14, 15, 16]],
    'alpha[0]': [[1, 2, 3], [4, 5, 6]],
  });
  const idata = fromDrawsJson(text, 'd.json');
  assert.equal(idata.nChains, 2);
  assert.equal(idata.nDraws, 3);
  const alpha = idata.groups.posterior!.vars.alpha;
  assert.deepEqual(alpha.shape, [2]);
  // row-major (chain, draw, element)
  assert.deepEqual([...alpha.values.slice(0, 4)], [1, 11, 2, 12]);
  assert.deepEqual(Object.keys(idata.groups.posterior!.vars), ['mu', 'alpha']);
});

test('null (how JSON writes NaN) is read as NaN', () => {
  const idata = fromDrawsJson('{"mu": [[1, null, 3]]}');
  assert.ok(Number.isNaN(idata.groups.posterior!.vars.mu.values[1]));
});

test('toDrawsJson → fromDrawsJson round-trips the posterior, matrices included', () => {
  const idata = makeIdata(2, 7);
  const back = fromDrawsJson(toDrawsJson(idata));
  for (const [vn, v] of Object.entries(idata.groups.posterior!.vars)) {
    assert.deepEqual(back.groups.posterior!.vars[vn].shape, v.shape);
    assert.deepEqual([...back.groups.posterior!.vars[vn].values], [...v.values]);
  }
});

test('malformed draws files get errors naming the file, variable and position', () => {
  const cases: [string, RegExp][] = [
    ['{"mu": [[1, 2, 3], [4, 5]]}', /d\.json: variable 'mu': ragged array: at chain 1 there are 2 draws where the first has 3/],
    ['{"mu": [[1, 2, 3], [4, "x", 6]]}', /d\.json: variable 'mu': at chain 1, draw 1: expected a number, got "x"/],
    ['{"mu": [[1, 2, 3], [4, true, 6]]}', /d\.json: variable 'mu': at chain 1, draw 1: expected a number, got true/],
    ['{"mu": [[1, 2]], "tau": [[1, 2], [3, 4]]}', /variable 'tau' has 2 chains × 2 draws, but 'mu' has 1 × 2/],
    ['{"mu": [1, 2, 3]}', /variable 'mu': expected draws\[chain\]\[draw\].*flat array/],
    ['{"mu": 3}', /variable 'mu': expected draws\[chain\]\[draw\]/],
    ['{"a[0]": [[1]], "a[2]": [[1]]}', /variable 'a': element a\[1\] is missing/],
    ['{"a": [[1]], "a[0]": [[1]]}', /variable 'a' is given both whole and by element/],
    ['{"mu": [[1, 2,]]}', /d\.json: invalid JSON at line 1, column 15/],
    ['{\n"mu": [[1, 2]\n', /d\.json: invalid JSON at line 3, column 1/],
    ['[]', /expected an object/],
    ['{}', /no variables/],
  ];
  for (const [text, re] of cases) {
    assert.throws(
      () => fromDrawsJson(text, 'd.json'),
      (e: unknown) => e instanceof InputError && re.test(e.message),
      `${text} → ${(() => { try { fromDrawsJson(text, 'd.json'); return 'no error'; } catch (e) { return (e as Error).message; } })()}`,
    );
  }
});
