// Worker threads inherit the parent's Node flags except those about its entry (tsx's --import, --input-type) and the V8 and process-wide flags Node refuses in a thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { once } from 'node:events';
import { refusedFlags, startWorkerThread, withoutEntryFlags } from '../../src/platform/node/workerThread.js';

test('withoutEntryFlags: --import/--require/-r/--loader/--experimental-loader/--input-type go, in both spellings; other flags stay', () => {
  assert.deepEqual(
    withoutEntryFlags(['--import', 'tsx', '--max-old-space-size=4096', '--import=./x.mjs', '-r', 'ts-node/register', '--enable-source-maps', '--loader', 'ts-node/esm', '--experimental-loader=foo', '--require=bar', '--input-type=module', '--input-type', 'commonjs', '--conditions=development']),
    ['--max-old-space-size=4096', '--enable-source-maps', '--conditions=development'],
  );
  assert.deepEqual(withoutEntryFlags([]), []);
});

test('refusedFlags reads the flags out of Node\'s ERR_WORKER_INVALID_EXEC_ARGV message, and none out of another', () => {
  assert.deepEqual(refusedFlags('Initiated Worker with invalid execArgv flags: --max-old-space-size=4096, --stack-size=900'), ['--max-old-space-size=4096', '--stack-size=900']);
  assert.deepEqual(refusedFlags('Initiated Worker with invalid execArgv flags: --max_old_space_size=4096'), ['--max_old_space_size=4096']);
  assert.deepEqual(refusedFlags('something else'), []);
});

test('startWorkerThread: a process started with V8 flags (--max-old-space-size, --stack-size) still starts threads, which keep its Node flags', async () => {
  const saved = [...process.execArgv];
  process.execArgv.push('--max-old-space-size=2048', '--enable-source-maps', '--stack-size=900');
  try {
    for (let k = 0; k < 2; k++) {
      // The second start uses what the first learnt.
      const w = startWorkerThread("require('node:worker_threads').parentPort.postMessage(process.execArgv)", { eval: true });
      const [argv] = (await once(w, 'message')) as [string[]];
      await w.terminate();
      assert.ok(argv.includes('--enable-source-maps'), `thread ${k}: ${argv.join(' ')}`);
      assert.ok(!argv.some((a) => a.startsWith('--max-old-space-size') || a.startsWith('--stack-size')), `thread ${k}: ${argv.join(' ')}`);
      assert.ok(!argv.includes('--import'), 'module loaders are not passed on');
    }
  } finally {
    process.execArgv.splice(0, process.execArgv.length, ...saved);
  }
});

const DIST = new URL('../../dist/src/', import.meta.url);

test('built package: sample() on worker threads under `node --max-old-space-size=… --stack-size=…` runs its chains in parallel', { skip: !existsSync(new URL('index.js', DIST)) && 'dist/ is not built (npm run build)' }, () => {
  const script = `
    const { Model, Normal, sample } = await import(${JSON.stringify(new URL('index.js', DIST).href)});
    const m = new Model();
    m.rv('y', Normal({ mu: m.rv('mu', Normal({ mu: 0, sigma: 1 })), sigma: 1 }), { observed: [0.3, 1.2] });
    const idata = await sample(m.compile(), { seed: 1, draws: 50, tune: 50, chains: 2, cores: 2, progress: false });
    console.log(JSON.stringify({ parallel: idata.attrs.settings.parallel, draws: idata.nDraws }));`;
  const r = spawnSync(process.execPath, ['--max-old-space-size=1024', '--stack-size=900', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout.trim().split('\n').pop()!), { parallel: true, draws: 50 });
});
