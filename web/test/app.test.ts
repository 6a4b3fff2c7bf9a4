// End-to-end tests of the web app in Debian's Chromium: built once with Vite, served from web/dist, driven through its automation hook.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import type { Browser, Page } from 'playwright-core';
import { formulaModel, sample, summary, summaryToJson } from 'nutmeg';
import { launchChromium } from '../../packages/nutmeg/test/browser/chromium.js';
import { loadRadon } from '../../packages/cli/src/radon/data.js';
import { hierarchicalNonCentered } from '../../packages/cli/src/radon/models.js';
import { parseCsvTable } from '../../packages/cli/src/fit/csvText.js';
import { serveStatic, type StaticServer } from './staticServer.js';
import type { AutomationResult } from '../src/automationHook.js';

const WEB = fileURLToPath(new URL('..', import.meta.url));
const SHOTS = join(WEB, 'test', 'screenshots');

type Summary = AutomationResult['summary'];

let server: StaticServer;
let browser: Browser;
/** Requests any page made outside the served origin (there must be none). */
const outside: string[] = [];
/** Uncaught errors in any page (there must be none). */
const pageErrors: string[] = [];

before(async () => {
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
  server = await serveStatic(join(WEB, 'dist'));
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** A page of the app at `search`, recording dialogs, page errors and requests leaving the origin. */
async function openApp(search: string): Promise<{ page: Page; dialogs: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('request', (r) => {
    const url = r.url();
    const same = url.startsWith(`${server.origin}/`) || url.startsWith(`blob:${server.origin}/`) || url.startsWith('data:');
    if (!same) outside.push(url);
  });
  await page.goto(`${server.origin}/${search}`);
  return { page, dialogs };
}

/** Clicks a download button of the results and returns the file's text. */
async function download(page: Page, file: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(`#downloads button[data-file="${file}"]`)]);
  assert.equal(d.suggestedFilename(), file);
  const stream = await d.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Waits until the hook says `done` or `error`; returns the status. */
async function finished(page: Page, timeout = 120_000): Promise<string> {
  await page.waitForFunction(() => ['done', 'error'].includes(document.documentElement.dataset.nutmegStatus ?? ''), null, { timeout });
  return page.evaluate(() => document.documentElement.dataset.nutmegStatus ?? '');
}

const result = (page: Page): Promise<AutomationResult> => page.evaluate(() => window.nutmeg?.result as AutomationResult);

/**
 * Asserts two summaries are identical, number for number: the same seed gives the same draws in
 * Chromium's Web Workers as in Node (nutmeg's own libm, `core/libm`), so nothing needs a tolerance.
 */
function assertSameSummary(browserSummary: Summary, nodeSummary: Summary): void {
  assert.deepEqual(Object.keys(browserSummary), Object.keys(nodeSummary));
  for (const [label, n] of Object.entries(nodeSummary)) assert.deepEqual(browserSummary[label], n, `${label}: Chromium and Node differ`);
}

/** A small grouped regression: y = 1 + 0.5 x + group effect + noise (fixed numbers, no RNG). */
const GROUPS_CSV = ['x,y,g', ...Array.from({ length: 60 }, (_, i) => {
  const x = (i % 10) / 3;
  const g = ['north', 'south', 'east', 'west'][i % 4];
  const y = 1 + 0.5 * x + [0.4, -0.3, 0.1, -0.2][i % 4] + 0.3 * Math.sin(7 * i);
  return `${x.toFixed(4)},${y.toFixed(4)},${g}`;
})].join('\n') + '\n';

/** Column names and group levels a hostile CSV could carry. */
const HOSTILE_X = `x"'<script>window.__pwned=5</script>`;
const HOSTILE_G = '"><img src=x onerror="window.__pwned=6">';
const HOSTILE_LEVELS = ['<img src=x onerror=window.__pwned=7>', `'"><script>window.__pwned=8</script>`, 'a&amp;b'];

/** A CSV field, quoted as RFC 4180 does. */
const field = (s: string): string => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
/** A column name in a formula, backquoted. */
const backquoted = (s: string): string => `\`${s.replace(/[\\`]/g, (c) => `\\${c}`)}\``;

