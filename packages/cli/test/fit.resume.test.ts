// `nutmeg fit --resume`: a fit stopped part-way continues from --out/checkpoint/ to the summary an uninterrupted fit gives; other options are refused, naming them.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FAST, fit, gaussianCsv, tempDir, writeText } from './fitHelpers.js';

const dir = tempDir('fit-resume');
const data = writeText(dir, 'data.csv', gaussianCsv());

test('--resume continues a stopped fit to the summary of an uninterrupted one; other settings are refused', async () => {
  const reference = await fit([data, 'y ~ x + (1 | g)', ...FAST, '--json', '--out', join(dir, 'whole')]);
  assert.equal(reference.code, 0, reference.err);

  // Stopped (as by Ctrl-C) once some checkpoints are written.
  const out = join(dir, 'stopped');
  const controller = new AbortController();
  let events = 0;
  const progress = { update: () => void (++events === 3 && controller.abort()), finish: () => {} };
  const stopped = await fit([data, 'y ~ x + (1 | g)', ...FAST, '--json', '--out', out], {
    sampleOptions: { progress, signal: controller.signal, cores: 1, checkpoint: { dir: join(out, 'checkpoint'), every: 10 } },
  });
  assert.equal(stopped.code, 130, stopped.err);
  assert.match(stopped.err, /run again with --resume/);
  assert.ok(existsSync(join(out, 'checkpoint', 'chain_1.state.json')), 'a checkpoint was written');

  const other = await fit([data, 'y ~ x + (1 | g)', '--chains', '2', '--draws', '120', '--tune', '100', '--seed', '7', '--json', '--out', out, '--resume']);
  assert.equal(other.code, 2);
  assert.match(other.err, /cannot resume the checkpoint in .*settings differ: draws \(checkpoint 100, now 120\)/);

  const resumed = await fit([data, 'y ~ x + (1 | g)', ...FAST, '--json', '--out', out, '--resume']);
  assert.equal(resumed.code, 0, resumed.err);
  assert.deepEqual(JSON.parse(resumed.out), JSON.parse(reference.out));
  assert.equal(readFileSync(join(out, 'chain_2.csv'), 'utf8'), readFileSync(join(dir, 'whole', 'chain_2.csv'), 'utf8'));
});

test('--resume cannot be combined with --by', async () => {
  const r = await fit([data, 'y ~ x', ...FAST, '--by', 'g', '--resume', '--out', join(dir, 'by')]);
  assert.equal(r.code, 2);
  assert.match(r.err, /--by: cannot be combined with --resume/);
});
