// Ctrl-C (SIGINT) at each stage of `nutmeg radon` and `nutmeg fit`, as a user sends it to the process: exit 130 within 2 s, what is complete written, the rest marked.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { spawnCli, type CliProcess } from './helpers/spawnCli.js';
import { inThreadExecutor, type FitExecutor } from 'nutmeg';
import { collinearCsv, fit, gaussianCsv } from './fitHelpers.js';

/** SIGINT → exit, at most (the stages check for Ctrl-C at least every ~0.5 s; a second of slack for a loaded machine). */
const PROMPT_MS = 2000;

const root = mkdtempSync(join(tmpdir(), 'nutmeg-interrupt-'));

/** Sends SIGINT once `stage` appears on stderr; returns the exit code, the time to exit and the output. */
async function interruptAt(t: TestContext, p: CliProcess, stage: RegExp): Promise<{ code: number | null; ms: number; out: string; err: string }> {
  await p.waitForErr(stage);
  const t0 = performance.now();
  p.child.kill('SIGINT');
  const e = await p.exited;
  t.diagnostic(`SIGINT → exit: ${(e.at - t0).toFixed(0)} ms`);
  return { code: e.code, ms: e.at - t0, ...p.output() };
}

type Summary = Record<string, unknown> & { incomplete: boolean; interrupted_stage: string; interrupted_detail: string | null; stages_not_run: string[] };

function checkRadon(dir: string, r: { code: number | null; ms: number; err: string }, stage: string): Summary {
  assert.equal(r.code, 130, r.err);
  assert.ok(r.ms < PROMPT_MS, `${r.ms.toFixed(0)} ms from SIGINT to exit`);
  assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  // One closing line saying what was written and what was not.
  assert.match(r.err, new RegExp(`nutmeg radon: interrupted \\(Ctrl-C\\) during ${stage}.*; wrote summary\\.json \\(marked incomplete\\), report\\.html \\(marked incomplete\\).*; not run: `));
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as Summary;
  assert.equal(summary.incomplete, true);
  assert.equal(summary.interrupted_stage, stage);
  assert.ok(summary.stages_not_run.includes('report'), String(summary.stages_not_run));
  const html = readFileSync(join(dir, 'report.html'), 'utf8');
  assert.match(html, /Radon case study: interrupted/);
  assert.match(html, /This run is incomplete/);
  assert.doesNotMatch(html, /Radon: hierarchical linear regression with nutmeg/, 'not the complete report');
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.nutmeg-tmp-')), [], 'no temporary files left');
  return summary;
}

const RADON_SMALL = ['--chains', '2', '--draws', '1000', '--tune', '200', '--seed', '5'];

test('radon, Ctrl-C while the 85 county fits run: exit 130, unpooled marked incomplete with the counties fitted', async (t) => {
  const out = join(root, 'unpooled');
  // --threads 1: the fits run in this thread (the next test runs them on worker threads).
  // Long chains, so that the 85 fits cannot all finish between the stage's line and the SIGINT on a fast machine.
  const r = await interruptAt(t, spawnCli(['radon', '--model', 'unpooled', '--threads', '1', '--chains', '2', '--draws', '5000', '--tune', '5000', '--out', out]), /unpooled: fitting/);
  const s = checkRadon(out, r, 'unpooled');
  assert.deepEqual(s.unpooled, { incomplete: true, detail: s.interrupted_detail });
  assert.match(String(s.interrupted_detail), /^\d+ of 85 counties fitted$/);
  assert.deepEqual(s.stages_not_run, ['loo & predictive', 'summaries', 'figures', 'png', 'report']);
  assert.equal(existsSync(join(out, 'figures')), false);
});

