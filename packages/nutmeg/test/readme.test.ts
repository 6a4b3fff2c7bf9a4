// The README's tour runs: its ```ts blocks, concatenated into one script importing `nutmeg`, execute without error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readmeBlocks, repoTempDir } from './docs/docExamples.js';

test("the README's tour runs as a script (npx tsx model.ts)", () => {
  const blocks = readmeBlocks();
  assert.ok(blocks.length >= 5, `only ${blocks.length} ts blocks in README.md`);
  const { dir, remove } = repoTempDir('nutmeg-readme-');
  try {
    const script = join(dir, 'model.ts');
    writeFileSync(script, blocks.map((b) => `// README.md:${b.line}\n${b.code}`).join('\n'));
    const t0 = performance.now();
    const r = spawnSync(process.execPath, ['--conditions=development', '--import', 'tsx', script], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    const seconds = (performance.now() - t0) / 1000;
    assert.equal(r.status, 0, `exit ${r.status} after ${seconds.toFixed(1)} s\n${r.stderr}\n${r.stdout}`);
    // The tour's outputs are there: a summary table, saved results that load, figures on disk.
    assert.match(r.stdout, /r_hat/);
    assert.match(r.stdout, /alpha\[2\]/);
    assert.match(r.stdout, /elpd_loo\s+-?\d/, 'loo printed as R loo prints it');
    assert.match(r.stdout, /\[ 'north', 'south', 'west', 'east' \]/, 'predict appended the new group to the coords');
    assert.match(r.stdout, /r_group\[north,Intercept\]/, 'the formula model reports brms names');
    assert.match(r.stdout, /student_t\(3, 0\.8, 2\.5\)\s+Intercept/, "brms's default intercept prior");
    assert.ok(existsSync(join(dir, 'figures/trace.svg')) && existsSync(join(dir, 'figures/trace.png')), 'writeFigure wrote SVG and PNG');
    assert.equal(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).posterior.beta.length, 2, 'ArviZ JSON holds 2 chains of beta');
    assert.ok(existsSync(join(dir, 'run-2.csv')), 'one CmdStan CSV per chain');
  } finally {
    remove();
  }
});
