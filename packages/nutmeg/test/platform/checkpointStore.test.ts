// The checkpoint folder in this thread: CSV on or off, a resume from it, and the damaged or missing pieces that must give named errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sample, type SampleOptions } from '../../src/workflow/sample.js';
import { InputError, OptionError } from '../../src/core/errors.js';
import { fromStanCsv } from '../../src/io/stanCsv.js';
import type { LogDensity } from '../../src/core/types.js';

const gaussian: LogDensity = {
  dim: 2,
  logDensityGrad(x, g) {
    g[0] = -x[0];
    g[1] = -x[1] / 4;
    return -0.5 * (x[0] * x[0] + (x[1] * x[1]) / 4);
  },
};
const base: SampleOptions = { seed: 9, chains: 2, tune: 60, draws: 50, cores: 1, progress: false };

function withDir(run: (dir: string) => Promise<void>): () => Promise<void> {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nutmeg-store-'));
    try {
      await run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test('checkpoint: the CSV files hold the draws (read back by fromStanCsv); a resume of the finished run gives the same draws', withDir(async (dir) => {
  const plain = await sample(gaussian, base);
  const first = await sample(gaussian, { ...base, checkpoint: { dir, every: 7 } });
  assert.deepEqual(first.groups.posterior!.vars.x.values, plain.groups.posterior!.vars.x.values);
  const csv = fromStanCsv([1, 2].map((c) => ({ name: `chain_${c}.csv`, text: readFileSync(join(dir, `chain_${c}.csv`), 'utf8') })));
  assert.deepEqual(csv.groups.posterior!.vars.x.values, plain.groups.posterior!.vars.x.values, 'String(x) round-trips');
  const again = await sample(gaussian, { ...base, checkpoint: { dir }, resume: true });
  assert.deepEqual(again.groups.posterior!.vars.x.values, plain.groups.posterior!.vars.x.values);
  assert.deepEqual(again.groups.sample_stats!.vars.energy.values, plain.groups.sample_stats!.vars.energy.values);
}));

test('checkpoint: csv false writes no CSV rows; resuming with csv true is refused, naming csv', withDir(async (dir) => {
  await sample(gaussian, { ...base, checkpoint: { dir, csv: false } });
  assert.equal(readFileSync(join(dir, 'chain_1.csv'), 'utf8'), '');
  await assert.rejects(sample(gaussian, { ...base, checkpoint: { dir }, resume: true }), (e: unknown) => e instanceof OptionError && /settings differ: csv/.test(e.message));
}));

test('checkpoint: a damaged state or a cut data file is refused with the file named', withDir(async (dir) => {
  const controller = new AbortController();
  let events = 0;
  const progress = { update: () => void (++events === 2 && controller.abort()), finish: () => {} };
  await sample(gaussian, { ...base, draws: 20_000, checkpoint: { dir, every: 5 }, progress, signal: controller.signal });
  const bin = join(dir, 'chain_1.draws.f64');
  const state = readFileSync(join(dir, 'chain_1.state.json'), 'utf8');
  truncateSync(bin, 0);
  await assert.rejects(sample(gaussian, { ...base, draws: 20_000, checkpoint: { dir }, resume: true }), (e: unknown) => e instanceof InputError && e.message.includes(bin));
  writeFileSync(join(dir, 'chain_1.state.json'), state.slice(0, 20));
  await assert.rejects(sample(gaussian, { ...base, draws: 20_000, checkpoint: { dir }, resume: true }), (e: unknown) => e instanceof InputError && /chain_1\.state\.json cannot be read/.test(e.message));
}));

test('checkpoint options: resume needs a checkpoint, every must be a whole number, a platform without files refuses', async () => {
  await assert.rejects(sample(gaussian, { ...base, resume: true }), /resume: needs checkpoint/);
  await assert.rejects(sample(gaussian, { ...base, checkpoint: { dir: 'x', every: 0 } }), /checkpoint\.every: must be an integer/);
  await assert.rejects(sample(gaussian, { ...base, checkpoint: { dir: 'x' }, platform: {} }), /checkpoint: this platform has no files/);
  await assert.rejects(sample(gaussian, { ...base, chainTimeoutSeconds: -1 }), /chainTimeoutSeconds: must be a finite number/);
});

test('checkpoint: a write that fails (here the state file cannot be replaced) stops checkpointing, not sampling; a warning says so', withDir(async (dir) => {
  mkdirSync(join(dir, 'chain_1.state.json.tmp')); // writing the temporary state file fails (EISDIR)
  const plain = await sample(gaussian, base);
  const idata = await sample(gaussian, { ...base, checkpoint: { dir, every: 10 } });
  assert.deepEqual(idata.groups.posterior!.vars.x.values, plain.groups.posterior!.vars.x.values);
  assert.equal(idata.attrs.incomplete, false);
  const details = idata.attrs.warning_details as { code: string; message: string }[];
  assert.ok(details.some((w) => w.code === 'checkpoint_write' && /Checkpoints stopped being written: .*EISDIR/.test(w.message)), JSON.stringify(details));
}));
