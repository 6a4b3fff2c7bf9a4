// nutmeg bundles for the browser: no Node built-ins (esbuild fails loudly on one), the core under its gzip size budget, and a bundle without the worker file falls back to the page's thread.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Browser } from 'playwright-core';
import { launchChromium } from './chromium.js';
import { browserBuildOptions, bundlePage, PACKAGE_DIR, serveDirectory, WORKER_ENTRY } from './bundle.js';

const page = (name: string): string => fileURLToPath(new URL(`./page/${name}`, import.meta.url));

/** Gzipped size budget of the core (Model, compile, NUTS, ADVI, summary, diagnostics) without the plots (issue 16). */
const CORE_GZIP_BUDGET = 150 * 1024;

/** A minified browser bundle of `entry`: its raw and gzipped sizes and the files with code in it (tree-shaken ones left out). */
async function minified(entry: string): Promise<{ raw: number; gzip: number; inputs: string[] }> {
  const r = await build(browserBuildOptions({ entryPoints: [entry], write: false, minify: true, metafile: true, outfile: 'out.js' }));
  const code = r.outputFiles?.[0]?.contents ?? new Uint8Array();
  const output = Object.values(r.metafile?.outputs ?? {})[0];
  const inputs = Object.entries(output?.inputs ?? {}).filter(([, v]) => v.bytesInOutput > 0).map(([k]) => k);
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, inputs };
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

test('the whole library bundles for the browser with no Node built-in (platform browser, no externals)', async () => {
  const { inputs } = await minified(`${PACKAGE_DIR}src/index.ts`);
  assert.deepEqual(inputs.filter((p) => p.startsWith('node:') || /(^|\/)platform\/node\//.test(p)), []);
  assert.ok(inputs.some((p) => p.endsWith('platform/browser/index.ts')), 'the browser platform is the one bundled');
  // The check is loud: a Node built-in fails the build.
  await assert.rejects(
    build(browserBuildOptions({ stdin: { contents: "import { readFileSync } from 'node:fs'; console.log(readFileSync);", resolveDir: PACKAGE_DIR }, write: false })),
    /node:fs/,
  );
});

test('size budget: the core without the plots is under 150 KB gzipped', async (t) => {
  const core = await minified(page('core.ts'));
  const withPlots = await minified(page('withPlots.ts'));
  const worker = await minified(WORKER_ENTRY);
  t.diagnostic(`core: ${kb(core.raw)} minified, ${kb(core.gzip)} gzipped`);
  t.diagnostic(`core + plots (vega, vega-lite): ${kb(withPlots.raw)} minified, ${kb(withPlots.gzip)} gzipped`);
  t.diagnostic(`chain worker: ${kb(worker.raw)} minified, ${kb(worker.gzip)} gzipped`);
  assert.ok(core.gzip < CORE_GZIP_BUDGET, `core is ${kb(core.gzip)} gzipped (budget ${kb(CORE_GZIP_BUDGET)})`);
  assert.ok(!core.inputs.some((p) => /node_modules\/vega/.test(p)), 'the core bundle holds no charting library');
  assert.ok(withPlots.inputs.some((p) => /node_modules\/vega/.test(p)), 'the comparison bundle does');
});

let browser: Browser;
let closeServer: (() => Promise<void>) | undefined;
let url = '';

before(async () => {
  const { dir } = await bundlePage(page('fallback.ts'), false);
  const served = await serveDirectory(dir);
  closeServer = served.close;
  url = served.url;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await closeServer?.();
});

test('without the worker file (esbuild without a second entry) sample() warns once and runs in the page', async () => {
  const p = await browser.newPage();
  const warnings: string[] = [];
  p.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  await p.goto(url);
  await p.waitForFunction(() => document.documentElement.dataset.ready === '1');
  const run = () => p.evaluate(() => (globalThis as unknown as { nutmegFallback: { run: () => Promise<{ nDraws: number; nChains: number }> } }).nutmegFallback.run());
  const first = await run();
  const second = await run();
  assert.deepEqual([first.nChains, first.nDraws, second.nDraws], [2, 50, 50]);
  const fallbacks = warnings.filter((w) => w.includes('Web Workers could not start'));
  assert.equal(fallbacks.length, 1, `one warning per page, got: ${warnings.join(' | ')}`);
  assert.match(fallbacks[0], /chainWorker\.js/);
});
