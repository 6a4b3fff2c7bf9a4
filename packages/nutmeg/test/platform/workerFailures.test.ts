// A chain whose worker thread fails (its density throws, calls process.exit, runs out of memory, or hangs past chainTimeoutSeconds) ends alone: the other chains are returned, marked incomplete, and no thread is left behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { sample } from '../../src/workflow/sample.js';
import { idleWorkerCount, liveWorkerCount, workerRunner, type WorkerRunnerOptions } from '../../src/platform/node/workers.js';
import type { FailureMode } from './fixtures/failingDensity.js';
import type { LogDensity } from '../../src/core/types.js';

const url = new URL('./fixtures/failingDensity.ts', import.meta.url).href;
const density: LogDensity = { dim: 2, logDensityGrad: () => 0 }; // the layout only: chains run the module's density

/** Live threads come back to the idle pool's count once terminated threads have exited. */
async function noOrphanedThreads(): Promise<void> {
  const deadline = Date.now() + 5000;
  while (liveWorkerCount() !== idleWorkerCount() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.equal(liveWorkerCount(), idleWorkerCount(), 'every live chain thread is an idle pooled one');
}

const cases: { mode: FailureMode; cause: string; message: RegExp; runner?: WorkerRunnerOptions; timeout?: number }[] = [
  { mode: 'throw', cause: 'error', message: /chain \d failed: TypeError: user density bug/ },
  { mode: 'exit', cause: 'exit', message: /chain \d failed: its worker thread exited \(code 3/ },
  { mode: 'oom', cause: 'out-of-memory', message: /chain \d failed: its worker thread ran out of memory/, runner: { resourceLimits: { maxOldGenerationSizeMb: 96 } } },
  { mode: 'hang', cause: 'timeout', message: /chain \d failed: it ran longer than chainTimeoutSeconds = 4 s/, timeout: 4 },
];

for (const c of cases) {
  test(`worker failure '${c.mode}': that chain fails with cause '${c.cause}', the other chains are returned, marked incomplete`, { timeout: 120_000 }, async () => {
    const flag = new SharedArrayBuffer(4);
    const runner = workerRunner({ kind: 'module', url, exportName: 'failingDensity', args: { flag, mode: c.mode, after: 300 } }, 2, c.runner);
    const idata = await sample(density, {
      seed: 3, chains: 3, tune: 200, draws: 200, progress: false, runner,
      ...(c.timeout ? { chainTimeoutSeconds: c.timeout } : {}),
    });
    assert.equal(idata.attrs.incomplete, true);
    const failed = idata.attrs.failed_chains as { chain: number; cause: string; message: string }[];
    assert.equal(failed.length, 1, JSON.stringify(failed));
    assert.equal(failed[0].cause, c.cause);
    assert.match(failed[0].message, c.message);
    assert.equal(idata.nChains, 2, 'the two other chains are kept');
    assert.equal(idata.nDraws, 200, 'with all their draws');
    const warnings = idata.attrs.warnings as string[];
    assert.match(warnings[0], /^1 of 3 chains failed and are not in the results/);
    await noOrphanedThreads();
  });
}

test('a chain that throws in the calling thread fails alone; when every chain fails, the error is thrown', async () => {
  let evaluations = 0;
  const once: LogDensity = {
    dim: 1,
    logDensityGrad(x, g) {
      if (++evaluations === 500) throw new RangeError('index 7 out of range');
      g[0] = -x[0];
      return -0.5 * x[0] * x[0];
    },
  };
  const idata = await sample(once, { seed: 1, chains: 2, tune: 100, draws: 100, progress: false, cores: 1 });
  assert.equal(idata.nChains, 1);
  assert.match((idata.attrs.failed_chains as { message: string }[])[0].message, /^chain 0 failed: RangeError: index 7 out of range/);
  const always: LogDensity = { dim: 1, logDensityGrad: () => { throw new RangeError('always broken'); } };
  await assert.rejects(sample(always, { seed: 1, chains: 2, tune: 10, draws: 10, progress: false, cores: 1 }), /always broken/);
});

test('after a failed chain the process exits promptly: no thread or timer keeps it alive', { timeout: 60_000 }, async () => {
  const code = [
    `import { sample } from ${JSON.stringify(new URL('../../src/workflow/sample.ts', import.meta.url).href)};`,
    `import { workerRunner } from ${JSON.stringify(new URL('../../src/platform/node/workers.ts', import.meta.url).href)};`,
    `const runner = workerRunner({ kind: 'module', url: ${JSON.stringify(url)}, exportName: 'failingDensity', args: { flag: new SharedArrayBuffer(4), mode: 'hang', after: 300 } }, 2);`,
    `const idata = await sample({ dim: 2, logDensityGrad: () => 0 }, { seed: 1, chains: 2, tune: 100, draws: 100, progress: false, runner, chainTimeoutSeconds: 3 });`,
    `console.log(JSON.stringify({ at: Date.now(), failed: idata.attrs.failed_chains.length }));`,
  ].join('\n');
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const exitedAt = Date.now();
  assert.equal(exitCode, 0, err);
  const line = JSON.parse(out.trim().split('\n').pop()!) as { at: number; failed: number };
  assert.equal(line.failed, 1);
  assert.ok(exitedAt - line.at < 2000, `exited ${exitedAt - line.at} ms after sample() returned`);
});
