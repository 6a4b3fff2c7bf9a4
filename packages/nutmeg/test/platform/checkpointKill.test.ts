// A checkpointing fit killed with SIGKILL at seeded random points (in warm-up, in sampling, at a random time) and resumed each time ends with the draws of an uninterrupted run, bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src/core/rng.js';

const script = fileURLToPath(new URL('./fixtures/checkpointFit.ts', import.meta.url));
const TUNE = 300;
const DRAWS = 300;

interface FitLine {
  hash: string;
  incomplete: boolean;
  nDraws: number;
  nChains: number;
  samplingTime: number;
}

/** Runs the fixture; `killWhen` (polled every 5 ms) decides when to SIGKILL it. */
async function runFit(args: string[], killWhen?: () => boolean): Promise<{ code: number | null; signal: string | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const poll = killWhen
    ? setInterval(() => {
        if (killWhen()) child.kill('SIGKILL');
      }, 5)
    : undefined;
  const [code, signal] = await new Promise<[number | null, string | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
  clearInterval(poll);
  return { code, signal, out, err };
}

/** Iterations chain 1 has checkpointed (warm-up + draws), and whether it is done; 0 before its first block. */
function progressOf(dir: string): { iterations: number; nTuned: number; nDraws: number; done: boolean } {
  const path = join(dir, 'chain_1.state.json');
  if (!existsSync(path)) return { iterations: 0, nTuned: 0, nDraws: 0, done: false };
  const cp = (JSON.parse(readFileSync(path, 'utf8')) as { checkpoint: { nTuned: number; nDraws: number; done: boolean } }).checkpoint;
  return { iterations: cp.nTuned + cp.nDraws, nTuned: cp.nTuned, nDraws: cp.nDraws, done: cp.done };
}

function lastLine(out: string): FitLine {
  return JSON.parse(out.trim().split('\n').pop()!) as FitLine;
}

test('checkpoint: SIGKILL in warm-up, at a random time and in sampling, resumed each time, gives the uninterrupted draws', { timeout: 300_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'nutmeg-kill-'));
  try {
    const reference = lastLine((await runFit(['-', '0', '2'])).out);
    assert.equal(reference.incomplete, false);

    // Seeded kill points: an iteration of warm-up, a time after start, an iteration of sampling.
    const rng = new Rng(20261206);
    const warmupTarget = 40 + Math.floor(rng.uniform() * 200);
    const delayMs = 500 + Math.floor(rng.uniform() * 2500);
    const samplingTarget = TUNE + 40 + Math.floor(rng.uniform() * 200);
    const landed: { kill: string; nTuned: number; nDraws: number; killed: boolean }[] = [];

    const kill = async (label: string, resume: boolean, when: () => boolean): Promise<void> => {
      const r = await runFit([dir, resume ? '1' : '0', '2'], when);
      const p = progressOf(dir);
      landed.push({ kill: label, nTuned: p.nTuned, nDraws: p.nDraws, killed: r.signal === 'SIGKILL' });
      if (r.signal !== 'SIGKILL') assert.equal(r.code, 0, r.err);
    };
    await kill(`warm-up iteration ${warmupTarget}`, false, () => progressOf(dir).iterations >= warmupTarget);
    await kill(`sampling iteration ${samplingTarget}`, true, () => progressOf(dir).iterations >= samplingTarget);
    // Last, as it may land anywhere, after the run has finished included (on a fast machine the
    // remaining draws take less than the delay): before the sampling kill it could leave nothing to kill.
    const t0 = Date.now();
    await kill(`${delayMs} ms after start`, true, () => Date.now() - t0 >= delayMs);

    t.diagnostic(`kills landed at (chain 1's last checkpoint): ${JSON.stringify(landed)}`);
    const killedInWarmup = landed.filter((l) => l.killed && l.nTuned < TUNE);
    const killedInSampling = landed.filter((l) => l.killed && l.nTuned === TUNE && l.nDraws < DRAWS);
    assert.ok(killedInWarmup.length >= 1, `a kill in warm-up: ${JSON.stringify(landed)}`);
    assert.ok(killedInSampling.length >= 1, `a kill in sampling: ${JSON.stringify(landed)}`);

    const resumed = await runFit([dir, '1', '2']);
    assert.equal(resumed.code, 0, resumed.err);
    const final = lastLine(resumed.out);
    assert.equal(final.incomplete, false);
    assert.equal(final.nDraws, DRAWS);
    assert.equal(final.hash, reference.hash, `draws differ from the uninterrupted run's after kills ${JSON.stringify(landed)}`);

    // Resuming a finished run returns its draws without sampling.
    const again = lastLine((await runFit([dir, '1', '2'])).out);
    assert.equal(again.hash, reference.hash);
    assert.equal(again.samplingTime, 0);

    // A resume against other data or settings is refused, naming what differs.
    const otherData = await runFit([dir, '1', '2', '1']);
    assert.notEqual(otherData.code, 0);
    assert.match(otherData.err, /cannot resume the checkpoint in .*: the data differ \(y\)/);
    const otherDraws = await runFit([dir, '1', '2', '0', '301']);
    assert.match(otherDraws.err, /settings differ: draws \(checkpoint 300, now 301\)/);
    // Without resume, a folder holding a checkpoint is refused.
    const noResume = await runFit([dir, '0', '2']);
    assert.match(noResume.err, /already holds a checkpoint/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
