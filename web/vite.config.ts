// Vite configuration of the web app: a relative base (any static host, any sub-path), the library from its sources, the CLI's CSV parser on csv-parse's browser build.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  // Relative asset URLs: web/dist works from file-less static hosting at any path (no absolute '/assets/…').
  base: './',
  resolve: {
    // 'development' makes `nutmeg` resolve to its TypeScript sources (as the tests do), so the page runs the code of this checkout.
    conditions: ['development', 'module', 'browser'],
    // csv-parse's default build needs Node's Buffer; its browser build carries its own (same parser, same messages).
    alias: [{ find: /^csv-parse\/sync$/, replacement: 'csv-parse/browser/esm/sync' }],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts anywhere (the CSP allows none): no module-preload polyfill injected into the page.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
  },
  worker: { format: 'es' },
});
