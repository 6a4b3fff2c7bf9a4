// Bundles the built chain worker (dist/src/platform/node/chainWorker.js and everything it loads,
// the model engine included) into one module, dist/src/platform/node/chainWorker.bundle.js, which
// platform/node/workers.ts starts when it exists. Run after `tsc` (npm run build does). Loading one file
// instead of the ~60 modules of the worker's import graph took each new worker thread ~30 ms less.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/platform/node/chainWorker.js'],
  outfile: 'dist/src/platform/node/chainWorker.bundle.js',
  bundle: true,
  format: 'esm',
  platform: 'node',
  // Readable names in profiles; whitespace only is worth little for a file read from disk once.
  minify: false,
  logLevel: 'warning',
});
