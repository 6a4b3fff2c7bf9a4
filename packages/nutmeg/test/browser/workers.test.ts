// nutmeg in a real Chromium: sample() runs chains in module Web Workers with Node's draws bit for bit, progress, stop() and the fallback to the calling thread.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { bundlePage, serveDirectory } from './bundle.js';
import { buildModel, sampleReport, workflowReport, type RadonArrays, type SampleReport } from './scenarios.js';
import { loadRadon } from '../../../cli/src/radon/data.js';
import type { SampleOptions } from 'nutmeg';

const ENTRY = fileURLToPath(new URL('./page/entry.ts', import.meta.url));

let browser: Browser;
let page: Page;
let closeServer: () => Promise<void>;
let pageUrl: string;
const pageErrors: string[] = [];
const consoleWarnings: string[] = [];

before(async () => {
  const { dir } = await bundlePage(ENTRY);
  const served = await serveDirectory(dir);
  closeServer = served.close;
  pageUrl = served.url;
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'warning') consoleWarnings.push(m.text());
  });
  await page.goto(pageUrl);
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1');
});

after(async () => {
  await browser?.close();
  await closeServer?.();
});

const radonData = (): RadonArrays => {
  const d = loadRadon();
  return { counties: d.counties, county: Array.from(d.county), floor: Array.from(d.floor), logRadon: Array.from(d.logRadon) };
};

/** The same run in the page (Web Workers) and here (worker threads). */
async function both(name: 'eight_schools' | 'logistic' | 'radon', options: SampleOptions, data?: RadonArrays): Promise<[SampleReport, SampleReport]> {
  const inPage = await page.evaluate(([n, o, d]) => (globalThis as unknown as { nutmegTest: { sample: (...a: unknown[]) => Promise<SampleReport> } }).nutmegTest.sample(n, o, d), [name, options, data] as const);
  const inNode = await sampleReport(buildModel(name, data).compile(), { ...options, progress: false });
  return [inPage, inNode];
}

for (const name of ['eight_schools', 'logistic'] as const) {
  test(`${name}: Chromium's Web Workers draw what Node's worker threads draw, bit for bit`, async () => {
    const [inPage, inNode] = await both(name, { chains: 4, tune: 300, draws: 200, seed: 11, cores: 4 });
    assert.equal(inPage.nDraws, 200);
    assert.equal(inPage.incomplete, false);
    assert.ok(inPage.progressEvents >= 8, `progress events reach the page (got ${inPage.progressEvents})`);
    assert.equal(inPage.gradEvals, inNode.gradEvals, 'gradient evaluations');
    assert.equal(inPage.posterior, inNode.posterior, 'hash of the posterior draws');
    assert.equal(inPage.sampleStats, inNode.sampleStats, 'hash of the sample stats');
  });
}

test('radon hierarchical non-centered: the same draws in Chromium and Node', async () => {
  const [inPage, inNode] = await both('radon', { chains: 4, tune: 200, draws: 100, seed: 2, cores: 4 }, radonData());
  assert.equal(inPage.gradEvals, inNode.gradEvals, 'gradient evaluations');
  assert.equal(inPage.posterior, inNode.posterior, 'hash of the posterior draws');
});

test('stop() mid-run returns the draws so far, marked incomplete', async () => {
  const r = await page.evaluate(() =>
    (globalThis as unknown as { nutmegTest: { sampleAndStop: (...a: unknown[]) => Promise<{ nDraws: number; incomplete: boolean; phases: string[] }> } }).nutmegTest.sampleAndStop(
      'eight_schools', { chains: 2, tune: 200, draws: 100000, seed: 4, cores: 2 }, 50),
  );
  assert.equal(r.incomplete, true);
  assert.ok(r.nDraws >= 50 && r.nDraws < 100000, `kept ${r.nDraws} draws`);
  assert.ok(r.phases.includes('stopped'), `phases seen: ${r.phases.join(', ')}`);
});

test('ADVI, summary, LOO, posterior predictive and a plot rendered to SVG give Node\'s numbers', async () => {
  const inPage = await page.evaluate(() => (globalThis as unknown as { nutmegTest: { workflow: () => Promise<Record<string, unknown>> } }).nutmegTest.workflow());
  const inNode = await workflowReport();
  assert.equal(inPage.svgStart, '<svg ');
  // Vega lays out the title 1/200 px differently in the page (-44.625 vs -44.62): numbers are compared to 0.1 px.
  const rounded = (svg: unknown): string => String(svg).replace(/-?\d+\.\d+/g, (n) => Number(n).toFixed(1));
  const [a, b] = [rounded(inPage.svg), rounded(inNode.svg)];
  let at = 0;
  while (at < a.length && a[at] === b[at]) at++;
  assert.equal(a.slice(at - 80, at + 80), b.slice(at - 80, at + 80), `the SVGs differ at character ${at}`);
  assert.ok(a.includes('theta[7]'));
  const { svg: _pageSvg, svgHash: _pageHash, ...pageNumbers } = inPage;
  const { svg: _nodeSvg, svgHash: _nodeHash, ...nodeNumbers } = inNode;
  assert.deepEqual(pageNumbers, nodeNumbers);
});

test('an error in a worker reaches the page as its own class (ModelError)', async () => {
  const r = await page.evaluate(() => (globalThis as unknown as { nutmegTest: { improper: () => Promise<Record<string, unknown>> } }).nutmegTest.improper());
  assert.equal(r.thrown, true);
  assert.equal(r.isModelError, true, `got ${String(r.name)}: ${String(r.message)}`);
  assert.match(String(r.message), /improper/);
});

for (const mode of ['throw', 'hang'] as const) {
  test(`a chain whose Web Worker ${mode === 'throw' ? 'throws' : 'hangs past chainTimeoutSeconds'} fails alone: the other chain is returned, marked incomplete`, async () => {
    const r = await page.evaluate((m) => (globalThis as unknown as { nutmegTest: { failingChain: (m: string) => Promise<Record<string, unknown>> } }).nutmegTest.failingChain(m), mode);
    assert.equal(r.nChains, 1, JSON.stringify(r));
    assert.equal(r.nDraws, 100, 'the other chain with all its draws');
    assert.equal(r.incomplete, true);
    const failed = r.failed as { chain: number; cause: string; message: string }[];
    assert.equal(failed.length, 1);
    if (mode === 'throw') {
      assert.equal(failed[0].cause, 'error');
      assert.match(failed[0].message, /^chain [01] failed: TypeError: user density bug/);
    } else {
      assert.equal(failed[0].cause, 'timeout');
      assert.match(failed[0].message, /^chain [01] failed: it ran longer than chainTimeoutSeconds = 1 s/);
      assert.equal(r.lockHeld, false, 'the hung worker was terminated (its Web Lock released)');
      assert.ok(Number(r.seconds) < 10, `${String(r.seconds)} s`);
    }
    assert.match(String(r.warning), /^1 of 2 chains failed and are not in the results/);
  });
}

test('no page errors and no fallback warning while workers are available', () => {
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(consoleWarnings.filter((w) => w.includes('Web Workers could not start')), []);
});
