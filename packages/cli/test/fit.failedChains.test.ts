// `nutmeg fit` when a chain fails (its worker died or ran out of time): a failure naming the chains and causes, exit 1, the other chains' draws written marked incomplete.
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { failedChainResult, type ChainRunner } from 'nutmeg';
import { nodePlatform } from 'nutmeg/node';
import { fit, FAST, gaussianCsv, tempDir, writeText } from './fitHelpers.js';

/** The platform's worker runner, except that chain 1's worker "exits" at once (as a `process.exit` in user code would make it). */
function chainOneDies(inner: ChainRunner): ChainRunner {
  return {
    start(jobs, onProgress, options) {
      const running = inner.start(jobs.filter((j) => j.chain !== 1), onProgress, options);
      const results = running.results.then((done) =>
        jobs.map((j) => done.find((r) => r.chain === j.chain) ?? failedChainResult(j, { chain: j.chain, cause: 'exit', message: `chain ${j.chain} failed: its worker thread exited (code 3)` })),
      );
      return { results, stop: () => running.stop() };
    },
  };
}

test('fit, a chain whose worker dies: exit 1 naming the chain and cause; the other chains written, marked incomplete; no summary or report', async () => {
  const dir = tempDir('fit-failed');
  const data = writeText(dir, 'data.csv', gaussianCsv());
  const out = join(dir, 'out');
  const platform = { ...nodePlatform, onInterrupt: undefined, createRunner: (spec: unknown, o: { workers: number }) => chainOneDies(nodePlatform.createRunner!(spec, o)) };
  const r = await fit([data, 'y ~ x', ...FAST, '--chains', '3', '--out', out], { sampleOptions: { progress: false, cores: 2, platform } });
  assert.equal(r.code, 1, r.err);
  assert.match(r.err, /^nutmeg fit: 1 of 3 chains failed: chain 1 failed: its worker thread exited \(code 3\) \(exit\); wrote the other chains' draws \(idata\.json, chain_1\.csv, chain_3\.csv, marked incomplete\) to .*; not written: summary\.json, report\.html; fix the cause and run again with --resume/m);
  assert.doesNotMatch(r.err, /interrupted|Ctrl-C/);
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  assert.equal(existsSync(join(out, 'summary.json')), false);
  assert.equal(existsSync(join(out, 'report.html')), false);
  assert.equal(existsSync(join(out, 'chain_2.csv')), false, 'no file for the failed chain');
  const idata = JSON.parse(readFileSync(join(out, 'idata.json'), 'utf8')) as { attrs: { incomplete: boolean; failed_chains: { chain: number; cause: string }[] } };
  assert.equal(idata.attrs.incomplete, true);
  assert.deepEqual(idata.attrs.failed_chains.map((f) => [f.chain, f.cause]), [[1, 'exit']]);
  for (const f of ['chain_1.csv', 'chain_3.csv']) {
    const csv = readFileSync(join(out, f), 'utf8');
    assert.match(csv, /^# nutmeg: incomplete run: 1 of 3 chains failed: chain 1 failed: its worker thread exited/, f);
    assert.equal(csv.split('\n').filter((l) => /^-?\d/.test(l)).length, 100, `${f}: all 100 draws`);
  }
});