const HOSTILE_CSV = [['y', HOSTILE_X, HOSTILE_G].map(field).join(','), ...Array.from({ length: 36 }, (_, i) => {
  const x = (i % 6) / 5;
  return [(1 + x + 0.3 * (i % 3) + 0.2 * Math.cos(i)).toFixed(3), x.toFixed(2), field(HOSTILE_LEVELS[i % 3])].join(',');
})].join('\n') + '\n';

/** Drops a CSV file on the drop zone, as a user dragging a file does (a DataTransfer drop event). */
async function dropCsv(page: Page, name: string, text: string): Promise<void> {
  await page.evaluate(({ name, text }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([text], name, { type: 'text/csv' }));
    document.querySelector('#dropzone')?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, { name, text });
}

describe('the web app in Chromium', { timeout: 300_000 }, () => {
  test('radon hierarchical_noncentered from a link with autorun=1 matches a Node run with the same seed', async () => {
    const settings = { chains: 2, draws: 150, tune: 150, seed: 7 };
    const workers: string[] = [];
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('worker', (w) => workers.push(w.url()));
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('request', (q) => {
      if (!q.url().startsWith(`${server.origin}/`) && !q.url().startsWith(`blob:${server.origin}/`) && !q.url().startsWith('data:')) outside.push(q.url());
    });
    await page.goto(`${server.origin}/?data=radon&model=hierarchical_noncentered&chains=2&draws=150&tune=150&seed=7&autorun=1`);
    assert.equal(await finished(page), 'done', await page.evaluate(() => document.documentElement.dataset.nutmegError ?? ''));
    const r = await result(page);
    await page.screenshot({ path: join(SHOTS, 'radon-noncentered.png'), fullPage: true });

    const idata = await sample(hierarchicalNonCentered(loadRadon()).compile(), { ...settings, cores: 1, progress: false });
    const nodeSummary = JSON.parse(summaryToJson(summary(idata))) as Summary;
    assertSameSummary(r.summary, nodeSummary);
    console.log(`radon non-centered: Chromium (Web Worker chains) identical to Node; sampling ${r.sampling_s.toFixed(2)} s in the page`);
    assert.ok(workers.length >= 1 && workers.every((u) => u.startsWith(`${server.origin}/assets/chainWorker-`)), `chains ran in Web Workers: ${workers.join(', ')}`);
    assert.equal(r.chains, 2);
    assert.equal(r.draws, 150);
    assert.equal(r.incomplete, false);
    assert.equal(r.seed, 7);
    assert.ok(r.sampling_s > 0);
    assert.equal(typeof r.divergences, 'number');
    assert.ok(r.loo !== null && Number.isFinite(r.loo.elpd_loo), 'PSIS-LOO computed');
    for (const chart of ['trace', 'forest', 'forest_groups', 'shrinkage', 'ppc', 'pareto_k']) {
      assert.equal(await page.locator(`figure.chart[data-chart="${chart}"] img`).count(), 1, `chart ${chart}`);
    }
    assert.equal(new URL(page.url()).searchParams.get('model'), 'hierarchical_noncentered');
    await page.close();
  });

  test('a formula on a dropped CSV samples, and matches a Node run of the same formula and seed', async () => {
    const { page } = await openApp('?chains=2&draws=200&tune=200&seed=5');
    await dropCsv(page, 'groups.csv', GROUPS_CSV);
    await page.waitForFunction(() => document.querySelector('#data-status')?.textContent?.startsWith('groups.csv'));
    assert.deepEqual(await page.locator('#data-preview .coltype').allTextContents(), ['number', 'number', 'text']);
    await page.fill('#formula', 'y ~ x + (1 | g)');
    await page.waitForSelector('#formula-status[data-valid="true"]');
    await page.click('#sample');
    assert.equal(await finished(page), 'done', await page.evaluate(() => document.documentElement.dataset.nutmegError ?? ''));
    const r = await result(page);
    await page.screenshot({ path: join(SHOTS, 'formula-dropped-csv.png'), fullPage: true });

    const fm = formulaModel('y ~ x + (1 | g)', parseCsvTable(GROUPS_CSV, 'groups.csv').table, { family: 'gaussian' });
    const idata = await sample(fm.model.compile(), { chains: 2, draws: 200, tune: 200, seed: 5, cores: 1, progress: false });
    const nodeSummary = JSON.parse(summaryToJson(summary(idata, { varNames: fm.parameters, useCoords: true }))) as Summary;
    assertSameSummary(r.summary, nodeSummary);
    assert.ok('b_Intercept' in r.summary && 'b_x' in r.summary && 'sigma' in r.summary && 'sd_g__Intercept' in r.summary);
    const json = JSON.parse(await download(page, 'idata.json')) as { posterior: Record<string, unknown> };
    assert.ok('b_x' in json.posterior, 'idata.json has the posterior');
    assert.match(await download(page, 'chain-1.csv'), /^# /m, 'a CmdStan CSV with its comment header');
    assert.match(await download(page, 'report.html'), /<h1>nutmeg in the browser<\/h1>/);
    const url = new URL(page.url()).searchParams;
    assert.equal(url.get('formula'), 'y ~ x + (1 | g)');
    assert.equal(url.get('family'), 'gaussian');
    assert.equal(url.get('seed'), '5');
    await page.close();
  });

  test('Stop mid-run keeps the draws so far, marked incomplete', async () => {
    const { page } = await openApp('?data=radon&model=hierarchical_noncentered&chains=2&draws=20000&tune=200&seed=11');
    await page.click('#sample');
    await page.waitForFunction(() => Array.from(document.querySelectorAll<HTMLElement>('#progress tr[data-chain]')).some((r) => r.dataset.phase === 'sampling' && Number(r.dataset.draws) >= 30), null, { timeout: 60_000 });
    assert.equal(await page.evaluate(() => document.documentElement.dataset.nutmegStatus), 'running');
    await page.screenshot({ path: join(SHOTS, 'stop-running.png') });
    await page.click('#stop');
    assert.equal(await finished(page), 'done');
    const r = await result(page);
    await page.screenshot({ path: join(SHOTS, 'stop-incomplete.png'), fullPage: true });
    assert.equal(r.incomplete, true);
    assert.ok(r.draws >= 30 && r.draws < 20000, `draws kept: ${r.draws}`);
    assert.ok(Object.keys(r.summary).length > 0, 'the kept draws are summarised');
    assert.match(await page.locator('#incomplete').textContent() ?? '', /incomplete/);
    assert.equal(await page.locator('#progress tr[data-phase="stopped"]').count() >= 1, true, 'a chain shows as stopped');
    assert.equal(await page.locator('#sample').isEnabled(), true, 'the page can sample again');
    await page.close();
  });

  test('a malformed CSV and a broken formula give clear messages with the position, and nothing crashes', async () => {
    const { page } = await openApp('?chains=1&draws=20&tune=20');
    await page.setInputFiles('#csv-file', { name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from('a,b\n1,2\n3,4,5\n') });
    await page.waitForSelector('#data-error:not([hidden])');
    const csvMessage = (await page.locator('#data-error').textContent()) ?? '';
    assert.match(csvMessage, /^ragged\.csv: not a valid CSV file: .*line 3/);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.nutmegStatus), 'idle');
    assert.match((await page.locator('#data-status').textContent()) ?? '', /^radon\.csv/, 'the radon data stays loaded');

    await page.check('#mode-formula');
    await page.fill('#formula', 'log_radon ~ floor + (1 | county');
    await page.waitForSelector('#formula-error');
    assert.match((await page.locator('#formula-error').textContent()) ?? '', /formula syntax error at line 1, column 32/);
    assert.equal(await page.locator('#formula-status pre.caret').getAttribute('data-offset'), '31');
    await page.screenshot({ path: join(SHOTS, 'errors.png') });
    await page.click('#sample');
    assert.equal(await finished(page), 'error');
    assert.match(await page.evaluate(() => document.documentElement.dataset.nutmegError ?? ''), /formula syntax error at line 1, column 32/);
    assert.equal(await result(page), null);

    await page.fill('#formula', 'log_radon ~ flor');
    await page.waitForFunction(() => /unknown column "flor"/.test(document.querySelector('#formula-error')?.textContent ?? ''));
    assert.match((await page.locator('#formula-error').textContent()) ?? '', /similar: "floor"/);
    await page.fill('#formula', 'log_radon ~ floor');
    await page.waitForSelector('#formula-status[data-valid="true"]');
    await page.click('#sample');
    assert.equal(await finished(page), 'done', 'the page recovers and samples');
    await page.close();
  });

  test('hostile column names, levels, formulas and URL parameters show as text and run nothing', async () => {
    const hostileUrl = new URLSearchParams({
      formula: '<script>window.__pwned=1</script>',
      family: '"><img src=x onerror="window.__pwned=2">',
      model: "<svg onload=window.__pwned=3>'",
      chains: '"><script>window.__pwned=4</script>',
      seed: '2',
    });
    const { page, dialogs } = await openApp(`?${hostileUrl.toString()}`);
    await page.waitForSelector('#formula-error');
    const notices = (await page.locator('#notices').textContent()) ?? '';
    assert.ok(notices.includes('"><img src=x onerror=\\"window.__pwned=2\\">'), notices);
    assert.ok(notices.includes('<svg onload=window.__pwned=3>'), notices);
    assert.ok(notices.includes('"><script>window.__pwned=4</script>'), notices);
    assert.equal(await page.inputValue('#formula'), '<script>window.__pwned=1</script>');
    assert.match((await page.locator('#formula-error').textContent()) ?? '', /formula syntax error/);
    await page.screenshot({ path: join(SHOTS, 'hostile-url.png') });

    await dropCsv(page, 'hostile.csv', HOSTILE_CSV);
    await page.waitForFunction(() => document.querySelector('#data-status')?.textContent?.startsWith('hostile.csv'));
    assert.deepEqual(await page.locator('#data-preview .colname').allTextContents(), ['y', HOSTILE_X, HOSTILE_G]);
    await page.fill('#chains', '2');
    await page.fill('#draws', '100');
    await page.fill('#tune', '100');
    await page.fill('#formula', `y ~ ${backquoted(HOSTILE_X)} + (1 | ${backquoted(HOSTILE_G)})`);
    await page.waitForSelector('#formula-status[data-valid="true"]');
    await page.click('#sample');
    assert.equal(await finished(page), 'done', await page.evaluate(() => document.documentElement.dataset.nutmegError ?? ''));
    await page.screenshot({ path: join(SHOTS, 'hostile-csv.png'), fullPage: true });
    const r = await result(page);
    const labels = await page.locator('#summary-table tbody th').allTextContents();
    for (const level of HOSTILE_LEVELS) {
      assert.ok(Object.keys(r.summary).some((l) => l.includes(`[${level},Intercept]`)), `level ${level} in the hook's summary`);
      assert.ok(labels.some((l) => l.includes(`[${level},Intercept]`)), `level ${level} shown as text in the summary table`);
    }
    const report = await download(page, 'report.html');
    assert.ok(!/<script>window\.__pwned|<img src=x|<svg onload/i.test(report), 'the report holds the hostile names escaped');
    assert.ok(report.includes('&lt;img src=x onerror=window.__pwned=7&gt;'), 'and displays them');
    assert.equal(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned), undefined, 'no hostile script ran');
    assert.deepEqual(dialogs, []);
    assert.equal(await page.evaluate(() => document.querySelectorAll('img[src="x"], svg[onload], script:not([src])').length), 0, 'no element from the data');
    assert.equal(await page.evaluate(() => document.scripts.length), 1, "the page's only script is its bundle");
    await page.close();
  });

  test('the page sets a Content-Security-Policy of self plus unsafe-eval, and it blocks inline scripts', async () => {
    const { page } = await openApp('');
    const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
    assert.equal(
      csp,
      "default-src 'self'; script-src 'self' 'unsafe-eval'; worker-src 'self'; style-src 'self'; img-src 'self' blob: data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'",
    );
    const inlineRan = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inline = 1';
      document.head.append(s);
      return (window as { __inline?: number }).__inline;
    });
    assert.equal(inlineRan, undefined, 'an inline script is refused');
    await page.close();
  });

  test('no page requested anything outside the served origin, and no page threw', () => {
    assert.deepEqual(outside, []);
    assert.deepEqual(pageErrors, []);
  });
});
