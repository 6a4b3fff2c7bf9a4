// `nutmeg radon` end to end with few draws: summary.json with the documented keys, a self-contained report.html, every figure as SVG and PNG.
import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../../src/radon/command.js';

const STATS = ['mean', 'sd', 'hdi_3%', 'hdi_97%', 'mcse_mean', 'mcse_sd', 'ess_bulk', 'ess_tail', 'r_hat'];
const SAMPLER = ['method', 'chains', 'draws', 'tune', 'divergences', 'sampling_s', 'grad_evals'];

/** The width of an SVG (its `width` attribute) and of a PNG (its IHDR chunk), in pixels. */
const svgWidth = (path: string): number => Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(readFileSync(path, 'utf8'))![1]);
const pngWidth = (path: string): number => readFileSync(path).readUInt32BE(16);

type Summary = Record<string, { parameters: Record<string, Record<string, number | null>>; rmsd: number; loo: Record<string, number | null> | null; sampler: Record<string, unknown> }>;
const LOO_KEYS = ['elpd_loo', 'se_elpd_loo', 'p_loo', 'se_p_loo', 'looic', 'se_looic', 'pareto_k_above_0_7', 'elpd_diff', 'se_diff'];

test('a quick full run writes summary.json, report.html and every figure', async () => {
  const out = join(mkdtempSync(join(tmpdir(), 'nutmeg-radon-')), 'nested', 'out');
  let stdout = '';
  let stderr = '';
  const code = await run(['--chains', '2', '--draws', '60', '--tune', '60', '--seed', '3', '--out', out], {
    out: (s) => (stdout += s),
    err: (s) => (stderr += s),
    tty: false,
  });
  assert.equal(code, 0, stderr);
  // Progress on stderr, the digest on stdout.
  assert.match(stderr, /unpooled: fitting 85 counties/);
  assert.match(stdout, /hierarchical_noncentered/);
  assert.match(stdout, /Report: .*report\.html/);
  assert.match(stdout, /elpd_diff\s+se_diff/);
  assert.match(stdout, /loo & predictive \d/);

  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
  assert.deepEqual(Object.keys(summary).sort(), ['advi', 'hierarchical', 'hierarchical_noncentered', 'pooled', 'unpooled']);
  for (const [key, m] of Object.entries(summary)) {
    for (const k of SAMPLER) assert.ok(k in m.sampler, `${key}: sampler.${k}`);
    assert.ok(typeof m.rmsd === 'number' && m.rmsd > 0.5 && m.rmsd < 1, `${key}: rmsd ${m.rmsd}`);
    for (const [name, s] of Object.entries(m.parameters)) assert.deepEqual(Object.keys(s), STATS, `${key}: ${name}`);
  }
  assert.equal(summary.pooled.sampler.method, 'nuts');
  assert.equal(summary.pooled.sampler.chains, 2);
  assert.equal(summary.advi.sampler.method, 'advi');
  assert.deepEqual(Object.keys(summary.pooled.parameters), ['alpha', 'beta', 'eps']);
  // PSIS-LOO of the joint models in summary.json; the best model's elpd_diff is 0, the others' negative.
  assert.equal(summary.unpooled.loo, null);
  assert.equal(summary.advi.loo, null);
  for (const key of ['pooled', 'hierarchical', 'hierarchical_noncentered']) {
    const l = summary[key].loo!;
    assert.deepEqual(Object.keys(l), LOO_KEYS, key);
    assert.ok(l.elpd_loo! < -900 && l.elpd_loo! > -1200, `${key}: elpd_loo ${l.elpd_loo}`);
    assert.ok(Math.abs(l.looic! + 2 * l.elpd_loo!) < 1e-3, key);
    assert.ok(l.elpd_diff! <= 0, key);
  }
  assert.ok(summary.pooled.loo!.elpd_diff! < -20, 'pooled predicts worst');
  const unpooled = Object.keys(summary.unpooled.parameters);
  assert.equal(unpooled.length, 3 * 85);
  for (const name of ['alpha[0]', 'alpha[84]', 'beta[0]', 'beta[84]', 'eps[0]', 'eps[84]']) assert.ok(unpooled.includes(name), name);
  for (const key of ['hierarchical', 'hierarchical_noncentered']) {
    const names = Object.keys(summary[key].parameters);
    for (const name of ['mu_alpha', 'sigma_alpha', 'mu_beta', 'sigma_beta', 'eps', 'alpha[0]', 'alpha[84]', 'beta[84]']) assert.ok(names.includes(name), `${key}: ${name}`);
    assert.ok(!names.includes('alpha[85]'));
  }

  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /^<!DOCTYPE html>/i);
  // Self-contained: nothing is loaded from anywhere.
  assert.doesNotMatch(html, /\ssrc\s*=/i);
  assert.doesNotMatch(html, /<link\b/i);
  assert.doesNotMatch(html, /@import/i);
  assert.doesNotMatch(html, /url\(\s*['"]?(https?:)?\/\//i);
  assert.doesNotMatch(html, /<script\b/i);
  for (const text of ['RMSD', '0.13', 'divergen', 'Shrinkage', 'CASS', 'CROW WING', 'FREEBORN', 'ADVI']) assert.ok(html.includes(text), text);
  for (const text of ['Model comparison: PSIS-LOO', 'elpd_diff', 'se_diff', 'pareto_k_table', 'Predicting a new house', 'NEW COUNTY', 'allow_new_levels', 'LOO-PIT']) assert.ok(html.includes(text), text);

  for (const name of ['funnel', 'trace_hierarchical', 'trace_hierarchical_noncentered', 'trace_pooled', 'three_counties', 'shrinkage', 'forest_alpha', 'ppc', 'loo_pit', 'loo_compare', 'pareto_k', 'predict_new_house', 'advi_vs_nuts', 'elbo']) {
    for (const ext of ['svg', 'png']) {
      const f = join(out, 'figures', `${name}.${ext}`);
      assert.ok(existsSync(f) && statSync(f).size > 1000, f);
    }
    assert.ok(html.includes(`figures/${name}.svg`), `report mentions ${name}`);
    // PNGs at one pixel per SVG pixel by default (--png-scale).
    assert.equal(pngWidth(join(out, 'figures', `${name}.png`)), Math.ceil(svgWidth(join(out, 'figures', `${name}.svg`))), name);
  }
});

test('--model pooled --method advi --quiet prints only where the report is', async () => {
  const out = mkdtempSync(join(tmpdir(), 'nutmeg-radon-advi-'));
  let stdout = '';
  let stderr = '';
  const code = await run(['--model', 'pooled', '--method', 'advi', '--draws', '200', '--png-scale', '2', '--out', out, '--quiet'], {
    out: (s) => (stdout += s),
    err: (s) => (stderr += s),
  });
  assert.equal(code, 0, stderr);
  assert.equal(stderr, '');
  assert.equal(stdout.trim(), join(out, 'report.html'));
  const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as Summary;
  assert.deepEqual(Object.keys(summary), ['pooled']);
  assert.equal(summary.pooled.sampler.method, 'advi');
  assert.ok(Math.abs((summary.pooled.parameters.beta.mean as number) + 0.59) < 0.1);
  const trace = join(out, 'figures', 'trace_pooled');
  assert.equal(pngWidth(`${trace}.png`), Math.ceil(2 * svgWidth(`${trace}.svg`)), '--png-scale 2');
});
