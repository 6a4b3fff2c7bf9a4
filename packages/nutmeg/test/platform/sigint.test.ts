// Ctrl-C (SIGINT) stops sampling and returns the draws so far, marked incomplete, in worker and in-thread runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./fixtures/sampleLong.ts', import.meta.url));

for (const cores of [2, 1]) {
  test(`SIGINT during sampling returns an incomplete result (cores = ${cores})`, async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, String(cores)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise((r) => setTimeout(r, 4000));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(code, 0);
    const res = JSON.parse(out.trim().split('\n').pop()!) as { incomplete: boolean; nDraws: number; nChains: number };
    assert.equal(res.incomplete, true);
    assert.ok(res.nDraws > 0, 'kept the draws so far');
    assert.ok(res.nDraws < 100_000, `stopped early (${res.nDraws} of 100000 draws)`);
  });
}
