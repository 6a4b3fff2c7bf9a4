// Bundles the built radon figure thread (dist/radon/figureWorker.js with nutmeg, vega-lite, vega and d3) into one module, dist/radon/figureWorker.bundle.js, which radon/figureRenderer.ts starts when it exists. Run after `tsc` (npm run build does).
//
// Why: the thread's import graph is ~515 modules (~220 of nutmeg's, the rest from ~58 packages),
// which Node resolved, read and compiled one by one, in a run where both cores are busy
// throughout. One file took a whole `nutmeg radon` 0.963× the CPU (~0.5 s less) and 0.966× the
// wall time (medians of 8 alternated pairs, 2026-12-07). resvg is a native addon and stays a package import. Some of the
// packages are CommonJS and require Node's built-ins, which an ES module bundle can only do
// through a `require` made by createRequire (the banner).
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/radon/figureWorker.js'],
  outfile: 'dist/radon/figureWorker.bundle.js',
  bundle: true,
  format: 'esm',
  platform: 'node',
  external: ['@resvg/resvg-js'],
  banner: { js: "import { createRequire as createRequireForBundle } from 'node:module';\nconst require = createRequireForBundle(import.meta.url);" },
  // Readable names in profiles; whitespace only is worth little for a file read from disk once.
  minify: false,
  logLevel: 'warning',
});
