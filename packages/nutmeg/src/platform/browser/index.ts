// The browser's sampling platform: chains in module Web Workers; progress, stopping and warnings are the page's to show.
import type { SamplingPlatform } from '../../workflow/platform.js';
import { browserCoreCount, webWorkerRunner } from './workers.js';
import { specKey } from '../../workflow/chainSource.js';

/**
 * The adapters `sample()` uses in a browser (the `browser` condition of `#platform`): chains run in
 * module Web Workers, one per chain up to `navigator.hardwareConcurrency`. Progress is shown by the
 * sink the page passes as `sample(…, { progress })`; stopping is `sample(…, { signal })`; warnings
 * go to the console.
 */
export const platform: SamplingPlatform = {
  createRunner: (spec, { workers }) => webWorkerRunner({ kind: 'spec', spec, key: specKey(spec as object) }, workers),
  defaultWorkers: browserCoreCount,
  printWarnings: (text) => console.warn(text),
  preferWorkers: true,
};