test('radon, Ctrl-C while the county fits run on worker threads: the running fits stop too, exit 130 within 2 s', async (t) => {
  const out = join(root, 'unpooled-threads');
  // Worker threads (the default, 2 when the machine has 2 cores or more); chains long enough that a
  // county fit takes seconds, so an abort that waited for the running fits would exceed the limit.
  const p = spawnCli(['radon', '--model', 'unpooled', '--threads', '2', '--chains', '2', '--draws', '5000', '--tune', '500000', '--out', out]);
  await p.waitForErr(/unpooled: fitting/);
  // A second for the threads to load the sampler (TypeScript sources through tsx here) and start their fits.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const r = await interruptAt(t, p, /unpooled: fitting/);
  const s = checkRadon(out, r, 'unpooled');
  assert.deepEqual(s.unpooled, { incomplete: true, detail: s.interrupted_detail });
  assert.match(String(s.interrupted_detail), /^\d+ of 85 counties fitted$/);
});

test('radon, Ctrl-C while a model samples: the models before it complete, it incomplete, the rest not run', async (t) => {
  const out = join(root, 'sampling');
  const r = await interruptAt(t, spawnCli(['radon', '--model', 'pooled,hierarchical', '--chains', '2', '--draws', '20000', '--tune', '200', '--out', out]), /hierarchical: sampling/);
  const s = checkRadon(out, r, 'hierarchical');
  const pooled = s.pooled as { incomplete: boolean; sampler: { draws: number } };
  assert.equal(pooled.incomplete, false);
  assert.equal(pooled.sampler.draws, 20000);
  assert.equal((s.hierarchical as { incomplete: boolean }).incomplete, true);
  assert.match(String(s.interrupted_detail), /during warm-up|\d+ of 20000 draws per chain kept in \d of 2 chains/);
  assert.deepEqual(s.stages_not_run, ['advi', 'loo & predictive', 'summaries', 'figures', 'png', 'report']);
  assert.match(r.out, /Complete: pooled \(nuts/);
  assert.match(r.out, /Not run: advi, loo & predictive/);
});

for (const [stage, cue] of [
  ['loo & predictive', /PSIS-LOO/],
  ['summaries', /summaries and RMSDs/],
  ['figures', /\] figure /],
] as const) {
  test(`radon, Ctrl-C during ${stage}: the fits are complete, the stages from ${stage} on are marked`, async (t) => {
    const out = join(root, stage.replace(/\W+/g, '-'));
    const r = await interruptAt(t, spawnCli(['radon', '--model', 'pooled,hierarchical_noncentered', ...RADON_SMALL, '--out', out]), cue);
    const s = checkRadon(out, r, stage);
    for (const key of ['pooled', 'hierarchical_noncentered', 'advi']) assert.equal((s[key] as { incomplete: boolean }).incomplete, false, key);
    const looDone = stage !== 'loo & predictive';
    assert.equal((s.pooled as { loo: unknown }).loo !== null, looDone, 'LOO kept once computed');
    const figures = existsSync(join(out, 'figures')) ? readdirSync(join(out, 'figures')) : [];
    // The summaries run before the figures are written (while the figure thread draws them).
    const parameters = (s.hierarchical_noncentered as { parameters: unknown }).parameters;
    assert.equal(parameters !== null, stage === 'figures', 'summaries kept once computed');
    if (stage !== 'figures') assert.deepEqual(figures, []);
    // A figure is written whole or not at all: every SVG ends as SVG does.
    for (const f of figures.filter((n) => n.endsWith('.svg'))) assert.match(readFileSync(join(out, 'figures', f), 'utf8'), /<\/svg>\s*$/, f);
  });
}

