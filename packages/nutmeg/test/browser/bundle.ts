// Bundles the browser tests' page (and the library's chain worker) with esbuild for the browser, and serves it over http from a tiny static server.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';

/** The library's package folder. */
export const PACKAGE_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** The browser platform's worker entry, which a bundler must emit as `chainWorker.js` next to the code that starts it. */
export const WORKER_ENTRY = join(PACKAGE_DIR, 'src/platform/browser/chainWorker.ts');

/**
 * esbuild options of a browser bundle: ES modules, platform 'browser' (so a `node:` import fails
 * the build, there is no external), and the `development` condition so that `nutmeg` resolves to
 * its TypeScript sources (a published package resolves to dist/ with `browser` alone).
 */
export function browserBuildOptions(extra: BuildOptions = {}): BuildOptions {
  return {
    bundle: true,
    format: 'esm',
    platform: 'browser',
    conditions: ['development', 'browser'],
    target: 'es2022',
    logLevel: 'silent',
    ...extra,
  };
}

/**
 * Bundles `entry` as `main.js` and the chain worker as `chainWorker.js` into a fresh directory,
 * with an index.html that loads main.js.
 *
 * @param entry - the page's module
 * @param withWorker - false leaves the worker file out (as esbuild does unless told), to test the fallback
 * @returns the directory and esbuild's metafile
 */
export async function bundlePage(entry: string, withWorker = true): Promise<{ dir: string; metafile: Metafile }> {
  const dir = mkdtempSync(join(tmpdir(), 'nutmeg-page-'));
  const entryPoints: Record<string, string> = { main: entry };
  if (withWorker) entryPoints.chainWorker = WORKER_ENTRY;
  const result = await build(browserBuildOptions({ entryPoints, outdir: dir, metafile: true, minify: false }));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><meta charset="utf-8"><title>nutmeg test</title><script type="module" src="./main.js"></script>\n');
  if (!result.metafile) throw new Error('esbuild returned no metafile');
  return { dir, metafile: result.metafile };
}

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.json': 'application/json' };

/**
 * Serves `dir` on 127.0.0.1 (module workers need http, not file://).
 *
 * @returns the base URL and a close function
 */
export async function serveDirectory(dir: string): Promise<{ url: string; server: Server; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^([/\\])+/, '');
    const file = join(dir, path === '' ? 'index.html' : path);
    if (!file.startsWith(dir) || !existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}/`, server, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
