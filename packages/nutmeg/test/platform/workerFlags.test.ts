// Built chain workers drop the parent's module-loader flags (tsx's --import) and keep the others.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withoutModuleLoaders } from '../../src/platform/node/workers.js';

test('withoutModuleLoaders: --import/--require/-r/--loader/--experimental-loader go, in both spellings; other flags stay', () => {
  assert.deepEqual(
    withoutModuleLoaders(['--import', 'tsx', '--max-old-space-size=4096', '--import=./x.mjs', '-r', 'ts-node/register', '--enable-source-maps', '--loader', 'ts-node/esm', '--experimental-loader=foo', '--require=bar', '--conditions=development']),
    ['--max-old-space-size=4096', '--enable-source-maps', '--conditions=development'],
  );
  assert.deepEqual(withoutModuleLoaders([]), []);
});