test('radon, Ctrl-C while ADVI runs: the ADVI fit, which cannot stop midway, is kept as complete', async (t) => {
  const out = join(root, 'advi');
  const r = await interruptAt(t, spawnCli(['radon', '--model', 'pooled,hierarchical_noncentered', ...RADON_SMALL, '--out', out]), /mean-field ADVI/);
  // ADVI finished, so the first stage not done is the next one.
  const s = checkRadon(out, r, 'loo & predictive');
  for (const key of ['pooled', 'hierarchical_noncentered', 'advi']) assert.equal((s[key] as { incomplete: boolean } | undefined)?.incomplete, false, key);
  assert.match(r.out + r.err, /Complete: .*advi \(advi/);
});

test('radon, a second Ctrl-C quits at once with exit code 130', async () => {
  const out = join(root, 'twice');
  const p = spawnCli(['radon', '--model', 'unpooled', '--chains', '2', '--draws', '2000', '--tune', '2000', '--out', out]);
  await p.waitForErr(/unpooled: fitting/);
  p.child.kill('SIGINT');
  await p.waitForErr(/Interrupted: stopping/);
  const t0 = performance.now();
  p.child.kill('SIGINT');
  const e = await p.exited;
  assert.equal(e.code, 130, p.output().err);
  assert.ok(e.at - t0 < 1000, `${(e.at - t0).toFixed(0)} ms`);
  assert.doesNotMatch(p.output().err, /\n\s+at /);
});

test('fit, Ctrl-C while drawing: the draws so far as idata.json and CmdStan CSVs marked incomplete; no summary or report', async (t) => {
  const dir = join(root, 'fit');
  const data = join(root, 'data.csv');
  writeFileSync(data, collinearCsv()); // seconds of drawing, whatever the machine
  const p = spawnCli(['fit', data, 'y ~ x + x2 + (1 | g)', '--chains', '2', '--draws', '20000', '--tune', '200', '--seed', '3', '--out', dir]);
  const r = await interruptAt(t, p, /warm-up done; all 2 chains drawing/);
  assert.equal(r.code, 130, r.err);
  assert.ok(r.ms < PROMPT_MS, `${r.ms.toFixed(0)} ms from SIGINT to exit`);
  assert.match(r.err, /nutmeg fit: interrupted after \d+ of 20000 draws per chain, in [12] of 2 chains; wrote the draws so far \(idata\.json, chain_1\.csv.*marked incomplete\).*; not written: summary\.json, report\.html/);
  assert.equal(existsSync(join(dir, 'summary.json')), false);
  assert.equal(existsSync(join(dir, 'report.html')), false);
  const idata = JSON.parse(readFileSync(join(dir, 'idata.json'), 'utf8')) as { attrs: { incomplete: boolean } };
  assert.equal(idata.attrs.incomplete, true);
  const csv = readFileSync(join(dir, 'chain_1.csv'), 'utf8');
  assert.match(csv, /^# nutmeg: incomplete run: interrupted after \d+ of 20000 draws per chain/);
  assert.match(csv, /^lp__,/m);
});

test('fit --by, Ctrl-C after the first group: that group is written, the others named as not fitted, exit 130', async () => {
  const dir = join(root, 'by');
  const data = join(root, 'by.csv');
  writeFileSync(data, gaussianCsv());
  const controller = new AbortController();
  // The fits in this thread; Ctrl-C (the abort) as soon as the first one is done.
  const inner = inThreadExecutor();
  const executor: FitExecutor = { run: (tasks, hooks) => inner.run(tasks, { ...hooks, onResult: (r) => (hooks.onResult(r), controller.abort()) }) };
  const r = await fit([data, 'y ~ x', '--by', 'g', '--chains', '1', '--draws', '50', '--tune', '50', '--seed', '1', '--out', dir], { sampleOptions: { signal: controller.signal }, byGroup: { executor, progressBar: false } });
  assert.equal(r.code, 130, r.err);
  assert.match(r.err, /nutmeg fit: interrupted: 1 of 6 groups fitted \(seed 1\); wrote summary\.json, summary\.csv, fits\/ \(1 InferenceData files\) to .*; not fitted: 5 groups \(b, c, d, e, f\)/);
  assert.deepEqual(Object.keys(JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as object), ['a']);
  assert.deepEqual(readdirSync(join(dir, 'fits')), ['a.json']);
});
